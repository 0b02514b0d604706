"""The snapshot's period FK had its own index, which the unique (period, balance) index already
covers (its first column): drop it. Only the index is dropped (same name on SQLite and
PostgreSQL) — no table rebuild, no re-check of the foreign key on a large snapshot table."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "reports_stocksnapshot_period_id_7de38497"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_report_subscriptions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="stocksnapshot",
                    name="period",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reports.snapshotperiod",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{INDEX}" ON "reports_stocksnapshot" ("period_id")'
                    ),
                ),
            ],
        ),
    ]
