"""Wilson score intervals: published values and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.domain.scoring import Z95, InvalidSampleError, rate, wilson_interval

# Newcombe R.G. (1998), "Two-sided confidence intervals for the single proportion: comparison
# of seven methods", Statistics in Medicine 17:857–872, Table II, method 3 (score interval
# without continuity correction), to 4 decimals; the last rows are the textbook 5/10 and the
# all-successes edge.
PUBLISHED = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (5, 10, 0.2366, 0.7634),
    (29, 29, 0.8830, 1.0000),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), PUBLISHED)
def test_wilson_interval_matches_published_values(k: int, n: int, low: float, high: float):
    got = wilson_interval(k, n)
    assert got == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_z95_is_the_normal_quantile_of_97_5_percent():
    from statistics import NormalDist

    assert NormalDist().inv_cdf(0.975) == pytest.approx(Z95, abs=1e-12)


def test_edges_are_exact():
    assert wilson_interval(0, 7)[0] == 0.0
    assert wilson_interval(7, 7)[1] == 1.0


def test_no_sample_gives_no_rate():
    assert rate(0, 0) is None
    r = rate(3, 4)
    assert r is not None and r.value == 0.75 and (r.successes, r.n) == (3, 4)


@pytest.mark.parametrize(
    ("k", "n", "z", "what"),
    [(1, 0, Z95, "n"), (-1, 5, Z95, "successes"), (6, 5, Z95, "successes"), (1, 5, 0.0, "z")],
)
def test_impossible_counts_are_refused_with_a_clear_message(k: int, n: int, z: float, what: str):
    with pytest.raises(InvalidSampleError) as e:
        wilson_interval(k, n, z)
    assert e.value.params["what"] == what
    assert "«" + what + "»" in e.value.message("vi")


samples = st.integers(min_value=1, max_value=100_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(samples)
def test_bounds_are_within_0_and_1_and_contain_the_estimate(sample: tuple[int, int]):
    k, n = sample
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    if 0 < k < n:
        assert low < k / n < high


@given(samples, st.integers(min_value=2, max_value=50))
def test_more_of_the_same_proportion_gives_a_narrower_interval(sample: tuple[int, int], m: int):
    k, n = sample
    low, high = wilson_interval(k, n)
    low_m, high_m = wilson_interval(k * m, n * m)
    assert high_m - low_m < high - low


@given(samples)
def test_successes_and_failures_mirror_each_other(sample: tuple[int, int]):
    k, n = sample
    low, high = wilson_interval(k, n)
    low_f, high_f = wilson_interval(n - k, n)
    assert low == pytest.approx(1 - high_f, abs=1e-12)
    assert high == pytest.approx(1 - low_f, abs=1e-12)
