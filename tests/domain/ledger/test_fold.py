"""The fold: worked examples (docs/domain/ledger.md §7) and its refusals."""

from __future__ import annotations

import dataclasses

import pytest

from congvu.domain.calendar import WorkCalendar
from congvu.domain.ledger import (
    ND61_2018,
    Event,
    EventOrderError,
    ItemState,
    MissingTimeLimitError,
    ProcedureMismatchError,
    RuleSet,
    Status,
    fold,
    fold_until,
)
from congvu.domain.procedures import Procedure

from .builders import BIRTH, History, at, received

HOUR = 3600
DAY = 8 * HOUR


def state(
    vn: WorkCalendar,
    h: History,
    as_of: str,
    *,
    procedure: Procedure | None = BIRTH,
    ruleset: RuleSet | None = None,
) -> ItemState:
    return fold(h.events, calendar=vn, procedure=procedure, as_of=at(as_of), ruleset=ruleset)


def test_birth_registration_received_friday_before_tet_2025(vn: WorkCalendar) -> None:
    # 5 minutes on Friday 24/01, Tết 25/01–02/02, then Mon 3, Tue 4 and 7 h 55 of Wed 5/2
    h = received("2025-01-24T16:55")
    s = state(vn, h, "2025-01-31T10:00")
    assert s.ruleset == "ND61/2018+107/2021"
    assert (s.due, s.due_source) == (at("2025-02-05T16:55"), "procedure")
    assert (s.status, s.working_seconds_used, s.working_seconds_left) == (
        Status.OPEN,
        300,
        3 * DAY - 300,
    )
    h.add("2025-02-05T16:00", "resolved", result="approved").add("2025-02-06T08:00", "returned")
    h.add("2025-02-06T08:05", "rated", score=5)
    s = state(vn, h, "2025-02-10T08:00")
    assert (s.status, s.finished_at, s.late, s.rating) == (
        Status.RETURNED,
        at("2025-02-05T16:00"),
        False,
        5,
    )
    assert s.working_seconds_left == 55 * 60
    assert s.working_seconds_used == s.elapsed_766_seconds == 3 * DAY - 55 * 60


@pytest.mark.parametrize(
    ("base", "ruleset"),
    [("2025-06", "ND61/2018+107/2021"), ("2025-07", "ND118/2025")],
)
def test_clock_restarts_from_zero_after_the_supplement(
    vn: WorkCalendar, base: str, ruleset: str
) -> None:
    # June: Mon 02 received, Tue 03 request, Mon 09 complete; July: Mon 07, Tue 08, Mon 14
    d = {"2025-06": (2, 3, 9, 12), "2025-07": (7, 8, 14, 17)}[base]
    h = received(f"{base}-{d[0]:02}T08:00")
    h.add(f"{base}-{d[1]:02}T08:00", "supplement_requested", documents=["Tờ khai"], reason="x")
    paused = state(vn, h, f"{base}-{d[1] + 2:02}T10:00")
    assert (paused.status, paused.working_seconds_used, paused.late) == (Status.PAUSED, DAY, False)
    h.add(f"{base}-{d[2]:02}T08:00", "supplement_received")
    s = state(vn, h, f"{base}-{d[2]:02}T10:00")
    assert s.ruleset == ruleset
    assert (s.status, s.clock_started_at, s.due_source) == (
        Status.OPEN,
        at(f"{base}-{d[2]:02}T08:00"),
        "restart",
    )
    assert s.due == at(f"{base}-{d[3]:02}T08:00")  # the full 3 working days again
    assert (s.working_seconds_used, s.working_seconds_left) == (2 * HOUR, 3 * DAY - 2 * HOUR)
    assert s.supplement_count == 1
    # Decision 766 view: from the original receipt, the 32 working hours of waiting subtracted
    assert s.elapsed_766_seconds == DAY + 2 * HOUR


def test_without_restart_the_due_moves_by_the_waiting_time(vn: WorkCalendar) -> None:
    h = received("2025-06-02T08:00")
    h.add("2025-06-03T08:00", "supplement_requested", documents=["Tờ khai"], reason="x")
    h.add("2025-06-09T08:00", "supplement_received")
    no_restart = dataclasses.replace(ND61_2018, restart_after_supplement=False)
    s = state(vn, h, "2025-06-09T10:00", ruleset=no_restart)
    # first due Thu 05/06 08:00 + 32 waiting working hours = Wed 11/06 08:00
    assert s.due == at("2025-06-11T08:00")
    assert s.clock_started_at == at("2025-06-02T08:00")
    assert s.working_seconds_used + s.working_seconds_left == 3 * DAY


def test_apology_moves_the_due_once_and_records_whether_it_was_timely(vn: WorkCalendar) -> None:
    h = received("2025-03-03T08:00")  # due Thu 06/03 08:00
    h.add("2025-03-04T10:00", "apology_issued", new_due="2025-03-10T17:00+07:00", reason="x")
    s = state(vn, h, "2025-03-07T08:00")
    assert (s.due, s.due_source, s.late) == (at("2025-03-10T17:00"), "apology", False)
    [apology] = s.apologies
    assert (apology.previous_due, apology.timely, apology.within_limit) == (
        at("2025-03-06T08:00"),
        True,
        True,
    )
    # a second apology less than one working day before the new due: both rules broken
    h.add("2025-03-10T09:00", "apology_issued", new_due="2025-03-12T17:00+07:00", reason="y")
    s = state(vn, h, "2025-03-10T10:00")
    assert s.apology_count == 2
    assert (s.apologies[1].timely, s.apologies[1].within_limit) == (False, False)
    assert s.due == at("2025-03-12T17:00")


def test_transfer_path_and_responsible_spans(vn: WorkCalendar) -> None:
    h = History("PAKN-2025-0042", kind="feedback")
    h.add("2025-03-03T08:00", "received", "TTHCC", "tn-1", category="đất đai", channel="hotline",
          due="2025-03-24T08:00+07:00")  # fmt: skip
    h.add("2025-03-03T09:00", "transferred", "TTHCC", to_unit="XA-01", reason="thẩm quyền")
    h.add("2025-03-04T09:00", "assigned", "XA-01", official="cv-7")
    h.add("2025-03-05T09:00", "transferred", "XA-01", to_unit="XA-02", reason="địa bàn")
    h.add("2025-03-06T09:00", "transferred", "XA-02", to_unit="XA-01", reason="trả lại")
    s = fold(h.events, calendar=vn, procedure=None, as_of=at("2025-03-06T10:00"))
    assert s.transfer_path == ("TTHCC", "XA-01", "XA-02", "XA-01")
    assert [(sp.unit, sp.official, sp.end) for sp in s.responsible] == [
        ("TTHCC", "tn-1", at("2025-03-03T09:00")),
        ("XA-01", None, at("2025-03-04T09:00")),
        ("XA-01", "cv-7", at("2025-03-05T09:00")),
        ("XA-02", None, at("2025-03-06T09:00")),
        ("XA-01", None, None),
    ]
    assert (s.unit, s.official, s.due_source) == ("XA-01", None, "received")
    assert s.limit_seconds == 15 * DAY


def test_step_over_budget_is_attributed_to_its_holder(vn: WorkCalendar) -> None:
    h = received("2025-03-03T08:00")
    h.add("2025-03-03T09:00", "step_completed", step="receive")
    h.add("2025-03-03T09:30", "assigned", official="cv-1", step="review")
    h.add("2025-03-04T08:00", "assigned", official="cv-2", step="review")
    h.add("2025-03-06T09:00", "step_completed", step="review")
    h.add("2025-03-06T09:10", "assigned", official="ld-1", step="approve")
    s = state(vn, h, "2025-03-06T10:00")
    receive, review, approve = s.steps
    assert (receive.official, receive.working_seconds, receive.over_budget) == ("mc-1", HOUR, False)
    # review ran from the end of "receive" (Mon 09:00) to Thu 09:00: 3 days against a budget of 2
    assert (review.started_at, review.ended_at) == (at("2025-03-03T09:00"), at("2025-03-06T09:00"))
    assert (review.working_seconds, review.budget_seconds) == (3 * DAY, 2 * DAY)
    assert (review.official, review.over_budget) == ("cv-2", True)
    assert (approve.official, approve.ended_at, approve.working_seconds) == ("ld-1", None, HOUR)
    assert s.late  # the whole dossier (due Thu 06/03 08:00) is late as well


def test_open_item_is_late_at_as_of(vn: WorkCalendar) -> None:
    h = received("2025-03-03T08:00")
    before = state(vn, h, "2025-03-06T08:00")
    assert (before.late, before.overdue, before.working_seconds_left) == (False, False, 0)
    s = state(vn, h, "2025-03-07T10:00")
    assert (s.status, s.late, s.overdue) == (Status.OPEN, True, True)
    assert s.lateness_seconds == DAY + 2 * HOUR == -s.working_seconds_left
    h.add("2025-03-10T08:00", "resolved", result="approved")
    done = state(vn, h, "2025-03-20T08:00")
    assert (done.late, done.overdue, done.lateness_seconds) == (True, False, 2 * DAY)


def test_dossier_waiting_15_days_for_its_supplement_is_closed(vn: WorkCalendar) -> None:
    h = received("2025-07-07T08:00")
    h.add("2025-07-08T08:00", "supplement_requested", documents=["Tờ khai"], reason="x")
    assert state(vn, h, "2025-07-23T07:59").status == Status.PAUSED
    s = state(vn, h, "2025-07-23T08:00")
    assert (s.status, s.finished_at, s.late, s.working_seconds_used) == (
        Status.CLOSED,
        at("2025-07-23T08:00"),
        False,
        DAY,
    )


def test_consultation_due_and_answer(vn: WorkCalendar) -> None:
    h = received("2025-03-03T08:00")
    h.add("2025-03-03T10:00", "consulted", to_unit="CA-XA", due="2025-03-04T17:00+07:00")
    h.add("2025-03-03T10:05", "consulted", to_unit="TN-MT")
    h.add("2025-03-05T08:00", "consultation_answered", "CA-XA", from_unit="CA-XA")
    c1, c2 = state(vn, h, "2025-03-05T09:00").consultations
    assert (c1.unit, c1.to_unit, c1.answered_at, c1.overdue) == (
        "XA-01",
        "CA-XA",
        at("2025-03-05T08:00"),
        True,
    )
    assert (c2.answered_at, c2.due, c2.overdue) == (None, None, False)


def test_reopened_item_keeps_its_due_as_if_never_finished(vn: WorkCalendar) -> None:
    h = received("2025-03-03T08:00")
    h.add("2025-03-03T09:00", "resolved", result="approved")
    assert not state(vn, h, "2025-03-10T08:00").late
    h.add("2025-03-10T08:00", "reopened", reason="sai sót")
    s = state(vn, h, "2025-03-10T09:00")
    assert (s.status, s.finished_at, s.due) == (Status.OPEN, None, at("2025-03-06T08:00"))
    assert (s.late, s.overdue, s.lateness_seconds) == (True, True, 2 * DAY + HOUR)
    assert s.responsible[-1].start == at("2025-03-10T08:00")


def test_fold_until_gives_the_state_at_a_past_moment(vn: WorkCalendar) -> None:
    h = received("2025-03-03T08:00").add("2025-03-04T08:00", "resolved", result="done")
    s = fold_until(h.events, calendar=vn, procedure=BIRTH, as_of=at("2025-03-03T12:00"))
    assert (s.status, s.seqs, s.working_seconds_used) == (Status.OPEN, (1,), 3.5 * HOUR)


def test_task_uses_the_due_in_its_events_and_extensions(vn: WorkCalendar) -> None:
    h = History("KH-12/NV-3", kind="task")
    h.add("2025-03-03T08:00", "created", "UBND", title="Báo cáo", due="2025-03-14T17:00+07:00")
    h.add("2025-03-10T08:00", "progress_reported", "UBND", percent=40, text="đang làm")
    h.add("2025-03-12T08:00", "extended", "UBND", new_due="2025-03-21T17:00+07:00",
          reason="chờ số liệu", approved_by="ct-1")  # fmt: skip
    s = fold(h.events, calendar=vn, procedure=None, as_of=at("2025-03-17T08:00"))
    assert (s.due, s.due_source, s.progress, s.late) == (
        at("2025-03-21T17:00"),
        "extended",
        40.0,
        False,
    )


def test_item_without_procedure_or_due_fails_loudly(vn: WorkCalendar) -> None:
    h = History("PAKN-1", kind="feedback")
    h.add("2025-03-03T08:00", "received", category="x", channel="portal")
    with pytest.raises(MissingTimeLimitError) as info:
        fold(h.events, calendar=vn, procedure=None, as_of=at("2025-03-04T08:00"))
    assert "PAKN-1" in info.value.message("en") and "no time limit" in info.value.message("en")
    with pytest.raises(MissingTimeLimitError):
        state(vn, received("2025-03-03T08:00"), "2025-03-04T08:00", procedure=None)


def test_procedure_must_match_the_received_event(vn: WorkCalendar) -> None:
    other = Procedure("2.000001", "Khác", BIRTH.time_limit)
    with pytest.raises(ProcedureMismatchError):
        state(vn, received("2025-03-03T08:00"), "2025-03-04T08:00", procedure=other)


def _bad_histories() -> list[tuple[str, list[Event]]]:
    ok = received("2025-03-03T08:00").add("2025-03-03T09:00", "assigned", official="a").events
    other = History("OTHER")
    other.add("2025-03-03T08:00", "received", procedure="1.004227", channel="direct")
    other.add("2025-03-03T10:00", "assigned", official="b")
    back = received("2025-03-03T08:00").add("2025-03-03T07:00", "assigned", official="a").events
    late = received("2025-03-03T08:00").add("2025-03-05T09:00", "assigned", official="a").events
    return [
        ("no events", []),
        ("gap", [ok[0], dataclasses.replace(ok[1], seq=3)]),
        ("reordered", [ok[1], ok[0]]),
        ("another item", [ok[0], other.events[1]]),
        ("time goes back", back),
        ("after as_of", late),
        ("reopened twice", [ok[0], dataclasses.replace(ok[0], seq=2)]),
    ]


@pytest.mark.parametrize(("label", "events"), _bad_histories())
def test_fold_refuses_histories_out_of_order(
    vn: WorkCalendar, label: str, events: list[Event]
) -> None:
    with pytest.raises(EventOrderError):
        fold(events, calendar=vn, procedure=BIRTH, as_of=at("2025-03-04T08:00"))
