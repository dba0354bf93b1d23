"""Imports of the registry's records from past years: organisations, initiatives, yearly results.

They extend the registry's django-import-export resources (models_registry.resources): the same Vietnamese
headers, checks of scope and rights per row, and services that write each row. What past years add:
organisations placed on the pre-2025 map by the unit's name (with its district and province) or old code;
initiatives recognised years ago arriving as accepted on the day they were recognised, never as drafts;
yearly results matched by the initiative's code and the year.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader

from models_registry import policies, services
from models_registry.models import (
    Initiative,
    InitiativeStatus,
    Organization,
    OrganizationCategory,
    YearlyResult,
)
from models_registry.resources import (
    CurrentUnitWidget,
    InitiativeResource,
    OrganizationResource,
    YearlyResultResource,
    cell_key,
    chunks,
)
from models_registry.scope import UserScope
from models_registry.scoped_admin import (
    ChoiceLabelWidget,
    RowWidget,
    VietnameseDateWidget,
    VietnameseIntegerWidget,
    row_error,
)
from models_registry.text import fold_for_search

from ..legacy_units import LegacyUnits, fold_unit_name, match_unit
from .base import Column, ResourceImporter

# --- Organisations ---------------------------------------------------------------------------------------

LEGACY_UNIT_HEADERS = {
    "old_unit_code": gettext_lazy("Old unit code (before 1/7/2025)"),
    "old_unit": gettext_lazy("Commune / ward (before 1/7/2025)"),
    "old_district": gettext_lazy("District (before 1/7/2025)"),
    "old_province": gettext_lazy("Province (before 1/7/2025)"),
}


class OptionalUnitWidget(CurrentUnitWidget):
    """The unit of today's map by its code, or nothing when the row names an old unit instead."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) if cell_key(value) else None


class OrganizationLoader(BaseInstanceLoader):
    """By the number of an exported file; else the organisation of the same name in the same unit."""

    def get_instance(self, row):
        return self.resource.row_match


class PastOrganizationResource(OrganizationResource):
    """Organisations of today's map (by unit code) or of the pre-2025 map (by old code, or by the commune's
    name with its district and province)."""

    unit = fields.Field(attribute="unit", column_name="unit_code", widget=OptionalUnitWidget())
    old_unit_code = fields.Field(column_name="old_unit_code", readonly=True)
    old_unit = fields.Field(column_name="old_unit", readonly=True)
    old_district = fields.Field(column_name="old_district", readonly=True)
    old_province = fields.Field(column_name="old_province", readonly=True)
    header_labels = {**OrganizationResource.header_labels, **LEGACY_UNIT_HEADERS}

    class Meta(OrganizationResource.Meta):
        fields = ("id", "name", "category", "unit", "unit_name", "is_active", "old_unit_code", "old_unit",
                  "old_district", "old_province")
        export_order = fields
        instance_loader_class = OrganizationLoader

    def before_import(self, dataset, **kwargs):
        # Old files have no "Số" column: every row is then matched by its name and unit.
        id_headers = {"id", fold_for_search(self.header_label(self.fields["id"]))}
        if not any(fold_for_search(str(header or "")) in id_headers for header in dataset.headers or []):
            dataset.append_col([""] * len(dataset), header="id")
        super().before_import(dataset, **kwargs)
        self.legacy = LegacyUnits()
        self.names_seen = {}

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.unit = self.row_unit

    def readonly_notes(self, row, instance) -> list[str]:
        # The old unit's columns say where the organisation is; they are not values to compare.
        return [] if not cell_key(row.get("unit_code")) else super().readonly_notes(row, instance)

    def before_import_row(self, row, **kwargs):
        user = self.acting_user(kwargs)
        number = kwargs.get("row_number")
        self.row_unit = self.row_match = None
        code = cell_key(row.get("unit_code"))
        if code:
            match = match_unit(code=code, legacy=self.legacy)
            if match.unit is None or not match.unit.edition.is_current:
                raise row_error(number, _("column “%(column)s”: there is no administrative unit with code "
                                          "“%(code)s” on the current map.")
                                % {"column": self.header_label(self.fields["unit"]), "code": code})
        else:
            match = self.legacy.match(code=row.get("old_unit_code"), name=row.get("old_unit") or "",
                                      district=row.get("old_district") or "", province=row.get("old_province") or "")
            if match.unit is None:
                column = "old_unit_code" if cell_key(row.get("old_unit_code")) else "old_unit"
                raise row_error(number, _("column “%(column)s”: %(reason)s") % {
                    "column": LEGACY_UNIT_HEADERS[column], "reason": match.error})
        unit = self.row_unit = match.unit
        if not UserScope.of(user).covers_unit(unit):
            raise row_error(number, _("the unit “%(unit)s” is outside your area.") % {"unit": self.legacy.label(unit)
                                                                                      if not unit.edition.is_current
                                                                                      else unit.name})
        pk = cell_key(row.get("id"))
        name = str(row.get("name") or "").strip()
        if pk:
            if not pk.isdigit():
                raise row_error(number, _("the id “%(id)s” is not a number.") % {"id": pk})
            self.row_match = Organization.objects.visible_to(user).filter(pk=pk).first()
            if self.row_match is None:
                raise row_error(number, _("organisation no. %(id)s is outside your area.") % {"id": pk})
            return
        key = (unit.pk, fold_for_search(name))
        if key in self.names_seen:
            raise row_error(number, _("the organisation “%(name)s” is already on row %(line)s.")
                            % {"name": name, "line": self.names_seen[key]})
        self.names_seen[key] = number
        for organization in Organization.unscoped.filter(unit=unit, search_text__startswith=f" {key[1]} |"):
            if fold_for_search(organization.name) == key[1]:
                self.row_match = organization
                row["id"] = organization.pk  # found by name: the row's empty number is not a change
                break


class OrganizationImporter(ResourceImporter):
    key = "to-chuc"
    title = gettext_lazy("Organisations")
    description = gettext_lazy("Bodies that register models, on today's map or on the map before 1 July 2025.")
    resource_class = PastOrganizationResource
    permissions = ("models_registry.import_organization", "models_registry.add_organization")
    columns = [
        Column("id", gettext_lazy("Number"), gettext_lazy("Leave empty for a new organisation; the number of an "
                                                          "exported file to change one.")),
        Column("name", gettext_lazy("name"), gettext_lazy("The organisation's full name."), required=True,
               example="Hội Liên hiệp Phụ nữ xã Long Hiệp"),
        Column("category", gettext_lazy("category"), gettext_lazy("One of the allowed values."), required=True,
               example=OrganizationCategory.FRONT_AND_UNIONS.label,
               allowed=lambda: [str(label) for _code, label in OrganizationCategory.choices]),
        Column("unit_code", gettext_lazy("Administrative unit code"),
               gettext_lazy("Code of the commune, ward or province on today's map. Leave empty to name a unit of "
                            "the old map in the next columns.")),
        Column("is_active", gettext_lazy("active"), gettext_lazy("Có or Không (empty: Có)."), example="Có"),
        Column("old_unit_code", LEGACY_UNIT_HEADERS["old_unit_code"],
               gettext_lazy("Code of the unit before 1 July 2025 (instead of its name).")),
        Column("old_unit", LEGACY_UNIT_HEADERS["old_unit"],
               gettext_lazy("Name of the commune, ward or township before 1 July 2025, with or without “xã”, "
                            "“phường”, “thị trấn”; accents may be missing."), example="Xã Long Hiệp"),
        Column("old_district", LEGACY_UNIT_HEADERS["old_district"],
               gettext_lazy("Its district then (needed when two communes had the same name)."),
               example="Huyện Minh Long"),
        Column("old_province", LEGACY_UNIT_HEADERS["old_province"], gettext_lazy("Its province then."),
               example="Tỉnh Quảng Ngãi"),
    ]


# --- Initiatives -------------------------------------------------------------------------------------------

PAST_STATUSES = (InitiativeStatus.ACCEPTED, InitiativeStatus.DRAFT)


class PastInitiativeLoader(BaseInstanceLoader):
    """By its code; without a code, the initiative of the same organisation, title and registration year."""

    def get_instance(self, row):
        return self.resource.row_match


class PastInitiativeResource(InitiativeResource):
    """Initiatives of past years: an accepted one arrives accepted on the day it was recognised."""

    status = fields.Field(attribute="status", column_name="status",
                          widget=ChoiceLabelWidget(Initiative._meta.get_field("status").choices))
    decided_on = fields.Field(column_name="decided_on", readonly=True, widget=VietnameseDateWidget())
    header_labels = {**InitiativeResource.header_labels,
                     "decided_on": gettext_lazy("Date recognised (dd/mm/yyyy or year)")}

    class Meta(InitiativeResource.Meta):
        fields = (*InitiativeResource.Meta.fields, "decided_on")
        export_order = fields
        instance_loader_class = PastInitiativeLoader

    derived_on_create = ("code", "unit", "review_unit", "created_by")

    def before_import(self, dataset, **kwargs):
        code_headers = {"code", fold_for_search(self.header_label(self.fields["code"]))}
        if not any(fold_for_search(str(header or "")) in code_headers for header in dataset.headers or []):
            dataset.append_col([""] * len(dataset), header="code")
        super().before_import(dataset, **kwargs)
        user = self.acting_user(kwargs)
        names = {cell_key(value) for value in dataset["organization_name"]} - {""} \
            if "organization_name" in (dataset.headers or []) else set()
        self.organizations_by_name = {}
        for organization in Organization.objects.visible_to(user).select_related("unit"):
            if not names:
                break
            folded = fold_for_search(organization.name)
            if any(fold_for_search(name) == folded for name in names):
                self.organizations_by_name.setdefault(folded, []).append(organization)
                self.organizations[str(organization.pk)] = organization
        self.fields["organization"].widget.prefetched = self.organizations
        self.may_import = bool(user and user.has_perm(services.IMPORT_INITIATIVE_PERMISSION))

    def _organization_of(self, row, number):
        org_id = cell_key(row.get("organization_id"))
        if org_id:
            return org_id
        name = cell_key(row.get("organization_name"))
        found = self.organizations_by_name.get(fold_for_search(name), []) if name else []
        if not found:
            raise row_error(number, _("column “%(column)s”: there is no organisation “%(name)s” in your area.")
                            % {"column": self.header_labels["organization_name"], "name": name})
        if len(found) > 1:
            raise row_error(number, _("column “%(column)s”: several organisations are named “%(name)s” (numbers "
                                      "%(ids)s); give the number instead.")
                            % {"column": self.header_labels["organization_name"], "name": name,
                               "ids": ", ".join(str(o.pk) for o in found)})
        return str(found[0].pk)

    def before_import_row(self, row, **kwargs):
        user = self.acting_user(kwargs)
        number = self.row_number = kwargs.get("row_number")
        org_id = row["organization_id"] = self._organization_of(row, number)
        organization = self.organizations.get(org_id)
        if organization is None:
            raise row_error(number, _("organisation no. %(id)s is outside your area.") % {"id": org_id})
        status = ChoiceLabelWidget(InitiativeStatus.choices).clean(row.get("status")) or InitiativeStatus.DRAFT
        if status not in PAST_STATUSES:
            raise row_error(number, _("column “%(column)s”: only accepted models (recognised in past years) or "
                                      "drafts can be imported.") % {"column": self.header_label(self.fields["status"])})
        row["status"] = status
        self.row_accepted = status == InitiativeStatus.ACCEPTED
        code = cell_key(row.get("code"))
        self.row_match = self.existing.get(code) if code else None
        if code and self.row_match is None:
            self.row_match = Initiative.unscoped.filter(code=code).first()
            if self.row_match is not None and not Initiative.objects.visible_to(user).filter(
                    pk=self.row_match.pk).exists():
                raise row_error(number, _("initiative %(code)s is outside your area.") % {"code": code})
        if not code:
            title = fold_for_search(row.get("title"))
            year = cell_key(row.get("registration_year"))
            for candidate in Initiative.unscoped.filter(organization_id=org_id, registration_year=year or 0,
                                                        search_text__startswith=f" {title} |"):
                if fold_for_search(candidate.title) == title:
                    self.row_match = candidate
                    row["code"] = candidate.code  # found by title: the row's empty code is not a change
                    break
        key = code or (org_id, fold_for_search(row.get("title")), cell_key(row.get("registration_year")))
        if key in self.lines_of_code:
            raise row_error(number, _("the same initiative is already on row %(line)s.")
                            % {"line": self.lines_of_code[key]})
        self.lines_of_code[key] = number
        if self.row_match is not None:
            if self.row_match.pk not in self.visible_ids and not Initiative.objects.visible_to(user).filter(
                    pk=self.row_match.pk).exists():
                raise row_error(number, _("initiative %(code)s is outside your area.") % {"code": code})
            if self.row_match.organization_id != organization.pk:
                raise row_error(number, _("the organisation of initiative %(code)s cannot be changed.")
                                % {"code": self.row_match.code})
            return
        if self.row_accepted:
            if not self.may_import:
                raise row_error(number, _("only a board allowed to import records can bring in accepted models."))
            decided = self._decided_on(row, number)
            year = int(cell_key(row.get("registration_year")) or 0)
            if year and decided.year < year:
                raise row_error(number, _("column “%(column)s”: the model was recognised before it was registered "
                                          "(%(year)s).") % {"column": self.header_labels["decided_on"], "year": year})
            self.row_decided_on = decided
            return
        if not policies.can_register_for(user, organization):
            raise row_error(number, _("you are not allowed to register new models; the organisation's own "
                                      "staff register them."))

    def readonly_notes(self, row, instance) -> list[str]:
        given = {key: value for key, value in row.items() if key != "decided_on"}
        if not cell_key(given.get("organization_name")) or cell_key(row.get("organization_id")):
            given.pop("organization_name", None)
        return super().readonly_notes(given, instance)

    def _decided_on(self, row, number) -> datetime.date:
        value = row.get("decided_on")
        column = self.header_labels["decided_on"]
        text = cell_key(value)
        if text.isdigit() and len(text) == 4:
            year = int(text)
            day = datetime.date(year, 12, 31)
        else:
            try:
                day = VietnameseDateWidget().clean(value)
            except ValueError as error:
                raise row_error(number, _("column “%(column)s”: %(reason)s") % {"column": column,
                                                                                 "reason": error}) from None
        if day is None:
            raise row_error(number, _("column “%(column)s”: give the date (or year) the model was recognised.")
                            % {"column": column})
        return min(day, timezone.localdate())

    def check_change(self, original, instance, changed, **kwargs):
        if original.pk is not None and original.status == InitiativeStatus.ACCEPTED and any(
                field.attribute == "status" for field in changed):
            raise row_error(self.row_number, _("initiative %(code)s is accepted; its status does not change by an "
                                               "import.") % {"code": original.code})
        if original.pk is not None and instance.status != original.status:
            raise row_error(self.row_number, _("the status of initiative %(code)s changes only through its review.")
                            % {"code": original.code})
        super().check_change(original, instance, changed, **kwargs)

    def do_instance_save(self, instance, is_create):
        if is_create and instance.status == InitiativeStatus.ACCEPTED:
            services.initiative_record_historical(initiative=instance, acting_user=self.user,
                                                  decided_on=self.row_decided_on)
            return
        super().do_instance_save(instance, is_create)


def _choice_labels(choices):
    return lambda: [str(label) for _code, label in choices]


class InitiativeImporter(ResourceImporter):
    key = "mo-hinh"
    title = gettext_lazy("Models and exemplars")
    description = gettext_lazy("Registrations of past years: a model recognised then arrives accepted on the day it "
                               "was recognised (with the permission to import records).")
    resource_class = PastInitiativeResource
    permissions = (services.IMPORT_INITIATIVE_PERMISSION,)

    def get_columns(self) -> list[Column]:
        resource = self.resource()
        help_texts = {
            "code": gettext_lazy("The model's code in your records; leave empty to have one given (the model is "
                                 "then found again by organisation, title and year)."),
            "organization_id": gettext_lazy("The organisation's number in the portal; or leave it empty and give "
                                            "its name in the next column."),
            "organization_name": gettext_lazy("The organisation's name, exactly as in the list of organisations."),
            "status": gettext_lazy("“accepted” for a model recognised in a past year; empty for a draft."),
            "decided_on": gettext_lazy("For an accepted model: the date it was recognised (or only the year)."),
            "registration_year": gettext_lazy("The year it was registered (from 2009)."),
            "field_code": gettext_lazy("One of the fields of activity."),
            "budget_amount": gettext_lazy("In đồng, e.g. 1.234.567."),
            "start_date": gettext_lazy("dd/mm/yyyy"),
            "end_date": gettext_lazy("dd/mm/yyyy"),
        }
        allowed = {
            "kind": _choice_labels(Initiative._meta.get_field("kind").choices),
            "origin": _choice_labels(Initiative._meta.get_field("origin").choices),
            "status": lambda: [str(InitiativeStatus.ACCEPTED.label), str(InitiativeStatus.DRAFT.label)],
            "field_code": lambda: [field.name for field in __import__(
                "models_registry.models", fromlist=["ActivityField"]).ActivityField.objects.order_by("order", "pk")],
        }
        required = {"title", "registration_year", "field_code"}
        columns = []
        for resource_field in resource.get_import_fields():
            name = resource_field.column_name
            if name in ("unit_name", "lifecycle") or name.startswith("contact_"):
                continue  # contact details are entered by the organisation itself
            columns.append(Column(name, resource.header_label(resource_field), help_texts.get(name, ""),
                                  required=name in required, allowed=allowed.get(name)))
        return columns


# --- Yearly results ----------------------------------------------------------------------------------------


class YearlyResultLoader(BaseInstanceLoader):
    def get_instance(self, row):
        return self.resource.row_match


class PastYearlyResultResource(YearlyResultResource):
    """Yearly results matched by (initiative code, year), each saved by the service that reports them."""

    importable = True
    initiative = fields.Field(attribute="initiative", column_name="initiative_code",
                              widget=RowWidget(Initiative, field="code"))
    year = fields.Field(attribute="year", column_name="year", widget=VietnameseIntegerWidget())

    class Meta(YearlyResultResource.Meta):
        fields = ("initiative", "initiative_title", "year", "is_running", "participants", "beneficiaries",
                  "value_mobilised", "land_donated_m2", "workdays", "narrative")
        export_order = fields
        import_id_fields = ("initiative", "year")
        instance_loader_class = YearlyResultLoader
        skip_unchanged = True
        skip_diff = True

    def row_label(self, row) -> str:
        return f"{cell_key(row.get('initiative_code'))} – {cell_key(row.get('year'))}"

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        user = self.acting_user(kwargs)
        codes = {cell_key(value) for value in dataset["initiative_code"]} - {""}
        self.initiatives = {}
        for part in chunks(codes):
            self.initiatives.update({i.code: i for i in Initiative.objects.visible_to(user).filter(code__in=part)})
        self.fields["initiative"].widget.prefetched = self.initiatives
        self.keys_seen = {}

    def before_import_row(self, row, **kwargs):
        user = self.acting_user(kwargs)
        number = self.row_number = kwargs.get("row_number")
        code = cell_key(row.get("initiative_code"))
        initiative = self.initiatives.get(code)
        column = self.header_label(self.fields["initiative"])
        if initiative is None:
            known = Initiative.unscoped.filter(code=code).exists() if code else False
            raise row_error(number, _("column “%(column)s”: %(reason)s") % {"column": column, "reason": (
                _("initiative %(code)s is outside your area.") % {"code": code}) if known else (
                _("there is no initiative with code “%(code)s”.") % {"code": code})})
        if not policies.can_report_results(user, initiative):
            raise row_error(number, _("column “%(column)s”: results are recorded for accepted models, by their "
                                      "organisation or a board allowed to record them.") % {"column": column})
        try:
            year = VietnameseIntegerWidget().clean(row.get("year"))
        except ValueError as error:
            raise row_error(number, _("column “%(column)s”: %(reason)s") % {
                "column": self.header_label(self.fields["year"]), "reason": error}) from None
        this_year = timezone.localdate().year
        if year is None or year < initiative.registration_year or year > this_year:
            raise row_error(number, _("column “%(column)s”: the year must be between %(start)s and %(end)s.") % {
                "column": self.header_label(self.fields["year"]), "start": initiative.registration_year,
                "end": this_year})
        if (code, year) in self.keys_seen:
            raise row_error(number, _("the results of %(code)s for %(year)s are already on row %(line)s.")
                            % {"code": code, "year": year, "line": self.keys_seen[(code, year)]})
        self.keys_seen[(code, year)] = number
        self.row_initiative = initiative
        self.row_match = YearlyResult.unscoped.filter(initiative=initiative, year=year).first()

    def do_instance_save(self, instance, is_create):
        values = {name: getattr(instance, name) for name in services.YEARLY_RESULT_FIELDS}
        saved = services.yearly_result_save(initiative=self.row_initiative, acting_user=self.user,
                                            year=instance.year, values=values)
        instance.pk = saved.pk


class YearlyResultImporter(ResourceImporter):
    key = "ket-qua-hang-nam"
    title = gettext_lazy("Yearly results")
    description = gettext_lazy("Participants, beneficiaries and value mobilised of each accepted model, year by "
                               "year; a row is found again by the model's code and the year.")
    resource_class = PastYearlyResultResource
    permissions = (services.IMPORT_INITIATIVE_PERMISSION, "models_registry.change_yearlyresult")

    def get_columns(self) -> list[Column]:
        resource = self.resource()
        helps = {
            "initiative_code": gettext_lazy("The model's code (e.g. DVK-51-2019-00012)."),
            "year": gettext_lazy("The year of the results."),
            "is_running": gettext_lazy("Có or Không; “Không” records that the model stopped that year."),
            "value_mobilised": gettext_lazy("In đồng, e.g. 1.234.567."),
            "land_donated_m2": gettext_lazy("Square metres, e.g. 1.250,5."),
        }
        return [Column(f.column_name, resource.header_label(f), helps.get(f.column_name, ""),
                       required=f.column_name in ("initiative_code", "year"))
                for f in resource.get_import_fields() if f.column_name != "initiative_title"]


__all__ = ["OrganizationImporter", "InitiativeImporter", "YearlyResultImporter", "fold_unit_name"]
