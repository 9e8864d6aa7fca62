"""The vocabulary of interchange.md v1: kinds, event types, which types each kind allows,
channels, and the ``data`` keys each type requires (with their value types).

Tables, not code paths: the validator in :mod:`.events` walks them, and the docs quote them.
Free-text ``text`` fields are optional everywhere (a dossier approval often carries none,
except ``progress_reported`` whose text is the report); every ``reason`` is required — a
transfer, refusal or apology without a reason is exactly what supervision must flag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

__all__ = [
    "CHANNELS",
    "DATA_FIELDS",
    "EVENT_KEYS",
    "KINDS",
    "REQUIRED_KEYS",
    "TYPE_KINDS",
    "DataField",
    "parse_moment",
]

KINDS: tuple[str, ...] = ("dossier", "feedback", "task", "recommendation")

CHANNELS: tuple[str, ...] = (
    "direct",
    "online",
    "postal",
    "portal",
    "hotline",
    "mailbox",
    "dialogue",
    "press",
    "national_portal",
    "other",
)

EVENT_KEYS: frozenset[str] = frozenset(
    {"source", "item", "kind", "seq", "at", "type", "unit", "actor", "data"}
)
REQUIRED_KEYS: tuple[str, ...] = ("item", "kind", "seq", "at", "type", "unit")

_ALL = frozenset(KINDS)
_DF = frozenset({"dossier", "feedback"})
_TR = frozenset({"task", "recommendation"})

#: event type → the kinds of item it may occur on (interchange.md, "Event types").
TYPE_KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "received": _DF,
        "created": _TR,
        "appointment_issued": frozenset({"dossier"}),
        "assigned": _ALL,
        "step_completed": _DF,
        "transferred": _ALL,
        "consulted": _ALL,
        "consultation_answered": _ALL,
        "supplement_requested": _DF,
        "supplement_received": _DF,
        "apology_issued": _DF,
        "extended": _TR,
        "progress_reported": _TR,
        "resolved": _ALL,
        "returned": frozenset({"dossier"}),
        "refused": frozenset({"dossier"}),
        "withdrawn": _DF,
        "rated": _DF,
        "reopened": _ALL,
    }
)

#: A check returns ``None`` when the value is fine, else ``(reason_vi, reason_en)``.
Check = Callable[[Any], tuple[str, str] | None]


def parse_moment(value: Any) -> datetime | None:
    """An aware datetime from ISO 8601 text with a UTC offset; ``None`` if it is not one.

    ``"2025-01-24T16:55:00+07:00"`` and ``"...Z"`` are accepted; a date alone or a time without
    an offset is not (it would be guessed as UTC or as local time, 7 hours apart).
    """
    if not isinstance(value, str):
        return None
    try:
        m = datetime.fromisoformat(value)
    except ValueError:
        return None
    if m.tzinfo is None or m.utcoffset() is None:
        return None
    return m


def _text(v: Any) -> tuple[str, str] | None:
    if isinstance(v, str) and v.strip():
        return None
    return "phải là chuỗi không rỗng", "must be a non-empty string"


def _moment(v: Any) -> tuple[str, str] | None:
    if parse_moment(v) is not None:
        return None
    return (
        f"{v!r} không phải thời điểm ISO 8601 có độ lệch múi giờ (ví dụ 2025-01-24T16:55+07:00)",
        f"{v!r} is not an ISO 8601 date-time with a UTC offset (e.g. 2025-01-24T16:55+07:00)",
    )


def _text_list(v: Any) -> tuple[str, str] | None:
    if isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v):
        return None
    return "phải là danh sách chuỗi", "must be a list of strings"


def _nonempty_text_list(v: Any) -> tuple[str, str] | None:
    if isinstance(v, list) and not v:
        return "phải có ít nhất một giấy tờ", "must list at least one document"
    return _text_list(v)


def _channel(v: Any) -> tuple[str, str] | None:
    if v in CHANNELS:
        return None
    return (
        f"{v!r} không phải kênh hợp lệ ({', '.join(CHANNELS)})",
        f"{v!r} is not a valid channel ({', '.join(CHANNELS)})",
    )


def _number_in(low: float, high: float, *, integer: bool) -> Check:
    def check(v: Any) -> tuple[str, str] | None:
        # bool is an int subclass: true must not become a score of 1
        ok = not isinstance(v, bool) and isinstance(v, int if integer else int | float)
        if not ok or not low <= v <= high:
            what_vi = "số nguyên" if integer else "số"
            what_en = "an integer" if integer else "a number"
            return (
                f"{v!r} phải là {what_vi} từ {low:g} đến {high:g}",
                f"{v!r} must be {what_en} from {low:g} to {high:g}",
            )
        return None

    return check


def _recurrence(v: Any) -> tuple[str, str] | None:
    if (isinstance(v, str) and v.strip()) or (isinstance(v, Mapping) and v):
        return None
    return "phải là chuỗi hoặc đối tượng không rỗng", "must be a non-empty string or object"


@dataclass(frozen=True, slots=True)
class DataField:
    """A key of ``data``: its check and whether it is required."""

    key: str
    check: Check
    required: bool = True


def _f(key: str, check: Check, required: bool = True) -> DataField:
    return DataField(key, check, required)


#: event type → its ``data`` keys. Conditional rules (``procedure`` for dossiers and
#: ``category`` for feedback; ``due`` or ``recurrence`` for created items) are in :mod:`.events`.
DATA_FIELDS: Mapping[str, tuple[DataField, ...]] = MappingProxyType(
    {
        "received": (
            _f("procedure", _text, False),
            _f("category", _text, False),
            _f("channel", _channel),
            _f("due", _moment, False),
        ),
        "created": (
            _f("title", _text),
            _f("due", _moment, False),
            _f("recurrence", _recurrence, False),
            _f("origin", _text, False),
            _f("support", _text_list, False),
        ),
        "appointment_issued": (_f("due", _moment),),
        "assigned": (_f("official", _text), _f("step", _text, False), _f("due", _moment, False)),
        "step_completed": (_f("step", _text),),
        "transferred": (_f("to_unit", _text), _f("reason", _text)),
        "consulted": (_f("to_unit", _text), _f("due", _moment, False)),
        "consultation_answered": (_f("from_unit", _text),),
        "supplement_requested": (_f("documents", _nonempty_text_list), _f("reason", _text)),
        "supplement_received": (),
        "apology_issued": (_f("new_due", _moment), _f("reason", _text)),
        "extended": (_f("new_due", _moment), _f("reason", _text), _f("approved_by", _text)),
        "progress_reported": (
            _f("percent", _number_in(0, 100, integer=False)),
            _f("text", _text),
        ),
        "resolved": (_f("result", _text), _f("text", _text, False)),
        "returned": (),
        "refused": (_f("reason", _text),),
        "withdrawn": (_f("reason", _text),),
        "rated": (_f("score", _number_in(1, 5, integer=True)), _f("text", _text, False)),
        "reopened": (_f("reason", _text),),
    }
)
