"""In headless Chromium: an official sees the unread count in the top navigation, opens the
notifications page and marks a notice read without a page reload (htmx)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from congvu.apps.alerts.services import reminders_send
from congvu.apps.alerts.tests.conftest import at, ingest, received

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_official_reads_a_reminder_and_the_count_goes_down(live_server, page, mailed):
    ingest(received("H-1") + received("H-2"))
    reminders_send(now=at("2026-10-07T09:00"))  # two reminders each for gina and hung

    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("gina")
    page.get_by_label("Mật khẩu").fill(mailed.cast.password)
    page.get_by_role("button", name="Đăng nhập").click()

    nav = page.locator("#nav-notifications")
    expect(nav).to_have_text("Thông báo 2 chưa đọc")
    nav.click()
    expect(page.get_by_role("heading", name="Thông báo", exact=True)).to_be_visible()
    notices = page.locator("article.notice")
    expect(notices).to_have_count(2)
    expect(notices.first).to_contain_text("Hồ sơ H-2 (Đăng ký khai sinh) sẽ đến hạn giải quyết")
    expect(notices.nth(1)).to_contain_text("Sắp đến hạn: Hồ sơ H-1")

    page.evaluate("window.__notReloaded = true")
    notices.first.get_by_role("button", name="Đánh dấu đã đọc").click()
    expect(notices.first).to_contain_text("đã đọc lúc")
    expect(nav).to_have_text("Thông báo 1 chưa đọc")
    assert page.evaluate("window.__notReloaded") is True  # swapped in place, no reload

    notices.nth(1).get_by_role("link", name="Mở hồ sơ").click()
    expect(page).to_have_url(f"{live_server.url}/ho-so/local/H-1/")
