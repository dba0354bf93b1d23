"""Imports of the registry's records from past years: organisations, initiatives, yearly results.

Organisations and yearly results extend the registry's django-import-export resources (models_registry.resources):
the same Vietnamese headers, checks of scope and rights per row, and services that write each row. What past years
add: organisations placed on the pre-2025 map by the unit's name (with its district and province) or old code;
yearly results matched by the initiative's code and the year. Initiatives recognised years ago (arriving as
accepted on the day they were recognised) have an importer of their own, checked and written by the file
(initiatives.py).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader

from models_registry import policies, services
from models_registry.models import (
    Initiative,
    Organization,
    OrganizationCategory,
    YearlyResult,
)
from models_registry.resources import (
    CurrentUnitWidget,
    OrganizationResource,
    YearlyResultResource,
    cell_key,
    chunks,
)
from models_registry.scope import UserScope
from models_registry.scoped_admin import (
    RowWidget,
    VietnameseIntegerWidget,
    row_error,
)
from models_registry.text import fold_for_search

from ..legacy_units import LegacyUnits, fold_unit_name, match_unit
from .base import Column, ResourceImporter
from .initiatives import InitiativeImporter

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
