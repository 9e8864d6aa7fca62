"""The canonical form is written field by field; it must stay byte-identical to ``json.dumps``
of the interchange object, or every stored hash chain would break."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.domain.ledger import (
    GENESIS_HASH,
    Event,
    canonical_json,
    canonical_parts,
    chain_hash,
    chain_hash_of,
    content_hash,
    parse_event,
)


def reference(event: Event) -> str:
    """What the canonical form was defined as: ``json.dumps`` of the interchange object."""
    obj: dict[str, Any] = {
        "source": event.source,
        "item": event.item,
        "kind": event.kind,
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "type": event.type,
        "unit": event.unit,
        "data": plain(event.data),
    }
    if event.actor is not None:
        obj["actor"] = event.actor
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def plain(obj: Any) -> Any:
    if isinstance(obj, MappingProxyType | dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, tuple | list):
        return [plain(v) for v in obj]
    return obj


def frozen(obj: Any) -> Any:
    """As parse_event keeps ``data``: read-only mappings, tuples."""
    if isinstance(obj, dict):
        return MappingProxyType({k: frozen(v) for k, v in obj.items()})
    if isinstance(obj, list):
        return tuple(frozen(v) for v in obj)
    return obj


texts = st.text(min_size=1, max_size=12)  # every code point but surrogates, controls included
scalars = st.none() | st.booleans() | st.integers() | st.floats() | texts
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001 — made aware below
    max_value=datetime(2090, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from(
        [
            UTC,
            timezone(timedelta(hours=7)),
            timezone(timedelta(hours=-3, minutes=-30)),
            timezone(timedelta(hours=5, minutes=45)),
            timezone(timedelta(hours=-11)),
            timezone(timedelta(hours=1, seconds=1)),
            ZoneInfo("Asia/Ho_Chi_Minh"),
            ZoneInfo("Europe/Paris"),  # summer time: the hour alone does not give the offset
        ]
    ),
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    data = draw(st.dictionaries(texts, values, max_size=4))
    return Event(
        source=draw(texts),
        item=draw(texts),
        kind=draw(texts),
        seq=draw(st.integers(min_value=1, max_value=2**70)),
        at=draw(moments),
        type=draw(texts),
        unit=draw(texts),
        actor=draw(st.none() | texts),
        data=draw(st.sampled_from([frozen, MappingProxyType, dict]))(data),
        at_text="",
    )


@settings(max_examples=400)
@given(events())
def test_canonical_form_is_json_dumps_of_the_interchange_object(event: Event) -> None:
    text, at, data = canonical_parts(event)
    assert text == reference(event) == canonical_json(event)
    assert at == event.at.astimezone(UTC).isoformat()
    assert data == json.dumps(
        plain(event.data), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert json.loads(text)["data"] == json.loads(data)


@given(events(), st.none() | st.just(GENESIS_HASH) | st.text("0123456789abcdef", min_size=64))
def test_chain_hash_from_the_written_form_is_the_chain_hash(event: Event, prev: str | None):
    assert chain_hash_of(prev, canonical_json(event)) == chain_hash(prev, event)


def test_unusual_fields_take_json_dumps_itself() -> None:
    e = parse_event(
        '{"item":"A-1","kind":"feedback","seq":1,"at":"2026-10-05T08:00:00+07:00",'
        '"type":"received","unit":"X01","data":{"channel":"hotline","category":"Môi trường",'
        '"due":"2026-10-05T17:00:00+07:00","extra":{"nested":["a\\tb",1.5,null]}}}'
    )
    assert canonical_json(e) == reference(e)
    odd = Event("s", "i", "k", True, e.at, "t", "u")  # type: ignore[arg-type] — a bool seq
    assert canonical_json(odd) == reference(odd) and '"seq":true' in canonical_json(odd)
    # pinned: computed by the code before the canonical form was written field by field
    assert content_hash(e) == "971138c46ff0d173faa35803b6dd6e60cc0669b69edd3c625baa3a7ea8b60344"


@settings(max_examples=400)
@given(moments.map(lambda m: m.replace(microsecond=0)) | moments)
def test_the_utc_text_of_a_moment_is_its_isoformat_in_utc(m: datetime) -> None:
    from congvu.domain.ledger.events import _utc_text

    expected = m.astimezone(UTC).isoformat()
    assert _utc_text(m) == expected
    assert _utc_text(m) == expected  # read again: the hour is looked up now
    if m.microsecond == 0 and m.tzinfo == timezone(timedelta(hours=7)):
        later = m + timedelta(minutes=59 - m.minute, seconds=59 - m.second)  # the hour's end
        assert _utc_text(later) == later.astimezone(UTC).isoformat()
