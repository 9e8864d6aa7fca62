"""Rules on supplement requests: ``REPEATED_SUPPLEMENT``, ``LATE_SUPPLEMENT_REQUEST``.

Staff may ask for supplements **once**, listing everything in one go (Decree 118/2025
art. 11(2)(c), 16(3)); during appraisal the request must come within **3 working days** of
receipt (art. 19(5)). Both numbers come from the rule set in force, adjustable per procedure
where a sector law says otherwise (:class:`~congvu.domain.supervision.thresholds.Thresholds`).
The official responsible is the one who issued the request.
"""

from __future__ import annotations

from collections.abc import Iterator

from congvu.domain.ledger.rulesets import supplement_request_due
from congvu.domain.supervision.catalogue import Rule
from congvu.domain.supervision.context import CheckContext
from congvu.domain.supervision.findings import Finding, Severity

__all__ = ["LATE_SUPPLEMENT_REQUEST", "REPEATED_SUPPLEMENT"]

_DOSSIER = frozenset({"dossier"})


def _repeated_supplement(ctx: CheckContext) -> Iterator[Finding]:
    requests = ctx.of("supplement_requested")
    for e in requests[ctx.ruleset.supplement_max :]:
        unit, official = ctx.doer(e)
        yield ctx.finding(
            REPEATED_SUPPLEMENT,
            at=ctx.moment(e),
            unit=unit,
            official=official,
            events=(requests[0].seq, e.seq),
            key=str(e.seq),
        )


def _late_supplement_request(ctx: CheckContext) -> Iterator[Finding]:
    requests = ctx.of("supplement_requested")
    if not requests:
        return
    due = supplement_request_due(ctx.ruleset, ctx.calendar, ctx.state.received_at)
    for e in requests:
        when = ctx.moment(e)
        if when > due:
            unit, official = ctx.doer(e)
            yield ctx.finding(
                LATE_SUPPLEMENT_REQUEST,
                at=when,
                unit=unit,
                official=official,
                events=(ctx.events[0].seq, e.seq),
                key=str(e.seq),
            )


REPEATED_SUPPLEMENT = Rule(
    code="REPEATED_SUPPLEMENT",
    title_vi="Yêu cầu bổ sung hồ sơ nhiều lần",
    title_en="Repeated supplement request",
    description_vi="Hồ sơ bị yêu cầu bổ sung, hoàn thiện quá số lần cho phép (một lần).",
    description_en="More supplement requests on one dossier than allowed (one).",
    severity=Severity.HIGH,
    kinds=_DOSSIER,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 11 khoản 2 điểm c; Điều 16 khoản 3",),
    check=_repeated_supplement,
)

LATE_SUPPLEMENT_REQUEST = Rule(
    code="LATE_SUPPLEMENT_REQUEST",
    title_vi="Yêu cầu bổ sung quá hạn",
    title_en="Late supplement request",
    description_vi="Yêu cầu bổ sung, hoàn thiện hồ sơ sau quá 03 ngày làm việc kể từ ngày "
    "tiếp nhận.",
    description_en="A supplement was requested more than 3 working days after receipt.",
    severity=Severity.MEDIUM,
    kinds=_DOSSIER,
    legal_basis=("Nghị định 118/2025/NĐ-CP, Điều 19 khoản 5",),
    check=_late_supplement_request,
)
