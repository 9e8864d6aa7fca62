"""The league table: figures from tallies, the minimum sample, the tie-break policy."""

from __future__ import annotations

import pytest

from congvu.domain.scoring import (
    FIGURES,
    InvalidPolicyError,
    InvalidSampleError,
    ScoringPolicy,
    UnitTally,
    league_table,
    score_unit,
    sort_rows,
)

H = 3600  # one working hour in seconds


# --- figures of one unit ------------------------------------------------------------------

FIGURE_CASES = [
    # (tally, policy, on-time value, avg lateness h, findings/1000, mean rating, share 4–5)
    pytest.param(
        UnitTally("U", judged=40, on_time=35, open_overdue=2, lateness_seconds=5 * 2 * H,
                  findings=4, justified=2, rated=10, rating_sum=42, satisfied=8),
        ScoringPolicy(),
        0.875, 2.0, 75.0, 4.2, 0.8,
        id="accepted justifications weigh 0.5 by default",
    ),
    pytest.param(
        UnitTally("U", judged=40, on_time=35, lateness_seconds=5 * 2 * H, findings=4,
                  justified=2),
        ScoringPolicy(justified_weight=0),
        0.875, 2.0, 50.0, None, None,
        id="weight 0: a justified finding does not count",
    ),
    pytest.param(
        UnitTally("U", judged=40, on_time=35, lateness_seconds=5 * 2 * H, findings=4,
                  justified=2),
        ScoringPolicy(justified_weight=1),
        0.875, 2.0, 100.0, None, None,
        id="weight 1: a justified finding counts in full",
    ),
    pytest.param(
        UnitTally("U", judged=3, on_time=0, open_overdue=3, lateness_seconds=3 * 8 * H),
        ScoringPolicy(),
        0.0, 8.0, 0.0, None, None,
        id="open overdue items are the late ones",
    ),
    pytest.param(
        UnitTally("U", judged=12, on_time=12),
        ScoringPolicy(),
        1.0, None, 0.0, None, None,
        id="no late item: no average lateness",
    ),
    pytest.param(
        UnitTally("U", findings=3, justified=1),
        ScoringPolicy(),
        None, None, None, None, None,
        id="findings without judged items: no rate, no per-1000",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tally", "policy", "on_time", "lateness", "per_1000", "mean", "share"), FIGURE_CASES
)
def test_unit_figures(tally, policy, on_time, lateness, per_1000, mean, share):
    row = score_unit(tally, policy)
    assert (row.on_time.value if row.on_time else None) == on_time
    assert row.average_lateness_hours == lateness
    assert row.findings_per_1000 == per_1000
    assert row.satisfaction_mean == mean
    assert (row.satisfied.value if row.satisfied else None) == share
    if row.on_time:
        assert row.on_time.low <= row.on_time.value <= row.on_time.high
        assert row.on_time.n == tally.judged


def test_findings_weighted_is_reported_alongside_the_rate():
    row = score_unit(UnitTally("U", judged=100, on_time=90, findings=3, justified=1))
    assert row.findings_weighted == 2.5 and row.findings_per_1000 == 25.0


# --- who is ranked, and in what order -------------------------------------------------------


def codes_and_ranks(rows):
    return [(r.unit, r.rank) for r in rows]


RANKING_CASES = [
    pytest.param(
        [UnitTally("A", judged=30, on_time=27), UnitTally("B", judged=29, on_time=29),
         UnitTally("C", judged=100, on_time=80)],
        ScoringPolicy(),
        [("A", 1), ("C", 2), ("B", None)],
        id="below the minimum sample: listed after the ranked, not ranked",
    ),
    pytest.param(
        [UnitTally("A", judged=30, on_time=27), UnitTally("B", judged=29, on_time=29)],
        ScoringPolicy(min_sample=5),
        [("B", 1), ("A", 2)],
        id="the minimum sample is a setting",
    ),
    pytest.param(
        [UnitTally("A", judged=40, on_time=36, findings=2),
         UnitTally("B", judged=30, on_time=27, findings=1)],
        ScoringPolicy(),
        [("B", 1), ("A", 2)],
        id="equal rate (exactly 0.9): fewer findings per 1,000 first",
    ),
    pytest.param(
        [UnitTally("A", judged=40, on_time=36, lateness_seconds=4 * 3 * H),
         UnitTally("B", judged=30, on_time=27, lateness_seconds=3 * 2 * H)],
        ScoringPolicy(),
        [("B", 1), ("A", 2)],
        id="equal rate and findings: lower average lateness first",
    ),
    pytest.param(
        [UnitTally("A", judged=30, on_time=30), UnitTally("B", judged=60, on_time=60)],
        ScoringPolicy(),
        [("B", 1), ("A", 2)],
        id="equal on all figures: the larger sample first",
    ),
    pytest.param(
        [UnitTally("D", judged=50, on_time=40), UnitTally("B", judged=50, on_time=45),
         UnitTally("C", judged=50, on_time=45), UnitTally("A", judged=50, on_time=30)],
        ScoringPolicy(),
        [("B", 1), ("C", 1), ("D", 3), ("A", 4)],
        id="equal on all four: shared rank, listed by code (1, 1, 3, 4)",
    ),
    pytest.param(
        [UnitTally("A", judged=40, on_time=36, findings=2, justified=2),
         UnitTally("B", judged=40, on_time=36, findings=1)],
        ScoringPolicy(),
        [("A", 1), ("B", 1)],
        id="two justified findings at 0.5 weigh one unjustified",
    ),
    pytest.param(
        [UnitTally("A", judged=40, on_time=36, findings=2, justified=2),
         UnitTally("B", judged=40, on_time=36, findings=1)],
        ScoringPolicy(justified_weight=0.25),
        [("A", 1), ("B", 2)],
        id="a lighter weight ranks the justified unit first",
    ),
    pytest.param(
        [UnitTally("A", judged=31, on_time=30), UnitTally("B", judged=0, findings=2),
         UnitTally("C", judged=10, on_time=1)],
        ScoringPolicy(),
        [("A", 1), ("C", None), ("B", None)],
        id="unranked units by sample size, then code",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("tallies", "policy", "expected"), RANKING_CASES)
def test_ranking(tallies, policy, expected):
    assert codes_and_ranks(league_table(tallies, policy)) == expected


def test_ranking_does_not_depend_on_the_input_order():
    tallies = [
        UnitTally(f"U{i:02}", judged=30 + i % 7, on_time=25 + i % 5, findings=i % 3)
        for i in range(20)
    ]
    assert codes_and_ranks(league_table(tallies)) == codes_and_ranks(
        league_table(reversed(tallies))
    )


def test_a_unit_listed_twice_is_refused():
    with pytest.raises(InvalidSampleError):
        league_table([UnitTally("A", judged=1, on_time=1), UnitTally("A")])


def test_tallies_of_one_unit_merge():
    items = UnitTally("A", judged=40, on_time=30, open_overdue=2, lateness_seconds=9 * H,
                      rated=5, rating_sum=20, satisfied=4)  # fmt: skip
    findings = UnitTally("A", findings=3, justified=1)
    merged = items.merged(findings)
    assert (merged.judged, merged.findings, merged.justified, merged.rated) == (40, 3, 1, 5)


@pytest.mark.parametrize(
    "fields",
    [
        {"judged": -1},
        {"judged": 3, "on_time": 4},
        {"judged": 3, "on_time": 2, "open_overdue": 2},
        {"findings": 1, "justified": 2},
        {"judged": 2, "on_time": 2, "rated": 3, "rating_sum": 9},
        {"judged": 2, "on_time": 2, "rated": 2, "rating_sum": 11, "satisfied": 2},
        {"judged": 2, "on_time": 2, "rated": 2, "rating_sum": 8, "satisfied": 3},
    ],
)
def test_impossible_tallies_are_refused_naming_the_unit(fields):
    with pytest.raises(InvalidSampleError) as e:
        UnitTally("X9", **fields)
    assert "X9." in e.value.message("vi")


@pytest.mark.parametrize(
    "fields", [{"min_sample": 0}, {"justified_weight": 1.5}, {"justified_weight": -0.1}, {"z": 0}]
)
def test_policy_values_out_of_range_are_refused(fields):
    with pytest.raises(InvalidPolicyError) as e:
        ScoringPolicy(**fields)
    assert next(iter(fields)) in e.value.message("en")


# --- sorting --------------------------------------------------------------------------------


def test_sorting_puts_rows_without_a_value_last_in_both_directions():
    rows = league_table(
        [
            UnitTally("A", judged=40, on_time=30, lateness_seconds=10 * 4 * H),
            UnitTally("B", judged=40, on_time=38, lateness_seconds=2 * H),
            UnitTally("C", judged=40, on_time=40),
            UnitTally("D", findings=1),
        ]
    )
    assert [r.unit for r in sort_rows(rows, "rank")] == ["C", "B", "A", "D"]
    assert [r.unit for r in sort_rows(rows, "on_time")] == ["A", "B", "C", "D"]
    assert [r.unit for r in sort_rows(rows, "on_time", descending=True)] == ["C", "B", "A", "D"]
    assert [r.unit for r in sort_rows(rows, "lateness", descending=True)] == ["A", "B", "C", "D"]
    assert [r.unit for r in sort_rows(rows, "no-such-column")] == ["C", "B", "A", "D"]


# --- definitions ----------------------------------------------------------------------------


def test_every_figure_has_a_definition_in_both_languages_with_the_policy_numbers():
    policy = ScoringPolicy(min_sample=25, justified_weight=0.5)
    for figure in FIGURES.values():
        assert figure.title("vi") and figure.title("en")
        for lang in ("vi", "en"):
            text = figure.definition(lang, policy)
            assert "{" not in text and len(text) > 40
    assert "tính 0,5 thay vì 1" in FIGURES["findings_per_1000"].definition("vi", policy)
    assert "weighs 0.5 instead of 1" in FIGURES["findings_per_1000"].definition("en", policy)
    assert "dưới 25 hồ sơ" in FIGURES["sample"].definition("vi", policy)
