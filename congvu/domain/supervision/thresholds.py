"""Thresholds of the supervision rules: legal values by default, configurable per province and
per procedure (PRODUCT.md H: "Thresholds are configuration … with the legal value as default").

Two kinds of number live here:

* numbers the law fixes per rule set (8 working hours to accept an online dossier, 3 working
  days to ask for a supplement, 15:00 paper cut-off, 1 working day of apology notice, one
  apology, one supplement request). Their field is ``None`` by default, meaning "the value of
  the rule set in force" (:mod:`congvu.domain.ledger.rulesets`), so that a future decree
  with other numbers needs no change here. A sector law or a province may set them, e.g. a
  procedure whose sector law allows 5 working days for the supplement request;
* numbers the product chose where the law gives none: ``IDLE`` after 5 working days without
  an event, ``BOUNCED`` at 3 transfers, reminders 1 working day before the due moment.

A :class:`ThresholdConfig` is one province's configuration: a default and per-procedure
overrides, read from a plain dict (settings, JSON) with :meth:`ThresholdConfig.from_dict`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from congvu.domain.errors import DomainError
from congvu.domain.ledger.rulesets import RuleSet
from congvu.domain.procedures.duration import Duration, parse_duration
from congvu.domain.supervision.errors import InvalidThresholdError

__all__ = ["DEFAULT_CONFIG", "DEFAULT_THRESHOLDS", "ThresholdConfig", "Thresholds"]

#: Fields that override a rule set's number; ``None`` = the rule set's legal value.
_RULESET_FIELDS: tuple[str, ...] = (
    "online_acceptance_within",
    "supplement_request_within",
    "paper_transfer_cutoff",
    "apology_notice",
    "apology_max",
    "supplement_max",
)
_DURATIONS = frozenset(
    {
        "idle_after",
        "due_soon",
        "online_acceptance_within",
        "supplement_request_within",
        "apology_notice",
    }
)
_COUNTS = frozenset({"bounce_transfers", "apology_max", "supplement_max"})
_FLAGS = frozenset({"bounce_on_return"})
_TIMES = frozenset({"paper_transfer_cutoff"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The numbers the rules use for one procedure (or one kind of item).

    Product defaults: ``idle_after`` 5 working days (``IDLE``), ``bounce_transfers`` 3 and
    ``bounce_on_return`` (``BOUNCED``), ``due_soon`` 1 working day (reminders). The other
    fields default to ``None`` = the legal value of the rule set in force; see
    :meth:`ruleset`.
    """

    idle_after: Duration = Duration("working_days", 5)
    """An open item with no event for longer than this is ``IDLE`` (Decree 118/2025 art. 5(1),
    "cố tình kéo dài"; the number is the product's choice, PRODUCT.md H)."""
    bounce_transfers: int = 3
    """This many transfers make an item ``BOUNCED`` ("đùn đẩy, lòng vòng")."""
    bounce_on_return: bool = True
    """A transfer back to a unit that already held the item makes it ``BOUNCED``."""
    due_soon: Duration = Duration("working_days", 1)
    """Reminders: an open item this close to its due moment is "due soon" (not a finding)."""
    online_acceptance_within: Duration | None = None
    """Overrides the rule set's 8 working hours (art. 17(2)(c)) — sector law."""
    supplement_request_within: Duration | None = None
    """Overrides the rule set's 3 working days after receipt (art. 19(5)) — sector law."""
    paper_transfer_cutoff: time | None = None
    """Overrides the rule set's 15:00 cut-off for same-day paper transfer (art. 18(2))."""
    apology_notice: Duration | None = None
    """Overrides the rule set's 1 working day of apology notice (art. 19(6))."""
    apology_max: int | None = None
    """Overrides the rule set's one re-appointment per dossier (art. 19(6))."""
    supplement_max: int | None = None
    """Overrides the rule set's one supplement request per dossier (art. 11(2)(c))."""

    def ruleset(self, base: RuleSet) -> RuleSet:
        """``base`` with the overridden numbers (``base`` itself when nothing is overridden).

        The code stays the base's: the finding names the law version applied, and the
        configuration that adjusted it is the province's, kept beside the findings.
        """
        changes = tuple(
            (name, value) for name in _RULESET_FIELDS if (value := getattr(self, name)) is not None
        )
        if not changes:
            return base
        return _replaced(base, changes)

    def to_dict(self) -> dict[str, Any]:
        """The plain-dict form read by :meth:`from_dict` (durations as ``{"working_days": 5}``,
        times as ``"15:00"``, ``None`` kept)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Duration):
                value = value.to_json()
            elif isinstance(value, time):
                value = value.strftime("%H:%M")
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, obj: Any, *, base: Thresholds | None = None, path: str = "") -> Thresholds:
        """``base`` (default: the product defaults) with the keys of ``obj`` applied.

        Keys are the field names. Durations take the catalog's form (``{"working_days": 5}``,
        halves allowed); counts are integers ≥ 1; ``bounce_on_return`` is a boolean;
        ``paper_transfer_cutoff`` is ``"HH:MM"``. ``null`` restores the legal value of the
        fields that override a rule set. Raises :class:`InvalidThresholdError` naming the key
        (prefixed with ``path``) for an unknown key or a bad value.
        """
        start = DEFAULT_THRESHOLDS if base is None else base
        if not isinstance(obj, Mapping):
            raise InvalidThresholdError(
                key=path.rstrip(".") or "—",
                reason_vi="phải là một đối tượng JSON",
                reason_en="must be a JSON object",
            )
        changes: dict[str, Any] = {}
        known = [f.name for f in dataclasses.fields(cls)]
        for key, value in obj.items():
            if key not in known:
                raise InvalidThresholdError(
                    key=f"{path}{key}",
                    reason_vi=f"khóa không được hỗ trợ (dùng: {', '.join(known)})",
                    reason_en=f"unknown key (use: {', '.join(known)})",
                )
            changes[key] = _parse_value(key, value, f"{path}{key}")
        return dataclasses.replace(start, **changes)


@lru_cache(maxsize=256)
def _replaced(base: RuleSet, changes: tuple[tuple[str, Any], ...]) -> RuleSet:
    # cached: items of a province share a handful of (rule set, configuration) pairs
    return dataclasses.replace(base, **dict(changes))


def _parse_value(key: str, value: Any, path: str) -> Any:
    if value is None:
        if key in _RULESET_FIELDS:
            return None
        raise InvalidThresholdError(
            key=path, reason_vi="không được để trống", reason_en="must not be null"
        )
    if key in _DURATIONS:
        try:
            return parse_duration(value)
        except DomainError as e:
            raise InvalidThresholdError(
                key=path, reason_vi=e.message("vi"), reason_en=e.message("en")
            ) from None
    if key in _COUNTS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidThresholdError(
                key=path,
                reason_vi=f"{value!r} phải là số nguyên ≥ 1",
                reason_en=f"{value!r} must be an integer ≥ 1",
            )
        return value
    if key in _FLAGS:
        if not isinstance(value, bool):
            raise InvalidThresholdError(
                key=path,
                reason_vi=f"{value!r} phải là true hoặc false",
                reason_en=f"{value!r} must be true or false",
            )
        return value
    if key in _TIMES:
        parsed = _parse_time(value)
        if parsed is None:
            raise InvalidThresholdError(
                key=path,
                reason_vi=f"{value!r} phải là giờ dạng HH:MM (ví dụ 15:00)",
                reason_en=f"{value!r} must be a time as HH:MM (e.g. 15:00)",
            )
        return parsed
    raise AssertionError(f"unclassified threshold {key}")  # pragma: no cover


def _parse_time(value: Any) -> time | None:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


#: The product defaults with the legal numbers of the rule set in force.
DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class ThresholdConfig:
    """One province's thresholds: ``default`` and per-procedure overrides (code → thresholds).

    :meth:`from_dict` reads ``{"default": {...}, "procedures": {"1.004227": {...}}}``; a
    procedure's keys apply on top of the province default, key by key.
    """

    default: Thresholds = DEFAULT_THRESHOLDS
    procedures: Mapping[str, Thresholds] = field(default_factory=lambda: MappingProxyType({}))

    def thresholds_for(self, procedure_code: str | None) -> Thresholds:
        """The thresholds of ``procedure_code`` (``None`` for items without a procedure:
        feedback, tasks, recommendations): its override, else the province default."""
        if procedure_code is None:
            return self.default
        return self.procedures.get(procedure_code, self.default)

    @classmethod
    def from_dict(cls, obj: Any) -> ThresholdConfig:
        """Read a configuration from a plain dict (decoded JSON or a settings value).

        Only the keys ``default`` and ``procedures`` are allowed; both are optional. Raises
        :class:`InvalidThresholdError` naming the dotted key, in Vietnamese and English.
        """
        if not isinstance(obj, Mapping):
            raise InvalidThresholdError(
                key="—", reason_vi="phải là một đối tượng JSON", reason_en="must be a JSON object"
            )
        for key in obj:
            if key not in ("default", "procedures"):
                raise InvalidThresholdError(
                    key=str(key),
                    reason_vi="khóa không được hỗ trợ (dùng: default, procedures)",
                    reason_en="unknown key (use: default, procedures)",
                )
        default = Thresholds.from_dict(obj.get("default", {}), path="default.")
        raw = obj.get("procedures", {})
        if not isinstance(raw, Mapping):
            raise InvalidThresholdError(
                key="procedures",
                reason_vi="phải là đối tượng mã thủ tục → ngưỡng",
                reason_en="must be an object of procedure code → thresholds",
            )
        procedures = {
            str(code): Thresholds.from_dict(value, base=default, path=f"procedures.{code}.")
            for code, value in raw.items()
        }
        return cls(default, MappingProxyType(procedures))


#: The legal defaults for every procedure.
DEFAULT_CONFIG = ThresholdConfig()
