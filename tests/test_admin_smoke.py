"""Every admin page a superuser can reach renders, in Vietnamese, with bounded queries."""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import reverse

from models_registry.models import Attachment, Initiative
from models_registry.services import initiative_accept

from .evaluation_factories import score_all, scoring_conference
from .factories import InitiativeFactory, YearlyResultFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


def registered_model(app_label, model_name):
    return next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app_label, model_name))


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_every_changelist_renders_for_a_superuser(superuser_client, scenario, app_label, model_name):
    response = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_every_add_page_renders_or_is_refused_on_purpose(superuser_client, units, app_label, model_name):
    model_admin = admin.site._registry[registered_model(app_label, model_name)]
    response = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    # Read-only logs (the transition log) have no add page; everything else must render it.
    expected = 200 if model_admin.has_add_permission(response.wsgi_request) else 403
    assert response.status_code == expected


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_every_change_page_renders_for_a_superuser(superuser_client, admin_user, scenario, app_label, model_name,
                                                   private_media):
    model = registered_model(app_label, model_name)
    initiative = scenario["own_org"]
    YearlyResultFactory(initiative=initiative)
    initiative_accept(initiative=initiative, acting_user=admin_user)
    attachment = Attachment(initiative=initiative, original_name="ke-hoach.pdf", content_type="application/pdf",
                            size=9)
    attachment.file.save("ke-hoach.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    initiative.refresh_from_db()
    conference, seats = scoring_conference(admin_user, initiative.unit, [initiative])
    score_all(conference, seats[:1], {initiative.code: [80]})
    close_and_commend(admin_user, conference)
    from reports.models import ReportJob

    ReportJob.objects.create(user=admin_user, scope=initiative.unit.parent, year_from=2025, year_to=2025)
    obj = model._default_manager.first()
    if obj is None:
        pytest.skip(f"no {model_name} row in the scenario")
    response = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))
    assert response.status_code == 200


def close_and_commend(user, conference):
    import datetime

    from awards import services as award_services
    from awards.models import AwardForm
    from evaluations.services import conference_close

    conference_close(acting_user=user, conference=conference)
    proposals = award_services.propose_from_results(
        acting_user=user, nominations=list(conference.nominations.all()),
        award_form=AwardForm.objects.get(name="Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"))
    award_services.approve(acting_user=user, commendations=proposals, number="1/QĐ-BTGDV",
                           date=datetime.date(2025, 12, 20), signer="Trần Văn An")


def test_admin_pages_speak_vietnamese(superuser_client, scenario):
    response = superuser_client.get(reverse("admin:models_registry_initiative_changelist"))
    content = response.content.decode()
    assert "Trạng thái" in content  # "status"
    assert "Năm đăng ký" in content  # "registration year"


def test_search_ignores_accents_and_capitals(superuser_client, scenario):
    response = superuser_client.get(reverse("admin:models_registry_initiative_changelist"), {"q": "HU GAO tinh"})
    content = response.content.decode()
    assert scenario["own_org"].code in content
    assert scenario["danang"].code not in content


def test_search_finds_organisations_by_unaccented_name(superuser_client, scenario):
    response = superuser_client.get(reverse("admin:models_registry_organization_changelist"), {"q": "cuu chien binh"})
    content = response.content.decode()
    assert "Hội Cựu chiến binh xã Sơn Hà" in content
    assert "Hội Nông dân xã Minh Long" not in content


def test_initiative_changelist_queries_do_not_grow_with_rows(superuser_client, scenario,
                                                             django_assert_max_num_queries):
    for _ in range(30):
        InitiativeFactory(organization=scenario["sibling"].organization)
    assert Initiative.objects.count() > 30
    with django_assert_max_num_queries(9):
        response = superuser_client.get(reverse("admin:models_registry_initiative_changelist"))
    assert response.status_code == 200


def test_scoped_changelist_queries_do_not_grow_with_rows(client, provincial_board, scenario,
                                                         django_assert_max_num_queries):
    for _ in range(30):
        YearlyResultFactory(initiative=InitiativeFactory(organization=scenario["sibling"].organization))
    client.force_login(provincial_board)
    for name in ("initiative", "yearlyresult", "organization"):
        # 13: the initiative list also counts the drafts being written in the area.
        with django_assert_max_num_queries(13):
            response = client.get(reverse(f"admin:models_registry_{name}_changelist"), {"p": 1})
        assert response.status_code == 200


def test_big_changelists_run_no_distinct_and_a_single_count(superuser_client, scenario):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ("initiative", "yearlyresult", "initiativetransition", "organization", "administrativeunit"):
        with CaptureQueriesContext(connection) as queries:
            response = superuser_client.get(reverse(f"admin:models_registry_{name}_changelist"),
                                            {"q": "minh long"} if name == "organization" else {})
        assert response.status_code == 200
        sql = [query["sql"].upper() for query in queries.captured_queries]
        assert not any("DISTINCT" in statement for statement in sql), name
        # No unfiltered full count: one count of the list, or (a search) the keys of its matches instead.
        assert sum("COUNT(" in statement for statement in sql) == (0 if name == "organization" else 1), name


def test_succession_search_ignores_accents(superuser_client, units):
    response = superuser_client.get(reverse("admin:models_registry_unitsuccession_changelist"), {"q": "long hiep"})
    rows = [str(row) for row in response.context["cl"].result_list]
    assert "Xã Long Hiệp (cũ) → Xã Minh Long" in rows
    assert all("Hiệp" in row and "Long" in row for row in rows)  # every word, on either side
