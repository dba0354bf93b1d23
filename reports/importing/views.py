"""The admin's "Nhập dữ liệu" pages: the imports a person may run, each with its template, a preview of every
row's outcome, and the confirmation that writes them (all or nothing)."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import uuid

import tablib
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from models_registry import files
from models_registry.text import fold_for_search
from models_registry.workbook import XLSX_CONTENT_TYPE

from . import importer as importer_for_key
from . import importers_for
from .template import template_workbook

SIGNING_SALT = "reports.import"
PREFIX = "danvan-import-"
TOKEN_MAX_AGE = 6 * 3600


def _importer_class(request, key):
    importer_class = importer_for_key(key)
    if importer_class is None:
        raise Http404
    if not importer_class.allowed(request.user):
        raise PermissionDenied
    return importer_class


def _context(request, **values):
    return {**admin.site.each_context(request), **values}


def import_index(request):
    allowed = importers_for(request.user)
    if not allowed:
        raise PermissionDenied
    return TemplateResponse(request, "reports/import_index.html", _context(
        request, title=_("Import data"), importers=allowed))


def import_template(request, key):
    importer_class = _importer_class(request, key)
    content = template_workbook(importer_class(request.user))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = slugify(fold_for_search(f"mau nhap {importer_class.title}"))
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _extension(name: str) -> str:
    return "xlsx" if name.lower().endswith((".xlsx", ".xlsm")) else "csv"


def _store(table: files.Table) -> str:
    """The rows of the checked file, kept until they are confirmed: as the file was read (JSON, dates tagged), so
    that the confirmation checks every row again without unpacking and parsing the workbook a second time."""
    name = f"{PREFIX}{uuid.uuid4().hex}"
    with open(os.path.join(tempfile.gettempdir(), name), "w", encoding="utf-8") as out:
        json.dump({"encoding": table.encoding, "headers": table.dataset.headers, "rows": list(table.dataset)}, out,
                  ensure_ascii=False, default=_tagged)
    return name


_TYPES = {"date": datetime.date, "datetime": datetime.datetime, "time": datetime.time}


def _tagged(value) -> dict:
    """A cell that JSON has no type for: a date, a time of day, a duration (Excel's date formats)."""
    if isinstance(value, datetime.timedelta):
        return {"timedelta": value.total_seconds()}
    for kind in ("datetime", "date", "time"):  # a datetime is also a date
        if isinstance(value, _TYPES[kind]):
            return {kind: value.isoformat()}
    raise TypeError(type(value).__name__)


def _untagged(data: dict):
    if len(data) != 1 or not ({"timedelta", *_TYPES} & data.keys()):
        return data
    ((kind, value),) = data.items()
    if kind == "timedelta":
        return datetime.timedelta(seconds=value)
    return _TYPES[kind].fromisoformat(value)


def _stored_table(path: str) -> files.Table:
    with open(path, encoding="utf-8") as stored:
        data = json.load(stored, object_hook=_untagged)
    return files.Table(tablib.Dataset(*[tuple(row) for row in data["rows"]], headers=data["headers"]),
                       data["encoding"])


def _stored_path(name: str) -> str:
    if not name.startswith(PREFIX) or os.path.basename(name) != name:
        raise PermissionDenied
    return os.path.join(tempfile.gettempdir(), name)


def _read(fileobj, extension):
    return files.read_table(fileobj, extension)


@require_http_methods(["GET", "POST"])
def import_page(request, key):
    importer_class = _importer_class(request, key)
    importer = importer_class(request.user)
    context = _context(request, title=importer_class.title, importer=importer_class,
                       columns=importer.get_columns())
    if request.method == "POST" and request.POST.get("token"):
        return _confirm(request, importer, context)
    if request.method == "POST":
        uploaded = request.FILES.get("import_file")
        if uploaded is None:
            context["error"] = _("Choose a file.")
            return TemplateResponse(request, "reports/import.html", context)
        extension = _extension(uploaded.name)
        try:
            table = _read(uploaded, extension)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return TemplateResponse(request, "reports/import.html", context)
        report = importer.preview(table)
        context["report"] = report
        if not report.refused:
            context["token"] = signing.dumps({"name": _store(table), "key": key, "user": request.user.pk,
                                              "file": uploaded.name}, salt=SIGNING_SALT)
            context["file_name"] = uploaded.name
    return TemplateResponse(request, "reports/import.html", context)


def _confirm(request, importer, context):
    try:
        data = signing.loads(request.POST["token"], salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise PermissionDenied from None
    if data.get("user") != request.user.pk or data.get("key") != importer.key:
        raise PermissionDenied
    path = _stored_path(data["name"])
    try:
        table = _stored_table(path)
    except (OSError, ValueError, KeyError, TypeError):  # gone, or kept by an older version
        messages.error(request, _("The file is no longer kept: choose it again."))
        return redirect(reverse("admin:reports_import", args=[importer.key]))
    try:
        report = importer.run(table)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return TemplateResponse(request, "reports/import.html", context)
    if report.written:
        os.remove(path)
        counts = report.counts
        messages.success(request, _("Imported %(file)s at %(time)s: %(new)s new, %(update)s changed, %(skip)s "
                                    "unchanged rows.") % {
            "file": data.get("file", ""), "time": f"{timezone.localtime():%H:%M}", "new": counts["new"],
            "update": counts["update"], "skip": counts["skip"]})
        return redirect(reverse("admin:reports_import", args=[importer.key]))
    context["report"] = report
    context["nothing_written"] = True
    return TemplateResponse(request, "reports/import.html", context)
