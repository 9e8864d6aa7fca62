"""What a rule sees of one item: its events, its folded state and the configuration."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from congvu.domain.calendar import WorkCalendar
from congvu.domain.ledger.clock import working_clock
from congvu.domain.ledger.events import Event
from congvu.domain.ledger.rulesets import RuleSet
from congvu.domain.ledger.state import ItemState, Span
from congvu.domain.procedures.catalog import Procedure
from congvu.domain.supervision.catalogue import Rule
from congvu.domain.supervision.findings import Finding
from congvu.domain.supervision.thresholds import Thresholds

__all__ = ["CheckContext", "ParentsOf"]

#: unit code → the codes of its parent units (the organisation tree), for rules that allow a
#: unit's own hierarchy (``UNRELATED_CONSULTATION``); ``None`` when no tree is at hand.
ParentsOf = Callable[[str], Iterable[str]]

#: ``due_source`` of the fold → the event type that set the due moment.
_DUE_SETTERS = {
    "appointment": "appointment_issued",
    "apology": "apology_issued",
    "extended": "extended",
    "restart": "supplement_received",
}

_NO_EVENTS: tuple[Event, ...] = ()


class CheckContext:
    """One item under check: ``events`` (its history in ``seq`` order), ``state`` (the fold at
    ``now``), the ``calendar`` and ``procedure`` it was folded with, ``now`` (aware, local),
    the ``thresholds`` for its procedure, the effective ``ruleset`` (the rule set in force with
    the thresholds' overrides) and ``parents`` (the organisation tree, or ``None``).

    Built once per item by :func:`~congvu.domain.supervision.check.check_item`; rules only
    read it.
    """

    __slots__ = (
        "_by_type",
        "_moments",
        "calendar",
        "clock",
        "events",
        "now",
        "parents",
        "procedure",
        "ruleset",
        "state",
        "thresholds",
    )

    def __init__(
        self,
        *,
        events: Sequence[Event],
        state: ItemState,
        calendar: WorkCalendar,
        procedure: Procedure | None,
        now: datetime,
        thresholds: Thresholds,
        ruleset: RuleSet,
        parents: ParentsOf | None = None,
        moments: list[datetime] | None = None,
    ) -> None:
        self.events = events
        self.state = state
        self.calendar = calendar
        self.procedure = procedure
        self.now = now
        self.thresholds = thresholds
        self.ruleset = ruleset
        self.parents = parents
        self.clock = working_clock(calendar)
        self._moments = moments
        by_type: dict[str, list[Event]] = {}
        for e in events:
            found = by_type.get(e.type)
            if found is None:
                by_type[e.type] = [e]
            else:
                found.append(e)
        self._by_type = by_type

    def of(self, *types: str) -> Sequence[Event]:
        """The item's events of the given types, in ``seq`` order."""
        if len(types) == 1:
            return self._by_type.get(types[0], _NO_EVENTS)
        found = [e for t in types for e in self._by_type.get(t, _NO_EVENTS)]
        found.sort(key=lambda e: e.seq)
        return found

    def has(self, type_: str) -> bool:
        """Whether the item has at least one event of ``type_``."""
        return type_ in self._by_type

    def moment(self, e: Event) -> datetime:
        """The event's moment in Asia/Ho_Chi_Minh, whole seconds (the fold's convention)."""
        moments = self._moments
        if moments is None:
            local = self.clock.local
            moments = self._moments = [local(x.at) for x in self.events]
        i = e.seq - 1
        if 0 <= i < len(moments) and self.events[i] is e:
            return moments[i]
        return self.clock.local(e.at)

    def span_at(self, m: datetime, *, before: bool = False) -> Span:
        """The responsibility span in force at ``m``: the latest that started at or before
        ``m`` (strictly before with ``before=True``, i.e. who held it just before an event at
        ``m`` changed hands). Moments after the finish belong to the last holder."""
        spans = self.state.responsible
        for span in reversed(spans):
            if span.start < m or (not before and span.start == m):
                return span
        return spans[0]

    def holder_at(self, m: datetime, *, before: bool = False) -> tuple[str, str | None]:
        """(unit, official) of :meth:`span_at`."""
        span = self.span_at(m, before=before)
        return span.unit, span.official

    def doer(self, e: Event) -> tuple[str, str | None]:
        """(unit, official) who performed ``e``: its ``unit``, and its ``actor`` or, when the
        event names none, the official holding the item just before it."""
        if e.actor is not None:
            return e.unit, e.actor
        return e.unit, self.span_at(self.moment(e), before=True).official

    def due_seqs(self) -> tuple[int, ...]:
        """The events that fixed the current due moment: the opening event, and the latest
        appointment slip, apology, extension or restarting supplement when that set it."""
        setter = _DUE_SETTERS.get(self.state.due_source)
        if setter is None:
            return (self.events[0].seq,)
        found = self._by_type.get(setter)
        if not found:
            return (self.events[0].seq,)
        return (self.events[0].seq, found[-1].seq)

    def finding(
        self,
        rule: Rule,
        *,
        at: datetime,
        unit: str,
        official: str | None,
        events: Iterable[int],
        key: str = "",
    ) -> Finding:
        """A :class:`Finding` of ``rule`` on this item. ``key`` is appended to the rule code
        (``STEP_LATE:review``) to tell several findings of one rule apart; ``events`` are
        de-duplicated and sorted."""
        s = self.state
        return Finding(
            rule=rule.code,
            source=s.source,
            item=s.item,
            kind=s.kind,
            unit=unit,
            official=official,
            at=self.clock.local(at),
            events=tuple(sorted(set(events))),
            severity=rule.severity,
            ruleset=s.ruleset,
            key=f"{rule.code}:{key}" if key else rule.code,
        )
