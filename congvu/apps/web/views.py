"""Server-rendered pages. Views parse input and render; what may be seen is decided in
organisations.permissions, what is read comes from selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from congvu.apps.calendars.models import Calendar
from congvu.apps.calendars.selectors import calendar_build
from congvu.apps.organisations import permissions, selectors
from congvu.apps.web.calendar_view import year_grid
from congvu.domain.calendar.errors import CalendarRangeError
from congvu.domain.errors import DomainError


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    positions = permissions.current_positions(request.user)
    return render(
        request,
        "web/home.html",
        {
            "positions": positions,
            "sees_all": permissions.sees_whole_province(request.user),
            "roots": selectors.unit_children(
                parent=None, visible=permissions.visible_units(request.user)
            ),
        },
    )


@login_required
@require_GET
def unit_tree(request: HttpRequest) -> HttpResponse:
    visible = permissions.visible_units(request.user)
    return render(
        request,
        "web/unit_tree.html",
        {"nodes": selectors.unit_children(parent=None, visible=visible)},
    )


@login_required
@require_GET
def unit_children_partial(request: HttpRequest, code: str) -> HttpResponse:
    visible = permissions.visible_units(request.user)
    unit = get_object_or_404(visible, code=code)
    return render(
        request,
        "web/_unit_nodes.html",
        {"nodes": selectors.unit_children(parent=unit, visible=visible)},
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    visible = permissions.visible_units(request.user)
    unit = get_object_or_404(visible.select_related("parent", "calendar"), code=code)
    predecessors, successors = selectors.unit_lineage(unit)
    return render(
        request,
        "web/unit_detail.html",
        {
            "unit": unit,
            "ancestors": selectors.unit_ancestors(unit, within=visible),
            "children": selectors.unit_children(parent=unit, visible=visible),
            "staff": selectors.unit_current_staff(unit),
            "calendar_code": selectors.unit_calendar_code(unit),
            "predecessors": predecessors,
            "successors": successors,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def official_detail(request: HttpRequest, code: str) -> HttpResponse:
    official = get_object_or_404(permissions.visible_officials(request.user), code=code)
    return render(
        request,
        "web/official_detail.html",
        {
            "official": official,
            "positions": selectors.official_positions(official),
            "today": timezone.localdate(),
        },
    )


@require_GET
def calendar_year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    year = year or timezone.localdate().year
    code = request.GET.get("lich") or settings.CONGVU_DEFAULT_CALENDAR
    try:
        calendar = calendar_build(code)
        grid = year_grid(calendar, year)
    except CalendarRangeError as exc:
        return render(
            request,
            "web/calendar_year.html",
            {"year": year, "code": code, "error": exc.message(request.LANGUAGE_CODE)},
            status=404,
        )
    except DomainError as exc:
        raise Http404(exc.message(request.LANGUAGE_CODE)) from exc
    return render(
        request,
        "web/calendar_year.html",
        {
            "year": year,
            "code": code,
            "calendar": calendar,
            "grid": grid,
            "calendars": Calendar.objects.order_by("code").values_list("code", "name"),
        },
    )
