"""Fast bulk writes for the ingestion, below the ORM.

Building a model instance and compiling a multi-row INSERT per 99 rows cost more than half of
an import's time (profile in docs/performance.md); the ledger writes plain tuples instead:
``COPY … FROM STDIN`` on PostgreSQL, ``executemany`` of one prepared statement on SQLite. Both
run inside the caller's transaction, so the triggers, constraints and all-or-nothing batches
still hold. Values are adapted per column the way the ORM would: JSON as text, and on SQLite
datetimes as naive UTC text (Django's format for ``USE_TZ``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

Column = str | tuple[str, str]
"""A column name, or (name, kind) with kind ``"json"`` or ``"datetime"``."""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def _converters(columns: Sequence[Column]) -> tuple[list[str], list[Callable | None]]:
    sqlite = connection.vendor == "sqlite"
    names, convert = [], []
    for column in columns:
        name, kind = column if isinstance(column, tuple) else (column, "")
        names.append(name)
        if kind == "json":
            convert.append(_json)
        elif kind == "datetime" and sqlite:
            convert.append(_sqlite_datetime)
        else:
            convert.append(None)
    return names, convert


def _adapted(rows: list[tuple], convert: list[Callable | None]) -> list[tuple]:
    if not any(convert):
        return rows
    pairs = list(enumerate(convert))
    return [tuple(f(row[i]) if f else row[i] for i, f in pairs) for row in rows]


def insert_rows(table: str, columns: Sequence[Column], rows: list[tuple]) -> None:
    if not rows:
        return
    names, convert = _converters(columns)
    rows = _adapted(rows, convert)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608 — our names
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def update_rows(table: str, columns: Sequence[Column], rows: list[tuple]) -> None:
    """``rows``: the new values of ``columns`` followed by the row's ``id``."""
    if not rows:
        return
    names, convert = _converters(columns)
    rows = _adapted(rows, [*convert, None])
    sets = ", ".join(f"{name} = %s" for name in names)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)  # noqa: S608
