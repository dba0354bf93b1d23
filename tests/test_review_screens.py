"""The review screens as reviewers meet them: told by e-mail, the list opening on their work, a confirmation
before accepting, which level decides the rest, an index without reference tables, a history that tells."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from models_registry import roles
from models_registry.attachments import attachment_add
from models_registry.models import AuditEntry, InitiativeStatus
from models_registry.services import (
    initiative_accept,
    initiative_return,
    initiative_submit,
    initiative_update,
    yearly_result_save,
)

from .factories import InitiativeFactory, organization_in, persona, unit

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:models_registry_initiative_{name}", args=args)


def named(user, last_name, first_name):
    user.last_name, user.first_name = last_name, first_name
    user.save(update_fields=["last_name", "first_name"])
    return user


# --- Being told ------------------------------------------------------------------------------------------


def test_submission_emails_the_commune_reviewers_with_a_link_to_the_registration(
    unit_staff, commune_reviewer, provincial_board, mailoutbox, django_capture_on_commit_callbacks
):
    named(unit_staff, "Đinh Thị", "Lan")
    named(commune_reviewer, "Phạm Văn", "Long")
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        initiative_submit(initiative=draft, acting_user=unit_staff)

    # The commune's reviewer, not the provincial board, which may decide but would drown in mail.
    assert [mail.to for mail in mailoutbox] == [[commune_reviewer.email]]
    mail = mailoutbox[0]
    assert mail.subject == f"Đăng ký mới cần thẩm định: “{draft.title}”"
    assert "Kính gửi đồng chí Phạm Văn Long," in mail.body
    assert "Người gửi: Đinh Thị Lan" in mail.body and "Lan Đinh Thị" not in mail.body
    assert f"http://127.0.0.1:8000/admin/models_registry/initiative/{draft.pk}/change/" in mail.body


def test_resubmission_tells_the_reviewer_what_changed(unit_staff, commune_reviewer, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)
    initiative_submit(initiative=draft, acting_user=unit_staff)
    initiative_return(initiative=draft, acting_user=commune_reviewer, reason="Bổ sung kinh phí.")
    draft.refresh_from_db()
    initiative_update(initiative=draft, acting_user=unit_staff, values={"budget_amount": 20_000_000},
                      expected_version=draft.version)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        initiative_submit(initiative=draft, acting_user=unit_staff)

    assert mailoutbox[0].subject.startswith("Đăng ký được gửi lại để thẩm định")
    assert "Nội dung thay đổi so với lần gửi trước: Kinh phí (đồng)" in mailoutbox[0].body


def test_without_a_reviewer_in_the_commune_the_provincial_board_is_told(
    provincial_board, mailoutbox, django_capture_on_commit_callbacks
):
    organization = organization_in("Xã Sơn Hà", name="Hội Nông dân xã Sơn Hà")  # no reviewer account there
    staff = persona(role=roles.UNIT_STAFF, unit_obj=organization.unit, organization=organization,
                    username="canbo_sonha")
    draft = InitiativeFactory(organization=staff.staff_profile.organization, status=InitiativeStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        initiative_submit(initiative=draft, acting_user=staff)

    assert [mail.to for mail in mailoutbox] == [[provincial_board.email]]


def test_decision_email_links_to_the_units_page_and_carries_the_acceptance_note(
    unit_staff, commune_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    named(commune_reviewer, "Phạm Văn", "Long")
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization)

    with django_capture_on_commit_callbacks(execute=True):
        initiative_accept(initiative=initiative, acting_user=commune_reviewer, note="Nhân rộng ra các thôn.")

    body = mailoutbox[0].body
    assert "Ghi chú: Nhân rộng ra các thôn." in body
    assert "Người quyết định: Phạm Văn Long" in body
    assert f"http://127.0.0.1:8000/can-bo/mo-hinh/{initiative.pk}/" in body


def test_a_new_account_gets_a_welcome_email_with_a_link_that_sets_its_password(
    client, provincial_board, mailoutbox, django_capture_on_commit_callbacks
):
    named(provincial_board, "Trần Thị", "Hạnh")
    client.force_login(provincial_board)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:auth_user_add"), {
            "username": "thamdinh_sonha", "password1": "Tam-thoi-2025!x", "password2": "Tam-thoi-2025!x",
            "last_name": "Nguyễn Văn", "first_name": "An", "email": "an@example.vn", "role": roles.REVIEWER,
            "unit": unit("Xã Sơn Hà").pk,
        })
    assert response.status_code == 302

    [mail] = mailoutbox
    assert mail.to == ["an@example.vn"]
    assert "Kính gửi đồng chí Nguyễn Văn An," in mail.body
    assert "Trần Thị Hạnh đã tạo cho đồng chí một tài khoản" in mail.body
    assert "Tên đăng nhập: thamdinh_sonha" in mail.body and "Xã Sơn Hà" in mail.body
    link = re.search(r"http://127\.0\.0\.1:8000(/tai-khoan/dat-lai-mat-khau/\S+/)", mail.body).group(1)

    client.logout()
    form_page = client.get(link, follow=True)  # Django swaps the token for a session and redirects
    assert form_page.status_code == 200
    done = client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": "Mat-khau-rieng-2025", "new_password2": "Mat-khau-rieng-2025"})
    assert done.status_code == 302
    assert get_user_model().objects.get(username="thamdinh_sonha").check_password("Mat-khau-rieng-2025")


# --- Accepting ------------------------------------------------------------------------------------------


def test_accept_asks_for_confirmation_and_takes_an_optional_note(client, commune_reviewer, scenario):
    initiative = scenario["same_commune"]
    client.force_login(commune_reviewer)

    page = client.get(url("change", initiative.pk)).content.decode()
    # The button leads to a confirmation page; it does not accept on the spot.
    assert f'href="{url("transition", initiative.pk, "accept")}" data-transition="accept"' in page
    confirm = client.get(url("transition", initiative.pk, "accept")).content.decode()
    assert "Xác nhận: Chấp nhận?" in confirm and "ghi chú (không bắt buộc)" in confirm.lower()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED

    client.post(url("transition", initiative.pk, "accept"), {"reason": "  Đề nghị nhân rộng.  "})
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACCEPTED
    assert initiative.transitions.first().reason == "Đề nghị nhân rộng."


def test_bulk_accept_lists_the_rows_and_waits_for_confirmation(client, commune_reviewer, scenario):
    initiative = scenario["same_commune"]
    client.force_login(commune_reviewer)
    selection = {"action": "accept_selected", "_selected_action": [initiative.pk], "index": 0}

    page = client.post(url("changelist"), selection)
    assert page.status_code == 200 and initiative.title in page.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED

    client.post(url("changelist"), {**selection, "apply": "1", "reason": ""})
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACCEPTED


# --- The reviewer's list ----------------------------------------------------------------------------------


def test_reviewer_opens_the_list_on_what_waits_for_them(client, commune_reviewer, scenario):
    client.force_login(commune_reviewer)

    response = client.get(url("changelist"))

    assert response.status_code == 302 and response.url.endswith("?awaiting=me")
    page = client.get(response.url)
    assert set(page.context["cl"].result_list) == {scenario["same_commune"], scenario["own_org"],
                                                   scenario["old_commune"]}
    # "All" is a choice of its own, so that choosing it does not fall back on the default.
    assert 'href="?awaiting=all"' in page.content.decode()
    assert client.get(url("changelist"), {"awaiting": "all"}).status_code == 200


def test_reviewer_with_nothing_waiting_sees_the_whole_list_and_is_told(client, commune_reviewer, scenario):
    for key in ("same_commune", "own_org", "old_commune"):
        initiative_accept(initiative=scenario[key], acting_user=commune_reviewer)
    client.force_login(commune_reviewer)

    response = client.get(url("changelist"))

    assert response.status_code == 200
    assert "Không có đăng ký nào đang chờ bạn thẩm định." in response.content.decode()


def test_a_row_reviewed_by_another_level_says_which_level(client, commune_reviewer, scenario):
    party = scenario["old_commune_party"]  # in the commune's scope, reviewed by the old district
    client.force_login(commune_reviewer)

    listing = client.get(url("changelist"), {"awaiting": "all"}).content.decode()
    row = listing[listing.index(party.code):]
    row = row[:row.index("</tr>")]
    assert "do cấp huyện thẩm định: Huyện Minh Long (cũ)" in row
    mine = listing[listing.index(scenario["same_commune"].code):]
    assert "đang chờ bạn thẩm định" in mine[:mine.index("</tr>")]

    page = client.get(url("change", party.pk)).content.decode()
    assert "Đăng ký này đang chờ cấp huyện (Huyện Minh Long (cũ)) thẩm định" in page


# --- The admin index -----------------------------------------------------------------------------------

REFERENCE_MODELS = ("unitedition", "administrativeunit", "unitsuccession", "activityfield")


@pytest.mark.parametrize("persona_name", ["commune_reviewer", "provincial_board"])
def test_index_of_reviewers_boards_and_staff_shows_their_work_not_reference_tables(client, request, persona_name):
    client.force_login(request.getfixturevalue(persona_name))
    page = client.get(reverse("admin:index")).content.decode()
    for model in REFERENCE_MODELS:
        assert f"/admin/models_registry/{model}/" not in page
    assert "/admin/models_registry/initiative/" in page


def test_administrators_see_reference_tables_read_only(client, admin_user):
    admin = persona(role=roles.SYSTEM_ADMIN, unit_obj=unit("Tỉnh Quảng Ngãi"), username="quantri_he_thong")
    for user in (admin_user, admin):
        client.force_login(user)
        page = client.get(reverse("admin:index")).content.decode()
        assert "/admin/models_registry/administrativeunit/" in page
        minh_long = unit("Xã Minh Long")
        change = client.get(reverse("admin:models_registry_administrativeunit_change", args=[minh_long.pk]))
        assert change.status_code == 200 and 'name="parent"' not in change.content.decode()
        refused = client.post(reverse("admin:models_registry_administrativeunit_change", args=[minh_long.pk]),
                              {"name": "Đổi tên", "parent": ""})
        assert refused.status_code == 403
        assert client.get(reverse("admin:models_registry_unitsuccession_add")).status_code == 403
    minh_long.refresh_from_db()
    assert minh_long.name == "Xã Minh Long"


# --- History ---------------------------------------------------------------------------------------------


def test_history_shows_edits_results_files_and_status_changes_with_who_and_when(
    client, unit_staff, commune_reviewer, private_media
):
    named(unit_staff, "Đinh Thị", "Lan")
    named(commune_reviewer, "Phạm Văn", "Long")
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT,
                                   budget_amount=15_000_000)
    initiative_update(initiative=initiative, acting_user=unit_staff, values={"budget_amount": 20_000_000},
                      expected_version=initiative.version)
    initiative.refresh_from_db()
    initiative_submit(initiative=initiative, acting_user=unit_staff)
    initiative = initiative_accept(initiative=initiative, acting_user=commune_reviewer)
    pdf = SimpleUploadedFile("bao-cao-2025.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment_add(initiative=initiative, acting_user=unit_staff, uploaded=pdf, kind="report")
    yearly_result_save(initiative=initiative, acting_user=unit_staff, year=timezone.localdate().year,
                       values={"participants": 120, "value_mobilised": 35_000_000})

    client.force_login(commune_reviewer)
    page = client.get(url("history", initiative.pk)).content.decode()

    assert "sửa nội dung đăng ký" in page and "“15.000.000” → “20.000.000”" in page
    assert "trạng thái: Đã gửi, chờ thẩm định → Đã chấp nhận" in page
    assert "đính kèm tệp" in page and "bao-cao-2025.pdf" in page
    assert "báo cáo kết quả hằng năm" in page and "Số người tham gia" in page and "“—” → “120”" in page
    assert page.count("Đinh Thị Lan") >= 3 and "Phạm Văn Long" in page
    assert timezone.localdate().strftime("%d/%m/%Y") in page
    assert AuditEntry.objects.filter(object_id=str(initiative.pk)).count() == 3


def test_history_of_an_account_shows_its_role_and_place(client, provincial_board, django_capture_on_commit_callbacks):
    client.force_login(provincial_board)
    client.post(reverse("admin:auth_user_add"), {
        "username": "thamdinh_sonha", "password1": "Tam-thoi-2025!x", "password2": "Tam-thoi-2025!x",
        "last_name": "Nguyễn Văn", "first_name": "An", "email": "an@example.vn", "role": roles.REVIEWER,
        "unit": unit("Xã Sơn Hà").pk,
    })
    created = get_user_model().objects.get(username="thamdinh_sonha")

    page = client.get(reverse("admin:auth_user_history", args=[created.pk])).content.decode()

    assert "giao vai trò và địa bàn" in page and "Cán bộ thẩm định" in page and "Xã Sơn Hà" in page
