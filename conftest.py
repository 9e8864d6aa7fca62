"""Shared fixtures: the standing cast of units and users (healthchecks' Alice/Bob style).

P  Ủy ban nhân dân tỉnh (province)
├── D1  Sở Tư pháp ── D1A Phòng Hành chính tư pháp
├── HA  Sở Nội vụ (oversees the province)
├── C1  Xã Hòa Phú ── C1H Thôn Đông
└── C2  Xã Tân Lập

alice   specialist in D1             sees D1, D1A
bob     province leader in P         sees everything
carol   one-stop officer in C1       sees C1, C1H
dave    specialist in HA             sees everything (Home Affairs)
erin    formerly D1, now C2          sees C2 only
citizen a user who is no official    sees nothing internal
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; the ORM calls in e2e tests
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "mat-khau-thu-nghiem"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def calendar_vn(db):
    from congvu.apps.calendars.services import calendar_seed_national

    calendar, _ = calendar_seed_national()
    return calendar


@pytest.fixture
def cast(db, calendar_vn):
    from django.contrib.auth.models import User

    from congvu.apps.organisations.models import Official, Position, Unit
    from congvu.apps.organisations.services import unit_save

    def unit(code, name, level, parent=None, **extra):
        return unit_save(unit=Unit(code=code, name=name, level=level, parent=parent, **extra))

    p = unit("P", "Ủy ban nhân dân tỉnh Thử Nghiệm", "province", calendar=calendar_vn)
    d1 = unit("D1", "Sở Tư pháp", "department", p)
    d1a = unit("D1A", "Phòng Hành chính tư pháp", "division", d1)
    ha = unit("HA", "Sở Nội vụ", "department", p, oversees_province=True)
    c1 = unit("C1", "Xã Hòa Phú", "commune", p)
    c1h = unit("C1H", "Thôn Đông", "hamlet", c1)
    c2 = unit("C2", "Xã Tân Lập", "commune", p)

    def person(username, full_name, *posts):
        user = User.objects.create_user(username, password=PASSWORD)
        official = Official.objects.create(code=username.upper(), full_name=full_name, user=user)
        for post_unit, role, start, end in posts:
            Position.objects.create(
                official=official,
                unit=post_unit,
                title="Chuyên viên",
                role=role,
                start_on=start,
                end_on=end,
            )
        return user

    long_ago = dt.date(2020, 1, 1)
    users = SimpleNamespace(
        alice=person("alice", "Nguyễn Thị An", (d1, "specialist", long_ago, None)),
        bob=person("bob", "Trần Văn Bình", (p, "province_leader", long_ago, None)),
        carol=person("carol", "Lê Thị Cúc", (c1, "one_stop", long_ago, None)),
        dave=person("dave", "Phạm Văn Dũng", (ha, "specialist", long_ago, None)),
        erin=person(
            "erin",
            "Hoàng Thị Én",
            (d1, "specialist", long_ago, dt.date(2024, 12, 31)),
            (c2, "specialist", dt.date(2025, 1, 1), None),
        ),
        citizen=User.objects.create_user("citizen", password=PASSWORD),
    )
    units = SimpleNamespace(p=p, d1=d1, d1a=d1a, ha=ha, c1=c1, c1h=c1h, c2=c2)
    return SimpleNamespace(units=units, users=users, password=PASSWORD)


#: Monday 05/10/2026 08:00 in Vietnam: a plain working week (no holiday until 01/01).
MONDAY = dt.datetime(2026, 10, 5, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def birth(db):
    """Đăng ký khai sinh: 3 working days in three steps (receive, review, approve)."""
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

    from congvu.apps.organisations.models import Official, Position

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
