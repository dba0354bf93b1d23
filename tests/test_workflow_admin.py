"""The review workflow as reviewers and unit staff meet it in the admin."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from models_registry.models import Initiative, InitiativeStatus, InitiativeTransition, Lifecycle, YearlyResult
from models_registry.services import initiative_accept

from .factories import standard_field

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


def test_yearly_results_are_reported_only_on_accepted_initiatives(client, provincial_board, commune_reviewer,
                                                                   scenario):
    initiative = scenario["own_org"]
    client.force_login(provincial_board)  # unit staff report in the portal
    data = {"initiative": initiative.pk, "year": 2025, "is_running": "on", "participants": 40, "beneficiaries": 120,
            "value_mobilised": 25_000_000, "land_donated_m2": 0, "workdays": 200}
    add_url = reverse("admin:models_registry_yearlyresult_add")

    refused = client.post(add_url, data)
    assert refused.status_code == 200
    assert not YearlyResult.objects.exists()

    initiative_accept(initiative=initiative, acting_user=commune_reviewer)
    assert client.post(add_url, data).status_code == 302
    assert YearlyResult.objects.get().reported_by == provincial_board


def test_yearly_result_of_another_organisation_cannot_be_reported(client, provincial_board, admin_user, scenario):
    foreign = scenario["danang"]
    initiative_accept(initiative=foreign, acting_user=admin_user)
    client.force_login(provincial_board)
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


def test_replication_source_may_be_any_accepted_model_and_nothing_else(client, provincial_board, admin_user, scenario):
    import json

    proven = scenario["danang"]
    initiative_accept(initiative=proven, acting_user=admin_user)
    client.force_login(provincial_board)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": "initiative", "field_name": "replicated_from", "term": "mo hinh",
    })
    found = {int(item["id"]) for item in json.loads(response.content)["results"]}
    assert proven.pk in found  # accepted models are public: one may replicate them from anywhere
    # Only proven models: not even the unit's own submission, as in the staff form and its search.
    assert scenario["own_org"].pk not in found
    assert scenario["sibling"].pk not in found
    assert scenario["old_quang_nam"].pk not in found


def test_the_board_reports_results_inline_on_an_accepted_model_but_cannot_change_its_registration(
    client, provincial_board, commune_reviewer, scenario
):
    initiative = scenario["own_org"]
    initiative_accept(initiative=initiative, acting_user=commune_reviewer)
    client.force_login(provincial_board)
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
