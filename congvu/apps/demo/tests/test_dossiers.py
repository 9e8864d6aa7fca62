"""The demo year of dossier events: valid interchange lines, deterministic, realistic shares and
stand-outs. Pure: no database (the generator imports the domain and the province plan only)."""

from __future__ import annotations

import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from congvu.apps.demo.dossiers import (
    TARGETS,
    StandOuts,
    _Clock,
    dossier_year,
    load_demo_catalog,
    load_procedure_units,
    plan_calendars,
    stand_outs,
)
from congvu.apps.demo.province import REFORM_DAY, ProvincePlan, build_province
from congvu.domain.calendar import (
    VN_TZ,
    WorkCalendar,
    moment_at_position,
    next_working_moment,
    working_position,
    working_seconds_between,
)
from congvu.domain.ledger import (
    Event,
    ItemState,
    acceptance_due,
    fold,
    fold_until,
    parse_event,
    ruleset_for,
    supplement_request_due,
)
from congvu.domain.procedures import Catalog

#: A Sunday afternoon: the year runs from 23/11/2025, after the reform.
END = datetime(2026, 11, 22, 13, 0, tzinfo=VN_TZ)
#: Four months around the reform of 01/07/2025: both rule sets, the two former communes and
#: their merger.
SPAN_END = datetime(2025, 7, 31, 17, 0, tzinfo=VN_TZ)
#: Enough dossiers for the shares and the stand-outs, few enough to fold in a few seconds.
SAMPLE = 6000
ONLINE = ("online", "national_portal")


@dataclass
class Item:
    events: list[Event]
    state: ItemState

    @property
    def first(self) -> Event:
        return self.events[0]

    def types(self) -> list[str]:
        return [e.type for e in self.events]


@pytest.fixture(scope="module")
def plan() -> ProvincePlan:
    return build_province(2025)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_demo_catalog()


@pytest.fixture(scope="module")
def calendar_for(plan: ProvincePlan) -> Callable[[str], WorkCalendar]:
    return plan_calendars(plan)


@pytest.fixture(scope="module")
def outs(plan: ProvincePlan) -> StandOuts:
    return stand_outs(plan)


def _parse(lines: list[str]) -> list[Event]:
    return [parse_event(line, line=n) for n, line in enumerate(lines, start=1)]


def _fold_all(
    events: list[Event],
    catalog: Catalog,
    calendar_for: Callable[[str], WorkCalendar],
    end: datetime,
) -> list[Item]:
    by_item: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_item[event.item].append(event)
    items = []
    for events in by_item.values():
        first = events[0]
        state = fold(
            events,
            calendar=calendar_for(first.unit),
            procedure=catalog[first.data["procedure"]],
            as_of=end,
        )
        items.append(Item(events, state))
    return items


@pytest.fixture(scope="module")
def lines(plan, catalog, calendar_for) -> list[str]:
    return list(dossier_year(plan, catalog, calendar_for=calendar_for, end=END, count=SAMPLE))


@pytest.fixture(scope="module")
def events(lines) -> list[Event]:
    # parsing is the slow part of these tests: once per line
    return _parse(lines)


@pytest.fixture(scope="module")
def items(events, catalog, calendar_for) -> list[Item]:
    return _fold_all(events, catalog, calendar_for, END)


@pytest.fixture(scope="module")
def span_items(plan, catalog, calendar_for) -> list[Item]:
    lines = dossier_year(
        plan, catalog, calendar_for=calendar_for, end=SPAN_END, days=120, count=1500
    )
    return _fold_all(_parse(list(lines)), catalog, calendar_for, SPAN_END)


# -- the interchange contract -----------------------------------------------------------------


def test_every_line_is_a_valid_event_written_as_the_ledger_writes_it(lines, events):
    assert len(events) == len(lines)
    for line, event in zip(lines, events, strict=True):
        assert event.source == "local" and event.kind == "dossier"
        # an import followed by an export gives back the very same bytes
        assert event.to_json() == line


def test_each_item_comes_whole_with_gapless_seqs_and_time_never_going_back(events):
    seen: set[str] = set()
    current, expected, last_at = None, 0, None
    for e in events:
        if e.item != current:
            assert e.item not in seen, "an item's events must come together"
            seen.add(e.item)
            current, expected, last_at = e.item, 1, e.at
            assert e.type == "received"
            assert set(e.data) == {"procedure", "channel"}
        assert e.seq == expected
        assert e.at >= last_at and e.at <= END
        expected, last_at = expected + 1, e.at
    assert len(seen) == SAMPLE


def test_every_item_folds_on_its_receiving_units_calendar(items):
    assert len(items) == SAMPLE
    assert {i.state.ruleset for i in items} == {"ND118/2025"}


def test_dossier_codes_are_agency_date_and_a_daily_sequence_in_order_of_receipt(items):
    pattern = re.compile(r"^(?P<agency>.+)-(?P<date>\d{6})-(?P<n>\d{4})$")
    numbers: dict[tuple[str, str], list[tuple[datetime, int]]] = defaultdict(list)
    for item in items:
        m = pattern.match(item.first.item)
        assert m, item.first.item
        assert m["agency"] == item.first.unit
        assert m["date"] == item.first.at.strftime("%y%m%d")
        numbers[(m["agency"], m["date"])].append((item.first.at, int(m["n"])))
    for received in numbers.values():
        received.sort()
        assert [n for _, n in received] == list(range(1, len(received) + 1))


def test_moments_are_in_office_hours_on_the_units_calendar(items, calendar_for):
    for item in items:
        cal = calendar_for(item.first.unit)
        for e in item.events:
            if e.type == "received" and item.first.data["channel"] in ONLINE:
                continue  # the portal takes filings at any hour, accepted next working morning
            assert next_working_moment(cal, e.at) == e.at, e.to_json()


def test_the_communes_local_day_off_is_kept(items):
    # Cẩm Thủy's festival day (10/03/2026) is off on its own calendar only
    festival = date(2026, 3, 10)
    at_cam_thuy = [i for i in items if i.first.unit.startswith("H99.X14")]
    assert at_cam_thuy
    for item in at_cam_thuy:
        assert all(e.at.date() != festival for e in item.events[1:])
    assert any(e.at.date() == festival for i in items for e in i.events)


def test_the_appointment_slip_promises_the_folds_own_due(items, catalog, calendar_for):
    slips = 0
    for item in items:
        first = item.first
        for k, e in enumerate(item.events):
            if e.type != "appointment_issued":
                continue
            before = fold_until(
                item.events[:k],
                calendar=calendar_for(first.unit),
                procedure=catalog[first.data["procedure"]],
                as_of=e.at,
            )
            assert e.moment("due") == before.due
            slips += 1
    assert slips > 0.95 * len(items)


# -- determinism ------------------------------------------------------------------------------


def test_the_same_arguments_give_the_same_bytes_and_another_seed_other_ones(
    plan, catalog, calendar_for
):
    def year(seed: int) -> list[str]:
        return list(
            dossier_year(plan, catalog, calendar_for=calendar_for, end=END, count=300, seed=seed)
        )

    assert year(7) == year(7)
    assert year(7) != year(8)


# -- realism ----------------------------------------------------------------------------------


def _share(items: list[Item], keep: Callable[[Item], bool]) -> float:
    return sum(1 for i in items if keep(i)) / len(items)


def _bounced(state: ItemState) -> bool:
    path = state.transfer_path
    return len(path) - 1 >= 3 or len(set(path)) < len(path)


def _late_acceptance(item: Item, calendar_for) -> bool:
    first = item.first
    if first.data["channel"] not in ONLINE:
        return False
    acts = [e for e in item.events if e.type in ("appointment_issued", "supplement_requested")]
    due = acceptance_due(ruleset_for(first.at), calendar_for(first.unit), first.at)
    return bool(acts) and acts[0].at > due


def _late_supplement_request(item: Item, calendar_for) -> bool:
    first = item.first
    asked = [e for e in item.events if e.type == "supplement_requested"]
    if not asked:
        return False
    slip = next((e.at for e in item.events if e.type == "appointment_issued"), first.at)
    accepted = min(slip, asked[0].at)
    rs = ruleset_for(first.at)
    return asked[0].at > supplement_request_due(rs, calendar_for(first.unit), accepted)


def test_the_shares_fall_in_their_documented_ranges(items, calendar_for):
    finished = [i for i in items if i.state.status in ("resolved", "returned")]
    returned = [i for i in items if i.state.status == "returned"]
    measured = {
        "on_time_of_resolved": _share(finished, lambda i: not i.state.late),
        "late": _share(items, lambda i: i.state.late),
        "supplemented": _share(items, lambda i: i.state.supplement_count >= 1),
        "repeated_supplement": _share(items, lambda i: i.state.supplement_count >= 2),
        "late_supplement_request": _share(
            items, lambda i: _late_supplement_request(i, calendar_for)
        ),
        "refused": _share(
            items,
            lambda i: (
                i.state.status == "refused"
                or any(e.type == "resolved" and e.data["result"] == "refused" for e in i.events)
            ),
        ),
        "withdrawn": _share(items, lambda i: i.state.status == "withdrawn"),
        "transferred_around": _share(items, lambda i: len(i.state.transfer_path) > 2),
        "bounced": _share(items, lambda i: _bounced(i.state)),
        "apologised": _share(items, lambda i: i.state.apology_count >= 1),
        # accepted without a slip: not refused at the counter, not sent back at acceptance
        "no_appointment_slip": _share(
            items,
            lambda i: (
                "appointment_issued" not in i.types()
                and i.state.status != "refused"
                and "supplement_requested" not in i.types()[:3]
            ),
        ),
        "late_acceptance": _share(items, lambda i: _late_acceptance(i, calendar_for)),
        "consulted": _share(items, lambda i: bool(i.state.consultations)),
        "open_at_end": _share(items, lambda i: i.state.finished_at is None),
        "overdue_at_end": _share(items, lambda i: i.state.overdue),
        "rated_of_returned": _share(returned, lambda i: i.state.rating is not None),
    }
    outside = {
        k: round(v, 4) for k, v in measured.items() if not TARGETS[k][0] <= v <= TARGETS[k][1]
    }
    assert not outside, outside
    assert set(measured) == set(TARGETS)


def test_late_dossiers_come_with_and_without_a_timely_apology(items):
    late = [i for i in items if i.state.late and i.state.finished_at is not None]
    with_timely = [i for i in late if any(a.timely for a in i.state.apologies)]
    without = [i for i in late if not i.state.apologies]
    assert len(with_timely) >= 5 and len(without) > 5 * len(with_timely)
    assert any(i.state.apology_count >= 2 for i in items)  # an unlawful second apology


def test_some_dossiers_are_still_open_at_the_end_overdue_or_idle(items, calendar_for):
    open_items = [i for i in items if i.state.finished_at is None]
    assert any(i.state.overdue for i in open_items)
    assert any(i.state.status == "paused" for i in open_items)
    idle = [
        i
        for i in open_items
        if i.state.status == "open"
        and working_seconds_between(calendar_for(i.first.unit), i.state.last_event_at, END)
        >= 5 * 8 * 3600
    ]
    assert len(idle) >= 5


def test_ratings_are_mostly_good_and_worse_when_late(items):
    rated = [i for i in items if i.state.rating is not None]
    on_time = [i.state.rating for i in rated if not i.state.late]
    late = [i.state.rating for i in rated if i.state.late]
    assert sum(on_time) / len(on_time) >= 4.4
    assert sum(late) / len(late) <= 3.8
    assert _share(rated, lambda i: i.state.rating >= 4) >= 0.85


def test_common_procedures_dwarf_rare_ones_and_channels_have_realistic_shares(items, catalog):
    procedures = Counter(i.first.data["procedure"] for i in items)
    by_name = {p.name: p.code for p in catalog.values()}
    births = procedures[by_name["Đăng ký khai sinh"]]
    certified_copies = sum(
        n for code, n in procedures.items() if "bản sao từ bản chính" in catalog[code].name
    )
    permits = sum(n for code, n in procedures.items() if "giấy phép xây dựng" in catalog[code].name)
    assert births > 5 * max(1, permits) and certified_copies > births
    channels = Counter(i.first.data["channel"] for i in items)
    total = sum(channels.values())
    assert 0.45 <= channels["direct"] / total <= 0.7
    assert 0.25 <= (channels["online"] + channels["national_portal"]) / total <= 0.5
    assert 0.02 <= channels["postal"] / total <= 0.08


def test_days_off_get_online_filings_only_and_tet_is_quiet(items, calendar_for):
    national = calendar_for("H99")
    per_day = Counter(i.first.at.date() for i in items)
    for item in items:
        if not national.is_working_day(item.first.at.date()):
            assert item.first.data["channel"] in ONLINE
    off = sum(n for d, n in per_day.items() if not national.is_working_day(d))
    assert off < 0.06 * len(items)

    def per_working_day(start: date, days: int) -> float:
        span = [start + timedelta(days=k) for k in range(days)]
        working = [d for d in span if national.is_working_day(d)]
        return sum(per_day[d] for d in working) / len(working)

    after_tet = per_working_day(date(2026, 2, 23), 14)
    march = per_working_day(date(2026, 3, 16), 14)
    assert after_tet < 0.75 * march


def test_province_procedures_go_from_the_centre_to_their_department_and_back_through_it(
    items, catalog, plan
):
    departments = load_procedure_units()
    level = {u.code: u.level for u in plan.units}
    for item in items:
        procedure = catalog[item.first.data["procedure"]]
        if procedure.level != "province" or item.state.status == "refused":
            continue
        path = item.state.transfer_path
        assert level[path[0]] == "one_stop_centre"
        if len(path) > 1:
            assert departments[procedure.field] in path
        returned = [e for e in item.events if e.type == "returned"]
        assert all(e.unit == item.first.unit for e in returned)


def test_province_level_land_files_are_also_filed_at_commune_centres(items, catalog):
    land = [
        i
        for i in items
        if catalog[i.first.data["procedure"]].level == "province"
        and catalog[i.first.data["procedure"]].field == "Đất đai"
    ]
    at_communes = [i for i in land if i.first.unit != "H99.TTPVHCC"]
    assert 0.35 * len(land) <= len(at_communes) <= 0.75 * len(land)


# -- stand-outs ---------------------------------------------------------------------------------


def _commune_of(item: Item) -> str:
    agency = item.first.unit
    return agency.removesuffix(".TTPV")


def _is_land(item: Item, catalog: Catalog) -> bool:
    f = catalog[item.first.data["procedure"]].field.lower()
    return "đất" in f or "bảo đảm" in f or "xây dựng" in f


def test_the_late_land_commune_stands_out(items, catalog, outs):
    filed_at_communes = [
        i for i in items if i.first.unit.endswith(".TTPV") and _is_land(i, catalog)
    ]
    ours = [i for i in filed_at_communes if _commune_of(i) == outs.late_land_commune]
    others = [i for i in filed_at_communes if _commune_of(i) != outs.late_land_commune]
    ours_late = _share(ours, lambda i: i.state.late)
    assert len(ours) >= 15
    assert ours_late >= 0.3 and ours_late >= 3 * _share(others, lambda i: i.state.late)


def test_the_slow_specialist_sits_on_steps_far_beyond_budget(items, outs):
    steps: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        for s in item.state.steps:
            if s.official and s.ended_at is not None and s.budget_seconds:
                steps[s.official].append(s.over_budget)
    theirs = steps.pop(outs.slow_specialist)
    rate = sum(theirs) / len(theirs)
    assert len(theirs) >= 50 and rate >= 0.6
    peers = [sum(v) / len(v) for v in steps.values() if len(v) >= 30]
    assert rate >= 2 * max(peers)


def test_the_ward_that_asks_for_supplements_stands_out(items, outs):
    ward = [i for i in items if _handler(i) == outs.supplement_ward]
    rest = [i for i in items if _handler(i) != outs.supplement_ward]
    rate = _share(ward, lambda i: i.state.supplement_count >= 1)
    assert rate >= 3 * _share(rest, lambda i: i.state.supplement_count >= 1)
    assert sum(1 for i in ward if i.state.supplement_count >= 2) >= 5


def _handler(item: Item) -> str:
    path = item.state.transfer_path
    return path[1] if len(path) > 1 else path[0]


def _bounce_completer(item: Item) -> str | None:
    """The unit whose transfer makes the dossier bounced (the third hand-over, or one back to
    a unit that already held it), before the result: whom a BOUNCED finding names."""
    held, count = {item.first.unit}, 0
    finished = item.state.finished_at
    for e in item.events:
        if e.type != "transferred" or (finished is not None and e.at > finished):
            continue
        count += 1
        back = e.data["to_unit"] in held
        held |= {e.unit, e.data["to_unit"]}
        if back or count >= 3:
            return e.unit
    return None


def test_the_bouncing_department_stands_out(items, outs):
    # it passes its own files on …
    ours = [i for i in items if _handler(i) == outs.bouncing_unit]
    rest = [i for i in items if _handler(i) != outs.bouncing_unit]
    rate = _share(ours, lambda i: _bounced(i.state))
    assert rate >= 0.12 and rate >= 3 * _share(rest, lambda i: _bounced(i.state))
    # … and sends back or on the files others pass to it: it completes the most bounces
    completers = Counter(c for i in items if (c := _bounce_completer(i)) is not None)
    (top, n), (_, runner_up) = completers.most_common(2)
    assert top == outs.bouncing_unit and n >= 1.5 * runner_up


def test_the_model_commune_is_near_perfect(items, outs):
    ours = [i for i in items if _handler(i) == outs.model_commune]
    assert len(ours) >= 100
    assert _share(ours, lambda i: i.state.late) <= 0.01
    assert _share(ours, lambda i: i.state.supplement_count > 0) <= 0.05
    rated = [i.state.rating for i in ours if i.state.rating is not None]
    assert sum(rated) / len(rated) >= 4.7


# -- the reform ---------------------------------------------------------------------------------


def test_a_year_across_the_reform_uses_both_rule_sets_and_honours_the_merger(span_items, plan):
    units = {u.code: u for u in plan.units}
    rulesets = Counter(i.state.ruleset for i in span_items)
    assert rulesets["ND61/2018+107/2021"] > 100 and rulesets["ND118/2025"] > 100
    former = [i for i in span_items if i.first.unit in ("H99.X90", "H99.X91")]
    assert former and all(i.first.at.date() < REFORM_DAY for i in former)
    assert all(
        i.first.at.date() >= REFORM_DAY for i in span_items if i.first.unit.startswith("H99.X29")
    )
    moved = [i for i in former if "H99.X29" in i.state.transfer_path]
    assert moved, "dossiers open on 01/07/2025 pass to the successor commune"
    for item in span_items:
        for e in item.events:
            u = units[e.unit]
            day = e.at.date()
            assert u.valid_from is None or u.valid_from <= day, e.to_json()
            assert u.valid_to is None or day <= u.valid_to, e.to_json()


# -- the generator's own clock and speed ------------------------------------------------------


def test_the_fast_clock_writes_what_moment_at_position_gives(calendar_for):
    rng = random.Random(1)
    for unit in ("H99.TTPVHCC", "H99.X14.TTPV"):
        cal = calendar_for(unit)
        clock = _Clock(cal, END)
        lo = working_position(cal, datetime(2025, 1, 1, tzinfo=VN_TZ))
        hi = working_position(cal, datetime(2026, 12, 31, tzinfo=VN_TZ))
        for pos in [lo, hi, *(rng.randrange(lo, hi) for _ in range(2000))]:
            moment = moment_at_position(cal, pos, at_end=False)
            assert clock.text(pos) == (moment.date(), moment.isoformat())
        for pos in (lo + 4 * 3600, lo + 8 * 3600, lo + 8 * 3600 - 1):  # session boundaries
            assert clock.text(pos)[1] == moment_at_position(cal, pos, at_end=False).isoformat()


def test_a_full_year_with_the_defaults_has_twenty_thousand_dossiers_in_seconds(
    plan, catalog, calendar_for
):
    started = time.perf_counter()
    items = set()
    n = 0
    for line in dossier_year(plan, catalog, calendar_for=calendar_for, end=END):
        # the item code sits at a fixed place in the sorted-key line: no need to parse
        items.add(line[line.index('"item":"') + 8 : line.index('","kind"')])
        n += 1
    elapsed = time.perf_counter() - started
    assert len(items) == 20_000 and n > 200_000
    # a few seconds on a laptop; the bound only catches an order-of-magnitude regression
    assert elapsed < 60


def test_a_one_day_window_ending_at_midnight_is_the_day_before(plan, catalog, calendar_for):
    midnight = datetime(2026, 11, 20, 0, 0, tzinfo=VN_TZ)
    lines = dossier_year(plan, catalog, calendar_for=calendar_for, end=midnight, days=1, count=20)
    received = [e for e in map(parse_event, lines) if e.type == "received"]
    assert len(received) == 20
    assert {e.at.date() for e in received} == {date(2026, 11, 19)}


def test_bad_arguments_fail_loudly(plan, catalog, calendar_for):
    with pytest.raises(ValueError, match="aware"):
        next(dossier_year(plan, catalog, calendar_for=calendar_for, end=datetime(2026, 1, 1)))  # noqa: DTZ001
    with pytest.raises(ValueError, match="no handling department"):
        next(dossier_year(plan, catalog, calendar_for=calendar_for, end=END, procedure_units={}))
