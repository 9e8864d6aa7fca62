"""Errors of the work-item ledger: invalid events, bad lines, and folds that cannot be done.

Every event error names the line (when the event came from a file or request body), the item
and the key, in Vietnamese by default and in English with ``.message("en")``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from congvu.domain.errors import DomainError, Lang

__all__ = [
    "EventOrderError",
    "InvalidEventError",
    "LineError",
    "MissingTimeLimitError",
    "ProcedureMismatchError",
]


class InvalidEventError(DomainError):
    """An event that does not follow interchange.md v1.

    Parameters: ``line`` (1-based, or ``None`` for a single object), ``item`` (the item code,
    ``None`` when it is missing or unreadable), ``key`` (``"seq"``, ``"data.channel"``, or
    ``""`` for the line as a whole), ``reason_vi``, ``reason_en``.
    """

    code: ClassVar[str] = "ledger_invalid_event"

    def message(self, lang: Lang = "vi") -> str:
        """E.g. ``Dòng 3, mục H20-1, khóa «seq»: …`` / ``Line 3, item H20-1, key “seq”: …``."""
        p = self.params
        en = lang == "en"
        parts: list[str] = []
        if p.get("line") is not None:
            parts.append(f"{'line' if en else 'dòng'} {p['line']}")
        parts.append(f"{'item' if en else 'mục'} {p.get('item') or '?'}")
        if p.get("key"):
            parts.append(f"key “{p['key']}”" if en else f"khóa «{p['key']}»")
        text = ", ".join(parts)
        return f"{text[0].upper()}{text[1:]}: {p['reason_en' if en else 'reason_vi']}."


@dataclass(frozen=True, slots=True)
class LineError:
    """A line of a JSON Lines stream that did not give an event (what :func:`read_jsonl` yields
    in place of an :class:`~congvu.domain.ledger.events.Event`)."""

    line: int
    error: DomainError

    def message(self, lang: Lang = "vi") -> str:
        """The underlying error's message in ``lang``."""
        return self.error.message(lang)

    def as_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        """JSON-ready: the line number and the error."""
        return {"line": self.line, **self.error.as_dict(lang)}


class EventOrderError(DomainError):
    """Events given to the fold that are not one item's complete history in ``seq`` order.

    Parameters: ``item``, ``seq``, ``reason_vi``, ``reason_en``.
    """

    code: ClassVar[str] = "ledger_event_order"
    template_vi: ClassVar[str] = "Mục {item}, sự kiện số {seq}: {reason_vi}."
    template_en: ClassVar[str] = "Item {item}, event seq {seq}: {reason_en}."


class MissingTimeLimitError(DomainError):
    """An item with neither a procedure (time limit) nor a ``due``: it could never be late, so
    the fold refuses to compute it. Parameters: ``item``, ``kind``."""

    code: ClassVar[str] = "ledger_missing_time_limit"
    template_vi: ClassVar[str] = (
        "Mục {item} ({kind}) không có thời hạn: cần thủ tục có thời hạn giải quyết hoặc "
        "hạn xử lý (due) trong sự kiện."
    )
    template_en: ClassVar[str] = (
        "Item {item} ({kind}) has no time limit: a procedure with a time limit or a due "
        "moment in its events is required."
    )


class ProcedureMismatchError(DomainError):
    """The procedure passed to the fold is not the one named in the ``received`` event.

    Parameters: ``item``, ``expected`` (code in the event), ``given``.
    """

    code: ClassVar[str] = "ledger_procedure_mismatch"
    template_vi: ClassVar[str] = (
        "Mục {item} được tiếp nhận theo thủ tục {expected}, nhưng thủ tục truyền vào là {given}."
    )
    template_en: ClassVar[str] = (
        "Item {item} was received under procedure {expected}, but procedure {given} was given."
    )
