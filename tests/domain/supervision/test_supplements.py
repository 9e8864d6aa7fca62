"""REPEATED_SUPPLEMENT and LATE_SUPPLEMENT_REQUEST (Decree 118/2025 art. 11(2)(c), 19(5))."""

from __future__ import annotations

import pytest

from congvu.domain.procedures import Duration
from congvu.domain.supervision import Severity, Thresholds

from .builders import at, check, dossier, of


@pytest.mark.parametrize(("requests", "expected_keys"), [(1, []), (2, [3]), (3, [3, 4])])
def test_repeated_supplement_names_each_extra_request(
    requests: int, expected_keys: list[int]
) -> None:
    h = dossier("2025-03-03T08:00")
    for k in range(requests):
        h.supplement(f"2025-03-03T{9 + k:02}:00", actor=f"cv-{k + 1}")
    found = of(check(h, "2025-03-04T08:00"), "REPEATED_SUPPLEMENT")
    assert [f.key for f in found] == [f"REPEATED_SUPPLEMENT:{k}" for k in expected_keys]
    for f, seq in zip(found, expected_keys, strict=True):
        assert (f.events, f.official, f.severity) == ((2, seq), f"cv-{seq - 1}", Severity.HIGH)


def test_a_province_may_allow_a_second_supplement_request() -> None:
    h = dossier("2025-03-03T08:00").supplement("2025-03-03T09:00").supplement("2025-03-03T10:00")
    assert (
        of(
            check(h, "2025-03-04T08:00", thresholds=Thresholds(supplement_max=2)),
            "REPEATED_SUPPLEMENT",
        )
        == []
    )


# Received Mon 03/03/2025 08:00 → requests until Thu 06/03 08:00; received Thu 23/01/2025 08:00
# → Tết → until Tue 04/02 08:00; received Mon 07/07/2025 (ND118) → until Thu 10/07 08:00.
@pytest.mark.parametrize(
    ("received", "requested", "late", "ruleset"),
    [
        ("2025-03-03T08:00", "2025-03-06T08:00", False, "ND61/2018+107/2021"),
        ("2025-03-03T08:00", "2025-03-06T08:01", True, "ND61/2018+107/2021"),
        ("2025-01-23T08:00", "2025-02-03T16:00", False, "ND61/2018+107/2021"),
        ("2025-01-23T08:00", "2025-02-04T09:00", True, "ND61/2018+107/2021"),
        ("2025-07-07T08:00", "2025-07-10T08:00", False, "ND118/2025"),
        ("2025-07-07T08:00", "2025-07-10T09:00", True, "ND118/2025"),
    ],
)
def test_late_supplement_request(received: str, requested: str, late: bool, ruleset: str) -> None:
    h = dossier(received).supplement(requested, actor="cv-7")
    found = of(check(h, requested), "LATE_SUPPLEMENT_REQUEST")
    assert bool(found) is late
    if late:
        (f,) = found
        assert (f.at, f.events, f.unit, f.official, f.ruleset) == (
            at(requested),
            (1, 2),
            "XA-01",
            "cv-7",
            ruleset,
        )


def test_a_sector_law_may_allow_more_days_for_the_supplement_request() -> None:
    h = dossier("2025-03-03T08:00").supplement("2025-03-07T09:00")
    five_days = Thresholds(supplement_request_within=Duration("working_days", 5))
    assert of(check(h, "2025-03-07T10:00"), "LATE_SUPPLEMENT_REQUEST") != []
    assert of(check(h, "2025-03-07T10:00", thresholds=five_days), "LATE_SUPPLEMENT_REQUEST") == []
