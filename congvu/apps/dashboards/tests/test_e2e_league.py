"""In headless Chromium: a supervisor opens the league table, drills into a unit and a
finding and sees the events that prove it; the unit head justifies the finding; the
supervisor accepts the justification and the league table changes accordingly.

The data is a realistic week fed through the ledger's ingestion and the supervision engine
(scenario.py). The live server runs in this process, so time-machine's clock is the server's
clock too.
"""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import expect

from congvu.apps.dashboards.tests.scenario import NOW, load_week
from congvu.apps.supervision.models import Finding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    # The test clock is in October 2026 while Chromium keeps real time (see the dossier e2e).
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONGVU_LEAGUE_MIN_SAMPLE = 5  # a week of a commune: rank units of 5 and more


def _login(page, base, username, password):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def _league_row(page, name):
    return page.locator("#tbl-league tbody tr", has=page.get_by_role("link", name=name))


def test_supervisor_drills_down_head_justifies_supervisor_accepts(
    live_server, page, commune, clock
):
    load_week()
    base, password = live_server.url, commune.cast.password

    # 1. Home Affairs opens the league table: C2 first, C1 second with 7 findings on 6 items.
    _login(page, base, "dave", password)
    page.get_by_role("link", name="Xếp hạng", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bảng xếp hạng đơn vị")
    c1 = _league_row(page, "Xã Hòa Phú")
    expect(c1.get_by_test_id("rank")).to_have_text("2")
    expect(c1.get_by_test_id("on-time")).to_have_text("66,7 % (30,0–90,3)")
    expect(c1.get_by_test_id("findings-per-1000")).to_contain_text("1166,7")
    expect(_league_row(page, "Xã Tân Lập").get_by_test_id("rank")).to_have_text("1")
    expect(page.locator("#dinh-nghia-findings_per_1000")).to_contain_text("tính 0,5 thay vì 1")
    # the chart is drawn by the vendored ECharts over the same table
    expect(page.locator("[data-chart][data-drawn='1'] svg")).to_have_count(1)

    # 2. Drill down: the unit, its overdue findings, the finding and its proving events.
    c1.get_by_role("link", name="Xã Hòa Phú").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Hòa Phú")
    expect(page.get_by_test_id("overdue-now")).to_have_text("1")
    page.locator("#tbl-rules").get_by_role("link", name="Quá hạn giải quyết").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phát hiện vi phạm")
    page.get_by_role("link", name="Quá hạn giải quyết").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quá hạn giải quyết")
    expect(page.get_by_test_id("review")).to_have_text("Chưa giải trình")
    proof = page.get_by_test_id("proof")
    expect(proof.locator("li")).to_have_count(2)
    expect(proof).to_contain_text("Tiếp nhận")
    expect(proof).to_contain_text("Cấp giấy hẹn trả kết quả")
    expect(proof).to_contain_text("hạn: 08:00 08/10/2026")
    finding_url = page.url
    # each proving event opens its place in the dossier's timeline
    proof.get_by_role("link", name="#2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("C1-06")
    expect(page.locator("#su-kien-2")).to_contain_text("Cấp giấy hẹn trả kết quả")
    expect(page.locator("#su-kien-2")).to_be_in_viewport()

    # 3. The commune's chairman finds the finding on the dossier page and justifies it.
    _login(page, base, "hung", password)
    page.goto(f"{base}/ho-so/local/C1-06/")
    page.locator("#phat-hien").get_by_role("link", name="Quá hạn giải quyết").click()
    page.get_by_label("Lý do").fill(
        "Mất điện toàn xã từ 06/10 đến 07/10, không truy cập được hệ thống."
    )
    page.get_by_label("Tài liệu chứng minh").set_input_files(
        files=[{"name": "xac-nhan-dien-luc.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi giải trình")
    expect(page.get_by_test_id("review")).to_have_text("Đã giải trình, chờ xem xét")
    expect(page.get_by_role("button", name="Ghi nhận kết quả xem xét")).to_have_count(0)

    # 4. Home Affairs reads the document and accepts the justification.
    _login(page, base, "dave", password)
    page.goto(finding_url)
    doc = page.get_by_role("link", name="Tài liệu kèm theo")
    assert page.request.get(base + doc.get_attribute("href")).body() == PDF
    page.get_by_label("Chấp nhận (lý do chính đáng)").check()
    page.get_by_label("Ý kiến").fill("Có xác nhận của Điện lực.")
    page.get_by_role("button", name="Ghi nhận kết quả xem xét").click()
    expect(page.get_by_test_id("review")).to_have_text("Lý do chính đáng (đã chấp nhận)")

    # 5. The league table changes: the justified finding weighs 0.5, (6 + 0.5) / 6 × 1,000.
    page.get_by_role("link", name="Xếp hạng", exact=True).click()
    c1 = _league_row(page, "Xã Hòa Phú")
    expect(c1.get_by_test_id("findings-per-1000")).to_contain_text("1083,3")
    expect(c1.get_by_test_id("findings-per-1000")).to_contain_text("1 có giải trình được chấp nhận")
    assert Finding.objects.get(item__code="C1-06", rule="OVERDUE").review == "accepted"
