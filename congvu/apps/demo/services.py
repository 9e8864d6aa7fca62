"""Loads the demo province into the database. Idempotent: natural keys (codes, usernames,
(official, unit, start date)) decide what exists, so a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from congvu.apps.calendars.models import Calendar, CalendarDay
from congvu.apps.calendars.services import calendar_seed_national
from congvu.apps.demo.province import DEMO_PASSWORD, ProvincePlan, build_province
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.services import IngestReport
from congvu.apps.organisations.models import Official, Position, Unit, UnitLineage
from congvu.apps.organisations.services import unit_save


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    description: str


@transaction.atomic
def demo_load(*, seed: int = 2025) -> tuple[ProvincePlan, list[DemoLogin]]:
    plan = build_province(seed)
    national, _ = calendar_seed_national()
    local_calendars = {code for code, _day, _name in plan.local_days_off}
    for code in local_calendars:
        Calendar.objects.get_or_create(
            code=code,
            defaults={
                "name": f"Lịch làm việc {code} (có ngày nghỉ riêng của địa phương)",
                "base": national,
            },
        )
    for code, day, name in plan.local_days_off:
        CalendarDay.objects.get_or_create(
            calendar=Calendar.objects.get(code=code),
            day=day,
            defaults={
                "kind": CalendarDay.Kind.DAY_OFF,
                "name": name,
                "source": "Quyết định của UBND xã (dữ liệu mẫu)",
            },
        )
    calendars = {c.code: c for c in Calendar.objects.all()}

    units = Unit.objects.in_bulk(field_name="code")
    for u in plan.units:  # parents come before children in the plan
        if u.code in units:
            continue
        units[u.code] = unit_save(
            unit=Unit(
                code=u.code,
                name=u.name,
                level=u.level,
                parent=units[u.parent] if u.parent else None,
                valid_from=u.valid_from,
                valid_to=u.valid_to,
                oversees_province=u.oversees_province,
                calendar=calendars[u.calendar] if u.calendar else None,
            )
        )
    for edge in plan.lineage:
        UnitLineage.objects.get_or_create(
            predecessor=units[edge.predecessor],
            successor=units[edge.successor],
            kind=edge.kind,
            defaults={"effective_on": edge.effective_on, "legal_basis": edge.legal_basis},
        )

    existing = Official.objects.in_bulk(field_name="code")
    new_officials = [
        Official(code=o.code, full_name=o.full_name, email=o.email)
        for o in plan.officials
        if o.code not in existing
    ]
    Official.objects.bulk_create(new_officials)
    officials = Official.objects.in_bulk(field_name="code")
    held = set(Position.objects.values_list("official__code", "unit__code", "start_on"))
    Position.objects.bulk_create(
        [
            Position(
                official=officials[o.code],
                unit=units[p.unit],
                title=p.title,
                role=p.role,
                start_on=p.start_on,
                end_on=p.end_on,
                decision=p.decision,
            )
            for o in plan.officials
            for p in o.positions
            if (o.code, p.unit, p.start_on) not in held
        ]
    )

    logins = [DemoLogin("admin", DEMO_PASSWORD, "Quản trị hệ thống (toàn quyền, trang /admin/)")]
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    for o in plan.officials:
        if not o.username:
            continue
        official = officials[o.code]
        user, created = User.objects.get_or_create(
            username=o.username, defaults={"email": o.email, "first_name": o.full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if official.user_id != user.pk:
            official.user = user
            official.save(update_fields=["user"])
        current = o.positions[0]
        logins.append(
            DemoLogin(
                o.username,
                DEMO_PASSWORD,
                f"{o.full_name} — {current.title}, {units[current.unit].name}",
            )
        )
    return plan, logins


def demo_dossiers_load(
    plan: ProvincePlan,
    *,
    count: int = 20_000,
    end: dt.datetime | None = None,
    seed: int = 2025,
    on_batch: Callable[[int], None] | None = None,
) -> IngestReport | None:
    """A year of dossiers up to ``end`` (default: now) as events through the ledger's one
    ingestion path, plus invented applicants. Only once: the year is laid out relative to the
    day of the first load, so a later run (another day) would describe different events for
    the same dossier codes — the ledger would rightly refuse them. Returns ``None`` then."""
    from congvu.apps.demo.dossiers import dossier_year, load_demo_catalog, plan_calendars
    from congvu.apps.ledger import clock
    from congvu.apps.ledger.services import events_ingest
    from congvu.apps.procedures.services import procedures_load_demo
    from congvu.apps.supervision.services import findings_sweep

    procedures_load_demo()
    if count <= 0 or Item.objects.filter(source="local", kind="dossier").exists():
        return None
    lines = dossier_year(
        plan,
        load_demo_catalog(),
        calendar_for=plan_calendars(plan),
        end=(end or clock.now()).replace(microsecond=0),
        count=count,
        seed=seed,
    )
    # one supervision pass over the whole year at the end instead of one per batch
    report = events_ingest(lines, on_batch=on_batch, findings=False)
    # open items move on with the clock alone; every item gets its findings
    findings_sweep()
    _applicants_invent(seed)
    return report


def _applicants_invent(seed: int) -> None:
    """Names and documents for the demo dossiers, which the events (rightly) do not carry."""
    from congvu.apps.demo import province
    from congvu.apps.dossiers.models import Applicant
    from congvu.apps.procedures.models import ProcedureDocument

    rng = random.Random(seed)
    documents: dict[str, list[str]] = {}
    for code, name in ProcedureDocument.objects.order_by("order", "pk").values_list(
        "procedure__code", "name"
    ):
        documents.setdefault(code, []).append(name)
    rows = []
    for pk, procedure in Item.objects.filter(kind="dossier", applicant__isnull=True).values_list(
        "pk", "procedure"
    ):
        male = rng.random() < 0.5
        middle = province.MIDDLE_M if male else province.MIDDLE_F
        given = province.GIVEN_M if male else province.GIVEN_F
        name = f"{rng.choice(province.FAMILY)} {rng.choice(middle)} {rng.choice(given)}"
        rows.append(
            Applicant(
                item_id=pk,
                name=name,
                phone=f"09{rng.randrange(10**7, 10**8)}",
                documents=documents.get(procedure, []),
            )
        )
    Applicant.objects.bulk_create(rows, batch_size=2000)
