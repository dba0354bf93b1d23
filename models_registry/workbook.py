"""Files going out: Excel and CSV cells that keep the user's text exactly and never run it.

- In Excel, text is always a text cell: a title typed as `=HYPERLINK(...)` shows the same characters (openpyxl
  would otherwise store it as a live formula); numbers are numbers, dates are dates shown dd/mm/yyyy.
- In CSV, where no cell type exists, a value starting with = + - @, a tab or a carriage return gets a leading
  single quote (as OWASP recommends); the import takes that quote off again (files.unquote_text).
- A list sheet has a bold, frozen header row, filters on, and widths that fit Vietnamese text.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .files import TEXT_QUOTE, needs_text_quote

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
COUNT_FORMAT = "#,##0"  # Excel shows 1.234.567 on a Vietnamese system
PLAIN_NUMBER_FORMAT = "0"  # years and numbers that are names (2026, not 2.026)
MIN_WIDTH, MAX_WIDTH = 8, 60
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """A valid sheet name (at most 31 characters, none of []:*?/\\)."""
    return (_SHEET_NAME_FORBIDDEN.sub(" ", str(text)).strip() or "Sheet")[:31]


def excel_text(value: str) -> str:
    """Characters an .xlsx file cannot hold (control characters) replaced, everything else kept."""
    return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)


def set_value(cell, value, number_format: str | None = None):
    """Put a value in a cell with its real type: text stays text even when it looks like a formula."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell.value = value
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT  # a number format given for the column is for its numbers
        return cell
    if isinstance(value, str):
        cell.value = excel_text(value)
        if needs_text_quote(value) or value.startswith("="):
            cell.data_type = "s"  # openpyxl made it a formula
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell
    cell.value = value
    if number_format and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


def number_format_for(values: Iterable) -> str | None:
    return COUNT_FORMAT if any(isinstance(v, int | float | Decimal) and not isinstance(v, bool)
                               for v in values) else None


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 11
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence], sample: int = 200) -> list[float]:
    widths = []
    for index, header in enumerate(headers):
        longest = max([_width(row[index]) for row in rows[:sample]] + [min(len(str(header)), 30)])
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, longest + 2)))
    return widths


def list_workbook(title: str, headers: Sequence[str], rows: Sequence[Sequence],
                  number_formats: Sequence[str | None] | None = None) -> bytes:
    """One sheet named `title`: a bold, frozen header row with filters, then the rows with typed cells.

    `number_formats` gives each column's format for numbers (default: thousands separated).
    Written in openpyxl's write-only mode: memory stays flat however many rows there are.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    width = len(headers)
    formats = list(number_formats or [COUNT_FORMAT] * width)
    for index, column_width in enumerate(column_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    sheet.freeze_panes = "A2"
    last_column = get_column_letter(max(width, 1))
    sheet.auto_filter.ref = f"A1:{last_column}{len(rows) + 1}"
    bold = Font(bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    header_cells = []
    for header in headers:
        cell = set_value(WriteOnlyCell(sheet), str(header))
        cell.font = bold
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if value is None or value == "":
                cells.append(None)  # empty is empty
            elif isinstance(value, str) and not needs_text_quote(value) and not value.startswith("="):
                if "\n" in value:
                    cell = set_value(WriteOnlyCell(sheet), value)
                    cell.alignment = wrap
                    cells.append(cell)
                else:
                    cells.append(excel_text(value))
            else:
                cells.append(set_value(WriteOnlyCell(sheet), value, formats[index] if index < len(formats) else None))
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(value) -> str:
    """A value as CSV text: dates dd/mm/yyyy, empty for None, formula-like text quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | Decimal):
        return str(value)  # plain digits: a program reading the file gets the number back
    text = str(value)
    return TEXT_QUOTE + text if needs_text_quote(text) else text


def csv_document(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A CSV text (Excel opens it in UTF-8 when it is written with a BOM, which the caller adds)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(str(header)) for header in headers])
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return out.getvalue()
