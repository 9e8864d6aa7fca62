"""An import shared among worker processes (workers.py): the same rows, counts and rejections
as one process, whole batches only when it is interrupted, a worker's failure raised.

The workers commit on their own connections, so these tests commit for real
(``transaction=True``); they run on PostgreSQL only (SQLite has one writer at a time).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from congvu.apps.ledger import workers
from congvu.apps.ledger.models import Event, Item
from congvu.apps.ledger.selectors import ledger_verify
from congvu.apps.ledger.services import (
    IngestReport,
    Rejection,
    events_ingest,
    import_workers,
    merge_reports,
)
from congvu.apps.ledger.tests.factories import feedback
from congvu.apps.ledger.tests.test_pipeline import assert_stored_alike, refusing, tricky
from congvu.apps.ledger.workers import partition
from congvu.domain.ledger.errors import InvalidEventError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("worker processes run on PostgreSQL only")


def many(prefix: str, n: int) -> list[str]:
    return [x for k in range(n) for x in feedback(f"{prefix}-{k:02d}", "2026-10-05")]


def test_workers_store_what_one_process_stores(calendar_vn, postgres):
    one = events_ingest(tricky("one"), batch_size=7, workers=1)
    two = events_ingest(tricky("two"), batch_size=7, workers=2)
    # Whether B-1's seq 4 waits for seq 2 and 3 depends on the batches it falls in, which
    # differ with the share of lines its worker gets: what is stored and what is left held
    # are the same whichever.
    for report in (one, two):
        stored, left = report.appended + report.released, report.held - report.released
        counts = (report.read, stored, left, report.duplicates, report.items_created)
        assert counts == (39, 35, 0, 2, 7)
    assert one.as_dict()["rejections"] == two.as_dict()["rejections"]
    assert [r["line"] for r in two.as_dict()["rejections"]] == [35, 36]
    assert_stored_alike("one", "two")


def test_every_worker_gets_a_share_and_progress_reaches_the_last_line(calendar_vn, postgres):
    lines = many("P", 40)
    seen: list[int] = []
    report = events_ingest(lines, batch_size=20, workers=3, on_batch=seen.append)
    assert (report.appended, report.items_created, report.rejected_count) == (200, 40, 0)
    assert seen == sorted(seen) and seen[-1] == len(lines)
    shares = Counter(partition(x.encode(), n, 3) for n, x in enumerate(lines, start=1))
    assert len(shares) == 3  # 40 items over 3 workers: none idle


def test_an_interrupted_run_keeps_whole_batches_and_a_re_run_completes(
    calendar_vn, postgres, monkeypatch
):
    monkeypatch.setattr(workers, "CHUNK", 10)  # lines reach the workers ten at a time
    lines = many("K", 30)

    def killed(after: int):
        for n, text in enumerate(lines):
            if n == after:
                # the operator's Ctrl-C, once the workers have committed a few batches
                for _ in range(200):
                    if Event.objects.count() >= 40:
                        break
                    time.sleep(0.05)
                raise KeyboardInterrupt
            yield text

    with pytest.raises(KeyboardInterrupt):
        events_ingest(killed(110), batch_size=10, workers=2, findings=False)
    assert not multiprocessing.active_children()  # the workers stopped with the run
    stored = Event.objects.count()
    # whole batches of whole items (10-line batches of 5-event items), none after the stop
    assert 40 <= stored <= 110 and stored % 5 == 0
    assert set(Item.objects.values_list("last_seq", flat=True)) == {5}
    assert not ledger_verify().broken
    report = events_ingest(lines, batch_size=10, workers=2, findings=False)
    assert (report.duplicates, report.appended, report.rejected_count) == (stored, 150 - stored, 0)
    assert Event.objects.count() == 150 and not ledger_verify().broken


def test_killing_the_import_command_half_way_loses_nothing(calendar_vn, postgres, tmp_path):
    lines = many("S", 2000)
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "congvu.config.settings",
        "DB_ENGINE": "postgres",
        "DB_NAME": connection.settings_dict["NAME"],  # the test database
    }
    command = [str(Path(sys.executable).with_name("congvu")), "events", "import", str(path)]
    command += ["--no-progress", "--workers", "2", "--batch", "200"]
    importing = subprocess.Popen(  # noqa: S603 — our own console script, fixed arguments
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while Event.objects.count() < 1000 and time.monotonic() < deadline:
        assert importing.poll() is None, importing.stderr.read() if importing.stderr else ""
        time.sleep(0.02)
    importing.kill()  # SIGKILL: no clean-up in the importing process
    importing.wait()
    importing.stderr.close()
    # its workers see their pipes end, finish the batch they are writing and disconnect
    others = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    for _ in range(600):
        with connection.cursor() as cur:
            cur.execute(others, [connection.settings_dict["NAME"]])
            if cur.fetchone()[0] == 0:
                break
        time.sleep(0.05)
    else:
        pytest.fail("the workers of a killed import are still connected")
    stored = Event.objects.count()
    assert 1000 <= stored < len(lines)  # killed half-way
    # whole batches of whole items (200-line batches of 5-event items), chained
    assert set(Item.objects.values_list("last_seq", flat=True)) == {5}
    assert not ledger_verify().broken
    report = events_ingest(lines, workers=2, findings=False)
    assert (report.duplicates, report.appended) == (stored, len(lines) - stored)
    assert Event.objects.count() == len(lines) and not ledger_verify().broken


def test_a_workers_failure_is_raised_and_loses_nothing(calendar_vn, postgres):
    lines = many("F", 10)
    with refusing("F-05"), pytest.raises(Exception, match="refused F-05"):
        events_ingest(lines, batch_size=10, workers=2, findings=False)
    assert "F-05" not in set(Item.objects.values_list("code", flat=True))
    again = events_ingest(lines, batch_size=10, workers=2, findings=False)
    assert again.appended + again.duplicates == 50 and again.rejected_count == 0
    assert Event.objects.count() == 50 and not ledger_verify().broken


def test_the_import_command_shares_a_file_among_workers(calendar_vn, postgres, tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(many("C", 12)) + "\n\nnot json\n", encoding="utf-8")
    with pytest.raises(Exception, match="1 dòng bị từ chối"):
        call_command("events", "import", str(path), "--no-progress", "--workers", "2")
    out, err = capsys.readouterr()
    assert "Đã ghi: 60" in out and "dòng 62:" in err
    assert Event.objects.count() == 60


def test_workers_need_postgresql_and_no_transaction(calendar_vn):
    with transaction.atomic(), pytest.raises(ValueError, match="workers"):
        events_ingest(feedback("T-1"), workers=2)
    if connection.vendor == "sqlite":
        assert import_workers() == 1
        with pytest.raises(ValueError, match="workers"):
            events_ingest(feedback("T-1"), workers=2)
    else:
        assert import_workers() >= 1
        with pytest.raises(ValueError, match="keep_states"):
            events_ingest(feedback("T-1"), workers=2, keep_states=True)


# -- without a database ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=False)
def test_a_line_goes_to_the_worker_of_its_item_as_the_parser_reads_it():
    def key(text: str, number: int = 1) -> int:
        return partition(text.encode(), number, 7)

    plain = '{"item": "A-1", "kind": "feedback", "seq": 1}'
    assert key(plain) == key('{"seq": 2, "source": "local", "item": "A-1"}', 99)
    assert key("\ufeff" + plain) == key(plain)  # the parser skips a byte-order mark
    # msgspec refuses a lone surrogate that the standard library (the parser's slow path) reads
    assert key('{"item": "A-1", "data": {"note": "\\ud800"}}', 5) == key(plain)
    # no item to read: by line number (the line is refused wherever it goes)
    assert [key("not json", n) for n in (7, 8, 9)] == [0, 1, 2]
    assert key('{"item": 12}', 10) == 3


@pytest.mark.django_db(transaction=False)
def test_merged_reports_add_up_and_list_rejections_in_line_order():
    def rejected(line: int | None) -> Rejection:
        error = InvalidEventError(line=line, item="X", key="", reason_vi="x", reason_en="x")
        return Rejection(line, "X", 1, error)

    a = IngestReport(read=5, appended=3, rejected_count=2, rejected=[rejected(9), rejected(None)])
    b = IngestReport(read=4, duplicates=2, held=1, rejected_count=1, rejected=[rejected(2)])
    merged = merge_reports([a, b])
    assert (merged.read, merged.appended, merged.duplicates, merged.held) == (9, 3, 2, 1)
    assert [r.line for r in merged.rejected] == [2, 9, None]
    assert json.dumps(merged.as_dict())  # JSON-ready, as the command writes it
