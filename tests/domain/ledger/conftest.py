"""Fixtures for the ledger tests (plain pytest: no Django, no database)."""

from __future__ import annotations

import pytest

from congvu.domain.calendar import WorkCalendar, national_calendar


@pytest.fixture(scope="session")
def vn() -> WorkCalendar:
    return national_calendar()
