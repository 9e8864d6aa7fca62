from django.core.management import call_command

from congvu.apps.demo.province import build_province
from congvu.apps.ledger.models import Event, Item
from congvu.apps.organisations.models import Official, Position, Unit, UnitLineage


def test_generator_is_deterministic():
    assert build_province(7) == build_province(7)
    assert build_province(7) != build_province(8)


def test_province_has_the_promised_shape():
    plan = build_province()
    levels = [u.level for u in plan.units]
    assert 28 <= levels.count("commune") + levels.count("ward") - 2 <= 32  # less the 2 former
    assert 250 <= len(plan.officials) <= 400
    names = {u.name for u in plan.units}
    assert {"Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp"} <= names
    assert any(u.level == "one_stop_centre" and "tỉnh" in u.name for u in plan.units)
    assert len(plan.lineage) == 2 and len({e.successor for e in plan.lineage}) == 1


def test_loading_twice_duplicates_nothing(db, capsys):
    # a few dossiers are enough to show the second run adds none (the year has its own tests)
    call_command("demo", dossiers=200)
    counts = (
        Unit.objects.count(),
        Official.objects.count(),
        Position.objects.count(),
        UnitLineage.objects.count(),
        Item.objects.count(),
        Event.objects.count(),
    )
    assert counts[-2] == 200
    call_command("demo", dossiers=200)
    assert counts == (
        Unit.objects.count(),
        Official.objects.count(),
        Position.objects.count(),
        UnitLineage.objects.count(),
        Item.objects.count(),
        Event.objects.count(),
    )
    out = capsys.readouterr().out
    assert "chutich" in out and "congvu-demo" in out


def test_merged_commune_keeps_history(db):
    call_command("demo", dossiers=0)
    merged = Unit.objects.get(name__contains="An Phú Lạc", level="commune")
    assert set(merged.predecessor_links.values_list("predecessor__name", flat=True)) == {
        "Xã An Phú (cũ)",
        "Xã An Lạc (cũ)",
    }
    chair = Position.objects.get(unit=merged, title__startswith="Chủ tịch").official
    assert chair.positions.count() == 2
