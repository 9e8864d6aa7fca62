"""How ledger figures read on screen: working time in days and hours, the urgency colour,
and the Vietnamese names of event types, statuses and channels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congvu.domain.calendar import WorkCalendar, explain, working_seconds_between
from congvu.domain.ledger import ItemState
from congvu.domain.procedures import Procedure

#: "Due soon" when less than one working day is left (the reminder horizon of issue 4).
DUE_SOON_SECONDS = 8 * 3600

EVENT_TYPES = {
    "received": gettext_lazy("Tiếp nhận"),
    "created": gettext_lazy("Tạo mới"),
    "appointment_issued": gettext_lazy("Cấp giấy hẹn trả kết quả"),
    "assigned": gettext_lazy("Giao xử lý"),
    "step_completed": gettext_lazy("Hoàn thành bước"),
    "transferred": gettext_lazy("Chuyển đơn vị"),
    "consulted": gettext_lazy("Xin ý kiến"),
    "consultation_answered": gettext_lazy("Trả lời xin ý kiến"),
    "supplement_requested": gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    "supplement_received": gettext_lazy("Nhận hồ sơ bổ sung"),
    "apology_issued": gettext_lazy("Xin lỗi và hẹn lại"),
    "extended": gettext_lazy("Gia hạn"),
    "progress_reported": gettext_lazy("Báo cáo tiến độ"),
    "resolved": gettext_lazy("Có kết quả"),
    "returned": gettext_lazy("Trả kết quả"),
    "refused": gettext_lazy("Từ chối"),
    "withdrawn": gettext_lazy("Rút hồ sơ"),
    "rated": gettext_lazy("Đánh giá"),
    "reopened": gettext_lazy("Mở lại"),
}

CHANNELS = {
    "direct": gettext_lazy("Trực tiếp tại Bộ phận Một cửa"),
    "online": gettext_lazy("Trực tuyến"),
    "postal": gettext_lazy("Bưu chính công ích"),
    "portal": gettext_lazy("Cổng dịch vụ công"),
    "national_portal": gettext_lazy("Cổng Dịch vụ công quốc gia"),
}

RESULTS = {
    "approved": gettext_lazy("Chấp thuận, cấp kết quả"),
    "refused": gettext_lazy("Không chấp thuận (có văn bản nêu lý do)"),
}

DURATION_UNITS = {
    "working_days": gettext_lazy("ngày làm việc"),
    "working_hours": gettext_lazy("giờ làm việc"),
    "calendar_days": gettext_lazy("ngày"),
}


def working_text(seconds: int, day_seconds: int = 8 * 3600) -> str:
    """E.g. ``2 ngày 3 giờ làm việc``; negative amounts read as lateness by the caller."""
    seconds = round(abs(seconds) / 60) * 60  # to the nearest minute: no "2 days 7 h 59 min"
    days, rest = divmod(seconds, day_seconds)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(_("%(n)d ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)d giờ") % {"n": hours})
    if minutes and not days:
        parts.append(_("%(n)d phút") % {"n": minutes})
    if not parts:
        return _("0 giờ làm việc")
    return _("%(parts)s làm việc") % {"parts": " ".join(parts)}


@dataclass(frozen=True)
class Urgency:
    css: str
    label: str
    seconds_left: int

    @property
    def text(self) -> str:
        if self.seconds_left < 0:
            return _("Quá hạn %(t)s") % {"t": working_text(self.seconds_left)}
        return _("Còn %(t)s") % {"t": working_text(self.seconds_left)}


def urgency(calendar: WorkCalendar, now: dt.datetime, due: dt.datetime) -> Urgency:
    left = working_seconds_between(calendar, now, due)
    if due < now:
        return Urgency("overdue", _("Quá hạn"), min(left, -1))
    if left < DUE_SOON_SECONDS:
        return Urgency("soon", _("Sắp đến hạn"), left)
    return Urgency("ontime", _("Trong hạn"), left)


def due_explanation(
    state: ItemState, calendar: WorkCalendar, procedure: Procedure | None, lang: str
) -> list[str]:
    """Why the due moment is what it is, line by line."""
    fmt = "%H:%M %d/%m/%Y"
    if state.due_source == "appointment" and procedure is not None:
        # The slip promises what the procedure's limit gives; explain that computation.
        lines = due_explanation(replace(state, due_source="procedure"), calendar, procedure, lang)
        return [
            *lines,
            _("Ngày hẹn ghi trên giấy tiếp nhận: %(due)s.") % {"due": state.due.strftime(fmt)},
        ]
    if state.due_source in ("procedure", "restart") and procedure is not None:
        limit = procedure.time_limit
        intro = _("Thời hạn giải quyết của thủ tục: %(n)s %(unit)s, tính từ %(start)s.") % {
            "n": f"{limit.amount:g}",
            "unit": DURATION_UNITS[limit.unit],
            "start": state.clock_started_at.strftime(fmt),
        }
        if state.due_source == "restart":
            intro += " " + _(
                "Thời hạn được tính lại từ đầu khi nhận đủ hồ sơ bổ sung (Nghị định 118/2025/NĐ-CP,"
                " Điều 19)."
            )
        if limit.unit == "calendar_days":
            return [intro]
        unit = "days" if limit.unit == "working_days" else "hours"
        why = explain(calendar, state.clock_started_at, limit.amount, unit=unit)
        return [intro, *why.lines(lang)]
    sources = {
        "appointment": _("Theo giấy tiếp nhận và hẹn trả kết quả."),
        "apology": _("Theo phiếu xin lỗi và hẹn lại ngày trả kết quả."),
        "received": _("Theo hạn ghi khi tiếp nhận."),
        "created": _("Theo hạn ghi khi giao việc."),
        "extended": _("Theo quyết định gia hạn."),
    }
    return [sources.get(state.due_source, state.due_source) + " " + state.due.strftime(fmt) + "."]
