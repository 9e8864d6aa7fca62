import pytest

from congvu.apps.organisations.models import Unit
from congvu.apps.organisations.selectors import unit_ancestors, unit_successor_map
from congvu.apps.organisations.services import unit_save


def test_path_follows_the_tree(cast):
    d1a = Unit.objects.get(code="D1A")
    assert [u.code for u in unit_ancestors(d1a)] == ["P", "D1"]
    assert d1a.depth == 2


def test_moving_a_unit_moves_its_subtree(cast):
    d1 = cast.units.d1
    d1.parent = cast.units.c1
    unit_save(unit=d1)
    d1a = Unit.objects.get(code="D1A")
    assert [u.code for u in unit_ancestors(d1a)] == ["P", "C1", "D1"]
    assert set(
        Unit.objects.filter(path__startswith=cast.units.c1.path).values_list("code", flat=True)
    ) == {"C1", "C1H", "D1", "D1A"}


def test_a_unit_cannot_move_under_its_own_descendant(cast):
    p = cast.units.p
    p.parent = Unit.objects.get(code="D1A")
    with pytest.raises(ValueError):
        unit_save(unit=p)


def test_successor_map_follows_chains(cast):
    from congvu.apps.organisations.models import UnitLineage

    a = unit_save(unit=Unit(code="OLD1", name="Xã A (cũ)", level="commune"))
    b = unit_save(unit=Unit(code="OLD2", name="Xã B (cũ)", level="commune"))
    import datetime as dt

    UnitLineage.objects.create(
        predecessor=a,
        successor=b,
        kind="merger",
        effective_on=dt.date(2020, 1, 1),
        legal_basis="NQ 1",
    )
    UnitLineage.objects.create(
        predecessor=b,
        successor=cast.units.c1,
        kind="merger",
        effective_on=dt.date(2025, 7, 1),
        legal_basis="NQ 2",
    )
    assert unit_successor_map() == {"OLD1": "C1", "OLD2": "C1"}
    assert unit_successor_map(dt.date(2024, 1, 1)) == {"OLD1": "OLD2"}


def test_unit_calendar_is_inherited_from_the_nearest_ancestor(cast):
    from congvu.apps.calendars.models import Calendar
    from congvu.apps.organisations.selectors import unit_calendar_code

    assert unit_calendar_code(Unit.objects.get(code="C1H")) == "VN"  # from the province
    local = Calendar.objects.create(
        code="XA-C1", name="Lịch xã Hòa Phú", base=cast.units.p.calendar
    )
    c1 = cast.units.c1
    c1.calendar = local
    c1.save()
    assert unit_calendar_code(Unit.objects.get(code="C1H")) == "XA-C1"


def test_unit_without_any_calendar_uses_the_configured_default(db, settings):
    from congvu.apps.calendars.selectors import UnknownCalendarError, calendar_build
    from congvu.apps.organisations.selectors import unit_calendar_code

    settings.CONGVU_DEFAULT_CALENDAR = "MISSING"
    orphan = unit_save(unit=Unit(code="ORPHAN", name="Đơn vị lẻ", level="division"))
    assert unit_calendar_code(orphan) == "MISSING"
    with pytest.raises(UnknownCalendarError):
        calendar_build(unit_calendar_code(orphan))
