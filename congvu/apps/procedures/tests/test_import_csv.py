from decimal import Decimal

from congvu.apps.organisations.models import Official
from congvu.apps.procedures.models import Procedure
from congvu.apps.procedures.selectors import procedures_export
from congvu.apps.procedures.services import procedures_import

HEADER = "record,procedure,name,level,field,amount,unit,fee,fee_note,legal_basis,related_units,officials,active,step,role,originals,copies,note\n"  # noqa: E501

GOOD = (
    HEADER
    + "procedure,1.001193,Đăng ký khai sinh,commune,Hộ tịch,3,working_days,0,Miễn lệ phí,Luật Hộ tịch 2014 | Nghị định 123/2015/NĐ-CP,D1,ALICE,có,,,,,\n"  # noqa: E501
    + "step,1.001193,Tiếp nhận,,,4,working_hours,,,,,,,receive,one_stop,,,\n"
    + "step,1.001193,Thẩm định,,,2,working_days,,,,,,,review,specialist,,,\n"
    + "step,1.001193,Phê duyệt,,,0.5,working_days,,,,,,,approve,unit_head,,,\n"
    + "document,1.001193,Tờ khai đăng ký khai sinh,,,,,,,,,,,,,1,0,Theo mẫu\n"
    + "document,1.001193,Giấy chứng sinh,,,,,,,,,,,,,1,0,\n"
)


def test_csv_import_stores_procedure_steps_documents_and_officials(cast):
    report = procedures_import(data=GOOD, fmt="csv")
    assert report.ok and report.procedures.created == 1
    p = Procedure.objects.get(code="1.001193")
    assert (p.fee_note, p.legal_basis, p.related_units) == (
        "Miễn lệ phí",
        ["Luật Hộ tịch 2014", "Nghị định 123/2015/NĐ-CP"],
        ["D1"],
    )
    assert list(p.steps.values_list("code", "budget_amount", "budget_unit")) == [
        ("receive", 4, "working_hours"),
        ("review", 2, "working_days"),
        ("approve", Decimal("0.5"), "working_days"),
    ]
    assert list(p.documents.values_list("order", "name", "originals", "copies", "note")) == [
        (1, "Tờ khai đăng ký khai sinh", 1, 0, "Theo mẫu"),
        (2, "Giấy chứng sinh", 1, 0, ""),
    ]
    assert list(p.officials.values_list("code", flat=True)) == ["ALICE"]


def test_excel_csv_with_bom_semicolons_vietnamese_headers_and_words(cast):
    text = (
        "\ufeffLoại dòng;Mã thủ tục;Tên;Cấp;Lĩnh vực;Thời gian;Đơn vị thời gian;Lệ phí;Vai trò;Mã bước\r\n"  # noqa: E501
        "Thủ tục;2.000815;Chứng thực bản sao;Cấp xã;Chứng thực;1;ngày làm việc;2.000;;\r\n"
        "Bước;2.000815;Tiếp nhận;;;0,5;Giờ làm việc;;Cán bộ một cửa;receive\r\n"
        "bước;2.000815;Chứng thực;;;4;giờ làm việc;;Chuyên viên;sign\r\n"
    )
    report = procedures_import(data=text.encode("utf-8"), fmt="csv")
    assert report.ok, report.messages()
    p = Procedure.objects.get(code="2.000815")
    assert (p.level, p.fee, p.time_limit_unit) == ("commune", 2000, "working_days")
    assert list(p.steps.values_list("role", "budget_amount")) == [
        ("one_stop", Decimal("0.5")),
        ("specialist", 4),
    ]


def test_csv_errors_name_line_column_and_reason_and_store_nothing(cast):
    text = (
        HEADER
        + "procedure,1.001193,Đăng ký khai sinh,commune,Hộ tịch,ba,working_days,0,,,,,,,,,,\n"
        + "procedure,1.000894,Đăng ký kết hôn,làng,Hộ tịch,1,working_days,x,,,,BOB CAROL,,,,,,\n"
        + "step,1.000894,Phê duyệt,,,1,tuần,,,,,,,approve,lãnh đạo,,,\n"
        + "document,9.999999,Giấy tờ,,,,,,,,,,,,,1,0,\n"
        + "hồ sơ,1.000894,?,,,,,,,,,,,,,,,\n"
    )
    report = procedures_import(data=text, fmt="csv")
    assert not report.written and not Procedure.objects.exists()
    messages = report.messages()
    assert messages == [
        "Dòng 2 (thủ tục 1.001193), cột amount: “ba” không phải là số (ví dụ 3, 0,5 hoặc 1.5).",
        "Dòng 3 (thủ tục 1.000894), cột level: cấp “làng” không có trong danh mục (dùng: central"
        " (Cấp trung ương), province (Cấp tỉnh), commune (Cấp xã), district (Cấp huyện (trước"
        " 01/07/2025))).",
        "Dòng 3 (thủ tục 1.000894), cột fee: “x” không phải số tiền hợp lệ (ví dụ 50000 hoặc"
        " 50.000).",
        "Dòng 4 (thủ tục 1.000894), cột role: vai trò “lãnh đạo” không có trong danh mục (dùng:"
        " province_leader (Lãnh đạo UBND tỉnh), unit_head (Thủ trưởng đơn vị), one_stop (Cán bộ"
        " một cửa), specialist (Chuyên viên), supervisor (Cán bộ giám sát), inspector (Thanh tra"
        " viên), admin (Quản trị hệ thống)).",
        "Dòng 4 (thủ tục 1.000894), cột unit: đơn vị “tuần” không hợp lệ (dùng: working_days (ngày"
        " làm việc), working_hours (giờ làm việc), calendar_days (ngày)).",
        "Dòng 5 (thủ tục 9.999999), cột procedure: không có dòng thủ tục (record = procedure) nào"
        " cho mã 9.999999 trong tệp.",
        "Dòng 6 (thủ tục 1.000894), cột record: loại dòng “hồ sơ” không hợp lệ (dùng"
        " procedure/thủ tục, step/bước hoặc document/giấy tờ).",
    ]
    assert report.messages("en")[0] == (
        "Line 2 (procedure 1.001193), column amount: “ba” is not a number (for example 3, 0,5 or"
        " 1.5)."
    )


def test_domain_errors_in_csv_point_at_the_step_row_and_column(cast):
    text = (
        HEADER
        + "procedure,1.001193,Đăng ký khai sinh,commune,Hộ tịch,1,working_days,0,,,,,,,,,,\n"
        + "step,1.001193,Tiếp nhận,,,4,working_hours,,,,,,,receive,one_stop,,,\n"
        + "step,1.001193,Thẩm định,,,0,working_hours,,,,,,,review,specialist,,,\n"
        + "procedure,1.000894,Đăng ký kết hôn,commune,Hộ tịch,,,0,,,,,,,,,,\n"
    )
    report = procedures_import(data=text, fmt="csv")
    assert [(e.line, e.procedure, e.field) for e in report.errors] == [
        (4, "1.001193", "amount"),
        (5, "1.000894", "amount"),
    ]
    assert "phải lớn hơn 0" in report.errors[0].message()
    assert "thiếu thời hạn" in report.errors[1].message()


def test_unknown_officials_and_header_problems(cast):
    bad_official = GOOD.replace(",ALICE,", ",NOBODY,")
    [error] = procedures_import(data=bad_official, fmt="csv").errors
    assert (error.line, error.field) == (2, "officials")
    assert "cán bộ NOBODY chưa có trong hệ thống" in error.message()
    errors = procedures_import(data="record,procedure,colour\n", fmt="csv").errors
    assert [e.message() for e in errors] == [
        "Dòng 1, cột colour: cột “colour” không được hỗ trợ (các cột: record, procedure, name,"
        " level, field, amount, unit, fee, fee_note, legal_basis, related_units, officials, active,"
        " step, role, originals, copies, note).",
        "Dòng 1: thiếu cột bắt buộc “name” ở dòng tiêu đề.",
        "Dòng 1: thiếu cột bắt buộc “amount” ở dòng tiêu đề.",
        "Dòng 1: thiếu cột bắt buộc “unit” ở dòng tiêu đề.",
    ]


def test_absent_optional_columns_and_document_rows_keep_what_is_stored(cast):
    procedures_import(data=GOOD, fmt="csv")
    minimal = (
        "record,procedure,name,amount,unit,step,role\n"
        "procedure,1.001193,Đăng ký khai sinh (mới),3,working_days,,\n"
        "step,1.001193,Thẩm định,3,working_days,review,specialist\n"
    )
    report = procedures_import(data=minimal, fmt="csv")
    assert report.ok and report.procedures.updated == 1
    p = Procedure.objects.get(code="1.001193")
    assert (p.name, p.level, p.field, p.related_units) == (
        "Đăng ký khai sinh (mới)",
        "commune",
        "Hộ tịch",
        ["D1"],
    )
    assert len(p.legal_basis) == 2
    assert p.fee_note == "Miễn lệ phí" and p.documents.count() == 2
    assert p.officials.count() == 1 and list(p.steps.values_list("code", flat=True)) == ["review"]


def test_csv_export_reimports_unchanged(cast):
    procedures_import(data=GOOD, fmt="csv")
    Official.objects.filter(code="BOB").get().procedures.add(Procedure.objects.get())
    exported = procedures_export("csv")
    assert exported.startswith("\ufeffrecord,procedure,") and "\r\n" in exported
    report = procedures_import(data=exported.encode("utf-8"), fmt="csv")
    assert report.procedures.unchanged == 1 and report.ok
    assert procedures_export("csv") == exported


def test_partial_csv_import(cast):
    text = GOOD + "procedure,2.000815,Chứng thực,commune,Chứng thực,,,,,,,,,,,,,\n"
    report = procedures_import(data=text, fmt="csv", partial=True)
    assert report.written and report.procedures.created == 1 and len(report.errors) == 1


def test_the_example_of_the_documentation_imports(cast):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[4] / "docs" / "procedures.md").read_text("utf-8")
    example = doc.split("Example (semicolons, as Vietnamese Excel saves it):\n\n```\n")[1]
    report = procedures_import(data=example.split("```")[0], fmt="csv")
    assert report.ok, report.messages()
    p = Procedure.objects.get(code="2.000815")
    assert p.fee == 2000 and p.steps.count() == 2 and p.documents.get().originals == 1


def test_too_long_step_names_are_reported_on_their_row(cast):
    text = (
        HEADER
        + "procedure,1.001193,Đăng ký khai sinh,commune,Hộ tịch,1,working_days,0,,,,,,,,,,\n"
        + f"step,1.001193,{'x' * 301},,,4,working_hours,,,,,,,receive,one_stop,,,\n"
    )
    [error] = procedures_import(data=text, fmt="csv").errors
    assert (error.line, error.field) == (3, "name") and "tối đa 300 ký tự" in error.message()


def test_an_empty_cell_of_a_present_column_clears_the_value(cast):
    procedures_import(data=GOOD, fmt="csv")
    cleared = GOOD.replace(",commune,Hộ tịch,", ",,,").replace(",D1,ALICE,", ",,,")
    assert procedures_import(data=cleared, fmt="csv").ok
    p = Procedure.objects.get()
    assert (p.level, p.field, p.related_units, p.officials.count()) == ("", "", [], 0)
