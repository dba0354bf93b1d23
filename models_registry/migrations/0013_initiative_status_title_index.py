"""An index for the catalogue sorted by name. Built concurrently on PostgreSQL (at a million rows it takes
a while, and a live table must keep accepting writes); elsewhere an ordinary index."""

from django.db import migrations, models

INDEX = models.Index(fields=["status", "title", "id"], name="initiative_status_title_idx")


def add_index(apps, schema_editor):
    model = apps.get_model("models_registry", "Initiative")
    if schema_editor.connection.vendor == "postgresql":
        sql = str(INDEX.create_sql(model, schema_editor, concurrently=True))
        schema_editor.execute(sql.replace("CONCURRENTLY", "CONCURRENTLY IF NOT EXISTS", 1))
    else:
        schema_editor.add_index(model, INDEX)


def remove_index(apps, schema_editor):
    model = apps.get_model("models_registry", "Initiative")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX.name}")
    else:
        schema_editor.remove_index(model, INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("models_registry", "0012_vietnamese_order")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="initiative", index=INDEX)],
            database_operations=[migrations.RunPython(add_index, remove_index, elidable=False)],
        ),
    ]
