"""Errors of the scoring engine: a sample, a period or a policy that cannot be used.

Each has a stable ``code`` and a message in Vietnamese (default) and English
(``.message("en")``), like every :class:`~congvu.domain.errors.DomainError`.
"""

from __future__ import annotations

from typing import ClassVar

from congvu.domain.errors import DomainError

__all__ = ["InvalidPeriodError", "InvalidPolicyError", "InvalidSampleError"]


class InvalidSampleError(DomainError):
    """Counts that cannot be a sample: ``successes`` outside ``0 … n``, a negative ``n`` or a
    tally whose parts exceed its whole. Parameters: ``what`` (which count), ``value``,
    ``reason_vi``, ``reason_en``."""

    code: ClassVar[str] = "scoring_invalid_sample"
    template_vi: ClassVar[str] = "Số liệu «{what}» = {value}: {reason_vi}."
    template_en: ClassVar[str] = "Count «{what}» = {value}: {reason_en}."


class InvalidPeriodError(DomainError):
    """A period that cannot be read. Parameter: ``text`` (what was given)."""

    code: ClassVar[str] = "scoring_invalid_period"
    template_vi: ClassVar[str] = (
        "Kỳ «{text}» không hợp lệ: ghi năm (2026), quý (2026-Q3) hoặc tháng (2026-10), "
        "năm từ 2000 đến 2100."
    )
    template_en: ClassVar[str] = (
        "Period «{text}» is not valid: give a year (2026), a quarter (2026-Q3) or a month "
        "(2026-10), the year between 2000 and 2100."
    )


class InvalidPolicyError(DomainError):
    """A scoring policy value out of range. Parameters: ``name``, ``value``, ``expected_vi``,
    ``expected_en``."""

    code: ClassVar[str] = "scoring_invalid_policy"
    template_vi: ClassVar[str] = "Tham số xếp hạng «{name}» = {value}: cần {expected_vi}."
    template_en: ClassVar[str] = "Ranking parameter «{name}» = {value}: expected {expected_en}."
