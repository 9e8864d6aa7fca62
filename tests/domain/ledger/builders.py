"""Builders for the ledger tests: the birth-registration procedure and event histories."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from congvu.domain.ledger import Event, parse_event
from congvu.domain.procedures import Procedure, parse_catalog

BIRTH_JSON = """[{
  "code": "1.004227", "name": "Đăng ký khai sinh", "level": "commune", "field": "Hộ tịch",
  "time_limit": {"working_days": 3}, "fee": 0,
  "steps": [
    {"code": "receive", "name": "Tiếp nhận", "role": "one_stop", "budget": {"working_hours": 4}},
    {"code": "review", "name": "Thẩm định", "role": "specialist", "budget": {"working_days": 2}},
    {"code": "approve", "name": "Phê duyệt", "role": "leader", "budget": {"working_hours": 4}}
  ],
  "related_units": ["CA-XA"], "legal_basis": ["Luật Hộ tịch 2014"]
}]"""

BIRTH: Procedure = parse_catalog(BIRTH_JSON)["1.004227"]


def at(text: str) -> datetime:
    """An aware moment from ISO 8601 text; bare local times get +07:00 (Vietnam)."""
    m = datetime.fromisoformat(text)
    return m if m.tzinfo else datetime.fromisoformat(text + "+07:00")


class History:
    """Builds one item's events with consecutive seq numbers."""

    def __init__(self, item: str = "H20.12-250124-0001", kind: str = "dossier") -> None:
        self.item, self.kind = item, kind
        self.events: list[Event] = []

    def add(
        self, when: str, type_: str, unit: str = "XA-01", actor: str | None = None, **data: Any
    ) -> History:
        obj: dict[str, Any] = {
            "item": self.item,
            "kind": self.kind,
            "seq": len(self.events) + 1,
            "at": when if "+" in when or when.endswith("Z") else when + "+07:00",
            "type": type_,
            "unit": unit,
            "data": data,
        }
        if actor is not None:
            obj["actor"] = actor
        self.events.append(parse_event(obj))
        return self


def received(when: str, **extra: Any) -> History:
    """A birth-registration dossier received at the counter at ``when``."""
    data: dict[str, Any] = {"procedure": "1.004227", "channel": "direct", **extra}
    return History().add(when, "received", actor="mc-1", **data)
