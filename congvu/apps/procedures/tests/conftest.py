"""Fixtures of the catalog tests: small catalogs in v1 JSON and CSV, and the demo province."""

from __future__ import annotations

import json

import pytest


def v1(code="1.001193", *, limit=None, steps=None, **extra):
    """One procedure in v1 form; the default is a valid commune procedure."""
    obj = {
        "code": code,
        "name": "Đăng ký khai sinh",
        "level": "commune",
        "field": "Hộ tịch",
        "time_limit": limit if limit is not None else {"working_days": 3},
        "fee": 0,
        "steps": steps
        if steps is not None
        else [
            {
                "code": "receive",
                "name": "Tiếp nhận",
                "role": "one_stop",
                "budget": {"working_hours": 4},
            },
            {
                "code": "review",
                "name": "Thẩm định",
                "role": "specialist",
                "budget": {"working_days": 2},
            },
            {
                "code": "approve",
                "name": "Phê duyệt",
                "role": "unit_head",
                "budget": {"working_hours": 4},
            },
        ],
        "related_units": ["D1"],
        "legal_basis": ["Luật Hộ tịch 2014"],
    }
    obj.update(extra)
    if limit is False:
        del obj["time_limit"]
    return obj


def dumps(*objects):
    return json.dumps(list(objects), ensure_ascii=False, indent=2)


@pytest.fixture
def demo_province(db):
    """The demo province's units and officials (no calendars, no users): what the catalog's
    related units and responsible officials point at."""
    from congvu.apps.demo.province import build_province
    from congvu.apps.organisations.models import Official, Position, Unit
    from congvu.apps.organisations.services import unit_save

    plan = build_province()
    units = {}
    for u in plan.units:
        units[u.code] = unit_save(
            unit=Unit(
                code=u.code,
                name=u.name,
                level=u.level,
                parent=units[u.parent] if u.parent else None,
                valid_from=u.valid_from,
                valid_to=u.valid_to,
            )
        )
    for o in plan.officials:
        official = Official.objects.create(code=o.code, full_name=o.full_name)
        Position.objects.bulk_create(
            Position(
                official=official,
                unit=units[p.unit],
                title=p.title,
                role=p.role,
                start_on=p.start_on,
                end_on=p.end_on,
            )
            for p in o.positions
        )
    return plan
