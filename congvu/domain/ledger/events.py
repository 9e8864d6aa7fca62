"""The work-item event of interchange.md v1: parsing, validation, serialisation, hashing.

* :func:`parse_event` turns one decoded object (or one JSON line) into an :class:`Event`, or
  raises :class:`InvalidEventError` naming the line, the item and the key.
* :func:`read_jsonl` streams a JSON Lines body, one line at a time (constant memory), yielding
  events and :class:`LineError` values in line order.
* :meth:`Event.to_json` re-exports the event byte-for-byte in its time notation (the original
  ``at`` text is kept in :attr:`Event.at_text`); :func:`canonical_json` is the form that is
  hashed, with ``at`` normalised to UTC so that the same instant always hashes the same.
* :func:`chain_hash` links each event of an item to the previous one's hash: changing any byte
  of the canonical form of any earlier row changes every later hash.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from json.encoder import encode_basestring
from types import MappingProxyType
from typing import Any

import msgspec

from congvu.domain.errors import DomainError
from congvu.domain.ledger.errors import InvalidEventError, LineError
from congvu.domain.ledger.vocabulary import (
    DATA_FIELDS,
    EVENT_KEYS,
    KINDS,
    REQUIRED_KEYS,
    TYPE_KINDS,
    parse_moment,
)
from congvu.domain.ledger.vocabulary import _text as _text_check

__all__ = [
    "GENESIS_HASH",
    "Event",
    "canonical_json",
    "canonical_parts",
    "chain_hash",
    "chain_hash_of",
    "chain_hashes",
    "content_hash",
    "parse_event",
    "read_jsonl",
]

#: The "previous hash" of an item's first event.
GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class Event:
    """One validated event. ``at`` is aware; ``at_text`` is the original ISO 8601 string;
    ``data`` is read-only and kept verbatim (unknown keys included, moments still strings)."""

    source: str
    item: str
    kind: str
    seq: int
    at: datetime
    type: str
    unit: str
    actor: str | None = None
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    at_text: str = ""

    @property
    def key(self) -> tuple[str, str, int]:
        """The idempotence key (``source``, ``item``, ``seq``)."""
        return (self.source, self.item, self.seq)

    def moment(self, key: str) -> datetime | None:
        """``data[key]`` as an aware datetime (validated at parse time), or ``None``."""
        return parse_moment(self.data.get(key))

    def to_dict(self, *, canonical: bool = False) -> dict[str, Any]:
        """The interchange object. ``canonical=True`` writes ``at`` in UTC (the hashed form);
        otherwise ``at`` is the original text. ``actor`` is omitted when absent; ``data`` and
        ``source`` are always written, so the default ``"local"`` is explicit."""
        at = _utc_text(self.at) if canonical else (self.at_text or _iso(self.at))
        out: dict[str, Any] = {
            "source": self.source,
            "item": self.item,
            "kind": self.kind,
            "seq": self.seq,
            "at": at,
            "type": self.type,
            "unit": self.unit,
            "data": _plain(self.data),
        }
        if self.actor is not None:
            out["actor"] = self.actor
        return out

    def to_json(self) -> str:
        """One JSON line (no newline): sorted keys, compact, UTF-8 text, original ``at``."""
        return _dumps(self.to_dict())


def _iso(m: datetime) -> str:
    return m.isoformat()


def _plain(obj: Any) -> Any:
    """Read-only mappings back to dicts so that ``json`` can write them."""
    if isinstance(obj, Mapping):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


#: ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` builds this
#: encoder anew on every call; one instance encodes the same bytes.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_encode = _ENCODER.encode
#: The string encoder that ``_ENCODER`` itself uses (the C one when available).
_str = encode_basestring
_sha256 = hashlib.sha256


def _dumps(obj: Any) -> str:
    return _encode(obj)


def _data_json(data: Mapping[str, Any]) -> str:
    """``_dumps(_plain(data))``. Text and integer values (nearly every event's) are written
    here, in the encoder's own notation; otherwise a shallow copy is enough unless ``data``
    nests a mapping (the encoder writes tuples as arrays, as it writes ``_plain``'s lists)."""
    try:
        parts = []
        for k in sorted(data):
            v = data[k]
            t = type(v)
            if t is str:
                parts.append(_str(k) + ":" + _str(v))
            elif t is int:
                parts.append(_str(k) + ":" + int.__repr__(v))
            else:
                raise TypeError
        return "{" + ",".join(parts) + "}"
    except TypeError:
        pass
    try:
        return _encode(dict(data))
    except TypeError:
        return _encode(_plain(data))


#: (day, hour, fixed offset) → that hour in UTC, ``YYYY-MM-DDTHH``; ``""`` for an offset that
#: is not a whole number of hours (its minutes change in UTC).
_UTC_HOURS: dict[tuple[int, int, timezone], str] = {}
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))


def _utc_text(m: datetime) -> str:
    """``m.astimezone(UTC).isoformat()``, the moment as the canonical form writes it. A whole
    second at a fixed offset of whole hours (nearly every event's ``at``) keeps its minutes
    and seconds in UTC: only its hour is converted, once per hour of the calendar, which
    costs a third of converting and writing the whole moment."""
    tz = m.tzinfo
    if m.microsecond or type(tz) is not timezone:  # a zone with DST: fold decides the hour
        return m.astimezone(UTC).isoformat()
    key = (m.toordinal(), m.hour, tz)
    hour = _UTC_HOURS.get(key)
    if hour is None:
        start = m.replace(minute=0, second=0).astimezone(UTC)
        hour = "" if start.minute or start.second else start.isoformat()[:13]
        if len(_UTC_HOURS) >= 100_000:  # a bound for a long-running server
            _UTC_HOURS.clear()
        _UTC_HOURS[key] = hour
    if not hour:
        return m.astimezone(UTC).isoformat()
    return f"{hour}:{_TWO_DIGITS[m.minute]}:{_TWO_DIGITS[m.second]}+00:00"


def canonical_parts(event: Event) -> tuple[str, str, str]:
    """The canonical form of ``event`` (:func:`canonical_json`), with two of its parts that
    storage needs as well, so that an event is serialised once: ``at`` in UTC
    (``2025-01-24T09:55:00+00:00``) and the JSON of ``data`` (sorted keys, compact).

    The text is written field by field in sorted key order with the encoder's own string
    encoding, which is what ``json.dumps`` of :meth:`Event.to_dict` writes; anything unusual
    (a field that is not a plain ``str``/``int``) takes ``json.dumps`` itself."""
    at = _utc_text(event.at)
    data = _data_json(event.data)
    seq = event.seq
    actor = event.actor
    try:
        if type(seq) is not int:  # a bool, or an int subclass with its own repr
            raise TypeError
        head = "{" if actor is None else f'{{"actor":{_str(actor)},'
        # one f-string: the text is built once, not once per "+"
        text = (
            f'{head}"at":{_str(at)},"data":{data},"item":{_str(event.item)},'
            f'"kind":{_str(event.kind)},"seq":{int.__repr__(seq)},'
            f'"source":{_str(event.source)},"type":{_str(event.type)},'
            f'"unit":{_str(event.unit)}}}'
        )
    except TypeError:
        text = _dumps(event.to_dict(canonical=True))
    return text, at, data


def canonical_json(event: Event) -> str:
    """The hashed form: :meth:`Event.to_dict` with ``canonical=True``, sorted keys, compact."""
    return canonical_parts(event)[0]


def content_hash(event: Event) -> str:
    """SHA-256 (hex) of :func:`canonical_json`; equal hashes ⇔ identical content (idempotence)."""
    return _sha256(canonical_json(event).encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str | None, event: Event) -> str:
    """SHA-256 (hex) of ``prev_hash`` (64 hex chars; :data:`GENESIS_HASH` when ``None``), a
    newline, and :func:`canonical_json` of ``event`` — the per-item chain the storage layer
    keeps to detect an altered or deleted row."""
    return chain_hash_of(prev_hash, canonical_json(event))


def chain_hash_of(prev_hash: str | None, canonical: str) -> str:
    """:func:`chain_hash` from the event's canonical form already written."""
    prev = GENESIS_HASH if prev_hash is None else prev_hash
    return _sha256((prev + "\n" + canonical).encode("utf-8")).hexdigest()


def chain_hashes(events: Iterable[Event]) -> list[str]:
    """The chain hash of each event of one item, in the given order, starting from genesis."""
    out: list[str] = []
    prev: str | None = None
    for e in events:
        prev = chain_hash(prev, e)
        out.append(prev)
    return out


class _Reader:
    """Validates one object, raising :class:`InvalidEventError` with line, item and key."""

    def __init__(self, obj: Mapping[str, Any], line: int | None) -> None:
        self.obj = obj
        self.line = line
        item = obj.get("item")
        self.item = item if isinstance(item, str) and item else None

    def fail(self, key: str, reason_vi: str, reason_en: str) -> InvalidEventError:
        return InvalidEventError(
            line=self.line, item=self.item, key=key, reason_vi=reason_vi, reason_en=reason_en
        )

    def text(self, key: str, default: str | None = None) -> str:
        value = self.obj.get(key, default)
        if value is None:
            raise self.fail(key, "thiếu khóa bắt buộc", "required key is missing")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "phải là chuỗi không rỗng", "must be a non-empty string")
        return value

    def event(self) -> Event:
        unknown = sorted(set(self.obj) - EVENT_KEYS)
        if unknown:
            raise self.fail(
                unknown[0],
                f"khóa không được hỗ trợ (các khóa hợp lệ: {', '.join(sorted(EVENT_KEYS))})",
                f"unknown key (allowed: {', '.join(sorted(EVENT_KEYS))})",
            )
        for key in REQUIRED_KEYS:
            if key not in self.obj:
                raise self.fail(key, "thiếu khóa bắt buộc", "required key is missing")
        item = self.text("item")
        source = self.text("source", "local")
        kind = self.text("kind")
        if kind not in KINDS:
            raise self.fail(
                "kind",
                f"{kind!r} không hợp lệ (dùng: {', '.join(KINDS)})",
                f"{kind!r} is not valid (use: {', '.join(KINDS)})",
            )
        seq = self.obj["seq"]
        # bool is an int subclass: true would silently become seq 1
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise self.fail(
                "seq", f"{seq!r} phải là số nguyên ≥ 1", f"{seq!r} must be an integer ≥ 1"
            )
        at_text = self.text("at")
        at = parse_moment(at_text)
        if at is None:
            raise self.fail(
                "at",
                f"{at_text!r} phải là thời điểm ISO 8601 có độ lệch múi giờ (ví dụ +07:00)",
                f"{at_text!r} must be an ISO 8601 date-time with a UTC offset (e.g. +07:00)",
            )
        type_ = self.text("type")
        allowed = TYPE_KINDS.get(type_)
        if allowed is None:
            raise self.fail(
                "type",
                f"loại sự kiện {type_!r} không hợp lệ",
                f"event type {type_!r} is not valid",
            )
        if kind not in allowed:
            kinds = ", ".join(sorted(allowed))
            raise self.fail(
                "type",
                f"sự kiện {type_} không áp dụng cho loại {kind} (chỉ: {kinds})",
                f"event {type_} does not apply to kind {kind} (only: {kinds})",
            )
        unit = self.text("unit")
        actor = None if self.obj.get("actor") is None else self.text("actor")
        data = self.obj.get("data", {})
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise self.fail("data", "phải là một đối tượng JSON", "must be a JSON object")
        self.check_data(kind, type_, data)
        return Event(
            source, item, kind, seq, at, type_, unit, actor, _frozen(data), at_text=at_text
        )

    def check_data(self, kind: str, type_: str, data: Mapping[str, Any]) -> None:
        for f in DATA_FIELDS[type_]:
            if f.key not in data or data[f.key] is None:
                if f.required:
                    raise self.fail(
                        f"data.{f.key}", "thiếu khóa bắt buộc", "required key is missing"
                    )
                continue
            problem = f.check(data[f.key])
            if problem is not None:
                raise self.fail(f"data.{f.key}", *problem)
        if type_ == "received":
            need = "procedure" if kind == "dossier" else "category"
            if data.get(need) is None:
                raise self.fail(
                    f"data.{need}",
                    f"thiếu khóa bắt buộc khi tiếp nhận {kind}",
                    f"required when a {kind} is received",
                )
        if type_ == "created" and data.get("due") is None and data.get("recurrence") is None:
            raise self.fail(
                "data.due",
                "cần hạn xử lý (due) hoặc lịch lặp lại (recurrence)",
                "a due moment or a recurrence is required",
            )


def _frozen(obj: Any) -> Any:
    """A deep read-only copy (mappings → MappingProxyType, lists → tuples) of ``data``."""
    if isinstance(obj, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in obj.items()})
    if isinstance(obj, list | tuple):
        return tuple(_frozen(v) for v in obj)
    return obj


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        # json.loads would keep the last value silently: a typo or a forged second "at"
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise ValueError(f"duplicate key {k!r}")
            seen.add(k)
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


#: ``json.loads(text, object_pairs_hook=…, parse_constant=…)`` builds this decoder anew on
#: every call; one instance decodes the same way.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant)


def _loads(text: str) -> Any:
    if text.startswith("\ufeff"):
        # json.loads's own message for a (second) byte-order mark
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    return _DECODER.decode(text)


_KINDS_SET = frozenset(KINDS)
_new = object.__new__
#: event type → its ``data`` fields as plain tuples (key, check, required, is plain text).
_FIELDS: dict[str, tuple[tuple[str, Any, bool, bool], ...]] = {
    t: tuple((f.key, f.check, f.required, f.check is _text_check) for f in fs)
    for t, fs in DATA_FIELDS.items()
}
_SCALARS = frozenset({str, int, float, bool, type(None)})
# The slots' own setters, bound once: ``Event`` is frozen, and calling the descriptor of each
# slot costs half of ``object.__setattr__``'s lookup by name.
(
    _set_source,
    _set_item,
    _set_kind,
    _set_seq,
    _set_at,
    _set_type,
    _set_unit,
    _set_actor,
    _set_data,
    _set_at_text,
) = (
    vars(Event)[name].__set__
    for name in ("source", "item", "kind", "seq", "at", "type", "unit", "actor", "data", "at_text")
)
_intern = sys.intern
_fromisoformat = datetime.fromisoformat
_convert = msgspec.convert


def _fast_event(obj: Mapping[str, Any], owned: bool) -> Event | None:
    """The :class:`Event` that ``_Reader(obj).event()`` returns when ``obj`` is a plain
    valid event, without building the reader; ``None`` for anything else (the reader then
    raises the precise error). ``owned``: ``obj`` was decoded here, so its ``data`` dict
    can be wrapped instead of copied."""
    if type(obj) is not dict or not obj.keys() <= EVENT_KEYS:
        return None
    get = obj.get
    return _plain_event(
        get("item"),
        get("source", "local"),
        get("kind"),
        get("seq"),
        get("at"),
        get("type"),
        get("unit"),
        get("actor"),
        get("data"),
        owned,
    )


def _plain_event(
    item: Any,
    source: Any,
    kind: Any,
    seq: Any,
    at_text: Any,
    type_: Any,
    unit: Any,
    actor: Any,
    data: Any,
    owned: bool,
) -> Event | None:
    """:func:`_fast_event` from the top-level values (``Any``: the checks below narrow them,
    the type checker cannot follow). Accepts a subset of what the reader accepts and builds
    the same event. (``v.isspace()`` is the whitespace that ``v.strip()`` removes.)"""
    if (
        type(item) is not str
        or not item
        or item.isspace()
        or type(source) is not str
        or not source
        or source.isspace()
        or type(kind) is not str
        or kind not in _KINDS_SET
        or type(seq) is not int
        or seq < 1
        or type(at_text) is not str
        or type(type_) is not str
        or type(unit) is not str
        or not unit
        or unit.isspace()
        or (actor is not None and (type(actor) is not str or not actor or actor.isspace()))
    ):
        return None
    allowed = TYPE_KINDS.get(type_)
    if allowed is None or kind not in allowed:
        return None
    at = None
    if len(at_text) == 25 and at_text[19] in "+-":
        # ``YYYY-MM-DDTHH:MM:SS±HH:MM``, nearly every event's: msgspec reads it as
        # fromisoformat does (a test holds them equal) and hands out one tzinfo per offset,
        # so that comparing two events' moments skips their offsets (a twentieth of the
        # time). What msgspec refuses, fromisoformat decides (it reads e.g. ``+07:60``).
        with suppress(msgspec.ValidationError):
            at = _convert(at_text, datetime)
    if at is None:
        try:
            at = _fromisoformat(at_text)
        except ValueError:
            return None
    if at.tzinfo is None or at.utcoffset() is None:
        return None
    if data is None:
        data = {}
    elif type(data) is not dict:
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
    if type_ == "received":
        if data.get("procedure" if kind == "dossier" else "category") is None:
            return None
    elif type_ == "created" and data.get("due") is None and data.get("recurrence") is None:
        return None
    frozen: Mapping[str, Any] | None = None
    if owned:
        frozen = MappingProxyType(data)
        for v in data.values():
            if type(v) not in _SCALARS:
                frozen = None
                break
    # what Event(...) builds, set slot by slot: its generated __init__ looks up
    # object.__setattr__ anew for every field, which is most of an event's parsing time
    event = _new(Event)
    _set_source(event, _intern(source))
    _set_item(event, item)
    _set_kind(event, kind)
    _set_seq(event, seq)
    _set_at(event, at)
    _set_type(event, type_)
    _set_unit(event, _intern(unit))
    _set_actor(event, None if actor is None else _intern(actor))
    _set_data(event, _frozen(data) if frozen is None else frozen)
    _set_at_text(event, at_text)
    return event


class _Line(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A JSON line's top-level keys, decoded in C; ``UNSET`` marks an optional key absent.
    Unknown keys fail the decoding (the reader then names them)."""

    item: Any
    kind: Any
    seq: Any
    at: Any
    type: Any
    unit: Any
    source: Any = msgspec.UNSET
    actor: Any = msgspec.UNSET
    data: Any = msgspec.UNSET


_UNSET: Any = msgspec.UNSET
_decode_line = msgspec.json.Decoder(_Line).decode
_BOM = "\ufeff"
_BOM_BYTES = _BOM.encode()


def _parse_plain(text: str | bytes) -> Event | None:
    """The event of a JSON line decoded without looking for duplicate keys, when that is
    exact; else ``None`` (the hooked decoder then decides, with its own errors).

    The decoder (msgspec) keeps the last value of a repeated key and refuses NaN and
    Infinity. Without a backslash in the text every ``"`` delimits a string, two per string,
    so the text holds exactly twice as many quotes as the decoded value holds strings unless
    a repeated key (and its value) was dropped in decoding."""
    if (b"\\" if type(text) is bytes else "\\") in text:  # type: ignore[operator]
        return None
    try:
        line = _decode_line(text)
    except (msgspec.DecodeError, ValueError):  # ValueError: a lone surrogate in a str
        return None
    source, actor, data = line.source, line.actor, line.data
    strings = 11  # six keys, five of their values (all but seq)
    if source is _UNSET:
        source = "local"
    else:
        strings += 2
    if actor is _UNSET:
        actor = None
    else:
        strings += 1 if actor is None else 2
    if data is _UNSET:
        data = None
    else:
        strings += 1
        if type(data) is dict:
            strings += len(data)
            for v in data.values():
                t = type(v)
                if t is str:
                    strings += 1
                elif t is list:
                    for x in v:
                        tx = type(x)
                        if tx is str:
                            strings += 1
                        elif tx is list or tx is dict:
                            return None
                elif t is dict:
                    return None
    quotes = text.count('"') if type(text) is str else text.count(b'"')  # type: ignore[arg-type]
    if quotes != 2 * strings:
        return None
    return _plain_event(
        line.item,
        source,
        line.kind,
        line.seq,
        line.at,
        line.type,
        line.unit,
        actor,
        data,
        True,
    )


def parse_event(obj_or_line: Mapping[str, Any] | str | bytes, *, line: int | None = None) -> Event:
    """An :class:`Event` from a decoded object or from one JSON text line (str or UTF-8 bytes).

    ``line`` (1-based) is only used in error messages. Validation (interchange.md v1): no
    unknown top-level keys; required keys present; ``source`` defaults to ``"local"``;
    ``kind`` and ``type`` from the tables, and the type allowed for the kind; ``seq`` an
    integer ≥ 1 (not a bool); ``at`` ISO 8601 with an offset; ``data`` an object whose
    required keys are present with the right types (:data:`~.vocabulary.DATA_FIELDS`); unknown
    ``data`` keys are kept verbatim. Raises :class:`InvalidEventError` naming the line, the
    item and the key (Vietnamese ``str()``; ``.message("en")`` for English). Duplicate keys and
    NaN/Infinity in JSON text are rejected.
    """
    obj: Any = obj_or_line
    owned = False
    if isinstance(obj_or_line, str | bytes):
        # the plain line first, as given (bytes need no decoding to str for it)
        fast = _parse_plain(
            obj_or_line.removeprefix(_BOM_BYTES)
            if isinstance(obj_or_line, bytes)
            else obj_or_line.removeprefix(_BOM)
        )
        if fast is not None:
            return fast
        try:
            text = obj_or_line.decode("utf-8") if isinstance(obj_or_line, bytes) else obj_or_line
            obj = _loads(text.removeprefix(_BOM))
        except (ValueError, UnicodeDecodeError) as e:
            raise InvalidEventError(
                line=line,
                item=None,
                key="",
                reason_vi=f"không phải JSON hợp lệ ({e})",
                reason_en=f"not valid JSON ({e})",
            ) from None
        owned = True
    if not isinstance(obj, Mapping):
        raise InvalidEventError(
            line=line,
            item=None,
            key="",
            reason_vi="mỗi dòng phải là một đối tượng JSON",
            reason_en="each line must be a JSON object",
        )
    return _fast_event(obj, owned) or _Reader(obj, line).event()


def read_jsonl(lines: Iterable[str | bytes]) -> Iterator[Event | LineError]:
    """Stream a JSON Lines body: each non-blank line yields an :class:`Event` or a
    :class:`LineError` (bad JSON, bad UTF-8 or an invalid event, with its 1-based line number).

    Lines are read one at a time (a file object works), so memory stays constant whatever the
    size. Blank lines are skipped but still counted, so numbers match an editor's.
    """
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        try:
            yield parse_event(stripped, line=number)
        except DomainError as e:
            yield LineError(number, e)
