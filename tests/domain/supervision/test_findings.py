"""A finding's plain form (the JSON the CLI and the API give)."""

from __future__ import annotations

from datetime import UTC

from congvu.domain.supervision import Finding, Severity

from .builders import at


def test_to_dict_has_the_interchange_keys_with_a_vietnam_offset() -> None:
    f = Finding(
        rule="OVERDUE",
        source="dvcqg",
        item="H20.12-250303-0001",
        kind="dossier",
        unit="XA-01",
        official=None,
        at=at("2025-03-06T08:00").astimezone(UTC),
        events=(1, 2),
        severity=Severity.HIGH,
        ruleset="ND61/2018+107/2021",
        key="OVERDUE",
    )
    assert f.to_dict() == {
        "item": "H20.12-250303-0001",
        "rule": "OVERDUE",
        "unit": "XA-01",
        "official": None,
        "at": "2025-03-06T08:00:00+07:00",
        "events": [1, 2],
        "source": "dvcqg",
        "kind": "dossier",
        "severity": "high",
        "ruleset": "ND61/2018+107/2021",
        "key": "OVERDUE",
    }


def test_severity_labels() -> None:
    assert [s.label() for s in Severity] == ["thấp", "trung bình", "cao"]
    assert [s.label("en") for s in Severity] == ["low", "medium", "high"]
