"""Durations of the catalog: a time limit or a step budget in one unit.

interchange.md: ``{"working_days": 3}``, ``{"working_hours": 4}`` or ``{"calendar_days": 15}``
— exactly one key, a positive number, halves allowed. Working days are office time
(``n × cal.day_seconds``, 8 h by default); calendar days are elapsed time (24 h each) added to
the start moment — the Civil Code's "first day not counted, ends at 24:00" reading is *not*
applied (see docs/domain/calendar.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

from congvu.domain.calendar import WorkCalendar, add_working_days, add_working_hours
from congvu.domain.calendar.ops import to_local
from congvu.domain.procedures.errors import InvalidDurationError

__all__ = [
    "UNITS",
    "Duration",
    "DurationUnit",
    "add_duration",
    "parse_duration",
]

DurationUnit = Literal["working_days", "working_hours", "calendar_days"]

#: The three units, in the order they are listed in interchange.md.
UNITS: tuple[DurationUnit, ...] = get_args(DurationUnit)

#: Hours in a working day for *static* comparisons (catalog checks, no calendar at hand).
STATIC_DAY_HOURS = 8


@dataclass(frozen=True, slots=True)
class Duration:
    """A positive amount in one unit; build it with :func:`parse_duration` to validate."""

    unit: DurationUnit
    amount: float

    @property
    def is_working(self) -> bool:
        """True for working days and working hours (office time on a calendar)."""
        return self.unit != "calendar_days"

    def working_hours(self) -> float | None:
        """The amount in working hours (working days × 8), or ``None`` for calendar days.

        Used for static checks only; deadline arithmetic uses :meth:`working_seconds` with the
        unit's real calendar.
        """
        if self.unit == "working_days":
            return self.amount * STATIC_DAY_HOURS
        if self.unit == "working_hours":
            return self.amount
        return None

    def working_seconds(self, cal: WorkCalendar) -> int | None:
        """Office seconds on ``cal`` (days × ``cal.day_seconds``), ``None`` for calendar days."""
        if self.unit == "working_days":
            return round(self.amount * cal.day_seconds)
        if self.unit == "working_hours":
            return round(self.amount * 3600)
        return None

    def to_json(self) -> dict[str, float]:
        """The interchange form, e.g. ``{"working_days": 3}`` (integers stay integers)."""
        amount = self.amount
        return {self.unit: int(amount) if float(amount).is_integer() else amount}


def parse_duration(obj: Any) -> Duration:
    """A :class:`Duration` from its interchange form ``{"<unit>": <number>}``.

    Exactly one key among :data:`UNITS`; the amount is a finite number > 0 and a multiple of
    0.5 (bool is not a number). Raises :class:`InvalidDurationError` otherwise — a zero or
    missing limit would make an item that can never be late.
    """
    if not isinstance(obj, Mapping):
        raise InvalidDurationError(
            value=repr(obj),
            reason_vi='cần một đối tượng như {"working_days": 3}',
            reason_en='an object such as {"working_days": 3} is required',
        )
    keys = list(obj)
    unknown = [k for k in keys if k not in UNITS]
    if unknown:
        raise InvalidDurationError(
            value=repr(dict(obj)),
            reason_vi=f"khóa không hợp lệ {unknown} (dùng một trong {list(UNITS)})",
            reason_en=f"unknown key(s) {unknown} (use one of {list(UNITS)})",
        )
    if len(keys) != 1:
        raise InvalidDurationError(
            value=repr(dict(obj)),
            reason_vi="phải có đúng một đơn vị (ngày làm việc, giờ làm việc hoặc ngày)",
            reason_en="exactly one unit is required (working days, working hours or days)",
        )
    unit: DurationUnit = keys[0]
    amount = obj[unit]
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise InvalidDurationError(
            value=repr(dict(obj)), reason_vi="số lượng phải là một số", reason_en="not a number"
        )
    if not math.isfinite(amount) or amount <= 0:
        raise InvalidDurationError(
            value=repr(dict(obj)),
            reason_vi="phải lớn hơn 0",
            reason_en="must be greater than 0",
        )
    if not float(amount * 2).is_integer():
        raise InvalidDurationError(
            value=repr(dict(obj)),
            reason_vi="chỉ được số nguyên hoặc nửa đơn vị (0,5)",
            reason_en="only whole or half units (0.5) are allowed",
        )
    return Duration(unit, float(amount))


def add_duration(cal: WorkCalendar, start: datetime, d: Duration) -> datetime:
    """The moment ``d`` after ``start`` on ``cal``.

    Working units count office time from the next working moment (see
    :func:`~congvu.domain.calendar.add_working_days`); calendar days add ``amount × 24 h`` to
    ``start`` (result in Asia/Ho_Chi_Minh). Raises the calendar's errors (naive moment, out of
    range).
    """
    if d.unit == "working_days":
        return add_working_days(cal, start, d.amount)
    if d.unit == "working_hours":
        return add_working_hours(cal, start, d.amount)
    return to_local(start) + timedelta(days=d.amount)
