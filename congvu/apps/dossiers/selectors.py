"""Reads for the dossier screens and forms: one dossier with everything its page, its forms
and its citizen lookup show, folded at the ledger's clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from congvu.apps.dossiers.models import Applicant
from congvu.apps.ledger import clock
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.records import item_events
from congvu.apps.organisations.models import Official, Unit
from congvu.domain.calendar import WorkCalendar
from congvu.domain.ledger import Event, ItemState
from congvu.domain.procedures import Procedure


@dataclass
class DossierView:
    """A dossier as its page shows it. ``state`` is the fold at ``now`` (or at the last event
    if that is later), so time left and overdue are current."""

    item: Item
    events: list[Event]
    state: ItemState
    calendar: WorkCalendar
    procedure: Procedure | None
    applicant: Applicant | None
    now: dt.datetime
    unit_names: dict[str, str] = field(default_factory=dict)
    official_names: dict[str, str] = field(default_factory=dict)

    def unit_name(self, code: str | None) -> str:
        return self.unit_names.get(code or "", code or "")

    def official_name(self, code: str | None) -> str:
        return self.official_names.get(code or "", code or "")

    @property
    def procedure_name(self) -> str:
        return self.procedure.name if self.procedure else self.item.procedure


def dossier_view(item: Item, *, now: dt.datetime | None = None) -> DossierView:
    """Everything about one dossier in a fixed number of queries (events, applicant, the
    names of the units and officials its events mention, calendar, procedure)."""
    now = now or clock.now()
    events = item_events(item)
    ctx = FoldContext()
    state = ctx.fold(events, as_of=now)
    units = {e.unit for e in events} | {
        str(e.data[k]) for e in events for k in ("to_unit", "from_unit") if k in e.data
    }
    officials = {e.actor for e in events if e.actor} | {
        str(e.data["official"]) for e in events if "official" in e.data
    }
    return DossierView(
        item=item,
        events=events,
        state=state,
        calendar=ctx.calendar(events[0].unit),
        procedure=ctx.procedure(item.procedure),
        applicant=Applicant.objects.filter(item=item).first(),
        now=now,
        unit_names=dict(Unit.objects.filter(code__in=units).values_list("code", "name")),
        official_names=dict(
            Official.objects.filter(code__in=officials).values_list("code", "full_name")
        ),
    )
