"""Rates with their Wilson score interval.

The Wilson interval (Wilson 1927) is used for every rate of the league table because it
behaves at the edges where the usual "p̂ ± 1.96·SE" does not: it never leaves [0, 1], it is
not of zero width at 0 % or 100 %, and it stays honest for small samples (Newcombe 1998,
"Two-sided confidence intervals for the single proportion", method 3; Brown, Cai &
DasGupta 2001). For ``k`` successes out of ``n`` and the normal quantile ``z``::

    p̂ = k / n
    centre    = (p̂ + z² / 2n) / (1 + z² / n)
    half-width = z / (1 + z² / n) · √( p̂(1 − p̂) / n + z² / 4n² )

No continuity correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

from congvu.domain.scoring.errors import InvalidSampleError

__all__ = ["Z95", "Rate", "rate", "wilson_interval"]

#: The two-sided 95 % quantile of the standard normal distribution (Φ⁻¹(0.975)).
Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Rate:
    """``successes`` out of ``n`` (``n ≥ 1``) with its Wilson interval ``low … high``
    (fractions in [0, 1], not percentages)."""

    successes: int
    n: int
    low: float
    high: float

    @property
    def value(self) -> float:
        """The point estimate ``successes / n``."""
        return self.successes / self.n


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval ``(low, high)`` of ``successes`` out of ``n``.

    ``n`` must be at least 1 and ``0 ≤ successes ≤ n``; ``z`` positive (default: 95 %).
    The bounds are in [0, 1]; they are exactly 0 when ``successes == 0`` and exactly 1 when
    ``successes == n``. Raises :class:`InvalidSampleError` otherwise.
    """
    _check(successes, n)
    if not z > 0:
        raise InvalidSampleError(
            what="z", value=z, reason_vi="phải là số dương", reason_en="must be positive"
        )
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def rate(successes: int, n: int, z: float = Z95) -> Rate | None:
    """``successes`` out of ``n`` as a :class:`Rate`, or ``None`` when ``n == 0`` (no sample:
    no rate, never 0 % nor 100 %). Raises :class:`InvalidSampleError` on impossible counts."""
    if n == 0 and successes == 0:
        return None
    low, high = wilson_interval(successes, n, z)
    return Rate(successes=successes, n=n, low=low, high=high)


def _check(successes: int, n: int) -> None:
    if n < 1:
        raise InvalidSampleError(
            what="n",
            value=n,
            reason_vi="cỡ mẫu phải từ 1 trở lên",
            reason_en="the sample size must be at least 1",
        )
    if not 0 <= successes <= n:
        raise InvalidSampleError(
            what="successes",
            value=successes,
            reason_vi=f"phải từ 0 đến cỡ mẫu {n}",
            reason_en=f"must be between 0 and the sample size {n}",
        )
