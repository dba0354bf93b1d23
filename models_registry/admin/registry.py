"""Admin of the reference tables: editions, administrative units, successions, organisations, fields."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from .. import services
from ..models import AdministrativeUnit, Field, Organization, UnitEdition, UnitSuccession
from ..resources import OrganizationResource
from ..scope import UserScope
from ..search import search
from ..text import fold_for_search
from .base import (
    AdministratorsListMixin,
    FoldedSearchMixin,
    ReferenceDataAdminMixin,
    ScopedAdminMixin,
    ServiceRefusalsMixin,
    unit_filter,
)


class LabelledExportForm(SelectableFieldsExportForm):
    """Column check-boxes labelled with the column headers the file will have (Vietnamese)."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return resource().header_label(field) if field else super()._get_field_label(resource, field_name)


class ScopedImportExportMixin(ImportExportMixin):
    """import-export through the scoped admin: resources know the user, and a file with a refused row
    writes nothing."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    export_form_class = LabelledExportForm

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def column_headers(self, request, resource_classes):
        """The columns a file has, as its headers read (Vietnamese), for the import and export pages."""
        resources = [resource_class(**self.get_resource_kwargs(request)) for resource_class in resource_classes]
        return [(resource.get_display_name(), [resource.header_label(field)
                                               for field in resource.get_user_visible_fields()])
                for resource in resources]

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if getattr(response, "context_data", None) and "fields_list" in response.context_data:
            response.context_data["fields_list"] = self.column_headers(
                request, self.get_import_resource_classes(request))
        return response

    def init_request_context_data(self, request, form):
        context = super().init_request_context_data(request, form)
        context["fields_list"] = self.column_headers(request, self.get_export_resource_classes(request))
        return context

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_export_filename(self, request, queryset, file_format):
        """e.g. "mo-hinh-dien-hinh-22-11-2026.xlsx": the list's Vietnamese name and the day, in ASCII."""
        name = slugify(fold_for_search(self.model._meta.verbose_name_plural))
        return f"{name}-{timezone.localdate():%d-%m-%Y}.{file_format.get_extension()}"


@admin.register(UnitEdition)
class UnitEditionAdmin(ReferenceDataAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_until", "is_current")
    search_fields = ("code", "name")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ReferenceDataAdminMixin, FoldedSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "edition", "level", "unit_type", "parent", "current_unit")
    list_select_related = ("edition", "parent", "current_unit")
    list_filter = ("edition", "level", "unit_type", unit_filter("pk", _("within")))
    autocomplete_fields = ("parent", "current_unit")
    readonly_fields = ("path", "current_path")
    # Pickers (the user form's unit, a unit's parent…): a unit named exactly as typed first, today's map before
    # the old units ("(cũ)"), provinces before communes.
    search_ordering = ("-edition__is_current", "level", "short_name", "name", "pk")

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("parent"), duplicates

    def autocomplete_label(self, unit):
        """Names repeat (five "Xã Bình Minh" today, an old "Phường Quang Trung" in several districts of Hà Nội):
        the picker names the parent too, e.g. "Huyện Minh Long (cũ), Tỉnh Quảng Ngãi (cũ)"."""
        return f"{unit}, {unit.parent}" if unit.parent_id else str(unit)
    fields = ("edition", "code", "name", "short_name", "level", "unit_type", "parent", "valid_from", "valid_until",
              "current_unit", "path", "current_path")
    list_per_page = 50


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReferenceDataAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("predecessor", "successor", "is_default", "effective_date")
    list_select_related = ("predecessor", "successor")
    list_filter = ("is_default",)
    autocomplete_fields = ("predecessor", "successor")
    search_fields = ("predecessor__search_text", "successor__search_text")
    search_help_text = FoldedSearchMixin.search_help_text

    def get_search_results(self, request, queryset, search_term):
        # Each word in the old unit's name or code or in the new one's.
        fields = ("predecessor__search_text", "successor__search_text")
        return search(queryset, search_term, fields=fields), False

    def scope_queryset(self, queryset, request):
        unit_ids = UserScope.of(request.user).unit_ids()
        if unit_ids is None:
            return queryset
        return queryset.filter(Q(predecessor__in=unit_ids) | Q(successor__in=unit_ids))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", AdministrativeUnit.objects.visible_to(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organization)
class OrganizationAdmin(ScopedImportExportMixin, FoldedSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [OrganizationResource]
    list_display = ("name", "category", "unit", "is_active", "successor")
    list_select_related = ("unit", "successor")
    list_filter = ("category", "is_active", unit_filter("unit"))
    autocomplete_fields = ("unit", "successor")
    fields = ("name", "category", "unit", "is_active", "successor")
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        services.organization_save(organization=obj, acting_user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # an organisation that stops is marked inactive or merged into its successor


@admin.register(Field)
class FieldAdmin(ServiceRefusalsMixin, AdministratorsListMixin, admin.ModelAdmin):
    list_display = ("name", "code", "parent", "order")
    list_select_related = ("parent",)
    list_filter = (("parent", admin.EmptyFieldListFilter),)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}

    def save_model(self, request, obj, form, change):
        services.field_save(field=obj, acting_user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # initiatives keep their field
