"""A calendar year at a glance: its exceptions to the weekly pattern and its day counts.

One definition serves the CLI (``congvu calendar year``), the web page and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from congvu.domain.calendar.model import WorkCalendar


@dataclass(frozen=True, slots=True)
class YearException:
    """A weekday off (``working`` False) or a weekend day worked (``working`` True)."""

    day: date
    working: bool
    name: str
    source: str
    estimated: bool


@dataclass(frozen=True, slots=True)
class YearSummary:
    calendar: str
    year: int
    exceptions: tuple[YearException, ...]
    working_days: int

    @property
    def weekdays_off(self) -> int:
        return sum(not e.working for e in self.exceptions)

    @property
    def weekend_days_worked(self) -> int:
        return sum(e.working for e in self.exceptions)


def year_summary(cal: WorkCalendar, year: int) -> YearSummary:
    """Every weekday off and every weekend day worked in ``year``, in date order, with the
    name (``cal.day_name``) and source of each, and the number of working days.

    Raises CalendarRangeError when the year is outside the calendar's coverage."""
    exceptions: list[YearException] = []
    working_days = 0
    day = date(year, 1, 1)
    while day.year == year:
        working = cal.is_working_day(day)
        working_days += working
        if (day.weekday() in cal.weekend) == working:
            entry = cal.entry(day)
            exceptions.append(
                YearException(
                    day=day,
                    working=working,
                    name=cal.day_name(day),
                    source=entry.source if entry else "",
                    estimated=bool(entry and entry.estimated),
                )
            )
        day += timedelta(days=1)
    return YearSummary(cal.code, year, tuple(exceptions), working_days)
