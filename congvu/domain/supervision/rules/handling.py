"""Rules on how the item moved through the offices: ``STEP_LATE``, ``BOUNCED``,
``UNRELATED_CONSULTATION``.

Delay attribution (PRODUCT.md, "What no existing system does" 2): every process step and every
consultation consumes working time against its own budget, so a late step lands on the unit
and official who held it, whatever happens to the dossier as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from congvu.domain.calendar import moment_at_position
from congvu.domain.ledger.state import StepState
from congvu.domain.supervision.catalogue import Rule
from congvu.domain.supervision.context import CheckContext
from congvu.domain.supervision.findings import Finding, Severity

__all__ = ["BOUNCED", "STEP_LATE", "UNRELATED_CONSULTATION"]

_ALL_KINDS = frozenset({"dossier", "feedback", "task", "recommendation"})


def budget_end(ctx: CheckContext, step: StepState) -> datetime:
    """The moment ``step`` used up its budget: its start plus the budget in office time, with
    the pauses (waiting on the applicant) that fell inside added back, as the fold counts the
    step's time. A calendar-day budget is compared by the fold without pauses, and so here."""
    clock = ctx.clock
    if step.budget is not None and not step.budget.is_working:
        return clock.add(step.started_at, step.budget)
    seconds = step.budget_seconds or 0
    start = clock.position(step.started_at)
    target = start + seconds
    for p in ctx.state.pauses:  # in order, never overlapping
        p_start = clock.position(p.start)
        if p_start >= target or p.end is None:
            break
        p_end = clock.position(p.end)
        target += max(0, p_end - max(p_start, start))
    return moment_at_position(ctx.calendar, target)


def _step_events(ctx: CheckContext, step: StepState) -> list[int]:
    seqs = [e.seq for e in ctx.of("assigned", "step_completed") if e.data.get("step") == step.code]
    # the event that started the step: the receipt (first step) or the previous completion
    starter = ctx.events[0].seq
    for e in ctx.events:
        if ctx.moment(e) > step.started_at:
            break
        if e.type in ("received", "created", "step_completed"):
            starter = e.seq
    return [starter, *seqs]


def _step_late(ctx: CheckContext) -> Iterator[Finding]:
    for step in ctx.state.steps:
        if step.over_budget:
            yield ctx.finding(
                STEP_LATE,
                at=budget_end(ctx, step),
                unit=step.unit,
                official=step.official,
                events=_step_events(ctx, step),
                key=step.code,
            )
    consultations = ctx.state.consultations
    if not consultations:
        return
    asked = ctx.of("consulted")
    answers = ctx.of("consultation_answered")
    for c, e in zip(consultations, asked, strict=True):
        if not c.overdue or c.due is None:
            continue
        proof = [e.seq]
        if c.answered_at is not None:
            proof += [
                a.seq
                for a in answers
                if a.seq > e.seq
                and a.data.get("from_unit") == c.to_unit
                and ctx.moment(a) == c.answered_at
            ][:1]
        yield ctx.finding(
            STEP_LATE, at=c.due, unit=c.to_unit, official=None, events=proof, key=f"consult:{e.seq}"
        )


def _bounced(ctx: CheckContext) -> Iterator[Finding]:
    transfers = ctx.of("transferred")
    if not transfers:
        return
    th = ctx.thresholds
    finished = ctx.state.finished_at
    held = {ctx.events[0].unit}
    counted: list[int] = []
    for e in transfers:
        if finished is not None and ctx.moment(e) > finished:
            # sending the result back to the receiving desk after the decision is the normal
            # way home (Decree 118/2025 art. 20(1)(a)), not passing the buck
            break
        to_unit = str(e.data["to_unit"])
        back = th.bounce_on_return and to_unit in held
        held.add(e.unit)
        held.add(to_unit)
        counted.append(e.seq)
        if back or len(counted) >= th.bounce_transfers:
            unit, official = ctx.doer(e)
            yield ctx.finding(
                BOUNCED,
                at=ctx.moment(e),
                unit=unit,
                official=official,
                events=counted,
            )
            return


def _unrelated_consultation(ctx: CheckContext) -> Iterator[Finding]:
    proc = ctx.procedure
    asked = ctx.of("consulted")
    if proc is None or not asked:
        return
    allowed = set(proc.related_units) | set(ctx.state.transfer_path)
    for e in asked:
        to_unit = str(e.data["to_unit"])
        if to_unit in allowed:
            continue
        if ctx.parents is not None and to_unit in set(ctx.parents(e.unit)):
            continue
        unit, official = ctx.doer(e)
        yield ctx.finding(
            UNRELATED_CONSULTATION,
            at=ctx.moment(e),
            unit=unit,
            official=official,
            events=(e.seq,),
            key=str(e.seq),
        )


STEP_LATE = Rule(
    code="STEP_LATE",
    title_vi="Chậm ở bước xử lý",
    title_en="Step over budget",
    description_vi="Một bước xử lý, hoặc một đơn vị được hỏi ý kiến, dùng quá thời gian được "
    "giao; trách nhiệm thuộc người giữ bước đó.",
    description_en="A process step, or a consulted unit, took longer than its budget; it is "
    "attributed to whoever held that step.",
    severity=Severity.MEDIUM,
    kinds=_ALL_KINDS,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 19 khoản 4; Điều 20 khoản 2",),
    check=_step_late,
    clock_driven=True,
)

BOUNCED = Rule(
    code="BOUNCED",
    title_vi="Đùn đẩy, chuyển lòng vòng",
    title_en="Passed around",
    description_vi="Mục bị chuyển qua lại: từ 3 lần chuyển trở lên, hoặc chuyển trả về đơn vị "
    "đã từng giữ.",
    description_en="The item was passed around: 3 or more transfers, or sent back to a unit "
    "that already held it.",
    severity=Severity.HIGH,
    kinds=_ALL_KINDS,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 5 khoản 1",),
    check=_bounced,
)

UNRELATED_CONSULTATION = Rule(
    code="UNRELATED_CONSULTATION",
    title_vi="Lấy ý kiến đơn vị không liên quan",
    title_en="Unrelated consultation",
    description_vi="Hỏi ý kiến một đơn vị không thuộc các đơn vị liên quan của thủ tục.",
    description_en="An opinion was asked of a unit outside the procedure's related units.",
    severity=Severity.MEDIUM,
    kinds=frozenset({"dossier"}),
    legal_basis=("Chỉ đạo của Chủ tịch UBND tỉnh Đồng Tháp (chỉ lấy ý kiến cơ quan liên quan)",),
    check=_unrelated_consultation,
)
