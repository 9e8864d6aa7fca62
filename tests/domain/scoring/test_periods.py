"""Reporting periods: codes, bounds, labels."""

from __future__ import annotations

from datetime import date

import pytest

from congvu.domain.scoring import InvalidPeriodError, Period, PeriodKind, parse_period, period_of

CASES = [
    # code, start, end (exclusive), label vi, label en
    ("2026", date(2026, 1, 1), date(2027, 1, 1), "Năm 2026", "Year 2026"),
    ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1), "Quý I/2026", "Q1 2026"),
    ("2026-Q3", date(2026, 7, 1), date(2026, 10, 1), "Quý III/2026", "Q3 2026"),
    ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "Quý IV/2026", "Q4 2026"),
    ("2026-10", date(2026, 10, 1), date(2026, 11, 1), "Tháng 10/2026", "10/2026"),
    ("2026-12", date(2026, 12, 1), date(2027, 1, 1), "Tháng 12/2026", "12/2026"),
    ("2024-02", date(2024, 2, 1), date(2024, 3, 1), "Tháng 2/2024", "02/2024"),
]


@pytest.mark.parametrize(("code", "start", "end", "vi", "en"), CASES)
def test_period_codes_read_back_with_their_bounds_and_labels(code, start, end, vi, en):
    p = parse_period(code)
    assert (p.start, p.end, p.code) == (start, end, code)
    assert (p.label("vi"), p.label("en")) == (vi, en)
    assert p.contains(start) and not p.contains(end)


@pytest.mark.parametrize(
    "text", ["", "26", "2026-13", "2026-00", "2026-Q5", "1999", "2026/10", "x"]
)
def test_unreadable_periods_say_what_is_expected(text):
    with pytest.raises(InvalidPeriodError) as e:
        parse_period(text)
    assert "2026-Q3" in e.value.message("vi") and "2026-Q3" in e.value.message("en")


def test_a_month_given_with_one_digit_is_read():
    assert parse_period("2026-3") == Period(2026, PeriodKind.MONTH, 3)


def test_months_of_a_quarter_and_of_a_year():
    assert [m.code for m in parse_period("2026-Q2").months()] == ["2026-04", "2026-05", "2026-06"]
    assert len(parse_period("2026").months()) == 12
    assert parse_period("2026-05").months() == (parse_period("2026-05"),)


@pytest.mark.parametrize(
    ("kind", "code"),
    [(PeriodKind.YEAR, "2026"), (PeriodKind.QUARTER, "2026-Q4"), (PeriodKind.MONTH, "2026-11")],
)
def test_period_of_a_day(kind, code):
    assert period_of(date(2026, 11, 24), kind).code == code
