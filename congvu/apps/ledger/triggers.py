"""Database triggers that make the event table append-only on SQLite and PostgreSQL.

The application has no update or delete path for events; these triggers make the database
itself refuse one, whoever issues it (a stray script, the admin, a bug). They are installed by
migration 0002 and, for test databases flushed with ``DELETE``, re-installed by
``congvu.config.test_sqlite``. Someone with the rights to drop a trigger can still alter a row;
the hash chain (``congvu ledger verify``) is what detects that.
"""

from __future__ import annotations

TABLE = "ledger_event"
MESSAGE = "ledger_event is append-only (sổ sự kiện chỉ được ghi thêm)"

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS ledger_event_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS ledger_event_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ledger_event_no_update",
    "DROP TRIGGER IF EXISTS ledger_event_no_delete",
]

# TRUNCATE does not fire row triggers: it needs the table owner's rights, which the
# application's database role should not have in production (docs/operations.md).
POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION ledger_event_refuse() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END;
    $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS ledger_event_append_only ON {TABLE}",
    f"""CREATE TRIGGER ledger_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION ledger_event_refuse()""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS ledger_event_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS ledger_event_refuse()",
]


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL}.get(vendor, []):
        schema_editor.execute(sql)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)
