"""Thresholds: legal defaults, overrides per province and per procedure, and their errors."""

from __future__ import annotations

from datetime import time

import pytest

from congvu.domain.ledger import ND61_2018, ND118_2025
from congvu.domain.procedures import Duration
from congvu.domain.supervision import (
    DEFAULT_CONFIG,
    DEFAULT_THRESHOLDS,
    InvalidThresholdError,
    ThresholdConfig,
    Thresholds,
)


def test_the_defaults_are_the_legal_and_product_values() -> None:
    t = DEFAULT_THRESHOLDS
    assert (t.idle_after, t.bounce_transfers, t.bounce_on_return, t.due_soon) == (
        Duration("working_days", 5),
        3,
        True,
        Duration("working_days", 1),
    )
    # nothing overridden: the rule set in force is used as it is
    assert t.ruleset(ND118_2025) is ND118_2025
    assert DEFAULT_CONFIG.thresholds_for("1.004227") is DEFAULT_THRESHOLDS


def test_overrides_adjust_the_rule_set_but_keep_its_code() -> None:
    t = Thresholds(
        supplement_request_within=Duration("working_days", 5),
        paper_transfer_cutoff=time(16, 0),
        apology_max=2,
    )
    rs = t.ruleset(ND61_2018)
    assert rs.code == ND61_2018.code
    assert (rs.supplement_request_within, rs.paper_transfer_cutoff, rs.apology_max) == (
        Duration("working_days", 5),
        time(16, 0),
        2,
    )
    assert t.ruleset(ND61_2018) is rs  # cached per rule set and configuration


def test_a_province_config_with_procedure_overrides_read_from_a_dict() -> None:
    config = ThresholdConfig.from_dict(
        {
            "default": {"idle_after": {"working_days": 3}, "bounce_transfers": 4},
            "procedures": {
                "1.009994": {"bounce_transfers": 6, "paper_transfer_cutoff": "16:00"},
                "2.000488": {"supplement_request_within": {"working_days": 5}},
            },
        }
    )
    assert config.thresholds_for(None).idle_after == Duration("working_days", 3)
    building = config.thresholds_for("1.009994")
    # the procedure's keys apply on top of the province default
    assert (building.bounce_transfers, building.idle_after, building.paper_transfer_cutoff) == (
        6,
        Duration("working_days", 3),
        time(16, 0),
    )
    assert config.thresholds_for("unknown").bounce_transfers == 4


def test_to_dict_round_trips() -> None:
    t = Thresholds(apology_notice=Duration("working_hours", 4), paper_transfer_cutoff=time(15, 30))
    assert Thresholds.from_dict(t.to_dict()) == t
    assert Thresholds.from_dict({"apology_notice": None}, base=t).apology_notice is None


@pytest.mark.parametrize(
    ("obj", "key", "vi", "en"),
    [
        (
            {"default": {"idel_after": 5}},
            "default.idel_after",
            "khóa không được hỗ trợ",
            "unknown key",
        ),
        (
            {"default": {"idle_after": {"working_days": 0}}},
            "default.idle_after",
            "phải lớn hơn 0",
            "must be greater than 0",
        ),
        ({"default": {"idle_after": 5}}, "default.idle_after", "cần một đối tượng", "an object"),
        (
            {"default": {"bounce_transfers": True}},
            "default.bounce_transfers",
            "số nguyên ≥ 1",
            "integer ≥ 1",
        ),
        (
            {"default": {"bounce_transfers": 0}},
            "default.bounce_transfers",
            "số nguyên ≥ 1",
            "integer ≥ 1",
        ),
        (
            {"default": {"bounce_on_return": "yes"}},
            "default.bounce_on_return",
            "true hoặc false",
            "true or false",
        ),
        (
            {"procedures": {"1.004227": {"paper_transfer_cutoff": "3pm"}}},
            "procedures.1.004227.paper_transfer_cutoff",
            "HH:MM",
            "HH:MM",
        ),
        (
            {"default": {"idle_after": None}},
            "default.idle_after",
            "không được để trống",
            "must not be null",
        ),
        ({"province": {}}, "province", "khóa không được hỗ trợ", "unknown key"),
        ({"procedures": []}, "procedures", "mã thủ tục", "procedure code"),
        ([], "—", "đối tượng JSON", "JSON object"),
    ],
)
def test_bad_settings_are_refused_naming_the_key(obj: object, key: str, vi: str, en: str) -> None:
    with pytest.raises(InvalidThresholdError) as raised:
        ThresholdConfig.from_dict(obj)
    e = raised.value
    assert e.code == "supervision_invalid_threshold"
    assert f"«{key}»" in e.message("vi") and vi in e.message("vi")
    assert f"“{key}”" in e.message("en") and en in e.message("en")
