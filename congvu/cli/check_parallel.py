"""``congvu check`` across worker processes: every item folded whole by one worker.

Every worker reads the whole file and keeps the lines of the items it owns (a CRC of the item
code, found in the raw line without decoding it — see :func:`owner`), parses them, groups
them by item, checks every item and renders its findings; the parent merges the workers'
rows in the order a single process gives. Line numbers are counted by each worker, so bad
lines are reported exactly as in one process.
"""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
import zlib
from multiprocessing.connection import Connection
from typing import Any

from congvu.cli.check_cmd import Collector, Outcome, Settings, check_groups

_ITEM = b'"item"'
_PLAIN_VALUE = b'":"'  # the key's closing quote, a colon and the value's opening quote


def _row_key(row: tuple[tuple[str, str, str, str, str], str]) -> tuple[str, str, str, str, str]:
    return row[0]


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
                return zlib.crc32(value) % jobs
    try:
        item = json.loads(raw).get("item")
    except (ValueError, AttributeError):
        item = None
    if isinstance(item, str):
        return zlib.crc32(item.encode("utf-8", "surrogatepass")) % jobs
    return number % jobs


def _worker(path: str, me: int, jobs: int, settings: Settings, outbox: Connection) -> None:
    """Read the whole file, parse the lines of this worker's items, check them, send back."""
    gc.disable()  # as in the parent (check_cmd._run): no cycles among the events held
    out = Outcome()
    collect = Collector(out)
    add = collect.add
    crc = zlib.crc32
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            stripped = raw.strip()
            if not stripped:
                continue  # blank lines are skipped but counted, as read_jsonl does
            # owner() with its common case inline: one item key and a plain value after it
            i = stripped.find(_ITEM)
            j = stripped.find(_PLAIN_VALUE, i)
            if i >= 0 and j == i + 5 and stripped.find(_ITEM, i + 6) < 0:
                end = stripped.find(b'"', j + 3)
                value = stripped[j + 3 : end]
                if end > 0 and b"\\" not in value:
                    k = crc(value) % jobs
                else:
                    k = owner(stripped, jobs, number)
            else:
                k = owner(stripped, jobs, number)
            if k == me:
                add(stripped, number)
    check_groups(collect.groups, collect.slow, settings, out)
    del collect
    # sorted here, in parallel: the parent then only merges sorted runs (Timsort finds them)
    out.rows.sort(key=_row_key)
    outbox.send(out)
    outbox.close()


def check_parallel(path: str, settings: Settings, jobs: int) -> Outcome:
    """Check the file at ``path`` with ``jobs`` worker processes; the same outcome as one
    process gives. Each worker reads the whole file (from the page cache after the first)
    and keeps the lines of its own items: scanning a line for its item is cheaper than
    handing it over through a pipe."""
    methods = mp.get_all_start_methods()
    # fork shares the loaded modules and calendar tables; spawn is the portable fallback
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    outboxes: list[Connection] = []
    workers: list[Any] = []
    for me in range(jobs):
        recv_out, send_out = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(path, me, jobs, settings, send_out), daemon=True)
        proc.start()
        send_out.close()
        outboxes.append(recv_out)
        workers.append(proc)
    try:
        total = Outcome()
        for box, proc in zip(outboxes, workers, strict=True):
            try:
                total.merge(box.recv())
            except EOFError:
                raise OSError(f"worker {proc.name} stopped (exit code {proc.exitcode})") from None
        return total
    finally:
        for box in outboxes:
            box.close()
        for proc in workers:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
