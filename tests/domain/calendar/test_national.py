"""The shipped national data: official 2024–2026, estimated other years, holidays agreement."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from congvu.domain.calendar import (
    DayKind,
    WorkCalendar,
    estimated_entries,
    national_calendar,
    official_entries,
    official_years,
    seed_entries,
)


def test_official_years_are_2024_to_2026() -> None:
    assert official_years() == (2024, 2025, 2026)


def test_every_official_entry_has_a_name_and_a_source() -> None:
    for entry in official_entries():
        assert entry.name and entry.source and not entry.estimated


def test_national_calendar_is_cached() -> None:
    assert national_calendar() is national_calendar()


@pytest.mark.parametrize(
    ("year", "days_off", "worked_weekend"),
    [
        (
            2024,
            ["01-01", "02-08", "02-09", "02-12", "02-13", "02-14", "04-18", "04-29", "04-30",
             "05-01", "09-02", "09-03"],
            ["05-04"],
        ),
        (
            2025,
            ["01-01", "01-27", "01-28", "01-29", "01-30", "01-31", "04-07", "04-30", "05-01",
             "05-02", "09-01", "09-02"],
            ["04-26"],
        ),
        (
            2026,
            ["01-01", "02-16", "02-17", "02-18", "02-19", "02-20", "04-27", "04-30", "05-01",
             "08-31", "09-01", "09-02", "11-24"],
            ["08-22"],
        ),
    ],
)  # fmt: skip
def test_official_year_matches_domain_vn_7_2(
    vn: WorkCalendar, year: int, days_off: list[str], worked_weekend: list[str]
) -> None:
    weekdays_off, weekends_worked = [], []
    d = date(year, 1, 1)
    while d.year == year:
        weekend = d.weekday() >= 5
        if weekend == vn.is_working_day(d):
            (weekends_worked if weekend else weekdays_off).append(d.strftime("%m-%d"))
        d += timedelta(days=1)
    assert weekdays_off == days_off
    assert weekends_worked == worked_weekend


def test_weekend_holidays_are_recorded_for_explanations() -> None:
    days = {e.day for e in official_entries()}
    assert {date(2024, 2, 10), date(2025, 2, 1), date(2026, 4, 26)} <= days


def test_holidays_package_agrees_with_official_weekday_days_off() -> None:
    # The package (its maintainers cite the same official dispatches) and the shipped data
    # agree on every weekday day off and every make-up Saturday of 2024–2026. If a future
    # package version diverges, this test shows which day to check against the notice.
    for year in official_years():
        pkg = holidays.country_holidays("VN", years=year)
        pkg_off = {d for d in pkg if d.year == year and d.weekday() < 5}
        pkg_worked = {d for d in getattr(pkg, "weekend_workdays", ()) if d.year == year}
        ours = [e for e in official_entries() if e.day.year == year]
        our_off = {e.day for e in ours if e.kind is DayKind.DAY_OFF and e.day.weekday() < 5}
        our_worked = {e.day for e in ours if e.kind is DayKind.WORKING_DAY}
        assert pkg_off == our_off, (year, sorted(pkg_off ^ our_off))
        assert pkg_worked == our_worked, (year, sorted(pkg_worked ^ our_worked))


def test_other_years_are_estimated_from_the_package(vn: WorkCalendar) -> None:
    entry = vn.entry(date(2027, 4, 16))
    assert entry is not None and entry.estimated
    assert entry.source.startswith("holidays ")
    assert all(e.estimated for e in estimated_entries(2027))
    assert not vn.is_working_day(date(2027, 5, 3))  # 01/05/2027 is a Saturday


def test_seed_entries_mix_official_and_estimated() -> None:
    entries = seed_entries([2026, 2027])
    assert {e.day.year for e in entries} == {2026, 2027}
    assert not any(e.estimated for e in entries if e.day.year == 2026)
    assert all(e.estimated for e in entries if e.day.year == 2027)
    assert list(entries) == sorted(entries, key=lambda e: e.day)
