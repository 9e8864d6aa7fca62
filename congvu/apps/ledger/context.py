"""What the fold needs besides the events: the unit's working calendar and the procedure.

Both are read from the database once per ingestion run (or page) and kept for its length: a
batch touches a handful of units. ``calendar_build`` reads a calendar's few hundred rows each
time but builds the calendar (and the fold its clock) only when they changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings

from congvu.apps.calendars.selectors import calendar_build
from congvu.apps.ledger.errors import UnknownProcedureError
from congvu.apps.ledger.models import Item
from congvu.apps.organisations.models import Unit
from congvu.apps.organisations.selectors import unit_calendar_codes
from congvu.domain.calendar import WorkCalendar
from congvu.domain.ledger import Event, ItemState, ItemSummary, fold, fold_summary
from congvu.domain.procedures import Procedure


class FoldContext:
    """Calendars by unit code and procedures by code, loaded on demand and kept."""

    def __init__(self) -> None:
        self._unit_calendar: dict[str, str] = {}
        self._calendars: dict[str, WorkCalendar] = {}
        self._procedures: dict[str, Procedure | None] = {}

    def prepare(self, *, units: Iterable[str] = (), procedures: Iterable[str] = ()) -> None:
        """Load what a batch will need in a few queries instead of one per item."""
        missing_units = {u for u in units if u not in self._unit_calendar}
        if missing_units:
            found = list(Unit.objects.filter(code__in=missing_units).only("pk", "code", "path"))
            codes = unit_calendar_codes(found)
            for unit in found:
                self._unit_calendar[unit.code] = codes[unit.pk]
            # A unit the province has not imported yet (an external system may name it first)
            # works on the default calendar, like a unit without a calendar of its own.
            for code in missing_units - {u.code for u in found}:
                self._unit_calendar[code] = settings.CONGVU_DEFAULT_CALENDAR
        missing_procedures = {p for p in procedures if p and p not in self._procedures}
        if missing_procedures:
            from congvu.apps.procedures.selectors import procedure_catalog

            catalog = procedure_catalog(missing_procedures)
            for code in missing_procedures:
                self._procedures[code] = catalog.get(code)

    def prepare_items(self, items: Iterable[Item]) -> None:
        """:meth:`prepare` for stored items: their receiving units (``agency``, the opening
        event's unit) and procedures."""
        items = list(items)
        self.prepare(
            units={i.agency for i in items}, procedures={i.procedure for i in items if i.procedure}
        )

    def calendar(self, unit: str) -> WorkCalendar:
        code = self._unit_calendar.get(unit)
        if code is None:
            self.prepare(units=[unit])
            code = self._unit_calendar[unit]
        calendar = self._calendars.get(code)
        if calendar is None:
            calendar = self._calendars[code] = calendar_build(code)
        return calendar

    def procedure(self, code: str | None) -> Procedure | None:
        if not code:
            return None
        if code not in self._procedures:
            self.prepare(procedures=[code])
        return self._procedures[code]

    def fold(self, events: Sequence[Event], as_of: dt.datetime | None = None) -> ItemState:
        """The item's state at ``as_of`` (default: its last event) on the receiving unit's
        calendar, under its procedure. An unknown procedure is refused rather than folded
        without a time limit."""
        return fold(events, **self._fold_arguments(events, as_of))

    def fold_summary(self, events: Sequence[Event]) -> ItemSummary:
        """``fold(events).summary()`` at the last event, computing only the summary."""
        return fold_summary(events, **self._fold_arguments(events, None))

    def _fold_arguments(self, events: Sequence[Event], as_of: dt.datetime | None) -> dict[str, Any]:
        opening = events[0]
        code = opening.data.get("procedure")
        procedure = self.procedure(str(code)) if code else None
        if code and procedure is None:
            raise UnknownProcedureError(item=opening.item, procedure=code)
        last = max(e.at for e in events)
        return {
            "calendar": self.calendar(opening.unit),
            "procedure": procedure,
            "as_of": last if as_of is None or as_of < last else as_of,
        }
