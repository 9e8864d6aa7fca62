"""Scoring: rates with Wilson intervals, reporting periods, the league table of units and the
definition of every figure (PRODUCT.md I, L; "What no existing system does" 5).

Pure Python (standard library only; ``mypy --strict``; no Django)::

    from congvu.domain.scoring import ScoringPolicy, UnitTally, league_table

    rows = league_table(tallies, ScoringPolicy(min_sample=30, justified_weight=0.5))

See docs/dashboards.md for the figures and their formulas.
"""

from __future__ import annotations

from congvu.domain.scoring.errors import (
    InvalidPeriodError,
    InvalidPolicyError,
    InvalidSampleError,
)
from congvu.domain.scoring.figures import FIGURES, Figure
from congvu.domain.scoring.league import (
    DEFAULT_POLICY,
    SORT_KEYS,
    LeagueRow,
    ScoringPolicy,
    UnitTally,
    league_table,
    score_unit,
    sort_rows,
)
from congvu.domain.scoring.periods import Period, PeriodKind, parse_period, period_of
from congvu.domain.scoring.wilson import Z95, Rate, rate, wilson_interval

__all__ = [
    "DEFAULT_POLICY",
    "FIGURES",
    "SORT_KEYS",
    "Z95",
    "Figure",
    "InvalidPeriodError",
    "InvalidPolicyError",
    "InvalidSampleError",
    "LeagueRow",
    "Period",
    "PeriodKind",
    "Rate",
    "ScoringPolicy",
    "UnitTally",
    "league_table",
    "parse_period",
    "period_of",
    "rate",
    "score_unit",
    "sort_rows",
    "wilson_interval",
]
