"""Build the domain's WorkCalendar from the admin-editable tables."""

from __future__ import annotations

from congvu.apps.calendars.models import Calendar, CalendarDay
from congvu.domain.calendar import DayEntry, DayKind, WorkCalendar
from congvu.domain.errors import DomainError


class UnknownCalendarError(DomainError):
    code = "unknown_calendar"
    template_vi = "Không có lịch làm việc mã {code}."
    template_en = "There is no working calendar with code {code}."


def _chain(calendar: Calendar) -> list[Calendar]:
    """The calendar and its bases, the root base first (a cycle stops the walk)."""
    chain: list[Calendar] = []
    seen: set[int] = set()
    current: Calendar | None = calendar
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        chain.append(current)
        current = current.base
    return list(reversed(chain))


def calendar_build(code: str) -> WorkCalendar:
    """The WorkCalendar for ``code``: the base calendars' days first, each derived calendar's
    own days overriding them. Raises UnknownCalendarError for an unknown code."""
    try:
        calendar = Calendar.objects.select_related("base").get(code=code)
    except Calendar.DoesNotExist:
        raise UnknownCalendarError(code=code) from None
    chain = _chain(calendar)
    entries: dict = {}
    days = CalendarDay.objects.filter(calendar__in=chain).order_by("day")
    rank = {c.pk: i for i, c in enumerate(chain)}
    for row in sorted(days, key=lambda d: rank[d.calendar_id]):
        entries[row.day] = DayEntry(
            day=row.day,
            kind=DayKind(row.kind),
            name=row.name,
            source=row.source,
            estimated=row.estimated,
        )
    first_year = next(c.first_year for c in reversed(chain) if c.first_year)
    last_year = next(c.last_year for c in reversed(chain) if c.last_year)
    return WorkCalendar(
        code=calendar.code,
        name=calendar.name,
        first_year=first_year,
        last_year=last_year,
        entries=entries,
        office_hours=(
            (calendar.morning_start, calendar.morning_end),
            (calendar.afternoon_start, calendar.afternoon_end),
        ),
    )
