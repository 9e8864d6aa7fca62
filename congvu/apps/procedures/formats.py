"""Reading and writing the catalog files: v1 JSON (interchange.md) and the CSV civil servants
fill in Excel. No database here: the services load what the rows are checked against.

Every problem becomes an :class:`ImportProblem` with the line where the procedure (or its step
or document row) starts, the procedure code, the column (CSV) or key (JSON) and the reason in
Vietnamese and English. The rules on durations and step budgets are the domain's
(:func:`congvu.domain.procedures.parse_catalog`); :func:`locate` turns its errors into
line-numbered problems. This module adds only what the shell knows: the level, role and unit
vocabularies, official codes and the cells of the CSV file.

CSV layout (one header, then one row per procedure, step or required document; see
docs/procedures.md): the ``record`` column says which, ``procedure`` repeats the procedure code
on every row. UTF-8 with or without BOM, ``,`` or ``;`` separated, ``0,5`` or ``0.5``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from congvu.domain.errors import DomainError
from congvu.domain.organisation import read_json
from congvu.domain.procedures import UNITS

BOM = "\ufeff"

#: v1 keys in the order the export writes them (interchange.md).
V1_KEYS = (
    "code",
    "name",
    "level",
    "field",
    "time_limit",
    "fee",
    "steps",
    "related_units",
    "legal_basis",
)

#: CSV columns, in export order, with the Vietnamese header also accepted on import.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("record", "loại dòng"),
    ("procedure", "mã thủ tục"),
    ("name", "tên"),
    ("level", "cấp"),
    ("field", "lĩnh vực"),
    ("amount", "thời gian"),
    ("unit", "đơn vị thời gian"),
    ("fee", "lệ phí"),
    ("fee_note", "ghi chú lệ phí"),
    ("legal_basis", "căn cứ pháp lý"),
    ("related_units", "đơn vị liên quan"),
    ("officials", "cán bộ chịu trách nhiệm"),
    ("active", "đang áp dụng"),
    ("step", "mã bước"),
    ("role", "vai trò"),
    ("originals", "số bản chính"),
    ("copies", "số bản sao"),
    ("note", "ghi chú"),
)
CSV_NAMES = tuple(name for name, _vi in CSV_COLUMNS)
CSV_REQUIRED = ("record", "procedure", "name", "amount", "unit")
#: Optional columns that are v1 keys too: when one is absent from the file, the stored value of
#: an existing procedure is kept (the services fill it in before validation).
OPTIONAL_V1_COLUMNS = ("level", "field", "fee", "related_units", "legal_basis")

RECORD_WORDS = {
    "procedure": ("procedure", "thu tuc", "tt"),
    "step": ("step", "buoc"),
    "document": ("document", "giay to", "thanh phan ho so"),
}
#: Separators inside one cell of a list column (legal basis, unit and official codes).
LIST_SPLIT = re.compile(r"\s*[|\n]\s*")
CODE_SPLIT = re.compile(r"[\s|,;]+")
_THOUSANDS = re.compile(r"\d{1,3}(?:[. ]\d{3})+")
_MONEY_WORDS = re.compile(r"(?i)\s*(đồng|đ|vnđ|vnd)\s*$")

#: Reasons of the problems this module and the services find: code → (vi, en) templates.
REASONS: Mapping[str, tuple[str, str]] = {
    "required": ("thiếu giá trị bắt buộc", "a value is required"),
    "bad_encoding": (
        "tệp không phải văn bản UTF-8; hãy lưu lại dưới dạng “CSV UTF-8” hoặc JSON UTF-8",
        "the file is not UTF-8 text; save it again as “CSV UTF-8” or UTF-8 JSON",
    ),
    "bad_json": (
        "JSON không hợp lệ ở cột {col}",
        "invalid JSON at column {col} ({detail})",
    ),
    "bad_csv": ("tệp CSV không đọc được ({detail})", "the CSV file cannot be read ({detail})"),
    "unknown_column": (
        "cột “{value}” không được hỗ trợ (các cột: {columns})",
        "column “{value}” is not supported (columns: {columns})",
    ),
    "missing_column": (
        "thiếu cột bắt buộc “{value}” ở dòng tiêu đề",
        "the header lacks the required column “{value}”",
    ),
    "duplicate_column": (
        "cột “{value}” xuất hiện hai lần ở dòng tiêu đề",
        "column “{value}” appears twice in the header",
    ),
    "extra_cells": (
        "dòng có {count} ô, nhiều hơn {expected} cột của dòng tiêu đề",
        "the row has {count} cells, more than the {expected} columns of the header",
    ),
    "bad_record": (
        "loại dòng “{value}” không hợp lệ (dùng procedure/thủ tục, step/bước hoặc"
        " document/giấy tờ)",
        "row type “{value}” is not valid (use procedure, step or document)",
    ),
    "duplicate_procedure": (
        "mã thủ tục {value} đã có dòng thủ tục ở dòng {other}; mỗi thủ tục chỉ một dòng thủ tục",
        "procedure {value} already has a procedure row on line {other}; one per procedure",
    ),
    "orphan_row": (
        "không có dòng thủ tục (record = procedure) nào cho mã {value} trong tệp",
        "no procedure row (record = procedure) for code {value} in the file",
    ),
    "bad_number": (
        "“{value}” không phải là số (ví dụ 3, 0,5 hoặc 1.5)",
        "“{value}” is not a number (for example 3, 0,5 or 1.5)",
    ),
    "bad_money": (
        "“{value}” không phải số tiền hợp lệ (ví dụ 50000 hoặc 50.000)",
        "“{value}” is not a valid amount of money (for example 50000 or 50.000)",
    ),
    "bad_count": (
        "“{value}” không phải số nguyên không âm",
        "“{value}” is not a whole number ≥ 0",
    ),
    "bad_unit": (
        "đơn vị “{value}” không hợp lệ (dùng: {choices})",
        "unit “{value}” is not valid (use: {choices})",
    ),
    "unit_without_amount": (
        "có đơn vị nhưng thiếu số lượng ở cột amount",
        "a unit is given but the amount column is empty",
    ),
    "amount_without_unit": (
        "có số lượng nhưng thiếu đơn vị ở cột unit (ngày làm việc, giờ làm việc hoặc ngày)",
        "an amount is given but the unit column is empty (working_days, working_hours or"
        " calendar_days)",
    ),
    "bad_bool": (
        "“{value}” không phải giá trị có/không (dùng có, không, x, 1 hoặc 0)",
        "“{value}” is not a yes/no value (use có, không, x, 1 or 0)",
    ),
    "bad_level": (
        "cấp “{value}” không có trong danh mục (dùng: {choices})",
        "level “{value}” is not allowed (use: {choices})",
    ),
    "bad_role": (
        "vai trò “{value}” không có trong danh mục (dùng: {choices})",
        "role “{value}” is not allowed (use: {choices})",
    ),
    "unknown_unit": (
        "đơn vị {value} chưa có trong hệ thống (nhập danh sách đơn vị trước)",
        "unit {value} does not exist in the system (import the units first)",
    ),
    "unknown_official": (
        "cán bộ {value} chưa có trong hệ thống (nhập danh sách cán bộ trước)",
        "official {value} does not exist in the system (import the officials first)",
    ),
    "too_long": (
        "dài {length} ký tự, tối đa {limit} ký tự",
        "is {length} characters long, at most {limit} are allowed",
    ),
    "write_failed": (
        "không ghi được vào cơ sở dữ liệu ({detail})",
        "could not be written to the database ({detail})",
    ),
}


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an import file.

    ``line`` is the 1-based line where the procedure (or the step or document row) starts, 0
    for the file as a whole; ``procedure`` its code ("" when unknown); ``field`` the CSV column
    or the JSON key ("" for the row as a whole); ``column`` says which of the two it is.
    """

    line: int
    procedure: str
    field: str
    reason_vi: str
    reason_en: str
    column: bool = True

    def message(self, lang: str = "vi") -> str:
        """E.g. ``Dòng 7 (thủ tục 1.001193), cột amount: phải lớn hơn 0.``"""
        en = lang == "en"
        parts = [(f"Line {self.line}" if en else f"Dòng {self.line}") if self.line else ""]
        if not self.line:
            parts = ["File" if en else "Tệp"]
        if self.procedure:
            parts.append(f" ({'procedure' if en else 'thủ tục'} {self.procedure})")
        if self.field:
            if self.column:
                parts.append(f", {'column' if en else 'cột'} {self.field}")
            else:
                parts.append(f", key “{self.field}”" if en else f", khóa «{self.field}»")
        reason = (self.reason_en if en else self.reason_vi).rstrip(".")
        return "".join(parts) + ": " + reason + "."

    def as_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "line": self.line,
            "procedure": self.procedure,
            "field": self.field,
            "message": self.message(lang),
        }


def problem(
    line: int, procedure: str, name: str, code: str, *, column: bool = True, **params: Any
) -> ImportProblem:
    """A problem whose reason is one of :data:`REASONS`."""
    vi, en = REASONS[code]
    return ImportProblem(
        line, procedure, name, vi.format(**params), en.format(**params), column=column
    )


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    """What an import did. ``written`` is False when nothing was stored (all-or-nothing)."""

    partial: bool = False
    procedures: Tally = field(default_factory=Tally)
    errors: list[ImportProblem] = field(default_factory=list)
    written: bool = True
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self, lang: str = "vi") -> list[str]:
        return [error.message(lang) for error in self.errors]

    def summary(self, lang: str = "vi") -> list[str]:
        t = self.procedures
        if lang == "en":
            lines = [
                f"Procedures: {t.created} created, {t.updated} updated, {t.unchanged} unchanged,"
                f" {t.rejected} rejected."
            ]
            if not self.written:
                lines.append(
                    f"Nothing was imported: {len(self.errors)} problem(s) found. Fix them and"
                    " import again, or import only the good procedures with --partial."
                )
            elif self.errors:
                lines.append(
                    f"Imported the good procedures only; {len(self.errors)} problem(s) listed"
                    " above."
                )
            return lines
        lines = [
            f"Thủ tục: {t.created} thêm mới, {t.updated} cập nhật, {t.unchanged} không đổi,"
            f" {t.rejected} bị từ chối."
        ]
        if not self.written:
            lines.append(
                f"Chưa nhập gì: tệp có {len(self.errors)} lỗi. Sửa rồi nhập lại, hoặc chỉ nhập"
                " các thủ tục đúng bằng --partial."
            )
        elif self.errors:
            lines.append(f"Chỉ nhập các thủ tục đúng; {len(self.errors)} lỗi liệt kê ở trên.")
        return lines


@dataclass(frozen=True)
class DocumentRecord:
    """One required document as read from a file (``line`` 0 when not from a file)."""

    name: str
    originals: int = 1
    copies: int = 0
    note: str = ""
    line: int = field(default=0, compare=False)


@dataclass
class SourceItem:
    """One procedure as read from a file, before domain validation.

    ``obj`` is its v1 object (as given in JSON, built from the rows in CSV). The CSV-only parts
    are ``None`` when the file does not set them (the column is absent, or no document row):
    then the stored values are kept.
    """

    position: int
    line: int
    obj: Any
    csv: bool = False
    step_lines: list[int] = field(default_factory=list)
    fee_note: str | None = None
    officials: list[str] | None = None
    active: bool | None = None
    documents: list[DocumentRecord] | None = None
    absent: frozenset[str] = frozenset()

    @property
    def code(self) -> str:
        code = self.obj.get("code") if isinstance(self.obj, Mapping) else None
        return code if isinstance(code, str) else ""


@dataclass(frozen=True)
class Vocabulary:
    """What rows are checked against: the choice lists (code → Vietnamese label) and the codes
    stored in the database."""

    levels: Mapping[str, str]
    roles: Mapping[str, str]
    units: frozenset[str] = frozenset()
    officials: frozenset[str] = frozenset()
    max_lengths: Mapping[str, int] = field(default_factory=dict)


UNIT_LABELS = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
}


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Ngày làm việc" → "ngay lam viec"."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("_", " ").split()).casefold()


def cell(text: object) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def decode(data: bytes) -> tuple[str, list[ImportProblem]]:
    """UTF-8 (BOM optional) → text, or a problem at the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", [problem(line, "", "", "bad_encoding")]


# --- JSON ----------------------------------------------------------------------------------


def read_v1_json(text: str) -> tuple[list[SourceItem] | Any, list[ImportProblem]]:
    """The procedures of a v1 JSON text with the line where each starts.

    Returns ``(items, problems)``. When the text is valid JSON but not a list, returns the
    decoded value instead of items so that the domain parser reports the shape (it knows v1).
    """
    text = text.removeprefix(BOM)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        params = {"col": exc.colno, "detail": exc.msg}
        return [], [problem(exc.lineno, "", "", "bad_json", **params)]
    if not isinstance(document, list):
        return document, []
    sections, _errors = read_json(text, sections=("procedures",), kind="procedure")
    return [
        SourceItem(position, row.line, row.data)
        for position, row in enumerate(sections["procedures"], start=1)
    ], []


def dumps_catalog(objects: Iterable[Mapping[str, Any]]) -> str:
    """The canonical v1 JSON text: UTF-8, 2-space indent, one step per line, newline at the end.

    The same catalog always gives the same bytes, so export → import → export is stable and the
    files diff well.
    """

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    blocks = []
    for obj in objects:
        lines = []
        for key in V1_KEYS:
            if key not in obj:
                continue
            value = obj[key]
            if key in ("steps", "legal_basis") and value:
                items = ",\n".join(f"      {dump(item)}" for item in value)
                lines.append(f'    "{key}": [\n{items}\n    ]')
            else:
                lines.append(f'    "{key}": {dump(value)}')
        blocks.append("  {\n" + ",\n".join(lines) + "\n  }")
    if not blocks:
        return "[]\n"
    return "[\n" + ",\n".join(blocks) + "\n]\n"


def number_json(value: Decimal | float | int) -> int | float:
    """A JSON number: integers stay integers (3, not 3.0)."""
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


# --- CSV -----------------------------------------------------------------------------------


def _header_names() -> dict[str, str]:
    names = {}
    for name, vi in CSV_COLUMNS:
        names[fold(name)] = name
        names[fold(vi)] = name
    return names


def _parse_number(text: str) -> float | None:
    cleaned = text.replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def parse_money(text: str) -> float | None:
    """ "50000", "50.000", "50 000 đồng" or "1500,5" → the number; ``None`` if it is not one."""
    text = _MONEY_WORDS.sub("", text).strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(".", "").replace(" ", "")
    return _parse_number(text)


def _choice(text: str, choices: Mapping[str, str]) -> str | None:
    wanted = fold(text)
    for value, label in choices.items():
        if wanted in (fold(value), fold(label)):
            return value
    return None


def _choices_text(choices: Mapping[str, str]) -> str:
    return ", ".join(f"{value} ({label})" for value, label in choices.items())


def parse_level(text: str, levels: Mapping[str, str]) -> str | None:
    """A level given by code ("commune"), label ("Cấp xã") or the bare word ("xã")."""
    found = _choice(text, levels)
    if found is None:
        bare = {value: label.split(" (")[0].removeprefix("Cấp ") for value, label in levels.items()}
        found = _choice(text, bare)
    return found


class _Row:
    """One CSV row: reads its cells and collects its problems."""

    def __init__(self, line: int, values: Mapping[str, str], problems: list[ImportProblem]):
        self.line = line
        self.values = values
        self.problems = problems
        self.procedure = cell(values.get("procedure"))

    def text(self, name: str) -> str:
        return cell(self.values.get(name))

    def has(self, name: str) -> bool:
        return name in self.values

    def add(self, name: str, code: str, **params: Any) -> None:
        self.problems.append(problem(self.line, self.procedure, name, code, **params))

    def duration(self) -> dict[str, float] | None:
        amount_text, unit_text = self.text("amount"), self.text("unit")
        if not amount_text and not unit_text:
            return None  # the domain says what is missing ("thiếu thời hạn")
        if not amount_text:
            self.add("amount", "unit_without_amount")
            return None
        if not unit_text:
            self.add("unit", "amount_without_unit")
            return None
        amount = _parse_number(amount_text)
        if amount is None:
            self.add("amount", "bad_number", value=amount_text)
        unit = _choice(unit_text, {u: UNIT_LABELS[u] for u in UNITS})
        if unit is None:
            self.add("unit", "bad_unit", value=unit_text, choices=_choices_text(UNIT_LABELS))
        if amount is None or unit is None:
            return None
        return {unit: int(amount) if amount.is_integer() else amount}

    def count(self, name: str, default: int) -> int:
        text = self.text(name)
        if not text:
            return default
        if not text.isdigit():
            self.add(name, "bad_count", value=text)
            return default
        return int(text)

    def flag(self, name: str) -> bool | None:
        if not self.has(name):
            return None
        text = fold(self.text(name))
        if text in ("co", "x", "1", "true", "yes", ""):
            return True  # an empty cell keeps the procedure in force
        if text in ("khong", "0", "false", "no"):
            return False
        self.add(name, "bad_bool", value=self.text(name))
        return None


def read_catalog_csv(
    text: str, vocabulary: Vocabulary
) -> tuple[list[SourceItem], list[ImportProblem]]:
    """The procedures of a CSV text as :class:`SourceItem` (v1 objects plus the CSV extras).

    The first non-blank line is the header: the English column names of :data:`CSV_COLUMNS` or
    their Vietnamese names, in any order; ``record``, ``procedure``, ``name``, ``amount`` and
    ``unit`` are required, the others optional. File-level problems return no items.
    """
    text = text.removeprefix(BOM)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    problems: list[ImportProblem] = []
    rows: list[_Row] = []
    previous = 0
    known = _header_names()
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header, header_problems = _read_header(cells, known, start)
                if header_problems:
                    return [], header_problems
                continue
            extra = [c for name, c in zip(header, cells, strict=False) if not name]
            extra += cells[len(header) :]
            if any(c.strip() for c in extra):
                named = sum(1 for name in header if name)
                code = cell(cells[header.index("procedure")])
                params = {"count": len(cells), "expected": named}
                problems.append(problem(start, code, "", "extra_cells", **params))
                continue
            values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
            values.pop("", None)
            rows.append(_Row(start, values, problems))
    except csv.Error as exc:
        return [], [problem(previous + 1, "", "", "bad_csv", detail=str(exc))]
    if header is None:
        return [], [problem(0, "", "", "missing_column", value=name) for name in CSV_REQUIRED]
    return _group_rows(rows, vocabulary, problems), problems


def _read_header(
    cells: Sequence[str], known: Mapping[str, str], line: int
) -> tuple[list[str], list[ImportProblem]]:
    header: list[str] = []
    problems: list[ImportProblem] = []
    for raw in cells:
        if not raw.strip():
            header.append("")
            continue
        name = known.get(fold(raw))
        if name is None:
            problems.append(
                problem(
                    line,
                    "",
                    raw.strip(),
                    "unknown_column",
                    value=raw.strip(),
                    columns=", ".join(CSV_NAMES),
                )
            )
            header.append("")
        elif name in header:
            problems.append(problem(line, "", name, "duplicate_column", value=raw.strip()))
            header.append("")
        else:
            header.append(name)
    problems += [
        problem(line, "", "", "missing_column", value=name)
        for name in CSV_REQUIRED
        if name not in header
    ]
    return header, problems


def _record_kind(row: _Row) -> str | None:
    text = fold(row.text("record"))
    for kind, words in RECORD_WORDS.items():
        if text in words:
            return kind
    if not text:
        row.add("record", "required")
    else:
        row.add("record", "bad_record", value=row.text("record"))
    return None


def _group_rows(
    rows: Sequence[_Row], vocabulary: Vocabulary, problems: list[ImportProblem]
) -> list[SourceItem]:
    items: dict[str, SourceItem] = {}
    members: dict[str, list[tuple[str, _Row]]] = {}
    for row in rows:
        kind = _record_kind(row)
        if not row.procedure:
            row.add("procedure", "required")
            continue
        if kind is None:
            continue
        if kind == "procedure":
            if row.procedure in items:
                other = items[row.procedure].line
                row.add("procedure", "duplicate_procedure", value=row.procedure, other=other)
                continue
            items[row.procedure] = _procedure_item(row, len(items) + 1, vocabulary)
        else:
            members.setdefault(row.procedure, []).append((kind, row))
    for code, group in members.items():
        item = items.get(code)
        if item is None:
            for _kind, row in group:
                row.add("procedure", "orphan_row", value=code)
            continue
        for kind, row in group:
            if kind == "step":
                step: dict[str, Any] = {}
                for key, name in (("code", "step"), ("name", "name")):
                    if row.text(name):
                        step[key] = row.text(name)
                if row.text("role"):
                    role = _choice(row.text("role"), vocabulary.roles)
                    if role is None:
                        choices = _choices_text(vocabulary.roles)
                        row.add("role", "bad_role", value=row.text("role"), choices=choices)
                    step["role"] = role or row.text("role")
                budget = row.duration()  # when missing, the domain reports it
                if budget is not None:
                    step["budget"] = budget
                item.obj["steps"].append(step)
                item.step_lines.append(row.line)
            else:
                if not row.text("name"):
                    row.add("name", "required")
                document = DocumentRecord(
                    name=row.text("name"),
                    originals=row.count("originals", 1),
                    copies=row.count("copies", 0),
                    note=row.text("note"),
                    line=row.line,
                )
                item.documents = [*(item.documents or []), document]
    return list(items.values())


def _procedure_item(row: _Row, position: int, vocabulary: Vocabulary) -> SourceItem:
    obj: dict[str, Any] = {"code": row.procedure}
    if row.text("name"):
        obj["name"] = row.text("name")
    if row.text("level"):
        level = parse_level(row.text("level"), vocabulary.levels)
        if level is None:
            choices = _choices_text(vocabulary.levels)
            row.add("level", "bad_level", value=row.text("level"), choices=choices)
        obj["level"] = level or row.text("level")
    if row.text("field"):
        obj["field"] = row.text("field")
    limit = row.duration()  # when missing, the domain reports it
    if limit is not None:
        obj["time_limit"] = limit
    fee_text = row.text("fee")
    if fee_text:
        fee = parse_money(fee_text)
        if fee is None:
            row.add("fee", "bad_money", value=fee_text)
        else:
            obj["fee"] = int(fee) if fee.is_integer() else fee
    obj["steps"] = []
    if row.has("related_units"):
        obj["related_units"] = [c for c in CODE_SPLIT.split(row.text("related_units")) if c]
    if row.has("legal_basis"):
        obj["legal_basis"] = [b for b in LIST_SPLIT.split(row.text("legal_basis")) if b]
    return SourceItem(
        position=position,
        line=row.line,
        obj=obj,
        csv=True,
        fee_note=row.text("fee_note") if row.has("fee_note") else None,
        officials=(
            [c for c in CODE_SPLIT.split(row.text("officials")) if c]
            if row.has("officials")
            else None
        ),
        active=row.flag("active"),
        absent=frozenset(name for name in OPTIONAL_V1_COLUMNS if not row.has(name)),
    )


def dumps_csv(rows: Iterable[Sequence[str]]) -> str:
    """CSV text for Excel: BOM, header, comma-separated, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_NAMES)
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def csv_number(value: Decimal | float | int) -> str:
    """3 → "3", 0.5 → "0.5" (a dot: read back whatever the locale)."""
    number = number_json(value)
    return str(number)


# --- checks the domain does not make -------------------------------------------------------


def shell_problems(item: SourceItem, vocabulary: Vocabulary) -> list[ImportProblem]:
    """Problems of a (JSON) item against the vocabularies and stored codes.

    CSV cells were already read against the vocabularies; both formats get the unit and official
    codes and the text lengths checked here.
    """
    obj = item.obj if isinstance(item.obj, Mapping) else {}
    steps = obj.get("steps") if isinstance(obj.get("steps"), list) else []
    found: list[ImportProblem] = []
    column = item.csv

    def add(line: int, name_csv: str, key: str, code: str, **params: Any) -> None:
        name = name_csv if column else key
        found.append(problem(line, item.code, name, code, column=column, **params))

    if not item.csv:
        level = obj.get("level")
        if isinstance(level, str) and level and level not in vocabulary.levels:
            choices = _choices_text(vocabulary.levels)
            add(item.line, "level", "level", "bad_level", value=level, choices=choices)
        for index, step in enumerate(steps, start=1):
            role = step.get("role") if isinstance(step, Mapping) else None
            if isinstance(role, str) and role and role not in vocabulary.roles:
                choices = _choices_text(vocabulary.roles)
                key = f"steps[{index}].role"
                add(item.line, "role", key, "bad_role", value=role, choices=choices)
    related = obj.get("related_units")
    for code in related if isinstance(related, list) else []:
        if isinstance(code, str) and code and code not in vocabulary.units:
            add(item.line, "related_units", "related_units", "unknown_unit", value=code)
    for code in item.officials or []:
        if code not in vocabulary.officials:
            add(item.line, "officials", "officials", "unknown_official", value=code)
    for key, limit in vocabulary.max_lengths.items():
        value = obj.get(key) if key != "fee_note" else item.fee_note
        if isinstance(value, str) and len(value) > limit:
            add(item.line, key, key, "too_long", length=len(value), limit=limit)
    for index, step in enumerate(steps):
        line = item.step_lines[index] if index < len(item.step_lines) else item.line
        for key, name_csv, limit in (("code", "step", 40), ("name", "name", 300)):
            value = step.get(key) if isinstance(step, Mapping) else None
            if isinstance(value, str) and len(value) > limit:
                path = f"steps[{index + 1}].{key}"
                add(line, name_csv, path, "too_long", length=len(value), limit=limit)
    for document in item.documents or []:
        for name, value, limit in (("name", document.name, 500), ("note", document.note, 300)):
            if len(value) > limit:
                add(document.line, name, name, "too_long", length=len(value), limit=limit)
    return found


# --- the domain's errors, with lines -------------------------------------------------------

_STEP_KEY = re.compile(r"steps\[(\d+)\]\.?(.*)")
_CSV_FIELDS = {
    "code": "procedure",
    "name": "name",
    "level": "level",
    "field": "field",
    "time_limit": "amount",
    "fee": "fee",
    "steps": "",
    "related_units": "related_units",
    "legal_basis": "legal_basis",
}
_CSV_STEP_FIELDS = {"code": "step", "name": "name", "role": "role", "budget": "amount"}


def locate(error: DomainError, items: Sequence[SourceItem]) -> ImportProblem:
    """An error of :func:`~congvu.domain.procedures.parse_catalog` as a line-numbered problem.

    ``items`` are the items given to the parser, in the same order: a ``#n`` label is the n-th
    of them, a code the item with that code (its last one for a duplicate-code error).
    """
    params = error.params
    label = str(params.get("procedure", ""))
    key = str(params.get("key", ""))
    reason_vi = str(params.get("reason_vi", error.message("vi")))
    reason_en = str(params.get("reason_en", error.message("en")))
    item: SourceItem | None = None
    if label.startswith("#") and label[1:].isdigit() and 0 < int(label[1:]) <= len(items):
        item = items[int(label[1:]) - 1]
    else:
        matches = [i for i in items if i.code == label]
        if matches:
            item = matches[-1] if key == "code" and len(matches) > 1 else matches[0]
    if item is None:
        return ImportProblem(
            0, "" if label == "—" else label, key, reason_vi, reason_en, column=False
        )
    procedure = item.code or label
    if not item.csv:
        return ImportProblem(item.line, procedure, key, reason_vi, reason_en, column=False)
    line, column = item.line, _CSV_FIELDS.get(key, key)
    match = _STEP_KEY.fullmatch(key)
    if match:
        index = int(match.group(1)) - 1
        if 0 <= index < len(item.step_lines):
            line = item.step_lines[index]
        column = _CSV_STEP_FIELDS.get(match.group(2), match.group(2))
    return ImportProblem(line, procedure, column, reason_vi, reason_en)
