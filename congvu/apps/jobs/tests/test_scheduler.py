"""The scheduler: each periodic job queued when due and only then, a run still in the queue
not queued again, a run claimed by one scheduler only; the real jobs run by the database
worker."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from congvu.apps.alerts.models import Notification
from congvu.apps.alerts.tests.conftest import at, ingest, received
from congvu.apps.jobs.models import PeriodicJob
from congvu.apps.jobs.schedule import Periodic, periodic_jobs
from congvu.apps.jobs.services import periodic_claim, scheduler_tick
from congvu.apps.supervision.models import Finding

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def outcomes(ticks) -> dict[str, str]:
    return {t.job: t.outcome for t in ticks}


def scheduler_once(when: str) -> list[str]:
    """The jobs ``congvu scheduler --once`` reports as queued at ``when``."""
    out = io.StringIO()
    with time_machine.travel(at(when), tick=False):
        call_command("scheduler", "--once", stdout=out)
    return [
        line.split(":")[0] for line in out.getvalue().splitlines() if "đưa vào hàng đợi" in line
    ]


@pytest.mark.django_db
def test_scheduler_once_queues_the_due_jobs_and_their_work_is_done(mailed):
    ingest(received("H-1"))
    queued = scheduler_once("2026-10-08T09:00")  # Thursday, H-1 due at 08:00
    assert queued == ["findings_sweep", "alerts_reminders", "alerts_digests"]
    assert Finding.objects.filter(item__code="H-1", rule="OVERDUE").exists()
    assert Notification.objects.filter(kind="digest", official__code="HUNG").exists()
    assert PeriodicJob.objects.get(name="findings_sweep").enqueued_at == at("2026-10-08T09:00")

    assert scheduler_once("2026-10-08T09:01") == []  # nothing due a minute later
    assert scheduler_once("2026-10-08T09:05") == ["alerts_reminders"]
    assert scheduler_once("2026-10-08T09:15") == ["findings_sweep", "alerts_reminders"]
    assert PeriodicJob.objects.get(name="alerts_digests").runs == 1


def test_a_daily_job_runs_once_a_day_from_its_hour_even_if_the_scheduler_was_down():
    digest = Periodic("d", "x.y", at=dt.time(7, 30))
    assert digest.is_due(None, at("2026-10-08T07:30"))
    assert not digest.is_due(None, at("2026-10-08T07:29"))
    assert not digest.is_due(at("2026-10-08T07:30"), at("2026-10-08T16:00"))
    assert digest.is_due(at("2026-10-07T07:30"), at("2026-10-08T11:00"))  # late start
    assert not digest.is_due(at("2026-10-08T11:00"), at("2026-10-09T07:00"))
    every = Periodic("e", "x.y", every=dt.timedelta(minutes=5))
    assert every.is_due(at("2026-10-08T07:30"), at("2026-10-08T07:35"))
    assert not every.is_due(at("2026-10-08T07:30"), at("2026-10-08T07:34:59"))
    with pytest.raises(ValueError, match="exactly one"):
        Periodic("bad", "x.y")


@override_settings(CONGVU_SWEEP_EVERY=30, CONGVU_REMIND_EVERY=10, CONGVU_DIGEST_AT=dt.time(8))
def test_the_timetable_comes_from_the_settings():
    by_name = {p.name: p for p in periodic_jobs()}
    assert by_name["findings_sweep"].every == dt.timedelta(minutes=30)
    assert by_name["alerts_reminders"].every == dt.timedelta(minutes=10)
    assert by_name["alerts_digests"].at == dt.time(8)
    for p in by_name.values():
        assert p.load().name  # every path names a real task


@pytest.mark.django_db
def test_of_two_schedulers_that_read_the_same_row_only_one_claims_the_run():
    PeriodicJob.objects.create(name="findings_sweep", enqueued_at=at("2026-10-08T09:00"))
    mine = PeriodicJob.objects.get(name="findings_sweep")
    theirs = PeriodicJob.objects.get(name="findings_sweep")
    assert periodic_claim(row=theirs, now=at("2026-10-08T09:15"))
    assert not periodic_claim(row=mine, now=at("2026-10-08T09:15:01"))
    row = PeriodicJob.objects.get(name="findings_sweep")
    assert (row.enqueued_at, row.runs) == (at("2026-10-08T09:15"), 1)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_QUEUE)
def test_a_run_still_in_the_database_queue_is_not_queued_again_until_a_worker_did_it(mailed):
    ingest(received("H-1"))
    first = scheduler_tick(now=at("2026-10-08T09:00"))
    assert set(outcomes(first).values()) == {"queued"}
    assert DBTaskResult.objects.filter(status="READY").count() == 3
    assert not Finding.objects.exists()  # queued, not run: no worker yet

    later = scheduler_tick(now=at("2026-10-08T09:20"))
    assert outcomes(later) == {
        "findings_sweep": "pending",
        "alerts_reminders": "pending",
        "alerts_digests": "not_due",
    }
    assert DBTaskResult.objects.count() == 3

    with time_machine.travel(at("2026-10-08T09:20"), tick=False):
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0")
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Finding.objects.filter(item__code="H-1", rule="OVERDUE").exists()
    # the sweep queued the notices of its new findings; the batch worker ran them too
    assert Notification.objects.filter(kind="overdue").count() == 2

    again = scheduler_tick(now=at("2026-10-08T09:21"))
    assert outcomes(again)["findings_sweep"] == "queued"
    assert outcomes(again)["alerts_reminders"] == "queued"


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_a_run_stuck_in_the_queue_for_hours_is_queued_anew(mailed):
    scheduler_tick(now=at("2026-10-08T09:00"))
    assert outcomes(scheduler_tick(now=at("2026-10-08T14:00")))["findings_sweep"] == "pending"
    assert outcomes(scheduler_tick(now=at("2026-10-08T15:01")))["findings_sweep"] == "queued"


def test_the_interval_must_be_positive():
    with pytest.raises(CommandError, match="--interval 0"):
        call_command("scheduler", "--interval", "0")
