"""Opening a form's address (a bookmark, a reload, a shared link) leads back to the page the form is on, with a
short message, instead of a blank 405 page; never for an initiative outside the user's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from models_registry.attachments import attachment_add
from models_registry.models import InitiativeStatus

from .factories import InitiativeFactory

POST_ONLY = ["staff_yearly_result", "staff_submit", "staff_attachment_upload"]
ANCHORS = {"staff_yearly_result": "#ket-qua", "staff_submit": "", "staff_attachment_upload": "#tep"}


@pytest.fixture
def own(unit_staff):
    return InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)


@pytest.fixture
def attachment(own, unit_staff, private_media):
    return attachment_add(initiative=own, acting_user=unit_staff,
                          uploaded=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 plan"))


@pytest.mark.parametrize("name", POST_ONLY)
def test_opening_a_form_address_leads_back_to_the_initiative_page(client, unit_staff, own, name):
    client.force_login(unit_staff)
    response = client.get(reverse(f"portal:{name}", args=[own.pk]))
    page = reverse("portal:staff_initiative", args=[own.pk])
    assert response.status_code == 302
    assert response["Location"] == page + ANCHORS[name]
    followed = client.get(page).content.decode()
    assert "đây là trang có biểu mẫu đó" in followed
    own.refresh_from_db()
    assert own.status == InitiativeStatus.DRAFT  # opening "gửi" did not submit it


def test_opening_a_file_removal_address_leads_back_and_keeps_the_file(client, unit_staff, own, attachment):
    client.force_login(unit_staff)
    response = client.get(reverse("portal:staff_attachment_delete", args=[attachment.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:staff_initiative", args=[own.pk]) + "#tep"
    assert own.attachments.filter(pk=attachment.pk).exists()


@pytest.mark.parametrize("name", POST_ONLY)
def test_form_address_of_another_province_stays_refused(client, other_province_staff, own, name):
    client.force_login(other_province_staff)
    response = client.get(reverse(f"portal:{name}", args=[own.pk]))
    assert response.status_code == 404
    assert "Location" not in response


def test_file_removal_address_of_another_province_stays_refused(client, other_province_staff, attachment):
    client.force_login(other_province_staff)
    response = client.get(reverse("portal:staff_attachment_delete", args=[attachment.pk]))
    assert response.status_code == 404


def test_a_visitor_is_asked_to_log_in_first(client, own):
    response = client.get(reverse("portal:staff_submit", args=[own.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_other_methods_get_a_vietnamese_page(client, unit_staff, own):
    client.force_login(unit_staff)
    response = client.put(reverse("portal:staff_submit", args=[own.pk]))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "Không dùng được địa chỉ này theo cách đó" in response.content.decode()
