import json

import pytest

from congvu.apps.procedures.models import Procedure, ProcedureStep
from congvu.apps.procedures.services import procedures_import

from .conftest import dumps, v1


def stored():
    return sorted(
        Procedure.objects.values_list("code", "name", "time_limit_unit", "time_limit_amount")
    ), sorted(ProcedureStep.objects.values_list("procedure__code", "code", "budget_amount"))


def test_json_import_creates_the_procedures_with_their_steps(cast):
    report = procedures_import(data=dumps(v1(), v1("1.000894", name="Đăng ký kết hôn")))
    assert report.ok and report.written
    assert (report.procedures.created, report.total) == (2, 2)
    p = Procedure.objects.get(code="1.001193")
    assert (p.level, p.field, p.time_limit_unit, p.time_limit_amount) == (
        "commune",
        "Hộ tịch",
        "working_days",
        3,
    )
    assert p.related_units == ["D1"] and p.legal_basis == ["Luật Hộ tịch 2014"] and p.is_active
    assert list(p.steps.values_list("code", "role")) == [
        ("receive", "one_stop"),
        ("review", "specialist"),
        ("approve", "unit_head"),
    ]
    assert p.search_text == "1.001193 dang ky khai sinh"


def test_importing_the_same_file_twice_changes_nothing(cast):
    text = dumps(v1())
    procedures_import(data=text)
    before = stored()
    report = procedures_import(data=text)
    assert (report.procedures.unchanged, report.procedures.updated) == (1, 0)
    assert stored() == before


def test_upsert_by_code_updates_fields_and_keeps_the_ids_of_matching_steps(cast):
    procedures_import(data=dumps(v1()))
    review_id = ProcedureStep.objects.get(code="review").pk
    changed = v1(
        name="Đăng ký khai sinh (sửa)",
        limit={"working_days": 5},
        steps=[
            {
                "code": "review",
                "name": "Thẩm định lại",
                "role": "specialist",
                "budget": {"working_days": 4},
            },
            {"code": "sign", "name": "Ký", "role": "unit_head", "budget": {"working_days": 0.5}},
        ],
    )
    report = procedures_import(data=dumps(changed))
    assert report.procedures.updated == 1
    p = Procedure.objects.get(code="1.001193")
    assert (p.name, p.time_limit_amount) == ("Đăng ký khai sinh (sửa)", 5)
    assert list(p.steps.order_by("order").values_list("code", "name", "budget_amount")) == [
        ("review", "Thẩm định lại", 4),
        ("sign", "Ký", 0.5),
    ]
    assert ProcedureStep.objects.get(code="review").pk == review_id


def test_json_import_keeps_what_v1_does_not_carry(cast):
    procedures_import(data=dumps(v1()))
    Procedure.objects.filter(code="1.001193").update(fee_note="Miễn lệ phí", is_active=False)
    procedures_import(data=dumps(v1(name="Tên mới")))
    p = Procedure.objects.get(code="1.001193")
    assert (p.name, p.fee_note, p.is_active) == ("Tên mới", "Miễn lệ phí", False)


def test_a_procedure_without_time_limit_is_rejected_naming_procedure_key_and_line(cast):
    text = dumps(v1(), v1("1.000894", limit=False))
    report = procedures_import(data=text)
    assert not report.written and Procedure.objects.count() == 0
    [error] = report.errors
    line = text.splitlines().index("  {", 2) + 1  # the second object starts here
    assert (error.line, error.procedure, error.field) == (line, "1.000894", "time_limit")
    assert error.message() == (
        f"Dòng {line} (thủ tục 1.000894), khóa «time_limit»: thiếu thời hạn (mỗi thủ tục phải có"
        " thời hạn giải quyết)."
    )
    assert "the time limit is missing" in error.message("en")
    assert report.summary()[-1].startswith("Chưa nhập gì: tệp có 1 lỗi.")


def test_steps_over_the_time_limit_are_rejected_with_the_domain_message(cast):
    steps = [
        {"code": "review", "name": "Thẩm định", "role": "specialist", "budget": {"working_days": 4}}
    ]
    report = procedures_import(data=dumps(v1(steps=steps)))
    assert not report.written and not Procedure.objects.exists()
    [error] = report.errors
    assert (error.procedure, error.field, error.line) == ("1.001193", "steps", 2)
    assert "vượt thời hạn giải quyết (24 giờ làm việc)" in error.message()
    assert "more than the time limit" in error.message("en")


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"level": "village"}, "level", "cấp “village” không có trong danh mục"),
        ({"related_units": ["CA-XA"]}, "related_units", "đơn vị CA-XA chưa có trong hệ thống"),
        ({"fee": -1}, "fee", "lệ phí phải là số không âm"),
        ({"colour": "red"}, "colour", "khóa không được hỗ trợ"),
        ({"time_limit": {"working_days": 0}}, "time_limit", "phải lớn hơn 0"),
        ({"time_limit": {"working_days": 1.3}}, "time_limit", "nửa đơn vị"),
    ],
)
def test_each_bad_value_is_reported_on_its_key(cast, change, key, words):
    report = procedures_import(data=dumps(v1(**change)))
    [error] = report.errors
    assert error.field == key and words in error.message()
    assert not Procedure.objects.exists()


def test_a_role_outside_the_position_roles_is_rejected(cast):
    steps = [
        {"code": "approve", "name": "Phê duyệt", "role": "leader", "budget": {"working_hours": 4}}
    ]
    [error] = procedures_import(data=dumps(v1(steps=steps))).errors
    assert error.field == "steps[1].role"
    assert "vai trò “leader” không có trong danh mục" in error.message()
    assert "unit_head (Thủ trưởng đơn vị)" in error.message()


def test_invalid_json_reports_line_and_column(cast):
    report = procedures_import(data='[\n  {"code": "1",\n  "name" "x"}\n]')
    [error] = report.errors
    assert error.line == 3 and "JSON không hợp lệ ở cột 10" in error.message()
    assert "invalid JSON at column 10" in error.message("en")


def test_v1_is_a_list(cast):
    [error] = procedures_import(data=json.dumps({"procedures": []})).errors
    assert "danh mục phải là một danh sách thủ tục" in error.message()
    assert error.message().startswith("Tệp")


def test_a_procedure_without_code_is_named_by_its_position(cast):
    obj = v1()
    del obj["code"]
    [error] = procedures_import(data=dumps(v1("2.000815"), obj)).errors
    assert error.procedure == "#2" and error.field == "code" and error.line > 2


def test_duplicate_codes_point_at_the_second_copy(cast):
    text = dumps(v1(), v1())
    [error] = procedures_import(data=text).errors
    assert error.field == "code" and error.line == text.splitlines().index("  {", 2) + 1
    assert "bị trùng" in error.message()


def test_partial_import_stores_the_good_procedures_only(cast):
    report = procedures_import(
        data=dumps(v1(), v1("1.000894", limit=False), v1("2.000815")), partial=True
    )
    assert report.written and len(report.errors) == 1
    assert (report.procedures.created, report.procedures.rejected) == (2, 1)
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.001193", "2.000815"}
    assert report.summary()[-1] == "Chỉ nhập các thủ tục đúng; 1 lỗi liệt kê ở trên."


def test_json_file_path_and_bytes_with_bom(cast, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps(v1()).encode())
    assert procedures_import(path=path).ok
    assert Procedure.objects.count() == 1


def test_bad_encoding_points_at_the_line(cast):
    [error] = procedures_import(data=b'[\n{"name": "\xff"}\n]', fmt="json").errors
    assert error.line == 2 and "UTF-8" in error.message()
