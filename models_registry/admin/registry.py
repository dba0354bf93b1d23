"""Admin of the reference tables: editions, administrative units, successions, organisations, fields."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import ActivityField, AdministrativeUnit, Organization, UnitEdition, UnitSuccession
from ..resources import OrganizationResource
from ..scoped_admin import (
    AdministratorsListMixin,
    FoldedSearchMixin,
    ReferenceDataAdminMixin,
    ScopedAdminMixin,
    ScopedImportExportMixin,
    ServiceRefusalsMixin,
    unit_filter,
)
from ..search import search


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

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The account form's picker sends the unit chosen beside it (static/js/account-form.js): only the
        # organisations of that unit are offered (the form checks it again on saving).
        if (request.GET.get("model_name"), request.GET.get("field_name")) == ("staffprofile", "organization"):
            unit = request.GET.get("unit", "")
            if unit.isdigit():
                found = found.filter(unit_id=int(unit))
        return found, may_have_duplicates


@admin.register(ActivityField)
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
