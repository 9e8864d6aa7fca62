"""Explain a deadline: how a due moment follows from a receipt moment, day by day.

An :class:`Explanation` is what a citizen, an official or an inspector reads to check a due
date by hand: the effective start and why, the rule, every non-working day skipped (with its
name: weekend, holiday, swapped day), every make-up weekend day counted, the office time used
on each working day, and the due moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from congvu.domain.calendar.errors import InvalidAmountError
from congvu.domain.calendar.model import VN_TZ, DayKind, WorkCalendar
from congvu.domain.calendar.ops import (
    add_working_days,
    add_working_hours,
    next_working_moment,
    to_local,
    working_position,
)
from congvu.domain.calendar.text import (
    format_date,
    format_duration,
    format_number,
    format_time,
    weekday_name,
)

__all__ = ["DayNote", "DayUse", "Explanation", "StartReason", "explain"]

StartReason = Literal[
    "in_office_hours", "before_office_hours", "lunch_break", "after_office_hours", "non_working_day"
]

_REASONS: dict[str, tuple[str, str]] = {
    "in_office_hours": ("trong giờ hành chính", "within office hours"),
    "before_office_hours": (
        "ngoài giờ hành chính (trước giờ làm việc)",
        "outside office hours (before opening)",
    ),
    "lunch_break": ("trong giờ nghỉ trưa", "during the lunch break"),
    "after_office_hours": (
        "ngoài giờ hành chính (sau giờ làm việc)",
        "outside office hours (after closing)",
    ),
    "non_working_day": ("ngoài giờ hành chính, ngày nghỉ", "outside office hours, a day off"),
}


@dataclass(frozen=True, slots=True)
class DayNote:
    """A day named in an explanation: its date, why it is off or worked, and the source."""

    day: date
    name: str
    kind: str  # "weekend", "day_off" or "working_day" (a make-up weekend day)
    source: str = ""
    estimated: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (ISO date)."""
        return {
            "day": self.day.isoformat(),
            "name": self.name,
            "kind": self.kind,
            "source": self.source,
            "estimated": self.estimated,
        }


@dataclass(frozen=True, slots=True)
class DayUse:
    """Office time used on one working day: from ``start`` to ``end`` local, ``seconds`` of it."""

    day: date
    start: time
    end: time
    seconds: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (ISO date, HH:MM:SS times, seconds)."""
        return {
            "day": self.day.isoformat(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "seconds": self.seconds,
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """How ``due`` follows from ``start`` under ``calendar_code``'s calendar.

    ``start`` is the given moment (local); ``effective_start`` where counting starts, with
    ``start_reason``; ``skipped_before_start`` the non-working days between them;
    ``amount``/``unit`` as given and ``seconds`` the office seconds added; ``skipped`` the
    non-working days strictly between the effective start's day and the due day;
    ``makeup_days`` the weekend days worked and counted; ``consumption`` the office time used
    per working day; ``due`` the result of :func:`add_working_days`/:func:`add_working_hours`.
    """

    calendar_code: str
    calendar_name: str
    start: datetime
    effective_start: datetime
    start_reason: StartReason
    skipped_before_start: tuple[DayNote, ...]
    amount: float
    unit: Literal["days", "hours"]
    seconds: int
    day_seconds: int
    office_hours: tuple[tuple[time, time], ...]
    skipped: tuple[DayNote, ...]
    makeup_days: tuple[DayNote, ...]
    consumption: tuple[DayUse, ...]
    due: datetime

    def _hours_text(self) -> str:
        return ", ".join(f"{format_time(s)}–{format_time(e)}" for s, e in self.office_hours)

    def _note_line(self, note: DayNote, lang: str) -> str:
        estimated = ""
        if note.estimated:
            estimated = " (estimated)" if lang == "en" else " (ước tính)"
        # Weekly rest days are named in the reader's language; entry names are proper names.
        name = weekday_name(note.day, lang) if note.kind == "weekend" else note.name
        return f"  – {format_date(note.day, lang)}: {name}{estimated}"

    def lines(self, lang: str = "vi") -> list[str]:
        """Human-readable lines, Vietnamese with diacritics (``lang="vi"``) or English.

        Dates are dd/mm/yyyy with the weekday name; times HH:MM.
        """
        en = lang == "en"
        out: list[str] = []
        out.append(
            f"Calendar: {self.calendar_code} — {self.calendar_name}"
            if en
            else f"Lịch: {self.calendar_code} — {self.calendar_name}"
        )
        reason = _REASONS[self.start_reason][1 if en else 0]
        if self.start_reason == "non_working_day":
            first = self.skipped_before_start[0]
            name = weekday_name(first.day, lang) if first.kind == "weekend" else first.name
            reason = f"{reason}: {name}"
        given = f"{format_time(self.start)} {format_date(self.start.date(), lang)}"
        eff = self.effective_start
        effective = f"{format_time(eff)} {format_date(eff.date(), lang)}"
        if self.start_reason == "in_office_hours":
            out.append(
                f"Received at {given}, {reason} → counting starts at once."
                if en
                else f"Nhận lúc {given}, {reason} → tính ngay từ lúc nhận."
            )
        else:
            out.append(
                f"Received at {given}, {reason} → counting starts at {effective}."
                if en
                else f"Nhận lúc {given}, {reason} → tính từ {effective}."
            )
        if self.skipped_before_start:
            out.append(
                "Days off before counting starts:" if en else "Ngày nghỉ trước khi bắt đầu tính:"
            )
            out.extend(self._note_line(n, lang) for n in self.skipped_before_start)
        amount = format_number(self.amount, lang)
        total = format_duration(self.seconds, lang)
        per_day = format_duration(self.day_seconds, lang)
        if self.unit == "days":
            out.append(
                f"Rule: {amount} working days = {total} of office time, "
                f"{per_day} per day: {self._hours_text()}."
                if en
                else f"Quy tắc: {amount} ngày làm việc = {total} hành chính, "
                f"mỗi ngày {per_day}: {self._hours_text()}."
            )
        else:
            out.append(
                f"Rule: {amount} working hours = {total} of office time; "
                f"office hours ({per_day} per day): {self._hours_text()}."
                if en
                else f"Quy tắc: {amount} giờ làm việc = {total} hành chính; "
                f"giờ hành chính (mỗi ngày {per_day}): {self._hours_text()}."
            )
        if self.skipped:
            out.append("Days off skipped:" if en else "Ngày nghỉ được bỏ qua:")
            out.extend(self._note_line(n, lang) for n in self.skipped)
        if self.makeup_days:
            out.append("Make-up working days counted:" if en else "Ngày làm bù được tính:")
            out.extend(self._note_line(n, lang) for n in self.makeup_days)
        if self.consumption:
            out.append("Office time used per day:" if en else "Thời gian tính theo từng ngày:")
            running = 0
            for use in self.consumption:
                running += use.seconds
                cumulative = format_duration(running, lang)
                span = f"{format_time(use.start)}–{format_time(use.end)}"
                used = format_duration(use.seconds, lang)
                out.append(
                    f"  – {format_date(use.day, lang)}: {span}, {used} (total {cumulative})"
                    if en
                    else f"  – {format_date(use.day, lang)}: {span}, {used} (lũy kế {cumulative})"
                )
        due = f"{format_time(self.due)} {format_date(self.due.date(), lang)}"
        out.append(f"Due: {due}." if en else f"Hạn: {due}.")
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: ISO 8601 moments with offset, ISO dates, seconds as ints."""
        return {
            "calendar": self.calendar_code,
            "calendar_name": self.calendar_name,
            "start": self.start.isoformat(),
            "effective_start": self.effective_start.isoformat(),
            "start_reason": self.start_reason,
            "skipped_before_start": [n.as_dict() for n in self.skipped_before_start],
            "amount": self.amount,
            "unit": self.unit,
            "seconds": self.seconds,
            "day_seconds": self.day_seconds,
            "office_hours": [[s.isoformat(), e.isoformat()] for s, e in self.office_hours],
            "skipped": [n.as_dict() for n in self.skipped],
            "makeup_days": [n.as_dict() for n in self.makeup_days],
            "consumption": [u.as_dict() for u in self.consumption],
            "due": self.due.isoformat(),
        }


def _note(cal: WorkCalendar, d: date) -> DayNote:
    entry = cal.entry(d)
    if entry is None:
        return DayNote(day=d, name=cal.day_name(d), kind="weekend")
    kind = "working_day" if entry.kind is DayKind.WORKING_DAY else "day_off"
    return DayNote(
        day=d, name=entry.name, kind=kind, source=entry.source, estimated=entry.estimated
    )


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _start_reason(cal: WorkCalendar, local: datetime) -> StartReason:
    if not cal.is_working_day(local.date()):
        return "non_working_day"
    sec = local.hour * 3600 + local.minute * 60 + local.second
    intervals = cal.intervals_seconds
    if sec < intervals[0][0]:
        return "before_office_hours"
    if sec >= intervals[-1][1]:
        return "after_office_hours"
    if any(s <= sec < e for s, e in intervals):
        return "in_office_hours"
    return "lunch_break"


def explain(
    cal: WorkCalendar, m: datetime, n: float, unit: Literal["days", "hours"] = "days"
) -> Explanation:
    """Explain ``add_working_days(cal, m, n)`` (``unit="days"``) or
    ``add_working_hours(cal, m, n)`` (``unit="hours"``); ``due`` equals that result.

    ``n`` must be finite and ≥ 0 (an explanation of a subtraction is not a deadline).
    Raises :class:`InvalidAmountError` (negative, NaN, unknown unit),
    :class:`NaiveMomentError` and :class:`CalendarRangeError`.
    """
    if unit not in ("days", "hours"):
        raise InvalidAmountError(
            value=repr(unit),
            reason_vi="đơn vị phải là days hoặc hours",
            reason_en="unit must be days or hours",
        )
    if isinstance(n, int | float) and not isinstance(n, bool) and n < 0:
        raise InvalidAmountError(
            value=repr(n), reason_vi="không được âm", reason_en="must not be negative"
        )
    due = add_working_days(cal, m, n) if unit == "days" else add_working_hours(cal, m, n)
    local = to_local(m)
    effective = next_working_moment(cal, m)
    seconds = working_position(cal, due) - working_position(cal, m)

    before = tuple(
        _note(cal, d)
        for d in _days(local.date(), effective.date() - timedelta(days=1))
        if not cal.is_working_day(d)
    )
    skipped: list[DayNote] = []
    makeup: list[DayNote] = []
    consumption: list[DayUse] = []
    if seconds > 0:
        last_end = cal.intervals_seconds[-1][1]
        first_start = cal.intervals_seconds[0][0]
        for d in _days(effective.date(), due.date()):
            if not cal.is_working_day(d):
                skipped.append(_note(cal, d))
                continue
            if d.weekday() in cal.weekend:
                makeup.append(_note(cal, d))
            begin = effective.time() if d == effective.date() else _clock(first_start)
            end = due.time() if d == due.date() else _clock(last_end)
            used = working_position(cal, _at(d, end)) - working_position(cal, _at(d, begin))
            consumption.append(DayUse(day=d, start=begin, end=end, seconds=used))
    return Explanation(
        calendar_code=cal.code,
        calendar_name=cal.name,
        start=local,
        effective_start=effective,
        start_reason=_start_reason(cal, local),
        skipped_before_start=before,
        amount=float(n),
        unit=unit,
        seconds=seconds,
        day_seconds=cal.day_seconds,
        office_hours=cal.office_hours,
        skipped=tuple(skipped),
        makeup_days=tuple(makeup),
        consumption=tuple(consumption),
        due=due,
    )


def _clock(sec: int) -> time:
    return time(sec // 3600, sec // 60 % 60, sec % 60)


def _at(d: date, t: time) -> datetime:
    return datetime.combine(d, t, tzinfo=VN_TZ)
