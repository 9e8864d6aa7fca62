"""Checking items: one item's history → its findings; a stream of events → findings per item.

Findings depend only on the events and ``now``: the same history checked at the same moment
gives the same findings, in the same order (``at``, ``rule``, ``key``). A rule that fires by
the passing of time alone (``OVERDUE``, ``IDLE``, a missing apology, a late acceptance …)
fires only once ``now`` is *past* its moment — at the moment itself nothing is late yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from congvu.domain.calendar import WorkCalendar
from congvu.domain.calendar.ops import to_local
from congvu.domain.errors import DomainError
from congvu.domain.ledger.events import Event
from congvu.domain.ledger.fold import fold_with_moments
from congvu.domain.ledger.rulesets import RULESETS, ruleset_for
from congvu.domain.ledger.state import ItemState
from congvu.domain.procedures.catalog import Procedure
from congvu.domain.supervision.catalogue import RuleCatalogue
from congvu.domain.supervision.context import CheckContext, ParentsOf
from congvu.domain.supervision.errors import ConflictingEventError, UnknownProcedureError
from congvu.domain.supervision.findings import Finding
from congvu.domain.supervision.rules import RULES
from congvu.domain.supervision.thresholds import (
    DEFAULT_CONFIG,
    DEFAULT_THRESHOLDS,
    ThresholdConfig,
    Thresholds,
)

__all__ = [
    "CalendarFor",
    "ItemError",
    "check_group",
    "check_item",
    "check_stream",
    "order_events",
]

_RULESETS_BY_CODE = {rs.code: rs for rs in RULESETS}


class CalendarFor(Protocol):
    """unit code → the unit's working calendar (may raise a :class:`DomainError`)."""

    def __call__(self, unit: str, /) -> WorkCalendar: ...


@dataclass(frozen=True, slots=True)
class ItemError:
    """An item that could not be checked, and why (a :class:`DomainError`: events out of
    order or with a gap, an unknown procedure, a moment outside the calendar …). Reported
    beside the findings; the other items are checked regardless."""

    source: str
    item: str
    kind: str
    error: DomainError

    def message(self, lang: str = "vi") -> str:
        """The error's message in ``lang``."""
        return self.error.message(lang)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready: ``source``, ``item``, ``kind`` and the error's code, message, params."""
        return {"source": self.source, "item": self.item, "kind": self.kind} | (
            self.error.as_dict(lang)
        )


def check_item(
    events: Sequence[Event],
    *,
    calendar: WorkCalendar,
    procedure: Procedure | None,
    now: datetime,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    state: ItemState | None = None,
    rules: RuleCatalogue = RULES,
    parents: ParentsOf | None = None,
) -> list[Finding]:
    """The findings of one item at ``now``, sorted by (``at``, ``rule``, ``key``).

    ``events``: the item's complete history in ``seq`` order (as for
    :func:`~congvu.domain.ledger.fold.fold`; see :func:`order_events`). ``calendar`` and
    ``procedure``: as for the fold (``procedure`` is the catalog entry named by the dossier's
    ``received`` event, ``None`` for other kinds). ``now``: aware. ``thresholds``: the
    procedure's (:meth:`ThresholdConfig.thresholds_for`); their rule-set overrides are applied
    to the rule set in force at receipt, and the fold is done with that rule set. ``state``:
    the item already folded at ``now`` with that rule set (a server that has it saves the
    fold); it is not re-checked. ``rules``: the catalogue to apply (only the rules for the
    item's kind run). ``parents``: the organisation tree, for consultations within a unit's
    own hierarchy.

    Raises what the fold raises (:class:`~congvu.domain.ledger.EventOrderError`,
    :class:`~congvu.domain.ledger.MissingTimeLimitError`,
    :class:`~congvu.domain.ledger.ProcedureMismatchError`, calendar errors) and
    :class:`~congvu.domain.errors.NaiveMomentError` for a naive ``now``.
    """
    now = to_local(now)
    if state is None:
        # an empty history is refused by the fold below; any rule set does until then
        base = ruleset_for(events[0].at) if events else RULESETS[-1]
    else:
        base = _RULESETS_BY_CODE.get(state.ruleset) or ruleset_for(state.received_at)
    ruleset = thresholds.ruleset(base)
    moments: list[datetime] | None = None
    if state is None:
        state, moments = fold_with_moments(
            events,
            calendar=calendar,
            procedure=procedure,
            as_of=now,
            ruleset=None if ruleset is base else ruleset,
        )
    ctx = CheckContext(
        events=events,
        state=state,
        calendar=calendar,
        procedure=procedure,
        now=now,
        thresholds=thresholds,
        ruleset=ruleset,
        parents=parents,
        moments=moments,
    )
    found = [f for rule in rules.for_kind(state.kind) for f in rule.check(ctx)]
    found.sort(key=Finding.sort_key)
    return found


def _seq(e: Event) -> int:
    return e.seq


def order_events(events: Iterable[Event]) -> list[Event]:
    """One item's events in ``seq`` order, identical repeats dropped (a harmless re-send).

    Raises :class:`ConflictingEventError` when one ``seq`` comes with two different contents.
    Gaps are left for the fold to report.
    """
    out = list(events)
    if any(out[i].seq >= out[i + 1].seq for i in range(len(out) - 1)):
        out.sort(key=_seq)
        kept: list[Event] = []
        for e in out:
            if kept and kept[-1].seq == e.seq:
                if kept[-1] != e:
                    raise ConflictingEventError(item=e.item, seq=e.seq)
                continue
            kept.append(e)
        out = kept
    return out


def check_group(
    events: Iterable[Event],
    *,
    catalog: Mapping[str, Procedure],
    calendar_for: CalendarFor,
    now: datetime,
    thresholds: ThresholdConfig = DEFAULT_CONFIG,
    rules: RuleCatalogue = RULES,
    parents: ParentsOf | None = None,
) -> list[Finding] | ItemError:
    """The findings of one item given its events in any order (see :func:`order_events`), or
    an :class:`ItemError` when it cannot be checked.

    The procedure is looked up in ``catalog`` by the dossier's ``received`` event (an unknown
    code is an error: PRODUCT.md "Fail loudly on missing configuration"); the calendar is
    ``calendar_for`` of the unit that opened the item; the thresholds are the procedure's.
    """
    ordered: list[Event] = []
    try:
        ordered = order_events(events)
        first = ordered[0]
        procedure: Procedure | None = None
        code = first.data.get("procedure") if first.kind == "dossier" else None
        if isinstance(code, str):
            procedure = catalog.get(code)
            if procedure is None:
                raise UnknownProcedureError(item=first.item, procedure=code)
        return check_item(
            ordered,
            calendar=calendar_for(first.unit),
            procedure=procedure,
            now=now,
            thresholds=thresholds.thresholds_for(procedure.code if procedure else None),
            rules=rules,
            parents=parents,
        )
    except DomainError as e:
        head = ordered[0] if ordered else next(iter(events))
        return ItemError(head.source, head.item, head.kind, e)


def check_stream(
    events: Iterable[Event],
    *,
    catalog: Mapping[str, Procedure],
    calendar_for: CalendarFor,
    now: datetime,
    thresholds: ThresholdConfig = DEFAULT_CONFIG,
    rules: RuleCatalogue = RULES,
    parents: ParentsOf | None = None,
) -> Iterator[Finding | ItemError]:
    """Group a stream of events (any items, any order) by (``source``, ``item``) and yield each
    item's findings — or one :class:`ItemError` for an item that cannot be checked — item by
    item in order of first appearance. The whole stream is read before the first item is
    checked (an item's last event may come last). Arguments as for :func:`check_group`;
    ``now`` is one moment for every item.
    """
    now = to_local(now)
    groups: dict[tuple[str, str], list[Event]] = {}
    for e in events:
        key = (e.source, e.item)
        found = groups.get(key)
        if found is None:
            groups[key] = [e]
        else:
            found.append(e)
    for group in groups.values():
        result = check_group(
            group,
            catalog=catalog,
            calendar_for=calendar_for,
            now=now,
            thresholds=thresholds,
            rules=rules,
            parents=parents,
        )
        if isinstance(result, ItemError):
            yield result
        else:
            yield from result
