"""Content hashes and the per-item hash chain."""

from __future__ import annotations

import json

from congvu.domain.ledger import (
    GENESIS_HASH,
    Event,
    canonical_json,
    chain_hash,
    chain_hashes,
    content_hash,
    parse_event,
)

from .builders import received


def history() -> list[Event]:
    return (
        received("2025-01-24T16:55")
        .add("2025-02-03T08:10", "assigned", official="cv-1", step="review")
        .add("2025-02-04T15:00", "resolved", result="approved")
        .events
    )


def test_same_instant_in_another_offset_hashes_the_same() -> None:
    e = history()[0]
    utc = parse_event(json.loads(e.to_json()) | {"at": "2025-01-24T09:55:00Z"})
    assert utc.to_json() != e.to_json()  # re-export keeps each notation
    assert canonical_json(utc) == canonical_json(e)
    assert content_hash(utc) == content_hash(e)


def test_chain_starts_at_genesis_and_links_each_event() -> None:
    events = history()
    hashes = chain_hashes(events)
    assert hashes[0] == chain_hash(None, events[0]) == chain_hash(GENESIS_HASH, events[0])
    assert hashes[2] == chain_hash(hashes[1], events[2])
    assert len(set(hashes)) == 3 and all(len(h) == 64 for h in hashes)


def test_chain_detects_one_changed_byte_in_an_earlier_row() -> None:
    events = history()
    original = chain_hashes(events)
    line = events[1].to_json()
    tampered_line = line.replace("cv-1", "cv-2")  # one byte: the official who held the step
    assert sum(a != b for a, b in zip(line, tampered_line, strict=True)) == 1
    tampered = [events[0], parse_event(tampered_line), events[2]]
    after = chain_hashes(tampered)
    assert after[0] == original[0]
    assert after[1] != original[1] and after[2] != original[2]


def test_chain_detects_a_deleted_row() -> None:
    events = history()
    assert chain_hashes([events[0], events[2]])[1] != chain_hashes(events)[2]


def test_content_hash_ignores_key_order_but_not_data() -> None:
    e = history()[2]
    reordered = parse_event(json.dumps(dict(reversed(list(json.loads(e.to_json()).items())))))
    assert content_hash(reordered) == content_hash(e)
    changed = parse_event(json.loads(e.to_json()) | {"data": {"result": "refused"}})
    assert content_hash(changed) != content_hash(e)
