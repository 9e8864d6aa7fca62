"""Writes to the organisation: the only code that sets ``Unit.path`` and ``Unit.depth``."""

from __future__ import annotations

from django.db import transaction

from congvu.apps.organisations.models import Unit

PATH_STEP = 9  # "%08d/" per ancestor


def _path_for(unit: Unit) -> str:
    prefix = unit.parent.path if unit.parent_id else ""
    return f"{prefix}{unit.pk:08d}/"


@transaction.atomic
def unit_save(*, unit: Unit) -> Unit:
    """Create or update a unit, keeping the materialised path of its whole subtree right.

    Refuses a parent that lies inside the unit's own subtree (a cycle)."""
    old_path = unit.path if unit.pk else None
    if unit.parent_id and unit.pk:
        parent = Unit.objects.only("path").get(pk=unit.parent_id)
        if old_path and parent.path.startswith(old_path):
            raise ValueError("cycle")
    if not unit.pk:
        unit.path = ""
        unit.save()
    if unit.parent_id:
        unit.parent = Unit.objects.get(pk=unit.parent_id)
    unit.path = _path_for(unit)
    unit.depth = unit.path.count("/") - 1
    unit.save()
    if old_path and old_path != unit.path:
        _rebase_subtree(old_path, unit.path)
    return unit


def _rebase_subtree(old_path: str, new_path: str) -> None:
    descendants = list(Unit.objects.filter(path__startswith=old_path).exclude(path=old_path))
    for child in descendants:
        child.path = new_path + child.path[len(old_path) :]
        child.depth = child.path.count("/") - 1
    Unit.objects.bulk_update(descendants, ["path", "depth"], batch_size=500)
