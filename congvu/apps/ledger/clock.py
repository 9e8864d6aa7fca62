"""The one clock of the ledger. Everything that asks "what time is it" for work items (the
ingestion's future check, overdue, time left, reminders) asks here, so that tests and the
demo move one clock (time-machine patches the system clock underneath)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.localtime(timezone.now())
