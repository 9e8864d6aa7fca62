"""Who may see and act on which dossiers: built on the organisation's scopes.

A dossier is visible to whoever sees (organisations.permissions.visible_units) the unit
that received it or the unit that holds it now. Acting needs an official's post; the apology
(a head's signature on the form) needs a head's post over the holding unit.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from congvu.apps.ledger.models import Item
from congvu.apps.organisations.models import Official, Role, Unit
from congvu.apps.organisations.permissions import (
    current_positions,
    sees_whole_province,
    visible_units,
)

HEAD_ROLES = {Role.UNIT_HEAD, Role.PROVINCE_LEADER}


def dossiers_visible(user: User | AnonymousUser) -> QuerySet[Item]:
    items = Item.objects.filter(kind="dossier")
    if sees_whole_province(user):
        return items
    codes = visible_units(user).values("code")
    return items.filter(Q(unit__in=codes) | Q(agency__in=codes))


def official_of(user: User | AnonymousUser) -> Official | None:
    if not user.is_authenticated:
        return None
    return Official.objects.filter(user=user).first()


def receiving_units(user: User | AnonymousUser) -> list[Unit]:
    """The units at whose counter the user receives dossiers (one-stop posts)."""
    return [p.unit for p in current_positions(user) if p.role == Role.ONE_STOP]


def is_head_over(user: User | AnonymousUser, unit_code: str) -> bool:
    heads = [p.unit for p in current_positions(user) if p.role in HEAD_ROLES]
    if not heads:
        return False
    unit = Unit.objects.filter(code=unit_code).only("path").first()
    return unit is not None and any(unit.path.startswith(h.path) for h in heads)
