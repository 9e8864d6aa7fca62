"""``congvu check`` across worker processes: every item folded whole by one worker.

The file is cut into one byte range per worker, at line ends. Each worker parses its own
lines (numbered from the count of line ends before its range, so bad lines are reported
exactly as in one process) and groups them by item. An item whose lines fall in several
ranges — in an export ordered by time, the items open where two ranges meet — is checked
by the first worker that holds it: the others hand it its lines through the parent
(:func:`check_parallel`), appended in file order. Then every worker checks its items and
renders their findings; the parent merges the workers' rows in the order a single process
gives.

Reading only its own range spares each worker the scan of every other line of the file for
its item code, which cost more than parsing its own lines.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from multiprocessing.connection import Connection
from typing import Any

from congvu.cli.check_cmd import Collector, Outcome, Settings, check_groups, line_reader
from congvu.domain.ledger import Event, parse_event
from congvu.domain.ledger.records import Record

Key = tuple[str, str]
#: An item's lines as one worker hands them to another: records as they are, events as
#: their JSON (a read-only ``data`` mapping does not pickle; the JSON parses back equal).
Portable = list[Record | str]

_BLOCK = 1 << 24


def _row_key(row: tuple[tuple[str, str, str, str, str], str]) -> tuple[str, str, str, str, str]:
    return row[0]


def ranges(path: str, jobs: int) -> list[tuple[int, int]]:
    """``jobs`` byte ranges ``[start, end)`` covering the file, each starting at a line start
    (some may be empty when the file has fewer lines than workers)."""
    size = os.path.getsize(path)
    starts = [0]
    with open(path, "rb") as f:
        for k in range(1, jobs):
            cut = size * k // jobs
            if cut <= starts[-1]:
                starts.append(starts[-1])
                continue
            # the byte before the cut: when it is a line end, the cut is a line start
            f.seek(cut - 1)
            f.readline()
            starts.append(max(f.tell(), starts[-1]))
    starts.append(size)
    return [(starts[k], starts[k + 1]) for k in range(jobs)]


def _lines_before(f: Any, start: int) -> int:
    """How many line ends the file holds before byte ``start``."""
    f.seek(0)
    count = 0
    left = start
    while left > 0:
        block = f.read(min(_BLOCK, left))
        if not block:
            break
        count += block.count(b"\n")
        left -= len(block)
    return count


def _portable(group: list[Record | Event]) -> Portable:
    return [r.to_json() if isinstance(r, Event) else r for r in group]


def _worker(path: str, start: int, end: int, settings: Settings, conn: Connection) -> None:
    """Parse this worker's range, trade the items shared with other ranges, check, send."""
    gc.disable()  # as in the parent (check_cmd._run): no cycles among the records held
    out = Outcome()
    collect = Collector(out)
    add = collect.add
    with open(path, "rb") as stream:
        number = _lines_before(stream, start)
        stream.seek(start)
        at = start
        for raw in stream:
            if at >= end:
                break
            number += 1
            stripped = raw.strip()
            if stripped:  # blank lines are skipped but counted, as in one process
                add(stripped, number, at)
            at += len(raw)
    groups = collect.groups
    conn.send(list(groups))
    give: dict[int, list[Key]] = conn.recv()
    conn.send(
        {to: [(key, _portable(groups.pop(key))) for key in keys] for to, keys in give.items()}
    )
    incoming: list[tuple[Key, Portable]] = conn.recv()
    for key, lines in incoming:
        group = groups[key]
        for line in lines:
            if isinstance(line, str):
                group.append(parse_event(line))
                collect.slow.add(key)
            else:
                group.append(line)
    with open(path, "rb") as again:
        # the items that go to the reference path read their lines again by offset
        check_groups(groups, collect.slow, settings, out, line_reader(again))
    # sorted here, in parallel: the parent then only merges sorted runs (Timsort finds them)
    out.rows.sort(key=_row_key)
    conn.send(out)
    conn.close()
    # millions of records would be freed one by one on the way out while the parent waits
    # for this process to end; nothing is left to flush (the outcome is sent)
    os._exit(0)


def _recv(conn: Connection, proc: Any) -> Any:
    try:
        return conn.recv()
    except EOFError:
        raise OSError(f"worker {proc.name} stopped (exit code {proc.exitcode})") from None


def check_parallel(path: str, settings: Settings, jobs: int) -> Outcome:
    """Check the file at ``path`` with ``jobs`` worker processes; the same outcome as one
    process gives."""
    methods = mp.get_all_start_methods()
    # fork shares the loaded modules and calendar tables; spawn is the portable fallback
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    conns: list[Connection] = []
    workers: list[Any] = []
    for start, end in ranges(path, jobs):
        mine, theirs = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_worker, args=(path, start, end, settings, theirs), daemon=True)
        proc.start()
        theirs.close()
        conns.append(mine)
        workers.append(proc)
    try:
        # an item held by several workers goes to the first of them
        seen: set[Key] = set()
        gives: list[dict[int, list[Key]]] = []
        owners: dict[Key, int] = {}
        for me, (conn, proc) in enumerate(zip(conns, workers, strict=True)):
            keys: list[Key] = _recv(conn, proc)
            give: dict[int, list[Key]] = {}
            if me > 0:
                for key in keys:
                    if key in seen:
                        give.setdefault(owners.get(key, 0), []).append(key)
            if me < jobs - 1:
                if me > 0:
                    # only a later worker can give to this one: remember who holds what
                    for key in keys:
                        if key not in seen:
                            owners[key] = me
                seen.update(keys)
            gives.append(give)
        for conn, give in zip(conns, gives, strict=True):
            conn.send(give)
        incoming: list[list[tuple[Key, Portable]]] = [[] for _ in range(jobs)]
        for conn, proc in zip(conns, workers, strict=True):
            packets: dict[int, list[tuple[Key, Portable]]] = _recv(conn, proc)
            for to, lines in packets.items():
                incoming[to].extend(lines)
        for conn, lines in zip(conns, incoming, strict=True):
            conn.send(lines)
        total = Outcome()
        for conn, proc in zip(conns, workers, strict=True):
            total.merge(_recv(conn, proc))
        return total
    finally:
        for conn in conns:
            conn.close()
        for proc in workers:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
