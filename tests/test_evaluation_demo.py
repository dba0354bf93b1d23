"""After `make run`'s seeding, the evaluation flow is there to see, and every demo persona has work to do."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from evaluations.models import Conference, ConferenceStatus, LatestRating, Nomination
from models_registry.plugins import tasks_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(units):
    call_command("seed_demo", "--initiatives", "150", "--seed", "11", stdout=open("/dev/null", "w"))
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))


def test_every_demo_persona_opens_onto_work_to_do(seeded):
    for username in ("bantinh", "thamdinh.xa", "canbo.donvi", "hoidong", "thuky.hoidong"):
        user = get_user_model().objects.get(username=username)
        waiting = {str(task.label): task.count for task in tasks_for(user)}
        assert any(waiting.values()), (username, waiting)
    reviewer = get_user_model().objects.get(username="thamdinh.xa")
    assert {str(t.label): t.count for t in tasks_for(reviewer)}["Đăng ký đang chờ bạn thẩm định"] > 0


def test_past_conferences_rate_most_models_maintained_and_a_minority_highly_effective(seeded):
    closed = Nomination.unscoped.filter(conference__status=ConferenceStatus.CLOSED)
    counts = dict(closed.values_list("rating__name").annotate(n=Count("pk")))
    assert counts["Đạt"] == max(counts.values())
    assert 0 < counts["Tiêu biểu"] < counts["Hiệu quả"]
    levels = set(Conference.unscoped.filter(status=ConferenceStatus.CLOSED).values_list("level", flat=True))
    assert levels == {1, 2, 3}  # province, district (before 2025) and commune
    assert LatestRating.objects.exists()


def test_one_province_conference_is_open_with_the_demo_council(seeded):
    conference = Conference.unscoped.get(status=ConferenceStatus.SCORING)
    seats = dict(conference.members.values_list("user__username", "role"))
    assert seats["bantinh"] == "chair" and seats["thuky.hoidong"] == "secretary" and seats["hoidong"] == "member"
    assert conference.nominations.filter(sheets_submitted__gt=0).exists()  # scoring under way


def test_seeding_twice_adds_no_second_conference(seeded):
    before = Conference.unscoped.count()
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))
    call_command("seed_demo", "--if-empty", stdout=open("/dev/null", "w"))
    assert Conference.unscoped.count() == before


def test_demo_commendations_follow_the_rules_and_the_ratings(seeded):
    from awards.models import Commendation, CommendationStatus
    from awards.services import eligibility_errors

    approved = list(Commendation.unscoped.filter(status=CommendationStatus.APPROVED).select_related(
        "decision", "award_form__min_rating", "nomination__rating", "nomination__conference"))
    assert approved
    for commendation in approved:
        assert commendation.nomination.proposed_for_commendation
        assert commendation.decision.date.year == commendation.nomination.conference.year_to
        assert eligibility_errors(commendation, on=commendation.decision.date, approving=True) == []
        assert commendation.prize_amount > 0
