"""JSON lines for ledger tests (interchange v1), built the way an external system sends them."""

from __future__ import annotations

import json
from typing import Any


def line(item: str, seq: int, at: str, type_: str, unit: str = "X01", **extra: Any) -> str:
    obj: dict[str, Any] = {
        "item": item,
        "kind": extra.pop("kind", "dossier"),
        "seq": seq,
        "at": at,
        "type": type_,
        "unit": unit,
    }
    for key in ("source", "actor"):
        if key in extra:
            obj[key] = extra.pop(key)
    if extra:
        obj["data"] = extra
    return json.dumps(obj, ensure_ascii=False)


def feedback(
    item: str, day: str = "2026-10-05", *, due: str | None = None, unit: str = "X01", **kw: Any
) -> list[str]:
    """A citizen's feedback received at 08:00 with an explicit due (no catalog needed),
    handled, answered and rated: 5 events."""
    due = due or f"{day}T17:00:00+07:00"
    k = {"kind": "feedback"}
    return [
        line(
            item,
            1,
            f"{day}T08:00:00+07:00",
            "received",
            unit,
            **k,
            channel="hotline",
            category="Môi trường",
            due=due,
            **kw,
        ),
        line(
            item, 2, f"{day}T08:05:00+07:00", "assigned", unit, **k, official="CB01", step="review"
        ),
        line(item, 3, f"{day}T10:00:00+07:00", "step_completed", unit, **k, step="review"),
        line(item, 4, f"{day}T11:00:00+07:00", "resolved", unit, **k, result="answered"),
        line(item, 5, f"{day}T14:00:00+07:00", "rated", unit, **k, score=5),
    ]
