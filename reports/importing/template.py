"""The template of each import: the header row in Vietnamese, an example row, and a sheet "Hướng dẫn" that
explains every column, the values it accepts and the formats (dd/mm/yyyy, 1.234.567)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from models_registry.workbook import set_value, sheet_title


def template_workbook(importer) -> bytes:
    columns = importer.get_columns()
    workbook = Workbook()
    data = workbook.active
    data.title = sheet_title(str(importer.title))
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = set_value(data.cell(row=1, column=index), column.label)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.example not in (None, ""):
            set_value(data.cell(row=2, column=index), str(column.example))
        data.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(column.label) + 4))
    data.freeze_panes = "A2"

    guide = workbook.create_sheet(sheet_title(_("Instructions")))
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 60
    guide.column_dimensions["D"].width = 60
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        str(importer.description),
        _("Fill in the first sheet from its second row (the example row may be replaced); keep the headers of row 1. "
          "Save as Excel (.xlsx) or CSV (UTF-8, or the Windows Vietnamese code page of old files)."),
        _("Dates: dd/mm/yyyy, e.g. 15/03/2019. Numbers: digits, thousands separated by dots, e.g. 1.234.567 "
          "(decimals after a comma: 1.250,5). Yes/no columns: Có or Không."),
        _("Row numbers in the preview count the data rows: row 1 is the first row under the headers. One refused row "
          "and nothing of the file is imported; the same file imported twice changes nothing."),
    ]
    row = 1
    for line in lines:
        set_value(guide.cell(row=row, column=1), line).alignment = Alignment(wrap_text=False)
        row += 1
    row += 1
    for index, header in enumerate((_("Column"), _("Required"), _("What to write"), _("Allowed values")), start=1):
        set_value(guide.cell(row=row, column=index), header).font = bold
    for column in columns:
        row += 1
        allowed = "; ".join(str(value) for value in column.allowed()) if column.allowed else ""
        values = (column.label, str(_("Yes") if column.required else ""), str(column.help), allowed)
        for index, value in enumerate(values, start=1):
            set_value(guide.cell(row=row, column=index), value).alignment = wrap
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
