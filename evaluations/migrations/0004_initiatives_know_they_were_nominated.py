"""Marks the initiatives nominated so far (models_registry 0007 added the flag)."""

from django.db import migrations


def mark_nominated(apps, schema_editor):
    Initiative = apps.get_model("models_registry", "Initiative")
    Nomination = apps.get_model("evaluations", "Nomination")
    Initiative._base_manager.filter(pk__in=Nomination._base_manager.values("initiative_id")).update(
        was_nominated=True)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE models_registry_initiative")  # the planner learns how few they are


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0003_latest_rating_reads_the_scale'),
        ('models_registry', '0007_initiatives_know_they_were_nominated'),
    ]

    operations = [
        migrations.RunPython(mark_nominated, migrations.RunPython.noop, elidable=False),
    ]
