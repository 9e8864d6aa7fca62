"""Who may see what in the organisation: the one place that decides it.

An official sees the subtrees of the units where they hold a current post. Province leaders,
supervisors, administrators and anyone posted in a unit that oversees the province (the
Department of Home Affairs) see everything. A user who is not an official sees nothing
internal. Views fetch through ``visible_units`` so a changed URL gives 404, never data.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from congvu.apps.organisations.models import Official, Position, Role, Unit
from congvu.apps.organisations.selectors import unit_subtree

PROVINCE_WIDE_ROLES = {Role.PROVINCE_LEADER, Role.SUPERVISOR, Role.ADMIN}


def current_positions(user: User | AnonymousUser) -> list[Position]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_congvu_positions", None)
    if cached is None:
        cached = list(Position.objects.current().filter(official__user=user).select_related("unit"))
        user._congvu_positions = cached  # type: ignore[union-attr]
    return cached


def sees_whole_province(user: User | AnonymousUser) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return any(
        p.role in PROVINCE_WIDE_ROLES or p.unit.oversees_province for p in current_positions(user)
    )


def visible_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    if sees_whole_province(user):
        return Unit.objects.all()
    positions = current_positions(user)
    if not positions:
        return Unit.objects.none()
    return Unit.objects.filter(unit_subtree(p.unit for p in positions))


def visible_officials(user: User | AnonymousUser) -> QuerySet[Official]:
    if sees_whole_province(user):
        return Official.objects.all()
    return Official.objects.filter(positions__unit__in=visible_units(user)).distinct()
