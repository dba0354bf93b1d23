"""The commendation register in the admin: proposing from results, approving onto a decision, rejecting,
filtering, and refusing every other scope."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from awards.models import AwardForm, Commendation, CommendationStatus, Decision
from evaluations import services as evaluation_services
from models_registry import roles
from models_registry.plugins import tasks_for

from .evaluation_factories import accepted, score_all, scoring_conference
from .factories import InitiativeFactory, organization_in, persona, unit

PROVINCIAL_GIAY_KHEN = "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"


@pytest.fixture
def closed_conference(commune_reviewer, units):
    women = organization_in("Xã Minh Long", name="Hội Liên hiệp Phụ nữ xã Minh Long")
    farmers = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    best, maintained = accepted(
        InitiativeFactory(organization=women, title="Hũ gạo tình thương", registration_year=2025),
        InitiativeFactory(organization=farmers, title="Nông dân giúp nhau", registration_year=2025))
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), [best, maintained])
    score_all(conf, seats, {best.code: [95, 93, 92], maintained.code: [60, 62, 61]})
    evaluation_services.result_decide(acting_user=seats[0].user, nomination=conf.nominations.get(initiative=best),
                                      proposed_for_commendation=True, recognised=True)
    evaluation_services.conference_close(acting_user=seats[0].user, conference=conf)
    return conf


@pytest.fixture
def danang_board(units):
    return persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"), username="ban_danang")


def propose_from(client, conference, nominations, form_name=PROVINCIAL_GIAY_KHEN):
    return client.post(reverse("admin:awards_commendation_from_results"), {
        "conference": conference.pk, "award_form": AwardForm.objects.get(name=form_name).pk,
        "nomination": [n.pk for n in nominations], "confirm": "1"})


def test_the_board_proposes_from_results_and_approves_onto_a_decision(client, provincial_board, closed_conference):
    client.force_login(provincial_board)
    page = client.get(reverse("admin:awards_commendation_from_results"), {"conference": closed_conference.pk})
    content = page.content.decode()
    best = closed_conference.nominations.get(proposed_for_commendation=True)
    assert f'value="{best.pk}" id="de-nghi-{best.pk}" aria-label="{best.initiative.code}" checked' in content
    assert propose_from(client, closed_conference, [best]).status_code == 302
    proposal = Commendation.objects.visible_to(provincial_board).get()
    assert (proposal.status, proposal.organization.name) == (CommendationStatus.PROPOSED,
                                                             "Hội Liên hiệp Phụ nữ xã Minh Long")
    assert {str(t.label): t.count for t in tasks_for(provincial_board)}[
        "Đề nghị khen thưởng đang chờ bạn quyết định"] == 1

    changelist = reverse("admin:awards_commendation_changelist")
    asked = client.post(changelist, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [proposal.pk]})
    assert asked.status_code == 200 and "Số quyết định" in asked.content.decode()
    assert not Decision.unscoped.exists()  # the confirmation page writes nothing
    done = client.post(changelist, {
        "action": "approve_selected", ACTION_CHECKBOX_NAME: [proposal.pk], "confirm": "1",
        "number": "215/QĐ-BTGDVTU", "date": "20/12/2025", "signer": "Trần Thị Hạnh", "prize_amount": "1170000"})
    decision = Decision.objects.visible_to(provincial_board).get()
    assert done.status_code == 302 and done["Location"] == reverse("admin:awards_decision_change",
                                                                   args=[decision.pk])
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision, proposal.prize_amount) == ("approved", decision, 1_170_000)
    decision_page = client.get(done["Location"]).content.decode()
    assert "Hội Liên hiệp Phụ nữ xã Minh Long" in decision_page
    # The same proposal cannot be approved a second time (a double click).
    again = client.post(changelist, {
        "action": "approve_selected", ACTION_CHECKBOX_NAME: [proposal.pk], "confirm": "1",
        "number": "216/QĐ-BTGDVTU", "date": "20/12/2025", "signer": "Trần Thị Hạnh"}, follow=True)
    assert "đã ở trạng thái" in again.content.decode()
    assert Decision.unscoped.count() == 1


def test_an_ineligible_proposal_is_refused_with_the_reason(client, provincial_board, closed_conference):
    client.force_login(provincial_board)
    maintained = closed_conference.nominations.get(rating__name="Đạt")
    response = propose_from(client, closed_conference, [maintained], "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh")
    assert response.status_code == 200
    assert "cần ít nhất “Tiêu biểu”" in response.content.decode()
    assert not Commendation.unscoped.exists()


def test_rejecting_asks_for_a_reason(client, provincial_board, closed_conference):
    client.force_login(provincial_board)
    propose_from(client, closed_conference, closed_conference.nominations.filter(proposed_for_commendation=True))
    proposal = Commendation.unscoped.get()
    changelist = reverse("admin:awards_commendation_changelist")
    empty = client.post(changelist, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [proposal.pk],
                                     "confirm": "1", "reason": ""})
    assert empty.status_code == 200 and Commendation.unscoped.get().status == CommendationStatus.PROPOSED
    client.post(changelist, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [proposal.pk], "confirm": "1",
                             "reason": "Đã được khen thưởng năm trước."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reject_reason) == ("rejected", "Đã được khen thưởng năm trước.")


def test_the_register_filters(client, provincial_board, closed_conference):
    client.force_login(provincial_board)
    propose_from(client, closed_conference, closed_conference.nominations.filter(proposed_for_commendation=True))
    changelist = reverse("admin:awards_commendation_changelist")
    form = AwardForm.objects.get(name=PROVINCIAL_GIAY_KHEN)
    for query, expected in (
        ({"year": "2025"}, 1), ({"year": "2024"}, 0), ({"status__exact": "proposed"}, 1),
        ({"status__exact": "approved"}, 0), ({"award_form__id__exact": form.pk}, 1),
        ({"award_form__level__exact": "3"}, 0), ({"recipient_kind__exact": "collective"}, 1),
        ({"recipient_kind__exact": "individual"}, 0), ({"unit": unit("Xã Minh Long").pk}, 1),
        ({"unit": unit("Xã Sơn Hà").pk}, 0), ({"q": "phu nu minh long"}, 1),
    ):
        response = client.get(changelist, query)
        assert response.status_code == 200, query
        assert response.context["cl"].result_count == expected, query


def test_other_scopes_are_refused_on_every_commendation_page(client, provincial_board, danang_board, unit_staff,
                                                            closed_conference):
    client.force_login(provincial_board)
    propose_from(client, closed_conference, closed_conference.nominations.filter(proposed_for_commendation=True))
    proposal = Commendation.unscoped.get()
    changelist = reverse("admin:awards_commendation_changelist")
    client.post(changelist, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [proposal.pk], "confirm": "1",
                             "number": "9/QĐ", "date": "20/12/2025", "signer": "Trần Thị Hạnh"})
    decision = Decision.unscoped.get()

    client.force_login(danang_board)
    assert client.get(changelist).context["cl"].result_count == 0
    assert client.get(reverse("admin:awards_commendation_change", args=[proposal.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:awards_decision_change", args=[decision.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:awards_decision_changelist")).context["cl"].result_count == 0
    page = client.get(reverse("admin:awards_commendation_from_results"))
    assert closed_conference.title not in page.content.decode()
    refused = propose_from(client, closed_conference, closed_conference.nominations.all())
    assert refused.status_code == 200  # the conference is not among the choices
    assert Commendation.unscoped.count() == 1

    client.force_login(unit_staff)
    assert client.get(changelist)["Location"].startswith(reverse("admin:login"))  # unit staff work in the portal
