"""Errors of the supervision engine: bad thresholds, bad rule catalogues, items it cannot check.

Each has a stable ``code`` and a message in Vietnamese (default) and English
(``.message("en")``), like every :class:`~congvu.domain.errors.DomainError`.
"""

from __future__ import annotations

from typing import ClassVar

from congvu.domain.errors import DomainError

__all__ = [
    "ConflictingEventError",
    "DuplicateRuleError",
    "InvalidThresholdError",
    "UnknownProcedureError",
]


class InvalidThresholdError(DomainError):
    """A threshold setting that cannot be used.

    Parameters: ``key`` (dotted path such as ``procedures.1.004227.idle_after``), ``reason_vi``,
    ``reason_en``. Raised by :meth:`ThresholdConfig.from_dict` and
    :meth:`Thresholds.from_dict`: a misspelt key must not silently leave the legal default.
    """

    code: ClassVar[str] = "supervision_invalid_threshold"
    template_vi: ClassVar[str] = "Ngưỡng giám sát «{key}»: {reason_vi}."
    template_en: ClassVar[str] = "Supervision threshold “{key}”: {reason_en}."


class DuplicateRuleError(DomainError):
    """Two rules with the same code in one catalogue. Parameters: ``rule``."""

    code: ClassVar[str] = "supervision_duplicate_rule"
    template_vi: ClassVar[str] = "Quy tắc {rule} đã có trong danh mục quy tắc giám sát."
    template_en: ClassVar[str] = "Rule {rule} is already in the supervision rule catalogue."


class UnknownProcedureError(DomainError):
    """A dossier names a procedure that is not in the catalog: its time limit is unknown, and
    an item that can never be late is exactly what must not happen (PRODUCT.md, "Fail loudly").

    Parameters: ``item``, ``procedure``.
    """

    code: ClassVar[str] = "supervision_unknown_procedure"
    template_vi: ClassVar[str] = (
        "Mục {item}: thủ tục {procedure} không có trong danh mục thủ tục, không tính được thời hạn."
    )
    template_en: ClassVar[str] = (
        "Item {item}: procedure {procedure} is not in the procedure catalog, so its time limit "
        "is unknown."
    )


class ConflictingEventError(DomainError):
    """The same (source, item, seq) twice with different content: the history is ambiguous.

    An identical repeat is a harmless re-send and is dropped (interchange.md, "Idempotence").
    Parameters: ``item``, ``seq``.
    """

    code: ClassVar[str] = "supervision_conflicting_event"
    template_vi: ClassVar[str] = (
        "Mục {item}: sự kiện số {seq} xuất hiện nhiều lần với nội dung khác nhau."
    )
    template_en: ClassVar[str] = (
        "Item {item}: event seq {seq} appears twice with different content."
    )
