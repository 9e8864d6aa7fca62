"""Job entry points of the alerts (django-tasks: the database queue by default, RQ on Redis
with the same code). Thin: they call services and return what the pass did."""

from __future__ import annotations

from django_tasks import task

from congvu.apps.alerts.services import (
    digests_send,
    findings_notify,
    reminders_send,
)


@task()
def findings_notify_task(finding_ids: list[int]) -> dict[str, int]:
    """Notices of new findings (queued by the supervision engine when it stores them)."""
    return findings_notify(finding_ids).as_dict()


@task()
def reminders_task() -> dict[str, int]:
    """Reminders of items due soon, then the e-mails waiting for office hours."""
    return reminders_send().as_dict()


@task()
def digests_task() -> dict[str, int]:
    """The daily digest of each unit to its heads."""
    return digests_send().as_dict()
