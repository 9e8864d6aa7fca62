"""The procedure catalog: administrative procedures, their time limits and step budgets.

Pure Python (stdlib and the calendar engine). See ``docs/domain/ledger.md`` §5::

    from congvu.domain.procedures import parse_catalog
"""

from __future__ import annotations

from congvu.domain.procedures.catalog import (
    Catalog,
    Procedure,
    Step,
    parse_catalog,
    parse_procedure,
)
from congvu.domain.procedures.duration import (
    UNITS,
    Duration,
    DurationUnit,
    add_duration,
    parse_duration,
)
from congvu.domain.procedures.errors import (
    CatalogError,
    InvalidDurationError,
    InvalidProcedureError,
)

__all__ = [
    "UNITS",
    "Catalog",
    "CatalogError",
    "Duration",
    "DurationUnit",
    "InvalidDurationError",
    "InvalidProcedureError",
    "Procedure",
    "Step",
    "add_duration",
    "parse_catalog",
    "parse_duration",
    "parse_procedure",
]
