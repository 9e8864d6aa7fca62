"""Writes to the ledger. ``events_ingest`` is the only path by which events are stored: the
import command, the REST endpoint, the demo loader and the dossier screens all call it.

Each batch is one transaction: events are validated (interchange.md v1), checked against what
is stored (a re-sent identical event is a no-op, a different one with the same key is refused),
folded with the item's earlier history (an event the fold cannot accept is refused, never
stored), hash-chained, appended, and the item's summary row is rewritten from the fold — all or
nothing. A killed import therefore loses at most the batch in flight, and re-running it skips
what was stored (tested in tests/test_ingest.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from congvu.apps.ledger import bulk, clock
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.errors import (
    EventConflictError,
    FutureEventError,
    GapError,
    KindMismatchError,
    SourceMismatchError,
)
from congvu.apps.ledger.models import DossierCounter, Item, PendingEvent, SourceSystem
from congvu.apps.ledger.models import Event as EventRow
from congvu.apps.ledger.records import ROW_FIELDS, events_of_items, row_event
from congvu.domain.errors import DomainError
from congvu.domain.ledger import (
    GENESIS_HASH,
    Event,
    ItemState,
    canonical_json,
    chain_hash,
    parse_event,
)

#: Events stamped a little ahead of our clock are accepted (clocks of source systems drift).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
#: Rejections kept with their full message; beyond this only the count grows (constant memory).
MAX_REPORTED = 1000
# No 0/O, 1/I: the code is read aloud at a counter.
SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 — an alphabet, not a secret

SUMMARY_FIELDS = [
    "kind",
    "procedure",
    "channel",
    "agency",
    "status",
    "ruleset",
    "received_at",
    "due",
    "due_source",
    "limit_seconds",
    "unit",
    "official",
    "step",
    "finished_at",
    "late",
    "lateness_seconds",
    "supplement_count",
    "apology_count",
    "transfer_count",
    "has_appointment",
    "rating",
    "last_seq",
    "last_event_at",
    "last_hash",
]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A line or event that was not stored, and why."""

    line: int | None
    item: str | None
    seq: int | None
    error: DomainError

    def as_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"line": self.line, "item": self.item, "seq": self.seq, **self.error.as_dict(lang)}


@dataclass
class IngestReport:
    """What an ingestion did. ``appended + duplicates + held + rejected_count == read``;
    ``released`` counts held-back events that a later event made appendable."""

    read: int = 0
    appended: int = 0
    duplicates: int = 0
    held: int = 0
    released: int = 0
    rejected_count: int = 0
    items_created: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    states: dict[tuple[str, str], ItemState] = field(default_factory=dict, repr=False)
    """The fold of every item touched, after its last appended event (for the callers that
    react to new events, such as the findings)."""

    def reject(self, line: int | None, item: str | None, seq: int | None, error: DomainError):
        self.rejected_count += 1
        if len(self.rejected) < MAX_REPORTED:
            self.rejected.append(Rejection(line, item, seq, error))

    def as_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "read": self.read,
            "appended": self.appended,
            "duplicates": self.duplicates,
            "held": self.held,
            "released": self.released,
            "rejected": self.rejected_count,
            "items_created": self.items_created,
            "rejections": [r.as_dict(lang) for r in self.rejected],
        }


@dataclass
class _Incoming:
    line: int | None
    event: Event
    pending_pk: int | None = None


def events_ingest(
    lines: Iterable[str | bytes],
    *,
    allowed_source: str | None = None,
    batch_size: int = 2000,
    on_batch: Callable[[int], None] | None = None,
    keep_states: bool = False,
    findings: bool = True,
) -> IngestReport:
    """Append JSON Lines events to the ledger; returns the report. Streaming: memory is one
    batch whatever the input size. ``allowed_source``: the API token's system — events of any
    other source are refused. ``on_batch(lines_read)`` is called after each committed batch
    (the progress bar). ``keep_states`` keeps every touched item's fold in the report.
    ``findings``: schedule the supervision check of the items each batch touched (off only for
    a bulk load followed by one ``findings_sweep`` over everything, as the demo does)."""
    report = IngestReport()
    ctx = FoldContext()
    batch: list[_Incoming] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        report.read += 1
        try:
            batch.append(_Incoming(number, parse_event(text, line=number)))
        except DomainError as e:
            report.reject(number, None, None, e)
        if len(batch) >= batch_size:
            _ingest_batch(batch, ctx, report, allowed_source, keep_states, findings)
            batch = []
            if on_batch:
                on_batch(number)
    if batch:
        _ingest_batch(batch, ctx, report, allowed_source, keep_states, findings)
    if on_batch:
        on_batch(report.read)
    return report


def event_append(event: dict[str, Any]) -> ItemState:
    """Append one event built by CôngVụ's own screens; raises the DomainError that refused it.
    ``seq`` is assigned here (the next one of the item) when absent."""
    with transaction.atomic():
        if "seq" not in event:
            item = (
                Item.objects.select_for_update()
                .filter(source=event.get("source", "local"), code=event["item"])
                .only("last_seq")
                .first()
            )
            event = {**event, "seq": (item.last_seq if item else 0) + 1}
        parsed = parse_event(event)
        report = IngestReport()
        _ingest_batch([_Incoming(None, parsed)], FoldContext(), report, None, True)
    if report.rejected:
        raise report.rejected[0].error
    if report.held:
        raise GapError(
            item=parsed.item, seq=parsed.seq, expected="?", held_vi="được giữ lại", held_en="held"
        )
    return report.states[(parsed.source, parsed.item)]


def _ingest_batch(
    batch: list[_Incoming],
    ctx: FoldContext,
    report: IngestReport,
    allowed_source: str | None,
    keep_states: bool,
    findings: bool = True,
) -> None:
    now = clock.now()
    groups: dict[tuple[str, str], list[_Incoming]] = defaultdict(list)
    for inc in batch:
        e = inc.event
        if allowed_source is not None and e.source != allowed_source:
            report.reject(
                inc.line,
                e.item,
                e.seq,
                SourceMismatchError(item=e.item, source=e.source, allowed=allowed_source),
            )
        elif e.at > now + FUTURE_TOLERANCE:
            report.reject(
                inc.line, e.item, e.seq, FutureEventError(item=e.item, seq=e.seq, at=e.at_text)
            )
        else:
            groups[(e.source, e.item)].append(inc)
    if not groups:
        return
    with transaction.atomic():
        _add_pending(groups)
        items = _items_for(groups)
        stored = _stored_for(groups, items)
        plans = [_plan(key, incs, items.get(key), stored, report) for key, incs in groups.items()]
        plans = [p for p in plans if p.new]
        prior = events_of_items([p.item for p in plans if p.item is not None])
        ctx.prepare(
            units={p.new[0].event.unit for p in plans},
            procedures={str(p.opening(prior).data.get("procedure", "")) for p in plans},
        )
        writes = [w for p in plans if (w := _fold_plan(p, prior, ctx, report)) is not None]
        _write(writes, report, keep_states)
        if findings and writes:
            # imported here: the supervision app builds on the ledger, not the other way round
            from congvu.apps.supervision.tasks import findings_schedule

            findings_schedule([w.plan.item.pk for w in writes])


@dataclass
class _Plan:
    key: tuple[str, str]
    item: Item | None
    new: list[_Incoming]

    def opening(self, prior: dict[int, list[Event]]) -> Event:
        return prior[self.item.pk][0] if self.item is not None else self.new[0].event


@dataclass
class _Write:
    plan: _Plan
    accepted: list[_Incoming]
    history: list[Event]
    state: ItemState


def _add_pending(groups: dict[tuple[str, str], list[_Incoming]]) -> None:
    """Held-back events of the items in this batch join it: the gap may be filled now."""
    if not PendingEvent.objects.exists():  # the usual case: skip the large IN query
        return
    codes = {item for _, item in groups}
    for p in PendingEvent.objects.filter(item__in=codes):
        if (p.source, p.item) in groups:
            groups[(p.source, p.item)].append(_Incoming(None, parse_event(p.line), p.pk))


def _items_for(groups) -> dict[tuple[str, str], Item]:
    sources = {s for s, _ in groups}
    codes = {c for _, c in groups}
    found = Item.objects.filter(source__in=sources, code__in=codes)
    return {(i.source, i.code): i for i in found if (i.source, i.code) in groups}


def _stored_for(groups, items) -> dict[tuple[int, int], Event]:
    """The stored events that re-sent ones must be compared with (one query)."""
    wanted = {
        (items[key].pk, inc.event.seq)
        for key, incs in groups.items()
        if key in items
        for inc in incs
        if inc.event.seq <= items[key].last_seq
    }
    if not wanted:
        return {}
    by_pk = {i.pk: i for i in items.values()}
    rows = EventRow.objects.filter(
        item_id__in={pk for pk, _ in wanted}, seq__in={s for _, s in wanted}
    ).values(*ROW_FIELDS)
    return {
        (r["item_id"], r["seq"]): row_event(by_pk[r["item_id"]], r)
        for r in rows
        if (r["item_id"], r["seq"]) in wanted
    }


def _plan(key, incs: list[_Incoming], item: Item | None, stored, report) -> _Plan:
    """Sort an item's incoming events: duplicates and conflicts of stored ones, the contiguous
    run that follows the stored history, and the rest (held back or refused)."""
    last = item.last_seq if item is not None else 0
    by_seq: dict[int, _Incoming] = {}
    for inc in sorted(incs, key=lambda i: (i.event.seq, i.pending_pk is not None)):
        e = inc.event
        if e.seq <= last:
            same = canonical_json(stored[(item.pk, e.seq)]) == canonical_json(e)
            _duplicate_or_conflict(inc, same, report)
        elif e.seq in by_seq:
            same = canonical_json(by_seq[e.seq].event) == canonical_json(e)
            _duplicate_or_conflict(inc, same, report)
        else:
            by_seq[e.seq] = inc
    new: list[_Incoming] = []
    expected = last + 1
    for seq in sorted(by_seq):
        if seq != expected:
            _hold(by_seq[seq], expected, report)
            continue
        new.append(by_seq[seq])
        expected += 1
    return _Plan(key, item, new)


def _duplicate_or_conflict(inc: _Incoming, same: bool, report: IngestReport) -> None:
    if inc.pending_pk is not None:
        PendingEvent.objects.filter(pk=inc.pending_pk).delete()
        return
    if same:
        report.duplicates += 1
    else:
        e = inc.event
        report.reject(inc.line, e.item, e.seq, EventConflictError(item=e.item, seq=e.seq))


def _hold(inc: _Incoming, expected: int, report: IngestReport) -> None:
    if inc.pending_pk is not None:
        return  # still waiting
    e = inc.event
    if settings.CONGVU_LEDGER_GAPS == "reject":
        report.reject(
            inc.line,
            e.item,
            e.seq,
            GapError(
                item=e.item,
                seq=e.seq,
                expected=expected,
                held_vi="bị từ chối",
                held_en="is refused",
            ),
        )
        return
    PendingEvent.objects.get_or_create(
        source=e.source, item=e.item, seq=e.seq, defaults={"line": e.to_json()}
    )
    report.held += 1


def _fold_plan(plan: _Plan, prior, ctx: FoldContext, report: IngestReport) -> _Write | None:
    """Fold the stored history with the new events; events from the first one the fold
    refuses onwards are not stored (the refused one is reported, later ones held back)."""
    history = list(prior[plan.item.pk]) if plan.item is not None else []
    base = len(history)
    events = history + [inc.event for inc in plan.new]
    opening = events[0]
    try:
        _check_kinds(events[base:], opening)
        return _Write(plan, plan.new, events, ctx.fold(events))
    except DomainError:
        pass
    # Find the first event refused (the error path only: prefixes are folded again).
    good, state, error = base, None, None
    for k in range(base + 1, len(events) + 1):
        try:
            _check_kinds(events[k - 1 : k], opening)
            state = ctx.fold(events[:k])
            good = k
        except DomainError as e:
            error = e
            break
    bad = plan.new[good - base]
    report.reject(bad.line, bad.event.item, bad.event.seq, error)
    if bad.pending_pk is not None:
        PendingEvent.objects.filter(pk=bad.pending_pk).delete()
    for later in plan.new[good - base + 1 :]:
        _hold(later, bad.event.seq, report)
    if state is None:
        return None
    return _Write(plan, plan.new[: good - base], events[:good], state)


def _check_kinds(events: list[Event], opening: Event) -> None:
    """An item keeps the kind it was opened with (the fold does not look at ``kind``)."""
    for e in events:
        if e.kind != opening.kind:
            raise KindMismatchError(item=e.item, seq=e.seq, kind=e.kind, expected=opening.kind)


def _summary(item: Item, state: ItemState, history: list[Event], last_hash: str) -> None:
    running = [s for s in state.steps if s.ended_at is None]
    item.kind = state.kind
    item.procedure = state.procedure or ""
    item.channel = state.channel or ""
    item.agency = history[0].unit
    item.status = state.status.value
    item.ruleset = state.ruleset
    item.received_at = state.received_at
    item.due = state.due
    item.due_source = state.due_source
    item.limit_seconds = state.limit_seconds
    item.unit = state.unit
    item.official = state.official or ""
    item.step = running[-1].code if running else ""
    item.finished_at = state.finished_at
    item.late = state.late
    item.lateness_seconds = state.lateness_seconds
    item.supplement_count = state.supplement_count
    item.apology_count = state.apology_count
    item.transfer_count = sum(1 for e in history if e.type == "transferred")
    item.has_appointment = any(e.type == "appointment_issued" for e in history)
    item.rating = state.rating
    item.last_seq = history[-1].seq
    item.last_event_at = state.last_event_at
    item.last_hash = last_hash


_DATETIMES = {"received_at", "due", "finished_at", "last_event_at"}
SUMMARY_COLUMNS = [(c, "datetime") if c in _DATETIMES else c for c in SUMMARY_FIELDS]
ITEM_COLUMNS = ["source", "code", "secret", *SUMMARY_COLUMNS]
EVENT_COLUMNS = [
    "item_id",
    "seq",
    ("at", "datetime"),
    "at_text",
    "type",
    "unit",
    "actor",
    ("data", "json"),
    "hash",
    ("stored_at", "datetime"),
]


def _write(writes: list[_Write], report: IngestReport, keep_states: bool) -> None:
    stored_at = clock.now()
    created: list[Item] = []
    updated: list[Item] = []
    chained: list[tuple[_Write, _Incoming, str]] = []
    for w in writes:
        item = w.plan.item
        prev = item.last_hash if item is not None else GENESIS_HASH
        for inc in w.accepted:
            prev = chain_hash(prev, inc.event)
            chained.append((w, inc, prev))
        if item is None:
            item = Item(source=w.plan.key[0], code=w.plan.key[1], secret=_secret(w.state))
            w.plan.item = item
            created.append(item)
        else:
            updated.append(item)
        _summary(item, w.state, w.history, prev)
        if keep_states:
            report.states[w.plan.key] = w.state
    table = Item._meta.db_table
    bulk.insert_rows(
        table,
        ITEM_COLUMNS,
        [(i.source, i.code, i.secret, *(getattr(i, c) for c in SUMMARY_FIELDS)) for i in created],
    )
    if created:
        _fetch_ids(created)
    bulk.update_rows(
        table,
        SUMMARY_COLUMNS,
        [(*(getattr(i, c) for c in SUMMARY_FIELDS), i.pk) for i in updated],
    )
    bulk.insert_rows(
        EventRow._meta.db_table,
        EVENT_COLUMNS,
        [
            (
                w.plan.item.pk,
                e.seq,
                e.at,
                e.at_text,
                e.type,
                e.unit,
                e.actor or "",
                e.to_dict()["data"],
                h,
                stored_at,
            )
            for w, inc, h in chained
            for e in (inc.event,)
        ],
    )
    released = [inc.pending_pk for _, inc, _ in chained if inc.pending_pk is not None]
    if released:
        PendingEvent.objects.filter(pk__in=released).delete()
    report.items_created += len(created)
    # A released event was read (and counted as held) by an earlier call.
    report.appended += len(chained) - len(released)
    report.released += len(released)


def _fetch_ids(created: list[Item]) -> None:
    """The ids of rows inserted without RETURNING (one query per source)."""
    by_source: dict[str, dict[str, Item]] = defaultdict(dict)
    for item in created:
        by_source[item.source][item.code] = item
    for source, items in by_source.items():
        found = Item.objects.filter(source=source, code__in=list(items)).values_list("code", "pk")
        for code, pk in found:
            items[code].pk = pk


def _secret(state: ItemState) -> str:
    """The short code printed on the slip beside the dossier code, for the citizen's lookup."""
    if state.kind != "dossier":
        return ""
    # One read of the system's randomness; 32 symbols, so ``% 32`` is unbiased.
    return "".join(SECRET_ALPHABET[b % 32] for b in secrets.token_bytes(6))


@transaction.atomic
def dossier_code_issue(agency: str, day: dt.date) -> str:
    """The next dossier code of ``agency`` for ``day``: ``CONGVU_DOSSIER_CODE`` filled with
    ``agency``, ``date`` and ``number`` (default ``<agency>-<yyMMdd>-<NNNN>``). The counter row
    is locked, so two counters never hand out the same number."""
    counter, _ = DossierCounter.objects.select_for_update().get_or_create(agency=agency, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return settings.CONGVU_DOSSIER_CODE.format(agency=agency, date=day, number=counter.last)


def items_refresh(
    items=None,
    *,
    as_of: dt.datetime | None = None,
    ctx: FoldContext | None = None,
    on_chunk: Callable[[list[tuple[Item, list[Event], ItemState]]], None] | None = None,
) -> int:
    """Re-fold the summary row of ``items`` (default: all) from their stored events at
    ``as_of`` (default: now) — after an administrator changes a calendar or a procedure's time
    limit, and periodically for open items, whose state also moves with the clock alone (a
    dossier still waiting for its supplement when the rule set's period ends is closed).
    Evidence is not touched; only the derived rows change. Returns the number refreshed.

    ``on_chunk`` receives each chunk's (item, history, state) inside the chunk's transaction,
    so that a caller deriving more from the same fold (the findings) writes with it."""
    from congvu.apps.ledger.selectors import CHUNK, _item_chunks

    ctx = ctx or FoldContext()
    as_of = as_of or clock.now()
    count = 0
    for chunk in _item_chunks(items if items is not None else Item.objects.all()):
        histories = events_of_items(chunk)
        with transaction.atomic():
            folded = []
            for item in chunk:
                history = histories[item.pk]
                state = ctx.fold(history, as_of=as_of)
                _summary(item, state, history, item.last_hash)
                folded.append((item, history, state))
            Item.objects.bulk_update(chunk, SUMMARY_FIELDS, batch_size=CHUNK)
            if on_chunk is not None:
                on_chunk(folded)
        count += len(chunk)
    return count


def items_refresh_open(*, as_of: dt.datetime | None = None) -> int:
    """:func:`items_refresh` of the items still open or paused (the time-driven pass)."""
    return items_refresh(Item.objects.filter(status__in=Item.OPEN_STATUSES), as_of=as_of)


def source_system_create(*, code: str, name: str) -> tuple[SourceSystem, str]:
    """Register a system that may push events; returns it and its token, shown once (only
    the token's SHA-256 is stored)."""
    token = secrets.token_urlsafe(32)
    system = SourceSystem.objects.create(code=code, name=name, token_hash=token_digest(token))
    return system, token


def source_system_rotate(system: SourceSystem) -> str:
    """A new token for ``system``; the old one stops working at once."""
    token = secrets.token_urlsafe(32)
    system.token_hash = token_digest(token)
    system.save(update_fields=["token_hash"])
    return token


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
