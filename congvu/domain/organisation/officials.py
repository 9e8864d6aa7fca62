"""Validating the officials of an import file, each with their positions.

An official and their positions form one row group: in CSV, every line with the official's
code (one line per position; a line with empty position columns for an official without a
post); in JSON, one object with a ``positions`` array. A problem anywhere in the group rejects
the whole group, so an official is never imported with half of their positions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field

from congvu.domain.organisation.errors import RowError
from congvu.domain.organisation.records import OfficialRecord, PositionRecord
from congvu.domain.organisation.rows import RowReader, group_lines
from congvu.domain.organisation.sources import SourceRow

__all__ = [
    "OFFICIAL_COLUMNS",
    "OFFICIAL_KEYS",
    "PERSON_KEYS",
    "POSITION_KEYS",
    "OfficialBatch",
    "OfficialRules",
    "validate_officials_csv",
    "validate_officials_json",
]

PERSON_KEYS = ("code", "full_name", "email", "phone")
POSITION_KEYS = ("unit", "title", "role", "start_on", "end_on", "decision")
OFFICIAL_COLUMNS = (*PERSON_KEYS, *POSITION_KEYS)
OFFICIAL_KEYS = (*PERSON_KEYS, "positions")


@dataclass(frozen=True)
class OfficialRules:
    """What an officials file is checked against: ``roles`` (stored code → Vietnamese label),
    ``units`` (codes of the stored units) and ``max_lengths`` (column → maximum length)."""

    roles: Mapping[str, str]
    units: Set[str]
    max_lengths: Mapping[str, int] = field(default_factory=dict)


@dataclass
class OfficialBatch:
    """The good officials (file order), every problem, and counts of groups rejected / read."""

    officials: list[OfficialRecord]
    errors: list[RowError]
    rejected: int
    total: int


def validate_officials_csv(rows: Sequence[SourceRow], rules: OfficialRules) -> OfficialBatch:
    """Group CSV lines by official code and check each group.

    On every line of a group after the first, an empty name, e-mail or phone cell means "as
    above"; a different non-empty value is an error. A line whose position columns are all
    empty adds no position. Positions are checked as in :func:`validate_officials_json`.
    """
    groups: dict[str, list[SourceRow]] = defaultdict(list)
    errors: list[RowError] = []
    total = 0
    for row in rows:
        reader = _reader(row.data, row.line, OFFICIAL_COLUMNS, rules)
        code = reader.text("code", required=True)
        if reader.errors or not code:
            errors += reader.errors
            total += 1
            continue
        groups[code].append(row)
    officials: list[OfficialRecord] = []
    for code, group in groups.items():
        total += 1
        person = {"code": code, "full_name": "", "email": "", "phone": ""}
        first_line: dict[str, int] = {}
        group_errors: list[RowError] = []
        positions: list[PositionRecord] = []
        for row in group:
            reader = _reader(row.data, row.line, OFFICIAL_COLUMNS, rules, item=code)
            for name in PERSON_KEYS[1:]:
                value = reader.email(name) if name == "email" else reader.text(name)
                if not value:
                    continue
                if not person[name]:
                    person[name], first_line[name] = value, row.line
                elif value != person[name]:
                    reader.add(
                        name,
                        "conflicting_value",
                        value=value,
                        other=person[name],
                        other_line=first_line[name],
                    )
            if any(str(reader.raw.get(name) or "").strip() for name in POSITION_KEYS):
                position = _read_position(reader, rules)
                if position is not None:
                    positions.append(position)
            group_errors += reader.errors
        if not person["full_name"]:
            group_errors.append(
                RowError(group[0].line, code, "full_name", "required", {}, "official")
            )
        group_errors += _duplicate_positions(positions, code)
        errors += group_errors
        if not group_errors:
            officials.append(_official(person, positions, group[0].line))
    errors.sort(key=lambda error: error.line)
    return OfficialBatch(officials, errors, total - len(officials), total)


def validate_officials_json(rows: Sequence[SourceRow], rules: OfficialRules) -> OfficialBatch:
    """Check JSON officials: objects with ``code``, ``full_name``, ``email``, ``phone`` and a
    ``positions`` array of objects with ``unit``, ``title``, ``role``, ``start_on``, ``end_on``
    and ``decision``.

    Required: code, full name; per position unit, title, role and start date. The role is a
    code or a label; ``end_on`` ≥ ``start_on``; the unit must be stored already. Duplicate
    official codes reject every occurrence; a repeated position (same unit, start date and
    title) rejects the official.
    """
    errors: list[RowError] = []
    parsed: list[tuple[OfficialRecord | None, str, int]] = []
    for row in rows:
        reader = _reader(row.data, row.line, OFFICIAL_KEYS, rules)
        code = reader.text("code", required=True)
        reader.set_item(code)
        person = {name: reader.text(name) for name in PERSON_KEYS}
        reader.text("full_name", required=True)
        reader.email("email")
        positions: list[PositionRecord] = []
        raw_positions = reader.raw.get("positions", [])
        if raw_positions is None:
            raw_positions = []
        if not isinstance(raw_positions, list):
            reader.add(
                "positions",
                "bad_type",
                expected="một mảng JSON [...]",
                expected_en="a JSON array [...]",
                got=type(raw_positions).__name__,
            )
            raw_positions = []
        row_errors = list(reader.errors)
        for number, raw in enumerate(raw_positions, start=1):
            sub = _reader(
                raw, row.line, POSITION_KEYS, rules, item=code, prefix=f"positions[{number}]."
            )
            position = _read_position(sub, rules)
            row_errors += sub.errors
            if position is not None:
                positions.append(position)
        row_errors += _duplicate_positions(positions, code)
        errors += row_errors
        record = None if row_errors else _official(person, positions, row.line)
        parsed.append((record, code, row.line))
    lines_by_code: dict[str, list[int]] = defaultdict(list)
    for _record, code, line in parsed:
        if code:
            lines_by_code[code].append(line)
    officials: list[OfficialRecord] = []
    for record, code, line in parsed:
        if len(lines_by_code.get(code, [])) > 1:
            params = {"value": code, "lines": group_lines(lines_by_code[code])}
            errors.append(RowError(line, code, "code", "duplicate_code", params, "official"))
        elif record is not None:
            officials.append(record)
    errors.sort(key=lambda error: error.line)
    return OfficialBatch(officials, errors, len(rows) - len(officials), len(rows))


def _reader(
    data: object,
    line: int,
    keys: Sequence[str],
    rules: OfficialRules,
    *,
    item: str = "",
    prefix: str = "",
) -> RowReader:
    return RowReader(
        data,
        line=line,
        kind="official",
        keys=keys,
        max_lengths=rules.max_lengths,
        item=item,
        prefix=prefix,
    )


def _read_position(reader: RowReader, rules: OfficialRules) -> PositionRecord | None:
    before = len(reader.errors)
    unit = reader.text("unit", required=True)
    if unit and unit not in rules.units:
        reader.add("unit", "unknown_stored_unit", value=unit)
    title = reader.text("title", required=True)
    role = reader.choice("role", rules.roles)
    start_on = reader.date("start_on", required=True)
    end_on = reader.date("end_on")
    reader.interval("start_on", start_on, "end_on", end_on)
    decision = reader.text("decision")
    if len(reader.errors) > before or start_on is None:
        return None
    return PositionRecord(unit, title, role, start_on, end_on, decision, line=reader.line)


def _duplicate_positions(positions: Sequence[PositionRecord], code: str) -> list[RowError]:
    lines_by_key: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for position in positions:
        lines_by_key[position.key].append(position.line)
    errors: list[RowError] = []
    for (unit, start_on, title), lines in lines_by_key.items():
        if len(lines) > 1:
            value = f"{unit}, {start_on:%d/%m/%Y}, {title}"
            params = {"value": value, "lines": group_lines(lines)}
            errors.append(RowError(lines[-1], code, "", "duplicate_position", params, "official"))
    return errors


def _official(
    person: Mapping[str, str], positions: Sequence[PositionRecord], line: int
) -> OfficialRecord:
    return OfficialRecord(
        code=person["code"],
        full_name=person["full_name"],
        email=person["email"],
        phone=person["phone"],
        positions=tuple(positions),
        line=line,
    )
