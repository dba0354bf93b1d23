"""Initiatives' search text now holds their organisation's name: recompute it for existing rows."""

from django.db import migrations

from models_registry.text import fold_for_search


def recompute(apps, schema_editor):
    Initiative = apps.get_model("models_registry", "Initiative")
    batch = []
    rows = Initiative.objects.select_related("organization").only(
        "pk", "code", "title", "person_name", "organization__name"
    )
    for initiative in rows.iterator(chunk_size=5000):
        initiative.search_text = fold_for_search(
            initiative.code, initiative.title, initiative.person_name, initiative.organization.name
        )
        batch.append(initiative)
        if len(batch) >= 5000:
            Initiative.objects.bulk_update(batch, ["search_text"])
            batch = []
    Initiative.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0009_catalogue_order_index")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
