"""The server's stored findings are exactly those of ``congvu check`` on the same events."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import time_machine

from congvu.apps.demo.dossiers import dossier_year, load_demo_catalog, plan_calendars
from congvu.apps.demo.services import demo_load
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.services import events_ingest
from congvu.apps.organisations.models import Unit
from congvu.apps.procedures.services import procedures_load_demo
from congvu.apps.supervision.models import Finding
from congvu.apps.supervision.services import findings_refresh

pytestmark = pytest.mark.django_db
END = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
NOW = END + dt.timedelta(days=3)


def _cli_findings(events: Path, catalog: Path) -> list[tuple]:
    congvu = Path(sys.executable).parent / "congvu"
    result = subprocess.run(  # noqa: S603 — the project's own command with our arguments
        [str(congvu), "check", str(events), "--procedures", str(catalog), "--json"]
        + ["--now", NOW.isoformat(), "--jobs", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return sorted(
        (f["item"], f["key"], f["rule"], f["unit"], f["official"] or "", f["at"], f["events"])
        for f in json.loads(result.stdout)
    )


def _server_findings() -> list[tuple]:
    rows = Finding.objects.filter(lapsed_at__isnull=True).select_related("item")
    return sorted(
        (
            f.item.code,
            f.key,
            f.rule,
            f.unit,
            f.official,
            f.at.astimezone(NOW.tzinfo).isoformat(),
            f.events,
        )
        for f in rows
    )


def test_server_and_cli_find_the_same(tmp_path):
    with time_machine.travel(NOW, tick=False):
        plan, _ = demo_load()
    # ``congvu check`` has one calendar for every unit: so has the server here, so that any
    # difference is in the engine's two doors, not in configuration
    Unit.objects.update(calendar=None)
    lines = list(
        dossier_year(
            plan,
            load_demo_catalog(),
            calendar_for=plan_calendars(plan),
            end=END,
            days=150,
            count=600,
            seed=7,
        )
    )
    events = tmp_path / "year.jsonl"
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog = tmp_path / "catalog.json"
    data = resources.files("congvu.apps.demo").joinpath("data", "procedures.json")
    catalog.write_text(data.read_text("utf-8"), encoding="utf-8")
    with time_machine.travel(NOW, tick=False):
        procedures_load_demo()
        report = events_ingest(lines, findings=False)
        assert report.rejected_count == 0
        run = findings_refresh(Item.objects.all(), now=NOW)
    assert run.items == 600 and not run.errors
    server = _server_findings()
    cli = _cli_findings(events, catalog)
    assert len({f[2] for f in cli}) >= 8  # the sample exercises most rules
    assert server == cli
