"""The public catalogue: every filter, search without diacritics, sorting, pagination, query counts."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_registry.models import (
    AdministrativeUnit,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    Lifecycle,
)

from .factories import InitiativeFactory, OrganizationFactory, standard_field, unit

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("portal:catalogue")


def accepted(**values):
    values.setdefault("status", InitiativeStatus.ACCEPTED)
    return InitiativeFactory(**values)


def catalogue_page(client, **params):
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    return response.context["page"].object_list


def titles(client, **params) -> set[str]:
    return {initiative.title for initiative in catalogue_page(client, **params)}


def at(unit_obj, **values):
    return accepted(organization=OrganizationFactory(unit=unit_obj), **values)


@pytest.fixture
def places(units):
    minh_long = unit("Xã Minh Long")
    old_minh_long = AdministrativeUnit.objects.filter(edition_id="pre2025", level=3,
                                                      current_path=minh_long.path).first()
    kon_tum = unit("Tỉnh Kon Tum", "pre2025")
    old_kon_tum_commune = AdministrativeUnit.objects.filter(edition_id="pre2025", level=3,
                                                            path__startswith=kon_tum.path).first()
    return {
        "quang_ngai": unit("Tỉnh Quảng Ngãi"),
        "minh_long": minh_long,
        "old_minh_long": old_minh_long,
        "old_kon_tum_commune": old_kon_tum_commune,
        "hai_chau": unit("Phường Hải Châu"),
    }


def test_province_filter_includes_its_communes_and_old_units_of_merged_provinces(client, places):
    at(places["minh_long"], title="Ở Minh Long")
    at(places["old_kon_tum_commune"], title="Ở Kon Tum cũ")
    at(places["hai_chau"], title="Ở Hải Châu")
    assert titles(client, province=places["quang_ngai"].pk) == {"Ở Minh Long", "Ở Kon Tum cũ"}


def test_unit_filter_includes_old_units_through_successions(client, places):
    assert places["old_minh_long"] is not None
    at(places["minh_long"], title="Xã mới")
    at(places["old_minh_long"], title="Xã cũ trước sáp nhập")
    at(places["old_kon_tum_commune"], title="Nơi khác")
    assert titles(client, unit=places["minh_long"].pk) == {"Xã mới", "Xã cũ trước sáp nhập"}


def test_unit_choices_follow_the_chosen_province(client, places):
    response = client.get(CATALOGUE, {"province": places["quang_ngai"].pk})
    choices = dict(response.context["filter"].form.fields["unit"].widget.choices)
    assert places["minh_long"].pk in choices
    assert places["hai_chau"].pk not in choices


def test_field_filter_includes_sub_themes(client, units):
    accepted(title="Kinh tế thuần", field=standard_field("kinh-te"))
    accepted(title="Nông thôn mới", field=standard_field("nong-thon-moi"))
    accepted(title="Văn hóa", field=standard_field("van-hoa-xa-hoi"))
    assert titles(client, field=standard_field("kinh-te").pk) == {"Kinh tế thuần", "Nông thôn mới"}
    assert titles(client, field=standard_field("nong-thon-moi").pk) == {"Nông thôn mới"}


def test_year_filter(client, units):
    accepted(title="Năm 2023", registration_year=2023)
    accepted(title="Năm 2024", registration_year=2024)
    assert titles(client, year=2023) == {"Năm 2023"}


def test_kind_filter(client, units):
    accepted(title="Tập thể")
    accepted(title="Cá nhân", kind=InitiativeKind.INDIVIDUAL, person_name="Y Bình")
    assert titles(client, kind=InitiativeKind.INDIVIDUAL) == {"Cá nhân"}
    assert titles(client, kind=InitiativeKind.COLLECTIVE) == {"Tập thể"}


def test_origin_filter(client, units):
    source = accepted(title="Gốc")
    accepted(title="Nhân rộng", origin=InitiativeOrigin.REPLICATED, replicated_from=source)
    assert titles(client, origin=InitiativeOrigin.REPLICATED) == {"Nhân rộng"}
    assert titles(client, origin=InitiativeOrigin.NEW) == {"Gốc"}


def test_running_or_discontinued_filter(client, units):
    accepted(title="Còn duy trì")
    accepted(title="Đã dừng", lifecycle=Lifecycle.DISCONTINUED, discontinued_year=2025)
    assert titles(client, lifecycle=Lifecycle.DISCONTINUED) == {"Đã dừng"}
    assert titles(client, lifecycle=Lifecycle.ACTIVE) == {"Còn duy trì"}


@pytest.mark.parametrize("query", ["dan van kheo", "DÂN VẬN KHÉO", "Dan Van Kheo", "đường"])
def test_search_ignores_diacritics_and_case(client, units, query):
    accepted(title="Dân vận khéo làm đường giao thông")
    accepted(title="Hũ gạo tình thương")
    found = titles(client, q=query)
    assert found == {"Dân vận khéo làm đường giao thông"}


def test_search_finds_organisation_name(client, units):
    accepted(title="Mô hình A", organization=OrganizationFactory(name="Đoàn Thanh niên xã Đức Phổ"))
    accepted(title="Mô hình B")
    assert titles(client, q="doan thanh nien") == {"Mô hình A"}


def test_only_accepted_initiatives_are_listed(client, units):
    accepted(title="Đã duyệt")
    for status in (InitiativeStatus.DRAFT, InitiativeStatus.SUBMITTED, InitiativeStatus.RETURNED,
                   InitiativeStatus.REJECTED):
        InitiativeFactory(status=status, title=f"Trạng thái {status}")
    assert titles(client) == {"Đã duyệt"}


def test_sorting(client, units):
    accepted(title="B", registration_year=2022)
    accepted(title="A", registration_year=2024)
    accepted(title="C", registration_year=2023)

    def ordered(sort):
        return [i.title for i in client.get(CATALOGUE, {"sort": sort}).context["page"].object_list]

    assert ordered("title") == ["A", "B", "C"]
    assert ordered("-title") == ["C", "B", "A"]
    assert ordered("year") == ["B", "C", "A"]
    assert ordered("-year") == ["A", "C", "B"]
    assert ordered("") == ["A", "C", "B"]  # newest registration first by default
    labels = dict(client.get(CATALOGUE).context["filter"].form.fields["sort"].choices)
    assert labels["-year"] == "Năm đăng ký (mới trước)" and labels["year"] == "Năm đăng ký (cũ trước)"


def test_pagination_keeps_the_filters_in_the_links(client, units):
    for number in range(15):
        accepted(title=f"Kinh tế {number}", registration_year=2024)
    response = client.get(CATALOGUE, {"year": 2024, "q": "kinh te", "sort": "title"})
    page = response.context["page"]
    assert page.paginator.count == 15 and len(page.object_list) == 12
    html = response.content.decode()
    href = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query) == {"page": ["2"], "q": ["kinh te"], "sort": ["title"], "year": ["2024"]}
    second = client.get(CATALOGUE, {"year": 2024, "q": "kinh te", "sort": "title", "page": 2})
    assert len(second.context["page"].object_list) == 3


def test_invalid_filter_values_do_not_break_the_page(client, units):
    accepted(title="Có")
    response = client.get(CATALOGUE, {"province": "abc", "unit": "999999999", "year": "x", "page": "zz"})
    assert response.status_code == 200


def catalogue_queries(client, page_size: int) -> int:
    cache.clear()  # measure the uncached page: the list's count is cached for a few minutes
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CATALOGUE, {"page_size": page_size, "province": unit("Tỉnh Quảng Ngãi").pk})
    assert len(response.context["page"].object_list) == page_size
    return len(captured)


def test_catalogue_query_count_does_not_grow_with_page_size(client, units, django_assert_max_num_queries):
    source = accepted(title="Gốc")
    for number in range(60):
        accepted(
            title=f"Mô hình {number}",
            organization=OrganizationFactory(unit=unit("Xã Minh Long")),
            field=standard_field("nong-thon-moi" if number % 2 else "kinh-te"),
            origin=InitiativeOrigin.REPLICATED if number % 3 == 0 else InitiativeOrigin.NEW,
            replicated_from=source if number % 3 == 0 else None,
        )
    small = catalogue_queries(client, 12)
    large = catalogue_queries(client, 48)
    assert small == large
    print(f"catalogue: {small} queries for 12 rows, {large} for 48")
    with django_assert_max_num_queries(8):
        client.get(CATALOGUE, {"page_size": 48, "province": unit("Tỉnh Quảng Ngãi").pk})
    with django_assert_max_num_queries(7):  # the same list again: its count comes from the cache
        client.get(CATALOGUE, {"page_size": 48, "province": unit("Tỉnh Quảng Ngãi").pk, "page": 2})


def staff_list_queries(client, page_size: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("portal:staff_list"), {"page_size": page_size})
    assert len(response.context["page"].object_list) == page_size
    return len(captured)


def test_staff_list_query_count_does_not_grow_with_page_size(client, unit_staff, commune_reviewer,
                                                             django_assert_max_num_queries):
    from models_registry.services import initiative_return

    organization = unit_staff.staff_profile.organization
    for number in range(60):
        initiative = InitiativeFactory(organization=organization, title=f"Của tôi {number}",
                                       field=standard_field("giam-ngheo"))
        if number % 4 == 0:
            initiative_return(initiative=initiative, acting_user=commune_reviewer, reason="Bổ sung")
    client.force_login(unit_staff)
    small, large = staff_list_queries(client, 12), staff_list_queries(client, 48)
    assert small == large
    print(f"staff list: {small} queries for 12 rows, {large} for 48")
    with django_assert_max_num_queries(10):
        client.get(reverse("portal:staff_list"), {"page_size": 48})


def page_text(response) -> str:
    from django.utils.html import strip_tags

    return " ".join(strip_tags(response.content.decode()).split())


def test_replication_links_name_the_other_models_code_organisation_and_place(client, units,
                                                                              django_assert_max_num_queries):
    source = accepted(code="DVK-51-2021-00011", title="Hũ gạo tình thương", registration_year=2021,
                      organization=OrganizationFactory(name="Hội LHPN xã Minh Long", unit=unit("Xã Minh Long")))
    old_place = OrganizationFactory(name="Chi hội Phụ nữ xã Long Hiệp", unit=unit("Xã Long Hiệp", "pre2025"))
    copy = accepted(code="DVK-51-2024-00020", title="Hũ gạo tình thương", organization=old_place,
                    origin=InitiativeOrigin.REPLICATED, replicated_from=source)

    with django_assert_max_num_queries(5):  # its source is read apart, the one query more of a replication
        response = client.get(reverse("portal:initiative_detail", args=[copy.code]))
    assert ("Mô hình này nhân rộng từ: DVK-51-2021-00011 – Hũ gạo tình thương, Hội LHPN xã Minh Long, "
            "Xã Minh Long, Tỉnh Quảng Ngãi") in page_text(response)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:initiative_detail", args=[source.code]))
    assert ("DVK-51-2024-00020 – Hũ gạo tình thương, Chi hội Phụ nữ xã Long Hiệp, Xã Long Hiệp (cũ), "
            "Huyện Minh Long (cũ), Tỉnh Quảng Ngãi (cũ)") in page_text(response)
