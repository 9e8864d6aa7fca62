"""The demo year goes through the ledger's one ingestion path, by either door."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command

from congvu.apps.demo.dossiers import dossier_year, load_demo_catalog, plan_calendars
from congvu.apps.demo.services import demo_dossiers_load, demo_load
from congvu.apps.dossiers.models import Applicant
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.services import SUMMARY_FIELDS, source_system_create
from congvu.apps.procedures.services import procedures_load_demo

pytestmark = pytest.mark.django_db
END = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def province():
    with time_machine.travel(END + dt.timedelta(days=1), tick=False):
        plan, _ = demo_load()
        procedures_load_demo()
        yield plan


def _summaries(source: str) -> list[tuple]:
    rows = Item.objects.filter(source=source).order_by("code").values_list("code", *SUMMARY_FIELDS)
    # last_hash covers the events' source too, so it differs by construction between doors.
    drop = 1 + SUMMARY_FIELDS.index("last_hash")
    return [row[:drop] + row[drop + 1 :] for row in rows]


def test_cli_and_api_give_identical_summaries(province, client, tmp_path):
    lines = list(
        dossier_year(
            province,
            load_demo_catalog(),
            calendar_for=plan_calendars(province),
            end=END,
            days=120,
            count=400,
        )
    )
    path = tmp_path / "year.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with time_machine.travel(END + dt.timedelta(days=1), tick=False):
        call_command("events", "import", str(path), "--no-progress")
        _, token = source_system_create(code="dvc-h99", name="Hệ thống TTHC tỉnh (mẫu)")
        body = "".join(
            json.dumps({**json.loads(x), "source": "dvc-h99"}, ensure_ascii=False) + "\n"
            for x in lines
        )
        r = client.post(
            "/api/v1/events",
            body,
            content_type="application/x-ndjson",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert r.status_code == 200, r.json()["rejections"][:3]
    assert r.json()["appended"] == len(lines)
    local, api = _summaries("local"), _summaries("dvc-h99")
    assert len(local) == 400 and local == api


def test_demo_dossiers_load_once_with_applicants(province):
    with time_machine.travel(END + dt.timedelta(days=1), tick=False):
        report = demo_dossiers_load(province, count=150, end=END)
        assert report is not None and report.rejected_count == 0
        assert report.items_created == 150
        assert Applicant.objects.count() == 150
        assert all(a.name and a.documents for a in Applicant.objects.all()[:20])
        assert demo_dossiers_load(province, count=150, end=END) is None
