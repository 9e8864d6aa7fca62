"""Counting rules of the one-stop-shop regulations, versioned by effective date.

Each item is judged by the rule set in force when it was received (domain-vn.md §0, §10.2):

* ``ND61/2018+107/2021`` — Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP, for items
  received before 01/07/2025 (numbers per domain-vn.md §1.1a, marked [M]: from memory).
* ``ND118/2025`` — Decree 118/2025/NĐ-CP, from 01/07/2025 (Art. 17–19, verified [T]).

Choices recorded here (docs/domain/ledger.md §4):

* "At least 01 day before the deadline" (apology, Art. 19(6)) is read as **one working day of
  office time** (8 working hours on the default calendar) between the apology and the current
  due moment: the time limits it protects are counted in working time, and a calendar-day
  reading would accept an apology issued on Friday afternoon for a Monday-morning deadline.
* The 15 days to complete a supplement (Art. 19(5)) are **calendar days** (the decree says
  "15 ngày", not "ngày làm việc"), counted from the supplement request.
* For ND61/2018 the restart of the clock after a supplement follows domain-vn.md §1.1a [M]; it
  is a field (``restart_after_supplement``) so it can be switched to "subtract the waiting
  time" if the text turns out to say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from congvu.domain.calendar import VN_TZ, WorkCalendar, moment_at_position, working_position
from congvu.domain.calendar.ops import to_local
from congvu.domain.procedures.duration import Duration, add_duration

__all__ = [
    "ND61_2018",
    "ND118_2025",
    "RULESETS",
    "RuleSet",
    "acceptance_due",
    "apology_latest",
    "paper_transfer_due",
    "ruleset_for",
    "supplement_close_at",
    "supplement_request_due",
]


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The numbers of one version of the one-stop-shop rules."""

    code: str
    legal_basis: tuple[str, ...]
    effective_from: datetime | None
    """First moment in force (aware); ``None`` = since always."""
    effective_to: datetime | None
    """First moment no longer in force (aware, exclusive); ``None`` = still in force."""
    supplement_request_within: Duration = Duration("working_days", 3)
    """A supplement request is due within this after acceptance (Art. 19(5))."""
    online_acceptance_within: Duration = Duration("working_hours", 8)
    """An online dossier is accepted or supplement-requested within this (Art. 17(2)(c))."""
    paper_transfer_cutoff: time = time(15, 0)
    """Paper received after this is transferred the next working morning (Art. 18(2))."""
    apology_notice: Duration = Duration("working_days", 1)
    """An apology must precede the current due by at least this (Art. 19(6))."""
    apology_max: int = 1
    """Appointments may be moved at most this many times (Art. 19(6))."""
    supplement_max: int = 1
    """Supplements may be requested at most this many times (Art. 11(2)(c), 16(3))."""
    restart_after_supplement: bool = True
    """After the supplement arrives, the time limit restarts from zero (Art. 19(5)); when
    ``False`` the waiting time is added to the due moment instead."""
    supplement_close_after: Duration = Duration("calendar_days", 15)
    """An incomplete dossier is closed this long after the supplement request (Art. 19(5))."""

    def in_force(self, m: datetime) -> bool:
        """Whether the rule set applies to an item received at ``m`` (aware)."""
        if type(m) is not datetime or m.tzinfo is not VN_TZ or m.microsecond:
            # the fold passes local moments already; anything else is converted (or refused)
            m = to_local(m)
        if self.effective_from is not None and m < self.effective_from:
            return False
        return self.effective_to is None or m < self.effective_to


_SWITCH = datetime(2025, 7, 1, tzinfo=VN_TZ)

ND61_2018 = RuleSet(
    code="ND61/2018+107/2021",
    legal_basis=("Nghị định 61/2018/NĐ-CP", "Nghị định 107/2021/NĐ-CP"),
    effective_from=None,
    effective_to=_SWITCH,
)

ND118_2025 = RuleSet(
    code="ND118/2025",
    legal_basis=("Nghị định 118/2025/NĐ-CP",),
    effective_from=_SWITCH,
    effective_to=None,
)

#: Every rule set, oldest first.
RULESETS: tuple[RuleSet, ...] = (ND61_2018, ND118_2025)


def ruleset_for(received_at: datetime) -> RuleSet:
    """The rule set in force at ``received_at`` (aware; read in Asia/Ho_Chi_Minh):
    ``ND61/2018+107/2021`` before 01/07/2025 00:00 (+07:00), ``ND118/2025`` from then.

    Raises :class:`~congvu.domain.errors.NaiveMomentError` for a naive moment.
    """
    for rs in reversed(RULESETS):
        if rs.in_force(received_at):
            return rs
    raise AssertionError("unreachable: the oldest rule set has no start")  # pragma: no cover


def supplement_request_due(rs: RuleSet, cal: WorkCalendar, accepted_at: datetime) -> datetime:
    """Latest moment for a supplement request on a dossier accepted at ``accepted_at``."""
    return add_duration(cal, accepted_at, rs.supplement_request_within)


def acceptance_due(rs: RuleSet, cal: WorkCalendar, arrived_at: datetime) -> datetime:
    """Latest moment to accept (or supplement-request) an online dossier that arrived then."""
    return add_duration(cal, arrived_at, rs.online_acceptance_within)


def apology_latest(rs: RuleSet, cal: WorkCalendar, due: datetime) -> datetime:
    """Latest lawful moment for an apology against the current ``due`` (``due`` minus the
    notice in working time; an exact session boundary resolves to the earlier session end)."""
    seconds = rs.apology_notice.working_seconds(cal)
    if seconds is None:
        return to_local(due) - timedelta(days=rs.apology_notice.amount)
    return moment_at_position(cal, working_position(cal, due) - seconds)


def supplement_close_at(rs: RuleSet, cal: WorkCalendar, requested_at: datetime) -> datetime:
    """Moment at which a dossier still waiting for its supplement is closed."""
    return add_duration(cal, requested_at, rs.supplement_close_after)


def paper_transfer_due(rs: RuleSet, cal: WorkCalendar, received_at: datetime) -> datetime:
    """Latest transfer of a paper dossier received in person at ``received_at``.

    Received on a working day at or before the cut-off (15:00): the end of that working day.
    Otherwise (after 15:00, or outside a working day): the end of the first office session of
    the next working day — "đầu giờ ngày làm việc tiếp theo" read as "during the next morning",
    since a deadline at 07:30 sharp could never be met by a person arriving at 07:30.
    """
    local = to_local(received_at)
    day_start = datetime(local.year, local.month, local.day, tzinfo=VN_TZ)
    first_len = cal.intervals_seconds[0][1] - cal.intervals_seconds[0][0]
    if cal.is_working_day(local.date()) and local.time() <= rs.paper_transfer_cutoff:
        # the position of the day's last office second, resolved as that session's end
        pos = working_position(cal, day_start) + cal.day_seconds
        return moment_at_position(cal, pos)
    base = working_position(cal, local)
    if cal.is_working_day(local.date()):
        base = working_position(cal, day_start) + cal.day_seconds
    return moment_at_position(cal, base + first_len)
