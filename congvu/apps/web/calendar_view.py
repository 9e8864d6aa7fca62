"""The year page of a working calendar: twelve month grids and the list of exceptions."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from congvu.domain.calendar import DayKind, WorkCalendar, YearSummary, year_summary


@dataclass(frozen=True)
class DayCell:
    day: dt.date
    working: bool
    css: str
    title: str


@dataclass(frozen=True)
class YearGrid:
    months: list[tuple[str, list[list[DayCell | None]]]]
    summary: YearSummary
    weekday_names: list[str]


def year_grid(calendar: WorkCalendar, year: int) -> YearGrid:
    """Raises CalendarRangeError when the year is outside the calendar's coverage."""
    weekday_names = [_("T2"), _("T3"), _("T4"), _("T5"), _("T6"), _("T7"), _("CN")]
    months = []
    weeks_of = pycal.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = []
        for week in weeks_of.monthdatescalendar(year, month):
            row: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                working = calendar.is_working_day(day)
                entry = calendar.entry(day)
                weekend = day.weekday() in calendar.weekend
                if entry and entry.kind is DayKind.WORKING_DAY:
                    css = "makeup"
                elif entry and entry.kind is DayKind.DAY_OFF and not weekend:
                    css = "holiday"
                elif weekend:
                    css = "weekend"
                else:
                    css = "work"
                row.append(DayCell(day, working, css, entry.name if entry else ""))
            weeks.append(row)
        months.append((_("Tháng %(n)s") % {"n": month}, weeks))
    return YearGrid(months, year_summary(calendar, year), weekday_names)
