"""Office-time helpers for the fold: running time with pauses taken out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from congvu.domain.calendar import WorkCalendar, moment_at_position, working_position
from congvu.domain.calendar import working_seconds_between as between

__all__ = ["paused_seconds", "running_seconds", "shift"]

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
