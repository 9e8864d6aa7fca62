"""Benchmark: due moments for a province-year of dossiers, four ways.

    .venv/bin/python bench/calendar.py [--n 1000000] [--seed 1] [--sample 100000]

1. the engine's vectorised path (``VectorCalendar.add_working_days``) on all N receipts;
2. the engine's scalar path (``add_working_days`` per dossier) on a sample, extrapolated;
3. a plain ``holidays`` + day-by-day loop as typical code writes it (days only, no office
   hours, no make-up Saturdays), on a sample, extrapolated;
4. ``numpy.busday_offset`` with a ``busdaycalendar`` of the same weekday days off — the
   practical limit for array date arithmetic (days only; it cannot express make-up
   Saturdays or office hours).

Receipts are uniform random moments over 2024–2026 (nights, lunch breaks, weekends and
holidays included); durations are 1–30 working days, 10 % of them with an extra half day.
The vectorised and scalar results are compared on the sample before any timing is reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path and the file itself would
# shadow the standard library's ``calendar`` module (which ``holidays`` imports). Replace that
# entry by the repository root before importing anything else.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

import holidays  # noqa: E402
import numpy as np  # noqa: E402

from congvu.domain.calendar import VN_TZ, add_working_days, national_calendar  # noqa: E402
from congvu.domain.calendar.vector import epoch_to_moments, vector_calendar  # noqa: E402

REPEATS = 5


def best_of(fn: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """Best wall time of ``repeats`` runs (seconds) and the last result."""
    best = math.inf
    result: Any = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def plain_loop_due(received: datetime, n: int, vn_holidays: Any) -> date:
    """What typical code does: local date, skip to the next working day if received after
    hours or on a day off, then step one day at a time, skipping weekends and holidays."""
    local = received.astimezone(VN_TZ)
    d = local.date()
    if local.hour >= 17 or d.weekday() >= 5 or d in vn_holidays:
        d += timedelta(days=1)
        while d.weekday() >= 5 or d in vn_holidays:
            d += timedelta(days=1)
    count = 0
    while count < n:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in vn_holidays:
            count += 1
    return d


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="dossiers (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=100_000, help="scalar/loop sample size")
    args = parser.parse_args()
    n, sample = args.n, min(args.sample, args.n)

    cal = national_calendar()
    rng = np.random.default_rng(args.seed)
    lo = int(datetime(2024, 1, 1, tzinfo=VN_TZ).timestamp())
    hi = int(datetime(2027, 1, 1, tzinfo=VN_TZ).timestamp())
    starts = rng.integers(lo, hi, n, dtype=np.int64)
    whole = rng.integers(1, 31, n)
    days = whole + 0.5 * (rng.random(n) < 0.1)

    t0 = time.perf_counter()
    vcal = vector_calendar(cal)
    build = time.perf_counter() - t0

    # 1. vectorised, all N in one call
    t_vec, due_vec = best_of(lambda: vcal.add_working_days(starts, days))

    # 2. scalar, on a sample (datetimes prepared outside the timing, as a caller has them)
    sample_moments = epoch_to_moments(starts[:sample])
    sample_days = days[:sample].tolist()

    def scalar() -> list[datetime]:
        return [
            add_working_days(cal, m, d) for m, d in zip(sample_moments, sample_days, strict=True)
        ]

    t_scalar, due_scalar = best_of(scalar, repeats=1)
    agree = sum(
        int(d.timestamp()) == int(v) for d, v in zip(due_scalar, due_vec[:sample], strict=True)
    )
    if agree != sample:
        print(f"MISMATCH: vector and scalar agree on {agree}/{sample}")
        return 1

    # 3. plain holidays + day-by-day loop, on a sample (days only; halves rounded up)
    vn_holidays = holidays.country_holidays("VN", years=range(2024, 2028))
    loop_days = np.ceil(days[:sample]).astype(int).tolist()

    def loop() -> list[date]:
        return [
            plain_loop_due(m, k, vn_holidays)
            for m, k in zip(sample_moments, loop_days, strict=True)
        ]

    t_loop, _ = best_of(loop, repeats=1)

    # 4. numpy.busday_offset on local receipt dates (prepared outside the timing)
    day_off = [
        np.datetime64(cal.first_day + timedelta(days=i), "D")
        for i in range(cal.n_days)
        if not cal.working_flags()[i] and (cal.first_day + timedelta(days=i)).weekday() < 5
    ]
    bdc = np.busdaycalendar(weekmask="1111100", holidays=day_off)
    local_dates = ((starts + 7 * 3600) // 86400).astype("datetime64[D]")
    offsets = np.ceil(days).astype(np.int64)
    t_busday, _ = best_of(
        lambda: np.busday_offset(local_dates, offsets, roll="forward", busdaycal=bdc)
    )

    rate_vec = n / t_vec
    rate_scalar = sample / t_scalar
    rate_loop = sample / t_loop
    rate_busday = n / t_busday
    today = datetime.now(VN_TZ).date().isoformat()
    machine = f"{platform.machine()} {platform.processor()}".strip()
    print(f"date: {today}  python {platform.python_version()}  numpy {np.__version__}  {machine}")
    print(f"dossiers: {n:,} (seed {args.seed}); sample for scalar/loop: {sample:,}")
    print(f"vector tables built once in {build * 1e3:.1f} ms")
    print(f"vector == scalar on the sample: {agree:,}/{sample:,}")
    print()
    print(f"{'path':<36}{'time for N':>14}{'items/s':>16}")
    rows = [
        ("engine, vectorised (all N)", n / rate_vec, rate_vec),
        ("engine, scalar (sample, extrap.)", n / rate_scalar, rate_scalar),
        ("holidays + day loop (sample, extr.)", n / rate_loop, rate_loop),
        ("numpy.busday_offset (days only)", n / rate_busday, rate_busday),
    ]
    for name, secs, rate in rows:
        print(f"{name:<36}{secs:>12.3f} s{rate:>16,.0f}")
    print()
    print(f"vector / busday_offset : {rate_vec / rate_busday:6.2f}x  (goal ≥ 0.5x: within 2x)")
    print(f"vector / plain loop    : {rate_vec / rate_loop:6.0f}x  (goal ≥ 20x)")
    print(f"vector / scalar        : {rate_vec / rate_scalar:6.0f}x")
    ok = rate_vec / rate_busday >= 0.5 and rate_vec / rate_loop >= 20
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
