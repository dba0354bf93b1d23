"""A draft belongs to its unit until it is submitted: those who review see a count, not the draft."""

import pytest
from django.urls import reverse

from models_registry.models import Attachment, Initiative, InitiativeStatus, YearlyResult
from models_registry.scope import UserScope
from models_registry.services import initiative_submit

from .factories import InitiativeFactory, superuser


@pytest.fixture
def draft(unit_staff):
    return InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT,
                             title="Bản nháp mô hình đèn đường", registration_year=2025)


def test_reviewers_and_the_board_do_not_see_a_draft(draft, commune_reviewer, provincial_board, unit_staff):
    for reviewer in (commune_reviewer, provincial_board):
        assert not Initiative.objects.visible_to(reviewer).filter(pk=draft.pk).exists()
        assert not UserScope.of(reviewer).covers(draft)
    assert Initiative.objects.visible_to(unit_staff).filter(pk=draft.pk).exists()
    assert UserScope.of(unit_staff).covers(draft)


def test_the_admin_refuses_a_draft_to_the_reviewer_and_gives_a_count(client, draft, commune_reviewer):
    client.force_login(commune_reviewer)
    change = client.get(reverse("admin:models_registry_initiative_change", args=[draft.pk]))
    assert change.status_code in (302, 404)
    listing = client.get(reverse("admin:models_registry_initiative_changelist"), {"status__exact": "draft"},
                         follow=True).content.decode()
    assert draft.title not in listing
    assert "1 bản nháp đang được các cơ quan, đơn vị trong địa bàn soạn" in listing


def test_once_submitted_the_reviewer_sees_it(draft, commune_reviewer, unit_staff):
    initiative_submit(initiative=draft, acting_user=unit_staff)
    assert Initiative.objects.visible_to(commune_reviewer).filter(pk=draft.pk).exists()


def test_the_parts_of_a_draft_stay_with_its_unit(draft, commune_reviewer, unit_staff, private_media):
    from django.core.files.base import ContentFile

    attachment = Attachment(initiative=draft, original_name="ke-hoach.pdf", content_type="application/pdf", size=9)
    attachment.file.save("ke-hoach.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    YearlyResult.unscoped.create(initiative=draft, year=2025)
    for model in (Attachment, YearlyResult):
        assert not model.objects.visible_to(commune_reviewer).exists()
        assert model.objects.visible_to(unit_staff).exists()


def test_a_superuser_still_sees_everything(draft):
    assert Initiative.objects.visible_to(superuser()).filter(pk=draft.pk).exists()
