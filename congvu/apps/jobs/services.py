"""The scheduler's pass: queue each periodic job that is due, once.

A run is claimed by a conditional UPDATE of the job's row (``enqueued_at`` still what this
pass read), the way work items are claimed (style.md §5): of two schedulers that see the same
job due, one queues it and the other finds the row changed. A run still waiting or running in
the queue is not queued again, unless it has been stuck longer than ``stale`` (a worker that
died mid-task leaves it "running" forever).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import F
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from congvu.apps.jobs.models import PeriodicJob
from congvu.apps.jobs.schedule import Periodic, periodic_jobs
from congvu.apps.ledger import clock

logger = logging.getLogger(__name__)

STALE = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Tick:
    """What the pass did with one job: ``queued``, ``not_due``, ``pending`` (the last run is
    still in the queue), ``taken`` (another scheduler claimed it first) or ``failed``."""

    job: str
    outcome: str
    result_id: str = ""


def scheduler_tick(
    *,
    now: dt.datetime | None = None,
    jobs: tuple[Periodic, ...] | None = None,
    stale: dt.timedelta = STALE,
) -> list[Tick]:
    now = now or clock.now()
    out = []
    for job in jobs if jobs is not None else periodic_jobs():
        out.append(_tick(job, now, stale))
    return out


def _tick(job: Periodic, now: dt.datetime, stale: dt.timedelta) -> Tick:
    row, _ = PeriodicJob.objects.get_or_create(name=job.name)
    if not job.is_due(row.enqueued_at, now):
        return Tick(job.name, "not_due", row.result_id)
    task = job.load()
    if _still_queued(task, row, now, stale):
        return Tick(job.name, "pending", row.result_id)
    if not periodic_claim(row=row, now=now):
        return Tick(job.name, "taken")
    try:
        result = task.enqueue()
    except Exception:
        # the queue is unreachable (Redis down …): give the run back for the next pass
        logger.exception("scheduler: %s could not be queued", job.name)
        PeriodicJob.objects.filter(pk=row.pk, enqueued_at=now).update(
            enqueued_at=row.enqueued_at, runs=F("runs") - 1
        )
        return Tick(job.name, "failed")
    PeriodicJob.objects.filter(pk=row.pk, enqueued_at=now).update(result_id=result.id)
    return Tick(job.name, "queued", result.id)


def periodic_claim(*, row: PeriodicJob, now: dt.datetime) -> bool:
    """Take the run due at ``now`` for this scheduler: true only if nobody moved the row
    since ``row`` was read (a conditional UPDATE; SQLite and PostgreSQL alike)."""
    return bool(
        PeriodicJob.objects.filter(pk=row.pk, enqueued_at=row.enqueued_at).update(
            enqueued_at=now, result_id="", runs=F("runs") + 1
        )
    )


def _still_queued(task, row: PeriodicJob, now: dt.datetime, stale: dt.timedelta) -> bool:
    if not row.result_id or not task.get_backend().supports_get_result:
        return False
    try:
        result = task.get_result(row.result_id)
    except TaskResultDoesNotExist:
        return False  # pruned, or expired from Redis: nothing left waiting
    if result.status not in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
        return False
    if row.enqueued_at is not None and now - row.enqueued_at > stale:
        logger.warning(
            "scheduler: %s queued at %s is still %s; queuing a new run",
            row.name,
            row.enqueued_at,
            result.status,
        )
        return False
    return True
