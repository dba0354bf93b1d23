"""The building blocks every app's admin and import/export uses, scoped to each person's area.

Public for the apps built on the registry (DESIGN.md §4): admin mixins that scope every path by which the
admin reads rows (changelists, typed change/delete/history URLs answering 404 outside the scope,
foreign-key choices, autocomplete, raw-id popups, list filters, actions), show a service's refusal as a
message and the audit history as the "Lịch sử" page; filters that leak nothing; and the import/export
mixin and resource base whose files speak Vietnamese and whose imports write nothing when a row is refused.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from . import audit, roles
from .formatting import person_name
from .models import MOVEMENT_FIRST_YEAR, AdministrativeUnit, AuditEntry, UnitEdition, UnitLevel
from .scope import ScopedQuerySet, UserScope, users_visible_to
from .search import best_first, search
from .statistics import first_year_with_data
from .text import fold_for_search


def scoped_choices(model, user):
    """The rows of `model` the user may pick in a form, or None when the model is not scoped."""
    if model is get_user_model():
        return users_visible_to(user)
    queryset = model._default_manager.all()
    if isinstance(queryset, ScopedQuerySet):
        return queryset.visible_to(user)
    return None


class ScopedQuerysetMixin:
    """For ModelAdmins and inlines: rows and foreign-key choices narrowed to the user's scope."""

    def scope_queryset(self, queryset, request):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        return self.scope_queryset(super().get_queryset(request), request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = scoped_choices(db_field.related_model, request.user)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@dataclass
class HistoryRow:
    """One line of a record's "Lịch sử" page."""

    at: datetime.datetime
    actor: str
    action: str
    note: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def audit_history(obj) -> list[HistoryRow]:
    """The record's entries in the audit log."""
    rows = []
    for entry in AuditEntry.unscoped.for_object(obj).select_related("actor", "content_type"):
        rows.append(HistoryRow(
            at=entry.created_at, actor=person_name(entry.actor), action=audit.action_label(entry.action),
            note=audit.details_text(entry), changes=audit.change_rows(entry),
        ))
    return rows


def workflow_message(error: Exception) -> str:
    """The text of a service's refusal, for messages.error."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or gettext("You are not allowed to do this.")


class ServiceRefusalsMixin:
    """A service that refuses a save (a rule, a race lost to another person, a missing right) is answered
    with its message on the same page, never with an error page."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied) and not str(error):
                raise  # the admin's own check (no right to this page): a 403, not a message
            self.message_user(request, workflow_message(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ScopedAdminMixin(ServiceRefusalsMixin, ScopedQuerysetMixin):
    """For ModelAdmins: a typed URL to a row outside the scope answers 404, whatever the view."""

    object_history_template = "admin/danvan_history.html"

    show_full_result_count = False
    # "Show counts" would run one COUNT per filter choice over a big table: not offered.
    show_facets = admin.ShowFacets.NEVER

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("This record does not exist or is outside your area."))
        return obj

    # The services write every change to the audit log, with its fields; Django's own admin log would say
    # the same thing twice, less precisely.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletions(self, request, queryset):
        return None

    def history_rows(self, request, obj) -> list[HistoryRow]:
        """What the record's "Lịch sử" page lists; admins whose records have more history add to it."""
        return audit_history(obj)

    def history_view(self, request, object_id, extra_context=None):
        """Every recorded action on the row, newest first: edits with their fields, and whatever the admin
        of the model adds (an initiative's status changes)."""
        obj = self.get_object(request, unquote(object_id))  # 404 outside the scope
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        rows = sorted(self.history_rows(request, obj), key=lambda row: row.at, reverse=True)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("History of %(record)s") % {"record": obj},
            "subtitle": None,
            "rows": rows,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


class AdministratorsListMixin:
    """Listed on the admin index only for administrators: reviewers and boards open onto their work."""

    def has_module_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.has_perm(roles.MANAGE_REFERENCE_DATA))


class ReadOnlyMixin:
    """Rows that are never added, changed or deleted through this admin or inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceDataAdminMixin(ReadOnlyMixin, AdministratorsListMixin):
    """Tables loaded from the national lists (manage.py load_units): read-only for everybody in the admin,
    since their stored paths, which every scope filter relies on, are derived by the loader."""


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Pickers label each row with the target admin's `autocomplete_label(obj)` when it has one."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


def labelled_autocomplete_view(request):
    return LabelledAutocompleteJsonView.as_view(admin_site=admin.site)(request)


class FoldedSearchMixin:
    """Search on the folded `search_text` column: "dan van kheo" finds "Dân vận khéo".

    Every word of the query must start a word of the text, in any order; the best matches come first in the
    list and in pickers (models_registry.search). The lookup is a LIKE that the trigram index serves.
    """

    search_text_lookup = "search_text"
    search_fields = ("search_text",)  # enables the search box and autocomplete; the lookup is ours
    search_help_text = _("Accents and capitals are ignored: “dan van kheo” finds “Dân vận khéo”.")
    # The order among equally good matches (default: the list's order).
    search_ordering: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        found = search(queryset, search_term, fields=(self.search_text_lookup,))
        if search_term and not request.GET.get(ORDER_VAR):  # unless a column header was clicked
            found = best_first(found, search_term, *(self.search_ordering or queryset.query.order_by),
                               field=self.search_text_lookup)
        return found, False


class YearFilter(admin.SimpleListFilter):
    """The years from the first one with data to this one: no SELECT DISTINCT over a big table on every page."""

    title = _("year")
    parameter_name = "year"
    field_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        first = first_year_with_data(model_admin.model, self.field_name)
        chosen = self.value()
        if chosen and chosen.isdigit() and MOVEMENT_FIRST_YEAR <= int(chosen) < first:
            first = int(chosen)  # a year typed in the address stays visible as chosen
        return [(str(year), str(year)) for year in range(this_year, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.field_name: int(value)})
        return queryset


def year_filter(field_name: str, title=None):
    return type(
        f"YearFilter_{field_name}", (YearFilter,),
        {"field_name": field_name, "parameter_name": field_name, "title": title or YearFilter.title},
    )


def units_for_filter(user):
    """The units offered by a unit filter: the scope's unit, its children, and the old units merged into it.

    Superusers get the provinces of every edition. Nothing outside the user's scope is ever listed.
    """
    scope = UserScope.of(user)
    units = AdministrativeUnit.objects.select_related("edition")
    if scope.everything:
        return list(units.filter(level=UnitLevel.PROVINCE).order_by("-edition__is_current", "edition", "short_name",
                                                                    "name"))
    if scope.unit is None:
        return []
    unit = scope.unit
    merged = units.filter(current_unit=unit, level=unit.level).exclude(pk=unit.pk).alphabetical()
    children = units.filter(parent=unit).alphabetical()
    return [unit, *children, *merged]


class ScopedUnitFilter(admin.SimpleListFilter):
    """Filter by a unit of the user's scope (and everything below it, including old units mapping into it)."""

    title = _("administrative unit")
    parameter_name = "unit_scope"
    unit_lookup = "unit"

    def lookups(self, request, model_admin):
        current = UnitEdition.objects.filter(is_current=True).values_list("pk", flat=True).first()
        return [
            (str(unit.pk), str(unit) if unit.edition_id == current else f"{unit} – {unit.edition.name}")
            for unit in units_for_filter(request.user)
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        unit = AdministrativeUnit.objects.visible_to(request.user).filter(pk=value).first() if value.isdigit() \
            else None
        if unit is None:
            return queryset.none()
        subtree = AdministrativeUnit.objects.subtree_of(unit).values("pk")
        return queryset.filter(**{f"{self.unit_lookup}__in": subtree})


def unit_filter(unit_lookup: str, title=None):
    return type(
        f"UnitFilter_{unit_lookup}", (ScopedUnitFilter,),
        {"unit_lookup": unit_lookup, "title": title or ScopedUnitFilter.title},
    )


class ChoicesFilter(admin.SimpleListFilter):
    """A filter over fixed choices for a column that has none declared (no SELECT DISTINCT)."""

    fixed_choices: list[tuple[str, str]] = []
    field_name = ""

    def lookups(self, request, model_admin):
        return self.fixed_choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field_name: self.value()})
        return queryset


# --- Import and export ---------------------------------------------------------------------------------


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


def row_error(row_number, message: str) -> ValidationError:
    return ValidationError(_("Row %(row)s: %(reason)s") % {"row": row_number, "reason": message})


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Vietnamese label ("Mô hình (tập thể)"); on import the label or the code."""

    def __init__(self, choices, coerce_to_string=True, **_options):
        super().__init__(coerce_to_string=coerce_to_string)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        for code, label in self.choices:
            if text == code or fold_for_search(text) == fold_for_search(str(label)):
                return code
        raise ValueError(_("“%(value)s” is not one of: %(choices)s.")
                         % {"value": text, "choices": "; ".join(str(label) for _code, label in self.choices)})

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class YesNoWidget(widgets.BooleanWidget):
    """Có / Không in the file; 1/0, true/false and yes/no are understood too."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(_("Yes") if value else _("No"))

    def clean(self, value, row=None, **kwargs):
        folded = fold_for_search(value or "")
        if folded in {"co", "yes", "x"}:
            return True
        if folded in {"khong", "no"}:
            return False
        return super().clean(value, row, **kwargs)


VN_DATE = "%d/%m/%Y"


class ScopedResource(resources.ModelResource):
    """A resource that knows who uses it; exports are narrowed to what that person may see.

    Files speak Vietnamese: headers are the fields' Vietnamese names and choices their labels. An import
    accepts those headers as well as the internal column names.
    """

    # Headers of columns that are not a plain model field.
    header_labels: dict = {}

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.choices:
            return functools.partial(ChoiceLabelWidget, f.choices)
        if f.get_internal_type() == "BooleanField":
            return YesNoWidget
        if f.get_internal_type() == "DateField":
            return functools.partial(widgets.DateWidget, format=VN_DATE)
        return super().widget_from_django_field(f, default)

    def header_label(self, field) -> str:
        if field.column_name in self.header_labels:
            return str(self.header_labels[field.column_name])
        try:
            model_field = self._meta.model._meta.get_field(field.attribute or field.column_name)
        except FieldDoesNotExist:
            return field.column_name
        return capfirst(str(model_field.verbose_name))

    def get_export_headers(self, selected_fields=None):
        return [self.header_label(field) for field in self.get_export_fields(selected_fields) if field]

    def before_import(self, dataset, **kwargs):
        columns = {fold_for_search(self.header_label(field)): field.column_name for field in self.fields.values()}
        if dataset.headers:
            dataset.headers = [columns.get(fold_for_search(header or ""), header) for header in dataset.headers]
        super().before_import(dataset, **kwargs)

    def get_queryset(self):
        # Where an import finds the row a line updates, among all rows: before_import_row has refused every
        # line whose row lies outside the importer's scope. Exports are narrowed by filter_export.
        manager = getattr(self._meta.model, "unscoped", self._meta.model._default_manager)
        return manager.all()

    def acting_user(self, kwargs):
        return kwargs.get("user") or self.user

    def import_data(self, dataset, **kwargs):
        if self.user is None:  # the services that save each row need to know who acts
            self.user = kwargs.get("user")
        return super().import_data(dataset, **kwargs)

    def filter_export(self, queryset, **kwargs):
        user = self.acting_user(kwargs)
        if user is None:
            return queryset.none()
        return queryset.visible_to(user)


class RowWidget(widgets.ForeignKeyWidget):
    """A related row named in the file, looked up among all rows: the resource's before_import_row has
    already refused a row whose organisation or source is outside what the importer may use."""

    def get_queryset(self, value, row, *args, **kwargs):
        manager = getattr(self.model, "unscoped", self.model._default_manager)
        return manager.all()
