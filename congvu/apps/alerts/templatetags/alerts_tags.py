"""The unread count of the top navigation (one query per page, signed-in users only)."""

from __future__ import annotations

from django import template

from congvu.apps.alerts.permissions import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
