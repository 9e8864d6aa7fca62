"""``congvu check`` across worker processes: every item folded whole by one worker.

The reading process reads the file in large blocks and hands each line to the worker that
owns its item (a hash of the item code, found in the raw line without decoding it — see
:func:`owner`). Each worker parses its lines as they arrive (so parsing overlaps the
reading), groups them by item and, once the file is read, checks every item and renders its
findings; the reading process merges the workers' rows in the order a single process gives.

Line numbers travel with the lines, so bad lines are reported exactly as in one process.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import IO, Any

from congvu.cli.check_cmd import Outcome, Settings, check_events
from congvu.domain.errors import DomainError
from congvu.domain.ledger import Event, LineError, parse_event

#: Lines per message to a worker: large enough to amortise pickling, small enough to keep
#: every worker busy while the file is read.
BATCH = 4000
#: Bytes read at a time.
BLOCK = 1 << 22

_ITEM = b'"item"'


def owner(raw: bytes, jobs: int, number: int) -> int:
    """The worker (``0 … jobs-1``) for a raw JSON line: a hash of its item code.

    Any line of one item must land on the same worker. When ``"item"`` occurs exactly once
    in the line it is the top-level key (a nested key or a string value ``"item"`` would be
    a second occurrence; an escaped quote cannot end in ``item"``), and its value is the
    text up to the next quote unless that text holds an escape; then, and whenever the key
    occurs more or less than once, the line is decoded. A line without a readable item goes
    by its line number: it is an error that only needs reporting once.
    """
    i = raw.find(_ITEM)
    if i >= 0 and raw.find(_ITEM, i + 6) < 0:
        colon = raw.find(b":", i + 6)
        j = raw.find(b'"', colon + 1)
        if colon > 0 and j > 0 and not raw[colon + 1 : j].strip():
            k = raw.find(b'"', j + 1)
            value = raw[j + 1 : k]
            if k > 0 and b"\\" not in value:
                return hash(value) % jobs
    try:
        item = json.loads(raw).get("item")
    except (ValueError, AttributeError):
        item = None
    if isinstance(item, str):
        return hash(item.encode("utf-8", "surrogatepass")) % jobs
    return number % jobs


def _numbered(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    number = 0
    while True:
        block = stream.readlines(BLOCK)
        if not block:
            return
        for raw in block:
            number += 1
            yield number, raw


def _worker(inbox: Connection, outbox: Connection, settings: Settings) -> None:
    out = Outcome()
    events: list[Event] = []
    parse = parse_event
    while True:
        batch: list[tuple[int, bytes]] | None = inbox.recv()
        if batch is None:
            break
        for number, raw in batch:
            try:
                events.append(parse(raw, line=number))
            except DomainError as e:
                line_error = LineError(number, e)
                out.bad_lines += 1
                out.problems.append((number, line_error.message("vi"), line_error.message("en")))
    out.events = len(events)
    check_events(events, settings, out)
    del events
    outbox.send(out)
    outbox.close()


def check_parallel(stream: IO[bytes], settings: Settings, jobs: int) -> Outcome:
    """Check ``stream`` with ``jobs`` worker processes; the same outcome as one process."""
    methods = mp.get_all_start_methods()
    # fork shares the loaded modules and calendar tables; spawn is the portable fallback
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    inboxes: list[Connection] = []
    outboxes: list[Connection] = []
    workers: list[Any] = []
    for _ in range(jobs):
        recv_in, send_in = ctx.Pipe(duplex=False)
        recv_out, send_out = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(recv_in, send_out, settings), daemon=True)
        proc.start()
        recv_in.close()
        send_out.close()
        inboxes.append(send_in)
        outboxes.append(recv_out)
        workers.append(proc)
    try:
        batches: list[list[tuple[int, bytes]]] = [[] for _ in range(jobs)]
        for number, raw in _numbered(stream):
            stripped = raw.strip()
            if not stripped:
                continue  # blank lines are skipped but counted, as read_jsonl does
            k = owner(stripped, jobs, number)
            batch = batches[k]
            batch.append((number, stripped))
            if len(batch) >= BATCH:
                inboxes[k].send(batch)
                batches[k] = []
        for k in range(jobs):
            if batches[k]:
                inboxes[k].send(batches[k])
            inboxes[k].send(None)
        total = Outcome()
        for box in outboxes:
            total.merge(box.recv())
        return total
    finally:
        for box in (*inboxes, *outboxes):
            box.close()
        for proc in workers:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
