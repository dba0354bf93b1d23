"""The review workflow as reviewers and unit staff meet it in the admin."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from models_registry.models import Initiative, InitiativeStatus, InitiativeTransition, Lifecycle, YearlyResult
from models_registry.services import initiative_accept

from .factories import InitiativeFactory, standard_field

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:models_registry_initiative_{name}", args=args)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_commune_reviewer_accepts_from_the_change_page_and_the_owner_is_emailed(
    client, commune_reviewer, unit_staff, scenario, mailoutbox, django_capture_on_commit_callbacks
):
    initiative = scenario["own_org"]
    client.force_login(commune_reviewer)
    page = client.get(url("change", initiative.pk)).content.decode()
    assert 'data-transition="accept"' in page and 'data-transition="return"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("transition", initiative.pk, "accept"))

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACCEPTED
    log = initiative.transitions.first()
    assert (log.from_status, log.to_status, log.actor) == ("submitted", "accepted", commune_reviewer)
    assert [mail.to for mail in mailoutbox] == [[unit_staff.email]]
    assert "đã được chấp nhận" in mailoutbox[0].subject


def test_return_without_a_reason_is_refused_in_vietnamese(client, commune_reviewer, scenario):
    initiative = scenario["same_commune"]
    client.force_login(commune_reviewer)

    response = client.post(url("transition", initiative.pk, "return"), {"reason": "  "})

    assert response.status_code == 200
    assert "Hãy ghi rõ đơn vị cần bổ sung, sửa đổi gì trước khi gửi lại." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED


def test_return_with_a_reason_is_logged_and_mailed(client, commune_reviewer, unit_staff, scenario, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    initiative = scenario["own_org"]
    client.force_login(commune_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("transition", initiative.pk, "return"), {"reason": "Bổ sung dự toán kinh phí."})
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.RETURNED
    assert initiative.transitions.first().reason == "Bổ sung dự toán kinh phí."
    assert "Bổ sung dự toán kinh phí." in mailoutbox[0].body


def test_bulk_reject_asks_for_a_reason_then_rejects_only_rows_in_scope(client, commune_reviewer, scenario):
    mine, foreign = scenario["same_commune"], scenario["danang"]
    client.force_login(commune_reviewer)
    selection = {"action": "reject_selected", "_selected_action": [mine.pk, foreign.pk], "index": 0}

    form_page = client.post(url("changelist"), selection)
    assert form_page.status_code == 200
    assert mine.title in form_page.content.decode()
    assert foreign.title not in form_page.content.decode()

    client.post(url("changelist"), {**selection, "apply": "1", "reason": "Trùng với mô hình đã đăng ký năm trước."})

    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert mine.status == InitiativeStatus.REJECTED
    assert foreign.status == InitiativeStatus.SUBMITTED


def test_commune_reviewer_is_not_the_reviewer_of_an_old_commune_party_committee(client, commune_reviewer, scenario):
    # A commune Party committee was reviewed by its district before 2025: not by today's commune board.
    initiative = scenario["old_commune_party"]
    client.force_login(commune_reviewer)
    page = client.get(url("change", initiative.pk))
    assert page.status_code == 200  # in scope: the reviewer may read it
    assert 'data-transition="accept"' not in page.content.decode()

    response = client.post(url("transition", initiative.pk, "accept"), follow=True)

    assert "Bạn không thể" in " ".join(messages_of(response))
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED


def test_district_reviewer_accepts_an_old_commune_party_committee(client, district_reviewer, scenario):
    initiative = scenario["old_commune_party"]
    client.force_login(district_reviewer)
    client.post(url("transition", initiative.pk, "accept"))
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACCEPTED


def test_second_accept_of_the_same_item_gets_a_clear_message(client, commune_reviewer, provincial_board, scenario):
    initiative = scenario["same_commune"]
    initiative_accept(initiative=initiative, acting_user=provincial_board)
    client.force_login(commune_reviewer)  # whose list still showed the registration as submitted

    response = client.post(url("changelist"), {"action": "accept_selected", "_selected_action": [initiative.pk],
                                               "index": 0, "apply": "1"}, follow=True)

    assert any(message.startswith("DVK-TEST-") and "Mô hình đã ở trạng thái “Đã chấp nhận”" in message
               for message in messages_of(response))
    assert InitiativeTransition.objects.filter(initiative=initiative, to_status="accepted").count() == 1


def test_discontinue_needs_a_reason_and_a_year(client, commune_reviewer, scenario):
    initiative = scenario["same_commune"]
    initiative_accept(initiative=initiative, acting_user=commune_reviewer)
    client.force_login(commune_reviewer)

    refused = client.post(url("transition", initiative.pk, "discontinue"), {"reason": "", "year": ""})
    assert refused.status_code == 200
    initiative.refresh_from_db()
    assert initiative.lifecycle == Lifecycle.ACTIVE

    client.post(url("transition", initiative.pk, "discontinue"),
                {"reason": "Tổ hợp tác giải thể.", "year": initiative.registration_year})
    initiative.refresh_from_db()
    assert initiative.lifecycle == Lifecycle.DISCONTINUED
    assert initiative.discontinued_year == initiative.registration_year


# --- Unit staff: registering and editing in the admin ----------------------------------------------------


def registration_data(organization, **overrides):
    data = {
        "title": "Mô hình Dân vận khéo trong xây dựng nông thôn mới",
        "kind": "collective", "origin": "new", "organization": organization.pk,
        "field": standard_field().pk, "registration_year": 2025, "budget_amount": 0,
        "contact_name": "Phạm Thị Lan",
        "yearly_results-TOTAL_FORMS": 0, "yearly_results-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0, "attachments-INITIAL_FORMS": 0,
        "transitions-TOTAL_FORMS": 0, "transitions-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_unit_staff_register_a_draft_for_their_organisation(client, unit_staff):
    organization = unit_staff.staff_profile.organization
    client.force_login(unit_staff)

    response = client.post(url("add"), registration_data(organization))

    assert response.status_code == 302, response.content.decode()[:2000]
    initiative = Initiative.objects.get(title="Mô hình Dân vận khéo trong xây dựng nông thôn mới")
    assert initiative.status == InitiativeStatus.DRAFT
    assert initiative.code.startswith("DVK-51-2025-")
    assert initiative.unit == organization.unit
    assert initiative.transitions.get().to_status == InitiativeStatus.DRAFT


def test_unit_staff_cannot_register_for_another_organisation(client, unit_staff, scenario):
    client.force_login(unit_staff)
    other = scenario["same_commune"].organization

    response = client.post(url("add"), registration_data(other))

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Initiative.objects.filter(title="Mô hình Dân vận khéo trong xây dựng nông thôn mới").exists()


def test_owner_edits_a_draft_and_a_stale_page_is_refused(client, unit_staff):
    organization = unit_staff.staff_profile.organization
    draft = InitiativeFactory(organization=organization, status=InitiativeStatus.DRAFT)
    client.force_login(unit_staff)

    saved = client.post(url("change", draft.pk), registration_data(organization, title="Tên mới",
                                                                    expected_version=draft.version))
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Tên mới", 2)

    stale = client.post(url("change", draft.pk), registration_data(organization, title="Tên cũ", expected_version=1))
    assert stale.status_code == 200
    assert "Đã có người lưu mô hình này sau khi bạn mở trang." in stale.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Tên mới"


def test_a_submitted_initiative_cannot_be_edited_by_its_owner(client, unit_staff, scenario):
    initiative = scenario["own_org"]
    client.force_login(unit_staff)
    organization = unit_staff.staff_profile.organization

    page = client.get(url("change", initiative.pk)).content.decode()
    assert 'name="title"' not in page

    response = client.post(url("change", initiative.pk), registration_data(organization, title="Sửa lén"))
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title != "Sửa lén"


def test_owner_submits_a_draft_from_the_change_page(client, unit_staff):
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)
    client.force_login(unit_staff)
    assert 'data-transition="submit"' in client.get(url("change", draft.pk)).content.decode()

    client.post(url("transition", draft.pk, "submit"))

    draft.refresh_from_db()
    assert draft.status == InitiativeStatus.SUBMITTED


def test_yearly_results_are_reported_only_on_accepted_initiatives(client, unit_staff, commune_reviewer, scenario):
    initiative = scenario["own_org"]
    client.force_login(unit_staff)
    data = {"initiative": initiative.pk, "year": 2025, "is_running": "on", "participants": 40, "beneficiaries": 120,
            "value_mobilised": 25_000_000, "land_donated_m2": 0, "workdays": 200}
    add_url = reverse("admin:models_registry_yearlyresult_add")

    refused = client.post(add_url, data)
    assert refused.status_code == 200
    assert not YearlyResult.objects.exists()

    initiative_accept(initiative=initiative, acting_user=commune_reviewer)
    assert client.post(add_url, data).status_code == 302
    assert YearlyResult.objects.get().reported_by == unit_staff


def test_yearly_result_of_another_organisation_cannot_be_reported(client, unit_staff, commune_reviewer, scenario):
    foreign = scenario["same_commune"]
    initiative_accept(initiative=foreign, acting_user=commune_reviewer)
    client.force_login(unit_staff)
    response = client.post(reverse("admin:models_registry_yearlyresult_add"), {
        "initiative": foreign.pk, "year": 2025, "participants": 1, "beneficiaries": 1, "value_mobilised": 0,
        "land_donated_m2": 0, "workdays": 0,
    })
    assert response.status_code == 200
    assert not YearlyResult.objects.exists()


# --- "Việc cần xử lý" on the admin index -----------------------------------------------------------------


def test_admin_index_counts_what_waits_for_me_and_links_to_the_filtered_list(client, commune_reviewer, scenario):
    client.force_login(commune_reviewer)
    waiting = {scenario["own_org"].pk, scenario["same_commune"].pk, scenario["old_commune"].pk}

    index = client.get(reverse("admin:index")).content.decode()

    assert "Việc cần xử lý" in index
    assert f'class="danvan-task-count"><strong>{len(waiting)}</strong>' in index
    listed = client.get(url("changelist"), {"awaiting": "me"})
    assert set(listed.context["cl"].result_list.values_list("pk", flat=True)) == waiting


def test_unit_staff_index_shows_what_was_returned_to_them(client, unit_staff, commune_reviewer, scenario):
    from models_registry.services import initiative_return

    initiative_return(initiative=scenario["own_org"], acting_user=commune_reviewer, reason="Bổ sung ảnh.")
    client.force_login(unit_staff)
    index = client.get(reverse("admin:index")).content.decode()
    assert 'class="danvan-task-count"><strong>1</strong>' in index


def test_rejection_mail_is_sent_only_after_the_transaction_commits(client, commune_reviewer, unit_staff, scenario,
                                                                   mailoutbox, django_capture_on_commit_callbacks):
    initiative = scenario["own_org"]
    client.force_login(commune_reviewer)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url("transition", initiative.pk, "reject"), {"reason": "Không phù hợp tiêu chí."})
        assert mailoutbox == []  # nothing leaves before the commit
    assert callbacks  # the e-mail (and the signal to other apps) wait for the commit
    for callback in callbacks:
        callback()
    assert [mail.to for mail in mailoutbox] == [[unit_staff.email]]
    assert "Không phù hợp tiêu chí." in mailoutbox[0].body


def test_reviewer_without_a_reason_cannot_bulk_return(client, commune_reviewer, scenario):
    initiative = scenario["same_commune"]
    client.force_login(commune_reviewer)
    response = client.post(url("changelist"), {"action": "return_selected", "_selected_action": [initiative.pk],
                                               "index": 0, "apply": "1", "reason": ""})
    assert response.status_code == 200
    assert "Hãy nêu lý do; lý do sẽ được gửi tới đơn vị đăng ký." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED


def test_bulk_accept_of_a_row_reviewed_by_another_level_explains_why(client, commune_reviewer, scenario):
    initiative = scenario["old_commune_party"]  # in the commune's scope, but the old district reviews it
    client.force_login(commune_reviewer)
    response = client.post(url("changelist"), {"action": "accept_selected", "_selected_action": [initiative.pk],
                                               "index": 0, "apply": "1"}, follow=True)
    assert f"{initiative.code}: Bạn không phải là người thẩm định mô hình này." in messages_of(response)
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED


def test_replication_source_may_be_any_accepted_model_and_nothing_else(client, unit_staff, admin_user, scenario):
    import json

    proven = scenario["danang"]
    initiative_accept(initiative=proven, acting_user=admin_user)
    client.force_login(unit_staff)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": "initiative", "field_name": "replicated_from", "term": "mo hinh",
    })
    found = {int(item["id"]) for item in json.loads(response.content)["results"]}
    assert proven.pk in found  # accepted models are public: one may replicate them from anywhere
    # Only proven models: not even the unit's own submission, as in the staff form and its search.
    assert scenario["own_org"].pk not in found
    assert scenario["sibling"].pk not in found
    assert scenario["old_quang_nam"].pk not in found


def test_owner_reports_results_inline_on_an_accepted_model_but_cannot_change_its_registration(
    client, unit_staff, commune_reviewer, scenario
):
    initiative = scenario["own_org"]
    initiative_accept(initiative=initiative, acting_user=commune_reviewer)
    client.force_login(unit_staff)
    data = {
        "title": "Sửa tên sau khi đã chấp nhận",
        "yearly_results-TOTAL_FORMS": 1, "yearly_results-INITIAL_FORMS": 0,
        "yearly_results-0-year": 2025, "yearly_results-0-is_running": "on", "yearly_results-0-participants": 35,
        "yearly_results-0-beneficiaries": 90, "yearly_results-0-value_mobilised": 12_000_000,
        "yearly_results-0-land_donated_m2": 0, "yearly_results-0-workdays": 60,
        "attachments-TOTAL_FORMS": 0, "attachments-INITIAL_FORMS": 0,
        "transitions-TOTAL_FORMS": 0, "transitions-INITIAL_FORMS": 0,
    }
    response = client.post(url("change", initiative.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative.refresh_from_db()
    assert initiative.title != "Sửa tên sau khi đã chấp nhận"
    assert initiative.yearly_results.get().participants == 35


def test_owner_attaches_a_checked_file_from_the_admin(client, unit_staff, scenario, private_media):
    initiative = scenario["own_org"]
    client.force_login(unit_staff)
    initiative.status = InitiativeStatus.RETURNED
    initiative.save()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("admin:models_registry_attachment_add"), {
        "initiative": initiative.pk, "kind": "plan",
        "file": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = initiative.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.uploaded_by) == (
        "ke-hoach.pdf", "application/pdf", unit_staff)

    foreign = client.post(reverse("admin:models_registry_attachment_add"), {
        "initiative": scenario["same_commune"].pk, "kind": "plan",
        "file": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    })
    assert foreign.status_code == 200
    assert not scenario["same_commune"].attachments.exists()


def test_reviewer_sees_in_the_admin_what_changed_since_the_returned_submission(
    client, commune_reviewer, unit_staff, scenario
):
    from models_registry.services import initiative_return, initiative_submit, initiative_update

    initiative = Initiative.objects.get(pk=scenario["own_org"].pk)
    initiative.status = InitiativeStatus.DRAFT
    initiative.save()
    initiative_submit(initiative=initiative, acting_user=unit_staff)
    initiative_return(initiative=initiative, acting_user=commune_reviewer, reason="Nêu rõ kinh phí.")
    initiative.refresh_from_db()
    initiative_update(initiative=initiative, acting_user=unit_staff, values={"budget_amount": 20_000_000},
                      expected_version=initiative.version)
    initiative_submit(initiative=initiative, acting_user=unit_staff)

    client.force_login(commune_reviewer)
    page = client.get(url("change", initiative.pk)).content.decode()
    assert "Kinh phí (đồng)" in page and "“0” → “20.000.000”" in page


def test_nobody_registers_for_an_organisation_outside_their_area(other_province_staff, unit_staff):
    from django.core.exceptions import PermissionDenied

    from models_registry.services import initiative_create

    with pytest.raises(PermissionDenied):
        initiative_create(acting_user=other_province_staff, organization=unit_staff.staff_profile.organization,
                          title="Đăng ký hộ đơn vị khác", field=standard_field(), registration_year=2026)
    assert not Initiative.objects.filter(title="Đăng ký hộ đơn vị khác").exists()
