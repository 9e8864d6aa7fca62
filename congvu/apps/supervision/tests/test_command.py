"""``congvu findings sweep|refresh``."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command

from congvu.apps.ledger.services import events_ingest
from congvu.apps.supervision.models import Finding, ThresholdSetting
from congvu.apps.supervision.tests.test_services import at, received

pytestmark = pytest.mark.django_db


def test_sweep_then_refresh_of_one_procedure_after_a_threshold_change(commune, capsys):
    with time_machine.travel(at("2026-10-05T08:30"), tick=False):
        events_ingest(received("H-1"), findings=False)
    with time_machine.travel(at("2026-10-07T09:00"), tick=False):
        call_command("findings", "sweep")
        assert "Đã kiểm tra 1 mục" in capsys.readouterr().out
        assert not Finding.objects.filter(rule="IDLE").exists()
        ThresholdSetting.objects.create(values={"idle_after": {"working_days": 1}})
        call_command("findings", "refresh", "--procedure", "1.001193", "--lang", "en")
        assert "Checked 1 item: " in capsys.readouterr().out
    assert Finding.objects.filter(rule="IDLE").exists()


def test_refresh_needs_a_choice(commune, capsys):
    with pytest.raises(SystemExit) as stop:
        call_command("findings", "refresh")
    assert stop.value.code == 2
    assert "--all" in capsys.readouterr().err
