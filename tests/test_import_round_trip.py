"""Issue 11, round trip: the board re-imports its own export unchanged (every row "không đổi", nothing
written); an edited row is changed or refused row by row with the reason; rows in the exported layout import
as new; the preview lists what matters first and collapses the unchanged rows."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from models_registry.models import AuditEntry, Initiative, InitiativeStatus
from models_registry.resources import InitiativeResource

from .factories import InitiativeFactory

EXPORT_URL = reverse("admin:models_registry_initiative_export")
IMPORT_URL = reverse("admin:models_registry_initiative_import")
CONFIRM_URL = reverse("admin:models_registry_initiative_process_import")
CSV, XLSX = "0", "1"


def export(client, file_format=XLSX) -> bytes:
    data = {"format": file_format, "resource": "0"}
    data.update({f"initiativeresource_{name}": "on" for name in InitiativeResource().get_export_order()})
    response = client.post(EXPORT_URL, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


def preview(client, content: bytes, file_format=XLSX, name=None):
    name = name or ("mo-hinh.xlsx" if file_format == XLSX else "mo-hinh.csv")
    response = client.post(IMPORT_URL, {"resource": "0", "format": file_format,
                                        "import_file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response


def edit_xlsx(content: bytes, edit) -> bytes:
    book = load_workbook(io.BytesIO(content))
    edit(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def column(sheet, header: str) -> int:
    return [cell.value for cell in sheet[1]].index(header) + 1


def edit_row(content: bytes, code: str, values: dict) -> bytes:
    """The workbook with the given columns of the row of `code` replaced."""
    def edit(sheet):
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row=row, column=column(sheet, "Mã")).value == code:
                for header, value in values.items():
                    sheet.cell(row=row, column=column(sheet, header)).value = value
    return edit_xlsx(content, edit)


def snapshot():
    return list(Initiative.unscoped.order_by("pk").values_list("pk", "title", "budget_amount", "start_date",
                                                                 "version", "updated_at"))


@pytest.fixture
def registry(unit_staff):
    organization = unit_staff.staff_profile.organization
    rows = [
        InitiativeFactory(organization=organization, status=InitiativeStatus.SUBMITTED,
                          title='=HYPERLINK("http://example.vn","Mô hình")', budget_amount=1_234_567,
                          start_date=datetime.date(2025, 3, 15),
                          situation="Dòng một\r\nDòng hai", contact_phone="0905123456"),
        InitiativeFactory(organization=organization, status=InitiativeStatus.ACCEPTED, title="+1+1 và -2+3",
                          person_name=""),
        InitiativeFactory(organization=organization, status=InitiativeStatus.DRAFT, title="Bản nháp",
                          end_date=None),
    ]
    return rows


@pytest.mark.parametrize("file_format", [XLSX, CSV])
def test_unchanged_export_reimported_by_the_board_is_all_unchanged_and_writes_nothing(
        client, provincial_board, registry, file_format):
    client.force_login(provincial_board)
    content = export(client, file_format)
    before, audit_before = snapshot(), AuditEntry.unscoped.count()

    response = preview(client, content, file_format)
    summary = response.context["preview"]
    # The board's export holds the submitted and accepted models: the draft is still its unit's.
    assert summary["counts"] == {"new": 0, "update": 0, "skip": 2, "refused": 0}
    assert summary["rows"] == []
    assert "không đổi" in response.content.decode()
    assert response.context["confirm_form"] is not None
    if file_format == CSV:
        assert summary["encoding"] == "UTF-8 (BOM)"

    confirm = response.context["confirm_form"]
    client.post(CONFIRM_URL, {name: confirm.initial[name] for name in confirm.initial})
    assert snapshot() == before
    assert AuditEntry.unscoped.count() == audit_before


def test_a_row_the_board_may_not_change_is_refused_with_the_reason_and_nothing_is_written(
        client, provincial_board, registry):
    client.force_login(provincial_board)
    content = export(client)
    before = snapshot()

    def edit(sheet):
        sheet.cell(row=2, column=column(sheet, "Tên mô hình")).value = "Tên mới"

    response = preview(client, edit_xlsx(content, edit))
    summary = response.context["preview"]
    assert summary["counts"]["refused"] == 1 and summary["counts"]["skip"] == 1
    refused = summary["rows"][0]
    assert refused.kind == "invalid" and refused.number == 1
    assert "chỉ" in " ".join(refused.details) and "Tên mô hình" in " ".join(refused.details)
    assert "confirm_form" not in response.context or not response.context["confirm_form"]
    assert snapshot() == before


def test_an_edited_draft_updates_only_what_changed_and_says_so(client, admin_user, registry):
    client.force_login(admin_user)
    content = export(client)
    draft = registry[2]

    response = preview(client, edit_row(content, draft.code, {"Tên mô hình": "Bản nháp đã sửa",
                                                               "Trạng thái": "Đã công nhận"}))
    summary = response.context["preview"]
    assert summary["counts"] == {"new": 0, "update": 1, "skip": 2, "refused": 0}
    changed = summary["rows"][0]
    assert changed.kind == "update"
    details = " ".join(changed.details)
    assert "Tên mô hình" in details and "Bản nháp đã sửa" in details
    assert "Trạng thái" in details  # the status column cannot be changed by an import: said, not applied

    confirm = response.context["confirm_form"]
    client.post(CONFIRM_URL, {name: confirm.initial[name] for name in confirm.initial})
    draft.refresh_from_db()
    assert draft.title == "Bản nháp đã sửa" and draft.status == InitiativeStatus.DRAFT
    assert Initiative.unscoped.get(pk=registry[0].pk).situation == "Dòng một\r\nDòng hai"


def test_rows_in_the_exported_layout_without_a_code_import_as_new(client, admin_user, registry):
    client.force_login(admin_user)
    content = export(client)

    def edit(sheet):
        values = [cell.value for cell in sheet[2]]
        values[column(sheet, "Mã") - 1] = None
        values[column(sheet, "Tên mô hình") - 1] = "Mô hình mới từ tệp"
        values[column(sheet, "Ngày bắt đầu") - 1] = "01/02/2026"
        values[column(sheet, "Kinh phí (đồng)") - 1] = "2.500.000"
        sheet.append(values)

    response = preview(client, edit_xlsx(content, edit))
    summary = response.context["preview"]
    assert summary["counts"]["new"] == 1 and summary["counts"]["refused"] == 0, summary
    assert "Value could not be parsed" not in response.content.decode()
    confirm = response.context["confirm_form"]
    client.post(CONFIRM_URL, {name: confirm.initial[name] for name in confirm.initial})
    created = Initiative.unscoped.get(title="Mô hình mới từ tệp")
    assert created.start_date == datetime.date(2026, 2, 1) and created.budget_amount == 2_500_000
    assert created.status == InitiativeStatus.DRAFT and created.code


def test_a_date_that_cannot_be_read_is_explained_in_vietnamese(client, admin_user, registry):
    client.force_login(admin_user)
    content = export(client)

    def edit(sheet):
        sheet.cell(row=2, column=column(sheet, "Ngày bắt đầu")).value = "ngày mai"

    response = preview(client, edit_xlsx(content, edit))
    page = response.content.decode()
    assert "Value could not be parsed" not in page
    assert "ngày/tháng/năm" in page


def test_the_preview_lists_refused_new_and_changed_rows_first_and_collapses_unchanged_ones(
        client, admin_user, unit_staff):
    organization = unit_staff.staff_profile.organization
    drafts = [InitiativeFactory(organization=organization, status=InitiativeStatus.DRAFT) for _ in range(30)]
    client.force_login(admin_user)
    content = export(client)

    def edit(sheet):
        title = column(sheet, "Tên mô hình")
        codes = [sheet.cell(row=row, column=column(sheet, "Mã")).value for row in range(2, sheet.max_row + 1)]
        changed_row = codes.index(drafts[20].code) + 2
        sheet.cell(row=changed_row, column=title).value = "Đã sửa"
        refused_row = codes.index(drafts[25].code) + 2
        sheet.cell(row=refused_row, column=column(sheet, "Số hiệu cơ quan, đơn vị đăng ký")).value = 999999
        new = [cell.value for cell in sheet[2]]
        new[column(sheet, "Mã") - 1] = ""
        new[title - 1] = "Dòng mới"
        sheet.append(new)

    response = preview(client, edit_xlsx(content, edit))
    summary = response.context["preview"]
    assert [row.kind for row in summary["rows"]] == ["invalid", "new", "update"]
    assert summary["counts"]["skip"] == 28
    page = response.content.decode()
    assert page.count("<tr class=") == 3  # unchanged rows are counted, not rendered


def test_an_old_style_file_with_field_codes_still_imports(admin_user, unit_staff):
    import tablib

    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)
    dataset = tablib.Dataset(headers=["code", "title", "organization_id", "field_code"])
    dataset.append([draft.code, "Tên mới", draft.organization_id, "giam-ngheo"])
    result = InitiativeResource(user=admin_user).import_data(dataset, dry_run=False, user=admin_user,
                                                              rollback_on_validation_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    draft.refresh_from_db()
    assert draft.field.code == "giam-ngheo" and draft.title == "Tên mới"


def test_a_workbook_made_by_hand_imports(admin_user, unit_staff):
    book = Workbook()
    sheet = book.active
    sheet.append(["Tên mô hình", "Số hiệu cơ quan, đơn vị đăng ký", "Mã", "Lĩnh vực", "Năm đăng ký"])
    sheet.append(["Mô hình tự làm", unit_staff.staff_profile.organization_id, None, "Kinh tế", 2026])
    out = io.BytesIO()
    book.save(out)
    from models_registry.scoped_admin import SafeXLSX

    dataset = SafeXLSX().create_dataset(out.getvalue())
    result = InitiativeResource(user=admin_user).import_data(dataset, dry_run=True, user=admin_user,
                                                              rollback_on_validation_errors=True)
    assert [row.import_type for row in result.rows] == ["new"], [row.validation_error for row in result.rows]


def test_the_preview_refuses_a_row_breaking_a_model_rule_without_writing(client, admin_user, registry):
    client.force_login(admin_user)
    content = export(client)
    draft = registry[2]

    response = preview(client, edit_row(content, draft.code, {"Ngày bắt đầu": "10/05/2026",
                                                               "Ngày kết thúc": "01/05/2026"}))
    summary = response.context["preview"]
    assert summary["counts"]["refused"] == 1 and summary["rows"][0].kind == "invalid"
    draft.refresh_from_db()
    assert draft.start_date is None


def test_a_confirmation_refused_after_the_preview_says_nothing_was_imported(client, admin_user, registry):
    client.force_login(admin_user)
    content = export(client)
    draft = registry[2]

    response = preview(client, edit_row(content, draft.code, {"Tên mô hình": "Sửa sau"}))
    confirm = response.context["confirm_form"]
    Initiative.unscoped.filter(pk=draft.pk).update(status=InitiativeStatus.SUBMITTED)  # submitted meanwhile
    page = client.post(CONFIRM_URL, {name: confirm.initial[name] for name in confirm.initial},
                                follow=True)
    assert "Chưa nhập gì" in page.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Bản nháp"
