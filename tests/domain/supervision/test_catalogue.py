"""The rule catalogue: every ledger rule of PRODUCT.md H, behind one interface."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from congvu.domain.supervision import (
    RULES,
    CheckContext,
    DuplicateRuleError,
    Finding,
    Rule,
    RuleCatalogue,
    Severity,
)

from .builders import check, dossier

LEDGER_CODES = [
    "OVERDUE",
    "LATE_RESULT",
    "STEP_LATE",
    "LATE_ACCEPTANCE",
    "LATE_TRANSFER",
    "NO_APPOINTMENT_SLIP",
    "REPEATED_SUPPLEMENT",
    "LATE_SUPPLEMENT_REQUEST",
    "LATE_NO_APOLOGY",
    "REPEATED_APOLOGY",
    "BOUNCED",
    "IDLE",
    "UNRELATED_CONSULTATION",
]


def test_every_ledger_rule_is_in_the_catalogue_in_the_product_order() -> None:
    assert list(RULES) == LEDGER_CODES


@pytest.mark.parametrize("code", LEDGER_CODES)
def test_each_rule_is_described_in_both_languages(code: str) -> None:
    rule = RULES[code]
    assert rule.title("vi") and rule.title("en") and rule.title() == rule.title_vi
    assert rule.description("vi") != rule.description("en")
    assert rule.legal_basis and rule.kinds and isinstance(rule.severity, Severity)


def _always(ctx: CheckContext) -> Iterator[Finding]:
    yield ctx.finding(EXTRA, at=ctx.state.received_at, unit="X", official=None, events=[1])


EXTRA = Rule(
    code="LATE_ANSWER",
    title_vi="Trả lời phản ánh trễ hạn",
    title_en="Late answer",
    description_vi="…",
    description_en="…",
    severity=Severity.MEDIUM,
    kinds=frozenset({"dossier"}),
    legal_basis=("Nghị định 20/2008/NĐ-CP, Điều 9",),
    check=_always,
)


def test_later_registers_extend_a_new_catalogue() -> None:
    extended = RULES.extend(EXTRA)
    assert list(extended)[-1] == "LATE_ANSWER" and "LATE_ANSWER" not in RULES
    found = check(dossier("2025-03-03T08:00"), "2025-03-03T09:00", rules=extended)
    assert [f.key for f in found] == ["LATE_ANSWER"]
    assert [
        f.rule
        for f in check(
            dossier("2025-03-03T08:00"), "2025-03-03T09:00", rules=extended.only("OVERDUE")
        )
    ] == []
    with pytest.raises(DuplicateRuleError) as raised:
        extended.extend(EXTRA)
    assert "LATE_ANSWER" in raised.value.message("en")


def test_rules_run_only_for_their_kinds() -> None:
    assert [r.code for r in RULES.for_kind("task")] == [
        "OVERDUE",
        "LATE_RESULT",
        "STEP_LATE",
        "BOUNCED",
    ]
    assert RuleCatalogue().for_kind("dossier") == ()
