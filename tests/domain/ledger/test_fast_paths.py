"""The fast paths of parsing and of the fold's clock give exactly what the plain ones give."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from congvu.domain.calendar import VN_TZ, national_calendar, working_position
from congvu.domain.calendar.ops import to_local
from congvu.domain.errors import DomainError
from congvu.domain.ledger import events as ev
from congvu.domain.ledger import records
from congvu.domain.ledger.clock import working_clock
from congvu.domain.ledger.vocabulary import TYPE_KINDS
from congvu.domain.procedures import Duration, add_duration

VN = national_calendar()
CLOCK = working_clock(VN)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

moments = st.builds(
    lambda seconds, micro, offset: (
        datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds, microseconds=micro)
    ).astimezone(timezone(timedelta(minutes=offset))),
    st.integers(0, 11 * 365 * 86400 - 1),
    st.sampled_from([0, 0, 1, 999_999]),
    st.sampled_from([420, 420, 0, -300, 345]),
)


@SETTINGS
@given(moments)
def test_the_clock_reads_positions_and_local_times_as_the_calendar_does(m: datetime) -> None:
    assert CLOCK.position(m) == working_position(VN, m)
    assert CLOCK.position(m.astimezone(VN_TZ)) == working_position(VN, m)
    local = CLOCK.local(m)
    assert (local, local.tzinfo) == (to_local(m), VN_TZ)


@SETTINGS
@given(
    moments, st.sampled_from(["working_days", "working_hours", "calendar_days"]), st.integers(1, 40)
)
def test_the_clock_adds_durations_as_the_catalog_does(m: datetime, unit: Any, halves: int) -> None:
    d = Duration(unit, halves / 2)
    try:
        expected: object = add_duration(VN, m, d)
    except DomainError as e:
        expected = e.code
    try:
        got: object = CLOCK.add(m, d)
    except DomainError as e:
        got = e.code
    assert got == expected


def test_the_clock_refuses_what_the_calendar_refuses() -> None:
    naive = datetime(2025, 3, 3, 8)  # noqa: DTZ001 — the point of the test
    for call in (CLOCK.position, CLOCK.local):
        with pytest.raises(DomainError) as raised:
            call(naive)
        assert raised.value.code == "naive_moment"
    with pytest.raises(DomainError) as raised:
        CLOCK.position(datetime(2031, 1, 1, tzinfo=VN_TZ))
    assert raised.value.code == "calendar_out_of_range"


def _reference(line: str) -> Any:
    """parse_event without its fast paths: the hooked decoder and the reader."""
    try:
        obj = ev._loads(line.removeprefix("\ufeff"))
        if not isinstance(obj, dict):
            return "not an object"
        return repr(ev._Reader(obj, 1).event())
    except ValueError as e:
        return f"json: {e}"
    except DomainError as e:
        return e.message("en")


def _fast(line: str | bytes) -> Any:
    try:
        return repr(ev.parse_event(line, line=1))
    except DomainError as e:
        message = e.message("en")
        if message.startswith("Line 1, item ?: not valid JSON ("):
            return "json: " + message.removeprefix("Line 1, item ?: not valid JSON (")[:-2]
        if message.endswith("each line must be a JSON object."):
            return "not an object"
        return message


BASE = [
    {
        "item": "H-1",
        "kind": "dossier",
        "seq": 1,
        "at": "2025-03-03T08:00+07:00",
        "type": "received",
        "unit": "XA-01",
        "actor": "mc-1",
        "data": {"procedure": "1.004227", "channel": "direct"},
    },
    {
        "source": "dvc",
        "item": "H-1",
        "kind": "dossier",
        "seq": 2,
        "at": "2025-03-03T01:00Z",
        "type": "supplement_requested",
        "unit": "XA-01",
        "data": {"documents": ["Tờ khai"], "reason": "thiếu", "extra": {"a": [1, "b"]}},
    },
    {
        "item": "T-1",
        "kind": "task",
        "seq": 1,
        "at": "2025-03-03T08:00+07:00",
        "type": "created",
        "unit": "SO",
        "data": {"title": "Báo cáo", "due": "2025-11-15T17:00+07:00"},
    },
    {
        "item": "P-1",
        "kind": "feedback",
        "seq": 3,
        "at": "2025-03-03T08:00:00.5+07:00",
        "type": "rated",
        "unit": "TT",
        "data": {"score": 5},
    },
]
VALUES = [
    None,
    "",
    " ",
    "\u00a0",
    "x",
    0,
    1,
    -1,
    True,
    1.5,
    [],
    {},
    ["a"],
    {"a": 1},
    "dossier",
    "task",
    "received",
    "resolved",
    "2025-01-01T08:00",
    "2025-01-01T08:00+07:00",
    "direct",
]
KEYS = ["item", "kind", "seq", "at", "type", "unit", "actor", "data", "source", "extra"]
DATA_KEYS = [
    "procedure",
    "channel",
    "due",
    "reason",
    "official",
    "step",
    "documents",
    "score",
    "category",
    "title",
    "recurrence",
    "new_due",
    "result",
]


@st.composite
def lines(draw: st.DrawFn) -> str:
    obj = json.loads(json.dumps(draw(st.sampled_from(BASE))))
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "data", "drop"]))
        value = json.loads(json.dumps(draw(st.sampled_from(VALUES))))
        if where == "top":
            obj[draw(st.sampled_from(KEYS))] = value
        elif where == "drop":
            obj.pop(draw(st.sampled_from(KEYS)), None)
        elif isinstance(obj.get("data"), dict):
            obj["data"][draw(st.sampled_from(DATA_KEYS))] = value
    text = json.dumps(obj, ensure_ascii=draw(st.booleans()))
    twist = draw(
        st.sampled_from(
            ["", "dup", "datadup", "nan", "bom", "space", "escape", "trail", "float", "big"]
        )
    )
    if twist == "dup":
        text = text[:-1] + ', "item": "other"}'
    elif twist == "datadup":
        text = text.replace('"data": {', '"data": {"step": "a", "step": "b", ', 1)
    elif twist == "float":
        text = re.sub(r'"seq": (\d+)', r'"seq": \1.0', text, count=1)
    elif twist == "big":
        text = re.sub(r'"seq": (\d+)', r'"seq": 1234567890123456789012345\1', text, count=1)
    elif twist == "nan" and '"seq": ' in text:
        text = text.replace('"seq": ', '"seq": NaN, "x": ', 1)
    elif twist == "bom":
        text = "\ufeff" + text
    elif twist == "space":
        text = text.replace('": ', '" : ')
    elif twist == "escape":
        text = text.replace('"unit": "', '"unit": "\\u0058', 1)
    elif twist == "trail":
        text = text + " x"
    return text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines())
def test_parse_event_fast_path_gives_what_the_reader_gives(line: str) -> None:
    assert _fast(line) == _reference(line)
    # the import reads bytes: the fast path decodes them itself
    assert _fast(line.encode()) == _reference(line)


@st.composite
def offset_moments(draw: st.DrawFn) -> str:
    """``YYYY-MM-DDTHH:MM:SS±HH:MM`` (the texts msgspec reads in parse_event's fast path),
    with up to three characters changed: near misses that either parser might read."""
    text = list(draw(moments).replace(microsecond=0).isoformat())
    for _ in range(draw(st.integers(0, 3))):
        text[draw(st.integers(0, 24))] = draw(st.sampled_from("0123456789-:+Tt Zz.,١"))
    return "".join(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offset_moments())
@example("2025-01-02T08:00:00.0740z")  # 25 characters that msgspec reads, fromisoformat not
@example("2025-01-02T08:00:00+07:60")  # the other way round (+08:00)
def test_a_moment_with_an_offset_is_read_by_msgspec_as_fromisoformat_reads_it(at: str) -> None:
    line = json.dumps({**BASE[0], "at": at}, ensure_ascii=False)
    # the reader's parse_moment is fromisoformat; repr shows the moment and its offset
    assert _fast(line) == _reference(line)


# -- compact records (congvu.domain.ledger.records) -------------------------------------------

DOSSIER_BASE = [
    BASE[0],
    BASE[1],
    {
        "item": "H-2",
        "kind": "dossier",
        "seq": 2,
        "at": "2025-03-03T08:05:00+07:00",
        "type": "appointment_issued",
        "unit": "XA-01",
        "actor": "mc-1",
        "data": {"due": "2025-03-06T08:00:00+07:00"},
    },
    {
        "item": "H-2",
        "kind": "dossier",
        "seq": 3,
        "at": "2025-03-03T09:00:00+07:00",
        "type": "assigned",
        "unit": "XA-01",
        "actor": "ld-1",
        "data": {"official": "cv-1", "step": "review"},
    },
    {
        "item": "H-2",
        "kind": "dossier",
        "seq": 4,
        "at": "2025-03-04T09:00:00+07:00",
        "type": "consulted",
        "unit": "XA-01",
        "data": {"to_unit": "CA-XA", "due": "2025-03-05T09:00:00Z"},
    },
    {
        "item": "H-2",
        "kind": "dossier",
        "seq": 5,
        "at": "2025-03-05T09:00:00+07:00",
        "type": "apology_issued",
        "unit": "XA-01",
        "data": {"new_due": "2025-03-10T17:00:00+07:00", "reason": "chờ"},
    },
    {
        "item": "H-2",
        "kind": "dossier",
        "seq": 6,
        "at": "2025-03-06T09:00:00+07:00",
        "type": "step_completed",
        "unit": "XA-01",
        "data": {"step": "review"},
    },
]


def _dossier(seq: int, type_: str, **data: Any) -> dict[str, Any]:
    return {
        "item": "H-3",
        "kind": "dossier",
        "seq": seq,
        "at": f"2025-03-{3 + seq:02}T10:00:00+07:00",
        "type": type_,
        "unit": "XA-01",
        "actor": "cv-1",
        "data": data,
    }


DOSSIER_BASE += [
    _dossier(2, "transferred", to_unit="XA-02", reason="sai thẩm quyền"),
    _dossier(3, "consultation_answered", from_unit="CA-XA"),
    _dossier(4, "supplement_requested", documents=["Tờ khai", "CCCD"], reason="thiếu"),
    _dossier(5, "supplement_received"),
    _dossier(6, "resolved", result="approved", text="xong"),
    _dossier(7, "returned"),
    _dossier(8, "rated", score=4),
    _dossier(9, "refused", reason="không đủ điều kiện"),
    _dossier(10, "withdrawn", reason="rút"),
    _dossier(11, "reopened", reason="sai"),
]


@st.composite
def dossier_lines(draw: st.DrawFn) -> str:
    obj = json.loads(json.dumps(draw(st.sampled_from(DOSSIER_BASE))))
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.sampled_from(["top", "data", "drop"]))
        value = json.loads(json.dumps(draw(st.sampled_from(VALUES))))
        if where == "top":
            obj[draw(st.sampled_from(KEYS))] = value
        elif where == "drop":
            obj.pop(draw(st.sampled_from(KEYS)), None)
        elif isinstance(obj.get("data"), dict):
            key = draw(st.sampled_from([*DATA_KEYS, "to_unit", "new_due", "text", "from_unit"]))
            obj["data"][key] = value
    text = json.dumps(obj, ensure_ascii=draw(st.booleans()), separators=(",", ":"))
    twist = draw(st.sampled_from(["", "", "dup", "nan", "bom", "space", "escape", "micro"]))
    if twist == "dup":
        text = text[:-1] + ',"unit":"XA-09"}'
    elif twist == "nan" and '"seq":' in text:
        text = text.replace('"seq":', '"seq":NaN,"x":', 1)
    elif twist == "bom":
        text = "\ufeff" + text
    elif twist == "space":
        text = text.replace('":', '" : ')
    elif twist == "escape":
        text = text.replace('"unit":"', '"unit":"\\u0058', 1)
    elif twist == "micro":
        text = text.replace(":00+07:00", ":00.5+07:00", 1)
    return text


def _record_of(e: ev.Event) -> tuple[object, ...]:
    """What a record holds, read from the reference event."""

    def ls(m: datetime | None) -> int | None:
        return None if m is None else records.local_seconds(to_local(m))

    d = e.data
    a = b = c = None
    if e.type == "received":
        a, b, c = d.get("procedure"), d.get("channel"), ls(e.moment("due"))
    elif e.type == "appointment_issued":
        c = ls(e.moment("due"))
    elif e.type == "assigned":
        a, b = d["official"], d.get("step")
    elif e.type == "step_completed":
        b = d["step"]
    elif e.type in ("transferred", "consulted"):
        a, c = d["to_unit"], ls(e.moment("due"))
    elif e.type == "consultation_answered":
        a = d["from_unit"]
    elif e.type == "apology_issued":
        c = ls(e.moment("new_due"))
    return (e.source, e.item, e.seq, ls(e.at), e.type, e.unit, e.actor, a, b, c)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossier_lines())
def test_a_record_holds_what_the_reference_event_holds(line: str) -> None:
    raw = line.encode("utf-8")
    found = records.dossier_record(raw)
    if found is None:
        return  # parse_event decides (its own fast path is compared with the reader above)
    (source, item), (seq, at, type_, unit, actor, a, b, c, kept) = found
    assert kept == raw
    reference = ev.parse_event(line, line=1)  # a record only for a line it accepts
    assert reference.kind == "dossier" and reference.at.microsecond == 0
    assert (source, item, seq, at, type_, unit, actor, a, b, c) == _record_of(reference)
    assert records.record_event(found[1]) == reference


def test_records_are_made_for_the_common_lines() -> None:
    for obj in [DOSSIER_BASE[0], *DOSSIER_BASE[2:-1]]:  # [1]: nested data; [-1]: reopened
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        assert records.dossier_record(line.encode("utf-8")) is not None, line
    assert records.dossier_record(json.dumps(BASE[2]).encode()) is None  # a task


def test_records_cover_every_dossier_type_but_reopened() -> None:
    dossier_types = {t for t, kinds in TYPE_KINDS.items() if "dossier" in kinds}
    assert set(records._DATA) == dossier_types - {"reopened"}


@pytest.mark.parametrize("blank", [" ", "\u00a0", ""])
def test_a_blank_text_anywhere_is_left_to_the_reference(blank: str) -> None:
    # every string of every common line, in turn blank: the reference refuses the line or
    # keeps the blank verbatim, and the record is never made for a refused line
    for obj in DOSSIER_BASE:
        for key in [*obj, *(f"data.{k}" for k in obj.get("data", {}))]:
            changed = json.loads(json.dumps(obj))
            if key.startswith("data."):
                if not isinstance(changed["data"][key[5:]], str):
                    continue
                changed["data"][key[5:]] = blank
            elif isinstance(changed[key], str):
                changed[key] = blank
            else:
                continue
            line = json.dumps(changed, ensure_ascii=False)
            try:
                ev.parse_event(line)
            except DomainError:
                assert records.dossier_record(line.encode("utf-8")) is None, line


@SETTINGS
@given(
    moments,
    st.sampled_from(["", "60", "99", "5x", "0\u0661", "\u0660\u0661", " 1", "+1", "1_"]),
)
def test_a_moment_read_through_the_minute_cache_is_read_as_fromisoformat_reads_it(
    m: datetime, second: str
) -> None:
    text = m.astimezone(VN_TZ).replace(microsecond=0).isoformat()
    assert records._at_seconds(text) == records.local_seconds(datetime.fromisoformat(text))
    assert records._at_seconds(text) == records._at_seconds(text)  # the second read hits
    if second:
        odd = text[:17] + second + text[19:]
        try:
            expected = records.local_seconds(datetime.fromisoformat(odd))
        except ValueError:
            expected = None
        assert records._at_seconds(odd) == expected


@given(
    st.lists(st.integers(min_value=0, max_value=86400), min_size=2, max_size=8, unique=True).map(
        sorted
    )
)
def test_the_clock_s_table_counts_office_seconds_as_a_sum_over_intervals(bounds: list[int]) -> None:
    """The within-day table, written as runs, equals the plain definition: for each second,
    the office seconds of every interval before it."""
    import numpy as np

    from congvu.domain.ledger.clock import _within_table

    pairs = tuple(zip(bounds[::2], bounds[1::2], strict=False))
    second = np.arange(86401)
    expected = sum((np.clip(second - start, 0, end - start) for start, end in pairs), 0 * second)
    assert _within_table(pairs) == expected.tolist()
