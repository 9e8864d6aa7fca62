"""Office-time helpers for the fold: running time with pauses taken out."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from congvu.domain.calendar import VN_TZ, WorkCalendar, moment_at_position, working_position
from congvu.domain.calendar import working_seconds_between as between
from congvu.domain.calendar.ops import to_local
from congvu.domain.procedures.duration import Duration, add_duration

__all__ = ["WorkingClock", "paused_seconds", "running_seconds", "shift", "working_clock"]

#: (start, end) of a pause; ``end`` ``None`` while it lasts.
Interval = tuple[datetime, datetime | None]


def paused_seconds(
    cal: WorkCalendar, start: datetime, end: datetime, pauses: Iterable[Interval]
) -> int:
    """Office seconds of ``[start, end]`` that fall inside a pause (open pauses run to ``end``)."""
    total = 0
    for ps, pe in pauses:
        lo = max(ps, start)
        hi = end if pe is None else min(pe, end)
        if lo < hi:
            total += between(cal, lo, hi)
    return total


def running_seconds(
    cal: WorkCalendar, start: datetime, end: datetime, pauses: Iterable[Interval]
) -> int:
    """Office seconds from ``start`` to ``end`` with the pauses taken out (0 if end ≤ start)."""
    if end <= start:
        return 0
    return between(cal, start, end) - paused_seconds(cal, start, end, pauses)


def shift(cal: WorkCalendar, m: datetime, seconds: int) -> datetime:
    """``m`` moved by ``seconds`` of office time (boundary = end of the earlier session)."""
    return moment_at_position(cal, working_position(cal, m) + seconds)


_DAY = 86400
_VN_OFFSET = 7 * 3600
_SEVEN = timedelta(seconds=_VN_OFFSET)
#: Calendars whose clock has been built, by identity (a calendar's hash walks all its
#: entries, far dearer than the look-ups it would save). Small: a province has few calendars.
_CLOCKS: dict[int, WorkingClock] = {}
_CLOCKS_MAX = 64


@functools.lru_cache(maxsize=8)
def _within_table(intervals: tuple[tuple[int, int], ...]) -> list[int]:
    """Office seconds elapsed at each second 0 … 86400 after local midnight, for sorted,
    non-overlapping office intervals (what :class:`WorkCalendar` guarantees): flat outside
    office hours, rising by one a second inside them. Written as runs rather than a sum per
    second and interval, which cost 40 ms per clock; shared by every clock with the same
    office hours (3 MB each, never changed by its readers)."""
    within: list[int] = []
    done = 0  # office seconds before the current run
    for start, end in intervals:
        within.extend([done] * (start + 1 - len(within)))  # seconds up to ``start``: flat
        within.extend(range(done + 1, done + end - start + 1))  # ``start + 1`` … ``end``
        done += end - start
    within.extend([done] * (_DAY + 1 - len(within)))
    return within


class WorkingClock:
    """The working positions of one calendar by table look-up: the fold's hot path.

    :meth:`position` equals :func:`~congvu.domain.calendar.working_position` (and
    :meth:`local` equals ``to_local``) for every input; it reads a moment's epoch second once
    instead of converting it to a zoned local time, which is exact because Vietnam's offset
    has been a constant +07:00 since 1975 — checked for every year of the coverage, as the
    vectorised calendar does; a calendar where it does not hold uses the scalar functions.
    Anything unusual (a naive or non-datetime value, a day outside the coverage) goes through
    the calendar's own functions, so errors are the calendar's.
    """

    __slots__ = ("_base", "_exact", "_flags", "_n_days", "_ord0", "_within", "cal", "day_seconds")

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self.day_seconds = cal.day_seconds
        self._ord0 = cal.first_day.toordinal()
        self._n_days = cal.n_days
        self._flags = cal.working_flags()
        d_sec = self.day_seconds
        self._base = [cal.working_days_before(i) * d_sec for i in range(cal.n_days)]
        self._within = _within_table(tuple(cal.intervals_seconds))
        self._exact = (
            all(
                datetime(year, month, 1, 12, tzinfo=VN_TZ).utcoffset()
                == timedelta(seconds=_VN_OFFSET)
                for year in range(max(cal.first_year, 1976), cal.last_year + 1)
                for month in (1, 7)
            )
            and cal.first_year >= 1976
        )

    @property
    def exact(self) -> bool:
        """Whether positions are read from the tables (Vietnam's offset a constant +07:00 over
        the coverage); otherwise every call goes through the calendar's functions."""
        return self._exact

    def within_table(self) -> list[int]:
        """Office seconds elapsed on a working day at each second after local midnight
        (0 … 86400), the table behind :meth:`position`."""
        return self._within

    def local(self, m: datetime) -> datetime:
        """``m`` in Asia/Ho_Chi_Minh, whole seconds (equal to ``to_local``)."""
        if type(m) is not datetime:
            return to_local(m)  # raises NaiveMomentError
        tz = m.tzinfo
        if tz is not VN_TZ:
            # a fixed offset (what ISO 8601 text gives) always has one; any other tzinfo
            # may answer None, which to_local refuses as naive
            if tz is None or (type(tz) is not timezone and m.utcoffset() is None):
                return to_local(m)
            m = m.astimezone(VN_TZ)
        return m.replace(microsecond=0) if m.microsecond else m

    def position(self, m: datetime) -> int:
        """The working position of ``m`` (equal to ``working_position(cal, m)``)."""
        if not self._exact or type(m) is not datetime:
            return working_position(self.cal, m)
        tz = m.tzinfo
        if tz is not VN_TZ:
            # a +07:00 moment already shows Vietnam's wall time; any other offset is
            # converted (microseconds never change the whole second read below)
            offset = m.utcoffset() if tz is not None else None
            if offset is None:
                return working_position(self.cal, m)  # raises NaiveMomentError
            if offset != _SEVEN:
                m = m.astimezone(VN_TZ)
        i = m.toordinal() - self._ord0
        if not 0 <= i < self._n_days:
            return working_position(self.cal, m)  # raises CalendarRangeError
        if self._flags[i]:
            return self._base[i] + self._within[m.hour * 3600 + m.minute * 60 + m.second]
        return self._base[i]

    def between(self, a: datetime, b: datetime) -> int:
        """Office seconds from ``a`` to ``b`` (equal to ``working_seconds_between``)."""
        return self.position(b) - self.position(a)

    def seconds(self, d: Duration) -> int | None:
        """``d`` in office seconds on this calendar (``None`` for calendar days), as
        :meth:`Duration.working_seconds` gives."""
        if d.unit == "working_days":
            return round(d.amount * self.day_seconds)
        if d.unit == "working_hours":
            return round(d.amount * 3600)
        return None

    def add(self, m: datetime, d: Duration) -> datetime:
        """The moment ``d`` after ``m`` (equal to ``add_duration(cal, m, d)``)."""
        if d.unit == "calendar_days" or not math.isfinite(d.amount):
            return add_duration(self.cal, m, d)
        seconds = self.seconds(d)
        if not seconds:
            return add_duration(self.cal, m, d)  # zero: the next working moment
        return moment_at_position(self.cal, self.position(m) + seconds)

    def shift(self, m: datetime, seconds: int) -> datetime:
        """``m`` moved by ``seconds`` of office time (equal to :func:`shift`)."""
        return moment_at_position(self.cal, self.position(m) + seconds)


def working_clock(cal: WorkCalendar) -> WorkingClock:
    """The :class:`WorkingClock` of ``cal``, built once per calendar object."""
    found = _CLOCKS.get(id(cal))
    if found is not None and found.cal is cal:
        return found
    if len(_CLOCKS) >= _CLOCKS_MAX:
        _CLOCKS.clear()
    clock = WorkingClock(cal)
    _CLOCKS[id(cal)] = clock
    return clock
