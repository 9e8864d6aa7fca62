"""Reads of the dashboards: every figure is aggregated in the database, one grouped query per
family of figures (judged items, findings, open items), never a loop over units.

**Which unit an item counts for.** ``Item.unit``: the unit that held the item when it was
finished, or that holds it now while it is open — the handling unit. Not the receiving
``agency``: a one-stop centre receives for every department and would carry all their
lateness, while the handling unit is the one the law holds to the time limit (Decree 118/2025
art. 19). Findings count for their responsible ``unit`` (the holder at the missed moment or
the author of the faulty act, docs/domain/supervision.md).

**Which items are judged in a period** (docs/dashboards.md): those whose due moment falls in
the period and whose outcome is known at ``as_of`` (the period's end, or now if earlier):
finished with a result or a refusal, or still open past due (an open overdue item is late;
a paused one counts if it went past due before the pause). Withdrawn items and items closed
for want of a supplement are nobody's lateness and are not judged.

**Findings** are counted by their moment ``at`` within the period, lapsed ones excluded (they
were superseded, e.g. ``OVERDUE`` by ``LATE_RESULT``); they stay listed on their item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from congvu.apps.ledger import clock
from congvu.apps.ledger.models import Item
from congvu.apps.organisations.models import Official, Unit
from congvu.apps.supervision.models import Finding
from congvu.domain.calendar import VN_TZ
from congvu.domain.scoring import (
    LeagueRow,
    Period,
    PeriodKind,
    Rate,
    ScoringPolicy,
    UnitTally,
    league_table,
    period_of,
    rate,
    score_unit,
)
from congvu.domain.supervision import RULES

S = Item.Status
FINISHED = (S.RESOLVED, S.RETURNED, S.REFUSED)

#: Unit levels of each block of the league table: departments and communes are ranked
#: apart (as the 766 index ranks its department and commune blocks within a province).
BLOCKS: dict[str, tuple[str, ...]] = {
    "so-nganh": (Unit.Level.DEPARTMENT,),
    "xa-phuong": (Unit.Level.COMMUNE, Unit.Level.WARD, Unit.Level.SPECIAL_ZONE),
}


def scoring_policy() -> ScoringPolicy:
    return ScoringPolicy(
        min_sample=settings.CONGVU_LEAGUE_MIN_SAMPLE,
        justified_weight=settings.CONGVU_JUSTIFIED_WEIGHT,
    )


@dataclass(frozen=True)
class Window:
    """A period as moments: ``[start, end)`` at 00:00 in Vietnam, and ``as_of`` = the end or
    now if earlier (what "overdue" is judged against)."""

    period: Period
    start: dt.datetime
    end: dt.datetime
    as_of: dt.datetime

    @classmethod
    def of(cls, period: Period, now: dt.datetime | None = None) -> Window:
        now = now or clock.now()
        start = dt.datetime.combine(period.start, dt.time(), tzinfo=VN_TZ)
        end = dt.datetime.combine(period.end, dt.time(), tzinfo=VN_TZ)
        return cls(period, start, end, min(now, end))


def default_period(now: dt.datetime | None = None) -> Period:
    return period_of((now or clock.now()).date(), PeriodKind.YEAR)


# --- scopes ---------------------------------------------------------------------------------


def _scoped(qs: QuerySet, scope: QuerySet[Unit] | None, field: str = "unit") -> QuerySet:
    return qs if scope is None else qs.filter(**{f"{field}__in": scope.values("code")})


def _in_block(qs: QuerySet, block: str | None, field: str = "unit") -> QuerySet:
    levels = BLOCKS.get(block or "")
    if not levels:
        return qs
    return qs.filter(**{f"{field}__in": Unit.objects.filter(level__in=levels).values("code")})


# --- the families of figures ----------------------------------------------------------------


def judged_items(window: Window) -> QuerySet[Item]:
    """Items due in the window whose outcome is known at ``as_of``."""
    overdue = Q(status=S.OPEN, due__lt=window.as_of) | Q(status=S.PAUSED, late=True)
    return Item.objects.filter(due__gte=window.start, due__lt=window.end).filter(
        Q(status__in=FINISHED) | overdue
    )


_ON_TIME = Q(status__in=FINISHED, late=False)
_ITEM_FIGURES = {
    "judged": Count("pk"),
    "on_time": Count("pk", filter=_ON_TIME),
    "open_overdue": Count("pk", filter=~Q(status__in=FINISHED)),
    "lateness_seconds": Sum("lateness_seconds", filter=~_ON_TIME, default=0),
    "rated": Count("pk", filter=Q(rating__isnull=False)),
    "rating_sum": Sum("rating", default=0),
    "satisfied": Count("pk", filter=Q(rating__gte=4)),
}


def current_findings(window: Window) -> QuerySet[Finding]:
    return Finding.objects.filter(lapsed_at__isnull=True, at__gte=window.start, at__lt=window.end)


_FINDING_FIGURES = {
    "findings": Count("pk"),
    "justified": Count("pk", filter=Q(review=Finding.Review.ACCEPTED)),
}


def tallies_by(
    field: str,
    window: Window,
    *,
    scope: QuerySet[Unit] | None,
    block: str | None = None,
    only: Iterable[str] | None = None,
) -> dict[str, UnitTally]:
    """``field`` (``unit`` or ``official``) → its tally over the window: two grouped queries
    (judged items, findings) whatever the number of units."""
    items = _in_block(_scoped(judged_items(window), scope), block)
    findings = _in_block(_scoped(current_findings(window), scope), block)
    if only is not None:
        codes = list(only)
        items = items.filter(**{f"{field}__in": codes})
        findings = findings.filter(**{f"{field}__in": codes})
    out: dict[str, UnitTally] = {}
    for row in items.order_by().values(field).annotate(**_ITEM_FIGURES):
        code = row.pop(field)
        out[code] = UnitTally(code, **row)
    for row in findings.order_by().values(field).annotate(**_FINDING_FIGURES):
        code = row.pop(field)
        extra = UnitTally(code, **row)
        out[code] = out[code].merged(extra) if code in out else extra
    out.pop("", None)  # findings or items without an official (field="official")
    return out


def total_tally(window: Window, *, scope: QuerySet[Unit] | None, **filters) -> UnitTally:
    """One tally over everything in scope (two queries)."""
    items = _scoped(judged_items(window), scope).filter(**filters).aggregate(**_ITEM_FIGURES)
    findings = (
        _scoped(current_findings(window), scope).filter(**filters).aggregate(**_FINDING_FIGURES)
    )
    return UnitTally("*", **items, **findings)


@dataclass(frozen=True)
class League:
    rows: list[LeagueRow]
    names: dict[str, str]
    policy: ScoringPolicy


def league(window: Window, *, scope: QuerySet[Unit] | None, block: str | None = None) -> League:
    """The league table of the units in scope (and block): three queries."""
    policy = scoring_policy()
    tallies = tallies_by("unit", window, scope=scope, block=block)
    rows = league_table(tallies.values(), policy)
    return League(rows=rows, names=unit_names(tallies), policy=policy)


def unit_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Unit.objects.filter(code__in=list(codes)).values_list("code", "name"))


def official_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Official.objects.filter(code__in=list(codes)).values_list("code", "full_name"))


def overdue_now(
    *, scope: QuerySet[Unit] | None, now: dt.datetime | None = None, **filters
) -> QuerySet[Item]:
    """Unfinished items past due at ``now`` (a paused one if it went past due before)."""
    now = now or clock.now()
    qs = Item.objects.filter(Q(status=S.OPEN, due__lt=now) | Q(status=S.PAUSED, late=True))
    return _scoped(qs, scope).filter(**filters)


# --- the province overview ------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCount:
    rule: str
    title: str
    findings: int
    justified: int


def findings_by_rule(
    window: Window, *, scope: QuerySet[Unit] | None, lang: str = "vi", **filters
) -> list[RuleCount]:
    rows = (
        _scoped(current_findings(window), scope)
        .filter(**filters)
        .order_by()
        .values("rule")
        .annotate(**_FINDING_FIGURES)
    )
    out = [
        RuleCount(
            rule=r["rule"],
            title=RULES[r["rule"]].title(lang) if r["rule"] in RULES else r["rule"],
            findings=r["findings"],
            justified=r["justified"],
        )
        for r in rows
    ]
    order = {code: i for i, code in enumerate(RULES)}
    return sorted(out, key=lambda r: (-r.findings, order.get(r.rule, len(order)), r.rule))


@dataclass(frozen=True)
class MonthFigures:
    month: Period
    judged: int
    on_time: Rate | None
    open_overdue: int
    findings: int


def monthly_trend(window: Window, *, scope: QuerySet[Unit] | None, **filters) -> list[MonthFigures]:
    """The period's months (for a month: the months of its year), up to ``as_of``: judged
    items by the month of their due moment, findings by the month of their moment — two
    queries."""
    if window.period.kind is PeriodKind.MONTH:
        trend_window = Window.of(Period(window.period.year, PeriodKind.YEAR), window.as_of)
    else:
        trend_window = window
    month = TruncMonth("due", tzinfo=VN_TZ)
    items = {
        _month_key(r["m"]): r
        for r in _scoped(judged_items(trend_window), scope)
        .filter(**filters)
        .order_by()
        .annotate(m=month)
        .values("m")
        .annotate(
            judged=Count("pk"),
            on_time=Count("pk", filter=_ON_TIME),
            open_overdue=Count("pk", filter=~Q(status__in=FINISHED)),
        )
    }
    findings = {
        _month_key(r["m"]): r["n"]
        for r in _scoped(current_findings(trend_window), scope)
        .filter(**filters)
        .order_by()
        .annotate(m=TruncMonth("at", tzinfo=VN_TZ))
        .values("m")
        .annotate(n=Count("pk"))
    }
    out = []
    for m in trend_window.period.months():
        if m.start > trend_window.as_of.date():
            break
        row = items.get((m.year, m.number), {})
        judged = row.get("judged", 0)
        out.append(
            MonthFigures(
                month=m,
                judged=judged,
                on_time=rate(row.get("on_time", 0), judged),
                open_overdue=row.get("open_overdue", 0),
                findings=findings.get((m.year, m.number), 0),
            )
        )
    return out


def _month_key(value: dt.date | dt.datetime) -> tuple[int, int]:
    if isinstance(value, dt.datetime):
        value = value.astimezone(VN_TZ)
    return (value.year, value.month)


# --- a unit, an official --------------------------------------------------------------------


def items_by_status(
    window: Window, *, scope: QuerySet[Unit] | None, **filters
) -> list[tuple[str, str, int]]:
    """Items received in the window by their status now: (status, label, count), one query."""
    labels = dict(Item.Status.choices)
    counts = dict(
        _scoped(
            Item.objects.filter(received_at__gte=window.start, received_at__lt=window.end), scope
        )
        .filter(**filters)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [(s, str(labels[s]), counts.get(s, 0)) for s in Item.Status.values]


@dataclass(frozen=True)
class Queue:
    official: str
    name: str
    open: int
    paused: int
    overdue: int


def official_queues(unit: str, *, now: dt.datetime | None = None) -> list[Queue]:
    """The unit's open items by the official holding them (one query, one for the names);
    items held by nobody in particular are listed under an empty code."""
    now = now or clock.now()
    rows = (
        Item.objects.filter(unit=unit, status__in=Item.OPEN_STATUSES)
        .order_by()
        .values("official")
        .annotate(
            open=Count("pk", filter=Q(status=S.OPEN)),
            paused=Count("pk", filter=Q(status=S.PAUSED)),
            overdue=Count(
                "pk", filter=Q(status=S.OPEN, due__lt=now) | Q(status=S.PAUSED, late=True)
            ),
        )
    )
    rows = list(rows)
    names = official_names(r["official"] for r in rows if r["official"])
    out = [
        Queue(
            official=r["official"],
            name=names.get(r["official"], r["official"]),
            open=r["open"],
            paused=r["paused"],
            overdue=r["overdue"],
        )
        for r in rows
    ]
    return sorted(out, key=lambda q: (-q.overdue, -(q.open + q.paused), q.name))


def unit_row(window: Window, unit: Unit, *, scope: QuerySet[Unit] | None) -> LeagueRow | None:
    """The unit's league row within its block (so that its rank is the one the league table
    shows for that block); ``None`` when nothing was judged or found in the period."""
    block = next((b for b, levels in BLOCKS.items() if unit.level in levels), None)
    table = league(window, scope=scope, block=block)
    return next((r for r in table.rows if r.unit == unit.code), None)


def official_row(window: Window, code: str, *, scope: QuerySet[Unit] | None) -> LeagueRow:
    tally = tallies_by("official", window, scope=scope, only=[code]).get(code, UnitTally(code))
    return score_unit(tally, scoring_policy())


def official_open_items(code: str, *, scope: QuerySet[Unit] | None, limit: int = 100):
    return _scoped(
        Item.objects.filter(official=code, status__in=Item.OPEN_STATUSES), scope
    ).order_by("status", "due", "pk")[:limit]
