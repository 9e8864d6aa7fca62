"""Smoke test of bench/supervision_db.py: the benchmark runs end to end at a tiny size on
SQLite (every part: the demo year with its incremental batches, the province-year, the league
table against DuckDB) and its own checks pass — the server's findings equal ``congvu
check``'s, DuckDB's league table equals the database's. No timing is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_at_a_tiny_size_and_its_checks_pass(tmp_path):
    pytest.importorskip("duckdb", reason="the bench extra: pip install -e '.[bench]'")
    done = subprocess.run(  # noqa: S603 — the project's own script with fixed arguments
        [
            sys.executable,
            str(ROOT / "bench" / "supervision_db.py"),
            "--engine", "sqlite",
            "--year-engines", "sqlite",
            "--league-engines", "sqlite",
            "--demo-dossiers", "40",
            "--batches", "1",
            "--batch", "100",
            "--screens", "2",
            "--year-events", "500",
            "--league-dossiers", "500",
            "--runs", "1",
            "--cli-jobs", "1",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "checks: no event refused" in out
    for heading in ("DEMO YEAR — sqlite", "PROVINCE-YEAR — sqlite", "LEAGUE TABLE — sqlite"):
        assert heading in out
    assert "batch 1: 100 events" in out
    assert "screens: 2 single events" in out
    for period in ("2025 ", "2025-Q3", "2025-10"):
        assert f"  {period}" in out
