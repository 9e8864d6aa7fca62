"""The official forms as PDF: dossiers built through the real ledger, text read back with
pdftotext, so a lost diacritic or a wrong form for the rule set fails here."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import time
import unicodedata
from typing import Any

import pytest

from congvu.apps.dossiers.models import Applicant
from congvu.apps.dossiers.pdf import (
    FORMS,
    FormNotApplicableError,
    UnknownFormError,
    applicable_forms,
    control_rows,
    dateline,
    place_name,
    render_dossier_form,
    render_tracking_book,
    tracking_book_items,
)
from congvu.apps.dossiers.selectors import dossier_view
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.services import events_ingest
from congvu.apps.organisations.models import Official, Unit
from congvu.apps.organisations.services import unit_save
from congvu.apps.procedures.services import procedures_import
from congvu.domain.calendar import VN_TZ

PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"
PDFFONTS = shutil.which("pdffonts") or "pdffonts"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]

APPLICANT = "Nguyễn Thị Hằng"
BIRTH = {
    "code": "1.004227",
    "name": "Đăng ký khai sinh",
    "field": "Hộ tịch",
    "time_limit": {"working_days": 3},
    "steps": [
        {
            "code": "receive",
            "name": "Tiếp nhận",
            "role": "one_stop",
            "budget": {"working_hours": 4},
        },
        {
            "code": "review",
            "name": "Thẩm định",
            "role": "specialist",
            "budget": {"working_days": 2},
        },
        {
            "code": "approve",
            "name": "Phê duyệt",
            "role": "unit_head",
            "budget": {"working_hours": 4},
        },
    ],
}


def line(item: str, seq: int, at: str, type_: str, unit: str = "MC", **extra: Any) -> str:
    obj: dict[str, Any] = {"item": item, "kind": "dossier", "seq": seq, "at": at, "type": type_}
    obj["unit"] = unit
    if "actor" in extra:
        obj["actor"] = extra.pop("actor")
    if extra:
        obj["data"] = extra
    return json.dumps(obj, ensure_ascii=False)


def ingest(lines: list[str]) -> Item:
    report = events_ingest(lines)
    assert report.rejected_count == 0, report.as_dict("en")["rejections"]
    code = json.loads(lines[0])["item"]
    item = Item.objects.get(code=code)
    Applicant.objects.create(
        item=item,
        name=APPLICANT,
        id_number="001190012345",
        phone="0912 345 678",
        address="Thôn Đông, xã Hòa Phú, tỉnh Thử Nghiệm",
        documents=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh (bản chính)"],
    )
    return item


def received(item: str, at: str, **extra: Any) -> str:
    return line(
        item, 1, at, "received", actor="MC1", procedure="1.004227", channel="direct", **extra
    )


def text_of(pdf: bytes) -> str:
    """The PDF's text in drawing order (``-raw``: a table cell's wrapped lines stay together),
    whitespace collapsed."""
    assert pdf.startswith(b"%PDF")
    # a fixed argument list and no shell: the PDF goes in on stdin
    out = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-raw", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    # One spelling of each letter: a PDF may store "ệ" as one code point or as e + marks.
    return " ".join(unicodedata.normalize("NFC", out).split())


def fonts_of(pdf: bytes) -> str:
    return subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [PDFFONTS, "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def hoa_phu(calendar_vn):
    """Province → commune → its one-stop centre and a specialist division, three officials,
    and the birth-registration procedure (3 working days)."""

    def unit(code, name, level, parent=None, **extra):
        return unit_save(unit=Unit(code=code, name=name, level=level, parent=parent, **extra))

    p = unit("P", "Ủy ban nhân dân tỉnh Thử Nghiệm", "province", calendar=calendar_vn)
    c1 = unit("C1", "Ủy ban nhân dân xã Hòa Phú", "commune", p)
    mc = unit(
        "MC",
        "Trung tâm Phục vụ hành chính công xã Hòa Phú",
        "one_stop_centre",
        c1,
        phone="0203 3888 999",
    )
    tp = unit("TP", "Phòng Văn hóa - Xã hội", "division", c1)
    for code, name in (("MC1", "Lê Thị Cúc"), ("CV1", "Trần Văn Bình"), ("LD1", "Phạm Văn Dũng")):
        Official.objects.create(code=code, full_name=name)
    report = procedures_import(data=json.dumps([BIRTH], ensure_ascii=False), fmt="json")
    assert not report.errors, report.errors
    return {"mc": mc, "tp": tp}


@pytest.fixture
def late_nd61(hoa_phu) -> Item:
    """ND61: received Mon 03/03/2025 08:00 (due Thu 06/03 08:00), passed to the division,
    apology on Tue 04/03 with a new date Mon 10/03 17:00, review over its 2-day budget."""
    d = "H-MC-250303-0001"
    return ingest(
        [
            received(d, "2025-03-03T08:00:00+07:00", copies=1),
            line(d, 2, "2025-03-03T09:00:00+07:00", "step_completed", actor="MC1", step="receive"),
            line(d, 3, "2025-03-03T09:05:00+07:00", "transferred", to_unit="TP",
                 reason="Chuyển phòng chuyên môn thẩm định"),
            line(d, 4, "2025-03-03T09:30:00+07:00", "assigned", "TP", official="CV1",
                 step="review"),
            line(d, 5, "2025-03-04T10:00:00+07:00", "apology_issued", "TP", actor="LD1",
                 new_due="2025-03-10T17:00:00+07:00",
                 reason="Cần xác minh thông tin với cơ quan đăng ký cư trú"),
            line(d, 6, "2025-03-07T10:00:00+07:00", "step_completed", "TP", actor="CV1",
                 step="review"),
            line(d, 7, "2025-03-07T10:30:00+07:00", "assigned", "TP", official="LD1",
                 step="approve"),
            line(d, 8, "2025-03-10T09:00:00+07:00", "step_completed", "TP", actor="LD1",
                 step="approve"),
            line(d, 9, "2025-03-10T15:00:00+07:00", "resolved", "TP", actor="LD1",
                 result="approved"),
            line(d, 10, "2025-03-10T16:00:00+07:00", "returned", actor="MC1"),
        ]
    )  # fmt: skip


@pytest.fixture
def supplemented_nd118(hoa_phu) -> Item:
    """ND118: received Mon 07/07/2025 08:00, supplement requested Tue 08/07 08:00, complete
    Mon 14/07 08:00 → the 3 days start again: due Thu 17/07 08:00."""
    d = "H-MC-250707-0001"
    return ingest(
        [
            received(d, "2025-07-07T08:00:00+07:00"),
            line(d, 2, "2025-07-08T08:00:00+07:00", "supplement_requested", actor="MC1",
                 documents=["Bản sao Giấy chứng nhận kết hôn của cha, mẹ",
                            "Văn bản ủy quyền có chứng thực"],
                 reason="Thiếu giấy tờ chứng minh quan hệ cha, mẹ, con"),
            line(d, 3, "2025-07-14T08:00:00+07:00", "supplement_received", actor="MC1"),
        ]
    )  # fmt: skip


@pytest.fixture
def extended_nd118(hoa_phu) -> Item:
    d = "H-MC-251006-0001"
    return ingest(
        [
            received(d, "2025-10-06T08:00:00+07:00"),
            line(d, 2, "2025-10-07T08:00:00+07:00", "apology_issued", "TP", actor="LD1",
                 new_due="2025-10-14T17:00:00+07:00", reason="Chờ kết quả xác minh"),
        ]
    )  # fmt: skip


@pytest.fixture
def refused_nd118(hoa_phu) -> Item:
    d = "H-MC-251006-0002"
    return ingest(
        [
            received(d, "2025-10-06T09:00:00+07:00"),
            line(d, 2, "2025-10-06T09:10:00+07:00", "refused", actor="MC1",
                 reason="Yêu cầu không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã"),
        ]
    )  # fmt: skip


@pytest.fixture
def early_nd118(hoa_phu) -> Item:
    """ND118: received Mon 06/10/2025 08:00 (due Thu 09/10 08:00), reviewed by Tue 09:00
    (budget 2 days: until Wed), result Tue 10:00 — two days early."""
    d = "H-MC-251006-0003"
    return ingest(
        [
            received(d, "2025-10-06T08:00:00+07:00"),
            line(d, 2, "2025-10-06T08:30:00+07:00", "step_completed", actor="MC1", step="receive"),
            line(d, 3, "2025-10-06T08:45:00+07:00", "assigned", official="CV1", step="review"),
            line(d, 4, "2025-10-07T09:00:00+07:00", "step_completed", actor="CV1", step="review"),
            line(d, 5, "2025-10-07T10:00:00+07:00", "resolved", actor="LD1", result="approved"),
            line(d, 6, "2025-10-07T14:00:00+07:00", "returned", actor="MC1"),
        ]
    )  # fmt: skip


def view_of(item: Item):
    return dossier_view(item, now=dt.datetime(2025, 11, 3, 9, 0, tzinfo=VN_TZ))


# --- slip ---------------------------------------------------------------------------------


def test_slip_prints_vietnamese_with_diacritics_and_the_appointment(late_nd61):
    text = text_of(render_dossier_form("slip", view_of(late_nd61)))
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả".upper() in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN XÃ HÒA PHÚ" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ HÒA PHÚ" in text
    assert "Hòa Phú, ngày 03 tháng 3 năm 2025" in text
    assert "Mẫu số 01 — Thông tư số 01/2018/TT-VPCP" in text
    assert APPLICANT in text
    assert "Đăng ký khai sinh (mã thủ tục 1.004227)" in text
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh (bản chính)" in text
    assert "2. Số lượng hồ sơ: 1 (bộ)" in text
    assert "3 ngày làm việc" in text
    assert "Thời gian nhận hồ sơ: Thứ Hai, 03/03/2025 08:00" in text
    # the slip keeps the appointment it gave; the apology's new date is on the apology form
    assert "Thời gian trả kết quả giải quyết hồ sơ: Thứ Năm, 06/03/2025 08:00" in text
    assert "10/03/2025" not in text
    assert f"Mã hồ sơ: {late_nd61.code}" in text
    assert f"Mã tra cứu: {late_nd61.secret}" in text and len(late_nd61.secret) == 6
    assert "/tra-cuu/" in text
    assert "Lê Thị Cúc" in text  # the receiving official
    assert "Bộ phận tiếp nhận và trả kết quả" in text  # Decree 61's name for the one-stop shop
    assert "Liên 1" in text and "Liên 2: giao người nộp hồ sơ" in text


def test_slip_embeds_a_vietnamese_serif_font(late_nd61):
    fonts = fonts_of(render_dossier_form("slip", view_of(late_nd61)))
    assert "Liberation-Serif" in fonts or "NotoSerif" in fonts, fonts
    assert "Type 3" not in fonts  # no bitmap fallback glyphs


def test_slip_after_a_supplement_gives_the_restarted_appointment_and_nd118_words(
    supplemented_nd118,
):
    text = text_of(
        render_dossier_form(
            "slip", view_of(supplemented_nd118), lookup_url="https://congvu.example.vn/tra-cuu/"
        )
    )
    assert "Thời gian trả kết quả giải quyết hồ sơ: Thứ Năm, 17/07/2025 08:00" in text
    assert "Hồ sơ được bổ sung đầy đủ lúc Thứ Hai, 14/07/2025 08:00" in text
    assert "Bộ phận Một cửa" in text and "Thông tư số 03/2025/TT-VPCP" in text
    assert "https://congvu.example.vn/tra-cuu/" in text


def test_slip_is_refused_for_a_dossier_refused_at_the_counter(refused_nd118):
    view = view_of(refused_nd118)
    with pytest.raises(FormNotApplicableError) as exc:
        render_dossier_form("slip", view)
    assert exc.value.code == "form_not_applicable"
    assert "từ chối ngay khi tiếp nhận" in exc.value.message("vi")
    assert "refused at the counter" in exc.value.message("en")


# --- supplement ---------------------------------------------------------------------------


def test_supplement_lists_the_documents_and_the_reason(supplemented_nd118):
    text = text_of(render_dossier_form("supplement", view_of(supplemented_nd118)))
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ".upper() in text
    assert "Mẫu số 02" in text
    assert "Bản sao Giấy chứng nhận kết hôn của cha, mẹ" in text
    assert "Văn bản ủy quyền có chứng thực" in text
    assert "Lý do: Thiếu giấy tờ chứng minh quan hệ cha, mẹ, con" in text
    assert "Hòa Phú, ngày 08 tháng 7 năm 2025" in text
    # Decree 118 art. 19(5): closed 15 days after the request
    assert "23/07/2025 08:00" in text and "khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP" in text
    assert "NGƯỜI HƯỚNG DẪN" in text and "Lê Thị Cúc" in text


def test_supplement_is_refused_without_a_supplement_request(late_nd61):
    with pytest.raises(FormNotApplicableError) as exc:
        render_dossier_form("supplement", view_of(late_nd61))
    message = exc.value.message("vi")
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in message
    assert "chưa có yêu cầu bổ sung" in message
    assert "no supplement was requested" in exc.value.message("en")


# --- refusal ------------------------------------------------------------------------------


def test_refusal_states_the_reason_with_the_nd118_title(refused_nd118):
    text = text_of(render_dossier_form("refusal", view_of(refused_nd118)))
    assert "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in text
    assert "TIẾP NHẬN GIẢI QUYẾT" not in text  # the Decree 61 title
    assert "Yêu cầu không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã" in text
    assert "không tiếp nhận, giải quyết hồ sơ này" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_refusal_is_refused_for_a_dossier_that_was_not_refused(late_nd61):
    with pytest.raises(FormNotApplicableError, match="không bị từ chối"):
        render_dossier_form("refusal", view_of(late_nd61))


# --- apology / extension ------------------------------------------------------------------


def test_apology_under_nd61_apologises_and_gives_the_new_date(late_nd61):
    text = text_of(render_dossier_form("apology", view_of(late_nd61)))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "GIA HẠN" not in text
    assert "Kính gửi: Nguyễn Thị Hằng" in text
    assert "Thứ Năm, 06/03/2025 08:00" in text  # the previous appointment
    assert "hẹn lại thời gian trả kết quả vào: Thứ Hai, 10/03/2025 17:00" in text
    assert "Cần xác minh thông tin với cơ quan đăng ký cư trú" in text
    assert "xin lỗi Ông/Bà/Tổ chức" in text
    assert "PHÒNG VĂN HÓA - XÃ HỘI" in text  # issued by the late unit
    assert "Phạm Văn Dũng" in text


def test_extension_under_nd118_uses_the_decree_118_form(extended_nd118):
    text = text_of(render_dossier_form("apology", view_of(extended_nd118)))
    assert "PHIẾU ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "XIN LỖI VÀ HẸN LẠI" not in text
    assert "Thứ Năm, 09/10/2025 08:00" in text  # previous due: 3 working days after receipt
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ đến: Thứ Ba, 14/10/2025 17:00" in text
    assert "thành thật xin lỗi" in text
    assert "không quá một lần" in text


def test_apology_is_refused_without_an_apology(supplemented_nd118):
    with pytest.raises(FormNotApplicableError) as exc:
        render_dossier_form("apology", view_of(supplemented_nd118))
    assert "Phiếu đề nghị gia hạn thời gian giải quyết" in exc.value.message("vi")


# --- process control ----------------------------------------------------------------------


def test_control_rows_attribute_each_hand_over_and_judge_its_step(late_nd61):
    rows = control_rows(view_of(late_nd61))
    assert [r.step for r in rows] == [
        "Tiếp nhận",
        "Thẩm định",
        "Thẩm định",
        "Phê duyệt",
        "Kết quả giải quyết",
        "Trả kết quả cho người nộp",
    ]
    receipt, transfer, review, approve, result, returned = rows
    assert receipt.giver == f"Người nộp hồ sơ: {APPLICANT}"
    assert receipt.receiver == "Trung tâm Phục vụ hành chính công xã Hòa Phú — Lê Thị Cúc"
    assert receipt.result == "Đúng hạn" and receipt.allowed == "4 giờ làm việc"
    # handed to the division in the middle of the review: judged with the step, not here
    assert transfer.receiver == "Phòng Văn hóa - Xã hội"
    assert transfer.result == "" and "Chuyển tiếp trong bước" in transfer.note
    assert "Lý do chuyển: Chuyển phòng chuyên môn thẩm định" in transfer.note
    # review: Mon 09:00 → Fri 10:00 = 4 working days 1 h against 2 days
    assert review.giver == "Phòng Văn hóa - Xã hội"
    assert review.receiver == "Phòng Văn hóa - Xã hội — Trần Văn Bình"
    assert (review.allowed, review.held, review.result) == (
        "2 ngày làm việc",
        "4 ngày 1 giờ",
        "Quá hạn",
    )
    # approve: Fri 10:00 → Mon 09:00 = 7 working hours against 4
    assert approve.receiver == "Phòng Văn hóa - Xã hội — Phạm Văn Dũng"
    assert (approve.allowed, approve.result) == ("4 giờ làm việc", "Quá hạn")
    # the result on Mon 10/03 15:00 is within the apology's new date, 17:00 that day
    assert (result.receiver, result.result) == (
        "Trung tâm Phục vụ hành chính công xã Hòa Phú",
        "Đúng hạn",
    )
    assert returned.receiver == APPLICANT


def test_control_rows_mark_steps_and_results_finished_before_their_day(early_nd118):
    receipt, review, result, returned = control_rows(view_of(early_nd118))
    assert (receipt.step, receipt.held, receipt.result) == ("Tiếp nhận", "45 phút", "Đúng hạn")
    assert (review.step, review.result) == ("Thẩm định", "Trước hạn")
    assert (result.step, result.result) == ("Kết quả giải quyết", "Trước hạn")
    assert returned.result == ""


def test_control_sheet_prints_with_the_number_of_its_rule_set(late_nd61, supplemented_nd118):
    text61 = text_of(render_dossier_form("control", view_of(late_nd61)))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text61
    assert "Mẫu số 05" in text61
    assert "Quá hạn" in text61 and "Trần Văn Bình" in text61
    text118 = text_of(render_dossier_form("control", view_of(supplemented_nd118)))
    assert "Mẫu số 06" in text118
    assert "Chờ bổ sung từ 08:00 08/07/2025 đến 08:00 14/07/2025" in text118


# --- registry -----------------------------------------------------------------------------


def test_registry_titles_follow_the_rule_set():
    assert FORMS["apology"].title("ND61") == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert FORMS["apology"].title("ND118") == "Phiếu đề nghị gia hạn thời gian giải quyết"
    assert FORMS["refusal"].title("ND61") == "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    assert (FORMS["control"].number("ND61"), FORMS["control"].number("ND118")) == ("05", "06")
    assert (FORMS["book"].number("ND61"), FORMS["book"].number("ND118")) == ("06", "07")


def test_applicable_forms_of_each_dossier(late_nd61, supplemented_nd118, refused_nd118):
    codes = [s.code for s in applicable_forms(view_of(late_nd61))]
    assert codes == ["slip", "apology", "control"]
    assert [s.code for s in applicable_forms(view_of(supplemented_nd118))] == [
        "slip",
        "supplement",
        "control",
    ]
    assert [s.code for s in applicable_forms(view_of(refused_nd118))] == ["refusal", "control"]


def test_unknown_form_and_the_book_are_refused(late_nd61):
    view = view_of(late_nd61)
    with pytest.raises(UnknownFormError, match="slip, supplement"):
        render_dossier_form("receipt", view)
    with pytest.raises(FormNotApplicableError, match="một đơn vị và một kỳ"):
        render_dossier_form("book", view)


def test_forms_are_refused_for_an_item_that_is_not_a_dossier(hoa_phu):
    feedback = json.dumps(
        {"item": "PA-1", "kind": "feedback", "seq": 1, "at": "2025-10-06T08:00:00+07:00",
         "type": "received", "unit": "MC",
         "data": {"channel": "hotline", "category": "Môi trường",
                  "due": "2025-10-27T08:00:00+07:00"}},
        ensure_ascii=False,
    )  # fmt: skip
    assert events_ingest([feedback]).rejected_count == 0
    view = view_of(Item.objects.get(code="PA-1"))
    assert applicable_forms(view) == []
    with pytest.raises(FormNotApplicableError, match="không phải hồ sơ thủ tục hành chính"):
        render_dossier_form("control", view)


def test_place_and_date_line_follow_decree_30():
    assert place_name("Ủy ban nhân dân xã Hòa Phú") == "Hòa Phú"
    assert place_name("Ủy ban nhân dân tỉnh Minh Sơn (dữ liệu mẫu)") == "Minh Sơn"
    assert place_name("UBND thành phố Đà Nẵng") == "Đà Nẵng"
    assert dateline("Hòa Phú", dt.date(2025, 2, 5)) == "Hòa Phú, ngày 05 tháng 02 năm 2025"
    assert dateline("Hòa Phú", dt.date(2025, 11, 24)) == "Hòa Phú, ngày 24 tháng 11 năm 2025"


# --- tracking book ------------------------------------------------------------------------


def test_tracking_book_has_one_row_per_dossier_of_the_period(
    hoa_phu, late_nd61, supplemented_nd118, extended_nd118, refused_nd118
):
    mc = hoa_phu["mc"]
    items = tracking_book_items(unit=mc, start=dt.date(2025, 7, 1), end=dt.date(2025, 10, 31))
    assert [i.code for i in items] == [
        supplemented_nd118.code,
        extended_nd118.code,
        refused_nd118.code,
    ]
    now = dt.datetime(2025, 11, 3, 9, 0, tzinfo=VN_TZ)
    pdf = render_tracking_book(
        unit=mc, items=items, start=dt.date(2025, 7, 1), end=dt.date(2025, 10, 31), now=now
    )
    text = text_of(pdf)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Mẫu số 07" in text
    assert "Từ ngày 01/07/2025 đến ngày 31/10/2025" in text
    assert text.count(APPLICANT) == 3
    assert late_nd61.code not in text  # received in March
    assert "Đăng ký khai sinh" in text
    assert "Từ chối" in text and "quá hạn" in text  # the extended one is open past its date
    assert "Tổng số: 3 hồ sơ" in text


# --- speed --------------------------------------------------------------------------------


def test_one_slip_renders_well_under_a_second(late_nd61):
    view = view_of(late_nd61)
    render_dossier_form("slip", view)  # the first render loads the fonts
    started = time.perf_counter()
    for _ in range(3):
        render_dossier_form("slip", view)
    per_slip = (time.perf_counter() - started) / 3
    assert per_slip < 1.0, f"{per_slip:.3f} s per slip"
