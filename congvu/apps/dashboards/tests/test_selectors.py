"""Dashboard reads: the figures of the scenario week, the unit an item counts for, lapsed
findings, and a number of queries that does not grow with the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congvu.apps.dashboards import selectors
from congvu.apps.dashboards.tests.scenario import NOW
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.services import events_ingest
from congvu.apps.ledger.tests.factories import line
from congvu.apps.organisations.models import Unit
from congvu.apps.supervision.models import Finding
from congvu.domain.scoring import parse_period

pytestmark = pytest.mark.django_db


def window(code: str = "2026-10", now: dt.datetime = NOW) -> selectors.Window:
    return selectors.Window.of(parse_period(code), now)


def test_the_week_s_tallies(week):
    tallies = selectors.tallies_by("unit", window(), scope=None)
    c1, c2 = tallies["C1"], tallies["C2"]
    # C1: 4 on time, 1 late, 1 open past due (counted late); 3 ratings 5, 4, 2
    assert (c1.judged, c1.on_time, c1.open_overdue) == (6, 4, 1)
    assert (c1.rated, c1.rating_sum, c1.satisfied) == (3, 11, 2)
    assert c1.findings == 7 and c1.justified == 0
    assert (
        c1.lateness_seconds
        == Item.objects.filter(code__in=["C1-05", "C1-06"]).aggregate(
            s=__import__("django.db.models", fromlist=["Sum"]).Sum("lateness_seconds")
        )["s"]
    )
    assert (c2.judged, c2.on_time, c2.findings) == (5, 5, 1)


def test_an_open_item_not_yet_due_is_not_judged(week):
    # at Wednesday noon nothing of the week is due yet, except what was resolved
    early = window("2026-10", dt.datetime(2026, 10, 7, 12, 0, tzinfo=NOW.tzinfo))
    tallies = selectors.tallies_by("unit", early, scope=None)
    assert tallies["C1"].open_overdue == 0 and tallies["C1"].judged == 5  # C1-06 not yet due


def test_a_period_without_the_due_moments_judges_nothing(week):
    assert selectors.tallies_by("unit", window("2026-09"), scope=None).get("C1") is None


def test_withdrawn_items_are_nobody_s_lateness(week):
    with time_machine.travel(NOW, tick=False):
        events_ingest(
            [line("C1-06", 5, "2026-10-12T08:30:00+07:00", "withdrawn", "C1", reason="rút")],
            findings=False,
        )
    assert selectors.tallies_by("unit", window(), scope=None)["C1"].judged == 5


def test_items_count_for_the_handling_unit_not_the_receiving_agency(week):
    # a dossier received at C1's counter and handled (and resolved) by the department D1
    lines = [
        line("X-1", 1, "2026-10-05T08:00:00+07:00", "received", "C1", procedure="1.001193",
             channel="direct"),
        line("X-1", 2, "2026-10-05T08:30:00+07:00", "transferred", "C1", to_unit="D1",
             reason="thuộc thẩm quyền của Sở"),
        line("X-1", 3, "2026-10-06T08:30:00+07:00", "resolved", "D1", result="approved"),
    ]  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        assert not events_ingest(lines, findings=False).rejected
    item = Item.objects.get(code="X-1")
    assert (item.agency, item.unit) == ("C1", "D1")
    tallies = selectors.tallies_by("unit", window(), scope=None)
    assert tallies["D1"].judged == 1 and tallies["C1"].judged == 6


def test_lapsed_findings_are_not_counted(week):
    f = Finding.objects.get(item__code="C1-06", rule="OVERDUE")
    f.lapsed_at = NOW
    f.save(update_fields=["lapsed_at"])
    assert selectors.tallies_by("unit", window(), scope=None)["C1"].findings == 6


def test_accepted_justifications_weigh_half_in_the_league(week, settings):
    table = selectors.league(window(), scope=None)
    before = next(r for r in table.rows if r.unit == "C1").findings_per_1000
    Finding.objects.filter(item__code="C1-06", rule="OVERDUE").update(
        review=Finding.Review.ACCEPTED
    )
    after = next(r for r in selectors.league(window(), scope=None).rows if r.unit == "C1")
    assert before == pytest.approx(7 / 6 * 1000)
    assert after.findings_per_1000 == pytest.approx(6.5 / 6 * 1000)
    settings.CONGVU_JUSTIFIED_WEIGHT = 0.0
    zero = next(r for r in selectors.league(window(), scope=None).rows if r.unit == "C1")
    assert zero.findings_per_1000 == pytest.approx(1000)


def test_ranking_follows_the_minimum_sample_setting(week, settings):
    table = selectors.league(window(), scope=None)
    assert [(r.unit, r.rank) for r in table.rows] == [("C1", None), ("C2", None)]
    settings.CONGVU_LEAGUE_MIN_SAMPLE = 5
    table = selectors.league(window(), scope=None)
    assert [(r.unit, r.rank) for r in table.rows] == [("C2", 1), ("C1", 2)]
    assert table.names == {"C1": "Xã Hòa Phú", "C2": "Xã Tân Lập"}


def test_scope_limits_the_league_to_visible_units(week):
    from congvu.apps.dashboards.permissions import unit_scope

    carol = week.cast.users.carol  # one-stop officer of C1
    table = selectors.league(window(), scope=unit_scope(carol))
    assert [r.unit for r in table.rows] == ["C1"]
    assert unit_scope(week.cast.users.dave) is None  # Home Affairs sees the province


def test_blocks_separate_communes_from_departments(week):
    assert {r.unit for r in selectors.league(window(), scope=None, block="so-nganh").rows} == set()
    assert {r.unit for r in selectors.league(window(), scope=None, block="xa-phuong").rows} == {
        "C1",
        "C2",
    }


def test_overview_figures(week):
    w = window("2026")
    rules = selectors.findings_by_rule(w, scope=None)
    assert rules[0].rule == "STEP_LATE" and rules[0].findings == 2
    assert {r.rule: r.findings for r in rules}["OVERDUE"] == 1
    trend = selectors.monthly_trend(w, scope=None)
    assert [m.month.code for m in trend] == [f"2026-{m:02}" for m in range(1, 11)]
    october = trend[-1]
    assert (october.judged, october.on_time.successes, october.findings) == (11, 9, 8)
    assert selectors.overdue_now(scope=None, now=NOW).count() == 1


def test_unit_and_official_figures(week):
    w = window()
    statuses = {s: n for s, _label, n in selectors.items_by_status(w, scope=None, unit="C1")}
    assert statuses["resolved"] == 5 and statuses["open"] == 1
    queues = selectors.official_queues("C1", now=NOW)
    assert [(q.official, q.open, q.overdue) for q in queues] == [("GINA", 1, 1)]
    assert queues[0].name == "Đặng Thu Giang"
    row = selectors.official_row(w, "GINA", scope=None)
    assert row.judged == 1 and row.tally.findings == 7  # GINA holds only C1-06 now


def _add_units(n: int) -> None:
    p = Unit.objects.get(code="P")
    from congvu.apps.organisations.services import unit_save

    lines = []
    for i in range(n):
        code = f"X{i:02}"
        unit_save(unit=Unit(code=code, name=f"Xã {i}", level="commune", parent=p))
        lines += [
            line(f"{code}-1", 1, "2026-10-05T08:00:00+07:00", "received", code,
                 procedure="1.001193", channel="direct"),
            line(f"{code}-1", 2, "2026-10-06T08:00:00+07:00", "resolved", code,
                 result="approved"),
        ]  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        events_ingest(lines)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_league_queries_do_not_grow_with_the_units(week):
    few = _queries(lambda: selectors.league(window(), scope=None))
    _add_units(12)
    many_rows = selectors.league(window(), scope=None).rows
    many = _queries(lambda: selectors.league(window(), scope=None))
    assert len(many_rows) == 14 and few == many <= 3


def test_overview_and_unit_queries_are_bounded(week, django_assert_max_num_queries):
    _add_units(5)
    w = window("2026")
    with django_assert_max_num_queries(6):
        selectors.findings_by_rule(w, scope=None)
        selectors.monthly_trend(w, scope=None)
        selectors.total_tally(w, scope=None)
        selectors.overdue_now(scope=None).count()
    c1 = Unit.objects.get(code="C1")
    with django_assert_max_num_queries(6):
        selectors.unit_row(w, c1, scope=None)
        selectors.official_queues("C1")
        selectors.items_by_status(w, scope=None, unit="C1")
