"""Reading the fields of one row while collecting every problem with its line and column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from congvu.domain.organisation.errors import RowError
from congvu.domain.organisation.values import (
    CellError,
    cell_text,
    parse_bool,
    parse_choice,
    parse_date,
)

__all__ = ["RowReader", "group_lines"]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def group_lines(lines: Sequence[int]) -> str:
    """Line numbers as "3, 8, 12" for messages."""
    return ", ".join(str(line) for line in lines)


class RowReader:
    """Typed access to the cells of one row (a CSV line or a JSON object).

    Every accessor returns a usable value even when the cell is wrong (an empty string,
    ``None``) and records a :class:`RowError` in :attr:`errors`; the caller builds a record
    only when :attr:`errors` stays empty. ``prefix`` names nested JSON fields, as in
    ``positions[2].start_on``.
    """

    def __init__(
        self,
        data: object,
        *,
        line: int,
        kind: str,
        keys: Sequence[str],
        max_lengths: Mapping[str, int],
        item: str = "",
        prefix: str = "",
    ) -> None:
        self.line = line
        self.kind = kind
        self.item = item
        self.prefix = prefix
        self.max_lengths = max_lengths
        self.errors: list[RowError] = []
        self.raw: dict[str, object] = {}
        self.absent: set[str] = set()
        if not isinstance(data, Mapping):
            self.absent = set(keys)
            self.add(
                "",
                "bad_type",
                expected="một đối tượng JSON {...}",
                expected_en="a JSON object {...}",
                got=type(data).__name__,
            )
            return
        self.raw = {str(key): value for key, value in data.items()}
        for key in self.raw:
            if key not in keys:
                self.add("", "unknown_key", value=prefix + key, keys=", ".join(keys))
        self.absent = {key for key in keys if key not in self.raw}
        if self.absent:
            missing = [prefix + key for key in keys if key in self.absent]
            self.add("", "missing_key", value="”, “".join(missing))

    def set_item(self, item: str) -> None:
        """Name the item (a code, "A → B") in this row's messages, including earlier ones."""
        self.item = item
        self.errors = [replace(error, item=error.item or item) for error in self.errors]

    def add(self, name: str, code: str, **params: object) -> None:
        """Record a problem with column ``name`` ("" for the row as a whole)."""
        field = self.prefix + name if name else ""
        self.errors.append(RowError(self.line, self.item, field, code, params, self.kind))

    def text(self, name: str, *, required: bool = False) -> str:
        """The cell as text; checks presence when ``required`` and the maximum length.

        A key missing from a JSON object was reported once already: it reads as "" here."""
        if name in self.absent:
            return ""
        try:
            value = cell_text(self.raw.get(name))
        except CellError as exc:
            self.add(name, exc.code, **exc.params)
            return ""
        if required and not value:
            self.add(name, "required")
        limit = self.max_lengths.get(name)
        if limit is not None and len(value) > limit:
            self.add(name, "too_long", length=len(value), limit=limit)
        return value

    def optional(self, name: str) -> str | None:
        """The cell as text, or ``None`` when empty (codes of a parent, a calendar)."""
        return self.text(name) or None

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        """The cell as a date (dd/mm/yyyy or ISO), ``None`` when empty and not required."""
        value = self.text(name, required=required)
        try:
            return parse_date(value)
        except CellError as exc:
            self.add(name, exc.code, **exc.params)
            return None

    def flag(self, name: str) -> bool:
        """The cell as a yes/no value (empty: no)."""
        try:
            return parse_bool(self.text(name))
        except CellError as exc:
            self.add(name, exc.code, **exc.params)
            return False

    def choice(self, name: str, choices: Mapping[str, str], *, required: bool = True) -> str:
        """The stored code of a choice given by code or label."""
        value = self.text(name, required=required)
        if not value:
            return ""
        try:
            return parse_choice(value, choices)
        except CellError as exc:
            self.add(name, exc.code, **exc.params)
            return ""

    def email(self, name: str) -> str:
        """An optional e-mail address, checked for the shape ``name@domain.tld``."""
        value = self.text(name)
        if value and not _EMAIL.fullmatch(value):
            self.add(name, "bad_email", value=value)
        return value

    def interval(
        self, start_name: str, start: dt.date | None, end_name: str, end: dt.date | None
    ) -> None:
        """Check that ``end`` is not before ``start`` (either may be missing)."""
        if start is not None and end is not None and end < start:
            self.add(
                end_name,
                "bad_interval",
                value=f"{end:%d/%m/%Y}",
                start_field=self.prefix + start_name,
                start=f"{start:%d/%m/%Y}",
            )
