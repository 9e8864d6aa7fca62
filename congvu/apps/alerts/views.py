"""The notifications page ("Thông báo") and marking notices read (htmx or a plain form).
Thin: reads through permissions, writes through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from congvu.apps.alerts.permissions import notifications_of, unread_count
from congvu.apps.alerts.services import notification_mark_read, notifications_mark_all_read

PAGE = 30


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("chua-doc") == "1"
    notices = notifications_of(request.user).select_related("item")
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices.order_by("-created_at", "-pk"), PAGE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "alerts/list.html",
        {"page": page, "unread_only": unread_only, "unread": unread_count(request.user)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(notification=notice, actor=request.user)
    if request.htmx:
        return render(
            request,
            "alerts/_row_read.html",
            {"n": notice, "unread": unread_count(request.user)},
        )
    return redirect("alerts:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(actor=request.user)
    return redirect("alerts:list")
