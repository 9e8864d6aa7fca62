"""Writes of the procedure catalog: import (v1 JSON, CSV), saving one procedure, the demo.

Validation is the domain's: every procedure read from a file goes through
:func:`congvu.domain.procedures.parse_catalog` (time limit present and positive, whole or half
units, step budgets within the limit, no unknown keys); this module adds the checks that need
the database (unit and official codes) and the shell's vocabularies (levels, roles).

Writes are all-or-nothing by default: a file with any problem stores nothing. With ``partial``
the good procedures are stored and the bad ones reported. Procedures are upserted by code;
nothing is deleted: a procedure missing from the file stays as it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DatabaseError, models, transaction
from django.db.models import Prefetch
from django.utils import translation

from congvu.apps.organisations.models import Official, Position, Role, Unit
from congvu.apps.procedures import formats
from congvu.apps.procedures.formats import (
    DocumentRecord,
    ImportProblem,
    ImportReport,
    SourceItem,
    Vocabulary,
)
from congvu.apps.procedures.models import Procedure, ProcedureDocument, ProcedureStep
from congvu.apps.procedures.selectors import procedure_v1
from congvu.domain.organisation import UnsupportedFormatError
from congvu.domain.procedures import CatalogError, parse_catalog
from congvu.domain.procedures import Procedure as DomainProcedure

FORMATS = ("json", "csv")
DEMO_DATA = Path(__file__).resolve().parent.parent / "demo" / "data"


def procedures_format(*, path: str | Path | None = None, fmt: str | None = None) -> str:
    """``fmt`` if given, else the extension of ``path``, else json."""
    if fmt is None and path is not None:
        fmt = Path(path).suffix.lstrip(".") or None
    fmt = (fmt or "json").lower()
    if fmt not in FORMATS:
        raise UnsupportedFormatError(fmt=fmt)
    return fmt


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    # Files use the Vietnamese names whatever the language of the messages.
    with translation.override("vi"):
        return {str(value): str(label) for value, label in choices.choices}


def procedure_vocabulary() -> Vocabulary:
    """What imported procedures are checked against (three queries)."""
    lengths = {
        f.name: f.max_length
        for f in Procedure._meta.concrete_fields
        if isinstance(f, models.CharField) and f.max_length and f.name in ("name", "field", "code")
    }
    lengths["fee_note"] = Procedure._meta.get_field("fee_note").max_length or 300
    return Vocabulary(
        levels=_labels(Procedure.Level),
        roles=_labels(Role),
        units=frozenset(Unit.objects.values_list("code", flat=True)),
        officials=frozenset(Official.objects.values_list("code", flat=True)),
        max_lengths=lengths,
    )


def search_text(code: str, name: str) -> str:
    """What the public search matches: code and name folded (no case, no diacritics)."""
    return formats.fold(f"{code} {name}")


def procedure_save(*, procedure: Procedure) -> Procedure:
    """Save one procedure (the admin's path): keeps the search text in step with the name."""
    procedure.search_text = search_text(procedure.code, procedure.name)
    procedure.save()
    return procedure


# --- import --------------------------------------------------------------------------------


def procedures_import(
    *,
    path: str | Path | None = None,
    data: bytes | str | None = None,
    fmt: str | None = None,
    partial: bool = False,
) -> ImportReport:
    """Upsert procedures by code from a v1 JSON or CSV file (``path``) or its content (``data``).

    Returns an :class:`~congvu.apps.procedures.formats.ImportReport` whose errors carry line,
    procedure, column or key and reason. Raises ``UnsupportedFormatError`` for a format that is
    neither json nor csv, ``OSError`` when the file cannot be read.
    """
    fmt = procedures_format(path=path, fmt=fmt)
    report = ImportReport(partial=partial)
    if path is not None:
        data = Path(path).read_bytes()
    text, problems = formats.decode(data) if isinstance(data, bytes) else (data or "", [])
    if problems:
        return _rejected(report, problems)
    vocabulary = procedure_vocabulary()
    if fmt == "csv":
        items, problems = formats.read_catalog_csv(text, vocabulary)
    else:
        read, problems = formats.read_v1_json(text)
        if not isinstance(read, list):  # valid JSON, not a list: the domain says what v1 wants
            try:
                parse_catalog(read)
            except CatalogError as exc:
                problems = [formats.locate(e, []) for e in exc.errors]
            read = []
        items = read
    if problems and not items:
        return _rejected(report, problems)
    return _import_items(items, problems, vocabulary, report)


def _fill_absent(items: Sequence[SourceItem]) -> None:
    """CSV columns left out of the file keep the stored values of existing procedures."""
    codes = [item.code for item in items if item.absent]
    if not codes:
        return
    stored = {row.code: procedure_v1(row, []) for row in Procedure.objects.filter(code__in=codes)}
    for item in items:
        current = stored.get(item.code)
        if current is None:
            continue
        for key in item.absent:
            if key in current:
                item.obj[key] = current[key]


def _rejected(report: ImportReport, problems: list[ImportProblem]) -> ImportReport:
    report.errors, report.written = problems, False
    return report


def _import_items(
    items: Sequence[SourceItem],
    problems: list[ImportProblem],
    vocabulary: Vocabulary,
    report: ImportReport,
) -> ImportReport:
    report.total = len(items)
    _fill_absent(items)
    per_item: dict[int, list[ImportProblem]] = {id(item): [] for item in items}
    by_code: dict[str, SourceItem] = {item.code: item for item in items if item.code}
    loose: list[ImportProblem] = []
    for p in problems:  # the CSV cell problems: not given to the domain parser
        item = by_code.get(p.procedure)
        (per_item[id(item)] if item is not None else loose).append(p)
    for item in items:
        per_item[id(item)] += formats.shell_problems(item, vocabulary)
    candidates = [item for item in items if not per_item[id(item)]]
    try:
        catalog = parse_catalog([item.obj for item in candidates])
    except CatalogError as exc:
        catalog = {}
        for error in exc.errors:
            located = formats.locate(error, candidates)
            owner = _owner(error, candidates)
            (per_item[id(owner)] if owner is not None else loose).append(located)
    bad = [item for item in items if per_item[id(item)]]
    report.errors = sorted(
        loose + [p for item in items for p in per_item[id(item)]], key=lambda p: p.line
    )
    report.procedures.rejected = len(bad)
    if report.errors and not report.partial:
        report.written = False
        return report
    good = [item for item in items if not per_item[id(item)]]
    if report.errors:  # partial: the good ones parse on their own (a duplicate's first is good)
        try:
            catalog = parse_catalog([item.obj for item in good])
        except CatalogError:  # an error no procedure could be blamed for: store nothing
            report.written = False
            return report
    chosen: dict[str, SourceItem] = {}
    for item in good:
        chosen.setdefault(item.code, item)
    with transaction.atomic():
        failed = _write(chosen, catalog, report)
        if failed and not report.partial:
            transaction.set_rollback(True)
            report.written = False
            report.procedures = formats.Tally(rejected=report.procedures.rejected + failed)
    report.errors.sort(key=lambda p: p.line)
    return report


def _owner(error: Any, items: Sequence[SourceItem]) -> SourceItem | None:
    label = str(error.params.get("procedure", ""))
    if label.startswith("#") and label[1:].isdigit() and 0 < int(label[1:]) <= len(items):
        return items[int(label[1:]) - 1]
    matches = [item for item in items if item.code == label]
    if not matches:
        return None
    return matches[-1] if error.params.get("key") == "code" and len(matches) > 1 else matches[0]


@dataclass(frozen=True)
class _Wanted:
    v1: dict[str, Any]
    fee_note: str | None
    officials: list[str] | None
    active: bool | None
    documents: list[DocumentRecord] | None


def _domain_v1(proc: DomainProcedure) -> dict[str, Any]:
    obj: dict[str, Any] = {"code": proc.code, "name": proc.name}
    if proc.level:
        obj["level"] = proc.level
    if proc.field:
        obj["field"] = proc.field
    obj["time_limit"] = {proc.time_limit.unit: formats.number_json(proc.time_limit.amount)}
    obj["fee"] = formats.number_json(proc.fee)
    obj["steps"] = [
        {
            "code": s.code,
            "name": s.name,
            "role": s.role,
            "budget": {s.budget.unit: formats.number_json(s.budget.amount)},
        }
        for s in proc.steps
    ]
    obj["related_units"] = sorted(proc.related_units)
    obj["legal_basis"] = list(proc.legal_basis)
    return obj


def _write(
    chosen: Mapping[str, SourceItem], catalog: Mapping[str, DomainProcedure], report: ImportReport
) -> int:
    """Upsert each chosen procedure in its own savepoint; returns how many failed."""
    stored = {
        row.code: row
        for row in Procedure.objects.filter(code__in=list(chosen)).prefetch_related(
            Prefetch("steps", ProcedureStep.objects.order_by("order", "pk")),
            Prefetch("documents", ProcedureDocument.objects.order_by("order", "pk")),
            "officials",
        )
    }
    officials = dict(Official.objects.values_list("code", "pk"))
    failed = 0
    for code, item in chosen.items():
        wanted = _Wanted(
            v1=_domain_v1(catalog[code]),
            fee_note=item.fee_note,
            officials=item.officials,
            active=item.active,
            documents=item.documents,
        )
        row = stored.get(code)
        if row is not None and not _differs(row, wanted):
            report.procedures.unchanged += 1
            continue
        try:
            with transaction.atomic():
                _upsert(row, catalog[code], wanted, officials)
        except DatabaseError as exc:
            report.errors.append(
                formats.problem(item.line, code, "", "write_failed", detail=str(exc))
            )
            report.procedures.rejected += 1
            failed += 1
            continue
        if row is None:
            report.procedures.created += 1
        else:
            report.procedures.updated += 1
    return failed


def _documents(row: Procedure) -> list[DocumentRecord]:
    return [DocumentRecord(d.name, d.originals, d.copies, d.note) for d in row.documents.all()]


def _differs(row: Procedure, wanted: _Wanted) -> bool:
    if procedure_v1(row, row.steps.all()) != wanted.v1:
        return True
    if wanted.fee_note is not None and wanted.fee_note != row.fee_note:
        return True
    if wanted.active is not None and wanted.active != row.is_active:
        return True
    if wanted.officials is not None and sorted(wanted.officials) != sorted(
        o.code for o in row.officials.all()
    ):
        return True
    return wanted.documents is not None and wanted.documents != _documents(row)


def _upsert(
    row: Procedure | None,
    proc: DomainProcedure,
    wanted: _Wanted,
    officials: Mapping[str, int],
) -> None:
    target = row or Procedure(code=proc.code)
    target.name, target.level, target.field = proc.name, proc.level, proc.field
    target.time_limit_unit = proc.time_limit.unit
    target.time_limit_amount = Decimal(str(proc.time_limit.amount))
    target.fee = Decimal(str(proc.fee))
    target.related_units = sorted(proc.related_units)
    target.legal_basis = list(proc.legal_basis)
    if wanted.fee_note is not None:
        target.fee_note = wanted.fee_note
    if wanted.active is not None:
        target.is_active = wanted.active
    procedure_save(procedure=target)
    _write_steps(target, proc, row is None)
    if wanted.documents is not None:
        procedure_documents_set(procedure=target, documents=wanted.documents)
    if wanted.officials is not None:
        target.officials.set([officials[code] for code in wanted.officials])


def _write_steps(target: Procedure, proc: DomainProcedure, created: bool) -> None:
    """Steps matched by code: updated in place (their ids stay), new ones added, the others
    deleted, so that rows pointing at a step survive a re-import."""
    existing = {} if created else {s.code: s for s in target.steps.all()}
    keep = {s.code for s in proc.steps}
    ProcedureStep.objects.filter(procedure=target).exclude(code__in=keep).delete()
    to_update, to_create = [], []
    for order, step in enumerate(proc.steps, start=1):
        values = {
            "order": order,
            "name": step.name,
            "role": step.role,
            "budget_amount": Decimal(str(step.budget.amount)),
            "budget_unit": step.budget.unit,
        }
        current = existing.get(step.code)
        if current is None:
            to_create.append(ProcedureStep(procedure=target, code=step.code, **values))
        else:
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    if to_update:
        ProcedureStep.objects.bulk_update(
            to_update, ["order", "name", "role", "budget_amount", "budget_unit"]
        )
    ProcedureStep.objects.bulk_create(to_create)


def procedure_documents_set(*, procedure: Procedure, documents: Iterable[DocumentRecord]) -> None:
    """Replace the required documents of ``procedure`` with ``documents``, in order."""
    ProcedureDocument.objects.filter(procedure=procedure).delete()
    ProcedureDocument.objects.bulk_create(
        ProcedureDocument(
            procedure=procedure,
            order=order,
            name=d.name,
            originals=d.originals,
            copies=d.copies,
            note=d.note,
        )
        for order, d in enumerate(documents, start=1)
    )


# --- details sidecar and the demo ----------------------------------------------------------


@transaction.atomic
def procedure_details_apply(*, details: Mapping[str, Mapping[str, Any]]) -> int:
    """Set the fee notes and required documents of stored procedures from a mapping
    ``code → {"fee_note": "...", "documents": [{"name", "originals", "copies", "note"}]}``
    (the shape of ``demo/data/procedure_details.json``). Unknown codes are skipped; returns how
    many procedures changed."""
    rows = Procedure.objects.filter(code__in=list(details)).prefetch_related(
        Prefetch("documents", ProcedureDocument.objects.order_by("order", "pk"))
    )
    changed = 0
    for row in rows:
        entry = details[row.code]
        documents = [
            DocumentRecord(
                str(d["name"]),
                int(d.get("originals", 1)),
                int(d.get("copies", 0)),
                str(d.get("note", "")),
            )
            for d in entry.get("documents", [])
        ]
        fee_note = str(entry.get("fee_note", row.fee_note))
        if documents == _documents(row) and fee_note == row.fee_note:
            continue
        if fee_note != row.fee_note:
            row.fee_note = fee_note
            row.save(update_fields=["fee_note"])
        if documents != _documents(row):
            procedure_documents_set(procedure=row, documents=documents)
        changed += 1
    return changed


def _demo_officials(units: Mapping[str, str]) -> int:
    """Publish the current heads of the handling department as the responsible officials of
    each province-level procedure that has none yet (commune-level procedures are handled by
    each commune's own staff, so none is named). Returns how many procedures were given some."""
    heads: dict[str, list[int]] = {}
    for unit_code, official_id in (
        Position.objects.current()
        .filter(role=Role.UNIT_HEAD, unit__code__in=set(units.values()))
        .order_by("start_on", "official__code")
        .values_list("unit__code", "official_id")
    ):
        heads.setdefault(unit_code, []).append(official_id)
    given = 0
    procedures = Procedure.objects.filter(level=Procedure.Level.PROVINCE, officials__isnull=True)
    for row in procedures.distinct():
        chosen = heads.get(units.get(row.field, ""), [])
        if chosen:
            row.officials.set(chosen)
            given += 1
    return given


@transaction.atomic
def procedures_load_demo(*, data_dir: Path = DEMO_DATA) -> ImportReport:
    """Load the demo catalog: ``procedures.json`` (v1, through :func:`procedures_import`), the
    fee notes and required documents of ``procedure_details.json``, and, for province-level
    procedures, the heads of the department that ``procedure_units.json`` names for the field.

    Idempotent: a second run changes nothing. Call it after the demo units and officials exist
    (related units are checked against them). Raises ``ValueError`` if the bundled catalog is
    rejected (a bug in the data files).
    """
    report = procedures_import(path=data_dir / "procedures.json", fmt="json")
    if not report.ok:
        raise ValueError("\n".join(report.messages("en")))
    details = json.loads((data_dir / "procedure_details.json").read_text(encoding="utf-8"))
    procedure_details_apply(details=details)
    units = json.loads((data_dir / "procedure_units.json").read_text(encoding="utf-8"))
    _demo_officials(units)
    return report
