"""A small, realistic week of dossiers for the dashboard tests, fed through the ledger's
ingestion (interchange v1 JSON lines) and checked by the supervision engine — no row is
written by hand.

Two communes, birth registrations (1.001193: 3 working days) received on Monday 05/10/2026
08:00, due Thursday 08/10 08:00; the clock then stands at Monday 12/10/2026 09:00:

* C1 Xã Hòa Phú: 6 dossiers — 4 resolved on time (3 rated 5, 4, 2), 1 resolved late on
  Friday without an apology (review over its budget), 1 still open (overdue, held by GINA,
  idle);
* C2 Xã Tân Lập: 5 dossiers, all resolved on time (rated 5, 5), one of them after two
  supplement requests (a ``REPEATED_SUPPLEMENT`` finding).

Each dossier goes through the procedure's steps (receive, review by the specialist, approval
by the chairman) as the one-stop software of a commune records them.
"""

from __future__ import annotations

import datetime as dt

import time_machine

from congvu.apps.ledger.services import events_ingest
from congvu.apps.ledger.tests.factories import line
from congvu.apps.supervision.services import findings_sweep

VN = dt.timezone(dt.timedelta(hours=7))
RECEIVED = "2026-10-05T08:00:00+07:00"
DUE = "2026-10-08T08:00:00+07:00"
NOW = dt.datetime(2026, 10, 12, 9, 0, tzinfo=VN)


def _opening(code: str, unit: str, reviewer: str) -> list[str]:
    return [
        line(code, 1, RECEIVED, "received", unit, procedure="1.001193", channel="direct"),
        line(code, 2, RECEIVED, "appointment_issued", unit, due=DUE),
        line(code, 3, "2026-10-05T08:05:00+07:00", "step_completed", unit, step="receive"),
        line(code, 4, "2026-10-05T08:10:00+07:00", "assigned", unit, official=reviewer,
             step="review"),
    ]  # fmt: skip


def _handled(
    code: str, unit: str, approver: str, review_done: str, resolved: str, score: int | None
) -> list[str]:
    """Review completed at ``review_done``, approved and resolved at ``resolved`` (the same
    day), rated half an hour later when ``score`` is given."""
    day = resolved[:11]
    out = [
        line(code, 5, review_done, "step_completed", unit, step="review"),
        line(code, 6, review_done[:14] + "30:00+07:00", "assigned", unit, official=approver,
             step="approve"),
        line(code, 7, resolved, "step_completed", unit, step="approve"),
        line(code, 8, resolved, "resolved", unit, result="approved"),
    ]  # fmt: skip
    if score is not None:
        out.append(line(code, 9, day + "16:30:00+07:00", "rated", unit, score=score))
    return out


def dossier_lines() -> list[str]:
    lines: list[str] = []
    tuesday = ("2026-10-06T09:00:00+07:00", "2026-10-06T14:00:00+07:00")
    for n, score in enumerate([5, 4, 2, None], start=1):
        code = f"C1-{n:02}"
        lines += _opening(code, "C1", "GINA")
        lines += _handled(code, "C1", "HUNG", *tuesday, score)
    # resolved on Friday, a day after its due moment, without an apology
    lines += _opening("C1-05", "C1", "GINA")
    lines += _handled(
        "C1-05", "C1", "HUNG", "2026-10-09T08:00:00+07:00", "2026-10-09T10:00:00+07:00", None
    )
    lines += _opening("C1-06", "C1", "GINA")  # never finished: overdue and idle
    for n, score in enumerate([5, 5, None, None], start=1):
        code = f"C2-{n:02}"
        lines += _opening(code, "C2", "ERIN")
        lines += _handled(code, "C2", "ERIN", *tuesday, score)
    code = "C2-05"
    lines += [
        line(code, 1, RECEIVED, "received", "C2", procedure="1.001193", channel="direct"),
        line(code, 2, RECEIVED, "appointment_issued", "C2", due=DUE),
        line(code, 3, "2026-10-05T08:05:00+07:00", "step_completed", "C2", step="receive"),
        line(code, 4, "2026-10-05T09:00:00+07:00", "supplement_requested", "C2",
             documents=["Giấy chứng sinh"], reason="thiếu giấy chứng sinh", actor="ERIN"),
        line(code, 5, "2026-10-05T10:00:00+07:00", "supplement_received", "C2"),
        line(code, 6, "2026-10-05T11:00:00+07:00", "supplement_requested", "C2",
             documents=["Tờ khai"], reason="tờ khai ghi sai ngày sinh", actor="ERIN"),
        line(code, 7, "2026-10-05T14:00:00+07:00", "supplement_received", "C2"),
        line(code, 8, "2026-10-05T14:05:00+07:00", "assigned", "C2", official="ERIN",
             step="review"),
        line(code, 9, "2026-10-06T09:00:00+07:00", "step_completed", "C2", step="review"),
        line(code, 10, "2026-10-06T09:30:00+07:00", "assigned", "C2", official="ERIN",
             step="approve"),
        line(code, 11, "2026-10-06T10:00:00+07:00", "step_completed", "C2", step="approve"),
        line(code, 12, "2026-10-06T10:00:00+07:00", "resolved", "C2", result="approved"),
    ]  # fmt: skip
    return lines


def load_week(now: dt.datetime = NOW) -> None:
    """Ingest the week (as the source systems would, event by event in time) and run the
    time-driven findings pass at ``now``."""
    with time_machine.travel(now, tick=False):
        report = events_ingest(dossier_lines(), findings=False)
    assert not report.rejected, report.as_dict()
    findings_sweep(now=now)
