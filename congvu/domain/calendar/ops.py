"""Working-time arithmetic on a :class:`WorkCalendar` (the scalar, pure-Python path).

Every moment maps to a *working position*: the number of office seconds between the start of
the calendar's first day and the moment. Adding working time is integer addition on positions;
the way back picks the first working day whose cumulative end reaches the target, so a result
that falls exactly on a boundary is reported as the **end** of the earlier session (17:00 of
the earlier working day, 11:30 rather than 13:00), never as the next opening.

Conventions (the contract shared with :mod:`.vector`):

* Moments are aware datetimes; a naive one raises :class:`NaiveMomentError`. They are read in
  Asia/Ho_Chi_Minh and truncated to the whole second (deadlines are legal to the minute; whole
  seconds keep the arithmetic exact and equal to the vectorised path).
* Office intervals are half-open ``[start, end)``: 07:30 is inside, 17:00 is not. A moment
  outside office hours (night, lunch break, weekend, holiday) starts at the next working moment.
* ``n`` working days are ``n × day_seconds`` office seconds (8 h by default); ``n`` may be a
  fraction (0.5 = half a day). Hours are converted with ``round(h × 3600)`` (half to even),
  which is what ``numpy.rint`` does too.
* Adding zero returns :func:`next_working_moment`.
* Negative amounts subtract working time with the same position arithmetic and the same
  boundary convention (an exact boundary is reported as the end of the earlier session).
* Any day outside the calendar's coverage, for the input or the result, raises
  :class:`CalendarRangeError`.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from congvu.domain.calendar.errors import InvalidAmountError
from congvu.domain.calendar.model import VN_TZ, WorkCalendar
from congvu.domain.errors import NaiveMomentError

__all__ = [
    "add_working_days",
    "add_working_hours",
    "hours_to_seconds",
    "is_working_day",
    "moment_at_position",
    "next_working_moment",
    "to_local",
    "working_position",
    "working_seconds_between",
    "working_time_between",
]

_DAY = 86400


def to_local(m: datetime) -> datetime:
    """``m`` in Asia/Ho_Chi_Minh, truncated to the second.

    Raises :class:`NaiveMomentError` when ``m`` has no UTC offset (a naive datetime could be
    UTC from the database or local wall time from a form; guessing would shift deadlines by 7h).
    """
    if not isinstance(m, datetime):
        raise NaiveMomentError(moment=repr(m))
    if m.tzinfo is None or m.utcoffset() is None:
        raise NaiveMomentError(moment=m.isoformat())
    return m.astimezone(VN_TZ).replace(microsecond=0)


def _within_day(cal: WorkCalendar, sec: int) -> int:
    """Office seconds elapsed on a working day at ``sec`` seconds after local midnight."""
    total = 0
    for start, end in cal.intervals_seconds:
        if sec <= start:
            break
        total += min(sec, end) - start
    return total


def working_position(cal: WorkCalendar, m: datetime) -> int:
    """The working position of moment ``m``: office seconds from the start of
    ``cal.first_day`` to ``m`` (an int).

    On a non-working day, and outside office hours, the position stays at the end of the
    previous session, so every moment from Friday 17:00 to Monday 07:30 has the same position.
    Raises :class:`NaiveMomentError`, and :class:`CalendarRangeError` if ``m``'s local day is
    outside the coverage.
    """
    local = to_local(m)
    i = cal.day_index(local.date())
    pos = cal.working_days_before(i) * cal.day_seconds
    if cal.working_flags()[i]:
        pos += _within_day(cal, local.hour * 3600 + local.minute * 60 + local.second)
    return pos


def _seconds_of_day(cal: WorkCalendar, r: int, *, at_end: bool) -> int:
    """Time of day (seconds after midnight) at which ``r`` office seconds of a day are used.

    ``at_end=True`` resolves an exact session boundary to the end of the earlier session
    (11:30, 17:00); ``False`` to the start of the next one (13:00) — used to find the next
    working moment.
    """
    consumed = 0
    intervals = cal.intervals_seconds
    for k, (start, end) in enumerate(intervals):
        length = end - start
        last = k == len(intervals) - 1
        if r < consumed + length or (at_end and r == consumed + length) or last:
            return start + (r - consumed)
        consumed += length
    raise AssertionError("unreachable: intervals are non-empty")  # pragma: no cover


def moment_at_position(cal: WorkCalendar, pos: int, *, at_end: bool = True) -> datetime:
    """The moment at working position ``pos`` (seconds, an int), aware in Asia/Ho_Chi_Minh.

    ``at_end=True`` (results of additions): a position that is an exact boundary is the end of
    the earlier working session — 17:00 of the earlier working day, not 07:30 of the next.
    ``at_end=False`` (next working moment): the start of the next session. Position 0 is
    always resolved as a start (there is no earlier session). Raises
    :class:`CalendarRangeError` when the position falls before the first working moment or
    after the last one of the coverage.
    """
    d_sec = cal.day_seconds
    use_end = at_end and pos > 0
    w, r = divmod(pos - 1, d_sec) if use_end else divmod(pos, d_sec)
    if use_end:
        r += 1
    if pos < 0:
        raise cal.range_error(cal.first_day - timedelta(days=1))
    if w >= cal.n_working_days:
        raise cal.range_error(cal.last_day + timedelta(days=1))
    day = cal.first_day + timedelta(days=cal.working_day_at(w))
    sec = _seconds_of_day(cal, r, at_end=use_end)
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ) + timedelta(seconds=sec)


def is_working_day(cal: WorkCalendar, d: date) -> bool:
    """Whether ``d`` is a working day of ``cal``.

    ``d`` must be a ``date``; an aware ``datetime`` is read as its local day in
    Asia/Ho_Chi_Minh and a naive one raises :class:`NaiveMomentError`. Raises
    :class:`CalendarRangeError` outside the coverage.
    """
    if isinstance(d, datetime):
        d = to_local(d).date()
    return cal.is_working_day(d)


def next_working_moment(cal: WorkCalendar, m: datetime) -> datetime:
    """``m`` itself when it is inside office hours of a working day, otherwise the start of
    the next office session on a working day (lunch break → 13:00, evening → next working
    day's 07:30, holiday → first working day after it).

    Intervals are half-open, so 17:00 itself moves to the next morning. Raises
    :class:`NaiveMomentError` and :class:`CalendarRangeError` (input outside the coverage, or
    no working moment left in it).
    """
    return moment_at_position(cal, working_position(cal, m), at_end=False)


def hours_to_seconds(hours: float, what: str = "hours") -> int:
    """``round(hours × 3600)`` as an int (half to even, like ``numpy.rint``).

    Raises :class:`InvalidAmountError` for NaN, infinities and non-numbers (bool included).
    """
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not math.isfinite(hours):
        raise InvalidAmountError(
            value=repr(hours),
            reason_vi="phải là một số hữu hạn",
            reason_en=f"{what} must be a finite number",
        )
    return round(hours * 3600)


def _add_seconds(cal: WorkCalendar, m: datetime, seconds: int) -> datetime:
    if seconds == 0:
        return next_working_moment(cal, m)
    return moment_at_position(cal, working_position(cal, m) + seconds, at_end=True)


def add_working_hours(cal: WorkCalendar, m: datetime, hours: float) -> datetime:
    """The moment ``hours`` working hours after ``m``.

    ``hours`` is a float (fractions allowed), converted to whole seconds with
    ``round(hours × 3600)``. Counting starts at :func:`next_working_moment` of ``m``; an exact
    boundary result is the end of the earlier session (e.g. 8 h from Monday 07:30 is Monday
    17:00). ``hours == 0`` returns ``next_working_moment(m)``; negative hours subtract.
    Result: aware datetime in Asia/Ho_Chi_Minh. Raises :class:`NaiveMomentError`,
    :class:`InvalidAmountError` (NaN/inf) and :class:`CalendarRangeError`.
    """
    return _add_seconds(cal, m, hours_to_seconds(hours))


def add_working_days(cal: WorkCalendar, m: datetime, n: float) -> datetime:
    """The moment ``n`` working days after ``m``: ``n × cal.day_seconds`` office seconds.

    ``n`` may be fractional (0.5 = half a day = 4 h by default); seconds are
    ``round(n × day_seconds)``. A receipt outside office hours counts from the next working
    moment; a result on an exact boundary is the end (17:00) of the earlier working day.
    ``n == 0`` returns ``next_working_moment(m)``; negative ``n`` subtracts. Result: aware in
    Asia/Ho_Chi_Minh. Raises :class:`NaiveMomentError`, :class:`InvalidAmountError` and
    :class:`CalendarRangeError`.
    """
    if isinstance(n, bool) or not isinstance(n, int | float) or not math.isfinite(n):
        raise InvalidAmountError(
            value=repr(n), reason_vi="phải là một số hữu hạn", reason_en="days must be finite"
        )
    return _add_seconds(cal, m, round(n * cal.day_seconds))


def working_seconds_between(cal: WorkCalendar, a: datetime, b: datetime) -> int:
    """Office seconds from ``a`` to ``b`` (an int; negative when ``b`` is before ``a``).

    Raises :class:`NaiveMomentError` and :class:`CalendarRangeError`.
    """
    return working_position(cal, b) - working_position(cal, a)


def working_time_between(cal: WorkCalendar, a: datetime, b: datetime) -> float:
    """Working hours from ``a`` to ``b`` (float, whole seconds / 3600; negative if b < a).

    Only office time on working days counts. Raises :class:`NaiveMomentError` and
    :class:`CalendarRangeError`.
    """
    return working_seconds_between(cal, a, b) / 3600
