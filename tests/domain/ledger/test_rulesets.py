"""Rule sets by effective date and their deadline helpers."""

from __future__ import annotations

import pytest

from congvu.domain.calendar import WorkCalendar
from congvu.domain.errors import NaiveMomentError
from congvu.domain.ledger import (
    ND61_2018,
    ND118_2025,
    acceptance_due,
    apology_latest,
    paper_transfer_due,
    ruleset_for,
    supplement_close_at,
    supplement_request_due,
)

from .builders import at


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        ("2025-06-30T23:59:59+07:00", "ND61/2018+107/2021"),
        ("2025-06-30T17:00:00+00:00", "ND118/2025"),  # 01/07 00:00 in Vietnam
        ("2025-07-01T00:00:00+07:00", "ND118/2025"),
        ("2019-03-01T08:00:00+07:00", "ND61/2018+107/2021"),
    ],
)
def test_ruleset_follows_the_receipt_moment_in_vietnam(moment: str, code: str) -> None:
    assert ruleset_for(at(moment)).code == code


def test_ruleset_needs_an_aware_moment() -> None:
    from datetime import datetime

    with pytest.raises(NaiveMomentError):
        ruleset_for(datetime(2025, 7, 1))  # noqa: DTZ001 — the naive moment under test


def test_both_rule_sets_carry_the_numbers() -> None:
    for rs in (ND61_2018, ND118_2025):
        assert rs.supplement_request_within.to_json() == {"working_days": 3}
        assert rs.online_acceptance_within.to_json() == {"working_hours": 8}
        assert rs.apology_notice.to_json() == {"working_days": 1}
        assert rs.supplement_close_after.to_json() == {"calendar_days": 15}
        assert (rs.apology_max, rs.supplement_max, rs.restart_after_supplement) == (1, 1, True)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2025-07-07T14:59", "2025-07-07T17:00"),  # same working day
        ("2025-07-07T15:00", "2025-07-07T17:00"),  # 15:00 itself is not "after 15:00"
        ("2025-07-07T15:01", "2025-07-08T11:30"),  # next working morning
        ("2025-07-11T16:00", "2025-07-14T11:30"),  # Friday afternoon → Monday morning
        ("2025-07-12T09:00", "2025-07-14T11:30"),  # Saturday reception → Monday morning
        ("2025-08-29T16:00", "2025-09-03T11:30"),  # before the 2/9 holidays (1–2/9 off)
    ],
)
def test_paper_transfer_due(vn: WorkCalendar, received: str, due: str) -> None:
    assert paper_transfer_due(ND118_2025, vn, at(received)) == at(due)


def test_deadline_helpers(vn: WorkCalendar) -> None:
    monday = at("2025-07-07T08:00")
    assert supplement_request_due(ND118_2025, vn, monday) == at("2025-07-10T08:00")
    assert acceptance_due(ND118_2025, vn, at("2025-07-07T20:00")) == at("2025-07-08T17:00")
    assert apology_latest(ND118_2025, vn, at("2025-07-14T08:00")) == at("2025-07-11T08:00")
    assert supplement_close_at(ND118_2025, vn, monday) == at("2025-07-22T08:00")
