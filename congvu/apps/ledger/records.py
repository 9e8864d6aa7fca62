"""Between stored rows and the domain's events: one place that rebuilds an
:class:`~congvu.domain.ledger.Event` from an ``Event`` row, so that verification, export, the
fold and idempotence all see exactly what was hashed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import MappingProxyType

from congvu.apps.ledger.models import Event as EventRow
from congvu.apps.ledger.models import Item
from congvu.domain.ledger import Event

ROW_FIELDS = ("item_id", "seq", "at", "at_text", "type", "unit", "actor", "data", "hash")


def row_event(item: Item, row: EventRow | dict) -> Event:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return Event(
        source=item.source,
        item=item.code,
        kind=item.kind,
        seq=get("seq"),
        at=get("at"),
        type=get("type"),
        unit=get("unit"),
        actor=get("actor") or None,
        data=MappingProxyType(get("data") or {}),
        at_text=get("at_text"),
    )


def item_events(item: Item) -> list[Event]:
    """The item's whole history in ``seq`` order (one query)."""
    rows = EventRow.objects.filter(item=item).order_by("seq").values(*ROW_FIELDS)
    return [row_event(item, row) for row in rows]


def events_of_items(items: Iterable[Item]) -> dict[int, list[Event]]:
    """item pk → its history, for many items in one query."""
    by_pk = {item.pk: item for item in items}
    out: dict[int, list[Event]] = {pk: [] for pk in by_pk}
    rows = EventRow.objects.filter(item_id__in=by_pk).order_by("item_id", "seq").values(*ROW_FIELDS)
    for row in rows:
        out[row["item_id"]].append(row_event(by_pk[row["item_id"]], row))
    return out


def iter_rows(queryset, chunk: int = 5000) -> Iterator[dict]:
    """Rows in primary-key order without holding the table in memory (keyset pagination)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:chunk])
        if not rows:
            return
        yield from rows
        last = rows[-1]["pk"] if isinstance(rows[-1], dict) else rows[-1].pk
