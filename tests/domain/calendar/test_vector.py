"""The NumPy path equals the scalar path and fails loudly outside the coverage."""

from __future__ import annotations

import numpy as np
import pytest

from congvu.domain.calendar import (
    CalendarRangeError,
    InvalidAmountError,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    next_working_moment,
    working_time_between,
)
from congvu.domain.calendar.vector import (
    VectorCalendar,
    datetime64_to_epoch,
    epoch_to_datetime64,
    epoch_to_moments,
    moments_to_epoch,
    vector_calendar,
)

from .conftest import at
from .test_ops import DAY_CASES, HOUR_CASES


def test_vector_calendar_is_cached(vn: WorkCalendar) -> None:
    assert vector_calendar(vn) is vector_calendar(vn)
    assert isinstance(vector_calendar(vn), VectorCalendar)


def test_worked_examples_hold_in_the_vector_path(vn: WorkCalendar) -> None:
    v = vector_calendar(vn)
    starts = moments_to_epoch([at(c[1]) for c in DAY_CASES])
    due = v.add_working_days(starts, np.array([c[2] for c in DAY_CASES], dtype=float))
    assert epoch_to_moments(due) == [at(c[3]) for c in DAY_CASES]
    starts = moments_to_epoch([at(c[1]) for c in HOUR_CASES])
    due = v.add_working_hours(starts, np.array([c[2] for c in HOUR_CASES], dtype=float))
    assert epoch_to_moments(due) == [at(c[3]) for c in HOUR_CASES]


def test_random_array_equals_scalar(vn: WorkCalendar) -> None:
    rng = np.random.default_rng(7)
    v = vector_calendar(vn)
    lo = moments_to_epoch([at("2021-01-01T00:00")])[0]
    hi = moments_to_epoch([at("2029-06-30T00:00")])[0]
    starts = rng.integers(lo, hi, 2000)
    days = rng.integers(-20, 40, 2000) / 2
    hours = rng.uniform(-100, 300, 2000)
    ends = rng.integers(lo, hi, 2000)
    moments = epoch_to_moments(starts)
    got_days = epoch_to_moments(v.add_working_days(starts, days))
    got_hours = epoch_to_moments(v.add_working_hours(starts, hours))
    got_next = epoch_to_moments(v.next_working_moment(starts))
    got_between = v.working_time_between(starts, ends)
    for i, m in enumerate(moments):
        assert got_days[i] == add_working_days(vn, m, float(days[i]))
        assert got_hours[i] == add_working_hours(vn, m, float(hours[i]))
        assert got_next[i] == next_working_moment(vn, m)
        assert got_between[i] == working_time_between(vn, m, epoch_to_moments(ends[i : i + 1])[0])


def test_is_working_day_vector(vn: WorkCalendar) -> None:
    days = np.array(["2026-02-19", "2026-04-27", "2026-08-22", "2026-11-24", "2025-11-24"],
                    dtype="datetime64[D]")  # fmt: skip
    assert vector_calendar(vn).is_working_day(days).tolist() == [False, False, True, False, True]


def test_out_of_coverage_names_the_first_offending_index(vn: WorkCalendar) -> None:
    v = vector_calendar(vn)
    starts = moments_to_epoch(
        [at("2025-03-05T10:00"), at("2031-01-05T10:00"), at("2019-01-01T10:00")]
    )
    with pytest.raises(CalendarRangeError) as info:
        v.add_working_days(starts, 1.0)
    assert info.value.params["index"] == 1
    assert "chỉ số 1" in info.value.message("vi")
    assert "index 1" in info.value.message("en")


def test_result_beyond_coverage_names_its_index(vn: WorkCalendar) -> None:
    starts = moments_to_epoch([at("2025-03-05T10:00"), at("2030-12-20T10:00")])
    with pytest.raises(CalendarRangeError) as info:
        vector_calendar(vn).add_working_days(starts, np.array([1.0, 30.0]))
    assert info.value.params["index"] == 1
    with pytest.raises(CalendarRangeError):
        vector_calendar(vn).is_working_day(np.array(["2031-01-01"], dtype="datetime64[D]"))


def test_non_finite_amounts_raise(vn: WorkCalendar) -> None:
    starts = moments_to_epoch([at("2025-03-05T10:00")] * 2)
    with pytest.raises(InvalidAmountError):
        vector_calendar(vn).add_working_hours(starts, np.array([1.0, np.nan]))


def test_datetime64_round_trip() -> None:
    arr = np.array(["2025-01-24T09:00:00"], dtype="datetime64[s]")  # UTC instant
    epoch = datetime64_to_epoch(arr)
    assert epoch_to_moments(epoch) == [at("2025-01-24T16:00")]
    assert (epoch_to_datetime64(epoch) == arr).all()
