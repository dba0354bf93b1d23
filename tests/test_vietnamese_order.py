"""Provinces, communes, organisations and titles sort by the Vietnamese alphabet, on SQLite and PostgreSQL:
a ă â b c d đ e ê …, tones after the letter (Ba, Bà, Bả, Bã, Bá, Bạ), numbers by their value."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from models_registry.collation import ICU_LOCALE, sort_key
from models_registry.models import AdministrativeUnit, InitiativeStatus, Organization

from .factories import InitiativeFactory, OrganizationFactory, unit

pytestmark = pytest.mark.django_db

PLACES = ["An Giang", "Ăn Khê", "Âu Lâu", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Dak Lak", "Đà Nẵng",
          "Điện Biên", "Đồng Tháp", "Hà Nội", "Huế", "Ô Môn", "Ơn Dừng", "Phường 1", "Phường 2", "Phường 10",
          "Uông Bí", "Ứng Hòa", "Yên Bái"]
TONES = ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Bác"]
TRICKY = ["ba", "Ba", "BA", "A B", "A-B", "Ab", "Hòa", "Hoà", "Hóa", "Thủy", "Thuỷ", "Quốc phòng – an ninh",
          "Mô hình “Dân vận khéo”", "Tổ 5", "Tổ 05", "Tổ 15", "Ỷ Lan", "Y Ngông"]


def test_the_key_follows_the_vietnamese_alphabet_tones_and_numbers():
    assert sorted(reversed(PLACES), key=sort_key) == PLACES
    assert sorted(reversed(TONES), key=sort_key) == TONES
    assert sorted(["BA", "Ba", "ba"], key=sort_key) == ["ba", "Ba", "BA"]


def names_in_database_order(names, **filters):
    for name in names:
        OrganizationFactory(name=name)
    return list(Organization.objects.filter(name__in=names, **filters).order_by("name")
                .values_list("name", flat=True))


def test_names_sort_the_vietnamese_way_in_the_database(units):
    assert names_in_database_order(list(reversed(PLACES)) + list(reversed(TONES))) == sorted(
        PLACES + TONES, key=sort_key)


def test_equal_means_identical_whatever_the_order(units):
    """SQLite compares with the collation for `=` too: different spellings must stay different."""
    OrganizationFactory(name="Hội Phụ nữ Hòa Bình")
    assert not Organization.objects.filter(name="Hội phụ nữ Hòa Bình").exists()
    assert not Organization.objects.filter(name="Hội Phụ nữ Hoà Bình").exists()
    assert Organization.objects.filter(name="Hội Phụ nữ Hòa Bình").count() == 1


def test_catalogue_sorts_titles_a_to_z_and_z_to_a(client, units):
    titles = ["Đường hoa nông thôn mới", "Ánh sáng đường quê", "Zalo kết nối khu phố", "Hũ gạo tình thương",
              "Bữa cơm có thịt", "Ấm áp mùa đông"]
    for title in titles:
        InitiativeFactory(title=title, status=InitiativeStatus.ACCEPTED)
    expected = sorted(titles, key=sort_key)
    assert expected[:3] == ["Ánh sáng đường quê", "Ấm áp mùa đông", "Bữa cơm có thịt"]

    def ordered(sort):
        page = client.get(reverse("portal:catalogue"), {"sort": sort}).context["page"]
        return [initiative.title for initiative in page.object_list]

    assert ordered("title") == expected
    assert ordered("-title") == list(reversed(expected))  # "Tên (Z–A)" starts with Z, not with Đ


def test_paging_through_equal_titles_shows_each_model_once(client, units):
    for _number in range(30):
        InitiativeFactory(title="Hũ gạo tình thương", status=InitiativeStatus.ACCEPTED)
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse("portal:catalogue"), {"sort": "title", "page": page})
        seen += [initiative.pk for initiative in response.context["page"].object_list]
    assert len(seen) == len(set(seen)) == 30


def test_province_and_commune_lists_of_the_catalogue_are_alphabetical(client, units):
    province = unit("Tỉnh Quảng Ngãi")
    form = client.get(reverse("portal:catalogue"), {"province": province.pk}).context["filter"].form
    provinces = [label for value, label in form.fields["province"].choices if value]
    assert provinces == ["Thành phố Đà Nẵng", "Tỉnh Quảng Ngãi"]  # Đà Nẵng, Quảng Ngãi
    communes = [label for value, label in form.fields["unit"].widget.choices if value]
    current = AdministrativeUnit.objects.current().filter(parent=province)
    assert communes == [u.name for u in sorted(current, key=lambda u: (sort_key(u.short_name), sort_key(u.name)))]


def test_organisations_are_listed_alphabetically_in_the_admin(client, admin_user):
    for name in ["Đoàn Thanh niên xã Minh Long", "Ủy ban MTTQ xã Minh Long", "Hội Nông dân xã Minh Long",
                 "Công an xã Minh Long", "Ban Chỉ huy Quân sự xã Minh Long"]:
        OrganizationFactory(name=name)
    client.force_login(admin_user)
    response = client.get(reverse("admin:models_registry_organization_changelist"), {"q": "minh long"})
    assert [o.name for o in response.context["cl"].result_list] == [
        "Ban Chỉ huy Quân sự xã Minh Long", "Công an xã Minh Long", "Đoàn Thanh niên xã Minh Long",
        "Hội Nông dân xã Minh Long", "Ủy ban MTTQ xã Minh Long"]


@pytest.mark.postgres
def test_the_sqlite_order_is_the_order_of_postgresql_icu(units):
    """The hand-written key against ICU's Vietnamese collation, over every unit and organisation name."""
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's ICU collation (CI runs the suite on PostgreSQL)")
    for name in PLACES + TONES + TRICKY:
        OrganizationFactory(name=name)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE COLLATION pg_temp.vi_check (provider = icu, locale = '{ICU_LOCALE}')")
        cursor.execute(
            "SELECT x FROM (SELECT name AS x FROM models_registry_administrativeunit UNION "
            "SELECT short_name FROM models_registry_administrativeunit UNION "
            "SELECT name FROM models_registry_organization) names ORDER BY x COLLATE pg_temp.vi_check")
        icu = [row[0] for row in cursor.fetchall()]
    assert len(icu) > 1000
    assert sorted(icu, key=sort_key) == icu


# --- The communes of a province, for the catalogue's commune list -------------------------------------------


def units_json(client, province):
    return client.get(reverse("portal:catalogue_units_json"), {"province": province})


def test_communes_of_a_province_are_public_current_and_alphabetical(client, units):
    province = unit("Tỉnh Quảng Ngãi")
    response = units_json(client, province.pk)
    assert response.status_code == 200
    names = [item["name"] for item in json.loads(response.content)["units"]]
    assert set(json.loads(response.content)["units"][0]) == {"id", "name"}
    expected = AdministrativeUnit.objects.current().filter(parent=province)
    assert names == [u.name for u in sorted(expected, key=lambda u: (sort_key(u.short_name), sort_key(u.name)))]
    assert "Xã Minh Long" in names and "Phường Hải Châu" not in names
    assert "Xã Long Hiệp" not in names  # an old commune: only today's map is offered


@pytest.mark.parametrize("province", ["", "abc", "999999999"])
def test_communes_answer_404_for_anything_but_a_province_of_todays_map(client, units, province):
    assert units_json(client, province).status_code == 404


def test_communes_answer_404_for_an_old_province_or_a_commune(client, units):
    assert units_json(client, unit("Tỉnh Kon Tum", "pre2025").pk).status_code == 404
    assert units_json(client, unit("Xã Minh Long").pk).status_code == 404
