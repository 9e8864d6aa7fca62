"""Import and export of units and officials as CSV and JSON.

The rules (parsing, validation, cycles, order) live in ``congvu.domain.organisation``; this
module loads what they are checked against, writes the good records and renders exports.

Writes: the whole file in one ``transaction.atomic()``. Without ``partial`` a file with any
error stores nothing; with ``partial`` each good row (an official with all their positions is
one row) is written in its own savepoint and rows under a rejected one are skipped. Units are
written only through ``services.unit_save``, which maintains the materialised path.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.db import DatabaseError, models, transaction
from django.db.models import Prefetch
from django.utils import translation

from congvu.apps.calendars.models import Calendar
from congvu.apps.organisations.models import Official, Position, Role, Unit, UnitLineage
from congvu.apps.organisations.services import unit_save
from congvu.domain.organisation import (
    LINEAGE_KEYS,
    OFFICIAL_COLUMNS,
    POSITION_KEYS,
    UNIT_COLUMNS,
    ImportReport,
    LineageRecord,
    OfficialRecord,
    OfficialRules,
    PositionRecord,
    RowError,
    SourceRow,
    Tally,
    UnitBatch,
    UnitRecord,
    UnitRules,
    UnsupportedFormatError,
    decode_bytes,
    format_date,
    read_csv,
    read_json,
    validate_officials_csv,
    validate_officials_json,
    validate_units,
)

FORMATS = ("csv", "json")
BOM = "\ufeff"
YES, NO = "có", "không"


def transfer_format(*, path: str | Path | None = None, fmt: str | None = None) -> str:
    """The format to use: ``fmt`` if given, else the extension of ``path``, else csv."""
    if fmt is None and path is not None:
        fmt = Path(path).suffix.lstrip(".") or None
    fmt = (fmt or "csv").lower()
    if fmt not in FORMATS:
        raise UnsupportedFormatError(fmt=fmt)
    return fmt


def level_choices() -> dict[str, str]:
    return _choices(Unit.Level)


def role_choices() -> dict[str, str]:
    return _choices(Role)


def lineage_kind_choices() -> dict[str, str]:
    return _choices(UnitLineage.Kind)


def _choices(choices: type[models.TextChoices]) -> dict[str, str]:
    # Labels are lazy translations; files use the Vietnamese names whatever the UI language.
    with translation.override("vi"):
        return {str(value): str(label) for value, label in choices.choices}


def _max_lengths(*model_classes: type[models.Model]) -> dict[str, int]:
    lengths: dict[str, int] = {}
    for model in reversed(model_classes):  # the first model wins on a shared name
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField) and field.max_length:
                lengths[field.name] = field.max_length
    return lengths


def _read_text(
    *, path: str | Path | None, data: bytes | str | None, kind: str
) -> tuple[str, list[RowError]]:
    if path is not None:
        data = Path(path).read_bytes()
    if isinstance(data, bytes):
        return decode_bytes(data, kind=kind)
    return data or "", []


def _numbered(rows: Iterable[Mapping[str, Any]], start: int = 1) -> list[SourceRow]:
    return [SourceRow(number, row) for number, row in enumerate(rows, start=start)]


# --- units ---------------------------------------------------------------------------------


def units_import(
    *,
    path: str | Path | None = None,
    data: bytes | str | None = None,
    rows: Iterable[Mapping[str, Any]] | None = None,
    lineage: Iterable[Mapping[str, Any]] = (),
    fmt: str | None = None,
    partial: bool = False,
) -> ImportReport:
    """Upsert units (and, from JSON, lineage edges) by code from a file, bytes/text or rows.

    ``rows`` are mappings with the CSV column names; their "line" is their position (1-based).
    Nothing is deleted: units and edges not in the file stay as they are.
    """
    lineage_tally = Tally()
    report = ImportReport(kind="units", partial=partial, lineage=lineage_tally)
    lineage_rows: list[SourceRow] = []
    if rows is not None:
        unit_rows = _numbered(rows)
        lineage_rows = _numbered(lineage, start=len(unit_rows) + 1)
    else:
        fmt = transfer_format(path=path, fmt=fmt)
        text, errors = _read_text(path=path, data=data, kind="unit")
        unit_rows = []
        if not errors and fmt == "csv":
            unit_rows, errors = read_csv(text, columns=UNIT_COLUMNS, kind="unit")
        elif not errors:
            sections, errors = read_json(text, sections=("units", "lineage"), kind="unit")
            unit_rows, lineage_rows = sections["units"], sections["lineage"]
        if errors:
            report.errors, report.written = errors, False
            return report

    stored_parents = dict(Unit.objects.values_list("code", "parent__code"))
    rules = UnitRules(
        levels=level_choices(),
        existing=stored_parents,
        calendars=set(Calendar.objects.values_list("code", flat=True)),
        lineage_kinds=lineage_kind_choices(),
        max_lengths=_max_lengths(Unit, UnitLineage),
    )
    batch = validate_units(unit_rows, rules, lineage_rows)
    report.total = batch.total_units
    report.errors = list(batch.errors)
    report.items.rejected = batch.rejected_units
    lineage_tally.rejected = batch.rejected_lineage
    if batch.errors and not partial:
        report.written = False
        return report
    with transaction.atomic():
        failed = _write_units(batch, report)
        _write_lineage(batch.lineage, failed, report, lineage_tally)
        if not partial and len(report.errors) > len(batch.errors):
            # a write failed (a database constraint the rules do not know): store nothing
            transaction.set_rollback(True)
            report.written = False
            report.items = Tally(rejected=report.items.rejected)
            report.lineage = Tally(rejected=lineage_tally.rejected)
    report.errors.sort(key=lambda error: error.line)
    return report


def _unit_record(unit: Unit, codes: Mapping[int, str], calendars: Mapping[int, str]) -> UnitRecord:
    return UnitRecord(
        code=unit.code,
        name=unit.name,
        level=unit.level,
        parent=codes[unit.parent_id] if unit.parent_id else None,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        calendar=calendars[unit.calendar_id] if unit.calendar_id else None,
        oversees_province=unit.oversees_province,
        address=unit.address,
        phone=unit.phone,
    )


def _write_units(batch: UnitBatch, report: ImportReport) -> set[str]:
    """Write the good unit records parents first; returns the codes that failed to write."""
    units: dict[str, Unit] = Unit.objects.in_bulk(field_name="code")
    codes = {unit.pk: code for code, unit in units.items()}
    calendars = dict(Calendar.objects.values_list("code", "pk"))
    calendar_codes = {pk: code for code, pk in calendars.items()}
    failed: set[str] = set()
    tally = report.items
    for record in batch.units:
        if record.parent in failed:
            report.errors.append(_unit_error(record, "parent_rejected", value=record.parent))
            failed.add(record.code)
            tally.rejected += 1
            continue
        unit = units.get(record.code)
        if unit is not None and _unit_record(unit, codes, calendar_codes) == record:
            tally.unchanged += 1
            continue
        try:
            with transaction.atomic():
                target = unit or Unit(code=record.code)
                if unit is not None:  # an earlier move may have rebased this unit's path
                    target.path = Unit.objects.values_list("path", flat=True).get(pk=unit.pk)
                target.name, target.level = record.name, record.level
                target.parent = units[record.parent] if record.parent else None
                target.valid_from, target.valid_to = record.valid_from, record.valid_to
                target.calendar_id = calendars[record.calendar] if record.calendar else None
                target.oversees_province = record.oversees_province
                target.address, target.phone = record.address, record.phone
                unit_save(unit=target)
        except (DatabaseError, ValueError) as exc:
            report.errors.append(_unit_error(record, "write_failed", detail=str(exc)))
            failed.add(record.code)
            tally.rejected += 1
            if unit is not None:
                units[record.code] = Unit.objects.get(pk=unit.pk)
            continue
        units[record.code] = target
        codes[target.pk] = record.code
        if unit is None:
            tally.created += 1
        else:
            tally.updated += 1
    return failed


def _unit_error(record: UnitRecord, code: str, **params: Any) -> RowError:
    field = "parent" if code == "parent_rejected" else ""
    return RowError(record.line, record.code, field, code, params, "unit")


def _write_lineage(
    records: Sequence[LineageRecord], failed: set[str], report: ImportReport, tally: Tally
) -> None:
    units = dict(Unit.objects.values_list("code", "pk"))
    edges = {
        (edge.predecessor.code, edge.successor.code, edge.kind): edge
        for edge in UnitLineage.objects.select_related("predecessor", "successor")
    }
    for record in records:
        item = f"{record.predecessor} → {record.successor}"
        bad = next((c for c in (record.predecessor, record.successor) if c in failed), None)
        if bad is not None:
            error = RowError(record.line, item, "", "unit_rejected", {"value": bad}, "lineage")
            report.errors.append(error)
            tally.rejected += 1
            continue
        edge = edges.get(record.key)
        if edge is not None and (edge.effective_on, edge.legal_basis) == (
            record.effective_on,
            record.legal_basis,
        ):
            tally.unchanged += 1
            continue
        try:
            with transaction.atomic():
                if edge is None:
                    UnitLineage.objects.create(
                        predecessor_id=units[record.predecessor],
                        successor_id=units[record.successor],
                        kind=record.kind,
                        effective_on=record.effective_on,
                        legal_basis=record.legal_basis,
                    )
                    tally.created += 1
                else:
                    edge.effective_on, edge.legal_basis = record.effective_on, record.legal_basis
                    edge.save(update_fields=["effective_on", "legal_basis"])
                    tally.updated += 1
        except DatabaseError as exc:
            params = {"detail": str(exc)}
            report.errors.append(RowError(record.line, item, "", "write_failed", params, "lineage"))
            tally.rejected += 1


def unit_records() -> list[UnitRecord]:
    """Every stored unit as a record, parents first (tree order)."""
    units = list(Unit.objects.order_by("path"))
    codes = {unit.pk: unit.code for unit in units}
    calendars = dict(Calendar.objects.values_list("pk", "code"))
    return [_unit_record(unit, codes, calendars) for unit in units]


def lineage_records() -> list[LineageRecord]:
    """Every stored lineage edge as a record, by date then successor and predecessor code."""
    edges = UnitLineage.objects.select_related("predecessor", "successor").order_by(
        "effective_on", "successor__code", "predecessor__code", "kind"
    )
    return [
        LineageRecord(
            edge.predecessor.code,
            edge.successor.code,
            edge.kind,
            edge.effective_on,
            edge.legal_basis,
        )
        for edge in edges
    ]


def units_export(fmt: str = "csv") -> str:
    """All units as CSV (UTF-8 text starting with a BOM, so Excel shows the diacritics; no
    lineage) or JSON (``{"units": [...], "lineage": [...]}``). Re-importing it changes nothing.
    """
    fmt = transfer_format(fmt=fmt)
    records = unit_records()
    if fmt == "csv":
        return _csv(
            UNIT_COLUMNS,
            (
                [
                    r.code,
                    r.name,
                    r.level,
                    r.parent or "",
                    format_date(r.valid_from),
                    format_date(r.valid_to),
                    r.calendar or "",
                    YES if r.oversees_province else NO,
                    r.address,
                    r.phone,
                ]
                for r in records
            ),
        )
    document = {
        "units": [
            {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "parent": r.parent,
                "valid_from": _iso(r.valid_from),
                "valid_to": _iso(r.valid_to),
                "calendar": r.calendar,
                "oversees_province": r.oversees_province,
                "address": r.address,
                "phone": r.phone,
            }
            for r in records
        ],
        "lineage": [
            dict(
                zip(
                    LINEAGE_KEYS,
                    (e.predecessor, e.successor, e.kind, _iso(e.effective_on), e.legal_basis),
                    strict=True,
                )
            )
            for e in lineage_records()
        ],
    }
    return _json(document)


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # what Excel writes and expects
    writer.writerow(header)
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def _json(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- officials -----------------------------------------------------------------------------


def officials_import(
    *,
    path: str | Path | None = None,
    data: bytes | str | None = None,
    rows: Iterable[Mapping[str, Any]] | None = None,
    fmt: str | None = None,
    partial: bool = False,
    replace_positions: bool = False,
) -> ImportReport:
    """Upsert officials by code, each with their positions, from a file, bytes/text or rows.

    ``rows`` are JSON-shaped objects (with a ``positions`` list). Positions are matched on
    (unit, start date, title): matched ones are updated, new ones added. Stored positions the
    file does not list are kept (history is never dropped silently) unless
    ``replace_positions`` is true: then they are deleted and counted in the report.
    """
    report = ImportReport(kind="officials", partial=partial)
    units = set(Unit.objects.values_list("code", flat=True))
    rules = OfficialRules(
        roles=role_choices(), units=units, max_lengths=_max_lengths(Official, Position)
    )
    if rows is not None:
        batch = validate_officials_json(_numbered(rows), rules)
    else:
        fmt = transfer_format(path=path, fmt=fmt)
        text, errors = _read_text(path=path, data=data, kind="official")
        source: list[SourceRow] = []
        if not errors and fmt == "csv":
            source, errors = read_csv(text, columns=OFFICIAL_COLUMNS, kind="official")
        elif not errors:
            sections, errors = read_json(text, sections=("officials",), kind="official")
            source = sections["officials"]
        if errors:
            report.errors, report.written = errors, False
            return report
        validate = validate_officials_csv if fmt == "csv" else validate_officials_json
        batch = validate(source, rules)
    report.total = batch.total
    report.errors = list(batch.errors)
    report.items.rejected = batch.rejected
    if batch.errors and not partial:
        report.written = False
        return report
    with transaction.atomic():
        _write_officials(batch.officials, report, replace_positions=replace_positions)
        if not partial and len(report.errors) > len(batch.errors):
            transaction.set_rollback(True)
            report.written = False
            report.items = Tally(rejected=report.items.rejected)
            report.positions_removed = 0
    report.errors.sort(key=lambda error: error.line)
    return report


def _position_record(position: Position) -> PositionRecord:
    return PositionRecord(
        position.unit.code,
        position.title,
        position.role,
        position.start_on,
        position.end_on,
        position.decision,
    )


def _write_officials(
    records: Sequence[OfficialRecord], report: ImportReport, *, replace_positions: bool
) -> None:
    positions = Position.objects.select_related("unit").order_by("start_on", "pk")
    officials = {
        official.code: official
        for official in Official.objects.prefetch_related(Prefetch("positions", positions))
    }
    units = dict(Unit.objects.values_list("code", "pk"))
    tally = report.items
    for record in records:
        official = officials.get(record.code)
        stored: dict[tuple[Any, ...], list[Position]] = {}
        for position in official.positions.all() if official else ():
            stored.setdefault(_position_record(position).key, []).append(position)
        to_create: list[PositionRecord] = []
        to_update: list[tuple[Position, PositionRecord]] = []
        for wanted in record.positions:
            matches = stored.get(wanted.key)
            if not matches:
                to_create.append(wanted)
                continue
            position = matches.pop(0)
            if _position_record(position) != wanted:
                to_update.append((position, wanted))
        unlisted = [p for matches in stored.values() for p in matches]
        to_delete = unlisted if replace_positions else []
        person = (record.full_name, record.email, record.phone)
        person_changed = official is None or person != (
            official.full_name,
            official.email,
            official.phone,
        )
        if not (person_changed or to_create or to_update or to_delete):
            tally.unchanged += 1
            continue
        try:
            with transaction.atomic():
                target = official or Official(code=record.code)
                target.full_name, target.email, target.phone = person
                target.save()
                for position in to_delete:
                    position.delete()
                for position, wanted in to_update:
                    position.role, position.end_on = wanted.role, wanted.end_on
                    position.decision = wanted.decision
                    position.save(update_fields=["role", "end_on", "decision"])
                Position.objects.bulk_create(
                    Position(
                        official=target,
                        unit_id=units[wanted.unit],
                        title=wanted.title,
                        role=wanted.role,
                        start_on=wanted.start_on,
                        end_on=wanted.end_on,
                        decision=wanted.decision,
                    )
                    for wanted in to_create
                )
        except DatabaseError as exc:
            params = {"detail": str(exc)}
            report.errors.append(
                RowError(record.line, record.code, "", "write_failed", params, "official")
            )
            tally.rejected += 1
            continue
        report.positions_removed += len(to_delete)
        if official is None:
            tally.created += 1
        else:
            tally.updated += 1


def official_records() -> list[OfficialRecord]:
    """Every stored official by code, positions by start date, unit code and title."""
    positions = Position.objects.select_related("unit").order_by("start_on", "unit__code", "title")
    officials = Official.objects.order_by("code").prefetch_related(Prefetch("positions", positions))
    return [
        OfficialRecord(
            code=official.code,
            full_name=official.full_name,
            email=official.email,
            phone=official.phone,
            positions=tuple(_position_record(p) for p in official.positions.all()),
        )
        for official in officials
    ]


def officials_export(fmt: str = "csv") -> str:
    """All officials as CSV (one line per position; a line with empty position columns for an
    official without one; UTF-8 with BOM) or JSON (a list of officials with ``positions``)."""
    fmt = transfer_format(fmt=fmt)
    records = official_records()
    if fmt == "csv":
        return _csv(OFFICIAL_COLUMNS, _official_lines(records))
    return _json(
        [
            {
                "code": r.code,
                "full_name": r.full_name,
                "email": r.email,
                "phone": r.phone,
                "positions": [
                    dict(
                        zip(
                            POSITION_KEYS,
                            (p.unit, p.title, p.role, _iso(p.start_on), _iso(p.end_on), p.decision),
                            strict=True,
                        )
                    )
                    for p in r.positions
                ],
            }
            for r in records
        ]
    )


def _official_lines(records: Iterable[OfficialRecord]) -> Iterable[list[str]]:
    for r in records:
        person = [r.code, r.full_name, r.email, r.phone]
        if not r.positions:
            yield person + [""] * len(POSITION_KEYS)
        for p in r.positions:
            yield person + [
                p.unit,
                p.title,
                p.role,
                format_date(p.start_on),
                format_date(p.end_on),
                p.decision,
            ]
