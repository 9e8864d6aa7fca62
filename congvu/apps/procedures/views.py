"""The public catalog (no login): search and filter, and one page per procedure."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from congvu.apps.procedures import selectors
from congvu.apps.procedures.models import Procedure


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    level = request.GET.get("cap", "")
    level = level if level in Procedure.Level.values else ""
    field = request.GET.get("linh_vuc", "").strip()[:200]
    procedures = selectors.procedure_list(query=query, level=level, field=field)
    page = Paginator(procedures, selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    filters = request.GET.copy()
    filters.pop("trang", None)
    return render(
        request,
        "procedures/catalog.html",
        {
            "page": page,
            "query": query,
            "level": level,
            "field": field,
            "levels": Procedure.Level.choices,
            "fields": selectors.procedure_fields(),
            "filters": filters.urlencode(),
        },
    )


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_detail(code)
    if procedure is None:
        raise Http404
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "related_units": selectors.procedure_related_units(procedure),
        },
    )
