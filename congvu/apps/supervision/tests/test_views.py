"""Supervision screens: findings list and export, a finding with its proving events, the
justification (heads only, document checked) and its review (supervisors only), documents
served only to those who see the finding."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from congvu.apps.dashboards.tests.scenario import load_week
from congvu.apps.supervision.models import Finding, Justification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def week(commune, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_week()
    return commune


@pytest.fixture
def overdue(week):
    return Finding.objects.get(item__code="C1-06", rule="OVERDUE")


def as_user(client, user):
    client.force_login(user)
    return client


def pdf(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_findings_list_filters_by_rule_and_unit(client, week):
    c = as_user(client, week.cast.users.dave)
    html = c.get("/giam-sat/phat-hien/?quy-tac=OVERDUE&don-vi=C1&ky=2026-10").content.decode()
    assert "1 phát hiện" in html and "C1-06" in html and "C2-05" not in html
    html = c.get("/giam-sat/phat-hien/?don-vi=C2").content.decode()
    assert "C2-05" in html and "C1-06" not in html


def test_findings_list_reports_a_bad_period_where_it_is(client, week):
    response = as_user(client, week.cast.users.dave).get("/giam-sat/phat-hien/?ky=quy-3")
    assert response.status_code == 400
    assert "Kỳ «quy-3» không hợp lệ" in response.content.decode()


def test_findings_list_is_scoped_and_closed_to_outsiders(client, week):
    html = as_user(client, week.cast.users.carol).get("/giam-sat/phat-hien/").content.decode()
    assert "C1-06" in html and "C2-05" not in html
    assert as_user(client, week.cast.users.citizen).get("/giam-sat/phat-hien/").status_code == 404


def test_findings_export_opens_with_vietnamese_headers(client, week):
    response = as_user(client, week.cast.users.dave).get("/giam-sat/phat-hien/?xuat=phat-hien")
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in ws[1]]
    assert headers[:4] == ["Số phát hiện", "Mã quy tắc", "Quy tắc", "Mã hồ sơ"]
    assert "Thời điểm vi phạm" in headers and ws.max_row == 1 + 8
    at = headers.index("Thời điểm vi phạm")
    assert ws.cell(2, at + 1).number_format == "dd/mm/yyyy hh:mm"


def test_finding_page_shows_the_rule_and_its_proving_events(client, overdue, week):
    html = as_user(client, week.cast.users.dave).get(f"/giam-sat/phat-hien/{overdue.pk}/")
    html = html.content.decode()
    assert "Nghị định 118/2025/NĐ-CP, Điều 19" in html  # legal basis of OVERDUE
    assert "Nghị định 118/2025/NĐ-CP (từ 01/07/2025)" in html  # the rule set applied
    assert "Xã Hòa Phú" in html and "Đặng Thu Giang" in html and "08:00 08/10/2026" in html
    # proving events 1 (receipt) and 2 (the slip that set the due), linked into the timeline
    assert "/ho-so/local/C1-06/#su-kien-1" in html and "/ho-so/local/C1-06/#su-kien-2" in html
    assert "Cấp giấy hẹn trả kết quả" in html and "hạn: 08:00 08/10/2026" in html
    assert "Chưa giải trình" in html


@pytest.mark.parametrize("who", ["citizen", "erin"])
def test_outsiders_get_404_on_a_finding(client, overdue, week, who):
    user = getattr(week.cast.users, who)
    assert as_user(client, user).get(f"/giam-sat/phat-hien/{overdue.pk}/").status_code == 404


def test_a_specialist_cannot_justify(client, overdue, week):
    c = as_user(client, week.gina)
    assert "Gửi giải trình" not in c.get(f"/giam-sat/phat-hien/{overdue.pk}/").content.decode()
    response = c.post(
        f"/giam-sat/phat-hien/{overdue.pk}/giai-trinh/",
        {"reason": "Mất điện toàn xã hai ngày.", "document": pdf()},
    )
    assert response.status_code == 404 and not Justification.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "chỉ nhận PDF, JPG, PNG, DOCX hoặc ODT"),
        (SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"), "nội dung không phải tệp PDF"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024)), "vượt giới hạn 10 MB"),
    ],
)
def test_documents_are_checked_for_type_and_size(client, overdue, week, upload, message):
    response = as_user(client, week.hung).post(
        f"/giam-sat/phat-hien/{overdue.pk}/giai-trinh/",
        {"reason": "Mất điện toàn xã hai ngày.", "document": upload},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Justification.objects.exists()


def test_head_justifies_a_head_cannot_review_and_home_affairs_accepts(client, overdue, week):
    hung, dave = week.hung, week.cast.users.dave
    c = as_user(client, hung)
    response = c.post(
        f"/giam-sat/phat-hien/{overdue.pk}/giai-trinh/",
        {"reason": "Mất điện toàn xã hai ngày (06–07/10).", "document": pdf()},
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.review == Finding.Review.PENDING
    j = overdue.justifications.get()
    assert j.document.name.startswith("justifications/")
    # the head who justified may not review
    response = c.post(f"/giam-sat/giai-trinh/{j.pk}/xem-xet/", {"decision": "accept"})
    assert response.status_code == 404
    # a rejection needs a reason
    c = as_user(client, dave)
    response = c.post(f"/giam-sat/giai-trinh/{j.pk}/xem-xet/", {"decision": "reject"})
    assert response.status_code == 400 and "cần nêu rõ lý do" in response.content.decode()
    response = c.post(
        f"/giam-sat/giai-trinh/{j.pk}/xem-xet/",
        {"decision": "accept", "note": "Có xác nhận của Điện lực."},
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.review == Finding.Review.ACCEPTED
    html = c.get(f"/giam-sat/phat-hien/{overdue.pk}/").content.decode()
    assert "Lý do chính đáng (đã chấp nhận)" in html and "Có xác nhận của Điện lực." in html


def test_documents_are_served_only_to_those_who_see_the_finding(client, overdue, week):
    as_user(client, week.hung).post(
        f"/giam-sat/phat-hien/{overdue.pk}/giai-trinh/",
        {"reason": "Mất điện toàn xã hai ngày.", "document": pdf()},
    )
    j = overdue.justifications.get()
    url = f"/giam-sat/giai-trinh/{j.pk}/tai-lieu/"
    response = as_user(client, week.cast.users.dave).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert as_user(client, week.cast.users.erin).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_dossier_page_lists_its_findings_including_lapsed_ones(client, week):
    f = Finding.objects.get(item__code="C1-06", rule="IDLE")
    Finding.objects.filter(pk=f.pk).update(lapsed_at=f.at)
    html = as_user(client, week.cast.users.dave).get("/ho-so/local/C1-06/").content.decode()
    assert "Phát hiện vi phạm" in html
    assert f'href="/giam-sat/phat-hien/{f.pk}/"' in html and "không còn hiệu lực từ" in html
    assert 'id="su-kien-2"' in html
