"""Parsing single cells: text, dates, yes/no values and choices given by code or name.

Every parser takes the raw cell (already a string, see :func:`cell_text`) and returns the
value or raises :class:`CellError` with the error code and parameters; the row validators
turn that into a :class:`~congvu.domain.organisation.errors.RowError` with line and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "CellError",
    "cell_text",
    "format_date",
    "parse_bool",
    "parse_choice",
    "parse_date",
]

TRUE_WORDS = frozenset({"có", "co", "true", "1", "x", "yes"})
FALSE_WORDS = frozenset({"không", "khong", "false", "0", "", "no"})

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SPACES = re.compile(r"\s+")


class CellError(ValueError):
    """A cell cannot be read: ``code`` is a key of ``MESSAGES``, ``params`` its fields."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def cell_text(raw: object) -> str:
    """The text of a cell: NFC-normalised, surrounding white space removed.

    ``None`` becomes "", JSON booleans "true"/"false", numbers their decimal text. Lists and
    objects raise :class:`CellError` ("bad_type"). NFC matters for Vietnamese: the same letter
    typed on macOS (decomposed) and on Windows (composed) must compare equal.
    """
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float):
        return str(raw)
    if not isinstance(raw, str):
        raise CellError(
            "bad_type",
            expected="một giá trị đơn (chuỗi, số, true/false)",
            expected_en="a single value (string, number, true/false)",
            got=type(raw).__name__,
        )
    return unicodedata.normalize("NFC", raw).strip()


def _fold(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).strip()).casefold()


def parse_date(text: str) -> dt.date | None:
    """``dd/mm/yyyy`` (also ``d/m/yyyy``) or ISO ``yyyy-mm-dd`` → date; "" → ``None``.

    Raises :class:`CellError` ("bad_date") for any other shape and for impossible days such as
    31/02/2025.
    """
    if not text:
        return None
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise CellError("bad_date", value=text)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError("bad_date", value=text) from None


def format_date(day: dt.date | None) -> str:
    """A date as ``dd/mm/yyyy`` (the form Vietnamese readers expect); ``None`` → ""."""
    return "" if day is None else f"{day:%d/%m/%Y}"


def parse_bool(text: str) -> bool:
    """có/không, true/false, 1/0, yes/no, x (any case) → bool; "" → ``False``.

    Raises :class:`CellError` ("bad_bool") for anything else.
    """
    word = _fold(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("bad_bool", value=text)


def parse_choice(text: str, choices: Mapping[str, str]) -> str:
    """The stored code for ``text``, given ``choices`` (code → Vietnamese label).

    Accepts the code (``commune``) or the label (``Xã``), ignoring case and repeated spaces.
    Raises :class:`CellError` ("bad_choice") when neither matches.
    """
    folded = _fold(text)
    for code, label in choices.items():
        if folded in (_fold(code), _fold(label)):
            return code
    raise CellError("bad_choice", value=text, choices=", ".join(choices))
