"""Reading import files into rows that remember their line numbers.

CSV: UTF-8 with or without a byte-order mark (Excel writes one), comma-separated, or
semicolon-separated when the header says so (Excel in a Vietnamese locale saves CSV with
``;`` because ``,`` is the decimal separator). The header must name every column exactly once.

JSON: the position of each object in the file is found by scanning the text with the standard
decoder, so errors in a JSON file point to a line too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from congvu.domain.organisation.errors import RowError

__all__ = ["SourceRow", "decode_bytes", "read_csv", "read_json", "strip_bom"]

_WS = re.compile(r"[ \t\n\r]*")
BOM = "\ufeff"


@dataclass(frozen=True)
class SourceRow:
    """A raw row: ``line`` where it starts in the file (1-based), ``data`` a mapping of column
    to cell text (CSV) or the decoded JSON value (normally an object, but not checked here)."""

    line: int
    data: object


def strip_bom(text: str) -> str:
    """``text`` without a leading byte-order mark."""
    return text[1:] if text.startswith(BOM) else text


def decode_bytes(data: bytes, *, kind: str) -> tuple[str, list[RowError]]:
    """UTF-8 bytes (BOM optional) → text. On invalid UTF-8, returns "" and a "bad_encoding"
    error pointing at the line of the first bad byte (``kind`` labels the error)."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", [RowError(line, "", "", "bad_encoding", {}, kind)]


def read_csv(
    text: str, *, columns: Sequence[str], kind: str
) -> tuple[list[SourceRow], list[RowError]]:
    """Rows of a CSV text as :class:`SourceRow` with ``data`` a dict column → cell.

    The first non-blank line is the header; names are matched ignoring case and surrounding
    spaces, and every name in ``columns`` must appear exactly once. Blank lines are skipped.
    File-level problems (header, CSV syntax) return no rows, so nothing is imported.
    """
    text = strip_bom(text)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[SourceRow] = []
    errors: list[RowError] = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                errors += _check_header(header, columns, start, kind)
                if errors:
                    return [], errors
                continue
            extra = [cell for name, cell in zip(header, cells, strict=False) if not name]
            extra += cells[len(header) :]
            if any(cell.strip() for cell in extra):
                named = sum(1 for name in header if name)
                params = {"count": len(cells), "expected": named}
                errors.append(RowError(start, "", "", "extra_cells", params, kind))
                continue
            values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
            values.pop("", None)
            rows.append(SourceRow(start, values))
    except csv.Error as exc:
        return [], [RowError(previous + 1, "", "", "bad_csv", {"detail": str(exc)}, kind)]
    if header is None:
        return [], _check_header([], columns, 0, kind)
    return rows, errors


def _check_header(
    header: list[str], columns: Sequence[str], line: int, kind: str
) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name in seen:
            errors.append(RowError(line, "", name, "duplicate_column", {"value": name}, kind))
        elif name not in columns:
            params = {"value": name, "columns": ", ".join(columns)}
            errors.append(RowError(line, "", name, "unknown_column", params, kind))
        seen.add(name)
    errors += [
        RowError(line, "", "", "missing_column", {"value": name}, kind)
        for name in columns
        if name not in seen
    ]
    return errors


def read_json(
    text: str, *, sections: Sequence[str], kind: str
) -> tuple[dict[str, list[SourceRow]], list[RowError]]:
    """The elements of the top-level arrays of a JSON text, each with its starting line.

    The text is either an array (read as the first of ``sections``) or an object whose keys
    are among ``sections``, each holding an array. Returns section → rows (every section
    present, possibly empty) and the errors; a syntax error returns no rows.
    """
    text = strip_bom(text)
    result: dict[str, list[SourceRow]] = {name: [] for name in sections}
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        params = {"column": exc.colno, "detail": exc.msg}
        return result, [RowError(exc.lineno, "", "", "bad_json", params, kind)]
    scanner = _Scanner(text)
    errors: list[RowError] = []
    i = scanner.skip(0)
    if text.startswith("[", i):
        result[sections[0]] = scanner.array(i)[0]
        return result, errors
    if not text.startswith("{", i):
        got = type(document).__name__
        return result, [_shape_error(scanner.line(i), sections, kind, got)]
    i = scanner.skip(i + 1)
    while text[i] != "}":
        key, i = scanner.decoder.raw_decode(text, i)
        line = scanner.line(i)
        i = scanner.skip(scanner.skip(i) + 1)  # past the colon
        if key in sections and text.startswith("[", i):
            result[key], i = scanner.array(i)
        else:
            _value, i = scanner.decoder.raw_decode(text, i)
            if key in sections:
                errors.append(_shape_error(line, sections, kind, type(_value).__name__))
            else:
                params = {"value": key, "keys": ", ".join(sections)}
                errors.append(RowError(line, "", "", "unknown_key", params, kind))
        i = scanner.skip(i)
        if text[i] == ",":
            i = scanner.skip(i + 1)
    return result, errors


def _shape_error(line: int, sections: Sequence[str], kind: str, got: str) -> RowError:
    listing = ", ".join(f'"{name}": [...]' for name in sections)
    params = {
        "expected": f"một mảng JSON hoặc đối tượng {{{listing}}}",
        "expected_en": f"a JSON array or an object {{{listing}}}",
        "got": got,
    }
    return RowError(line, "", "", "bad_type", params, kind)


class _Scanner:
    """Walks a JSON text that is known to be valid, counting lines incrementally."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.decoder = json.JSONDecoder()
        self._pos = 0
        self._line = 1

    def skip(self, i: int) -> int:
        match = _WS.match(self.text, i)
        return match.end() if match else i

    def line(self, i: int) -> int:
        if i < self._pos:
            self._pos, self._line = 0, 1
        self._line += self.text.count("\n", self._pos, i)
        self._pos = i
        return self._line

    def array(self, i: int) -> tuple[list[SourceRow], int]:
        rows: list[SourceRow] = []
        i = self.skip(i + 1)
        while self.text[i] != "]":
            line = self.line(i)
            value, i = self.decoder.raw_decode(self.text, i)
            rows.append(SourceRow(line, value))
            i = self.skip(i)
            if self.text[i] == ",":
                i = self.skip(i + 1)
        return rows, i + 1
