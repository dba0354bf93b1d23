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


# --- Log-in throttling -----------------------------------------------------------------------------------------


def fail_to_log_in(client, url, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "sai-mat-khau"}, REMOTE_ADDR=address)
    return response


@pytest.mark.parametrize("login_url", ["login", "admin:login"])
def test_five_wrong_passwords_lock_the_username_with_a_vietnamese_page(client, commune_reviewer, login_url):
    url = reverse(login_url)
    response = fail_to_log_in(client, url, commune_reviewer.username, 5)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm dừng đăng nhập" in page and "15 phút" in page
    # Even the right password is refused now, from another address too.
    response = client.post(url, {"username": commune_reviewer.username, "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_from_one_address_lock_that_address(client, unit_staff, commune_reviewer):
    for username in ("khong_co_1", "khong_co_2", "khong_co_3", "khong_co_4", "khong_co_5"):
        fail_to_log_in(client, reverse("login"), username, 1, address="10.0.0.9")
    response = client.post(reverse("login"), {"username": unit_staff.username, "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    # Another address is not locked.
    response = client.post(reverse("login"), {"username": unit_staff.username, "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.10")
    assert response.status_code == 302


def test_a_successful_log_in_clears_the_count(client, unit_staff):
    fail_to_log_in(client, reverse("login"), unit_staff.username, 4)
    assert client.post(reverse("login"), {"username": unit_staff.username, "password": PASSWORD},
                       REMOTE_ADDR="10.0.0.1").status_code == 302
    client.logout()
    assert fail_to_log_in(client, reverse("login"), unit_staff.username, 4).status_code == 200


def test_the_address_behind_trusted_proxies_is_the_one_the_proxy_saw(rf, settings):
    from portal.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "127.0.0.1"  # no proxy trusted: the header is the client's own words
    settings.DANVAN_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what a client typed itself (1.2.3.4) is never read


# --- Idle sessions -----------------------------------------------------------------------------------------------


def test_staff_are_signed_out_after_thirty_idle_minutes(client, unit_staff, settings):
    import time

    from portal.security import LAST_SEEN_KEY

    assert settings.DANVAN_IDLE_MINUTES == 30
    client.force_login(unit_staff)
    assert client.get(reverse("portal:staff_list")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 29 * 60  # still within the half hour
    session.save()
    assert client.get(reverse("portal:staff_list")).status_code == 200

    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("portal:staff_list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "30 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- Two-step sign-in ----------------------------------------------------------------------------------------------


def totp_now(device, ahead=0):
    """The code the app shows now (or `ahead` steps later: a code once accepted is never accepted again)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead):06d}"


@pytest.fixture
def require_2fa(settings):
    settings.DANVAN_REQUIRE_2FA = True


def test_a_board_member_without_an_app_is_sent_to_set_it_up_before_the_admin(client, provincial_board,
                                                                             require_2fa, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code, then the right one at once
    client.force_login(provincial_board)
    assert client.get(reverse("portal:catalogue")).status_code == 200  # the portal stays open
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))

    page = client.get(response["Location"])
    content = page.content.decode()
    assert "<svg" in content and "Xác thực hai bước" in content
    device = page.wsgi_request.user.totpdevice_set.get()
    assert device.config_url.startswith("otpauth://totp/")

    wrong = client.post(response["Location"], {"code": "000000" if totp_now(device) != "000000" else "111111"})
    assert "Mã này không đúng" in wrong.content.decode()
    done = client.post(response["Location"], {"code": totp_now(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert f'href="{reverse("admin:index")}"' in done.content.decode()  # back to where they were going
    assert client.get(reverse("admin:index")).status_code == 200


def test_without_the_requirement_the_board_uses_the_admin_with_a_password(client, provincial_board, settings):
    settings.DANVAN_REQUIRE_2FA = False
    client.force_login(provincial_board)
    assert client.get(reverse("admin:index")).status_code == 200


def turn_on(user):
    from models_registry import two_factor

    device = two_factor.pending_device(user)
    return device, two_factor.confirm_device(device, totp_now(device))


@pytest.mark.parametrize("login_url", ["login", "admin:login"])
def test_after_the_password_someone_with_an_app_must_type_a_valid_code(client, provincial_board, require_2fa,
                                                                       login_url):
    device, _codes = turn_on(provincial_board)
    response = client.post(reverse(login_url), {"username": provincial_board.username, "password": PASSWORD,
                                                "next": reverse("admin:index")})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    # Nothing else opens until the code is given: the admin, the portal's staff pages, the set-up page.
    for url in (reverse("admin:index"), reverse("portal:staff_list"), reverse("two_factor_setup")):
        assert client.get(url)["Location"].startswith(reverse("two_factor_verify"))

    verify_url = response["Location"]
    assert client.get(verify_url).status_code == 200
    refused = client.post(verify_url, {"code": "12345"})
    assert "Mã này không đúng hoặc đã được dùng." in refused.content.decode()
    # Guessing is slowed down: right after a wrong code even the right one waits a moment.
    assert client.post(verify_url, {"code": totp_now(device, ahead=1)}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()
    accepted = client.post(verify_url, {"code": totp_now(device, ahead=1), "next": reverse("admin:index")})
    assert accepted.status_code == 302 and accepted["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_works_once(client, unit_staff):
    from models_registry import two_factor

    _device, codes = turn_on(unit_staff)  # available to everyone, not only to those who must
    client.force_login(unit_staff)
    verify_url = reverse("two_factor_verify")
    assert client.get(reverse("portal:staff_list"))["Location"].startswith(verify_url)
    response = client.post(verify_url, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:staff_list")
    assert "còn 9" in response.content.decode()
    assert two_factor.recovery_codes_left(unit_staff) == 9

    client.logout()
    client.force_login(unit_staff)
    refused = client.post(verify_url, {"code": codes[0]})
    assert "Mã này không đúng hoặc đã được dùng." in refused.content.decode()
    assert client.get(reverse("portal:staff_list")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones_and_those_who_must_cannot_turn_it_off(client, provincial_board,
                                                                                        require_2fa):
    from models_registry import two_factor

    device, codes = turn_on(provincial_board)
    client.force_login(provincial_board)
    client.post(reverse("two_factor_verify"), {"code": totp_now(device, ahead=1)})
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "10 mã dự phòng" in page and reverse("two_factor_turn_off") not in page
    new = client.post(reverse("two_factor_recovery_codes")).context["codes"]
    assert not set(new) & set(codes)
    client.post(reverse("two_factor_turn_off"))
    assert two_factor.has_two_factor(provincial_board)


def test_someone_who_may_turns_it_off(client, unit_staff):
    from models_registry import two_factor

    device, _codes = turn_on(unit_staff)
    client.force_login(unit_staff)
    client.post(reverse("two_factor_verify"), {"code": totp_now(device, ahead=1)})
    client.post(reverse("two_factor_turn_off"))
    assert not two_factor.has_two_factor(unit_staff)


def test_the_two_factor_pages_need_a_log_in(client, units):
    for name in ("two_factor_setup", "two_factor_verify"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("two_factor_recovery_codes")).status_code == 302


def test_the_board_resets_a_lost_phone_of_an_account_it_manages_only(client, provincial_board, commune_reviewer,
                                                                      other_province_staff):
    from django.contrib.admin import helpers

    from models_registry import two_factor

    for user in (commune_reviewer, other_province_staff):
        turn_on(user)
    client.force_login(provincial_board)
    response = client.post(reverse("admin:auth_user_changelist"), {
        "action": "reset_two_factor", helpers.ACTION_CHECKBOX_NAME: [commune_reviewer.pk, other_province_staff.pk],
    }, follow=True)
    assert response.status_code == 200
    assert not two_factor.has_two_factor(commune_reviewer)
    assert two_factor.has_two_factor(other_province_staff)  # another province's account is not in the list
