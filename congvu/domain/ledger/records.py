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
every unusual event is handled by the reference path. The record keeps the raw line, or
where it can be read again (its byte offset in the file), so the item can always be parsed
into events (:func:`record_event`).

A record is ``(seq, at, type, unit, actor, a, b, c, line)``: ``at`` in *local seconds* —
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
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, Union

import msgspec

from congvu.domain.ledger.events import Event, parse_event
from congvu.domain.ledger.vocabulary import CHANNELS

__all__ = ["Record", "dossier_record", "local_seconds", "record_event"]

#: ``(seq, at, type, unit, actor, a, b, c, line)``; see the module docstring. ``line`` is
#: the raw line, or the byte offset where it starts in the file read.
Record = tuple[int, int, str, str, str | None, Any, Any, Any, bytes | int]

#: 1970-01-01 as a proleptic Gregorian ordinal.
_EPOCH_ORDINAL = 719163
_VN_OFFSET = 7 * 3600
_SEVEN = timedelta(seconds=_VN_OFFSET)
_intern = sys.intern
_fromisoformat = datetime.fromisoformat


# -- the line, decoded in C into typed structures ---------------------------------------------
#
# A tagged union on ``type``: msgspec checks the keys, the JSON types, the kind, the type,
# ``seq ≥ 1``, non-empty texts, the channel, the score and the document list while it
# decodes; any failure sends the line to ``parse_event``. Each ``data`` structure then
# gives (strings, a, b, c): how many strings its JSON holds (keys and string values, for
# the duplicate-key proof) and the record's values, or ``None`` when a text is only
# whitespace or a moment is not one the records model. Unknown ``data`` keys are ignored by
# the decoder, so they break the string count and send the line to ``parse_event`` too.

_Text = Annotated[str, msgspec.Meta(min_length=1)]
_UnsetType = msgspec.UnsetType
_UNSET: Any = msgspec.UNSET
Values = tuple[int, Any, Any, Any] | None
_NOTHING = (0, None, None, None)


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


def _moment(v: str) -> int | None:
    try:
        return local_seconds(_fromisoformat(v))
    except ValueError:
        return None


def _text(v: Any) -> int:
    """Strings of an optional text field: 0 absent, 1 null, 2 a text; -99 only whitespace."""
    if v is _UNSET:
        return 0
    if v is None:
        return 1
    return -99 if v.isspace() else 2


def _due(v: Any) -> tuple[int, int | None] | None:
    """(strings, local seconds) of an optional moment, ``None`` when it is not one."""
    if v is _UNSET:
        return 0, None
    if v is None:
        return 1, None
    ls = _at_seconds(v)
    return None if ls is None else (2, ls)


class _Data(msgspec.Struct, gc=False):
    def values(self) -> Values:
        return 0, None, None, None


class _Received(_Data, gc=False):
    channel: Literal[CHANNELS]  # type: ignore[valid-type]
    procedure: _Text | None | _UnsetType = _UNSET
    category: _Text | None | _UnsetType = _UNSET
    due: str | None | _UnsetType = _UNSET

    def values(self) -> Values:
        procedure = self.procedure
        if type(procedure) is not str or procedure.isspace():
            return None  # a dossier received without a procedure: parse_event refuses it
        if self.due is _UNSET and self.category is _UNSET:
            return 4, procedure, self.channel, None  # the common receipt, without calls
        due = _due(self.due)
        if due is None:
            return None
        n = 4 + _text(self.category) + due[0]
        return None if n < 0 else (n, procedure, self.channel, due[1])


class _Slip(_Data, gc=False):
    due: str

    def values(self) -> Values:
        c = _at_seconds(self.due)
        return None if c is None else (2, None, None, c)


class _Assigned(_Data, gc=False):
    official: _Text
    step: _Text | None | _UnsetType = _UNSET
    due: str | None | _UnsetType = _UNSET

    def values(self) -> Values:
        official = self.official
        if official.isspace():
            return None
        step = self.step
        if self.due is _UNSET and type(step) is str:
            # the common assignment of a step, without calls
            return None if step.isspace() else (4, _intern(official), step, None)
        due = _due(self.due)
        if due is None:
            return None
        n = 2 + _text(step) + due[0]
        return None if n < 0 else (n, _intern(official), None if step is _UNSET else step, None)


class _StepDone(_Data, gc=False):
    step: _Text

    def values(self) -> Values:
        return None if self.step.isspace() else (2, None, self.step, None)


class _Transferred(_Data, gc=False):
    to_unit: _Text
    reason: _Text

    def values(self) -> Values:
        if self.to_unit.isspace() or self.reason.isspace():
            return None
        return 4, _intern(self.to_unit), None, None


class _Consulted(_Data, gc=False):
    to_unit: _Text
    due: str | None | _UnsetType = _UNSET

    def values(self) -> Values:
        due = _due(self.due)
        if due is None or self.to_unit.isspace():
            return None
        return 2 + due[0], _intern(self.to_unit), None, due[1]


class _Answered(_Data, gc=False):
    from_unit: _Text

    def values(self) -> Values:
        return None if self.from_unit.isspace() else (2, self.from_unit, None, None)


class _Requested(_Data, gc=False):
    documents: Annotated[list[_Text], msgspec.Meta(min_length=1)]
    reason: _Text

    def values(self) -> Values:
        if self.reason.isspace() or any(d.isspace() for d in self.documents):
            return None
        return 3 + len(self.documents), None, None, None


class _Apology(_Data, gc=False):
    new_due: str
    reason: _Text

    def values(self) -> Values:
        c = _at_seconds(self.new_due)
        if c is None or self.reason.isspace():
            return None
        return 4, None, None, c


class _Resolved(_Data, gc=False):
    result: _Text
    text: _Text | None | _UnsetType = _UNSET

    def values(self) -> Values:
        if self.result.isspace():
            return None
        n = 2 + _text(self.text)
        return None if n < 0 else (n, None, None, None)


class _Reason(_Data, gc=False):
    reason: _Text

    def values(self) -> Values:
        return None if self.reason.isspace() else (2, None, None, None)


class _Rated(_Data, gc=False):
    score: Annotated[int, msgspec.Meta(ge=1, le=5)]
    text: _Text | None | _UnsetType = _UNSET

    def values(self) -> Values:
        n = 1 + _text(self.text)
        return None if n < 0 else (n, None, None, None)


class _Line(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, kw_only=True, gc=False):
    item: _Text
    kind: Literal["dossier"]
    seq: Annotated[int, msgspec.Meta(ge=1)]
    at: str
    unit: _Text
    actor: str | None | _UnsetType = _UNSET
    source: _Text | _UnsetType = _UNSET


def _line(type_: str, data: type[_Data], required: bool) -> type[_Line]:
    annotation: Any = data if required else data | None | _UnsetType
    # the tag is not kept on the decoded value: a class attribute gives it back
    namespace: dict[str, Any] = {"__annotations__": {"data": annotation}, "event_type": type_}
    if not required:
        namespace["data"] = _UNSET
    return type(f"_Line_{type_}", (_Line,), namespace, tag=type_)


#: event type → (its data structure, whether ``data`` is required): every dossier type but
#: ``reopened`` (rare, and it rewinds the finish, which the reference fold handles).
_DATA: dict[str, tuple[type[_Data], bool]] = {
    "received": (_Received, True),
    "appointment_issued": (_Slip, True),
    "assigned": (_Assigned, True),
    "step_completed": (_StepDone, True),
    "transferred": (_Transferred, True),
    "consulted": (_Consulted, True),
    "consultation_answered": (_Answered, True),
    "supplement_requested": (_Requested, True),
    "supplement_received": (_Data, False),
    "apology_issued": (_Apology, True),
    "resolved": (_Resolved, True),
    "returned": (_Data, False),
    "refused": (_Reason, True),
    "withdrawn": (_Reason, True),
    "rated": (_Rated, True),
}
_LINES = tuple(_line(t, d, r) for t, (d, r) in _DATA.items())
_DECODE = msgspec.json.Decoder(Union[_LINES]).decode  # noqa: UP007 — a union of a tuple


#: "YYYY-MM-DDTHH:MM" → its local seconds, for moments written "…:SS+07:00": an export's
#: events share their minutes (ten million events, half a million minutes a year), and a
#: look-up costs half of ``fromisoformat``. Emptied when it grows past a year of minutes.
_MINUTES: dict[str, int] = {}
_MINUTES_MAX = 600_000


def _at_seconds(text: str) -> int | None:
    """The local seconds of an ISO 8601 moment, ``None`` when it is not one the records model.

    The minute of a text already read whole by ``fromisoformat`` is valid, and so is any text
    that adds two ASCII digits from 00 to 59 and ``+07:00`` to it."""
    if len(text) == 25 and text[16] == ":" and text[19:] == "+07:00":
        base = _MINUTES.get(text[:16])
        if base is not None:
            second = text[17:19]
            if second.isascii() and second.isdigit() and second < "60":
                return base + int(second)
    ls = _moment(text)
    if ls is not None and len(text) == 25 and text[16] == ":" and text[19:] == "+07:00":
        if len(_MINUTES) >= _MINUTES_MAX:
            _MINUTES.clear()
        _MINUTES[text[:16]] = ls - ls % 60
    return ls


def dossier_record(raw: bytes, offset: int | None = None) -> tuple[tuple[str, str], Record] | None:
    """((``source``, ``item``), record) of one stripped JSON line, or ``None`` when the line
    is not a plain, valid dossier event of the common shape (then ``parse_event`` decides).
    The record keeps ``offset`` (where the line starts in its file) when it is given, else
    the line itself: millions of lines held cost a gigabyte.

    A record is returned only for a line that ``parse_event`` accepts, and holds what its
    :class:`Event` holds (``tests/domain/ledger/test_fast_paths.py`` compares the two).
    """
    # NaN and Infinity, which parse_event refuses, are not JSON to msgspec either
    if b"\\" in raw:
        return None
    try:
        w: Any = _DECODE(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    item = w.item
    unit = w.unit
    actor = w.actor
    source = w.source
    data = w.data
    # the duplicate-key proof of events._parse_plain: without a backslash every quote
    # delimits a string, so the text holds twice as many quotes as the decoded value holds
    # strings unless a repeated key (and its value) was dropped
    tokens = 11  # item kind seq at type unit: six keys and five string values
    if actor is not _UNSET:
        if actor is None:
            tokens += 1
        elif not actor or actor.isspace():
            return None
        else:
            tokens += 2
            actor = _intern(actor)
    else:
        actor = None
    if source is not _UNSET:
        if source.isspace():
            return None
        tokens += 2
        source = _intern(source)
    else:
        source = "local"
    values: tuple[int, Any, Any, Any] = _NOTHING
    if data is not _UNSET:
        tokens += 1
        if data is not None:
            found = data.values()
            if found is None:
                return None
            values = found
    if item.isspace() or unit.isspace() or raw.count(b'"') != 2 * (tokens + values[0]):
        return None
    at = w.at
    # _at_seconds with its common case inline: a minute already read, whole seconds, +07:00
    base = (
        _MINUTES.get(at[:16]) if len(at) == 25 and at[19:] == "+07:00" and at[16] == ":" else None
    )
    second = at[17:19]
    if base is not None and second.isascii() and second.isdigit() and second < "60":
        ls = base + int(second)
    else:
        read = _at_seconds(at)
        if read is None:
            return None
        ls = read
    return (source, item), (
        w.seq,
        ls,
        w.event_type,
        _intern(unit),
        actor,
        values[1],
        values[2],
        values[3],
        raw if offset is None else offset,
    )


def record_event(record: Record, line_at: Callable[[int], bytes] | None = None) -> Event:
    """The :class:`Event` of a record: its line parsed again, read with ``line_at(offset)``
    when the record keeps an offset."""
    line = record[8]
    if isinstance(line, int):
        if line_at is None:
            raise ValueError("a record that keeps an offset needs line_at to be read")
        line = line_at(line)
    return parse_event(line)
