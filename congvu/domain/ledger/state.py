"""The derived state of one work item (what :func:`~congvu.domain.ledger.fold.fold` returns).

Every value here is computed from the events and never stored as an editable field
(interchange.md, "What is derived from the events"). All moments are aware, in
Asia/Ho_Chi_Minh, whole seconds; all durations are office seconds on the item's calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum

from congvu.domain.procedures.duration import Duration

__all__ = [
    "Apology",
    "Consultation",
    "ItemState",
    "ItemSummary",
    "Pause",
    "Span",
    "Status",
    "StepState",
]


class Status(StrEnum):
    """Where the item is; the values are the strings shown in exports."""

    OPEN = "open"
    PAUSED = "paused"
    """Waiting on the applicant (supplement requested): the clock is stopped."""
    RESOLVED = "resolved"
    RETURNED = "returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    """Closed by the one-stop shop: the supplement did not come within the rule set's period."""


@dataclass(frozen=True, slots=True)
class Span:
    """Who held the item from ``start`` to ``end`` (``None`` = still holding it)."""

    start: datetime
    end: datetime | None
    unit: str
    official: str | None


@dataclass(frozen=True, slots=True)
class Pause:
    """A stretch during which the clock did not run; ``reason`` is ``"supplement"`` (waiting on
    the applicant), the only reason in v1."""

    start: datetime
    end: datetime | None
    reason: str


@dataclass(frozen=True, slots=True)
class StepState:
    """One process step: its holder (the last official assigned to it), start, end, the office
    seconds it took (pauses excluded; up to the item's end or ``as_of`` while running), and its
    budget from the procedure (``None`` if the step is not in the procedure)."""

    code: str
    unit: str
    official: str | None
    started_at: datetime
    ended_at: datetime | None
    working_seconds: int
    budget: Duration | None
    budget_seconds: int | None
    over_budget: bool


@dataclass(frozen=True, slots=True)
class Consultation:
    """An opinion asked of another unit (``unit`` asked ``to_unit``) and its answer."""

    unit: str
    to_unit: str
    asked_at: datetime
    due: datetime | None
    answered_at: datetime | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class Apology:
    """An apology with a new appointment; ``timely`` is whether it came at least the rule set's
    notice before the due it replaced, and ``within_limit`` whether it is within the allowed
    number of apologies."""

    seq: int
    at: datetime
    previous_due: datetime | None
    new_due: datetime
    timely: bool
    within_limit: bool


@dataclass(frozen=True, slots=True)
class ItemState:
    """The state of one item at ``as_of``; see docs/domain/ledger.md §6 for each figure."""

    source: str
    item: str
    kind: str
    status: Status
    as_of: datetime
    received_at: datetime
    ruleset: str
    procedure: str | None
    channel: str | None
    due: datetime
    due_source: str
    """``procedure``, ``received``, ``created``, ``appointment``, ``apology``, ``extended`` or
    ``restart`` (recomputed after a supplement)."""
    clock_started_at: datetime
    """Receipt, or the supplement's arrival when the rule set restarts the clock."""
    limit_seconds: int
    """The time limit in office seconds (procedure limit, or receipt → explicit due)."""
    working_seconds_used: int
    working_seconds_left: int
    """May be negative: office seconds past the due moment."""
    elapsed_766_seconds: int
    """Decision 766 view: receipt → end (finish or ``as_of``), waiting time subtracted."""
    late: bool
    lateness_seconds: int
    overdue: bool
    """Still unfinished and past due at ``as_of`` (the ``OVERDUE`` finding)."""
    unit: str
    official: str | None
    responsible: tuple[Span, ...]
    transfer_path: tuple[str, ...]
    has_appointment: bool
    """An appointment slip was issued (an ``appointment_issued`` event)."""
    steps: tuple[StepState, ...]
    pauses: tuple[Pause, ...]
    supplement_count: int
    apologies: tuple[Apology, ...]
    consultations: tuple[Consultation, ...]
    rating: int | None
    progress: float | None
    finished_at: datetime | None
    last_event_at: datetime
    seqs: tuple[int, ...]

    @property
    def apology_count(self) -> int:
        """How many apologies (new appointments) were issued."""
        return len(self.apologies)

    @property
    def transfer_count(self) -> int:
        """How many times the item was transferred to another unit."""
        return len(self.transfer_path) - 1

    def summary(self) -> ItemSummary:
        """The part of this state that an item's summary row keeps (the definition of what
        :func:`~congvu.domain.ledger.fold_summary` computes without the rest)."""
        step = next((s.code for s in reversed(self.steps) if s.ended_at is None), "")
        return ItemSummary(step=step, **{name: getattr(self, name) for name in _SUMMARY_COPIED})


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """What an item's summary row keeps of its state (:meth:`ItemState.summary`): the figures
    lists and dashboards filter and sort by, without the per-step, per-holder and per-pause
    detail. ``step``: the code of the latest step started and not completed, ``""`` if none."""

    kind: str
    status: Status
    received_at: datetime
    ruleset: str
    procedure: str | None
    channel: str | None
    due: datetime
    due_source: str
    limit_seconds: int
    late: bool
    lateness_seconds: int
    unit: str
    official: str | None
    step: str
    supplement_count: int
    apology_count: int
    transfer_count: int
    has_appointment: bool
    rating: int | None
    finished_at: datetime | None
    last_event_at: datetime


#: The summary's figures that the state holds under the same name (all but ``step``).
_SUMMARY_COPIED = tuple(f.name for f in fields(ItemSummary) if f.name != "step")
