"""The staff area and the public pages: scope, the public/non-public rule, the workflow from the staff side."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_registry.models import (
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    InitiativeTransition,
    Lifecycle,
    YearlyResult,
)
from models_registry.services import initiative_accept, initiative_return

from .factories import InitiativeFactory, YearlyResultFactory, standard_field

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def own(user, **values) -> Initiative:
    values.setdefault("status", InitiativeStatus.DRAFT)
    return InitiativeFactory(organization=user.staff_profile.organization, **values)


def form_data(**overrides) -> dict:
    data = {
        "title": "Mô hình “Hũ gạo tình thương” giúp hội viên nghèo",
        "kind": InitiativeKind.COLLECTIVE,
        "origin": InitiativeOrigin.NEW,
        "field": standard_field("van-hoa-xa-hoi").pk,
        "registration_year": 2025,
        "situation": "Nhiều hội viên còn khó khăn.",
        "objectives": "Mỗi chi hội góp 20 kg gạo mỗi tháng.",
        "content_methods": "Mỗi hội viên góp một nắm gạo sau mỗi bữa nấu.",
        "budget_amount": "15000000",
        "contact_name": "Đinh Thị Lan",
        "contact_phone": "0912345678",
        "contact_email": "lan@example.vn",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_an_incomplete_registration_is_saved_as_draft_but_not_submitted(client, unit_staff):
    client.force_login(unit_staff)
    response = client.post(reverse("portal:staff_create"),
                           {**form_data(objectives="", contact_phone=""), "action": "submit"}, follow=True)
    initiative = Initiative.objects.get()
    assert initiative.status == InitiativeStatus.DRAFT
    page = response.content.decode()
    assert "Hãy điền “mục tiêu, chỉ tiêu” trước khi gửi." in page
    assert "Hãy điền “điện thoại liên hệ” trước khi gửi." in page


def test_a_phone_number_must_look_like_one(client, unit_staff):
    client.force_login(unit_staff)
    response = client.post(reverse("portal:staff_create"), form_data(contact_phone="abc"))
    assert response.status_code == 200
    assert "0905 123 456" in str(response.context["form"].errors["contact_phone"])
    assert not Initiative.objects.exists()


# --- Public/non-public ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [InitiativeStatus.DRAFT, InitiativeStatus.SUBMITTED, InitiativeStatus.RETURNED,
                                    InitiativeStatus.REJECTED])
def test_non_accepted_initiative_never_appears_publicly(client, units, status):
    initiative = InitiativeFactory(status=status, title="Mô hình bí mật chưa duyệt")
    assert client.get(reverse("portal:initiative_detail", args=[initiative.code])).status_code == 404
    catalogue = client.get(reverse("portal:catalogue"))
    assert "Mô hình bí mật chưa duyệt" not in catalogue.content.decode()
    home = client.get(reverse("portal:home"))
    assert "Mô hình bí mật chưa duyệt" not in home.content.decode()
    search = client.get(reverse("portal:catalogue_search_json"), {"q": "bi mat"})
    assert search.json() == {"results": []}


def test_accepted_initiative_is_public_without_contact_phone_or_email(client, units):
    initiative = InitiativeFactory(status=InitiativeStatus.ACCEPTED, title="Dân vận khéo trong xây dựng đường",
                                   contact_phone="0905999888", contact_email="bimat@example.vn")
    YearlyResultFactory(initiative=initiative, year=2024, value_mobilised=1_234_567)
    response = client.get(reverse("portal:initiative_detail", args=[initiative.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dân vận khéo trong xây dựng đường" in html
    assert "0905999888" not in html and "bimat@example.vn" not in html
    assert "1.234.567\u00a0₫" in html


def test_detail_shows_replication_lineage_of_public_models_only(client, units):
    source = InitiativeFactory(status=InitiativeStatus.ACCEPTED, title="Mô hình gốc")
    copy = InitiativeFactory(status=InitiativeStatus.ACCEPTED, title="Bản nhân rộng đã duyệt",
                             origin=InitiativeOrigin.REPLICATED, replicated_from=source)
    InitiativeFactory(status=InitiativeStatus.SUBMITTED, title="Bản nhân rộng chưa duyệt",
                      origin=InitiativeOrigin.REPLICATED, replicated_from=source)
    html = client.get(reverse("portal:initiative_detail", args=[source.code])).content.decode()
    assert "Bản nhân rộng đã duyệt" in html
    assert "Bản nhân rộng chưa duyệt" not in html
    html = client.get(reverse("portal:initiative_detail", args=[copy.code])).content.decode()
    assert reverse("portal:initiative_detail", args=[source.code]) in html
    assert "Mô hình gốc" in html

    source.status = InitiativeStatus.REJECTED  # withdrawn from the catalogue: no longer named as a source
    source.save()
    html = client.get(reverse("portal:initiative_detail", args=[copy.code])).content.decode()
    assert reverse("portal:initiative_detail", args=[source.code]) not in html


def test_home_figures_count_registrations_and_value_of_accepted_models(client, units):
    accepted = InitiativeFactory(status=InitiativeStatus.ACCEPTED)
    InitiativeFactory(status=InitiativeStatus.SUBMITTED)
    InitiativeFactory(status=InitiativeStatus.DRAFT)
    YearlyResultFactory(initiative=accepted, year=2024, value_mobilised=2_000_000)
    YearlyResultFactory(initiative=InitiativeFactory(status=InitiativeStatus.REJECTED), value_mobilised=9_000_000)
    response = client.get(reverse("portal:home"))
    figures = response.context["figures"]
    assert (figures.registered, figures.recognised, figures.running) == (3, 1, 1)
    assert figures.value_mobilised == 2_000_000
    html = response.content.decode()
    assert "2.000.000\u00a0₫" in html
    assert 'id="data-by-field"' in html and "chart.umd.min.js" in html


def test_home_statistics_are_computed_once_then_served_from_the_cache(client, units):
    InitiativeFactory(status=InitiativeStatus.ACCEPTED)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("portal:home"))
    InitiativeFactory(status=InitiativeStatus.ACCEPTED)
    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("portal:home"))
    assert len(second) < len(first)
    # Figures may be a few minutes old; the list of recently recognised models is always fresh.
    assert response.context["figures"].recognised == 1
    assert len(response.context["recent"]) == 2


# --- Staff area: log-in and scope -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["portal:staff_list", "portal:staff_create"])
def test_staff_pages_need_log_in(client, units, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_log_in_page_is_in_vietnamese_and_names_the_portal_not_the_server(client, units):
    html = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in html
    assert "<strong>Dân vận khéo</strong>" in html and "testserver" not in html


def test_staff_of_another_organisation_gets_404_on_my_draft_and_my_attachments(client, unit_staff,
                                                                                other_province_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from models_registry.attachments import attachment_add

    draft = own(unit_staff)
    attachment = attachment_add(initiative=draft, acting_user=unit_staff,
                                uploaded=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 test"))
    client.force_login(other_province_staff)
    for url in (
        reverse("portal:staff_initiative", args=[draft.pk]),
        reverse("portal:staff_edit", args=[draft.pk]),
        reverse("portal:attachment_download", args=[attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("portal:staff_submit", args=[draft.pk]),
        reverse("portal:staff_attachment_upload", args=[draft.pk]),
        reverse("portal:staff_attachment_delete", args=[attachment.pk]),
        reverse("portal:staff_yearly_result", args=[draft.pk]),
    ):
        assert client.post(url).status_code == 404, url
    draft.refresh_from_db()
    assert draft.status == InitiativeStatus.DRAFT
    assert draft.attachments.count() == 1


def test_owner_downloads_attachment_as_attachment(client, unit_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from models_registry.attachments import attachment_add

    draft = own(unit_staff)
    attachment = attachment_add(initiative=draft, acting_user=unit_staff,
                                uploaded=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7 noi dung"))
    client.force_login(unit_staff)
    response = client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 noi dung"


def test_reviewer_in_scope_reads_but_cannot_edit(client, unit_staff, commune_reviewer):
    draft = own(unit_staff, status=InitiativeStatus.SUBMITTED)
    client.force_login(commune_reviewer)
    assert client.get(reverse("portal:staff_initiative", args=[draft.pk])).status_code == 200
    assert client.get(reverse("portal:staff_edit", args=[draft.pk])).status_code == 403


def test_staff_list_shows_only_my_organisation_with_figures_and_return_reason(client, unit_staff,
                                                                                 other_province_staff,
                                                                                 commune_reviewer):
    returned = own(unit_staff, status=InitiativeStatus.SUBMITTED, title="Mô hình bị trả lại",
                   registration_year=2026)
    initiative_return(initiative=returned, acting_user=commune_reviewer, reason="Bổ sung kế hoạch chi tiết.")
    own(other_province_staff, title="Mô hình của Đà Nẵng")
    client.force_login(unit_staff)
    response = client.get(reverse("portal:staff_list"))
    html = response.content.decode()
    assert "Mô hình bị trả lại" in html
    assert "Bổ sung kế hoạch chi tiết." in html
    assert "Mô hình của Đà Nẵng" not in html
    assert response.context["figures"].registered == (1 if response.context["figures"].year == 2026 else 0)


# --- Registration ----------------------------------------------------------------------------------------


def test_register_saves_a_draft_through_the_service(client, unit_staff):
    client.force_login(unit_staff)
    response = client.post(reverse("portal:staff_create"), form_data())
    initiative = Initiative.objects.get(title__startswith="Mô hình “Hũ gạo")
    assert response.status_code == 302
    assert initiative.status == InitiativeStatus.DRAFT
    assert initiative.code.startswith("DVK-51-2025-")
    assert initiative.organization == unit_staff.staff_profile.organization
    assert initiative.budget_amount == 15_000_000
    assert initiative.transitions.get().to_status == InitiativeStatus.DRAFT


def test_register_errors_are_shown_next_to_the_field_in_vietnamese(client, unit_staff):
    client.force_login(unit_staff)
    response = client.post(reverse("portal:staff_create"), form_data(
        title="", kind=InitiativeKind.INDIVIDUAL, person_name="", origin=InitiativeOrigin.REPLICATED,
        start_date="01/05/2025", end_date="01/01/2025",
    ))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"title", "person_name", "replicated_from", "end_date"}
    html = response.content.decode()
    assert "Trường này là bắt buộc." in html
    assert not Initiative.objects.exists()


def test_register_an_exemplar_that_replicates_a_catalogue_model(client, unit_staff):
    source = InitiativeFactory(status=InitiativeStatus.ACCEPTED, title="Mô hình gốc đã công nhận")
    client.force_login(unit_staff)
    found = client.get(reverse("portal:catalogue_search_json"), {"q": "mo hinh goc"}).json()["results"]
    assert [row["id"] for row in found] == [source.pk]
    response = client.post(reverse("portal:staff_create"), form_data(
        kind=InitiativeKind.INDIVIDUAL, person_name="Hồ Văn Tư", person_position="Bí thư chi bộ",
        origin=InitiativeOrigin.REPLICATED, replicated_from=source.pk,
    ))
    assert response.status_code == 302
    initiative = Initiative.objects.exclude(pk=source.pk).get()
    assert initiative.replicated_from == source
    assert initiative.person_name == "Hồ Văn Tư"


def test_replicating_a_non_public_model_is_refused(client, unit_staff):
    hidden = InitiativeFactory(status=InitiativeStatus.SUBMITTED)
    client.force_login(unit_staff)
    response = client.post(reverse("portal:staff_create"), form_data(
        origin=InitiativeOrigin.REPLICATED, replicated_from=hidden.pk))
    assert "replicated_from" in response.context["form"].errors


def test_save_and_submit_then_a_second_submit_does_nothing(client, unit_staff):
    client.force_login(unit_staff)
    client.post(reverse("portal:staff_create"), {**form_data(), "action": "submit"})
    initiative = Initiative.objects.get()
    assert initiative.status == InitiativeStatus.SUBMITTED
    response = client.post(reverse("portal:staff_submit", args=[initiative.pk]), follow=True)
    assert response.status_code == 200
    assert initiative.transitions.filter(to_status=InitiativeStatus.SUBMITTED).count() == 1
    assert [m.level_tag for m in response.context["messages"]][-1] == "info"


def test_edit_from_a_stale_page_does_not_overwrite(client, unit_staff):
    draft = own(unit_staff, title="Tên ban đầu")
    client.force_login(unit_staff)
    edit_url = reverse("portal:staff_edit", args=[draft.pk])
    stale_version = client.get(edit_url).context["form"]["version"].value()
    first = client.post(edit_url, form_data(title="Sửa lần một", version=stale_version))
    assert first.status_code == 302
    second = client.post(edit_url, form_data(title="Sửa từ trang cũ", version=stale_version))
    assert second.status_code == 200
    assert second.context["form"].non_field_errors()
    draft.refresh_from_db()
    assert draft.title == "Sửa lần một"


def test_resubmission_after_return_tells_reviewer_what_changed(client, unit_staff, commune_reviewer):
    client.force_login(unit_staff)
    client.post(reverse("portal:staff_create"), {**form_data(), "action": "submit"})
    initiative = Initiative.objects.get()
    first_submission = initiative.transitions.get(to_status=InitiativeStatus.SUBMITTED)
    assert first_submission.snapshot["title"] == initiative.title and first_submission.changes == {}
    initiative_return(initiative=initiative, acting_user=commune_reviewer, reason="Ghi rõ kinh phí.")
    edit_url = reverse("portal:staff_edit", args=[initiative.pk])
    page = client.get(edit_url)
    assert "Ghi rõ kinh phí." in page.content.decode()
    version = page.context["form"]["version"].value()
    client.post(edit_url, {**form_data(budget_amount="20000000", version=version), "action": "submit"})
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED
    resubmission = InitiativeTransition.objects.filter(initiative=initiative, to_status="submitted").first()
    (change,) = resubmission.changes.values()
    assert change == {"before": "15.000.000", "after": "20.000.000"}


def test_returned_model_shows_its_reason_on_its_page(client, unit_staff, commune_reviewer):
    initiative = own(unit_staff, status=InitiativeStatus.SUBMITTED)
    initiative_return(initiative=initiative, acting_user=commune_reviewer, reason="Thiếu ảnh hoạt động.")
    client.force_login(unit_staff)
    html = client.get(reverse("portal:staff_initiative", args=[initiative.pk])).content.decode()
    assert "Thiếu ảnh hoạt động." in html


def test_accepted_model_cannot_be_edited(client, unit_staff, commune_reviewer):
    initiative = own(unit_staff, status=InitiativeStatus.SUBMITTED)
    initiative_accept(initiative=initiative, acting_user=commune_reviewer)
    client.force_login(unit_staff)
    response = client.post(reverse("portal:staff_edit", args=[initiative.pk]), form_data(version=99))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title != form_data()["title"]


# --- Attachments and yearly results ---------------------------------------------------------------------


def test_upload_checks_type_from_content(client, unit_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = own(unit_staff)
    client.force_login(unit_staff)
    url = reverse("portal:staff_attachment_upload", args=[draft.pk])
    fake = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"kind": "plan", "file": fake})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    good = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, content_type="text/plain")
    assert client.post(url, {"kind": "photo", "file": good}).status_code == 302
    (attachment,) = draft.attachments.all()
    assert attachment.content_type == "image/png"
    assert "private" in attachment.file.path and "static" not in attachment.file.path


def test_yearly_result_is_reported_and_a_stopped_year_discontinues(client, unit_staff):
    initiative = own(unit_staff, status=InitiativeStatus.ACCEPTED, registration_year=2024)
    client.force_login(unit_staff)
    url = reverse("portal:staff_yearly_result", args=[initiative.pk])
    values = {"year": 2024, "is_running": "True", "participants": 50, "beneficiaries": 200,
              "value_mobilised": 30_000_000, "land_donated_m2": "120.5", "workdays": 300, "narrative": "Tốt"}
    assert client.post(url, values).status_code == 302
    assert client.post(url, {**values, "participants": 60}).status_code == 302  # a correction, same year
    result = YearlyResult.objects.get(initiative=initiative)
    assert (result.participants, result.value_mobilised) == (60, 30_000_000)

    stopped = {**values, "year": 2025, "is_running": "False", "narrative": ""}
    response = client.post(url, stopped)
    assert response.status_code == 400 and "narrative" in response.context["form"].errors
    assert client.post(url, {**stopped, "narrative": "Hết kinh phí."}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.lifecycle == Lifecycle.DISCONTINUED and initiative.discontinued_year == 2025


# --- Accounts ---------------------------------------------------------------------------------------------


def test_log_in_leads_to_my_units_models_and_log_out_works(client, unit_staff):
    response = client.post(reverse("login"), {"username": unit_staff.username, "password": "Mat-khau-2025"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:staff_list")
    assert "Mô hình của đơn vị" in client.get(reverse("portal:staff_list")).content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("portal:staff_list")).status_code == 302


def test_wrong_password_message_is_in_vietnamese(client, unit_staff):
    response = client.post(reverse("login"), {"username": unit_staff.username, "password": "sai"})
    assert response.status_code == 200
    assert "Vui lòng điền vào" in response.content.decode()


def test_password_change_and_reset_pages_are_in_vietnamese(client, unit_staff, mailoutbox):
    client.force_login(unit_staff)
    assert "Đổi mật khẩu" in client.get(reverse("password_change")).content.decode()
    response = client.post(reverse("password_change"), {
        "old_password": "Mat-khau-2025", "new_password1": "Dan-van-kheo-2026", "new_password2": "Dan-van-kheo-2026",
    })
    assert response["Location"] == reverse("password_change_done")
    client.logout()
    assert "Đặt lại mật khẩu" in client.get(reverse("password_reset")).content.decode()
    response = client.post(reverse("password_reset"), {"email": unit_staff.email})
    assert response["Location"] == reverse("password_reset_done")
    (mail,) = mailoutbox
    assert mail.subject == "Đặt lại mật khẩu trên Cổng “Dân vận khéo”"
    assert "/tai-khoan/dat-lai-mat-khau/" in mail.body and unit_staff.username in mail.body


def test_budget_may_be_left_empty(client, unit_staff):
    client.force_login(unit_staff)
    assert client.post(reverse("portal:staff_create"), form_data(budget_amount="")).status_code == 302
    assert Initiative.objects.get().budget_amount == 0


def test_oversized_upload_is_refused_with_the_limit(client, unit_staff, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ATTACHMENT_MAX_BYTES = 1024
    draft = own(unit_staff)
    client.force_login(unit_staff)
    url = reverse("portal:staff_attachment_upload", args=[draft.pk])
    small_over = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"x" * 2000)
    response = client.post(url, {"kind": "plan", "file": small_over})
    assert response.status_code == 400 and "1,0\u00a0KB" in response.content.decode()
    huge = SimpleUploadedFile("rat-lon.pdf", b"%PDF-" + b"x" * 200_000)
    response = client.post(url, {"kind": "plan", "file": huge})
    assert response.status_code == 413
    assert response.context["form"].errors["file"]
    assert not draft.attachments.exists()
