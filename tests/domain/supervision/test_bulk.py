"""The bulk checker gives exactly the reference findings, or hands the item back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congvu.domain.calendar import VN_TZ
from congvu.domain.ledger import parse_event
from congvu.domain.ledger.records import Record, dossier_record
from congvu.domain.procedures import Duration
from congvu.domain.supervision import (
    DEFAULT_CONFIG,
    RULES,
    ItemError,
    ThresholdConfig,
    Thresholds,
    check_group,
)
from congvu.domain.supervision.bulk import BulkChecker

from .builders import CATALOG, VN

SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

UNITS = ["XA-01", "XA-02", "TTHCC", "CA-XA", "SO-TP"]
OFFICIALS = ["mc-1", "cv-1", "cv-2", "ld-1"]
STEPS = ["receive", "review", "approve", "other"]

# moments around both rule sets, Tết 2025 and the 30/4–1/5 holidays
starts = st.sampled_from(
    [
        datetime(2025, 1, 24, 16, 55, tzinfo=VN_TZ),
        datetime(2025, 3, 3, 8, 0, tzinfo=VN_TZ),
        datetime(2025, 4, 28, 14, 59, tzinfo=VN_TZ),
        datetime(2025, 6, 30, 16, 0, tzinfo=VN_TZ),
        datetime(2025, 7, 1, 0, 0, tzinfo=VN_TZ),
        datetime(2025, 9, 1, 6, 0, tzinfo=VN_TZ),
        datetime(2025, 12, 31, 15, 1, tzinfo=VN_TZ),
    ]
) | st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001 — made aware below
    max_value=datetime(2026, 6, 1),  # noqa: DTZ001
).map(lambda m: m.replace(microsecond=0, tzinfo=VN_TZ))
# minutes between events: often none, often within the hour, sometimes days
gaps = st.sampled_from([0, 0, 1, 30, 60, 240, 480, 1440, 2880, 7 * 1440]) | st.integers(0, 20000)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[str], datetime]:
    """One dossier's JSON lines (mostly the common shape, sometimes unusual) and a `now`."""
    start = draw(starts)
    code = draw(st.sampled_from(["1.004227", "1.004227", "1.004227", "2.000001", "9.999"]))
    channel = draw(st.sampled_from(["direct", "online", "national_portal", "postal"]))
    moment = start
    lines: list[dict[str, Any]] = []

    def add(type_: str, unit: str, actor: str | None, **data: Any) -> None:
        obj: dict[str, Any] = {
            "item": "H-1",
            "kind": "dossier",
            "seq": len(lines) + 1,
            "at": moment.isoformat(),
            "type": type_,
            "unit": unit,
            "data": data,
        }
        if actor is not None:
            obj["actor"] = actor
        lines.append(obj)

    received: dict[str, Any] = {"procedure": code, "channel": channel}
    if draw(st.integers(0, 9)) == 0:
        received["due"] = (start + timedelta(days=draw(st.integers(0, 10)))).isoformat()
    add(
        "received",
        draw(st.sampled_from(UNITS)),
        draw(st.sampled_from([*OFFICIALS, None])),
        **received,
    )
    ops = st.sampled_from(
        [
            "appointment_issued",
            "assigned",
            "assigned",
            "step_completed",
            "step_completed",
            "transferred",
            "consulted",
            "consultation_answered",
            "supplement_requested",
            "supplement_received",
            "apology_issued",
            "resolved",
            "returned",
            "refused",
            "withdrawn",
            "rated",
            "reopened",
        ]
    )
    for op in draw(st.lists(ops, max_size=14)):
        moment += timedelta(minutes=draw(gaps))
        unit = draw(st.sampled_from(UNITS))
        actor = draw(st.sampled_from([*OFFICIALS, None]))
        later = (moment + timedelta(hours=draw(st.integers(-30, 400)))).isoformat()
        if op == "appointment_issued":
            add(op, unit, actor, due=later)
        elif op == "assigned":
            step = draw(st.sampled_from([*STEPS, None]))
            add(op, unit, actor, official=draw(st.sampled_from(OFFICIALS)), step=step)
        elif op == "step_completed":
            add(op, unit, actor, step=draw(st.sampled_from(STEPS)))
        elif op == "transferred":
            add(op, unit, actor, to_unit=draw(st.sampled_from(UNITS)), reason="x")
        elif op == "consulted":
            if draw(st.booleans()):
                add(op, unit, actor, to_unit=draw(st.sampled_from(UNITS)), due=later)
            else:
                add(op, unit, actor, to_unit=draw(st.sampled_from(UNITS)))
        elif op == "consultation_answered":
            add(op, unit, actor, from_unit=draw(st.sampled_from(UNITS)))
        elif op == "supplement_requested":
            add(op, unit, actor, documents=["Tờ khai"], reason="thiếu")
        elif op == "apology_issued":
            add(op, unit, actor, new_due=later, reason="x")
        elif op == "rated":
            add(op, unit, actor, score=5)
        elif op in ("refused", "withdrawn", "reopened"):
            add(op, unit, actor, reason="x")
        elif op == "resolved":
            add(op, unit, actor, result="approved")
        else:
            add(op, unit, actor)
    twist = draw(st.sampled_from(["", "", "", "", "swap", "repeat", "gap", "offset", "micro"]))
    if twist == "swap" and len(lines) > 2:
        lines[1], lines[2] = lines[2], lines[1]
    elif twist == "repeat" and len(lines) > 1:
        lines.append(dict(lines[-1]))
    elif twist == "gap" and len(lines) > 1:
        lines[-1]["seq"] += 1
    elif twist == "offset":
        k = draw(st.integers(0, len(lines) - 1))
        m = datetime.fromisoformat(lines[k]["at"])
        lines[k]["at"] = m.astimezone(UTC).isoformat()
    elif twist == "micro":
        k = draw(st.integers(0, len(lines) - 1))
        lines[k]["at"] = lines[k]["at"].replace("+07:00", ".250000+07:00")
    now = moment + timedelta(
        minutes=draw(st.sampled_from([0, 1, 60, 2880]) | st.integers(0, 90000))
    )
    if draw(st.integers(0, 9)) == 0:
        now = moment - timedelta(minutes=1)  # an event after now
    return [json.dumps(x, ensure_ascii=False) for x in lines], now


CONFIGS = [
    DEFAULT_CONFIG,
    ThresholdConfig(
        default=Thresholds(
            idle_after=Duration("working_hours", 6),
            bounce_transfers=2,
            bounce_on_return=False,
            apology_max=2,
            supplement_max=2,
            paper_transfer_cutoff=time(16, 30),
            online_acceptance_within=Duration("working_days", 1),
            supplement_request_within=Duration("working_days", 0.5),
            apology_notice=Duration("working_hours", 2),
        )
    ),
    ThresholdConfig(default=Thresholds(idle_after=Duration("calendar_days", 7))),
]


def _reference(lines: list[str], now: datetime, config: ThresholdConfig) -> object:
    events = [parse_event(x) for x in lines]
    result = check_group(
        events, catalog=CATALOG, calendar_for=lambda _: VN, now=now, thresholds=config
    )
    if isinstance(result, ItemError):
        return ("error", result.error.message("en"))
    return result


def _records(lines: list[str]) -> list[Record] | None:
    out: list[Record] = []
    for x in lines:
        found = dossier_record(x.encode("utf-8"))
        if found is None:
            return None
        out.append(found[1])
    return out


@SETTINGS
@given(histories(), st.sampled_from(range(len(CONFIGS))))
def test_the_bulk_checker_finds_what_the_reference_finds(
    history: tuple[list[str], datetime], which: int
) -> None:
    lines, now = history
    config = CONFIGS[which]
    records = _records(lines)
    if records is None:
        return  # an unusual event: the item goes to the reference path (test_fast_paths)
    bulk = BulkChecker(catalog=CATALOG, calendar=VN, now=now, thresholds=config)
    got = bulk.check("local", "H-1", records)
    if got is not None:
        assert got == _reference(lines, now, config)


def test_the_bulk_path_is_taken_for_common_dossiers() -> None:
    # the property above would pass vacuously if every item went back to the reference
    start = datetime(2025, 3, 3, 8, 0, tzinfo=VN_TZ)
    lines = [
        json.dumps(
            {
                "item": "H-1",
                "kind": "dossier",
                "seq": 1,
                "at": start.isoformat(),
                "type": "received",
                "unit": "XA-01",
                "actor": "mc-1",
                "data": {"procedure": "1.004227", "channel": "online"},
            }
        )
    ]
    now = start + timedelta(days=20)
    records = _records(lines)
    assert records is not None
    got = BulkChecker(catalog=CATALOG, calendar=VN, now=now).check("local", "H-1", records)
    assert got is not None and got == _reference(lines, now, DEFAULT_CONFIG)
    assert {f.rule for f in got} >= {"OVERDUE", "LATE_ACCEPTANCE", "IDLE"}


@pytest.mark.parametrize(
    "why",
    ["unknown procedure", "calendar-day limit", "other rules", "parents", "out of order"],
)
def test_items_it_does_not_model_go_back_to_the_reference(why: str) -> None:
    start = datetime(2025, 3, 3, 8, 0, tzinfo=VN_TZ)
    code = {"unknown procedure": "9.999", "calendar-day limit": "2.000001"}.get(why, "1.004227")
    obj: dict[str, Any] = {
        "item": "H-1",
        "kind": "dossier",
        "seq": 1,
        "at": start.isoformat(),
        "type": "received",
        "unit": "XA-01",
        "data": {"procedure": code, "channel": "direct"},
    }
    lines = [json.dumps(obj), json.dumps(obj | {"seq": 2, "type": "returned", "data": {}})]
    if why == "out of order":
        lines.reverse()
    records = _records(lines)
    assert records is not None
    kw: dict[str, Any] = {}
    if why == "other rules":
        kw["rules"] = RULES.only("OVERDUE")
    if why == "parents":
        kw["parents"] = lambda unit: ()
    bulk = BulkChecker(catalog=CATALOG, calendar=VN, now=start + timedelta(days=1), **kw)
    assert bulk.check("local", "H-1", records) is None


@pytest.mark.parametrize(
    ("when", "missed"),
    [
        ("2025-03-05T08:00:00+07:00", 0),  # the latest lawful moment: the due is replaced
        ("2025-03-05T08:00:01+07:00", 1),  # short notice; resolved after the old due
        ("2025-03-06T08:00:01+07:00", 1),  # after the due
    ],
)
def test_an_untimely_apology_does_not_hide_the_old_due_in_either_path(
    when: str, missed: int
) -> None:
    # received Mon 03/03/2025 08:00, due Thu 06/03 08:00, resolved Fri 07/03 08:00
    base: dict[str, Any] = {"item": "H-1", "kind": "dossier", "unit": "XA-01"}
    lines = [
        json.dumps(
            base
            | {
                "seq": 1,
                "at": "2025-03-03T08:00:00+07:00",
                "type": "received",
                "data": {"procedure": "1.004227", "channel": "direct"},
            }
        ),
        json.dumps(
            base
            | {
                "seq": 2,
                "at": when,
                "type": "apology_issued",
                "data": {"new_due": "2025-03-06T09:30:00+07:00", "reason": "x"},
            }
        ),
        json.dumps(
            base
            | {"seq": 3, "at": "2025-03-07T08:00:00+07:00", "type": "resolved"}
            | {"data": {"result": "approved"}}
        ),
    ]
    now = datetime(2025, 3, 10, 8, tzinfo=VN_TZ)
    records = _records(lines)
    assert records is not None
    got = BulkChecker(catalog=CATALOG, calendar=VN, now=now).check("local", "H-1", records)
    assert got is not None and got == _reference(lines, now, DEFAULT_CONFIG)
    found = [f for f in got if f.key == "LATE_NO_APOLOGY:2025-03-06T08:00:00"]
    assert len(found) == missed


@settings(max_examples=300, deadline=None)
@given(st.integers(6 * 365 * 86400, 60 * 365 * 86400))
def test_moments_and_due_keys_are_built_as_the_rules_build_them(ls: int) -> None:
    from congvu.domain.supervision import bulk

    expected = datetime(1970, 1, 1, tzinfo=VN_TZ) + timedelta(seconds=ls)
    got = bulk._moment(ls)
    assert (got, got.tzinfo, got.isoformat()) == (expected, VN_TZ, expected.isoformat())
    assert bulk._due_key(ls) == expected.strftime("%Y-%m-%dT%H:%M:%S")
