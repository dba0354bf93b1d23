"""Initiatives record whether they have ever been put before an evaluation conference (set by the evaluations app,
whose migration 0004 fills it for the nominations already made). On PostgreSQL a trigram index of the search
texts of those initiatives only serves the searches of nominations and score sheets: a superuser's "hu gao"
otherwise reads 19,000 matching initiatives of the country's million to find the 250 that were nominated."""

from django.db import migrations, models

INDEX = "initiative_nominated_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite searches with LIKE over the whole column
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON models_registry_initiative "
                              f"USING gin (search_text gin_trgm_ops) WHERE was_nominated")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('models_registry', '0006_rows_carry_their_province'),
    ]

    operations = [
        migrations.AddField(
            model_name='initiative',
            name='was_nominated',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
