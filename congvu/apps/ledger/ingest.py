"""One batch of the ingestion: what is stored, what is new, the fold, the chain, the rows.

:class:`BatchBuilder` *prepares* a batch by reading only: the items and the stored events it
needs, then it sorts the incoming events (duplicates, conflicts, the contiguous run, gaps),
folds each item with its history, chains the hashes and builds the rows. Every write —
events, new items and their ids, summary rows, held-back events — is collected in a
:class:`BatchWrite`, which :func:`write_batch` applies in one transaction. The two halves can
run in one transaction of the importing thread, or the writes of batch *k* in the writer
thread of ``pipeline.py`` while batch *k + 1* is prepared: the builder remembers the items of
the batches not yet committed (:attr:`BatchBuilder.recent`), so that it never needs to read
what another connection has not committed yet.

Each event is serialised once (:func:`~congvu.domain.ledger.canonical_parts`): the canonical
form is hashed, and its UTC moment and ``data`` JSON are the stored columns. Rows are plain
tuples, and on PostgreSQL the event rows are ``COPY`` text built here, so that the writer only
sends bytes.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.db import connection

from congvu.apps.ledger import bulk, clock
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.errors import (
    EventConflictError,
    FutureEventError,
    GapError,
    KindMismatchError,
    SourceMismatchError,
)
from congvu.apps.ledger.models import Event as EventRow
from congvu.apps.ledger.models import Item, PendingEvent
from congvu.apps.ledger.records import events_of_items
from congvu.domain.errors import DomainError
from congvu.domain.ledger import (
    GENESIS_HASH,
    Event,
    ItemState,
    ItemSummary,
    canonical_json,
    canonical_parts,
    chain_hash_of,
    parse_event,
)

if TYPE_CHECKING:
    from congvu.apps.ledger.services import IngestReport

#: Events stamped a little ahead of our clock are accepted (clocks of source systems drift).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
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
_DATETIMES = [i for i, f in enumerate(SUMMARY_FIELDS) if f in {"received_at", "due"}]
_NULLABLE_DATETIMES = [SUMMARY_FIELDS.index("finished_at")]
_LAST_EVENT_AT = SUMMARY_FIELDS.index("last_event_at")
ITEM_COLUMNS = ["id", "source", "code", "secret", *SUMMARY_FIELDS]
EVENT_COLUMNS = [
    "item_id",
    "seq",
    "at",
    "at_text",
    "type",
    "unit",
    "actor",
    "data",
    "hash",
    "stored_at",
]


@dataclass(slots=True)
class Incoming:
    """A parsed event of the batch; ``pending_pk`` when it was held back earlier."""

    line: int | None
    event: Event
    pending_pk: int | None = None


class ItemRef(NamedTuple):
    """A stored item as the ingestion needs it (``records.row_event`` reads source, code and
    kind; the chain continues from ``last_hash``)."""

    pk: int
    source: str
    code: str
    kind: str
    last_seq: int
    last_hash: str


@dataclass(slots=True)
class _Recent:
    """An item written by a batch that may not be committed yet, with its whole history."""

    item: ItemRef
    history: list[Event]
    batch: int


@dataclass
class _Plan:
    key: tuple[str, str]
    item: ItemRef | None
    new: list[Incoming]


@dataclass
class BatchWrite:
    """Everything one batch writes, applied by :func:`write_batch` in one transaction."""

    number: int
    new_items: list[tuple] | str = ""
    """PostgreSQL: the ``COPY`` text of the new items' rows; SQLite: the rows."""
    updated_items: list[tuple] = field(default_factory=list)
    events: list[tuple] | str = ""
    """PostgreSQL: the ``COPY`` text of the event rows; SQLite: the rows."""
    pending_create: list[PendingEvent] = field(default_factory=list)
    pending_delete: list[int] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)
    """The items whose supervision check is scheduled once the batch commits."""

    @property
    def touches_pending(self) -> bool:
        """Held-back events change: the next batch must not be prepared before the commit
        (it reads them)."""
        return bool(self.pending_create or self.pending_delete)


class BatchBuilder:
    """Prepares the batches of one ingestion run (see the module's docstring)."""

    def __init__(
        self,
        report: IngestReport,
        *,
        ctx: FoldContext | None = None,
        allowed_source: str | None = None,
        keep_states: bool = False,
    ) -> None:
        self.report = report
        self.ctx = ctx or FoldContext()
        self.allowed_source = allowed_source
        self.keep_states = keep_states
        self.postgres = connection.vendor == "postgresql"
        self.recent: dict[tuple[str, str], _Recent] = {}
        self.ids = bulk.IdPool(Item._meta.db_table)

    def prepare(self, batch: list[Incoming], committed: int, *, number: int) -> BatchWrite | None:
        """The writes of batch ``number`` (1, 2, … in the order they are written), or ``None``
        when it writes nothing. ``committed``: the number of the last batch known to be
        committed *before* this call's reads start — the items of later batches are taken
        from memory, not from the database."""
        self.recent = {k: r for k, r in self.recent.items() if r.batch > committed}
        report = self.report
        now = clock.now()
        groups: dict[tuple[str, str], list[Incoming]] = defaultdict(list)
        allowed = self.allowed_source
        latest = now + FUTURE_TOLERANCE
        # ``latest`` in the offset of the events (one tzinfo per offset from parse_event):
        # moments with the same tzinfo compare without working out their offsets
        tz: Any = None
        latest_there = latest
        for inc in batch:
            e = inc.event
            at = e.at
            if at.tzinfo is not tz and type(at.tzinfo) is dt.timezone:  # fixed: no DST
                tz = at.tzinfo
                latest_there = latest.astimezone(tz)
            if allowed is not None and e.source != allowed:
                report.reject(
                    inc.line,
                    e.item,
                    e.seq,
                    SourceMismatchError(item=e.item, source=e.source, allowed=allowed),
                )
            elif at > (latest_there if at.tzinfo is tz else latest):
                report.reject(
                    inc.line, e.item, e.seq, FutureEventError(item=e.item, seq=e.seq, at=e.at_text)
                )
            else:
                groups[(e.source, e.item)].append(inc)
        if not groups:
            return None
        out = BatchWrite(number)
        items = self._read(groups)
        stored = self._stored_for(groups, items)
        plans = [
            _plan(key, incs, items.get(key), stored, report, out) for key, incs in groups.items()
        ]
        plans = [p for p in plans if p.new]
        prior = self._prior([p.item for p in plans if p.item is not None])
        ctx = self.ctx
        ctx.prepare(
            units={p.new[0].event.unit for p in plans},
            procedures={str(_opening(p, prior).data.get("procedure", "")) for p in plans},
        )
        writes = []
        for p in plans:
            w = _fold_plan(p, prior, self._fold, report, out)
            if w is not None:
                writes.append(w)
        if writes:
            self._rows(writes, out, now)
        elif not out.touches_pending:
            return None  # all duplicates or refused: nothing to write
        return out

    def _fold(self, events: list[Event]) -> tuple[ItemSummary, ItemState | None]:
        """The item's summary at its last event, and its whole state when the caller keeps
        the states (the summary alone costs a third less: no per-step durations)."""
        if self.keep_states:
            state = self.ctx.fold(events)
            return state.summary(), state
        return self.ctx.fold_summary(events), None

    # -- reads ---------------------------------------------------------------------------

    def _read(self, groups) -> dict[tuple[str, str], ItemRef]:
        """The stored items of the batch's events (from memory for those of uncommitted
        batches); their held-back events join ``groups`` (the gap may be filled now).

        On PostgreSQL one statement reads both: while the writer thread keeps the server busy
        each round trip keeps this thread waiting a few milliseconds."""
        recent = self.recent
        out = {key: recent[key].item for key in groups if key in recent}
        wanted = [key for key in groups if key not in recent]
        found: list[tuple] = []
        pending: list[tuple[int, str, str, str]] = []
        if self.postgres:
            # array parameters: a third of the client time of the ORM's IN lists
            sql = (
                "SELECT id, source, code, kind, last_seq, last_hash, NULL"  # noqa: S608
                f" FROM {Item._meta.db_table} WHERE code = ANY(%s) AND source = ANY(%s)"
                " UNION ALL SELECT id, source, item, NULL, NULL, NULL, line"
                f" FROM {PendingEvent._meta.db_table} WHERE item = ANY(%s) AND source = ANY(%s)"
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    sql,
                    [
                        list({c for _, c in wanted}),
                        list({s for s, _ in wanted}),
                        list({c for _, c in groups}),
                        list({s for s, _ in groups}),
                    ],
                )
                for row in cursor.fetchall():
                    if row[3] is None:  # an item always has a kind
                        pending.append((row[0], row[1], row[2], row[6]))
                    else:
                        found.append(row[:6])
        else:
            if wanted:
                found = list(
                    Item.objects.filter(
                        source__in={s for s, _ in wanted}, code__in={c for _, c in wanted}
                    ).values_list("pk", "source", "code", "kind", "last_seq", "last_hash")
                )
            # the usual case, no event held back: skip the large IN query
            if PendingEvent.objects.exists():
                pending = list(
                    PendingEvent.objects.filter(item__in={c for _, c in groups}).values_list(
                        "pk", "source", "item", "line"
                    )
                )
        for row in found:
            ref = ItemRef(*row)
            if (ref.source, ref.code) in groups:
                out[(ref.source, ref.code)] = ref
        for pk, source, code, line in pending:
            if (source, code) in groups:
                groups[(source, code)].append(Incoming(None, parse_event(line), pk))
        return out

    def _stored_for(self, groups, items) -> _Stored:
        """What the re-sent events of the batch must be compared with (one query at most)."""
        out = _Stored()
        wanted: set[tuple[int, int]] = set()
        for key, incs in groups.items():
            item = items.get(key)
            if item is None:
                continue
            recent = self.recent.get(key)
            for inc in incs:
                seq = inc.event.seq
                if seq <= item.last_seq:
                    if recent is not None:
                        out.events[(item.pk, seq)] = recent.history[seq - 1]
                    else:
                        wanted.add((item.pk, seq))
                        if seq > 1:
                            wanted.add((item.pk, seq - 1))
        if wanted:
            rows = EventRow.objects.filter(
                item_id__in={pk for pk, _ in wanted}, seq__in={s for _, s in wanted}
            ).values_list("item_id", "seq", "hash")
            for pk, seq, chained in rows:
                if (pk, seq) in wanted:
                    out.hashes[(pk, seq)] = chained
        return out

    def _prior(self, items: list[ItemRef]) -> dict[int, list[Event]]:
        """Each stored item's history: from memory for the items of uncommitted batches."""
        out: dict[int, list[Event]] = {}
        stored = []
        for item in items:
            recent = self.recent.get((item.source, item.code))
            if recent is not None:
                out[item.pk] = recent.history
            else:
                stored.append(item)
        if stored:
            out.update(events_of_items(stored))
        return out

    # -- rows ----------------------------------------------------------------------------

    def _rows(self, writes: list[_Write], out: BatchWrite, now: dt.datetime) -> None:
        report = self.report
        postgres = self.postgres
        created = [w for w in writes if w.plan.item is None]
        ids = iter(self.ids.take(len(created))) if created else None
        codes = iter(_secrets(sum(w.summary.kind == "dossier" for w in created)))
        stored_at = _stored_at(now, postgres)
        lines: list[str] = []
        rows: list[tuple] = []
        new_items: list[tuple] = []
        released = 0
        for w in writes:
            plan = w.plan
            item = plan.item
            pk = next(ids) if item is None else item.pk  # type: ignore[call-overload]
            prev = GENESIS_HASH if item is None else item.last_hash
            for inc in w.accepted:
                e = inc.event
                text, at, data = canonical_parts(e)
                prev = chain_hash_of(prev, text)
                if postgres:
                    line = (
                        f"{pk}\t{e.seq}\t{at}\t{e.at_text}\t{e.type}\t{e.unit}\t{e.actor or ''}"
                        f"\t{data}\t{prev}\t{stored_at}"
                    )
                    if not bulk.is_plain_copy(line, len(EVENT_COLUMNS)):
                        line = (
                            bulk.copy_line(
                                (
                                    pk,
                                    e.seq,
                                    at,
                                    e.at_text,
                                    e.type,
                                    e.unit,
                                    e.actor or "",
                                    data,
                                    prev,
                                )
                            )
                            + f"\t{stored_at}"
                        )
                    lines.append(line)
                else:
                    rows.append(
                        (
                            pk,
                            e.seq,
                            at[:-6].replace("T", " ", 1),  # naive UTC text, Django's notation
                            e.at_text,
                            e.type,
                            e.unit,
                            e.actor or "",
                            data,
                            prev,
                            stored_at,
                        )
                    )
                if inc.pending_pk is not None:
                    out.pending_delete.append(inc.pending_pk)
                    released += 1
            summary = summary_values(w.summary, w.history, prev, sqlite=not postgres)
            source, code = plan.key
            if item is None:
                secret = next(codes) if w.summary.kind == "dossier" else ""
                new_items.append((pk, source, code, secret, *summary))
            else:
                out.updated_items.append((*summary, pk))
            out.item_ids.append(pk)
            ref = ItemRef(pk, source, code, w.summary.kind, w.history[-1].seq, prev)
            self.recent[plan.key] = _Recent(ref, w.history, out.number)
            if w.state is not None:
                report.states[plan.key] = w.state
        out.events = "\n".join(lines) + "\n" if postgres else rows
        if postgres:
            # built here, where the batch is prepared, so that the writer thread only sends
            out.new_items = "".join([bulk.copy_row(row) + "\n" for row in new_items])
        else:
            out.new_items = new_items
        report.items_created += len(created)
        # A released event was read (and counted as held) by an earlier call.
        appended = sum(len(w.accepted) for w in writes)
        report.appended += appended - released
        report.released += released


def write_batch(out: BatchWrite, *, findings: bool = True) -> None:
    """Apply a prepared batch; the caller holds the transaction."""
    if isinstance(out.new_items, str):
        if out.new_items:
            bulk.copy_text(Item._meta.db_table, ITEM_COLUMNS, out.new_items)
    else:
        bulk.insert_rows(Item._meta.db_table, ITEM_COLUMNS, out.new_items)
    bulk.update_rows(Item._meta.db_table, SUMMARY_FIELDS, out.updated_items)
    if isinstance(out.events, str):
        if out.item_ids:
            bulk.copy_text(EventRow._meta.db_table, EVENT_COLUMNS, out.events)
    else:
        bulk.insert_rows(EventRow._meta.db_table, EVENT_COLUMNS, out.events)
    if out.pending_delete:
        PendingEvent.objects.filter(pk__in=out.pending_delete).delete()
    if out.pending_create:
        PendingEvent.objects.bulk_create(out.pending_create, ignore_conflicts=True)
    if findings and out.item_ids:
        # imported here: the supervision app builds on the ledger, not the other way round
        from congvu.apps.supervision.tasks import findings_schedule

        findings_schedule(out.item_ids)


# -- sorting and folding --------------------------------------------------------------------


@dataclass
class _Write:
    plan: _Plan
    accepted: list[Incoming]
    history: list[Event]
    summary: ItemSummary
    state: ItemState | None
    """The whole fold, when the builder keeps the states."""


def _opening(plan: _Plan, prior: dict[int, list[Event]]) -> Event:
    return prior[plan.item.pk][0] if plan.item is not None else plan.new[0].event


class _Stored:
    """The stored events that re-sent ones are compared with: the events themselves for items
    of batches not yet committed (kept in memory), else their stored chain hashes. A re-sent
    event is the stored one when it chains to the same hash from the previous event's: the
    stored row is neither read whole nor serialised again, and the comparison is with what
    was hashed when it was appended (an altered row is ``congvu ledger verify``'s to find)."""

    def __init__(self) -> None:
        self.events: dict[tuple[int, int], Event] = {}
        self.hashes: dict[tuple[int, int], str] = {}

    def same(self, pk: int, e: Event) -> bool:
        known = self.events.get((pk, e.seq))
        if known is not None:
            return canonical_json(known) == canonical_json(e)
        prev = GENESIS_HASH if e.seq == 1 else self.hashes.get((pk, e.seq - 1))
        stored = self.hashes.get((pk, e.seq))
        return prev is not None and chain_hash_of(prev, canonical_json(e)) == stored


def _plan(key, incs: list[Incoming], item: ItemRef | None, stored: _Stored, report, out) -> _Plan:
    """Sort an item's incoming events: duplicates and conflicts of stored ones, the contiguous
    run that follows the stored history, and the rest (held back or refused)."""
    last = item.last_seq if item is not None else 0
    by_seq: dict[int, Incoming] = {}
    if len(incs) > 1:
        incs = sorted(incs, key=lambda i: (i.event.seq, i.pending_pk is not None))
    for inc in incs:
        e = inc.event
        if e.seq <= last:
            same = stored.same(item.pk, e)  # type: ignore[union-attr]
            _duplicate_or_conflict(inc, same, report, out)
        elif e.seq in by_seq:
            same = canonical_json(by_seq[e.seq].event) == canonical_json(e)
            _duplicate_or_conflict(inc, same, report, out)
        else:
            by_seq[e.seq] = inc
    new: list[Incoming] = []
    expected = last + 1
    for seq in sorted(by_seq):
        if seq != expected:
            _hold(by_seq[seq], expected, report, out)
            continue
        new.append(by_seq[seq])
        expected += 1
    return _Plan(key, item, new)


def _duplicate_or_conflict(inc: Incoming, same: bool, report, out: BatchWrite) -> None:
    if inc.pending_pk is not None:
        out.pending_delete.append(inc.pending_pk)
        return
    if same:
        report.duplicates += 1
    else:
        e = inc.event
        report.reject(inc.line, e.item, e.seq, EventConflictError(item=e.item, seq=e.seq))


def _hold(inc: Incoming, expected: int, report, out: BatchWrite) -> None:
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
    out.pending_create.append(
        PendingEvent(source=e.source, item=e.item, seq=e.seq, line=e.to_json())
    )
    report.held += 1


def _fold_plan(
    plan: _Plan,
    prior,
    fold: Callable[[list[Event]], tuple[ItemSummary, ItemState | None]],
    report,
    out: BatchWrite,
) -> _Write | None:
    """Fold the stored history with the new events; events from the first one the fold
    refuses onwards are not stored (the refused one is reported, later ones held back)."""
    history = list(prior[plan.item.pk]) if plan.item is not None else []
    base = len(history)
    events = history + [inc.event for inc in plan.new]
    opening = events[0]
    try:
        _check_kinds(events[base:], opening)
        return _Write(plan, plan.new, events, *fold(events))
    except DomainError:
        pass
    # Find the first event refused (the error path only: prefixes are folded again).
    good, folded, error = base, None, None
    for k in range(base + 1, len(events) + 1):
        try:
            _check_kinds(events[k - 1 : k], opening)
            folded = fold(events[:k])
            good = k
        except DomainError as e:
            error = e
            break
    bad = plan.new[good - base]
    report.reject(bad.line, bad.event.item, bad.event.seq, error)
    if bad.pending_pk is not None:
        out.pending_delete.append(bad.pending_pk)
    for later in plan.new[good - base + 1 :]:
        _hold(later, bad.event.seq, report, out)
    if folded is None:
        return None
    return _Write(plan, plan.new[: good - base], events[:good], *folded)


def _check_kinds(events: list[Event], opening: Event) -> None:
    """An item keeps the kind it was opened with (the fold does not look at ``kind``)."""
    kind = opening.kind
    for e in events:
        if e.kind != kind:
            raise KindMismatchError(item=e.item, seq=e.seq, kind=e.kind, expected=kind)


# -- summary rows ---------------------------------------------------------------------------


def summary_values(
    summary: ItemSummary, history: list[Event], last_hash: str, *, sqlite: bool = False
) -> tuple:
    """The summary row of an item (:data:`SUMMARY_FIELDS`, in order) from its fold's summary.
    ``sqlite``: moments as the naive UTC text Django stores there."""
    values = [
        summary.kind,
        summary.procedure or "",
        summary.channel or "",
        history[0].unit,
        summary.status.value,
        summary.ruleset,
        summary.received_at,
        summary.due,
        summary.due_source,
        summary.limit_seconds,
        summary.unit,
        summary.official or "",
        summary.step,
        summary.finished_at,
        summary.late,
        summary.lateness_seconds,
        summary.supplement_count,
        summary.apology_count,
        summary.transfer_count,
        summary.has_appointment,
        summary.rating,
        history[-1].seq,
        summary.last_event_at,
        last_hash,
    ]
    if sqlite:
        for i in (*_DATETIMES, *_NULLABLE_DATETIMES, _LAST_EVENT_AT):
            values[i] = bulk.sqlite_datetime(values[i])
    return tuple(values)


#: byte → a symbol of the alphabet; 256 is a multiple of 32, so each symbol is equally likely.
_SECRET_SYMBOLS = bytes(ord(SECRET_ALPHABET[b % len(SECRET_ALPHABET)]) for b in range(256))


def _secrets(count: int) -> list[str]:
    """``count`` short codes printed on the slips beside the dossier codes, for the citizen's
    lookup: six symbols each, from one read of the system's randomness for all of them."""
    symbols = secrets.token_bytes(6 * count).translate(_SECRET_SYMBOLS).decode("ascii")
    return [symbols[i : i + 6] for i in range(0, 6 * count, 6)]


def _stored_at(now: dt.datetime, postgres: bool) -> Any:
    if postgres:
        return now.isoformat()
    return bulk.sqlite_datetime(now)
