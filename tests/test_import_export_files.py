"""Exported files read in Vietnamese, and the same file can be imported back."""

import datetime

import tablib
from django.urls import reverse

from models_registry.models import Initiative, InitiativeKind, InitiativeStatus
from models_registry.resources import InitiativeResource

from .factories import InitiativeFactory


def test_export_headers_and_choices_are_vietnamese(client, provincial_board, unit_staff):
    InitiativeFactory(organization=unit_staff.staff_profile.organization, kind=InitiativeKind.INDIVIDUAL,
                      person_name="Đinh Văn Hùng", start_date=datetime.date(2025, 3, 15))
    client.force_login(provincial_board)
    response = client.post(reverse("admin:models_registry_initiative_export"), {
        "format": "0", "resource": "0", "initiativeresource_code": "on", "initiativeresource_title": "on",
        "initiativeresource_kind": "on", "initiativeresource_start_date": "on",
        "initiativeresource_status": "on", "initiativeresource_organization_name": "on",
    })
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mo-hinh-dien-hinh-')
    header, row = response.content.decode("utf-8-sig").splitlines()[:2]
    assert header == 'Mã,Tên mô hình,Loại,"Cơ quan, đơn vị đăng ký",Ngày bắt đầu,Trạng thái'
    assert "Điển hình (cá nhân)" in row and "15/03/2025" in row and "Đã gửi, chờ thẩm định" in row


def test_an_exported_file_imports_back_with_its_vietnamese_headers(admin_user, unit_staff):
    # Only the owning organisation (or a superuser) may change a draft, so the round trip is the superuser's.
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT,
                              title="Tên cũ")
    resource = InitiativeResource(user=admin_user)
    exported = resource.export(Initiative.objects.filter(pk=draft.pk))
    assert "Tên mô hình" in exported.headers and "Hình thức" in exported.headers

    edited = tablib.Dataset(headers=exported.headers)
    row = list(exported[0])
    row[exported.headers.index("Tên mô hình")] = "Tên mới sau khi sửa trong Excel"
    edited.append(row)
    result = InitiativeResource(user=admin_user).import_data(
        edited, dry_run=False, user=admin_user, rollback_on_validation_errors=True)

    assert not result.has_errors() and not result.has_validation_errors()
    draft.refresh_from_db()
    assert draft.title == "Tên mới sau khi sửa trong Excel"


def test_an_unknown_choice_label_is_refused_in_vietnamese(admin_user, unit_staff):
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)
    exported = InitiativeResource(user=admin_user).export(Initiative.objects.filter(pk=draft.pk))
    edited = tablib.Dataset(headers=exported.headers)
    row = list(exported[0])
    row[exported.headers.index("Loại")] = "Mô hình tập thể lớn"
    edited.append(row)
    result = InitiativeResource(user=admin_user).import_data(
        edited, dry_run=False, user=admin_user, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    message = str(result.invalid_rows[0].error_dict)
    assert "không phải là một trong" in message
    draft.refresh_from_db()
    assert draft.kind == InitiativeKind.COLLECTIVE
