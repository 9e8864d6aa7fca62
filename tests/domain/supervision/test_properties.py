"""Hypothesis properties of check_item over arbitrary dossier histories."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congvu.domain.ledger import Event, parse_event
from congvu.domain.supervision import RULES, Finding, check_item

from ..ledger.test_properties import gaps, histories
from .builders import BIRTH, VN

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(events: list[Event], extra_minutes: int) -> list[Finding]:
    now = events[-1].at + timedelta(minutes=extra_minutes)
    return check_item(events, calendar=VN, procedure=BIRTH, now=now)


@FAST
@given(histories(), gaps)
def test_findings_are_deterministic_and_survive_a_json_round_trip(
    events: list[Event], extra: int
) -> None:
    again = [parse_event(e.to_json()) for e in events]
    assert run(events, extra) == run(list(events), extra) == run(again, extra)


@FAST
@given(histories(), gaps)
def test_every_finding_is_proved_by_events_of_the_item_and_happened_by_now(
    events: list[Event], extra: int
) -> None:
    now = events[-1].at + timedelta(minutes=extra)
    found = run(events, extra)
    seqs = {e.seq for e in events}
    for f in found:
        assert f.events and set(f.events) <= seqs
        assert f.at <= now
        if RULES[f.rule].clock_driven:
            assert f.at < now  # fires only once now is past the moment
    assert len({f.key for f in found}) == len(found)


@FAST
@given(histories(), gaps, st.integers(min_value=1, max_value=30 * 24 * 60))
def test_findings_proved_by_acts_do_not_depend_on_the_clock(
    events: list[Event], extra: int, later: int
) -> None:
    def acts(found: list[Finding]) -> list[Finding]:
        return [f for f in found if not RULES[f.rule].clock_driven]

    assert acts(run(events, extra)) == acts(run(events, extra + later))
