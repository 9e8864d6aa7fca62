"""Reads of the procedure catalog: the domain objects the ledger fold uses, the public pages'
queries and the exports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from congvu.apps.organisations.models import Position, Unit
from congvu.apps.procedures import formats
from congvu.apps.procedures.models import Procedure, ProcedureDocument, ProcedureStep
from congvu.domain.procedures import Duration, Step
from congvu.domain.procedures import Procedure as DomainProcedure

PAGE_SIZE = 20


def _duration(unit: str, amount: Any) -> Duration:
    return Duration(unit, float(amount))  # type: ignore[arg-type]  # the unit is a stored choice


def procedure_catalog(codes: Iterable[str] | None = None) -> Mapping[str, DomainProcedure]:
    """code → domain :class:`~congvu.domain.procedures.Procedure`, read-only, by code.

    All procedures (also those no longer in force: old dossiers keep their time limits), or
    only ``codes``. Two queries whatever the size: the procedures, then all their steps.
    """
    procedures = Procedure.objects.order_by("code")
    if codes is not None:
        procedures = procedures.filter(code__in=list(codes))
    steps = ProcedureStep.objects.order_by("order", "pk")
    out: dict[str, DomainProcedure] = {}
    for row in procedures.prefetch_related(Prefetch("steps", steps)):
        out[row.code] = DomainProcedure(
            code=row.code,
            name=row.name,
            time_limit=_duration(row.time_limit_unit, row.time_limit_amount),
            level=row.level,
            field=row.field,
            fee=float(row.fee),
            steps=tuple(
                Step(s.code, s.name, s.role, _duration(s.budget_unit, s.budget_amount))
                for s in row.steps.all()
            ),
            related_units=frozenset(row.related_units),
            legal_basis=tuple(row.legal_basis),
        )
    return MappingProxyType(out)


def procedure_get(code: str) -> DomainProcedure | None:
    """The domain procedure with this code, or ``None``."""
    return procedure_catalog([code]).get(code)


# --- public pages --------------------------------------------------------------------------


def procedure_list(*, query: str = "", level: str = "", field: str = "") -> QuerySet[Procedure]:
    """Procedures in force, by code; ``query`` matches the code or the name with or without
    diacritics ("dang ky khai sinh" finds "Đăng ký khai sinh")."""
    procedures = Procedure.objects.filter(is_active=True).order_by("code")
    for raw, word in zip(query.split(), formats.fold(query).split(), strict=False):
        # search_text is kept by the services; the name is also matched as typed
        procedures = procedures.filter(
            Q(search_text__contains=word) | Q(name__icontains=raw) | Q(code__icontains=raw)
        )
    if level:
        procedures = procedures.filter(level=level)
    if field:
        procedures = procedures.filter(field=field)
    return procedures.only("code", "name", "level", "field", "time_limit_amount", "time_limit_unit")


def procedure_fields() -> list[str]:
    """The fields (lĩnh vực) of the procedures in force, alphabetically (Vietnamese order)."""
    fields = (
        Procedure.objects.filter(is_active=True)
        .exclude(field="")
        .values_list("field", flat=True)
        .distinct()
    )
    return sorted(fields, key=formats.fold)


def procedure_detail(code: str) -> Procedure | None:
    """A procedure in force with its steps, documents and responsible officials (each with the
    positions they hold today), or ``None``."""
    officials = Prefetch(
        "officials__positions",
        Position.objects.current().select_related("unit").order_by("-start_on"),
        to_attr="current_positions",
    )
    return (
        Procedure.objects.filter(is_active=True, code=code)
        .prefetch_related(
            Prefetch("steps", ProcedureStep.objects.order_by("order", "pk")),
            Prefetch("documents", ProcedureDocument.objects.order_by("order", "pk")),
            "officials",
            officials,
        )
        .first()
    )


def procedure_related_units(procedure: Procedure) -> list[tuple[str, str]]:
    """(code, name) of the procedure's related units, by code; the code alone when a unit is
    not (or no longer) in the system."""
    names = dict(Unit.objects.filter(code__in=procedure.related_units).values_list("code", "name"))
    return [(code, names.get(code, "")) for code in sorted(procedure.related_units)]


# --- export --------------------------------------------------------------------------------


def procedure_v1(row: Procedure, steps: Iterable[ProcedureStep]) -> dict[str, Any]:
    """The v1 interchange object of a stored procedure (keys in interchange.md order; empty
    level and field left out, since v1 wants them non-empty when present)."""
    obj: dict[str, Any] = {"code": row.code, "name": row.name}
    if row.level:
        obj["level"] = row.level
    if row.field:
        obj["field"] = row.field
    obj["time_limit"] = {row.time_limit_unit: formats.number_json(row.time_limit_amount)}
    obj["fee"] = formats.number_json(row.fee)
    obj["steps"] = [
        {
            "code": s.code,
            "name": s.name,
            "role": s.role,
            "budget": {s.budget_unit: formats.number_json(s.budget_amount)},
        }
        for s in steps
    ]
    obj["related_units"] = sorted(row.related_units)
    obj["legal_basis"] = list(row.legal_basis)
    return obj


def _export_rows(codes: Iterable[str] | None) -> QuerySet[Procedure]:
    procedures = Procedure.objects.order_by("code").prefetch_related(
        Prefetch("steps", ProcedureStep.objects.order_by("order", "pk")),
        Prefetch("documents", ProcedureDocument.objects.order_by("order", "pk")),
        "officials",
    )
    if codes is not None:
        procedures = procedures.filter(code__in=list(codes))
    return procedures


def procedures_export(fmt: str = "json", *, codes: Iterable[str] | None = None) -> str:
    """The catalog as v1 JSON (:func:`formats.dumps_catalog`, byte-stable) or as the CSV of
    docs/procedures.md (with fee notes, documents, officials and the in-force flag). Importing
    the result changes nothing."""
    rows = _export_rows(codes)
    if fmt == "json":
        return formats.dumps_catalog(procedure_v1(row, row.steps.all()) for row in rows)
    return formats.dumps_csv(line for row in rows for line in _csv_lines(row))


def _csv_lines(row: Procedure) -> Iterable[list[str]]:
    blank = dict.fromkeys(formats.CSV_NAMES, "")
    yield list(
        {
            **blank,
            "record": "procedure",
            "procedure": row.code,
            "name": row.name,
            "level": row.level,
            "field": row.field,
            "amount": formats.csv_number(row.time_limit_amount),
            "unit": row.time_limit_unit,
            "fee": formats.csv_number(row.fee),
            "fee_note": row.fee_note,
            "legal_basis": " | ".join(row.legal_basis),
            "related_units": " ".join(sorted(row.related_units)),
            "officials": " ".join(sorted(o.code for o in row.officials.all())),
            "active": "có" if row.is_active else "không",
        }.values()
    )
    for step in row.steps.all():
        yield list(
            {
                **blank,
                "record": "step",
                "procedure": row.code,
                "name": step.name,
                "amount": formats.csv_number(step.budget_amount),
                "unit": step.budget_unit,
                "step": step.code,
                "role": step.role,
            }.values()
        )
    for document in row.documents.all():
        yield list(
            {
                **blank,
                "record": "document",
                "procedure": row.code,
                "name": document.name,
                "originals": str(document.originals),
                "copies": str(document.copies),
                "note": document.note,
            }.values()
        )
