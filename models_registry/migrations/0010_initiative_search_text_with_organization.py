"""Initiatives' search text now holds their organisation's name: recompute it for existing rows."""

from django.db import migrations

from models_registry.text import fold_for_search

BATCH = 5000


def recompute(apps, schema_editor):
    Initiative = apps.get_model("models_registry", "Initiative")
    table = Initiative._meta.db_table
    rows = Initiative.objects.values_list("pk", "code", "title", "person_name", "organization__name")
    batch = []

    def flush():
        if not batch:
            return
        if schema_editor.connection.vendor == "postgresql":
            # One UPDATE per batch from a VALUES list: bulk_update's CASE over a million rows took minutes.
            values = ", ".join(["(%s, %s)"] * len(batch))
            params = [item for pair in batch for item in pair]
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS i SET search_text = v.text FROM (VALUES {values}) AS v(id, text) "
                    "WHERE i.id = v.id", params,
                )
        else:
            Initiative.objects.bulk_update(
                [Initiative(pk=pk, search_text=text) for pk, text in batch], ["search_text"]
            )
        batch.clear()

    for pk, code, title, person_name, organization in rows.iterator(chunk_size=BATCH):
        batch.append((pk, fold_for_search(code, title, person_name, organization)))
        if len(batch) >= BATCH:
            flush()
    flush()
    if schema_editor.connection.vendor == "postgresql":
        # Every row was rewritten: refresh the planner's estimates now rather than after autovacuum.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0009_catalogue_order_index")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
