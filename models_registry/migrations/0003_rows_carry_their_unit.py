"""Status changes and yearly results carry a copy of where their initiative stands (its unit, whether it is still
a draft), so that a reviewer's list is scoped, sorted and counted on the row's own columns instead of joining
every initiative of the scope.

The column is added without its foreign key, filled with one UPDATE … FROM (a join, not a query per row), then
made NOT NULL with its foreign key, which PostgreSQL validates with one more join."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery

ROW_MODELS = ("InitiativeTransition", "YearlyResult")


def unit_field(**options):
    return models.ForeignKey(editable=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                             related_name="+", to="models_registry.administrativeunit",
                             verbose_name="administrative unit", **options)


def copy_units(apps, schema_editor):
    connection = schema_editor.connection
    Initiative = apps.get_model("models_registry", "Initiative")
    for name in ROW_MODELS:
        model = apps.get_model("models_registry", name)
        if connection.vendor == "postgresql":
            table, initiatives = (connection.ops.quote_name(m._meta.db_table) for m in (model, Initiative))
            schema_editor.execute(f"UPDATE {table} AS r SET unit_id = i.unit_id, draft = (i.status = 'draft') "
                                  f"FROM {initiatives} AS i WHERE i.id = r.initiative_id")
            schema_editor.execute(f"ANALYZE {table}")  # the planner reads the new column's spread at once
        else:
            initiative = Initiative._base_manager.filter(pk=OuterRef("initiative_id"))
            model._base_manager.update(unit_id=Subquery(initiative.values("unit_id")[:1]),
                                 draft=Exists(initiative.filter(status="draft")))


class Migration(migrations.Migration):

    dependencies = [
        ("models_registry", "0002_standard_fields"),
    ]

    operations = [
        *(migrations.AddField(model_name=name.lower(), name="unit", field=unit_field(null=True, db_constraint=False))
          for name in ROW_MODELS),
        *(migrations.AddField(model_name=name.lower(), name="draft", field=models.BooleanField(
            default=False, editable=False, verbose_name="of a draft")) for name in ROW_MODELS),
        migrations.RunPython(copy_units, migrations.RunPython.noop),
        *(migrations.AlterField(model_name=name.lower(), name="unit", field=unit_field()) for name in ROW_MODELS),
        migrations.AddIndex(
            model_name="initiativetransition",
            index=models.Index(fields=["unit", "draft", "created_at", "id"], name="transition_unit_created_idx"),
        ),
        migrations.AddIndex(
            model_name="yearlyresult",
            index=models.Index(fields=["unit", "draft", "year", "initiative"], name="yearly_result_unit_idx"),
        ),
        migrations.RemoveIndex(model_name="yearlyresult", name="yearly_result_year_idx"),
        migrations.AddIndex(
            model_name="yearlyresult",
            index=models.Index(fields=["year", "initiative"], name="yearly_result_year_idx"),
        ),
    ]
