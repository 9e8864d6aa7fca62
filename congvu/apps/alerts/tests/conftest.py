"""A birth registration at C1 (the ``commune`` cast: gina handles it, hung heads C1), received
Monday 05/10/2026 08:00 and due Thursday 08/10 08:00, and the clock helpers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from congvu.apps.ledger.services import events_ingest
from congvu.apps.ledger.tests.factories import line
from congvu.apps.organisations.models import Official

VN = dt.timezone(dt.timedelta(hours=7))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


def received(item: str, *, unit: str = "C1", official: str = "GINA") -> list[str]:
    when = "2026-10-05T08:00:00+07:00"
    return [
        line(item, 1, when, "received", unit, procedure="1.001193", channel="direct"),
        line(item, 2, when, "appointment_issued", unit, due="2026-10-08T08:00:00+07:00"),
        line(item, 3, when, "assigned", unit, official=official, step="review"),
    ]


def ingest(lines: list[str], when: str = "2026-10-05T08:30") -> None:
    """Store events without their findings job (the tests call the passes themselves)."""
    with time_machine.travel(at(when), tick=False):
        events_ingest(lines, findings=False)


@pytest.fixture
def mailed(commune):
    """gina and hung have e-mail addresses on their official records."""
    Official.objects.filter(code="GINA").update(email="gina@hoaphu.example.vn")
    Official.objects.filter(code="HUNG").update(email="hung@hoaphu.example.vn")
    return commune
