"""Worked examples for the scalar working-time arithmetic (docs/domain/calendar.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from congvu.domain.calendar import (
    CalendarRangeError,
    DayEntry,
    DayKind,
    InvalidAmountError,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    is_working_day,
    next_working_moment,
    working_time_between,
)
from congvu.domain.errors import NaiveMomentError

from .conftest import at

# (name, received, working days, due) — every due moment is worked out by hand in
# docs/domain/calendar.md, which lists the same cases.
DAY_CASES = [
    ("tet_2025_friday_afternoon_skips_the_whole_break", "2025-01-24T16:00", 3, "2025-02-05T16:00"),
    ("tet_2025_saturday_night_online_starts_after_tet", "2025-01-25T21:40", 3, "2025-02-05T17:00"),
    ("tet_2024_wednesday_before_break_resumes_on_15_02", "2024-02-07T09:00", 2, "2024-02-16T09:00"),
    ("tet_2026_friday_before_nine_day_break", "2026-02-13T10:00", 1, "2026-02-23T10:00"),
    ("swap_2024_counts_working_saturday_04_05", "2024-04-26T10:00", 5, "2024-05-07T10:00"),
    ("swap_2025_counts_working_saturday_26_04", "2025-04-25T08:30", 2, "2025-04-28T08:30"),
    ("swap_2025_skips_30_04_to_04_05", "2025-04-29T15:00", 1, "2025-05-05T15:00"),
    ("national_day_2024_skips_02_and_03_09", "2024-08-30T14:00", 1, "2024-09-04T14:00"),
    (
        "national_day_2025_friday_evening_skips_01_and_02_09",
        "2025-08-29T17:30",
        1,
        "2025-09-03T17:00",
    ),
    ("national_day_2026_counts_working_saturday_22_08", "2026-08-21T09:00", 2, "2026-08-24T09:00"),
    ("national_day_2026_skips_swapped_31_08", "2026-08-28T13:00", 1, "2026-09-03T11:30"),
    ("culture_day_24_11_2026_is_off", "2026-11-23T10:00", 1, "2026-11-25T10:00"),
    ("culture_day_24_11_2025_is_still_a_working_day", "2025-11-24T10:00", 1, "2025-11-25T10:00"),
    ("gio_to_2026_sunday_gives_monday_27_04_off", "2026-04-24T15:00", 1, "2026-04-28T15:00"),
    ("friday_16_55_receipt_counts_five_minutes", "2025-03-07T16:55", 1, "2025-03-10T16:55"),
    ("saturday_night_online_submission_starts_monday", "2025-03-08T22:15", 1, "2025-03-10T17:00"),
    ("lunch_break_receipt_starts_at_13_00", "2025-03-05T12:10", 0.5, "2025-03-05T17:00"),
    ("half_day_crosses_the_lunch_break", "2025-03-05T09:00", 0.5, "2025-03-05T14:30"),
    ("one_and_a_half_days_end_at_11_30_not_13_00", "2025-03-03T07:30", 1.5, "2025-03-04T11:30"),
    ("exact_day_boundary_is_17_00_of_the_same_day", "2025-03-03T07:30", 1, "2025-03-03T17:00"),
    ("exact_boundary_before_weekend_is_friday_17_00", "2025-03-07T07:30", 1, "2025-03-07T17:00"),
    ("afternoon_start_ends_at_next_morning_11_30", "2025-03-06T13:00", 1, "2025-03-07T11:30"),
    ("early_morning_receipt_starts_at_07_30", "2025-03-05T06:00", 1, "2025-03-05T17:00"),
    ("zero_days_on_a_saturday_is_monday_07_30", "2025-03-08T10:00", 0, "2025-03-10T07:30"),
    ("zero_days_in_office_hours_is_the_moment_itself", "2025-03-05T10:00", 0, "2025-03-05T10:00"),
    ("zero_days_at_17_00_is_the_next_morning", "2025-03-07T17:00", 0, "2025-03-10T07:30"),
    ("utc_input_is_read_in_vietnam_time", "2025-01-24T09:00:00+00:00", 3, "2025-02-05T16:00"),
    ("negative_days_subtract_working_time", "2025-02-05T16:00", -3, "2025-01-24T16:00"),
    ("negative_exact_boundary_is_the_earlier_17_00", "2025-03-04T17:00", -1, "2025-03-03T17:00"),
]


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [c[1:] for c in DAY_CASES],
    ids=[c[0] for c in DAY_CASES],
)
def test_add_working_days_worked_examples(
    vn: WorkCalendar, received: str, days: float, due: str
) -> None:
    result = add_working_days(vn, at(received), days)
    assert result == at(due)
    assert result.isoformat() == at(due).isoformat()  # reported in +07:00


HOUR_CASES = [
    ("eight_hours_from_friday_15_00", "2025-03-07T15:00", 8, "2025-03-10T15:00"),
    ("two_hours_ending_at_lunch_is_11_30", "2025-03-03T09:30", 2, "2025-03-03T11:30"),
    ("quarter_hour_fraction", "2025-03-03T11:20", 0.25, "2025-03-03T13:05"),
    ("hours_over_tet_2026", "2026-02-13T16:00", 2, "2026-02-23T08:30"),
    ("zero_hours_in_lunch_break_is_13_00", "2025-03-03T12:00", 0, "2025-03-03T13:00"),
]


@pytest.mark.parametrize(
    ("received", "hours", "due"),
    [c[1:] for c in HOUR_CASES],
    ids=[c[0] for c in HOUR_CASES],
)
def test_add_working_hours_worked_examples(
    vn: WorkCalendar, received: str, hours: float, due: str
) -> None:
    assert add_working_hours(vn, at(received), hours) == at(due)


# domain-vn.md §10.1
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 19), False),
        (date(2026, 4, 27), False),
        (date(2026, 8, 22), True),
        (date(2026, 11, 24), False),
        (date(2025, 11, 24), True),
        (date(2024, 5, 4), True),
        (date(2025, 4, 26), True),
        (date(2024, 4, 29), False),
        (date(2025, 5, 2), False),
        (date(2026, 8, 31), False),
        (date(2025, 3, 8), False),
    ],
)
def test_is_working_day_matches_the_official_schedule(
    vn: WorkCalendar, day: date, working: bool
) -> None:
    assert is_working_day(vn, day) is working


def test_is_working_day_reads_an_aware_datetime_in_vietnam_time(vn: WorkCalendar) -> None:
    # 17:30 UTC on Friday 2025-03-07 is already Saturday 00:30 in Vietnam.
    assert is_working_day(vn, datetime(2025, 3, 7, 17, 30, tzinfo=UTC)) is False


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2025-03-05T10:00", "2025-03-05T10:00"),
        ("2025-03-05T07:30", "2025-03-05T07:30"),
        ("2025-03-05T11:30", "2025-03-05T13:00"),
        ("2025-03-05T12:59:59", "2025-03-05T13:00"),
        ("2025-03-05T17:00", "2025-03-06T07:30"),
        ("2025-03-05T23:59", "2025-03-06T07:30"),
        ("2025-01-25T21:40", "2025-02-03T07:30"),
        ("2026-08-22T06:00", "2026-08-22T07:30"),
    ],
)
def test_next_working_moment(vn: WorkCalendar, moment: str, expected: str) -> None:
    assert next_working_moment(vn, at(moment)) == at(expected)


def test_working_time_between_counts_only_office_time(vn: WorkCalendar) -> None:
    assert working_time_between(vn, at("2025-01-24T16:00"), at("2025-02-05T16:00")) == 24
    assert working_time_between(vn, at("2025-03-05T11:00"), at("2025-03-05T13:30")) == 1
    assert working_time_between(vn, at("2025-03-05T13:30"), at("2025-03-05T11:00")) == -1
    assert working_time_between(vn, at("2025-03-08T09:00"), at("2025-03-09T15:00")) == 0


def test_sub_second_parts_are_truncated(vn: WorkCalendar) -> None:
    due = add_working_hours(vn, at("2025-03-05T10:00:00.900"), 1)
    assert due == at("2025-03-05T11:00")


@pytest.mark.parametrize(
    "call",
    [
        lambda cal: is_working_day(cal, date(2019, 12, 31)),
        lambda cal: is_working_day(cal, date(2031, 1, 2)),
        lambda cal: add_working_days(cal, at("2030-12-30T10:00"), 5),
        lambda cal: add_working_days(cal, at("2019-12-30T10:00"), 1),
        lambda cal: add_working_days(cal, at("2020-01-02T10:00"), -5),
        lambda cal: next_working_moment(cal, at("2030-12-31T17:30")),
        lambda cal: working_time_between(cal, at("2025-01-01T10:00"), at("2031-01-01T10:00")),
    ],
    ids=[
        "day_before_coverage",
        "day_after_coverage",
        "result_after_coverage",
        "start_before_coverage",
        "subtraction_before_coverage",
        "no_working_moment_left",
        "between_outside_coverage",
    ],
)
def test_out_of_coverage_raises_instead_of_guessing(vn: WorkCalendar, call: object) -> None:
    with pytest.raises(CalendarRangeError) as info:
        call(vn)  # type: ignore[operator]
    assert info.value.code == "calendar_out_of_range"
    assert "2020–2030" in info.value.message("vi")


def test_out_of_coverage_message_names_the_day(vn: WorkCalendar) -> None:
    with pytest.raises(CalendarRangeError) as info:
        is_working_day(vn, date(2031, 1, 2))
    assert info.value.message("vi").startswith("Phép tính cần ngày 02/01/2031")
    assert "outside calendar VN" in info.value.message("en")


@pytest.mark.parametrize(
    "call",
    [
        lambda cal: add_working_days(cal, datetime(2025, 3, 5, 10), 1),  # noqa: DTZ001
        lambda cal: add_working_hours(cal, datetime(2025, 3, 5, 10), 1),  # noqa: DTZ001
        lambda cal: next_working_moment(cal, datetime(2025, 3, 5, 10)),  # noqa: DTZ001
        lambda cal: working_time_between(cal, at("2025-03-05T10:00"), datetime(2025, 3, 6)),  # noqa: DTZ001
        lambda cal: is_working_day(cal, datetime(2025, 3, 5, 10)),  # noqa: DTZ001
    ],
)
def test_naive_moments_raise(vn: WorkCalendar, call: object) -> None:
    with pytest.raises(NaiveMomentError):
        call(vn)  # type: ignore[operator]


@pytest.mark.parametrize("amount", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_amounts_raise(vn: WorkCalendar, amount: float) -> None:
    with pytest.raises(InvalidAmountError):
        add_working_days(vn, at("2025-03-05T10:00"), amount)
    with pytest.raises(InvalidAmountError):
        add_working_hours(vn, at("2025-03-05T10:00"), amount)


def test_commune_day_off_moves_only_that_units_deadline(vn: WorkCalendar) -> None:
    commune = vn.with_exceptions(
        [DayEntry(date(2025, 3, 10), DayKind.DAY_OFF, "Lễ hội truyền thống của xã")],
        code="XA-001",
        name="UBND xã mẫu",
    )
    received = at("2025-03-07T16:55")
    assert add_working_days(commune, received, 1) == at("2025-03-11T16:55")
    assert add_working_days(vn, received, 1) == at("2025-03-10T16:55")
    assert commune.day_name(date(2025, 3, 10)) == "Lễ hội truyền thống của xã"
    # The base's entries are inherited.
    assert not commune.is_working_day(date(2026, 2, 19))


def test_unit_make_up_saturday_is_counted(vn: WorkCalendar) -> None:
    unit = vn.with_exceptions(
        {date(2025, 3, 8): DayEntry(date(2025, 3, 8), "working_day", "Ngày làm bù của đơn vị")},
        code="SO-X",
        name="Sở X",
    )
    assert add_working_days(unit, at("2025-03-07T16:55"), 1) == at("2025-03-08T16:55")


def test_custom_office_hours_change_the_day_length() -> None:
    cal = WorkCalendar(
        code="T",
        name="Giờ làm việc mùa hè",
        first_year=2025,
        last_year=2025,
        office_hours=((time(7, 0), time(11, 0)), (time(13, 30), time(17, 0))),
    )
    # One working day = 7.5 h: 07:00–11:00 (4 h) + 13:30–17:00 (3.5 h).
    assert cal.day_seconds == 7 * 3600 + 1800
    assert add_working_days(cal, at("2025-03-05T07:00"), 1) == at("2025-03-05T17:00")
    assert add_working_days(cal, at("2025-03-05T07:00"), 0.5) == at("2025-03-05T10:45")
