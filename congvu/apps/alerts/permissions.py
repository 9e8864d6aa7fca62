"""Who may see which notices: the one place that decides it.

A notice is read only by its recipient: the official whose account the user is. Nobody else
sees it — not a head, not a supervisor, not an administrator through the page (the admin site
is for operators). Views fetch through :func:`notifications_of`, so another user's notice is
a 404, never its content.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from congvu.apps.alerts.models import Notification


def notifications_of(user: User | AnonymousUser) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(official__user=user)


def can_read(user: User | AnonymousUser, notification: Notification) -> bool:
    return notifications_of(user).filter(pk=notification.pk).exists()


def unread_count(user: User | AnonymousUser) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()
