"""Searching by words, the same everywhere: the public catalogue, the replication picker, the admin's lists
and pickers. Every word must match the start of a word, in any order; the best matches come first."""

import json

import pytest
from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse

from models_registry.models import AdministrativeUnit, Initiative, Organization

from .factories import InitiativeFactory, OrganizationFactory, unit
from .test_portal_catalogue import accepted, catalogue_page

pytestmark = pytest.mark.django_db

PICKER = reverse("portal:catalogue_search_json")
HU_GAO = "Hũ gạo tình thương vì phụ nữ nghèo xã Minh Long"


def catalogue_titles(client, **params) -> list[str]:
    """The titles of the first page, in the order shown."""
    return [initiative.title for initiative in catalogue_page(client, **params)]


def picker_titles(client, query) -> list[str]:
    response = client.get(PICKER, {"q": query})
    assert response.status_code == 200
    return [item["label"].split(" – ", 1)[1] for item in json.loads(response.content)["results"]]


@pytest.fixture
def hu_gao(units):
    organization = OrganizationFactory(name="Hội LHPN xã Minh Long", unit=unit("Xã Minh Long"))
    return accepted(title=HU_GAO, code="DVK-51-2021-00011", registration_year=2021, organization=organization)


@pytest.mark.parametrize("query", [
    "hu gao minh long", "phu nu ngheo minh long", "minh long hu gao", "Hũ   gạo, Minh-Long", "“hũ gạo”",
    "DVK-51-2021-00011", "00011", "hoi lhpn hu gao",
])
def test_every_word_matches_in_any_order(client, hu_gao, query):
    accepted(title="Khu dân cư tự quản", organization=OrganizationFactory(name="Hội Nông dân xã Sơn Hà",
                                                                           unit=unit("Xã Sơn Hà")))
    assert catalogue_titles(client, q=query) == [HU_GAO]
    assert picker_titles(client, query) == [HU_GAO]


def test_words_match_at_their_start(client, hu_gao):
    khu = accepted(title="Khu dân cư văn hóa")
    assert catalogue_titles(client, q="hu") == [HU_GAO]
    assert catalogue_titles(client, q="khu") == [khu.title]
    assert catalogue_titles(client, q="ao") == []  # "gạo" holds "ao", but no word starts with it
    assert catalogue_titles(client, q="hu gao son ha") == []  # one word missing is no match


def test_title_matches_come_before_matches_elsewhere(client, units):
    minh_long = OrganizationFactory(name="Hội Nông dân xã Minh Long", unit=unit("Xã Minh Long"))
    elsewhere = OrganizationFactory(name="Hội Nông dân xã Sơn Hà", unit=unit("Xã Sơn Hà"))
    # Newer first by default: the title matches must still lead, the best of them first.
    accepted(title="Cánh đồng mẫu lớn", organization=minh_long, registration_year=2025)
    accepted(title="Tuyến đường hoa Minh Long xanh", organization=elsewhere, registration_year=2022)
    accepted(title="Minh Long sáng đẹp", organization=elsewhere, registration_year=2021)
    accepted(title="Minh Long", organization=elsewhere, registration_year=2020)
    accepted(title="Long lanh sắc màu Minh Thành", organization=elsewhere, registration_year=2024)
    expected = ["Minh Long", "Minh Long sáng đẹp", "Tuyến đường hoa Minh Long xanh", "Long lanh sắc màu Minh Thành",
                "Cánh đồng mẫu lớn"]
    assert catalogue_titles(client, q="minh long") == expected
    assert picker_titles(client, "minh long") == expected
    # A sort chosen by the visitor still wins.
    assert catalogue_titles(client, q="minh long", sort="-year")[0] == "Cánh đồng mẫu lớn"


def test_a_search_matching_very_many_models_lists_them_newest_first(client, units, monkeypatch):
    """Ranking reads every match; above RANK_LIMIT matches (thousands) the list keeps its indexed order."""
    minh_long = OrganizationFactory(name="Hội Nông dân xã Minh Long", unit=unit("Xã Minh Long"))
    accepted(title="Minh Long", registration_year=2020, organization=minh_long)
    accepted(title="Đường hoa", registration_year=2025, organization=minh_long)
    accepted(title="Cây xanh", registration_year=2024, organization=minh_long)
    monkeypatch.setattr("models_registry.search.RANK_LIMIT", 3)
    assert catalogue_titles(client, q="minh long") == ["Minh Long", "Đường hoa", "Cây xanh"]
    monkeypatch.setattr("models_registry.search.RANK_LIMIT", 2)
    cache.clear()  # the catalogue remembers per list whether it has too many matches to rank
    assert catalogue_titles(client, q="minh long") == ["Đường hoa", "Cây xanh", "Minh Long"]
    assert picker_titles(client, "minh long") == ["Đường hoa", "Cây xanh", "Minh Long"]


def test_search_text_survives_titles_with_punctuation(client, units):
    accepted(title="Mô hình “Dân vận khéo” – đường làng/ngõ xóm")
    assert catalogue_titles(client, q="dan van kheo duong lang ngo xom") == [
        "Mô hình “Dân vận khéo” – đường làng/ngõ xóm"]


# --- Admin ------------------------------------------------------------------------------------------------


def admin_titles(client, query) -> list[str]:
    response = client.get(reverse("admin:models_registry_initiative_changelist"), {"q": query})
    assert response.status_code == 200
    return [initiative.title for initiative in response.context["cl"].result_list]


def test_admin_search_matches_words_and_lists_title_matches_first(client, hu_gao, provincial_board):
    other = OrganizationFactory(name="Hội Nông dân xã Minh Long", unit=unit("Xã Minh Long"))
    accepted(title="Khu dân cư tự quản", organization=other)
    newest = InitiativeFactory(title="Đèn đường thôn Gò Ui", organization=other)  # matches by its organisation
    client.force_login(provincial_board)
    assert admin_titles(client, "phu nu ngheo minh long") == [HU_GAO]
    assert admin_titles(client, "hu") == [HU_GAO]
    titles = admin_titles(client, "minh long")
    assert titles[0] == HU_GAO and newest.title in titles
    # Clicking a column header (the title, descending) sorts by it instead.
    response = client.get(reverse("admin:models_registry_initiative_changelist"), {"q": "minh long", "o": "-2"})
    assert [i.title for i in response.context["cl"].result_list] == list(
        Initiative.objects.filter(title__in=titles).order_by("-title").values_list("title", flat=True))


def test_admin_picker_of_the_replicated_model_matches_words(client, hu_gao, provincial_board):
    client.force_login(provincial_board)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": "initiative", "field_name": "replicated_from",
        "term": "minh long hu gao",
    })
    assert [item["id"] for item in json.loads(response.content)["results"]] == [str(hu_gao.pk)]


def test_succession_admin_finds_old_and_new_units_by_words(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:models_registry_unitsuccession_changelist"), {"q": "long hiep minh"})
    rows = list(response.context["cl"].result_list)
    assert rows and all(row.predecessor.name == "Xã Long Hiệp" for row in rows)


# --- The unit picker ----------------------------------------------------------------------------------------


def unit_picker(client, term) -> list[str]:
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": "staffprofile", "field_name": "unit", "term": term,
    })
    assert response.status_code == 200
    return [item["text"] for item in json.loads(response.content)["results"]]


def test_unit_picker_offers_the_exact_name_on_todays_map_first(client, admin_user):
    client.force_login(admin_user)
    offered = unit_picker(client, "Minh Long")
    assert offered[:2] == ["Xã Minh Long, Tỉnh Quảng Ngãi", "Huyện Minh Long (cũ), Tỉnh Quảng Ngãi (cũ)"]


def test_unit_picker_lists_exact_names_before_names_that_only_start_alike(client, admin_user):
    client.force_login(admin_user)
    offered = unit_picker(client, "son ha")
    exact = [text for text in offered if text.split(" (")[0].split(",")[0].split(" ", 1)[1] in ("Sơn Hà", "Sơn Hạ")]
    assert offered[0] == "Xã Sơn Hà, Tỉnh Quảng Ngãi"
    assert offered[:len(exact)] == exact and len(exact) < len(offered)
    old = [index for index, text in enumerate(exact) if "(cũ)" in text]
    assert old and old == list(range(old[0], len(exact)))  # today's units first, then the old ones


def test_unit_picker_names_the_parent_of_units_that_share_a_name(client, admin_user):
    """Old communes of the same name in different districts are told apart by their district."""
    client.force_login(admin_user)
    same_name = (AdministrativeUnit.objects.filter(edition_id="pre2025", level=3).values("name").order_by()
                 .annotate(n=Count("pk")).filter(n__gt=1).order_by("name").values_list("name", flat=True).first())
    assert same_name
    offered = [text for text in unit_picker(client, same_name) if text.startswith(f"{same_name} (cũ),")]
    assert len(offered) > 1 and len(set(offered)) == len(offered)


# --- Stored search text -------------------------------------------------------------------------------------


def test_rebuild_command_recomputes_every_search_text_in_the_current_shape(hu_gao):
    from django.core.management import call_command

    Initiative.objects.update(search_text="stale")
    Organization.objects.update(search_text="stale")
    AdministrativeUnit.objects.filter(name="Xã Minh Long").update(search_text="stale")

    call_command("rebuild_search_text", stdout=open("/dev/null", "w"))
    hu_gao.refresh_from_db()
    assert hu_gao.search_text == hu_gao.build_search_text() == (
        " hu gao tinh thuong vi phu nu ngheo xa minh long | dvk 51 2021 00011 | hoi lhpn xa minh long |")
    assert hu_gao.organization.__class__.objects.get(pk=hu_gao.organization_id).search_text == (
        " hoi lhpn xa minh long |")
    assert unit("Xã Minh Long").search_text == unit("Xã Minh Long").build_search_text()


def test_seeded_demo_data_has_the_same_search_text_as_saved_rows(units):
    from models_registry.demo import seed_demo

    seed_demo(province_code="51", initiatives=40, seed=3)
    for initiative in Initiative.objects.select_related("organization")[:40]:
        assert initiative.search_text == initiative.build_search_text()
        assert initiative.organization.search_text == initiative.organization.build_search_text()
