"""The rules of an evaluation conference, through its services: who may do what, and the arithmetic."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations import services
from evaluations.models import (
    Conference,
    ConferenceStatus,
    CouncilMember,
    CouncilRole,
    LatestRating,
    Nomination,
    Rating,
    SheetStatus,
)
from models_registry import roles
from models_registry.models import AuditEntry, UnitLevel

from .evaluation_factories import accepted, conference, council_member, score_all, scoring_conference
from .factories import InitiativeFactory, organization_in, persona, unit


@pytest.fixture
def commune_models(units):
    women = organization_in("Xã Minh Long", name="Hội Liên hiệp Phụ nữ xã Minh Long")
    farmers = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    return accepted(InitiativeFactory(organization=women, title="Hũ gạo tình thương", registration_year=2025),
                    InitiativeFactory(organization=farmers, title="Nông dân giúp nhau", registration_year=2025))


@pytest.fixture
def commune_conference(commune_reviewer, commune_models):
    return scoring_conference(commune_reviewer, unit("Xã Minh Long"), commune_models)


def rating(name):
    return Rating.objects.get(name=name)


# --- Arithmetic ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mean", "expected"), [
    ("100", "Tiêu biểu"), ("90", "Tiêu biểu"), ("89.99", "Hiệu quả"), ("75", "Hiệu quả"),
    ("74.99", "Đạt"), ("50", "Đạt"), ("49.99", "Không đạt"), ("0", "Không đạt"),
])
def test_the_rating_is_the_highest_threshold_the_mean_reaches(units, mean, expected):
    assert services.rating_for(Decimal(mean), Decimal(100)).name == expected


def test_thresholds_are_shares_of_the_sets_maximum(units):
    # Out of 50 points, 45 is 90 %: highly effective.
    assert services.rating_for(Decimal(45), Decimal(50)).name == "Tiêu biểu"
    assert services.rating_for(Decimal("44.99"), Decimal(50)).name == "Hiệu quả"


def test_thresholds_are_data(units):
    Rating.objects.filter(name="Tiêu biểu").update(min_percent=95)
    assert services.rating_for(Decimal(92), Decimal(100)).name == "Hiệu quả"


def test_mean_spread_rating_and_rank_follow_the_submitted_sheets(commune_conference):
    conf, seats = commune_conference
    first, second = conf.nominations.order_by("initiative__title")
    score_all(conf, seats, {first.initiative.code: [92, 88, 95], second.initiative.code: [70, 60, 92]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.mean_score, first.spread, first.rating.name, first.rank) == (
        Decimal("91.67"), Decimal("7.00"), "Tiêu biểu", 1)
    assert (second.mean_score, second.spread, second.rating.name, second.rank) == (
        Decimal("74.00"), Decimal("32.00"), "Đạt", 2)
    assert second.disagreement and not first.disagreement
    assert first.sheets_submitted == 3


def test_a_draft_does_not_count(commune_conference):
    conf, seats = commune_conference
    nomination = conf.nominations.first()
    criteria = list(conf.criteria_set.criteria.all())
    services.sheet_save(acting_user=seats[0].user, nomination=nomination, member=seats[0],
                        points={criteria[0].pk: "10"})
    nomination.refresh_from_db()
    assert nomination.mean_score is None and nomination.sheets_submitted == 0


@pytest.mark.parametrize("typed", ["21", "-1", "mười", "7,555"])
def test_points_outside_the_criterion_are_refused_in_words(commune_conference, typed):
    conf, seats = commune_conference
    nomination = conf.nominations.first()
    criterion = conf.criteria_set.criteria.first()  # out of 20
    with pytest.raises(ValidationError) as error:
        services.sheet_save(acting_user=seats[0].user, nomination=nomination, member=seats[0],
                            points={criterion.pk: typed})
    assert criterion.name in str(error.value)
    assert not nomination.sheets.exists()


def test_decimal_comma_is_accepted(commune_conference):
    conf, seats = commune_conference
    nomination = conf.nominations.first()
    criterion = conf.criteria_set.criteria.first()
    sheet = services.sheet_save(acting_user=seats[0].user, nomination=nomination, member=seats[0],
                                points={criterion.pk: "8,5"})
    assert sheet.total == Decimal("8.5")


def test_submitting_needs_every_criterion(commune_conference):
    conf, seats = commune_conference
    nomination = conf.nominations.first()
    criterion = conf.criteria_set.criteria.first()
    with pytest.raises(ValidationError, match="Chấm đủ|every criterion"):
        services.sheet_save(acting_user=seats[0].user, nomination=nomination, member=seats[0],
                            points={criterion.pk: "8"}, submit=True)


def test_a_submitted_sheet_is_final(commune_conference):
    conf, seats = commune_conference
    nomination = conf.nominations.first()
    score_all(conf, seats[:1], {n.initiative.code: [80] for n in conf.nominations.all()})
    with pytest.raises(ValidationError):
        services.sheet_save(acting_user=seats[0].user, nomination=nomination, member=seats[0], points={})


# --- Who scores ----------------------------------------------------------------------------------------


def test_a_member_never_scores_their_own_organisations_model(commune_reviewer, commune_models):
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    women = commune_models[0].organization
    recused = council_member(commune_reviewer, conf, "chuhoi", organization=women, unit_obj=women.unit)
    assert recused.organization == women  # taken from the account
    council_member(commune_reviewer, conf, "chutich", CouncilRole.CHAIR)
    services.nominate(acting_user=commune_reviewer, conference=conf, initiatives=commune_models)
    services.conference_open_scoring(acting_user=commune_reviewer, conference=conf)
    own = conf.nominations.get(initiative=commune_models[0])
    assert recused.is_recused_from(own)
    with pytest.raises(ValidationError, match="không chấm|does not score"):
        services.sheet_save(acting_user=recused.user, nomination=own, member=recused, points={})
    # The other model is theirs to score.
    other = conf.nominations.get(initiative=commune_models[1])
    services.sheet_save(acting_user=recused.user, nomination=other, member=recused, points={})


def test_someone_outside_the_council_cannot_score(commune_conference, provincial_board, commune_reviewer):
    conf, seats = commune_conference
    nomination = conf.nominations.first()
    for outsider in (provincial_board, commune_reviewer):
        with pytest.raises(PermissionDenied):
            services.sheet_save(acting_user=outsider, nomination=nomination, member=seats[2], points={})
    # Nor does one member fill another's sheet.
    with pytest.raises(PermissionDenied):
        services.sheet_save(acting_user=seats[2].user, nomination=nomination, member=seats[0], points={})
    assert not nomination.sheets.exists()


def test_the_secretary_types_a_paper_sheet_and_the_record_says_so(commune_conference):
    conf, seats = commune_conference
    secretary, member = seats[1], seats[2]
    nomination = conf.nominations.first()
    criteria = {c.pk: str(c.max_points) for c in conf.criteria_set.criteria.all()}
    sheet = services.sheet_save(acting_user=secretary.user, nomination=nomination, member=member,
                                points=criteria, submit=True)
    assert sheet.member == member and sheet.entered_by == secretary.user and sheet.entered_on_behalf
    entry = AuditEntry.unscoped.filter(action="nomination.sheet_submitted").get()
    assert entry.actor == secretary.user and entry.data["entered_for"]


def test_scoring_waits_for_the_opening(commune_reviewer, commune_models):
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    seat = council_member(commune_reviewer, conf, "chutich", CouncilRole.CHAIR)
    services.nominate(acting_user=commune_reviewer, conference=conf, initiatives=commune_models)
    with pytest.raises(ValidationError, match="chưa bắt đầu|not started"):
        services.sheet_save(acting_user=seat.user, nomination=conf.nominations.first(), member=seat, points={})


def test_opening_needs_a_council_and_nominations(commune_reviewer, commune_models):
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    with pytest.raises(ValidationError):
        services.conference_open_scoring(acting_user=commune_reviewer, conference=conf)
    council_member(commune_reviewer, conf, "chutich", CouncilRole.CHAIR)
    with pytest.raises(ValidationError):
        services.conference_open_scoring(acting_user=commune_reviewer, conference=conf)
    assert Conference.objects.visible_to(commune_reviewer).get().status == ConferenceStatus.PREPARING


# --- Hosts and scope -------------------------------------------------------------------------------------


def test_a_host_holds_conferences_for_its_own_unit_only(commune_reviewer, provincial_board, units):
    with pytest.raises(PermissionDenied):
        conference(commune_reviewer, unit("Xã Sơn Hà"))
    with pytest.raises(PermissionDenied):
        conference(commune_reviewer, unit("Tỉnh Quảng Ngãi"))
    with pytest.raises(PermissionDenied):  # the province does not hold the commune's conference
        conference(provincial_board, unit("Xã Minh Long"))
    staff = persona(role=roles.UNIT_STAFF, unit_obj=unit("Xã Minh Long"), username="canbo_khac")
    with pytest.raises(PermissionDenied):
        conference(staff, unit("Xã Minh Long"))
    assert conference(provincial_board, unit("Tỉnh Quảng Ngãi")).level == UnitLevel.PROVINCE


def test_a_host_cannot_nominate_outside_its_scope(commune_reviewer, commune_models, units):
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    outside = accepted(InitiativeFactory(organization=organization_in("Xã Sơn Hà"), registration_year=2025))[0]
    submitted = InitiativeFactory(organization=commune_models[0].organization, registration_year=2025)
    added, skipped = services.nominate(acting_user=commune_reviewer, conference=conf,
                                       initiatives=[*commune_models, outside, submitted, commune_models[0]])
    assert [n.initiative for n in added] == commune_models
    assert {i.pk: str(why) for i, why in skipped} == {
        outside.pk: "ngoài địa bàn của đơn vị tổ chức", submitted.pk: "chưa được công nhận",
        commune_models[0].pk: "đã được đề cử"}
    assert conf.nominations.count() == 2


def test_another_host_cannot_manage_the_conference(commune_conference, provincial_board, units):
    conf, seats = commune_conference
    sibling = persona(role=roles.REVIEWER, unit_obj=unit("Xã Sơn Hà"), username="thamdinh_sonha")
    for outsider in (sibling, provincial_board):
        with pytest.raises(PermissionDenied):
            services.conference_close(acting_user=outsider, conference=conf)
        with pytest.raises(PermissionDenied):
            services.result_decide(acting_user=outsider, nomination=conf.nominations.first(), recognised=True)
    assert not Conference.objects.visible_to(sibling).exists()
    assert Conference.objects.visible_to(provincial_board).filter(pk=conf.pk).exists()


# --- Results, closing, reopening ------------------------------------------------------------------------


def test_an_override_needs_a_reason(commune_conference):
    conf, seats = commune_conference
    nomination = conf.nominations.first()
    with pytest.raises(ValidationError) as error:
        services.result_decide(acting_user=seats[0].user, nomination=nomination,
                               override_rating=rating("Tiêu biểu"), override_reason="  ")
    assert "override_reason" in error.value.message_dict
    decided = services.result_decide(acting_user=seats[0].user, nomination=nomination,
                                     override_rating=rating("Tiêu biểu"),
                                     override_reason="Mô hình được Trung ương biểu dương năm 2025.")
    assert decided.rating.name == "Tiêu biểu"


def test_a_closed_conference_refuses_every_change(commune_conference, commune_reviewer):
    conf, seats = commune_conference
    score_all(conf, seats, {n.initiative.code: [80, 85, 90] for n in conf.nominations.all()})
    services.conference_close(acting_user=seats[0].user, conference=conf)
    conf.refresh_from_db()
    nomination = conf.nominations.first()
    attempts = [
        lambda: services.sheet_save(acting_user=seats[1].user, nomination=nomination, member=seats[1], points={}),
        lambda: services.result_decide(acting_user=commune_reviewer, nomination=nomination, recognised=True),
        lambda: services.nominate(acting_user=commune_reviewer, conference=conf, initiatives=[]),
        lambda: services.nomination_remove(acting_user=commune_reviewer, nomination=nomination),
        lambda: services.member_save(acting_user=commune_reviewer, member=CouncilMember(
            conference=conf, user=persona(role=roles.REVIEWER, unit_obj=conf.host_unit, username="moi"))),
        lambda: services.member_remove(acting_user=commune_reviewer, member=seats[2]),
        lambda: services.conference_save(acting_user=commune_reviewer, conference=conf),
        lambda: services.conference_close(acting_user=commune_reviewer, conference=conf),
    ]
    for attempt in attempts:
        with pytest.raises((ValidationError, PermissionDenied)):
            attempt()
    assert conf.members.count() == 3 and conf.nominations.count() == 2


def test_closing_refuses_while_drafts_remain(commune_conference):
    conf, seats = commune_conference
    services.sheet_save(acting_user=seats[2].user, nomination=conf.nominations.first(), member=seats[2], points={})
    with pytest.raises(ValidationError, match="nháp|draft"):
        services.conference_close(acting_user=seats[0].user, conference=conf)


def test_closing_publishes_the_latest_rating_and_reopening_needs_its_permission(commune_conference,
                                                                                commune_reviewer,
                                                                                provincial_board):
    conf, seats = commune_conference
    score_all(conf, seats, {n.initiative.code: [95, 92, 91] for n in conf.nominations.all()})
    assert not LatestRating.objects.exists()  # not before the conference closes
    services.conference_close(acting_user=seats[0].user, conference=conf)
    assert set(LatestRating.objects.values_list("rating__name", flat=True)) == {"Tiêu biểu"}
    with pytest.raises(PermissionDenied):  # the commune's reviewers may not reopen
        services.conference_reopen(acting_user=commune_reviewer, conference=conf, reason="Chấm lại")
    with pytest.raises(ValidationError):
        services.conference_reopen(acting_user=provincial_board, conference=conf, reason="")
    services.conference_reopen(acting_user=provincial_board, conference=conf, reason="Sai sót khi nhập phiếu")
    assert not LatestRating.objects.exists()
    entry = AuditEntry.unscoped.filter(action="conference.reopened").get()
    assert entry.actor == provincial_board and entry.data["reason"] == "Sai sót khi nhập phiếu"


def test_a_stale_page_does_not_overwrite(commune_conference):
    conf, seats = commune_conference
    nomination = conf.nominations.first()
    seen = nomination.version
    services.result_decide(acting_user=seats[0].user, nomination=nomination, recognised=True,
                           expected_version=seen)
    with pytest.raises(ValidationError, match="tải lại|Reload"):
        services.result_decide(acting_user=seats[1].user, nomination=nomination, recognised=False,
                               expected_version=seen)
    assert Nomination.unscoped.get(pk=nomination.pk).recognised


# --- Upward ----------------------------------------------------------------------------------------------


def test_a_proposal_to_the_next_level_appears_there_exactly_once(commune_conference, commune_reviewer,
                                                                 provincial_board):
    conf, seats = commune_conference
    score_all(conf, seats, {n.initiative.code: [95, 92, 91] for n in conf.nominations.all()})
    proposed = conf.nominations.order_by("pk").first()
    services.result_decide(acting_user=seats[0].user, nomination=proposed, proposed_upward=True,
                           recognised=True)
    province_conf = conference(provincial_board, unit("Tỉnh Quảng Ngãi"))
    assert not province_conf.nominations.exists()  # nothing arrives before the commune closes
    services.conference_close(acting_user=seats[0].user, conference=conf)
    arrived = province_conf.nominations.get()
    assert arrived.initiative == proposed.initiative and arrived.proposed_by == proposed
    # Collecting again, or opening, adds nothing twice.
    services.collect_proposals(province_conf)
    council_member(provincial_board, province_conf, "chutich_tinh", CouncilRole.CHAIR)
    services.conference_open_scoring(acting_user=provincial_board, conference=province_conf)
    assert province_conf.nominations.count() == 1
    # Another province conference of the same year does not receive it a second time.
    later = conference(provincial_board, unit("Tỉnh Quảng Ngãi"), title="Hội nghị bổ sung")
    assert not later.nominations.exists()
    assert Nomination.unscoped.filter(proposed_by=proposed).count() == 1


def test_old_communes_propose_to_their_old_district(district_reviewer, units):
    old_commune = unit("Xã Long Hiệp", "pre2025")
    host = persona(role=roles.REVIEWER, unit_obj=old_commune, username="thamdinh_longhiep")
    initiative = accepted(InitiativeFactory(organization=organization_in("Xã Long Hiệp", "pre2025"),
                                            registration_year=2023))[0]
    conf, seats = scoring_conference(host, old_commune, [initiative], year=2023)
    score_all(conf, seats, {initiative.code: [80, 80, 80]})
    services.result_decide(acting_user=seats[0].user, nomination=conf.nominations.get(), proposed_upward=True)
    services.conference_close(acting_user=seats[0].user, conference=conf)
    district_conf = conference(district_reviewer, unit("Huyện Minh Long", "pre2025"), year=2023)
    assert district_conf.nominations.get().initiative == initiative


def test_sheets_record_their_status(commune_conference):
    conf, seats = commune_conference
    score_all(conf, seats[:2], {n.initiative.code: [80, 70] for n in conf.nominations.all()})
    assert set(conf.nominations.first().sheets.values_list("status", flat=True)) == {SheetStatus.SUBMITTED}
