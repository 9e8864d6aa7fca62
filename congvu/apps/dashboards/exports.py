"""Excel exports (openpyxl) of the dashboard and findings tables.

One sheet per table: Vietnamese headers on the first row (frozen, filterable), dates as real
dates shown ``dd/mm/yyyy`` (moments ``dd/mm/yyyy hh:mm`` in Vietnam time), rates as numbers
with a percent format (a rate's interval in two more columns), so that the file can be
sorted and computed on. A second sheet carries the definition of every figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from congvu.domain.calendar import VN_TZ

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMATS = {
    "text": "@",
    "int": "#,##0",
    "float": "#,##0.0",
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"
    width: int = 16


def _cell_value(value, kind: str):
    if value is None or value == "":
        return None
    if kind == "datetime" and isinstance(value, dt.datetime):
        return value.astimezone(VN_TZ).replace(tzinfo=None)  # Excel has no time zones
    if kind == "text":
        return str(value)
    return value


def workbook_bytes(
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    definitions: Iterable[tuple[str, str]] = (),
    caption: str = "",
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(title)
    ws.append([str(c.header) for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([_cell_value(v, c.kind) for v, c in zip(row, columns, strict=True)])
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # text from the data is never a formula
                cell.data_type = "s"
    for i, c in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = c.width
        for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            cell.number_format = FORMATS[c.kind]
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    notes = list(definitions)
    if notes or caption:
        sheet = wb.create_sheet(_sheet_title(_("Định nghĩa")))
        if caption:
            sheet.append([caption])
            sheet["A1"].font = Font(bold=True)
        sheet.append([_("Chỉ số"), _("Định nghĩa")])
        for name, text in notes:
            sheet.append([str(name), str(text)])
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 110
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename: str, **kwargs) -> HttpResponse:
    response = HttpResponse(workbook_bytes(**kwargs), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_title(text: str) -> str:
    cleaned = "".join(ch for ch in str(text) if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"
