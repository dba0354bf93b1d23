"""Issue 11, files out: exports keep the user's text exactly and inert, with typed values and Vietnamese
names, in a sheet named for its content."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from models_registry.models import InitiativeStatus
from models_registry.resources import InitiativeResource, OrganizationResource, YearlyResultResource
from models_registry.workbook import csv_text, list_workbook

from .factories import InitiativeFactory, YearlyResultFactory

FORMULAS = ['=HYPERLINK("http://example.vn","Bấm vào đây")', "+1+1", "-2+3", "@SUM(1)", "\tTab", "\rCR"]
CSV, XLSX = "0", "1"


def export(client, model="initiative", file_format=XLSX, resource=InitiativeResource):
    data = {"format": file_format, "resource": "0"}
    prefix = resource.__name__.lower()
    data.update({f"{prefix}_{name}": "on" for name in resource().get_export_order()})
    response = client.post(reverse(f"admin:models_registry_{model}_export"), data)
    assert response.status_code == 200
    return response


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).active


def rows_by_header(sheet):
    headers = [cell.value for cell in sheet[1]]
    return headers, [dict(zip(headers, row, strict=False)) for row in sheet.iter_rows(min_row=2)]


@pytest.fixture
def formula_rows(unit_staff):
    organization = unit_staff.staff_profile.organization
    return [InitiativeFactory(organization=organization, title=title, status=InitiativeStatus.SUBMITTED)
            for title in FORMULAS]


def test_formula_text_is_kept_exactly_as_a_text_cell_in_excel(client, provincial_board, formula_rows):
    client.force_login(provincial_board)
    headers, rows = rows_by_header(sheet_of(export(client)))
    cells = {row["Mã"].value: row["Tên mô hình"] for row in rows}
    for initiative in formula_rows:
        cell = cells[initiative.code]
        assert cell.data_type == "s"  # text, never a formula
        expected = initiative.title.replace("\r", "\n") if initiative.title.startswith("\r") else initiative.title
        assert cell.value in (initiative.title, expected)


def test_formula_text_is_neutralised_in_csv_with_a_single_quote(client, provincial_board, formula_rows):
    client.force_login(provincial_board)
    text = export(client, file_format=CSV).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    titles = {row["Mã"]: row["Tên mô hình"] for row in rows}
    for initiative in formula_rows:
        assert titles[initiative.code] == "'" + initiative.title
    assert csv_text("Bình thường") == "Bình thường" and csv_text("'=x") == "''=x"


def test_headers_are_vietnamese_in_every_column_of_every_resource():
    for resource in (InitiativeResource, OrganizationResource, YearlyResultResource):
        with translation.override("en"):
            english = resource().get_export_headers()
        with translation.override("vi"):
            vietnamese = resource().get_export_headers()
        untranslated = [header for header, source in zip(vietnamese, english, strict=True) if header == source]
        assert not untranslated, (resource.__name__, untranslated)
        assert not any("_" in header for header in vietnamese)


def test_the_export_form_labels_columns_in_vietnamese(client, provincial_board):
    client.force_login(provincial_board)
    page = client.get(reverse("admin:models_registry_initiative_export")).content.decode()
    assert "Mã (code)" not in page and "(code)" not in page
    assert "Số hiệu cơ quan, đơn vị đăng ký" in page and "Mã mô hình được nhân rộng" in page


def test_numbers_and_dates_are_typed_and_empty_is_empty(client, provincial_board, unit_staff):
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization, budget_amount=1_234_567,
                                   registration_year=2025, start_date=datetime.date(2026, 1, 15), end_date=None,
                                   person_name="")
    client.force_login(provincial_board)
    sheet = sheet_of(export(client))
    assert sheet.title == "Mô hình, điển hình"
    headers, rows = rows_by_header(sheet)
    row = next(row for row in rows if row["Mã"].value == initiative.code)
    assert row["Kinh phí (đồng)"].value == 1_234_567 and row["Kinh phí (đồng)"].number_format == "#,##0"
    assert row["Năm đăng ký"].value == 2025 and row["Năm đăng ký"].number_format == "0"
    assert row["Số hiệu cơ quan, đơn vị đăng ký"].value == initiative.organization_id
    start = row["Ngày bắt đầu"]
    assert start.is_date and start.value.date() == datetime.date(2026, 1, 15)
    assert start.number_format == "dd/mm/yyyy"
    assert row["Ngày kết thúc"].value is None and row["Họ và tên điển hình"].value is None
    assert row["Lĩnh vực"].value == initiative.field.name  # the field's name, not its slug
    assert row["Loại"].value == "Mô hình (tập thể)"
    every_value = [cell.value for line in sheet.iter_rows() for cell in line]
    assert "None" not in every_value and "none" not in every_value

    text = export(client, file_format=CSV).content.decode("utf-8-sig")
    assert "None" not in text
    line = next(row for row in csv.DictReader(io.StringIO(text)) if row["Mã"] == initiative.code)
    assert line["Ngày bắt đầu"] == "15/01/2026" and line["Ngày kết thúc"] == ""
    assert line["Kinh phí (đồng)"] == "1234567" and line["Lĩnh vực"] == initiative.field.name


def test_the_sheet_has_a_bold_frozen_header_filters_and_widths(client, provincial_board, formula_rows):
    client.force_login(provincial_board)
    sheet = sheet_of(export(client))
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    widths = [sheet.column_dimensions[letter].width for letter in ("A", "B", "C")]
    assert all(8 <= width <= 60 for width in widths)


def test_yearly_results_export_with_real_numbers(client, provincial_board, unit_staff):
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization)
    YearlyResultFactory(initiative=initiative, year=2025, value_mobilised=150_000_000,
                        land_donated_m2=Decimal("120.5"))
    client.force_login(provincial_board)
    sheet = sheet_of(export(client, "yearlyresult", resource=YearlyResultResource))
    assert sheet.title == "Kết quả hằng năm"
    headers, rows = rows_by_header(sheet)
    row = rows[0]
    values = {header: cell for header, cell in row.items()}
    money = next(cell for header, cell in values.items() if "huy động" in header.lower())
    assert money.value == 150_000_000 and money.number_format == "#,##0"
    year = next(cell for header, cell in values.items() if header == "Năm")
    assert year.value == 2025 and year.number_format == "0"
    land = next(cell for header, cell in values.items() if "m²" in header)
    assert float(land.value) == 120.5 and land.number_format == "#,##0.0"


def test_a_workbook_holds_control_characters_without_failing():
    data = list_workbook("Thử", ["A"], [["Dòng\x07có ký tự lạ"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "Dòng\ufffdcó ký tự lạ"


def test_minutes_use_the_same_safe_text_cells():
    from openpyxl import Workbook

    from evaluations.minutes import put

    sheet = Workbook().active
    cell = put(sheet, 1, 1, "=1+1")
    assert cell.data_type == "s" and cell.value == "=1+1"
