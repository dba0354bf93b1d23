"""The plug-in points the apps built on the registry use: roles, the work-to-do box, the home page's figures."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from models_registry import plugins, roles

pytestmark = pytest.mark.django_db


def test_another_apps_task_appears_in_the_work_to_do_box(client, commune_reviewer, monkeypatch):
    monkeypatch.setattr(plugins, "_task_providers", list(plugins._task_providers))

    @plugins.register_tasks(order=50)
    def score_sheets(user):
        return [plugins.Task("Phiếu chấm đang chờ bạn", 4, "/cham-diem/")]

    client.force_login(commune_reviewer)
    box = client.get(reverse("admin:index")).content.decode()
    box = box[box.index('id="danvan-tasks"'):box.index("</table>", box.index('id="danvan-tasks"'))]
    assert "Đăng ký đang chờ bạn thẩm định" in box  # the registry's own, first
    assert box.index("Đăng ký đang chờ bạn thẩm định") < box.index("Phiếu chấm đang chờ bạn")
    assert 'href="/cham-diem/"' in box and "<strong>4</strong>" in box


def test_another_apps_figure_appears_on_the_home_page_in_its_order(client, units, monkeypatch):
    monkeypatch.setattr(plugins, "_figure_providers", list(plugins._figure_providers))
    plugins.register_figures(lambda: [plugins.Figure("commended", "mô hình được khen thưởng", 1234)], order=50)

    page = client.get(reverse("portal:home")).content.decode()

    assert "1.234" in page and "mô hình được khen thưởng" in page
    assert page.index("mô hình đã đăng ký") < page.index("mô hình được khen thưởng")


def test_a_role_declared_by_another_app_becomes_a_group_with_its_permissions(units, monkeypatch):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    for registry in ("ROLE_LABELS", "ROLE_RANK", "ROLE_PERMISSIONS"):
        monkeypatch.setattr(roles, registry, {**getattr(roles, registry)})
    council = roles.declare_role("Thành viên hội đồng thử", "thành viên hội đồng", rank=1)
    roles.grant(council, ["models_registry.view_initiative"])
    roles.grant(roles.PROVINCIAL_BOARD, ["models_registry.view_auditentry"])

    roles.sync_roles(Group, Permission)
    roles.create_extra_permissions(ContentType, Permission)

    assert list(Group.objects.get(name=council).permissions.values_list("codename", flat=True)) == [
        "view_initiative"]
    assert Group.objects.get(name=roles.PROVINCIAL_BOARD).permissions.filter(codename="view_auditentry").exists()
