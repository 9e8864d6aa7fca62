"""The same tasks on RQ workers over a real Redis (``TASKS_BACKEND=django_tasks_rq.RQBackend``).

``scripts/test.sh`` starts a throw-away redis-server and exports ``REDIS_URL``; without it
these tests are skipped. The first runs the worker in this process (``SimpleWorker``, so it
shares the test database on SQLite and PostgreSQL); the second starts ``congvu rqworker`` as
a separate process, which needs a database another process can open (the PostgreSQL run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResultStatus

from congvu.apps.alerts.models import Notification
from congvu.apps.alerts.tests.conftest import at, ingest, received
from congvu.apps.jobs.services import scheduler_tick
from congvu.apps.ledger.models import Item
from congvu.apps.supervision.models import Finding
from congvu.apps.supervision.tasks import findings_refresh_task, findings_sweep_task

rq_package = pytest.importorskip(
    "rq", reason="the `redis` extra is not installed (pip install -e '.[test,redis]')"
)

REDIS_URL = os.environ.get("REDIS_URL", "")
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

pytestmark = [
    pytest.mark.skipif(
        not REDIS_URL,
        reason="REDIS_URL is not set: the RQ tests need a Redis server "
        "(bash scripts/test.sh starts one)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def rq():
    """The RQ backend on the test Redis, emptied before and after."""
    import django_rq

    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": REDIS_URL}}):
        redis = django_rq.get_connection("default")
        redis.flushdb()
        yield django_rq
        redis.flushdb()


class InProcessWorker(rq_package.SimpleWorker):
    """RQ's worker that runs jobs in its own process, without its command channel (used only
    to stop or kill a job from the rq CLI): with rq 3.0 and redis-py 8, stopping that
    channel's thread can wait for its 60-second read to time out."""

    def subscribe(self) -> None:
        pass


def burst(django_rq) -> None:
    """Run every queued job, and the jobs they queue, in this process."""
    worker = django_rq.get_worker(
        "default", job_class="django_tasks_rq.Job", worker_class=InProcessWorker
    )
    worker.work(burst=True)


def test_the_findings_and_alerts_tasks_run_on_an_rq_worker(mailed, rq):
    ingest(received("H-1"))
    with time_machine.travel(at("2026-10-08T09:00"), tick=True):
        result = findings_sweep_task.enqueue()
        assert rq.get_queue("default").count == 1
        assert findings_sweep_task.get_result(result.id).status == TaskResultStatus.READY
        assert not Finding.objects.exists()  # in Redis, not run yet

        burst(rq)

    done = findings_sweep_task.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value["created"] == Finding.objects.count() > 0
    assert Finding.objects.filter(item__code="H-1", rule="OVERDUE").exists()
    # the sweep queued the notices on commit, to Redis; the same burst ran them
    assert sorted(
        Notification.objects.filter(kind="overdue").values_list("official__code", flat=True)
    ) == ["GINA", "HUNG"]
    assert rq.get_queue("default").count == 0


def test_the_scheduler_does_not_queue_again_a_run_waiting_in_redis(mailed, rq):
    ingest(received("H-1"))
    first = {t.job: t.outcome for t in scheduler_tick(now=at("2026-10-08T09:00"))}
    assert set(first.values()) == {"queued"} and rq.get_queue("default").count == 3
    later = {t.job: t.outcome for t in scheduler_tick(now=at("2026-10-08T09:20"))}
    assert later["findings_sweep"] == "pending" and later["alerts_reminders"] == "pending"
    assert rq.get_queue("default").count == 3

    with time_machine.travel(at("2026-10-08T09:20"), tick=True):
        burst(rq)
    again = {t.job: t.outcome for t in scheduler_tick(now=at("2026-10-08T09:21"))}
    assert again["findings_sweep"] == "queued"
    assert Notification.objects.filter(kind="digest", official__code="HUNG").exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker in another process needs a database it can open (the PostgreSQL run); "
    "the in-memory SQLite test database lives in this process only",
)
def test_a_separate_rqworker_process_does_the_work(mailed, rq):
    ingest(received("H-1"))
    result = findings_refresh_task.enqueue([Item.objects.get(code="H-1").pk])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "congvu.config.settings",
        "DB_ENGINE": "postgres",
        "DB_NAME": connection.settings_dict["NAME"],  # the test database
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": REDIS_URL,
        # the worker runs at the real date, weeks after this dossier's due moment
        "CONGVU_ALERT_FRESH_DAYS": "3650",
        "DEBUG": "true",
    }
    congvu = Path(sys.executable).with_name("congvu")
    done = subprocess.run(  # noqa: S603 — our own console script, fixed arguments
        [str(congvu), "rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert findings_refresh_task.get_result(result.id).status == TaskResultStatus.SUCCESSFUL
    assert Finding.objects.filter(item__code="H-1", rule="OVERDUE").exists()
    assert Notification.objects.filter(kind="overdue").count() == 2
