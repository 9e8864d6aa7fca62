"""Reporting periods: a year, a quarter or a month, as the plans and Decision 766 report them.

A period is a half-open range of calendar days ``[start, end)`` in Vietnam; the shell turns
its bounds into moments at 00:00 Asia/Ho_Chi_Minh. Codes are what a URL carries:
``2026`` (year), ``2026-Q3`` (quarter), ``2026-10`` (month).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from congvu.domain.scoring.errors import InvalidPeriodError

__all__ = ["Period", "PeriodKind", "parse_period", "period_of"]

_ROMAN = ("I", "II", "III", "IV")
_PATTERN = re.compile(r"^\s*(\d{4})(?:-(?:[Qq]([1-4])|(\d{1,2})))?\s*$")
_YEARS = range(2000, 2101)


class PeriodKind(StrEnum):
    """The length of a period."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One reporting period. ``number`` is the quarter (1–4) or the month (1–12); 0 for a
    year. Build it with :func:`parse_period` or :func:`period_of`."""

    year: int
    kind: PeriodKind
    number: int = 0

    @property
    def start(self) -> date:
        """The first day of the period."""
        if self.kind is PeriodKind.YEAR:
            return date(self.year, 1, 1)
        if self.kind is PeriodKind.QUARTER:
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, self.number, 1)

    @property
    def end(self) -> date:
        """The first day after the period (exclusive bound)."""
        months = {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}[self.kind]
        index = self.start.year * 12 + self.start.month - 1 + months
        return date(index // 12, index % 12 + 1, 1)

    @property
    def code(self) -> str:
        """``2026``, ``2026-Q3`` or ``2026-10`` (what :func:`parse_period` reads back)."""
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    def label(self, lang: str = "vi") -> str:
        """``Năm 2026``, ``Quý III/2026``, ``Tháng 10/2026`` (``en``: ``Year 2026``,
        ``Q3 2026``, ``10/2026``)."""
        if self.kind is PeriodKind.YEAR:
            return f"Year {self.year}" if lang == "en" else f"Năm {self.year}"
        if self.kind is PeriodKind.QUARTER:
            if lang == "en":
                return f"Q{self.number} {self.year}"
            return f"Quý {_ROMAN[self.number - 1]}/{self.year}"
        return (
            f"{self.number:02d}/{self.year}" if lang == "en" else f"Tháng {self.number}/{self.year}"
        )

    def months(self) -> tuple[Period, ...]:
        """The months of the period, in order (a month gives itself)."""
        first = self.start.month
        count = {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}[self.kind]
        return tuple(Period(self.year, PeriodKind.MONTH, m) for m in range(first, first + count))

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls within ``[start, end)``."""
        return self.start <= day < self.end


def parse_period(text: str) -> Period:
    """``2026`` → the year, ``2026-Q3`` → its third quarter, ``2026-10`` → October.

    Raises :class:`InvalidPeriodError` for anything else, and for years outside 2000–2100.
    """
    m = _PATTERN.match(text or "")
    if m is None or int(m.group(1)) not in _YEARS:
        raise InvalidPeriodError(text=text)
    year = int(m.group(1))
    if m.group(2):
        return Period(year, PeriodKind.QUARTER, int(m.group(2)))
    if m.group(3):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise InvalidPeriodError(text=text)
        return Period(year, PeriodKind.MONTH, month)
    return Period(year, PeriodKind.YEAR)


def period_of(day: date, kind: PeriodKind) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind is PeriodKind.YEAR:
        return Period(day.year, kind)
    if kind is PeriodKind.QUARTER:
        return Period(day.year, kind, (day.month - 1) // 3 + 1)
    return Period(day.year, kind, day.month)
