"""The supervision engine: violation rules computed from the work-item ledger.

Pure Python (stdlib and the domain packages); see ``docs/domain/supervision.md``::

    from congvu.domain.supervision import check_item, RULES, ThresholdConfig

Each :class:`Finding` names the rule, the responsible unit and official, the moment, the
events that prove it and the rule set (law version) applied.
"""

from __future__ import annotations

from congvu.domain.supervision.catalogue import Rule, RuleCatalogue
from congvu.domain.supervision.check import (
    CalendarFor,
    ItemError,
    check_group,
    check_item,
    check_stream,
    order_events,
)
from congvu.domain.supervision.context import CheckContext, ParentsOf
from congvu.domain.supervision.errors import (
    ConflictingEventError,
    DuplicateRuleError,
    InvalidThresholdError,
    UnknownProcedureError,
)
from congvu.domain.supervision.findings import Finding, Severity
from congvu.domain.supervision.reminders import is_due_soon
from congvu.domain.supervision.rules import LEDGER_RULES, RULES
from congvu.domain.supervision.thresholds import (
    DEFAULT_CONFIG,
    DEFAULT_THRESHOLDS,
    ThresholdConfig,
    Thresholds,
)

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_THRESHOLDS",
    "LEDGER_RULES",
    "RULES",
    "CalendarFor",
    "CheckContext",
    "ConflictingEventError",
    "DuplicateRuleError",
    "Finding",
    "InvalidThresholdError",
    "ItemError",
    "ParentsOf",
    "Rule",
    "RuleCatalogue",
    "Severity",
    "ThresholdConfig",
    "Thresholds",
    "UnknownProcedureError",
    "check_group",
    "check_item",
    "check_stream",
    "is_due_soon",
    "order_events",
]
