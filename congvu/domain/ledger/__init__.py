"""The work-item ledger: events (interchange.md v1), rule sets and the fold.

Pure Python (stdlib and the calendar engine); see ``docs/domain/ledger.md``::

    from congvu.domain.ledger import read_jsonl, fold
"""

from __future__ import annotations

from congvu.domain.ledger.errors import (
    EventOrderError,
    InvalidEventError,
    LineError,
    MissingTimeLimitError,
    ProcedureMismatchError,
)
from congvu.domain.ledger.events import (
    GENESIS_HASH,
    Event,
    canonical_json,
    canonical_parts,
    chain_hash,
    chain_hash_of,
    chain_hashes,
    content_hash,
    parse_event,
    read_jsonl,
)
from congvu.domain.ledger.fold import fold, fold_summary, fold_until
from congvu.domain.ledger.rulesets import (
    ND61_2018,
    ND118_2025,
    RULESETS,
    RuleSet,
    acceptance_due,
    apology_latest,
    paper_transfer_due,
    ruleset_for,
    supplement_close_at,
    supplement_request_due,
)
from congvu.domain.ledger.state import (
    Apology,
    Consultation,
    ItemState,
    ItemSummary,
    Pause,
    Span,
    Status,
    StepState,
)
from congvu.domain.ledger.vocabulary import CHANNELS, KINDS, TYPE_KINDS

__all__ = [
    "CHANNELS",
    "GENESIS_HASH",
    "KINDS",
    "ND61_2018",
    "ND118_2025",
    "RULESETS",
    "TYPE_KINDS",
    "Apology",
    "Consultation",
    "Event",
    "EventOrderError",
    "InvalidEventError",
    "ItemState",
    "ItemSummary",
    "LineError",
    "MissingTimeLimitError",
    "Pause",
    "ProcedureMismatchError",
    "RuleSet",
    "Span",
    "Status",
    "StepState",
    "acceptance_due",
    "apology_latest",
    "canonical_json",
    "canonical_parts",
    "chain_hash",
    "chain_hash_of",
    "chain_hashes",
    "content_hash",
    "fold",
    "fold_summary",
    "fold_until",
    "paper_transfer_due",
    "parse_event",
    "read_jsonl",
    "ruleset_for",
    "supplement_close_at",
    "supplement_request_due",
]
