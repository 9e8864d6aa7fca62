"""One ingestion run shared by several worker processes, partitioned by item.

A batch's preparation (parsing, folding, hashing, building rows) is Python, one core's worth
in one process however many cores the machine has; the writer thread (``pipeline.py``) only
overlaps it with the server's work. Items are independent of one another — the ledger's
order, idempotence, held-back events and hash chain are all per item — so the run is split
by item: this process reads the lines, sends each to the worker that owns its item
(``(source, item)`` → worker, fixed for the run), and each worker runs the ordinary
single-process ingestion (:func:`~congvu.apps.ledger.services.events_ingest`'s batches,
writer thread included) on its share, with its own database connection.

Guarantees, the same as one process:

* an item's events reach one worker, in the order of the input, so every rule that looks
  at an item's history sees what it would have seen;
* each worker's batches are whole transactions: a killed run (this process or a worker)
  loses only batches in flight and a re-run skips what was stored; a worker whose reader
  (this process) has gone stops after the batch it is writing;
* the report is the sum of the workers' reports, rejections in line order; a worker's
  failure stops the run and is raised here, as in one process.

Only on PostgreSQL (SQLite has one writer at a time) and only when the caller holds no
transaction (each worker commits on its own connection). Workers are forked: they inherit
the loaded Django, and the database connections are closed first so that none is shared.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

import msgspec
from django.db import connections

if TYPE_CHECKING:
    from congvu.apps.ledger.services import IngestReport

#: Lines sent to a worker at a time (one message on its pipe).
CHUNK = 500
#: Chunks a worker holds ahead of its ingestion — two batches' worth: the dispatcher waits
#: beyond that (back-pressure), so memory stays bounded whatever the input.
AHEAD = 40
_BOM = b"\xef\xbb\xbf"
_BOM_TEXT = "\ufeff"


class _Key(msgspec.Struct):
    """The partition key of a line: the other keys are skipped, not validated."""

    item: str
    source: str = "local"


_decode_key = msgspec.json.Decoder(_Key).decode


def partition(text: bytes | str, number: int, workers: int) -> int:
    """The worker of a line: by its ``(source, item)`` when the line says which item it is
    (as the full parser would read it), else by its line number (it is refused anyway)."""
    text = text.removeprefix(_BOM if isinstance(text, bytes) else _BOM_TEXT)  # type: ignore[arg-type]
    try:
        key = _decode_key(text)
        return hash((key.source, key.item)) % workers
    except (msgspec.DecodeError, ValueError):
        pass
    # what msgspec refuses (a lone surrogate escape…) the standard library may still read
    try:
        obj = json.loads(text)
    except ValueError:
        return number % workers
    if isinstance(obj, dict) and isinstance(obj.get("item"), str):
        source = obj.get("source", "local")
        if isinstance(source, str):
            return hash((source, obj["item"])) % workers
    return number % workers


class WorkerError(RuntimeError):
    """A worker stopped without a report: it ended or stopped reading, or its error could not
    cross the pipe whole (then its traceback is the message)."""


@dataclass
class _Worker:
    process: BaseProcess
    lines: Connection  # this process → worker: chunks of (number, line), then None
    results: Connection  # worker → this process: ("batch", line) … ("done", report)
    chunk: list[tuple[int, bytes | str]] = field(default_factory=list)  # not sent yet
    sent: int = 0  # the number of the last line sent
    committed: int = 0  # the number of the last line of its last committed batch
    report: IngestReport | None = None


def ingest_in_workers(
    numbered: Iterable[tuple[int, bytes | str]],
    *,
    workers: int,
    on_batch: Callable[[int], None] | None = None,
    options: dict[str, Any],
) -> IngestReport:
    """Ingest ``numbered`` lines in ``workers`` processes; ``options`` are ``events_ingest``'s
    keyword arguments for each worker's share. ``on_batch(line)``: every line up to ``line``
    is committed (or refused)."""
    from congvu.apps.ledger.services import merge_reports

    connections.close_all()  # nothing shared with the forked workers
    context = multiprocessing.get_context("fork")
    pipes = [(context.Pipe(duplex=False), context.Pipe(duplex=False)) for _ in range(workers)]
    crew: list[_Worker] = []
    for k, ((lines_in, lines_out), (results_in, results_out)) in enumerate(pipes):
        # the worker closes every end that is not its own: its reader's death must reach it
        # as the end of its pipe, which another worker holding the sending end would prevent
        others = [c for j, pair in enumerate(pipes) if j != k for p in pair for c in p]
        others += [lines_out, results_in]
        process = context.Process(
            target=_work,
            args=(lines_in, results_out, others, options),
            name=f"ledger-worker-{k}",
        )
        process.start()
        lines_in.close()
        results_out.close()
        crew.append(_Worker(process, lines_out, results_in))
    progress = _Progress(crew, on_batch)
    try:
        _dispatch(numbered, crew, progress)
        for w in crew:
            _send(w, None)
        while any(w.report is None for w in crew):
            _receive(crew, progress, block=True)
    finally:
        for w in crew:
            w.lines.close()
        for w in crew:
            w.process.join(timeout=None if all(x.report is not None for x in crew) else 30)
            if w.process.is_alive():
                w.process.terminate()
                w.process.join()
            w.results.close()
    progress.tell(done=True)
    return merge_reports([w.report for w in crew if w.report is not None])


def _dispatch(numbered: Iterable[tuple[int, bytes | str]], crew: list[_Worker], progress) -> None:
    n = len(crew)
    for number, raw in numbered:
        progress.read = number
        text = raw.strip()
        if not text:
            continue
        w = crew[partition(text, number, n)]
        w.chunk.append((number, text))
        if len(w.chunk) >= CHUNK:
            _send(w, w.chunk)
            w.chunk = []
            _receive(crew, progress, block=False)
    for w in crew:
        if w.chunk:
            _send(w, w.chunk)
            w.chunk = []


def _send(w: _Worker, chunk: list[tuple[int, bytes | str]] | None) -> None:
    try:
        w.lines.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        _receive([w], None, block=True)  # its error, which is why it stopped reading
        raise WorkerError(f"{w.process.name} stopped") from None
    if chunk:
        w.sent = chunk[-1][0]


class _Progress:
    """``on_batch(line)``: every line up to ``line`` is committed or refused — the line before
    the first one still waiting: in a chunk not sent yet, or after a worker's last committed
    batch among the lines it was sent."""

    def __init__(self, crew: list[_Worker], on_batch) -> None:
        self.crew, self.on_batch = crew, on_batch
        self.read = 0  # the last line read (blank lines are handled by reading them)
        self.told = 0

    def tell(self, *, done: bool = False) -> None:
        if not self.on_batch:
            return
        waiting = [w.chunk[0][0] - 1 for w in self.crew if w.chunk]
        waiting += [w.committed for w in self.crew if w.committed < w.sent and w.report is None]
        line = self.read if done or not waiting else min(waiting)
        if line > self.told:
            self.told = line
            self.on_batch(line)


def _receive(crew: list[_Worker], progress: _Progress | None, *, block: bool) -> None:
    """Read the workers' messages; raise a worker's error. Blocking: wait for one message."""
    ready = multiprocessing.connection.wait(
        [w.results for w in crew if w.report is None], None if block else 0
    )
    for conn in ready:
        w = next(x for x in crew if x.results is conn)
        try:
            what, value = conn.recv()
        except EOFError:
            raise WorkerError(f"{w.process.name} ended without a report") from None
        except Exception as e:  # a worker's error whose class does not rebuild here
            raise WorkerError(f"{w.process.name} failed; its message is unreadable: {e}") from e
        if what == "error":
            raise value
        if what == "done":
            w.report = value
        else:
            w.committed = value
    if progress is not None:
        progress.tell()


class _Orphaned(Exception):
    """The reading process has gone: stop after the batch being written."""


def _work(lines: Connection, results: Connection, others: list[Connection], options) -> None:
    """A worker process: ingest the lines it receives, then send its report."""
    for conn in others:
        conn.close()
    # Ctrl-C reaches the whole process group: the reading process alone handles it, and its
    # workers stop as when it is killed (their pipe ends), after the batch being written
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from congvu.apps.ledger.services import events_ingest

    status = 0
    inbox: queue.Queue = queue.Queue(maxsize=AHEAD)
    orphaned = threading.Event()
    # a reader thread keeps the pipe drained while a batch is prepared, so that the
    # dispatcher is not held up by this worker while another one waits for lines
    threading.Thread(target=_read, args=(lines, inbox, orphaned), daemon=True).start()

    def numbered() -> Iterator[tuple[int, bytes | str]]:
        while True:
            chunk = inbox.get()
            if orphaned.is_set():
                raise _Orphaned  # not the lines already received: nobody reads the report
            if chunk is None:
                return
            yield from chunk

    try:
        report = events_ingest(
            numbered(),
            numbered_lines=True,
            on_batch=lambda line: _tell(results, "batch", line),
            **options,
        )
        _tell(results, "done", report)
    except _Orphaned:
        status = 1
    except BaseException as e:  # noqa: BLE001 — handed to the reading process
        status = 1
        with suppress(OSError):
            try:
                _tell(results, "error", e)
            except (pickle.PicklingError, TypeError, AttributeError):
                # an error that does not pickle: its traceback
                _tell(results, "error", WorkerError("".join(traceback.format_exception(e))))
    finally:
        connections.close_all()
    # not sys.exit: the forked copy of the parent's state (atexit hooks, a test runner's
    # clean-up) must not run here
    os._exit(status)


def _read(lines: Connection, inbox: queue.Queue, orphaned: threading.Event) -> None:
    while True:
        try:
            chunk = lines.recv()
        except (EOFError, OSError):
            orphaned.set()
            # wakes the ingestion if it waits; when the queue is full, this waits until the
            # ingestion takes its next chunk, and it sees the flag then
            inbox.put(None)
            return
        inbox.put(chunk)
        if chunk is None:
            return


def _tell(results: Connection, what: str, value: Any) -> None:
    results.send_bytes(pickle.dumps((what, value)))
