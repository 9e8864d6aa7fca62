"""Dashboard pages: who sees what, figures as shown (Vietnamese number format, Wilson
intervals, definitions), sorting, the period filter and the Excel exports."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from congvu.apps.dashboards.display import rate_text
from congvu.domain.scoring import rate

pytestmark = pytest.mark.django_db

PAGES = [
    "/bang-dieu-khien/",
    "/bang-dieu-khien/xep-hang/",
    "/bang-dieu-khien/don-vi/C1/",
    "/bang-dieu-khien/can-bo/GINA/",
]


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_a_user_without_a_post_gets_404_and_anonymous_goes_to_login(client, week, at_now, url):
    assert client.get(url).status_code == 302
    assert login(client, week.cast.users.citizen).get(url).status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_home_affairs_sees_every_page(client, week, at_now, url):
    response = login(client, week.cast.users.dave).get(url)
    assert response.status_code == 200
    assert "Tỷ lệ đúng hạn" in response.content.decode()


def test_league_shows_rates_with_their_wilson_interval_in_vietnamese_format(client, week, at_now):
    html = login(client, week.cast.users.dave).get("/bang-dieu-khien/xep-hang/").content.decode()
    assert rate_text(rate(4, 6)) == "66,7 % (30,0–90,3)"
    assert "66,7 % (30,0–90,3)" in html  # C1: 4 on time of 6 judged
    assert "1166,7" in html  # C1: 7 findings per 6 items
    assert "chưa xếp hạng" in html  # below the minimum sample of 30
    assert 'id="dinh-nghia-findings_per_1000"' in html and "tính 0,5 thay vì 1" in html
    assert 'href="/bang-dieu-khien/don-vi/C1/?ky=2026"' in html


def test_league_ranks_with_a_smaller_minimum_and_sorts_by_a_column(client, week, at_now, settings):
    settings.CONGVU_LEAGUE_MIN_SAMPLE = 5
    c = login(client, week.cast.users.dave)
    html = c.get("/bang-dieu-khien/xep-hang/?ky=2026-Q4").content.decode()
    assert html.index("Xã Tân Lập") < html.index("Xã Hòa Phú")  # C2 ranks first
    html = c.get("/bang-dieu-khien/xep-hang/?ky=2026-Q4&sap-xep=findings&chieu=giam").content
    html = html.decode()
    assert html.index("Xã Hòa Phú") < html.index("Xã Tân Lập")
    assert 'aria-sort="descending"' in html


def test_an_official_of_one_commune_sees_only_its_figures(client, week, at_now):
    c = login(client, week.cast.users.carol)
    html = c.get("/bang-dieu-khien/xep-hang/").content.decode()
    assert "Xã Hòa Phú" in html and "Xã Tân Lập" not in html
    assert c.get("/bang-dieu-khien/don-vi/C2/").status_code == 404
    assert c.get("/bang-dieu-khien/can-bo/ERIN/").status_code == 404


def test_an_unreadable_period_says_what_is_expected(client, week, at_now):
    response = login(client, week.cast.users.dave).get("/bang-dieu-khien/xep-hang/?ky=2026-13")
    assert response.status_code == 400
    assert "ghi năm (2026), quý (2026-Q3) hoặc tháng (2026-10)" in response.content.decode()


def test_unit_page_drills_down_to_findings_and_officials(client, week, at_now):
    html = login(client, week.cast.users.dave).get("/bang-dieu-khien/don-vi/C1/").content.decode()
    assert "/giam-sat/phat-hien/?ky=2026&amp;don-vi=C1&amp;quy-tac=OVERDUE" in html
    assert 'href="/bang-dieu-khien/can-bo/GINA/?ky=2026"' in html
    assert 'data-chart data-table="tbl-rules"' in html and "echarts.min.js" in html


def xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def test_league_export_has_vietnamese_headers_and_percent_numbers(client, week, at_now):
    c = login(client, week.cast.users.dave)
    wb = xlsx(c.get("/bang-dieu-khien/xep-hang/?ky=2026-10&xuat=xep-hang"))
    ws = wb.worksheets[0]
    headers = [cell.value for cell in ws[1]]
    assert headers[:4] == ["Hạng", "Mã đơn vị", "Đơn vị", "Tỷ lệ đúng hạn"]
    assert "Vi phạm / 1.000 hồ sơ" in headers and "Điểm hài lòng bình quân" in headers
    c1 = next(row for row in ws.iter_rows(min_row=2) if row[1].value == "C1")
    assert c1[3].value == pytest.approx(4 / 6) and c1[3].number_format == "0.0%"
    assert c1[headers.index("Vi phạm / 1.000 hồ sơ")].value == pytest.approx(7000 / 6)
    definitions = wb.worksheets[1]
    assert definitions["A2"].value == "Chỉ số" and definitions["B3"].value


def test_overview_unit_and_official_exports(client, week, at_now):
    c = login(client, week.cast.users.dave)
    ws = xlsx(c.get("/bang-dieu-khien/?xuat=xu-huong")).worksheets[0]
    assert [cell.value for cell in ws[1]][:3] == ["Tháng", "Hồ sơ được đánh giá", "Tỷ lệ đúng hạn"]
    assert ws["A11"].number_format == "dd/mm/yyyy" and ws["A11"].value.month == 10
    ws = xlsx(c.get("/bang-dieu-khien/?xuat=quy-tac")).worksheets[0]
    assert [cell.value for cell in ws[1]] == [
        "Mã quy tắc", "Quy tắc", "Số phát hiện", "Được chấp nhận giải trình"
    ]  # fmt: skip
    for name, header in [
        ("trang-thai", "Trạng thái"),
        ("phat-hien", "Mã quy tắc"),
        ("can-bo", "Mã cán bộ"),
        ("xu-huong", "Tháng"),
    ]:
        ws = xlsx(c.get(f"/bang-dieu-khien/don-vi/C1/?xuat={name}")).worksheets[0]
        assert ws["A1"].value == header
    ws = xlsx(c.get("/bang-dieu-khien/can-bo/GINA/?xuat=ho-so")).worksheets[0]
    assert [cell.value for cell in ws[1]][:2] == ["Mã hồ sơ", "Thủ tục"]
    assert ws["A2"].value == "C1-06" and ws["F2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["F2"].value.hour == 8  # the due moment in Vietnam time, 08:00
