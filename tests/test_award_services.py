"""Commendations through their services: every eligibility rule, the proposal → decision flow, the scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.models import AwardForm, Commendation, CommendationStatus, Decision, RecipientKind
from evaluations import services as evaluation_services
from models_registry import roles
from models_registry.models import AuditEntry, InitiativeKind

from .evaluation_factories import accepted, score_all, scoring_conference
from .factories import InitiativeFactory, organization_in, persona, unit

PROVINCE_BANG_KHEN = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
COMMUNE_GIAY_KHEN = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"
DISTRICT_GIAY_KHEN = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện"
CENTRAL_BANG_KHEN = "Bằng khen của Ban Tuyên giáo và Dân vận Trung ương"


def form(name) -> AwardForm:
    return AwardForm.objects.get(name=name)


@pytest.fixture
def results(commune_reviewer, units):
    """A closed conference of Xã Minh Long: the women's model rated Tiêu biểu, the farmers' Đạt, and an
    exemplar rated Hiệu quả."""
    women = organization_in("Xã Minh Long", name="Hội Liên hiệp Phụ nữ xã Minh Long")
    farmers = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    best, maintained, exemplar = accepted(
        InitiativeFactory(organization=women, title="Hũ gạo tình thương", registration_year=2025),
        InitiativeFactory(organization=farmers, title="Nông dân giúp nhau", registration_year=2025),
        InitiativeFactory(organization=farmers, title="Người nông dân gương mẫu", registration_year=2025,
                          kind=InitiativeKind.INDIVIDUAL, person_name="Nguyễn Văn Bình",
                          person_position="Chi hội trưởng"),
    )
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), [best, maintained, exemplar])
    score_all(conf, seats, {best.code: [95, 93, 92], maintained.code: [60, 62, 61], exemplar.code: [80, 82, 78]})
    evaluation_services.conference_close(acting_user=seats[0].user, conference=conf)
    nominations = {n.initiative_id: n for n in conf.nominations.select_related("rating", "initiative")}
    return {"best": nominations[best.pk], "maintained": nominations[maintained.pk],
            "exemplar": nominations[exemplar.pk], "conference": conf}


def proposal(nomination, name, **values):
    return services.from_result(nomination, form(name), **values)


def approve(user, commendations, **values):
    fields = {"number": "125/QĐ-UBND", "date": datetime.date(2025, 12, 20), "signer": "Nguyễn Văn Hùng",
              "prize_amount": 2_340_000, **values}
    return services.approve(acting_user=user, commendations=commendations, **fields)


# --- Eligibility -----------------------------------------------------------------------------------------


def test_the_form_must_fit_the_recipient(provincial_board, results):
    individual = proposal(results["exemplar"], CENTRAL_BANG_KHEN)  # collectives only
    assert individual.recipient_kind == RecipientKind.INDIVIDUAL
    with pytest.raises(ValidationError) as error:
        services.propose(acting_user=provincial_board, commendation=individual)
    assert "không dành cho cá nhân" in str(error.value)
    assert not Commendation.unscoped.exists()


def test_the_form_must_be_in_use_on_the_decisions_date(commune_reviewer, provincial_board, results):
    district = form(DISTRICT_GIAY_KHEN)  # the districts ended on 30/06/2025
    errors = services.eligibility_errors(proposal(results["best"], DISTRICT_GIAY_KHEN),
                                         on=datetime.date(2025, 7, 1))
    assert errors == [f"“{district.name}” không còn được sử dụng vào ngày 01/07/2025."]
    assert services.eligibility_errors(proposal(results["best"], DISTRICT_GIAY_KHEN),
                                       on=datetime.date(2025, 6, 30)) == []


def test_the_result_must_reach_the_forms_minimum_rating(provincial_board, results):
    with pytest.raises(ValidationError) as error:
        services.propose(acting_user=provincial_board,
                         commendation=proposal(results["maintained"], PROVINCE_BANG_KHEN))
    assert "xếp loại “Đạt”" in str(error.value) and "ít nhất “Tiêu biểu”" in str(error.value)
    services.propose(acting_user=provincial_board, commendation=proposal(results["best"], PROVINCE_BANG_KHEN))


def test_a_form_with_a_minimum_rating_needs_a_result(provincial_board, results):
    by_hand = Commendation(recipient_kind=RecipientKind.COLLECTIVE,
                           organization=results["best"].initiative.organization, year=2025,
                           award_form=form(PROVINCE_BANG_KHEN), justification="Nhiều thành tích")
    with pytest.raises(ValidationError, match="cần có kết quả đánh giá"):
        services.propose(acting_user=provincial_board, commendation=by_hand)


def test_by_hand_needs_a_written_justification(provincial_board, results):
    no_minimum = form("Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy")
    no_minimum.min_rating = None
    no_minimum.save()
    by_hand = Commendation(recipient_kind=RecipientKind.INDIVIDUAL, person_name="Trần Thị Mai",
                           person_position="Trưởng thôn", organization=results["best"].initiative.organization,
                           year=2025, award_form=no_minimum)
    with pytest.raises(ValidationError) as error:
        services.propose(acting_user=provincial_board, commendation=by_hand)
    assert "justification" in error.value.message_dict
    by_hand.justification = "Vận động 120 hộ hiến đất làm đường."
    services.propose(acting_user=provincial_board, commendation=by_hand)
    assert by_hand.unit == unit("Xã Minh Long")


def test_no_second_commendation_of_a_form_for_one_recipient_and_year(provincial_board, results):
    services.propose(acting_user=provincial_board, commendation=proposal(results["best"], PROVINCE_BANG_KHEN))
    with pytest.raises(ValidationError, match="đã có"):
        services.propose(acting_user=provincial_board,
                         commendation=proposal(results["best"], PROVINCE_BANG_KHEN))
    # Twice in one batch is refused too, and nothing of the batch is written.
    with pytest.raises(ValidationError, match="hai lần"):
        services.propose_many(acting_user=provincial_board, commendations=[
            proposal(results["exemplar"], "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"),
            proposal(results["exemplar"], "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy")])
    assert Commendation.unscoped.count() == 1
    # Another year is another commendation.
    services.propose(acting_user=provincial_board,
                     commendation=proposal(results["best"], PROVINCE_BANG_KHEN, year=2026))


def test_a_result_is_official_only_once_its_conference_closes(commune_reviewer, provincial_board, units):
    model = accepted(InitiativeFactory(organization=organization_in("Xã Minh Long"), registration_year=2025))[0]
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), [model])
    score_all(conf, seats, {model.code: [95, 95, 95]})
    with pytest.raises(ValidationError, match="kết thúc"):
        services.propose(acting_user=provincial_board,
                         commendation=services.from_result(conf.nominations.get(), form(PROVINCE_BANG_KHEN)))


# --- Deciding --------------------------------------------------------------------------------------------


def test_proposals_are_approved_onto_one_decision(commune_reviewer, provincial_board, results):
    proposals = services.propose_from_results(acting_user=commune_reviewer,
                                              nominations=[results["best"], results["exemplar"]],
                                              award_form=form("Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"))
    assert {p.status for p in proposals} == {CommendationStatus.PROPOSED}
    decision = approve(provincial_board, proposals)
    assert decision.issuing_unit == unit("Tỉnh Quảng Ngãi")
    assert decision.issuing_authority == "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    rows = Commendation.unscoped.filter(decision=decision)
    assert {(r.recipient_name, r.status, r.prize_amount) for r in rows} == {
        ("Hội Liên hiệp Phụ nữ xã Minh Long", "approved", 2_340_000), ("Nguyễn Văn Bình", "approved", 2_340_000)}
    assert AuditEntry.unscoped.filter(action="commendation.approved").count() == 2


def test_only_the_forms_level_decides(commune_reviewer, provincial_board, results):
    provincial = services.propose(acting_user=commune_reviewer,
                                  commendation=proposal(results["best"], PROVINCE_BANG_KHEN))
    with pytest.raises(PermissionDenied):  # a commune does not grant the province's Bằng khen
        approve(commune_reviewer, [provincial])
    communal = services.propose(acting_user=commune_reviewer,
                                commendation=proposal(results["exemplar"], COMMUNE_GIAY_KHEN))
    with pytest.raises(PermissionDenied):  # nor the province the commune's Giấy khen
        approve(provincial_board, [communal])
    approve(commune_reviewer, [communal], number="12/QĐ-UBND")
    approve(provincial_board, [provincial])
    assert Commendation.unscoped.filter(status=CommendationStatus.APPROVED).count() == 2


def test_a_batch_with_one_ineligible_proposal_writes_nothing(provincial_board, results):
    name = "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"
    good, refused = services.propose_from_results(acting_user=provincial_board, award_form=form(name),
                                                  nominations=[results["best"], results["exemplar"]])
    services.reject(acting_user=provincial_board, commendation=refused, reason="Thành tích chưa nổi bật.")
    with pytest.raises(ValidationError) as error:
        approve(provincial_board, [good, refused])
    assert "Nguyễn Văn Bình: đã ở trạng thái “không khen thưởng”" in str(error.value)
    assert not Decision.unscoped.exists()
    assert Commendation.unscoped.get(pk=good.pk).status == CommendationStatus.PROPOSED


def test_a_district_form_cannot_be_proposed_after_the_reform(provincial_board, results):
    with pytest.raises(ValidationError, match="không còn được sử dụng vào ngày 31/12/2025"):
        services.propose(acting_user=provincial_board, commendation=proposal(results["best"], DISTRICT_GIAY_KHEN))


def test_one_decision_grants_one_form(provincial_board, results):
    a = services.propose(acting_user=provincial_board, commendation=proposal(results["best"], PROVINCE_BANG_KHEN))
    b = services.propose(acting_user=provincial_board, commendation=proposal(
        results["exemplar"], "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"))
    with pytest.raises(ValidationError, match="cùng một hình thức"):
        approve(provincial_board, [a, b])
    assert not Decision.unscoped.exists()


def test_approving_checks_the_rules_again_on_the_decisions_date(provincial_board, results):
    proposed = services.propose(acting_user=provincial_board, commendation=proposal(
        results["best"], "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"))
    AwardForm.objects.filter(pk=proposed.award_form_id).update(valid_until=datetime.date(2025, 12, 1))
    with pytest.raises(ValidationError, match="không còn được sử dụng"):
        approve(provincial_board, [proposed], date=datetime.date(2025, 12, 20))
    assert not Decision.unscoped.exists()


def test_rejecting_needs_a_reason_and_happens_once(provincial_board, results):
    proposed = services.propose(acting_user=provincial_board,
                                commendation=proposal(results["best"], PROVINCE_BANG_KHEN))
    with pytest.raises(ValidationError):
        services.reject(acting_user=provincial_board, commendation=proposed, reason=" ")
    services.reject(acting_user=provincial_board, commendation=proposed, reason="Chưa đủ thời gian duy trì.")
    with pytest.raises(ValidationError):
        services.reject(acting_user=provincial_board, commendation=proposed, reason="Lần hai")
    with pytest.raises(ValidationError):
        approve(provincial_board, [proposed])
    # A rejected proposal does not stand in the way of a new one.
    services.propose(acting_user=provincial_board, commendation=proposal(results["best"], PROVINCE_BANG_KHEN))


# --- Scope ---------------------------------------------------------------------------------------------------


def test_nobody_proposes_or_decides_outside_their_area(provincial_board, results, units):
    sibling = persona(role=roles.REVIEWER, unit_obj=unit("Xã Sơn Hà"), username="thamdinh_sonha")
    danang_board = persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"), username="ban_dn")
    for outsider in (sibling, danang_board):
        with pytest.raises(PermissionDenied):
            services.propose(acting_user=outsider, commendation=proposal(results["best"], PROVINCE_BANG_KHEN))
    proposed = services.propose(acting_user=provincial_board,
                                commendation=proposal(results["best"], PROVINCE_BANG_KHEN))
    with pytest.raises(PermissionDenied):
        approve(danang_board, [proposed])
    with pytest.raises(PermissionDenied):
        services.reject(acting_user=danang_board, commendation=proposed, reason="Không")
    assert not Commendation.objects.visible_to(danang_board).exists()
    assert not Commendation.objects.visible_to(sibling).exists()
    assert Commendation.objects.visible_to(provincial_board).count() == 1
