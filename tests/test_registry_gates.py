"""The registry's two rules hold at every edge: services are the only writers and check who acts; one scope
rule decides, for lists (`visible_to`) and for single rows (`UserScope.covers`, the policies)."""

import json

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from models_registry import policies, services
from models_registry.models import (
    AdministrativeUnit,
    Attachment,
    AuditEntry,
    Initiative,
    InitiativeStatus,
    InitiativeTransition,
    Lifecycle,
    Organization,
    UnitSuccession,
    YearlyResult,
)
from models_registry.scope import UserScope
from models_registry.scoped_admin import ReadOnlyMixin

from .factories import InitiativeFactory, YearlyResultFactory, unit

pytestmark = pytest.mark.django_db

PERSONAS = ("commune_reviewer", "district_reviewer", "provincial_board", "unit_staff", "other_province_staff")


def inline_data(initiative, **result):
    row = {"year": 2025, "is_running": "on", "participants": 35, "beneficiaries": 90,
           "value_mobilised": 12_000_000, "land_donated_m2": 0, "workdays": 60, "narrative": ""}
    row.update(result)
    data = {f"yearly_results-0-{name}": value for name, value in row.items() if value is not None}
    return {
        **data, "yearly_results-TOTAL_FORMS": 1, "yearly_results-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0, "attachments-INITIAL_FORMS": 0,
        "transitions-TOTAL_FORMS": 0, "transitions-INITIAL_FORMS": 0,
    }


# --- Writes through the services ---------------------------------------------------------------------------


def test_a_stopped_year_reported_in_the_admin_inline_discontinues_the_model(client, provincial_board,
                                                                           commune_reviewer, scenario):
    initiative = services.initiative_accept(initiative=scenario["own_org"], acting_user=commune_reviewer)
    client.force_login(provincial_board)  # unit staff report in the portal
    data = inline_data(initiative, is_running=None, narrative="Hội viên chuyển đi làm ăn xa, tổ giải thể.")

    response = client.post(reverse("admin:models_registry_initiative_change", args=[initiative.pk]), data)

    assert response.status_code == 302
    result = initiative.yearly_results.get()
    assert result.reported_by == provincial_board
    initiative.refresh_from_db()
    assert initiative.lifecycle == Lifecycle.DISCONTINUED and initiative.discontinued_year == 2025
    assert initiative.transitions.filter(to_status=Lifecycle.DISCONTINUED, actor=provincial_board).exists()
    assert AuditEntry.objects.filter(action="initiative.yearly_result_saved", actor=provincial_board).exists()


def test_the_yearly_result_page_of_the_admin_saves_through_the_service(client, provincial_board,
                                                                        commune_reviewer, scenario):
    initiative = services.initiative_accept(initiative=scenario["own_org"], acting_user=commune_reviewer)
    client.force_login(provincial_board)  # unit staff report in the portal
    response = client.post(reverse("admin:models_registry_yearlyresult_add"), {
        "initiative": initiative.pk, "year": 2025, "participants": 10, "beneficiaries": 20,
        "value_mobilised": 0, "land_donated_m2": 0, "workdays": 5, "narrative": "Không còn duy trì.",
    })
    assert response.status_code == 302
    assert YearlyResult.objects.get(initiative=initiative).reported_by == provincial_board
    initiative.refresh_from_db()
    assert initiative.lifecycle == Lifecycle.DISCONTINUED  # is_running left unticked: the year says it stopped


def test_the_board_reports_results_by_the_same_rule_in_the_service_and_the_admin(provincial_board,
                                                                                 commune_reviewer, scenario):
    mine = services.initiative_accept(initiative=scenario["sibling"], acting_user=provincial_board)
    foreign = services.initiative_accept(initiative=scenario["danang"], acting_user=get_user_model().objects
                                         .create_superuser("quantri_tam", "q@example.vn", "x"))

    assert policies.can_report_results(provincial_board, mine)
    saved = services.yearly_result_save(initiative=mine, acting_user=provincial_board, year=2025,
                                        values={"participants": 12})
    assert saved.reported_by == provincial_board
    assert not policies.can_report_results(provincial_board, foreign)
    with pytest.raises(PermissionDenied):
        services.yearly_result_save(initiative=foreign, acting_user=provincial_board, year=2025, values={})
    # A reviewer has no right to record results, in the admin or anywhere.
    assert not policies.can_report_results(commune_reviewer, mine)


def test_unit_staff_cannot_report_results_of_another_body_of_their_commune(unit_staff, commune_reviewer, scenario):
    neighbour = services.initiative_accept(initiative=scenario["same_commune"], acting_user=commune_reviewer)
    # Unit staff hold the right to record results through their role…
    assert unit_staff.has_perm(policies.YEARLY_RESULT_CHANGE_PERMISSION)
    # The commune covers the neighbour's unit, but unit staff see only their own organisation's rows.
    assert not Initiative.objects.visible_to(unit_staff).filter(pk=neighbour.pk).exists()
    assert not policies.can_report_results(unit_staff, neighbour)
    with pytest.raises(PermissionDenied):
        services.yearly_result_save(initiative=neighbour, acting_user=unit_staff, year=2025, values={})


def test_only_the_owner_edits_a_registration_even_when_calling_the_service(unit_staff, commune_reviewer,
                                                                            provincial_board):
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)
    for intruder in (commune_reviewer, provincial_board):
        with pytest.raises(PermissionDenied):
            services.initiative_update(initiative=draft, acting_user=intruder, values={"title": "Đổi tên"},
                                       expected_version=draft.version)
    draft.refresh_from_db()
    assert draft.title != "Đổi tên"


def test_registering_needs_the_permission_even_for_an_organisation_in_scope(provincial_board, scenario):
    organization = scenario["sibling"].organization  # in the board's province
    with pytest.raises(PermissionDenied):
        services.initiative_create(acting_user=provincial_board, organization=organization,
                                   title="Mô hình do ban tỉnh tự đăng ký", field=scenario["sibling"].field,
                                   registration_year=2025)
    assert not Initiative.objects.filter(title="Mô hình do ban tỉnh tự đăng ký").exists()


def test_an_organisation_saved_in_the_admin_leaves_an_audit_entry(client, provincial_board):
    client.force_login(provincial_board)
    response = client.post(reverse("admin:models_registry_organization_add"), {
        "name": "Hội Người cao tuổi xã Sơn Hà", "category": "front", "unit": unit("Xã Sơn Hà").pk, "is_active": "on",
    })
    assert response.status_code == 302
    created = Organization.objects.get(name="Hội Người cao tuổi xã Sơn Hà")
    entry = AuditEntry.objects.for_object(created).get()
    assert (entry.action, entry.actor, entry.unit) == ("organization.created", provincial_board, unit("Xã Sơn Hà"))

    refused = client.post(reverse("admin:models_registry_organization_add"), {
        "name": "Hội ngoài tỉnh", "category": "front", "unit": unit("Phường Hải Châu").pk, "is_active": "on",
    })
    assert refused.status_code == 200  # the unit is not even offered: outside the province
    assert not Organization.objects.filter(name="Hội ngoài tỉnh").exists()


def test_every_admin_writes_through_a_service(admin_user):
    """Each registered admin that can add, change or delete has its own save/delete (calling a service), no
    bulk delete, and inlines that are read-only unless the admin saves them itself."""
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    problems = []
    for model, model_admin in admin.site._registry.items():
        cls = type(model_admin)
        label = model._meta.label
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            if cls.save_model is admin.ModelAdmin.save_model:
                problems.append(f"{label}: Django's save_model")
        if model_admin.has_delete_permission(request):
            if cls.delete_model is admin.ModelAdmin.delete_model:
                problems.append(f"{label}: Django's delete_model")
            if "delete_selected" in model_admin.get_actions(request):
                problems.append(f"{label}: bulk delete")
        writable_inlines = [inline for inline in model_admin.inlines if not issubclass(inline, ReadOnlyMixin)]
        if writable_inlines and cls.save_formset is admin.ModelAdmin.save_formset:
            problems.append(f"{label}: inlines saved by Django ({writable_inlines})")
    assert problems == []


# --- One scope rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_row_is_covered_exactly_when_its_list_shows_it(request, persona, scenario, private_media):
    user = request.getfixturevalue(persona)
    for initiative in scenario.values():
        YearlyResultFactory(initiative=initiative, year=2024)
    admin = get_user_model().objects.create_superuser("quantri_phu", "p@example.vn", "x")
    Initiative.objects.filter(pk=scenario["own_org"].pk).update(status=InitiativeStatus.RETURNED)
    scenario["own_org"].refresh_from_db()
    attachment = services_attach(scenario["own_org"], admin)
    scope = UserScope.of(user)
    models = (Initiative, Organization, YearlyResult, InitiativeTransition, Attachment, AdministrativeUnit,
              UnitSuccession)
    for model in models:
        rows = model.objects.all() if model is not AdministrativeUnit else AdministrativeUnit.objects.filter(
            pk__in=[i.unit_id for i in scenario.values()])
        visible = set(model.objects.visible_to(user).values_list("pk", flat=True))
        for row in rows:
            assert scope.covers(row) == (row.pk in visible), (persona, model.__name__, str(row))
    assert attachment.pk is not None


def services_attach(initiative, user):
    from models_registry.attachments import attachment_add

    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    return attachment_add(initiative=initiative, acting_user=user, uploaded=pdf, kind="plan")


# --- The replication rule, through every path -------------------------------------------------------------


def test_only_accepted_models_may_be_replicated_whatever_the_path(client, unit_staff, provincial_board, scenario):
    proven = services.initiative_accept(initiative=scenario["sibling"], acting_user=provincial_board)
    pending = scenario["same_commune"]  # submitted, not yet proven
    own = unit_staff.staff_profile.organization

    # The service, whoever calls it.
    with pytest.raises(ValidationError):
        services.initiative_create(acting_user=unit_staff, organization=own, title="Nhân rộng chưa được",
                                   field=proven.field, registration_year=2025, origin="replicated",
                                   replicated_from=pending)
    copy = services.initiative_create(acting_user=unit_staff, organization=own, title="Nhân rộng được",
                                      field=proven.field, registration_year=2025, origin="replicated",
                                      replicated_from=proven)
    with pytest.raises(ValidationError):
        services.initiative_update(initiative=copy, acting_user=unit_staff, values={"replicated_from": pending},
                                   expected_version=copy.version)

    client.force_login(unit_staff)
    # The staff form's search and the admin's picker (the board's) offer the same models.
    found = json.loads(client.get(reverse("portal:catalogue_search_json"), {"q": "mo hinh"}).content)
    assert {item["id"] for item in found["results"]} == {proven.pk}
    client.force_login(provincial_board)
    picked = json.loads(client.get(reverse("admin:autocomplete"), {
        "app_label": "models_registry", "model_name": "initiative", "field_name": "replicated_from",
        "term": "mo hinh"}).content)
    assert {int(item["id"]) for item in picked["results"]} == {proven.pk}

    # An import row naming a pending model is refused with its reason, and nothing is written.
    header = "code,title,kind,origin,replicated_from_code,organization_id,field_code,registration_year\n"
    row = f",Nhân rộng qua tệp,collective,replicated,{pending.code},{own.pk},kinh-te,2025\n"
    before = Initiative.objects.count()
    unit_staff.user_permissions.add(*Permission.objects.filter(codename__in=["import_initiative", "use_admin"]))
    get_user_model().objects.filter(pk=unit_staff.pk).update(is_staff=True)
    client.force_login(get_user_model().objects.get(pk=unit_staff.pk))
    response = client.post(reverse("admin:models_registry_initiative_import"), {
        "format": "0", "resource": "0",
        "import_file": SimpleUploadedFile("tep.csv", (header + row).encode(), content_type="text/csv"),
    })
    assert f"mô hình được nhân rộng {pending.code} không phải là mô hình đã được chấp nhận" in \
        response.content.decode()
    assert Initiative.objects.count() == before


# --- Scope data stays whole -------------------------------------------------------------------------------


def test_moving_a_unit_carries_its_subtree_and_its_old_units_and_scopes_follow(scenario, commune_reviewer):
    minh_long = unit("Xã Minh Long")
    son_ha = unit("Xã Sơn Hà")
    old_long_hiep = unit("Xã Long Hiệp", "pre2025")
    assert old_long_hiep.current_path == minh_long.path

    # Pretend a reform moves Xã Minh Long under Xã Sơn Hà (the tree has any depth).
    minh_long.parent = son_ha
    minh_long.save()

    minh_long.refresh_from_db()
    old_long_hiep.refresh_from_db()
    assert minh_long.path == f"{son_ha.path}{minh_long.code}/"
    assert old_long_hiep.current_path == minh_long.path
    # The province's board still sees the commune's models; Sơn Hà's scope now covers them too.
    sibling_scope = UserScope(unit=son_ha)
    for key in ("old_commune", "same_commune"):
        assert sibling_scope.covers(Initiative.objects.get(pk=scenario[key].pk))
    assert Initiative.objects.filter(unit__in=AdministrativeUnit.objects.subtree_of(son_ha).values("pk"),
                                     pk=scenario["old_commune"].pk).exists()


def test_bulk_actions_are_not_offered_where_they_would_bypass_a_service(client, admin_user):
    client.force_login(admin_user)
    for name in ("initiative", "attachment", "organization"):
        page = client.get(reverse(f"admin:models_registry_{name}_changelist"), {"awaiting": "all"})
        assert 'value="delete_selected"' not in page.content.decode()
    assert helpers.ACTION_CHECKBOX_NAME  # the admin's selection still works for the workflow actions


# --- Fail closed -----------------------------------------------------------------------------------------


def test_reading_a_scoped_model_without_saying_for_whom_fails_while_a_request_is_served(unit_staff, scenario):
    from models_registry.middleware import ScopeCheckMiddleware
    from models_registry.scope import ScopeError

    seen = {}

    def careless_view(request):
        with pytest.raises(ScopeError):
            Initiative.objects.filter(status=InitiativeStatus.SUBMITTED).count()
        with pytest.raises(ScopeError):
            Organization.objects.all()
        seen["visible"] = Initiative.objects.visible_to(request.user).count()
        seen["public"] = Initiative.objects.public().count()
        seen["on purpose"] = Initiative.unscoped.count()
        seen["through a row"] = scenario["own_org"].organization.initiatives.count()
        return None

    request = RequestFactory().get("/")
    request.user = unit_staff
    ScopeCheckMiddleware(careless_view)(request)

    assert seen == {"visible": 1, "public": 0, "on purpose": len(scenario), "through a row": 1}
    # Outside a request (management commands, the shell, tests) nothing is checked.
    assert Initiative.objects.count() == len(scenario)


# --- Migrations ---------------------------------------------------------------------------------------------


def test_a_database_built_by_older_migrations_is_recognised_and_not_migrated_over(units):
    from django.core.management import CommandError, call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from models_registry.database import stale_migrations

    assert stale_migrations() == []
    MigrationRecorder.Migration.objects.create(app="models_registry", name="0014_merge_20261202_1029")
    assert stale_migrations() == ["models_registry.0014_merge_20261202_1029"]
    if connection.vendor == "postgresql":  # SQLite's demo file is moved aside instead (not in memory)
        with pytest.raises(CommandError, match="phiên bản cũ"):
            call_command("check_database")
