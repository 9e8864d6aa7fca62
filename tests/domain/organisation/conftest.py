"""Shared vocabulary for the organisation import tests (plain pytest: no Django)."""

from __future__ import annotations

from collections.abc import Mapping

from congvu.domain.organisation import UNIT_COLUMNS, SourceRow

LEVELS = {
    "province": "Tỉnh, thành phố",
    "department": "Sở, ban, ngành",
    "commune": "Xã",
    "ward": "Phường",
    "hamlet": "Thôn, ấp, bản",
}
ROLES = {
    "unit_head": "Thủ trưởng đơn vị",
    "specialist": "Chuyên viên",
    "one_stop": "Cán bộ một cửa",
}
KINDS = {"merger": "Hợp nhất, sáp nhập", "rename": "Đổi tên"}


def unit_row(line: int, **cells: str) -> SourceRow:
    """A CSV-shaped unit row: every column present, empty unless given."""
    values: Mapping[str, str] = {name: cells.get(name, "") for name in UNIT_COLUMNS}
    return SourceRow(line, dict(values))
