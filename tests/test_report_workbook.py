"""The yearly workbook: six sheets whose figures are the query layer's (checked by hand in
test_reports_figures.py) in the official look; typed formulas stay text; the command writes a valid file."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from reports.headings import heading_for
from reports.selectors import CURRENT, HISTORICAL, ReportQuery
from reports.workbook import build_workbook

from . import report_dataset
from .factories import unit

M = report_dataset.M
SHEETS = ["01 Theo lĩnh vực", "02 Theo địa bàn", "03 Danh sách mô hình", "04 Kết quả đánh giá", "05 Khen thưởng",
          "06 Chưa đăng ký"]


@pytest.fixture
def dataset(provincial_board, district_reviewer):
    return report_dataset.build(provincial_board, district_reviewer)


def workbook_of(year_from, year_to=None, map=CURRENT, on=datetime.date(2025, 12, 15), number="12"):
    query = ReportQuery(unit("Tỉnh Quảng Ngãi"), year_from, year_to or year_from, map)
    out = BytesIO()
    with translation.override("vi"):
        build_workbook(query, out, heading=heading_for(query.scope, on=on, number=number))
    return load_workbook(BytesIO(out.getvalue()))


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def find(rows, first_cells: tuple) -> list:
    """The row whose first cells are these."""
    return next(row for row in rows if tuple(row[:len(first_cells)]) == first_cells)


def column(rows, header) -> int:
    for row in rows[9:12]:
        if header in row:
            return row.index(header)
    raise AssertionError(f"no column {header!r}")


def test_six_sheets_with_the_heading_block_and_print_setup(dataset):
    book = workbook_of(2025)
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        rows = rows_of(sheet)
        assert rows[0][0] == "TỈNH ỦY QUẢNG NGÃI" and "ĐẢNG CỘNG SẢN VIỆT NAM" in rows[0]
        assert rows[1][0] == "BAN TUYÊN GIÁO VÀ DÂN VẬN" and rows[2][0] == "*"
        assert rows[3][0] == "Số 12-BC/BTGDVTU" and "Quảng Ngãi, ngày 15 tháng 12 năm 2025" in rows[3]
        assert rows[5][0].startswith("BIỂU ") and rows[5][0].endswith("NĂM 2025")
        assert rows[6][0] == ("(Kèm theo Báo cáo số 12-BC/BTGDVTU, ngày 15/12/2025 của Ban Tuyên giáo và Dân vận "
                              "Tỉnh ủy)")
        assert any(str(cell).startswith("Đơn vị tính:") for cell in rows[7] if cell)
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.freeze_panes is not None and sheet.print_title_rows
        assert sheet["A1"].font.name == "Times New Roman" and sheet["B2"].font.bold is not None
        assert "NGƯỜI LẬP BIỂU" in rows[-2] and "T/M BAN TUYÊN GIÁO VÀ DÂN VẬN" in rows[-2]
    assert book.worksheets[2].auto_filter.ref.startswith("A")


def test_before_the_merger_the_board_was_ban_dan_van(dataset):
    rows = rows_of(workbook_of(2024, on=datetime.date(2024, 12, 20), number="")["01 Theo lĩnh vực"])
    assert rows[1][0] == "BAN DÂN VẬN" and rows[3][0].startswith("Số ") and rows[3][0].endswith("-BC/BDVTU")


@pytest.mark.parametrize("years, registered, value, evaluated", [
    ((2024,), 4, 110 * M, 2), ((2025,), 3, 270 * M, 3), ((2024, 2025), 7, 380 * M, 4)])
@pytest.mark.parametrize("map", [CURRENT, HISTORICAL])
def test_summary_sheets_hold_the_figures_with_totals_and_number_formats(dataset, years, registered, value,
                                                                         evaluated, map):
    book = workbook_of(*years, map=map)
    for name in ("01 Theo lĩnh vực", "02 Theo địa bàn"):
        sheet = book[name]
        rows = rows_of(sheet)
        assert rows[11][:4] == ("A", "B", "1", "2") or list(rows[11][:4]) == ["A", "B", "1", "2"]
        total = find(rows, (None, "Tổng số"))
        assert total[column(rows, "Tổng số đăng ký")] == registered
        assert total[column(rows, "Tiền và hiện vật quy đổi (đồng)")] == value
        assert total[column(rows, "Được đánh giá")] == evaluated
        total_row = rows.index(total) + 1
        value_cell = sheet.cell(row=total_row, column=column(rows, "Tiền và hiện vật quy đổi (đồng)") + 1)
        assert isinstance(value_cell.value, int) and value_cell.number_format.startswith("#,##0")
    field = rows_of(book["01 Theo lĩnh vực"])
    economy = find(field, (1, "Kinh tế"))
    assert economy[column(field, "Tổng số đăng ký")] == {(2024,): 2, (2025,): 1, (2024, 2025): 3}[years]


def test_locality_sheet_sections_on_both_maps(dataset):
    current = rows_of(workbook_of(2024)["02 Theo địa bàn"])
    assert [row[1] for row in current if row[0] in ("I", "II")] == [
        "Cơ quan, đơn vị cùng cấp với đơn vị báo cáo", "Các địa phương"]
    assert current[current.index(find(current, ("I",))) + 1][1] == "Cơ quan, đơn vị ở cấp Tỉnh Quảng Ngãi"
    minh_long = next(row for row in current if row[1] == "Xã Minh Long")
    assert minh_long[column(current, "Tổng số đăng ký")] == 2
    historical = rows_of(workbook_of(2024, map=HISTORICAL)["02 Theo địa bàn"])
    old = next(row for row in historical if row[1] == "Huyện Minh Long (cũ)")
    assert old[column(historical, "Tổng số đăng ký")] == 2
    assert not any(row[1] == "Xã Minh Long" and row[column(historical, "Tổng số đăng ký")] for row in historical)


def test_list_sheets(dataset):
    book = workbook_of(2024, 2025)
    models = rows_of(book["03 Danh sách mô hình"])
    codes = [row[1] for row in models if isinstance(row[0], int)]
    assert sorted(codes) == ["RPT-01", "RPT-02", "RPT-03", "RPT-04", "RPT-06", "RPT-07", "RPT-08"]
    first = next(row for row in models if row[1] == "RPT-01")
    assert first[column(models, "Xếp loại gần nhất")] == "Hiệu quả" and first[column(models, "Năm xếp loại")] == 2025
    total = find(models, (None, "Tổng số"))
    assert total[column(models, "Giá trị huy động trong kỳ (đồng)")] == 380 * M

    evaluations = rows_of(book["04 Kết quả đánh giá"])
    sections = [row[1] for row in evaluations if row[0] in ("I", "II")]
    assert len(sections) == 2 and "2025" in sections[0] and "2024" in sections[1]
    assert [row[1] for row in evaluations if isinstance(row[0], int)] == ["RPT-06", "RPT-01", "RPT-07", "RPT-01",
                                                                           "RPT-02"]

    commendations = rows_of(book["05 Khen thưởng"])
    listed = [row for row in commendations if isinstance(row[0], int)]
    assert len(listed) == 3
    assert find(commendations, (None, "Tổng số"))[column(commendations, "Tiền thưởng (đồng)")] == 4_010_000

    silent = rows_of(book["06 Chưa đăng ký"])
    police = next(row for row in silent if row[1] == "Công an tỉnh Quảng Ngãi")
    assert police[4] == "2024, 2025" and police[5] == 2


def test_typed_formulas_come_out_as_text(dataset):
    book = workbook_of(2024, 2025)
    sheet = book["03 Danh sách mô hình"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    for typed in ("=1+1", '=HYPERLINK("http://example.com","Bấm vào đây")'):
        assert typed in cells and cells[typed].data_type == "s"
    person = [cell for row in book["05 Khen thưởng"].iter_rows() for cell in row if cell.value == "=1+1"]
    assert person and all(cell.data_type == "s" for cell in person)


def test_text_with_markup_characters_line_breaks_and_spaces_comes_back_as_typed(dataset):
    """Data rows are written as XML text by the workbook itself: what XML gives a meaning to is escaped, a
    carriage return and the spaces around a title are kept."""
    typed = ["  Mô hình “A & B” <mới> ", "Dòng một\r\nDòng hai", "Tiết kiệm & <b>tự quản</b>", "x > y & y < z"]
    for number, title in enumerate(typed):
        report_dataset._initiative(dataset["bodies"]["A"], 2025, "submitted", "kinh-te", title=title,
                                   code=f"RPT-T{number}")
    rows = rows_of(workbook_of(2025)["03 Danh sách mô hình"])
    titles = {row[1]: row[2] for row in rows if isinstance(row[0], int)}
    assert [titles[f"RPT-T{number}"] for number in range(len(typed))] == typed


def test_the_command_writes_a_valid_file(dataset, tmp_path):
    out = StringIO()
    path = tmp_path / "bao-cao.xlsx"
    call_command("export_report", "--scope", "51", "--year", "2024", "--to-year", "2025", "--map", "historical",
                 "--out", str(path), stdout=out, no_color=True)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Đã ghi báo cáo của Tỉnh Quảng Ngãi năm 2024–2025")
    assert "giây" in lines[0]
    book = load_workbook(path)
    assert book.sheetnames == SHEETS


def test_the_command_refuses_an_unknown_code(units):
    from django.core.management.base import CommandError

    with translation.override("vi"), pytest.raises(CommandError):
        call_command("export_report", "--scope", "99999", "--year", "2024", "--out", "/tmp/x.xlsx")


def test_the_whole_countrys_workbook_is_the_central_boards(dataset, tmp_path):
    out = StringIO()
    path = tmp_path / "toan-quoc.xlsx"
    call_command("export_report", "--scope", "all", "--year", "2025", "--number", "7", "--out", str(path),
                 stdout=out, no_color=True)
    assert out.getvalue().startswith("Đã ghi báo cáo của Toàn quốc năm 2025")
    book = load_workbook(path)
    assert book.sheetnames == SHEETS
    rows = rows_of(book["02 Theo địa bàn"])
    assert rows[0][0] == "BAN CHẤP HÀNH TRUNG ƯƠNG" and rows[1][0] == "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    assert rows[3][0] == "Số 7-BC/BTGDVTW" and any(str(cell).startswith("Hà Nội, ngày") for cell in rows[3] if cell)
    assert rows[6][0].endswith("của Ban Tuyên giáo và Dân vận Trung ương)")
    assert find(rows, (None, "Tổng số"))[column(rows, "Tổng số đăng ký")] == 4  # Quảng Ngãi's 3, Đà Nẵng's 1
    assert find(rows, (1, "Thành phố Đà Nẵng")) and find(rows, (2, "Tỉnh Quảng Ngãi"))  # Đ before Q
    assert not any(str(row[1] or "").startswith("Cơ quan, đơn vị ở cấp") for row in rows)
