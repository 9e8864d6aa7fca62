"""The words of the notices: titles and plain-text bodies, written in Vietnamese when the
notice is made (``translation.override("vi")``: every official reads the same record, and the
e-mail sent later says what the page says). Moments read ``dd/mm/yyyy HH:MM``, Vietnam time."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from congvu.apps.alerts.selectors import DIGEST_ROWS, Digest
from congvu.apps.ledger.models import Item
from congvu.apps.supervision.models import Finding
from congvu.domain.calendar.ops import to_local
from congvu.domain.procedures.duration import Duration
from congvu.domain.supervision import RULES

KINDS = {
    "dossier": pgettext_lazy("one work item", "Hồ sơ"),
    "feedback": gettext_lazy("Phản ánh, kiến nghị"),
    "task": gettext_lazy("Nhiệm vụ"),
    "recommendation": gettext_lazy("Kiến nghị sau thanh tra"),
}

UNITS = {
    "working_days": gettext_lazy("ngày làm việc"),
    "working_hours": gettext_lazy("giờ làm việc"),
    "calendar_days": gettext_lazy("ngày"),
}


def moment_text(m: dt.datetime) -> str:
    return f"{to_local(m):%d/%m/%Y %H:%M}"


def duration_text(d: Duration) -> str:
    amount = int(d.amount) if float(d.amount).is_integer() else str(d.amount).replace(".", ",")
    return f"{amount} {UNITS[d.unit]}"


def item_label(item: Item, procedures: dict[str, str]) -> str:
    """``Hồ sơ H99-251124-0003 (Đăng ký khai sinh)``."""
    label = f"{KINDS.get(item.kind, item.kind)} {item.code}"
    name = procedures.get(item.procedure)
    return f"{label} ({name})" if name else label


def item_link(item: Item | None) -> str:
    if item is not None and item.kind == "dossier":
        return reverse("dossiers:detail", args=[item.source, item.code])
    return reverse("alerts:list")


def finding_link(f: Finding) -> str:
    """The finding's page: its proof, and the head's justification form."""
    return reverse("supervision:finding", args=[f.pk])


def unit_link(code: str) -> str:
    return reverse("dashboards:unit", args=[code])


def absolute(link: str) -> str:
    """The link as the e-mail prints it: under ``CONGVU_PUBLIC_URL`` when it is set."""
    base = settings.CONGVU_PUBLIC_URL.rstrip("/")
    return f"{base}{link}" if base else link


def person(official: str, names: dict[str, str]) -> str:
    if not official:
        return _("(chưa giao cán bộ)")
    return names.get(official) or official


def due_soon(
    *, item: Item, due: dt.datetime, left: str, threshold: Duration, label: str, unit: str,
    official: str,
) -> tuple[str, str]:  # fmt: skip
    title = _("Sắp đến hạn: %(item)s") % {"item": label}
    body = "\n".join(
        [
            _("%(item)s sẽ đến hạn giải quyết lúc %(due)s (còn %(left)s).")
            % {"item": label, "due": moment_text(due), "left": left},
            _("Ngưỡng nhắc: %(threshold)s trước hạn.") % {"threshold": duration_text(threshold)},
            _("Đơn vị đang giải quyết: %(unit)s. Cán bộ đang giữ: %(official)s.")
            % {"unit": unit, "official": official},
        ]
    )
    return title, body


def finding(*, f: Finding, label: str, unit: str, official: str) -> tuple[str, str]:
    rule = RULES.get(f.rule)
    rule_title = rule.title("vi") if rule else f.rule
    if f.rule == "OVERDUE":
        title = _("Quá hạn: %(item)s") % {"item": label}
        first = _("%(item)s đã quá hạn giải quyết lúc %(due)s mà chưa có kết quả.") % {
            "item": label,
            "due": moment_text(f.at),
        }
    else:
        title = _("Vi phạm %(rule)s: %(item)s") % {"rule": rule_title, "item": label}
        first = _("%(item)s: vi phạm lúc %(at)s; hạn giải quyết %(due)s.") % {
            "item": label,
            "at": moment_text(f.at),
            "due": moment_text(f.item.due),
        }
    lines = [
        first,
        _("Quy tắc %(code)s — %(title)s, mức độ %(severity)s, bộ quy tắc %(ruleset)s.")
        % {
            "code": f.rule,
            "title": rule_title,
            "severity": f.get_severity_display(),
            "ruleset": f.ruleset,
        },
    ]
    if rule:
        lines.append(rule.description("vi"))
    lines.append(
        _("Đơn vị chịu trách nhiệm: %(unit)s. Cán bộ chịu trách nhiệm: %(official)s.")
        % {"unit": unit, "official": official}
    )
    lines.append(
        _("Thủ trưởng đơn vị có thể giải trình nếu có lý do chính đáng.")
        if f.rule != "OVERDUE"
        else _("Đề nghị khẩn trương giải quyết và xin lỗi người dân, tổ chức theo quy định.")
    )
    return title, "\n".join(lines)


def digest(d: Digest, *, labels: dict[int, str], names: dict[str, str]) -> tuple[str, str]:
    title = _("Tổng hợp ngày %(day)s: %(unit)s") % {"day": f"{d.day:%d/%m/%Y}", "unit": d.name}
    lines = [
        _("Phát hiện vi phạm mới từ %(since)s: %(n)d.")
        % {"since": moment_text(d.since), "n": d.findings}
    ]
    for f in d.finding_rows:
        rule = RULES.get(f.rule)
        lines.append(
            f"  - {moment_text(f.at)}  {f.rule} — {rule.title('vi') if rule else f.rule}: "
            f"{labels[f.item_id]}, {person(f.official, names)}"
        )
    lines += _more(d.findings, len(d.finding_rows))
    lines.append(_("Hồ sơ, công việc quá hạn chưa giải quyết xong: %(n)d.") % {"n": d.overdue})
    for item in d.overdue_rows:
        lines.append(
            "  - "
            + _("hạn %(due)s: %(item)s, %(official)s")
            % {
                "due": moment_text(item.due),
                "item": labels[item.pk],
                "official": person(item.official, names),
            }
        )
    lines += _more(d.overdue, len(d.overdue_rows))
    lines.append(_("Hồ sơ, công việc sắp đến hạn: %(n)d.") % {"n": len(d.due_soon)})
    shown = d.due_soon[:DIGEST_ROWS]
    for s in shown:
        lines.append(
            "  - "
            + _("hạn %(due)s: %(item)s, %(official)s")
            % {
                "due": moment_text(s.state.due),
                "item": labels[s.item.pk],
                "official": person(s.item.official, names),
            }
        )
    lines += _more(len(d.due_soon), len(shown))
    return title, "\n".join(lines)


def _more(total: int, shown: int) -> list[str]:
    if total > shown:
        return ["  " + _("… và %(n)d mục khác.") % {"n": total - shown}]
    return []
