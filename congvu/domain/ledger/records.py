"""Compact records of dossier events, for checking millions of events in bulk.

:func:`dossier_record` reads one JSON line into a tuple of the few values the fold and the
supervision rules read, instead of a whole :class:`~congvu.domain.ledger.events.Event`: an
event object with its read-only ``data``, its aware ``at`` and its strings costs about ten
times the time and memory of a tuple of integers and shared strings, and a province-year
has ten million of them.

It accepts only what :func:`~congvu.domain.ledger.events.parse_event` accepts, and only the
common shape: a dossier event of a type the bulk checker folds (not ``reopened``), plain
JSON text (no backslash, no NaN, no duplicate key), whole-second moments with a whole-second
offset. Anything else gives ``None`` and goes through ``parse_event``, so every error and
every unusual event is handled by the reference path. The record keeps the raw line, so
the item can always be parsed again into events (:func:`record_event`).

A record is ``(seq, at, type, unit, actor, a, b, c, raw)``: ``at`` in *local seconds* —
seconds since 1970-01-01 00:00 on the wall clock of Asia/Ho_Chi_Minh, whose offset has been
a constant +07:00 since 1975 — and per type:

============================ ====================== ================= =====================
type                         ``a``                  ``b``             ``c``
============================ ====================== ================= =====================
``received``                 ``procedure``          ``channel``       ``due`` (or ``None``)
``appointment_issued``       —                      —                 ``due``
``assigned``                 ``official``           ``step`` or None  —
``step_completed``           —                      ``step``          —
``transferred``              ``to_unit``            —                 —
``consulted``                ``to_unit``            —                 ``due`` (or ``None``)
``consultation_answered``    ``from_unit``          —                 —
``apology_issued``           —                      —                 ``new_due``
============================ ====================== ================= =====================

(``None`` where nothing is given; moments in local seconds.)
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Any

import msgspec

from congvu.domain.ledger.events import _FIELDS, Event, parse_event
from congvu.domain.ledger.vocabulary import EVENT_KEYS, TYPE_KINDS

__all__ = ["Record", "dossier_record", "local_seconds", "record_event"]

#: ``(seq, at, type, unit, actor, a, b, c, raw)``; see the module docstring.
Record = tuple[int, int, str, str, str | None, Any, Any, Any, bytes]

#: 1970-01-01 as a proleptic Gregorian ordinal.
_EPOCH_ORDINAL = 719163
_VN_OFFSET = 7 * 3600
_SEVEN = timedelta(seconds=_VN_OFFSET)
_ZERO = timedelta(0)
#: The types the bulk checker folds: every dossier type but ``reopened`` (rare, and it
#: rewinds the finish, which the reference fold handles).
_FAST_TYPES = frozenset(t for t, kinds in TYPE_KINDS.items() if "dossier" in kinds) - {"reopened"}
_intern = sys.intern
_fromisoformat = datetime.fromisoformat


class _Wire(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """One line as decoded in C: unknown top-level keys, a missing required key or a value
    of the wrong JSON type make the decoder fail (the line then goes to ``parse_event``).
    ``UNSET`` tells an absent optional key from ``null``, for the duplicate-key count."""

    item: str
    kind: str
    seq: int
    at: str
    type: str
    unit: str
    actor: str | None | msgspec.UnsetType = msgspec.UNSET
    source: str | msgspec.UnsetType = msgspec.UNSET
    data: dict[str, Any] | None | msgspec.UnsetType = msgspec.UNSET


_DECODE = msgspec.json.Decoder(_Wire).decode
_UNSET = msgspec.UNSET
assert frozenset(_Wire.__struct_fields__) == EVENT_KEYS  # noqa: S101 — the same keys


def local_seconds(m: datetime) -> int | None:
    """``m`` (aware) in local seconds, or ``None`` when it has a fraction of a second (in
    itself or in its offset) — the fold truncates those, which the records do not model."""
    offset = m.utcoffset()
    if offset is None or m.microsecond or offset.microseconds:
        return None
    s = (m.toordinal() - _EPOCH_ORDINAL) * 86400 + m.hour * 3600 + m.minute * 60 + m.second
    if offset == _SEVEN:
        return s
    return s + _VN_OFFSET - offset.days * 86400 - offset.seconds


def _moment(v: Any) -> int | None:
    # a data moment already validated as ISO 8601 with an offset
    return local_seconds(_fromisoformat(v))


def dossier_record(raw: bytes) -> tuple[tuple[str, str], Record] | None:
    """((``source``, ``item``), record) of one stripped JSON line, or ``None`` when the line
    is not a plain, valid dossier event of the common shape (then ``parse_event`` decides).

    A record is returned only for a line that ``parse_event`` accepts, and holds what its
    :class:`Event` holds (``tests/domain/ledger/test_fast_paths.py`` compares the two).
    """
    if b"\\" in raw or b"NaN" in raw or b"Infinity" in raw:
        return None
    try:
        w = _DECODE(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    item = w.item
    kind = w.kind
    seq = w.seq
    at_text = w.at
    type_ = w.type
    unit = w.unit
    actor = w.actor
    source = w.source
    data: Any = w.data
    # the duplicate-key proof of events._parse_plain: without a backslash every quote
    # delimits a string, so the text holds twice as many quotes as the decoded value holds
    # strings unless a repeated key (and its value) was dropped
    tokens = 11  # item kind seq at type unit: six keys and five string values
    if actor is not _UNSET:
        tokens += 1 if actor is None else 2
    if source is not _UNSET:
        tokens += 2
    else:
        source = "local"
    if data is not _UNSET:
        tokens += 1
        if data is None:
            data = {}
    else:
        data = {}
    if (
        kind != "dossier"
        or type_ not in _FAST_TYPES
        or seq < 1
        or not item
        or item.isspace()
        or not source
        or source.isspace()
        or not unit
        or unit.isspace()
        or (actor is not None and actor is not _UNSET and (not actor or actor.isspace()))
    ):
        return None
    try:
        at = _fromisoformat(at_text)
    except ValueError:
        return None
    ls = local_seconds(at)
    if ls is None:
        return None
    for key, check, required, plain_text in _FIELDS[type_]:
        v = data.get(key)
        if v is None:
            if required:
                return None
        elif plain_text:
            if type(v) is not str or not v or v.isspace():
                return None
        elif check(v) is not None:
            return None
    tokens += len(data)
    for v in data.values():
        t = type(v)
        if t is str:
            tokens += 1
        elif t is list:
            for x in v:
                tx = type(x)
                if tx is str:
                    tokens += 1
                elif tx is list or tx is dict:
                    return None
        elif t is dict:
            return None
    if raw.count(b'"') != 2 * tokens:
        return None
    a: Any = None
    b: Any = None
    c: Any = None
    if type_ == "assigned":
        a = _intern(data["official"])
        b = data.get("step")
    elif type_ == "step_completed":
        b = data["step"]
    elif type_ == "appointment_issued":
        c = _moment(data["due"])
        if c is None:
            return None
    elif type_ == "received":
        a = data.get("procedure")
        if a is None:
            return None  # a dossier received without a procedure: parse_event refuses it
        b = data["channel"]
        due = data.get("due")
        if due is not None:
            c = _moment(due)
            if c is None:
                return None
    elif type_ == "transferred":
        a = _intern(data["to_unit"])
    elif type_ == "consulted":
        a = _intern(data["to_unit"])
        due = data.get("due")
        if due is not None:
            c = _moment(due)
            if c is None:
                return None
    elif type_ == "consultation_answered":
        a = data["from_unit"]
    elif type_ == "apology_issued":
        c = _moment(data["new_due"])
        if c is None:
            return None
    return (_intern(source), item), (
        seq,
        ls,
        type_,
        _intern(unit),
        None if actor is None or actor is _UNSET else _intern(actor),
        a,
        b,
        c,
        raw,
    )


def record_event(record: Record) -> Event:
    """The :class:`Event` of a record (its raw line parsed again)."""
    return parse_event(record[8])
