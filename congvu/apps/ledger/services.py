"""Writes to the ledger. ``events_ingest`` is the only path by which events are stored: the
import command, the REST endpoint, the demo loader and the dossier screens all call it.

Each batch is one transaction: events are validated (interchange.md v1), checked against what
is stored (a re-sent identical event is a no-op, a different one with the same key is refused),
folded with the item's earlier history (an event the fold cannot accept is refused, never
stored), hash-chained, appended, and the item's summary row is rewritten from the fold — all or
nothing (``ingest.py`` prepares a batch, ``pipeline.py`` writes it). A killed import therefore
loses at most the batches in flight, and re-running it skips what was stored (tested in
tests/test_ingest.py and tests/test_pipeline.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import secrets
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from congvu.apps.ledger import clock
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.errors import GapError
from congvu.apps.ledger.ingest import (
    FUTURE_TOLERANCE,
    SECRET_ALPHABET,
    SUMMARY_FIELDS,
    BatchBuilder,
    BatchWrite,
    Incoming,
    summary_values,
    write_batch,
)
from congvu.apps.ledger.models import DossierCounter, Item, SourceSystem
from congvu.apps.ledger.pipeline import InlineWriter, ThreadWriter, long_import_runtime
from congvu.apps.ledger.records import events_of_items
from congvu.apps.ledger.workers import ingest_in_workers
from congvu.domain.errors import DomainError
from congvu.domain.ledger import Event, ItemState, parse_event

__all__ = [
    "BATCH_SIZE",
    "FUTURE_TOLERANCE",
    "MAX_REPORTED",
    "SECRET_ALPHABET",
    "SUMMARY_FIELDS",
    "IngestReport",
    "Rejection",
    "dossier_code_issue",
    "event_append",
    "events_ingest",
    "import_workers",
    "items_refresh",
    "items_refresh_open",
    "merge_reports",
    "source_system_create",
    "source_system_rotate",
    "token_digest",
]

#: Rejections kept with their full message; beyond this only the count grows (constant memory).
MAX_REPORTED = 1000
#: Lines per batch (one transaction each). Fewer, larger batches cost less per event — each
#: has its reads, its round trips and its commit — up to about this size (docs/performance.md);
#: memory is two batches per process whatever the input.
BATCH_SIZE = 10_000


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


def events_ingest(
    lines: Iterable[str | bytes],
    *,
    allowed_source: str | None = None,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
    keep_states: bool = False,
    findings: bool = True,
    writer_thread: bool | None = None,
    workers: int = 1,
    numbered_lines: bool = False,
) -> IngestReport:
    """Append JSON Lines events to the ledger; returns the report. Streaming: memory is one
    batch whatever the input size (two while a writer thread writes one). ``allowed_source``:
    the API token's system — events of any other source are refused. ``on_batch(lines_read)``
    is called after each committed batch (the progress bar). ``keep_states`` keeps every
    touched item's fold in the report. ``findings``: schedule the supervision check of the
    items each batch touched (off only for a bulk load followed by one ``findings_sweep`` over
    everything, as the demo does).

    ``writer_thread``: write each batch in a writer thread while the next is prepared
    (``pipeline.py``). By default, on PostgreSQL when the caller holds no transaction and
    there is more than one batch; it cannot be asked for inside a transaction.

    ``workers``: share the run among that many processes, partitioned by item (``workers.py``;
    PostgreSQL, no transaction held by the caller, not with ``keep_states``);
    :func:`import_workers` is the number the import command uses. ``numbered_lines``: the
    input is ``(line number, line)`` pairs (a worker's share of a file)."""
    allowed = connection.vendor == "postgresql" and not connection.in_atomic_block
    if writer_thread and not allowed:
        raise ValueError("writer_thread needs PostgreSQL and no transaction held by the caller")
    numbered: Iterable[tuple[int, str | bytes]] = (
        lines if numbered_lines else enumerate(lines, start=1)  # type: ignore[assignment]
    )
    if workers > 1:
        if not allowed or keep_states:
            raise ValueError(
                "workers need PostgreSQL, no transaction held by the caller and no keep_states"
            )
        return ingest_in_workers(
            numbered,
            workers=workers,
            on_batch=on_batch,
            options={
                "allowed_source": allowed_source,
                "batch_size": batch_size,
                "findings": findings,
                "writer_thread": writer_thread,
            },
        )
    threaded = allowed if writer_thread is None else writer_thread
    report = IngestReport()
    builder = BatchBuilder(report, allowed_source=allowed_source, keep_states=keep_states)
    write = partial(write_batch, findings=findings)
    writer: InlineWriter[BatchWrite] | ThreadWriter[BatchWrite] = InlineWriter(write)
    progress: deque[tuple[int, int]] = deque()
    number = 0
    runtime = ExitStack()  # the long import's runtime settings, undone at the end

    def run(batch: list[Incoming], lines_read: int | None) -> None:
        nonlocal number, writer
        number += 1
        if threaded and isinstance(writer, InlineWriter) and number > 1:
            # from the second batch on: one batch alone has nothing to overlap with
            writer = ThreadWriter(
                write, lambda work: work.touches_pending, committed=writer.committed
            )
            runtime.enter_context(long_import_runtime())
        writer.batch(number, partial(builder.prepare, batch, number=number))
        if on_batch and lines_read is not None:
            progress.append((number, lines_read))
            while progress and progress[0][0] <= writer.committed:
                on_batch(progress.popleft()[1])

    batch: list[Incoming] = []
    n = 0
    try:
        for n, raw in numbered:
            text = raw.strip()
            if not text:
                continue
            report.read += 1
            try:
                batch.append(Incoming(n, parse_event(text, line=n)))
            except DomainError as e:
                report.reject(n, None, None, e)
            if len(batch) >= batch_size:
                run(batch, n)
                batch = []
        if batch:
            run(batch, None)
        writer.finish()
    finally:
        writer.close()
        runtime.close()
    if on_batch:
        for _, lines_read in progress:
            on_batch(lines_read)
        on_batch(n)
    return report


def import_workers() -> int:
    """The processes a file import is shared among: ``CONGVU_IMPORT_WORKERS``, by default one
    per core (at most 4) on PostgreSQL outside a transaction; 1 otherwise, and where processes
    cannot be forked (the workers inherit the loaded application)."""
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 1
    return settings.CONGVU_IMPORT_WORKERS or min(os.cpu_count() or 1, 4)


def merge_reports(reports: list[IngestReport]) -> IngestReport:
    """One report of a run shared by workers: the sums, the rejections in line order."""
    out = IngestReport()
    counts = (
        "read",
        "appended",
        "duplicates",
        "held",
        "released",
        "rejected_count",
        "items_created",
    )
    for r in reports:
        for name in counts:
            setattr(out, name, getattr(out, name) + getattr(r, name))
        out.rejected += r.rejected
    out.rejected.sort(key=lambda r: (r.line is None, r.line or 0))
    del out.rejected[MAX_REPORTED:]
    return out


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
        builder = BatchBuilder(report, keep_states=True)
        work = builder.prepare([Incoming(None, parsed)], 0, number=1)
        if work is not None:
            write_batch(work)
    if report.rejected:
        raise report.rejected[0].error
    if report.held:
        raise GapError(
            item=parsed.item, seq=parsed.seq, expected="?", held_vi="được giữ lại", held_en="held"
        )
    return report.states[(parsed.source, parsed.item)]


def _summary(item: Item, state: ItemState, history: list[Event], last_hash: str) -> None:
    for name, value in zip(
        SUMMARY_FIELDS, summary_values(state.summary(), history, last_hash), strict=True
    ):
        setattr(item, name, value)


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
        ctx.prepare_items(chunk)
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
