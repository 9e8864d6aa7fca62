"""Import and export rules for the organisation: units, lineage, officials and positions.

Pure Python (standard library only). The shell (``congvu.apps.organisations.transfer``)
reads files, passes in the vocabulary from the Django models and writes the good records.
"""

from __future__ import annotations

from congvu.domain.organisation.errors import (
    ITEM_KINDS,
    MESSAGES,
    RowError,
    UnsupportedFormatError,
)
from congvu.domain.organisation.officials import (
    OFFICIAL_COLUMNS,
    OFFICIAL_KEYS,
    POSITION_KEYS,
    OfficialBatch,
    OfficialRules,
    validate_officials_csv,
    validate_officials_json,
)
from congvu.domain.organisation.records import (
    LineageRecord,
    OfficialRecord,
    PositionRecord,
    UnitRecord,
)
from congvu.domain.organisation.report import ImportReport, Tally
from congvu.domain.organisation.sources import (
    SourceRow,
    decode_bytes,
    read_csv,
    read_json,
    strip_bom,
)
from congvu.domain.organisation.units import (
    LINEAGE_KEYS,
    UNIT_COLUMNS,
    UnitBatch,
    UnitRules,
    validate_units,
)
from congvu.domain.organisation.values import (
    CellError,
    format_date,
    parse_bool,
    parse_choice,
    parse_date,
)

__all__ = [
    "ITEM_KINDS",
    "LINEAGE_KEYS",
    "MESSAGES",
    "OFFICIAL_COLUMNS",
    "OFFICIAL_KEYS",
    "POSITION_KEYS",
    "UNIT_COLUMNS",
    "CellError",
    "ImportReport",
    "LineageRecord",
    "OfficialBatch",
    "OfficialRecord",
    "OfficialRules",
    "PositionRecord",
    "RowError",
    "SourceRow",
    "Tally",
    "UnitBatch",
    "UnitRecord",
    "UnitRules",
    "UnsupportedFormatError",
    "decode_bytes",
    "format_date",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "read_csv",
    "read_json",
    "strip_bom",
    "validate_officials_csv",
    "validate_officials_json",
    "validate_units",
]
