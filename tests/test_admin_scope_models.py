"""Scope in the admins of everything around initiatives: organisations, units, yearly results, attachments,
the transition log, staff profiles, successions; list filters; imports that write nothing when a row is refused.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from import_export.tmp_storages import TempFolderStorage

from models_registry.models import (
    Attachment,
    Initiative,
    InitiativeTransition,
    Organization,
    StaffProfile,
    UnitSuccession,
    YearlyResult,
)
from models_registry.services import initiative_accept

from .factories import YearlyResultFactory, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(scenario, admin_user, private_media):
    """For each model: (a row in the commune reviewer's scope, a row in another province)."""
    mine, foreign = scenario["same_commune"], scenario["danang"]
    for initiative in (mine, foreign):
        initiative_accept(initiative=initiative, acting_user=admin_user)
        YearlyResultFactory(initiative=initiative, year=2025)
        attachment = Attachment(initiative=initiative, original_name="anh.pdf", content_type="application/pdf",
                                size=9)
        attachment.file.save("anh.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {
        "organization": (mine.organization, foreign.organization),
        "administrativeunit": (unit("Xã Long Hiệp", "pre2025"), unit("Phường Hải Châu")),
        "yearlyresult": (YearlyResult.objects.get(initiative=mine), YearlyResult.objects.get(initiative=foreign)),
        "attachment": (Attachment.objects.get(initiative=mine), Attachment.objects.get(initiative=foreign)),
        "initiativetransition": (InitiativeTransition.objects.filter(initiative=mine).first(),
                                 InitiativeTransition.objects.filter(initiative=foreign).first()),
        "unitsuccession": (UnitSuccession.objects.get(predecessor=unit("Xã Long Hiệp", "pre2025")),
                           UnitSuccession.objects.filter(successor=unit("Phường Hải Châu")).first()),
    }


MODELS = ["organization", "administrativeunit", "yearlyresult", "attachment", "initiativetransition",
          "unitsuccession"]


@pytest.mark.parametrize("model_name", MODELS)
def test_commune_reviewer_sees_own_rows_and_gets_404_for_foreign_ones(client, commune_reviewer, rows, model_name):
    mine, foreign = rows[model_name]
    client.force_login(commune_reviewer)
    changelist = client.get(reverse(f"admin:models_registry_{model_name}_changelist"))
    assert changelist.status_code == 200
    listed = set(changelist.context["cl"].result_list.values_list("pk", flat=True))
    assert mine.pk in listed
    assert foreign.pk not in listed
    assert client.get(reverse(f"admin:models_registry_{model_name}_change", args=[mine.pk])).status_code == 200
    for view in ("change", "history", "delete"):
        response = client.get(reverse(f"admin:models_registry_{model_name}_{view}", args=[foreign.pk]))
        assert response.status_code == 404, view


def test_attachment_download_is_scoped(client, commune_reviewer, rows):
    mine, foreign = rows["attachment"]
    client.force_login(commune_reviewer)
    response = client.get(reverse("admin:models_registry_attachment_download", args=[mine.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert client.get(reverse("admin:models_registry_attachment_download", args=[foreign.pk])).status_code == 404


def test_staff_profiles_of_another_province_answer_404(client, provincial_board, other_province_staff, unit_staff):
    client.force_login(provincial_board)
    foreign = StaffProfile.objects.get(user=other_province_staff)
    mine = StaffProfile.objects.get(user=unit_staff)
    assert client.get(reverse("admin:models_registry_staffprofile_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:models_registry_staffprofile_change", args=[foreign.pk])).status_code == 404


def test_initiative_list_filters_name_no_unit_outside_the_scope(client, commune_reviewer, scenario):
    client.force_login(commune_reviewer)
    page = client.get(reverse("admin:models_registry_initiative_changelist"), {"awaiting": "all"}).content.decode()
    filters = page[page.index('id="changelist-filter"'):]
    assert "Xã Long Hiệp" in filters  # an old commune now part of Xã Minh Long
    for foreign in ("Xã Sơn Hà", "Phường Hải Châu", "Xã Long Sơn", "Quảng Nam", "Hội Nông dân phường Hải Châu"):
        assert foreign not in filters


def test_unit_filter_with_a_foreign_unit_id_shows_nothing(client, commune_reviewer, scenario):
    client.force_login(commune_reviewer)
    response = client.get(reverse("admin:models_registry_initiative_changelist"),
                          {"unit_scope": unit("Phường Hải Châu").pk})
    assert list(response.context["cl"].result_list) == []


def test_unit_filter_narrows_to_an_old_commune(client, commune_reviewer, scenario):
    client.force_login(commune_reviewer)
    response = client.get(reverse("admin:models_registry_initiative_changelist"),
                          {"unit_scope": unit("Xã Long Hiệp", "pre2025").pk})
    assert set(response.context["cl"].result_list) == {scenario["old_commune"], scenario["old_commune_party"]}


def test_year_filter_offers_the_years_since_the_first_with_data_and_narrows_the_list(client, commune_reviewer,
                                                                                     scenario):
    client.force_login(commune_reviewer)
    response = client.get(reverse("admin:models_registry_initiative_changelist"), {"registration_year": "2024"})
    assert set(response.context["cl"].result_list) == {scenario["old_commune"], scenario["old_commune_party"]}
    page = response.content.decode()
    # The oldest registration of the scenario is from 2024: no list of empty years back to 2009.
    assert f"registration_year={timezone.localdate().year}" in page and "registration_year=2024" in page
    assert "registration_year=2023" not in page and "registration_year=2009" not in page


# --- imports ------------------------------------------------------------------------------------------------


def organisations_csv(*rows):
    lines = ["id,name,category,unit_code,is_active"] + [f",{name},front,{code},1" for name, code in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_board_imports_organisations_of_the_province(client, provincial_board):
    client.force_login(provincial_board)
    code = unit("Xã Sơn Hà").code
    response = client.post(reverse("admin:models_registry_organization_import"), {
        "format": "0", "resource": "0",
        "import_file": SimpleUploadedFile("to_chuc.csv", organisations_csv(("Hội Người cao tuổi xã Sơn Hà", code))),
    })
    assert 'name="import_file_name"' in response.content.decode()


def test_organisation_import_with_a_foreign_unit_is_refused_and_nothing_is_written(client, provincial_board):
    """Even when the confirm step is forced with a file that failed the preview, nothing of it is written."""
    client.force_login(provincial_board)
    data = organisations_csv(("Hội Người cao tuổi xã Sơn Hà", unit("Xã Sơn Hà").code),
                             ("Hội Người cao tuổi phường Hải Châu", unit("Phường Hải Châu").code))
    preview = client.post(reverse("admin:models_registry_organization_import"), {
        "format": "0", "resource": "0", "import_file": SimpleUploadedFile("to_chuc.csv", data),
    }).content.decode()
    assert "Dòng 2: đơn vị “Phường Hải Châu” nằm ngoài phạm vi quản lý của bạn." in preview
    assert 'name="import_file_name"' not in preview

    storage = TempFolderStorage(read_mode="r")
    storage.save(data)
    client.post(reverse("admin:models_registry_organization_process_import"), {
        "import_file_name": storage.name, "original_file_name": "to_chuc.csv", "format": "0", "resource": "0",
    })
    assert not Organization.objects.filter(name__startswith="Hội Người cao tuổi").exists()


def test_initiative_import_cannot_overwrite_a_foreign_or_accepted_row(client, provincial_board, admin_user,
                                                                      scenario):
    own = scenario["sibling"]
    initiative_accept(initiative=own, acting_user=admin_user)
    client.force_login(provincial_board)
    header = "code,title,kind,origin,organization_id,field_code,registration_year\n"
    body = (f"{own.code},Đổi tên,collective,new,{own.organization_id},kinh-te,2025\n"
            f"{scenario['danang'].code},Đổi tên,collective,new,{scenario['own_org'].organization_id},kinh-te,2025\n")
    response = client.post(reverse("admin:models_registry_initiative_import"), {
        "format": "0", "resource": "0",
        "import_file": SimpleUploadedFile("dang_ky.csv", (header + body).encode("utf-8")),
    })
    content = response.content.decode()
    assert f"Dòng 1: mô hình {own.code} đang ở trạng thái “Đã chấp nhận”" in content
    assert f"Dòng 2: mô hình {scenario['danang'].code} nằm ngoài phạm vi quản lý của bạn." in content
    assert not Initiative.objects.filter(title="Đổi tên").exists()


def test_yearly_result_export_contains_only_rows_in_scope(client, commune_reviewer, rows):
    mine, foreign = rows["yearlyresult"]
    client.force_login(commune_reviewer)
    response = client.post(reverse("admin:models_registry_yearlyresult_export"), {
        "format": "0", "resource": "0", "yearlyresultresource_initiative_code": "on",
        "yearlyresultresource_year": "on",
    })
    exported = response.content.decode("utf-8-sig")
    assert mine.initiative.code in exported
    assert foreign.initiative.code not in exported


def test_unit_staff_cannot_export_or_import(client, unit_staff):
    client.force_login(unit_staff)
    for name in ("initiative_export", "initiative_import", "organization_import"):
        response = client.get(reverse(f"admin:models_registry_{name}"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_owner_removes_a_file_of_a_returned_registration_but_not_of_an_accepted_one(client, unit_staff, scenario,
                                                                                     private_media):
    from models_registry.models import InitiativeStatus

    returned, accepted = scenario["own_org"], scenario["own_org"]
    files = []
    for status in (InitiativeStatus.RETURNED, InitiativeStatus.ACCEPTED):
        Initiative.objects.filter(pk=returned.pk).update(status=status)
        attachment = Attachment(initiative=returned, original_name="anh.pdf", content_type="application/pdf", size=9)
        attachment.file.save("anh.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        files.append(attachment)
    client.force_login(unit_staff)
    # The registration is accepted now: no file of it may be removed (unit staff do it in the portal).
    for attachment in files:
        client.post(reverse("portal:staff_attachment_delete", args=[attachment.pk]))
    assert Attachment.objects.filter(initiative=accepted).count() == 2

    Initiative.objects.filter(pk=returned.pk).update(status=InitiativeStatus.RETURNED)
    response = client.post(reverse("portal:staff_attachment_delete", args=[files[0].pk]))
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=files[0].pk).exists()
