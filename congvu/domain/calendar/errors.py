"""Errors raised by the working-time calendar.

Every error is a :class:`~congvu.domain.errors.DomainError` with a stable ``code`` that the
shell (forms, API, CLI) maps to a message. Parameters are plain strings and numbers so that
``as_dict()`` is JSON-ready.
"""

from __future__ import annotations

from typing import ClassVar

from congvu.domain.errors import DomainError, Lang

__all__ = [
    "CalendarRangeError",
    "InvalidAmountError",
    "InvalidCalendarError",
    "InvalidOfficeHoursError",
]


class CalendarRangeError(DomainError):
    """A computation needs a day outside the calendar's coverage.

    Raised instead of guessing: a deadline computed past the last known year would silently
    treat every later holiday as a working day (or never be late at all).
    Parameters: ``calendar`` (code), ``day`` (dd/mm/yyyy), ``first_year``, ``last_year`` and,
    for vectorised calls, ``index`` (position of the first offending element, else ``None``).
    """

    code: ClassVar[str] = "calendar_out_of_range"
    template_vi: ClassVar[str] = (
        "Phép tính cần ngày {day}, nằm ngoài phạm vi lịch {calendar} "
        "({first_year}–{last_year}); cần nhập lịch nghỉ của năm đó trước khi tính hạn."
    )
    template_en: ClassVar[str] = (
        "The computation needs day {day}, outside calendar {calendar}'s coverage "
        "({first_year}–{last_year}); enter that year's days off before computing deadlines."
    )

    def message(self, lang: Lang = "vi") -> str:
        """The message in ``lang``; names the offending array element when one is known."""
        text = super().message(lang)
        index = self.params.get("index")
        if index is None:
            return text
        if lang == "en":
            return f"{text} (first offending element: index {index})"
        return f"{text} (phần tử đầu tiên vi phạm: chỉ số {index})"


class InvalidOfficeHoursError(DomainError):
    """Office hours that cannot define a working day (empty, unsorted, overlapping…).

    Parameters: ``reason_vi``, ``reason_en``.
    """

    code: ClassVar[str] = "calendar_invalid_office_hours"
    template_vi: ClassVar[str] = "Giờ hành chính không hợp lệ: {reason_vi}."
    template_en: ClassVar[str] = "Invalid office hours: {reason_en}."


class InvalidCalendarError(DomainError):
    """A calendar whose definition is inconsistent (years, weekend, entries, data file).

    Parameters: ``calendar``, ``reason_vi``, ``reason_en``.
    """

    code: ClassVar[str] = "calendar_invalid"
    template_vi: ClassVar[str] = "Lịch {calendar} không hợp lệ: {reason_vi}."
    template_en: ClassVar[str] = "Calendar {calendar} is invalid: {reason_en}."


class InvalidAmountError(DomainError):
    """A duration that cannot be added (NaN, infinite, negative where not allowed, bad unit).

    Parameters: ``value`` (as given, stringified), ``reason_vi``, ``reason_en``.
    """

    code: ClassVar[str] = "calendar_invalid_amount"
    template_vi: ClassVar[str] = "Thời hạn {value} không hợp lệ: {reason_vi}."
    template_en: ClassVar[str] = "Duration {value} is invalid: {reason_en}."
