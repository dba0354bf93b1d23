"""Scope across editions of the unit list: today's units cover the old units that merged into them."""

import pytest
from django.urls import reverse

from models_registry import roles
from models_registry.models import AdministrativeUnit, Initiative, Organization
from models_registry.scope import users_visible_to

from .factories import InitiativeFactory, organization_in, persona, unit

pytestmark = pytest.mark.django_db


def codes_visible_to(user):
    return set(Initiative.objects.visible_to(user).values_list("code", flat=True))


def test_todays_quang_ngai_board_sees_what_old_quang_ngai_and_kon_tum_registered(provincial_board):
    old_quang_ngai = InitiativeFactory(organization=organization_in("Xã Sơn Hạ", "pre2025"))
    old_kon_tum = InitiativeFactory(organization=organization_in("Phường Quyết Thắng", "pre2025"))
    old_quang_nam = InitiativeFactory(organization=organization_in("Xã Tam Thăng", "pre2025"))
    today = InitiativeFactory(organization=organization_in("Xã Sơn Hà"), registration_year=2025)

    visible = codes_visible_to(provincial_board)

    assert {old_quang_ngai.code, old_kon_tum.code, today.code} <= visible
    assert old_quang_nam.code not in visible  # the old Quảng Nam went to Đà Nẵng


def test_commune_reviewer_sees_the_old_communes_merged_into_minh_long_and_not_long_son(commune_reviewer):
    merged = {
        name: InitiativeFactory(organization=organization_in(name, "pre2025"))
        for name in ("Xã Long Hiệp", "Xã Thanh An", "Xã Long Môn")
    }
    long_son = InitiativeFactory(organization=organization_in("Xã Long Sơn", "pre2025"))

    visible = codes_visible_to(commune_reviewer)

    assert {initiative.code for initiative in merged.values()} <= visible
    assert long_son.code not in visible


def test_commune_reviewer_changelist_shows_old_communes_in_the_admin(client, commune_reviewer):
    long_hiep = InitiativeFactory(organization=organization_in("Xã Long Hiệp", "pre2025"), title="Mô hình Long Hiệp")
    long_son = InitiativeFactory(organization=organization_in("Xã Long Sơn", "pre2025"), title="Mô hình Long Sơn")
    client.force_login(commune_reviewer)

    content = client.get(reverse("admin:models_registry_initiative_changelist"), {"awaiting": "all"}).content.decode()

    assert long_hiep.code in content
    assert long_son.code not in content


def test_district_reviewer_on_old_data_sees_the_old_district_subtree_only(district_reviewer):
    in_district = InitiativeFactory(organization=organization_in("Xã Long Sơn", "pre2025"))
    other_district = InitiativeFactory(organization=organization_in("Xã Sơn Hạ", "pre2025"))
    todays_commune = InitiativeFactory(organization=organization_in("Xã Minh Long"), registration_year=2025)

    visible = codes_visible_to(district_reviewer)

    assert in_district.code in visible
    assert other_district.code not in visible
    assert todays_commune.code not in visible


def test_units_visible_to_a_commune_reviewer_are_the_commune_and_its_old_communes(commune_reviewer):
    names = set(AdministrativeUnit.objects.visible_to(commune_reviewer).values_list("name", "edition_id"))
    assert names == {("Xã Minh Long", "2025"), ("Xã Long Hiệp", "pre2025"), ("Xã Thanh An", "pre2025"),
                     ("Xã Long Môn", "pre2025")}


def test_unit_staff_see_only_their_own_organisation(unit_staff):
    organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    assert list(Organization.objects.visible_to(unit_staff)) == [unit_staff.staff_profile.organization]


def test_users_visible_to_a_board_member_are_those_of_the_province(provincial_board, commune_reviewer,
                                                                   other_province_staff):
    old_unit_user = persona(role=roles.REVIEWER, unit_obj=unit("Xã Long Hiệp", "pre2025"), username="cu_longhiep")
    visible = set(users_visible_to(provincial_board).values_list("username", flat=True))
    assert {"ban_tinh", "thamdinh_minhlong", old_unit_user.username} <= visible
    assert other_province_staff.username not in visible


def test_an_inactive_or_anonymous_user_sees_nothing(commune_reviewer, scenario):
    from django.contrib.auth.models import AnonymousUser

    assert not Initiative.objects.visible_to(AnonymousUser()).exists()
    commune_reviewer.is_active = False
    commune_reviewer.save()
    commune_reviewer.__dict__.pop("_danvan_scope", None)
    assert not Initiative.objects.visible_to(commune_reviewer).exists()
