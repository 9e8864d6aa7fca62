"""Formatting helpers for calendar messages: dates, weekdays, times, durations.

Vietnamese output uses dd/mm/yyyy, weekday names "Thứ Hai" … "Chủ nhật" and a decimal comma;
English output uses dd/mm/yyyy too (the documents being explained are Vietnamese) with
English weekday names.
"""

from __future__ import annotations

from datetime import date, datetime, time

__all__ = [
    "WEEKDAYS_EN",
    "WEEKDAYS_VI",
    "format_date",
    "format_duration",
    "format_number",
    "format_time",
    "weekday_name",
]

WEEKDAYS_VI: tuple[str, ...] = (
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ nhật",
)
WEEKDAYS_EN: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def weekday_name(d: date, lang: str = "vi") -> str:
    """The weekday of ``d`` ("Thứ Hai" … "Chủ nhật", or "Monday" … for ``lang="en"``)."""
    return (WEEKDAYS_EN if lang == "en" else WEEKDAYS_VI)[d.weekday()]


def format_date(d: date, lang: str = "vi", *, weekday: bool = True) -> str:
    """``d`` as "Thứ Hai 03/02/2025" (or "Monday 03/02/2025"); ``weekday=False`` drops the name."""
    text = d.strftime("%d/%m/%Y")
    return f"{weekday_name(d, lang)} {text}" if weekday else text


def format_time(t: time | datetime) -> str:
    """``t`` as "HH:MM", or "HH:MM:SS" when the seconds are not zero (microseconds ignored)."""
    return t.strftime("%H:%M:%S" if t.second else "%H:%M")


def format_number(x: float, lang: str = "vi") -> str:
    """A number without useless zeros: 3 → "3", 0.5 → "0,5" (vi) / "0.5" (en); 6 decimals max."""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if lang != "en" else text


def format_duration(seconds: int, lang: str = "vi") -> str:
    """Working seconds as "8 giờ", "1 giờ 30 phút", "45 phút 10 giây" (en: "8 h 30 min 10 s").

    Negative durations are written with a leading minus sign.
    """
    sign = "-" if seconds < 0 else ""
    rest = abs(seconds)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    units = ("h", "min", "s") if lang == "en" else ("giờ", "phút", "giây")
    parts = [f"{v} {u}" for v, u in zip((hours, minutes, secs), units, strict=True) if v]
    return sign + (" ".join(parts) if parts else f"0 {units[0]}")
