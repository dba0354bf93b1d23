"""The public catalogue as open data (CSV and JSON): accepted models only, what the public pages show and no
contact data (no contact person, phone or e-mail). Rows are read in chunks and written as they come, so a
whole-country download never sits in memory; CSV cells a spreadsheet would run as formulas are quoted
(models_registry.workbook.csv_text), JSON carries the text as typed (JSON has no formulas)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import LatestRating
from models_registry.workbook import csv_text

CHUNK = 1000

# (key in JSON, CSV header, value of an initiative). The list is the whole of what is published: contact_name,
# contact_phone and contact_email are deliberately absent.
COLUMNS = [
    ("code", _("Code"), lambda i: i.code),
    ("title", _("title"), lambda i: i.title),
    ("kind", _("kind"), lambda i: i.get_kind_display()),
    ("person_name", _("exemplar's full name"), lambda i: i.person_name),
    ("person_position", _("exemplar's position"), lambda i: i.person_position),
    ("origin", _("origin"), lambda i: i.get_origin_display()),
    ("replicated_from", _("Code of the model replicated"),
     lambda i: i.replicated_from.code if i.replicated_from_id else ""),
    ("organization", _("registering organisation"), lambda i: i.organization.name),
    ("unit", _("administrative unit"), lambda i: i.unit.name),
    ("province", _("Province"), lambda i: _province(i.unit).name),
    ("field", _("field"), lambda i: i.field.name),
    ("standard_field", _("Standard field"), lambda i: i.field.standard_field.name),
    ("registration_year", _("registration year"), lambda i: i.registration_year),
    ("start_date", _("start date"), lambda i: i.start_date),
    ("end_date", _("end date"), lambda i: i.end_date),
    ("recognised_on", _("Date recognised"), lambda i: _recognised_on(i)),
    ("lifecycle", _("lifecycle"), lambda i: i.get_lifecycle_display()),
    ("latest_rating", _("Latest rating"), lambda i: _latest(i, "rating")),
    ("latest_rating_year", _("Year of the latest rating"), lambda i: _latest(i, "year")),
    ("objectives", _("objectives and targets"), lambda i: i.objectives),
    ("area_beneficiaries", _("area and beneficiaries"), lambda i: i.area_beneficiaries),
]
RELATED = ("organization", "unit", "unit__parent", "unit__parent__parent", "field", "field__parent",
           "replicated_from")


def _province(unit):
    while unit.parent_id is not None:
        unit = unit.parent
    return unit


def _latest(initiative, name):
    try:
        latest = initiative.latest_rating
    except LatestRating.DoesNotExist:  # never rated by a closed conference
        return "" if name == "rating" else None
    return latest.rating.name if name == "rating" else latest.year


def _recognised_on(initiative):
    return timezone.localtime(initiative.decided_at).date() if initiative.decided_at else None


def rows(queryset) -> Iterator[dict]:
    """Each published initiative as {key: value}, read CHUNK rows at a time."""
    queryset = queryset.select_related(*RELATED)
    for initiative in queryset.iterator(chunk_size=CHUNK):
        yield {key: value(initiative) for key, _header, value in COLUMNS}


def csv_stream(records: Iterable[dict]) -> Iterator[str]:
    """CSV text piece by piece: a BOM (Excel then reads UTF-8), the Vietnamese headers, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([csv_text(str(header)) for _key, header, _value in COLUMNS])
    yield "\ufeff" + flush()
    for count, record in enumerate(records, start=1):
        writer.writerow([csv_text(record[key]) for key, _header, _value in COLUMNS])
        if count % 200 == 0:
            yield flush()
    yield flush()


def json_stream(records: Iterable[dict], meta: dict) -> Iterator[str]:
    """{"meta": {...}, "fields": [...], "results": [ {...}, ... ]} written row by row."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    fields = [{"key": key, "label": str(header)} for key, header, _value in COLUMNS]
    yield '{"meta": ' + encoder.encode(meta) + ', "fields": ' + encoder.encode(fields) + ', "results": ['
    for count, record in enumerate(records):
        yield ("," if count else "") + "\n" + encoder.encode(record)
    yield "\n]}\n"


__all__ = ["COLUMNS", "rows", "csv_stream", "json_stream"]
