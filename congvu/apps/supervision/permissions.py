"""Who may see findings, justify them and review justifications: the one place that decides.

* See: whoever sees (``visible_units``) the unit responsible for the finding, or the unit
  that received or holds its item; province-wide roles and Home Affairs see all.
* Justify: the head (``unit_head``; a province leader for the whole province) of the
  responsible unit or of a unit above it — the head answers for the unit (Decision
  2090/QĐ-UBND Đà Nẵng: "trách nhiệm người đứng đầu").
* Review: supervisors, province leaders, administrators and the officials of a unit that
  oversees the province (Sở Nội vụ) — never the head who justified it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from congvu.apps.organisations.models import Role, Unit
from congvu.apps.organisations.permissions import (
    current_positions,
    sees_whole_province,
    visible_units,
)
from congvu.apps.supervision.models import Finding

HEAD_ROLES = {Role.UNIT_HEAD, Role.PROVINCE_LEADER}
REVIEWER_ROLES = {Role.SUPERVISOR, Role.PROVINCE_LEADER, Role.ADMIN}


def findings_visible(user: User | AnonymousUser) -> QuerySet[Finding]:
    findings = Finding.objects.all()
    if sees_whole_province(user):
        return findings
    codes = visible_units(user).values("code")
    return findings.filter(Q(unit__in=codes) | Q(item__unit__in=codes) | Q(item__agency__in=codes))


def can_justify(user: User | AnonymousUser, finding: Finding) -> bool:
    heads = [p.unit for p in current_positions(user) if p.role in HEAD_ROLES]
    if not heads:
        return False
    unit = Unit.objects.filter(code=finding.unit).only("path").first()
    return unit is not None and any(unit.path.startswith(h.path) for h in heads)


def can_review(user: User | AnonymousUser, finding: Finding) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    last = finding.justifications.order_by("-submitted_at").first()
    if last is not None and last.submitted_by_id == user.pk:
        return False  # nobody reviews their own justification
    return any(
        p.role in REVIEWER_ROLES or p.unit.oversees_province for p in current_positions(user)
    )


def can_list_findings(user: User | AnonymousUser) -> bool:
    """The findings screens are for officials who see at least one unit."""
    return user.is_authenticated and (sees_whole_province(user) or visible_units(user).exists())
