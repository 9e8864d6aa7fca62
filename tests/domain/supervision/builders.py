"""Builders for the supervision tests: a dossier's history as JSON lines, checked at a moment.

Every event goes through ``parse_event`` from its JSON text, as an import would read it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from congvu.domain.calendar import national_calendar
from congvu.domain.ledger import Event, parse_event
from congvu.domain.procedures import Procedure, parse_catalog
from congvu.domain.supervision import (
    DEFAULT_THRESHOLDS,
    Finding,
    Thresholds,
    check_item,
)

VN = national_calendar()

CATALOG_JSON = """[{
  "code": "1.004227", "name": "Đăng ký khai sinh", "level": "commune", "field": "Hộ tịch",
  "time_limit": {"working_days": 3}, "fee": 0,
  "steps": [
    {"code": "receive", "name": "Tiếp nhận", "role": "one_stop", "budget": {"working_hours": 4}},
    {"code": "review", "name": "Thẩm định", "role": "specialist", "budget": {"working_days": 2}},
    {"code": "approve", "name": "Phê duyệt", "role": "leader", "budget": {"working_hours": 4}}
  ],
  "related_units": ["CA-XA"], "legal_basis": ["Luật Hộ tịch 2014"]
}, {
  "code": "2.000001", "name": "Cấp phép (thời hạn theo ngày)", "time_limit": {"calendar_days": 15},
  "steps": [{"code": "check", "name": "Kiểm tra", "role": "specialist",
             "budget": {"calendar_days": 5}}]
}]"""

CATALOG = parse_catalog(CATALOG_JSON)
BIRTH: Procedure = CATALOG["1.004227"]


def at(text: str) -> datetime:
    """An aware moment; a bare local time gets +07:00."""
    m = datetime.fromisoformat(text)
    return m if m.tzinfo else datetime.fromisoformat(text + "+07:00")


def _aware(text: str) -> str:
    return text if "+" in text[10:] or text.endswith("Z") else text + "+07:00"


class History:
    """One item's events, each written as a JSON line and parsed back."""

    def __init__(self, item: str = "H20.12-250303-0001", kind: str = "dossier") -> None:
        self.item, self.kind = item, kind
        self.lines: list[str] = []
        self.events: list[Event] = []

    def add(
        self, when: str, type_: str, unit: str = "XA-01", actor: str | None = None, **data: Any
    ) -> History:
        obj: dict[str, Any] = {
            "item": self.item,
            "kind": self.kind,
            "seq": len(self.events) + 1,
            "at": _aware(when),
            "type": type_,
            "unit": unit,
        }
        if actor is not None:
            obj["actor"] = actor
        if data:
            obj["data"] = {k: _aware(v) if k in ("due", "new_due") else v for k, v in data.items()}
        line = json.dumps(obj, ensure_ascii=False)
        self.lines.append(line)
        self.events.append(parse_event(line))
        return self

    # shorthands for the events most tests need
    def slip(self, when: str, due: str) -> History:
        return self.add(when, "appointment_issued", actor="mc-1", due=due)

    def step(self, when: str, code: str, actor: str | None = None) -> History:
        return self.add(when, "step_completed", actor=actor, step=code)

    def assign(self, when: str, official: str, step: str | None = None) -> History:
        data: dict[str, Any] = {"official": official}
        if step is not None:
            data["step"] = step
        return self.add(when, "assigned", actor="ld-1", **data)

    def transfer(self, when: str, to_unit: str, unit: str = "XA-01") -> History:
        return self.add(when, "transferred", unit=unit, actor="cv-1", to_unit=to_unit, reason="x")

    def supplement(self, when: str, actor: str = "cv-1") -> History:
        return self.add(
            when, "supplement_requested", actor=actor, documents=["Tờ khai"], reason="thiếu"
        )

    def supplied(self, when: str) -> History:
        return self.add(when, "supplement_received")

    def apology(self, when: str, new_due: str, actor: str = "ld-1") -> History:
        return self.add(when, "apology_issued", actor=actor, new_due=new_due, reason="xác minh")

    def resolve(self, when: str) -> History:
        return self.add(when, "resolved", actor="ld-1", result="approved")


def dossier(
    when: str,
    *,
    channel: str = "direct",
    procedure: str = "1.004227",
    item: str = "H20.12-250303-0001",
    unit: str = "XA-01",
) -> History:
    """A dossier received at ``when`` by ``unit`` (officer ``mc-1``) through ``channel``."""
    return History(item).add(
        when, "received", unit=unit, actor="mc-1", procedure=procedure, channel=channel
    )


def check(
    h: History,
    now: str,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    procedure: Procedure | None = BIRTH,
    **kw: Any,
) -> list[Finding]:
    return check_item(
        h.events, calendar=VN, procedure=procedure, now=at(now), thresholds=thresholds, **kw
    )


def rules(findings: Sequence[Finding]) -> list[str]:
    """The rule codes, in the findings' order."""
    return [f.rule for f in findings]


def of(findings: Sequence[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]
