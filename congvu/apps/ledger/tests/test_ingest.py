"""The ledger's storage and ingestion: append-only, idempotent, hash-chained, summary in step."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import override_settings

from congvu.apps.ledger.models import Event, Item, PendingEvent
from congvu.apps.ledger.records import item_events
from congvu.apps.ledger.selectors import events_export_lines, ledger_verify
from congvu.apps.ledger.services import dossier_code_issue, event_append, events_ingest
from congvu.apps.ledger.tests.factories import feedback, line
from congvu.domain.ledger import chain_hashes

pytestmark = pytest.mark.django_db


def test_ingest_stores_events_and_summary(calendar_vn):
    report = events_ingest(feedback("A-1") + feedback("A-2", "2026-10-06"))
    assert (report.read, report.appended, report.rejected_count, report.items_created) == (
        10,
        10,
        0,
        2,
    )
    item = Item.objects.get(code="A-1")
    assert item.status == "resolved" and item.rating == 5
    assert item.source == "local" and item.kind == "feedback" and item.agency == "X01"
    assert item.last_seq == 5 and not item.late
    assert [e.type for e in item_events(item)][-1] == "rated"
    hashes = list(Event.objects.filter(item=item).order_by("seq").values_list("hash", flat=True))
    assert hashes == chain_hashes(item_events(item))
    assert item.last_hash == hashes[-1]


def test_rerun_is_a_noop(calendar_vn):
    lines = feedback("A-1")
    events_ingest(lines)
    again = events_ingest(lines)
    assert (again.appended, again.duplicates, again.rejected_count) == (0, 5, 0)
    assert Event.objects.count() == 5


def test_same_key_different_content_is_refused_and_nothing_changes(calendar_vn):
    events_ingest(feedback("A-1"))
    before = list(Event.objects.values_list("hash", flat=True))
    changed = line("A-1", 3, "2026-10-05T10:30:00+07:00", "step_completed", step="review")
    report = events_ingest([changed])
    assert report.rejected_count == 1
    assert report.rejected[0].error.code == "ledger_event_conflict"
    assert "sự kiện số 3" in report.rejected[0].error.message("vi")
    assert list(Event.objects.values_list("hash", flat=True)) == before


def test_gap_is_held_then_released(calendar_vn):
    lines = feedback("A-1")
    report = events_ingest([lines[0], lines[3], lines[4]])
    assert (report.appended, report.held) == (1, 2)
    assert PendingEvent.objects.count() == 2
    assert Item.objects.get(code="A-1").last_seq == 1
    report = events_ingest(lines[1:3])
    assert (report.appended, report.released) == (2, 2)
    assert PendingEvent.objects.count() == 0
    assert Item.objects.get(code="A-1").status == "resolved"


@override_settings(CONGVU_LEDGER_GAPS="reject")
def test_gap_is_refused_when_configured(calendar_vn):
    lines = feedback("A-1")
    report = events_ingest([lines[0], lines[2]])
    assert report.appended == 1 and report.rejected_count == 1
    assert report.rejected[0].error.code == "ledger_gap"
    assert report.rejected[0].line == 2
    assert not PendingEvent.objects.exists()


def test_bad_lines_are_reported_with_line_number_and_good_ones_kept(calendar_vn):
    lines = feedback("A-1")
    lines.insert(2, '{"item": "A-1", "seq": "x"}')
    lines.insert(4, "not json")
    report = events_ingest(lines)
    assert report.appended == 5 and report.rejected_count == 2
    assert [r.line for r in report.rejected] == [3, 5]
    assert "Dòng 5" in report.rejected[1].error.message("vi")
    assert "Line 5" in report.rejected[1].error.message("en")


def test_event_the_fold_refuses_is_rejected_and_later_ones_held(calendar_vn):
    lines = feedback("A-1")
    # seq 3 happens before seq 2: the fold refuses time going backwards.
    lines[2] = line("A-1", 3, "2026-10-05T08:01:00+07:00", "step_completed", step="review")
    report = events_ingest(lines)
    assert report.appended == 2
    assert report.rejected_count == 1 and report.rejected[0].line == 3
    assert report.held == 2
    assert Item.objects.get(code="A-1").last_seq == 2


def test_kind_mismatch_and_unknown_procedure_are_refused(calendar_vn):
    lines = feedback("A-1")
    lines[1] = line("A-1", 2, "2026-10-05T08:05:00+07:00", "assigned", kind="task", official="X")  # noqa: E501
    report = events_ingest(lines[:2])
    assert report.rejected[0].error.code == "ledger_kind_mismatch"
    unknown = line(
        "B-1", 1, "2026-10-05T08:00:00+07:00", "received", channel="direct", procedure="9.999999"
    )
    report = events_ingest([unknown])
    assert report.rejected[0].error.code == "ledger_unknown_procedure"
    assert not Item.objects.filter(code="B-1").exists()


def test_future_events_and_foreign_sources_are_refused(calendar_vn):
    future = feedback("A-1", "2031-01-06")
    report = events_ingest(future[:1])
    assert report.rejected[0].error.code == "ledger_future_event"
    report = events_ingest(feedback("A-2"), allowed_source="dvc")
    assert report.rejected_count == 5
    assert report.rejected[0].error.code == "ledger_source_mismatch"


def test_the_future_is_five_minutes_ahead_whatever_the_offset(calendar_vn, time_machine):
    time_machine.move_to("2026-10-05T03:00:00+00:00", tick=False)  # 10:00 in Hà Nội

    def received(item: str, at: str) -> str:
        return line(
            item,
            1,
            at,
            "received",
            kind="feedback",
            channel="hotline",
            category="Môi trường",
            due="2026-10-05T17:00:00+07:00",
        )

    # the offsets change from line to line: the check keeps "now + 5 min" in each one
    report = events_ingest(
        [
            received("F-1", "2026-10-05T10:04:59+07:00"),
            received("F-2", "2026-10-05T03:05:01+00:00"),
            received("F-3", "2026-10-04T22:04:30-05:00"),
            received("F-4", "2026-10-05T10:05:01+07:00"),
            received("F-5", "2026-10-05T03:05:00Z"),
        ]
    )
    refused = {r.item for r in report.rejected}
    assert refused == {"F-2", "F-4"}
    assert {r.error.code for r in report.rejected} == {"ledger_future_event"}
    assert set(Item.objects.values_list("code", flat=True)) == {"F-1", "F-3", "F-5"}


def test_interrupted_import_resumes_without_loss_or_duplicates(calendar_vn):
    lines = [x for n in range(30) for x in feedback(f"A-{n:02d}", "2026-10-05")]

    def killed(after: int):
        for n, text in enumerate(lines):
            if n == after:
                raise KeyboardInterrupt  # the operator's Ctrl-C, or the OOM killer
            yield text

    with pytest.raises(KeyboardInterrupt):
        events_ingest(killed(73), batch_size=20)
    assert Event.objects.count() == 60  # three whole batches, nothing of the fourth
    report = events_ingest(lines, batch_size=20)
    assert (report.duplicates, report.appended, report.rejected_count) == (60, 90, 0)
    assert Event.objects.count() == 150
    assert not ledger_verify().broken


def test_export_gives_back_the_lines_and_reimport_is_identical(calendar_vn):
    lines = feedback("A-1") + feedback("A-2", "2026-10-06")
    events_ingest(lines)
    exported = list(events_export_lines())
    assert len(exported) == 10
    assert events_ingest(exported).duplicates == 10
    assert [json_norm(x) for x in exported] == [json_norm(x) for x in lines]


def json_norm(text: str) -> dict:
    import json

    obj = json.loads(text)
    obj.setdefault("source", "local")
    obj.setdefault("data", {})
    return obj


def test_events_cannot_be_updated_or_deleted(calendar_vn):
    events_ingest(feedback("A-1"))
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Event.objects.filter(seq=1).update(type="refused")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Event.objects.filter(seq=5).delete()
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("DELETE FROM ledger_event")
    assert Event.objects.count() == 5


def test_verify_detects_a_row_altered_directly_in_the_database(calendar_vn):
    events_ingest(feedback("A-1") + feedback("A-2", "2026-10-06"))
    assert not ledger_verify().broken
    _tamper(
        'UPDATE ledger_event SET data = \'{"step": "approve"}\' WHERE seq = 3 AND item_id ='
        " (SELECT id FROM ledger_item WHERE code = 'A-2')"
    )
    result = ledger_verify()
    assert result.events == 10 and result.items == 2
    [broken] = result.broken
    assert (broken.params["item"], broken.params["seq"]) == ("A-2", 3)
    assert "đã bị sửa" in broken.message("vi")


def _tamper(sql: str) -> None:
    """What someone with the database's owner rights could do: lift the trigger, alter a row."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for the session.
            cur.execute("SET session_replication_role = replica")
            cur.execute(sql)
            cur.execute("SET session_replication_role = DEFAULT")
        else:
            from congvu.apps.ledger import triggers

            for s in triggers.SQLITE_DROP:
                cur.execute(s)
            cur.execute(sql)
            for s in triggers.SQLITE_INSTALL:
                cur.execute(s)


def test_query_count_does_not_grow_with_the_batch(calendar_vn, django_assert_max_num_queries):
    events_ingest(feedback("W-0"))  # warm the calendar cache path once
    small = [x for n in range(5) for x in feedback(f"S-{n}")]
    large = [x for n in range(60) for x in feedback(f"L-{n}")]
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q_small:
        events_ingest(small)
    with CaptureQueriesContext(connection) as q_large:
        events_ingest(large)
    # The only growth is SQLite's 999-parameter limit splitting the multi-row INSERTs
    # (60 items x 25 columns, 300 events x 10 columns: 2 + 4 statements instead of 1 + 1).
    assert len(q_small.captured_queries) <= 12
    assert len(q_large.captured_queries) <= len(q_small.captured_queries) + 4


def test_append_from_screens_assigns_seq(calendar_vn):
    events_ingest(feedback("A-1")[:3])
    state = event_append(
        {
            "item": "A-1",
            "kind": "feedback",
            "at": "2026-10-05T11:00:00+07:00",
            "type": "resolved",
            "unit": "X01",
            "data": {"result": "answered"},
        }
    )
    assert state.status == "resolved"
    assert Item.objects.get(code="A-1").last_seq == 4


def test_dossier_codes_count_per_agency_and_day():
    import datetime as dt

    day = dt.date(2026, 10, 5)
    assert dossier_code_issue("X01", day) == "X01-261005-0001"
    assert dossier_code_issue("X01", day) == "X01-261005-0002"
    assert dossier_code_issue("X02", day) == "X02-261005-0001"
    assert dossier_code_issue("X01", day + dt.timedelta(days=1)) == "X01-261006-0001"


def test_slip_secrets_are_six_symbols_of_the_alphabet_from_one_read():
    from congvu.apps.ledger.ingest import SECRET_ALPHABET, _secrets

    codes = _secrets(200)
    assert len(codes) == 200 and _secrets(0) == []
    assert all(len(c) == 6 and set(c) <= set(SECRET_ALPHABET) for c in codes)
    assert len(set(codes)) == 200  # 32**6 ≈ 1.07e9 codes: a repeat is one run in ~50,000
    # every symbol is drawn (1,200 draws, each symbol expected 37.5 times; one missing: e**-38)
    assert set("".join(codes)) == set(SECRET_ALPHABET)
