"""Rules on receiving a dossier: ``LATE_ACCEPTANCE``, ``LATE_TRANSFER``, ``NO_APPOINTMENT_SLIP``.

The ledger has no "accepted" event; what the office did first is read from the events:

* an online dossier is *answered* by the first appointment slip, supplement request, refusal,
  completed step, transfer, result or withdrawal (an automatic assignment to a receiving
  officer is not an answer to the applicant);
* a paper dossier is *passed on* by the first transfer, completed step, assignment of a step
  other than the procedure's first, result, refusal, withdrawal or supplement request (an
  incomplete dossier goes back to the applicant, not forward);
* a dossier is *accepted* once it is being processed: a completed step, a transfer, a
  consultation or a result. Its appointment slip must exist by then.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from congvu.domain.ledger.events import Event
from congvu.domain.ledger.rulesets import acceptance_due, paper_transfer_due
from congvu.domain.supervision.catalogue import Rule
from congvu.domain.supervision.context import CheckContext
from congvu.domain.supervision.findings import Finding, Severity

__all__ = ["LATE_ACCEPTANCE", "LATE_TRANSFER", "NO_APPOINTMENT_SLIP"]

_DOSSIER = frozenset({"dossier"})
#: Channels through which a dossier arrives electronically (Decree 118/2025 art. 15(3)).
ONLINE_CHANNELS = frozenset({"online", "portal", "national_portal"})
#: Paper handed over at the counter (art. 18(2) speaks of dossiers received in person).
PAPER_CHANNELS = frozenset({"direct"})

_ANSWERS = frozenset(
    {
        "appointment_issued",
        "supplement_requested",
        "refused",
        "step_completed",
        "transferred",
        "resolved",
        "withdrawn",
    }
)
_PASSED_ON = frozenset(
    {"transferred", "step_completed", "resolved", "refused", "withdrawn", "supplement_requested"}
)
_PROCESSING = frozenset({"step_completed", "transferred", "consulted", "resolved", "returned"})


def _first(ctx: CheckContext, types: frozenset[str]) -> Event | None:
    for e in ctx.events[1:]:
        if e.type in types:
            return e
    return None


def _missed(ctx: CheckContext, rule: Rule, due: datetime, done: Event | None) -> Iterator[Finding]:
    """A finding when ``done`` came after ``due`` or, with nothing done, ``now`` is past it."""
    when = ctx.moment(done) if done is not None else ctx.now
    if when <= due:
        return
    unit, official = ctx.holder_at(due)
    proof = (ctx.events[0].seq,) + ((done.seq,) if done is not None else ())
    yield ctx.finding(rule, at=due, unit=unit, official=official, events=proof)


def _late_acceptance(ctx: CheckContext) -> Iterator[Finding]:
    s = ctx.state
    if s.channel not in ONLINE_CHANNELS:
        return
    due = acceptance_due(ctx.ruleset, ctx.calendar, s.received_at)
    yield from _missed(ctx, LATE_ACCEPTANCE, due, _first(ctx, _ANSWERS))


def _passed_on(ctx: CheckContext) -> Event | None:
    proc = ctx.procedure
    first_step = proc.steps[0].code if proc is not None and proc.steps else None
    for e in ctx.events[1:]:
        if e.type in _PASSED_ON:
            return e
        if e.type == "assigned":
            step = e.data.get("step")
            if step is not None and step != first_step:
                return e
    return None


def _late_transfer(ctx: CheckContext) -> Iterator[Finding]:
    s = ctx.state
    if s.channel not in PAPER_CHANNELS:
        return
    due = paper_transfer_due(ctx.ruleset, ctx.calendar, s.received_at)
    yield from _missed(ctx, LATE_TRANSFER, due, _passed_on(ctx))


def _no_appointment_slip(ctx: CheckContext) -> Iterator[Finding]:
    accepted = _first(ctx, _PROCESSING)
    if accepted is None:
        return
    when = ctx.moment(accepted)
    slips = ctx.of("appointment_issued")
    if slips and ctx.moment(slips[0]) <= when:
        return
    received = ctx.state.received_at
    if accepted.type == "resolved" and when.date() == received.date():
        # a result given on the spot needs no appointment slip (Decree 118/2025 art. 17(4))
        return
    unit, official = ctx.holder_at(when, before=True)
    yield ctx.finding(
        NO_APPOINTMENT_SLIP,
        at=when,
        unit=unit,
        official=official,
        events=(ctx.events[0].seq, accepted.seq),
    )


LATE_ACCEPTANCE = Rule(
    code="LATE_ACCEPTANCE",
    title_vi="Chậm tiếp nhận hồ sơ trực tuyến",
    title_en="Late online acceptance",
    description_vi="Hồ sơ trực tuyến không được tiếp nhận hoặc yêu cầu bổ sung trong 08 giờ "
    "làm việc kể từ khi hệ thống nhận được.",
    description_en="An online dossier was neither accepted nor supplement-requested within 8 "
    "working hours of its arrival.",
    severity=Severity.LOW,
    kinds=_DOSSIER,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 17 khoản 2 điểm c", "Nghị định 107/2021/NĐ-CP"),
    check=_late_acceptance,
    clock_driven=True,
)

LATE_TRANSFER = Rule(
    code="LATE_TRANSFER",
    title_vi="Chậm chuyển hồ sơ giấy",
    title_en="Late paper transfer",
    description_vi="Hồ sơ giấy tiếp nhận trực tiếp không được chuyển trong ngày làm việc "
    "(tiếp nhận sau 15 giờ: trong buổi sáng ngày làm việc tiếp theo).",
    description_en="A paper dossier received at the counter was not passed on the same working "
    "day (received after 15:00: by the next working morning).",
    severity=Severity.LOW,
    kinds=_DOSSIER,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 18 khoản 2",),
    check=_late_transfer,
    clock_driven=True,
)

NO_APPOINTMENT_SLIP = Rule(
    code="NO_APPOINTMENT_SLIP",
    title_vi="Không có giấy tiếp nhận và hẹn trả kết quả",
    title_en="No appointment slip",
    description_vi="Hồ sơ được tiếp nhận, giải quyết mà không có giấy tiếp nhận hồ sơ và hẹn "
    "trả kết quả.",
    description_en="The dossier was accepted and processed without a receipt and appointment slip.",
    severity=Severity.MEDIUM,
    kinds=_DOSSIER,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 17 khoản 1 điểm c",),
    check=_no_appointment_slip,
)
