"""How the batches of one ingestion run are written: in the importing thread, or by a writer
thread while the next batch is prepared.

Preparing a batch (parsing, folding, hashing, building rows) is Python work; writing it is
mostly the database server's (index upkeep, constraint checks, the commit). One after the
other, the client waits while the server works and the other way round. :class:`ThreadWriter`
overlaps them: a thread with its own database connection writes and commits batch *k* while
the importing thread prepares batch *k + 1* (psycopg releases the GIL while it waits for the
server, which runs on another core).

Guarantees, the same as writing in the importing thread:

* each batch is one transaction, committed in order; batch *k + 1* is handed over only after
  batch *k* committed, so a killed import loses at most the batch being written and the one
  being prepared, and a re-run duplicates nothing (each committed batch is complete);
* a failure of the writer rolls its batch back and is raised in the importing thread at its
  next hand-over (or at :meth:`finish`) — nothing after it is written, nothing is lost
  silently;
* the importing thread never reads what the writer has not committed: ``committed`` tells
  the batch builder which batches it must take from memory instead (``ingest.py``).

The writer thread is used only on PostgreSQL and only when the caller holds no transaction:
inside a transaction every write must be part of it (the API in a request, the screens, the
tests), and SQLite has no server to overlap with.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from django.db import connection, transaction

log = logging.getLogger(__name__)

W = TypeVar("W")

#: The interpreter's thread switch interval during a threaded import, seconds (default 5 ms).
SWITCH_INTERVAL = 0.0005
#: Allocations between two young-generation collections during a long import (default 700).
YOUNG_THRESHOLD = 100_000


@contextmanager
def long_import_runtime() -> Iterator[None]:
    """The interpreter's settings for a long threaded import, restored afterwards.

    * The objects alive at the start (Django, the modules, the calendars) are frozen out of
      the collector's full passes, which otherwise rescan them a dozen times per 200,000
      events (6 % of the import's CPU).
    * The young generation is collected every 100,000 allocations instead of 700: a batch
      allocates a few hundred thousand short-lived objects that reference counting frees,
      and the collector's passes over them found nothing to collect (0.3–0.5 s of 6.5 s per
      200,000 events, docs/performance.md). Cycles are still collected, later.
    * The writer thread gets the interpreter back sooner after each wait for the server:
      with the default 5 ms switch interval it waits up to 5 ms behind the preparing thread
      at every step of a batch (open the COPY, send, end it, commit…), which left the server
      idle (0.3–0.6 s per 200,000 events).

    All three are process-wide; they are set only for the threaded import (a command-line or
    job import of many batches), never inside a request's transaction. Imports that overlap
    in one process share them: the first sets them, the last restores what it found."""
    global _runtime_users, _runtime_saved
    with _runtime_lock:
        if _runtime_users == 0:
            _runtime_saved = (sys.getswitchinterval(), gc.get_threshold())
            gc.freeze()
            gc.set_threshold(YOUNG_THRESHOLD, *_runtime_saved[1][1:])
            sys.setswitchinterval(SWITCH_INTERVAL)
        _runtime_users += 1
    try:
        yield
    finally:
        with _runtime_lock:
            _runtime_users -= 1
            if _runtime_users == 0:
                switch, threshold = _runtime_saved
                sys.setswitchinterval(switch)
                gc.set_threshold(*threshold)
                gc.unfreeze()


_runtime_lock = threading.Lock()
_runtime_users = 0
_runtime_saved: tuple[float, tuple[int, int, int]] = (0.0, (0, 0, 0))


class InlineWriter(Generic[W]):
    """Prepares and writes each batch in one transaction of the calling thread."""

    def __init__(self, write: Callable[[W], None]) -> None:
        self._write = write
        self.committed = 0

    def batch(self, number: int, prepare: Callable[[int], W | None]) -> W | None:
        """Prepare and write batch ``number``: ``prepare(committed)`` gives its writes."""
        with transaction.atomic():
            work = prepare(self.committed)
            if work is not None:
                self._write(work)
        self.committed = number
        return work

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass


class ThreadWriter(Generic[W]):
    """Prepares each batch in the calling thread (reads only, outside any transaction) and
    writes it in a writer thread, one transaction per batch, while the next is prepared.

    ``must_settle(work)``: the next batch must not be prepared before this one commits (its
    reads depend on writes the builder does not keep in memory)."""

    def __init__(
        self,
        write: Callable[[W], None],
        must_settle: Callable[[W], bool] = lambda work: False,
        committed: int = 0,
    ) -> None:
        self._write, self._must_settle = write, must_settle
        self._cond = threading.Condition()
        self._todo: tuple[int, W] | None = None
        self._busy = False
        self._settle = False
        self._stop = False
        self._error: BaseException | None = None
        self._raised = False
        self.committed = committed
        self._thread: threading.Thread | None = None

    def batch(self, number: int, prepare: Callable[[int], W | None]) -> W | None:
        """Prepare batch ``number`` (``prepare(committed)`` gives its writes) and hand it to
        the writer once the previous one is committed. Raises the writer's error, if any."""
        with self._cond:
            if self._settle:
                self._wait_idle()
            self._check()
            committed = self.committed
        work = prepare(committed)
        if work is None:
            with self._cond:
                self._wait_idle()
                self._check()
                self.committed = max(self.committed, number)
            return None
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ledger-writer", daemon=True)
            self._thread.start()
        with self._cond:
            self._wait_idle()
            self._check()
            self._todo = (number, work)
            self._busy = True
            self._settle = self._must_settle(work)
            self._cond.notify_all()
        return work

    def finish(self) -> None:
        """Wait until every batch handed over is committed; raises the writer's error."""
        with self._cond:
            self._wait_idle()
            self._check()

    def close(self) -> None:
        """Stop the writer (after the batch it is writing) and close its connection. An error
        it had that was never raised (the importing thread failed first) is logged."""
        with self._cond:
            self._wait_idle()
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join()
        if self._error is not None and not self._raised:
            log.error("ledger writer failed", exc_info=self._error)

    def _wait_idle(self) -> None:
        while self._busy:
            self._cond.wait()

    def _check(self) -> None:
        if self._error is not None:
            self._raised = True
            raise self._error

    def _run(self) -> None:
        try:
            while True:
                with self._cond:
                    while self._todo is None and not self._stop:
                        self._cond.wait()
                    if self._todo is None:
                        return
                    number, work = self._todo
                    self._todo = None
                try:
                    with transaction.atomic():
                        self._write(work)
                except BaseException as e:  # noqa: BLE001 — handed to the importing thread
                    with self._cond:
                        self._error = e
                        self._busy = False
                        self._stop = True
                        self._cond.notify_all()
                    return
                with self._cond:
                    self.committed = number
                    self._busy = False
                    self._cond.notify_all()
        finally:
            connection.close()  # this thread's own connection
