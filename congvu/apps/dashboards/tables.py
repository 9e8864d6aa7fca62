"""The dashboard tables as Excel sheets: columns (Vietnamese headers) and rows, built from
what the selectors return — the same figures as on screen."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congvu.apps.dashboards.exports import Column
from congvu.apps.dashboards.selectors import League, MonthFigures, Queue, RuleCount
from congvu.domain.scoring import Rate


def _rate_columns(title: str) -> list[Column]:
    return [
        Column(title, "percent", 14),
        Column(_("%(t)s — cận dưới 95 %%") % {"t": title}, "percent", 14),
        Column(_("%(t)s — cận trên 95 %%") % {"t": title}, "percent", 14),
    ]


def _rate_values(r: Rate | None) -> list[float | None]:
    return [r.value, r.low, r.high] if r else [None, None, None]


def league_sheet(table: League) -> tuple[list[Column], list[list]]:
    columns = [
        Column(_("Hạng"), "int", 8),
        Column(_("Mã đơn vị"), "text", 12),
        Column(pgettext("column: one unit", "Đơn vị"), "text", 36),
        *_rate_columns(_("Tỷ lệ đúng hạn")),
        Column(_("Cỡ mẫu (hồ sơ được đánh giá)"), "int", 14),
        Column(_("Đúng hạn"), "int", 10),
        Column(_("Quá hạn chưa xong"), "int", 12),
        Column(_("Thời gian trễ bình quân (giờ làm việc)"), "float", 16),
        Column(_("Phát hiện vi phạm"), "int", 12),
        Column(_("Trong đó được chấp nhận giải trình"), "int", 14),
        Column(_("Vi phạm / 1.000 hồ sơ"), "float", 14),
        Column(_("Điểm hài lòng bình quân"), "float", 14),
        *_rate_columns(_("Tỷ lệ hài lòng")),
        Column(_("Số đánh giá"), "int", 10),
    ]
    rows = [
        [
            r.rank,
            r.unit,
            table.names.get(r.unit, r.unit),
            *_rate_values(r.on_time),
            r.judged,
            r.tally.on_time,
            r.tally.open_overdue,
            r.average_lateness_hours,
            r.tally.findings,
            r.tally.justified,
            r.findings_per_1000,
            r.satisfaction_mean,
            *_rate_values(r.satisfied),
            r.tally.rated,
        ]
        for r in table.rows
    ]
    return columns, rows


def rules_sheet(rules: Iterable[RuleCount]) -> tuple[list[Column], list[list]]:
    columns = [
        Column(_("Mã quy tắc"), "text", 26),
        Column(_("Quy tắc"), "text", 60),
        Column(_("Số phát hiện"), "int", 14),
        Column(_("Được chấp nhận giải trình"), "int", 16),
    ]
    return columns, [[r.rule, r.title, r.findings, r.justified] for r in rules]


def trend_sheet(months: Iterable[MonthFigures]) -> tuple[list[Column], list[list]]:
    columns = [
        Column(_("Tháng"), "date", 12),
        Column(_("Hồ sơ được đánh giá"), "int", 14),
        *_rate_columns(_("Tỷ lệ đúng hạn")),
        Column(_("Quá hạn chưa xong"), "int", 14),
        Column(_("Phát hiện vi phạm"), "int", 14),
    ]
    rows = [
        [m.month.start, m.judged, *_rate_values(m.on_time), m.open_overdue, m.findings]
        for m in months
    ]
    return columns, rows


def status_sheet(statuses: Iterable[tuple[str, str, int]]) -> tuple[list[Column], list[list]]:
    columns = [Column(_("Trạng thái"), "text", 30), Column(_("Số hồ sơ"), "int", 12)]
    return columns, [[label, n] for _code, label, n in statuses]


def queues_sheet(queues: Iterable[Queue]) -> tuple[list[Column], list[list]]:
    columns = [
        Column(_("Mã cán bộ"), "text", 14),
        Column(_("Cán bộ"), "text", 30),
        Column(_("Đang giải quyết"), "int", 14),
        Column(_("Chờ bổ sung"), "int", 12),
        Column(_("Đang quá hạn"), "int", 12),
    ]
    return columns, [[q.official, q.name, q.open, q.paused, q.overdue] for q in queues]


def items_sheet(items, unit_names: dict[str, str]) -> tuple[list[Column], list[list]]:
    columns = [
        Column(_("Mã hồ sơ"), "text", 22),
        Column(_("Thủ tục"), "text", 12),
        Column(_("Đơn vị đang giữ"), "text", 30),
        Column(_("Trạng thái"), "text", 18),
        Column(_("Tiếp nhận lúc"), "datetime", 17),
        Column(_("Hạn giải quyết"), "datetime", 17),
    ]
    rows = [
        [
            i.code,
            i.procedure,
            unit_names.get(i.unit, i.unit),
            i.get_status_display(),
            i.received_at,
            i.due,
        ]
        for i in items
    ]
    return columns, rows
