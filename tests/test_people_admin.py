"""People management inside scope: a provincial board manages the accounts of its province only."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from models_registry import roles
from models_registry.models import StaffProfile

from .factories import organization_in, persona, superuser, unit

pytestmark = pytest.mark.django_db
User = get_user_model()


def new_user_data(**overrides):
    data = {
        "username": "thamdinh_sonha", "usable_password": "true", "password1": "Dan-van-kheo-2025!",
        "password2": "Dan-van-kheo-2025!", "first_name": "Lan", "last_name": "Trần Thị",
        "email": "lan@example.vn", "role": roles.REVIEWER, "unit": unit("Xã Sơn Hà").pk,
    }
    data.update(overrides)
    return data


def test_board_member_creates_a_reviewer_in_the_province(client, provincial_board):
    client.force_login(provincial_board)
    response = client.post(reverse("admin:auth_user_add"), new_user_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="thamdinh_sonha")
    assert created.is_staff
    assert list(created.groups.values_list("name", flat=True)) == [roles.REVIEWER]
    assert created.staff_profile.unit == unit("Xã Sơn Hà")
    assert created.check_password("Dan-van-kheo-2025!")


def test_board_member_cannot_give_a_role_above_their_own(client, provincial_board):
    client.force_login(provincial_board)
    response = client.post(reverse("admin:auth_user_add"), new_user_data(role=roles.SYSTEM_ADMIN))
    assert response.status_code == 200
    assert not User.objects.filter(username="thamdinh_sonha").exists()
    assert roles.SYSTEM_ADMIN not in response.content.decode().split('name="role"')[1].split("</select>")[0]


def test_board_member_cannot_place_a_user_outside_the_province(client, provincial_board):
    client.force_login(provincial_board)
    response = client.post(reverse("admin:auth_user_add"), new_user_data(unit=unit("Phường Hải Châu").pk))
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not User.objects.filter(username="thamdinh_sonha").exists()


def test_unit_staff_need_an_organisation_of_their_unit(client, provincial_board):
    client.force_login(provincial_board)
    other_commune = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    response = client.post(reverse("admin:auth_user_add"), new_user_data(
        role=roles.UNIT_STAFF, unit=unit("Xã Sơn Hà").pk, organization=other_commune.pk,
    ))
    assert response.status_code == 200
    assert "Tổ chức phải thuộc đơn vị hành chính đã chọn." in response.content.decode()


def test_board_member_sees_only_accounts_of_the_province(client, provincial_board, commune_reviewer,
                                                         other_province_staff):
    client.force_login(provincial_board)
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert commune_reviewer.username in listing
    assert other_province_staff.username not in listing
    assert client.get(reverse("admin:auth_user_change", args=[other_province_staff.pk])).status_code == 404
    assert client.get(reverse("admin:auth_user_history", args=[other_province_staff.pk])).status_code == 404
    assert client.get(reverse("admin:auth_user_password_change",
                              args=[other_province_staff.pk])).status_code == 404


def test_board_member_cannot_reach_a_superuser(client, provincial_board):
    boss = superuser("quantri_tw")
    client.force_login(provincial_board)
    assert client.get(reverse("admin:auth_user_change", args=[boss.pk])).status_code == 404
    response = client.post(reverse("admin:auth_user_password_change", args=[boss.pk]),
                           {"password1": "x-Y-z-12345!", "password2": "x-Y-z-12345!"})
    assert response.status_code == 404


def test_board_member_cannot_edit_a_system_administrator_of_the_province(client, provincial_board):
    admin_of_province = persona(role=roles.SYSTEM_ADMIN, unit_obj=unit("Tỉnh Quảng Ngãi"), username="qtht_tinh")
    client.force_login(provincial_board)
    response = client.post(reverse("admin:auth_user_change", args=[admin_of_province.pk]), {
        "username": "qtht_tinh", "role": roles.REVIEWER, "unit": unit("Xã Minh Long").pk, "is_active": "on",
    })
    assert response.status_code == 403
    assert admin_of_province.groups.get().name == roles.SYSTEM_ADMIN
    assert client.get(reverse("admin:auth_user_password_change", args=[admin_of_province.pk])).status_code == 403


def test_board_member_moves_a_reviewer_within_the_province(client, provincial_board, commune_reviewer):
    client.force_login(provincial_board)
    response = client.post(reverse("admin:auth_user_change", args=[commune_reviewer.pk]), {
        "username": commune_reviewer.username, "role": roles.REVIEWER, "unit": unit("Xã Sơn Hà").pk,
        "is_active": "on", "first_name": "", "last_name": "", "email": commune_reviewer.email,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert StaffProfile.objects.get(user=commune_reviewer).unit == unit("Xã Sơn Hà")


def test_password_hashes_are_never_shown(client, provincial_board, commune_reviewer):
    client.force_login(provincial_board)
    page = client.get(reverse("admin:auth_user_change", args=[commune_reviewer.pk])).content.decode()
    stored = User.objects.get(pk=commune_reviewer.pk).password
    algorithm, _rest = stored.split("$", 1)
    assert stored not in page
    assert stored.rsplit("$", 1)[-1][:6] not in page
    assert f"{algorithm}$" not in page
    assert reverse("admin:auth_user_password_change", args=[commune_reviewer.pk]) in page


@pytest.mark.parametrize("persona_name", ["commune_reviewer", "district_reviewer", "unit_staff",
                                          "other_province_staff"])
def test_roles_without_people_management_cannot_open_the_user_admin(client, request, persona_name):
    user = request.getfixturevalue(persona_name)
    client.force_login(user)
    # Reviewers are refused the page; unit staff do not get into the admin at all (sent to its log-in).
    refused = (302,) if persona_name.endswith("_staff") else (403,)
    assert client.get(reverse("admin:auth_user_changelist")).status_code in refused
    assert client.get(reverse("admin:auth_user_add")).status_code in refused


def test_user_autocomplete_offers_only_accounts_in_scope(client, provincial_board, commune_reviewer,
                                                         other_province_staff):
    client.force_login(provincial_board)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": "staffprofile", "field_name": "user", "term": "",
    })
    ids = {int(item["id"]) for item in json.loads(response.content)["results"]}
    assert commune_reviewer.pk in ids
    assert other_province_staff.pk not in ids


def test_unit_autocomplete_for_a_staff_profile_stays_in_the_province(client, provincial_board):
    client.force_login(provincial_board)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": "staffprofile", "field_name": "unit", "term": "hai chau",
    })
    assert json.loads(response.content)["results"] == []
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": "staffprofile", "field_name": "unit", "term": "minh long",
    })
    names = {item["text"] for item in json.loads(response.content)["results"]}
    assert "Xã Minh Long, Tỉnh Quảng Ngãi" in names  # the picker names the parent too


def test_staff_profile_admin_refuses_a_unit_outside_the_scope(client, provincial_board, commune_reviewer):
    client.force_login(provincial_board)
    profile = commune_reviewer.staff_profile
    response = client.post(reverse("admin:models_registry_staffprofile_change", args=[profile.pk]), {
        "user": commune_reviewer.pk, "unit": unit("Phường Hải Châu").pk, "position": "", "phone": "",
    })
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.unit == unit("Xã Minh Long")


def test_user_list_filter_names_no_unit_outside_the_scope(client, provincial_board):
    client.force_login(provincial_board)
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Xã Minh Long" in page  # a child unit of the province is offered
    assert "Phường Hải Châu" not in page
    assert "Quảng Nam" not in page


def test_board_member_sets_a_new_password_for_a_reviewer_of_the_province(client, provincial_board, commune_reviewer):
    client.force_login(provincial_board)
    url = reverse("admin:auth_user_password_change", args=[commune_reviewer.pk])
    page = client.get(url).content.decode()
    assert "Password-based authentication" not in page
    response = client.post(url, {"password1": "Dan-van-kheo-2026!", "password2": "Dan-van-kheo-2026!"})
    assert response.status_code == 302
    commune_reviewer.refresh_from_db()
    assert commune_reviewer.check_password("Dan-van-kheo-2026!")
