"""A finding: one violation of one rule by one item, with the events that prove it.

Severity follows the product documents (docs/domain/supervision.md, "Severity"):

* ``high`` — the applicant is harmed or a prohibited act is named: the result is or was late
  (``OVERDUE``, ``LATE_RESULT``), lateness without the apology the law requires
  (``LATE_NO_APOLOGY``), supplements asked more than once and passing the dossier around
  (Decree 118/2025 art. 5(1), 11(2)(c); the Đà Nẵng and Hà Giang plans name both).
* ``medium`` — a breach of the procedure that causes or hides delay: a step over its budget,
  a late supplement request, a second re-appointment, no appointment slip, an idle item, an
  unrelated consultation.
* ``low`` — office-internal timeliness that does not move the applicant's due moment: late
  online acceptance and late paper transfer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from congvu.domain.calendar.ops import to_local

__all__ = ["Finding", "Severity"]


class Severity(StrEnum):
    """How serious a finding is; the values are the strings stored and exported."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    def label(self, lang: str = "vi") -> str:
        """``"cao"``/``"high"``, ``"trung bình"``/``"medium"``, ``"thấp"``/``"low"``."""
        if lang == "en":
            return self.value
        return {"low": "thấp", "medium": "trung bình", "high": "cao"}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation found on one item.

    ``unit`` and ``official`` are who held the item (or the step) when the fault happened, or
    who performed the faulty act (``official`` is ``None`` when nobody was assigned). ``at``
    is when it happened (for a missed due moment, the due moment itself), aware, in
    Asia/Ho_Chi_Minh. ``events`` are the ``seq`` numbers of the events that prove it.
    ``ruleset`` is the code of the rule set applied (``ND118/2025`` …). ``key`` identifies the
    finding within its item and stays the same as the item's history grows, so that a server
    can store findings idempotently on (``source``, ``item``, ``key``).
    """

    rule: str
    source: str
    item: str
    kind: str
    unit: str
    official: str | None
    at: datetime
    events: tuple[int, ...]
    severity: Severity
    ruleset: str
    key: str

    def sort_key(self) -> tuple[datetime, str, str]:
        """The order of findings within an item: (``at``, ``rule``, ``key``)."""
        return (self.at, self.rule, self.key)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``item``, ``rule``, ``unit``, ``official``, ``at`` (ISO 8601 with
        +07:00), ``events`` (list of ints), ``source``, ``kind``, ``severity``, ``ruleset``,
        ``key``."""
        return {
            "item": self.item,
            "rule": self.rule,
            "unit": self.unit,
            "official": self.official,
            "at": to_local(self.at).isoformat(),
            "events": list(self.events),
            "source": self.source,
            "kind": self.kind,
            "severity": self.severity.value,
            "ruleset": self.ruleset,
            "key": self.key,
        }
