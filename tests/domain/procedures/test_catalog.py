"""The procedure catalog v1: parsing and rejections (plain pytest, no Django)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from congvu.domain.procedures import (
    CatalogError,
    Duration,
    InvalidDurationError,
    parse_catalog,
    parse_duration,
)

BIRTH: dict[str, Any] = {
    "code": "1.004227",
    "name": "Đăng ký khai sinh",
    "level": "commune",
    "field": "Hộ tịch",
    "time_limit": {"working_days": 3},
    "fee": 0,
    "steps": [
        {
            "code": "receive",
            "name": "Tiếp nhận",
            "role": "one_stop",
            "budget": {"working_hours": 4},
        },
        {
            "code": "review",
            "name": "Thẩm định",
            "role": "specialist",
            "budget": {"working_days": 2},
        },
        {"code": "approve", "name": "Phê duyệt", "role": "leader", "budget": {"working_hours": 4}},
    ],
    "related_units": ["CA-XA"],
    "legal_basis": ["Luật Hộ tịch 2014"],
}


def birth(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(BIRTH)
    for key, value in changes.items():
        if value is None:
            out.pop(key)
        else:
            out[key] = value
    return out


def test_interchange_example_parses_from_json_text() -> None:
    catalog = parse_catalog(json.dumps([BIRTH], ensure_ascii=False))
    proc = catalog["1.004227"]
    assert proc.time_limit == Duration("working_days", 3)
    assert [s.code for s in proc.steps] == ["receive", "review", "approve"]
    assert proc.steps[1].budget.working_hours() == 16
    assert proc.related_units == frozenset({"CA-XA"})
    assert proc.legal_basis == ("Luật Hộ tịch 2014",)
    assert proc.step("approve") is proc.steps[2]
    assert proc.time_limit.to_json() == {"working_days": 3}


def test_catalog_is_read_only() -> None:
    catalog = parse_catalog([BIRTH])
    with pytest.raises(TypeError):
        catalog["x"] = catalog["1.004227"]  # type: ignore[index]


def test_half_days_and_calendar_days_are_accepted() -> None:
    proc = parse_catalog(
        [birth(code="p2", time_limit={"calendar_days": 15}, steps=[]), birth(code="p3", steps=[])]
    )
    assert proc["p2"].time_limit.working_hours() is None
    assert parse_duration({"working_days": 0.5}) == Duration("working_days", 0.5)


STEP_OVER = [dict(BIRTH["steps"][0], budget={"working_days": 3.5})]
CAL_STEPS = [
    {"code": "a", "name": "A", "role": "r", "budget": {"calendar_days": 10}},
    {"code": "b", "name": "B", "role": "r", "budget": {"calendar_days": 6}},
]
MIXED_STEPS = [{"code": "a", "name": "A", "role": "r", "budget": {"working_days": 30}}]

REJECTIONS = [
    # (changes, key named in the error, English fragment)
    ({"time_limit": None}, "time_limit", "time limit is missing"),
    ({"time_limit": {"working_days": 0}}, "time_limit", "greater than 0"),
    ({"time_limit": {"working_days": -3}}, "time_limit", "greater than 0"),
    ({"time_limit": {"working_days": 3, "working_hours": 4}}, "time_limit", "exactly one unit"),
    ({"time_limit": {"weeks": 1}}, "time_limit", "unknown key"),
    ({"time_limit": {"working_days": True}}, "time_limit", "not a number"),
    ({"time_limit": {"working_days": 1.25}}, "time_limit", "half units"),
    ({"time_limit": 3}, "time_limit", "an object"),
    ({"steps": STEP_OVER}, "steps", "28 working hours, more than the time limit (24"),
    ({"time_limit": {"calendar_days": 15}, "steps": CAL_STEPS}, "steps", "16 calendar days"),
    ({"colour": "red"}, "colour", "unknown key"),
    ({"name": None}, "name", "required"),
    ({"fee": -1}, "fee", "≥ 0"),
    ({"related_units": "CA-XA"}, "related_units", "list of strings"),
    ({"steps": [{"code": "a", "name": "A", "role": "r"}]}, "steps[1].budget", "time limit"),
    ({"steps": [dict(BIRTH["steps"][0], due=1)]}, "steps[1].due", "unknown key"),
]


@pytest.mark.parametrize(("changes", "key", "fragment"), REJECTIONS)
def test_bad_procedure_is_rejected_naming_code_and_key(
    changes: dict[str, Any], key: str, fragment: str
) -> None:
    with pytest.raises(CatalogError) as info:
        parse_catalog([birth(**changes)])
    [error] = info.value.errors
    assert error.params["procedure"] == "1.004227"
    assert error.params["key"] == key
    assert fragment in error.message("en")
    assert f"Thủ tục 1.004227, khóa «{key}»" in error.message("vi")
    assert f"Procedure 1.004227, key “{key}”" in info.value.message("en")


def test_working_budgets_are_not_compared_with_a_calendar_day_limit() -> None:
    catalog = parse_catalog([birth(time_limit={"calendar_days": 5}, steps=MIXED_STEPS)])
    assert catalog["1.004227"].steps[0].budget.unit == "working_days"


def test_every_problem_of_the_file_is_reported_at_once() -> None:
    bad = [birth(code="a", time_limit=None), {"name": "no code"}, birth(code="a"), birth(code="a")]
    with pytest.raises(CatalogError) as info:
        parse_catalog(bad)
    described = [(e.params["procedure"], e.params["key"]) for e in info.value.errors]
    assert described == [
        ("a", "time_limit"),
        ("#2", "code"),
        ("#2", "time_limit"),
        ("a", "code"),  # the third entry duplicates the second valid "a"
    ]
    assert info.value.as_dict("en")["params"]["count"] == 4


@pytest.mark.parametrize("text", ["{", '{"code": 1}', "[1]"])
def test_malformed_documents_are_rejected(text: str) -> None:
    with pytest.raises(CatalogError):
        parse_catalog(text)


def test_duration_error_is_bilingual() -> None:
    with pytest.raises(InvalidDurationError) as info:
        parse_duration({})
    assert "exactly one unit" in info.value.message("en")
    assert "đúng một đơn vị" in str(info.value)
