"""Names and titles sort in Vietnamese alphabetical order (models_registry/collation.py).

PostgreSQL gets an ICU collation named like the one SQLite connections register, so that the columns'
`db_collation` means the same order on both.
"""

from django.db import migrations, models

from models_registry.collation import COLLATION, ICU_LOCALE


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE COLLATION IF NOT EXISTS "{COLLATION}" (provider = icu, locale = \'{ICU_LOCALE}\')'
        )


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{COLLATION}"')


class Migration(migrations.Migration):

    dependencies = [
        ("models_registry", "0011_search_text_words"),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation, elidable=False),
        migrations.AlterField(
            model_name="administrativeunit",
            name="name",
            field=models.CharField(db_collation="vietnamese", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="administrativeunit",
            name="short_name",
            field=models.CharField(blank=True, db_collation="vietnamese", max_length=200, verbose_name="short name"),
        ),
        migrations.AlterField(
            model_name="field",
            name="name",
            field=models.CharField(db_collation="vietnamese", max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="initiative",
            name="title",
            field=models.CharField(db_collation="vietnamese", max_length=500, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="organization",
            name="name",
            field=models.CharField(db_collation="vietnamese", max_length=255, verbose_name="name"),
        ),
    ]
