"""Who may see the dashboards and over which units: the one place that decides it.

The figures are read over the units the user sees (``organisations.permissions``): province
leaders, supervisors and Home Affairs see the whole province; a unit's officials see their
unit's subtree. A user who sees no unit (a citizen, an account without a post) gets 404 on
every dashboard — the public league table belongs to the portal, not here.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from congvu.apps.organisations.models import Official, Unit
from congvu.apps.organisations.permissions import (
    sees_whole_province,
    visible_officials,
    visible_units,
)


def can_view_dashboards(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (sees_whole_province(user) or visible_units(user).exists())


def unit_scope(user: User | AnonymousUser) -> QuerySet[Unit] | None:
    """The units whose figures the user may read, or ``None`` for the whole province (no
    filter: items and findings may name units not yet imported)."""
    if sees_whole_province(user):
        return None
    return visible_units(user)


def dashboard_unit(user: User | AnonymousUser, code: str) -> Unit | None:
    return visible_units(user).filter(code=code).first()


def dashboard_official(user: User | AnonymousUser, code: str) -> Official | None:
    return visible_officials(user).filter(code=code).first()
