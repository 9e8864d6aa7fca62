"""What the scheduler queues and when (settings ``CONGVU_SWEEP_EVERY``,
``CONGVU_REMIND_EVERY``, ``CONGVU_DIGEST_AT``). The jobs themselves live in their apps'
``tasks.py``; this is only the timetable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from congvu.domain.calendar import VN_TZ


@dataclass(frozen=True)
class Periodic:
    """A job queued every ``every``, or once a day from ``at`` (Vietnam time) on."""

    name: str
    task: str
    """Dotted path of the django-tasks ``Task``."""
    every: dt.timedelta | None = None
    at: dt.time | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"{self.name}: give exactly one of every= and at=")

    def is_due(self, last: dt.datetime | None, now: dt.datetime) -> bool:
        """Whether a run is due at ``now`` when the last one was queued at ``last``. A daily
        job missed at its hour (the scheduler was down) runs as soon as it is back, once."""
        if self.at is not None:
            local = now.astimezone(VN_TZ)
            today_at = dt.datetime.combine(local.date(), self.at, tzinfo=VN_TZ)
            return now >= today_at and (last is None or last < today_at)
        return last is None or now - last >= self.every  # type: ignore[operator]

    def load(self):
        return import_string(self.task)


def periodic_jobs() -> tuple[Periodic, ...]:
    return (
        Periodic(
            "findings_sweep",
            "congvu.apps.supervision.tasks.findings_sweep_task",
            every=dt.timedelta(minutes=settings.CONGVU_SWEEP_EVERY),
        ),
        Periodic(
            "alerts_reminders",
            "congvu.apps.alerts.tasks.reminders_task",
            every=dt.timedelta(minutes=settings.CONGVU_REMIND_EVERY),
        ),
        Periodic(
            "alerts_digests",
            "congvu.apps.alerts.tasks.digests_task",
            at=settings.CONGVU_DIGEST_AT,
        ),
    )
