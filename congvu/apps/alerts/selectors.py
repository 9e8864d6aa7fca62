"""Reads of the alerts: who is told (officials by code, the heads of a unit), which items
are due soon, what a unit's daily digest holds, and office hours on a unit's calendar."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet

from congvu.apps.calendars.models import Calendar
from congvu.apps.calendars.selectors import calendar_build
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.records import events_of_items
from congvu.apps.ledger.selectors import _item_chunks
from congvu.apps.organisations.models import Official, Position, Unit
from congvu.apps.supervision.models import Finding
from congvu.apps.supervision.permissions import HEAD_ROLES
from congvu.apps.supervision.selectors import threshold_config
from congvu.domain.calendar import VN_TZ, WorkCalendar, next_working_moment
from congvu.domain.calendar.ops import to_local
from congvu.domain.errors import DomainError
from congvu.domain.ledger import ItemState
from congvu.domain.procedures.duration import add_duration
from congvu.domain.supervision import ThresholdConfig, is_due_soon

logger = logging.getLogger(__name__)

#: How many rows of each list a digest shows (the counts are always complete).
DIGEST_ROWS = 10


@dataclass(frozen=True)
class Recipient:
    """An official to tell, and the unit whose office hours govern their e-mail."""

    official: Official
    unit: str

    @property
    def user(self):
        user = self.official.user
        return user if user is not None and user.is_active else None

    @property
    def email(self) -> str:
        if self.official.email:
            return self.official.email
        return self.user.email if self.user is not None else ""

    @property
    def reachable(self) -> bool:
        """In the app (an active account) or by e-mail (an address); an official with
        neither cannot be told anything."""
        return self.user is not None or bool(self.email)


class Directory:
    """Officials by code and the heads of units, loaded on demand and kept for one pass."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._officials: dict[str, Official | None] = {}
        self._heads: dict[str, list[Recipient]] = {}

    def prepare(self, *, officials: Iterable[str] = (), units: Iterable[str] = ()) -> None:
        """Load what a batch needs in a few queries instead of a few per notice."""
        codes = {c for c in officials if c and c not in self._officials}
        if codes:
            found = Official.objects.filter(code__in=codes).select_related("user")
            by_code = {o.code: o for o in found}
            for code in codes:
                self._officials[code] = by_code.get(code)
        missing = {u for u in units if u and u not in self._heads}
        if missing:
            self._heads.update(_heads_of(missing, self.day))

    def official(self, code: str | None) -> Official | None:
        if not code:
            return None
        self.prepare(officials=[code])
        return self._officials[code]

    def heads(self, unit: str) -> list[Recipient]:
        self.prepare(units=[unit])
        return self._heads[unit]

    def recipients(self, *, official: str | None, unit: str) -> list[Recipient]:
        """The responsible official (on ``unit``'s office hours) and the heads of ``unit``,
        each once and only if they can be reached. Nobody found for ``official`` (an
        unknown code, or none named) leaves the heads, who answer for the unit."""
        out: list[Recipient] = []
        person = self.official(official)
        if person is not None:
            out.append(Recipient(person, unit))
        seen = {r.official.pk for r in out}
        for head in self.heads(unit):
            if head.official.pk not in seen:
                seen.add(head.official.pk)
                out.append(head)
        reachable = [r for r in out if r.reachable]
        if not reachable:
            logger.warning(
                "alerts: nobody to tell about unit %s (official %s): no account nor e-mail",
                unit,
                official or "—",
            )
        return reachable


def _heads_of(codes: set[str], day: dt.date) -> dict[str, list[Recipient]]:
    """unit code → its current heads (unit heads; the province leaders for the province);
    a unit with none is answered for by the nearest unit above it that has one (Decision
    2090/QĐ-UBND: the head answers for the unit; ``supervision.permissions.can_justify``
    lets heads above justify). A unit that is not in the organisation has no heads."""
    units = list(Unit.objects.filter(code__in=codes).only("pk", "code", "path"))
    chains = {u.code: [int(p) for p in u.path.strip("/").split("/") if p][::-1] for u in units}
    ids = {pk for chain in chains.values() for pk in chain}
    by_unit: dict[int, list[Position]] = defaultdict(list)
    positions = (
        Position.objects.current(day)
        .filter(unit_id__in=ids, role__in=HEAD_ROLES)
        .select_related("official__user", "unit")
        .order_by("official__full_name", "official__code")
    )
    for p in positions:
        by_unit[p.unit_id].append(p)
    out: dict[str, list[Recipient]] = {code: [] for code in codes}
    for code, chain in chains.items():
        for pk in chain:
            if by_unit.get(pk):
                seen: set[int] = set()
                for p in by_unit[pk]:
                    if p.official_id not in seen:
                        seen.add(p.official_id)
                        out[code].append(Recipient(p.official, p.unit.code))
                break
    return out


# --- Office hours ---------------------------------------------------------------------------


def in_office_hours(calendar: WorkCalendar, moment: dt.datetime) -> bool:
    """Whether ``moment`` falls inside an office session of a working day on ``calendar``.
    A moment outside the calendar's years counts as outside (the notice waits)."""
    try:
        return next_working_moment(calendar, moment) == to_local(moment)
    except DomainError:
        return False


def previous_working_day(calendar: WorkCalendar, day: dt.date) -> dt.date:
    """The working day before ``day`` (the one before it when the calendar ends there)."""
    d = day - dt.timedelta(days=1)
    for _ in range(60):  # Tết and its weekends are well under two months
        try:
            if calendar.is_working_day(d):
                return d
        except DomainError:
            return day - dt.timedelta(days=1)
        d -= dt.timedelta(days=1)
    return day - dt.timedelta(days=1)


# --- Items due soon -------------------------------------------------------------------------


@dataclass(frozen=True)
class DueSoon:
    item: Item
    state: ItemState


def _due_soon_bound(now: dt.datetime, config: ThresholdConfig) -> dt.datetime:
    """A moment no due-soon item is due after, on any calendar and any procedure's threshold:
    the index on ``Item.due`` narrows the scan to this window before the exact check folds
    the few items in it."""
    durations = {config.default.due_soon, *(t.due_soon for t in config.procedures.values())}
    codes = {settings.CONGVU_DEFAULT_CALENDAR, *Calendar.objects.values_list("code", flat=True)}
    bound = now
    for code in codes:
        try:
            calendar = calendar_build(code)
            for d in durations:
                end = add_duration(calendar, now, d)
                if d.is_working:
                    # a due moment after the session's end, before the next opening, has the
                    # same working position as the end: still within the threshold
                    end = next_working_moment(calendar, end + dt.timedelta(seconds=1))
                bound = max(bound, end)
        except DomainError as e:
            logger.warning("alerts: calendar %s cannot bound the reminders: %s", code, e)
            bound = max(bound, now + dt.timedelta(days=31))
    return bound


def items_due_soon(
    *,
    now: dt.datetime,
    ctx: FoldContext | None = None,
    config: ThresholdConfig | None = None,
    units: Iterable[str] | None = None,
) -> list[DueSoon]:
    """Open, running items within their threshold's ``due_soon`` of their due moment at
    ``now`` (the domain's :func:`~congvu.domain.supervision.is_due_soon`, on the receiving
    unit's calendar, with the procedure's thresholds), soonest first."""
    ctx = ctx or FoldContext()
    config = config or threshold_config()
    items = Item.objects.filter(
        status=Item.Status.OPEN, due__gt=now, due__lte=_due_soon_bound(now, config)
    )
    if units is not None:
        items = items.filter(unit__in=list(units))
    out: list[DueSoon] = []
    for chunk in _item_chunks(items):
        histories = events_of_items(chunk)
        ctx.prepare_items(chunk)
        for item in chunk:
            history = histories[item.pk]
            try:
                state = ctx.fold(history, as_of=now)
                thresholds = config.thresholds_for(item.procedure or None)
                if is_due_soon(
                    state, calendar=ctx.calendar(history[0].unit), thresholds=thresholds
                ):
                    out.append(DueSoon(item, state))
            except DomainError as e:
                logger.warning(
                    "alerts: %s/%s not checked for reminders: %s", item.source, item.code, e
                )
    out.sort(key=lambda d: (d.state.due, d.item.pk))
    return out


# --- Digests --------------------------------------------------------------------------------


def overdue_items(unit: str, now: dt.datetime) -> QuerySet[Item]:
    """A unit's unfinished items past due at ``now``: running past their due moment, or
    waiting on the applicant after the due had already passed."""
    return Item.objects.filter(
        Q(status=Item.Status.OPEN, due__lt=now) | Q(status=Item.Status.PAUSED, late=True),
        unit=unit,
    ).order_by("due", "pk")


def new_findings(unit: str, since: dt.datetime, now: dt.datetime) -> QuerySet[Finding]:
    """Findings against ``unit`` first detected in ``[since, now]`` and still current."""
    return (
        Finding.objects.filter(
            unit=unit, detected_at__gte=since, detected_at__lte=now, lapsed_at__isnull=True
        )
        .select_related("item")
        .order_by("-at", "pk")
    )


@dataclass
class Digest:
    """What a unit's heads read about one day."""

    unit: str
    name: str
    day: dt.date
    since: dt.datetime
    findings: int = 0
    finding_rows: list[Finding] = field(default_factory=list)
    overdue: int = 0
    overdue_rows: list[Item] = field(default_factory=list)
    due_soon: list[DueSoon] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.findings or self.overdue or self.due_soon)


def digest_candidates(
    now: dt.datetime, due_soon: list[DueSoon], lookback: dt.timedelta
) -> set[str]:
    """The unit codes that may have something to report: new findings within ``lookback``,
    unfinished items past due, items due soon."""
    codes = set(
        Finding.objects.filter(detected_at__gte=now - lookback, lapsed_at__isnull=True)
        .values_list("unit", flat=True)
        .distinct()
    )
    codes |= set(
        Item.objects.filter(
            Q(status=Item.Status.OPEN, due__lt=now) | Q(status=Item.Status.PAUSED, late=True)
        )
        .values_list("unit", flat=True)
        .distinct()
    )
    codes |= {d.item.unit for d in due_soon}
    return codes


def digest_build(
    *, unit: str, name: str, day: dt.date, since: dt.datetime, now: dt.datetime, due_soon
) -> Digest:
    digest = Digest(unit=unit, name=name, day=day, since=since)
    findings = new_findings(unit, since, now)
    digest.findings = findings.count()
    digest.finding_rows = list(findings[:DIGEST_ROWS])
    overdue = overdue_items(unit, now)
    digest.overdue = overdue.count()
    digest.overdue_rows = list(overdue[:DIGEST_ROWS])
    digest.due_soon = [d for d in due_soon if d.item.unit == unit]
    return digest


def day_start(day: dt.date) -> dt.datetime:
    """00:00 of ``day`` in Vietnam (the moment a digest refers to)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


def unit_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Unit.objects.filter(code__in=set(codes)).values_list("code", "name"))
