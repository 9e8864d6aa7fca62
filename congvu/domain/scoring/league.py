"""The league table of units: defensible figures from per-unit counts, and the ranking.

The shell counts, per unit and period, what :class:`UnitTally` holds (in the database, one
grouped query per family of figures); this module turns the counts into figures with their
Wilson intervals, decides who is ranked and in what order. Pure and deterministic: the same
tallies and policy give the same table.

The figures (their full definitions, in Vietnamese and English, are in
:mod:`congvu.domain.scoring.figures`, shown beside every figure on screen):

* **on-time rate** = on time / judged, where *judged* are the items whose due moment falls in
  the period and whose outcome is known: finished (with a result or a refusal), or still
  open and already past due — **an open overdue item counts as late**;
* **average lateness** = the mean of the working seconds past due over the late items, in
  working hours;
* **findings per 1,000 items** = weighted findings / judged × 1,000, where a finding whose
  justification was accepted weighs ``policy.justified_weight`` (default 0.5) and any other
  finding weighs 1;
* **satisfaction** = the mean rating (1–5) and the share of ratings 4–5 (Wilson), over the
  judged items that were rated.

**Ranking.** A unit with fewer than ``policy.min_sample`` judged items is listed but not
ranked (a rate over a handful of items says little; its interval shows how little). Ranked
units are ordered by, in turn: the higher on-time rate; the fewer weighted findings per 1,000
items; the lower average lateness (a unit without late items counts as 0); the larger sample.
The comparison is exact (fractions, no rounding); units equal on all four share a rank
(competition ranking 1, 2, 2, 4) and are listed by unit code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from congvu.domain.scoring.errors import InvalidPolicyError, InvalidSampleError
from congvu.domain.scoring.wilson import Z95, Rate, rate

__all__ = [
    "DEFAULT_POLICY",
    "SORT_KEYS",
    "LeagueRow",
    "ScoringPolicy",
    "UnitTally",
    "league_table",
    "score_unit",
    "sort_rows",
]


@dataclass(frozen=True, slots=True)
class ScoringPolicy:
    """The province's choices for the league table.

    ``min_sample``: judged items a unit needs to be ranked (≥ 1; default 30).
    ``justified_weight``: what a finding with an accepted justification weighs, between 0
    (not counted at all) and 1 (as any other); default 0.5 — a valid reason lowers the weight
    but the finding stays on the record. ``z``: the normal quantile of the intervals (95 %).
    Raises :class:`InvalidPolicyError` for values out of range.
    """

    min_sample: int = 30
    justified_weight: float = 0.5
    z: float = Z95

    def __post_init__(self) -> None:
        if isinstance(self.min_sample, bool) or self.min_sample < 1:
            raise InvalidPolicyError(
                name="min_sample",
                value=self.min_sample,
                expected_vi="số nguyên từ 1 trở lên",
                expected_en="an integer of at least 1",
            )
        if not 0 <= self.justified_weight <= 1:
            raise InvalidPolicyError(
                name="justified_weight",
                value=self.justified_weight,
                expected_vi="số từ 0 đến 1",
                expected_en="a number between 0 and 1",
            )
        if not self.z > 0:
            raise InvalidPolicyError(
                name="z", value=self.z, expected_vi="số dương", expected_en="a positive number"
            )


DEFAULT_POLICY = ScoringPolicy()


@dataclass(frozen=True, slots=True)
class UnitTally:
    """What was counted for one unit over one period.

    ``judged``: items due in the period whose outcome is known (finished with a result or
    refusal, or open and past due); ``on_time``: those finished by their due moment;
    ``open_overdue``: those still open past due (counted late); ``lateness_seconds``: the
    working seconds past due summed over the late ones; ``findings``: current (not lapsed)
    findings of the unit in the period, of which ``justified`` have an accepted
    justification; ``rated``: judged items with a citizen's rating, ``rating_sum`` the sum of
    those ratings (1–5) and ``satisfied`` how many were 4 or 5.

    Raises :class:`InvalidSampleError` when the parts do not fit the whole.
    """

    unit: str
    judged: int = 0
    on_time: int = 0
    open_overdue: int = 0
    lateness_seconds: int = 0
    findings: int = 0
    justified: int = 0
    rated: int = 0
    rating_sum: int = 0
    satisfied: int = 0

    def __post_init__(self) -> None:
        for name in (
            "judged",
            "on_time",
            "open_overdue",
            "lateness_seconds",
            "findings",
            "justified",
            "rated",
            "rating_sum",
            "satisfied",
        ):
            if getattr(self, name) < 0:
                _bad(self.unit, name, getattr(self, name), "không được âm", "must not be negative")
        if self.on_time + self.open_overdue > self.judged:
            _bad(
                self.unit,
                "on_time + open_overdue",
                self.on_time + self.open_overdue,
                f"vượt số hồ sơ được đánh giá ({self.judged})",
                f"exceeds the judged items ({self.judged})",
            )
        if self.justified > self.findings:
            _bad(
                self.unit,
                "justified",
                self.justified,
                f"vượt số phát hiện ({self.findings})",
                f"exceeds the findings ({self.findings})",
            )
        if self.rated > self.judged or self.satisfied > self.rated:
            _bad(
                self.unit,
                "rated/satisfied",
                f"{self.rated}/{self.satisfied}",
                "số được đánh giá vượt số hồ sơ, hoặc số hài lòng vượt số được đánh giá",
                "more rated than judged, or more satisfied than rated",
            )
        if not self.rated <= self.rating_sum <= 5 * self.rated:
            _bad(
                self.unit,
                "rating_sum",
                self.rating_sum,
                f"phải từ {self.rated} đến {5 * self.rated} (điểm 1–5)",
                f"must be between {self.rated} and {5 * self.rated} (scores 1–5)",
            )

    @property
    def late(self) -> int:
        """Judged items that were not on time (finished late, or open past due)."""
        return self.judged - self.on_time

    def merged(self, other: UnitTally) -> UnitTally:
        """The sum of two tallies of the same unit (e.g. the items and findings families
        counted separately), keeping this one's ``unit``."""
        return UnitTally(
            unit=self.unit,
            judged=self.judged + other.judged,
            on_time=self.on_time + other.on_time,
            open_overdue=self.open_overdue + other.open_overdue,
            lateness_seconds=self.lateness_seconds + other.lateness_seconds,
            findings=self.findings + other.findings,
            justified=self.justified + other.justified,
            rated=self.rated + other.rated,
            rating_sum=self.rating_sum + other.rating_sum,
            satisfied=self.satisfied + other.satisfied,
        )


def _bad(unit: str, what: str, value: Any, vi: str, en: str) -> None:
    raise InvalidSampleError(what=f"{unit}.{what}", value=value, reason_vi=vi, reason_en=en)


@dataclass(frozen=True, slots=True)
class LeagueRow:
    """One unit's figures. Figures without a sample are ``None`` (shown as "—"), never 0.

    ``on_time``: the on-time :class:`Rate`; ``average_lateness_hours``: working hours;
    ``findings_weighted``: findings at their weights; ``findings_per_1000``;
    ``satisfaction_mean`` (1–5) and ``satisfied`` (share of 4–5 ratings, a :class:`Rate`);
    ``ranked``: whether the sample reaches the minimum; ``rank``: its place (``None`` when
    not ranked).
    """

    unit: str
    tally: UnitTally
    on_time: Rate | None
    average_lateness_hours: float | None
    findings_weighted: float
    findings_per_1000: float | None
    satisfaction_mean: float | None
    satisfied: Rate | None
    ranked: bool
    rank: int | None = None

    @property
    def judged(self) -> int:
        """The sample size of the on-time rate."""
        return self.tally.judged


def score_unit(tally: UnitTally, policy: ScoringPolicy = DEFAULT_POLICY) -> LeagueRow:
    """One unit's figures (not yet ranked: ``rank`` is ``None``)."""
    weighted = _weighted(tally, policy)
    late = tally.late
    return LeagueRow(
        unit=tally.unit,
        tally=tally,
        on_time=rate(tally.on_time, tally.judged, policy.z),
        average_lateness_hours=(tally.lateness_seconds / late / 3600) if late else None,
        findings_weighted=float(weighted),
        findings_per_1000=float(weighted * 1000 / tally.judged) if tally.judged else None,
        satisfaction_mean=tally.rating_sum / tally.rated if tally.rated else None,
        satisfied=rate(tally.satisfied, tally.rated, policy.z),
        ranked=tally.judged >= policy.min_sample,
    )


def _weighted(tally: UnitTally, policy: ScoringPolicy) -> Fraction:
    return Fraction(tally.findings - tally.justified) + tally.justified * Fraction(
        policy.justified_weight
    )


def _rank_key(row: LeagueRow, policy: ScoringPolicy) -> tuple[Fraction, Fraction, Fraction, int]:
    t = row.tally
    on_time = Fraction(t.on_time, t.judged)
    per_1000 = _weighted(t, policy) * 1000 / t.judged
    lateness = Fraction(t.lateness_seconds, t.late) if t.late else Fraction(0)
    return (-on_time, per_1000, lateness, -t.judged)


def league_table(
    tallies: Iterable[UnitTally], policy: ScoringPolicy = DEFAULT_POLICY
) -> list[LeagueRow]:
    """Score every unit and rank those with enough sample.

    Returns the ranked rows in rank order (equal rows by unit code), then the unranked ones
    by sample size (largest first) and unit code. A unit listed twice raises
    :class:`InvalidSampleError` (merge its tallies first, :meth:`UnitTally.merged`).
    """
    rows: list[LeagueRow] = []
    seen: set[str] = set()
    for tally in tallies:
        if tally.unit in seen:
            _bad(tally.unit, "unit", tally.unit, "đơn vị bị liệt kê hai lần", "unit listed twice")
        seen.add(tally.unit)
        rows.append(score_unit(tally, policy))
    ranked = sorted((r for r in rows if r.ranked), key=lambda r: (_rank_key(r, policy), r.unit))
    out: list[LeagueRow] = []
    previous: tuple[Fraction, Fraction, Fraction, int] | None = None
    place = 0
    for i, row in enumerate(ranked, start=1):
        key = _rank_key(row, policy)
        if key != previous:
            place, previous = i, key
        out.append(_with_rank(row, place))
    out += sorted((r for r in rows if not r.ranked), key=lambda r: (-r.judged, r.unit))
    return out


def _with_rank(row: LeagueRow, place: int) -> LeagueRow:
    return LeagueRow(
        unit=row.unit,
        tally=row.tally,
        on_time=row.on_time,
        average_lateness_hours=row.average_lateness_hours,
        findings_weighted=row.findings_weighted,
        findings_per_1000=row.findings_per_1000,
        satisfaction_mean=row.satisfaction_mean,
        satisfied=row.satisfied,
        ranked=row.ranked,
        rank=place,
    )


#: The columns a league table can be sorted by: name → the value compared (``None`` =
#: no sample, always listed last whatever the direction).
SORT_KEYS: dict[str, Callable[[LeagueRow], float | int | None]] = {
    "rank": lambda r: r.rank,
    "on_time": lambda r: r.on_time.value if r.on_time else None,
    "lateness": lambda r: r.average_lateness_hours,
    "findings": lambda r: r.findings_per_1000,
    "satisfaction": lambda r: r.satisfaction_mean,
    "satisfied": lambda r: r.satisfied.value if r.satisfied else None,
    "sample": lambda r: r.judged,
    "overdue": lambda r: r.tally.open_overdue,
}


def sort_rows(rows: Sequence[LeagueRow], column: str, descending: bool = False) -> list[LeagueRow]:
    """``rows`` ordered by ``column`` (a key of :data:`SORT_KEYS`; unknown → ``rank``).

    Rows without a value (no sample, or unranked when sorting by rank) come last in both
    directions; equal values keep the league order (the sort is stable)."""
    get = SORT_KEYS.get(column, SORT_KEYS["rank"])
    present = [r for r in rows if get(r) is not None]
    missing = [r for r in rows if get(r) is None]
    present.sort(key=lambda r: get(r) or 0, reverse=descending)
    return present + missing
