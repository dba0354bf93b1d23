"""Initiatives, their status changes and yearly results carry a copy of the province their unit counts under
(today's province for a unit that maps onto today's map, its own old province otherwise), so that a provincial
board's lists filter and sort on one indexed column instead of gathering every row of its units.

As in 0003, the column is added without its foreign key, filled with one UPDATE … FROM per table, then made
NOT NULL with its foreign key."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("Initiative", "InitiativeTransition", "YearlyResult")


def province_field(**options):
    return models.ForeignKey(editable=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                             related_name="+", to="models_registry.administrativeunit", verbose_name="province",
                             **options)


def copy_provinces(apps, schema_editor):
    connection = schema_editor.connection
    Unit = apps.get_model("models_registry", "AdministrativeUnit")
    if connection.vendor == "postgresql":
        units = connection.ops.quote_name(Unit._meta.db_table)
        place = "COALESCE(NULLIF(u.current_path, ''), u.path)"
        for name in MODELS:
            table = connection.ops.quote_name(apps.get_model("models_registry", name)._meta.db_table)
            schema_editor.execute(
                f"UPDATE {table} AS r SET province_id = p.id FROM {units} AS u, {units} AS p "
                f"WHERE u.id = r.unit_id AND p.level = 1 "
                f"AND p.path = split_part({place}, '/', 1) || '/' || split_part({place}, '/', 2) || '/'")
            schema_editor.execute(f"ANALYZE {table}")
        return
    for province in Unit.objects.filter(level=1):
        units = Unit.objects.filter(
            models.Q(current_path__startswith=province.path)
            | models.Q(current_path="", path__startswith=province.path)).values("pk")
        for name in MODELS:
            apps.get_model("models_registry", name)._base_manager.filter(unit_id__in=units).update(
                province_id=province.pk)


class Migration(migrations.Migration):

    dependencies = [
        ("models_registry", "0005_national_figures_tallied"),
    ]

    operations = [
        *(migrations.AddField(model_name=name.lower(), name="province",
                              field=province_field(null=True, db_constraint=False)) for name in MODELS),
        migrations.RunPython(copy_provinces, migrations.RunPython.noop),
        *(migrations.AlterField(model_name=name.lower(), name="province", field=province_field())
          for name in MODELS),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["province", "id"], name="initiative_province_idx"),
        ),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["province", "registration_year", "id"], name="initiative_province_year_idx"),
        ),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["registration_year"], name="initiative_year_idx"),
        ),
        migrations.AddIndex(
            model_name="initiativetransition",
            index=models.Index(fields=["province", "created_at", "id"],
                               name="transition_province_idx"),
        ),
        migrations.AddIndex(
            model_name="yearlyresult",
            index=models.Index(fields=["province", "year", "initiative"],
                               name="yearly_result_province_idx"),
        ),
    ]
