"""The fold: one item's events → its :class:`~congvu.domain.ledger.state.ItemState` at a moment.

Pure and deterministic: the same events, calendar, procedure and ``as_of`` give the same state.
The events must be one item's history from ``seq`` 1 without gaps and with non-decreasing
``at``; anything else raises :class:`EventOrderError` (the importer holds back gaps, so a gap
here is a bug upstream, never something to paper over). Folding the first *k* events gives the
state after the *k*-th; :func:`fold_until` folds the events with ``at ≤ as_of``.

The counting rules (docs/domain/ledger.md §6):

* The due moment is the latest explicit one (``received``/``created`` ``due``, appointment
  slip, apology ``new_due``, extension ``new_due``), else receipt + the procedure's time limit
  on the unit's calendar. No procedure and no due → :class:`MissingTimeLimitError`.
* A supplement request stops the clock. When the supplement arrives, rule sets with
  ``restart_after_supplement`` start the whole time limit again from that moment (Decree
  118/2025 art. 19(5)); otherwise the due moment moves by the office time spent waiting.
* A result, refusal or withdrawal stops the clock; ``reopened`` undoes that as if the clock had
  never stopped (the due moment stands). A dossier still waiting for its supplement when the
  rule set's period ends is ``closed`` at that moment.
* Lateness is judged where the clock stands: at the finish, at the start of a running pause,
  else at ``as_of`` — an open item past due is late.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from congvu.domain.calendar import WorkCalendar
from congvu.domain.calendar.ops import to_local
from congvu.domain.ledger.clock import WorkingClock, working_clock
from congvu.domain.ledger.errors import (
    EventOrderError,
    MissingTimeLimitError,
    ProcedureMismatchError,
)
from congvu.domain.ledger.events import Event
from congvu.domain.ledger.rulesets import (
    RuleSet,
    apology_latest,
    ruleset_for,
    supplement_close_at,
)
from congvu.domain.ledger.state import (
    Apology,
    Consultation,
    ItemState,
    ItemSummary,
    Pause,
    Span,
    Status,
    StepState,
)
from congvu.domain.procedures.catalog import Procedure

__all__ = ["fold", "fold_summary", "fold_until", "fold_with_moments"]

_OPENING = frozenset({"received", "created"})
_FINISHING = {
    "resolved": Status.RESOLVED,
    "refused": Status.REFUSED,
    "withdrawn": Status.WITHDRAWN,
    "returned": Status.RETURNED,
}


@dataclass(slots=True)
class _Step:
    code: str
    unit: str
    official: str | None
    start: datetime
    end: datetime | None = None


@dataclass(slots=True)
class _Holder:
    start: datetime
    end: datetime | None
    unit: str
    official: str | None


@dataclass(slots=True)
class _Ask:
    unit: str
    to_unit: str
    at: datetime
    due: datetime | None
    answered: datetime | None = None


def _check_order(events: Sequence[Event], as_of: datetime, clock: WorkingClock) -> list[datetime]:
    """Refuse anything but one item's complete history; return each event's local moment."""
    if not events:
        raise EventOrderError(
            item="?", seq=0, reason_vi="không có sự kiện nào", reason_en="no events"
        )
    first = events[0]
    source, item, kind = first.source, first.item, first.kind
    local = clock.local
    moments: list[datetime] = []
    previous: Event | None = None
    last: datetime | None = None
    for i, e in enumerate(events):
        problem: tuple[str, str] | None = None
        if e.item != item or e.source != source or e.kind != kind:
            problem = ("thuộc mục khác", f"belongs to another item ({e.source}/{e.item})")
        elif e.seq != i + 1:
            problem = (f"cần số thứ tự {i + 1}", f"expected seq {i + 1} (in order, no gaps)")
        elif i == 0 and e.type not in _OPENING:
            problem = ("sự kiện đầu phải mở mục", "the first event must open the item")
        elif i > 0 and e.type in _OPENING:
            problem = ("mục đã được mở", "the item is already open")
        else:
            at = local(e.at)
            # whole seconds keep the order of the exact moments, so the exact moments only
            # need comparing within one second
            if (
                previous is not None
                and last is not None
                and (at < last or (at == last and e.at < previous.at))
            ):
                problem = (
                    "thời điểm sớm hơn sự kiện trước",
                    "its time is before the previous event",
                )
            elif at > as_of:
                problem = ("xảy ra sau thời điểm xem xét", "it happens after as_of")
            moments.append(at)
            last = at
        if problem:
            raise EventOrderError(
                item=first.item, seq=e.seq, reason_vi=problem[0], reason_en=problem[1]
            )
        previous = e
    return moments


#: id(procedure) → (procedure, step code → the next step's code): the order of the steps,
#: looked up once per procedure rather than once per completed step.
_NEXT_STEPS: dict[int, tuple[Procedure, dict[str, str]]] = {}


def _next_steps(proc: Procedure) -> dict[str, str]:
    found = _NEXT_STEPS.get(id(proc))
    if found is not None and found[0] is proc:
        return found[1]
    if len(_NEXT_STEPS) >= 1024:
        _NEXT_STEPS.clear()
    codes = [s.code for s in proc.steps]
    # the first occurrence of a code wins, as ``list.index`` finds it
    nexts: dict[str, str] = {}
    for k, code in enumerate(codes):
        if code not in nexts and k + 1 < len(codes):
            nexts[code] = codes[k + 1]
    _NEXT_STEPS[id(proc)] = (proc, nexts)
    return nexts


class _Fold:
    """Mutable accumulator, private to :func:`fold`; frozen into an ItemState at the end."""

    def __init__(
        self,
        first: Event,
        at: datetime,
        clock: WorkingClock,
        proc: Procedure | None,
        rs: RuleSet | None,
    ) -> None:
        self.cal = clock.cal
        self.clock = clock
        self.proc = proc
        self.first = first
        self.received_at = at
        self.ruleset = rs if rs is not None else ruleset_for(at)
        self.status = Status.OPEN
        self.clock_start = at
        self.due: datetime | None = None
        self.due_source = ""
        self.limit_seconds: int | None = None
        self.pauses: list[tuple[datetime, datetime | None, str]] = []
        self.spans: list[_Holder] = []
        self.unit = first.unit
        self.official = first.actor
        self.path = [first.unit]
        self.has_appointment = False
        self.steps: dict[str, _Step] = {}
        self.last_step_end = at
        self.asks: list[_Ask] = []
        self.apologies: list[Apology] = []
        self.supplements = 0
        self.rating: int | None = None
        self.progress: float | None = None
        self.finished_at: datetime | None = None
        self.stopped_at: datetime | None = None  # where the clock stood when it finished
        self.finished_in_pause = False
        self._open_span(at)
        self._open(first)

    # -- bookkeeping -------------------------------------------------------------------------

    def _open_span(self, at: datetime) -> None:
        self.spans.append(_Holder(at, None, self.unit, self.official))

    def _close_span(self, at: datetime) -> None:
        if self.spans and self.spans[-1].end is None:
            self.spans[-1].end = at

    def _hand_over(self, at: datetime, unit: str, official: str | None) -> None:
        self._close_span(at)
        self.unit, self.official = unit, official
        self._open_span(at)

    def _paused_since(self) -> datetime | None:
        if self.pauses and self.pauses[-1][1] is None:
            return self.pauses[-1][0]
        return None

    def _end_pause(self, at: datetime) -> None:
        if self._paused_since() is not None:
            start, _, reason = self.pauses[-1]
            self.pauses[-1] = (start, at, reason)

    def _set_due(self, due: datetime | None, source: str) -> None:
        if due is not None:
            self.due, self.due_source = self.clock.local(due), source

    def _start_step(self, code: str, at: datetime, official: str | None) -> None:
        if code not in self.steps:
            self.steps[code] = _Step(code, self.unit, official, at)

    # -- events ------------------------------------------------------------------------------

    def _open(self, e: Event) -> None:
        proc = self.proc
        if proc is not None and e.data.get("procedure") != proc.code:
            raise ProcedureMismatchError(
                item=e.item, expected=e.data.get("procedure") or "—", given=proc.code
            )
        clock = self.clock
        if proc is not None:
            computed = clock.add(self.received_at, proc.time_limit)
            self._set_due(computed, "procedure")
            seconds = clock.seconds(proc.time_limit)
            self.limit_seconds = (
                seconds if seconds is not None else clock.between(self.received_at, computed)
            )
            if proc.steps:
                self._start_step(proc.steps[0].code, self.received_at, e.actor)
        explicit = e.moment("due")
        if explicit is not None:
            self._set_due(explicit, e.type)
            if self.limit_seconds is None:
                self.limit_seconds = clock.between(self.received_at, explicit)

    def apply(self, e: Event, at: datetime) -> None:
        finishing = _FINISHING.get(e.type)
        if finishing is not None:
            self._finish(at, finishing)
            return
        handler = _HANDLERS.get(e.type)
        if handler is not None:
            handler(self, e, at)

    def _on_appointment_issued(self, e: Event, at: datetime) -> None:
        self.has_appointment = True
        self._set_due(e.moment("due"), "appointment")
        self._fill_limit()

    def _on_extended(self, e: Event, at: datetime) -> None:
        self._set_due(e.moment("new_due"), "extended")
        self._fill_limit()

    def _fill_limit(self) -> None:
        # an item opened without a due learns its limit from the first due it is given
        if self.limit_seconds is None and self.due is not None:
            self.limit_seconds = self.clock.between(self.clock_start, self.due)

    def _on_assigned(self, e: Event, at: datetime) -> None:
        official = str(e.data["official"])
        step = e.data.get("step")
        if isinstance(step, str):
            if step in self.steps and self.steps[step].end is None:
                # a reassigned step is attributed to whoever holds it last
                self.steps[step].official = official
                self.steps[step].unit = self.unit
            else:
                self._start_step(step, at, official)
        if official != self.official:
            self._hand_over(at, self.unit, official)

    def _on_step_completed(self, e: Event, at: datetime) -> None:
        code = str(e.data["step"])
        self._start_step(code, self.last_step_end, self.official)
        self.steps[code].end = at
        self.last_step_end = at
        if self.proc is not None:
            following = _next_steps(self.proc).get(code)
            if following is not None:
                self._start_step(following, at, None)

    def _on_transferred(self, e: Event, at: datetime) -> None:
        to_unit = str(e.data["to_unit"])
        self.path.append(to_unit)
        self._hand_over(at, to_unit, None)

    def _on_consulted(self, e: Event, at: datetime) -> None:
        due = e.moment("due")
        self.asks.append(
            _Ask(e.unit, str(e.data["to_unit"]), at, None if due is None else to_local(due))
        )

    def _on_consultation_answered(self, e: Event, at: datetime) -> None:
        for ask in self.asks:
            if ask.answered is None and ask.to_unit == e.data["from_unit"]:
                ask.answered = at
                return

    def _on_supplement_requested(self, e: Event, at: datetime) -> None:
        self.supplements += 1
        if self._paused_since() is None and self.finished_at is None:
            self.pauses.append((at, None, "supplement"))
            self.status = Status.PAUSED

    def _on_supplement_received(self, e: Event, at: datetime) -> None:
        since = self._paused_since()
        if since is None or self.finished_at is not None:
            return
        self._end_pause(at)
        self.status = Status.OPEN
        clock = self.clock
        if self.ruleset.restart_after_supplement:
            self.clock_start = at
            if self.proc is not None:
                self._set_due(clock.add(at, self.proc.time_limit), "restart")
            elif self.limit_seconds is not None:
                self._set_due(clock.shift(at, self.limit_seconds), "restart")
        elif self.due is not None:
            self._set_due(clock.shift(self.due, clock.between(since, at)), self.due_source)

    def _on_apology_issued(self, e: Event, at: datetime) -> None:
        new_due = e.moment("new_due")
        if new_due is None:  # pragma: no cover — parse_event requires it
            return
        timely = self.due is not None and at <= apology_latest(self.ruleset, self.cal, self.due)
        within = len(self.apologies) < self.ruleset.apology_max
        self.apologies.append(
            Apology(e.seq, at, self.due, to_local(new_due), timely=timely, within_limit=within)
        )
        self._set_due(new_due, "apology")
        self._fill_limit()

    def _on_progress_reported(self, e: Event, at: datetime) -> None:
        self.progress = float(e.data["percent"])

    def _on_rated(self, e: Event, at: datetime) -> None:
        self.rating = int(e.data["score"])

    def _finish(self, at: datetime, status: Status) -> None:
        self.status = status
        if self.finished_at is None:
            # finishing while waiting on the applicant: the clock stood at the pause's start
            self.finished_in_pause = self._paused_since() is not None
            self.stopped_at = self._paused_since() or at
            self._end_pause(at)
            self.finished_at = at
            self._close_span(at)

    def _on_reopened(self, e: Event, at: datetime) -> None:
        # a result that had to be reopened was not a finished result: the clock is treated as
        # never having stopped and the due moment stands (docs/domain/ledger.md §6)
        # reopening an unfinished item changes nothing (a paused one stays paused)
        if self.finished_at is None:
            return
        self.status = Status.OPEN
        if self.finished_in_pause:
            # finished while waiting on the applicant: it is waiting again
            start, _, reason = self.pauses[-1]
            self.pauses[-1] = (start, None, reason)
            self.status = Status.PAUSED
        self.finished_at = self.stopped_at = None
        self._open_span(at)

    # -- result ------------------------------------------------------------------------------

    def _settle(self, as_of: datetime) -> tuple[datetime, int, datetime, int]:
        """Close a dossier whose wait for a supplement outlasted the rule set's period, check
        that a due moment is known; the due moment, the time limit, where the clock stands
        (the finish, the start of a running pause, else ``as_of``) and the office seconds
        left from there to the due moment (negative past it)."""
        e0 = self.first
        since = self._paused_since()
        if (
            since is not None
            and e0.kind == "dossier"
            and self.pauses[-1][2] == "supplement"
            and as_of >= (closed := supplement_close_at(self.ruleset, self.cal, since))
        ):
            self._finish(closed, Status.CLOSED)
        if self.due is None or self.limit_seconds is None:
            raise MissingTimeLimitError(item=e0.item, kind=e0.kind)
        clock_at = self.stopped_at or self._paused_since() or as_of
        position = self.clock.position
        return self.due, self.limit_seconds, clock_at, position(self.due) - position(clock_at)

    def summary(self, as_of: datetime, last_at: datetime) -> ItemSummary:
        """``ItemState.summary()`` of :meth:`state`, computing only what it keeps."""
        due, limit, clock_at, left = self._settle(as_of)
        e0 = self.first
        step = ""
        for s in reversed(self.steps.values()):
            if s.end is None:
                step = s.code
                break
        return ItemSummary(
            kind=e0.kind,
            status=self.status,
            received_at=self.received_at,
            ruleset=self.ruleset.code,
            procedure=self.proc.code if self.proc else None,
            channel=_str_or_none(e0.data.get("channel")),
            due=due,
            due_source=self.due_source,
            limit_seconds=limit,
            late=clock_at > due,  # not ``left < 0``: office time stands still off hours
            lateness_seconds=max(0, -left),
            unit=self.unit,
            official=self.official,
            step=step,
            supplement_count=self.supplements,
            apology_count=len(self.apologies),
            transfer_count=len(self.path) - 1,
            has_appointment=self.has_appointment,
            rating=self.rating,
            finished_at=self.finished_at,
            last_event_at=last_at,
        )

    def state(self, events: Sequence[Event], as_of: datetime, last_at: datetime) -> ItemState:
        e0, clock = self.first, self.clock
        due, limit, clock_at, left = self._settle(as_of)
        end = self.finished_at or as_of
        # every duration below is a difference of working positions: each moment is looked
        # up once (docs/domain/ledger.md §6 gives the figures; clock.py the equivalence)
        position = clock.position
        p_end = position(end)
        timer = _Timer(self.pauses, position, end, p_end)
        used = timer.running(self.clock_start, position(self.clock_start))
        late = clock_at > due
        received = self.received_at
        return ItemState(
            source=e0.source,
            item=e0.item,
            kind=e0.kind,
            status=self.status,
            as_of=as_of,
            received_at=received,
            ruleset=self.ruleset.code,
            procedure=self.proc.code if self.proc else None,
            channel=_str_or_none(e0.data.get("channel")),
            due=due,
            due_source=self.due_source,
            clock_started_at=self.clock_start,
            limit_seconds=limit,
            working_seconds_used=used,
            working_seconds_left=left,
            elapsed_766_seconds=(
                used
                if received is self.clock_start
                else timer.running(received, position(received))
            ),
            late=late,
            lateness_seconds=max(0, -left),
            overdue=late and self.finished_at is None,
            unit=self.unit,
            official=self.official,
            responsible=tuple(Span(h.start, h.end, h.unit, h.official) for h in self.spans),
            transfer_path=tuple(self.path),
            has_appointment=self.has_appointment,
            steps=tuple(self._step_state(s, timer) for s in self.steps.values()),
            pauses=tuple(Pause(s, t, r) for s, t, r in self.pauses),
            supplement_count=self.supplements,
            apologies=tuple(self.apologies),
            consultations=tuple(
                Consultation(
                    a.unit,
                    a.to_unit,
                    a.at,
                    a.due,
                    a.answered,
                    overdue=a.due is not None and (a.answered or end) > a.due,
                )
                for a in self.asks
            ),
            rating=self.rating,
            progress=self.progress,
            finished_at=self.finished_at,
            last_event_at=last_at,
            seqs=tuple(range(1, len(events) + 1)),  # checked: 1, 2, … without gaps
        )

    def _step_state(self, s: _Step, timer: _Timer) -> StepState:
        clock = self.clock
        if s.end is None:
            stop, p_stop = timer.end, timer.p_end
        else:
            stop, p_stop = s.end, clock.position(s.end)
        seconds = timer.running(s.start, clock.position(s.start), stop, p_stop)
        spec = self.proc.step(s.code) if self.proc else None
        budget = spec.budget if spec else None
        budget_seconds = clock.seconds(budget) if budget else None
        if budget_seconds is not None:
            over = seconds > budget_seconds
        else:
            over = budget is not None and stop > clock.add(s.start, budget)
        return StepState(
            s.code, s.unit, s.official, s.start, s.end, seconds, budget, budget_seconds, over
        )


class _Timer:
    """Running office time up to the item's end with the pauses taken out, in working
    positions — equal to :func:`~congvu.domain.ledger.clock.running_seconds` with each pause's
    positions looked up once."""

    __slots__ = ("_pauses", "end", "p_end")

    def __init__(
        self,
        pauses: list[tuple[datetime, datetime | None, str]],
        position: Callable[[datetime], int],
        end: datetime,
        p_end: int,
    ) -> None:
        self.end, self.p_end = end, p_end
        self._pauses = [
            (ps, pe, position(ps), None if pe is None else position(pe)) for ps, pe, _ in pauses
        ]

    def running(
        self, start: datetime, p_start: int, stop: datetime | None = None, p_stop: int = 0
    ) -> int:
        """Office seconds from ``start`` to ``stop`` (default: the end), pauses excluded."""
        if stop is None:
            stop, p_stop = self.end, self.p_end
        if stop <= start:
            return 0
        total = p_stop - p_start
        for ps, pe, p_ps, p_pe in self._pauses:
            # the pause clipped to [start, stop]; positions never go back in time, so the
            # clipped bounds' positions are the bounds' positions
            lo, p_lo = (ps, p_ps) if ps >= start else (start, p_start)
            if pe is None or pe >= stop:
                hi, p_hi = stop, p_stop
            else:
                hi, p_hi = pe, p_pe if p_pe is not None else p_stop
            if lo < hi:
                total -= p_hi - p_lo
        return total


#: event type → its handler (finishing types are handled by ``apply`` itself).
_HANDLERS: dict[str, Callable[[_Fold, Event, datetime], None]] = {
    name.removeprefix("_on_"): handler
    for name, handler in vars(_Fold).items()
    if name.startswith("_on_")
}


def _str_or_none(v: object) -> str | None:
    return v if isinstance(v, str) else None


def fold(
    events: Sequence[Event],
    *,
    calendar: WorkCalendar,
    procedure: Procedure | None,
    as_of: datetime,
    ruleset: RuleSet | None = None,
) -> ItemState:
    """The state of one item at ``as_of`` from its events.

    ``events``: one item's history, ``seq`` 1, 2, 3 … without gaps, ``at`` non-decreasing, the
    first a ``received``/``created`` event and all at or before ``as_of`` (aware). ``calendar``:
    the responsible unit's working calendar. ``procedure``: the catalog entry named by the
    ``received`` event (dossiers), or ``None`` for items whose due is given in their events.
    ``ruleset``: normally ``None`` — the rule set in force at receipt (:func:`ruleset_for`);
    pass one to apply a configured variant (e.g. no restart after a supplement).

    Raises :class:`EventOrderError` (wrong item, order, gap or time), :class:`MissingTimeLimitError`
    (neither procedure nor due), :class:`ProcedureMismatchError`, and the calendar's errors
    (naive ``as_of``, moments outside the calendar's coverage).
    """
    return fold_with_moments(
        events, calendar=calendar, procedure=procedure, as_of=as_of, ruleset=ruleset
    )[0]


def fold_with_moments(
    events: Sequence[Event],
    *,
    calendar: WorkCalendar,
    procedure: Procedure | None,
    as_of: datetime,
    ruleset: RuleSet | None = None,
) -> tuple[ItemState, list[datetime]]:
    """:func:`fold`, and each event's moment as the fold read it (Asia/Ho_Chi_Minh, whole
    seconds) — for callers that go on comparing events with the state's moments. Same
    arguments and errors."""
    as_of = to_local(as_of)
    acc, moments = _accumulate(events, calendar, procedure, as_of, ruleset)
    return acc.state(events, as_of, moments[-1]), moments


def fold_summary(
    events: Sequence[Event],
    *,
    calendar: WorkCalendar,
    procedure: Procedure | None,
    as_of: datetime,
    ruleset: RuleSet | None = None,
) -> ItemSummary:
    """``fold(...).summary()``, without building the rest of the state (the per-step
    durations, the holders, the pauses): what the ingestion stores for each item it touches.
    Same arguments and errors as :func:`fold`."""
    as_of = to_local(as_of)
    acc, moments = _accumulate(events, calendar, procedure, as_of, ruleset)
    return acc.summary(as_of, moments[-1])


def _accumulate(
    events: Sequence[Event],
    calendar: WorkCalendar,
    procedure: Procedure | None,
    as_of: datetime,
    ruleset: RuleSet | None,
) -> tuple[_Fold, list[datetime]]:
    clock = working_clock(calendar)
    moments = _check_order(events, as_of, clock)
    acc = _Fold(events[0], moments[0], clock, procedure, ruleset)
    apply = acc.apply
    for i in range(1, len(events)):
        apply(events[i], moments[i])
    return acc, moments


def fold_until(
    events: Sequence[Event],
    *,
    calendar: WorkCalendar,
    procedure: Procedure | None,
    as_of: datetime,
    ruleset: RuleSet | None = None,
) -> ItemState:
    """:func:`fold` of the events that happened at or before ``as_of`` — the item as it stood
    then. Same arguments and errors; at least the opening event must be at or before ``as_of``.
    """
    moment = to_local(as_of)
    return fold(
        [e for e in events if to_local(e.at) <= moment],
        calendar=calendar,
        procedure=procedure,
        as_of=moment,
        ruleset=ruleset,
    )
