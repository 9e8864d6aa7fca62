import pytest

from congvu.domain.organisation import UNIT_COLUMNS, decode_bytes, read_csv, read_json

HEADER = ",".join(UNIT_COLUMNS)


def test_csv_rows_know_their_first_line_across_blank_and_multiline_cells():
    text = (
        f"{HEADER}\r\nA,Một,commune,,,,,,,\r\n\r\n"
        'B,"Hai\ndòng",commune,,,,,,,\r\nC,Ba,commune,,,,,,,\r\n'
    )
    rows, errors = read_csv(text, columns=UNIT_COLUMNS, kind="unit")
    assert errors == []
    assert [(row.line, row.data["code"]) for row in rows] == [(2, "A"), (4, "B"), (6, "C")]


def test_csv_header_is_matched_ignoring_case_and_a_bom():
    rows, errors = read_csv(
        "\ufeff" + HEADER.upper() + "\nA,Một,commune,,,,,,,\n", columns=UNIT_COLUMNS, kind="unit"
    )
    assert errors == [] and rows[0].data["name"] == "Một"


def test_semicolon_separated_csv_is_read():
    rows, errors = read_csv(
        HEADER.replace(",", ";") + "\nA;Một, hai;commune;;;;;;;\n",
        columns=UNIT_COLUMNS,
        kind="unit",
    )
    assert errors == [] and rows[0].data["name"] == "Một, hai"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            HEADER.replace("valid_to", "vaild_to"),
            [("unknown_column", "vaild_to"), ("missing_column", "valid_to")],
        ),
        (HEADER + ",code", [("duplicate_column", "code")]),
    ],
)
def test_a_wrong_header_stops_the_file(header, expected):
    rows, errors = read_csv(header + "\nA,Một,commune,,,,,,,\n", columns=UNIT_COLUMNS, kind="unit")
    assert rows == []
    assert [(e.code, e.params["value"]) for e in errors] == expected


def test_an_empty_file_lacks_every_column():
    rows, errors = read_csv("\ufeff\r\n", columns=UNIT_COLUMNS, kind="unit")
    assert rows == [] and [e.params["value"] for e in errors] == list(UNIT_COLUMNS)


def test_a_row_with_more_cells_than_the_header_is_an_error():
    rows, errors = read_csv(
        HEADER + "\nA,Một,commune,,,,,,,,lạc\n", columns=UNIT_COLUMNS, kind="unit"
    )
    assert rows == [] and [(e.line, e.code) for e in errors] == [(2, "extra_cells")]


def test_trailing_empty_columns_from_excel_are_ignored():
    rows, errors = read_csv(
        HEADER + ",,\nA,Một,commune,,,,,,,,,\n", columns=UNIT_COLUMNS, kind="unit"
    )
    assert errors == [] and len(rows) == 1


def test_bytes_must_be_utf8_and_the_bad_line_is_reported():
    text, errors = decode_bytes("\ufeffa\nb\nXã".encode("utf-8"), kind="unit")
    assert text == "a\nb\nXã" and errors == []
    _, errors = decode_bytes("a\nb\nXã".encode("latin-1"), kind="unit")
    assert [(e.line, e.code) for e in errors] == [(3, "bad_encoding")]


def test_json_objects_know_their_line():
    text = '{\n  "units": [\n    {"code": "A"},\n\n    {"code": "B"}\n  ],\n  "lineage": []\n}'
    sections, errors = read_json(text, sections=("units", "lineage"), kind="unit")
    assert errors == []
    assert [row.line for row in sections["units"]] == [3, 5] and sections["lineage"] == []


def test_a_bare_json_array_is_the_first_section():
    sections, errors = read_json('[{"code": "A"}]', sections=("officials",), kind="official")
    assert errors == [] and sections["officials"][0].data == {"code": "A"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"units": [\n{"code": "A"},,\n]}', [(2, "bad_json")]),
        ('{"units": [], \n"unit": []}', [(2, "unknown_key")]),
        ('{"units": {"code": "A"}}', [(1, "bad_type")]),
        ('"units"', [(1, "bad_type")]),
    ],
)
def test_json_shape_errors(text, expected):
    _, errors = read_json(text, sections=("units", "lineage"), kind="unit")
    assert [(e.line, e.code) for e in errors] == expected
