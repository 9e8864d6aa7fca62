"""The rules the work-item ledger alone can decide (PRODUCT.md H), in catalogue order.

Rules that need other registers (``LATE_ANSWER``, ``INSPECTION_OVERLAP``, ``REPORT_MISSING``,
``ROTATION_DUE`` …) are added by those registers with
:meth:`~congvu.domain.supervision.catalogue.RuleCatalogue.extend`.
"""

from __future__ import annotations

from congvu.domain.supervision.catalogue import Rule, RuleCatalogue
from congvu.domain.supervision.rules.apologies import LATE_NO_APOLOGY, REPEATED_APOLOGY
from congvu.domain.supervision.rules.deadlines import IDLE, LATE_RESULT, OVERDUE
from congvu.domain.supervision.rules.handling import BOUNCED, STEP_LATE, UNRELATED_CONSULTATION
from congvu.domain.supervision.rules.intake import (
    LATE_ACCEPTANCE,
    LATE_TRANSFER,
    NO_APPOINTMENT_SLIP,
)
from congvu.domain.supervision.rules.supplements import (
    LATE_SUPPLEMENT_REQUEST,
    REPEATED_SUPPLEMENT,
)

__all__ = [
    "BOUNCED",
    "IDLE",
    "LATE_ACCEPTANCE",
    "LATE_NO_APOLOGY",
    "LATE_RESULT",
    "LATE_SUPPLEMENT_REQUEST",
    "LATE_TRANSFER",
    "LEDGER_RULES",
    "NO_APPOINTMENT_SLIP",
    "OVERDUE",
    "REPEATED_APOLOGY",
    "REPEATED_SUPPLEMENT",
    "RULES",
    "STEP_LATE",
    "UNRELATED_CONSULTATION",
]

#: The rules decided from an item's events alone, in the order of PRODUCT.md's table.
LEDGER_RULES: tuple[Rule, ...] = (
    OVERDUE,
    LATE_RESULT,
    STEP_LATE,
    LATE_ACCEPTANCE,
    LATE_TRANSFER,
    NO_APPOINTMENT_SLIP,
    REPEATED_SUPPLEMENT,
    LATE_SUPPLEMENT_REQUEST,
    LATE_NO_APOLOGY,
    REPEATED_APOLOGY,
    BOUNCED,
    IDLE,
    UNRELATED_CONSULTATION,
)

#: The default catalogue: every ledger rule.
RULES = RuleCatalogue(LEDGER_RULES)
