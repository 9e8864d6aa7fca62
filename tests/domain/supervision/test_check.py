"""check_item and check_stream: ordering, determinism, grouping and items that cannot be checked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from congvu.domain.calendar import VN_TZ
from congvu.domain.errors import NaiveMomentError
from congvu.domain.ledger import EventOrderError, fold, parse_event
from congvu.domain.supervision import (
    DEFAULT_CONFIG,
    ConflictingEventError,
    Finding,
    ItemError,
    Severity,
    ThresholdConfig,
    check_item,
    check_stream,
    order_events,
)

from .builders import BIRTH, CATALOG, VN, History, at, check, dossier


def _late_dossier(item: str = "H20.12-250303-0001") -> History:
    h = History(item).add(
        "2025-03-03T08:00", "received", actor="mc-1", procedure="1.004227", channel="direct"
    )
    h.supplement("2025-03-07T09:00").supplement("2025-03-07T10:00")
    return h


def test_findings_are_sorted_by_moment_rule_and_key() -> None:
    found = check(_late_dossier(), "2025-03-20T08:00")
    assert found == sorted(found, key=Finding.sort_key)
    assert [f.rule for f in found] == [
        "STEP_LATE",
        "LATE_TRANSFER",
        "LATE_NO_APOLOGY",
        "OVERDUE",
        "LATE_SUPPLEMENT_REQUEST",
        "LATE_SUPPLEMENT_REQUEST",
        "REPEATED_SUPPLEMENT",
    ]


def test_check_item_is_deterministic_and_accepts_a_folded_state() -> None:
    h = _late_dossier()
    now = at("2025-03-20T08:00")
    first = check_item(h.events, calendar=VN, procedure=BIRTH, now=now)
    again = check_item(list(h.events), calendar=VN, procedure=BIRTH, now=now)
    state = fold(h.events, calendar=VN, procedure=BIRTH, as_of=now)
    given = check_item(h.events, calendar=VN, procedure=BIRTH, now=now, state=state)
    utc = check_item(h.events, calendar=VN, procedure=BIRTH, now=now.astimezone(UTC))
    assert first == again == given == utc


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(NaiveMomentError):
        check_item(
            dossier("2025-03-03T08:00").events,
            calendar=VN,
            procedure=BIRTH,
            now=datetime(2025, 3, 20, 8),  # noqa: DTZ001 — the point of the test
        )


def test_findings_name_the_rule_set_of_the_receipt() -> None:
    assert {f.ruleset for f in check(dossier("2025-06-30T16:00"), "2025-07-20T08:00")} == {
        "ND61/2018+107/2021"
    }
    assert {f.ruleset for f in check(dossier("2025-07-01T08:00"), "2025-07-20T08:00")} == {
        "ND118/2025"
    }


def test_order_events_sorts_drops_identical_repeats_and_refuses_conflicts() -> None:
    h = dossier("2025-03-03T08:00").slip("2025-03-03T08:05", "2025-03-06T08:00")
    h.resolve("2025-03-04T08:00")
    e1, e2, e3 = h.events
    assert order_events([e3, e1, e2, e2]) == [e1, e2, e3]
    other = parse_event(h.lines[1].replace("08:05", "08:06"))
    with pytest.raises(ConflictingEventError) as raised:
        order_events([e1, e2, other])
    assert "seq 2" in raised.value.message("en") and "số 2" in raised.value.message("vi")


def _stream_lines() -> list[str]:
    a = _late_dossier("A")
    b = dossier("2025-03-03T08:00", item="B").resolve("2025-03-04T08:00")
    gap = dossier("2025-03-03T08:00", item="GAP").resolve("2025-03-04T08:00")
    unknown = dossier("2025-03-03T08:00", item="UNK", procedure="9.999999")
    feedback = History("FB", kind="feedback").add(
        "2025-03-03T08:00",
        "received",
        unit="TTHCC",
        category="c",
        channel="hotline",
        due="2025-03-05T08:00",
    )
    lines = a.lines + b.lines + [gap.lines[1]] + unknown.lines + feedback.lines
    # interleave by time as an export would: the stream order must not matter
    return sorted(lines, key=lambda line: json.loads(line)["at"])


def test_check_stream_groups_by_item_and_reports_items_it_cannot_check() -> None:
    events = [parse_event(line) for line in _stream_lines()]
    out = list(
        check_stream(
            events,
            catalog=CATALOG,
            calendar_for=lambda unit: VN,
            now=at("2025-03-20T08:00"),
        )
    )
    errors = [x for x in out if isinstance(x, ItemError)]
    findings = [x for x in out if isinstance(x, Finding)]
    assert sorted((e.item, e.error.code) for e in errors) == [
        ("GAP", "ledger_event_order"),
        ("UNK", "supervision_unknown_procedure"),
    ]
    unknown = next(e for e in errors if e.item == "UNK")
    assert "9.999999" in unknown.message("en") and "danh mục" in unknown.message()
    assert unknown.to_dict("en")["code"] == "supervision_unknown_procedure"
    assert {f.item for f in findings} == {"A", "B", "FB"}
    # B: resolved the next morning, without a slip, its reception step never closed
    assert {f.rule for f in findings if f.item == "B"} == {
        "NO_APPOINTMENT_SLIP",
        "LATE_TRANSFER",
        "STEP_LATE",
    }
    assert {f.rule for f in findings if f.item == "FB"} == {"OVERDUE", "IDLE"}
    assert all(f.severity in Severity for f in findings)


def test_check_stream_uses_per_procedure_thresholds() -> None:
    events = [parse_event(line) for line in _late_dossier("A").lines]
    lenient = ThresholdConfig.from_dict({"procedures": {"1.004227": {"supplement_max": 3}}})
    kw = {"catalog": CATALOG, "calendar_for": lambda unit: VN, "now": at("2025-03-20T08:00")}
    default = {f.rule for f in check_stream(events, thresholds=DEFAULT_CONFIG, **kw)}
    adjusted = {f.rule for f in check_stream(events, thresholds=lenient, **kw)}
    assert default - adjusted == {"REPEATED_SUPPLEMENT"}


def test_a_calendar_that_does_not_cover_now_is_an_item_error() -> None:
    events = dossier("2025-03-03T08:00").events
    (out,) = check_stream(
        events,
        catalog=CATALOG,
        calendar_for=lambda unit: VN,
        now=datetime(2031, 6, 1, tzinfo=VN_TZ) + timedelta(days=1),
    )
    assert isinstance(out, ItemError) and out.error.code == "calendar_out_of_range"


def test_an_empty_history_is_refused() -> None:
    with pytest.raises(EventOrderError):
        check_item([], calendar=VN, procedure=None, now=at("2025-03-20T08:00"))
