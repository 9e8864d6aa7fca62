"""Writes to the calendar tables."""

from __future__ import annotations

from django.db import transaction

from congvu.apps.calendars.models import Calendar, CalendarDay
from congvu.domain.calendar import national_calendar


@transaction.atomic
def calendar_seed_national() -> tuple[Calendar, int]:
    """Create the national calendar "VN" from the data shipped with the domain.

    Idempotent, and it never overwrites a row an administrator has edited: an existing day is
    left as it is. Returns the calendar and the number of days added."""
    source = national_calendar()
    calendar, _ = Calendar.objects.get_or_create(
        code=source.code,
        defaults={
            "name": source.name,
            "first_year": source.first_year,
            "last_year": source.last_year,
        },
    )
    existing = set(calendar.days.values_list("day", flat=True))
    new_rows = [
        CalendarDay(
            calendar=calendar,
            day=entry.day,
            kind=entry.kind.value,
            name=entry.name,
            source=entry.source,
            estimated=entry.estimated,
        )
        for entry in source.entries
        if entry.day not in existing
    ]
    CalendarDay.objects.bulk_create(new_rows, batch_size=500)
    return calendar, len(new_rows)
