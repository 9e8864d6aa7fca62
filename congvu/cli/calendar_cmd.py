"""``congvu calendar …``: working-time arithmetic from the command line.

The national calendar ("VN") is built in and needs neither Django nor a database; any other
``--calendar CODE`` is loaded from the database through
``congvu.apps.calendars.selectors.calendar_build`` (imported lazily, after ``django.setup()``).

Exit codes: 0 success, 2 bad input or a domain error (message on stderr, Vietnamese by
default, English with ``--lang en``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from datetime import datetime
from typing import NoReturn

from congvu.domain.calendar import (
    NATIONAL_CODE,
    DayKind,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    explain,
    national_calendar,
    working_time_between,
    year_summary,
)
from congvu.domain.calendar.text import format_date, format_number
from congvu.domain.errors import DomainError

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command-line input; the message is already in the chosen language."""


def _lang_of(argv: list[str]) -> str:
    # The language is needed before argparse has parsed anything (for its own errors).
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
    common = _Parser(add_help=False)
    common.add_argument(
        "--calendar",
        default=NATIONAL_CODE,
        metavar="CODE",
        help="calendar code (default VN, built in; other codes are read from the database)",
    )
    common.add_argument("--lang", choices=("vi", "en"), default="vi", help="message language")
    common.add_argument("--json", action="store_true", help="machine-readable JSON output")

    parser = _Parser(prog="congvu calendar", description="Working-time calendar (lịch làm việc).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("add-days", parents=[common], help="START + N working days")
    p.add_argument("start", metavar="START", help="ISO 8601 moment with offset")
    p.add_argument("n", metavar="N", help="working days (may be fractional, e.g. 0.5)")
    p = sub.add_parser("add-hours", parents=[common], help="START + H working hours")
    p.add_argument("start", metavar="START")
    p.add_argument("n", metavar="H", help="working hours (may be fractional)")
    p = sub.add_parser("between", parents=[common], help="working hours from A to B")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p = sub.add_parser("explain", parents=[common], help="explain START + N working days")
    p.add_argument("start", metavar="START")
    p.add_argument("n", metavar="N")
    p.add_argument("--hours", action="store_true", help="N is in working hours, not days")
    p = sub.add_parser("year", parents=[common], help="days off on weekdays, worked weekends")
    p.add_argument("year", metavar="YYYY")
    return parser


def _moment(value: str, name: str, lang: str) -> datetime:
    try:
        m = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{name}: '{value}' is not an ISO 8601 moment (e.g. 2025-02-05T16:00:00+07:00)"
            if lang == "en"
            else f"{name}: '{value}' không phải thời điểm ISO 8601 "
            "(ví dụ 2025-02-05T16:00:00+07:00)"
        ) from None
    if m.tzinfo is None:
        raise UsageError(
            f"{name}: '{value}' has no UTC offset; add one, e.g. +07:00"
            if lang == "en"
            else f"{name}: '{value}' thiếu múi giờ; cần thêm độ lệch, ví dụ +07:00"
        )
    return m


def _number(value: str, name: str, lang: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise UsageError(
            f"{name}: '{value}' is not a number"
            if lang == "en"
            else f"{name}: '{value}' không phải một số"
        )
    return x


def _year(value: str, lang: str) -> int:
    if not (value.isdigit() and len(value) == 4):
        raise UsageError(
            f"YYYY: '{value}' is not a four-digit year"
            if lang == "en"
            else f"YYYY: '{value}' không phải năm gồm 4 chữ số"
        )
    return int(value)


def load_calendar(code: str) -> WorkCalendar:
    """The calendar named ``code``: "VN" is built in; others come from the database."""
    if code == NATIONAL_CODE:
        return national_calendar()
    # Only non-national calendars need Django; importing it lazily keeps the pure path pure.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.config.settings")
    import django

    django.setup()
    from congvu.apps.calendars.selectors import calendar_build

    cal: WorkCalendar = calendar_build(code)
    return cal


def _print_year(cal: WorkCalendar, year: int, lang: str, as_json: bool) -> None:
    summary = year_summary(cal, year)
    if as_json:
        doc = {
            "calendar": cal.code,
            "year": year,
            "days": [
                {
                    "day": e.day.isoformat(),
                    "kind": (DayKind.WORKING_DAY if e.working else DayKind.DAY_OFF).value,
                    "name": e.name,
                    "source": e.source,
                    "estimated": e.estimated,
                }
                for e in summary.exceptions
            ],
            "summary": {
                "weekdays_off": summary.weekdays_off,
                "weekend_days_worked": summary.weekend_days_worked,
                "working_days": summary.working_days,
            },
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    en = lang == "en"
    for e in summary.exceptions:
        if en:
            kind = "working day" if e.working else "day off"
        else:
            kind = "làm việc" if e.working else "nghỉ"
        est = (" (estimated)" if en else " (ước tính)") if e.estimated else ""
        print(f"{format_date(e.day, lang)}  {e.day.isoformat()}  {kind}: {e.name}{est}")
    off, worked, n_working = (
        summary.weekdays_off,
        summary.weekend_days_worked,
        summary.working_days,
    )
    if en:
        print(
            f"Total {year} ({cal.code}): {off} weekdays off, {worked} weekend days worked, "
            f"{n_working} working days."
        )
    else:
        print(
            f"Tổng năm {year} ({cal.code}): {off} ngày nghỉ vào ngày thường, "
            f"{worked} ngày làm việc vào cuối tuần, {n_working} ngày làm việc."
        )


def _run(args: argparse.Namespace) -> None:
    lang: str = args.lang
    command: str = args.command
    if command == "year":
        year = _year(args.year, lang)
        _print_year(load_calendar(args.calendar), year, lang, args.json)
        return
    if command == "between":
        a = _moment(args.a, "A", lang)
        b = _moment(args.b, "B", lang)
        hours = working_time_between(load_calendar(args.calendar), a, b)
        print(json.dumps({"hours": hours}) if args.json else format_number(hours, "en"))
        return
    n_name = "H" if command == "add-hours" else "N"
    start = _moment(args.start, "START", lang)
    n = _number(args.n, n_name, lang)
    cal = load_calendar(args.calendar)
    if command == "explain":
        explanation = explain(cal, start, n, unit="hours" if args.hours else "days")
        if args.json:
            print(json.dumps(explanation.as_dict(), ensure_ascii=False, indent=2))
        else:
            print("\n".join(explanation.lines(lang)))
        return
    add = add_working_days if command == "add-days" else add_working_hours
    due = add(cal, start, n)
    print(json.dumps({"due": due.isoformat()}) if args.json else due.isoformat())


def main(argv: list[str]) -> int:
    """Run ``congvu calendar`` with ``argv`` (without the leading "calendar"); return the exit
    code: 0, or 2 on bad input and domain errors (message on stderr)."""
    lang = _lang_of(argv)
    parser = _build_parser(lang)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage/help
        return int(exc.code or 0)
    prefix = "error" if lang == "en" else "lỗi"
    try:
        _run(args)
    except UsageError as exc:
        print(f"congvu calendar: {prefix}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DomainError as exc:
        print(f"congvu calendar: {prefix} [{exc.code}]: {exc.message(lang)}", file=sys.stderr)
        return EXIT_USAGE
    return 0
