"""The dashboard tests share one realistic week (scenario.py) on the standing cast."""

from __future__ import annotations

import pytest
import time_machine

from congvu.apps.dashboards.tests.scenario import NOW, load_week


@pytest.fixture
def week(commune):
    load_week()
    return commune


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
