"""Benchmark: importing a million work-item events into the ledger, three ways, per engine.

    .venv/bin/python bench/ledger.py [--events 1000000] [--seed 1] [--engine sqlite]
    bench/ledger.sh [--events 1000000] [--seed 1]     # throw-away PostgreSQL, both engines

A deterministic JSON Lines file of realistic dossiers (interchange.md v1; ≈9 events each:
received with a procedure and a channel, appointment slip, steps assigned and completed,
some supplement requests, transfers, result, return, rating — all in office hours of 2026,
before 1 November) is imported, on each engine, into a fresh database migrated by the bench:

1. the project's path, as ``congvu events import`` runs it: ``events_ingest(open(file, "rb"),
   workers=import_workers())`` — streaming, validation, idempotence check, fold with the
   item's history, hash chain, bulk append, summary rows (on PostgreSQL the items are shared
   among worker processes, one per core, and each batch is written by a writer thread while
   the next is prepared; ``--workers 1`` for one process);
   again on a prefix (``--small``) to show that memory does not grow with the input, and a
   re-run of the whole file, which must be a no-op;
2. typical per-row ORM code: ``json.loads``, ``Item.objects.get_or_create``,
   ``Event.objects.create`` in autocommit (no fold, no hash), on a sample (``--orm-sample``);
3. the limit: on PostgreSQL psycopg ``COPY ledger_event … FROM STDIN`` of the same rows, on
   SQLite the closest analogue, ``sqlite3`` ``executemany`` of one prepared INSERT, in one
   transaction. The rows are the very ones the project's path stored (hashes included), read
   back from its database and the items copied over before the timing starts.

And, without a database, the fold of every item of the file (``congvu.domain.ledger.fold``).

Each path runs in its own process (this script with ``--path``) against its own copy of the
migrated database, so that ``ru_maxrss`` is that path's memory high-water. Children run with
DEBUG off (as in production). The goal of the issue: on PostgreSQL the project's path reaches
at least half of COPY's rate; the script exits non-zero when it does not, or when a
correctness check fails (counts, re-run not a no-op, events refused).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, and bench/calendar.py would
# shadow the standard library's ``calendar`` module (which Django imports). Replace that entry
# by the repository root before importing anything else (see bench/calendar.py).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from itertools import islice  # noqa: E402
from typing import Any  # noqa: E402

from congvu.domain.calendar import (  # noqa: E402
    VN_TZ,
    moment_at_position,
    national_calendar,
    working_position,
)
from congvu.domain.procedures import Procedure, add_duration, parse_catalog  # noqa: E402

SOURCE = "dvc-tinh"  # the provincial one-stop system that pushes the history
FIRST_MOMENT = datetime(2026, 1, 2, 7, 30, tzinfo=VN_TZ)
END_MOMENT = datetime(2026, 11, 1, tzinfo=VN_TZ)  # every event is before this
MINUTE, HOUR = 60, 3600
DAY = 8 * HOUR  # office seconds of a working day on the national calendar

# Illustrative catalog: codes in the style of the National Public Service Portal, limits and
# budgets of the usual order (budgets within the limit, as the catalog requires).
_RECEIVE = {"code": "receive", "name": "Tiếp nhận, kiểm tra hồ sơ", "role": "one_stop"}
_REVIEW = {"code": "review", "name": "Thẩm định hồ sơ", "role": "specialist"}
_APPROVE = {"code": "approve", "name": "Lãnh đạo phê duyệt, ký kết quả", "role": "unit_head"}


def _proc(code: str, name: str, level: str, field: str, limit: dict, budgets: list) -> dict:
    steps = [
        {**spec, "budget": budget}
        for spec, budget in zip((_RECEIVE, _REVIEW, _APPROVE), budgets, strict=True)
    ]
    return {
        "code": code,
        "name": name,
        "level": level,
        "field": field,
        "time_limit": limit,
        "fee": 0,
        "steps": steps,
        "related_units": [],
        "legal_basis": [],
    }


PROCEDURES: list[dict[str, Any]] = [
    _proc(
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "commune",
        "Chứng thực",
        {"working_days": 1},
        [{"working_hours": 1}, {"working_hours": 4}, {"working_hours": 2}],
    ),
    _proc(
        "1.001193",
        "Đăng ký khai sinh",
        "commune",
        "Hộ tịch",
        {"working_days": 3},
        [{"working_hours": 4}, {"working_days": 1.5}, {"working_hours": 4}],
    ),
    _proc(
        "1.000656",
        "Đăng ký khai tử",
        "commune",
        "Hộ tịch",
        {"working_days": 1},
        [{"working_hours": 1}, {"working_hours": 4}, {"working_hours": 2}],
    ),
    _proc(
        "1.001612",
        "Đăng ký thành lập hộ kinh doanh",
        "commune",
        "Thành lập và hoạt động của hộ kinh doanh",
        {"working_days": 3},
        [{"working_hours": 4}, {"working_days": 1.5}, {"working_hours": 4}],
    ),
    _proc(
        "1.009994",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "commune",
        "Hoạt động xây dựng",
        {"working_days": 15},
        [{"working_days": 1}, {"working_days": 10}, {"working_days": 2}],
    ),
    _proc(
        "1.004837",
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "province",
        "Đất đai",
        {"working_days": 10},
        [{"working_days": 1}, {"working_days": 6}, {"working_days": 2}],
    ),
]
PROCEDURE_WEIGHTS = (40, 22, 8, 12, 4, 14)
#: Province-level procedures are received at the province's one-stop centre and handed to the
#: department that decides.
PROVINCE_CENTRE = "TTPVHCC"
DEPARTMENT = {"1.004837": "STNMT"}
COMMUNES = tuple(f"UBX{k:03d}" for k in range(1, 41))
OTHER_UNITS = ("STP", "SXD", "SCT", "STNMT")
CHANNELS = ("direct", "online", "national_portal", "postal")
CHANNEL_WEIGHTS = (50, 12, 34, 4)
DOCUMENTS = (
    "Bản sao giấy tờ tùy thân",
    "Tờ khai có chữ ký của người yêu cầu",
    "Giấy ủy quyền có chứng thực",
    "Bản vẽ thiết kế có xác nhận",
)


# -- the events file -----------------------------------------------------------------------


def _official(unit: str, k: int) -> str:
    return f"{unit}.CB{k:02d}"


def _dossier(rng: random.Random, proc: Procedure, budgets: list[int]) -> tuple[str, list[tuple]]:
    """One dossier's timeline: its receiving unit and (offset, type, unit, actor, data) rows,
    offsets in office seconds after receipt (non-decreasing)."""
    province = proc.code in DEPARTMENT
    agency = PROVINCE_CENTRE if province else rng.choice(COMMUNES)
    one_stop = _official(agency, 1)
    rows: list[tuple] = []
    t = 0
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    rows.append((t, "received", agency, one_stop, {"procedure": proc.code, "channel": channel}))
    if rng.random() < 0.97:
        t += rng.randint(1 * MINUTE, 10 * MINUTE)
        rows.append((t, "appointment_issued", agency, one_stop, {"due": None}))  # due: later
    t += rng.randint(5 * MINUTE, budgets[0])
    rows.append((t, "step_completed", agency, one_stop, {"step": "receive"}))
    unit = agency
    if province or rng.random() < 0.03:
        to_unit = DEPARTMENT.get(proc.code) or rng.choice(OTHER_UNITS)
        t += rng.randint(10 * MINUTE, 2 * HOUR)
        reason = "Chuyển cơ quan có thẩm quyền giải quyết"
        rows.append((t, "transferred", unit, one_stop, {"to_unit": to_unit, "reason": reason}))
        unit = to_unit
    leader = _official(unit, 9)
    specialist = _official(unit, rng.randint(2, 6))
    t += rng.randint(5 * MINUTE, HOUR)
    rows.append(
        (t, "assigned", unit, leader, {"official": specialist, "step": "review"}),
    )
    review = int(budgets[1] * rng.uniform(0.2, 1.15))  # about one in eight over budget
    if rng.random() < 0.10:
        t += rng.randint(HOUR, DAY)
        documents = rng.sample(DOCUMENTS, rng.randint(1, 2))
        reason = "Hồ sơ chưa đủ thành phần theo quy định"
        rows.append(
            (
                t,
                "supplement_requested",
                unit,
                specialist,
                {"documents": documents, "reason": reason},
            )
        )
        t += rng.randint(DAY // 2, 5 * DAY)
        rows.append((t, "supplement_received", agency, one_stop, {}))
    if rng.random() < 0.03:
        return agency, rows  # still with the specialist
    t += max(review, 10 * MINUTE)
    rows.append((t, "step_completed", unit, specialist, {"step": "review"}))
    if rng.random() < 0.5:
        t += rng.randint(MINUTE, 30 * MINUTE)
        rows.append((t, "assigned", unit, specialist, {"official": leader, "step": "approve"}))
    if rng.random() < 0.02:
        return agency, rows  # waiting for the signature
    t += int(budgets[2] * rng.uniform(0.1, 1.1))
    rows.append((t, "step_completed", unit, leader, {"step": "approve"}))
    t += rng.randint(MINUTE, 30 * MINUTE)
    result = "approved" if rng.random() < 0.98 else "refused"
    rows.append((t, "resolved", unit, leader, {"result": result}))
    if rng.random() < 0.92:
        t += rng.randint(10 * MINUTE, 2 * DAY)
        rows.append((t, "returned", agency, one_stop, {}))
        if rng.random() < 0.55:
            t += rng.randint(MINUTE, DAY)
            score = rng.choices((5, 4, 3, 2, 1), (60, 25, 8, 4, 3))[0]
            rows.append((t, "rated", agency, None, {"score": score}))
    return agency, rows


def generate(path: Path, n_events: int, seed: int, prefixes: list[int]) -> dict[str, Any]:
    """Write ``n_events`` events (item by item, as ``congvu events export`` writes them) and
    return counts: events, items, and items within each prefix of ``prefixes`` lines."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    cal = national_calendar()
    catalog = parse_catalog(PROCEDURES)
    procs = list(catalog.values())
    budgets = {p.code: [s.budget.working_seconds(cal) or DAY for s in p.steps] for p in procs}
    lo = working_position(cal, FIRST_MOMENT)
    hi = working_position(cal, END_MOMENT) - 1
    counters: dict[tuple[str, str], int] = defaultdict(int)
    written = items = 0
    items_at: dict[int, int] = {}
    wanted = sorted(p for p in prefixes if 0 < p < n_events)
    with path.open("w", encoding="utf-8") as out:
        while written < n_events:
            proc = rng.choices(procs, PROCEDURE_WEIGHTS)[0]
            agency, rows = _dossier(rng, proc, budgets[proc.code])
            start = rng.randint(lo, hi - rows[-1][0])
            received = moment_at_position(cal, start)
            day = f"{received:%y%m%d}"
            counters[(agency, day)] += 1
            code = f"{agency}-{day}-{counters[(agency, day)]:04d}"
            items += 1
            for seq, (offset, type_, unit, actor, data) in enumerate(rows, start=1):
                if written == n_events:
                    break  # the last dossier is cut: an open item, still a valid history
                at = received if offset == 0 else moment_at_position(cal, start + offset)
                if type_ == "appointment_issued":
                    data = {"due": add_duration(cal, received, proc.time_limit).isoformat()}
                obj: dict[str, Any] = {
                    "source": SOURCE,
                    "item": code,
                    "kind": "dossier",
                    "seq": seq,
                    "at": at.isoformat(),
                    "type": type_,
                    "unit": unit,
                }
                if actor:
                    obj["actor"] = actor
                if data:
                    obj["data"] = data
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
                written += 1
                while wanted and written == wanted[0]:
                    items_at[wanted.pop(0)] = items
    return {
        "events": written,
        "items": items,
        "items_at": items_at,
        "seconds": time.perf_counter() - t0,
        "bytes": path.stat().st_size,
    }


# -- children: one measured path per process --------------------------------------------------


def _rss_peak() -> int:
    """This process's resident-set high-water, bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _cpu() -> float:
    """CPU seconds (user + system) used so far by this process and its ended children (the
    import's worker processes, counted once they have been waited for)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def _rss_peak_workers() -> int:
    """The largest resident-set high-water of this process's ended children, bytes."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def _proc_stat(pid: int | str) -> list[str] | None:
    """Fields 3… of /proc/PID/stat (after "pid (comm)"), or ``None``."""
    try:
        head, tail = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)
    except (OSError, ValueError):
        return None
    return [head.partition("(")[2], *tail.split()]


def _server_cpu() -> float | None:
    """CPU seconds used so far by the whole PostgreSQL server of this connection, read from
    /proc when it runs on this machine: every process of the cluster (the backends of the
    importing process — the writer thread has its own —, the WAL writer, the checkpointer…)
    plus the backends that have exited (their time is added to the postmaster's children's
    time when it reaps them). ``None`` on SQLite, for a remote server, or when /proc is not
    readable. Both the project's path and COPY are measured this way."""
    from django.db import connection

    host = connection.settings_dict.get("HOST") or ""
    if connection.vendor != "postgresql" or not (
        host in {"", "localhost", "127.0.0.1", "::1"} or host.startswith("/")
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    backend = _proc_stat(pid)
    if backend is None or not backend[0].startswith("postgres"):
        return None  # the pid is not a local backend
    # fields of proc(5), counted from 3 (state): 4 ppid, 14 utime, 15 stime, 16 cutime, 17 cstime
    postmaster = backend[2]
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _proc_stat(entry.name)
        if stat is None:
            continue
        if entry.name == postmaster:
            ticks += sum(int(x) for x in stat[12:16])
        elif stat[2] == postmaster:
            ticks += int(stat[12]) + int(stat[13])
    return ticks / os.sysconf("SC_CLK_TCK")


class _Meter:
    """Wall time, this process's CPU and the database backend's CPU over a block."""

    def __enter__(self) -> _Meter:
        self.server0 = _server_cpu()
        self.cpu0, self.t0 = _cpu(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds, self.cpu = time.perf_counter() - self.t0, _cpu() - self.cpu0
        if self.server0 is not None:
            # a backend that just exited (the writer thread's) is counted once the postmaster
            # has reaped it; read too early, its time would be missing from both sums
            time.sleep(0.5)
        server = None if self.server0 is None else _server_cpu()
        self.server = None if server is None or self.server0 is None else server - self.server0

    def as_dict(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "cpu": self.cpu, "server_cpu": self.server}


def _lines(path: str, limit: int | None) -> Iterator[bytes]:
    with open(path, "rb") as f:
        yield from islice(f, limit)


def _django() -> None:
    import django

    django.setup()


def child_setup(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate the (empty) database, seed the national calendar and the procedures."""
    from django.core.management import call_command
    from django.db import connection

    from congvu.apps.calendars.services import calendar_seed_national
    from congvu.apps.procedures.services import procedures_import

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    calendar_seed_national()
    report = procedures_import(data=json.dumps(PROCEDURES, ensure_ascii=False), fmt="json")
    if not report.written or report.errors:
        raise SystemExit(f"procedures not imported: {report.messages('en')}")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"seconds": time.perf_counter() - t0}


def _counts() -> tuple[int, int]:
    from congvu.apps.ledger.models import Event, Item

    return Event.objects.count(), Item.objects.count()


def child_project(args: argparse.Namespace) -> dict[str, Any]:
    """The project's import path, streaming from the file; then the database's counts."""
    from django.db import connection

    from congvu.apps.ledger.services import BATCH_SIZE, events_ingest, import_workers

    connection.ensure_connection()
    batch, workers = args.batch or BATCH_SIZE, args.workers or import_workers()
    rss_before = _rss_peak()
    with _Meter() as meter:
        report = events_ingest(_lines(args.file, args.limit), batch_size=batch, workers=workers)
    rss = max(_rss_peak(), _rss_peak_workers())
    events, items = _counts()
    return {
        **meter.as_dict(),
        "batch": batch,
        "workers": workers,
        "rss": rss,
        "rss_before": rss_before,
        "read": report.read,
        "appended": report.appended,
        "duplicates": report.duplicates,
        "held": report.held,
        "rejected": report.rejected_count,
        "first_rejections": [r.as_dict("en") for r in report.rejected[:3]],
        "items_created": report.items_created,
        "db_events": events,
        "db_items": items,
    }


def child_orm(args: argparse.Namespace) -> dict[str, Any]:
    """What a typical integration writes: one get_or_create and one create per line, in
    autocommit; no fold, no hash chain, no summary."""
    from django.db import connection
    from django.utils import timezone

    from congvu.apps.ledger.models import Event, Item

    connection.ensure_connection()
    rss_before = _rss_peak()
    n = 0
    with _Meter() as meter:
        for raw in _lines(args.file, args.limit):
            obj = json.loads(raw)
            at = datetime.fromisoformat(obj["at"])
            item, _ = Item.objects.get_or_create(
                source=obj.get("source", "local"),
                code=obj["item"],
                defaults={
                    "kind": obj["kind"],
                    "agency": obj["unit"],
                    "unit": obj["unit"],
                    "status": "open",
                    "ruleset": "",
                    "received_at": at,
                    "due": at,
                    "due_source": "",
                    "limit_seconds": 0,
                    "last_seq": obj["seq"],
                    "last_event_at": at,
                    "last_hash": "",
                },
            )
            Event.objects.create(
                item=item,
                seq=obj["seq"],
                at=at,
                at_text=obj["at"],
                type=obj["type"],
                unit=obj["unit"],
                actor=obj.get("actor", ""),
                data=obj.get("data", {}),
                hash="",
                stored_at=timezone.now(),
            )
            n += 1
    events, items = _counts()
    return {
        **meter.as_dict(),
        "rss": _rss_peak(),
        "rss_before": rss_before,
        "read": n,
        "db_events": events,
        "db_items": items,
    }


def child_limit(args: argparse.Namespace) -> dict[str, Any]:
    """COPY (PostgreSQL) or executemany in one transaction (SQLite) of the very rows the
    project's path stored (``--source-db``: its database): items copied over and rows read
    beforehand, outside the timing — parsed, validated and hash-chained by the project."""
    from django.db import connection, transaction

    from congvu.apps.ledger.models import Event, Item

    t0 = time.perf_counter()
    connection.ensure_connection()
    postgres = connection.vendor == "postgresql"
    events, items = Event._meta.db_table, Item._meta.db_table
    # every column but the id; jsonb read as text, as COPY is given it
    names = [f.column for f in Event._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(names)
    values = ", ".join(f"{c}::text" if c == "data" and postgres else c for c in names)
    select = "SELECT " + values + " FROM {prefix}" + events + " ORDER BY id"  # noqa: S608
    if postgres:
        import psycopg

        params = connection.get_connection_params()
        params["dbname"] = args.source_db
        with psycopg.connect(**params) as source:
            with (
                source.cursor().copy(f"COPY {items} TO STDOUT") as out,
                connection.connection.cursor().copy(f"COPY {items} FROM STDIN") as into,
            ):
                for block in out:
                    into.write(block)
            rows = source.execute(select.format(prefix="")).fetchall()  # type: ignore[arg-type]
        connection.connection.commit()
    else:
        raw = connection.connection
        raw.execute("ATTACH DATABASE ? AS src", [args.source_db])
        raw.execute(f"INSERT INTO {items} SELECT * FROM src.{items}")  # noqa: S608
        rows = raw.execute(select.format(prefix="src.")).fetchall()
        raw.execute("DETACH DATABASE src")
    prepare = time.perf_counter() - t0
    rss_before = _rss_peak()
    with _Meter() as meter, transaction.atomic():
        if postgres:
            sql = f"COPY {events} ({columns}) FROM STDIN"
            with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(names))
            sql = f"INSERT INTO {events} ({columns}) VALUES ({marks})"  # noqa: S608
            connection.connection.executemany(sql, rows)
    n_events, n_items = _counts()
    return {
        **meter.as_dict(),
        "prepare_seconds": prepare,
        "rss": _rss_peak(),
        "rss_before": rss_before,
        "read": len(rows),
        "db_events": n_events,
        "db_items": n_items,
    }


def child_fold(args: argparse.Namespace) -> dict[str, Any]:
    """Fold every item of the file in memory (no database): events parsed beforehand, one item
    at a time (the file is item by item), only the fold timed."""
    from congvu.domain.ledger import fold, parse_event

    cal = national_calendar()
    catalog = parse_catalog(PROCEDURES)
    folded = events = 0
    seconds = 0.0
    errors: list[str] = []
    history: list = []

    def flush() -> None:
        nonlocal folded, events, seconds
        if not history:
            return
        proc = catalog.get(str(history[0].data.get("procedure", "")))
        t0 = time.perf_counter()
        try:
            fold(history, calendar=cal, procedure=proc, as_of=history[-1].at)
        except Exception as e:  # noqa: BLE001 — counted and reported, never expected
            errors.append(f"{history[0].item}: {e}")
        seconds += time.perf_counter() - t0
        folded += 1
        events += len(history)
        history.clear()

    for number, raw in enumerate(_lines(args.file, args.limit), start=1):
        e = parse_event(raw, line=number)
        if history and history[0].item != e.item:
            flush()
        history.append(e)
    flush()
    return {
        "seconds": seconds,
        "items": folded,
        "events": events,
        "errors": len(errors),
        "first_errors": errors[:3],
        "rss": _rss_peak(),
    }


def child_profile(args: argparse.Namespace) -> dict[str, Any]:
    """cProfile of the project's path; the statistics are written to ``--profile-out``."""
    import cProfile
    import io
    import pstats

    from django.db import connection

    from congvu.apps.ledger.services import BATCH_SIZE, events_ingest

    connection.ensure_connection()
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    # one process: a profile of the work one worker does
    report = events_ingest(_lines(args.file, args.limit), batch_size=args.batch or BATCH_SIZE)
    profiler.disable()
    seconds = time.perf_counter() - t0
    profiler.dump_stats(args.profile_out + ".pstats")
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(45)
    Path(args.profile_out).write_text(text.getvalue(), encoding="utf-8")
    return {"seconds": seconds, "read": report.read, "appended": report.appended}


CHILDREN = {
    "setup": child_setup,
    "project": child_project,
    "orm": child_orm,
    "limit": child_limit,
    "fold": child_fold,
    "profile": child_profile,
}


def run_child(args: argparse.Namespace) -> int:
    if args.path != "fold":
        _django()
    result = CHILDREN[args.path](args)
    print("RESULT " + json.dumps(result, ensure_ascii=False))
    return 0


# -- the parent: databases, children, figures -------------------------------------------------


class Databases:
    """Fresh databases for one engine: a migrated template, then one copy per path."""

    def __init__(self, engine: str, tmp: Path, tag: str) -> None:
        self.engine, self.tmp, self.tag = engine, tmp, tag
        self.made: list[str] = []

    def _admin(self):
        import psycopg

        return psycopg.connect(
            host=os.environ.get("DB_HOST", "127.0.0.1"),
            port=os.environ.get("DB_PORT", "5432"),
            user=os.environ.get("DB_USER", "postgres"),
            password=os.environ.get("DB_PASSWORD", ""),
            dbname="postgres",
            autocommit=True,
        )

    def name(self, what: str) -> str:
        if self.engine == "sqlite":
            return str(self.tmp / f"{what}.sqlite3")
        return f"congvu_bench_{self.tag}_{what}"

    def template(self) -> str:
        name = self.name("template")
        if self.engine == "postgres":
            with self._admin() as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return name

    def copy(self, what: str) -> str:
        name, template = self.name(what), self.name("template")
        if self.engine == "sqlite":
            shutil.copyfile(template, name)
        else:
            with self._admin() as admin:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.made.append(name)
        return name

    def drop(self, name: str) -> None:
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
        else:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.made:
            self.made.remove(name)

    def drop_all(self) -> None:
        for name in list(self.made):
            self.drop(name)

    def version(self) -> str:
        if self.engine == "sqlite":
            return f"SQLite {sqlite3.sqlite_version}"
        with self._admin() as admin:
            row = admin.execute("SHOW server_version").fetchone()
            settings = admin.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers')"
                " ORDER BY name"
            ).fetchall()
        shown = ", ".join(f"{k}={v}" for k, v in settings)
        return f"PostgreSQL {row[0] if row else '?'} ({shown})"


def spawn(path: str, engine: str, db: str, args: argparse.Namespace, **extra: Any) -> dict:
    """Run one measured path in a child process; its result, with the machine's load
    averages (1 and 5 minutes) when it ended — the figures are only as quiet as the machine."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "congvu.config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-secret",
        "LOG_LEVEL": "WARNING",
        "CONGVU_VAR_DIR": str(args.tmp),
        "DB_ENGINE": engine,
        "DB_NAME": db,
    }
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--path",
        path,
        "--file",
        str(args.file),
        "--batch",
        str(args.batch),
        "--workers",
        str(args.workers),
    ]
    for key, value in extra.items():
        if value is not None:
            cmd += [f"--{key.replace('_', '-')}", str(value)]
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    results = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    if done.returncode != 0 or not results:
        raise SystemExit(f"{engine} {path}: child failed (exit {done.returncode})\n{done.stdout}")
    result = json.loads(results[-1].removeprefix("RESULT "))
    result["load"] = os.getloadavg()[:2]
    return result


def log(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def bench_engine(engine: str, args: argparse.Namespace, gen: dict[str, Any]) -> dict[str, Any]:
    n, n_items = gen["events"], gen["items"]
    dbs = Databases(engine, args.tmp, f"{os.getpid()}")
    out: dict[str, Any] = {"engine": engine, "problems": []}
    problems: list[str] = out["problems"]

    def check(what: str, r: dict, events: int, items: int) -> None:
        if (r["db_events"], r["db_items"]) != (events, items):
            problems.append(
                f"{what}: {r['db_events']:,} events and {r['db_items']:,} items stored,"
                f" expected {events:,} and {items:,}"
            )

    try:
        out["version"] = dbs.version()
        log(f"{engine}: migrate, calendar, procedures")
        out["setup"] = spawn("setup", engine, dbs.template(), args)

        if args.small and args.small < n:
            log(f"{engine}: project path on the first {args.small:,} events")
            db = dbs.copy("small")
            r = out["small"] = spawn("project", engine, db, args, limit=args.small)
            check("prefix", r, args.small, gen["items_at"][args.small])
            dbs.drop(db)

        log(f"{engine}: project path on {n:,} events")
        project_db = dbs.copy("project")
        r = out["project"] = spawn("project", engine, project_db, args)
        if (r["appended"], r["rejected"], r["held"]) != (n, 0, 0):
            problems.append(
                f"import: appended {r['appended']}, rejected {r['rejected']}, held {r['held']}"
                f" {r['first_rejections']}"
            )
        check("import", r, n, n_items)
        log(f"{engine}: re-run of the same file (must be a no-op)")
        r = out["rerun"] = spawn("project", engine, project_db, args)
        if (r["appended"], r["duplicates"], r["rejected"]) != (0, n, 0):
            problems.append(
                f"re-run: appended {r['appended']}, duplicates {r['duplicates']},"
                f" rejected {r['rejected']}"
            )
        check("re-run", r, n, n_items)

        what = "COPY" if engine == "postgres" else "executemany"
        log(f"{engine}: {what} of the rows the project path stored")
        db = dbs.copy("limit")
        r = out["limit"] = spawn("limit", engine, db, args, source_db=project_db)
        check(what, r, n, n_items)
        dbs.drop(db)
        out["project_runs"], out["limit_runs"] = [out["project"]], [out["limit"]]
        for k in range(2, args.runs + 1):
            # alternated, so that both paths see the same spells of the shared machine
            log(f"{engine}: run {k} of {args.runs}: project path, then {what}")
            db = dbs.copy(f"project{k}")
            r = spawn("project", engine, db, args)
            check(f"import (run {k})", r, n, n_items)
            out["project_runs"].append(r)
            dbs.drop(db)
            db = dbs.copy(f"limit{k}")
            r = spawn("limit", engine, db, args, source_db=project_db)
            check(f"{what} (run {k})", r, n, n_items)
            out["limit_runs"].append(r)
            dbs.drop(db)
        out["project"] = min(out["project_runs"], key=lambda r: r["seconds"])
        out["limit"] = min(out["limit_runs"], key=lambda r: r["seconds"])
        dbs.drop(project_db)

        sample = min(args.orm_sample, n)
        log(f"{engine}: per-row ORM on the first {sample:,} events")
        db = dbs.copy("orm")
        r = out["orm"] = spawn("orm", engine, db, args, limit=sample)
        check("per-row ORM", r, sample, r["db_items"])
        dbs.drop(db)

        if args.profile:
            log(f"{engine}: cProfile of the project path on {args.profile:,} events")
            db = dbs.copy("profile")
            out_file = str(args.tmp / f"profile-{engine}.txt")
            spawn("profile", engine, db, args, limit=args.profile, profile_out=out_file)
            out["profile"] = Path(out_file).read_text(encoding="utf-8")
            if args.profile_dir:
                target = Path(args.profile_dir)
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(out_file, target / f"ledger-profile-{engine}.txt")
                shutil.copyfile(out_file + ".pstats", target / f"ledger-profile-{engine}.pstats")
            dbs.drop(db)
    finally:
        dbs.drop_all()
    return out


def code_fingerprint() -> str:
    """SHA-256 (12 hex) of the ledger's code (app and domain, tests excluded): the figures
    belong to that version."""
    root = _HERE.parent / "congvu"
    files = sorted(
        p
        for d in ("apps/ledger", "domain/ledger", "domain/calendar", "domain/procedures")
        for p in (root / d).rglob("*.py")
        if "tests" not in p.parts
    )
    digest = hashlib.sha256()
    for f in files:
        digest.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:12]


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def report(args: argparse.Namespace, gen: dict[str, Any], fold: dict, engines: list[dict]) -> int:
    import django
    import psycopg

    n = gen["events"]
    today = datetime.now(VN_TZ).date().isoformat()
    machine = f"{platform.machine()} {platform.processor()}".strip()
    print(
        f"date: {today}  python {platform.python_version()}  django {django.__version__}"
        f"  psycopg {psycopg.__version__}  {machine}, {os.cpu_count()} CPU"
    )
    print(f"ledger code fingerprint: {args.fingerprint}")
    print(
        f"events: {n:,} in {gen['items']:,} dossiers (seed {args.seed}), "
        f"{gen['bytes'] / 2**20:,.0f} MiB of JSON Lines, generated in {gen['seconds']:.1f} s"
    )
    for e in engines:
        if "project" in e:
            p = e["project"]
            print(
                f"project path on {e['engine']}: batches of {p['batch']:,} lines,"
                f" {p['workers']} worker process(es)"
            )
    for e in engines:
        print(f"{e['engine']}: {e['version']}; migrate + seed {e['setup']['seconds']:.1f} s")
    print()
    header = (
        f"{'engine':<9}{'path':<42}{'events':>10}{'time':>10}{'events/s':>10}"
        f"{'CPU client':>11}{'server':>9}{'peak RSS':>10}{'load 1/5m':>11}"
    )
    print(header)
    print("-" * len(header))
    rates: dict[tuple[str, str], float] = {}
    cpu_rates: dict[tuple[str, str], float] = {}
    for e in engines:
        engine = e["engine"]
        if engine == "postgres":
            limit_name = "psycopg COPY (rows precomputed)"
        else:
            limit_name = "sqlite3 executemany, one transaction"
        rows = [
            ("project", "project: events_ingest (streaming)", e.get("project")),
            ("small", "project, first events only", e.get("small")),
            ("rerun", "project re-run (no-op: all duplicates)", e.get("rerun")),
            ("orm", "per-row ORM get_or_create+create (sample)", e.get("orm")),
            ("limit", limit_name, e.get("limit")),
        ]
        for key, label, r in rows:
            if r is None:
                continue
            rate = r["read"] / r["seconds"]
            rates[(engine, key)] = rate
            cpu_rates[(engine, key)] = r["read"] / (r["cpu"] + (r["server_cpu"] or 0))
            load = "{:.1f}/{:.1f}".format(*r["load"])
            server = "—" if r["server_cpu"] is None else f"{r['server_cpu']:.1f} s"
            print(
                f"{engine:<9}{label:<42}{r['read']:>10,}{r['seconds']:>8.1f} s{rate:>10,.0f}"
                f"{r['cpu']:>9.1f} s{server:>9}{mib(r['rss']):>10}{load:>11}"
            )
    print()
    print(
        f"fold, no database: {fold['items']:,} items ({fold['events']:,} events) in "
        f"{fold['seconds']:.1f} s = {fold['items'] / fold['seconds']:,.0f} items/s "
        f"({fold['events'] / fold['seconds']:,.0f} events/s); errors: {fold['errors']}"
    )
    print()
    ok = True
    for e in engines:
        engine = e["engine"]
        project = rates[(engine, "project")]
        limit = rates[(engine, "limit")]
        what = "COPY" if engine == "postgres" else "executemany"
        goal = ""
        if engine == "postgres":
            met = project / limit >= 0.5
            ok = ok and met
            goal = "  (goal ≥ 0.5: " + ("met)" if met else "NOT MET)")
        by_cpu = cpu_rates[(engine, "project")]
        print(
            f"{engine:<9} project / {what:<12}: {project / limit:6.2f}x{goal};"
            f" by CPU used: {by_cpu / cpu_rates[(engine, 'limit')]:.2f}x"
        )
        print(
            f"{engine:<9} project / per-row ORM : {project / rates[(engine, 'orm')]:6.2f}x;"
            f" by CPU used: {by_cpu / cpu_rates[(engine, 'orm')]:.2f}x"
        )
        p = e["project"]
        small = e.get("small")
        print(
            f"{engine:<9} project path memory   : {mib(p['rss_before'])} before the import, "
            f"peak {mib(p['rss'])} for {p['read']:,} events"
            + (f", {mib(small['rss'])} for {small['read']:,}" if small else "")
        )
        print(
            f"{engine:<9} {what} rows read from the project's database and items copied "
            f"outside the timing ({e['limit']['prepare_seconds']:.1f} s)"
        )
        if len(e["project_runs"]) > 1:
            for key, label in (("project_runs", "project runs"), ("limit_runs", f"{what} runs")):
                runs = ", ".join(f"{r['seconds']:.1f} s (load {r['load'][0]:.1f})" for r in e[key])
                print(f"{engine:<9} {label:<21}: {runs}; best kept")
    problems = [f"{e['engine']}: {p}" for e in engines for p in e["problems"]]
    if fold["errors"]:
        problems.append(f"fold: {fold['errors']} errors, e.g. {fold['first_errors']}")
    print()
    if problems:
        print("CORRECTNESS PROBLEMS:")
        for p in problems:
            print(f"  {p}")
    else:
        print(
            "checks: every import stored all N events and every item; the re-run appended "
            "nothing (duplicates == N); no event refused or held; every item folds"
        )
    for e in engines:
        if "profile" in e:
            print()
            print(f"== cProfile of the project path on {e['engine']} ({args.profile:,} events)")
            print(e["profile"])
    if code_fingerprint() != args.fingerprint:
        print(f"WARNING: the ledger's code changed during the run (now {code_fingerprint()})")
    if ("postgres", "project") in rates:
        print("goal met" if ok else "GOAL NOT MET")
    return 0 if ok and not problems else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="default 1,000,000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument(
        "--batch", type=int, default=0, help="events_ingest batch_size (default: the project's)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="import processes (default: the import command's, CONGVU_IMPORT_WORKERS or one per"
        " core on PostgreSQL)",
    )
    parser.add_argument("--orm-sample", type=int, default=50_000, help="per-row ORM sample")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="run the project path and the limit this many times each (alternated); the"
        " best wall time of each is reported",
    )
    parser.add_argument(
        "--small", type=int, default=100_000, help="prefix for the memory comparison (0: none)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="also cProfile the project path on this many (the importing thread only: the"
        " writer thread is not profiled)",
    )
    parser.add_argument("--profile-dir", help="keep the profiles (text and .pstats) here")
    # internal: one measured path per process
    parser.add_argument("--path", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    parser.add_argument("--source-db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.path:
        return run_child(args)

    if datetime.now(VN_TZ) < END_MOMENT + timedelta(minutes=10):
        print("the events are dated up to 2026-11-01: run this on a later clock", file=sys.stderr)
        return 2
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    args.fingerprint = code_fingerprint()
    args.tmp = Path(tempfile.mkdtemp(prefix="congvu-bench-ledger-"))
    try:
        args.file = args.tmp / "events.jsonl"
        log(f"generating {args.events:,} events")
        gen = generate(args.file, args.events, args.seed, [args.small])
        log("fold of every item, no database")
        fold = spawn("fold", "sqlite", str(args.tmp / "unused.sqlite3"), args)
        results = [bench_engine(engine, args, gen) for engine in engines]
        return report(args, gen, fold, results)
    finally:
        shutil.rmtree(args.tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
