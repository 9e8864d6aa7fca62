"""Problems found in an import file: one :class:`RowError` per problem, rendered in vi or en.

A row error is a value, not an exception: validation collects every problem in the file so
that the user can fix them all in one pass. Each has a stable ``code`` (the key of
:data:`MESSAGES`) and ``params`` (plain strings and numbers) that fill the templates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from congvu.domain.errors import DomainError, Lang

__all__ = ["ITEM_KINDS", "MESSAGES", "RowError", "UnsupportedFormatError"]

#: kind of item → (Vietnamese, English) noun used in the "(đơn vị H99.05)" part of a message.
ITEM_KINDS: Mapping[str, tuple[str, str]] = {
    "unit": ("đơn vị", "unit"),
    "official": ("cán bộ", "official"),
    "lineage": ("quan hệ sắp xếp", "lineage"),
}

#: error code → (Vietnamese template, English template); ``str.format`` fields come from params.
MESSAGES: Mapping[str, tuple[str, str]] = {
    "required": ("thiếu giá trị bắt buộc", "a value is required"),
    "bad_date": (
        "ngày {value} không hợp lệ (cần dd/mm/yyyy hoặc yyyy-mm-dd)",
        "date {value} is not valid (expected dd/mm/yyyy or yyyy-mm-dd)",
    ),
    "bad_choice": (
        "“{value}” không có trong danh mục (dùng mã hoặc tên: {choices})",
        "“{value}” is not an allowed value (use a code or a name: {choices})",
    ),
    "bad_bool": (
        "“{value}” không phải giá trị có/không (dùng có, không, true, false, 1 hoặc 0)",
        "“{value}” is not a yes/no value (use có, không, true, false, 1 or 0)",
    ),
    "too_long": (
        "dài {length} ký tự, tối đa {limit} ký tự",
        "is {length} characters long, at most {limit} are allowed",
    ),
    "bad_email": (
        "địa chỉ thư điện tử “{value}” không hợp lệ",
        "e-mail address “{value}” is not valid",
    ),
    "bad_interval": (
        "ngày {value} sớm hơn ngày bắt đầu ({start_field} = {start})",
        "date {value} is before the start date ({start_field} = {start})",
    ),
    "bad_type": (
        "cần {expected}, nhưng nhận được {got}",
        "expected {expected_en}, got {got}",
    ),
    "duplicate_code": (
        "mã {value} xuất hiện nhiều lần trong tệp (dòng {lines}); mỗi mã chỉ được một dòng",
        "code {value} appears more than once in the file (lines {lines}); one row per code",
    ),
    "unknown_parent": (
        "đơn vị cấp trên {value} không có trong tệp và chưa có trong hệ thống",
        "parent unit {value} is neither in the file nor in the system",
    ),
    "unknown_unit": (
        "đơn vị {value} không có trong tệp và chưa có trong hệ thống",
        "unit {value} is neither in the file nor in the system",
    ),
    "unknown_calendar": (
        "lịch làm việc {value} chưa có trong hệ thống"
        " (tạo lịch trước, hoặc để trống để dùng lịch của đơn vị cấp trên)",
        "working calendar {value} does not exist"
        " (create it first, or leave the cell empty to use the parent unit's calendar)",
    ),
    "cycle": (
        "chuỗi đơn vị cấp trên tạo thành vòng lặp: {chain}",
        "the chain of parent units forms a cycle: {chain}",
    ),
    "parent_rejected": (
        "bỏ qua vì dòng của đơn vị cấp trên {value} có lỗi",
        "skipped because the row of parent unit {value} was rejected",
    ),
    "unit_rejected": (
        "bỏ qua vì dòng của đơn vị {value} có lỗi",
        "skipped because the row of unit {value} was rejected",
    ),
    "self_lineage": (
        "đơn vị cũ và đơn vị mới trùng nhau ({value})",
        "the old and the new unit are the same ({value})",
    ),
    "duplicate_lineage": (
        "quan hệ {value} lặp lại trong tệp (dòng {lines})",
        "lineage {value} appears more than once in the file (lines {lines})",
    ),
    "duplicate_position": (
        "vị trí “{value}” lặp lại (dòng {lines}); một vị trí được xác định bởi đơn vị,"
        " ngày bắt đầu và chức vụ",
        "position “{value}” appears more than once (lines {lines}); a position is identified"
        " by unit, start date and title",
    ),
    "conflicting_value": (
        "“{value}” khác với “{other}” ở dòng {other_line} của cùng cán bộ",
        "“{value}” differs from “{other}” on line {other_line} for the same official",
    ),
    "unknown_column": (
        "cột “{value}” không được hỗ trợ (các cột: {columns})",
        "column “{value}” is not supported (columns: {columns})",
    ),
    "missing_column": (
        "thiếu cột bắt buộc “{value}” ở dòng tiêu đề",
        "the header lacks the required column “{value}”",
    ),
    "extra_cells": (
        "dòng có {count} ô, nhiều hơn {expected} cột của dòng tiêu đề",
        "the row has {count} cells, more than the {expected} columns of the header",
    ),
    "bad_encoding": (
        "tệp không phải văn bản UTF-8; hãy lưu lại dưới dạng “CSV UTF-8” hoặc JSON UTF-8",
        "the file is not UTF-8 text; save it again as “CSV UTF-8” or UTF-8 JSON",
    ),
    "bad_json": (
        "JSON không hợp lệ ở cột {column}",
        "invalid JSON at column {column} ({detail})",
    ),
    "missing_key": (
        'thiếu khóa “{value}” (giá trị trống thì ghi "" hoặc null)',
        'missing key(s) “{value}” (write "" or null for an empty value)',
    ),
    "duplicate_column": (
        "cột “{value}” xuất hiện hai lần ở dòng tiêu đề",
        "column “{value}” appears twice in the header",
    ),
    "bad_csv": ("tệp CSV không đọc được ({detail})", "the CSV file cannot be read ({detail})"),
    "unknown_stored_unit": (
        "đơn vị {value} chưa có trong hệ thống (nhập danh sách đơn vị trước)",
        "unit {value} does not exist in the system (import the units first)",
    ),
    "unknown_key": (
        "khóa “{value}” không được hỗ trợ (các khóa: {keys})",
        "key “{value}” is not supported (keys: {keys})",
    ),
    "write_failed": (
        "không ghi được vào cơ sở dữ liệu ({detail})",
        "could not be written to the database ({detail})",
    ),
}


@dataclass(frozen=True)
class RowError:
    """One problem in an import file.

    ``line`` is the 1-based line of the file where the row (CSV) or object (JSON) starts, or 0
    for a problem with the file as a whole. ``item`` is the code of the unit or official the row
    describes ("" when unknown), ``field`` the column or key ("" when the row as a whole is
    wrong), ``code`` a key of :data:`MESSAGES`, ``params`` the template fields and ``kind`` one
    of :data:`ITEM_KINDS` ("unit", "official", "lineage").
    """

    line: int
    item: str
    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    kind: str = "unit"

    def message(self, lang: Lang = "vi") -> str:
        """The full sentence in ``lang`` ("vi" default, "en"), saying where and why.

        Example: ``Dòng 7 (đơn vị H99.05), cột valid_to: ngày 31/02/2025 không hợp lệ (cần
        dd/mm/yyyy hoặc yyyy-mm-dd).``
        """
        en = lang == "en"
        parts = []
        if self.line:
            parts.append(f"Line {self.line}" if en else f"Dòng {self.line}")
        else:
            parts.append("File" if en else "Tệp")
        if self.item:
            noun = ITEM_KINDS.get(self.kind, (self.kind, self.kind))[1 if en else 0]
            parts.append(f" ({noun} {self.item})")
        if self.field:
            parts.append(f", {'column' if en else 'cột'} {self.field}")
        template = MESSAGES.get(self.code, ("lỗi {code}", "error {code}"))[1 if en else 0]
        params = {"code": self.code, **self.params}
        params.setdefault("expected_en", params.get("expected", ""))
        return "".join(parts) + ": " + template.format(**params) + "."

    def as_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        """A JSON-ready description: line, item, field, code, params and message."""
        return {
            "line": self.line,
            "item": self.item,
            "field": self.field,
            "code": self.code,
            "params": dict(self.params),
            "message": self.message(lang),
        }


class UnsupportedFormatError(DomainError):
    """The file format is neither CSV nor JSON (or cannot be told from the file name)."""

    code: ClassVar[str] = "unsupported_format"
    template_vi: ClassVar[str] = (
        "Không nhận ra định dạng “{fmt}”: dùng csv hoặc json (--format, hoặc đuôi .csv/.json)."
    )
    template_en: ClassVar[str] = (
        "Unknown format “{fmt}”: use csv or json (--format, or a .csv/.json file name)."
    )
