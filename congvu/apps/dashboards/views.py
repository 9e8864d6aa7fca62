"""Dashboards (PRODUCT.md L): the province overview, the league table of units, a unit's page
and an official's page. Each table exports to Excel with ``?xuat=<table>``; each figure has
its definition beside it. Thin: access in permissions, reads in selectors, figures in
``congvu.domain.scoring``."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from congvu.apps.dashboards import selectors, tables
from congvu.apps.dashboards.display import definitions, lang
from congvu.apps.dashboards.exports import xlsx_response
from congvu.apps.dashboards.permissions import (
    can_view_dashboards,
    dashboard_official,
    dashboard_unit,
    unit_scope,
)
from congvu.apps.ledger import clock
from congvu.apps.organisations.models import Position
from congvu.domain.scoring import (
    InvalidPeriodError,
    Period,
    PeriodKind,
    parse_period,
    period_of,
    score_unit,
    sort_rows,
)

#: League columns and the direction a first click sorts them in (best first).
SORTS = {
    "rank": False,
    "on_time": True,
    "sample": True,
    "overdue": False,
    "lateness": False,
    "findings": False,
    "satisfaction": True,
    "satisfied": True,
}


class BadPeriod(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def _allowed(request: HttpRequest) -> None:
    if not can_view_dashboards(request.user):
        raise Http404(_("Tài khoản này không xem được bảng điều khiển."))


def _window(request: HttpRequest) -> selectors.Window:
    text = request.GET.get("ky", "").strip()
    now = clock.now()
    try:
        period = parse_period(text) if text else selectors.default_period(now)
    except InvalidPeriodError as e:
        raise BadPeriod(e.message(lang())) from None
    return selectors.Window.of(period, now)


def _period_choices(now: dt.datetime, current: Period) -> list[tuple[str, str]]:
    """This year and the two before, their quarters, and the months of this year so far."""
    today = now.date()
    years = [Period(today.year - k, PeriodKind.YEAR) for k in range(3)]
    quarters = [
        Period(y.year, PeriodKind.QUARTER, q)
        for y in years[:2]
        for q in range(4, 0, -1)
        if Period(y.year, PeriodKind.QUARTER, q).start <= today
    ]
    this_month = period_of(today, PeriodKind.MONTH)
    months = [Period(today.year, PeriodKind.MONTH, m) for m in range(this_month.number, 0, -1)]
    choices = [*years, *quarters, *months]
    if current not in choices:
        choices.insert(0, current)
    return [(p.code, p.label(lang())) for p in choices]


def _page(request: HttpRequest, template: str, context: dict, window: selectors.Window):
    policy = selectors.scoring_policy()
    base = {
        "period": window.period,
        "period_label": window.period.label(lang()),
        "periods": _period_choices(clock.now(), window.period),
        "window": window,
        "defs": definitions(policy),
        "policy": policy,
        "query": request.GET.urlencode(),
    }
    return render(request, template, base | context)


def _bad_period(request: HttpRequest, error: BadPeriod) -> HttpResponse:
    return render(request, "dashboards/bad_period.html", {"error": error.message}, status=400)


def _export(name: str, title: str, sheet, window: selectors.Window) -> HttpResponse:
    columns, rows = sheet
    policy = selectors.scoring_policy()
    notes = [(d["title"], d["definition"]) for d in definitions(policy).values()]
    return xlsx_response(
        f"{name}-{window.period.code}",
        title=title,
        columns=columns,
        rows=rows,
        definitions=notes,
        caption=f"{title} — {window.period.label(lang())}",
    )


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    try:
        window = _window(request)
    except BadPeriod as e:
        return _bad_period(request, e)
    scope = unit_scope(request.user)
    rules = selectors.findings_by_rule(window, scope=scope, lang=lang())
    trend = selectors.monthly_trend(window, scope=scope)
    wanted = request.GET.get("xuat")
    if wanted == "quy-tac":
        return _export("phat-hien-theo-quy-tac", _("Phát hiện theo quy tắc"),
                       tables.rules_sheet(rules), window)  # fmt: skip
    if wanted == "xu-huong":
        return _export("xu-huong-theo-thang", _("Xu hướng theo tháng"),
                       tables.trend_sheet(trend), window)  # fmt: skip
    total = selectors.total_tally(window, scope=scope)
    return _page(
        request,
        "dashboards/overview.html",
        {
            "total": score_unit(total, selectors.scoring_policy()),
            "overdue_now": selectors.overdue_now(scope=scope).count(),
            "rules": rules,
            "trend": trend,
        },
        window,
    )


@login_required
@require_GET
def league_view(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    try:
        window = _window(request)
    except BadPeriod as e:
        return _bad_period(request, e)
    block = request.GET.get("khoi", "")
    if block not in selectors.BLOCKS:
        block = ""
    table = selectors.league(window, scope=unit_scope(request.user), block=block or None)
    sort = request.GET.get("sap-xep", "rank")
    if sort not in SORTS:
        sort = "rank"
    descending = request.GET.get("chieu", "giam" if SORTS[sort] else "tang") == "giam"
    table = selectors.League(
        rows=sort_rows(table.rows, sort, descending), names=table.names, policy=table.policy
    )
    if request.GET.get("xuat") == "xep-hang":
        return _export("bang-xep-hang", _("Bảng xếp hạng đơn vị"),
                       tables.league_sheet(table), window)  # fmt: skip
    params = request.GET.copy()
    params.pop("xuat", None)
    headers = {}
    for column, best_first in SORTS.items():
        p = params.copy()
        p["sap-xep"] = column
        flip = descending if column == sort else not best_first
        p["chieu"] = "tang" if flip else "giam"
        headers[column] = {
            "url": "?" + p.urlencode(),
            "active": column == sort,
            "descending": descending if column == sort else None,
        }
    return _page(
        request,
        "dashboards/league.html",
        {
            "table": table,
            "rows": [(r, table.names.get(r.unit, r.unit)) for r in table.rows],
            "block": block,
            "blocks": [
                ("", _("Tất cả đơn vị")),
                ("so-nganh", _("Khối sở, ban, ngành")),
                ("xa-phuong", _("Khối xã, phường, đặc khu")),
            ],
            "headers": headers,
            "sort": sort,
        },
        window,
    )


@login_required
@require_GET
def unit_view(request: HttpRequest, code: str) -> HttpResponse:
    _allowed(request)
    unit = dashboard_unit(request.user, code)
    if unit is None:
        raise Http404
    try:
        window = _window(request)
    except BadPeriod as e:
        return _bad_period(request, e)
    scope = unit_scope(request.user)
    statuses = selectors.items_by_status(window, scope=scope, unit=unit.code)
    rules = selectors.findings_by_rule(window, scope=scope, lang=lang(), unit=unit.code)
    queues = selectors.official_queues(unit.code)
    trend = selectors.monthly_trend(window, scope=scope, unit=unit.code)
    wanted = request.GET.get("xuat")
    sheets = {
        "trang-thai": (_("Hồ sơ theo trạng thái"), lambda: tables.status_sheet(statuses)),
        "phat-hien": (_("Phát hiện theo quy tắc"), lambda: tables.rules_sheet(rules)),
        "can-bo": (_("Hồ sơ đang giữ theo cán bộ"), lambda: tables.queues_sheet(queues)),
        "xu-huong": (_("Xu hướng theo tháng"), lambda: tables.trend_sheet(trend)),
    }
    if wanted in sheets:
        title, build = sheets[wanted]
        return _export(f"{unit.code}-{wanted}", title, build(), window)
    return _page(
        request,
        "dashboards/unit.html",
        {
            "unit": unit,
            "row": selectors.unit_row(window, unit, scope=scope),
            "overdue_now": selectors.overdue_now(scope=scope, unit=unit.code).count(),
            "statuses": statuses,
            "rules": rules,
            "queues": queues,
            "trend": trend,
        },
        window,
    )


@login_required
@require_GET
def official_view(request: HttpRequest, code: str) -> HttpResponse:
    _allowed(request)
    official = dashboard_official(request.user, code)
    if official is None:
        raise Http404
    try:
        window = _window(request)
    except BadPeriod as e:
        return _bad_period(request, e)
    scope = unit_scope(request.user)
    rules = selectors.findings_by_rule(window, scope=scope, lang=lang(), official=official.code)
    items = list(selectors.official_open_items(official.code, scope=scope))
    names = selectors.unit_names({i.unit for i in items})
    wanted = request.GET.get("xuat")
    if wanted == "phat-hien":
        return _export(f"{official.code}-phat-hien", _("Phát hiện theo quy tắc"),
                       tables.rules_sheet(rules), window)  # fmt: skip
    if wanted == "ho-so":
        return _export(f"{official.code}-ho-so", _("Hồ sơ đang giữ"),
                       tables.items_sheet(items, names), window)  # fmt: skip
    now = clock.now()
    return _page(
        request,
        "dashboards/official.html",
        {
            "official": official,
            "positions": Position.objects.current()
            .filter(official=official)
            .select_related("unit"),
            "row": selectors.official_row(window, official.code, scope=scope),
            "rules": rules,
            "items": [
                (i, names.get(i.unit, i.unit), i.due < now if i.status == "open" else i.late)
                for i in items
            ],
            "now": now,
        },
        window,
    )
