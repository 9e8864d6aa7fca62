"""The calendar value: validation, day kinds, names, derivation."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from congvu.domain.calendar import (
    DayEntry,
    DayKind,
    InvalidCalendarError,
    InvalidOfficeHoursError,
    WorkCalendar,
)


def make(**kwargs: object) -> WorkCalendar:
    base: dict[str, object] = {"code": "T", "name": "Thử", "first_year": 2025, "last_year": 2025}
    base.update(kwargs)
    return WorkCalendar(**base)  # type: ignore[arg-type]


def test_national_calendar_has_the_documented_identity(vn: WorkCalendar) -> None:
    assert vn.code == "VN"
    assert vn.name == "Lịch làm việc của cơ quan hành chính nhà nước"
    assert (vn.first_year, vn.last_year) == (2020, 2030)
    assert vn.day_seconds == 8 * 3600
    assert vn.weekend == frozenset({5, 6})


def test_calendar_is_hashable_and_compares_by_value() -> None:
    entries = (DayEntry(date(2025, 3, 10), DayKind.DAY_OFF, "Nghỉ"),)
    assert make(entries=entries) == make(entries=list(entries))
    assert hash(make(entries=entries)) == hash(make(entries={date(2025, 3, 10): entries[0]}))


def test_entry_kind_accepts_the_stored_string() -> None:
    entry = DayEntry(date(2025, 3, 8), "working_day", "Làm bù")  # type: ignore[arg-type]
    assert entry.kind is DayKind.WORKING_DAY


@pytest.mark.parametrize(
    "kwargs",
    [
        {"day": datetime(2025, 3, 8, 0, 0), "kind": DayKind.DAY_OFF, "name": "x"},  # noqa: DTZ001
        {"day": date(2025, 3, 8), "kind": "holiday", "name": "x"},
        {"day": date(2025, 3, 8), "kind": DayKind.DAY_OFF, "name": "  "},
    ],
    ids=["datetime_instead_of_date", "unknown_kind", "empty_name"],
)
def test_invalid_entries_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidCalendarError):
        DayEntry(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "hours",
    [
        (),
        ((time(13), time(17)), (time(7, 30), time(11, 30))),
        ((time(7, 30), time(12)), (time(11, 30), time(17))),
        ((time(17), time(7, 30)),),
        ((time(7, 30, 0, 5), time(11, 30)),),
    ],
    ids=["empty", "unsorted", "overlapping", "ends_before_start", "microseconds"],
)
def test_invalid_office_hours_are_refused(hours: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(InvalidOfficeHoursError) as info:
        make(office_hours=hours)
    assert info.value.code == "calendar_invalid_office_hours"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"first_year": 2026, "last_year": 2025},
        {"weekend": frozenset({7})},
        {"weekend": frozenset(range(7))},
        {
            "entries": (
                DayEntry(date(2025, 3, 10), DayKind.DAY_OFF, "a"),
                DayEntry(date(2025, 3, 10), DayKind.DAY_OFF, "b"),
            )
        },
    ],
    ids=["years_reversed", "weekday_out_of_range", "whole_week_off", "duplicate_day"],
)
def test_inconsistent_calendars_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidCalendarError):
        make(**kwargs)


def test_day_name_says_why_a_day_is_off_or_worked(vn: WorkCalendar) -> None:
    assert vn.day_name(date(2025, 3, 8)) == "Thứ Bảy"
    assert vn.day_name(date(2025, 3, 9)) == "Chủ nhật"
    assert vn.day_name(date(2025, 3, 9), "en") == "Sunday"
    assert vn.day_name(date(2025, 3, 10)) == "Ngày làm việc"
    assert vn.day_name(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam (24/11)"
    assert vn.day_name(date(2024, 5, 4)).startswith("Ngày làm bù")
    assert "04/05/2024" in vn.day_name(date(2024, 4, 29))


def test_weekend_holiday_entry_keeps_the_day_off(vn: WorkCalendar) -> None:
    # Giỗ Tổ 2026 falls on a Sunday: recorded (for explanations) and still a day off.
    assert vn.entry(date(2026, 4, 26)) is not None
    assert not vn.is_working_day(date(2026, 4, 26))


def test_custom_weekend() -> None:
    cal = make(weekend=frozenset({6}))
    assert cal.is_working_day(date(2025, 3, 8))
    assert not cal.is_working_day(date(2025, 3, 9))


def test_with_exceptions_keeps_coverage_and_hours(vn: WorkCalendar) -> None:
    unit = vn.with_exceptions([], code="U", name="Đơn vị")
    assert (unit.first_year, unit.last_year, unit.office_hours) == (
        vn.first_year,
        vn.last_year,
        vn.office_hours,
    )
    assert unit.entries == vn.entries
    with pytest.raises(InvalidCalendarError):
        vn.with_exceptions(
            [
                DayEntry(date(2025, 3, 10), DayKind.DAY_OFF, "a"),
                DayEntry(date(2025, 3, 10), DayKind.DAY_OFF, "b"),
            ],
            code="U",
            name="Đơn vị",
        )
