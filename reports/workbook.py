"""The yearly workbook: six sheets ("Biểu") in the look of a Party report's appendix (REPORT_LAYOUT.md).

1. by standard field, 2. by locality, 3. the initiatives, 4. evaluation results per conference,
5. commendations, 6. bodies that registered nothing. Every figure comes from `reports.selectors`, the same
functions the statistics pages call.

Written in openpyxl's write-only mode: each sheet's rows are streamed from the database and written out as
they come, so memory stays flat however many initiatives there are. Text is always text (models_registry.
workbook.set_value): a title typed as `=1+1` stays those characters. Numbers are numbers formatted #,##0
(Excel shows 1.234.567 on a Vietnamese system), dates are dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

from awards.models import AwardLevel, RecipientKind
from evaluations.models import ConferenceKind
from models_registry.files import needs_text_quote
from models_registry.models import InitiativeKind, InitiativeOrigin, InitiativeStatus, Lifecycle, UnitLevel
from models_registry.workbook import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    XLSX_CONTENT_TYPE,
    excel_text,
    set_value,
    sheet_title,
)

from . import selectors
from .headings import Heading, heading_for
from .reading import ReadingAhead
from .selectors import ReportQuery

__all__ = ["XLSX_CONTENT_TYPE", "build_workbook", "file_name"]

FONT = "Times New Roman"
COUNT = '#,##0;-#,##0;"-"'  # thousands separated, zero shown as "-"
AREA = '#,##0.0;-#,##0.0;"-"'
SCORE = "#,##0.00"
PLAIN = "0"  # years
PROGRESS_EVERY = 500

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def roman(number: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
              (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in values:
        while number >= value:
            out, number = out + letters, number - value
    return out


@dataclass
class Column:
    header: str
    width: float
    kind: str = "text"  # text | count | area | score | year | date | centre
    group: str = ""  # the upper header over several columns

    @property
    def number_format(self) -> str | None:
        return {"count": COUNT, "area": AREA, "score": SCORE, "year": PLAIN, "date": DATE_FORMAT}.get(self.kind)


@dataclass
class Progress:
    total: int
    callback: Callable[[int, int], None] | None = None
    done: int = 0
    _reported: int = 0

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.callback and self.done - self._reported >= PROGRESS_EVERY:
            self._reported = self.done
            self.callback(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.callback:
            self.callback(self.total, self.total)


class StyledCell(Cell):
    """A write-only cell whose style id is known when it is made: openpyxl would otherwise look the style up in
    the workbook's style table for every cell it writes."""

    __slots__ = ("style_id",)


def cells_to_row(cells: list, row_idx: int):
    """openpyxl's write-only sheet takes each appended value for a value first and falls back on a cell after a
    failed conversion; our rows are made of cells (or None), placed as they are."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column, cell.row = col_idx, row_idx
            yield cell


NUMBERS = (int, float, Decimal)
PRESERVE_SPACE = ' xml:space="preserve"'


class ValueRow(list):
    """A data row as (value, style id) pairs, the value already a string or a number: written to the sheet as
    XML text by `TextRowsWriter`, without a cell object or an lxml element per value."""


def rows_as_given(row, row_idx: int):
    return row if isinstance(row, ValueRow) else cells_to_row(row, row_idx)


def _xml_text(value: str) -> str:
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        # A carriage return is kept as a reference: a reader would otherwise turn it into a line feed.
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return value


class TextRowsWriter(WorksheetWriter):
    """openpyxl's writer of one write-only sheet, whose XML goes through a file this process holds: a data row
    (`ValueRow`) is written to it as XML text made here, between lxml's own output (flushed first); rows of cells
    (headings, titles, footers) and everything else go through openpyxl as usual.

    Building an lxml element for every cell took most of a country's workbook (7 s of 16 for 105,000 rows of 18
    columns); the same rows as text take under 2 s. The text is what lxml writes, except that letters outside
    ASCII are written as UTF-8 rather than as character references."""

    def __init__(self, ws, width: int):
        self.letters = [get_column_letter(index) for index in range(1, width + 1)]
        self.file = None
        super().__init__(ws)

    def get_stream(self):
        # openpyxl's own stream (worksheet/_writer.py), on a file object instead of a path.
        with open(self.out, "wb") as self.file, xmlfile(self.file) as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        element = yield
                        if element is True:
                            yield xf
                        elif element is not None:
                            xf.write(element)
                except GeneratorExit:
                    pass

    def write_row(self, xf, row, row_idx: int) -> None:
        if not isinstance(row, ValueRow):
            super().write_row(xf, row, row_idx)
            return
        number = str(row_idx)
        parts = [f'<row r="{number}">']
        for letter, (value, style_id) in zip(self.letters, row, strict=False):
            if value is None:
                parts.append(f'<c r="{letter}{number}" s="{style_id}"/>')
            elif type(value) is str:
                space = PRESERVE_SPACE if value != value.strip() else ""
                parts.append(f'<c r="{letter}{number}" s="{style_id}" t="inlineStr"><is><t{space}>{_xml_text(value)}'
                             f"</t></is></c>")
            else:
                parts.append(f'<c r="{letter}{number}" s="{style_id}" t="n"><v>'
                             f"{value if type(value) is int else safe_string(value)}</v></c>")
        parts.append("</row>")
        xf.flush()
        self.file.write("".join(parts).encode())


class Styles:
    """Cell styles made once per workbook and shared by the cells that wear them (setting fonts and borders one
    attribute at a time on every cell of a large sheet would cost more than writing the values)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self._templates: dict[tuple, tuple[StyleArray, int]] = {}

    def _template(self, bold, italic, align, border, number_format, size) -> tuple[StyleArray, int]:
        key = (bold, italic, id(align), border, number_format, size)
        template = self._templates.get(key)
        if template is None:
            cell = WriteOnlyCell(self.sheet)
            cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
            cell.alignment = align or LEFT
            if border:
                cell.border = BOX
            if number_format:
                cell.number_format = number_format
            template = self._templates[key] = (cell._style, cell.style_id)
        return template

    def style_id(self, *, bold=False, align=None, number_format=None, quoted=False) -> str:
        """The id of a data cell's style, as the sheet's XML writes it; `quoted` adds Excel's text prefix (a
        value typed as "=1+1" stays text when the cell is edited)."""
        key = ("id", bold, id(align), number_format, quoted)
        found = self._templates.get(key)
        if found is None:
            style, _id = self._template(bold, False, align, True, number_format, 12)
            if quoted:
                cell = WriteOnlyCell(self.sheet)
                cell._style = copy(style)
                cell.quotePrefix = True
                style = cell._style
            found = self._templates[key] = (style, str(self.sheet.parent._cell_styles.add(style)))
        return found[1]

    def cell(self, value, *, bold=False, italic=False, align=None, border=True, number_format=None, size=12):
        style, style_id = self._template(bold, italic, align, border, number_format, size)
        cell = StyledCell(self.sheet)
        if value is None or value == "":
            cell._style, cell.style_id = style, style_id
            return cell
        if type(value) is str and value[:1] not in "=+-@\t\r'":
            # Plain text, the quick path: nothing of the cell's own changes its style, which is shared.
            cell._value, cell.data_type = excel_text(value), "s"
            cell._style, cell.style_id = style, style_id
            return cell
        if isinstance(value, NUMBERS) and not isinstance(value, bool):
            # The column's number format is already the template's.
            cell._value, cell.data_type = value, "n"
            cell._style, cell.style_id = style, style_id
            return cell
        # Formula-like text stays text, dates get their format: the cell's style becomes its own.
        cell._style = copy(style)
        set_value(cell, value)
        cell.style_id = self.sheet.parent._cell_styles.add(cell._style)
        return cell


class SheetWriter:
    """One table sheet: heading block, title, header rows with an index row, rows, footer."""

    def __init__(self, workbook: Workbook, name: str, columns: list[Column], heading: Heading, *, title: str,
                 unit_line: str, list_sheet: bool = False, frozen_columns: int = 2):
        self.ws = workbook.create_sheet(sheet_title(name))
        self.ws._values_to_row = rows_as_given  # rows appended below are StyledCells or a ValueRow
        self.columns = columns
        self.heading = heading
        self.styles = Styles(self.ws)
        self._style_ids: dict[bool, list[str]] = {}  # each column's style id for data rows, bold or not
        self.row = 0
        self.list_sheet = list_sheet
        # Each column's alignment and number format, worked out once rather than for every cell.
        self._formats = [(CENTRE if column.kind in ("centre", "year", "date") else (RIGHT if column.number_format
                                                                                     else LEFT),
                          column.number_format) for column in columns]
        width = len(columns)
        for index, column in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        grouped = any(column.group for column in columns)
        self.header_first = 10
        self.header_last = self.header_first + (1 if grouped else 0)
        self.index_row = self.header_last + 1
        self.ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{self.index_row + 1}"
        self.ws.print_title_rows = f"{self.header_first}:{self.index_row}"
        setup = self.ws.page_setup
        setup.paperSize, setup.orientation = Worksheet.PAPERSIZE_A4, Worksheet.ORIENTATION_LANDSCAPE
        setup.fitToWidth, setup.fitToHeight = 1, 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        margins = self.ws.page_margins
        margins.top = margins.bottom = 20 / 25.4
        margins.left, margins.right = 30 / 25.4, 15 / 25.4
        # The sheet's writer, made as openpyxl would on the first row (its top holds the widths and panes set
        # above), but one that writes data rows as text.
        self.ws._writer = TextRowsWriter(self.ws, width)
        self.ws._writer.write_top()
        self._heading_block(width, title, unit_line)
        self._header(grouped)

    # --- Rows --------------------------------------------------------------------------------------------

    def _append(self, cells: list) -> None:
        self.ws.append(cells)
        self.row += 1

    def _merge(self, first: int, last: int, rows: int = 1) -> None:
        if last > first or rows > 1:
            self.ws.merged_cells.add(f"{get_column_letter(first)}{self.row}:{get_column_letter(last)}"
                                     f"{self.row + rows - 1}")

    def _line(self, parts: list[tuple[int, int, object, dict]]) -> None:
        """One row of free text blocks: (first column, last column, value, style), merged across."""
        cells = [None] * len(self.columns)
        for first, _last, value, style in parts:
            cells[first - 1] = self.styles.cell(value, border=False, **style)
        self._append(cells)
        for first, last, _value, _style in parts:
            self._merge(first, last)

    def _heading_block(self, width: int, title: str, unit_line: str) -> None:
        heading = self.heading
        left_end = max(2, min(width // 2 - 1, 4))
        right = left_end + 1
        middle = (right + width) // 2
        self._line([(1, left_end, heading.superior.upper(), {"align": CENTRE}),
                    (right, width, heading.party.upper(), {"bold": True, "align": CENTRE})])
        # The rule under "ĐẢNG CỘNG SẢN VIỆT NAM": a bottom border on a narrow cell in the middle.
        cells = [None] * width
        cells[0] = self.styles.cell(heading.board.upper(), bold=True, align=CENTRE, border=False)
        rule = WriteOnlyCell(self.ws)
        rule.border = Border(bottom=THIN)
        cells[middle - 1] = rule
        self._append(cells)
        self._merge(1, left_end)
        self._line([(1, left_end, "*", {"align": CENTRE})])
        self._line([(1, left_end, heading.number, {"align": CENTRE}),
                    (right, width, heading.place_date, {"italic": True, "align": CENTRE})])
        self._append([])
        self._line([(1, width, title.upper(), {"bold": True, "align": CENTRE, "size": 13})])
        self._line([(1, width, heading.attached_to, {"italic": True, "align": CENTRE})])
        self._line([(max(1, width - 3), width, unit_line, {"italic": True, "align": RIGHT})])
        self._append([])

    def _header(self, grouped: bool) -> None:
        bold = {"bold": True, "align": CENTRE}
        if grouped:
            upper, lower, merges = [], [], []
            index = 0
            while index < len(self.columns):
                column = self.columns[index]
                if not column.group:
                    upper.append(self.styles.cell(column.header, **bold))
                    lower.append(self.styles.cell(None, **bold))
                    merges.append(("v", index + 1, index + 1))
                    index += 1
                    continue
                span = 1
                while index + span < len(self.columns) and self.columns[index + span].group == column.group:
                    span += 1
                for offset in range(span):
                    upper.append(self.styles.cell(column.group if offset == 0 else None, **bold))
                    lower.append(self.styles.cell(self.columns[index + offset].header, **bold))
                merges.append(("h", index + 1, index + span))
                index += span
            self._append(upper)
            for kind, first, last in merges:
                if kind == "v":
                    self._merge(first, last, rows=2)
                elif last > first:
                    self._merge(first, last)
            self._append(lower)
        else:
            self._append([self.styles.cell(column.header, **bold) for column in self.columns])
        labels = ["A", "B"] + [str(n) for n in range(1, len(self.columns) - 1)]
        self._append([self.styles.cell(label, italic=True, align=CENTRE) for label in labels])

    def write(self, values: Iterable, *, bold: bool = False, section: bool = False) -> None:
        bold = bold or section
        plain = self._style_ids.get(bold)
        if plain is None:
            plain = self._style_ids[bold] = [self.styles.style_id(bold=bold, align=align, number_format=number_format)
                                             for align, number_format in self._formats]
        row = ValueRow()
        for (align, number_format), style_id, value in zip(self._formats, plain, values, strict=False):
            if value is None or value == "":
                row.append((None, style_id))
            elif type(value) is str:
                # Always an inline string, never a formula: "=1+1" typed by a user stays those characters.
                if value[:1] in "=+-@\t\r'" and (needs_text_quote(value) or value.startswith("=")):
                    style_id = self.styles.style_id(bold=bold, align=align, number_format=number_format, quoted=True)
                row.append((excel_text(value), style_id))
            elif isinstance(value, NUMBERS) and not isinstance(value, bool):
                row.append((value, style_id))
            elif isinstance(value, datetime.datetime):
                moment = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
                row.append((to_excel(moment), self.styles.style_id(bold=bold, align=align,
                                                                   number_format=DATETIME_FORMAT)))
            elif isinstance(value, datetime.date):
                row.append((to_excel(value), self.styles.style_id(bold=bold, align=align, number_format=DATE_FORMAT)))
            else:  # lazy translations and the like
                row.append((excel_text(str(value)), style_id))
        self._append(row)

    def section(self, number: str, label: str) -> None:
        cells = [self.styles.cell(number, bold=True, align=CENTRE),
                 self.styles.cell(label, bold=True)] + [self.styles.cell(None) for _c in self.columns[2:]]
        self._append(cells)
        self._merge(2, len(self.columns))

    def close(self) -> None:
        """The filter (list sheets) and the footer: place and date, the two signatures."""
        if self.list_sheet:
            self.ws.auto_filter.ref = (f"A{self.index_row}:{get_column_letter(len(self.columns))}"
                                       f"{max(self.row, self.index_row + 1)}")
        width = len(self.columns)
        half = max(2, width // 2)
        self._append([])
        self._line([(half + 1, width, "…, ngày … tháng … năm …", {"italic": True, "align": CENTRE})])
        self._line([(1, half, _("Prepared by").upper(), {"bold": True, "align": CENTRE}),
                    (half + 1, width, f"T/M {self.heading.board.upper()}", {"bold": True, "align": CENTRE})])
        self._line([(1, half, _("(Signature and full name)"), {"italic": True, "align": CENTRE}),
                    (half + 1, width, _("(Signature and full name)"), {"italic": True, "align": CENTRE})])


# --- The six sheets -------------------------------------------------------------------------------------------


def _figure_columns(ratings) -> list[Column]:
    registered, evaluated = _("Registered"), _("Evaluated in the period")
    results, commended = _("Value mobilised"), _("Commended")
    return [
        Column(_("Total registered"), 10, "count", registered),
        Column(_("Newly built"), 9, "count", registered),
        Column(_("Replicated"), 9, "count", registered),
        Column(_("Collective (models)"), 10, "count", registered),
        Column(_("Individual (exemplars)"), 10, "count", registered),
        Column(_("Accepted"), 10, "count", registered),
        Column(_("Evaluated"), 10, "count", evaluated),
        *[Column(rating.name, 9, "count", evaluated) for rating in ratings],
        Column(_("Highly effective and replicable"), 12, "count", evaluated),
        Column(_("Money and in kind (VND)"), 16, "count", results),
        Column(_("Workdays"), 10, "count", results),
        Column(_("Land donated (m²)"), 10, "area", results),
        Column(_("Collectives"), 9, "count", commended),
        Column(_("Individuals"), 9, "count", commended),
    ]


def _figure_values(figures: selectors.Figures, ratings) -> list:
    return [figures.registered, figures.new, figures.replicated, figures.collective, figures.individual,
            figures.accepted, figures.evaluated, *[figures.ratings.get(rating.pk, 0) for rating in ratings],
            figures.highly_effective, figures.value_mobilised, figures.workdays, figures.land_m2,
            figures.commended_collective, figures.commended_individual]


def _title(number: int, text: str, query: ReportQuery) -> str:
    period = (_("year %(years)s") if query.year_from == query.year_to else _("period %(years)s")) % {
        "years": query.years_label}
    return _("Table %(number)s: %(what)s, %(period)s") % {"number": f"{number:02d}", "what": text, "period": period}


def _unit_line(unit: str) -> str:
    return _("Unit: %(unit)s") % {"unit": unit}


def _summary_sheet(workbook, heading, query, ratings, progress, fine) -> None:
    columns = [Column(_("No."), 6, "centre"), Column(_("Field"), 30), *_figure_columns(ratings),
               Column(_("Note"), 14)]
    sheet = SheetWriter(workbook, _("01 By field"), columns, heading,
                        title=_title(1, _("“Dân vận khéo” models and exemplars by field"), query),
                        unit_line=_unit_line(_("models; value: VND")))
    rows = selectors.by_field(query, fine)
    sheet.write(["", _("Total of the table"), *_figure_values(selectors.total(rows), ratings), ""], bold=True)
    for number, row in enumerate(rows, start=1):
        sheet.write([number, row.label, *_figure_values(row.figures, ratings), ""])
    progress.step(len(rows) + 1)
    sheet.close()


def _locality_sheet(workbook, heading, query, ratings, progress, fine) -> None:
    columns = [Column(_("No."), 6, "centre"), Column(_("Unit, locality"), 32), *_figure_columns(ratings),
               Column(_("Note"), 14)]
    map_label = _("on today's map") if query.map == selectors.CURRENT else _("units as they were")
    sheet = SheetWriter(workbook, _("02 By locality"), columns, heading,
                        title=_title(2, _("“Dân vận khéo” models and exemplars by locality (%(map)s)")
                                     % {"map": map_label}, query),
                        unit_line=_unit_line(_("models; value: VND")))
    rows = selectors.by_locality(query, fine)
    sheet.write(["", _("Total of the table"), *_figure_values(selectors.total(rows), ratings), ""], bold=True)
    sections = [("own", _("Bodies at the scope's own level")), ("locality", _("Localities"))]
    for index, (section, label) in enumerate([s for s in sections if any(r.section == s[0] for r in rows)],
                                             start=1):
        part = [row for row in rows if row.section == section]
        sheet.section(roman(index), label)
        for number, row in enumerate(part, start=1):
            sheet.write([number, row.label, *_figure_values(row.figures, ratings), ""])
    progress.step(len(rows) + 1)
    sheet.close()


def labels(choices) -> dict:
    """{value: label} of a choices class, translated once for a sheet of many rows, not once per cell."""
    return {value: str(label) for value, label in choices.choices}


def _initiatives_sheet(workbook, heading, query, progress, rows: Iterable[dict]) -> None:
    columns = [Column(_("No."), 6, "centre"), Column(_("Code"), 16), Column(_("Model or exemplar"), 44),
               Column(_("Kind"), 11, "centre"), Column(_("Exemplar (name, position)"), 22),
               Column(_("Origin"), 11, "centre"), Column(_("Registering body"), 30), Column(_("Locality"), 20),
               Column(_("Field"), 18), Column(_("Sub-theme"), 18), Column(_("Registration year"), 9, "year"),
               Column(_("Start date"), 11, "date"), Column(_("Status"), 13, "centre"),
               Column(_("Lifecycle"), 12, "centre"), Column(_("Latest rating"), 12, "centre"),
               Column(_("Year rated"), 8, "year"), Column(_("Value mobilised in the period (VND)"), 16, "count"),
               Column(_("Workdays in the period"), 10, "count")]
    sheet = SheetWriter(workbook, _("03 Models"), columns, heading, list_sheet=True, frozen_columns=3,
                        title=_title(3, _("List of the “Dân vận khéo” models and exemplars registered"), query),
                        unit_line=_unit_line(_("VND")))
    kinds, origins = labels(InitiativeKind), labels(InitiativeOrigin)
    statuses, lifecycles = labels(InitiativeStatus), labels(Lifecycle)
    count = value = workdays = 0
    for row in rows:
        count += 1
        value += row["value_in_range"] or 0
        workdays += row["workdays_in_range"] or 0
        person = ", ".join(part for part in (row["person_name"], row["person_position"]) if part)
        sub_theme = row["field__name"] if row["field__name"] != row["standard_field"] else ""
        sheet.write([count, row["code"], row["title"], kinds.get(row["kind"], ""), person,
                     origins.get(row["origin"], ""), row["organization__name"], row["place"],
                     row["standard_field"], sub_theme, row["registration_year"], row["start_date"],
                     statuses.get(row["status"], ""),
                     lifecycles.get(row["lifecycle"], "") if row["status"] == InitiativeStatus.ACCEPTED else "",
                     row["rating_name"], row["rating_year"], row["value_in_range"], row["workdays_in_range"]])
        progress.step()
    label = _("%(count)s models and exemplars") % {"count": f"{count:,}".replace(",", ".")}
    sheet.write(["", _("Total of the table"), label, *[""] * 13, value, workdays], bold=True)
    sheet.close()


def _yes(flag: bool) -> str:
    return "x" if flag else ""


def _conference_label(row: dict) -> str:
    kinds, levels = labels(ConferenceKind), labels(UnitLevel)
    years = (str(row["conference__year_from"]) if row["conference__year_from"] == row["conference__year_to"]
             else f"{row['conference__year_from']}–{row['conference__year_to']}")
    held = f", {row['conference__held_on']:%d/%m/%Y}" if row["conference__held_on"] else ""
    return (f"{row['conference__title']} ({kinds.get(row['conference__kind'], '')} {years}; "
            f"{levels.get(row['conference__level'], '')}, {row['conference__host_unit__name']}{held})")


def _evaluations_sheet(workbook, heading, query, progress) -> None:
    columns = [Column(_("No."), 6, "centre"), Column(_("Code"), 16), Column(_("Model or exemplar"), 44),
               Column(_("Registering body"), 30), Column(_("Locality"), 20), Column(_("Sheets submitted"), 9, "count"),
               Column(_("Mean score"), 10, "score"), Column(_("Rating"), 12, "centre"), Column(_("Rank"), 7, "count"),
               Column(_("Recognised"), 10, "centre"), Column(_("Proposed to the next level"), 12, "centre"),
               Column(_("Proposed for commendation"), 12, "centre")]
    sheet = SheetWriter(workbook, _("04 Evaluations"), columns, heading, list_sheet=True, frozen_columns=3,
                        title=_title(4, _("Evaluation results of the models and exemplars, by conference"), query),
                        unit_line=_unit_line(_("points")))
    conference, sections, number = None, 0, 0
    totals = {"results": 0, "recognised": 0, "upward": 0, "commendation": 0}
    for row in selectors.evaluation_rows(query):
        if row["conference_id"] != conference:
            conference, number, sections = row["conference_id"], 0, sections + 1
            sheet.section(roman(sections), _conference_label(row))
        number += 1
        totals["results"] += 1
        totals["recognised"] += row["recognised"]
        totals["upward"] += row["proposed_upward"]
        totals["commendation"] += row["proposed_for_commendation"]
        sheet.write([number, row["initiative__code"], row["initiative__title"], row["initiative__organization__name"],
                     row["place"], row["sheets_submitted"], row["mean_score"], row["rating__name"], row["rank"],
                     _yes(row["recognised"]), _yes(row["proposed_upward"]), _yes(row["proposed_for_commendation"])])
        progress.step()
    sheet.write(["", _("Total of the table"), _("%(count)s results in %(conferences)s conferences") % {
        "count": totals["results"], "conferences": sections}, "", "", "", "", "", "",
        totals["recognised"], totals["upward"], totals["commendation"]], bold=True)
    sheet.close()


def _commendations_sheet(workbook, heading, query, progress) -> None:
    columns = [Column(_("No."), 6, "centre"), Column(_("Recipient"), 30), Column(_("Collective or individual"), 11,
                                                                                "centre"),
               Column(_("Position"), 16), Column(_("Organisation"), 30), Column(_("Locality"), 20),
               Column(_("Year"), 8, "year"), Column(_("Decision number"), 16), Column(_("Decision date"), 11, "date"),
               Column(_("Model"), 40), Column(_("Prize (VND)"), 14, "count")]
    sheet = SheetWriter(workbook, _("05 Commendations"), columns, heading, list_sheet=True,
                        title=_title(5, _("Collectives and individuals commended"), query),
                        unit_line=_unit_line(_("VND")))
    levels = labels(AwardLevel)
    forms = {(row.level, row.form): row for row in selectors.commendations_by_form(query)}
    kinds = labels(RecipientKind)
    current, sections, number = None, 0, 0
    totals = {RecipientKind.COLLECTIVE: 0, RecipientKind.INDIVIDUAL: 0, "prize": 0}
    for row in selectors.commendation_rows(query):
        form_key = (row["award_form__level"], row["award_form__name"])
        if form_key != current:
            current, number, sections = form_key, 0, sections + 1
            summary = forms.get(form_key)
            counts = (_("%(collective)s collectives, %(individual)s individuals") % {
                "collective": summary.collective, "individual": summary.individual}) if summary else ""
            sheet.section(roman(sections), f"{row['award_form__name']} ({levels.get(row['award_form__level'], '')})"
                                           f" — {counts}")
        number += 1
        totals[row["recipient_kind"]] += 1
        totals["prize"] += row["prize_amount"] or 0
        individual = row["recipient_kind"] == RecipientKind.INDIVIDUAL
        model = " – ".join(part for part in (row["initiative__code"], row["initiative__title"]) if part)
        sheet.write([number, row["person_name"] if individual else row["organization__name"],
                     kinds.get(row["recipient_kind"], ""), row["person_position"] if individual else "",
                     row["organization__name"], row["place"], row["year"], row["decision__number"],
                     row["decision__date"], model, row["prize_amount"]])
        progress.step()
    sheet.write(["", _("Total of the table"), _("%(collective)s collectives, %(individual)s individuals") % {
        "collective": totals[RecipientKind.COLLECTIVE], "individual": totals[RecipientKind.INDIVIDUAL]},
        "", "", "", "", "", "", "", totals["prize"]], bold=True)
    sheet.close()


def _silent_sheet(workbook, heading, query, progress) -> None:
    columns = [Column(_("No."), 6, "centre"), Column(_("Body"), 40), Column(_("Category"), 30),
               Column(_("Locality"), 22), Column(_("Years without a registration"), 20, "centre"),
               Column(_("Number of years"), 10, "count")]
    sheet = SheetWriter(workbook, _("06 Not registered"), columns, heading, list_sheet=True,
                        title=_title(6, _("Bodies that registered no model"), query),
                        unit_line=_unit_line(_("bodies")))
    rows = selectors.silent_bodies(query)
    for number, row in enumerate(rows, start=1):
        sheet.write([number, row.name, row.category, row.place, ", ".join(str(y) for y in row.years_without),
                     len(row.years_without)])
    progress.step(len(rows))
    sheet.write(["", _("Total of the table"), _("%(count)s bodies") % {"count": len(rows)}, "", "",
                 sum(len(row.years_without) for row in rows)], bold=True)
    sheet.close()


def _times_new_roman(workbook: Workbook) -> None:
    """Times New Roman as the workbook's default font: the cells written without a style of their own (and
    Excel's column width unit) use it too."""
    fonts = list(workbook._fonts)
    default = copy(fonts[0])
    default.name, default.scheme, default.family, default.sz = FONT, None, 1, 12
    workbook._fonts = IndexedList([default, *fonts[1:]])


@dataclass
class BuildResult:
    rows: int
    sheets: list[str] = field(default_factory=list)


def estimated_rows(query: ReportQuery) -> int:
    """How many rows the workbook will hold, roughly (for progress and for choosing to build in the background)."""
    return (selectors.initiative_count(query) + selectors.evaluation_count(query)
            + selectors.commendation_count(query) + selectors.silent_body_estimate(query)
            + query.scope.children.count() + 20)


def build_workbook(query: ReportQuery, out, *, heading: Heading | None = None,
                   progress: Callable[[int, int], None] | None = None, total: int | None = None) -> BuildResult:
    """Write the six sheets to `out` (a path or a binary file). `progress(done, total)` is called every few
    hundred rows."""
    heading = heading or heading_for(query.scope)
    counter = Progress(total if total is not None else estimated_rows(query), progress)
    workbook = Workbook(write_only=True)
    _times_new_roman(workbook)
    ratings = selectors.ratings()
    # The list of the initiatives, the longest read, starts now: the database computes it while the figures of
    # the summary sheets are read, and its next rows while the first are written.
    with ReadingAhead(selectors.initiative_list(query), chunk_size=selectors.STREAM_CHUNK) as initiatives:
        fine = selectors.by_unit_and_field(query)  # both summary sheets roll up from it
        _summary_sheet(workbook, heading, query, ratings, counter, fine)
        _locality_sheet(workbook, heading, query, ratings, counter, fine)
        _initiatives_sheet(workbook, heading, query, counter, initiatives)
    _evaluations_sheet(workbook, heading, query, counter)
    _commendations_sheet(workbook, heading, query, counter)
    _silent_sheet(workbook, heading, query, counter)
    workbook.save(out)
    counter.finish()
    return BuildResult(rows=counter.done, sheets=[ws.title for ws in workbook.worksheets])


def file_name(query: ReportQuery) -> str:
    from django.utils.text import slugify

    return f"bao-cao-dan-van-kheo-{slugify(query.scope.name) or 'don-vi'}-{query.years_label.replace('–', '-')}.xlsx"
