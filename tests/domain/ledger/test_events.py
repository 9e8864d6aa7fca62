"""Event validation, JSON Lines streaming and serialisation (interchange.md v1)."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest

from congvu.domain.ledger import Event, InvalidEventError, LineError, parse_event, read_jsonl

GOOD: dict[str, Any] = {
    "source": "dvc-h20",
    "item": "H20.12-250124-0001",
    "kind": "dossier",
    "seq": 1,
    "at": "2025-01-24T16:55:00+07:00",
    "type": "received",
    "unit": "XA-01",
    "actor": "mc-1",
    "data": {"procedure": "1.004227", "channel": "direct", "x_vendor": {"ticket": 7}},
}


def variant(**changes: Any) -> dict[str, Any]:
    """GOOD with top-level changes; a value of ``...`` removes the key."""
    out = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is ...:
            out.pop(key)
        else:
            out[key] = value
    return out


def test_valid_event_keeps_unknown_data_verbatim() -> None:
    e = parse_event(GOOD)
    assert (e.source, e.item, e.kind, e.seq, e.type, e.unit, e.actor) == (
        "dvc-h20",
        "H20.12-250124-0001",
        "dossier",
        1,
        "received",
        "XA-01",
        "mc-1",
    )
    assert e.at.utcoffset() is not None
    assert e.data["x_vendor"]["ticket"] == 7
    with pytest.raises(TypeError):
        e.data["channel"] = "online"  # type: ignore[index]


def test_source_defaults_to_local_and_data_to_empty() -> None:
    e = parse_event(variant(source=..., type="returned", data=...))
    assert e.source == "local"
    assert dict(e.data) == {}


def data(**changes: Any) -> dict[str, Any]:
    return changes


CASES: list[tuple[dict[str, Any], str, str]] = [
    # (event, key named, English fragment)
    (variant(colour="red"), "colour", "unknown key"),
    (variant(seq=...), "seq", "required key is missing"),
    (variant(unit=...), "unit", "required key is missing"),
    (variant(kind="petition"), "kind", "is not valid"),
    (variant(seq=0), "seq", "integer ≥ 1"),
    (variant(seq=True), "seq", "integer ≥ 1"),
    (variant(seq="3"), "seq", "integer ≥ 1"),
    (variant(seq=1.0), "seq", "integer ≥ 1"),
    (variant(at="2025-01-24T16:55:00"), "at", "with a UTC offset"),
    (variant(at="2025-01-24"), "at", "with a UTC offset"),
    (variant(at="24/01/2025 16:55"), "at", "with a UTC offset"),
    (variant(type="approved"), "type", "event type 'approved' is not valid"),
    (variant(type="created"), "type", "does not apply to kind dossier"),
    (variant(kind="task", type="apology_issued"), "type", "does not apply to kind task"),
    (variant(actor=""), "actor", "non-empty string"),
    (variant(data=[1]), "data", "JSON object"),
    (variant(data=data(channel="direct")), "data.procedure", "required when a dossier"),
    (variant(kind="feedback", data=data(channel="hotline")), "data.category", "feedback"),
    (variant(data=data(procedure="1", channel="fax")), "data.channel", "not a valid channel"),
    (variant(data=data(procedure="1")), "data.channel", "required key is missing"),
    (variant(data=data(procedure="1", channel="online", due="mai")), "data.due", "UTC offset"),
    (variant(type="transferred", data=data(reason="x")), "data.to_unit", "missing"),
    (variant(type="transferred", data=data(to_unit="B", reason="")), "data.reason", "non-empty"),
    (variant(type="rated", data=data(score=6)), "data.score", "from 1 to 5"),
    (variant(type="rated", data=data(score=True)), "data.score", "from 1 to 5"),
    (variant(type="rated", data=data(score=4.5)), "data.score", "an integer"),
    (
        variant(type="apology_issued", data=data(new_due="2025-02-10T17:00", reason="x")),
        "data.new_due",
        "UTC offset",
    ),
    (variant(type="apology_issued", data=data(new_due=GOOD["at"])), "data.reason", "missing"),
    (
        variant(kind="task", type="progress_reported", data=data(percent=101, text="x")),
        "data.percent",
        "from 0 to 100",
    ),
    (
        variant(kind="task", type="created", data=data(title="Báo cáo")),
        "data.due",
        "due moment or a recurrence",
    ),
    (
        variant(type="supplement_requested", data=data(documents=[], reason="x")),
        "data.documents",
        "at least one document",
    ),
    (variant(type="step_completed", data=data(step=3)), "data.step", "non-empty string"),
]


@pytest.mark.parametrize(("obj", "key", "fragment"), CASES)
def test_invalid_event_names_line_item_and_key(
    obj: dict[str, Any], key: str, fragment: str
) -> None:
    with pytest.raises(InvalidEventError) as info:
        parse_event(obj, line=7)
    error = info.value
    assert error.params["key"] == key
    assert error.params["line"] == 7
    assert error.params["item"] == "H20.12-250124-0001"
    assert str(error).startswith(f"Dòng 7, mục H20.12-250124-0001, khóa «{key}»: ")
    assert error.message("en").startswith(f"Line 7, item H20.12-250124-0001, key “{key}”: ")
    assert fragment in error.message("en")


def test_missing_item_is_named_as_unknown() -> None:
    with pytest.raises(InvalidEventError) as info:
        parse_event(variant(item=...))
    assert info.value.message("en") == "Item ?, key “item”: required key is missing."
    assert str(info.value) == "Mục ?, khóa «item»: thiếu khóa bắt buộc."


@pytest.mark.parametrize(
    "text",
    [
        '{"item": "A", "item": "B"}',  # a silently dropped duplicate could hide a forged value
        '{"seq": NaN}',
        "[1, 2]",
        "not json",
        b"\xff\xfe",
    ],
)
def test_unreadable_lines_are_rejected(text: str | bytes) -> None:
    with pytest.raises(InvalidEventError) as info:
        parse_event(text, line=3)
    assert info.value.message("en").startswith("Line 3, item ?: ")


def test_read_jsonl_streams_and_reports_bad_lines_by_number() -> None:
    lines = [
        json.dumps(GOOD),
        "",
        "{not json",
        json.dumps(variant(seq=2, type="assigned", data={"official": "cv-1"})),
        json.dumps(variant(seq=3, at="2025-01-27T08:00:00")),
    ]
    stream = io.StringIO("\n".join(lines) + "\n")
    out = list(read_jsonl(stream))
    assert [type(x).__name__ for x in out] == ["Event", "LineError", "Event", "LineError"]
    bad_json, bad_at = out[1], out[3]
    assert isinstance(bad_json, LineError) and bad_json.line == 3
    assert "not valid JSON" in bad_json.message("en")
    assert isinstance(bad_at, LineError) and bad_at.line == 5
    assert bad_at.as_dict("en")["params"]["key"] == "at"


def test_read_jsonl_is_lazy() -> None:
    def endless() -> Any:
        n = 0
        while True:
            n += 1
            yield json.dumps(variant(seq=n, type="assigned", data={"official": "cv"}))

    first = next(iter(read_jsonl(endless())))
    assert isinstance(first, Event) and first.seq == 1


def test_to_json_reexports_the_original_line_byte_for_byte() -> None:
    canonical = json.dumps(
        variant(at="2025-01-24T09:55:00.250Z"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    e = parse_event(canonical.encode("utf-8"))
    assert e.to_json() == canonical
    assert parse_event(e.to_json()) == e


def test_utf8_bom_and_vietnamese_text_survive() -> None:
    obj = variant(type="refused", data={"reason": "Hồ sơ không thuộc thẩm quyền"})
    e = parse_event("\ufeff" + json.dumps(obj, ensure_ascii=False))
    assert "thẩm quyền" in e.to_json()
