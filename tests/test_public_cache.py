"""Cached counts and statistics of the public site follow what the public may see.

A list may cache its count, never its rows; whatever changes what the public sees (accepting, discontinuing,
yearly results, renaming an organisation, a first submission) renews the public catalogue's version once
the change is committed, and every cached count and the home page's figures are computed again.
"""

import pytest
from django.urls import reverse

from models_registry import services
from models_registry.models import InitiativeStatus

from .factories import InitiativeFactory, OrganizationFactory, YearlyResultFactory, unit

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("portal:catalogue")
HOME = reverse("portal:home")


def listed(client, **params) -> tuple[int, set[str]]:
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    page = response.context["page"]
    return page.paginator.count, {initiative.code for initiative in page.object_list}


@pytest.fixture
def minh_long_models(units):
    organization = OrganizationFactory(name="Hội LHPN xã Minh Long", unit=unit("Xã Minh Long"))
    older = InitiativeFactory(code="DVK-51-2021-00011", registration_year=2021, status=InitiativeStatus.ACCEPTED,
                              title="Hũ gạo tình thương", organization=organization)
    newer = InitiativeFactory(code="DVK-51-2023-00002", registration_year=2023, status=InitiativeStatus.ACCEPTED,
                              title="Con đường bích họa", organization=organization)
    waiting = InitiativeFactory(code="DVK-51-2025-00007", registration_year=2025, status=InitiativeStatus.SUBMITTED,
                                title="Tủ sách cộng đồng", organization=organization)
    return {"older": older, "newer": newer, "waiting": waiting}


@pytest.mark.parametrize("filters", [
    {"q": "minh long"},
    {"province": "Tỉnh Quảng Ngãi", "unit": "Xã Minh Long"},
])
def test_accepting_a_model_updates_a_cached_list_and_drops_no_other(client, minh_long_models, commune_reviewer,
                                                                     django_capture_on_commit_callbacks, filters):
    params = {name: unit(value).pk if name in ("province", "unit") else value for name, value in filters.items()}
    assert listed(client, **params) == (2, {"DVK-51-2021-00011", "DVK-51-2023-00002"})

    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_accept(initiative=minh_long_models["waiting"], acting_user=commune_reviewer)

    assert listed(client, **params) == (3, {"DVK-51-2021-00011", "DVK-51-2023-00002", "DVK-51-2025-00007"})


def test_rows_are_never_clipped_by_a_stale_count(client, minh_long_models):
    """Even a change that renewed nothing (written straight to the database) shows every row, and the list's
    last page corrects the count it shows."""
    assert listed(client, q="minh long")[0] == 2
    InitiativeFactory(code="DVK-51-2024-00003", status=InitiativeStatus.ACCEPTED, title="Sân chơi thiếu nhi",
                      organization=minh_long_models["older"].organization)
    count, codes = listed(client, q="minh long")
    assert codes == {"DVK-51-2021-00011", "DVK-51-2023-00002", "DVK-51-2024-00003"}
    assert count == 3


def test_a_full_page_with_more_rows_than_the_cached_count_recounts(client, units):
    organization = OrganizationFactory(unit=unit("Xã Minh Long"))
    for number in range(12):
        InitiativeFactory(status=InitiativeStatus.ACCEPTED, organization=organization, title=f"Mô hình {number}")
    assert listed(client)[0] == 12
    for number in range(3):
        InitiativeFactory(status=InitiativeStatus.ACCEPTED, organization=organization, title=f"Mới {number}")
    response = client.get(CATALOGUE)
    assert response.context["page"].paginator.count == 15
    assert response.context["page"].has_next()
    assert "Tìm thấy 15 mô hình" in response.content.decode()


def figures(client):
    return client.get(HOME).context["figures"]


def test_home_statistics_follow_accepting_submitting_discontinuing_and_results(
        client, minh_long_models, unit_staff, commune_reviewer, django_capture_on_commit_callbacks):
    before = figures(client)
    assert (before.registered, before.recognised, before.running, before.value_mobilised) == (3, 2, 2, 0)

    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_accept(initiative=minh_long_models["waiting"], acting_user=commune_reviewer)
    assert (figures(client).recognised, figures(client).running) == (3, 3)

    draft = InitiativeFactory(status=InitiativeStatus.DRAFT, organization=unit_staff.staff_profile.organization)
    assert figures(client).registered == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_submit(initiative=draft, acting_user=unit_staff)
    assert figures(client).registered == 4

    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_discontinue(initiative=minh_long_models["older"], acting_user=commune_reviewer,
                                        reason="Hết kinh phí", year=2024)
    assert figures(client).running == 2

    with django_capture_on_commit_callbacks(execute=True):
        YearlyResultFactory(initiative=minh_long_models["newer"], year=2024, value_mobilised=40_000_000)
    assert figures(client).value_mobilised == 40_000_000


def test_results_saved_by_the_unit_refresh_the_home_page(client, unit_staff, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(status=InitiativeStatus.ACCEPTED, organization=unit_staff.staff_profile.organization,
                                   registration_year=2024)
    assert figures(client).value_mobilised == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.yearly_result_save(initiative=initiative, acting_user=unit_staff, year=2024,
                                    values={"value_mobilised": 25_000_000, "participants": 10})
    assert figures(client).value_mobilised == 25_000_000


def test_renaming_an_organisation_refreshes_searches_by_its_name(client, minh_long_models,
                                                                 django_capture_on_commit_callbacks):
    assert listed(client, q="hoi lhpn")[0] == 2
    assert listed(client, q="hoi phu nu")[0] == 0
    organization = minh_long_models["older"].organization
    organization.name = "Hội Phụ nữ xã Minh Long"
    with django_capture_on_commit_callbacks(execute=True):
        organization.save()
    assert listed(client, q="hoi phu nu")[0] == 2
    assert listed(client, q="hoi lhpn")[0] == 0


def test_the_version_is_renewed_only_after_the_commit(minh_long_models, commune_reviewer,
                                                      django_capture_on_commit_callbacks):
    from models_registry.public_cache import public_catalogue_version

    version = public_catalogue_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.initiative_accept(initiative=minh_long_models["waiting"], acting_user=commune_reviewer)
    assert public_catalogue_version() == version  # a rolled-back or uncommitted change renews nothing
    for callback in callbacks:
        callback()
    assert public_catalogue_version() != version


def test_returning_a_registration_keeps_the_cached_figures(minh_long_models, commune_reviewer,
                                                           django_capture_on_commit_callbacks):
    from models_registry.public_cache import public_catalogue_version

    version = public_catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_return(initiative=minh_long_models["waiting"], acting_user=commune_reviewer,
                                   reason="Bổ sung kế hoạch")
    assert public_catalogue_version() == version
