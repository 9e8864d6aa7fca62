"""Supervision screens: the findings list, a finding with the events that prove it and its
justification history, a head's justification, a supervisor's review, and the supporting
documents (sent only through a permission-checked view, never from a public URL).

Thin: access in permissions, reads in selectors, writes in services."""

from __future__ import annotations

import contextlib
import datetime as dt
import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congvu.apps.dashboards.exports import Column, xlsx_response
from congvu.apps.dossiers.display import EVENT_TYPES
from congvu.apps.dossiers.permissions import dossiers_visible
from congvu.apps.ledger.models import Event as EventRow
from congvu.apps.organisations.models import Official, Unit
from congvu.apps.supervision.forms import FindingFilterForm, JustificationForm, ReviewForm
from congvu.apps.supervision.models import Finding, Justification
from congvu.apps.supervision.permissions import (
    can_justify,
    can_list_findings,
    can_review,
    findings_visible,
)
from congvu.apps.supervision.selectors import findings_filter, findings_of_item, names_for
from congvu.apps.supervision.services import justification_review, justification_submit
from congvu.domain.calendar import VN_TZ
from congvu.domain.errors import DomainError
from congvu.domain.scoring import InvalidPeriodError, parse_period
from congvu.domain.supervision import RULES

PAGE = 50
EXPORT_MAX = 50_000  # a province-year of findings fits; more belongs to a background report

RULESETS = {
    "ND118/2025": gettext_lazy("Nghị định 118/2025/NĐ-CP (từ 01/07/2025)"),
    "ND61/2018+107/2021": gettext_lazy(
        "Nghị định 61/2018/NĐ-CP và 107/2021/NĐ-CP (trước 01/07/2025)"
    ),
}


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _rule_title(code: str) -> str:
    rule = RULES.get(code)
    return rule.title(_lang()) if rule else code


@login_required
@require_GET
def findings(request: HttpRequest) -> HttpResponse:
    if not can_list_findings(request.user):
        raise Http404
    form = FindingFilterForm(request.GET, lang=_lang())
    form.is_valid()
    c = form.cleaned_data
    start = end = None
    if c.get("ky"):
        try:
            period = parse_period(c["ky"])
        except InvalidPeriodError as e:
            form.add_error("ky", e.message(_lang()))
        else:
            start = dt.datetime.combine(period.start, dt.time(), tzinfo=VN_TZ)
            end = dt.datetime.combine(period.end, dt.time(), tzinfo=VN_TZ)
    if form.errors:
        return render(
            request, "supervision/findings.html", {"form": form, "page": None}, status=400
        )
    rows = findings_filter(
        findings_visible(request.user),
        start=start,
        end=end,
        rule=c["quy_tac"],
        unit=c["don_vi"].strip(),
        official=c["can_bo"].strip(),
        review=c["giai_trinh"],
        severity=c["muc_do"],
        state=c["hieu_luc"],
        item_code=c["q"].strip(),
    ).order_by("-at", "pk")
    if request.GET.get("xuat") == "phat-hien":
        return _export(rows[:EXPORT_MAX])
    page = Paginator(rows, PAGE).get_page(request.GET.get("trang"))
    unit_names, official_names = names_for(page)
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "supervision/findings.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "f": f,
                    "rule": _rule_title(f.rule),
                    "unit": unit_names.get(f.unit, f.unit),
                    "official": official_names.get(f.official, f.official),
                }
                for f in page
            ],
            "query": params.urlencode(),
        },
    )


def _export(rows) -> HttpResponse:
    rows = list(rows)
    unit_names, official_names = names_for(rows)
    columns = [
        Column(pgettext("identifier of one finding", "Số phát hiện"), "int", 10),
        Column(_("Mã quy tắc"), "text", 24),
        Column(_("Quy tắc"), "text", 40),
        Column(_("Mã hồ sơ"), "text", 22),
        Column(_("Đơn vị chịu trách nhiệm"), "text", 30),
        Column(pgettext("one official", "Cán bộ chịu trách nhiệm"), "text", 26),
        Column(_("Thời điểm vi phạm"), "datetime", 17),
        Column(_("Mức độ"), "text", 12),
        Column(_("Giải trình"), "text", 28),
        Column(_("Bộ quy tắc áp dụng"), "text", 20),
        Column(_("Sự kiện chứng minh (số thứ tự)"), "text", 20),
        Column(_("Không còn hiệu lực từ"), "datetime", 17),
    ]
    data = [
        [
            f.pk,
            f.rule,
            _rule_title(f.rule),
            f.item.code,
            unit_names.get(f.unit, f.unit),
            official_names.get(f.official, f.official),
            f.at,
            f.get_severity_display(),
            f.get_review_display(),
            f.ruleset,
            ", ".join(str(s) for s in f.events),
            f.lapsed_at,
        ]
        for f in rows
    ]
    return xlsx_response(
        "phat-hien-vi-pham", title=_("Phát hiện vi phạm"), columns=columns, rows=data
    )


def _finding(request: HttpRequest, pk: int) -> Finding:
    return get_object_or_404(findings_visible(request.user).select_related("item"), pk=pk)


#: The names of the event data keys of interchange v1 (the key itself for any other).
DATA_KEYS = {
    "procedure": gettext_lazy("thủ tục"),
    "channel": gettext_lazy("kênh"),
    "due": gettext_lazy("hạn"),
    "new_due": gettext_lazy("hạn mới"),
    "official": gettext_lazy("cán bộ"),
    "step": gettext_lazy("bước"),
    "to_unit": gettext_lazy("chuyển đến"),
    "from_unit": gettext_lazy("từ đơn vị"),
    "reason": gettext_lazy("lý do"),
    "documents": gettext_lazy("giấy tờ"),
    "result": gettext_lazy("kết quả"),
    "text": gettext_lazy("nội dung"),
    "score": gettext_lazy("điểm"),
}


def _event_data(data: dict) -> list[tuple[str, str]]:
    out = []
    for key, value in data.items():
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        elif isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
            with contextlib.suppress(ValueError):  # not a moment after all: shown as given
                value = (
                    dt.datetime.fromisoformat(value).astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
                )
        out.append((str(DATA_KEYS.get(key, key)), str(value)))
    return out


def _detail_context(request: HttpRequest, finding: Finding) -> dict:
    item = finding.item
    events = list(
        EventRow.objects.filter(item=item, seq__in=finding.events)
        .order_by("seq")
        .values("seq", "at", "type", "unit", "actor", "data")
    )
    justifications = list(
        finding.justifications.select_related("submitted_by__official", "reviewed_by__official")
    )
    others = [f for f in findings_of_item(item.pk) if f.pk != finding.pk]
    units = {finding.unit, item.unit, item.agency} | {e["unit"] for e in events}
    officials = {finding.official} | {e["actor"] for e in events if e["actor"]}
    officials |= {str(e["data"]["official"]) for e in events if "official" in e["data"]}
    unit_names = dict(Unit.objects.filter(code__in=units).values_list("code", "name"))
    official_names = dict(
        Official.objects.filter(code__in=officials).values_list("code", "full_name")
    )
    pending = next((j for j in justifications if j.status == Justification.Status.PENDING), None)
    may_justify = finding.review not in (
        Finding.Review.PENDING,
        Finding.Review.ACCEPTED,
    ) and can_justify(request.user, finding)
    may_review = pending is not None and can_review(request.user, finding)
    rule = RULES.get(finding.rule)
    return {
        "finding": finding,
        "item": item,
        "rule": rule,
        "rule_title": _rule_title(finding.rule),
        "rule_description": rule.description(_lang()) if rule else "",
        "ruleset": RULESETS.get(finding.ruleset, finding.ruleset),
        "unit_name": unit_names.get(finding.unit, finding.unit),
        "official_name": official_names.get(finding.official, finding.official),
        "dossier_link": item.kind == "dossier"
        and dossiers_visible(request.user).filter(pk=item.pk).exists(),
        "events": [
            {
                "seq": e["seq"],
                "at": e["at"],
                "label": EVENT_TYPES.get(e["type"], e["type"]),
                "type": e["type"],
                "unit": unit_names.get(e["unit"], e["unit"]),
                "actor": official_names.get(e["actor"], e["actor"]),
                "data": _event_data(e["data"]),
            }
            for e in events
        ],
        "justifications": justifications,
        "pending": pending,
        "others": [(f, _rule_title(f.rule)) for f in others],
        "justify_form": JustificationForm() if may_justify else None,
        "review_form": ReviewForm() if may_review else None,
    }


@login_required
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    return render(request, "supervision/finding.html", _detail_context(request, finding))


@login_required
@require_POST
def finding_justify(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    if not can_justify(request.user, finding):
        raise Http404
    form = JustificationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            justification_submit(
                finding=finding,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                document=form.cleaned_data["document"],
            )
        except DomainError as e:
            form.add_error(None, e.message(_lang()))
        else:
            messages.success(
                request, _("Đã gửi giải trình; phát hiện chờ cán bộ giám sát xem xét.")
            )
            return redirect("supervision:finding", pk=finding.pk)
    context = _detail_context(request, finding) | {"justify_form": form}
    return render(request, "supervision/finding.html", context, status=400)


@login_required
@require_POST
def justification_decide(request: HttpRequest, pk: int) -> HttpResponse:
    justification = get_object_or_404(
        Justification.objects.filter(finding__in=findings_visible(request.user)), pk=pk
    )
    finding = justification.finding
    if not can_review(request.user, finding):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            justification_review(
                justification=justification,
                actor=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except DomainError as e:
            form.add_error(None, e.message(_lang()))
        else:
            accepted = form.cleaned_data["decision"] == "accept"
            messages.success(
                request,
                _("Đã chấp nhận giải trình: phát hiện được ghi nhận là có lý do chính đáng.")
                if accepted
                else _("Đã không chấp nhận giải trình."),
            )
            return redirect("supervision:finding", pk=finding.pk)
    finding = _finding(request, finding.pk)
    context = _detail_context(request, finding) | {"review_form": form}
    return render(request, "supervision/finding.html", context, status=400)


@login_required
@require_GET
def justification_document(request: HttpRequest, pk: int) -> FileResponse:
    justification = get_object_or_404(
        Justification.objects.filter(finding__in=findings_visible(request.user)), pk=pk
    )
    if not justification.document:
        raise Http404
    name = PurePath(justification.document.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        justification.document.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
