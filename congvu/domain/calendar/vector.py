"""Vectorised working-time arithmetic (NumPy), equal element by element to :mod:`.ops`.

Moments are int64 **epoch seconds** (UTC). Vietnam's UTC offset has been a constant +07:00
since 1975 (no daylight saving), so local wall time is ``epoch + 25200`` for every day of any
plausible coverage; :class:`VectorCalendar` checks that assumption against the time zone
database for every year it covers and refuses to build otherwise.

The arithmetic is the same as the scalar path, arranged so that no step needs a search:

* every working day has the same office length ``D`` (``day_seconds``), so the working
  position of a moment is ``working_days_before[day] × D + within[second_of_day]`` (the second
  term only on working days), both table look-ups;
* the way back splits a position ``P`` into ``w = (P − 1) // D`` (the ``w``-th working day)
  and ``r = P − w × D`` in ``1..D`` — which is exactly "the first working day whose cumulative
  end reaches ``P``" — then maps ``r`` to a time of day with a table.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from congvu.domain.calendar.errors import CalendarRangeError, InvalidAmountError
from congvu.domain.calendar.model import VN_TZ, WorkCalendar
from congvu.domain.errors import NaiveMomentError

__all__ = [
    "VN_OFFSET_SECONDS",
    "VectorCalendar",
    "datetime64_to_epoch",
    "epoch_to_datetime64",
    "epoch_to_moments",
    "moments_to_epoch",
    "vector_calendar",
]

#: Asia/Ho_Chi_Minh is UTC+07:00 all year, every year since 13/06/1975.
VN_OFFSET_SECONDS = 7 * 3600
_DAY = 86400

I64Array = npt.NDArray[np.int64]
F64Array = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def datetime64_to_epoch(values: npt.ArrayLike) -> I64Array:
    """``datetime64`` values (UTC instants, any unit) → int64 epoch seconds (floored to the
    second). NaT is refused with :class:`InvalidAmountError`."""
    arr = np.asarray(values).astype("datetime64[s]")
    if np.isnat(arr).any():
        raise InvalidAmountError(
            value="NaT", reason_vi="thiếu thời điểm (NaT)", reason_en="missing moment (NaT)"
        )
    return arr.astype(np.int64)


def epoch_to_datetime64(epoch_s: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """int64 epoch seconds → ``datetime64[s]`` (UTC instants)."""
    return np.asarray(epoch_s, dtype=np.int64).astype("datetime64[s]")


def moments_to_epoch(moments: list[datetime]) -> I64Array:
    """Aware datetimes → int64 epoch seconds (truncated to the second, as the scalar path
    does). Raises :class:`NaiveMomentError` on the first naive one."""
    out = np.empty(len(moments), dtype=np.int64)
    for i, m in enumerate(moments):
        if m.tzinfo is None or m.utcoffset() is None:
            raise NaiveMomentError(moment=m.isoformat())
        # Truncate microseconds first: floor(timestamp()) of a float can round up.
        out[i] = int(m.replace(microsecond=0).timestamp())
    return out


def epoch_to_moments(epoch_s: npt.ArrayLike) -> list[datetime]:
    """int64 epoch seconds → aware datetimes in Asia/Ho_Chi_Minh."""
    return [datetime.fromtimestamp(int(s), tz=VN_TZ) for s in np.asarray(epoch_s).ravel()]


def _check_constant_offset(cal: WorkCalendar) -> None:
    # The vectorised path adds a constant offset; check it holds on each year's first day and
    # mid-year (a DST rule would show up in one of the two) across the coverage.
    for year in range(cal.first_year, cal.last_year + 1):
        for month in (1, 7):
            offset = datetime(year, month, 1, 12, tzinfo=VN_TZ).utcoffset()
            if offset != timedelta(seconds=VN_OFFSET_SECONDS):
                raise AssertionError(
                    f"Asia/Ho_Chi_Minh offset in {year}-{month:02d} is {offset}, not +07:00"
                )


class VectorCalendar:
    """Precomputed int64 tables of a :class:`WorkCalendar` for array arithmetic.

    Build once per calendar (use :func:`vector_calendar` for a cached instance). All methods
    take and return NumPy arrays; moments are int64 epoch seconds. Every method raises
    :class:`CalendarRangeError` naming the first offending element when an input or a result
    falls outside the coverage, and :class:`InvalidAmountError` for NaN/inf amounts.
    """

    def __init__(self, cal: WorkCalendar) -> None:
        _check_constant_offset(cal)
        self.cal = cal
        self.day_seconds = cal.day_seconds
        d_sec = self.day_seconds
        n_days = cal.n_days
        #: Epoch day number (days since 1970-01-01) of the calendar's first day.
        self.day0 = (cal.first_day - date(1970, 1, 1)).days
        self.n_days = n_days
        working = np.frombuffer(cal.working_flags(), dtype=np.uint8).astype(bool)
        self.working: BoolArray = working
        before = np.concatenate(([0], np.cumsum(working, dtype=np.int64)))
        #: Working position at the start of each day (working days before it × D).
        self.day_base: I64Array = (before[:-1] * d_sec).astype(np.int64)
        #: Working flag as 0/1 int64 so a multiply replaces a branch.
        self.working_i64: I64Array = working.astype(np.int64)
        workday_index = np.flatnonzero(working).astype(np.int64)
        self.n_working_days = int(workday_index.size)
        #: Epoch second of local midnight of the w-th working day.
        self.workday_midnight: I64Array = (
            (self.day0 + workday_index) * _DAY - VN_OFFSET_SECONDS
        ).astype(np.int64)

        intervals = cal.intervals_seconds
        #: within[s]: office seconds elapsed at second-of-day s on a working day.
        sec = np.arange(_DAY + 1, dtype=np.int64)
        within = np.zeros(_DAY + 1, dtype=np.int64)
        for start, end in intervals:
            within += np.clip(sec - start, 0, end - start)
        self.within: I64Array = within
        # Time of day for r office seconds used, r in 0..D: "end" resolves a boundary to the
        # end of the earlier session (results), "start" to the next opening (next moment).
        r = np.arange(d_sec + 1, dtype=np.int64)
        tod_end = np.full(d_sec + 1, intervals[0][0], dtype=np.int64) + r
        tod_start = tod_end.copy()
        consumed = 0
        for k in range(1, len(intervals)):
            # Office seconds of the sessions before session k, and the pause before it.
            consumed += intervals[k - 1][1] - intervals[k - 1][0]
            gap = intervals[k][0] - intervals[k - 1][1]
            tod_end[r > consumed] += gap
            tod_start[r >= consumed] += gap
        self.tod_end: I64Array = tod_end
        self.tod_start: I64Array = tod_start

    # -- helpers --------------------------------------------------------------------------

    def _range_error_at(self, index: int, day_number: int) -> CalendarRangeError:
        d = date(1970, 1, 1) + timedelta(days=int(day_number))
        return self.cal.range_error(d, index=index)

    def _day_and_second(self, epoch_s: I64Array) -> tuple[I64Array, I64Array]:
        local = epoch_s + VN_OFFSET_SECONDS
        epoch_day, second = np.divmod(local, _DAY)
        idx = epoch_day - self.day0
        # One unsigned comparison checks both ends of the range.
        bad = idx.view(np.uint64) >= np.uint64(self.n_days)
        if bad.any():
            first = int(np.argmax(bad))
            raise self._range_error_at(first, int(epoch_day[first]))
        return idx, second

    def positions(self, epoch_s: npt.ArrayLike) -> I64Array:
        """Working positions (int64 office seconds since the calendar's first day) of moments
        given as epoch seconds; equal to :func:`~congvu.domain.calendar.ops.working_position`.
        """
        arr = np.asarray(epoch_s, dtype=np.int64)
        idx, second = self._day_and_second(arr)
        within: I64Array = self.within[second] * self.working_i64[idx]
        out: I64Array = self.day_base[idx] + within
        return out

    def moments_at(self, positions: npt.ArrayLike, *, at_end: bool = True) -> I64Array:
        """Epoch seconds of working positions; ``at_end`` as in
        :func:`~congvu.domain.calendar.ops.moment_at_position` (position 0 always resolves
        as a start). Raises :class:`CalendarRangeError` for positions outside the coverage.
        """
        pos = np.asarray(positions, dtype=np.int64)
        d_sec = self.day_seconds
        if at_end:
            w = (pos - 1) // d_sec
            r = pos - w * d_sec
        else:
            w = pos // d_sec
            r = pos - w * d_sec
        bad = w.view(np.uint64) >= np.uint64(self.n_working_days)
        if at_end and bad.any():
            # Position 0 has no earlier session: it resolves as the first opening. Handled
            # here, off the hot path, because it only ever shows up as an out-of-range w.
            zero = pos == 0
            w[zero] = 0
            r[zero] = 0
            bad &= ~zero
        if bad.any():
            first = int(np.argmax(bad))
            day = self.day0 - 1 if w[first] < 0 else self.day0 + self.n_days
            raise self._range_error_at(first, day)
        table = self.tod_end if at_end else self.tod_start
        # Position 0 (r = 0) needs no special case: both tables start at the first opening.
        tod = table[r]
        out: I64Array = self.workday_midnight[w] + tod
        return out

    @staticmethod
    def _seconds(amounts: npt.ArrayLike, scale: int, what: str) -> I64Array:
        arr = np.asarray(amounts, dtype=np.float64)
        if not np.isfinite(arr).all():
            first = int(np.argmax(~np.isfinite(arr)))
            raise InvalidAmountError(
                value=f"{arr.flat[first]!r} (index {first})",
                reason_vi="phải là một số hữu hạn",
                reason_en=f"{what} must be finite",
            )
        out: I64Array = np.rint(arr * scale).astype(np.int64)
        return out

    def _add_seconds(self, epoch_s: npt.ArrayLike, seconds: I64Array) -> I64Array:
        starts = np.asarray(epoch_s, dtype=np.int64)
        starts, seconds = np.broadcast_arrays(starts, seconds)
        pos = self.positions(starts)
        out = self.moments_at(pos + seconds, at_end=True)
        zero = np.flatnonzero(seconds == 0)
        if zero.size:
            # Adding nothing means "the next working moment", as in the scalar path.
            out[zero] = self.moments_at(pos[zero], at_end=False)
        return out

    # -- public operations ----------------------------------------------------------------

    def add_working_hours(self, starts_epoch_s: npt.ArrayLike, hours: npt.ArrayLike) -> I64Array:
        """Epoch seconds of ``starts + hours`` working hours, element by element.

        ``hours`` (float array or scalar, broadcast) → seconds with ``rint(h × 3600)``.
        Same conventions as :func:`~congvu.domain.calendar.ops.add_working_hours`.
        """
        return self._add_seconds(starts_epoch_s, self._seconds(hours, 3600, "hours"))

    def add_working_days(self, starts_epoch_s: npt.ArrayLike, days: npt.ArrayLike) -> I64Array:
        """Epoch seconds of ``starts + days`` working days (``rint(n × day_seconds)`` office
        seconds). Same conventions as :func:`~congvu.domain.calendar.ops.add_working_days`.
        """
        return self._add_seconds(starts_epoch_s, self._seconds(days, self.day_seconds, "days"))

    def next_working_moment(self, epoch_s: npt.ArrayLike) -> I64Array:
        """Epoch seconds of the next working moment (a moment in office hours is itself)."""
        return self.moments_at(self.positions(epoch_s), at_end=False)

    def working_time_between(self, a_epoch_s: npt.ArrayLike, b_epoch_s: npt.ArrayLike) -> F64Array:
        """Working hours from ``a`` to ``b`` (float64, negative where ``b`` < ``a``)."""
        out: F64Array = (self.positions(b_epoch_s) - self.positions(a_epoch_s)) / 3600
        return out

    def is_working_day(self, days: npt.ArrayLike) -> BoolArray:
        """Working-day flags for ``datetime64[D]`` local calendar days."""
        idx = np.asarray(days).astype("datetime64[D]").astype(np.int64) - self.day0
        bad = idx.view(np.uint64) >= np.uint64(self.n_days)
        if bad.any():
            first = int(np.argmax(bad))
            raise self._range_error_at(first, int(idx[first] + self.day0))
        out: BoolArray = self.working[idx]
        return out


@lru_cache(maxsize=32)
def vector_calendar(cal: WorkCalendar) -> VectorCalendar:
    """A cached :class:`VectorCalendar` for ``cal`` (calendars are hashable values)."""
    return VectorCalendar(cal)
