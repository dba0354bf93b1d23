"""Refusals and missing pages speak Vietnamese, also outside debug mode."""

from django.test import override_settings
from django.urls import reverse

from .factories import InitiativeFactory, OrganizationFactory, unit


@override_settings(DEBUG=False)
def test_missing_page_is_explained_in_vietnamese(client, units):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@override_settings(DEBUG=False)
def test_out_of_scope_admin_row_answers_a_vietnamese_404(client, commune_reviewer):
    elsewhere = InitiativeFactory(organization=OrganizationFactory(unit=unit("Phường Hải Châu")))
    client.force_login(commune_reviewer)
    response = client.get(reverse("admin:models_registry_initiative_change", args=[elsewhere.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert elsewhere.title not in page
