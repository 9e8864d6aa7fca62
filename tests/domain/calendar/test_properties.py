"""Hypothesis properties of the working-time arithmetic (scalar and vectorised)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.domain.calendar import (
    VN_TZ,
    add_working_days,
    add_working_hours,
    national_calendar,
    next_working_moment,
    working_position,
    working_seconds_between,
)
from congvu.domain.calendar.vector import epoch_to_moments, moments_to_epoch, vector_calendar

VN = national_calendar()
LO = int(datetime(2021, 1, 1, tzinfo=VN_TZ).timestamp())
HI = int(datetime(2029, 6, 30, tzinfo=VN_TZ).timestamp())
# Receipts may carry any offset; the engine reads them in Vietnam time.
OFFSETS = st.sampled_from([VN_TZ, UTC, timezone(timedelta(hours=-5))])

moments = st.builds(lambda s, tz: datetime.fromtimestamp(s, tz=tz), st.integers(LO, HI), OFFSETS)
half_days = st.integers(0, 80).map(lambda k: k / 2)
hours = st.floats(0, 600, allow_nan=False, allow_infinity=False)

PROPS = settings(max_examples=150, deadline=None)


def is_working_moment(m: datetime) -> bool:
    local = m.astimezone(VN_TZ)
    if not VN.is_working_day(local.date()):
        return False
    sec = local.hour * 3600 + local.minute * 60 + local.second
    return any(s <= sec <= e for s, e in VN.intervals_seconds)


@PROPS
@given(moments, half_days)
def test_due_is_a_working_moment(m: datetime, n: float) -> None:
    assert is_working_moment(add_working_days(VN, m, n))


@PROPS
@given(moments, half_days, half_days)
def test_due_is_monotonic_in_n(m: datetime, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert add_working_days(VN, m, lo) <= add_working_days(VN, m, hi)


@PROPS
@given(moments, hours)
def test_time_between_recovers_the_hours_to_the_second(m: datetime, h: float) -> None:
    assert working_seconds_between(VN, m, add_working_hours(VN, m, h)) == round(h * 3600)


@PROPS
@given(moments, st.floats(-40, 40, allow_nan=False))
def test_days_are_eight_hours(m: datetime, n: float) -> None:
    assert add_working_days(VN, m, n) == add_working_hours(VN, m, 8 * n)


@PROPS
@given(moments, half_days)
def test_adding_then_subtracting_returns_to_the_same_working_position(
    m: datetime, n: float
) -> None:
    back = add_working_days(VN, add_working_days(VN, m, n), -n)
    assert working_position(VN, back) == working_position(VN, m)
    # On a working moment strictly inside a session the round trip is exact.
    if is_working_moment(m) and next_working_moment(VN, m) == m and n:
        start = m.astimezone(VN_TZ)
        sec = start.hour * 3600 + start.minute * 60 + start.second
        if all(sec != s for s, _ in VN.intervals_seconds):
            assert back == m


@PROPS
@given(moments)
def test_next_working_moment_is_idempotent(m: datetime) -> None:
    nxt = next_working_moment(VN, m)
    assert nxt >= m.replace(microsecond=0)
    assert next_working_moment(VN, nxt) == nxt


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(LO, HI), st.integers(-40, 80), st.floats(-300, 300)),
             min_size=1, max_size=40)
)  # fmt: skip
def test_vector_equals_scalar(rows: list[tuple[int, int, float]]) -> None:
    v = vector_calendar(VN)
    starts = np.array([r[0] for r in rows], dtype=np.int64)
    days = np.array([r[1] / 2 for r in rows])
    hrs = np.array([r[2] for r in rows])
    got_days = epoch_to_moments(v.add_working_days(starts, days))
    got_hours = epoch_to_moments(v.add_working_hours(starts, hrs))
    ms = epoch_to_moments(starts)
    assert got_days == [add_working_days(VN, m, float(d)) for m, d in zip(ms, days, strict=True)]
    assert got_hours == [add_working_hours(VN, m, float(h)) for m, h in zip(ms, hrs, strict=True)]
    assert (moments_to_epoch(ms) == starts).all()
