"""OVERDUE, LATE_RESULT and IDLE: the item's own due moment and its pace."""

from __future__ import annotations

import pytest

from congvu.domain.procedures import Duration
from congvu.domain.supervision import Severity, Thresholds

from .builders import History, at, check, dossier, of


# Received Mon 03/03/2025 08:00 (ND61): 3 working days → due Thu 06/03 08:00.
# Received Tue 29/04/2025 08:00: 30/4, 1/5 and the swapped Fri 2/5 are off → due Wed 07/05 08:00.
# Received Thu 23/01/2025 08:00: Tết 25/01–02/02 → due Tue 04/02 08:00.
# Received Mon 07/07/2025 08:00 (ND118) → due Thu 10/07 08:00.
@pytest.mark.parametrize(
    ("received", "now", "expected_at", "ruleset"),
    [
        ("2025-03-03T08:00", "2025-03-06T08:00", None, "ND61/2018+107/2021"),
        ("2025-03-03T08:00", "2025-03-06T08:00:01", "2025-03-06T08:00", "ND61/2018+107/2021"),
        ("2025-04-29T08:00", "2025-05-02T10:00", None, "ND61/2018+107/2021"),
        ("2025-04-29T08:00", "2025-05-07T08:00", None, "ND61/2018+107/2021"),
        ("2025-04-29T08:00", "2025-05-07T08:01", "2025-05-07T08:00", "ND61/2018+107/2021"),
        ("2025-01-23T08:00", "2025-02-03T16:59", None, "ND61/2018+107/2021"),
        ("2025-01-23T08:00", "2025-02-04T09:00", "2025-02-04T08:00", "ND61/2018+107/2021"),
        ("2025-07-07T08:00", "2025-07-10T08:00", None, "ND118/2025"),
        ("2025-07-07T08:00", "2025-07-10T08:01", "2025-07-10T08:00", "ND118/2025"),
    ],
)
def test_overdue_fires_only_once_now_is_past_the_due_moment(
    received: str, now: str, expected_at: str | None, ruleset: str
) -> None:
    found = of(check(dossier(received), now), "OVERDUE")
    if expected_at is None:
        assert found == []
        return
    (f,) = found
    assert (f.at, f.events, f.unit, f.official) == (at(expected_at), (1,), "XA-01", "mc-1")
    assert (f.severity, f.ruleset, f.key) == (Severity.HIGH, ruleset, "OVERDUE")


@pytest.mark.parametrize("month", ["2025-06", "2025-07"])
def test_overdue_counts_from_the_restarted_clock_after_a_supplement(month: str) -> None:
    # June: Mon 02, Tue 03, Mon 09 → due Thu 12; July: Mon 07, Tue 08, Mon 14 → due Thu 17
    d = {"2025-06": (2, 3, 9, 12), "2025-07": (7, 8, 14, 17)}[month]
    h = dossier(f"{month}-{d[0]:02}T08:00").supplement(f"{month}-{d[1]:02}T08:00")
    # waiting on the applicant past the first due moment is nobody's lateness
    assert of(check(h, f"{month}-{d[1] + 2:02}T09:00"), "OVERDUE") == []
    h.supplied(f"{month}-{d[2]:02}T08:00")
    assert of(check(h, f"{month}-{d[3]:02}T08:00"), "OVERDUE") == []
    (f,) = of(check(h, f"{month}-{d[3]:02}T08:01"), "OVERDUE")
    assert (f.at, f.events) == (at(f"{month}-{d[3]:02}T08:00"), (1, 3))
    assert f.ruleset == ("ND61/2018+107/2021" if month == "2025-06" else "ND118/2025")


def test_overdue_lands_on_whoever_held_the_item_at_the_due_moment() -> None:
    h = dossier("2025-03-03T08:00").slip("2025-03-03T08:05", "2025-03-06T08:00")
    h.transfer("2025-03-04T09:00", "SO-TP").assign("2025-03-04T10:00", "cv-9")
    h.transfer("2025-03-07T09:00", "SO-XD", unit="SO-TP")
    (f,) = of(check(h, "2025-03-10T08:00"), "OVERDUE")
    assert (f.unit, f.official, f.events) == ("SO-TP", "cv-9", (1, 2))


def test_a_finished_item_is_not_overdue() -> None:
    h = dossier("2025-03-03T08:00").resolve("2025-03-07T08:00")
    assert of(check(h, "2025-03-20T08:00"), "OVERDUE") == []


@pytest.mark.parametrize(
    ("finish", "type_", "late"),
    [
        ("2025-03-06T08:00", "resolved", False),
        ("2025-03-06T08:01", "resolved", True),
        ("2025-03-07T10:00", "refused", True),
        ("2025-03-07T10:00", "withdrawn", False),
    ],
)
def test_late_result_is_a_result_after_the_due_moment(finish: str, type_: str, late: bool) -> None:
    h = dossier("2025-03-03T08:00")
    data = {"result": "approved"} if type_ == "resolved" else {"reason": "x"}
    h.add(finish, type_, actor="ld-1", **data).add("2025-03-10T08:00", "rated", score=4)
    found = of(check(h, "2025-03-20T08:00"), "LATE_RESULT")
    assert bool(found) is late
    if late:
        assert (found[0].at, found[0].events) == (at(finish), (1, 2))


def test_late_result_after_a_returned_result_uses_the_decision_moment() -> None:
    h = dossier("2025-03-03T08:00").resolve("2025-03-05T08:00")
    h.add("2025-03-10T08:00", "returned")
    assert of(check(h, "2025-03-20T08:00"), "LATE_RESULT") == []


def test_an_apology_in_time_moves_the_due_moment_for_late_result() -> None:
    h = dossier("2025-03-03T08:00").apology("2025-03-04T10:00", "2025-03-10T17:00")
    h.resolve("2025-03-10T16:00")
    found = check(h, "2025-03-20T08:00")
    assert of(found, "LATE_RESULT") == of(found, "LATE_NO_APOLOGY") == []


@pytest.mark.parametrize(
    ("now", "idle"),
    [("2025-03-10T08:05", False), ("2025-03-10T08:06", True)],
)
def test_idle_after_five_working_days_without_an_event(now: str, idle: bool) -> None:
    h = dossier("2025-03-03T08:00").slip("2025-03-03T08:05", "2025-03-06T08:00")
    found = of(check(h, now), "IDLE")
    assert bool(found) is idle
    if idle:
        assert (found[0].at, found[0].events, found[0].key) == (
            at("2025-03-10T08:05"),
            (2,),
            "IDLE:2",
        )
        assert found[0].official == "mc-1"


def test_idle_across_the_april_holidays() -> None:
    # Tue 29/04 08:00 + 5 working days: 30/4, 1/5 and Fri 2/5 are off → Fri 09/05 08:00
    h = dossier("2025-04-29T08:00")
    assert of(check(h, "2025-05-09T08:00"), "IDLE") == []
    (f,) = of(check(h, "2025-05-09T08:00:01"), "IDLE")
    assert f.at == at("2025-05-09T08:00")


def test_idle_keeps_a_past_idle_stretch_after_the_item_moved_on() -> None:
    h = dossier("2025-03-03T08:00").assign("2025-03-12T09:00", "cv-1").resolve("2025-03-12T10:00")
    (f,) = of(check(h, "2025-03-20T08:00"), "IDLE")
    assert (f.at, f.events, f.key) == (at("2025-03-10T08:00"), (1, 2), "IDLE:1")


def test_idle_does_not_count_waiting_on_the_applicant_or_a_finished_item() -> None:
    h = dossier("2025-03-03T08:00").supplement("2025-03-03T09:00")
    h.supplied("2025-03-14T08:00").resolve("2025-03-14T09:00")
    assert of(check(h, "2025-04-30T08:00"), "IDLE") == []


def test_idle_threshold_is_configurable() -> None:
    h = dossier("2025-03-03T08:00")
    two_days = Thresholds(idle_after=Duration("working_days", 2))
    (f,) = of(check(h, "2025-03-05T09:00", thresholds=two_days), "IDLE")
    assert f.at == at("2025-03-05T08:00")


def test_idle_applies_to_feedback_but_not_to_tasks() -> None:
    fb = History("PA-1", kind="feedback").add(
        "2025-03-03T08:00",
        "received",
        category="moi-truong",
        channel="hotline",
        due="2025-03-24T08:00",
    )
    assert [f.rule for f in check(fb, "2025-03-12T08:00", procedure=None)] == ["IDLE"]
    task = History("NV-1", kind="task").add(
        "2025-03-03T08:00", "created", title="Báo cáo", due="2025-06-30T17:00"
    )
    assert check(task, "2025-03-20T08:00", procedure=None) == []
