"""Accounts: unit staff work in the portal, the account form's organisations follow the unit, log-in throttling,
idle sessions, two-step sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from models_registry import roles
from models_registry.demo_accounts import ensure_account

from .factories import organization_in, persona, unit
from .test_people_admin import new_user_data

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Mat-khau-2025"  # the factories' password


def account_data(**overrides):
    return new_user_data(**{"username": "canbo_sonha", "role": roles.UNIT_STAFF, **overrides})


# --- Unit staff work in the portal, not in the admin ----------------------------------------------------------


def test_an_account_made_for_unit_staff_is_not_staff_and_a_reviewer_is(client, provincial_board):
    organization = organization_in("Xã Sơn Hà", name="Hội Nông dân xã Sơn Hà")
    client.force_login(provincial_board)
    response = client.post(reverse("admin:auth_user_add"), account_data(organization=organization.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="canbo_sonha")
    assert not created.is_staff

    # Promoted to reviewer, the same account gets the admin; back to unit staff, it loses it.
    response = client.post(reverse("admin:auth_user_change", args=[created.pk]), {
        "username": "canbo_sonha", "last_name": "Trần Thị", "first_name": "Lan", "email": "lan@example.vn",
        "is_active": "on", "role": roles.REVIEWER, "unit": unit("Xã Sơn Hà").pk,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    created.refresh_from_db()
    assert created.is_staff


def test_unit_staff_cannot_log_in_to_the_admin_but_can_to_the_portal(client, unit_staff):
    response = client.post(reverse("admin:login"), {"username": unit_staff.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    client.logout()
    response = client.post(reverse("login"), {"username": unit_staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("portal:staff_list")).status_code == 200


def test_an_older_staff_flag_does_not_open_the_admin_to_unit_staff(client, unit_staff):
    User.objects.filter(pk=unit_staff.pk).update(is_staff=True)  # as accounts made before this rule
    client.force_login(User.objects.get(pk=unit_staff.pk))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_the_menu_offers_the_admin_only_to_those_who_work_there(client, unit_staff, commune_reviewer):
    admin_link = f'href="{reverse("admin:index")}"'
    password_link = f'href="{reverse("password_change")}"'
    client.force_login(unit_staff)
    page = client.get(reverse("portal:staff_list")).content.decode()
    assert admin_link not in page and password_link in page

    client.force_login(commune_reviewer)
    page = client.get(reverse("portal:catalogue")).content.decode()
    assert admin_link in page and password_link in page
    # In the admin too, "change password" is the portal's page.
    admin_page = client.get(reverse("admin:index")).content.decode()
    assert password_link in admin_page and reverse("admin:password_change") not in admin_page


def test_the_demo_unit_staff_is_not_staff(units):
    commune = unit("Xã Minh Long")
    organization = organization_in("Xã Minh Long", name="Hội Liên hiệp Phụ nữ xã Minh Long")
    staff, _line = ensure_account("canbo.donvi", "Đinh Thị", "Lan", role=roles.UNIT_STAFF, unit=commune,
                                  organization=organization)
    reviewer, _line = ensure_account("thamdinh.xa", "Phạm Văn", "Long", role=roles.REVIEWER, unit=commune)
    assert not staff.is_staff and reviewer.is_staff
    # A demo database made before the rule is brought in step.
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    staff, _line = ensure_account("canbo.donvi", "Đinh Thị", "Lan", role=roles.UNIT_STAFF, unit=commune,
                                  organization=organization)
    assert not User.objects.get(pk=staff.pk).is_staff


def test_a_person_given_unit_staff_loses_the_admin(provincial_board):
    from models_registry.people import staff_user_assign

    reviewer = persona(role=roles.REVIEWER, unit_obj=unit("Xã Sơn Hà"), username="thamdinh_sonha")
    assert reviewer.is_staff
    organization = organization_in("Xã Sơn Hà", name="Hội Nông dân xã Sơn Hà")
    staff_user_assign(acting_user=provincial_board, user=reviewer, role=roles.UNIT_STAFF, unit=unit("Xã Sơn Hà"),
                      organization=organization)
    assert not User.objects.get(pk=reviewer.pk).is_staff


# --- The account form offers the organisations of the chosen unit ---------------------------------------------


def test_the_organisation_picker_offers_only_the_organisations_of_the_chosen_unit(client, provincial_board):
    import json

    son_ha = organization_in("Xã Sơn Hà", name="Hội Nông dân xã Sơn Hà")
    minh_long = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    client.force_login(provincial_board)
    page = client.get(reverse("admin:auth_user_add")).content.decode()
    assert "js/account-form.js" in page

    def offered(unit_obj):
        response = client.get(reverse("admin:autocomplete"), {
            "app_label": "models_registry", "model_name": "staffprofile", "field_name": "organization",
            "term": "hoi nong dan", "unit": unit_obj.pk})
        return {int(item["id"]) for item in json.loads(response.content)["results"]}

    assert offered(unit("Xã Sơn Hà")) == {son_ha.pk}
    assert offered(unit("Xã Minh Long")) == {minh_long.pk}


def test_an_organisation_of_another_unit_is_refused_in_vietnamese(client, provincial_board):
    # An organisation of Xã Minh Long: inside the board's province, but not in the chosen unit (Xã Sơn Hà).
    elsewhere = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    client.force_login(provincial_board)
    response = client.post(reverse("admin:auth_user_add"), account_data(organization=elsewhere.pk))
    assert response.status_code == 200
    assert "Tổ chức phải thuộc đơn vị hành chính đã chọn." in response.content.decode()
    assert not User.objects.filter(username="canbo_sonha").exists()

    province = unit("Tỉnh Quảng Ngãi")  # a unit above the organisation's is not its unit either
    response = client.post(reverse("admin:auth_user_add"), account_data(unit=province.pk, organization=elsewhere.pk))
    assert "Tổ chức phải thuộc đơn vị hành chính đã chọn." in response.content.decode()
