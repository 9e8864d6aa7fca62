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


#: Calendars built in this process, by code, with the rows they were built from. A unit's
#: calendar is needed by every request and job that folds an item; building it (and the fold's
#: clock tables, cached per calendar object) costs tens of milliseconds, reading its rows
#: about one. The rows are the key, so an edit in the admin — or a rolled-back test — is seen
#: at the next call in every process, with no signal or version column to keep in step.
_BUILT: dict[str, tuple[tuple, WorkCalendar]] = {}


def calendar_build(code: str) -> WorkCalendar:
    """The WorkCalendar for ``code``: the base calendars' days first, each derived calendar's
    own days overriding them. Raises UnknownCalendarError for an unknown code. The same object
    is returned while the calendar's rows are unchanged."""
    try:
        calendar = Calendar.objects.select_related("base").get(code=code)
    except Calendar.DoesNotExist:
        raise UnknownCalendarError(code=code) from None
    chain = _chain(calendar)
    rank = {c.pk: i for i, c in enumerate(chain)}
    rows = sorted(
        CalendarDay.objects.filter(calendar__in=chain).values_list(
            "calendar_id", "day", "kind", "name", "source", "estimated"
        ),
        key=lambda row: (rank[row[0]], row[1]),
    )
    key = (tuple(_calendar_fields(c) for c in chain), tuple(rows))
    built = _BUILT.get(code)
    if built is not None and built[0] == key:
        return built[1]
    entries: dict = {}
    for _calendar, day, kind, name, source, estimated in rows:
        entries[day] = DayEntry(
            day=day, kind=DayKind(kind), name=name, source=source, estimated=estimated
        )
    first_year = next(c.first_year for c in reversed(chain) if c.first_year)
    last_year = next(c.last_year for c in reversed(chain) if c.last_year)
    work_calendar = WorkCalendar(
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
    _BUILT[code] = (key, work_calendar)
    return work_calendar


def _calendar_fields(calendar: Calendar) -> tuple:
    return (
        calendar.pk,
        calendar.code,
        calendar.name,
        calendar.first_year,
        calendar.last_year,
        calendar.morning_start,
        calendar.morning_end,
        calendar.afternoon_start,
        calendar.afternoon_end,
    )
