"""Trigram indexes on the folded search columns (PostgreSQL only).

Built concurrently so that adding them to a large live table does not block writes; SQLite has no
trigram indexes and skips this migration's work.
"""

from django.db import migrations

INDEXES = [
    ("models_registry_initiative", "initiative_search_trgm"),
    ("models_registry_organization", "organization_search_trgm"),
    ("models_registry_administrativeunit", "unit_search_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("models_registry", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
