"""A deterministic year of dossier events for the demo province (interchange.md v1 lines).

:func:`dossier_year` turns the demo province (:func:`~congvu.apps.demo.province.build_province`)
and the procedure catalog into the JSON lines the ledger ingestion imports: every dossier from
its receipt at a one-stop centre to its return, with the appointment slip, the transfer to the
handling unit, the process steps with their officials, and the misconduct the supervision rules
exist to find (late results with and without apology, repeated supplement requests, dossiers
passed around, idle dossiers …) in realistic shares (:data:`TARGETS`), concentrated in a few
units and officials a demo presenter can point at (:func:`stand_outs`, ``docs/demo.md``).

Pure: it imports the domain and the province plan, never Django. The same arguments always give
byte-identical output — one ``random.Random(seed)`` is consumed in a fixed order.

How a dossier is built, and why:

* Every timeline is laid out in *working positions* (office seconds on the receiving unit's
  calendar, :func:`~congvu.domain.calendar.working_position`): adding office time is integer
  addition, every event lands inside office hours, and lateness can be aimed at exactly.
* The outcome is drawn first (on time, late, late with an apology …) and the step that causes
  it (the "culprit", usually the specialist's appraisal) gets the duration that produces it.
  Drawing step durations blindly would make the shares depend on the catalog's budgets; aiming
  keeps them stable whatever the catalog.
* Due moments come from the functions the fold uses (``add_duration`` on the calendar), so the
  appointment slip always agrees with the fold's own due.
"""

from __future__ import annotations

import json
import math
import random
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from itertools import accumulate
from json.encoder import encode_basestring
from typing import Any

from congvu.apps.demo.province import REFORM_DAY, ProvincePlan, UnitPlan
from congvu.domain.calendar import (
    VN_TZ,
    DayEntry,
    DayKind,
    WorkCalendar,
    moment_at_position,
    national_calendar,
    next_working_moment,
    working_position,
)
from congvu.domain.calendar.ops import to_local
from congvu.domain.ledger import paper_transfer_due, ruleset_for
from congvu.domain.procedures import Catalog, Duration, Procedure, add_duration, parse_catalog

__all__ = [
    "TARGETS",
    "StandOuts",
    "dossier_year",
    "load_demo_catalog",
    "load_procedure_units",
    "plan_calendars",
    "stand_outs",
]

#: The shares the generator aims at, as (low, high) fractions of all dossiers unless named
#: otherwise, measured by folding every item at ``end`` (a year of 20,000 dossiers). The tests
#: check them; docs/demo.md explains each.
TARGETS: Mapping[str, tuple[float, float]] = {
    # finished with a result (resolved/returned) and not late against the due in force
    "on_time_of_resolved": (0.87, 0.94),
    # late against the due in force, finished or still open (the fold's ``late``)
    "late": (0.06, 0.10),
    "supplemented": (0.08, 0.12),
    "repeated_supplement": (0.003, 0.008),
    "late_supplement_request": (0.002, 0.01),
    "refused": (0.01, 0.02),
    "withdrawn": (0.007, 0.014),
    # more units on the path than the receiving centre and the handling unit
    "transferred_around": (0.02, 0.045),
    # ≥ 3 transfers, or back to a unit that already held it (the BOUNCED rule)
    "bounced": (0.012, 0.03),
    "apologised": (0.02, 0.04),
    "no_appointment_slip": (0.008, 0.025),
    "late_acceptance": (0.003, 0.015),
    "consulted": (0.005, 0.03),
    "open_at_end": (0.01, 0.04),
    "overdue_at_end": (0.003, 0.012),
    "rated_of_returned": (0.65, 0.80),
}

_DATA = "data"
_CATALOG_FILE = "procedures.json"
_UNITS_FILE = "procedure_units.json"

#: Mùng 1 Tết of each year, for the dip around the Lunar New Year: the official calendar gives
#: the days off, but volume also falls in the weeks around them ("ra Giêng").
_TET = {
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
}

#: Relative yearly volume of a procedure by words of its name (the first match wins), so that
#: certification and civil status dwarf permits, as in every province's statistics. A
#: procedure matching nothing weighs 0.5.
_VOLUME: tuple[tuple[str, float], ...] = (
    ("chứng thực bản sao", 60.0),
    ("chứng thực chữ ký", 18.0),
    ("chứng thực hợp đồng", 5.0),
    ("kết hợp", 1.5),
    ("đăng ký lại", 0.5),
    ("chấm dứt giám hộ", 0.15),
    ("giám hộ", 0.3),
    ("nhận cha, mẹ, con", 0.8),
    ("khai sinh", 26.0),
    ("tình trạng hôn nhân", 12.0),
    ("trích lục", 9.0),
    ("khai tử", 7.0),
    ("kết hôn", 6.0),
    ("cải chính", 3.0),
    ("thành lập hộ kinh doanh", 4.0),
    ("thay đổi nội dung đăng ký hộ kinh doanh", 2.5),
    ("tạm ngừng", 1.5),
    ("hộ kinh doanh", 0.8),
    ("khuyết tật", 2.0),
    ("mai táng", 1.5),
    ("tranh chấp đất đai", 1.0),
    ("nhà ở riêng lẻ", 2.5),
    ("biến động", 12.0),
    ("biện pháp bảo đảm", 8.0),
    ("cấp đổi", 6.0),
    ("tách thửa", 3.0),
    ("cấp lại giấy chứng nhận quyền sử dụng đất", 2.5),
    ("trợ cấp thất nghiệp", 8.0),
    ("thay đổi nội dung đăng ký doanh nghiệp", 6.0),
    ("công ty trách nhiệm hữu hạn", 3.0),
    ("doanh nghiệp tư nhân", 1.0),
    ("phù hiệu", 5.0),
    ("kinh doanh vận tải", 1.0),
    ("bản sao văn bằng", 2.5),
    ("cấp giấy phép lao động", 1.5),
    ("gia hạn giấy phép lao động", 0.6),
    ("bán lẻ", 1.0),
    ("hành nghề dược", 0.8),
    ("bằng khen", 0.8),
    ("an toàn thực phẩm", 0.6),
)

#: Channel shares (direct, postal, online = the provincial system, national_portal = DVCQG)
#: by level, before and after Decree 118/2025 moved online filing to the national portal.
_CHANNELS = ("direct", "postal", "online", "national_portal")
_CHANNEL_WEIGHTS = {
    ("commune", False): (0.64, 0.03, 0.22, 0.11),
    ("commune", True): (0.60, 0.03, 0.09, 0.28),
    ("province", False): (0.44, 0.07, 0.34, 0.15),
    ("province", True): (0.40, 0.07, 0.13, 0.40),
}
_ONLINE = frozenset({"online", "national_portal"})
_PAPER = frozenset({"direct", "postal"})

#: Share of the volume in commune-level procedures (civil status, certification, households).
_COMMUNE_SHARE = 0.72
#: Share of province-level land dossiers filed at a commune centre and forwarded (Decree
#: 118/2025 art. 14(2): any centre of the province receives any procedure of the province).
_LAND_AT_COMMUNE = 0.55
#: How many days before ``end`` a dossier counts as "received lately": some of those are still
#: stuck at ``end`` (the backlog a supervisor opens the dashboard to find).
_RECENT_DAYS = 30

_MINUTE = 60
_HOUR = 3600
#: JSON string literal, non-ASCII kept (the C function behind ``json.dumps(ensure_ascii=False)``).
_QUOTE = encode_basestring


def _is_land(field_name: str) -> bool:
    f = field_name.lower()
    return "đất" in f or "bảo đảm" in f


# -- data files and calendars ---------------------------------------------------------------


def _read_data(name: str) -> str:
    return resources.files("congvu.apps.demo").joinpath(_DATA, name).read_text("utf-8")


def load_demo_catalog() -> Catalog:
    """The demo procedure catalog (``congvu/apps/demo/data/procedures.json``), parsed."""
    return parse_catalog(_read_data(_CATALOG_FILE))


def load_procedure_units() -> dict[str, str]:
    """Field of a province-level procedure → code of its handling department
    (``congvu/apps/demo/data/procedure_units.json``)."""
    raw = json.loads(_read_data(_UNITS_FILE))
    if not isinstance(raw, dict):
        raise ValueError(f"{_UNITS_FILE}: expected an object field → department code")
    return {str(k): str(v) for k, v in raw.items()}


def plan_calendars(plan: ProvincePlan) -> Callable[[str], WorkCalendar]:
    """``calendar_for(unit_code)`` for the demo province without a database.

    A unit works on its own calendar if the plan names one, else on its parent's, up to the
    national calendar — the rule the organisation app applies to the database rows. The plan's
    local days off (Cẩm Thủy's festival) make the local calendars.
    """
    units = {u.code: u for u in plan.units}
    national = national_calendar()
    local: dict[str, list[DayEntry]] = {}
    for code, day, name in plan.local_days_off:
        local.setdefault(code, []).append(
            DayEntry(day, DayKind.DAY_OFF, name, "Quyết định của UBND xã (dữ liệu mẫu)")
        )
    calendars = {
        code: national.with_exceptions(entries, code=code, name=f"Lịch làm việc {code}")
        for code, entries in local.items()
    }

    @cache
    def calendar_for(unit: str) -> WorkCalendar:
        u = units.get(unit)
        while u is not None:
            if u.calendar in calendars:
                return calendars[u.calendar]
            u = units.get(u.parent) if u.parent else None
        return national

    return calendar_for


# -- the province, indexed ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Post:
    official: str
    role: str
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class _Commune:
    code: str
    centre: str  # its one-stop centre; the former communes received at the commune itself
    level: str
    successor: str | None  # the commune it was merged into on 01/07/2025


class _Org:
    """The plan indexed for the generator: units, validity, who held which role when."""

    def __init__(self, plan: ProvincePlan) -> None:
        self.units: dict[str, UnitPlan] = {u.code: u for u in plan.units}
        self.children: dict[str, list[str]] = {}
        for u in plan.units:
            if u.parent:
                self.children.setdefault(u.parent, []).append(u.code)
        self.posts: dict[str, list[_Post]] = {}
        for o in sorted(plan.officials, key=lambda o: o.code):
            for p in o.positions:
                self.posts.setdefault(p.unit, []).append(
                    _Post(o.code, p.role, p.start_on, p.end_on)
                )
        self._staff: dict[tuple[tuple[str, ...], tuple[str, ...], date], tuple[str, ...]] = {}
        self._valid: dict[date, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.field_divisions: dict[tuple[str, str], list[str]] = {}
        self.province = next(u.code for u in plan.units if u.level == "province")
        self.departments = [u.code for u in plan.units if u.level == "department"]
        self.provincial_centre = next(
            u.code
            for u in plan.units
            if u.level == "one_stop_centre"
            and u.parent is not None
            and self.units[u.parent].level == "department"
        )
        successor = {e.predecessor: e.successor for e in plan.lineage}
        self.communes: list[_Commune] = []
        for u in plan.units:
            if u.level not in ("commune", "ward"):
                continue
            centre = next(
                (c for c in self.children.get(u.code, ()) if self.level(c) == "one_stop_centre"),
                u.code,
            )
            self.communes.append(_Commune(u.code, centre, u.level, successor.get(u.code)))
        self.commune = {c.code: c for c in self.communes}

    def level(self, code: str) -> str:
        return self.units[code].level

    def name(self, code: str) -> str:
        return self.units[code].name

    def valid(self, code: str, day: date) -> bool:
        u = self.units[code]
        return (u.valid_from is None or u.valid_from <= day) and (
            u.valid_to is None or day <= u.valid_to
        )

    def valid_on(self, day: date) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(communes, departments) that exist on ``day``."""
        found = self._valid.get(day)
        if found is None:
            found = (
                tuple(c.code for c in self.communes if self.valid(c.code, day)),
                tuple(d for d in self.departments if self.valid(d, day)),
            )
            self._valid[day] = found
        return found

    def divisions(self, dept: str) -> list[str]:
        return [c for c in self.children.get(dept, ()) if self.level(c) == "division"]

    def staff(self, units: Sequence[str], roles: Sequence[str], day: date) -> tuple[str, ...]:
        """Officials holding one of ``roles`` in one of ``units`` on ``day`` (code order)."""
        key = (tuple(units), tuple(roles), day)
        found = self._staff.get(key)
        if found is None:
            found = tuple(
                p.official
                for u in units
                for p in self.posts.get(u, ())
                if p.role in roles and p.start <= day and (p.end is None or day <= p.end)
            )
            self._staff[key] = found
        return found

    def anyone(self, unit: str) -> tuple[str, ...]:
        """Whoever ever held a post in ``unit`` or above it: the last resort for an actor."""
        code: str | None = unit
        while code is not None:
            found = tuple(p.official for p in self.posts.get(code, ()))
            if found:
                return found
            code = self.units[code].parent
        raise ValueError(f"no official in {unit} nor above it")


# -- the stand-outs ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StandOuts:
    """Units and officials whose patterns stand out in the generated year (docs/demo.md)."""

    late_land_commune: str
    """Commune whose land dossiers are chronically late: its centre sits on the land files it
    receives for the province before forwarding them, and its own land files run over."""
    slow_specialist: str
    """Department specialist (official code) who holds appraisal steps far beyond budget."""
    slow_specialist_division: str
    supplement_ward: str
    """Ward that asks for supplements about four times as often as the others, often twice on
    the same dossier and often late."""
    bouncing_unit: str
    """Department that passes dossiers to other units and gets them back ("đùn đẩy")."""
    model_commune: str
    """Commune with near-perfect timeliness, few supplements and top ratings."""


_LATE_LAND_COMMUNE = "Ủy ban nhân dân xã Long Điền"
_SUPPLEMENT_WARD = "Ủy ban nhân dân phường Tây Hồ"
_MODEL_COMMUNE = "Ủy ban nhân dân xã Hòa Phú"
_BOUNCING_UNIT = "Sở Xây dựng"
_BOUNCE_PARTNER = "Sở Nông nghiệp và Môi trường"
_SLOW_DEPARTMENT = "Sở Nông nghiệp và Môi trường"
_SLOW_DIVISION = "Phòng Quản lý đất đai"


def stand_outs(plan: ProvincePlan) -> StandOuts:
    """The stand-out units and officials of ``plan`` (found by name, so any seed works)."""
    org = _Org(plan)
    by_name = {u.name: u.code for u in plan.units if u.valid_to is None}
    dept = by_name[_SLOW_DEPARTMENT]
    division = next(d for d in org.divisions(dept) if org.name(d) == _SLOW_DIVISION)
    # a current specialist who is not a demo login: the logins' own screens stay ordinary and
    # the presenter finds this one through the findings
    logins = {o.code for o in plan.officials if o.username}
    current = [p.official for p in org.posts.get(division, ()) if p.end is None]
    specialists = [
        p.official
        for p in org.posts.get(division, ())
        if p.role == "specialist" and p.end is None and p.official not in logins
    ]
    return StandOuts(
        late_land_commune=by_name[_LATE_LAND_COMMUNE],
        slow_specialist=(specialists or current)[0],
        slow_specialist_division=division,
        supplement_ward=by_name[_SUPPLEMENT_WARD],
        bouncing_unit=by_name[_BOUNCING_UNIT],
        model_commune=by_name[_MODEL_COMMUNE],
    )


# -- scenario rates ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rates:
    """Probabilities of each scenario for one dossier (the stand-outs change a few)."""

    refused_at_receipt: float = 0.005
    withdrawn: float = 0.010
    refused_result: float = 0.009
    supplement: float = 0.085
    second_supplement: float = 0.05  # of supplemented
    late_supplement: float = 0.18  # of supplemented, where the limit leaves room for it
    abandoned: float = 0.10  # of supplemented: never completed, closed after 15 days
    at_acceptance: float = 0.45  # of supplemented online dossiers: asked by the one-stop shop
    bounce: float = 0.045  # of dossiers with a limit of 2 working days or more
    redirect: float = 0.025
    consult: float = 0.6  # in a procedure with a consultation step and related units
    consult_other: float = 0.01  # elsewhere (limit ≥ 5 working days): often an unrelated unit
    consult_unrelated: float = 0.15
    consult_overdue: float = 0.25
    no_slip: float = 0.015
    late_acceptance: float = 0.03  # of online dossiers with a limit of 2 working days or more
    late_transfer: float = 0.02  # of paper dossiers
    late: float = 0.036
    late_untimely_apology: float = 0.006
    apology_ok: float = 0.014
    apology_late: float = 0.005
    stalled: float = 0.002
    backlog: float = 0.06  # of dossiers received lately: stuck at ``end``
    repeated_apology: float = 0.08  # of apologised
    rated: float = 0.72
    pace: float = 1.0  # step durations are drawn around pace × 0.45 × budget
    culprit_centre: bool = False  # the receiving centre causes the outcome


_BASE = _Rates()
_MODEL = replace(
    _BASE,
    late=0.0,
    late_untimely_apology=0.0,
    apology_ok=0.002,
    apology_late=0.0,
    stalled=0.0,
    backlog=0.0,
    supplement=0.03,
    second_supplement=0.0,
    late_supplement=0.0,
    bounce=0.0,
    redirect=0.0,
    no_slip=0.0,
    late_acceptance=0.0,
    late_transfer=0.0,
    rated=0.86,
    pace=0.6,
)
_LATE_LAND_HANDLED = replace(_BASE, late=0.45, late_untimely_apology=0.05, apology_ok=0.04)
_LATE_LAND_FORWARDED = replace(
    _BASE, late=0.45, late_untimely_apology=0.03, late_transfer=0.6, culprit_centre=True
)
_SUPPLEMENTING = replace(_BASE, supplement=0.34, second_supplement=0.2, late_supplement=0.25)
#: Sở Xây dựng plays ping-pong: it passes its own files on, and it sends back (or on) the land
#: and construction files other units pass to it — so it is the unit that completes most
#: bounces whichever end of a bounce a rule blames.
_BOUNCING = replace(_BASE, bounce=0.18, redirect=0.02)
_TOUCHES_BOUNCER = replace(_BASE, bounce=0.07)


# -- texts ------------------------------------------------------------------------------------

_REASON_TRANSFER = "Chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết"
_REASON_SUBMIT = "Trình Ủy ban nhân dân tỉnh xem xét, quyết định"
_REASON_WRONG = (
    "Hồ sơ không thuộc thẩm quyền, chuyển đơn vị khác xem xét",
    "Đề nghị đơn vị khác giải quyết theo chức năng",
    "Chuyển lại do chưa rõ thẩm quyền giải quyết",
)
_REASON_BACK = (
    "Trả lại hồ sơ: không thuộc thẩm quyền của đơn vị",
    "Chuyển trả, đề nghị đơn vị chủ trì tiếp tục giải quyết",
)
_REASON_MERGER = (
    "Sắp xếp đơn vị hành chính cấp xã (Nghị quyết 1699/NQ-UBTVQH15): "
    "chuyển hồ sơ đang giải quyết cho đơn vị kế thừa"
)
_REASON_APOLOGY = (
    "Cần xác minh thêm thông tin với cơ quan liên quan",
    "Chờ ý kiến của cơ quan phối hợp",
    "Khối lượng hồ sơ tăng đột biến",
    "Cần kiểm tra thực địa",
)
_REASON_REFUSE_RECEIPT = (
    "Thủ tục không thuộc thẩm quyền tiếp nhận của cơ quan",
    "Người nộp không đủ điều kiện thực hiện thủ tục",
)
_REASON_REFUSE = (
    "Hồ sơ không đủ điều kiện theo quy định",
    "Thông tin kê khai không khớp với cơ sở dữ liệu quốc gia",
)
_REASON_WITHDRAW = ("Công dân đề nghị rút hồ sơ", "Tổ chức đề nghị dừng giải quyết hồ sơ")
_REASON_SUPPLEMENT = "Hồ sơ chưa đầy đủ, đề nghị bổ sung, hoàn thiện"
_REASON_SUPPLEMENT_AGAIN = "Đề nghị bổ sung thêm giấy tờ"
_DOCS_LAND = (
    "Bản vẽ sơ đồ thửa đất",
    "Bản sao Giấy chứng nhận quyền sử dụng đất",
    "Văn bản thỏa thuận phân chia di sản",
    "Tờ khai lệ phí trước bạ",
)
_DOCS_CIVIL = (
    "Giấy chứng sinh (bản chính)",
    "Giấy ủy quyền có chứng thực",
    "Văn bản xác nhận nơi cư trú",
    "Tờ khai theo mẫu có đủ chữ ký",
)
_DOCS_OTHER = (
    "Tờ khai theo mẫu có đủ chữ ký",
    "Bản sao giấy tờ chứng minh điều kiện",
    "Giấy ủy quyền có chứng thực",
    "Bản thuyết minh bổ sung",
)


# -- the year ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _StepPlan:
    code: str
    side: str  # "centre", "handler" (the department or commune) or "province" (its UBND)
    slot: str  # "os" (one-stop officer), "spec" (specialist), "lead" (who signs)
    budget: int  # office seconds (calendar days approximated as 5/7 of a week)


@dataclass(frozen=True, slots=True)
class _Proc:
    """A procedure with what the generator needs precomputed."""

    procedure: Procedure
    level: str
    weight: float
    handler: str  # department of a province-level procedure, "" for a commune's
    land: bool
    steps: tuple[_StepPlan, ...]
    limit: int  # office seconds (calendar days approximated)
    consult_step: int | None  # index of a consultation step, if the process has one
    related: tuple[str, ...]  # related units that exist in the plan


@dataclass(slots=True)
class _Header:
    """What is decided before the timelines: where, when, what, how."""

    received: datetime
    centre: str
    handler: str
    proc: _Proc
    channel: str
    commune: _Commune | None  # the commune whose centre received it, if any
    code: str = ""


def _level(p: Procedure) -> str:
    level = p.level.strip().lower()
    if level in ("commune", "ward", "xa", "xã"):
        return "commune"
    if level in ("province", "provincial", "department", "tinh", "tỉnh"):
        return "province"
    raise ValueError(f"procedure {p.code}: level {p.level!r} is neither commune nor province")


def _weight(p: Procedure) -> float:
    name = p.name.lower()
    return next((w for word, w in _VOLUME if word in name), 0.5)


def _step_side(role: str) -> tuple[str, str]:
    r = role.lower()
    if "one_stop" in r or "reception" in r:
        return "centre", "os"
    if "province" in r:
        return "province", "lead"
    if any(k in r for k in ("lead", "head", "chair", "director")):
        return "handler", "lead"
    return "handler", "spec"


def _seconds(d: Duration, day_seconds: int) -> int:
    if d.unit == "working_days":
        return round(d.amount * day_seconds)
    if d.unit == "working_hours":
        return round(d.amount * _HOUR)
    return round(d.amount * day_seconds * 5 / 7)


def _season(day: date) -> float:
    """Volume factor of a day: the dip around Tết, the summer and year-end peaks."""
    factor = 1.0
    for tet in (_TET.get(day.year), _TET.get(day.year + 1)):
        if tet is None:
            continue
        delta = (day - tet).days
        if -12 <= delta < -6:
            factor = 0.9
        elif -6 <= delta < 0:
            factor = 0.7
        elif 0 <= delta <= 14:
            factor = 0.5  # offices reopen, citizens come back slowly
        elif 14 < delta <= 24:
            factor = 0.8
    if day.month in (7, 8):
        factor *= 1.1  # school enrolment: certified copies, birth certificate extracts
    elif day.month == 12:
        factor *= 1.08
    return factor


def dossier_year(
    plan: ProvincePlan,
    catalog: Catalog,
    *,
    calendar_for: Callable[[str], WorkCalendar],
    end: datetime,
    days: int = 365,
    count: int = 20_000,
    seed: int = 2025,
    procedure_units: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """JSON lines (interchange.md v1, ``source`` ``"local"``, kind ``dossier``) for ``count``
    dossiers received over the ``days`` calendar days up to ``end`` (aware; the last of them is
    ``end``'s day, or the day before if ``end`` is before 07:30), item by item in order of
    receipt, each item's events in ``seq`` order, none after ``end``.

    ``catalog``: commune- and province-level procedures (v1); ``calendar_for(unit_code)``: the
    unit's working calendar (:func:`plan_calendars` builds one without a database); every
    moment is laid out on the receiving unit's calendar, the one the ingestion folds with.
    ``procedure_units``: field → handling department of province-level procedures (default:
    the demo data file). Deterministic: the same arguments give byte-identical output.

    Units receive only while the plan has them: the former communes X90/X91 until 30/06/2025,
    their successor from 01/07/2025 (their dossiers still open then are transferred to it),
    the other communes from 01/07/2025, the departments from 01/03/2025. Raises
    ``ValueError`` for a naive ``end``, ``days`` < 1, a procedure of another level or a field
    without a handling department in the plan.
    """
    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("end must be an aware datetime")
    if days < 1:
        raise ValueError("days must be at least 1")
    end = to_local(end)
    org = _Org(plan)
    units = load_procedure_units() if procedure_units is None else procedure_units
    outs = stand_outs(plan)
    rng = random.Random(seed)
    procs = _procedures(org, catalog, units, national_calendar().day_seconds)
    headers = _headers(org, procs, rng, calendar_for, end, days, count)
    clocks: dict[str, _Clock] = {}
    texts: dict[tuple[Any, ...], str] = {}
    for h in headers:
        cal = calendar_for(h.centre)
        clock = clocks.get(cal.code)
        if clock is None:
            clock = clocks[cal.code] = _Clock(cal, end)
        yield from _Dossier(h, org, outs, clock, rng, texts).lines()


def _procedures(
    org: _Org, catalog: Catalog, units: Mapping[str, str], day_seconds: int
) -> list[_Proc]:
    out: list[_Proc] = []
    for p in catalog.values():
        level = _level(p)
        handler = ""
        if level == "province":
            handler = units.get(p.field, "")
            if not handler:
                raise ValueError(f"procedure {p.code}: no handling department for {p.field!r}")
            if handler not in org.units:
                raise ValueError(f"procedure {p.code}: unit {handler} is not in the province")
        steps = tuple(
            _StepPlan(s.code, *_step_side(s.role), _seconds(s.budget, day_seconds)) for s in p.steps
        )
        consult = next((i for i, s in enumerate(p.steps) if "consult" in s.code.lower()), None)
        out.append(
            _Proc(
                procedure=p,
                level=level,
                weight=_weight(p),
                handler=handler,
                land=_is_land(p.field),
                steps=steps,
                limit=_seconds(p.time_limit, day_seconds),
                consult_step=consult if consult is not None and consult > 0 else None,
                related=tuple(u for u in sorted(p.related_units) if u in org.units),
            )
        )
    if not out:
        raise ValueError("the catalog is empty")
    return out


def _commune_weights(org: _Org, rng: random.Random) -> dict[str, float]:
    """Population/size weight of each commune: wards are denser, the merged commune bigger
    (and its two predecessors together about the same)."""
    weights: dict[str, float] = {}
    for c in org.communes:
        if c.successor is not None:
            weights[c.code] = 0.85
        elif c.level == "ward":
            weights[c.code] = rng.uniform(1.4, 2.1)
        else:
            weights[c.code] = rng.uniform(0.6, 1.3)
    for c in org.communes:
        if c.successor is not None:
            weights[c.successor] = 1.7
    return weights


def _headers(
    org: _Org,
    procs: list[_Proc],
    rng: random.Random,
    calendar_for: Callable[[str], WorkCalendar],
    end: datetime,
    days: int,
    count: int,
) -> list[_Header]:
    weights = _commune_weights(org, rng)
    # a day that ends before the counters open has nothing to receive (and redrawing the
    # moments after ``end`` would never finish): the window then ends the day before
    last = end.date() if end.time() >= time(7, 30) else end.date() - timedelta(days=1)
    first = last - timedelta(days=days - 1)
    all_days = [first + timedelta(days=i) for i in range(days)]
    national = calendar_for(org.provincial_centre)
    commune_procs = [p for p in procs if p.level == "commune"]
    province_procs = [p for p in procs if p.level == "province"]
    # the full province: every commune of the two-tier map (the former ones are its past)
    c_norm = sum(weights[c.code] for c in org.communes if c.successor is None) or 1.0
    p_norm = sum(p.weight for p in province_procs) or 1.0

    # which units receive changes only at the reform dates: cache per set of valid units
    @cache
    def regime(
        communes: tuple[str, ...], depts: tuple[str, ...]
    ) -> tuple[float, float, list[float], list[_Proc], list[float]]:
        """(capacity of a day relative to the full province, its commune part, cumulative
        commune weights, the province procedures whose department exists, their weights)."""
        c_cum = list(accumulate(weights[c] for c in communes))
        c_part = _COMMUNE_SHARE * c_cum[-1] / c_norm if commune_procs and communes else 0.0
        allowed = [p for p in province_procs if p.handler in depts]
        p_part = (1 - _COMMUNE_SHARE) * sum(p.weight for p in allowed) / p_norm
        return c_part + p_part, c_part, c_cum, allowed, list(accumulate(p.weight for p in allowed))

    day_weights = [
        # days off: only online filings arrive
        _season(day)
        * (1.0 if national.is_working_day(day) else 0.1)
        * regime(*org.valid_on(day))[0]
        for day in all_days
    ]
    cum_days = list(accumulate(day_weights))
    if cum_days[-1] <= 0:
        raise ValueError("no unit of the plan receives dossiers in the period")
    proc_cum = list(accumulate(p.weight for p in commune_procs))
    # the centres that take province-level land files (post-reform communes)
    forwarders = [c for c in org.communes if c.centre != c.code]
    f_cum = list(accumulate(weights[c.code] for c in forwarders))

    headers: list[_Header] = []
    while len(headers) < count:
        day = all_days[bisect_right(cum_days, rng.random() * cum_days[-1])]
        communes, depts = org.valid_on(day)
        capacity, c_part, cc_cum, allowed, pc_cum = regime(communes, depts)
        commune: _Commune | None
        if rng.random() * capacity < c_part:
            commune = org.commune[communes[bisect_right(cc_cum, rng.random() * cc_cum[-1])]]
            proc = commune_procs[bisect_right(proc_cum, rng.random() * proc_cum[-1])]
            centre, handler, level = commune.centre, commune.code, "commune"
        else:
            proc = allowed[bisect_right(pc_cum, rng.random() * pc_cum[-1])]
            centre, handler, level, commune = org.provincial_centre, proc.handler, "province", None
            if proc.land and f_cum and rng.random() < _LAND_AT_COMMUNE:
                pick = forwarders[bisect_right(f_cum, rng.random() * f_cum[-1])]
                if org.valid(pick.code, day):
                    commune, centre = pick, pick.centre
        cal = calendar_for(centre)
        shares = _CHANNEL_WEIGHTS[(level, day >= REFORM_DAY)]
        working = cal.is_working_day(day)
        if working:
            channel = rng.choices(_CHANNELS, shares)[0]
        else:
            channel = rng.choices(("online", "national_portal"), shares[2:])[0]
        received = _receipt_moment(rng, day, channel, working)
        if received >= end:
            continue  # the part of end's day after end: draw again
        headers.append(_Header(received, centre, handler, proc, channel, commune))

    headers.sort(key=lambda h: (h.received, h.centre, h.proc.procedure.code))
    counters: dict[tuple[str, date], int] = {}
    for h in headers:
        key = (h.centre, h.received.date())
        counters[key] = n = counters.get(key, 0) + 1
        # Decree 118/2025 art. 28: agency code + receipt date + sequence within the day
        h.code = f"{h.centre}-{h.received:%y%m%d}-{n:04d}"
    return headers


def _receipt_moment(rng: random.Random, day: date, channel: str, working: bool) -> datetime:
    """A realistic time of arrival: counters peak mid-morning and early afternoon; online
    filings come at any hour, a quarter of them outside office hours."""
    if channel in _ONLINE and (not working or rng.random() < 0.25):
        if not working:
            seconds = rng.randint(7 * _HOUR, 23 * _HOUR)
        elif rng.random() < 0.7:
            seconds = rng.randint(17 * _HOUR, 23 * _HOUR)  # evening
        elif rng.random() < 0.5:
            seconds = rng.randint(5 * _HOUR + 30 * _MINUTE, 7 * _HOUR + 29 * _MINUTE)
        else:
            seconds = rng.randint(11 * _HOUR + 30 * _MINUTE, 12 * _HOUR + 59 * _MINUTE)
    elif channel in _ONLINE:
        session = (7 * _HOUR + 30 * _MINUTE) if rng.random() < 0.55 else 13 * _HOUR
        seconds = session + rng.randint(0, 4 * _HOUR - 1)
    elif rng.random() < 0.64:
        # people come early: the morning peak is around 08:45
        seconds = int(rng.triangular(7.5 * _HOUR, 11.5 * _HOUR - 1, 8.75 * _HOUR))
    else:
        seconds = int(rng.triangular(13 * _HOUR, 17 * _HOUR - 1, 14 * _HOUR))
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ) + timedelta(seconds=seconds)


# -- positions → moments, fast --------------------------------------------------------------


class _Clock:
    """One calendar's working positions as the text of their moments.

    Gives exactly what ``moment_at_position(cal, pos, at_end=False).isoformat()`` gives (a
    test checks it), without building a datetime per event: rendering 250,000 events that
    way is a third of the generator's time. Vietnam has kept +07:00 since 1975.
    """

    def __init__(self, cal: WorkCalendar, end: datetime) -> None:
        self.cal = cal
        self.D = cal.day_seconds
        # (office seconds of the day used by the end of the session, what to add to get the
        # time of day) per session: the walk moment_at_position does, precomputed
        self._sessions: list[tuple[int, int]] = []
        used = 0
        for start, stop in cal.intervals_seconds:
            used += stop - start
            self._sessions.append((used, start - (used - (stop - start))))
        self._days: dict[int, tuple[date, str]] = {}
        self._paper: dict[tuple[date, bool], int] = {}
        self.end_pos = working_position(cal, end)
        # an event at end's own position is at or before end only if end is in office hours
        self.end_inside = next_working_moment(cal, end) == end

    def moment(self, pos: int) -> datetime:
        # at_end=False: a position on a session boundary is the next opening (07:30, 13:00),
        # inside office hours, never 17:00 sharp
        return moment_at_position(self.cal, pos, at_end=False)

    def text(self, pos: int) -> tuple[date, str]:
        """The local day and ISO 8601 text of the moment at ``pos``."""
        w, r = divmod(pos, self.D)
        day = self._days.get(w)
        if day is None:
            d = self.moment(w * self.D).date()  # also raises outside the coverage
            day = self._days[w] = (d, d.isoformat())
        sec = r + self._sessions[-1][1]  # past the last session: its end (never reached)
        for used, offset in self._sessions:
            if r < used:
                sec = r + offset
                break
        hh, rest = divmod(sec, _HOUR)
        mm, ss = divmod(rest, _MINUTE)
        return day[0], f"{day[1]}T{hh:02d}:{mm:02d}:{ss:02d}+07:00"

    def before_end(self, pos: int) -> bool:
        return pos < self.end_pos or (pos == self.end_pos and self.end_inside)

    def paper_due(self, received: datetime) -> int:
        """Position of the latest lawful transfer of paper received then (art. 18(2)); it
        depends only on the day and on the side of the 15:00 cut-off."""
        rs = ruleset_for(received)
        key = (received.date(), received.time() <= rs.paper_transfer_cutoff)
        found = self._paper.get(key)
        if found is None:
            found = working_position(self.cal, paper_transfer_due(rs, self.cal, received))
            self._paper[key] = found
        return found


def _json_data(data: Mapping[str, Any], texts: dict[tuple[Any, ...], str]) -> str:
    """``data`` as compact JSON with sorted keys (strings, integers, lists of strings).

    ``{"step": "review"}``, ``{"official": …, "step": …}`` and the like recur on most events:
    their text is kept in ``texts`` (one run's cache), keyed by the items in their order."""
    try:
        key = tuple(data.items())
        found = texts.get(key)
    except TypeError:  # a list inside: not hashable, and rare
        return _json_text(data)
    if found is None:
        found = texts[key] = _json_text(data)
    return found


def _json_text(data: Mapping[str, Any]) -> str:
    parts = []
    for key in sorted(data):
        v = data[key]
        if isinstance(v, str):
            text = _QUOTE(v)
        elif isinstance(v, list):
            text = "[" + ",".join(_QUOTE(x) for x in v) + "]"
        else:
            text = json.dumps(v)
        parts.append(_QUOTE(key) + ":" + text)
    return "{" + ",".join(parts) + "}"


# -- one dossier ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Ev:
    """An event before it is dated: a working position, the side that performs it (the
    receiving centre, the handling unit, the province, or a named unit), the slot of its actor
    and, for an assignment, the (side, slot) of the official. Units and officials are resolved
    when the event is rendered: a former commune's events after the merger are its
    successor's."""

    pos: int
    type: str
    side: str
    slot: str | None
    data: dict[str, Any] = field(default_factory=dict)
    official: tuple[str, str] | None = None


#: How a dossier is passed around. "revisit": the handling unit passes it to a wrong unit,
#: which sends it back; "loop": through two wrong units and back (both BOUNCED); "chain": the
#: centre sends it to a wrong unit, which sends it to another, which sends it to the right one
#: (three transfers: BOUNCED); "redirect": one wrong unit forwards it (only the path shows it).
_BOUNCES = ("revisit", "loop", "chain")
_BOUNCE_WEIGHTS = (0.55, 0.2, 0.25)
_BOUNCER_WEIGHTS = (0.75, 0.25, 0.0)


@dataclass(frozen=True, slots=True)
class _Scenario:
    """What happens to one dossier (see :class:`_Rates`); ``outcome`` is one of on_time,
    late, late_untimely_apology, apology_ok, apology_late, stalled, slow."""

    supplement: bool
    second: bool  # a second, unlawful supplement request
    late_supp: bool  # requested more than 3 working days after acceptance
    abandoned: bool  # the supplement never comes: closed after 15 days
    at_accept: bool  # an online filing sent back at acceptance
    bounce: str  # "", "revisit", "loop", "chain" or "redirect"
    consult: bool
    no_slip: bool
    late_transfer: bool
    withdrawn: bool
    refused: bool
    outcome: str


class _Dossier:
    """Lays out one dossier's timeline in working positions, then renders its lines."""

    def __init__(
        self,
        h: _Header,
        org: _Org,
        outs: StandOuts,
        clock: _Clock,
        rng: random.Random,
        texts: dict[tuple[Any, ...], str],
    ) -> None:
        self.h, self.org, self.outs, self.clock, self.rng = h, org, outs, clock, rng
        self.texts = texts
        self.cal = clock.cal
        self.D = clock.D
        self.proc = h.proc
        self.p_recv = working_position(self.cal, h.received)
        self.day = h.received.date()
        self.online = h.channel in _ONLINE
        self.events: list[_Ev] = []
        self.memo: dict[tuple[str, str], str] = {}
        self.new_dues: dict[datetime, tuple[int, datetime]] = {}
        self.first_due = 0
        self.successor = h.commune.successor if h.commune else None
        # the merger: a former commune's open dossiers pass to its successor on 01/07/2025
        self.reform_pos = -1
        if self.successor:
            reform = datetime.combine(REFORM_DAY, time(7, 30), tzinfo=VN_TZ)
            self.reform_pos = working_position(self.cal, reform)
        self.slow = self._pick(h.handler, "spec", self.day) == outs.slow_specialist
        self.rates = self._rates()
        self.recent = (clock.end_pos - self.p_recv) < _RECENT_DAYS * 5 // 7 * self.D

    # -- who ----------------------------------------------------------------------------------

    def _rates(self) -> _Rates:
        h, outs = self.h, self.outs
        commune = h.commune.code if h.commune else None
        if commune == outs.model_commune:
            return _MODEL
        if commune == outs.late_land_commune and (self.proc.land or "xây dựng" in self._field):
            return _LATE_LAND_HANDLED if h.handler == commune else _LATE_LAND_FORWARDED
        if h.handler == outs.supplement_ward:
            return _SUPPLEMENTING
        if h.handler == outs.bouncing_unit:
            return _BOUNCING
        if self.proc.land or "xây dựng" in self._field:
            return _TOUCHES_BOUNCER
        return _BASE

    @property
    def _field(self) -> str:
        return self.proc.procedure.field.lower()

    def _side_unit(self, side: str, pos: int) -> str:
        if side == "centre":
            unit = self.h.centre
        elif side == "handler":
            unit = self.h.handler
        elif side == "province":
            return self.org.province
        else:
            return side
        if self.successor and pos >= self.reform_pos:
            return self.org.commune[self.successor].centre if side == "centre" else self.successor
        return unit

    def _pick(self, unit: str, slot: str, day: date) -> str:
        """The official filling ``slot`` in ``unit`` (chosen on ``day``, kept for the dossier)."""
        key = (unit, slot)
        chosen = self.memo.get(key)
        if chosen is not None:
            return chosen
        org = self.org
        level = org.level(unit)
        pools: list[tuple[list[str], list[str]]]
        if level in ("commune", "ward"):
            centre = org.commune[unit].centre
            pools = {
                "os": [([centre], ["one_stop"]), ([unit], ["specialist"])],
                "spec": [([unit], ["specialist"]), ([centre], ["one_stop"])],
                "lead": [([unit], ["unit_head"]), ([centre], ["unit_head"])],
            }[slot]
            if slot == "lead" and self.rng.random() < 0.3:
                pools = pools[::-1]  # the vice-chairman (director of the centre) signs
        elif level == "one_stop_centre":
            parent = org.units[unit].parent or unit
            pools = [
                ([unit], ["unit_head" if slot == "lead" else "one_stop"]),
                ([parent], ["unit_head"]),
            ]
        elif level == "department":
            divisions = self._divisions(unit)
            workers = ["specialist", "supervisor", "inspector"]
            pools = {
                "os": [(divisions, workers)],
                "spec": [(divisions, workers), (org.divisions(unit), workers)],
                "lead": [([unit], ["unit_head"]), (divisions, ["unit_head"])],
            }[slot]
        else:
            pools = [([unit], ["province_leader", "unit_head"])]
        for units, roles in pools:
            found = org.staff(units, roles, day)
            if found:
                chosen = found[int(self.rng.random() * len(found))]
                break
        if chosen is None:
            # nobody in post that day (a unit without staff in the plan): whoever served there
            found = org.anyone(unit)
            chosen = found[int(self.rng.random() * len(found))]
        self.memo[key] = chosen
        return chosen

    def _divisions(self, dept: str) -> list[str]:
        """The division whose name shares most words with the procedure's field (land →
        "Phòng Quản lý đất đai"), else every one but the department's office."""
        key = (dept, self._field)
        found = self.org.field_divisions.get(key)
        if found is None:
            divisions = self.org.divisions(dept)
            words = {w for w in self._field.replace(",", " ").split() if len(w) > 2}
            scores = [len(words & set(self.org.name(d).lower().split())) for d in divisions]
            if scores and max(scores) > 0:
                found = [d for d, s in zip(divisions, scores, strict=True) if s == max(scores)]
            else:
                working = [d for d in divisions if not self.org.name(d).startswith("Văn phòng")]
                found = working or divisions
            self.org.field_divisions[key] = found
        return found

    # -- time ---------------------------------------------------------------------------------

    def _pos(self, m: datetime) -> int:
        return working_position(self.cal, m)

    def _due(self, start_pos: int) -> tuple[int, datetime]:
        """The due of the time limit counted from ``start_pos``, exactly as the fold does."""
        start = self.h.received if start_pos == self.p_recv else self.clock.moment(start_pos)
        due = add_duration(self.cal, start, self.proc.procedure.time_limit)
        return self._pos(due), due

    def _new_due(self, due: datetime) -> tuple[int, datetime]:
        """The apology's new appointment, drawn once per due: 1–5 working days later."""
        if due not in self.new_dues:
            days = self.rng.choice((1, 2, 2, 3, 3, 5))
            m = add_duration(self.cal, due, Duration("working_days", days))
            self.new_dues[due] = (self._pos(m), m)
        return self.new_dues[due]

    def _u(self, lo: float, hi: float) -> int:
        """A random whole number of seconds in [lo, hi)."""
        return int(lo + self.rng.random() * (hi - lo))

    def _after_days(self, pos: int, lo: int, hi: int) -> int:
        """A position ``lo``–``hi`` calendar days after ``pos`` at an office time that day (or
        the next working day): how long an applicant takes to bring documents back."""
        m = self.clock.moment(pos) + timedelta(days=lo + int(self.rng.random() * (hi - lo + 1)))
        start = self._pos(datetime.combine(m.date(), time(7, 30), tzinfo=VN_TZ))
        return max(pos + _MINUTE, start + self._u(10 * _MINUTE, self.D - 10 * _MINUTE))

    def _emit(
        self,
        pos: int,
        type_: str,
        side: str,
        slot: str | None,
        official: tuple[str, str] | None = None,
        **data: Any,
    ) -> None:
        self.events.append(_Ev(pos, type_, side, slot, data, official))

    # -- the timeline -------------------------------------------------------------------------

    def lines(self) -> list[str]:
        self._layout()
        return self._render()

    def _layout(self) -> None:
        h, r, rng, D, proc = self.h, self.rates, self.rng, self.D, self.proc
        P = self.p_recv
        self._emit(P, "received", "centre", None if self.online else "os")
        if rng.random() < r.refused_at_receipt:
            reason = rng.choice(_REASON_REFUSE_RECEIPT)
            self._emit(
                P + self._u(5 * _MINUTE, 40 * _MINUTE), "refused", "centre", "os", reason=reason
            )
            return
        steps = list(proc.steps) or [_StepPlan("", "handler", "spec", proc.limit // 2)]
        if self.online:
            # the portal's arrival goes to a receiving officer within 2 hours (art. 17(2)), who
            # accepts it within the receiving step's budget, mostly
            budget = steps[0].budget if steps[0].side == "centre" else 4 * _HOUR
            alert = P + self._u(_MINUTE, max(2 * _MINUTE, min(90 * _MINUTE, 0.25 * budget)))
            if steps[0].code:
                self._emit(alert, "assigned", "centre", None, ("centre", "os"), step=steps[0].code)
            if proc.limit >= 2 * D and rng.random() < r.late_acceptance:
                wait = self._u(8.5 * _HOUR, 20 * _HOUR)
            else:
                wait = self._u(10 * _MINUTE, max(20 * _MINUTE, min(7.5 * _HOUR, 0.7 * budget)))
            accept = max(P + wait, alert + _MINUTE)
        else:
            accept = P + self._u(3 * _MINUTE, 12 * _MINUTE)

        sc = self._scenario()
        supplement, second, outcome = sc.supplement, sc.second, sc.outcome
        seg_start = P  # where the legal clock (re)starts
        slip_at = accept
        if sc.at_accept:
            # an incomplete online filing: the one-stop shop asks at acceptance, in one notice,
            # and issues the slip when the complete dossier is back
            self._emit(
                accept,
                "supplement_requested",
                "centre",
                "os",
                documents=self._docs(),
                reason=_REASON_SUPPLEMENT,
            )
            if sc.abandoned:
                return
            back = self._after_days(accept, 1, 10)
            self._emit(back, "supplement_received", "centre", "os")
            seg_start = back
            slip_at = back + self._u(2 * _MINUTE, 10 * _MINUTE)
            supplement = second = False
        due_pos, due = self._due(seg_start)
        self.first_due = due_pos
        if not sc.no_slip:
            self._emit(slip_at, "appointment_issued", "centre", "os", due=due.isoformat())
        accepted = max(slip_at, accept)

        work = [i for i, s in enumerate(steps) if s.side != "centre"]
        host = work[0] if work else 0
        last_work = work[-1] if work else len(steps) - 1
        consult_at = proc.consult_step if proc.consult_step is not None else host
        inner = max(
            host if (supplement or sc.bounce in ("revisit", "loop")) else 0,
            consult_at if sc.consult else 0,
        )
        culprit = self._culprit(steps, inner, host)
        durations = [self._draw(s) for s in steps]
        apology = outcome in ("apology_ok", "apology_late", "late_untimely_apology")
        holder = "handler" if h.centre == h.handler else "centre"  # former communes: no transfer
        cursor = P
        F = P
        for i, s in enumerate(steps):
            start = cursor
            if s.side != "centre" and holder != s.side and holder != "province":
                at = start
                if i == 0:
                    at = self._transfer_pos(
                        accepted + self._u(_MINUTE, 20 * _MINUTE), sc.late_transfer
                    )
                cursor = self._hand_over(at, holder, s.side, sc.bounce)
                holder = s.side
            if i > 0 or s.side != "centre":
                lag = self._u(2 * _MINUTE, min(2 * _HOUR, max(3 * _MINUTE, durations[i] // 5)))
                cursor = max(cursor, start) + lag
                if s.code:
                    side = holder if s.side != "centre" else "centre"
                    assigner = "lead" if s.slot == "spec" else "spec" if side == "handler" else None
                    self._emit(cursor, "assigned", side, assigner, (side, s.slot), step=s.code)
            if i == 0:
                cursor = max(cursor, accepted + _MINUTE)
            if i == host and sc.bounce in ("revisit", "loop"):
                cursor = self._bounce_back(cursor, sc.bounce, s.code)
            if i == host and supplement:
                found = self._supplements(cursor, accepted, second, sc.late_supp, sc.abandoned)
                if found is None:
                    return  # never completed: the one-stop shop closes it after 15 days
                cursor, seg_start = found
                due_pos, due = self._due(seg_start)
                if not sc.no_slip:
                    # the time limit restarted: a new receipt and appointment slip
                    self._emit(
                        seg_start + self._u(_MINUTE, 5 * _MINUTE),
                        "appointment_issued",
                        "centre",
                        "os",
                        due=due.isoformat(),
                    )
            if i == consult_at and sc.consult:
                cursor = self._consult(cursor)
            if i == culprit:
                cursor = self._aim(
                    outcome, i, last_work, durations, start, cursor, seg_start, due_pos, due
                )
            else:
                cursor = max(start + durations[i], cursor + self._u(_MINUTE, 5 * _MINUTE))
            if i == 0 and s.side == "centre" and holder == "centre" and h.channel in _PAPER:
                # paper goes on the same working day, next morning after 15:00 (art. 18(2))
                paper_due = self._paper_due()
                if sc.late_transfer:
                    cursor = max(cursor, paper_due + self._u(_HOUR, 1.5 * D))
                elif i != culprit:
                    cursor = max(
                        accepted + _MINUTE, min(cursor, paper_due - self._u(_MINUTE, 20 * _MINUTE))
                    )
            if s.code:
                self._emit(
                    cursor,
                    "step_completed",
                    s.side if s.side == "centre" else holder,
                    s.slot,
                    step=s.code,
                )
            if i == last_work:
                F = cursor + self._u(0, 3 * _MINUTE)
                if apology:
                    self._apologies(outcome, due_pos, due, seg_start, F)
                data: dict[str, Any] = {"result": "refused" if sc.refused else "approved"}
                if sc.refused:
                    data["text"] = rng.choice(_REASON_REFUSE)
                self._emit(F, "resolved", holder, "lead", **data)
                cursor = F
        # the result goes back through the one-stop shop without a transfer: responsibility
        # stays with the handling unit, and a transfer back would read as BOUNCED
        pickup = self._u(5 * _MINUTE, _HOUR) if self.online else self._u(30 * _MINUTE, 2.5 * D)
        back = max(cursor, F + pickup)
        self._emit(back, "returned", "centre", "os")
        if rng.random() < r.rated:
            self._emit(
                back + self._u(_MINUTE, 45 * _MINUTE),
                "rated",
                "centre",
                None,
                score=self._score(outcome),
            )
        if sc.withdrawn:
            lo = accepted + 10 * _MINUTE
            if lo + _HOUR < F:
                self._cut(lo + self._u(0, F - lo), rng.choice(_REASON_WITHDRAW))

    def _scenario(self) -> _Scenario:
        """What will happen to this dossier, drawn in a fixed order."""
        h, r, rng, D, proc = self.h, self.rates, self.rng, self.D, self.proc
        supplement = rng.random() < r.supplement
        second = supplement and rng.random() < r.second_supplement
        late_supp = supplement and proc.limit >= 5 * D and rng.random() < r.late_supplement
        abandoned = supplement and rng.random() < r.abandoned
        at_accept = supplement and self.online and not late_supp and rng.random() < r.at_acceptance
        u = rng.random()
        bounce = ""
        # same-day procedures do not go round (there is no time to): 2 working days or more
        if (proc.limit >= 2 * D or r is _BOUNCING) and u < r.bounce + r.redirect:
            if u < r.bounce:
                weights = _BOUNCER_WEIGHTS if r is _BOUNCING else _BOUNCE_WEIGHTS
                bounce = rng.choices(_BOUNCES, weights)[0]
            else:
                bounce = "redirect"
        if proc.consult_step is not None and proc.related:
            consult = rng.random() < r.consult
        else:
            consult = proc.limit >= 5 * D and rng.random() < r.consult_other
        return _Scenario(
            supplement=supplement,
            second=second,
            late_supp=late_supp,
            abandoned=abandoned,
            at_accept=at_accept,
            bounce=bounce,
            consult=consult,
            no_slip=rng.random() < r.no_slip,
            late_transfer=h.channel in _PAPER and rng.random() < r.late_transfer,
            withdrawn=rng.random() < r.withdrawn,
            refused=rng.random() < r.refused_result,
            outcome=self._outcome(bounce),
        )

    def _outcome(self, bounce: str) -> str:
        r, u = self.rates, self.rng.random()
        if self.recent and self.rng.random() < r.backlog:
            return "stalled"
        if self.slow:
            # this specialist sits on files: late half the time, otherwise only just in time
            return "late" if u < 0.3 else "late_untimely_apology" if u < 0.35 else "slow"
        if bounce in _BOUNCES and u < 0.55:
            return "late"  # the time spent going round is lost
        for name, p in (
            ("late", r.late),
            ("late_untimely_apology", r.late_untimely_apology),
            ("apology_ok", r.apology_ok),
            ("apology_late", r.apology_late),
            ("stalled", r.stalled),
        ):
            if u < p:
                return name
            u -= p
        return "on_time"

    def _culprit(self, steps: list[_StepPlan], inner: int, host: int) -> int:
        """The step that absorbs the outcome: the specialist's most of the time, the receiving
        centre's for a centre that sits on files. It comes at or after ``inner`` (the step
        holding a supplement, bounce or consultation), whose time it cannot undo."""
        if self.rates.culprit_centre and inner == 0 and host > 0:
            return host - 1
        if self.slow:
            return max(host, inner)
        weights = [
            0.0 if i < inner else 0.75 if s.slot == "spec" else 0.2 if s.slot == "lead" else 0.03
            for i, s in enumerate(steps)
        ]
        return self.rng.choices(range(len(steps)), weights)[0] if sum(weights) else len(steps) - 1

    def _draw(self, s: _StepPlan) -> int:
        """A step's duration around its budget: most well within, one in twenty-five over."""
        f = self.rates.pace * math.exp(self.rng.gauss(math.log(0.45), 0.45))
        return max(5 * _MINUTE, int(s.budget * min(f, 2.5)))

    def _aim(
        self,
        outcome: str,
        i: int,
        last_work: int,
        durations: list[int],
        start: int,
        cursor: int,
        seg_start: int,
        due_pos: int,
        due: datetime,
    ) -> int:
        """The end of the culprit step such that the result lands where the outcome says;
        the later work steps are shrunk when they would not fit. On time, the steps keep their
        drawn durations, only held back from running past the due."""
        D = self.D
        later = range(i + 1, last_work + 1)
        floor = cursor + self._u(5 * _MINUTE, 30 * _MINUTE)
        need = 10 * _MINUTE * len(later)  # the least the later steps take, lags included
        if outcome == "on_time":
            drawn = max(floor, start + durations[i]) + sum(durations[j] for j in later)
            target = min(drawn, max(floor + need, due_pos - 15 * _MINUTE))
        elif outcome == "slow":
            # in time, just: this specialist's step eats the whole limit
            target = due_pos - self._u(10 * _MINUTE, max(11 * _MINUTE, 0.1 * (due_pos - seg_start)))
        elif outcome == "apology_ok":
            new_pos = self._new_due(due)[0]
            target = due_pos + self._u(_MINUTE, max(2 * _MINUTE, new_pos - due_pos - 15 * _MINUTE))
        elif outcome == "apology_late":
            target = self._new_due(due)[0] + self._lateness()
        elif outcome == "stalled":
            # nobody touches it for weeks: open, overdue and idle if received lately
            target = max(cursor, due_pos) + self._u(10 * D, 40 * D)
        else:
            target = due_pos + self._lateness()
        room = max(0, target - floor)
        total = sum(durations[j] for j in later)
        if total > room * 0.7:
            # leave the culprit its share: the later steps are quick this time
            scale = room * 0.7 / total if total else 0.0
            for j in later:
                durations[j] = max(5 * _MINUTE, int(durations[j] * scale))
            total = sum(durations[j] for j in later)
        return max(floor, target - total)

    def _lateness(self) -> int:
        u, D = self.rng.random(), self.D
        if u < 0.6:
            return self._u(20 * _MINUTE, D)
        if u < 0.9:
            return self._u(D, 3 * D)
        return self._u(3 * D, 10 * D)

    def _apologies(self, outcome: str, due_pos: int, due: datetime, seg_start: int, F: int) -> None:
        """A timely apology (≥ 1 working day before the due, art. 19(6)) for the planned delays,
        an untimely one for ``late_untimely_apology``; now and then a second one."""
        rng, D = self.rng, self.D
        arrived = next((e.pos for e in self.events if e.type == "transferred"), seg_start)
        lo = max(seg_start, arrived) + 30 * _MINUTE
        pos = -1
        if outcome != "late_untimely_apology":
            hi = due_pos - D - _MINUTE
            if hi > lo:
                pos = lo + self._u(max(0, hi - lo - 2 * D), hi - lo)
        if pos < 0:
            # asked for too late (or the limit is too short for a timely one)
            lo = max(lo, due_pos - D + _MINUTE)
            hi = min(F - _MINUTE, due_pos + D)
            if hi <= lo:
                return
            pos = lo + self._u(0, hi - lo)
        new_pos, new_due = self._new_due(due)
        if pos >= F:
            return
        self._emit(
            pos,
            "apology_issued",
            "handler",
            "lead",
            new_due=new_due.isoformat(),
            reason=rng.choice(_REASON_APOLOGY),
        )
        if rng.random() < self.rates.repeated_apology:
            # the appointment moved a second time: never lawful (art. 19(6))
            pos2 = min(F - _MINUTE, new_pos - self._u(_HOUR, D))
            if pos < pos2 < F:
                later = add_duration(self.cal, new_due, Duration("working_days", 3))
                self._emit(
                    pos2,
                    "apology_issued",
                    "handler",
                    "lead",
                    new_due=later.isoformat(),
                    reason=rng.choice(_REASON_APOLOGY),
                )

    def _paper_due(self) -> int:
        return self.clock.paper_due(self.h.received)

    def _transfer_pos(self, at: int, late: bool) -> int:
        """When the centre hands over a dossier whose first step is not its own: paper the
        same working day (next morning after 15:00), electronic files at once."""
        if self.h.channel not in _PAPER:
            return at
        due = self._paper_due()
        if late:
            return max(at, due + self._u(_HOUR, 1.5 * self.D))
        return max(self.p_recv + _MINUTE, min(at, due - self._u(_MINUTE, 30 * _MINUTE)))

    def _hand_over(self, at: int, holder: str, to: str, bounce: str) -> int:
        """The dossier goes to the side of the next step: the centre to the handling unit
        (through wrong units first in a "chain" or a "redirect"), the department to the
        provincial People's Committee."""
        rng, D = self.rng, self.D
        if holder == "handler":
            self._emit(
                at,
                "transferred",
                "handler",
                "lead",
                to_unit=self._side_unit(to, at),
                reason=_REASON_SUBMIT,
            )
            return at
        if bounce in ("chain", "redirect"):
            path = [*self._wrong_units(2 if bounce == "chain" else 1), to]
            first = self._side_unit(path[0], at)
            self._emit(at, "transferred", "centre", "os", to_unit=first, reason=_REASON_TRANSFER)
            for src, dst in zip(path, path[1:], strict=False):
                at += self._u(2 * _HOUR, 1.5 * D)
                self._emit(
                    at,
                    "transferred",
                    src,
                    "lead",
                    to_unit=self._side_unit(dst, at),
                    reason=rng.choice(_REASON_WRONG),
                )
            return at
        self._emit(
            at,
            "transferred",
            "centre",
            "os",
            to_unit=self._side_unit(to, at),
            reason=_REASON_TRANSFER,
        )
        return at

    def _bounce_back(self, cursor: int, kind: str, step: str) -> int:
        """The handling unit passes the dossier on and gets it back ("đùn đẩy"): through one
        wrong unit ("revisit") or two ("loop"), then assigns it again."""
        rng, D = self.rng, self.D
        wrong = self._wrong_units(1 if kind == "revisit" else 2)
        if not wrong:
            return cursor  # nowhere to pass it to (before the departments existed)
        path = ["handler", *wrong, "handler"]
        for k, (src, dst) in enumerate(zip(path, path[1:], strict=False)):
            cursor += self._u(_HOUR, 1.2 * D)
            reason = rng.choice(_REASON_WRONG if k == 0 else _REASON_BACK)
            self._emit(
                cursor,
                "transferred",
                src,
                "spec" if src == "handler" else "lead",
                to_unit=self._side_unit(dst, cursor),
                reason=reason,
            )
        cursor += self._u(10 * _MINUTE, 2 * _HOUR)
        if step:
            self._emit(cursor, "assigned", "handler", "lead", ("handler", "spec"), step=step)
        return cursor

    def _wrong_units(self, n: int) -> list[str]:
        """Up to ``n`` units a dossier wrongly goes to: other departments for a department's
        dossier, a neighbouring commune or a department for a commune's (fewer when the
        province had fewer units then)."""
        org, h, rng = self.org, self.h, self.rng
        communes, depts_now = org.valid_on(self.day)
        depts = [d for d in depts_now if d != h.handler]
        local = [c for c in communes if c != h.handler]
        out: list[str] = []
        for k in range(n):
            if self.rates is _BOUNCING and k == 0 and rng.random() < 0.3:
                # construction files pushed to the land department, which sends them back
                pool = [d for d in depts if org.name(d) == _BOUNCE_PARTNER] or depts
            elif self.rates is _TOUCHES_BOUNCER and k == 0 and rng.random() < 0.85:
                # land and construction files pushed to Sở Xây dựng, which sends them on
                pool = [d for d in depts if d == self.outs.bouncing_unit] or depts
            elif h.commune is None or not local or rng.random() < 0.5:
                pool = depts
            else:
                pool = local
            pool = [x for x in pool if x not in out] or [x for x in depts + local if x not in out]
            if not pool:
                break
            out.append(rng.choice(pool))
        return out

    def _supplements(
        self, cursor: int, accepted: int, second: bool, late: bool, abandoned: bool
    ) -> tuple[int, int] | None:
        """Supplement request(s) during appraisal: (cursor, where the clock restarts), or
        ``None`` when the applicant never completes the dossier."""
        D = self.D
        lawful = accepted + 3 * D  # art. 19(5): within 3 working days of acceptance
        if late:
            at = max(cursor, lawful) + self._u(_HOUR, 2 * D)
        else:
            # early in the appraisal, and before the due of a short procedure
            room = min(1.2 * D, max(20 * _MINUTE, 0.4 * (self.first_due - cursor)))
            at = cursor + self._u(10 * _MINUTE, max(11 * _MINUTE, room))
            if at > lawful - 10 * _MINUTE:
                at = max(cursor + _MINUTE, lawful - self._u(10 * _MINUTE, 2 * _HOUR))
        self._emit(
            at,
            "supplement_requested",
            "handler",
            "spec",
            documents=self._docs(),
            reason=_REASON_SUPPLEMENT,
        )
        if abandoned:
            return None
        back = self._after_days(at, 1, 12)
        self._emit(back, "supplement_received", "centre", "os")
        if second:
            # asked again for what could have been asked the first time
            again = back + self._u(_HOUR, 1.5 * D)
            self._emit(
                again,
                "supplement_requested",
                "handler",
                "spec",
                documents=self._docs(),
                reason=_REASON_SUPPLEMENT_AGAIN,
            )
            back = self._after_days(again, 1, 10)
            self._emit(back, "supplement_received", "centre", "os")
        return back + self._u(10 * _MINUTE, _HOUR), back

    def _docs(self) -> list[str]:
        pool = _DOCS_OTHER
        if self.proc.land:
            pool = _DOCS_LAND
        elif "hộ tịch" in self._field:
            pool = _DOCS_CIVIL
        return self.rng.sample(pool, 1 if self.rng.random() < 0.7 else 2)

    def _consult(self, cursor: int) -> int:
        """An opinion asked of a related unit (now and then of an unrelated one), answered in
        time three times out of four."""
        rng, D, org, h = self.rng, self.D, self.org, self.h
        depts = org.valid_on(self.day)[1]
        related = [u for u in self.proc.related if u != h.handler and org.valid(u, self.day)]
        unrelated = [d for d in depts if d not in related and d != h.handler]
        if related and (rng.random() >= self.rates.consult_unrelated or not unrelated):
            to = rng.choice(related)
        elif unrelated:
            to = rng.choice(unrelated)
        else:
            return cursor
        at = cursor + self._u(30 * _MINUTE, 0.8 * D)
        days = max(1.0, min(5.0, round(self.proc.limit / D * 0.6) / 2))
        due_m = add_duration(self.cal, self.clock.moment(at), Duration("working_days", days))
        due_pos = self._pos(due_m)
        self._emit(at, "consulted", "handler", "spec", to_unit=to, due=due_m.isoformat())
        if rng.random() < self.rates.consult_overdue:
            answer = due_pos + self._u(_HOUR, 3 * D)
        else:
            answer = at + self._u(_HOUR, max(2 * _HOUR, due_pos - at - _MINUTE))
        self._emit(answer, "consultation_answered", to, "lead", from_unit=to)
        return answer + self._u(10 * _MINUTE, 2 * _HOUR)

    def _score(self, outcome: str) -> int:
        if self.rates is _MODEL:
            weights = (0.0, 0.0, 0.02, 0.12, 0.86)
        elif outcome in ("on_time", "apology_ok", "slow"):
            weights = (0.005, 0.015, 0.06, 0.27, 0.65)
        else:
            weights = (0.1, 0.15, 0.25, 0.3, 0.2)
        return self.rng.choices((1, 2, 3, 4, 5), weights)[0]

    def _cut(self, pos: int, reason: str) -> None:
        """The applicant withdraws at ``pos``: nothing after it happens."""
        self.events = [e for e in self.events if e.pos <= pos]
        self._emit(pos, "withdrawn", "centre", "os", reason=reason)

    # -- rendering ----------------------------------------------------------------------------

    def _render(self) -> list[str]:
        h, clock, memo, texts = self.h, self.clock, self.memo, self.texts
        item = _QUOTE(h.code)
        sides = {"centre": h.centre, "handler": h.handler, "province": self.org.province}
        # stable: on equal positions the logical order in which events were laid out holds
        events = self._merger(sorted(self.events, key=lambda e: e.pos))
        out: list[str] = []
        for e in events:
            if e.type == "received":
                day, at, unit = self.day, h.received.isoformat(), h.centre
                data: dict[str, Any] = {"procedure": self.proc.procedure.code, "channel": h.channel}
            elif clock.before_end(e.pos):
                day, at = clock.text(e.pos)
                data = e.data
                unit = (
                    self._side_unit(e.side, e.pos) if self.successor else sides.get(e.side, e.side)
                )
            else:
                break
            if e.official is not None:
                side, slot = e.official
                data = {"official": self._pick(self._side_unit(side, e.pos), slot, day), **data}
            actor = ""
            if e.slot is not None:
                official = memo.get((unit, e.slot)) or self._pick(unit, e.slot, day)
                actor = '"actor":' + _QUOTE(official) + ","
            # what Event.to_json writes (sorted keys, compact, UTF-8), so that an import
            # re-exports the very same bytes; spelled out because json.dumps per event is
            # the slowest part of the generator
            out.append(
                f'{{{actor}"at":"{at}","data":{_json_data(data, texts)},"item":{item},'
                f'"kind":"dossier","seq":{len(out) + 1},"source":"local",'
                f'"type":"{e.type}","unit":{_QUOTE(unit)}}}'
            )
        return out

    def _merger(self, events: list[_Ev]) -> list[_Ev]:
        """For a former commune's dossier still being handled on 01/07/2025, the transfer to
        the successor commune (its later events are the successor's)."""
        if not self.successor:
            return events
        for i, e in enumerate(events):
            if e.type in ("resolved", "refused", "withdrawn") and e.pos < self.reform_pos:
                return events
            if e.pos >= self.reform_pos and e.type != "received":
                # the former commune's last act, in the last minute of 30/06/2025 (or at the
                # first of 01/07 for a filing that arrived online on the evening of 30/06)
                at = max(self.reform_pos - _MINUTE, events[i - 1].pos)
                if events[i - 1].type == "received" and at < events[i - 1].pos + _MINUTE:
                    at = self.reform_pos
                data = {"to_unit": self.successor, "reason": _REASON_MERGER}
                move = _Ev(at, "transferred", self.h.handler, None, data)
                return [*events[:i], move, *events[i:]]
        return events
