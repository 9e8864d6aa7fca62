"""Errors raised while reading the procedure catalog (interchange.md, "Procedure catalog (v1)").

A catalog is validated as a whole: every problem becomes one :class:`InvalidProcedureError`
naming the procedure code (or its position when the code itself is missing) and the key, and
:class:`CatalogError` carries them all so that the importer can fix the file in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from congvu.domain.errors import DomainError, Lang

__all__ = ["CatalogError", "InvalidDurationError", "InvalidProcedureError"]


class InvalidDurationError(DomainError):
    """A ``time_limit`` or ``budget`` that is not exactly one positive unit.

    Parameters: ``value`` (as given), ``reason_vi``, ``reason_en``. Raised by
    :func:`~congvu.domain.procedures.duration.parse_duration`; the catalog parser re-raises it
    as an :class:`InvalidProcedureError` that names the procedure and the key.
    """

    code: ClassVar[str] = "procedure_invalid_duration"
    template_vi: ClassVar[str] = "Thời hạn {value} không hợp lệ: {reason_vi}."
    template_en: ClassVar[str] = "Duration {value} is invalid: {reason_en}."


class InvalidProcedureError(DomainError):
    """One problem in one procedure of the catalog.

    Parameters: ``procedure`` (its code, or ``#n`` — the 1-based position — when the code is
    missing), ``key`` (dotted path such as ``steps[2].budget``), ``reason_vi``, ``reason_en``.
    """

    code: ClassVar[str] = "procedure_invalid"
    template_vi: ClassVar[str] = "Thủ tục {procedure}, khóa «{key}»: {reason_vi}."
    template_en: ClassVar[str] = "Procedure {procedure}, key “{key}”: {reason_en}."


class CatalogError(DomainError):
    """The catalog was rejected; ``errors`` holds every :class:`InvalidProcedureError`.

    The message gives the count and every problem, one per line. Nothing of a rejected catalog
    is used: a half-loaded catalog would give some dossiers no time limit.
    """

    code: ClassVar[str] = "catalog_invalid"
    template_vi: ClassVar[str] = "Danh mục thủ tục có {count} lỗi:"
    template_en: ClassVar[str] = "The procedure catalog has {count} error(s):"

    def __init__(self, errors: Sequence[DomainError], **params: Any) -> None:
        self.errors: tuple[DomainError, ...] = tuple(errors)
        super().__init__(count=len(self.errors), **params)

    def message(self, lang: Lang = "vi") -> str:
        """The headline and each problem on its own line, in ``lang``."""
        lines = [super().message(lang)]
        lines.extend(f"- {e.message(lang)}" for e in self.errors)
        return "\n".join(lines)

    def as_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        """JSON-ready: code, message, and each problem's own ``as_dict``."""
        out = super().as_dict(lang)
        out["errors"] = [e.as_dict(lang) for e in self.errors]
        return out
