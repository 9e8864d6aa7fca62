"""The working calendar of a unit: which days are worked and during which office hours.

A :class:`WorkCalendar` is an immutable value built from rows (the national data file, or the
admin-editable table in the database). It precomputes small per-day tables once so that every
deadline computation is arithmetic on *working positions* (see :mod:`.ops`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from congvu.domain.calendar.errors import (
    CalendarRangeError,
    InvalidCalendarError,
    InvalidOfficeHoursError,
)
from congvu.domain.calendar.text import format_date, weekday_name

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "DEFAULT_WEEKEND",
    "VN_TZ",
    "DayEntry",
    "DayKind",
    "WorkCalendar",
]

#: Every result is expressed in Vietnam's time zone (a constant +07:00 since 1975).
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: Typical provincial office hours: 07:30–11:30 and 13:00–17:00 (8 hours).
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)

#: Saturday and Sunday (``date.weekday()`` numbers): state agencies work Monday–Friday
#: (Decision 188/1999/QĐ-TTg). Saturday-morning reception does not make Saturday a working day.
DEFAULT_WEEKEND: frozenset[int] = frozenset({5, 6})


class DayKind(StrEnum):
    """What an entry says about its day; the values are the strings stored in the database."""

    DAY_OFF = "day_off"
    """A day off: a public holiday, Tết, a swapped or compensatory day, a local day off."""

    WORKING_DAY = "working_day"
    """A day worked although it falls on the weekend (a make-up Saturday, "ngày làm bù")."""


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One exception to the weekly pattern.

    ``day`` is a ``date`` (a ``datetime`` is refused: it would hide a time zone question);
    ``kind`` accepts a :class:`DayKind` or its string value; ``name`` is the Vietnamese name
    shown in explanations; ``source`` the legal document; ``estimated`` marks days not yet
    confirmed by an official notice. Raises :class:`InvalidCalendarError` on bad values.
    """

    day: date
    kind: DayKind
    name: str
    source: str = ""
    estimated: bool = False

    def __post_init__(self) -> None:
        if type(self.day) is not date:
            raise InvalidCalendarError(
                calendar="?",
                reason_vi=f"ngày {self.day!r} phải là kiểu date (không kèm giờ)",
                reason_en=f"day {self.day!r} must be a date (without a time)",
            )
        try:
            kind = DayKind(self.kind)
        except ValueError:
            raise InvalidCalendarError(
                calendar="?",
                reason_vi=f"loại ngày {self.kind!r} không hợp lệ (day_off hoặc working_day)",
                reason_en=f"day kind {self.kind!r} is not day_off or working_day",
            ) from None
        object.__setattr__(self, "kind", kind)
        if not self.name.strip():
            raise InvalidCalendarError(
                calendar="?",
                reason_vi=f"ngày {format_date(self.day)} thiếu tên",
                reason_en=f"day {format_date(self.day, 'en')} has no name",
            )


def _time_seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _validate_office_hours(
    office_hours: Iterable[tuple[time, time]],
) -> tuple[tuple[time, time], ...]:
    hours = tuple((start, end) for start, end in office_hours)
    if not hours:
        raise InvalidOfficeHoursError(reason_vi="không có khoảng giờ nào", reason_en="no interval")
    previous_end = -1
    for start, end in hours:
        if not (isinstance(start, time) and isinstance(end, time)):
            raise InvalidOfficeHoursError(
                reason_vi="mỗi khoảng phải là hai giá trị time",
                reason_en="each interval must be two time values",
            )
        if (
            start.tzinfo is not None
            or end.tzinfo is not None
            or start.microsecond
            or end.microsecond
        ):
            raise InvalidOfficeHoursError(
                reason_vi="giờ phải là giờ địa phương, chính xác đến giây, không kèm múi giờ",
                reason_en="times must be local wall-clock times, to the second, without tzinfo",
            )
        s, e = _time_seconds(start), _time_seconds(end)
        if s >= e:
            raise InvalidOfficeHoursError(
                reason_vi=f"khoảng {start:%H:%M}–{end:%H:%M} kết thúc không sau khi bắt đầu",
                reason_en=f"interval {start:%H:%M}–{end:%H:%M} does not end after it starts",
            )
        if s < previous_end:
            raise InvalidOfficeHoursError(
                reason_vi="các khoảng phải theo thứ tự và không chồng lấn",
                reason_en="intervals must be sorted and must not overlap",
            )
        previous_end = e
    return hours


@dataclass(frozen=True, init=False)
class WorkCalendar:
    """A working calendar: coverage, exceptions, office hours and weekly rest days.

    Inputs: ``code`` and ``name`` identify it; ``first_year``..``last_year`` (inclusive) is the
    coverage — any computation touching a day outside raises :class:`CalendarRangeError`;
    ``entries`` are the exceptions to the weekly pattern (a tuple of :class:`DayEntry`, or any
    iterable of them, or a ``Mapping[date, DayEntry]``; stored as a tuple sorted by day so the
    calendar stays hashable); ``office_hours`` are sorted, non-overlapping local intervals
    (default 07:30–11:30, 13:00–17:00), the same on every working day; ``weekend`` holds the
    ``date.weekday()`` numbers of the weekly rest days (default Saturday, Sunday).

    A day is a working day when it is not a weekend day, unless an entry says otherwise:
    ``DAY_OFF`` closes any day, ``WORKING_DAY`` opens a weekend day. Entries outside the
    coverage are kept but never consulted.

    Raises :class:`InvalidCalendarError` (years, weekend, duplicate days) and
    :class:`InvalidOfficeHoursError`.
    """

    code: str
    name: str
    first_year: int
    last_year: int
    entries: tuple[DayEntry, ...] = field(default=(), repr=False)
    office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS
    weekend: frozenset[int] = DEFAULT_WEEKEND

    # Derived tables, built once by _build() (not part of equality or hashing).
    _by_day: Mapping[date, DayEntry] = field(init=False, repr=False, compare=False)
    _first_day: date = field(init=False, repr=False, compare=False)
    _n_days: int = field(init=False, repr=False, compare=False)
    _working: bytes = field(init=False, repr=False, compare=False)
    _work_before: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _workday_index: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _intervals: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        code: str,
        name: str,
        first_year: int,
        last_year: int,
        entries: Iterable[DayEntry] | Mapping[date, DayEntry] = (),
        office_hours: Iterable[tuple[time, time]] = DEFAULT_OFFICE_HOURS,
        weekend: Iterable[int] = DEFAULT_WEEKEND,
    ) -> None:
        # A hand-written __init__ so that ``entries`` may be given as a mapping or any
        # iterable (rows from the database) while the stored field stays a hashable tuple.
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "first_year", first_year)
        object.__setattr__(self, "last_year", last_year)
        items: Iterable[Any] = entries.values() if isinstance(entries, Mapping) else entries
        object.__setattr__(self, "entries", tuple(items))
        object.__setattr__(self, "office_hours", tuple(office_hours))
        object.__setattr__(self, "weekend", frozenset(weekend))
        self._build()

    def _build(self) -> None:
        entries = tuple(sorted(self.entries, key=lambda e: e.day))
        by_day: dict[date, DayEntry] = {}
        for entry in entries:
            if not isinstance(entry, DayEntry):
                raise self._invalid(
                    f"mục {entry!r} không phải DayEntry", f"entry {entry!r} is not a DayEntry"
                )
            if entry.day in by_day:
                raise self._invalid(
                    f"ngày {format_date(entry.day)} xuất hiện hai lần",
                    f"day {format_date(entry.day, 'en')} appears twice",
                )
            by_day[entry.day] = entry
        object.__setattr__(self, "entries", entries)
        object.__setattr__(self, "_by_day", MappingProxyType(by_day))

        if not (1 <= self.first_year <= self.last_year <= 9998):
            raise self._invalid(
                f"phạm vi năm {self.first_year}–{self.last_year} không hợp lệ",
                f"year range {self.first_year}–{self.last_year} is invalid",
            )
        weekend = frozenset(self.weekend)
        if not weekend <= frozenset(range(7)) or len(weekend) == 7:
            raise self._invalid(
                "ngày nghỉ hằng tuần phải là các số 0–6 và không phải cả tuần",
                "weekend days must be numbers 0–6 and not the whole week",
            )
        object.__setattr__(self, "weekend", weekend)
        hours = _validate_office_hours(self.office_hours)
        object.__setattr__(self, "office_hours", hours)
        object.__setattr__(
            self, "_intervals", tuple((_time_seconds(s), _time_seconds(e)) for s, e in hours)
        )

        first = date(self.first_year, 1, 1)
        n_days = (date(self.last_year, 12, 31) - first).days + 1
        working = bytearray(n_days)
        work_before = [0] * (n_days + 1)
        workday_index: list[int] = []
        for i in range(n_days):
            d = first + timedelta(days=i)
            found = by_day.get(d)
            if found is None:
                is_working = d.weekday() not in weekend
            else:
                is_working = found.kind is DayKind.WORKING_DAY
            working[i] = is_working
            work_before[i + 1] = work_before[i] + is_working
            if is_working:
                workday_index.append(i)
        if not workday_index:
            raise self._invalid("không có ngày làm việc nào", "there is no working day")
        object.__setattr__(self, "_first_day", first)
        object.__setattr__(self, "_n_days", n_days)
        object.__setattr__(self, "_working", bytes(working))
        object.__setattr__(self, "_work_before", tuple(work_before))
        object.__setattr__(self, "_workday_index", tuple(workday_index))

    def _invalid(self, reason_vi: str, reason_en: str) -> InvalidCalendarError:
        return InvalidCalendarError(calendar=self.code, reason_vi=reason_vi, reason_en=reason_en)

    # -- coverage -------------------------------------------------------------------------

    @property
    def first_day(self) -> date:
        """1 January of ``first_year``: working position 0 is the start of this day."""
        return self._first_day

    @property
    def last_day(self) -> date:
        """31 December of ``last_year``, the last day covered."""
        return date(self.last_year, 12, 31)

    def covers(self, d: date) -> bool:
        """Whether ``d`` lies inside the coverage (never raises)."""
        return self.first_year <= d.year <= self.last_year

    def range_error(self, d: date, *, index: int | None = None) -> CalendarRangeError:
        """The :class:`CalendarRangeError` for day ``d`` (``index``: the offending element)."""
        return CalendarRangeError(
            calendar=self.code,
            day=d.strftime("%d/%m/%Y"),
            first_year=self.first_year,
            last_year=self.last_year,
            index=index,
        )

    def day_index(self, d: date) -> int:
        """Days from :attr:`first_day` to ``d``; raises :class:`CalendarRangeError` outside."""
        i = (d - self._first_day).days
        if not 0 <= i < self._n_days:
            raise self.range_error(d)
        return i

    # -- days -----------------------------------------------------------------------------

    @property
    def entries_by_day(self) -> Mapping[date, DayEntry]:
        """The entries as a read-only ``{day: DayEntry}`` mapping."""
        return self._by_day

    def entry(self, d: date) -> DayEntry | None:
        """The entry recorded for ``d`` (holiday, swap, make-up day), or ``None``."""
        return self._by_day.get(d)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day. Raises :class:`CalendarRangeError` outside coverage."""
        return bool(self._working[self.day_index(d)])

    def day_name(self, d: date, lang: str = "vi") -> str:
        """Why ``d`` is off or worked: the entry's name (holiday, "Ngày làm bù …"), else the
        weekday name for a weekly rest day ("Thứ Bảy", "Chủ nhật"), else "Ngày làm việc"
        ("Working day"). Entry names are Vietnamese in both languages (they are proper names).
        Raises :class:`CalendarRangeError` outside coverage.
        """
        self.day_index(d)
        entry = self._by_day.get(d)
        if entry is not None:
            return entry.name
        if d.weekday() in self.weekend:
            return weekday_name(d, lang)
        return "Working day" if lang == "en" else "Ngày làm việc"

    @property
    def day_seconds(self) -> int:
        """Office seconds in one working day (28,800 = 8 hours with the default hours)."""
        return sum(e - s for s, e in self._intervals)

    @property
    def intervals_seconds(self) -> tuple[tuple[int, int], ...]:
        """Office intervals as (start, end) seconds after local midnight."""
        return self._intervals

    def working_days_before(self, i: int) -> int:
        """Number of working days strictly before day index ``i`` (0 ≤ i ≤ number of days)."""
        return self._work_before[i]

    def working_day_at(self, w: int) -> int:
        """Day index of the ``w``-th working day of the coverage (0-based); ``IndexError``
        when ``w`` is outside ``0 ≤ w < number of working days``."""
        if w < 0:
            raise IndexError(w)
        return self._workday_index[w]

    @property
    def n_days(self) -> int:
        """Number of days covered."""
        return self._n_days

    @property
    def n_working_days(self) -> int:
        """Number of working days covered."""
        return len(self._workday_index)

    def working_flags(self) -> bytes:
        """One byte per covered day, 1 for a working day (used by the vectorised path)."""
        return self._working

    # -- derivation -----------------------------------------------------------------------

    def with_exceptions(
        self, entries: Iterable[DayEntry] | Mapping[date, DayEntry], *, code: str, name: str
    ) -> WorkCalendar:
        """A calendar for a unit: this one's entries overridden day by day by ``entries``.

        Used for a commune's local day off or a unit's make-up day. Coverage, office hours and
        weekend are inherited. Raises :class:`InvalidCalendarError` if ``entries`` repeats a day.
        """
        extra = tuple(entries.values() if isinstance(entries, Mapping) else entries)
        merged = dict(self._by_day)
        seen: set[date] = set()
        for entry in extra:
            if entry.day in seen:
                raise InvalidCalendarError(
                    calendar=code,
                    reason_vi=f"ngày {format_date(entry.day)} xuất hiện hai lần",
                    reason_en=f"day {format_date(entry.day, 'en')} appears twice",
                )
            seen.add(entry.day)
            merged[entry.day] = entry
        return WorkCalendar(
            code=code,
            name=name,
            first_year=self.first_year,
            last_year=self.last_year,
            entries=tuple(merged.values()),
            office_hours=self.office_hours,
            weekend=self.weekend,
        )
