"""A commune with a counter, a specialist and a head, and the birth-registration procedure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

from congvu.apps.organisations.models import Official, Position

#: Monday 05/10/2026 08:00 in Vietnam: a plain working week (no holiday until 01/01).
MONDAY = dt.datetime(2026, 10, 5, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def birth(db):
    from congvu.apps.procedures.models import Procedure, ProcedureDocument, ProcedureStep

    p = Procedure.objects.create(
        code="1.001193",
        name="Đăng ký khai sinh",
        level="commune",
        field="Hộ tịch",
        time_limit_amount=Decimal(3),
        time_limit_unit="working_days",
        legal_basis=["Luật Hộ tịch 2014"],
    )
    for order, (code, name, role, amount, unit) in enumerate(
        [
            ("receive", "Tiếp nhận", "one_stop", 4, "working_hours"),
            ("review", "Thẩm định", "specialist", 2, "working_days"),
            ("approve", "Phê duyệt", "unit_head", 4, "working_hours"),
        ]
    ):
        ProcedureStep.objects.create(
            procedure=p,
            order=order,
            code=code,
            name=name,
            role=role,
            budget_amount=Decimal(amount),
            budget_unit=unit,
        )
    ProcedureDocument.objects.create(procedure=p, order=0, name="Tờ khai đăng ký khai sinh")
    ProcedureDocument.objects.create(procedure=p, order=1, name="Giấy chứng sinh")
    return p


@pytest.fixture
def commune(cast, birth):
    """carol (one-stop, C1) plus gina (specialist, C1) and hung (chairman, C1)."""
    from django.contrib.auth.models import User

    def person(username, name, role):
        user = User.objects.create_user(username, password=cast.password)
        official = Official.objects.create(code=username.upper(), full_name=name, user=user)
        Position.objects.create(
            official=official,
            unit=cast.units.c1,
            title=name,
            role=role,
            start_on=dt.date(2020, 1, 1),
        )
        return user

    return SimpleNamespace(
        cast=cast,
        gina=person("gina", "Đặng Thu Giang", "specialist"),
        hung=person("hung", "Vũ Văn Hùng", "unit_head"),
    )


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The lookup's attempt counters live in the cache, which outlives a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
