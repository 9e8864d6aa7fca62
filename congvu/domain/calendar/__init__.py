"""The working-time calendar: working days, office hours and deadline arithmetic.

Pure Python (stdlib, ``holidays``, NumPy); never Django. The public API is re-exported here::

    from congvu.domain.calendar import national_calendar, add_working_days

See ``docs/domain/calendar.md`` for the conventions and their legal sources.
"""

from __future__ import annotations

from congvu.domain.calendar.errors import (
    CalendarRangeError,
    InvalidAmountError,
    InvalidCalendarError,
    InvalidOfficeHoursError,
)
from congvu.domain.calendar.explain import DayNote, DayUse, Explanation, explain
from congvu.domain.calendar.model import (
    DEFAULT_OFFICE_HOURS,
    DEFAULT_WEEKEND,
    VN_TZ,
    DayEntry,
    DayKind,
    WorkCalendar,
)
from congvu.domain.calendar.national import (
    NATIONAL_CODE,
    NATIONAL_FIRST_YEAR,
    NATIONAL_LAST_YEAR,
    NATIONAL_NAME,
    estimated_entries,
    national_calendar,
    official_entries,
    official_years,
    seed_entries,
)
from congvu.domain.calendar.ops import (
    add_working_days,
    add_working_hours,
    is_working_day,
    moment_at_position,
    next_working_moment,
    working_position,
    working_seconds_between,
    working_time_between,
)
from congvu.domain.calendar.year import YearException, YearSummary, year_summary

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "DEFAULT_WEEKEND",
    "NATIONAL_CODE",
    "NATIONAL_FIRST_YEAR",
    "NATIONAL_LAST_YEAR",
    "NATIONAL_NAME",
    "VN_TZ",
    "CalendarRangeError",
    "DayEntry",
    "DayKind",
    "DayNote",
    "DayUse",
    "Explanation",
    "InvalidAmountError",
    "InvalidCalendarError",
    "InvalidOfficeHoursError",
    "WorkCalendar",
    "YearException",
    "YearSummary",
    "add_working_days",
    "add_working_hours",
    "estimated_entries",
    "explain",
    "is_working_day",
    "moment_at_position",
    "national_calendar",
    "next_working_moment",
    "official_entries",
    "official_years",
    "seed_entries",
    "working_position",
    "working_seconds_between",
    "working_time_between",
    "year_summary",
]
