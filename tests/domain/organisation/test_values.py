import datetime as dt

import pytest

from congvu.domain.organisation import CellError, parse_bool, parse_choice, parse_date
from congvu.domain.organisation.values import cell_text, format_date

from .conftest import LEVELS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2025", dt.date(2025, 12, 31)),
        ("1/7/2025", dt.date(2025, 7, 1)),
        ("2025-07-01", dt.date(2025, 7, 1)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("", None),
    ],
)
def test_dates_are_read_in_vietnamese_or_iso_order(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["31/02/2025", "29/02/2025", "2025/07/01", "07-01-2025", "01/13/2025", "mai", "2025-7-1"],
)
def test_impossible_or_ambiguous_dates_are_refused(text):
    with pytest.raises(CellError) as error:
        parse_date(text)
    assert (error.value.code, error.value.params) == ("bad_date", {"value": text})


def test_dates_are_written_day_first():
    assert format_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("có", True),
        ("Có", True),
        ("true", True),
        ("1", True),
        ("không", False),
        ("KHÔNG", False),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_yes_no_cells(text, expected):
    assert parse_bool(text) is expected


def test_a_yes_no_cell_with_anything_else_is_refused():
    with pytest.raises(CellError, match="bad_bool"):
        parse_bool("có lẽ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("commune", "commune"),
        ("Xã", "commune"),
        ("xã", "commune"),
        (" Thôn,  ấp, bản ", "hamlet"),
        ("Xa\u0303", "commune"),
    ],
)
def test_levels_are_given_by_code_or_vietnamese_name(text, expected):
    assert parse_choice(text, LEVELS) == expected


def test_an_unknown_level_lists_the_codes():
    with pytest.raises(CellError) as error:
        parse_choice("Huyện", LEVELS)
    assert error.value.params["choices"] == "province, department, commune, ward, hamlet"


def test_cells_are_nfc_normalised_and_trimmed():
    decomposed = " Xa\u0303 Ho\u0300a Phu\u0301 "
    assert cell_text(decomposed) == "Xã Hòa Phú"
    assert (cell_text(None), cell_text(True), cell_text(12)) == ("", "true", "12")
    with pytest.raises(CellError, match="bad_type"):
        cell_text(["a"])
