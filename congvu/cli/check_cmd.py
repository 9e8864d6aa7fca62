"""``congvu check EVENTS.jsonl``: the supervision rules over an event file, without a database.

    congvu check EVENTS.jsonl [--procedures CATALOG.json] [--thresholds FILE.json]
                 [--now ISO] [--json] [--lang en] [--calendar CODE] [--jobs N]

Reads interchange.md v1 JSON lines (``-`` for standard input), groups them by item, folds each
item at ``--now`` (default: the current time) and prints the findings — a Vietnamese table by
default (English with ``--lang en``), or with ``--json`` a JSON list of objects with the keys
``item``, ``rule``, ``unit``, ``official``, ``at``, ``events`` (and ``source``, ``kind``,
``severity``, ``ruleset``, ``key``). Findings are ordered by item, then by moment.

Bad lines and items that cannot be checked are reported on standard error with their line
number or item code; the other items are checked regardless.

Exit codes: 0 — every line and item was checked (with or without findings); 1 — some lines
or items could not be checked (reported on stderr; the findings of the rest are printed);
2 — bad arguments, or a file, catalog, threshold file or calendar that cannot be read.

Large files are checked by ``--jobs`` worker processes (default: one per core): the reading
process hands each line to the worker that owns its item, so that every item is folded whole
by one worker; the workers' findings are merged in the same order as a single process gives.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, NoReturn

from congvu.domain.calendar import NATIONAL_CODE, VN_TZ, WorkCalendar
from congvu.domain.calendar.ops import to_local
from congvu.domain.errors import DomainError
from congvu.domain.ledger import Event, LineError, parse_event
from congvu.domain.ledger.records import Record, dossier_record, record_event
from congvu.domain.procedures import Catalog, parse_catalog
from congvu.domain.supervision import (
    DEFAULT_CONFIG,
    RULES,
    Finding,
    ItemError,
    ThresholdConfig,
    check_group,
)
from congvu.domain.supervision.bulk import BulkChecker

EXIT_OK = 0
EXIT_UNCHECKED = 1
EXIT_USAGE = 2

#: Below this size a file is checked in the reading process: starting workers costs more.
PARALLEL_MIN_BYTES = 8 << 20


class UsageError(Exception):
    """Bad command-line input; the message is already in the chosen language."""


def _lang_of(argv: list[str]) -> str:
    # the language is needed before argparse has parsed anything (for its own errors)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "vi"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
    return "vi"


class _Parser(argparse.ArgumentParser):
    lang = "vi"

    def error(self, message: str) -> NoReturn:
        prefix = "error" if self.lang == "en" else "lỗi"
        hint = "(see --help)" if self.lang == "en" else "(xem --help)"
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {prefix}: {message} {hint}\n")


def _build_parser(lang: str) -> argparse.ArgumentParser:
    _Parser.lang = lang
    p = _Parser(
        prog="congvu check",
        description="Supervision rules over an event file (kiểm tra vi phạm từ tệp sự kiện).",
    )
    p.add_argument("events", metavar="EVENTS.jsonl", help="JSON Lines events; - for stdin")
    p.add_argument("--procedures", metavar="CATALOG.json", help="procedure catalog (v1)")
    p.add_argument("--thresholds", metavar="FILE.json", help="thresholds (default, procedures)")
    p.add_argument("--now", metavar="ISO", help="moment of the check, with offset (default: now)")
    p.add_argument("--json", action="store_true", help="a JSON list of findings")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="message language")
    p.add_argument(
        "--calendar",
        default=NATIONAL_CODE,
        metavar="CODE",
        help="calendar code (default VN, built in; other codes are read from the database)",
    )
    p.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (0: cores)")
    return p


def _say(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _parse_now(value: str | None, lang: str) -> datetime:
    if value is None:
        return datetime.now(VN_TZ).replace(microsecond=0)
    try:
        m = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            _say(
                lang,
                f"--now: '{value}' không phải thời điểm ISO 8601 (ví dụ 2026-01-05T08:00:00+07:00)",
                f"--now: '{value}' is not an ISO 8601 moment (e.g. 2026-01-05T08:00:00+07:00)",
            )
        ) from None
    if m.tzinfo is None or m.utcoffset() is None:
        raise UsageError(
            _say(
                lang,
                f"--now: '{value}' thiếu múi giờ; cần thêm độ lệch, ví dụ +07:00",
                f"--now: '{value}' has no UTC offset; add one, e.g. +07:00",
            )
        )
    return to_local(m)


def _read_text(path: str, what_vi: str, what_en: str, lang: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(
            _say(
                lang, f"không đọc được {what_vi} {path}: {e}", f"cannot read {what_en} {path}: {e}"
            )
        ) from None


def _load_catalog(path: str | None, lang: str) -> Catalog:
    if path is None:
        return {}
    return parse_catalog(_read_text(path, "danh mục thủ tục", "procedure catalog", lang))


def _load_thresholds(path: str | None, lang: str) -> ThresholdConfig:
    if path is None:
        return DEFAULT_CONFIG
    text = _read_text(path, "tệp ngưỡng", "threshold file", lang)
    try:
        obj = json.loads(text)
    except ValueError as e:
        raise UsageError(
            _say(lang, f"{path}: JSON không hợp lệ ({e})", f"{path}: invalid JSON ({e})")
        ) from None
    return ThresholdConfig.from_dict(obj)


# -- checking --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to check an item (picklable: sent to worker processes)."""

    catalog: Catalog
    thresholds: ThresholdConfig
    calendar: WorkCalendar
    now: datetime
    as_json: bool
    lang: str

    def calendar_for(self, unit: str) -> WorkCalendar:
        # one calendar for every unit: the CLI has no organisation tree to pick per unit
        return self.calendar


@dataclass(slots=True)
class Outcome:
    """What checking some lines gave: rendered findings with their sort keys, problems
    (line number, or 0 and the item for an item that could not be checked; the message in
    Vietnamese and English) and counts."""

    rows: list[tuple[tuple[str, str, str, str, str], str]] = field(default_factory=list)
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)
    by_rule: Counter[str] = field(default_factory=Counter)
    events: int = 0
    items: int = 0
    unchecked: int = 0
    bad_lines: int = 0

    def merge(self, other: Outcome) -> None:
        self.rows.extend(other.rows)
        self.problems.extend(other.problems)
        self.by_rule.update(other.by_rule)
        self.events += other.events
        self.items += other.items
        self.unchecked += other.unchecked
        self.bad_lines += other.bad_lines


#: The string encoder ``json.dumps(..., ensure_ascii=False)`` itself uses.
_enc = json.encoder.encode_basestring


def finding_json(f: Finding, iso: str | None = None) -> str:
    """``json.dumps(f.to_dict(), ensure_ascii=False)``, written out directly: the dict and
    the general encoder cost more than the checking of most items. ``iso``: ``f.at.isoformat()``
    when the caller has it already."""
    at = f.at
    if at.tzinfo is VN_TZ and not at.microsecond:
        shown = at.isoformat() if iso is None else iso
    else:
        shown = to_local(at).isoformat()
    official = "null" if f.official is None else _enc(f.official)
    events = ", ".join([str(s) for s in f.events])
    return (
        f'{{"item": {_enc(f.item)}, "rule": {_enc(f.rule)}, "unit": {_enc(f.unit)}, '
        f'"official": {official}, "at": {_enc(shown)}, "events": [{events}], '
        f'"source": {_enc(f.source)}, "kind": {_enc(f.kind)}, '
        f'"severity": {_enc(f.severity.value)}, "ruleset": {_enc(f.ruleset)}, '
        f'"key": {_enc(f.key)}}}'
    )


def render_finding(f: Finding, *, as_json: bool, lang: str) -> str:
    """One finding as one JSON object (``--json``) or one table row."""
    if as_json:
        return finding_json(f)
    at = to_local(f.at).strftime("%d/%m/%Y %H:%M")
    events = ", ".join(str(s) for s in f.events)
    item = f.item if f.source == "local" else f"{f.source}/{f.item}"
    return (
        f"{item:<22} {f.rule:<24} {f.severity.label(lang):<10} {f.unit:<12} "
        f"{f.official or '—':<14} {at:<16}  {events}"
    )


class Collector:
    """Reads lines into items: a common dossier event as a compact record
    (:func:`~congvu.domain.ledger.records.dossier_record`), anything else through
    :func:`~congvu.domain.ledger.parse_event` (a bad line is added to ``out`` with its
    number). An item with any event that is not a record is checked by the reference path."""

    __slots__ = ("groups", "out", "slow")

    def __init__(self, out: Outcome) -> None:
        self.out = out
        self.groups: dict[tuple[str, str], list[Record | Event]] = {}
        self.slow: set[tuple[str, str]] = set()

    def add(self, stripped: bytes, number: int, offset: int | None = None) -> None:
        """One stripped, non-blank line with its 1-based number and, when the file can be
        read again, the byte offset where the line starts (the record keeps it instead of
        the line)."""
        found = dossier_record(stripped, offset)
        if found is not None:
            key, value = found
            record: Record | Event = value
        else:
            try:
                event = parse_event(stripped, line=number)
            except DomainError as e:
                line_error = LineError(number, e)
                self.out.bad_lines += 1
                self.out.problems.append(
                    (number, "", line_error.message("vi"), line_error.message("en"))
                )
                return
            key = (event.source, event.item)
            record = event
            self.slow.add(key)
        self.out.events += 1
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = [record]
        else:
            group.append(record)


def check_events(events: Iterable[Event], settings: Settings, out: Outcome) -> None:
    """Group ``events`` by item, check each item and add the findings and problems to ``out``."""
    groups: dict[tuple[str, str], list[Record | Event]] = {}
    for e in events:
        key = (e.source, e.item)
        found = groups.get(key)
        if found is None:
            groups[key] = [e]
        else:
            found.append(e)
    check_groups(groups, set(groups), settings, out)


def check_groups(
    groups: dict[tuple[str, str], list[Record | Event]],
    slow: set[tuple[str, str]],
    settings: Settings,
    out: Outcome,
    line_at: Callable[[int], bytes] | None = None,
) -> None:
    """Check each item of ``groups`` and add the findings and problems to ``out``: by the
    bulk checker when every event is a record and it can decide the item, else by
    ``check_group`` — the same findings either way."""
    bulk = BulkChecker(
        catalog=settings.catalog,
        calendar=settings.calendar,
        now=settings.now,
        thresholds=settings.thresholds,
    )
    render = render_finding
    as_json, lang = settings.as_json, settings.lang
    rows = out.rows
    by_rule = out.by_rule
    for key, group in groups.items():
        out.items += 1
        result: list[Finding] | ItemError | None = None
        if key not in slow:
            records: Any = group
            result = bulk.check(key[0], key[1], records)
        if result is None:
            events = [
                record_event(r, line_at) if type(r) is tuple else r  # type: ignore[arg-type]
                for r in group
            ]
            result = check_group(
                events,  # type: ignore[arg-type]
                catalog=settings.catalog,
                calendar_for=settings.calendar_for,
                now=settings.now,
                thresholds=settings.thresholds,
            )
        if isinstance(result, ItemError):
            out.unchecked += 1
            where = f"{result.source}/{result.item}"
            out.problems.append((0, where, result.message("vi"), result.message("en")))
            continue
        for f in result:
            by_rule[f.rule] += 1
            # rows sort by item, then as check_item orders an item's findings: moment, rule, key
            iso = f.at.isoformat()
            text = finding_json(f, iso) if as_json else render(f, as_json=False, lang=lang)
            rows.append(((f.source, f.item, iso, f.rule, f.key), text))


def check_serial(stream: IO[bytes], settings: Settings) -> Outcome:
    """Check a whole stream in this process."""
    out = Outcome()
    collect = Collector(out)
    add = collect.add
    if not stream.seekable():
        for number, raw in enumerate(stream, start=1):
            stripped = raw.strip()
            if stripped:  # blank lines are skipped but counted
                add(stripped, number)
        check_groups(collect.groups, collect.slow, settings, out)
        return out
    at = stream.tell()
    for number, raw in enumerate(stream, start=1):
        stripped = raw.strip()
        if stripped:
            add(stripped, number, at)
        at += len(raw)
    check_groups(collect.groups, collect.slow, settings, out, line_reader(stream))
    return out


def line_reader(stream: IO[bytes]) -> Callable[[int], bytes]:
    """Reads the stripped line that starts at a byte offset of ``stream`` (seekable)."""

    def line_at(offset: int) -> bytes:
        stream.seek(offset)
        return stream.readline().strip()

    return line_at


# -- output ----------------------------------------------------------------------------------


def _header(lang: str) -> str:
    cols = (
        ("Item", "Rule", "Severity", "Unit", "Official", "At", "Events")
        if lang == "en"
        else ("Mục", "Quy tắc", "Mức độ", "Đơn vị", "Cán bộ", "Thời điểm", "Sự kiện")
    )
    return (
        f"{cols[0]:<22} {cols[1]:<24} {cols[2]:<10} {cols[3]:<12} {cols[4]:<14} "
        f"{cols[5]:<16}  {cols[6]}"
    )


def _summary(out: Outcome, lang: str) -> list[str]:
    n = sum(out.by_rule.values())
    lines = [
        _say(
            lang,
            f"Tổng cộng {n} phát hiện; đã đọc {out.events} sự kiện của {out.items} mục"
            f" ({out.unchecked} mục và {out.bad_lines} dòng không kiểm tra được).",
            f"{n} finding(s) in total; read {out.events} event(s) of {out.items} item(s)"
            f" ({out.unchecked} item(s) and {out.bad_lines} line(s) could not be checked).",
        )
    ]
    for code, count in sorted(out.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = RULES.get(code)
        title = rule.title(lang) if rule is not None else ""
        lines.append(f"  {code:<24} {count:>8}  {title}")
    return lines


def _write(out: Outcome, settings: Settings, stdout: IO[str]) -> None:
    rows = sorted(out.rows, key=lambda r: r[0])
    if settings.as_json:
        stdout.write("[\n")
        last = len(rows) - 1
        for i, (_, text) in enumerate(rows):
            stdout.write(text + (",\n" if i < last else "\n"))
        stdout.write("]\n")
        return
    if rows:
        stdout.write(_header(settings.lang) + "\n")
        for _, text in rows:
            stdout.write(text + "\n")
    else:
        stdout.write(_say(settings.lang, "Không có phát hiện nào.\n", "No findings.\n"))
    stdout.write("\n".join(_summary(out, settings.lang)) + "\n")


def _report_problems(out: Outcome, lang: str, stderr: IO[str]) -> None:
    # bad lines first in line order, then the items in code order
    for _, _, vi, en in sorted(out.problems, key=lambda p: (p[0] == 0, p[0], p[1])):
        stderr.write(f"congvu check: {en if lang == 'en' else vi}\n")


# -- entry point -----------------------------------------------------------------------------


def _open_events(path: str, lang: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # noqa: SIM115 — closed by the caller
    except OSError as e:
        raise UsageError(
            _say(lang, f"không đọc được tệp sự kiện {path}: {e}", f"cannot read events {path}: {e}")
        ) from None


def _jobs(requested: int, path: str) -> int:
    if path == "-":
        return 1
    try:
        size = os.path.getsize(path)
    except OSError:
        return 1
    if size < PARALLEL_MIN_BYTES:
        return 1
    return requested if requested > 0 else (os.cpu_count() or 1)


def _run(args: argparse.Namespace, lang: str) -> int:
    from congvu.cli.calendar_cmd import load_calendar

    settings = Settings(
        catalog=_load_catalog(args.procedures, lang),
        thresholds=_load_thresholds(args.thresholds, lang),
        calendar=load_calendar(args.calendar),
        now=_parse_now(args.now, lang),
        as_json=args.json,
        lang=lang,
    )
    stream = _open_events(args.events, lang)
    # millions of events stay in memory until the file is read, and none of them is part of
    # a reference cycle: the cycle collector would only walk them over and over
    gc.disable()
    try:
        jobs = _jobs(args.jobs, args.events)
        if jobs > 1:
            from congvu.cli.check_parallel import check_parallel

            out = check_parallel(args.events, settings, jobs)
        else:
            out = check_serial(stream, settings)
    except OSError as e:
        raise UsageError(
            _say(lang, f"lỗi đọc {args.events}: {e}", f"error reading {args.events}: {e}")
        ) from None
    finally:
        gc.enable()
        if stream is not sys.stdin.buffer:
            stream.close()
    _report_problems(out, lang, sys.stderr)
    _write(out, settings, sys.stdout)
    return EXIT_UNCHECKED if out.problems else EXIT_OK


def main(argv: list[str]) -> int:
    """Run ``congvu check`` with ``argv`` (without the leading "check"); return the exit code
    (0 checked, 1 some lines or items not checked, 2 bad arguments or unreadable input)."""
    lang = _lang_of(argv)
    parser = _build_parser(lang)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage/help
        return int(exc.code or 0)
    prefix = _say(lang, "lỗi", "error")
    try:
        return _run(args, lang)
    except UsageError as exc:
        print(f"congvu check: {prefix}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DomainError as exc:
        print(f"congvu check: {prefix} [{exc.code}]: {exc.message(lang)}", file=sys.stderr)
        return EXIT_USAGE
