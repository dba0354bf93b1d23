"""The building blocks every app's admin and import/export uses, scoped to each person's area.

Public for the apps built on the registry (DESIGN.md §4): admin mixins that scope every path by which the
admin reads rows (changelists, typed change/delete/history URLs answering 404 outside the scope,
foreign-key choices, autocomplete, raw-id popups, list filters, actions), show a service's refusal as a
message and the audit history as the "Lịch sử" page; filters that leak nothing; and the import/export
mixin and resource base whose files speak Vietnamese and whose imports write nothing when a row is refused.
"""

from __future__ import annotations

import copy
import datetime
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.tmp_storages import TempFolderStorage

from . import audit, files, roles, workbook
from .batches import check_constraints_in_python
from .formatting import person_name
from .models import (
    MOVEMENT_FIRST_YEAR,
    AdministrativeUnit,
    AuditEntry,
    Initiative,
    InitiativeRowQuerySet,
    UnitLevel,
)
from .pagination import LargeListPaginator
from .scope import ScopedQuerySet, UserScope, rows_in_subtree, users_visible_to
from .search import RANK_LIMIT, best_first, search, search_words
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


class LargeChangeList(ChangeList):
    """A changelist paged by LargeListPaginator: its count says when it is approximate (`count_text`), and
    the page shown is the one the paginator served (past the end of a list shorter than estimated, its
    last page)."""

    def get_results(self, request):
        super().get_results(request)
        self.page_num = getattr(self.paginator, "shown_number", self.page_num)

    @property
    def count_text(self) -> str:
        return self.paginator.count_text(self.opts.verbose_name, self.opts.verbose_name_plural)

    @property
    def search_count_text(self) -> str:
        return self.paginator.count_text(gettext("result"), gettext("results"))


# Where a search's count waits for the changelist's paginator (same request, same rows).
_SEARCH_COUNT = "_danvan_search_count"


def _rows_sql(queryset) -> str:
    try:
        return str(queryset.order_by().values("pk").query)
    except EmptyResultSet:  # no key matched: a list of no rows
        return ""


class ScopedAdminMixin(ServiceRefusalsMixin, ScopedQuerysetMixin):
    """For ModelAdmins: a typed URL to a row outside the scope answers 404, whatever the view.

    Lists are paged by LargeListPaginator (models_registry.pagination): a count that stops early and says
    when it is approximate, deep pages that join only their own rows."""

    object_history_template = "admin/danvan_history.html"

    show_full_result_count = False
    # "Show counts" would run one COUNT per filter choice over a big table: not offered.
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeListPaginator

    def get_changelist(self, request, **kwargs):
        return LargeChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        searched = getattr(request, _SEARCH_COUNT, None)
        if searched is not None and searched[0] == _rows_sql(queryset):
            # A search counted its matches (up to RANK_LIMIT) to decide how to order them: that count serves.
            return self.paginator(queryset, per_page, count_limit=RANK_LIMIT, capped=searched[1], estimate=False)
        return self.paginator(queryset, per_page)

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
    # What every row the search can find meets, said so that the database reads a smaller index (e.g. only the
    # texts of the initiatives ever nominated).
    search_within: dict = {}

    def get_search_results(self, request, queryset, search_term):
        found = self._matching(request, queryset, search_term)
        if not search_words(search_term):
            return found, False
        # The matches' keys, at most RANK_LIMIT + 1 of them: enough to know whether ranking is affordable, and
        # the count the list shows ("more than 2.000 results" past it; the changelist's paginator reuses it).
        keys = list(found.order_by().values_list("pk", flat=True)[:RANK_LIMIT + 1])
        matches = len(keys)
        if matches <= RANK_LIMIT:
            # Every match is known: the page and its ranking read those rows by key instead of matching the
            # words again (through a join, for a nomination's or a status change's initiative).
            found = queryset.filter(pk__in=keys)
        if not request.GET.get(ORDER_VAR):  # unless a column header was clicked
            found = best_first(found, search_term, *(self.search_ordering or queryset.query.order_by),
                               field=self.search_text_lookup, many=matches > RANK_LIMIT)
        setattr(request, _SEARCH_COUNT, (_rows_sql(found), matches))
        return found, False

    def _matching(self, request, queryset, search_term):
        """The rows whose text matches. A row of an initiative's history (status changes, yearly results) is
        seen exactly when its initiative is: for someone whose scope is not everything, the words are matched
        among the initiatives they may see, so that a province's search reads the province's matches (its
        scope column and the trigram index together) rather than every match in the country joined to the
        province's rows."""
        if (self.search_text_lookup == "initiative__search_text" and isinstance(queryset, InitiativeRowQuerySet)
                and search_words(search_term) and not UserScope.of(request.user).everything):
            initiatives = search(Initiative.objects.visible_to(request.user), search_term)
            return queryset.filter(initiative__in=initiatives.values("pk"))
        found = search(queryset, search_term, fields=(self.search_text_lookup,))
        return found.filter(**self.search_within) if self.search_within and search_words(search_term) else found


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
    # One query for both groups (every list with a unit filter runs it): the children are a level below, the
    # merged old units at the unit's own level, so the two never overlap.
    rows = list(units.filter(Q(parent=unit) | Q(current_unit=unit, level=unit.level)).exclude(pk=unit.pk)
                .alphabetical())
    children = [row for row in rows if row.parent_id == unit.pk and row.level != unit.level]
    merged = [row for row in rows if row not in children]
    return [unit, *children, *merged]


class ScopedUnitFilter(admin.SimpleListFilter):
    """Filter by a unit of the user's scope (and everything below it, including old units mapping into it)."""

    title = _("administrative unit")
    parameter_name = "unit_scope"
    unit_lookup = "unit"

    def lookups(self, request, model_admin):
        return [
            (str(unit.pk), str(unit) if unit.edition.is_current else f"{unit} – {unit.edition.name}")
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
        if self.unit_lookup == getattr(queryset, "scope_unit_field", None):
            return queryset.within(unit)  # the model's own scope rule, which may read a province copy
        return queryset.filter(rows_in_subtree(queryset.db, self.unit_lookup, unit))


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
# Files in go through models_registry.files (size, zip bomb, encoding, read-only streaming); files out through
# models_registry.workbook (typed cells, text never a formula). The formats below plug both into
# django-import-export, whose admin reads and writes files only through a format's create_dataset/export_data.


class SafeCSV(CSV):
    """CSV in: the raw bytes are kept (no decoding by the library) and read by files.read_csv, which detects
    the encoding. CSV out: typed values written as text, formula-like text quoted (OWASP)."""

    def is_binary(self):
        return True  # the upload is stored and read back as bytes; the encoding is ours to detect

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        if data[:4] == files.XLSX_MAGIC:
            raise files.FileRefused(_("This is an Excel file: choose the format “xlsx”."), code="format")
        table = files.read_table(io.BytesIO(data), "csv")
        table.dataset.source_encoding = table.encoding
        return table.dataset

    def export_data(self, dataset, **kwargs):
        # With a BOM Excel opens the file as UTF-8 (without it, Vietnamese letters come out garbled).
        return ("\ufeff" + workbook.csv_document(dataset.headers or [], dataset)).encode("utf-8")


class SafeXLSX(XLSX):
    """Excel in: checked for a zip bomb, then read in read-only mode. Excel out: one sheet named for its
    content, typed cells, a bold frozen header row with filters."""

    def create_dataset(self, in_stream, **kwargs):
        return files.read_table(io.BytesIO(in_stream), "xlsx").dataset

    def export_data(self, dataset, **kwargs):
        return workbook.list_workbook(dataset.title or "", dataset.headers or [], list(dataset),
                                      getattr(dataset, "number_formats", None))


class LabelledExportForm(SelectableFieldsExportForm):
    """Column check-boxes labelled with the column headers the file will have (Vietnamese)."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return resource().header_label(field) if field else super()._get_field_label(resource, field_name)


class CheckedImportForm(ImportForm):
    """The upload is checked (size, zip directory, encoding) before the library stores it anywhere."""

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("import_file")
        chosen = cleaned.get("format")
        if uploaded is None or chosen in (None, ""):
            return cleaned
        try:
            files.check_size(uploaded, files.IMPORT)
            file_format = self.import_formats[int(chosen)]
            if issubclass(file_format, XLSX):
                uploaded.seek(0)
                if uploaded.read(4) != files.XLSX_MAGIC:
                    raise files.FileRefused(_("The Excel file is damaged or is not an .xlsx file. Open it in Excel "
                                              "and save it again as “Excel Workbook (.xlsx)”."))
                files.check_zip(uploaded)
            else:
                uploaded.seek(0)
                if uploaded.read(4) == files.XLSX_MAGIC:
                    raise files.FileRefused(_("This is an Excel file: choose the format “xlsx”."), code="format")
                files.detect_encoding(uploaded)
        except files.FileRefused as refusal:
            self.add_error("import_file", refusal)
        finally:
            uploaded.seek(0)
        return cleaned

    def __init__(self, formats, resources, **kwargs):
        self.import_formats = formats
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].help_text = _("CSV or Excel (.xlsx), at most %(max)s.") % {
            "max": filesizeformat(files.max_bytes(files.IMPORT))}


# The preview lists at most this many rows that change something or are refused; unchanged rows are counted.
PREVIEW_ROWS = 200


@dataclass
class PreviewRow:
    number: int
    kind: str  # new, update, invalid, error, skip
    label: str
    details: list[str]


def import_preview(result) -> dict:
    """What the import page shows: counts, and the rows that matter first (refused, new, changed)."""
    order = {"invalid": 0, "error": 0, "new": 1, "update": 2, "skip": 3}
    counts = {"new": 0, "update": 0, "skip": 0, "refused": 0}
    shown = []
    for row in result.rows:
        kind = row.import_type
        if kind in ("invalid", "error"):
            counts["refused"] += 1
        elif kind in counts:
            counts[kind] += 1
        if kind not in order or (kind == "skip" and not getattr(row, "notes", None)):
            continue  # unchanged rows are counted, not listed
        if kind == "invalid":
            details = row_messages(row.validation_error)
        elif kind == "error":
            details = [str(error.error) for error in row.errors]
        else:
            details = [*getattr(row, "changes", []), *getattr(row, "notes", [])]
        shown.append(PreviewRow(getattr(row, "number", 0), kind, getattr(row, "label", "") or row.object_repr or "",
                                details))
    shown.sort(key=lambda row: (order[row.kind], row.number))
    return {"counts": counts, "rows": shown[:PREVIEW_ROWS], "more": max(0, len(shown) - PREVIEW_ROWS),
            "total": result.total_rows, "encoding": getattr(result, "source_encoding", "")}


def row_messages(error) -> list[str]:
    if error is None:
        return []
    if hasattr(error, "error_dict"):
        return [message if key == "__all__" else f"{key}: {message}"
                for key, messages_ in error.message_dict.items() for message in messages_]
    return list(error.messages)


class ScopedImportExportMixin(ImportExportMixin):
    """import-export through the scoped admin: resources know the user, every file is checked on the way in
    and typed on the way out, and a file with a refused row writes nothing."""

    import_formats = [SafeCSV, SafeXLSX]
    export_formats = [SafeCSV, SafeXLSX]
    export_form_class = LabelledExportForm
    import_form_class = CheckedImportForm
    import_template_name = "admin/import_export/import.html"

    def has_import_permission(self, request):
        if not any(getattr(resource, "importable", True) for resource in self.get_resource_classes(request)):
            return False
        return super().has_import_permission(request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def write_to_tmp_storage(self, import_file, input_format):
        """The checked upload, copied chunk by chunk (the library joins the chunks in memory)."""
        tmp_storage = self.get_tmp_storage_class()(read_mode="rb", **self.get_tmp_storage_class_kwargs())
        if isinstance(tmp_storage, TempFolderStorage):
            with tmp_storage._open(mode="wb") as out:
                for chunk in import_file.chunks():
                    out.write(chunk)
            return tmp_storage
        return super().write_to_tmp_storage(import_file, input_format)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ValidationError):
            form.add_error("import_file", e)
        else:  # never the exception's name: a reason the person can act on
            form.add_error("import_file", _("The file could not be read. Check that the format chosen matches the "
                                            "file (CSV or Excel .xlsx), or export the list and fill in that file."))
        import_file = form.cleaned_data.get("import_file")
        name = getattr(import_file, "tmp_storage_name", None)
        if name:  # nothing of a refused file is kept
            try:
                self.get_tmp_storage_class()(name=name, read_mode="rb", **self.get_tmp_storage_class_kwargs()).remove()
            except OSError:
                pass

    def process_result(self, result, request):
        """After the confirmation: a file refused then (the data changed since its preview) says so, instead of
        the library's "Import finished" over a rolled-back import."""
        if result.has_errors() or result.has_validation_errors():
            refused = sum(1 for row in result.rows if row.import_type in ("invalid", "error"))
            messages.error(request, gettext("Nothing was imported: %(count)s rows were refused (the records "
                                            "changed since the preview). Choose the file again to see why.")
                           % {"count": refused})
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        return super().process_result(result, request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """Values in their own types (numbers, dates) for every format: the format writes them."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        return file_format.export_data(data)

    def column_headers(self, request, resource_classes):
        """The columns a file has, as its headers read (Vietnamese), for the import and export pages."""
        resources = [resource_class(**self.get_resource_kwargs(request)) for resource_class in resource_classes]
        return [(resource.get_display_name(), [resource.header_label(field)
                                               for field in resource.get_user_visible_fields()])
                for resource in resources]

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context:
            if "fields_list" in context:
                context["fields_list"] = self.column_headers(request, self.get_import_resource_classes(request))
            if context.get("result") is not None:
                context["preview"] = import_preview(context["result"])
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
        if getattr(self, "_by_text", None) is None:
            self._by_text = {}
            for code, label in self.choices:
                self._by_text.setdefault(str(label), code)
                self._by_text.setdefault(fold_for_search(str(label)), code)
                self._by_text[code] = code
        found = self._by_text.get(text) or self._by_text.get(fold_for_search(text))
        if found is not None:
            return found
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
        folded = fold_for_search(str(value) if value is not None else "")
        if folded in {"co", "yes", "x", "1", "true"}:
            return True
        if folded in {"khong", "no", "0", "false"}:
            return False
        if folded == "":
            return None
        raise ValueError(_("“%(value)s” is neither “Có” nor “Không”.") % {"value": value})


VN_DATE = "%d/%m/%Y"
DATE_INPUTS = (VN_DATE, "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # VN_DATE
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class VietnameseDateWidget(widgets.Widget):
    """Dates as dd/mm/yyyy in CSV, real dates in Excel; reads both, and an Excel date serial number."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        text = str(value).strip()
        if not text:
            return None
        written = _DAY_MONTH_YEAR.fullmatch(text.split(" ")[0])
        if written:  # what nearly every cell holds, read without strptime (ten times slower)
            try:
                return datetime.date(int(written[3]), int(written[2]), int(written[1]))
            except ValueError:
                pass
        for date_format in DATE_INPUTS:
            try:
                return datetime.datetime.strptime(text.split(" ")[0], date_format).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date: write it as day/month/year, e.g. 15/03/2025.")
                         % {"value": text})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.strftime(VN_DATE)


_VN_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_EN_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_VN_DECIMAL = re.compile(r"-?\d+,\d+")
_PLAIN = re.compile(r"-?\d+(\.\d+)?")


def parse_number(value) -> Decimal | None:
    """A number as a clerk writes it: 1.234.567 (dots between thousands), 1.234,5 or 1234.5; spaces ignored."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if _VN_THOUSANDS.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    elif _EN_THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif _VN_DECIMAL.fullmatch(text):
        text = text.replace(",", ".")
    elif not _PLAIN.fullmatch(text):
        raise ValueError(_("“%(value)s” is not a number: write digits only, e.g. 1.234.567.") % {"value": value})
    return Decimal(text)


class VietnameseIntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        number = parse_number(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)


class VietnameseDecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_number(value)


class TextWidget(widgets.CharWidget):
    """Text as typed; an empty cell is an empty text, never "None"."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a phone number or code Excel stored as a number
        if isinstance(value, datetime.datetime | datetime.date):
            return value.strftime(VN_DATE)
        return str(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def same_value(old, new) -> bool:
    """Equal as the files carry them: line ends and Unicode normalisation do not count as a change."""
    if isinstance(old, str) or isinstance(new, str):
        return _plain_text(old) == _plain_text(new)
    return old == new


def _plain_text(value) -> str:
    return unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")


class ScopedResource(resources.ModelResource):
    """A resource that knows who uses it; exports are narrowed to what that person may see.

    Files speak Vietnamese: headers are the fields' Vietnamese names and choices their labels. An import
    accepts those headers as well as the internal column names. Each row of an import is reported with its
    number: unchanged ("không đổi"), new, changed (with what changes) or refused (with the reason).
    """

    # Headers of columns that are not a plain model field.
    header_labels: dict = {}
    # Columns whose numbers are names or years, written without thousands separators.
    plain_number_columns: tuple[str, ...] = ()
    # False for resources that are only exported.
    importable = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.choices:
            return functools.partial(ChoiceLabelWidget, f.choices)
        internal = f.get_internal_type()
        if internal == "BooleanField":
            return YesNoWidget
        if internal == "DateField":
            return VietnameseDateWidget
        if internal == "DecimalField":
            return VietnameseDecimalWidget
        if internal in {"IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                        "PositiveSmallIntegerField", "PositiveBigIntegerField", "AutoField", "BigAutoField"}:
            return VietnameseIntegerWidget
        if internal in {"CharField", "TextField", "EmailField", "SlugField"}:
            return TextWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if cls.widget_from_django_field(django_field) is not TextWidget:
            kwargs.pop("allow_blank", None)
        return kwargs

    def model_field(self, field):
        try:
            return self._meta.model._meta.get_field((field.attribute or field.column_name).split("__")[0])
        except FieldDoesNotExist:
            return None

    def header_label(self, field) -> str:
        if field.column_name in self.header_labels:
            return str(self.header_labels[field.column_name])
        model_field = self.model_field(field)
        if model_field is None or "__" in (field.attribute or ""):
            return field.column_name
        return capfirst(str(model_field.verbose_name))

    def number_format(self, field) -> str:
        """The Excel format of a column's numbers: years and numbers that name a row are written plainly."""
        model_field = self.model_field(field)
        name = field.column_name
        if (name in self.plain_number_columns or name == "id" or "year" in name
                or (model_field is not None and (model_field.is_relation or model_field.primary_key))):
            return workbook.PLAIN_NUMBER_FORMAT
        if model_field is not None and model_field.get_internal_type() == "DecimalField":
            return "#,##0." + "0" * model_field.decimal_places if model_field.decimal_places else "#,##0"
        return workbook.COUNT_FORMAT

    def get_export_headers(self, selected_fields=None):
        return [self.header_label(field) for field in self.get_export_fields(selected_fields) if field]

    def after_export(self, queryset, dataset, **kwargs):
        super().after_export(queryset, dataset, **kwargs)
        dataset.title = workbook.sheet_title(capfirst(str(self._meta.model._meta.verbose_name_plural)))
        dataset.number_formats = [self.number_format(field)
                                  for field in self.get_export_fields(kwargs.get("export_fields")) if field]

    def get_diff_headers(self):
        return [self.header_label(field) for field in self.get_import_fields()]

    def before_import(self, dataset, **kwargs):
        columns = {fold_for_search(self.header_label(field)): field.column_name for field in self.fields.values()}
        columns.update({fold_for_search(field.column_name): field.column_name for field in self.fields.values()})
        if dataset.headers:
            dataset.headers = [columns.get(fold_for_search(str(header or "")), header) for header in dataset.headers]
        missing = [self.header_label(self.fields[name]) for name in self.get_import_id_fields()
                   if self.fields[name].column_name not in (dataset.headers or [])]
        if missing:
            raise ValidationError(_("The file has no column “%(columns)s”. Its first row must hold the column "
                                    "names of an exported file.") % {"columns": "”, “".join(missing)})
        super().before_import(dataset, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.source_encoding = getattr(dataset, "source_encoding", "")

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

    # --- Each row: what changes, and whether the importer may change it -------------------------------

    def row_label(self, row) -> str:
        return ""

    def get_import_fields(self):
        # Asked several times for every row: computed once per resource.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_instance(self, instance, row, **kwargs):
        """Like the library's, but a value that cannot be read is reported under its column's header."""
        errors = {}
        for column in self.get_import_fields():
            if isinstance(column.widget, widgets.ManyToManyWidget):
                continue
            try:
                self.import_field(column, instance, row, **kwargs)
            except (ValueError, ArithmeticError) as error:
                message = str(error) if isinstance(error, ValueError) else ""
                errors[self.header_label(column)] = ValidationError(
                    message or _("“%(value)s” cannot be read.") % {"value": row.get(column.column_name)})
        if errors:
            raise ValidationError(errors)

    def changed_fields(self, original, instance) -> list:
        """The import fields whose value the row changes (text compared without line-end differences)."""
        changed = []
        for column in self.get_import_fields():
            if column.readonly or not column.attribute or "__" in column.attribute:
                continue
            model_field = self.model_field(column)
            if model_field is None:
                continue
            name = model_field.attname
            old, new = getattr(original, name), getattr(instance, name)
            if same_value(old, new):
                setattr(instance, name, old)  # keep the stored text exactly
            else:
                changed.append(column)
        return changed

    def change_text(self, field, original, instance) -> str:
        old = field.export(original) if original.pk else ""
        new = field.export(instance)
        return _("%(column)s: “%(old)s” → “%(new)s”") % {
            "column": self.header_label(field), "old": _short(old), "new": _short(new)}

    def check_change(self, original, instance, changed, **kwargs):
        """Raise a row error when the importer may not make this change (override per resource)."""

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        # The row as stored, to compare with: a shallow copy (the library's diff deep-copies every related
        # row the instance holds, and renders every column twice, for a view we do not show).
        self._row_original = copy.copy(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        original = self._row_original
        if import_validation_errors:
            return False
        changed = self.changed_fields(original, instance)
        if original.pk is not None and not changed:
            return True  # "không đổi": nothing is written for this row
        self.check_change(original, instance, changed, row=row)
        self._row_changes = [self.change_text(field, original, instance) for field in changed] \
            if original.pk is not None else []
        return False

    def readonly_notes(self, row, instance) -> list[str]:
        """A column the file changed but no import may change: kept as it is, and said so."""
        notes = []
        for column in self.get_import_fields():
            if not column.readonly or column.column_name not in row or instance is None:
                continue
            given = _plain_text(row[column.column_name]).strip()
            if not given:
                continue
            current = column.export(instance)
            current = current.strftime(VN_DATE) if isinstance(current, datetime.date) else current
            current_text = _plain_text(current).strip()
            if given != current_text and fold_for_search(given) != fold_for_search(current_text):
                notes.append(_("%(column)s cannot be changed by an import: it stays “%(value)s”.")
                             % {"column": self.header_label(column), "value": _short(current)})
        return notes

    # Fields a service derives when it saves a new row (not given by the file).
    derived_on_create: tuple[str, ...] = ()

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            # The preview writes nothing: the row is checked as the service would check it (its fields and
            # the model's rules); the service itself runs when the import is confirmed.
            exclude = set(self.derived_on_create) if is_create else set()
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            check_constraints_in_python(instance)
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        self._row_changes, self._row_original = [], None
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.number = kwargs.get("row_number")
        row_result.label = self.row_label(row)
        row_result.changes = self._row_changes
        row_result.notes = []
        if row_result.import_type in ("update", "skip") and self._row_original is not None:
            row_result.notes = self.readonly_notes(row, self._row_original)
        if row_result.errors and isinstance(row_result.errors[0].error, PermissionDenied | ValidationError):
            # a service's refusal (its message is for the user): a refused row, not a crash
            error = row_result.errors[0].error
            row_result.errors = []
            row_result.import_type = "invalid"
            row_result.validation_error = error if isinstance(error, ValidationError) else ValidationError(
                str(error) or gettext("You are not allowed to do this."))
        return row_result

    def filter_export(self, queryset, **kwargs):
        user = self.acting_user(kwargs)
        if user is None:
            return queryset.none()
        return queryset.visible_to(user)


def _short(value, limit: int = 80) -> str:
    text = "" if value is None else (value.strftime(VN_DATE) if isinstance(value, datetime.date) else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RowWidget(widgets.ForeignKeyWidget):
    """A related row named in the file, looked up among all rows: the resource's before_import_row has
    already refused a row whose organisation or source is outside what the importer may use.

    A resource may fill `prefetched` (value → row) before an import, so that each line costs no query."""

    prefetched: dict | None = None

    def get_queryset(self, value, row, *args, **kwargs):
        manager = getattr(self.model, "unscoped", self.model._default_manager)
        return manager.all()

    def clean(self, value, row=None, **kwargs):
        if self.prefetched is not None and value not in (None, ""):
            key = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
            if key in self.prefetched:
                return self.prefetched[key]
        return super().clean(value, row, **kwargs)
