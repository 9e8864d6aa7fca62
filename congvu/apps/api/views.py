"""REST API v1 (django-ninja). OpenAPI schema at /api/openapi.json, docs at /api/docs.

The organisation endpoints use the web session and the same scopes as the pages
(organisations.permissions); the calendar endpoints are public, as the calendar is.
"""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.security import django_auth

from congvu.apps.api.schemas import (
    CalendarDayOut,
    CalendarYearOut,
    DeadlineIn,
    DeadlineOut,
    ErrorOut,
    OfficialOut,
    PositionOut,
    UnitOut,
)
from congvu.apps.calendars.selectors import calendar_build
from congvu.apps.organisations import permissions, selectors
from congvu.apps.organisations.models import Unit
from congvu.domain.calendar import add_working_days, add_working_hours, explain, year_summary
from congvu.domain.errors import DomainError

api = NinjaAPI(
    title="CôngVụ API",
    version="1",
    description="Tổ chức, lịch làm việc và hạn xử lý (organisation, working calendar, deadlines).",
    urls_namespace="api",
)


from congvu.apps.api.events import router as events_router  # noqa: E402

api.add_router("", events_router)


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(
        request, {"code": exc.code, "message": exc.message(_lang())}, status=400
    )


def _unit_out(unit: Unit, calendar: str) -> UnitOut:
    return UnitOut(
        code=unit.code,
        name=unit.name,
        level=unit.level,
        level_name=str(unit.get_level_display()),
        parent=unit.parent.code if unit.parent_id else None,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        calendar=calendar,
    )


@api.get("/v1/units", response=list[UnitOut], auth=django_auth, tags=["Tổ chức"])
def unit_list(request: HttpRequest):
    """Every unit the user may see, parents before children."""
    units = list(permissions.visible_units(request.user).select_related("parent"))
    calendars = selectors.unit_calendar_codes(units)
    return [_unit_out(u, calendars[u.pk]) for u in units]


@api.get(
    "/v1/units/{code}",
    response={200: UnitOut, 404: ErrorOut},
    auth=django_auth,
    tags=["Tổ chức"],
)
def unit_get(request: HttpRequest, code: str):
    unit = (
        permissions.visible_units(request.user).select_related("parent").filter(code=code).first()
    )
    if unit is None:
        return 404, ErrorOut(code="not_found", message=_("Không tìm thấy đơn vị."))
    return 200, _unit_out(unit, selectors.unit_calendar_code(unit))


@api.get(
    "/v1/officials/{code}",
    response={200: OfficialOut, 404: ErrorOut},
    auth=django_auth,
    tags=["Tổ chức"],
)
def official_get(request: HttpRequest, code: str):
    official = permissions.visible_officials(request.user).filter(code=code).first()
    if official is None:
        return 404, ErrorOut(code="not_found", message=_("Không tìm thấy cán bộ."))
    positions = [
        PositionOut(
            unit=p.unit.code,
            unit_name=p.unit.name,
            title=p.title,
            role=p.role,
            start_on=p.start_on,
            end_on=p.end_on,
        )
        for p in selectors.official_positions(official)
    ]
    return 200, OfficialOut(code=official.code, full_name=official.full_name, positions=positions)


@api.post("/v1/calendar/deadline", response={200: DeadlineOut, 400: ErrorOut}, tags=["Lịch"])
def deadline(request: HttpRequest, payload: DeadlineIn):
    """The due moment after N working days or H working hours, with its explanation."""
    if (payload.working_days is None) == (payload.working_hours is None):
        return 400, ErrorOut(
            code="amount_required",
            message=_("Cần đúng một trong hai: working_days hoặc working_hours."),
        )
    calendar = calendar_build(payload.calendar)
    if payload.working_days is not None:
        due = add_working_days(calendar, payload.start, payload.working_days)
        why = explain(calendar, payload.start, payload.working_days, unit="days")
    else:
        due = add_working_hours(calendar, payload.start, payload.working_hours)
        why = explain(calendar, payload.start, payload.working_hours, unit="hours")
    return 200, DeadlineOut(
        calendar=calendar.code, start=payload.start, due=due, explanation=why.lines(_lang())
    )


@api.get("/v1/calendar/{year}", response={200: CalendarYearOut, 400: ErrorOut}, tags=["Lịch"])
def calendar_year(request: HttpRequest, year: int, calendar: str = Query("VN")):
    """Every non-working weekday and working weekend day of a year, with names and sources."""
    summary = year_summary(calendar_build(calendar), year)
    exceptions = [CalendarDayOut(**asdict(e)) for e in summary.exceptions]
    return 200, CalendarYearOut(
        calendar=summary.calendar,
        year=year,
        working_days=summary.working_days,
        exceptions=exceptions,
    )
