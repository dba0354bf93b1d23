"""Every list page runs a bounded number of SQL queries, whatever the number of rows it shows: each registered
admin changelist for an administrator, a provincial board member and a commune reviewer, the public catalogue,
the staff area's list and the council's scoring pages, over the demo data (a province with conferences,
results and commendations). A list that starts querying once per row (a relation walked in a column without
list_select_related, a filter running SELECT DISTINCT over a big table) fails here."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Conference, ConferenceStatus, Nomination

pytestmark = pytest.mark.django_db

# The target: 10 queries per list page, the session and its user included (checked at a million rows by
# `make bench`). A list may get a ceiling of its own here, with its reason, when it has one worth keeping.
LIMIT = 10
LIMITS: dict[tuple[str, str], int] = {}
# Extra parameters a list needs to show rows rather than a redirect (a reviewer opens on their work to do).
PARAMS = {"models_registry.initiative": {"awaiting": "all"}}
PAGE_LIMITS = {"catalogue": 8, "staff_list": 12, "my_conferences": 10, "conference": 15, "sheet": 10}


@pytest.fixture
def seeded(units):
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", "--initiatives", "200", "--seed", "7", stdout=devnull)
        call_command("create_demo_accounts", stdout=devnull)


def changelists(user, rf):
    """Every registered admin list this person may open."""
    request = rf.get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_module_permission(request) and model_admin.has_view_or_change_permission(request):
            yield f"{model._meta.app_label}.{model._meta.model_name}", model


def queries_of(client, url, params=None):
    client.get(url, params)  # warm: caches filled as they are on a server that has been running
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response


@pytest.mark.parametrize("username", ["admin", "bantinh", "thamdinh.xa"])
def test_every_admin_list_runs_a_bounded_number_of_queries(seeded, client, rf, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    seen, over = 0, {}
    for label, model in changelists(user, rf):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        count, response = queries_of(client, url, PARAMS.get(label))
        rows = len(response.context["cl"].result_list)
        seen += rows > 1
        if count > LIMITS.get((username, label), LIMIT):
            over[label] = (count, rows)
    assert not over, over
    assert seen >= 5  # the lists do show rows: the bound is checked where it matters


@pytest.mark.parametrize("username", ["admin", "bantinh", "thamdinh.xa"])
def test_deep_pages_and_searches_of_every_admin_list_run_a_bounded_number_of_queries(seeded, client, rf, username,
                                                                                     monkeypatch):
    """Page 3, a page far past the end, and a search (its first and third pages), with a count that stops at
    20 rows: the approximate count (the planner's estimate on PostgreSQL) and the deep page's narrow subquery
    cost no query more than page 1."""
    from models_registry.pagination import LargeListPaginator

    monkeypatch.setattr(LargeListPaginator, "count_limit", 20)
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    over = {}
    for label, model in changelists(user, rf):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        model_admin = admin.site._registry[model]
        cases = [{"p": "3"}, {"p": "5000"}]
        if model_admin.search_fields:
            cases += [{"q": "hu gao"}, {"q": "xa", "p": "3"}]
        for params in cases:
            count, _response = queries_of(client, url, {**PARAMS.get(label, {}), **params})
            if count > LIMITS.get((username, label), LIMIT):
                over[f"{label} {params}"] = count
    assert not over, over


def test_public_staff_and_scoring_lists_run_a_bounded_number_of_queries(seeded, client):
    count, response = queries_of(client, reverse("portal:catalogue"))
    assert count <= PAGE_LIMITS["catalogue"] and len(response.context["page"].object_list) > 5
    count, _response = queries_of(client, reverse("portal:catalogue"), {"q": "hu gao", "page_size": 100})
    assert count <= PAGE_LIMITS["catalogue"]
    for params in ({"page": 5}, {"page": 500}, {"q": "xa", "page": 3}):  # deep pages, past the end
        count, response = queries_of(client, reverse("portal:catalogue"), params)
        assert count <= PAGE_LIMITS["catalogue"] and response.context["page"].object_list, params

    client.force_login(get_user_model().objects.get(username="canbo.donvi"))
    count, response = queries_of(client, reverse("portal:staff_list"))
    assert count <= PAGE_LIMITS["staff_list"] and len(response.context["page"].object_list) > 1

    client.force_login(get_user_model().objects.get(username="hoidong"))
    count, _response = queries_of(client, reverse("evaluations:my_conferences"))
    assert count <= PAGE_LIMITS["my_conferences"]
    conference = Conference.unscoped.filter(status=ConferenceStatus.SCORING, members__user__username="hoidong").first()
    nominations = Nomination.unscoped.filter(conference=conference)
    assert nominations.count() > 5
    count, _response = queries_of(client, reverse("evaluations:conference", args=[conference.pk]))
    assert count <= PAGE_LIMITS["conference"]
    count, _response = queries_of(client, reverse("evaluations:sheet", args=[conference.pk, nominations.first().pk]))
    assert count <= PAGE_LIMITS["sheet"]
