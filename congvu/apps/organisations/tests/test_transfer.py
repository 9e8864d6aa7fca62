import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.apps.organisations.models import Official, Position, Unit, UnitLineage
from congvu.apps.organisations.services import unit_save
from congvu.apps.organisations.transfer import (
    officials_export,
    officials_import,
    units_export,
    units_import,
)

HEADER = "code,name,level,parent,valid_from,valid_to,calendar,oversees_province,address,phone\n"
OFFICIAL_HEADER = "code,full_name,email,phone,unit,title,role,start_on,end_on,decision\n"


def snapshot():
    """Everything an import could touch, by code (pks and paths aside)."""
    return (
        sorted(
            Unit.objects.values_list(
                "code",
                "name",
                "level",
                "parent__code",
                "valid_from",
                "valid_to",
                "calendar__code",
                "oversees_province",
                "address",
                "phone",
                "depth",
            )
        ),
        sorted(UnitLineage.objects.values_list("predecessor__code", "successor__code", "kind")),
        sorted(Official.objects.values_list("code", "full_name", "email", "phone")),
        sorted(
            Position.objects.values_list(
                "official__code", "unit__code", "title", "role", "start_on", "end_on", "decision"
            )
        ),
    )


def wipe():
    """Delete the organisation, children before parents (parent is PROTECT)."""
    Position.objects.all().delete()
    Official.objects.all().delete()
    UnitLineage.objects.all().delete()
    for depth in sorted(set(Unit.objects.values_list("depth", flat=True)), reverse=True):
        Unit.objects.filter(depth=depth).delete()


def add_lineage(cast):
    old = unit_save(unit=Unit(code="OLD", name="Xã Cũ", level="commune"))
    UnitLineage.objects.create(
        predecessor=old,
        successor=cast.units.c1,
        kind="merger",
        effective_on=dt.date(2025, 7, 1),
        legal_basis="Nghị quyết 1699/NQ-UBTVQH15",
    )


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_units_round_trip_exactly_through_an_empty_database(cast, fmt):
    add_lineage(cast)
    Unit.objects.filter(code="C1").update(address="Thôn Đông, xã Hòa Phú", phone="0236 3822 111")
    exported = units_export(fmt)
    before = snapshot()
    wipe()

    report = units_import(data=exported.encode(), fmt=fmt)

    assert report.ok and report.written
    assert report.items.created == 8
    assert units_export(fmt) == exported
    assert snapshot()[0] == before[0]
    assert Unit.objects.get(code="D1A").path.startswith(Unit.objects.get(code="D1").path)
    if fmt == "json":  # the CSV format carries no lineage
        assert report.lineage.created == 1
        assert snapshot()[1] == before[1]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_officials_round_trip_exactly_through_an_empty_table(cast, fmt):
    Official.objects.create(code="NOPOST", full_name="Võ Thị Không Chức", email="vo@example.vn")
    exported = officials_export(fmt)
    before = snapshot()
    Official.objects.all().delete()

    report = officials_import(data=exported, fmt=fmt)

    assert report.ok and report.items.created == 6
    assert officials_export(fmt) == exported
    assert snapshot()[2:] == before[2:]


def test_csv_export_is_utf8_with_bom_and_one_line_per_position(cast):
    text = officials_export("csv")
    assert text.startswith("\ufeffcode,full_name,")
    erin_lines = [line for line in text.splitlines() if line.startswith("ERIN,")]
    assert len(erin_lines) == 2
    assert "31/12/2024" in erin_lines[0]


def test_reimport_is_a_no_op(cast):
    add_lineage(cast)
    units_json, officials_csv = units_export("json"), officials_export("csv")
    before = snapshot()

    units_report = units_import(data=units_json, fmt="json")
    officials_report = officials_import(data=officials_csv, fmt="csv")

    assert (units_report.items.unchanged, units_report.items.created) == (8, 0)
    assert units_report.lineage.unchanged == 1
    assert officials_report.items.unchanged == 5
    assert officials_report.items.updated == officials_report.items.created == 0
    assert snapshot() == before


def test_demo_province_round_trips(db):
    call_command("demo", stdout=io.StringIO())
    units_json, officials_csv = units_export("json"), officials_export("csv")
    before = snapshot()
    assert len(before[0]) > 200 and len(before[2]) > 300

    assert units_import(data=units_json, fmt="json").items.unchanged == len(before[0])
    assert officials_import(data=officials_csv, fmt="csv").items.unchanged == len(before[2])
    wipe()
    units_report = units_import(data=units_json, fmt="json")
    officials_report = officials_import(data=officials_csv, fmt="csv")

    assert units_report.ok and officials_report.ok
    assert snapshot() == before
    assert units_export("json") == units_json
    assert officials_export("csv") == officials_csv


def test_a_file_with_two_bad_rows_imports_nothing_and_reports_both(cast):
    before = snapshot()
    data = (
        HEADER
        + "N1,Xã Mới Một,Xã,P,01/07/2025,,,không,,\n"
        + "H99.05,Xã Sai Ngày,commune,P,01/01/2025,31/02/2025,,,,\n"
        + "N2,Xã Mới Hai,commune,P,,,,,,\n"
        + "N3,Xã Sai Cấp,village,P,,,,,,\n"
    )

    report = units_import(data=data, fmt="csv")

    assert not report.written
    assert [(e.line, e.field, e.code) for e in report.errors] == [
        (3, "valid_to", "bad_date"),
        (5, "level", "bad_choice"),
    ]
    assert report.messages()[0] == (
        "Dòng 3 (đơn vị H99.05), cột valid_to: ngày 31/02/2025 không hợp lệ"
        " (cần dd/mm/yyyy hoặc yyyy-mm-dd)."
    )
    assert report.items.rejected == 2 and report.items.created == 0
    assert snapshot() == before


def test_partial_imports_only_good_rows_and_skips_the_child_of_a_bad_parent(cast):
    data = (
        HEADER
        + "N1,Xã Mới Một,commune,P,,,,,,\n"
        + "BAD,Xã Lỗi,commune,P,32/01/2025,,,,,\n"
        + "BADH,Thôn Của Xã Lỗi,hamlet,BAD,,,,,,\n"
        + "N1H,Thôn Của Xã Mới,hamlet,N1,,,,,,\n"
    )

    report = units_import(data=data, fmt="csv", partial=True)

    assert report.written
    assert (report.items.created, report.items.rejected) == (2, 2)
    assert [(e.line, e.code) for e in report.errors] == [(3, "bad_date"), (4, "parent_rejected")]
    assert set(Unit.objects.filter(code__startswith="N").values_list("code", flat=True)) == {
        "N1",
        "N1H",
    }
    assert not Unit.objects.filter(code__startswith="BAD").exists()
    assert Unit.objects.get(code="N1H").depth == 2


def test_a_cycle_through_stored_units_is_rejected(cast):
    data = HEADER + "P,Ủy ban nhân dân tỉnh Thử Nghiệm,province,D1A,,,VN,,,\n"

    report = units_import(data=data, fmt="csv")

    assert [e.code for e in report.errors] == ["cycle"]
    assert "P → D1A → D1 → P" in report.messages()[0]
    assert Unit.objects.get(code="P").parent is None


def test_an_import_can_move_a_subtree(cast):
    report = units_import(data=HEADER + "D1,Sở Tư pháp,department,C1,,,,,,\n", fmt="csv")
    assert report.items.updated == 1
    d1a = Unit.objects.get(code="D1A")
    assert d1a.path.startswith(Unit.objects.get(code="C1").path) and d1a.depth == 3


def test_unknown_calendar_codes_are_errors(cast):
    report = units_import(data=HEADER + "N1,Xã Mới,commune,P,,,XA-KHONG-CO,,,\n", fmt="csv")
    assert [(e.field, e.code) for e in report.errors] == [("calendar", "unknown_calendar")]


def test_bom_and_excel_semicolons_are_accepted(cast):
    data = ("\ufeff" + HEADER.replace(",", ";") + "N1;Xã Mới;Xã;P;01/07/2025;;VN;có;;\n").encode()
    report = units_import(data=data, fmt="csv")
    assert report.ok, report.messages()
    unit = Unit.objects.get(code="N1")
    assert (unit.level, unit.calendar.code, unit.oversees_province) == ("commune", "VN", True)


def test_a_file_that_is_not_utf8_is_refused(cast):
    data = (HEADER + "N1,Xã Hòa,commune,P,,,,,,\n").encode("latin-1")  # a legacy encoding
    report = units_import(data=data, fmt="csv")
    assert [(e.line, e.code) for e in report.errors] == [(2, "bad_encoding")]
    assert not Unit.objects.filter(code="N1").exists()


def test_messages_in_english(cast):
    report = units_import(data=HEADER + "N1,Xã Mới,commune,ZZ,,,,,,\n", fmt="csv")
    assert report.messages("en") == [
        "Line 2 (unit N1), column parent: parent unit ZZ is neither in the file nor in the system."
    ]
    assert report.summary("en")[-1].startswith("Nothing was imported: 1 problem(s) found.")


def test_json_errors_point_at_the_line_of_the_object(cast):
    data = json.dumps(
        {"units": [{"code": "N1"}], "lineage": []}, ensure_ascii=False, indent=2
    )  # the object starts on line 3
    report = units_import(data=data, fmt="json")
    assert report.errors[0].line == 3 and report.errors[0].code == "missing_key"


def test_an_official_and_their_positions_are_one_row_group(cast):
    data = (
        OFFICIAL_HEADER
        + "NEW1,Đặng Văn Một,,,C1,Chuyên viên,specialist,01/01/2025,,\n"
        + "NEW2,Đặng Văn Hai,,,C1,Chuyên viên,Chuyên viên,01/01/2025,,\n"
        + "NEW2,,,,C9,Phó Chủ tịch,unit_head,01/07/2025,,\n"
    )

    report = officials_import(data=data, fmt="csv", partial=True)

    assert (report.items.created, report.items.rejected) == (1, 1)
    assert [(e.line, e.item, e.field) for e in report.errors] == [(4, "NEW2", "unit")]
    assert not Official.objects.filter(code="NEW2").exists()
    assert Official.objects.get(code="NEW1").positions.get().role == "specialist"


def test_positions_missing_from_the_file_are_kept_unless_replacement_is_asked(cast):
    data = (
        OFFICIAL_HEADER
        + "ERIN,Hoàng Thị Én,,,C2,Chuyên viên,specialist,01/01/2025,,QĐ 12/QĐ-UBND\n"
    )

    merged = officials_import(data=data, fmt="csv")
    assert merged.items.updated == 1 and merged.positions_removed == 0
    assert Position.objects.filter(official__code="ERIN").count() == 2
    assert Position.objects.get(official__code="ERIN", unit__code="C2").decision == "QĐ 12/QĐ-UBND"

    replaced = officials_import(data=data, fmt="csv", replace_positions=True)
    assert replaced.positions_removed == 1
    assert list(Position.objects.filter(official__code="ERIN").values_list("unit__code", flat=True))
    assert set(
        Position.objects.filter(official__code="ERIN").values_list("unit__code", flat=True)
    ) == {"C2"}


def test_units_command_exit_status_and_messages(cast, tmp_path, capsys):
    bad = tmp_path / "units.csv"
    bad.write_text(HEADER + "N1,Xã Mới,commune,ZZ,,,,,,\n", encoding="utf-8")

    # call_command rather than the command line: run_from_argv closes the database
    # connections when it ends, which would break the test's transaction on PostgreSQL.
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exit_info:
        call_command("units", "import", str(bad), "--lang", "en", stdout=stdout, stderr=stderr)

    assert exit_info.value.returncode == 1
    out, err = stdout.getvalue(), stderr.getvalue()
    assert "Line 2 (unit N1), column parent: parent unit ZZ" in err
    assert "Units: 0 created, 0 updated, 0 unchanged, 1 rejected." in out

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "N1,Xã Mới,commune,P,,,,,,\n", encoding="utf-8")
    stdout = io.StringIO()
    call_command("units", "import", str(good), stdout=stdout)
    assert stdout.getvalue().startswith("Đơn vị: 1 thêm mới, 0 cập nhật, 0 không đổi")


def test_export_commands_write_files_and_infer_the_format(cast, tmp_path):
    units_file, officials_file = tmp_path / "don-vi.json", tmp_path / "can-bo.csv"
    call_command("units", "export", "--output", str(units_file), stdout=io.StringIO())
    call_command("officials", "export", "-o", str(officials_file), stdout=io.StringIO())

    assert json.loads(units_file.read_text(encoding="utf-8"))["units"][0]["code"] == "P"
    assert officials_file.read_bytes().startswith(b"\xef\xbb\xbfcode,full_name")
    stdout = io.StringIO()
    call_command("officials", "import", str(officials_file), stdout=stdout)
    assert "5 không đổi" in stdout.getvalue()


def test_command_refuses_an_unknown_format(cast, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="Không nhận ra định dạng “xlsx”"):
        call_command("units", "import", str(path))


def test_partial_command_imports_the_good_rows_and_still_exits_with_1(cast, tmp_path):
    path = tmp_path / "don-vi.csv"
    path.write_text(
        HEADER + "N1,Xã Mới,commune,P,,,,,,\nN2,Xã Lỗi,commune,P,,,,chắc chắn,,\n",
        encoding="utf-8-sig",
    )
    stdout, stderr = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError):
        call_command("units", "import", str(path), "--partial", stdout=stdout, stderr=stderr)

    assert Unit.objects.filter(code="N1").exists() and not Unit.objects.filter(code="N2").exists()
    assert stderr.getvalue().startswith("Dòng 3 (đơn vị N2), cột oversees_province:")
    assert "Chỉ nhập các dòng đúng; 1 lỗi" in stdout.getvalue()


def test_officials_json_may_be_wrapped_in_an_object(cast):
    data = {
        "officials": [
            {"code": "NEW", "full_name": "Lý Thị Mới", "email": "", "phone": "", "positions": []}
        ]
    }
    report = officials_import(data=json.dumps(data, ensure_ascii=False), fmt="json")
    assert report.ok and Official.objects.filter(code="NEW").exists()
