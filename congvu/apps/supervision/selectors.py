"""Reads for the supervision engine: its configuration (thresholds, the organisation tree as
the rules see it) and the findings the screens list."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from congvu.apps.organisations.models import Unit
from congvu.apps.supervision.models import Finding, ThresholdSetting
from congvu.domain.supervision import ThresholdConfig


def threshold_config() -> ThresholdConfig:
    """The province's thresholds (``ThresholdSetting`` rows) as the domain's configuration: the
    row without a procedure is the province default, the others override it per procedure.
    Rows are validated when saved (admin); an invalid one here raises
    :class:`~congvu.domain.supervision.InvalidThresholdError` rather than being skipped —
    a threshold silently ignored would change what counts as a violation."""
    rows = list(ThresholdSetting.objects.values_list("procedure", "values"))
    default = next((values for code, values in rows if not code), {})
    procedures = {code: values for code, values in rows if code}
    return ThresholdConfig.from_dict({"default": default, "procedures": procedures})


def unit_parents() -> Callable[[str], Iterable[str]]:
    """unit code → the codes of its ancestors in the organisation tree (one query), for the
    rules that allow a unit's own hierarchy (a consultation of one's parent department is
    not "unrelated")."""
    rows = list(Unit.objects.values_list("pk", "code", "path"))
    code_of = {pk: code for pk, code, _ in rows}
    parents: dict[str, tuple[str, ...]] = {}
    for pk, code, path in rows:
        ids = [int(part) for part in path.strip("/").split("/") if part]
        parents[code] = tuple(code_of[i] for i in ids if i != pk and i in code_of)
    return lambda code: parents.get(code, ())


def findings_of_item(item_pk: int) -> QuerySet[Finding]:
    """An item's findings, current first, then by moment."""
    return Finding.objects.filter(item_id=item_pk).order_by("lapsed_at", "at", "rule")


# --- The findings screens -------------------------------------------------------------------


def findings_filter(
    findings: QuerySet[Finding],
    *,
    start=None,
    end=None,
    rule: str = "",
    unit: str = "",
    official: str = "",
    review: str = "",
    severity: str = "",
    state: str = "",
    item_code: str = "",
) -> QuerySet[Finding]:
    """The findings list's filters. ``state``: ``""`` current only, ``"het"`` lapsed only,
    ``"tat-ca"`` both; ``review``: ``"none"`` for findings never justified."""
    if start is not None:
        findings = findings.filter(at__gte=start, at__lt=end)
    if rule:
        findings = findings.filter(rule=rule)
    if unit:
        findings = findings.filter(unit=unit)
    if official:
        findings = findings.filter(official=official)
    if review:
        findings = findings.filter(review="" if review == "none" else review)
    if severity:
        findings = findings.filter(severity=severity)
    if state == "het":
        findings = findings.filter(lapsed_at__isnull=False)
    elif state != "tat-ca":
        findings = findings.filter(lapsed_at__isnull=True)
    if item_code:
        findings = findings.filter(item__code__icontains=item_code)
    return findings.select_related("item")


def names_for(findings: Iterable[Finding]) -> tuple[dict[str, str], dict[str, str]]:
    """The names of the units and officials a page of findings mentions (two queries)."""
    from congvu.apps.organisations.models import Official

    rows = list(findings)
    units = {f.unit for f in rows} | {f.item.unit for f in rows}
    officials = {f.official for f in rows if f.official}
    return (
        dict(Unit.objects.filter(code__in=units).values_list("code", "name")),
        dict(Official.objects.filter(code__in=officials).values_list("code", "full_name")),
    )
