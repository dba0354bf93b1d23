"""Issue 11, files in: every import and upload goes through models_registry.files — size limits, zip bombs
refused from the zip directory without unpacking, defusedxml, CSV encodings detected, Vietnamese reasons."""

import codecs
import datetime
import io
import unicodedata
import zipfile

import openpyxl
import openpyxl.xml
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from models_registry import files, xlsx_rows
from models_registry.attachments import validate_attachment
from models_registry.scoped_admin import SafeCSV, SafeXLSX, ScopedImportExportMixin

IMPORT_URL = reverse("admin:models_registry_initiative_import")
CSV, XLSX = "0", "1"
TEXT = "Mô hình “Dân vận khéo” Hũ gạo tình thương; Đinh Văn Hùng; Hội Liên hiệp Phụ nữ xã Minh Long; ệ ặ ữ ỗ"
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: base letters with their vowel marks, the tone as a combining mark."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out += (base + "".join(c for c in parts if c in TONE_MARKS)).encode("cp1258")
    return out


def zip_bomb(unpacked_mb: int = 30) -> bytes:
    """A valid-looking .xlsx whose sheet is megabytes of the same bytes (compresses about 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"<row>" + b" " * (1024 * 1024 - 11) + b"</row>"
            for _ in range(unpacked_mb):
                sheet.write(chunk)
    return buffer.getvalue()


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def never_opened(monkeypatch):
    """Fails the test if openpyxl opens the workbook or a zip entry is unpacked."""
    def refuse(*args, **kwargs):
        raise AssertionError("the file was opened")
    real_open = zipfile.ZipFile.open

    def open_for_writing_only(archive, name, mode="r", *args, **kwargs):
        if mode == "r":
            raise AssertionError("a zip entry was unpacked")
        return real_open(archive, name, mode, *args, **kwargs)
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr(openpyxl.reader.excel, "load_workbook", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "open", open_for_writing_only)


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking(never_opened):
    bomb = zip_bomb()
    assert len(bomb) < 200_000  # a small upload that unpacks to 30 MB
    with pytest.raises(files.FileRefused) as refusal:
        files.read_xlsx(io.BytesIO(bomb))
    assert refusal.value.code == "zip_bomb"
    assert "không được mở" in " ".join(refusal.value.messages)


def test_a_zip_declaring_more_than_the_unpacked_limit_is_refused(settings, never_opened):
    settings.DANVAN_ZIP_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
    settings.DANVAN_ZIP_MAX_RATIO = 10_000
    with pytest.raises(files.FileRefused) as refusal:
        files.read_xlsx(io.BytesIO(zip_bomb(12)))
    assert refusal.value.code == "zip_bomb"


def test_the_admin_refuses_a_zip_bomb_before_storing_it(client, admin_user, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a refused upload was stored")
    monkeypatch.setattr(ScopedImportExportMixin, "write_to_tmp_storage", never)
    client.force_login(admin_user)
    response = client.post(IMPORT_URL, {"resource": "0", "format": XLSX,
                                        "import_file": SimpleUploadedFile("bom.xlsx", zip_bomb())})
    page = response.content.decode()
    assert response.status_code == 200 and "không được mở" in page and "BadZipFile" not in page


def test_an_attachment_that_is_a_zip_bomb_is_refused(never_opened):
    buffer = io.BytesIO(zip_bomb())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ValidationError) as refusal:
        validate_attachment(SimpleUploadedFile("bao-cao.docx", buffer.getvalue()))
    assert refusal.value.code == "zip_bomb"


def test_a_big_file_is_refused_by_its_size_without_being_read(settings):
    class Huge(io.BytesIO):
        size = 60 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("the file was read")

    with pytest.raises(files.FileRefused) as refusal:
        files.read_table(Huge(), "csv")
    assert refusal.value.code == "too_large"
    assert "Tệp quá lớn: tối đa 20,0" in refusal.value.messages[0]


def test_the_admin_refuses_a_file_over_the_import_limit(client, admin_user, settings):
    settings.DANVAN_IMPORT_MAX_BYTES = 1000
    client.force_login(admin_user)
    response = client.post(IMPORT_URL, {"resource": "0", "format": CSV,
                                        "import_file": SimpleUploadedFile("lon.csv", b"ma,ten\n" + b"x,y\n" * 500)})
    assert "Tệp quá lớn: tối đa 1000" in response.content.decode()


def test_a_csv_is_read_as_a_stream_never_whole():
    class Recording(io.BytesIO):
        sizes = []

        def read(self, size=-1):
            self.sizes.append(size)
            return super().read(size)

        def read1(self, size=-1):
            self.sizes.append(size)
            return super().read1(size)

    content = ("Mã,Tên mô hình\n" + "".join(f"DVK-{n},Mô hình số {n}\n" for n in range(50_000))).encode()
    table = files.read_csv(Recording(content))
    assert len(table.dataset) == 50_000
    assert all(size is not None and 0 < size <= 1024 * 1024 for size in Recording.sizes if size != 4)


@pytest.mark.parametrize("encoding, label, data", [
    ("cp1258", "Windows-1258", lambda text: cp1258(text)),
    ("utf-8", "UTF-8", lambda text: text.encode("utf-8")),
    ("utf-8-sig", "UTF-8 (BOM)", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
    ("utf-16", "UTF-16", lambda text: text.encode("utf-16")),
])
def test_csv_encodings_are_detected_and_decoded_with_correct_diacritics(encoding, label, data):
    text = f"Mã,Tên mô hình\r\nDVK-1,\"{TEXT}\"\r\n"
    table = files.read_csv(io.BytesIO(data(text)))
    assert table.encoding == label
    assert table.dataset.headers == ["Mã", "Tên mô hình"]
    assert table.dataset[0][1] == TEXT  # NFC, as typed
    assert unicodedata.is_normalized("NFC", table.dataset[0][1])


def test_the_import_preview_shows_the_encoding(client, admin_user, unit_staff):
    from .factories import InitiativeFactory

    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status="draft")
    text = f"Mã,Tên mô hình,Số hiệu cơ quan, đơn vị đăng ký\r\n{draft.code},{draft.title},{draft.organization_id}\r\n"
    text = text.replace("Số hiệu cơ quan, đơn vị đăng ký", '"Số hiệu cơ quan, đơn vị đăng ký"')
    client.force_login(admin_user)
    response = client.post(IMPORT_URL, {"resource": "0", "format": CSV,
                                        "import_file": SimpleUploadedFile("cu.csv", cp1258(text))})
    page = response.content.decode()
    assert "Bảng mã: Windows-1258" in page
    assert response.context["preview"]["counts"]["skip"] == 1


def test_a_csv_in_an_unknown_encoding_is_refused_in_vietnamese():
    with pytest.raises(files.FileRefused) as refusal:
        files.read_csv(io.BytesIO("Mã\n".encode("utf-16-le")))
    assert "Không đọc được bảng mã của tệp CSV" in refusal.value.messages[0]


def test_a_semicolon_separated_csv_from_a_vietnamese_excel_is_read():
    table = files.read_csv(io.BytesIO("Mã;Kinh phí (đồng)\nDVK-1;1.234.567\n".encode()))
    assert table.dataset.headers == ["Mã", "Kinh phí (đồng)"] and table.dataset[0][1] == "1.234.567"


@pytest.mark.parametrize("content", [
    b"PK\x03\x04 this is not a zip",
    b"Ma,Ten\nA,B\n",
    b"",
])
def test_a_corrupt_workbook_is_explained_in_vietnamese(content):
    with pytest.raises(files.FileRefused) as refusal:
        files.read_table(io.BytesIO(content), "xlsx")
    message = " ".join(refusal.value.messages)
    assert "BadZipFile" not in message and "Error" not in message
    assert "Tệp Excel bị hỏng hoặc không phải tệp .xlsx" in message or "Tệp không có dữ liệu" in message \
        or refusal.value.code == "empty"


def test_a_zip_that_is_not_a_workbook_is_explained_in_vietnamese():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(files.FileRefused) as refusal:
        SafeXLSX().create_dataset(buffer.getvalue())
    assert "Tệp Excel bị hỏng hoặc không phải tệp .xlsx" in refusal.value.messages[0]


def test_a_workbook_with_xml_entities_is_refused_not_expanded():
    content = xlsx([["Mã", "Tên"], ["A", "B"]])
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                        + body)
            target.writestr(item, data)
    with pytest.raises(files.FileRefused):
        files.read_xlsx(io.BytesIO(out.getvalue()))


def test_the_admin_explains_a_corrupt_workbook_and_a_wrong_format(client, admin_user):
    client.force_login(admin_user)
    page = client.post(IMPORT_URL, {"resource": "0", "format": XLSX, "import_file": SimpleUploadedFile(
        "hong.xlsx", b"PK\x03\x04garbage")}).content.decode()
    assert "Tệp Excel bị hỏng hoặc không phải tệp .xlsx" in page and "BadZipFile" not in page
    page = client.post(IMPORT_URL, {"resource": "0", "format": CSV, "import_file": SimpleUploadedFile(
        "bang.csv", xlsx([["Mã"], ["A"]]))}).content.decode()
    assert "Đây là tệp Excel" in page and "UnicodeDecodeError" not in page


def test_a_workbook_is_read_row_by_row_never_whole(monkeypatch):
    content = xlsx([["Mã", "Tên"], ["A", "=B"], [None, None], *[[f"M{n}", "Mô hình"] for n in range(20_000)]])
    table = SafeXLSX().create_dataset(content)
    assert table.headers == ["Mã", "Tên"] and len(table) == 20_001 and table[0] == ("A", None)
    sheet_size = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml").file_size
    read = []
    real_read = zipfile.ZipExtFile.read

    def counted(part, *args):
        data = real_read(part, *args)
        read.append(len(data))
        return data
    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted)
    monkeypatch.setattr(xlsx_rows, "CHUNK", 16 * 1024)
    rows = xlsx_rows.sheet_rows(io.BytesIO(content))
    assert next(rows) == ["Mã", "Tên"]
    assert sum(read) < sheet_size / 4  # the first rows come while most of the sheet is still packed
    rows.close()


def package(sheet: str, strings: str = "", styles: str = "", workbook: str = "", sheets: int = 1,
            active: int = 0) -> bytes:
    """An .xlsx made by hand, as Excel writes them: shared strings, styles, several sheets."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + (
                             '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                             'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if strings else "")
                         + '<Default Extension="xml" ContentType="application/xml"/></Types>')
        archive.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                         f'relationships"><Relationship Id="r1" Type="{relations}/officeDocument" '
                         'Target="xl/workbook.xml"/></Relationships>')
        names = "".join(f'<sheet name="Trang {n}" sheetId="{n}" r:id="s{n}"/>' for n in range(1, sheets + 1))
        archive.writestr("xl/workbook.xml", f'<workbook {main} xmlns:r="{relations}">{workbook}<bookViews>'
                         f'<workbookView activeTab="{active}"/></bookViews><sheets>{names}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="s{n}" Type="{relations}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                       for n in range(1, sheets + 1))
        for n in range(1, sheets + 1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", f"<worksheet {main}>{sheet}</worksheet>" if n == active + 1
                             else f'<worksheet {main}><sheetData><row r="1"><c r="A1"><v>{n}</v></c></row>'
                             '</sheetData></worksheet>')
        if strings:
            rels += f'<Relationship Id="t" Type="{relations}/sharedStrings" Target="/xl/sharedStrings.xml"/>'
            archive.writestr("xl/sharedStrings.xml", f"<sst {main}>{strings}</sst>")
        if styles:
            rels += f'<Relationship Id="y" Type="{relations}/styles" Target="styles.xml"/>'
            archive.writestr("xl/styles.xml", f"<styleSheet {main}>{styles}</styleSheet>")
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                         f'package/2006/relationships">{rels}</Relationships>')
    return out.getvalue()


DATE_STYLES = ('<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts>'
               '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="46"/></cellXfs>')
SHARED = ('<si><t>Mã</t></si><si><t xml:space="preserve"> Tên  mô hình </t></si>'
          '<si><r><rPr><b/></rPr><t>Hũ gạo </t></r><r><t>tình thương</t></r><rPh sb="0" eb="1"><t>X</t></rPh></si>'
          '<si><t>dòng 1\ndòng 2</t></si>')
WORKBOOKS = {
    "shared strings, rich text, dates by style, formulas, errors, booleans, gaps": package(
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v>'
        '</c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" s="1"><v>43905</v></c><c r="C2" s="2">'
        '<v>43905.5</v></c><c r="D2"><f>A1</f><v>7</v></c><c r="E2" t="str"><f>A1</f><v>Mã</v></c>'
        '<c r="F2" t="e"><v>#N/A</v></c><c r="G2" t="b"><v>1</v></c><c r="H2" s="3"><v>0.5</v></c></row>'
        '<row r="4"><c t="inlineStr"><is><t>inline</t></is></c><c><v>1E3</v></c><c r="D4"><v></v></c>'
        '<c r="E4" t="d"><v>2021-04-05T00:00:00</v></c></row><row><c r="A5"><v>5</v></c></row></sheetData>',
        SHARED, DATE_STYLES),
    "dates counted from 1904": package('<sheetData><row r="1"><c r="A1" s="1"><v>100</v></c></row></sheetData>',
                                       styles=DATE_STYLES, workbook='<workbookPr date1904="1"/>'),
    "the active sheet, not the first": package('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is>'
                                               '</c></row></sheetData>', sheets=3, active=1),
    "read no further than the declared dimension": package(
        '<dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row>'
        '<row r="2"><c r="B2"><v>4</v></c></row><row r="3"><c r="A3"><v>5</v></c></row></sheetData>'),
    "made by openpyxl": xlsx([["Mã", "Ngày", "Số", "Có"], ["A1", datetime.date(2019, 3, 15), 12, True],
                              [None, datetime.datetime(2020, 1, 2, 3, 4), 1.5, False], ["=1+1", 12345678901, -3e-5]]),
}


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_workbook_reads_as_openpyxl_reads_it(name):
    def trimmed(rows):
        rows = [list(row) for row in rows]
        for row in rows:
            while row and row[-1] is None:
                row.pop()
        return rows
    book = openpyxl.load_workbook(io.BytesIO(WORKBOOKS[name]), read_only=True, data_only=True)
    expected = trimmed(book.active.iter_rows(values_only=True))
    book.close()
    assert trimmed(xlsx_rows.sheet_rows(io.BytesIO(WORKBOOKS[name]))) == expected


def test_csv_import_takes_off_the_quote_our_export_put_before_a_formula():
    table = SafeCSV().create_dataset("Mã,Tên\nA,'=HYPERLINK(1)\nB,'Bình thường\nC,''=x\n".encode())
    assert [row[1] for row in table] == ["=HYPERLINK(1)", "'Bình thường", "'=x"]


def test_too_many_rows_are_refused(settings):
    settings.DANVAN_IMPORT_MAX_ROWS = 5
    with pytest.raises(files.FileRefused) as refusal:
        files.read_csv(io.BytesIO(("Mã\n" + "A\n" * 6).encode()))
    assert refusal.value.code == "too_many_rows"
