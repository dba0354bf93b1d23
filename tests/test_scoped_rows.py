"""Status changes and yearly results are scoped by their own copy of where their initiative stands (its unit,
whether it is still a draft): every persona sees exactly the rows of its area, the copy follows a unit moved or
merged and a draft that is submitted, and the home page's national figures are tallies kept in step on write."""

import pytest
from django.urls import reverse

from models_registry import roles, services
from models_registry.models import (
    AdministrativeUnit,
    Initiative,
    InitiativeStatus,
    InitiativeTally,
    InitiativeTransition,
    YearlyResult,
)
from models_registry.scope import UserScope, is_province_on_current_map
from models_registry.statistics import refresh_tallies

from .factories import InitiativeFactory, YearlyResultFactory, persona, standard_field, unit

pytestmark = pytest.mark.django_db

PERSONAS = ("commune_reviewer", "district_reviewer", "provincial_board", "unit_staff", "other_province_staff")


def log_of(scenario):
    """A first transition for every scenario initiative, through the model's save (as the services write it)."""
    for initiative in scenario.values():
        InitiativeTransition.unscoped.create(initiative=initiative, from_status="", to_status=initiative.status)
        YearlyResultFactory(initiative=initiative, year=2024)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_the_rows_of_the_initiatives_it_sees(request, persona, scenario):
    user = request.getfixturevalue(persona)
    log_of(scenario)
    initiatives = set(Initiative.objects.visible_to(user).values_list("pk", flat=True))
    for model in (InitiativeTransition, YearlyResult):
        rows = model.objects.visible_to(user)
        assert set(rows.values_list("initiative_id", flat=True)) == initiatives, (persona, model.__name__)
        for row in model.objects.all():
            assert UserScope.of(user).covers(row) == (row.initiative_id in initiatives), (persona, str(row))


def test_the_rows_carry_their_initiatives_unit_whichever_way_they_are_written(scenario):
    initiative = scenario["old_commune"]
    saved = InitiativeTransition.unscoped.create(initiative=initiative, from_status="", to_status="submitted")
    # A bulk insert (the seeding) skips save(); rows built with the initiative's id only are filled too.
    bulk = InitiativeTransition.objects.bulk_create([
        InitiativeTransition(initiative_id=scenario["danang"].pk, to_status="submitted"),
        InitiativeTransition(initiative=initiative, to_status="accepted")])
    assert [row.unit_id for row in (saved, *bulk)] == [initiative.unit_id, scenario["danang"].unit_id,
                                                       initiative.unit_id]
    assert YearlyResultFactory(initiative=initiative).unit_id == initiative.unit_id


def test_a_submitted_draft_shows_its_log_to_the_reviewer(unit_staff, commune_reviewer):
    draft = services.initiative_create(
        acting_user=unit_staff, organization=unit_staff.staff_profile.organization, title="Mô hình mới",
        field=standard_field(), registration_year=2025, situation="Khó khăn", objectives="Mục tiêu",
        content_methods="Cách làm", contact_name="Lan", contact_phone="0905123456")
    log = InitiativeTransition.objects.filter(initiative=draft)
    assert log.get().draft
    assert not log.visible_to(commune_reviewer).exists()
    assert log.visible_to(unit_staff).exists()  # the owner's

    services.initiative_submit(initiative=draft, acting_user=unit_staff)

    assert not log.filter(draft=True).exists()
    assert log.visible_to(commune_reviewer).count() == 2
    assert all(UserScope.of(commune_reviewer).covers(row) for row in log)


def test_the_rows_follow_a_unit_moved_or_merged(scenario, commune_reviewer):
    log_of(scenario)
    old_district = scenario["old_district"]  # old Xã Sơn Hạ: today inside another commune than Minh Long
    reviewer_rows = InitiativeTransition.objects.visible_to(commune_reviewer)
    assert not reviewer_rows.filter(initiative=old_district).exists()

    # A correction of the map: the old commune now maps into today's Xã Minh Long.
    old_unit = AdministrativeUnit.objects.get(pk=old_district.unit_id)
    old_unit.current_unit = unit("Xã Minh Long")
    old_unit.save()
    assert reviewer_rows.filter(initiative=old_district).exists()
    assert YearlyResult.objects.visible_to(commune_reviewer).filter(initiative=old_district).exists()

    # Today's Xã Minh Long moves under Xã Sơn Hà (the tree has any depth): Sơn Hà's scope covers its rows too.
    minh_long = unit("Xã Minh Long")
    minh_long.parent = unit("Xã Sơn Hà")
    minh_long.save()
    son_ha = persona(role=roles.REVIEWER, unit_obj=unit("Xã Sơn Hà"), username="thamdinh_sonha")
    covered = set(InitiativeTransition.objects.visible_to(son_ha).values_list("initiative_id", flat=True))
    assert {scenario[key].pk for key in ("own_org", "same_commune", "old_commune", "old_district")} <= covered


def test_a_whole_province_reads_its_rows_by_province_as_the_subtree_rule_would(scenario, provincial_board):
    """Today's Quảng Ngãi reads its rows through their province copy: the same rows as its units' subtree, the
    old Quảng Ngãi and Kon Tum included, the old Quảng Nam (today Đà Nẵng) and Đà Nẵng left out."""
    log_of(scenario)
    province = unit("Tỉnh Quảng Ngãi")
    assert is_province_on_current_map(province)
    subtree = AdministrativeUnit.objects.subtree_of(province).values("pk")
    for model in (Initiative, InitiativeTransition, YearlyResult):
        visible = model.objects.visible_to(provincial_board)
        assert "province_id" in str(visible.query), model.__name__  # the indexed copy is what is read
        by_subtree = model.unscoped.filter(unit_id__in=subtree).exclude(
            **{"status" if model is Initiative else "draft": "draft" if model is Initiative else True})
        assert set(visible.values_list("pk", flat=True)) == set(by_subtree.values_list("pk", flat=True))
    shown = set(Initiative.objects.visible_to(provincial_board).values_list("pk", flat=True))
    assert {scenario[key].pk for key in ("own_org", "sibling", "old_commune", "old_district")} <= shown
    assert not {scenario["old_quang_nam"].pk, scenario["danang"].pk} & shown
    # A commune, or a province of the old map, is not: they keep reading the subtree of their units.
    assert not is_province_on_current_map(unit("Xã Minh Long"))
    assert not is_province_on_current_map(unit("Tỉnh Quảng Ngãi", "pre2025"))


def test_the_province_copy_follows_a_unit_moved_to_another_province(scenario, provincial_board):
    log_of(scenario)
    danang_board = persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"), username="ban_dn")
    moved = scenario["sibling"]
    assert Initiative.objects.visible_to(provincial_board).filter(pk=moved.pk).exists()

    # A correction of the map: Xã Sơn Hà belongs under Đà Nẵng.
    son_ha = unit("Xã Sơn Hà")
    son_ha.parent = unit("Thành phố Đà Nẵng")
    son_ha.save()
    for model, lookup in ((Initiative, "pk"), (InitiativeTransition, "initiative"), (YearlyResult, "initiative")):
        assert not model.objects.visible_to(provincial_board).filter(**{lookup: moved.pk}).exists()
        assert model.objects.visible_to(danang_board).filter(**{lookup: moved.pk}).exists()

    # An old commune of Quảng Nam remapped onto a commune of Quảng Ngãi moves its rows with it.
    old = AdministrativeUnit.objects.get(pk=scenario["old_quang_nam"].unit_id)
    old.current_unit = unit("Xã Minh Long")
    old.save()
    assert Initiative.objects.visible_to(provincial_board).filter(pk=scenario["old_quang_nam"].pk).exists()
    assert YearlyResult.objects.visible_to(provincial_board).filter(initiative=scenario["old_quang_nam"]).exists()
    assert not Initiative.objects.visible_to(danang_board).filter(pk=scenario["old_quang_nam"].pk).exists()


def test_every_write_path_sets_the_province(scenario):
    quang_ngai, danang = unit("Tỉnh Quảng Ngãi"), unit("Thành phố Đà Nẵng")
    assert scenario["own_org"].province_id == quang_ngai.pk  # save()
    assert scenario["old_quang_nam"].province_id == danang.pk  # an old unit counts under today's province
    built = InitiativeFactory.build(organization=scenario["danang"].organization)
    [bulk] = Initiative.unscoped.bulk_create([built])
    assert Initiative.unscoped.get(pk=bulk.pk).province_id == danang.pk
    row = InitiativeTransition.unscoped.create(initiative_id=bulk.pk, to_status="draft")
    assert (row.province_id, row.unit_id) == (danang.pk, bulk.unit_id)


@pytest.mark.parametrize("model", ["initiativetransition", "yearlyresult"])
def test_the_admin_lists_and_their_unit_filter_refuse_rows_outside_the_scope(client, scenario, commune_reviewer,
                                                                              model):
    log_of(scenario)
    client.force_login(commune_reviewer)
    url = reverse(f"admin:models_registry_{model}_changelist")
    shown = {row.initiative_id for row in client.get(url).context["cl"].result_list}
    assert scenario["same_commune"].pk in shown and scenario["danang"].pk not in shown
    # A unit outside the scope typed into the filter shows nothing, not that unit's rows.
    outside = client.get(url, {"unit_scope": scenario["danang"].unit_id})
    assert list(outside.context["cl"].result_list) == []
    foreign = (InitiativeTransition if model == "initiativetransition" else YearlyResult).objects.get(
        initiative=scenario["danang"])
    assert client.get(reverse(f"admin:models_registry_{model}_change", args=[foreign.pk])).status_code == 404


# --- The home page's tallies ---------------------------------------------------------------------------------


def figures_now():
    return {name: sum(getattr(t, name) for t in InitiativeTally.objects.all())
            for name in ("registered", "recognised", "running", "value_mobilised")}


def test_the_tallies_follow_every_write_and_match_a_full_recount(units, unit_staff, commune_reviewer):
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT,
                              registration_year=2025)
    assert figures_now()["registered"] == 0  # a draft is not a registration yet
    services.initiative_submit(initiative=draft, acting_user=unit_staff)
    accepted = services.initiative_accept(initiative=draft, acting_user=commune_reviewer)
    services.yearly_result_save(initiative=accepted, acting_user=unit_staff, year=2025,
                                values={"value_mobilised": 5_000_000})
    assert figures_now() == {"registered": 1, "recognised": 1, "running": 1, "value_mobilised": 5_000_000}
    services.initiative_discontinue(initiative=accepted, acting_user=unit_staff, reason="Dừng", year=2025)
    assert figures_now()["running"] == 0

    returned = InitiativeFactory(organization=unit_staff.staff_profile.organization,
                                 status=InitiativeStatus.RETURNED, registration_year=2025)
    services.initiative_update(initiative=returned, acting_user=unit_staff, values={"registration_year": 2024},
                               expected_version=returned.version)
    by_year = {t.registration_year: t.registered for t in InitiativeTally.objects.filter(registered__gt=0)}
    assert by_year == {2025: 1, 2024: 1}  # counted in the year it moved to, no longer in the one it left

    kept = sorted(InitiativeTally.objects.values_list("registration_year", "field_id", "registered", "recognised",
                                                      "running", "value_mobilised"))
    refresh_tallies()
    assert sorted(InitiativeTally.objects.values_list("registration_year", "field_id", "registered", "recognised",
                                                      "running", "value_mobilised")) == kept


def test_a_first_visit_of_the_home_page_counts_no_registration(client, units):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    InitiativeFactory(status=InitiativeStatus.ACCEPTED)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("portal:home"))
    assert response.context["figures"].recognised == 1
    aggregates = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] or "SUM(" in q["sql"]]
    assert not [sql for sql in aggregates if 'FROM "models_registry_initiative"' in sql
                and "LIMIT" not in sql and "latestrating" not in sql]


@pytest.mark.parametrize("model", ["initiativetransition", "yearlyresult"])
def test_a_province_searches_its_rows_by_their_initiatives_text(client, scenario, provincial_board, model):
    log_of(scenario)
    client.force_login(provincial_board)
    url = reverse(f"admin:models_registry_{model}_changelist")

    def found(query):
        return {row.initiative_id for row in client.get(url, {"q": query}).context["cl"].result_list}

    assert found("hu gao") == {scenario["own_org"].pk}  # "Hũ gạo tình thương", without diacritics
    assert found("que") == {scenario["old_district"].pk}  # an old unit of the province: "trồng quế"
    assert found("hai chau") == set()  # Đà Nẵng's model, outside the province
