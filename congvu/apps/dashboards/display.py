"""How figures read: numbers in the active language's format (Vietnamese: decimal comma),
rates as "87,5 % (83,1–90,9)", and each figure's definition for the active language."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import get_language

from congvu.domain.scoring import FIGURES, Rate, ScoringPolicy

DASH = "—"


def lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def number(value: float | int | None, places: int = 1) -> str:
    """``2,5`` in Vietnamese, ``2.5`` in English; ``—`` for no value."""
    if value is None:
        return DASH
    return number_format(round(value, places), decimal_pos=places, use_l10n=True)


def percent(value: float | None, places: int = 1) -> str:
    """A fraction as a percentage: ``0.875`` → ``87,5 %``."""
    if value is None:
        return DASH
    return f"{number(value * 100, places)} %"


def rate_text(r: Rate | None) -> str:
    """``87,5 % (83,1–90,9)``: the rate and its 95 % Wilson interval."""
    if r is None:
        return DASH
    return f"{percent(r.value)} ({number(r.low * 100)}–{number(r.high * 100)})"


def definitions(policy: ScoringPolicy) -> dict[str, dict[str, str]]:
    """figure code → {"title", "definition"} in the active language."""
    current = lang()
    return {
        code: {"title": f.title(current), "definition": f.definition(current, policy)}
        for code, f in FIGURES.items()
    }
