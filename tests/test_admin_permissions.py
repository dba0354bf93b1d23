"""The permission matrix: every role × (a row in scope, a sibling's row, another province's row) × every
admin path. In scope: allowed as the role permits. Out of scope: 404 or absent, never 200 with foreign data.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from models_registry.models import Initiative, InitiativeStatus, InitiativeTransition

pytestmark = pytest.mark.django_db

# persona → (row inside the scope, row of a sibling unit or organisation, row of another province)
ROWS = {
    "commune_reviewer": ("same_commune", "sibling", "danang"),
    "district_reviewer": ("old_commune_party", "old_district", "danang"),
    "provincial_board": ("sibling", "old_quang_nam", "danang"),
    # Unit staff work in the portal, not in the admin: every admin path sends them to the admin's log-in.
    "unit_staff": ("own_org", "same_commune", "danang"),
    "other_province_staff": ("danang", "old_quang_nam", "own_org"),
}
PLACES = ("inside", "sibling", "other_province")
PORTAL_ROLES = ("unit_staff", "other_province_staff")
ROLES = tuple(role for role in ROWS if role not in PORTAL_ROLES)
REVIEWING_ROLES = {"commune_reviewer", "district_reviewer", "provincial_board"}
MATRIX = [(role, place) for role in ROLES for place in PLACES]


@pytest.fixture
def as_role(request, client, scenario):
    """Log in as the persona and return (client, the initiative at `place`, every scenario initiative)."""

    def login(role, place):
        user = request.getfixturevalue(role)
        client.force_login(user)
        row = scenario[ROWS[role][PLACES.index(place)]]
        return client, row

    return login


def admin_url(name, *args):
    return reverse(f"admin:models_registry_initiative_{name}", args=args)


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_changelist_lists_only_rows_in_scope(as_role, role, place):
    client, row = as_role(role, place)
    response = client.get(admin_url("changelist") + "?awaiting=all")  # not only what waits for the reviewer
    assert response.status_code == 200
    assert (row.code in response.content.decode()) == (place == "inside")


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_change_view_of_a_typed_url_answers_404_outside_the_scope(as_role, role, place):
    client, row = as_role(role, place)
    response = client.get(admin_url("change", row.pk))
    assert response.status_code == (200 if place == "inside" else 404)
    if place != "inside":
        assert row.title not in response.content.decode()


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_history_view_answers_404_outside_the_scope(as_role, role, place):
    client, row = as_role(role, place)
    response = client.get(admin_url("history", row.pk))
    assert response.status_code == (200 if place == "inside" else 404)


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_delete_view_is_refused_and_404_outside_the_scope(as_role, role, place):
    client, row = as_role(role, place)
    response = client.post(admin_url("delete", row.pk), {"post": "yes"})
    # No role deletes a submitted registration; outside the scope the row does not even exist.
    assert response.status_code == (403 if place == "inside" else 404)
    assert Initiative.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_transition_page_answers_404_outside_the_scope(as_role, role, place):
    client, row = as_role(role, place)
    response = client.post(admin_url("transition", row.pk, "accept"))
    if place == "inside":
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    row.refresh_from_db()
    reviewed = place == "inside" and role in REVIEWING_ROLES
    expected = InitiativeStatus.ACCEPTED if reviewed else InitiativeStatus.SUBMITTED
    assert row.status == expected


def autocomplete(client, model_name, field_name, term):
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": model_name, "field_name": field_name, "term": term,
    })
    assert response.status_code == 200
    return {int(item["id"]) for item in json.loads(response.content)["results"]}


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_initiative_autocomplete_offers_only_rows_in_scope(as_role, role, place):
    client, row = as_role(role, place)
    found = autocomplete(client, "yearlyresult", "initiative", "mo hinh")
    assert (row.pk in found) == (place == "inside")


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_organisation_autocomplete_offers_only_organisations_in_scope(as_role, role, place):
    client, row = as_role(role, place)
    found = autocomplete(client, "initiative", "organization", "")
    assert (row.organization_id in found) == (place == "inside")


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_raw_id_popup_lists_only_rows_in_scope(as_role, role, place):
    client, row = as_role(role, place)
    response = client.get(admin_url("changelist"), {"_popup": "1", "_to_field": "id"})
    assert response.status_code == 200
    assert (row.code in response.content.decode()) == (place == "inside")


ACTIONS = {
    "accept_selected": InitiativeStatus.ACCEPTED,
    "return_selected": InitiativeStatus.RETURNED,
    "reject_selected": InitiativeStatus.REJECTED,
    "submit_selected": None,  # every scenario row is already submitted: nothing may change
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_admin_action_acts_only_on_rows_in_scope(as_role, scenario, role, place, action):
    client, row = as_role(role, place)
    logged_before = InitiativeTransition.objects.count()
    response = client.post(admin_url("changelist"), {
        "action": action, "_selected_action": [row.pk], "index": 0, "apply": "1",
        "reason": "Bổ sung kế hoạch triển khai và kinh phí.",
    })
    assert response.status_code in (200, 302)
    row.refresh_from_db()
    allowed = place == "inside" and role in REVIEWING_ROLES and ACTIONS[action] is not None
    assert row.status == (ACTIONS[action] if allowed else InitiativeStatus.SUBMITTED)
    assert InitiativeTransition.objects.count() == logged_before + (1 if allowed else 0)
    # Nothing else moved.
    assert not Initiative.objects.exclude(pk=row.pk).exclude(status=InitiativeStatus.SUBMITTED).exists()


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_export_contains_only_rows_in_scope(as_role, scenario, role, place):
    client, row = as_role(role, place)
    response = client.post(admin_url("export"), {
        "format": "0", "resource": "0", "initiativeresource_code": "on", "initiativeresource_title": "on",
        "initiativeresource_organization_name": "on",
    })
    if role not in REVIEWING_ROLES:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    exported = response.content.decode("utf-8-sig")
    assert (row.code in exported) == (place == "inside")
    visible = set(Initiative.objects.visible_to(response.wsgi_request.user).values_list("code", flat=True))
    for initiative in scenario.values():
        assert (initiative.code in exported) == (initiative.code in visible)


def import_file(rows):
    header = "code,title,kind,origin,organization_id,field_code,registration_year,contact_name\n"
    body = "".join(f",{title},collective,new,{org},kinh-te,2025,Nguyễn Văn An\n" for title, org in rows)
    return SimpleUploadedFile("dang_ky.csv", (header + body).encode("utf-8"), content_type="text/csv")


@pytest.mark.parametrize(("role", "place"), MATRIX)
def test_import_refuses_rows_outside_the_scope_with_row_number_and_reason(as_role, role, place):
    client, row = as_role(role, place)
    before = Initiative.objects.count()
    response = client.post(admin_url("import"), {
        "format": "0", "resource": "0",
        "import_file": import_file([("Mô hình Dân vận khéo nhập từ tệp", row.organization_id)]),
    })
    if role != "provincial_board":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    content = response.content.decode()
    if place == "inside":
        # Registering is the organisation's own act: the board, which may not register, may not import new rows.
        assert 'name="import_file_name"' not in content
        assert "Dòng 1: bạn không có quyền đăng ký mô hình mới" in content
    else:
        assert 'name="import_file_name"' not in content
        assert f"Dòng 1: tổ chức số {row.organization_id} nằm ngoài phạm vi quản lý của bạn." in content
    assert Initiative.objects.count() == before


PORTAL_ROLE_PATHS = {
    "index": lambda row: (reverse("admin:index"), None),
    "changelist": lambda row: (admin_url("changelist"), None),
    "add": lambda row: (admin_url("add"), None),
    "change": lambda row: (admin_url("change", row.pk), None),
    "history": lambda row: (admin_url("history", row.pk), None),
    "autocomplete": lambda row: (reverse("admin:autocomplete") + "?app_label=models_registry&model_name="
                                 "initiative&field_name=replicated_from&term=mo", None),
    "action": lambda row: (admin_url("changelist"), {"action": "submit_selected", "_selected_action": [row.pk],
                                                     "index": 0}),
    "export": lambda row: (admin_url("export"), {"format": "0", "resource": "0"}),
    "yearly_result_add": lambda row: (reverse("admin:models_registry_yearlyresult_add"), None),
    "attachment_add": lambda row: (reverse("admin:models_registry_attachment_add"), None),
    "password": lambda row: (reverse("admin:password_change"), None),
}


@pytest.mark.parametrize("path", PORTAL_ROLE_PATHS)
@pytest.mark.parametrize("role", PORTAL_ROLES)
def test_unit_staff_are_kept_out_of_every_admin_path(as_role, role, path):
    client, row = as_role(role, "inside")
    url, data = PORTAL_ROLE_PATHS[path](row)
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    row.refresh_from_db()
    assert row.status == InitiativeStatus.SUBMITTED
    # Their own work is in the portal.
    assert client.get(reverse("portal:staff_list")).status_code == 200
