"""django-import-export resources, scoped to the person importing or exporting.

Exports contain only rows the person may see (`visible_to`). Imports check every row before anything is
written: a row whose organisation or unit lies outside the person's scope, or that would change a row they
may not change, is refused with its row number and the reason, and the whole file is rolled back.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields, widgets

from . import policies, services
from .models import ActivityField, AdministrativeUnit, Initiative, Organization, YearlyResult
from .scope import UserScope
from .scoped_admin import ChoiceLabelWidget, RowWidget, ScopedResource, row_error


class CurrentUnitWidget(widgets.ForeignKeyWidget):
    """An administrative unit by its code on the current map (codes repeat across editions)."""

    def __init__(self):
        super().__init__(AdministrativeUnit, field="code")

    def get_queryset(self, value, row, *args, **kwargs):
        return AdministrativeUnit.objects.current()


class OrganizationResource(ScopedResource):
    unit = fields.Field(attribute="unit", column_name="unit_code", widget=CurrentUnitWidget())
    unit_name = fields.Field(attribute="unit__name", column_name="unit_name", readonly=True)
    header_labels = {"id": _lazy("Number"), "unit_code": _lazy("Administrative unit code"),
                     "unit_name": _lazy("Administrative unit")}

    class Meta:
        model = Organization
        fields = ("id", "name", "category", "unit", "unit_name", "is_active")
        export_order = ("id", "name", "category", "unit", "unit_name", "is_active")
        import_id_fields = ("id",)
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        user = self.acting_user(kwargs)
        number = kwargs.get("row_number")
        code = str(row.get("unit_code") or "").strip()
        unit = AdministrativeUnit.objects.current().filter(code=code).first() if code else None
        if unit is None:
            raise row_error(number, _("there is no administrative unit with code “%(code)s” on the current map.")
                            % {"code": code})
        if not UserScope.of(user).covers_unit(unit):
            raise row_error(number, _("the unit “%(unit)s” is outside your area.") % {"unit": unit.name})
        pk = str(row.get("id") or "").strip()
        if pk:
            if not pk.isdigit():
                raise row_error(number, _("the id “%(id)s” is not a number.") % {"id": pk})
            if Organization.unscoped.filter(pk=pk).exists() and not (
                Organization.objects.visible_to(user).filter(pk=pk).exists()
            ):
                raise row_error(number, _("organisation no. %(id)s is outside your area.") % {"id": pk})

    def do_instance_save(self, instance, is_create):
        services.organization_save(organization=instance, acting_user=self.user)


class InitiativeResource(ScopedResource):
    organization = fields.Field(
        attribute="organization", column_name="organization_id", widget=RowWidget(Organization)
    )
    organization_name = fields.Field(attribute="organization__name", column_name="organization_name",
                                     readonly=True)
    unit_name = fields.Field(attribute="unit__name", column_name="unit_name", readonly=True)
    field = fields.Field(attribute="field", column_name="field_code",
                         widget=widgets.ForeignKeyWidget(ActivityField, field="code"))
    replicated_from = fields.Field(attribute="replicated_from", column_name="replicated_from_code",
                                   widget=RowWidget(Initiative, field="code"))
    status = fields.Field(attribute="status", column_name="status", readonly=True,
                          widget=ChoiceLabelWidget(Initiative._meta.get_field("status").choices))
    lifecycle = fields.Field(attribute="lifecycle", column_name="lifecycle", readonly=True,
                             widget=ChoiceLabelWidget(Initiative._meta.get_field("lifecycle").choices))
    header_labels = {
        "organization_id": _lazy("Registering organisation number"),
        "organization_name": _lazy("Registering organisation"),
        "unit_name": _lazy("Administrative unit"),
        "field_code": _lazy("Field code"),
        "replicated_from_code": _lazy("Code of the replicated model"),
    }

    class Meta:
        model = Initiative
        import_id_fields = ("code",)
        fields = (
            "code", "title", "kind", "person_name", "person_position", "origin", "replicated_from",
            "organization", "organization_name", "unit_name", "field", "registration_year", "start_date",
            "end_date", "situation", "objectives", "content_methods", "area_beneficiaries",
            "participating_forces", "resources", "budget_amount", "expected_outputs", "sustainability",
            "contact_name", "contact_phone", "contact_email", "status", "lifecycle",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "unit", "field")

    def before_import_row(self, row, **kwargs):
        user = self.acting_user(kwargs)
        number = kwargs.get("row_number")
        org_id = str(row.get("organization_id") or "").strip()
        if not org_id.isdigit():
            raise row_error(number, _("give the number of the registering organisation (organization_id)."))
        organization = Organization.unscoped.filter(pk=org_id).first()
        if organization is None or not Organization.objects.visible_to(user).filter(pk=org_id).exists():
            raise row_error(number, _("organisation no. %(id)s is outside your area.") % {"id": org_id})
        source = str(row.get("replicated_from_code") or "").strip()
        if source and not Initiative.objects.replication_sources().filter(code=source).exists():
            raise row_error(number, _("the replicated model %(code)s is not an accepted model of the public "
                                      "catalogue.") % {"code": source})
        code = str(row.get("code") or "").strip()
        existing = Initiative.unscoped.filter(code=code).first() if code else None
        if existing is None and not policies.can_register_for(user, organization):
            raise row_error(number, _("you are not allowed to register new models; the organisation's own staff "
                                      "register them."))
        if code:
            if existing is not None:
                if not Initiative.objects.visible_to(user).filter(pk=existing.pk).exists():
                    raise row_error(number, _("initiative %(code)s is outside your area.") % {"code": code})
                if not policies.can_edit_registration(user, existing):
                    raise row_error(
                        number,
                        _("initiative %(code)s is %(status)s; only its organisation can change it, and only as a "
                          "draft or when returned.") % {"code": code, "status": existing.get_status_display()},
                    )
                if existing.organization_id != organization.pk:
                    raise row_error(number, _("the organisation of initiative %(code)s cannot be changed.")
                                    % {"code": code})

    def do_instance_save(self, instance, is_create):
        if is_create:
            services.initiative_register(initiative=instance, acting_user=self.user)
            return
        current = Initiative.unscoped.get(pk=instance.pk)
        values = {name: getattr(instance, name) for name in services.EDITABLE_FIELDS}
        updated = services.initiative_update(
            initiative=current, acting_user=self.user, values=values, expected_version=current.version
        )
        instance.version = updated.version


class YearlyResultResource(ScopedResource):
    initiative_code = fields.Field(attribute="initiative__code", column_name="initiative_code", readonly=True)
    initiative_title = fields.Field(attribute="initiative__title", column_name="initiative_title", readonly=True)
    header_labels = {"initiative_code": _lazy("Initiative code"), "initiative_title": _lazy("Initiative")}

    class Meta:
        model = YearlyResult
        fields = ("initiative_code", "initiative_title", "year", "is_running", "participants", "beneficiaries",
                  "value_mobilised", "land_donated_m2", "workdays", "narrative")
        export_order = fields
