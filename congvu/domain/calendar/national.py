"""The national working calendar of state agencies ("VN").

Official years (the schedules announced for cán bộ, công chức) come from
``data/vn-official.json``, one entry per day with its Vietnamese name and source document.
Other years of the coverage are seeded from the ``holidays`` package and flagged
``estimated=True``: statutory holidays are predictable, but the Prime Minister fixes the Tết
days, the day adjacent to 02/09 and any swaps each year (Labour Code 2019, Art. 112(3)), so
those years must be replaced by the official notice when it is published.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from importlib.metadata import version
from typing import Any

import holidays

from congvu.domain.calendar.errors import InvalidCalendarError
from congvu.domain.calendar.model import DayEntry, DayKind, WorkCalendar

__all__ = [
    "NATIONAL_CODE",
    "NATIONAL_FIRST_YEAR",
    "NATIONAL_LAST_YEAR",
    "NATIONAL_NAME",
    "estimated_entries",
    "national_calendar",
    "official_entries",
    "official_years",
    "seed_entries",
]

NATIONAL_CODE = "VN"
NATIONAL_NAME = "Lịch làm việc của cơ quan hành chính nhà nước"
#: Coverage of the built-in calendar; computations outside it raise CalendarRangeError.
NATIONAL_FIRST_YEAR = 2020
NATIONAL_LAST_YEAR = 2030

_DATA_FILE = "vn-official.json"


def _invalid(reason_vi: str, reason_en: str) -> InvalidCalendarError:
    return InvalidCalendarError(calendar=NATIONAL_CODE, reason_vi=reason_vi, reason_en=reason_en)


@cache
def _load_official() -> tuple[tuple[int, ...], tuple[DayEntry, ...]]:
    raw = resources.files("congvu.domain.calendar").joinpath("data", _DATA_FILE).read_text("utf-8")
    doc: dict[str, Any] = json.loads(raw)
    years = tuple(int(y) for y in doc["years"])
    entries: list[DayEntry] = []
    for item in doc["entries"]:
        day = date.fromisoformat(item["date"])
        if day.year not in years:
            # An entry for an undeclared year would silently mix official and estimated data.
            raise _invalid(
                f"tệp {_DATA_FILE}: ngày {item['date']} không thuộc các năm chính thức {years}",
                f"{_DATA_FILE}: day {item['date']} is not in the official years {years}",
            )
        entries.append(
            DayEntry(
                day=day,
                kind=DayKind(item["kind"]),
                name=item["name"],
                source=item.get("source", ""),
                estimated=bool(item.get("estimated", False)),
            )
        )
    return years, tuple(sorted(entries, key=lambda e: e.day))


def official_years() -> tuple[int, ...]:
    """The years whose official schedule ships in ``vn-official.json`` (2024, 2025, 2026)."""
    return _load_official()[0]


def official_entries() -> tuple[DayEntry, ...]:
    """Every official entry (days off, including weekend holidays, and make-up working days),
    sorted by day, with Vietnamese name and source. Raises :class:`InvalidCalendarError` if
    the data file is inconsistent."""
    return _load_official()[1]


def estimated_entries(year: int) -> tuple[DayEntry, ...]:
    """Entries for ``year`` estimated by the ``holidays`` package (``estimated=True``).

    Days off are the package's VN holidays (Vietnamese names, compensatory days included);
    make-up working days come from its ``weekend_workdays`` for that year. The source is
    "holidays <version>".
    """
    source = f"holidays {version('holidays')}"
    vn = holidays.country_holidays("VN", years=year, language="vi")
    entries = [
        DayEntry(day=d, kind=DayKind.DAY_OFF, name=str(name), source=source, estimated=True)
        for d, name in sorted(vn.items())
        if d.year == year
    ]
    for d in sorted(getattr(vn, "weekend_workdays", ())):
        if d.year == year and d not in vn:
            entries.append(
                DayEntry(
                    day=d,
                    kind=DayKind.WORKING_DAY,
                    name="Ngày làm bù",
                    source=source,
                    estimated=True,
                )
            )
    return tuple(sorted(entries, key=lambda e: e.day))


def seed_entries(years: Iterable[int]) -> tuple[DayEntry, ...]:
    """Entries for ``years``: the official data where it exists, estimates otherwise.

    This is what the Django layer loads into its admin-editable table, so the database and the
    built-in calendar start from the same data. Sorted by day.
    """
    official = set(official_years())
    out: list[DayEntry] = []
    for year in sorted(set(years)):
        if year in official:
            out.extend(e for e in official_entries() if e.day.year == year)
        else:
            out.extend(estimated_entries(year))
    return tuple(out)


@cache
def national_calendar() -> WorkCalendar:
    """The built-in national calendar "VN" covering 2020–2030 (cached; pure, no database).

    Office hours 07:30–11:30, 13:00–17:00; weekend Saturday and Sunday; 2024–2026 official,
    other years estimated (see :func:`estimated_entries`).
    """
    return WorkCalendar(
        code=NATIONAL_CODE,
        name=NATIONAL_NAME,
        first_year=NATIONAL_FIRST_YEAR,
        last_year=NATIONAL_LAST_YEAR,
        entries=seed_entries(range(NATIONAL_FIRST_YEAR, NATIONAL_LAST_YEAR + 1)),
    )
