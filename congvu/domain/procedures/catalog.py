"""The procedure catalog v1 (interchange.md): legal time limits and process-step budgets.

:func:`parse_catalog` reads the JSON document (text, bytes or the already-decoded list) and
returns a read-only mapping code → :class:`Procedure`. Every problem is collected and the whole
catalog is rejected with :class:`CatalogError` — in particular a procedure without a positive
time limit, or whose step budgets exceed it, since either would give dossiers that can never be
late (or steps that are late by construction).

Budgets are compared with the time limit only in like units: working days and working hours
together (a working day = 8 working hours for this static check), calendar days with calendar
days. A working-time budget under a calendar-day limit (or the reverse) cannot be compared
without knowing the receipt moment and the calendar, so it is not checked here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from congvu.domain.errors import DomainError
from congvu.domain.procedures.duration import Duration, parse_duration
from congvu.domain.procedures.errors import (
    CatalogError,
    InvalidDurationError,
    InvalidProcedureError,
)

__all__ = ["Catalog", "Procedure", "Step", "parse_catalog", "parse_procedure"]

_PROCEDURE_KEYS = frozenset(
    {
        "code",
        "name",
        "level",
        "field",
        "time_limit",
        "fee",
        "steps",
        "related_units",
        "legal_basis",
    }
)
_STEP_KEYS = frozenset({"code", "name", "role", "budget"})


@dataclass(frozen=True, slots=True)
class Step:
    """One internal process step: who does it (``role``) and its time ``budget``."""

    code: str
    name: str
    role: str
    budget: Duration


@dataclass(frozen=True, slots=True)
class Procedure:
    """One administrative procedure (TTHC) with its legal time limit and steps in order."""

    code: str
    name: str
    time_limit: Duration
    level: str = ""
    field: str = ""
    fee: float = 0
    steps: tuple[Step, ...] = ()
    related_units: frozenset[str] = frozenset()
    legal_basis: tuple[str, ...] = ()

    def step(self, code: str) -> Step | None:
        """The step with this code, or ``None``."""
        return next((s for s in self.steps if s.code == code), None)


#: What :func:`parse_catalog` returns: code → procedure, read-only.
Catalog = Mapping[str, Procedure]


class _Problems:
    """Collects the problems of one procedure, each naming the procedure and the key."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.errors: list[DomainError] = []

    def add(self, key: str, reason_vi: str, reason_en: str) -> None:
        self.errors.append(
            InvalidProcedureError(
                procedure=self.label, key=key, reason_vi=reason_vi, reason_en=reason_en
            )
        )

    def text(self, obj: Mapping[str, Any], key: str, *, required: bool, path: str = "") -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(path + key, "thiếu giá trị bắt buộc", "a value is required")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(path + key, "phải là chuỗi không rỗng", "must be a non-empty string")
            return ""
        return value

    def strings(self, obj: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.add(key, "phải là danh sách chuỗi", "must be a list of strings")
            return ()
        return tuple(value)

    def duration(self, obj: Mapping[str, Any], key: str, path: str = "") -> Duration | None:
        if key not in obj:
            self.add(
                path + key,
                "thiếu thời hạn (mỗi thủ tục phải có thời hạn giải quyết)",
                "the time limit is missing (every procedure needs one)",
            )
            return None
        try:
            return parse_duration(obj[key])
        except InvalidDurationError as e:
            self.add(path + key, e.message("vi"), e.message("en"))
            return None

    def unknown(self, obj: Mapping[str, Any], allowed: frozenset[str], path: str = "") -> None:
        for key in sorted(set(obj) - allowed):
            self.add(
                path + key,
                f"khóa không được hỗ trợ (dùng: {', '.join(sorted(allowed))})",
                f"unknown key (allowed: {', '.join(sorted(allowed))})",
            )


def _parse_steps(p: _Problems, raw: Any) -> tuple[Step, ...]:
    if not isinstance(raw, list):
        p.add("steps", "phải là danh sách các bước", "must be a list of steps")
        return ()
    steps: list[Step] = []
    seen: set[str] = set()
    for i, s in enumerate(raw, start=1):
        path = f"steps[{i}]."
        if not isinstance(s, Mapping):
            p.add(f"steps[{i}]", "mỗi bước phải là một đối tượng", "each step must be an object")
            continue
        p.unknown(s, _STEP_KEYS, path)
        code = p.text(s, "code", required=True, path=path)
        if code and code in seen:
            p.add(path + "code", f"mã bước {code} bị trùng", f"duplicate step code {code}")
        seen.add(code)
        name = p.text(s, "name", required=True, path=path)
        role = p.text(s, "role", required=True, path=path)
        budget = p.duration(s, "budget", path)
        if code and budget is not None:
            steps.append(Step(code, name, role, budget))
    return tuple(steps)


def _check_budgets(p: _Problems, limit: Duration, steps: Sequence[Step]) -> None:
    """Step budgets add up to at most the limit, compared in like units only (module doc)."""
    if limit.is_working:
        total = sum(h for s in steps if (h := s.budget.working_hours()) is not None)
        allowed = limit.working_hours() or 0.0
        unit_vi, unit_en = "giờ làm việc", "working hours"
    else:
        total = sum(s.budget.amount for s in steps if not s.budget.is_working)
        allowed = limit.amount
        unit_vi, unit_en = "ngày", "calendar days"
    if total > allowed:
        p.add(
            "steps",
            f"tổng thời gian các bước ({total:g} {unit_vi}) vượt thời hạn giải quyết "
            f"({allowed:g} {unit_vi})",
            f"the step budgets add up to {total:g} {unit_en}, more than the time limit "
            f"({allowed:g} {unit_en})",
        )


def parse_procedure(obj: Any, *, position: int = 1) -> tuple[Procedure | None, list[DomainError]]:
    """One procedure from its interchange object: ``(procedure or None, problems)``.

    ``position`` (1-based) labels the errors when the code is missing. Required keys: ``code``,
    ``name``, ``time_limit``; the others default to empty (``fee`` to 0). Never raises for bad
    input: every problem is returned as an :class:`InvalidProcedureError`.
    """
    if not isinstance(obj, Mapping):
        p = _Problems(f"#{position}")
        p.add("", "mỗi thủ tục phải là một đối tượng JSON", "each procedure must be a JSON object")
        return None, p.errors
    raw_code = obj.get("code")
    label = raw_code if isinstance(raw_code, str) and raw_code else f"#{position}"
    p = _Problems(label)
    p.unknown(obj, _PROCEDURE_KEYS)
    code = p.text(obj, "code", required=True)
    name = p.text(obj, "name", required=True)
    level = p.text(obj, "level", required=False)
    field = p.text(obj, "field", required=False)
    limit = p.duration(obj, "time_limit")
    fee = obj.get("fee", 0)
    if isinstance(fee, bool) or not isinstance(fee, int | float) or fee < 0:
        p.add("fee", "lệ phí phải là số không âm", "the fee must be a number ≥ 0")
        fee = 0
    steps = _parse_steps(p, obj.get("steps", []))
    related = frozenset(p.strings(obj, "related_units"))
    basis = p.strings(obj, "legal_basis")
    if limit is not None:
        _check_budgets(p, limit, steps)
    if p.errors or limit is None:
        return None, p.errors
    return Procedure(code, name, limit, level, field, fee, steps, related, basis), []


def parse_catalog(text_or_obj: str | bytes | Sequence[Any]) -> Catalog:
    """The catalog from its JSON text (str or UTF-8 bytes) or decoded list of procedures.

    Returns a read-only mapping code → :class:`Procedure`, in file order. Raises
    :class:`CatalogError` listing every problem (each an :class:`InvalidProcedureError` naming
    the procedure and the key): bad JSON, not a list, unknown keys, duplicate codes, a missing,
    non-positive or multi-unit time limit or budget, step budgets over the limit.
    """
    data: Any = text_or_obj
    if isinstance(text_or_obj, str | bytes):
        try:
            data = json.loads(text_or_obj)
        except (ValueError, UnicodeDecodeError) as e:
            p = _Problems("—")
            p.add("", f"JSON không hợp lệ: {e}", f"invalid JSON: {e}")
            raise CatalogError(p.errors) from None
    if not isinstance(data, list):
        p = _Problems("—")
        p.add("", "danh mục phải là một danh sách thủ tục", "the catalog must be a list")
        raise CatalogError(p.errors)
    errors: list[DomainError] = []
    out: dict[str, Procedure] = {}
    for i, obj in enumerate(data, start=1):
        proc, problems = parse_procedure(obj, position=i)
        errors.extend(problems)
        if proc is None:
            continue
        if proc.code in out:
            p = _Problems(proc.code)
            p.add("code", "mã thủ tục bị trùng trong danh mục", "duplicate procedure code")
            errors.extend(p.errors)
            continue
        out[proc.code] = proc
    if errors:
        raise CatalogError(errors)
    return MappingProxyType(out)
