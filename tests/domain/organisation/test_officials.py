import datetime as dt

import pytest

from congvu.domain.organisation import (
    OFFICIAL_COLUMNS,
    OfficialRules,
    PositionRecord,
    SourceRow,
    validate_officials_csv,
    validate_officials_json,
)

from .conftest import ROLES

RULES = OfficialRules(roles=ROLES, units={"P", "C1", "C2"}, max_lengths={"code": 40})


def line(n, **cells):
    return SourceRow(n, {name: cells.get(name, "") for name in OFFICIAL_COLUMNS})


POST = {"unit": "C1", "title": "Chuyên viên", "role": "specialist", "start_on": "01/01/2020"}


def test_csv_lines_of_one_official_become_one_record_with_every_position():
    rows = [
        line(
            2,
            code="A1",
            full_name="Nguyễn Thị An",
            email="an@example.vn",
            **POST,
            end_on="31/12/2024",
        ),
        line(3, code="B1", full_name="Trần Văn Bình"),
        line(
            4,
            code="A1",
            unit="C2",
            title="Chủ tịch",
            role="Thủ trưởng đơn vị",
            start_on="2025-01-01",
            decision="QĐ 5",
        ),
    ]
    batch = validate_officials_csv(rows, RULES)
    assert batch.errors == [] and (batch.total, batch.rejected) == (2, 0)
    an, binh = batch.officials
    assert (an.code, an.email, binh.positions) == ("A1", "an@example.vn", ())
    assert an.positions == (
        PositionRecord(
            "C1", "Chuyên viên", "specialist", dt.date(2020, 1, 1), dt.date(2024, 12, 31), ""
        ),
        PositionRecord("C2", "Chủ tịch", "unit_head", dt.date(2025, 1, 1), None, "QĐ 5"),
    )


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ({"full_name": "Nguyễn Thị Ân"}, [(3, "full_name", "conflicting_value")]),
        ({"unit": "C9"}, [(3, "unit", "unknown_stored_unit")]),
        ({"role": "boss"}, [(3, "role", "bad_choice")]),
        ({"start_on": ""}, [(3, "start_on", "required")]),
        ({"end_on": "31/12/2019"}, [(3, "end_on", "bad_interval")]),
        ({"title": ""}, [(3, "title", "required")]),
        ({"start_on": "01/01/2020"}, [(3, "", "duplicate_position")]),
        ({"email": "an at example"}, [(3, "email", "bad_email")]),
    ],
)
def test_a_problem_on_any_line_rejects_the_whole_official(second, expected):
    rows = [
        line(2, code="A1", full_name="Nguyễn Thị An", **POST),
        line(3, **{"code": "A1", **POST, "start_on": "01/01/2021", **second}),
        line(4, code="B1", full_name="Trần Văn Bình"),
    ]
    batch = validate_officials_csv(rows, RULES)
    assert [(e.line, e.field, e.code) for e in batch.errors] == expected
    assert [o.code for o in batch.officials] == ["B1"] and batch.rejected == 1


def test_a_name_given_on_a_later_line_is_enough():
    rows = [line(2, code="A1", **POST), line(3, code="A1", full_name="Nguyễn Thị An")]
    assert validate_officials_csv(rows, RULES).officials[0].full_name == "Nguyễn Thị An"


def test_an_official_without_a_name_anywhere_is_rejected():
    batch = validate_officials_csv([line(2, code="A1", **POST)], RULES)
    assert [e.message("en") for e in batch.errors] == [
        "Line 2 (official A1), column full_name: a value is required."
    ]


def test_json_officials_and_nested_position_errors():
    rows = [
        SourceRow(
            2,
            {
                "code": "A1",
                "full_name": "An",
                "email": "",
                "phone": "",
                "positions": [
                    {**POST, "end_on": None, "decision": ""},
                    {**POST, "start_on": "2020-13-01", "end_on": None, "decision": ""},
                ],
            },
        ),
        SourceRow(
            9, {"code": "B1", "full_name": "Bình", "email": None, "phone": None, "positions": None}
        ),
        SourceRow(
            12, {"code": "B1", "full_name": "Bình", "email": "", "phone": "", "positions": []}
        ),
    ]
    batch = validate_officials_json(rows, RULES)
    assert batch.officials == []
    assert [e.message() for e in batch.errors] == [
        "Dòng 2 (cán bộ A1), cột positions[2].start_on: ngày 2020-13-01 không hợp lệ"
        " (cần dd/mm/yyyy hoặc yyyy-mm-dd).",
        "Dòng 9 (cán bộ B1), cột code: mã B1 xuất hiện nhiều lần trong tệp (dòng 9, 12);"
        " mỗi mã chỉ được một dòng.",
        "Dòng 12 (cán bộ B1), cột code: mã B1 xuất hiện nhiều lần trong tệp (dòng 9, 12);"
        " mỗi mã chỉ được một dòng.",
    ]


def test_positions_must_be_a_list_of_objects():
    rows = [
        SourceRow(
            2, {"code": "A1", "full_name": "An", "email": "", "phone": "", "positions": ["C1"]}
        )
    ]
    assert [e.code for e in validate_officials_json(rows, RULES).errors] == ["bad_type"]
