"""Search texts become " heading | other fields |" with punctuation as word boundaries (text.search_document),
so that a search matches words by their start and ranks matches in the title or name first. Recompute them
for existing rows of the three searched tables, in batches.
"""

from django.db import migrations, models

from models_registry.text import search_document

BATCH = 5000

# Per model: the values read (the primary key first), in the order search_document takes them.
SOURCES = {
    "AdministrativeUnit": ("name", "short_name", "code"),
    "Organization": ("name",),
    "Initiative": ("title", "code", "person_name", "organization__name"),
}


def recompute_model(model, sources, connection):
    table = model._meta.db_table
    batch = []

    def flush():
        if not batch:
            return
        if connection.vendor == "postgresql":
            # One UPDATE per batch from a VALUES list (bulk_update's CASE over a million rows takes minutes).
            values = ", ".join(["(%s, %s)"] * len(batch))
            params = [item for pair in batch for item in pair]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS t SET search_text = v.text FROM (VALUES {values}) AS v(id, text) "
                    "WHERE t.id = v.id", params,
                )
        else:
            model.objects.bulk_update([model(pk=pk, search_text=text) for pk, text in batch], ["search_text"])
        batch.clear()

    for pk, *fields in model.objects.order_by().values_list("pk", *sources).iterator(chunk_size=BATCH):
        batch.append((pk, search_document(*fields)))
        if len(batch) >= BATCH:
            flush()
    flush()
    if connection.vendor == "postgresql":
        # Every row was rewritten: refresh the planner's estimates now rather than after autovacuum.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def recompute(apps, schema_editor):
    for name, sources in SOURCES.items():
        recompute_model(apps.get_model("models_registry", name), sources, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0010_initiative_search_text_with_organization")]

    operations = [
        migrations.AlterField(
            model_name="administrativeunit",
            name="search_text",
            field=models.CharField(blank=True, editable=False, max_length=500),
        ),
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
