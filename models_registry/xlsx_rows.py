"""The rows of a workbook's active sheet, as openpyxl's read-only mode gives them, parsed in one pass with expat.

Values only, as `load_workbook(read_only=True, data_only=True)` and `iter_rows(values_only=True)` give them:
a formula as its cached value, a shared or inline string as its text, a number as an int or a float, or a date
when its cell's number format is a date (in the workbook's 1900 or 1904 calendar), TRUE/FALSE as booleans.
Rows start at row 1 and column 1 and end where the sheet's declared dimension ends; a missing row is empty.

openpyxl builds an element and a descriptor object for every cell: 10,000 rows of 24 columns took 3 s to read,
which is the whole time budget of an import of that size. Here expat calls back per tag and keeps only values.
No DTD is accepted (so no entity is ever declared or expanded) and nothing outside the zip is fetched; the
caller has already checked the zip's directory for a bomb (files.check_zip).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
PACKAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
CHUNK = 256 * 1024

_CELL, _ROW, _VALUE, _TEXT, _INLINE, _PHONETIC, _STRING, _DIMENSION = (
    MAIN + "c", MAIN + "row", MAIN + "v", MAIN + "t", MAIN + "is", MAIN + "rPh", MAIN + "si", MAIN + "dimension")
_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


class UnreadableWorkbook(ValueError):
    """The package is not a workbook this reader understands (the caller says the file is damaged)."""


def _forbidden(*args):
    raise UnreadableWorkbook("a workbook part declares a DTD or an entity")


def _parse(archive: zipfile.ZipFile, name: str, start, end=None, text=None) -> Iterator[None]:
    """Feed a part of the package to expat, chunk by chunk; yields after each chunk (to stream rows)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.UnparsedEntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)
    yield


def _read(archive, name, start, end=None, text=None) -> None:
    for _ in _parse(archive, name, start, end, text):
        pass


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{id: (type, target path in the zip)} of a part's relationships."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
    found = {}
    if rels_name not in archive.NameToInfo:
        return found

    def start(name, attrs):
        if name == PACKAGE_RELATIONSHIP and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

    _read(archive, rels_name, start)
    return found


def _of_type(relationships: dict, kind: str) -> str | None:
    return next((path for rel_type, path in relationships.values() if rel_type.endswith("/" + kind)), None)


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    strings: list[str] = []
    if name is None or name not in archive.NameToInfo:
        return strings
    parts: list[str] = []
    state = {"text": False, "phonetic": 0}

    def start(tag, attrs):
        if tag == _TEXT and not state["phonetic"]:
            state["text"] = True
        elif tag == _PHONETIC:
            state["phonetic"] += 1
        elif tag == _STRING:
            parts.clear()

    def end(tag):
        if tag == _TEXT:
            state["text"] = False
        elif tag == _PHONETIC:
            state["phonetic"] -= 1
        elif tag == _STRING:
            strings.append("".join(parts).replace("x005F_", ""))  # as openpyxl reads the table

    def text(data):
        if state["text"]:
            parts.append(data)

    _read(archive, name, start, end, text)
    return strings


def _date_styles(archive: zipfile.ZipFile, name: str | None) -> tuple[set[int], set[int]]:
    """The indexes of the cell styles whose number format is a date (and of those that are a duration)."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    depth = {"cellXfs": False}

    def start(tag, attrs):
        if tag == MAIN + "numFmt":
            custom[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode", "")
        elif tag == MAIN + "cellXfs":
            depth["cellXfs"] = True
        elif tag == MAIN + "xf" and depth["cellXfs"]:
            formats.append(int(attrs.get("numFmtId", 0)))

    def end(tag):
        if tag == MAIN + "cellXfs":
            depth["cellXfs"] = False

    if name is not None and name in archive.NameToInfo:
        _read(archive, name, start, end)
    dates, durations = set(), set()
    for index, format_id in enumerate(formats):
        code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id) or "General"
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def _active_sheet(archive: zipfile.ZipFile) -> tuple[str, str, bool]:
    """(workbook part, active worksheet part, whether dates count from 1904)."""
    package = _relationships(archive, "")
    workbook = _of_type(package, "officeDocument") or "xl/workbook.xml"
    if workbook not in archive.NameToInfo:
        raise UnreadableWorkbook("no workbook part")
    sheets: list[str] = []
    book = {"active": None, "date1904": False}

    def start(tag, attrs):
        if tag == MAIN + "sheet":
            sheets.append(attrs.get(RELATIONSHIP_ID, ""))
        elif tag == MAIN + "workbookView" and book["active"] is None and "activeTab" in attrs:
            book["active"] = int(attrs["activeTab"])
        elif tag == MAIN + "workbookPr":
            book["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    _read(archive, workbook, start)
    relationships = _relationships(archive, workbook)
    # As openpyxl counts them: the sheets whose part exists, worksheets and chart sheets alike.
    present = [relationships[rid] for rid in sheets if rid in relationships
               and relationships[rid][1] in archive.NameToInfo]
    index = book["active"] or 0
    if not 0 <= index < len(present) or not present[index][0].endswith("/worksheet"):
        raise UnreadableWorkbook("the active sheet is not a worksheet")
    return workbook, present[index][1], book["date1904"]


def _column(reference: str) -> tuple[int, int]:
    """"AB12" → (28, 12)."""
    found = _REFERENCE.fullmatch(reference.upper())
    if found is None:
        raise UnreadableWorkbook(f"cell reference {reference!r}")
    number = 0
    for letter in found.group(1):
        number = number * 26 + ord(letter) - 64
    return number, int(found.group(2))


def sheet_rows(fileobj) -> Iterator[list]:
    """The active sheet's rows as lists of values, the first one being the header row."""
    archive = zipfile.ZipFile(fileobj)
    workbook, sheet, date1904 = _active_sheet(archive)
    relationships = _relationships(archive, workbook)
    strings = _shared_strings(archive, _of_type(relationships, "sharedStrings"))
    dates, durations = _date_styles(archive, _of_type(relationships, "styles"))
    epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
    done: list[list] = []
    row: dict[int, object] = {}
    parts: list[str] = []
    columns: dict[str, int] = {}  # "AB" → 28, for the cells' references
    # Where the sheet's declared dimension ends (openpyxl reads no further); the row and the cell being read.
    last_row = last_column = None
    number = column = style = phonetic = 0
    kind = "n"
    collect = inline = has_value = False

    def column_of(reference: str) -> int:
        letters = reference.rstrip("0123456789")
        if letters not in columns:
            columns[letters] = _column(reference)[0]
        return columns[letters]

    def value_of() -> object:
        value = "".join(parts)
        if kind == "inlineStr":
            return value
        if value == "":
            return None
        if kind == "n":
            amount = float(value) if "." in value or "E" in value or "e" in value else int(value)
            if style in dates:
                try:
                    return from_excel(amount, epoch, timedelta=style in durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return amount
        if kind == "s":
            return strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # "str" (a formula's text), "e" (an error such as #N/A)

    def start(tag, attrs):
        nonlocal number, column, style, phonetic, kind, collect, inline, has_value, last_row, last_column
        if tag == _CELL:
            reference = attrs.get("r")
            column = column_of(reference) if reference else column + 1
            kind = attrs.get("t", "n")
            style = int(attrs.get("s") or 0)
            has_value = False
            parts.clear()
        elif tag == _VALUE:
            if kind != "inlineStr":
                collect = has_value = True
        elif tag == _TEXT:
            if inline and not phonetic:
                collect = True
        elif tag == _INLINE:
            if kind == "inlineStr":
                inline = has_value = True
        elif tag == _ROW:
            found = int(attrs["r"]) if attrs.get("r") else number + 1
            if last_row is not None:
                found = min(found, last_row + 1)  # past the end: not read
            done.extend([] for _ in range(number + 1, found))  # rows missing from the sheet are empty
            number, column = found, 0
            row.clear()
        elif tag == _PHONETIC:
            phonetic += 1
        elif tag == _DIMENSION:
            end = (attrs.get("ref") or "").split(":")[-1]
            if end:
                last_column, last_row = _column(end)

    def end(tag):
        nonlocal collect, inline, phonetic
        if tag == _CELL:
            row[column] = value_of() if has_value else None
        elif tag == _VALUE or tag == _TEXT:
            collect = False
        elif tag == _INLINE:
            inline = False
        elif tag == _ROW:
            if last_row is None or number <= last_row:
                width = max(row, default=0) if last_column is None else last_column
                values = [None] * width
                for index, value in row.items():
                    if 1 <= index <= width:
                        values[index - 1] = value
                done.append(values)
        elif tag == _PHONETIC:
            phonetic -= 1

    def text(data):
        if collect:
            parts.append(data)

    try:
        for _ in _parse(archive, sheet, start, end, text):
            yield from done
            done.clear()
    finally:
        archive.close()
