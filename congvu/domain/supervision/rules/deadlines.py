"""Rules on the item's own due moment and its pace: ``OVERDUE``, ``LATE_RESULT``, ``IDLE``.

The due moment, lateness and the finish come from the fold (docs/domain/ledger.md §6), so the
counting rules (office hours, holidays, pauses, restart after a supplement, apologies) are
applied exactly once, there. A missed due moment is attributed to whoever held the item at
that moment — the holder who let it pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from congvu.domain.ledger.events import Event
from congvu.domain.ledger.state import Status
from congvu.domain.supervision.catalogue import Rule
from congvu.domain.supervision.context import CheckContext
from congvu.domain.supervision.findings import Finding, Severity

__all__ = ["IDLE", "LATE_RESULT", "OVERDUE", "finishing_event"]

_ALL_KINDS = frozenset({"dossier", "feedback", "task", "recommendation"})
_FINISHING = frozenset({"resolved", "refused", "withdrawn", "returned"})
#: Statuses that carry a result (a refusal is a result too: art. 19(3) requires it within the
#: time limit); a withdrawal or a closure for want of a supplement is nobody's lateness.
_RESULTS = frozenset({Status.RESOLVED, Status.RETURNED, Status.REFUSED})


def finishing_event(ctx: CheckContext) -> Event | None:
    """The event that finished the item (the first finishing event after the last reopening
    that undid a finish, as the fold counts it), or ``None`` while it is unfinished."""
    found: Event | None = None
    for e in ctx.events:
        if e.type in _FINISHING:
            if found is None:
                found = e
        elif e.type == "reopened":
            found = None
    return found if ctx.state.finished_at is not None else None


def _overdue(ctx: CheckContext) -> Iterator[Finding]:
    s = ctx.state
    if not s.overdue:
        return
    unit, official = ctx.holder_at(s.due)
    yield ctx.finding(OVERDUE, at=s.due, unit=unit, official=official, events=ctx.due_seqs())


def _late_result(ctx: CheckContext) -> Iterator[Finding]:
    s = ctx.state
    if not s.late or s.finished_at is None or s.status not in _RESULTS:
        return
    finish = finishing_event(ctx)
    proof = ctx.due_seqs() + ((finish.seq,) if finish is not None else ())
    unit, official = ctx.holder_at(s.due)
    yield ctx.finding(LATE_RESULT, at=s.finished_at, unit=unit, official=official, events=proof)


def _idle(ctx: CheckContext) -> Iterator[Finding]:
    idle_after = ctx.thresholds.idle_after
    seconds = idle_after.working_seconds(ctx.calendar)
    # office time never runs faster than the wall clock: a stretch shorter than the idle
    # period in real time cannot be idle, which spares the calendar arithmetic for almost
    # every pair of events
    shortest = timedelta(seconds=seconds if seconds is not None else idle_after.amount * 86400)
    paused = finished = finished_in_pause = False
    events = ctx.events
    for i, e in enumerate(events):
        t = e.type
        if i == 0:
            pass
        elif t == "supplement_requested":
            paused = paused or not finished
        elif t == "supplement_received":
            paused = paused and finished
        elif t in _FINISHING:
            if not finished:
                finished, finished_in_pause, paused = True, paused, False
        elif t == "reopened" and finished:
            finished, paused = False, finished_in_pause
        if paused or finished:
            continue
        start = ctx.moment(e)
        end = ctx.moment(events[i + 1]) if i + 1 < len(events) else ctx.now
        if end - start <= shortest:
            continue
        limit = ctx.clock.add(start, idle_after)
        if end > limit:
            unit, official = ctx.holder_at(limit)
            proof = (e.seq, events[i + 1].seq) if i + 1 < len(events) else (e.seq,)
            yield ctx.finding(
                IDLE, at=limit, unit=unit, official=official, events=proof, key=str(e.seq)
            )


OVERDUE = Rule(
    code="OVERDUE",
    title_vi="Quá hạn giải quyết",
    title_en="Overdue",
    description_vi="Mục chưa giải quyết xong đã quá thời điểm hết hạn.",
    description_en="An open item is past its due moment.",
    severity=Severity.HIGH,
    kinds=_ALL_KINDS,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 19",),
    check=_overdue,
    clock_driven=True,
)

LATE_RESULT = Rule(
    code="LATE_RESULT",
    title_vi="Giải quyết trễ hạn",
    title_en="Late result",
    description_vi="Mục có kết quả (kể cả từ chối) sau thời điểm hết hạn, dù có xin lỗi hay không.",
    description_en="The item was resolved (or refused) after its due moment, with or without "
    "an apology.",
    severity=Severity.HIGH,
    kinds=_ALL_KINDS,
    legal_basis=("Quyết định 766/QĐ-TTg, nhóm chỉ số 2", "Nghị định 118/2025/NĐ-CP, Điều 19"),
    check=_late_result,
)

IDLE = Rule(
    code="IDLE",
    title_vi="Hồ sơ nằm chờ, không xử lý",
    title_en="Idle",
    description_vi="Mục đang mở, không chờ người nộp bổ sung, nhưng không có sự kiện nào "
    "trong quá số ngày làm việc cho phép (mặc định 5).",
    description_en="An open item not waiting on the applicant had no event for longer than "
    "the allowed working days (default 5).",
    severity=Severity.MEDIUM,
    kinds=frozenset({"dossier", "feedback"}),
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 5 khoản 1 (cố tình kéo dài)",),
    check=_idle,
    clock_driven=True,
)
