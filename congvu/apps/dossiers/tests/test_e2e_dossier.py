"""In headless Chromium, one dossier from the counter to the citizen's rating.

The ledger's clock is moved with time-machine (the live server runs in this process), so the
dossier really turns due-soon and overdue as the test's clock passes.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from conftest import MONDAY
from congvu.apps.ledger.models import Item

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _browser_session_cookie(settings):
    # The test clock is in October 2026 while Chromium keeps real time: a cookie stamped to
    # expire two weeks after the test clock could already be stale for the browser.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True


def _login(page, base, username, password):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def _act(page, label, fill=None, select=None):
    action = page.locator("details.action", has=page.get_by_text(label, exact=True))
    action.locator("summary").click()
    for name, value in (select or {}).items():
        action.get_by_label(name).select_option(value)
    for name, value in (fill or {}).items():
        action.get_by_label(name).fill(value)
    action.get_by_role("button", name=label).click()


def test_dossier_from_counter_to_rating(live_server, page, commune, clock):
    base = live_server.url
    password = commune.cast.password

    # 1. The one-stop officer receives the dossier and prints the slip.
    _login(page, base, "carol", password)
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    # htmx binds the select's change handler when its script has run: before that, the
    # change would go unnoticed (seen on a loaded machine)
    page.wait_for_load_state("load")
    page.get_by_label("Thủ tục hành chính").select_option("1.001193")
    expect(page.get_by_label("Giấy tờ đã nhận (mỗi dòng một loại)")).to_have_value(
        "Tờ khai đăng ký khai sinh\nGiấy chứng sinh"
    )
    page.get_by_label("Họ tên người nộp / tên tổ chức").fill("Nguyễn Thị Hằng")
    page.get_by_role("button", name="Tiếp nhận và cấp giấy hẹn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("C1-261005-0001")
    expect(page.get_by_test_id("due")).to_have_text("08:00 08/10/2026")
    slip = page.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    pdf = page.request.get(base + slip.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    _act(page, "Giao xử lý", select={"Giao cho cán bộ": "GINA", "Bước xử lý": "review"})
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận: Giao xử lý")

    # 2. The specialist finds it in her queue and completes her step.
    _login(page, base, "gina", password)
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    row = page.locator("tr", has=page.get_by_role("link", name="C1-261005-0001"))
    expect(row.locator(".urgency")).to_have_text("Còn 3 ngày làm việc")
    row.get_by_role("link").click()
    clock.move_to(dt.datetime(2026, 10, 6, 10, 0, tzinfo=VN))
    _act(page, "Hoàn thành bước", select={"Bước đã hoàn thành": "review"})
    expect(page.locator("#h-control ~ .table-wrap")).to_contain_text("Thẩm định")

    # 3. Wednesday 07:45, a working day and a quarter of an hour before the due moment (the
    # clock ticks while the browser works): the chairman apologises.
    clock.move_to(dt.datetime(2026, 10, 7, 7, 45, tzinfo=VN))
    _login(page, base, "hung", password)
    page.goto(f"{base}/ho-so/local/C1-261005-0001/")
    expect(page.get_by_test_id("urgency")).to_have_text("Còn 1 ngày làm việc")
    _act(
        page,
        "Xin lỗi và hẹn lại ngày trả kết quả",
        fill={"Ngày hẹn trả kết quả mới": "2026-10-09T17:00", "Lý do quá hạn": "Chờ xác minh"},
    )
    expect(page.get_by_test_id("due")).to_have_text("17:00 09/10/2026")
    apology = page.get_by_role("link", name="Phiếu đề nghị gia hạn thời gian giải quyết")
    assert page.request.get(base + apology.get_attribute("href")).body().startswith(b"%PDF")
    # Only one apology: the action is no longer offered.
    expect(page.get_by_text("Xin lỗi và hẹn lại ngày trả kết quả", exact=True)).to_have_count(0)

    # 4. The new due passes: the dossier turns overdue on screen.
    clock.move_to(dt.datetime(2026, 10, 12, 9, 0, tzinfo=VN))
    page.reload()
    expect(page.get_by_test_id("urgency")).to_have_text(
        "Quá hạn 1 giờ 30 phút làm việc"
    )  # office opens 07:30
    _act(page, "Ghi nhận kết quả giải quyết", select={"Kết quả": "approved"})

    # 5. The counter returns the result.
    _login(page, base, "carol", password)
    page.goto(f"{base}/ho-so/local/C1-261005-0001/")
    _act(page, "Trả kết quả cho người nộp")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã trả kết quả")

    # 6. The citizen looks it up with the slip's code and secret, and rates the service.
    page.context.clear_cookies()
    item = Item.objects.get(code="C1-261005-0001")
    page.goto(f"{base}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(item.code)
    page.get_by_label("Mã tra cứu (in trên giấy tiếp nhận)").fill("SAI000")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập."
    )
    page.get_by_label("Mã tra cứu (in trên giấy tiếp nhận)").fill(item.secret)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_text("Đã trả kết quả")).to_be_visible()
    page.get_by_label("4 — Hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_have_text("Cảm ơn ông/bà đã đánh giá.")
    item.refresh_from_db()
    assert item.rating == 4 and item.late and item.apology_count == 1
