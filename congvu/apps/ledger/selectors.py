"""Reads of the ledger: export, verification, and the item lists the screens show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from congvu.apps.ledger.models import Event as EventRow
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.records import ROW_FIELDS, row_event
from congvu.domain.errors import DomainError
from congvu.domain.ledger import GENESIS_HASH, chain_hash

CHUNK = 1000


def _item_chunks(items) -> Iterator[list[Item]]:
    """Items in primary-key order, ``CHUNK`` at a time (keyset pagination: constant memory)."""
    last = 0
    while True:
        chunk = list(items.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _chunk_rows(chunk: list[Item], since: dt.datetime | None = None) -> Iterator[tuple[Item, dict]]:
    by_pk = {i.pk: i for i in chunk}
    rows = EventRow.objects.filter(item_id__in=by_pk).order_by("item_id", "seq")
    if since is not None:
        rows = rows.filter(at__gte=since)
    for row in rows.values(*ROW_FIELDS).iterator(chunk_size=5000):
        yield by_pk[row["item_id"]], row


def events_export_lines(
    *, source: str | None = None, item: str | None = None, since: dt.datetime | None = None
) -> Iterator[str]:
    """The stored events as interchange v1 JSON lines, item by item in ``seq`` order, each
    byte-identical to what was received (its ``at`` text kept). Streams."""
    items = Item.objects.all()
    if source:
        items = items.filter(source=source)
    if item:
        items = items.filter(code=item)
    for chunk in _item_chunks(items):
        for it, row in _chunk_rows(chunk, since):
            yield row_event(it, row).to_json()


class BrokenChainError(DomainError):
    code = "ledger_broken_chain"
    template_vi = "Mục {item} ({source}), sự kiện số {seq}: {reason_vi}."
    template_en = "Item {item} ({source}), event seq {seq}: {reason_en}."


@dataclass
class VerifyResult:
    items: int = 0
    events: int = 0
    broken: list[BrokenChainError] = field(default_factory=list)


def ledger_verify(*, progress: Callable[[int], object] | None = None) -> VerifyResult:
    """Recompute every item's chain from the stored columns. A row whose content (or order)
    was altered no longer matches its stored hash, nor do the rows after it; the item's
    summary row carries the last hash, so a deleted tail is caught too."""
    result = VerifyResult()
    for chunk in _item_chunks(Item.objects.all()):
        state: dict[int, tuple[str, int]] = {i.pk: (GENESIS_HASH, 0) for i in chunk}
        bad: set[int] = set()
        for it, row in _chunk_rows(chunk):
            result.events += 1
            prev, last_seq = state[it.pk]
            if it.pk in bad:
                continue
            expected = chain_hash(prev, row_event(it, row))
            if row["seq"] != last_seq + 1:
                _broken(
                    result,
                    bad,
                    it,
                    row["seq"],
                    "thiếu sự kiện số " + str(last_seq + 1),
                    f"event seq {last_seq + 1} is missing",
                )
            elif expected != row["hash"]:
                _broken(
                    result,
                    bad,
                    it,
                    row["seq"],
                    "nội dung không khớp mã băm đã lưu (đã bị sửa)",
                    "content does not match its stored hash (altered)",
                )
            state[it.pk] = (row["hash"], row["seq"])
        for it in chunk:
            result.items += 1
            prev, last_seq = state[it.pk]
            if it.pk not in bad and (prev != it.last_hash or last_seq != it.last_seq):
                _broken(
                    result,
                    bad,
                    it,
                    it.last_seq,
                    "chuỗi kết thúc khác dòng tóm tắt (mất sự kiện cuối?)",
                    "the chain ends differently from the summary row (events missing?)",
                )
        if progress:
            progress(sum(i.last_seq for i in chunk))
    return result


def _broken(result, bad, item, seq, vi, en) -> None:
    bad.add(item.pk)
    result.broken.append(
        BrokenChainError(item=item.code, source=item.source, seq=seq, reason_vi=vi, reason_en=en)
    )
