"""Job entry points of the supervision engine (django-tasks: the database backend embedded by
default, RQ on Redis for distributed workers — the same code). Thin: they call services."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django_tasks import task

from congvu.apps.supervision.services import FindingsRun, findings_refresh, findings_sweep


def _summary(run: FindingsRun) -> dict[str, int]:
    return {
        "items": run.items,
        "created": len(run.created),
        "updated": run.updated,
        "lapsed": run.lapsed,
        "errors": len(run.errors),
    }


@task()
def findings_refresh_task(item_ids: list[int]) -> dict[str, int]:
    """Recompute the findings of the items an ingestion batch touched."""
    return _summary(findings_refresh(item_ids))


@task()
def findings_sweep_task() -> dict[str, int]:
    """The time-driven pass over open items (and items whose check lags behind)."""
    return _summary(findings_sweep())


def findings_schedule(item_ids: Iterable[int]) -> None:
    """Queue the check of ``item_ids`` once the current transaction commits: a worker must
    not look for events that are not visible yet, and a rolled-back batch checks nothing."""
    ids = sorted(set(item_ids))
    if ids:
        transaction.on_commit(partial(findings_refresh_task.enqueue, ids))
