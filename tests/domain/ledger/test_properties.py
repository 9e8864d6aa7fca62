"""Hypothesis properties of the fold: determinism, prefixes, and the clock's arithmetic."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congvu.domain.calendar import VN_TZ, national_calendar
from congvu.domain.ledger import (
    ND61_2018,
    Event,
    ItemState,
    ItemSummary,
    Status,
    fold,
    fold_summary,
    fold_until,
    parse_event,
)

from .builders import BIRTH, received

VN = national_calendar()  # module level: hypothesis does not mix with function fixtures

OPS: dict[str, dict[str, Any]] = {
    "assigned": {"official": "cv-1"},
    "assigned2": {"official": "cv-2", "step": "review"},
    "transferred": {"to_unit": "XA-02", "reason": "x"},
    "transferred2": {"to_unit": "XA-01", "reason": "y"},
    "step_completed": {"step": "receive"},
    "step_completed2": {"step": "review"},
    "consulted": {"to_unit": "CA-XA"},
    "consultation_answered": {"from_unit": "CA-XA"},
    "supplement_requested": {"documents": ["Tờ khai"], "reason": "x"},
    "supplement_received": {},
    "resolved": {"result": "approved"},
    "reopened": {"reason": "x"},
    "rated": {"score": 4},
}
APOLOGY = "apology_issued"

starts = st.datetimes(
    min_value=datetime(2021, 1, 1),  # noqa: DTZ001 — made aware below
    max_value=datetime(2029, 6, 1),  # noqa: DTZ001
).map(lambda m: m.replace(second=0, microsecond=0, tzinfo=VN_TZ))
gaps = st.integers(min_value=0, max_value=5 * 24 * 60)  # minutes between events
ops = st.sampled_from([*OPS, APOLOGY])


@st.composite
def histories(draw: st.DrawFn, *, apologies: bool = True) -> list[Event]:
    start = draw(starts)
    h = received(start.isoformat())
    moment = start
    for op in draw(st.lists(ops if apologies else st.sampled_from(list(OPS)), max_size=12)):
        moment += timedelta(minutes=draw(gaps))
        if op == APOLOGY:
            new_due = (moment + timedelta(days=draw(st.integers(0, 20)))).isoformat()
            h.add(moment.isoformat(), APOLOGY, new_due=new_due, reason="x")
        else:
            h.add(moment.isoformat(), op.rstrip("2"), **OPS[op])
    return h.events


def run(events: list[Event], as_of: datetime, **kw: Any) -> ItemState:
    return fold(events, calendar=VN, procedure=BIRTH, as_of=as_of, **kw)


def summarise(events: list[Event], as_of: datetime, **kw: Any) -> ItemSummary:
    return fold_summary(events, calendar=VN, procedure=BIRTH, as_of=as_of, **kw)


def end_of(events: list[Event], extra: int) -> datetime:
    return events[-1].at + timedelta(minutes=extra)


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(histories(), gaps)
def test_fold_is_deterministic_and_survives_a_json_round_trip(
    events: list[Event], extra: int
) -> None:
    as_of = end_of(events, extra)
    again = [parse_event(e.to_json()) for e in events]
    assert run(events, as_of) == run(list(events), as_of) == run(again, as_of)


@FAST
@given(histories(), gaps)
def test_folding_a_prefix_gives_the_history_so_far(events: list[Event], extra: int) -> None:
    as_of = end_of(events, extra)
    final = run(events, as_of)
    for k in range(1, len(events) + 1):
        s = run(events[:k], as_of)
        assert s.seqs == tuple(range(1, k + 1))
        assert final.transfer_path[: len(s.transfer_path)] == s.transfer_path
        assert s.supplement_count <= final.supplement_count
        assert final.responsible[: len(s.responsible) - 1] == s.responsible[:-1]
        last = s.responsible[-1]
        assert final.responsible[len(s.responsible) - 1].start == last.start
        assert s.received_at == final.received_at and s.ruleset == final.ruleset


@FAST
@given(histories(), st.lists(gaps, min_size=1, max_size=4))
def test_state_at_a_moment_only_sees_the_past_and_766_time_never_goes_back(
    events: list[Event], offsets: list[int]
) -> None:
    start = events[0].at
    moments = sorted({start + timedelta(minutes=7 * o) for o in offsets})
    previous = -1
    for t in moments:
        s = fold_until(events, calendar=VN, procedure=BIRTH, as_of=t)
        assert all(e.at <= t for e in events[: len(s.seqs)])
        assert len(s.seqs) == len(events) or events[len(s.seqs)].at > t
        assert s.elapsed_766_seconds >= previous
        previous = s.elapsed_766_seconds


@FAST
@given(histories(apologies=False), gaps, st.booleans())
def test_used_plus_left_is_the_limit_while_open_and_unpaused(
    events: list[Event], extra: int, restart: bool
) -> None:
    rs = dataclasses.replace(ND61_2018, restart_after_supplement=restart)
    s = run(events, end_of(events, extra), ruleset=rs)
    if s.status == Status.OPEN:
        assert s.working_seconds_used + s.working_seconds_left == s.limit_seconds == 3 * 8 * 3600
        assert s.late == (s.as_of > s.due)
        assert s.lateness_seconds == max(0, -s.working_seconds_left)


@FAST
@given(
    histories(),
    st.integers(min_value=0, max_value=60 * 24 * 60),
    st.sampled_from([None, False, True]),
)
def test_the_summary_fold_gives_the_full_folds_summary(
    events: list[Event], extra: int, restart: bool | None
) -> None:
    """The ingestion stores ``fold_summary``; it must be what the full fold says, up to long
    after the last event (a supplement wait closed by the rule set's period included), under
    the rule set in force or one that does (not) restart the clock after a supplement."""
    as_of = end_of(events, extra)
    kw: dict[str, Any] = {}
    if restart is not None:
        kw["ruleset"] = dataclasses.replace(ND61_2018, restart_after_supplement=restart)
    summary = summarise(events, as_of, **kw)
    assert summary == run(events, as_of, **kw).summary()


def test_the_summary_fold_closes_a_supplement_wait_that_outlasts_its_period() -> None:
    h = received("2026-03-02T09:00:00+07:00")
    h.add("2026-03-03T10:00:00+07:00", "supplement_requested", documents=["Tờ khai"], reason="x")
    as_of = datetime(2026, 4, 1, 9, 0, tzinfo=VN_TZ)
    summary = summarise(h.events, as_of)
    assert summary.status == Status.CLOSED
    assert summary == run(h.events, as_of).summary()


def test_a_result_after_office_hours_on_the_due_day_is_late_by_no_office_time() -> None:
    """Late is judged on the moments, lateness in office time: a result at 18:30 on a due of
    17:00 is late although no office second passed (both folds agree)."""
    h = received("2026-03-04T17:00:00+07:00")
    h.add("2026-03-09T18:30:00+07:00", "resolved", result="approved")
    as_of = datetime(2026, 3, 9, 18, 30, tzinfo=VN_TZ)
    state = run(h.events, as_of)
    assert state.due == datetime(2026, 3, 9, 17, 0, tzinfo=VN_TZ)
    assert (state.late, state.lateness_seconds, state.working_seconds_left) == (True, 0, 0)
    assert summarise(h.events, as_of) == state.summary()
