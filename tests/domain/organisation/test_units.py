import datetime as dt

import pytest

from congvu.domain.organisation import SourceRow, UnitRecord, UnitRules, validate_units

from .conftest import KINDS, LEVELS, unit_row

STORED = {"P": None, "D1": "P", "D1A": "D1", "C1": "P"}
RULES = UnitRules(
    levels=LEVELS,
    existing=STORED,
    calendars={"VN"},
    lineage_kinds=KINDS,
    max_lengths={"code": 40, "name": 255, "phone": 40},
)


def errors_of(*rows, rules=RULES, lineage=()):
    batch = validate_units(list(rows), rules, list(lineage))
    return [(e.line, e.item, e.field, e.code) for e in batch.errors]


def test_a_good_row_becomes_a_record():
    row = unit_row(
        2,
        code="H99.05",
        name="Xã Hòa Phú",
        level="Xã",
        parent="P",
        valid_from="01/07/2025",
        calendar="VN",
        oversees_province="không",
        address="Thôn Đông",
        phone="0236 3822 111",
    )
    batch = validate_units([row], RULES)
    assert batch.errors == []
    assert batch.units == [
        UnitRecord(
            "H99.05",
            "Xã Hòa Phú",
            "commune",
            "P",
            dt.date(2025, 7, 1),
            None,
            "VN",
            False,
            "Thôn Đông",
            "0236 3822 111",
        )
    ]
    assert batch.units[0].line == 2


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"name": ""}, [("name", "required")]),
        ({"code": "", "name": "X"}, [("code", "required")]),
        ({"level": "thành phố"}, [("level", "bad_choice")]),
        ({"valid_from": "2025-02-30"}, [("valid_from", "bad_date")]),
        ({"valid_from": "01/07/2025", "valid_to": "30/06/2025"}, [("valid_to", "bad_interval")]),
        ({"oversees_province": "chắc"}, [("oversees_province", "bad_bool")]),
        ({"calendar": "XA-KHAC"}, [("calendar", "unknown_calendar")]),
        ({"parent": "ZZ"}, [("parent", "unknown_parent")]),
        ({"parent": "N"}, [("parent", "cycle")]),
        ({"phone": "0" * 41}, [("phone", "too_long")]),
        ({"name": "", "valid_to": "31/02/2025"}, [("name", "required"), ("valid_to", "bad_date")]),
    ],
)
def test_row_errors_name_the_column(cells, expected):
    row = unit_row(7, **{"code": "N", "name": "Xã Mới", "level": "commune", "parent": "P", **cells})
    assert [(field, code) for _line, _item, field, code in errors_of(row)] == expected


def test_the_message_says_where_and_why_in_both_languages():
    row = unit_row(7, code="H99.05", name="Xã", level="commune", valid_to="31/02/2025")
    error = validate_units([row], RULES).errors[0]
    assert error.message() == (
        "Dòng 7 (đơn vị H99.05), cột valid_to: ngày 31/02/2025 không hợp lệ"
        " (cần dd/mm/yyyy hoặc yyyy-mm-dd)."
    )
    assert error.message("en") == (
        "Line 7 (unit H99.05), column valid_to: date 31/02/2025 is not valid"
        " (expected dd/mm/yyyy or yyyy-mm-dd)."
    )


def test_every_occurrence_of_a_duplicate_code_is_rejected():
    rows = [unit_row(n, code="N", name=f"Xã {n}", level="commune") for n in (2, 5)]
    batch = validate_units(rows, RULES)
    assert batch.units == [] and batch.rejected_units == 2
    assert [(e.line, e.params["lines"]) for e in batch.errors] == [(2, "2, 5"), (5, "2, 5")]


def test_records_come_parents_first_whatever_the_file_order():
    rows = [
        unit_row(2, code="T", name="Thôn", level="hamlet", parent="X"),
        unit_row(3, code="X", name="Xã", level="commune", parent="P"),
        unit_row(4, code="D2", name="Sở", level="department", parent="P"),
    ]
    assert [record.code for record in validate_units(rows, RULES).units] == ["X", "D2", "T"]


def test_a_cycle_inside_the_file_rejects_its_members_and_their_children():
    rows = [
        unit_row(2, code="A", name="A", level="commune", parent="B"),
        unit_row(3, code="B", name="B", level="commune", parent="A"),
        unit_row(4, code="C", name="C", level="hamlet", parent="A"),
        unit_row(5, code="D", name="D", level="hamlet", parent="C"),
        unit_row(6, code="E", name="E", level="hamlet", parent="P"),
    ]
    batch = validate_units(rows, RULES)
    assert [r.code for r in batch.units] == ["E"]
    assert [(e.item, e.code) for e in batch.errors] == [
        ("A", "cycle"),
        ("B", "cycle"),
        ("C", "parent_rejected"),
        ("D", "parent_rejected"),
    ]
    assert batch.errors[0].params["chain"] == "A → B → A"


def test_a_cycle_through_stored_units_is_found():
    row = unit_row(2, code="P", name="Tỉnh", level="province", parent="D1A")
    batch = validate_units([row], RULES)
    assert [e.code for e in batch.errors] == ["cycle"]
    assert batch.errors[0].params["chain"] == "P → D1A → D1 → P"


def test_moving_a_stored_unit_under_a_new_one_is_fine():
    rows = [
        unit_row(2, code="D1", name="Sở", level="department", parent="N"),
        unit_row(3, code="N", name="Khối", level="department", parent="P"),
    ]
    assert [r.code for r in validate_units(rows, RULES).units] == ["N", "D1"]


def test_a_child_of_a_bad_row_is_rejected_even_when_its_parent_is_stored():
    rows = [
        unit_row(2, code="C1", name="", level="commune", parent="P"),
        unit_row(3, code="C1X", name="Thôn", level="hamlet", parent="C1"),
    ]
    assert errors_of(*rows) == [
        (2, "C1", "name", "required"),
        (3, "C1X", "parent", "parent_rejected"),
    ]


LINEAGE_OK = {
    "predecessor": "D1A",
    "successor": "C1",
    "kind": "Hợp nhất, sáp nhập",
    "effective_on": "2025-07-01",
    "legal_basis": "NQ 1699",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"predecessor": "ZZ"}, [("predecessor", "unknown_unit")]),
        ({"successor": "D1A"}, [("successor", "self_lineage")]),
        ({"kind": "split"}, [("kind", "bad_choice")]),
        ({"effective_on": ""}, [("effective_on", "required")]),
        ({"legal_basis": None}, [("legal_basis", "required")]),
        ({"predecessor": "BAD"}, [("predecessor", "unit_rejected")]),
    ],
)
def test_lineage_rows(changes, expected):
    bad = unit_row(2, code="BAD", name="", level="commune")
    edge = SourceRow(10, {**LINEAGE_OK, **changes})
    batch = validate_units([bad], RULES, [edge])
    found = [(e.field, e.code) for e in batch.errors if e.kind == "lineage"]
    assert found == expected
    assert len(batch.lineage) == (0 if expected else 1)


def test_a_repeated_lineage_edge_is_rejected():
    edges = [SourceRow(n, dict(LINEAGE_OK)) for n in (10, 11)]
    batch = validate_units([], RULES, edges)
    assert batch.lineage == [] and [e.code for e in batch.errors] == ["duplicate_lineage"] * 2
    assert batch.errors[0].message("en") == (
        "Line 10 (lineage D1A → C1): lineage D1A → C1 (merger) appears more than once in the file"
        " (lines 10, 11)."
    )


def test_json_objects_must_have_every_key_and_no_other():
    row = SourceRow(3, {"code": "N", "name": "Xã", "level": "commune", "colour": "đỏ"})
    messages = [e.message() for e in validate_units([row], RULES).errors]
    assert messages[0].startswith("Dòng 3 (đơn vị N): khóa “colour” không được hỗ trợ")
    assert messages[1].startswith("Dòng 3 (đơn vị N): thiếu khóa “parent”, “valid_from”")
    assert len(messages) == 2


def test_json_values_may_be_null_or_boolean():
    row = SourceRow(
        3,
        {
            "code": "N",
            "name": "Xã",
            "level": "commune",
            "parent": None,
            "valid_from": "2025-07-01",
            "valid_to": None,
            "calendar": None,
            "oversees_province": True,
            "address": "",
            "phone": "",
        },
    )
    batch = validate_units([row], RULES)
    assert batch.errors == [] and batch.units[0].oversees_province is True
