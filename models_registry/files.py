"""Files coming in: every import and upload is checked here before anything reads or stores it.

- a size limit per kind of file (settings, with defaults);
- an Excel workbook (.xlsx, a zip) is checked from its zip directory before it is opened: a declared
  unpacked size or compression ratio beyond the limits is a zip bomb and is refused without unpacking
  anything; its active sheet is then read row by row as openpyxl's read-only mode would give it, parsed in
  one pass with expat, no DTD accepted (xlsx_rows);
- a CSV file's encoding is detected (UTF-8, UTF-8 with BOM, UTF-16 with BOM, Windows-1258) while it is read
  as a stream, its text normalised to NFC (Windows-1258 decodes Vietnamese letters as combining marks);
- every refusal is a ValidationError in words a clerk can act on, never an exception's name.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass

import openpyxl.xml
import tablib
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import xlsx_rows

if not openpyxl.xml.DEFUSEDXML:  # openpyxl only parses through defusedxml when it is importable
    raise ImproperlyConfigured("defusedxml must be installed: openpyxl would parse uploaded XML unprotected.")

MB = 1024 * 1024
IMPORT = "import"
ATTACHMENT = "attachment"

XLSX_MAGIC = b"PK\x03\x04"
CHUNK = 64 * 1024

# The quote that makes a spreadsheet program treat a cell as text (OWASP "CSV injection").
TEXT_QUOTE = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def max_bytes(kind: str) -> int:
    if kind == ATTACHMENT:
        return settings.ATTACHMENT_MAX_BYTES
    return getattr(settings, "DANVAN_IMPORT_MAX_BYTES", 20 * MB)


def max_unpacked_bytes() -> int:
    return getattr(settings, "DANVAN_ZIP_MAX_UNPACKED_BYTES", 200 * MB)


def max_ratio() -> int:
    return getattr(settings, "DANVAN_ZIP_MAX_RATIO", 100)


def max_rows() -> int:
    return getattr(settings, "DANVAN_IMPORT_MAX_ROWS", 50_000)


class FileRefused(ValidationError):
    """A file that is not read: the message says why and what to do."""


def _size_of(uploaded) -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        position = uploaded.tell()
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
        uploaded.seek(position)
    return size


def check_size(uploaded, kind: str = IMPORT) -> int:
    """Refuse an empty file or one over the kind's limit (read from its size, not its content)."""
    size = _size_of(uploaded)
    if size == 0:
        raise FileRefused(_("The file is empty."), code="empty")
    limit = max_bytes(kind)
    if size > limit:
        raise FileRefused(
            _("The file is too large: at most %(max)s (this file is %(size)s). Split it into smaller files.")
            % {"max": filesizeformat(limit), "size": filesizeformat(size)},
            code="too_large",
        )
    return size


def _corrupt_workbook() -> FileRefused:
    return FileRefused(_("The Excel file is damaged or is not an .xlsx file. Open it in Excel and save it again "
                         "as “Excel Workbook (.xlsx)”."), code="corrupt")


def check_zip(fileobj, *, limit_unpacked: int | None = None, limit_ratio: int | None = None) -> list[str]:
    """The names in a zip (an .xlsx, .docx), after checking its directory for a zip bomb.

    Only the central directory is read: nothing is unpacked. Python's zipfile never returns more than an
    entry's declared size, so checking the declared sizes bounds what opening the file can unpack.
    """
    limit_unpacked = limit_unpacked or max_unpacked_bytes()
    limit_ratio = limit_ratio or max_ratio()
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _corrupt_workbook() from error
    finally:
        fileobj.seek(0)
    if len(entries) > 5000:
        raise _corrupt_workbook()
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    biggest_ratio = max((entry.file_size / max(entry.compress_size, 1) for entry in entries), default=0)
    if unpacked > limit_unpacked or biggest_ratio > limit_ratio or unpacked / max(packed, 1) > limit_ratio:
        raise FileRefused(
            _("The file would unpack to %(size)s, far more than a real table: it was refused without being "
              "opened. Save the table again in Excel, or split it into smaller files.")
            % {"size": filesizeformat(unpacked)},
            code="zip_bomb",
        )
    return [entry.filename for entry in entries]


@dataclass
class Table:
    """A file's rows, with the encoding a CSV file was read in (shown in the import preview)."""

    dataset: tablib.Dataset
    encoding: str = ""


def _clean_header(value) -> str:
    return unicodedata.normalize("NFC", str(value)).strip() if value is not None else ""


def _too_many_rows() -> FileRefused:
    return FileRefused(_("The file has more than %(max)s rows. Split it into smaller files.")
                       % {"max": f"{max_rows():,}".replace(",", ".")}, code="too_many_rows")


def _no_rows() -> FileRefused:
    return FileRefused(_("The file has no rows to import: its first row must hold the column names and the "
                         "rows below it the data."), code="no_rows")


def _dataset(headers, rows) -> tablib.Dataset:
    headers = [_clean_header(header) for header in headers]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise _no_rows()
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    limit = max_rows()
    for row in rows:
        row = list(row[:width]) + [None] * (width - len(row))
        if all(value is None or value == "" for value in row):
            continue  # blank lines at the end of a sheet
        if len(dataset) >= limit:
            raise _too_many_rows()
        dataset.append(row)
    return dataset


def read_xlsx(fileobj) -> Table:
    """The first sheet of a workbook, checked for a zip bomb first, then read row by row."""
    fileobj.seek(0)
    if fileobj.read(4) != XLSX_MAGIC:
        raise _corrupt_workbook()
    check_zip(fileobj)
    rows = xlsx_rows.sheet_rows(fileobj)
    try:
        try:
            headers = next(rows)
        except StopIteration:
            raise _no_rows() from None
        return Table(_dataset(headers, (_xlsx_row(row) for row in rows)))
    except FileRefused:
        raise
    except Exception as error:  # a damaged part, bad XML, a DTD: say so, never the exception's name
        raise _corrupt_workbook() from error
    finally:
        rows.close()


def _xlsx_row(row):
    return [unicodedata.normalize("NFC", value) if isinstance(value, str) else value for value in row]


# --- CSV ----------------------------------------------------------------------------------------------

ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1258": "Windows-1258",
}


def _bom_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _decodes_as(fileobj, encoding: str) -> bool:
    """Whether the whole stream decodes, read chunk by chunk (never the whole file at once)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    fileobj.seek(0)
    try:
        while chunk := fileobj.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        fileobj.seek(0)
    return True


def detect_encoding(fileobj) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM), else Windows-1258 (old Vietnamese office files)."""
    fileobj.seek(0)
    head = fileobj.read(4)
    fileobj.seek(0)
    encoding = _bom_encoding(head)
    if encoding:
        return encoding
    if b"\x00" in head:  # UTF-16 without its BOM, or a binary file
        raise _unknown_encoding()
    for encoding in ("utf-8", "cp1258"):
        if _decodes_as(fileobj, encoding):
            return encoding
    raise _unknown_encoding()


def _unknown_encoding() -> FileRefused:
    return FileRefused(_("The CSV file's encoding could not be read. In Excel, choose “Save As” and the type "
                         "“CSV UTF-8 (Comma delimited)”, or save the table as an Excel workbook (.xlsx)."),
                       code="encoding")


def _delimiter(first_line: str) -> str:
    """Excel on a Vietnamese system separates with ";" (the decimal mark is ",")."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda delimiter: (counts[delimiter], delimiter == ","))


def unquote_text(value: str) -> str:
    """The cell's text without the quote our CSV export put before a formula-like value."""
    if value[:1] == TEXT_QUOTE and needs_text_quote(value[1:]):
        return value[1:]
    return value


def needs_text_quote(value: str) -> bool:
    """Whether a spreadsheet program would run the value as a formula (or it already starts with our quote
    before such a value, which keeps quoting reversible)."""
    if value[:1] in FORMULA_STARTS:
        return True
    return value[:1] == TEXT_QUOTE and needs_text_quote(value[1:])


def read_csv(fileobj) -> Table:
    """A CSV file's rows, decoded in its detected encoding, read as a stream."""
    encoding = detect_encoding(fileobj)
    fileobj.seek(0)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    reader = None
    try:
        first = text.readline()
        text.seek(0)
        reader = csv.reader(text, delimiter=_delimiter(first))
        try:
            headers = next(reader)
        except StopIteration:
            raise _no_rows() from None
        rows = ([unquote_text(unicodedata.normalize("NFC", value)) for value in row] for row in reader)
        dataset = _dataset(headers, rows)
    except csv.Error as error:
        raise FileRefused(_("The CSV file is damaged (line %(line)s). Open it in Excel and save it again.")
                          % {"line": reader.line_num if reader else 1}, code="csv") from error
    except UnicodeDecodeError as error:
        raise _unknown_encoding() from error
    finally:
        text.detach()  # the caller owns the file
    return Table(dataset, ENCODING_LABELS[encoding])


def read_table(fileobj, extension: str) -> Table:
    """Read an import file of the given kind ("csv" or "xlsx"), with every check above."""
    check_size(fileobj, IMPORT)
    if extension == "xlsx":
        return read_xlsx(fileobj)
    return read_csv(fileobj)
