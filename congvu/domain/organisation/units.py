"""Validating the units (and lineage edges) of an import file.

The vocabulary comes in as arguments (:class:`UnitRules`): the Django models stay the source
of truth for levels, lineage kinds and field lengths, and the stored tree is given as a map
code → parent code so that a file cannot close a cycle through units it does not mention.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field

from congvu.domain.organisation.errors import RowError
from congvu.domain.organisation.records import LineageRecord, UnitRecord
from congvu.domain.organisation.rows import RowReader, group_lines
from congvu.domain.organisation.sources import SourceRow

__all__ = ["LINEAGE_KEYS", "UNIT_COLUMNS", "UnitBatch", "UnitRules", "validate_units"]

UNIT_COLUMNS = (
    "code",
    "name",
    "level",
    "parent",
    "valid_from",
    "valid_to",
    "calendar",
    "oversees_province",
    "address",
    "phone",
)
LINEAGE_KEYS = ("predecessor", "successor", "kind", "effective_on", "legal_basis")


@dataclass(frozen=True)
class UnitRules:
    """What a units file is checked against.

    ``levels`` and ``lineage_kinds`` map stored code → Vietnamese label; ``existing`` maps the
    code of every stored unit to its parent's code (``None`` for a root); ``calendars`` holds the
    codes of the stored working calendars; ``max_lengths`` maps column → maximum length.
    """

    levels: Mapping[str, str]
    existing: Mapping[str, str | None]
    calendars: Set[str]
    lineage_kinds: Mapping[str, str] = field(default_factory=dict)
    max_lengths: Mapping[str, int] = field(default_factory=dict)


@dataclass
class UnitBatch:
    """The outcome of validating a units file.

    ``units`` holds the good records ordered parents first (each record's parent is stored or
    comes earlier), ``lineage`` the good edges, ``errors`` every problem in file order.
    ``rejected_units`` / ``rejected_lineage`` count the rows left out; ``total_*`` count all.
    """

    units: list[UnitRecord]
    lineage: list[LineageRecord]
    errors: list[RowError]
    rejected_units: int
    rejected_lineage: int
    total_units: int
    total_lineage: int


def validate_units(
    rows: Sequence[SourceRow], rules: UnitRules, lineage_rows: Sequence[SourceRow] = ()
) -> UnitBatch:
    """Parse and check unit rows (and lineage rows) against ``rules``.

    Checks, per row: every column present, required values (code, name, level), level given by
    code or label, dates, ``valid_to`` ≥ ``valid_from``, the yes/no column, lengths, known
    calendar. Across rows: duplicate codes (every occurrence is rejected), parents that exist
    neither in the file nor in ``rules.existing``, cycles in the resulting tree (including
    through stored units), and rows whose parent row was rejected (transitively). Lineage rows
    must name units in the file or stored, and are rejected when one of them was rejected.
    Never raises for bad data: every problem is a :class:`RowError` in the result.
    """
    errors: list[RowError] = []
    parsed: list[tuple[int, UnitRecord | None, str]] = []  # (index, record, code)
    for row in rows:
        record, row_errors, code = _read_unit(row, rules)
        errors += row_errors
        parsed.append((row.line, record, code))

    lines_by_code: dict[str, list[int]] = defaultdict(list)
    for line, _record, code in parsed:
        if code:
            lines_by_code[code].append(line)
    good: dict[str, UnitRecord] = {}
    in_file: set[str] = set()
    for line, record, code in parsed:
        in_file.add(code)
        if len(lines_by_code.get(code, [])) > 1:
            params = {"value": code, "lines": group_lines(lines_by_code[code])}
            errors.append(RowError(line, code, "code", "duplicate_code", params, "unit"))
        elif record is not None:
            good[code] = record

    rejected = in_file - set(good)
    for record in list(good.values()):
        parent = record.parent
        if parent is not None and parent not in in_file and parent not in rules.existing:
            errors.append(_error(record, "parent", "unknown_parent", value=parent))
            rejected.add(record.code)
            del good[record.code]
    errors += _reject_dependents_and_cycles(good, rejected, rules.existing)

    ordered = _parents_first(list(good.values()), rules.existing)
    lineage, lineage_errors = _read_lineage(lineage_rows, rules, in_file, rejected)
    errors += lineage_errors
    errors.sort(key=lambda error: error.line)
    return UnitBatch(
        units=ordered,
        lineage=lineage,
        errors=errors,
        rejected_units=len(rows) - len(ordered),
        rejected_lineage=len(lineage_rows) - len(lineage),
        total_units=len(rows),
        total_lineage=len(lineage_rows),
    )


def _error(record: UnitRecord, name: str, code: str, **params: object) -> RowError:
    return RowError(record.line, record.code, name, code, params, "unit")


def _read_unit(row: SourceRow, rules: UnitRules) -> tuple[UnitRecord | None, list[RowError], str]:
    reader = RowReader(
        row.data, line=row.line, kind="unit", keys=UNIT_COLUMNS, max_lengths=rules.max_lengths
    )
    code = reader.text("code", required=True)
    reader.set_item(code)
    name = reader.text("name", required=True)
    level = reader.choice("level", rules.levels)
    parent = reader.optional("parent")
    if parent is not None and parent == code:
        reader.add("parent", "cycle", chain=f"{code} → {code}")
    valid_from = reader.date("valid_from")
    valid_to = reader.date("valid_to")
    reader.interval("valid_from", valid_from, "valid_to", valid_to)
    calendar = reader.optional("calendar")
    if calendar is not None and calendar not in rules.calendars:
        reader.add("calendar", "unknown_calendar", value=calendar)
    oversees = reader.flag("oversees_province")
    address = reader.text("address")
    phone = reader.text("phone")
    if reader.errors:
        return None, reader.errors, code
    record = UnitRecord(
        code=code,
        name=name,
        level=level,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        calendar=calendar,
        oversees_province=oversees,
        address=address,
        phone=phone,
        line=row.line,
    )
    return record, [], code


def _reject_dependents_and_cycles(
    good: dict[str, UnitRecord], rejected: set[str], existing: Mapping[str, str | None]
) -> list[RowError]:
    """Remove from ``good`` (in place) the records in a cycle and those under a rejected row.

    Repeats until stable: dropping a record restores its stored parent, which in rare cases
    closes another cycle.
    """
    errors: list[RowError] = []
    while True:
        changed = False
        for record in list(good.values()):
            if record.parent in rejected:
                errors.append(_error(record, "parent", "parent_rejected", value=record.parent))
                rejected.add(record.code)
                del good[record.code]
                changed = True
        parent_of: dict[str, str | None] = dict(existing)
        parent_of.update({code: record.parent for code, record in good.items()})
        for cycle in _cycles(parent_of, good):
            chain = " → ".join([*cycle, cycle[0]])
            for code in cycle:
                if code in good:
                    errors.append(_error(good[code], "parent", "cycle", chain=chain))
                    rejected.add(code)
                    del good[code]
                    changed = True
        if not changed:
            return errors


def _cycles(parent_of: Mapping[str, str | None], starts: Mapping[str, object]) -> list[list[str]]:
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in starts:
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = start
        while current is not None and current not in done:
            if current in on_path:
                cycles.append(path[path.index(current) :])
                break
            on_path.add(current)
            path.append(current)
            current = parent_of.get(current)
        done.update(path)
    return cycles


def _parents_first(
    records: list[UnitRecord], existing: Mapping[str, str | None]
) -> list[UnitRecord]:
    """Sort by depth in the tree the import produces; file order breaks ties."""
    parent_of: dict[str, str | None] = dict(existing)
    parent_of.update({record.code: record.parent for record in records})
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in depth:
            chain.append(current)
            current = parent_of.get(current)
        base = -1 if current is None else depth[current]
        for item in reversed(chain):
            base += 1
            depth[item] = base
        return depth[code]

    return sorted(records, key=lambda record: depth_of(record.code))


def _read_lineage(
    rows: Sequence[SourceRow], rules: UnitRules, in_file: Set[str], rejected: Set[str]
) -> tuple[list[LineageRecord], list[RowError]]:
    errors: list[RowError] = []
    parsed: list[tuple[LineageRecord | None, int, tuple[str, str, str]]] = []
    for row in rows:
        reader = RowReader(
            row.data,
            line=row.line,
            kind="lineage",
            keys=LINEAGE_KEYS,
            max_lengths=rules.max_lengths,
        )
        predecessor = reader.text("predecessor", required=True)
        successor = reader.text("successor", required=True)
        reader.set_item(f"{predecessor} → {successor}")
        kind = reader.choice("kind", rules.lineage_kinds)
        effective_on = reader.date("effective_on", required=True)
        legal_basis = reader.text("legal_basis", required=True)
        for name, code in (("predecessor", predecessor), ("successor", successor)):
            if not code:
                continue
            if code in rejected:
                reader.add(name, "unit_rejected", value=code)
            elif code not in in_file and code not in rules.existing:
                reader.add(name, "unknown_unit", value=code)
        if predecessor and predecessor == successor:
            reader.add("successor", "self_lineage", value=predecessor)
        errors += reader.errors
        record = None
        if not reader.errors and effective_on is not None:
            record = LineageRecord(
                predecessor, successor, kind, effective_on, legal_basis, line=row.line
            )
        parsed.append((record, row.line, (predecessor, successor, kind)))

    lines_by_key: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for _record, line, key in parsed:
        lines_by_key[key].append(line)
    good: list[LineageRecord] = []
    for record, line, key in parsed:
        if len(lines_by_key[key]) > 1:
            value = f"{key[0]} → {key[1]} ({key[2]})"
            params = {"value": value, "lines": group_lines(lines_by_key[key])}
            item = f"{key[0]} → {key[1]}"
            errors.append(RowError(line, item, "", "duplicate_lineage", params, "lineage"))
        elif record is not None:
            good.append(record)
    return good, errors
