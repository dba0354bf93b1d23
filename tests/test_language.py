"""No English where users look: every admin page a reviewer, the provincial board and a superuser can open,
and the portal's pages, are read as text (tags stripped; titles, labels and alt texts kept) and checked for
English phrases that Django or its add-ons left untranslated."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from models_registry.models import InitiativeStatus

from .factories import InitiativeFactory, YearlyResultFactory, organization_in

# Phrases seen in English on these pages before; each is a whole word or phrase, case-sensitive.
ENGLISH = [
    "Skip to main content", "Toggle theme", "Toggle navigation", "Filter navigation items", "Sidebar",
    "Breadcrumbs", "Select this object", "Select all objects", "Show counts", "Hide counts", "View selected",
    "Email", "Search", "True", "False", "Can add", "Can change", "Can delete", "Can view", "relationship",
    "object (", "superuser", "trang admin", "web admin", "Các mô models", "Click", "Choose", "Các Các",
    "current theme", "Sessions", "Set password", "Reset password", "Enabled", "Disabled",
    # import/export: the file's internal column names instead of its headers
    "registration_year", "organization_id", "content_methods", "unit_code", "is_active",
]
PATTERN = re.compile("|".join(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])" for phrase in ENGLISH))


class VisibleText(HTMLParser):
    """Text a user reads or hears: page text, and the title, aria-label, placeholder, alt and button texts."""

    HIDDEN = {"script", "style", "template"}
    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attributes = dict(attrs)
        self.parts += [attributes[name] for name in self.SPOKEN if attributes.get(name)]
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def english_on(response) -> list[str]:
    return sorted({part for part in visible_text(response.content.decode()) if PATTERN.search(part)})


@pytest.fixture
def registry_rows(commune_reviewer):
    organization = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    submitted = InitiativeFactory(organization=organization, registration_year=2025)
    accepted = InitiativeFactory(organization=organization, status=InitiativeStatus.ACCEPTED)
    YearlyResultFactory(initiative=accepted, year=2024)
    return {"submitted": submitted, "accepted": accepted}


def admin_pages(user) -> list[str]:
    """Every admin page the user may open: index, each list, add and change forms, history, deletion,
    import and export, and the password pages."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        row = model_admin.get_queryset(request).order_by("-pk").first()
        if row is not None:
            pages += [reverse("admin:{}_{}_change".format(*info), args=[row.pk]),
                      reverse("admin:{}_{}_history".format(*info), args=[row.pk])]
            if model_admin.has_delete_permission(request, row):
                pages.append(reverse("admin:{}_{}_delete".format(*info), args=[row.pk]))
        for action in ("import", "export"):
            try:
                pages.append(reverse("admin:{}_{}_{}".format(*info, action)))
            except NoReverseMatch:
                pass
    return pages


@pytest.mark.parametrize("persona", ["commune_reviewer", "provincial_board", "admin_user"])
def test_admin_pages_speak_only_vietnamese(client, request, persona, registry_rows, unit_staff):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    found = {}
    opened = 0
    for path in admin_pages(user):
        response = client.get(path)
        if response.status_code != 200:
            continue
        opened += 1
        if english := english_on(response):
            found[path] = english
    assert opened > 10
    assert not found, found


def test_portal_pages_speak_only_vietnamese(client, registry_rows, unit_staff):
    accepted = registry_rows["accepted"]
    public = [reverse("portal:home"), reverse("portal:catalogue"),
              reverse("portal:initiative_detail", args=[accepted.code]), reverse("login"),
              reverse("password_reset"), reverse("password_reset_done"), reverse("password_reset_complete")]
    found = {path: english_on(client.get(path)) for path in public}
    found[reverse("password_reset") + " (sent with an error)"] = english_on(
        client.post(reverse("password_reset"), {"email": "not-an-address"}))
    client.force_login(unit_staff)
    own = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)
    for path in (reverse("portal:staff_list"), reverse("portal:staff_create"),
                 reverse("portal:staff_initiative", args=[own.pk]), reverse("portal:staff_edit", args=[own.pk]),
                 reverse("password_change")):
        found[path] = english_on(client.get(path))
    found = {path: english for path, english in found.items() if english}
    assert not found, found


def test_password_reset_form_asks_for_the_address_in_vietnamese(client, units):
    page = client.get(reverse("password_reset")).content.decode()
    assert "Địa chỉ thư điện tử" in visible_text(page)


def test_delete_action_names_groups_once(units):
    # Groups are read-only in the admin now, but Django's action label must still read right in Vietnamese.
    from django.contrib.admin.actions import delete_selected
    from django.contrib.auth.models import Group

    label = str(delete_selected.short_description) % {"verbose_name_plural": Group._meta.verbose_name_plural}
    assert label == "Xóa các nhóm đã chọn"


def test_group_page_lists_permissions_in_vietnamese(client, admin_user):
    client.force_login(admin_user)
    group = Group.objects.get(name="Ban Tuyên giáo và Dân vận Tỉnh ủy")
    page = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "Được xem mô hình, điển hình" in page
    assert "Được quyết định mọi đăng ký trong phạm vi" in page
    assert "Can view" not in page


def test_admin_javascript_catalogue_translates_the_two_box_picker(client, admin_user):
    client.force_login(admin_user)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    choose = catalogue['Choose %s by selecting them and then select the "Choose" arrow button.']
    assert choose == "Chọn %s bằng cách bấm vào từng mục rồi bấm nút mũi tên “Chọn”."
    assert catalogue["Choose all %s"] == "Chọn tất cả %s"


def test_deleting_an_account_lists_no_english_link_rows(client, admin_user, unit_staff):
    client.force_login(admin_user)
    response = client.get(reverse("admin:auth_user_delete", args=[unit_staff.pk]))
    assert response.status_code == 200
    text = " ".join(visible_text(response.content.decode()))
    assert "relationship" not in text and "object (" not in text
    assert unit_staff.username in text


def test_yes_no_icons_are_read_out_in_vietnamese(client, provincial_board, unit_staff):
    client.force_login(provincial_board)
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert 'alt="Có"' in page
    assert 'alt="True"' not in page


def test_export_file_headers_are_vietnamese(client, provincial_board, registry_rows):
    client.force_login(provincial_board)
    response = client.post(reverse("admin:models_registry_initiative_export"), {
        "format": "0", "export_items": [registry_rows["submitted"].pk],
        **{f"initiativeresource_{name}": "on" for name in ("code", "field", "replicated_from", "organization")},
    })
    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").splitlines()[0]
    # The field column holds the field's name (no longer its code), hence its header.
    assert "Lĩnh vực" in header and "Mã mô hình được nhân rộng" in header
    assert "Field code" not in header and "Code of the replicated model" not in header
