"""Shared helpers for the calendar tests (plain pytest: no Django, no database)."""

from __future__ import annotations

from datetime import datetime

import pytest

from congvu.domain.calendar import WorkCalendar, national_calendar


def at(text: str) -> datetime:
    """An aware moment from ISO 8601 text; bare local times get +07:00 (Vietnam)."""
    m = datetime.fromisoformat(text)
    return m if m.tzinfo else datetime.fromisoformat(text + "+07:00")


@pytest.fixture(scope="session")
def vn() -> WorkCalendar:
    return national_calendar()
