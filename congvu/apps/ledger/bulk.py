"""Fast bulk writes for the ingestion, below the ORM.

Building a model instance and compiling a multi-row INSERT per 99 rows cost more than half of
an import's time (profile in docs/performance.md); the ledger writes plain tuples instead:
``COPY … FROM STDIN`` on PostgreSQL, ``executemany`` of one prepared statement on SQLite. Both
run inside the caller's transaction, so the triggers, constraints and all-or-nothing batches
still hold. The caller gives values as the database stores them: JSON as text, and on SQLite
moments as naive UTC text (Django's notation for ``USE_TZ``, :func:`sqlite_datetime`). The
event rows reach PostgreSQL as ``COPY`` text made by the caller (:func:`copy_line` for the
rare value that needs escaping), so that sending them is plain I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection

#: COPY's text format: backslash escapes for these, ``\N`` for NULL.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def copy_line(values: Iterable[object]) -> str:
    """One row of ``COPY … FROM STDIN`` text (no newline): tab-separated, escaped."""
    return "\t".join("\\N" if v is None else str(v).translate(_COPY_ESCAPES) for v in values)


def is_plain_copy(line: str, columns: int, nulls: int = 0) -> bool:
    """Whether ``line``, written by joining ``columns`` values with tabs without escaping
    them (``\\N`` for each of ``nulls`` NULLs), is valid ``COPY`` text of those values: no
    value held a tab, a line break or a backslash (each ``\\N`` holds one backslash)."""
    return (
        line.count("\t") == columns - 1
        and line.count("\\") == nulls
        and "\n" not in line
        and "\r" not in line
    )


def copy_row(values: Sequence[object]) -> str:
    """:func:`copy_line` of values that are text, integers, booleans, moments or ``None``,
    at a third of its cost: ``str()`` of each is already COPY's notation unless a text holds
    a character that must be escaped (:func:`is_plain_copy`); such a row takes
    :func:`copy_line`."""
    line = "\t".join(["\\N" if v is None else str(v) for v in values])
    if is_plain_copy(line, len(values), values.count(None)):
        return line
    return copy_line(values)


def reserve_ids(table: str, n: int) -> list[int]:
    """``n`` new primary keys of ``table``, so that rows can be written with their ids (no
    query back for them, and the event rows can be built before the items are written).

    PostgreSQL: from the table's sequence (never handed out twice, whatever the transaction).
    SQLite: after the largest id ever given (``AUTOINCREMENT`` keeps it in
    ``sqlite_sequence``); this must run in the transaction that writes them, which holds
    SQLite's single write lock, so no other writer can take the same ids."""
    if n <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, n],
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids on SQLite must run inside the writing transaction")
        cursor.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0),"  # noqa: S608 — our name
            " coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


class IdPool:
    """New primary keys of ``table`` for one ingestion run: on PostgreSQL taken from the
    sequence in blocks of ``block`` (one query per few thousand rows instead of one per
    batch — with a writer busy on the server, each query keeps the preparing thread waiting a
    few milliseconds); on SQLite straight from :func:`reserve_ids` (its ids follow the
    largest stored, so they cannot be taken ahead of the writing transaction). Keys taken
    but not used when the run ends are never handed out again: gaps in the ids, as a
    rolled-back transaction leaves. The first call reserves only what it needs, so that a
    one-batch run (an API call, one dossier's event) leaves no gap."""

    def __init__(self, table: str, block: int = 4096) -> None:
        self.table, self.block = table, block
        self._ids: list[int] = []
        self._ahead = False  # the first call takes what it needs: one append wastes nothing

    def take(self, n: int) -> list[int]:
        if connection.vendor != "postgresql":
            return reserve_ids(self.table, n)
        missing = n - len(self._ids)
        if missing > 0:
            self._ids += reserve_ids(self.table, max(self.block, missing) if self._ahead else n)
            self._ahead = True
        out, self._ids = self._ids[:n], self._ids[n:]
        return out


def insert_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        sql = f"COPY {table} ({names}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 — our names
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def copy_text(table: str, columns: Sequence[str], text: str) -> None:
    """PostgreSQL: ``COPY`` rows already written as COPY text (one line per row)."""
    connection.ensure_connection()
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(text)


def update_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """``rows``: the new values of ``columns`` followed by the row's ``id``."""
    if not rows:
        return
    sets = ", ".join(f"{name} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)  # noqa: S608
