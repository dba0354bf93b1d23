"""The planner learns how many units a subtree holds.

Every scope filter selects units by a prefix of their stored paths (scope.subtree_q). With PostgreSQL's default
statistics a commune's prefix was estimated at about a hundred units instead of four, so a commune reviewer's
list was planned as if a hundredth of the country were in scope: walking the newest rows of the whole table
and dropping nearly all of them (two seconds at 100,000 initiatives). The national list has some 14,000 units;
full statistics on the two path columns (a histogram of every few units) make the estimate exact enough for
the planner to start from the scope's units."""

from django.db import migrations

TABLE = "models_registry_administrativeunit"
COLUMNS = ("path", "current_path")
# Rewritten whole by 0003: until vacuumed, their indexes cannot answer a count alone and a province's count fell
# back to reading the whole table.
REWRITTEN = ("models_registry_initiativetransition", "models_registry_yearlyresult")


def statistics_target(target: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in COLUMNS:
            schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STATISTICS {target}")
        schema_editor.execute(f"ANALYZE {TABLE}")
        if target > 0:
            for table in REWRITTEN:
                schema_editor.execute(f"VACUUM (ANALYZE) {table}")

    return apply


class Migration(migrations.Migration):
    atomic = False  # VACUUM runs outside a transaction

    dependencies = [
        ("models_registry", "0003_rows_carry_their_unit"),
    ]

    operations = [migrations.RunPython(statistics_target(10000), statistics_target(-1))]
