"""Reads of the organisation: subtrees, lineage, an official's posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from congvu.apps.organisations.models import Official, Position, Unit, UnitLineage

# Units are listed in the order of Unit.Level: departments before centres before communes.
LEVEL_RANK = Case(
    *(When(level=value, then=Value(rank)) for rank, value in enumerate(Unit.Level.values)),
    default=Value(len(Unit.Level.values)),
    output_field=IntegerField(),
)


def unit_subtree(units: Iterable[Unit]) -> Q:
    """A filter matching every unit in the subtrees of ``units`` (themselves included)."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(path__startswith=unit.path)
    return condition


def unit_children(*, parent: Unit | None, visible: QuerySet[Unit]) -> QuerySet[Unit]:
    """The visible children of ``parent`` (roots of the visible forest when ``parent`` is None),
    each annotated with ``child_count`` so the tree can show an expander without a query per row."""
    # without a parent: the roots of what the user may see (visible units, parent not visible)
    qs = visible.exclude(parent__in=visible) if parent is None else visible.filter(parent=parent)
    return qs.annotate(
        child_count=Count("children", distinct=True), level_rank=LEVEL_RANK
    ).order_by("level_rank", "name")


def unit_ancestors(unit: Unit, *, within: QuerySet[Unit] | None = None) -> list[Unit]:
    """The unit's ancestors, root first (only those in ``within`` when given)."""
    ids = _path_ids(unit)
    by_id = (Unit.objects if within is None else within).in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id and i != unit.pk]


def unit_lineage(unit: Unit) -> tuple[list[UnitLineage], list[UnitLineage]]:
    """(edges from predecessors into this unit, edges from this unit to successors)."""
    related = UnitLineage.objects.select_related("predecessor", "successor")
    return list(related.filter(successor=unit)), list(related.filter(predecessor=unit))


def unit_successor_map(day: dt.date | None = None) -> dict[str, str]:
    """old unit code → the code of the unit that carries its history now (transitively), so
    reports can roll history of merged units up to their successors."""
    edges = UnitLineage.objects.values_list("predecessor__code", "successor__code", "effective_on")
    direct = {old: new for old, new, on in edges if day is None or on <= day}
    result: dict[str, str] = {}
    for old in direct:
        seen = {old}
        current = direct[old]
        while current in direct and current not in seen:
            seen.add(current)
            current = direct[current]
        result[old] = current
    return result


def _path_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def unit_calendar_codes(units: Iterable[Unit]) -> dict[int, str]:
    """unit pk → the code of the calendar it works on: its own, else the nearest ancestor's,
    else the configured default (CONGVU_DEFAULT_CALENDAR). One query for any number of units.
    Building that calendar fails loudly (UnknownCalendarError) when the code does not exist —
    never a unit with no calendar."""
    units = list(units)
    ids = {pk for unit in units for pk in _path_ids(unit)}
    own = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "calendar__code"))
    result = {}
    for unit in units:
        chain = (own.get(pk) for pk in reversed(_path_ids(unit)))
        result[unit.pk] = next((code for code in chain if code), settings.CONGVU_DEFAULT_CALENDAR)
    return result


def unit_calendar_code(unit: Unit) -> str:
    return unit_calendar_codes([unit])[unit.pk]


def unit_current_staff(unit: Unit, day: dt.date | None = None) -> QuerySet[Position]:
    return Position.objects.current(day).filter(unit=unit).select_related("official")


def official_positions(official: Official) -> QuerySet[Position]:
    return official.positions.select_related("unit").order_by("-start_on")
