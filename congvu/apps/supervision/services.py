"""Writes of the supervision engine: findings computed from the ledger, and justifications.

Findings are computed by the pure rules (``congvu.domain.supervision.check_item``) from an
item's stored events, at the ledger's clock:

* **incrementally**: every ingestion batch that appends events schedules
  :func:`findings_refresh` of the items it touched (``tasks.findings_schedule``), so a
  finding proved by an act (a second supplement request, a transfer back) appears as soon as
  the event is stored;
* **by the clock** (:func:`findings_sweep`, run by the scheduler): open items are folded again
  at now — their summary rows move on too — so that findings that arise by the passing of
  time alone (``OVERDUE``, ``IDLE``, a step over its budget …) appear without any event.

Storing is idempotent on (item, key): a finding reported again is updated in place (its proof
may grow), one no longer reported is marked lapsed, never deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from congvu.apps.alerts.tasks import findings_notify_task
from congvu.apps.ledger import clock
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.records import events_of_items
from congvu.apps.ledger.selectors import _item_chunks
from congvu.apps.ledger.services import items_refresh
from congvu.apps.supervision.errors import (
    JustificationNotAllowedError,
    JustificationStateError,
)
from congvu.apps.supervision.models import Finding, ItemCheck, Justification
from congvu.apps.supervision.selectors import threshold_config, unit_parents
from congvu.domain.errors import DomainError
from congvu.domain.ledger import Event, ItemState
from congvu.domain.ledger.rulesets import ruleset_for
from congvu.domain.supervision import Finding as FoundFinding
from congvu.domain.supervision import ThresholdConfig, check_item

logger = logging.getLogger(__name__)

#: The stored fields a later check may change (the proof grows, a holder is now known …).
_DERIVED = ("rule", "kind", "unit", "official", "at", "events", "severity", "ruleset")


@dataclass
class FindingsRun:
    """What one pass did: items checked, findings created (their pks, for the alerts),
    updated, lapsed, and the items that could not be checked (code, message)."""

    items: int = 0
    created: list[int] = field(default_factory=list)
    updated: int = 0
    lapsed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: FindingsRun) -> None:
        self.items += other.items
        self.created += other.created
        self.updated += other.updated
        self.lapsed += other.lapsed
        self.errors += other.errors


class _Checker:
    """Everything ``check_item`` needs besides the events, loaded once per pass."""

    def __init__(self, now: dt.datetime, ctx: FoldContext | None = None) -> None:
        self.now = now
        self.ctx = ctx or FoldContext()
        self.config: ThresholdConfig = threshold_config()
        self.parents = unit_parents()

    def check(self, history: Sequence[Event], state: ItemState | None = None) -> list[FoundFinding]:
        """The item's findings at ``now`` (or at its last event, when a source system's clock
        ran a few minutes ahead of ours). ``state``: the fold at that moment when the caller
        has it; used only when the thresholds leave the rule set's numbers as they are
        (otherwise the rules fold with the adjusted rule set themselves)."""
        opening = history[0]
        code = opening.data.get("procedure") if opening.kind == "dossier" else None
        procedure = self.ctx.procedure(str(code)) if code else None
        if code and procedure is None:
            # the ingestion refuses unknown procedures, so the catalog lost this one since
            from congvu.apps.ledger.errors import UnknownProcedureError

            raise UnknownProcedureError(item=opening.item, procedure=code)
        thresholds = self.config.thresholds_for(procedure.code if procedure else None)
        if state is not None:
            base = ruleset_for(state.received_at)
            if thresholds.ruleset(base) is not base:
                state = None
        return check_item(
            history,
            calendar=self.ctx.calendar(opening.unit),
            procedure=procedure,
            now=max(self.now, max(e.at for e in history)),
            thresholds=thresholds,
            state=state,
            parents=self.parents,
        )


def findings_refresh(items: Iterable[int] | QuerySet[Item], *, now: dt.datetime | None = None):
    """Recompute and store the findings of ``items`` (pks or a queryset) at ``now`` (default:
    the ledger's clock). Returns a :class:`FindingsRun`."""
    checker = _Checker(now or clock.now())
    queryset = items if isinstance(items, QuerySet) else Item.objects.filter(pk__in=list(items))
    run = FindingsRun()
    for chunk in _item_chunks(queryset):
        checker.ctx.prepare_items(chunk)
        histories = events_of_items(chunk)
        with transaction.atomic():
            run.add(_store(checker, [(item, histories[item.pk], None) for item in chunk]))
    _announce(run)
    return run


def findings_sweep(*, now: dt.datetime | None = None) -> FindingsRun:
    """The time-driven pass: every open item is folded again at ``now`` (its summary row
    rewritten, as ``congvu ledger refresh --open`` does) and its findings recomputed from that
    same fold; items whose findings lag behind their events (a lost job) are caught up."""
    now = now or clock.now()
    ctx = FoldContext()
    checker = _Checker(now, ctx)
    run = FindingsRun()

    def on_chunk(folded: list[tuple[Item, list[Event], ItemState]]) -> None:
        run.add(_store(checker, folded))

    items_refresh(
        Item.objects.filter(status__in=Item.OPEN_STATUSES), as_of=now, ctx=ctx, on_chunk=on_chunk
    )
    _announce(run)  # the stale items below announce their own
    current = ItemCheck.objects.filter(item=OuterRef("pk"), checked_seq=OuterRef("last_seq"))
    stale = Item.objects.exclude(status__in=Item.OPEN_STATUSES).filter(~Exists(current))
    run.add(findings_refresh(stale, now=now))
    return run


def _store(
    checker: _Checker, folded: Sequence[tuple[Item, list[Event], ItemState | None]]
) -> FindingsRun:
    """Check each item and bring its stored findings in line (inside the caller's transaction):
    a constant number of queries per chunk."""
    run = FindingsRun(items=len(folded))
    now = checker.now
    pks = [item.pk for item, _, _ in folded]
    stored: dict[tuple[int, str], Finding] = {
        (f.item_id, f.key): f for f in Finding.objects.filter(item_id__in=pks)
    }
    new: list[Finding] = []
    changed: dict[int, Finding] = {}
    checked: list[ItemCheck] = []
    for item, history, state in folded:
        try:
            found = checker.check(history, state)
        except DomainError as e:
            run.errors.append((item.code, e.message("vi")))
            logger.warning("findings of %s/%s not computed: %s", item.source, item.code, e)
            continue
        seen: set[str] = set()
        for f in found:
            seen.add(f.key)
            row = stored.get((item.pk, f.key))
            values = _values(f)
            if row is None:
                new.append(Finding(item_id=item.pk, key=f.key, detected_at=now, **values))
                continue
            if row.lapsed_at is not None or any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.lapsed_at = None
                changed[row.pk] = row
        for (pk, key), row in stored.items():
            if pk == item.pk and key not in seen and row.lapsed_at is None:
                row.lapsed_at = now
                changed[row.pk] = row
                run.lapsed += 1
        checked.append(ItemCheck(item_id=item.pk, checked_seq=item.last_seq, checked_at=now))
    Finding.objects.bulk_create(new, batch_size=500)
    # An upsert on (item, key) rather than bulk_update: one INSERT … ON CONFLICT DO UPDATE
    # instead of a CASE WHEN per field and row, a third of an incremental job's time.
    Finding.objects.bulk_create(
        changed.values(),
        batch_size=500,
        update_conflicts=True,
        unique_fields=["item", "key"],
        update_fields=[*_DERIVED, "lapsed_at"],
    )
    ItemCheck.objects.bulk_create(
        checked,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["item"],
        update_fields=["checked_seq", "checked_at"],
    )
    run.updated = len(changed) - run.lapsed
    if new:
        # bulk_create sets pks on PostgreSQL only; one query finds them on SQLite
        keys = {(f.item_id, f.key) for f in new}
        run.created = [
            pk
            for pk, item_id, key in Finding.objects.filter(item_id__in=pks).values_list(
                "pk", "item_id", "key"
            )
            if (item_id, key) in keys
        ]
    return run


def _values(f: FoundFinding) -> dict:
    return {
        "rule": f.rule,
        "kind": f.kind,
        "unit": f.unit,
        "official": f.official or "",
        "at": f.at,
        "events": list(f.events),
        "severity": f.severity.value,
        "ruleset": f.ruleset,
    }


def _announce(run: FindingsRun) -> None:
    """Queue the notices of the findings ``run`` created, once their rows are committed (a
    worker must find them; a rolled-back pass tells nobody)."""
    if run.created:
        logger.info("%d new finding(s) over %d item(s)", len(run.created), run.items)
        transaction.on_commit(partial(findings_notify_task.enqueue, sorted(run.created)))


# --- Justifications -------------------------------------------------------------------------


@transaction.atomic
def justification_submit(*, finding: Finding, actor, reason: str, document=None) -> Justification:
    """A unit head's justification of ``finding`` (reason and an optional document); the
    finding waits for a supervisor's review. Refused while another one is pending or after
    one was accepted."""
    from congvu.apps.supervision.permissions import can_justify

    if not can_justify(actor, finding):
        raise JustificationNotAllowedError(finding=finding.pk)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.review in (Finding.Review.PENDING, Finding.Review.ACCEPTED):
        raise JustificationStateError(finding=finding.pk, review=finding.get_review_display())
    justification = Justification.objects.create(
        finding=finding,
        reason=reason.strip(),
        document=document or "",
        submitted_by=actor,
        submitted_at=clock.now(),
    )
    finding.review = Finding.Review.PENDING
    finding.save(update_fields=["review"])
    return justification


@transaction.atomic
def justification_review(
    *, justification: Justification, actor, accept: bool, note: str = ""
) -> Justification:
    """A supervisor accepts or rejects a pending justification; the finding shows the
    outcome (an accepted one is "justified" and weighs less in the league table)."""
    from congvu.apps.supervision.permissions import can_review

    justification = Justification.objects.select_for_update().get(pk=justification.pk)
    finding = justification.finding
    if not can_review(actor, finding):
        raise JustificationNotAllowedError(finding=finding.pk)
    if justification.status != Justification.Status.PENDING:
        raise JustificationStateError(finding=finding.pk, review=justification.get_status_display())
    status = Justification.Status.ACCEPTED if accept else Justification.Status.REJECTED
    justification.status = status
    justification.reviewed_by = actor
    justification.reviewed_at = clock.now()
    justification.review_note = note.strip()
    justification.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    finding.review = Finding.Review(status.value)
    finding.save(update_fields=["review"])
    return justification
