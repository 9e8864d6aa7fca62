"""Rules on apologies and re-appointments: ``LATE_NO_APOLOGY``, ``REPEATED_APOLOGY``.

Decree 118/2025 art. 19(6) (and Decree 61/2018 before it): an agency that expects to be late
sends the applicant an apology with a new date **at least one day before** the due moment,
and the appointment may be moved **at most once**. "At least one day" is one working day of
office time (:func:`~congvu.domain.ledger.rulesets.apology_latest`, docs/domain/ledger.md §4).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from congvu.domain.ledger.state import Status
from congvu.domain.supervision.catalogue import Rule
from congvu.domain.supervision.context import CheckContext
from congvu.domain.supervision.findings import Finding, Severity
from congvu.domain.supervision.rules.deadlines import finishing_event

__all__ = ["LATE_NO_APOLOGY", "REPEATED_APOLOGY"]

_DOSSIER = frozenset({"dossier"})
_NOT_A_FAULT = frozenset({Status.WITHDRAWN, Status.CLOSED})


def _clock_at(ctx: CheckContext, m: datetime) -> datetime:
    """Where the item's clock stood at ``m``: the start of a pause running then, else ``m``."""
    for p in ctx.state.pauses:
        if p.start <= m and (p.end is None or m < p.end):
            return p.start
    return m


def _due_key(due: datetime) -> str:
    # the missed due moment identifies the fault: it is the same whether the item is still
    # late against it or a late apology has since replaced it
    return due.strftime("%Y-%m-%dT%H:%M:%S")


def _ran_past(ctx: CheckContext, m: datetime, due: datetime) -> bool:
    """Whether the item, unfinished, ran past ``due`` after an untimely apology made at ``m``
    (before ``due``). A pause since ``m`` (a supplement, whose answer restarts or shifts the
    clock under the rule set) leaves it to the current due moment, which the fold moved."""
    s = ctx.state
    if s.status in _NOT_A_FAULT:
        return False
    if any(p.end is None or p.end > m for p in s.pauses):
        return False
    end = s.finished_at if s.finished_at is not None else ctx.now
    return end > due


def _finish_seqs(ctx: CheckContext) -> tuple[int, ...]:
    finish = finishing_event(ctx)
    return (finish.seq,) if finish is not None else ()


def _missed(ctx: CheckContext, due: datetime, proof: tuple[int, ...]) -> Finding:
    unit, official = ctx.holder_at(due)
    return ctx.finding(
        LATE_NO_APOLOGY, at=due, unit=unit, official=official, events=proof, key=_due_key(due)
    )


def _late_no_apology(ctx: CheckContext) -> Iterator[Finding]:
    s = ctx.state
    # An untimely apology does not excuse the due moment it replaced: when that moment was
    # already passed (the lateness happened without the notice the law requires), or when
    # it came less than a working day before it and the item still ran past it, the new date
    # must not hide the lateness.
    for a in s.apologies:
        if a.timely or a.previous_due is None:
            continue
        if _clock_at(ctx, a.at) > a.previous_due:
            yield _missed(ctx, a.previous_due, (ctx.events[0].seq, a.seq))
        elif _ran_past(ctx, a.at, a.previous_due):
            yield _missed(ctx, a.previous_due, (ctx.events[0].seq, a.seq) + _finish_seqs(ctx))
    # the current due moment, missed: no apology can have preceded it (an apology would
    # have replaced it)
    if s.late and s.status not in _NOT_A_FAULT:
        yield _missed(ctx, s.due, ctx.due_seqs() + _finish_seqs(ctx))


def _repeated_apology(ctx: CheckContext) -> Iterator[Finding]:
    apologies = ctx.state.apologies
    allowed = ctx.ruleset.apology_max
    for a in apologies[allowed:]:
        unit, official = ctx.doer(ctx.events[a.seq - 1])
        yield ctx.finding(
            REPEATED_APOLOGY,
            at=a.at,
            unit=unit,
            official=official,
            events=(apologies[0].seq, a.seq),
            key=str(a.seq),
        )


LATE_NO_APOLOGY = Rule(
    code="LATE_NO_APOLOGY",
    title_vi="Trễ hạn không xin lỗi trước",
    title_en="Late without prior apology",
    description_vi="Hồ sơ trễ hạn mà không có phiếu xin lỗi, hẹn lại ngày trả kết quả gửi "
    "trước thời điểm hết hạn ít nhất 01 ngày làm việc.",
    description_en="The dossier was late and no apology with a new date was issued at least "
    "one working day before the due moment.",
    severity=Severity.HIGH,
    kinds=_DOSSIER,
    legal_basis=(
        "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 6; Điều 12 khoản 5",
        "Nghị định 61/2018/NĐ-CP (hồ sơ tiếp nhận trước 01/07/2025)",
    ),
    check=_late_no_apology,
    clock_driven=True,
)

REPEATED_APOLOGY = Rule(
    code="REPEATED_APOLOGY",
    title_vi="Hẹn lại nhiều lần",
    title_en="Repeated re-appointment",
    description_vi="Ngày hẹn trả kết quả bị dời quá số lần cho phép (một lần).",
    description_en="The appointment was moved more often than allowed (once).",
    severity=Severity.MEDIUM,
    kinds=_DOSSIER,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 19 khoản 6",),
    check=_repeated_apology,
)
