"""The writer thread (pipeline.py): the same rows as writing in the importing thread, every
batch committed in order, and a failure of the writer raised and rolled back, never lost.

These tests commit for real (``transaction=True``): the writer thread has its own connection,
which would not see a test's enclosing transaction. The thread is used on PostgreSQL only
(SQLite has no server to overlap with); on SQLite the inline path is checked instead.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from congvu.apps.ledger.bulk import IdPool, reserve_ids
from congvu.apps.ledger.models import Event, Item, PendingEvent
from congvu.apps.ledger.pipeline import SWITCH_INTERVAL, long_import_runtime
from congvu.apps.ledger.selectors import ledger_verify
from congvu.apps.ledger.services import SUMMARY_FIELDS, events_ingest
from congvu.apps.ledger.tests.factories import feedback, line
from congvu.apps.supervision.models import ItemCheck

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the writer thread runs on PostgreSQL only")


def tricky(source: str) -> list[str]:
    """Items cut by batch boundaries, a re-sent event and a gap filled batches later (in a
    batch of 7 lines), a conflict, and a bad line."""
    lines = []
    for n in range(6):
        lines += feedback(f"A-{n}", "2026-10-05")
    b = feedback("B-1", "2026-10-06")
    lines[8:8] = [b[0], b[3]]  # B-1 seq 4 arrives long before seq 2 and 3: held
    lines += [lines[2], lines[12]]  # re-sent while their batches may still be in flight
    lines.append(line("A-0", 3, "2026-10-05T10:30:00+07:00", "step_completed", step="x"))
    lines.append("not json")
    lines += [b[1], b[2], b[4]]  # the gap is filled: seq 4 is released
    return [x.replace('"kind"', f'"source": "{source}", "kind"', 1) for x in lines]


def rows(source: str) -> list[tuple]:
    items = list(
        Item.objects.filter(source=source).order_by("code").values_list("code", *SUMMARY_FIELDS)
    )
    events = list(
        Event.objects.filter(item__source=source)
        .order_by("item__code", "seq")
        .values_list("item__code", "seq", "at", "at_text", "type", "unit", "actor", "data", "hash")
    )
    return items + events


def test_writer_thread_stores_what_the_importing_thread_stores(calendar_vn, postgres):
    inline = events_ingest(tricky("inline"), batch_size=7, writer_thread=False)
    threaded = events_ingest(tricky("thread"), batch_size=7, writer_thread=True)
    assert inline.as_dict() == threaded.as_dict()
    assert (threaded.appended, threaded.duplicates, threaded.released) == (34, 2, 1)
    assert [r["code"] for r in threaded.as_dict()["rejections"]] == [
        "ledger_event_conflict",
        "ledger_invalid_event",
    ]
    assert_stored_alike("inline", "thread")


def assert_stored_alike(source: str, other: str) -> None:
    """The same summary rows and events under both sources, every held event released, every
    touched item checked. The hashes differ (the source is hashed): the chains are checked by
    verification instead."""
    assert [r[:-1] for r in rows(source)] == [r[:-1] for r in rows(other)]
    assert not PendingEvent.objects.exists()
    assert not ledger_verify().broken
    # the supervision check of every touched item ran once its batch had committed
    checked = dict(ItemCheck.objects.values_list("item__code", "checked_seq"))
    assert checked == dict(Item.objects.values_list("code", "last_seq"))


@contextmanager
def refusing(code: str) -> Iterator[None]:
    """A real failure inside a writer's transaction: the row of item ``code`` is refused by
    the database."""
    with connection.cursor() as cur:
        cur.execute(
            "CREATE FUNCTION test_refuse() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.code = '{code}' THEN RAISE EXCEPTION 'refused {code}'; END IF; RETURN NEW; "
            "END $$ LANGUAGE plpgsql"
        )
        cur.execute(
            "CREATE TRIGGER test_refuse BEFORE INSERT ON ledger_item "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP TRIGGER test_refuse ON ledger_item")
            cur.execute("DROP FUNCTION test_refuse()")


def test_writer_failure_rolls_back_its_batch_and_is_raised(calendar_vn, postgres):
    lines = [x for n in range(10) for x in feedback(f"F-{n}", "2026-10-05")]
    with refusing("F-5"), pytest.raises(Exception, match="refused F-5"):
        events_ingest(lines, batch_size=10, writer_thread=True, findings=False)
    # batch 1 (written inline) and batch 2 (the writer's first) committed; nothing of
    # batch 3 (F-4, F-5), nor of the batch prepared meanwhile
    assert Event.objects.count() == 20
    assert sorted(Item.objects.values_list("code", flat=True)) == [f"F-{n}" for n in range(4)]
    again = events_ingest(lines, batch_size=10, writer_thread=True, findings=False)
    assert (again.duplicates, again.appended, again.rejected_count) == (20, 30, 0)
    assert Event.objects.count() == 50
    assert not ledger_verify().broken


def test_interrupted_threaded_import_keeps_whole_batches_only(calendar_vn, postgres):
    lines = [x for n in range(30) for x in feedback(f"K-{n:02d}", "2026-10-05")]

    def killed(after: int):
        for n, text in enumerate(lines):
            if n == after:
                raise KeyboardInterrupt  # the operator's Ctrl-C
            yield text

    with pytest.raises(KeyboardInterrupt):
        events_ingest(killed(73), batch_size=20, writer_thread=True, findings=False)
    # the batch being written when the reader stopped is finished, the one being read is not
    assert Event.objects.count() == 60
    report = events_ingest(lines, batch_size=20, writer_thread=True, findings=False)
    assert (report.duplicates, report.appended, report.rejected_count) == (60, 90, 0)
    assert not ledger_verify().broken


def test_no_writer_thread_inside_a_transaction(calendar_vn):
    with transaction.atomic(), pytest.raises(ValueError, match="writer_thread"):
        events_ingest(feedback("T-1"), writer_thread=True)
    # by default the import then writes in the caller's transaction
    with transaction.atomic():
        report = events_ingest(feedback("T-1"), batch_size=2)
    assert report.appended == 5 and Event.objects.count() == 5


def test_id_pool_reserves_ahead_only_after_the_first_batch(postgres):
    pool = IdPool(Item._meta.db_table, block=50)
    first = pool.take(3)  # one batch alone (an API call) takes exactly what it needs
    assert reserve_ids(Item._meta.db_table, 1)[0] == first[-1] + 1
    second = pool.take(4)  # then a block of 50: the next 46 come without a query
    following = pool.take(46)
    assert following[0] == second[-1] + 1 and len(set(first + second + following)) == 53
    assert reserve_ids(Item._meta.db_table, 1)[0] == second[0] + 50


def interpreter_settings() -> tuple:
    """What ``long_import_runtime`` changes, to compare before and after."""
    return gc.get_threshold(), sys.getswitchinterval(), gc.get_freeze_count()


def test_long_import_runtime_is_undone(calendar_vn, postgres):
    before = interpreter_settings()
    lines = [x for n in range(10) for x in feedback(f"R-{n:02d}", "2026-10-05")]
    events_ingest(lines, batch_size=20, writer_thread=True, findings=False)
    assert interpreter_settings() == before


def test_overlapping_long_imports_restore_the_settings_once():
    before = interpreter_settings()
    with long_import_runtime():
        with long_import_runtime():  # a second import in the same process
            assert sys.getswitchinterval() == SWITCH_INTERVAL
        # the first is still running: its settings stay
        assert sys.getswitchinterval() == SWITCH_INTERVAL
    assert interpreter_settings() == before
