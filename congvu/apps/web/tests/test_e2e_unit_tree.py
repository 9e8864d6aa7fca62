"""In headless Chromium: log in and open the unit tree."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_official_logs_in_and_browses_the_unit_tree(live_server, page, cast):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("bob")
    page.get_by_label("Mật khẩu").fill(cast.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Trần Văn Bình")

    page.get_by_role("link", name="Đơn vị", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cây đơn vị")
    province = page.locator("li[data-code='P']")
    province.get_by_role("button").click()
    expect(province.locator("li[data-code='C1']")).to_be_visible()

    commune = province.locator("li[data-code='C1']")
    commune.get_by_role("button").click()
    expect(commune.get_by_role("link", name="Thôn Đông")).to_be_visible()
    # folding hides the loaded children without another request
    commune.get_by_role("button").first.click()
    expect(commune.get_by_role("link", name="Thôn Đông")).to_be_hidden()

    province.get_by_role("link", name="Sở Tư pháp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp")
    expect(page.get_by_role("link", name="Nguyễn Thị An")).to_be_visible()


def test_scoped_official_cannot_open_another_unit(live_server, page, cast):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("carol")
    page.get_by_label("Mật khẩu").fill(cast.password)
    page.get_by_role("button", name="Đăng nhập").click()
    response = page.goto(f"{live_server.url}/don-vi/D1/")
    assert response.status == 404
