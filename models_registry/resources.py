"""django-import-export resources, scoped to the person importing or exporting.

Exports contain only rows the person may see (`visible_to`), in Vietnamese (headers, choices, fields by
name) with typed values. Imports check every row before anything is written: a row whose organisation or
unit lies outside the person's scope, or that changes a row they may not change, is refused with its row
number and the reason, and the whole file is rolled back. A row that changes nothing is "không đổi" and is
not written at all, whoever imports it: the board can re-import its own export.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets
from import_export.instance_loaders import BaseInstanceLoader

from . import policies, services
from .batches import chunks
from .models import ActivityField, AdministrativeUnit, Initiative, Organization, YearlyResult
from .scope import UserScope
from .scoped_admin import ChoiceLabelWidget, RowWidget, ScopedResource, row_error
from .text import fold_for_search


def cell_key(value) -> str:
    """A cell as the key it names: 12, 12.0 and " 12 " are all "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class CurrentUnitWidget(widgets.ForeignKeyWidget):
    """An administrative unit by its code on the current map (codes repeat across editions)."""

    def __init__(self):
        super().__init__(AdministrativeUnit, field="code")

    def get_queryset(self, value, row, *args, **kwargs):
        return AdministrativeUnit.objects.current()

    def clean(self, value, row=None, **kwargs):
        return super().clean(cell_key(value) or None, row, **kwargs)


class ActivityFieldWidget(widgets.ForeignKeyWidget):
    """A field of activity by its Vietnamese name ("Giảm nghèo bền vững"); its code is understood too."""

    def __init__(self):
        super().__init__(ActivityField, field="code")
        self._known = None

    def known(self) -> dict:
        if self._known is None:
            self._known = {}
            for activity_field in ActivityField.objects.order_by("order", "pk"):
                self._known.setdefault(activity_field.name, activity_field)  # as the template lists them
                self._known.setdefault(fold_for_search(activity_field.name), activity_field)
                self._known[activity_field.code] = activity_field
        return self._known

    def clean(self, value, row=None, **kwargs):
        text = cell_key(value)
        if not text:
            return None
        found = self.known().get(text) or self.known().get(fold_for_search(text))
        if found is None:
            names = "; ".join(sorted({f.name for f in self.known().values()}))
            raise ValueError(_("“%(value)s” is not a field of activity. Use one of: %(names)s.")
                             % {"value": text, "names": names})
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class OrganizationResource(ScopedResource):
    unit = fields.Field(attribute="unit", column_name="unit_code", widget=CurrentUnitWidget())
    unit_name = fields.Field(attribute="unit__name", column_name="unit_name", readonly=True)
    header_labels = {"id": gettext_lazy("Number"), "unit_code": gettext_lazy("Administrative unit code"),
                     "unit_name": gettext_lazy("Administrative unit")}
    plain_number_columns = ("unit_code",)

    class Meta:
        model = Organization
        fields = ("id", "name", "category", "unit", "unit_name", "is_active")
        export_order = ("id", "name", "category", "unit", "unit_name", "is_active")
        import_id_fields = ("id",)
        skip_unchanged = True
        skip_diff = True  # ScopedResource compares each row with a copy of the stored one

    def row_label(self, row) -> str:
        return cell_key(row.get("name"))

    def before_import_row(self, row, **kwargs):
        user = self.acting_user(kwargs)
        number = kwargs.get("row_number")
        code = cell_key(row.get("unit_code"))
        unit = AdministrativeUnit.objects.current().filter(code=code).first() if code else None
        if unit is None:
            raise row_error(number, _("there is no administrative unit with code “%(code)s” on the current map.")
                            % {"code": code})
        if not UserScope.of(user).covers_unit(unit):
            raise row_error(number, _("the unit “%(unit)s” is outside your area.") % {"unit": unit.name})
        pk = cell_key(row.get("id"))
        if pk:
            if not pk.isdigit():
                raise row_error(number, _("the id “%(id)s” is not a number.") % {"id": pk})
            if Organization.unscoped.filter(pk=pk).exists() and not (
                Organization.objects.visible_to(user).filter(pk=pk).exists()
            ):
                raise row_error(number, _("organisation no. %(id)s is outside your area.") % {"id": pk})

    def do_instance_save(self, instance, is_create):
        services.organization_save(organization=instance, acting_user=self.user)


class PrefetchedInitiativeLoader(BaseInstanceLoader):
    """The initiative a line updates, from the ones read for the whole file in before_import."""

    def get_instance(self, row):
        return self.resource.existing.get(cell_key(row.get("code")))


class InitiativeResource(ScopedResource):
    organization = fields.Field(
        attribute="organization", column_name="organization_id", widget=RowWidget(Organization)
    )
    organization_name = fields.Field(attribute="organization__name", column_name="organization_name",
                                     readonly=True)
    unit_name = fields.Field(attribute="unit__name", column_name="unit_name", readonly=True)
    field = fields.Field(attribute="field", column_name="field_code", widget=ActivityFieldWidget())
    replicated_from = fields.Field(attribute="replicated_from", column_name="replicated_from_code",
                                   widget=RowWidget(Initiative, field="code"))
    status = fields.Field(attribute="status", column_name="status", readonly=True,
                          widget=ChoiceLabelWidget(Initiative._meta.get_field("status").choices))
    lifecycle = fields.Field(attribute="lifecycle", column_name="lifecycle", readonly=True,
                             widget=ChoiceLabelWidget(Initiative._meta.get_field("lifecycle").choices))
    header_labels = {
        "organization_id": gettext_lazy("Number of the registering organisation"),
        "organization_name": gettext_lazy("Registering organisation"),
        "unit_name": gettext_lazy("Locality"),
        "field_code": gettext_lazy("Field of activity"),
        "replicated_from_code": gettext_lazy("Code of the model replicated"),
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
        skip_unchanged = True
        skip_diff = True  # ScopedResource compares each row with a copy of the stored one
        instance_loader_class = PrefetchedInitiativeLoader

    derived_on_create = ("code", "unit", "review_unit", "status", "created_by")

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "unit", "field", "replicated_from")

    def row_label(self, row) -> str:
        return " – ".join(part for part in (cell_key(row.get("code")), cell_key(row.get("title"))) if part)

    def before_import(self, dataset, **kwargs):
        """Read once, for the whole file, the rows its lines name: each line then costs no lookup query."""
        super().before_import(dataset, **kwargs)
        user = self.acting_user(kwargs)
        headers = dataset.headers or []

        def column(name):
            return {cell_key(value) for value in dataset[name]} - {""} if name in headers else set()

        codes, org_ids, sources = column("code"), column("organization_id"), column("replicated_from_code")
        org_ids = {value for value in org_ids if value.isdigit()}
        self.existing, self.visible_ids, self.organizations, self.sources = {}, set(), {}, {}
        for part in chunks(codes):
            self.existing.update({i.code: i for i in self.get_queryset().filter(code__in=part)})
            self.visible_ids.update(Initiative.objects.visible_to(user).filter(code__in=part)
                                    .values_list("pk", flat=True))
        for part in chunks(org_ids):
            self.organizations.update({str(o.pk): o for o in Organization.objects.visible_to(user)
                                       .select_related("unit").filter(pk__in=part)})
        for part in chunks(sources):
            self.sources.update({i.code: i for i in Initiative.objects.replication_sources().filter(code__in=part)})
        known_sources = {}
        for part in chunks(sources):
            known_sources.update({i.code: i for i in Initiative.unscoped.filter(code__in=part)})
        self.fields["organization"].widget.prefetched = self.organizations
        self.fields["replicated_from"].widget.prefetched = known_sources
        self.may_register, self.lines_of_code = {}, {}

    def before_import_row(self, row, **kwargs):
        user = self.acting_user(kwargs)
        number = self.row_number = kwargs.get("row_number")
        org_id = cell_key(row.get("organization_id"))
        if not org_id.isdigit():
            raise row_error(number, _("give the number of the registering organisation (column “%(column)s”).")
                            % {"column": self.header_labels["organization_id"]})
        organization = self.organizations.get(org_id)
        if organization is None:
            raise row_error(number, _("organisation no. %(id)s is outside your area.") % {"id": org_id})
        code = cell_key(row.get("code"))
        if code:
            if code in self.lines_of_code:
                raise row_error(number, _("the code %(code)s is already on row %(line)s.")
                                % {"code": code, "line": self.lines_of_code[code]})
            self.lines_of_code[code] = number
        existing = self.existing.get(code) if code else None
        if existing is None:
            if org_id not in self.may_register:
                self.may_register[org_id] = policies.can_register_for(user, organization)
            if not self.may_register[org_id]:
                raise row_error(number, _("you are not allowed to register new models; the organisation's own "
                                          "staff register them."))
            return
        if existing.pk not in self.visible_ids:
            raise row_error(number, _("initiative %(code)s is outside your area.") % {"code": code})
        if existing.organization_id != organization.pk:
            raise row_error(number, _("the organisation of initiative %(code)s cannot be changed.")
                            % {"code": code})

    def check_change(self, original, instance, changed, **kwargs):
        """Only the owning organisation changes a draft or returned registration; a source must be a model
        of the public catalogue. Checked only for rows that change something."""
        number = self.row_number
        user = self.user
        if instance.replicated_from_id and (original.pk is None or any(f.attribute == "replicated_from"
                                                                      for f in changed)):
            source = instance.replicated_from
            if source.code not in self.sources:
                raise row_error(number, _("the replicated model %(code)s is not an accepted model of the public "
                                          "catalogue.") % {"code": source.code})
        if original.pk is None:
            return
        if not policies.can_edit_registration(user, original):
            raise row_error(
                number,
                _("initiative %(code)s is %(status)s; only its organisation can change it, and only as a draft or "
                  "when returned. Columns changed in the file: %(columns)s.")
                % {"code": original.code, "status": original.get_status_display(),
                   "columns": ", ".join(self.header_label(field) for field in changed)},
            )

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
    """Exported only: results are reported one by one by the registering organisation."""

    importable = False
    initiative_code = fields.Field(attribute="initiative__code", column_name="initiative_code", readonly=True)
    initiative_title = fields.Field(attribute="initiative__title", column_name="initiative_title", readonly=True)
    header_labels = {"initiative_code": gettext_lazy("Initiative code"), "initiative_title": gettext_lazy("Initiative")}

    class Meta:
        model = YearlyResult
        fields = ("initiative_code", "initiative_title", "year", "is_running", "participants", "beneficiaries",
                  "value_mobilised", "land_donated_m2", "workdays", "narrative")
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("initiative")
