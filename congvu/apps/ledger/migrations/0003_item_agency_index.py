"""The receiving agency's index declared in ``Meta.indexes`` instead of ``db_index=True``: on
PostgreSQL ``db_index`` also made a ``varchar_pattern_ops`` copy for ``LIKE`` that no query
uses and every import kept up. The database only drops the two old indexes and creates the
new one (``AlterField`` alone would rebuild the whole item table on SQLite)."""

from django.db import migrations, models

OLD = "ledger_item_agency_a25ccc5f"


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="item",
                    name="agency",
                    field=models.CharField(max_length=40, verbose_name="đơn vị tiếp nhận"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [f"DROP INDEX IF EXISTS {OLD}_like", f"DROP INDEX IF EXISTS {OLD}"],
                    reverse_sql=[f"CREATE INDEX {OLD} ON ledger_item (agency)"],
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="item",
            index=models.Index(fields=["agency"], name="ledger_item_agency"),
        ),
    ]
