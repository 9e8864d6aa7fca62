"""The rule catalogue: every supervision rule behind one interface.

A :class:`Rule` names its code, titles, description, severity, the kinds of item it applies
to, its legal basis and a ``check(ctx)`` function that yields :class:`Finding` values for one
item. Later registers (feedback, tasks, inspection recommendations, reports, rotation …) add
their rules by building a new catalogue with :meth:`RuleCatalogue.extend` — no registry to
mutate, so two configurations can never interfere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from congvu.domain.supervision.errors import DuplicateRuleError
from congvu.domain.supervision.findings import Finding, Severity

if TYPE_CHECKING:
    from congvu.domain.supervision.context import CheckContext

__all__ = ["Rule", "RuleCatalogue"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One violation rule.

    ``kinds``: the kinds of item it applies to (``dossier``, ``feedback``, ``task``,
    ``recommendation``). ``clock_driven``: whether it can fire by the passing of time alone
    (then it only fires once ``now`` is past the moment, never at it). ``check`` yields the
    item's findings for this rule, each built with :meth:`CheckContext.finding`.
    """

    code: str
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    severity: Severity
    kinds: frozenset[str]
    legal_basis: tuple[str, ...]
    check: Callable[[CheckContext], Iterable[Finding]]
    clock_driven: bool = False

    def title(self, lang: str = "vi") -> str:
        """The short title in ``lang`` (``"vi"`` default, ``"en"``)."""
        return self.title_en if lang == "en" else self.title_vi

    def description(self, lang: str = "vi") -> str:
        """The one-sentence definition in ``lang``."""
        return self.description_en if lang == "en" else self.description_vi


class RuleCatalogue(Mapping[str, Rule]):
    """An immutable, ordered mapping code → :class:`Rule`.

    Raises :class:`DuplicateRuleError` when two rules share a code.
    """

    __slots__ = ("_by_kind", "_rules")

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        out: dict[str, Rule] = {}
        for rule in rules:
            if rule.code in out:
                raise DuplicateRuleError(rule=rule.code)
            out[rule.code] = rule
        self._rules = out
        self._by_kind: dict[str, tuple[Rule, ...]] = {}

    def __getitem__(self, code: str) -> Rule:
        return self._rules[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __repr__(self) -> str:
        return f"RuleCatalogue({', '.join(self._rules)})"

    def for_kind(self, kind: str) -> tuple[Rule, ...]:
        """The rules that apply to items of ``kind``, in catalogue order (memoised)."""
        found = self._by_kind.get(kind)
        if found is None:
            found = tuple(r for r in self._rules.values() if kind in r.kinds)
            self._by_kind[kind] = found
        return found

    def extend(self, *rules: Rule) -> RuleCatalogue:
        """A new catalogue with ``rules`` appended (this one is unchanged)."""
        return RuleCatalogue((*self._rules.values(), *rules))

    def only(self, *codes: str) -> RuleCatalogue:
        """A new catalogue with only the rules named (``KeyError`` for an unknown code)."""
        return RuleCatalogue(self._rules[c] for c in codes)
