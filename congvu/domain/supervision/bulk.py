"""Checking a dossier from its compact records: the fold and every ledger rule in integers.

:func:`~congvu.domain.supervision.check.check_group` builds an ``ItemState`` of thirty-odd
fields, a context, thirteen rule generators and an aware ``datetime`` for every moment it
touches; for a province-year of ten million events that is most of the check.
:class:`BulkChecker` computes the same findings for the common dossier from
:func:`~congvu.domain.ledger.records.dossier_record` tuples, with every moment as *local
seconds* (seconds since 1970-01-01 on the wall clock of Asia/Ho_Chi_Minh) and every span of
office time as a difference of working positions read from the calendar's tables — the
arithmetic :class:`~congvu.domain.ledger.clock.WorkingClock` already does, without the
objects around it.

It is a second implementation of the counting rules of ``docs/domain/ledger.md`` §6 and of
the rules of ``docs/domain/supervision.md`` §3, kept equal to the reference by a hypothesis
test that compares both on generated histories (``tests/domain/supervision/test_bulk.py``)
and by the benchmark's comparison over a province-year. It covers only what it can
decide exactly; for anything else :meth:`BulkChecker.check` returns ``None`` and the caller
checks the item with ``check_group``, so every error, every unusual history and every
configuration it does not model gives the reference result:

* an item that is not a dossier, events not in ``seq`` order 1, 2, … (repeats and gaps
  included), a moment going back, after ``now`` or outside the calendar's coverage;
* a procedure missing from the catalog, or one or a configuration with a calendar-day time
  limit or deadline where the rule sets use working time;
* a catalogue other than :data:`~congvu.domain.supervision.rules.RULES`, an organisation
  tree (``parents``), a calendar whose offset is not a constant +07:00.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from congvu.domain.calendar import VN_TZ, WorkCalendar
from congvu.domain.ledger.clock import working_clock
from congvu.domain.ledger.records import Record, local_seconds
from congvu.domain.ledger.rulesets import ND61_2018, ND118_2025, RuleSet
from congvu.domain.ledger.state import Status
from congvu.domain.procedures.catalog import Procedure
from congvu.domain.procedures.duration import Duration
from congvu.domain.supervision.catalogue import Rule, RuleCatalogue
from congvu.domain.supervision.findings import Finding
from congvu.domain.supervision.rules import (
    BOUNCED,
    IDLE,
    LATE_ACCEPTANCE,
    LATE_NO_APOLOGY,
    LATE_RESULT,
    LATE_SUPPLEMENT_REQUEST,
    LATE_TRANSFER,
    NO_APPOINTMENT_SLIP,
    OVERDUE,
    REPEATED_APOLOGY,
    REPEATED_SUPPLEMENT,
    RULES,
    STEP_LATE,
    UNRELATED_CONSULTATION,
)
from congvu.domain.supervision.rules.intake import ONLINE_CHANNELS, PAPER_CHANNELS
from congvu.domain.supervision.thresholds import DEFAULT_CONFIG, ThresholdConfig, Thresholds

__all__ = ["BulkChecker"]

_EPOCH_ORDINAL = 719163
_LOCAL_EPOCH = datetime(1970, 1, 1, tzinfo=VN_TZ)
_SWITCH = local_seconds(ND118_2025.effective_from) if ND118_2025.effective_from else None
_FINISHING = {
    "resolved": Status.RESOLVED,
    "refused": Status.REFUSED,
    "withdrawn": Status.WITHDRAWN,
    "returned": Status.RETURNED,
}
_RESULTS = frozenset({Status.RESOLVED, Status.RETURNED, Status.REFUSED})
_NOT_A_FAULT = frozenset({Status.WITHDRAWN, Status.CLOSED})
#: The first event that answers an online dossier, passes a paper one on, or shows it
#: accepted (rules/intake.py).
_ANSWERS = frozenset(
    {
        "appointment_issued",
        "supplement_requested",
        "refused",
        "step_completed",
        "transferred",
        "resolved",
        "withdrawn",
    }
)
_PASSED_ON = frozenset(
    {"transferred", "step_completed", "resolved", "refused", "withdrawn", "supplement_requested"}
)
_PROCESSING = frozenset({"step_completed", "transferred", "consulted", "resolved", "returned"})
_STEP_STARTERS = frozenset({"received", "created", "step_completed"})


class _Slow(Exception):
    """The item leaves the bulk path: the reference check decides it."""


def _working(d: Duration, cal: WorkCalendar) -> int:
    """``d`` in office seconds; a calendar-day or zero duration is not modelled here."""
    seconds = d.working_seconds(cal)
    if seconds is None or seconds <= 0:
        raise _Slow
    return seconds


class _Plan:
    """The numbers of one procedure under one rule set, in seconds, worked out once."""

    __slots__ = (
        "accept",
        "apology_max",
        "bounce_on_return",
        "bounce_transfers",
        "budgets",
        "close",
        "cutoff",
        "first_step",
        "idle",
        "limit",
        "next_steps",
        "notice",
        "related",
        "restart",
        "ruleset",
        "supplement_max",
        "supplement_within",
    )

    def __init__(self, proc: Procedure, rs: RuleSet, th: Thresholds, cal: WorkCalendar) -> None:
        self.ruleset = rs.code
        self.limit = _working(proc.time_limit, cal)
        self.accept = _working(rs.online_acceptance_within, cal)
        self.supplement_within = _working(rs.supplement_request_within, cal)
        self.notice = _working(rs.apology_notice, cal)
        self.idle = _working(th.idle_after, cal)
        cutoff = rs.paper_transfer_cutoff
        if cutoff.microsecond or cutoff.tzinfo is not None:
            raise _Slow
        self.cutoff = cutoff.hour * 3600 + cutoff.minute * 60 + cutoff.second
        close = rs.supplement_close_after
        if close.unit != "calendar_days":
            raise _Slow
        self.close = round(close.amount * 86400)
        self.apology_max = rs.apology_max
        self.supplement_max = rs.supplement_max
        self.restart = rs.restart_after_supplement
        self.bounce_transfers = th.bounce_transfers
        self.bounce_on_return = th.bounce_on_return
        self.related = frozenset(proc.related_units)
        codes = [s.code for s in proc.steps]
        self.first_step = codes[0] if codes else None
        nexts: dict[str, str] = {}
        for k, code in enumerate(codes):
            if code not in nexts and k + 1 < len(codes):
                nexts[code] = codes[k + 1]
        self.next_steps = nexts
        # code → (office seconds of the budget, or None, and calendar seconds, or None),
        # for the first step of that code (Procedure.step)
        budgets: dict[str, tuple[int | None, int | None]] = {}
        for s in proc.steps:
            if s.code in budgets:
                continue
            b = s.budget
            if b is None:
                budgets[s.code] = (None, None)
            elif b.is_working:
                budgets[s.code] = (b.working_seconds(cal), None)
            else:
                budgets[s.code] = (None, round(b.amount * 86400))
        self.budgets = budgets


def _calendar_functions(
    day0: int,
    n_days: int,
    flags: bytes,
    base: list[int],
    within: list[int],
    d_sec: int,
    workdays: list[int],
    sod: list[int],
) -> tuple[Callable[[int], int], Callable[[int], int]]:
    """(position, moment) over local seconds on one calendar's tables, as closures: a
    dossier looks up a dozen positions, and closure variables are read faster than an
    instance's attributes."""
    n_workdays = len(workdays)

    def position(t: int) -> int:
        """The working position of local second ``t`` (``working_position``)."""
        i = t // 86400 - day0
        if not 0 <= i < n_days:
            raise _Slow  # the reference raises CalendarRangeError
        if flags[i]:
            return base[i] + within[t % 86400]
        return base[i]

    def moment(p: int) -> int:
        """The local second at working position ``p`` (``moment_at_position``, at_end)."""
        if p > 0:
            w, r = divmod(p - 1, d_sec)
            r += 1
        elif p == 0:
            w = r = 0
        else:
            raise _Slow
        if w >= n_workdays:
            raise _Slow
        return (day0 + workdays[w]) * 86400 + sod[r]

    return position, moment


class BulkChecker:
    """The findings of common dossiers from their records; ``None`` sends an item to the
    reference check. Arguments as for :func:`~congvu.domain.supervision.check.check_group`,
    with one ``calendar`` for every unit (the CLI's)."""

    def __init__(
        self,
        *,
        catalog: Mapping[str, Procedure],
        calendar: WorkCalendar,
        now: datetime,
        thresholds: ThresholdConfig = DEFAULT_CONFIG,
        rules: RuleCatalogue = RULES,
        parents: Callable[[str], object] | None = None,
    ) -> None:
        clock = working_clock(calendar)
        now_ls = local_seconds(clock.local(now))
        self.enabled = (
            clock.exact
            and now_ls is not None
            and parents is None
            and rules.for_kind("dossier") == RULES.for_kind("dossier")
        )
        self.now = now_ls if now_ls is not None else 0
        self.catalog = catalog
        self.calendar = calendar
        self.thresholds = thresholds
        self._plans: dict[tuple[str, str], _Plan | None] = {}
        cal = calendar
        self._day0 = cal.first_day.toordinal() - _EPOCH_ORDINAL
        self._n_days = cal.n_days
        self._flags = cal.working_flags()
        d_sec = cal.day_seconds
        self._d_sec = d_sec
        self._base = [cal.working_days_before(i) * d_sec for i in range(cal.n_days)]
        self._within = clock.within_table()
        self._workdays = [cal.working_day_at(w) for w in range(cal.n_working_days)]
        intervals = cal.intervals_seconds
        # the time of day at which r office seconds of a day are used, an exact session
        # boundary resolved as the end of the earlier session (ops._seconds_of_day); r = 0
        # (position 0 only) is the start of the first session
        sod = [intervals[0][0]]
        for r in range(1, d_sec + 1):
            consumed = 0
            for k, (start, end) in enumerate(intervals):
                length = end - start
                if r <= consumed + length or k == len(intervals) - 1:
                    sod.append(start + (r - consumed))
                    break
                consumed += length
        self._sod = sod
        self._first_day_seconds = self._day0 * 86400
        self._first_len = intervals[0][1] - intervals[0][0]
        self._pos, self._at = _calendar_functions(
            self._day0,
            self._n_days,
            self._flags,
            self._base,
            self._within,
            d_sec,
            self._workdays,
            sod,
        )

    # -- the calendar in integers ------------------------------------------------------------

    def _plan(self, code: str, received: int) -> _Plan | None:
        if _SWITCH is None:  # pragma: no cover — the switch is a constant
            return None
        base = ND118_2025 if received >= _SWITCH else ND61_2018
        key = (code, base.code)
        if key in self._plans:
            return self._plans[key]
        proc = self.catalog.get(code)
        plan: _Plan | None = None
        if proc is not None:
            th = self.thresholds.thresholds_for(proc.code)
            try:
                plan = _Plan(proc, th.ruleset(base), th, self.calendar)
            except _Slow:
                plan = None
        self._plans[key] = plan
        return plan

    # -- one item ------------------------------------------------------------------------------

    def check(self, source: str, item: str, records: Sequence[Record]) -> list[Finding] | None:
        """The findings of one dossier, sorted as ``check_item`` sorts them, or ``None`` when
        the reference check must decide it."""
        if not self.enabled or not records:
            return None
        try:
            return self._check(source, item, records)
        except _Slow:
            return None

    def _check(self, source: str, item: str, recs: Sequence[Record]) -> list[Finding] | None:
        pos = self._pos
        at_pos = self._at
        now = self.now
        r0 = recs[0]
        seq0, t0, type0, unit0, actor0, code, channel, explicit_due, _ = r0
        if seq0 != 1 or type0 != "received" or t0 > now:
            raise _Slow
        plan = self._plan(code, t0)
        if plan is None:
            raise _Slow
        p0 = pos(t0)
        limit = plan.limit
        due = at_pos(p0 + limit)
        due_source = "procedure"
        # step code → [unit, official, start, end]
        steps: dict[str, list[Any]] = {}
        if plan.first_step is not None:
            steps[plan.first_step] = [unit0, actor0, t0, None]
        if explicit_due is not None:
            due, due_source = explicit_due, "received"
        # [start, end, unit, official]
        spans: list[list[Any]] = [[t0, None, unit0, actor0]]
        unit: str = unit0
        official: str | None = actor0
        path = [unit0]
        last_step_end = t0
        pauses: list[list[Any]] = []
        asks: list[list[Any]] = []
        # (seq, at, previous due, new due, timely)
        apologies: list[tuple[int, int, int, int, bool]] = []
        finished: int | None = None
        stopped: int | None = None
        status = Status.OPEN
        first_finish: Record | None = None
        slips: list[Record] = []
        requests: list[Record] = []
        supplied: list[Record] = []
        transfers: list[Record] = []
        consulted: list[Record] = []
        answers: list[Record] = []
        apology_events: list[Record] = []
        step_events: list[Record] = []
        prev = t0
        n = len(recs)
        for i in range(1, n):
            rec = recs[i]
            seq, t, typ, e_unit, e_actor, a, b, c, _ = rec
            if seq != i + 1 or t < prev or t > now or typ == "received":
                raise _Slow
            prev = t
            if typ == "assigned":
                step_events.append(rec)
                if b is not None:
                    st = steps.get(b)
                    if st is None:
                        steps[b] = [unit, a, t, None]
                    elif st[3] is None:
                        st[1] = a
                        st[0] = unit
                if a != official:
                    if spans[-1][1] is None:
                        spans[-1][1] = t
                    official = a
                    spans.append([t, None, unit, official])
            elif typ == "step_completed":
                step_events.append(rec)
                st = steps.get(b)
                if st is None:
                    st = steps[b] = [unit, official, last_step_end, None]
                st[3] = t
                last_step_end = t
                following = plan.next_steps.get(b)
                if following is not None and following not in steps:
                    steps[following] = [unit, None, t, None]
            elif typ in _FINISHING:
                status = _FINISHING[typ]
                if first_finish is None:
                    first_finish = rec
                if finished is None:
                    since = pauses[-1][0] if pauses and pauses[-1][1] is None else None
                    if since is not None:
                        stopped = since
                        pauses[-1][1] = t
                    else:
                        stopped = t
                    finished = t
                    if spans[-1][1] is None:
                        spans[-1][1] = t
            elif typ == "appointment_issued":
                slips.append(rec)
                due, due_source = c, "appointment"
            elif typ == "transferred":
                transfers.append(rec)
                path.append(a)
                if spans[-1][1] is None:
                    spans[-1][1] = t
                unit, official = a, None
                spans.append([t, None, unit, None])
            elif typ == "supplement_requested":
                requests.append(rec)
                if finished is None and not (pauses and pauses[-1][1] is None):
                    pauses.append([t, None])
                    status = Status.PAUSED
            elif typ == "supplement_received":
                supplied.append(rec)
                if pauses and pauses[-1][1] is None and finished is None:
                    since = pauses[-1][0]
                    pauses[-1][1] = t
                    status = Status.OPEN
                    if plan.restart:
                        due, due_source = at_pos(pos(t) + limit), "restart"
                    else:
                        due = at_pos(pos(due) + pos(t) - pos(since))
            elif typ == "apology_issued":
                apology_events.append(rec)
                timely = t <= at_pos(pos(due) - plan.notice)
                apologies.append((seq, t, due, c, timely))
                due, due_source = c, "apology"
            elif typ == "consulted":
                consulted.append(rec)
                asks.append([e_unit, a, t, c, None])
            elif typ == "consultation_answered":
                answers.append(rec)
                for ask in asks:
                    if ask[4] is None and ask[1] == a:
                        ask[4] = t
                        break
            # rated: the rating is not read by any rule

        # -- the state at now (fold.py, _Fold.state) ---------------------------------------
        if pauses and pauses[-1][1] is None:
            since = pauses[-1][0]
            closed = since + plan.close
            if now >= closed:
                status = Status.CLOSED
                stopped = since
                pauses[-1][1] = closed
                finished = closed
                if spans[-1][1] is None:
                    spans[-1][1] = closed
        end = finished if finished is not None else now
        if stopped is not None:
            clock_at = stopped
        elif pauses and pauses[-1][1] is None:
            clock_at = pauses[-1][0]
        else:
            clock_at = now
        p_end = pos(end)
        timer: list[tuple[int, Any, int, Any]] = [
            (ps, pe, pos(ps), None if pe is None else pos(pe)) for ps, pe in pauses
        ]
        # the positions the reference reads for the used and left time (range checks)
        pos(due)
        pos(clock_at)
        late = clock_at > due
        overdue = late and finished is None

        def running(start: int, p_start: int, stop: int, p_stop: int) -> int:
            if stop <= start:
                return 0
            total = p_stop - p_start
            if not timer:
                return total  # no pause: most dossiers
            for ps, pe, p_ps, p_pe in timer:
                if ps >= start:
                    lo, p_lo = ps, p_ps
                else:
                    lo, p_lo = start, p_start
                if pe is None or pe >= stop:
                    hi, p_hi = stop, p_stop
                else:
                    hi, p_hi = pe, p_pe
                if lo < hi:
                    total -= p_hi - p_lo
            return total

        # -- the rules, in catalogue order ---------------------------------------------------
        found: list[tuple[int, str, str, Rule, str, str | None, Sequence[int]]] = []

        def holder(m: int, before: bool = False) -> list[Any]:
            held_by: list[Any]
            for held_by in reversed(spans):
                s: int = held_by[0]
                if s < m or (not before and s == m):
                    return held_by
            held_by = spans[0]
            return held_by

        def doer(rec: Record) -> tuple[str, str | None]:
            if rec[4] is not None:
                return rec[3], rec[4]
            official: str | None = holder(rec[1], True)[3]
            return rec[3], official

        if due_source == "appointment":
            due_seqs: tuple[int, ...] = (1, slips[-1][0]) if slips else (1,)
        elif due_source == "apology":
            due_seqs = (1, apology_events[-1][0]) if apology_events else (1,)
        elif due_source == "restart":
            due_seqs = (1, supplied[-1][0]) if supplied else (1,)
        else:
            due_seqs = (1,)
        finish_seq: tuple[int, ...] = (
            (first_finish[0],) if first_finish is not None and finished is not None else ()
        )

        # OVERDUE
        if overdue:
            h = holder(due)
            found.append((due, "OVERDUE", "OVERDUE", OVERDUE, h[2], h[3], due_seqs))
        # LATE_RESULT
        if late and finished is not None and status in _RESULTS:
            h = holder(due)
            found.append(
                (
                    finished,
                    "LATE_RESULT",
                    "LATE_RESULT",
                    LATE_RESULT,
                    h[2],
                    h[3],
                    due_seqs + finish_seq,
                )
            )
        # STEP_LATE: the steps
        for code_, st in steps.items():
            s_start: int = st[2]
            s_end: int | None = st[3]
            p_start = pos(s_start)
            if s_end is None:
                stop, p_stop = end, p_end
            else:
                stop, p_stop = s_end, pos(s_end)
            seconds = running(s_start, p_start, stop, p_stop)
            budget_seconds, budget_days = plan.budgets.get(code_, (None, None))
            if budget_seconds is not None:
                over = seconds > budget_seconds
            elif budget_days is not None:
                over = stop > s_start + budget_days
            else:
                over = False
            if not over:
                continue
            if budget_days is not None:
                at = s_start + budget_days
            else:
                target = p_start + (budget_seconds or 0)
                for _ps, pe, p_ps, p_pe in timer:
                    if p_ps >= target or pe is None:
                        break
                    target += max(0, p_pe - max(p_ps, p_start))
                at = at_pos(target)
            starter = 1
            for e in recs:
                if e[1] > s_start:
                    break
                if e[2] in _STEP_STARTERS:
                    starter = e[0]
            proof = [starter, *(e[0] for e in step_events if e[6] == code_)]
            found.append((at, "STEP_LATE", "STEP_LATE:" + code_, STEP_LATE, st[0], st[1], proof))
        # STEP_LATE: the consultations
        for ask, e in zip(asks, consulted, strict=True):
            c_due: int | None = ask[3]
            answered: int | None = ask[4]
            if c_due is None or (answered if answered is not None else end) <= c_due:
                continue
            proof = [e[0]]
            if answered is not None:
                for x in answers:
                    if x[0] > e[0] and x[5] == ask[1] and x[1] == answered:
                        proof.append(x[0])
                        break
            found.append(
                (c_due, "STEP_LATE", f"STEP_LATE:consult:{e[0]}", STEP_LATE, ask[1], None, proof)
            )
        # LATE_ACCEPTANCE
        if channel in ONLINE_CHANNELS:
            deadline = at_pos(p0 + plan.accept)
            done = None
            for i in range(1, n):
                if recs[i][2] in _ANSWERS:
                    done = recs[i]
                    break
            self._missed(found, LATE_ACCEPTANCE, deadline, done, holder)
        # LATE_TRANSFER
        if channel in PAPER_CHANNELS:
            deadline = self._paper_due(t0, plan.cutoff)
            first_step = plan.first_step
            done = None
            for i in range(1, n):
                e = recs[i]
                if e[2] in _PASSED_ON or (
                    e[2] == "assigned" and e[6] is not None and e[6] != first_step
                ):
                    done = e
                    break
            self._missed(found, LATE_TRANSFER, deadline, done, holder)
        # NO_APPOINTMENT_SLIP
        accepted = None
        for i in range(1, n):
            if recs[i][2] in _PROCESSING:
                accepted = recs[i]
                break
        if accepted is not None:
            when = accepted[1]
            if not (slips and slips[0][1] <= when) and not (
                accepted[2] == "resolved" and when // 86400 == t0 // 86400
            ):
                h = holder(when, True)
                found.append(
                    (
                        when,
                        "NO_APPOINTMENT_SLIP",
                        "NO_APPOINTMENT_SLIP",
                        NO_APPOINTMENT_SLIP,
                        h[2],
                        h[3],
                        (1, accepted[0]),
                    )
                )
        # REPEATED_SUPPLEMENT
        for e in requests[plan.supplement_max :]:
            u, o = doer(e)
            found.append(
                (
                    e[1],
                    "REPEATED_SUPPLEMENT",
                    f"REPEATED_SUPPLEMENT:{e[0]}",
                    REPEATED_SUPPLEMENT,
                    u,
                    o,
                    (requests[0][0], e[0]),
                )
            )
        # LATE_SUPPLEMENT_REQUEST
        if requests:
            deadline = at_pos(p0 + plan.supplement_within)
            for e in requests:
                if e[1] > deadline:
                    u, o = doer(e)
                    found.append(
                        (
                            e[1],
                            "LATE_SUPPLEMENT_REQUEST",
                            f"LATE_SUPPLEMENT_REQUEST:{e[0]}",
                            LATE_SUPPLEMENT_REQUEST,
                            u,
                            o,
                            (1, e[0]),
                        )
                    )
        # LATE_NO_APOLOGY
        for a_seq, a_at, previous, _new, timely in apologies:
            if timely:
                continue
            clock_then = a_at
            for ps, pe in pauses:
                if ps <= a_at and (pe is None or a_at < pe):
                    clock_then = ps
                    break
            if clock_then > previous:
                missed: tuple[int, ...] = (1, a_seq)
            elif (
                status not in _NOT_A_FAULT
                and end > previous
                and all(pe is not None and pe <= a_at for _ps, pe in pauses)
            ):
                missed = (1, a_seq) + finish_seq
            else:
                continue
            h = holder(previous)
            found.append(
                (
                    previous,
                    "LATE_NO_APOLOGY",
                    "LATE_NO_APOLOGY:" + _due_key(previous),
                    LATE_NO_APOLOGY,
                    h[2],
                    h[3],
                    missed,
                )
            )
        if late and status not in _NOT_A_FAULT:
            h = holder(due)
            found.append(
                (
                    due,
                    "LATE_NO_APOLOGY",
                    "LATE_NO_APOLOGY:" + _due_key(due),
                    LATE_NO_APOLOGY,
                    h[2],
                    h[3],
                    due_seqs + finish_seq,
                )
            )
        # REPEATED_APOLOGY
        for a_seq, a_at, _p, _n, _t in apologies[plan.apology_max :]:
            u, o = doer(recs[a_seq - 1])
            found.append(
                (
                    a_at,
                    "REPEATED_APOLOGY",
                    f"REPEATED_APOLOGY:{a_seq}",
                    REPEATED_APOLOGY,
                    u,
                    o,
                    (apologies[0][0], a_seq),
                )
            )
        # BOUNCED
        if transfers:
            held = {unit0}
            counted: list[int] = []
            for e in transfers:
                if finished is not None and e[1] > finished:
                    break
                to_unit = e[5]
                back = plan.bounce_on_return and to_unit in held
                held.add(e[3])
                held.add(to_unit)
                counted.append(e[0])
                if back or len(counted) >= plan.bounce_transfers:
                    u, o = doer(e)
                    found.append((e[1], "BOUNCED", "BOUNCED", BOUNCED, u, o, counted))
                    break
        # IDLE
        idle = plan.idle
        paused = done_ = False
        for i in range(n):
            e = recs[i]
            typ = e[2]
            if i == 0:
                pass
            elif typ == "supplement_requested":
                paused = paused or not done_
            elif typ == "supplement_received":
                paused = paused and done_
            elif typ in _FINISHING and not done_:
                done_, paused = True, False
            if paused or done_:
                continue
            start = e[1]
            stretch_end = recs[i + 1][1] if i + 1 < n else now
            # office time never runs faster than the wall clock (rules/deadlines.py)
            if stretch_end - start <= idle:
                continue
            limit_at = at_pos(pos(start) + idle)
            if stretch_end > limit_at:
                h = holder(limit_at)
                idle_proof = (e[0], recs[i + 1][0]) if i + 1 < n else (e[0],)
                found.append((limit_at, "IDLE", f"IDLE:{e[0]}", IDLE, h[2], h[3], idle_proof))
        # UNRELATED_CONSULTATION
        if consulted:
            allowed = plan.related | set(path)
            for e in consulted:
                if e[5] in allowed:
                    continue
                u, o = doer(e)
                found.append(
                    (
                        e[1],
                        "UNRELATED_CONSULTATION",
                        f"UNRELATED_CONSULTATION:{e[0]}",
                        UNRELATED_CONSULTATION,
                        u,
                        o,
                        (e[0],),
                    )
                )
        if not found:
            return []
        found.sort(key=_sort_key)
        rs_code = plan.ruleset
        # positional: the fields in Finding's order (rule source item kind unit official at
        # events severity ruleset key)
        return [
            Finding(
                code,
                source,
                item,
                "dossier",
                f_unit,
                f_official,
                _moment(at_ls),
                tuple(sorted(set(events))),
                rule.severity,
                rs_code,
                key,
            )
            for at_ls, code, key, rule, f_unit, f_official, events in found
        ]

    def _missed(
        self,
        found: list[tuple[int, str, str, Rule, str, str | None, Sequence[int]]],
        rule: Rule,
        deadline: int,
        done: Record | None,
        holder: Callable[[int], list[Any]],
    ) -> None:
        when = done[1] if done is not None else self.now
        if when <= deadline:
            return
        h = holder(deadline)
        proof = (1, done[0]) if done is not None else (1,)
        found.append((deadline, rule.code, rule.code, rule, h[2], h[3], proof))

    def _paper_due(self, received: int, cutoff: int) -> int:
        """``paper_transfer_due`` in local seconds."""
        day = received // 86400
        i = day - self._day0
        if not 0 <= i < self._n_days:
            raise _Slow
        day_start = day * 86400
        working = self._flags[i]
        if working and received - day_start <= cutoff:
            return self._at(self._pos(day_start) + self._d_sec)
        base = self._pos(received)
        if working:
            base = self._pos(day_start) + self._d_sec
        return self._at(base + self._first_len)


def _sort_key(
    f: tuple[int, str, str, Rule, str, str | None, Sequence[int]],
) -> tuple[int, str, str]:
    return (f[0], f[1], f[2])


#: day number (local seconds // 86400) → (year, month, day, "YYYY-MM-DD"): a finding's moment
#: is built from its day's fields rather than by datetime arithmetic.
_DAYS: dict[int, tuple[int, int, int, str]] = {}


def _day(ls: int) -> tuple[int, int, int, str]:
    n = ls // 86400
    found = _DAYS.get(n)
    if found is None:
        d = (_LOCAL_EPOCH + timedelta(days=n)).date()
        found = _DAYS[n] = (d.year, d.month, d.day, d.isoformat())
    return found


def _moment(ls: int) -> datetime:
    """The aware moment (Asia/Ho_Chi_Minh) of local second ``ls``."""
    y, m, d, _ = _day(ls)
    s = ls % 86400
    return datetime(y, m, d, s // 3600, s // 60 % 60, s % 60, tzinfo=VN_TZ)


def _due_key(ls: int) -> str:
    """``_moment(ls).strftime("%Y-%m-%dT%H:%M:%S")`` (rules/apologies.py), for the four-digit
    years of every calendar the bulk path runs on (from 1976)."""
    s = ls % 86400
    return f"{_day(ls)[3]}T{s // 3600:02}:{s // 60 % 60:02}:{s % 60:02}"
