"""The council's scoring pages: who sees a conference, scoring through the page, recusal, the secretary's paper
sheets, the results decisions and closing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import ConferenceStatus, Nomination, Rating, ScoreSheet, SheetStatus
from models_registry import roles
from models_registry.models import AuditEntry

from . import test_evaluation_services
from .evaluation_factories import council_member, score_all, scoring_conference, spread_points
from .factories import organization_in, persona, unit

pytestmark = pytest.mark.django_db

commune_models = test_evaluation_services.commune_models  # the same two models of Xã Minh Long (a fixture)


@pytest.fixture
def council(commune_reviewer, commune_models):
    """(conference, [chair, secretary, member]) in scoring, two nominations (women's first)."""
    return scoring_conference(commune_reviewer, unit("Xã Minh Long"), commune_models)


@pytest.fixture
def plain_member(council, commune_reviewer):
    """A member who is not on the host's board: staff of a body that registered none of the models."""
    youth = organization_in("Xã Minh Long", name="Đoàn Thanh niên xã Minh Long")
    return council_member(commune_reviewer, council[0], "uyvien_doan", organization=youth, unit_obj=youth.unit,
                          first_name="Nam", last_name="Phạm Văn")


def first_nomination(conf) -> Nomination:
    return conf.nominations.order_by("pk").first()


def sheet_url(conf, nomination, member=None) -> str:
    url = reverse("evaluations:sheet", args=[conf.pk, nomination.pk])
    return f"{url}?thanh-vien={member.pk}" if member else url


def boxes(conf, values) -> dict:
    return {f"criterion_{c.pk}": v for c, v in zip(conf.criteria_set.criteria.all(), values, strict=False)}


FULL = ["18", "17,5", "25", "12", "13"]  # 85.5 of 100


# --- Who sees what --------------------------------------------------------------------------------------


def test_the_pages_need_a_log_in(client, council):
    conf, _seats = council
    response = client.get(reverse("evaluations:conference", args=[conf.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_members_and_staff_of_the_area_see_the_conference_others_get_404(client, council, provincial_board,
                                                                        other_province_staff, units):
    conf, seats = council
    nomination = first_nomination(conf)
    sibling = persona(role=roles.REVIEWER, unit_obj=unit("Xã Sơn Hà"), username="thamdinh_sonha")
    # A member whose own scope does not cover the host (staff of another commune) still sees it by the seat.
    outsider_member = council_member(conf.created_by, conf, "uyvien_sonha", unit_obj=unit("Xã Sơn Hà"),
                                     organization=organization_in("Xã Sơn Hà"))
    pages = [reverse("evaluations:conference", args=[conf.pk]), sheet_url(conf, nomination),
             reverse("evaluations:minutes", args=[conf.pk])]
    for user in (seats[2].user, outsider_member.user, provincial_board):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 200, (user, page)
    for user in (sibling, other_province_staff):
        client.force_login(user)
        for page in [*pages, reverse("evaluations:minutes_xlsx", args=[conf.pk])]:
            assert client.get(page).status_code == 404, (user, page)
        for name, args in (("open_scoring", [conf.pk]), ("close", [conf.pk]),
                           ("decide", [conf.pk, nomination.pk])):
            assert client.post(reverse(f"evaluations:{name}", args=args), {"version": 1}).status_code == 404
        assert client.post(sheet_url(conf, nomination), {**boxes(conf, FULL), "action": "submit"}).status_code == 404
    assert not ScoreSheet.unscoped.exists()
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.SCORING


def test_my_conferences_lists_my_seats_with_progress(client, council):
    conf, seats = council
    nomination = first_nomination(conf)
    services.sheet_save(acting_user=seats[2].user, nomination=nomination, member=seats[2],
                        points=spread_points(80, conf.criteria_set.criteria.all()), submit=True)
    client.force_login(seats[2].user)
    page = client.get(reverse("evaluations:my_conferences")).content.decode()
    assert conf.title in page
    assert "Đã chấm 1/2" in page
    detail = client.get(reverse("evaluations:conference", args=[conf.pk])).content.decode()
    assert "Đã chấm 1/2" in detail and "Đã nộp phiếu" in detail and "Chưa chấm" in detail


def test_a_member_of_no_council_sees_an_empty_list(client, unit_staff):
    client.force_login(unit_staff)
    page = client.get(reverse("evaluations:my_conferences")).content.decode()
    assert "Bạn chưa là thành viên hội đồng" in page


# --- Scoring through the page -----------------------------------------------------------------------------


def test_the_sheet_page_has_one_decimal_box_per_criterion_with_its_maximum(client, council):
    conf, seats = council
    client.force_login(seats[2].user)
    page = client.get(sheet_url(conf, first_nomination(conf))).content.decode()
    criteria = list(conf.criteria_set.criteria.all())
    assert page.count('inputmode="decimal"') == len(criteria) == 5
    assert "(tối đa 30)" in page and criteria[0].guidance in page
    # The draft button comes first, so that Enter saves a draft.
    assert page.index('value="draft"') < page.index('value="submit"')
    assert "Hũ gạo tình thương" in page and "Kết quả theo năm" in page


def test_draft_then_submit_with_decimal_commas(client, council):
    conf, seats = council
    member, nomination = seats[2], first_nomination(conf)
    client.force_login(member.user)
    response = client.post(sheet_url(conf, nomination), {**boxes(conf, ["18", "17,5"]), "action": "draft"})
    assert response.status_code == 302
    sheet = ScoreSheet.unscoped.get()
    assert (sheet.status, sheet.total, sheet.entered_by) == (SheetStatus.DRAFT, Decimal("35.5"), member.user)
    page = client.get(sheet_url(conf, nomination)).content.decode()
    assert 'value="17,5"' in page and "Đã lưu nháp" in page

    response = client.post(sheet_url(conf, nomination),
                           {**boxes(conf, FULL), "action": "submit", "version": sheet.version})
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, Decimal("85.5"))
    # On to the next model the member still has to score.
    assert response["Location"] == sheet_url(conf, conf.nominations.order_by("pk").last())
    page = client.get(sheet_url(conf, nomination)).content.decode()
    assert 'inputmode="decimal"' not in page and "không sửa được nữa" in page


def test_points_out_of_range_are_refused_in_vietnamese(client, council):
    conf, seats = council
    client.force_login(seats[2].user)
    response = client.post(sheet_url(conf, first_nomination(conf)),
                           {**boxes(conf, ["25", "abc"]), "action": "draft"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "hãy nhập từ 0 đến 20 điểm" in page
    assert not ScoreSheet.unscoped.exists()


def test_submitting_an_incomplete_sheet_says_what_is_missing(client, council):
    conf, seats = council
    client.force_login(seats[2].user)
    response = client.post(sheet_url(conf, first_nomination(conf)), {**boxes(conf, ["10"]), "action": "submit"})
    assert response.status_code == 400
    assert "Khả năng nhân rộng" in response.content.decode()
    assert not ScoreSheet.unscoped.filter(status=SheetStatus.SUBMITTED).exists()


def test_a_stale_page_does_not_overwrite_a_newer_draft(client, council):
    conf, seats = council
    nomination = first_nomination(conf)
    client.force_login(seats[2].user)
    client.post(sheet_url(conf, nomination), {**boxes(conf, ["10"]), "action": "draft"})
    seen = ScoreSheet.unscoped.get().version
    client.post(sheet_url(conf, nomination), {**boxes(conf, ["12"]), "action": "draft", "version": seen})
    response = client.post(sheet_url(conf, nomination), {**boxes(conf, ["5"]), "action": "draft", "version": seen})
    assert response.status_code == 400 and "tải lại" in response.content.decode()
    assert ScoreSheet.unscoped.get().total == Decimal(12)


def test_a_double_submit_does_nothing_twice(client, council):
    conf, seats = council
    nomination = first_nomination(conf)
    client.force_login(seats[2].user)
    data = {**boxes(conf, FULL), "action": "submit"}
    client.post(sheet_url(conf, nomination), data)
    second = client.post(sheet_url(conf, nomination), data, follow=True)
    assert "Phiếu này đã được nộp" in second.content.decode()
    assert AuditEntry.unscoped.filter(action="nomination.sheet_submitted").count() == 1
    assert Nomination.unscoped.get(pk=nomination.pk).sheets_submitted == 1


# --- Recusal and the secretary ------------------------------------------------------------------------------


def test_a_member_of_the_registering_organisation_is_recused_on_the_page(client, council, commune_reviewer,
                                                                         commune_models):
    conf, _seats = council
    women = commune_models[0].organization
    recused = council_member(commune_reviewer, conf, "chuhoi", organization=women, unit_obj=women.unit,
                             first_name="Lan", last_name="Đinh Thị")
    own = conf.nominations.get(initiative=commune_models[0])
    client.force_login(recused.user)
    page = client.get(sheet_url(conf, own)).content.decode()
    assert "không chấm mô hình này (tự động miễn chấm)" in page and 'inputmode="decimal"' not in page
    response = client.post(sheet_url(conf, own), {**boxes(conf, FULL), "action": "submit"}, follow=True)
    assert "không chấm mô hình này" in response.content.decode()
    assert not ScoreSheet.unscoped.exists()
    listing = client.get(reverse("evaluations:conference", args=[conf.pk])).content.decode()
    assert "Không chấm (cùng đơn vị)" in listing
    assert "Đã chấm 0/1" in listing  # only the other model is theirs to score


def test_the_secretary_types_a_paper_sheet_and_the_page_says_who_typed_it(client, council):
    conf, seats = council
    secretary, member = seats[1], seats[2]
    nomination = first_nomination(conf)
    client.force_login(secretary.user)
    page = client.get(sheet_url(conf, nomination, member)).content.decode()
    assert "Bạn đang nhập phiếu giấy của Nguyễn Ủy viên 1" in page
    response = client.post(sheet_url(conf, nomination, member), {**boxes(conf, FULL), "action": "submit"})
    assert response.status_code == 302
    sheet = ScoreSheet.unscoped.get()
    assert sheet.member == member and sheet.entered_by == secretary.user
    client.force_login(member.user)
    page = client.get(sheet_url(conf, nomination)).content.decode()
    assert "Phiếu giấy do Võ Thị Mai nhập." in page


def test_an_ordinary_member_cannot_type_for_another(client, council):
    conf, seats = council
    client.force_login(seats[2].user)
    nomination = first_nomination(conf)
    assert client.get(sheet_url(conf, nomination, seats[0])).status_code == 404
    assert client.post(sheet_url(conf, nomination, seats[0]),
                       {**boxes(conf, FULL), "action": "submit"}).status_code == 404
    assert not ScoreSheet.unscoped.exists()


# --- Results, decisions and closing -------------------------------------------------------------------------


def test_results_are_for_the_chair_and_secretary_until_closing(client, council, plain_member):
    conf, seats = council
    score_all(conf, seats, {n.initiative.code: [70, 60, 92] for n in conf.nominations.all()})
    client.force_login(plain_member.user)
    page = client.get(reverse("evaluations:conference", args=[conf.pk])).content.decode()
    assert "Điểm trung bình" not in page and "Chênh lệch:" not in page
    client.force_login(seats[1].user)
    page = client.get(reverse("evaluations:conference", args=[conf.pk])).content.decode()
    assert "Điểm trung bình: <strong>74</strong>" in page and "Đạt" in page
    assert "các thành viên chấm chênh lệch nhiều" in page  # spread 32 > 15
    assert "6/8 phiếu đã nộp" in page


def test_the_chair_decides_an_override_with_a_reason(client, council):
    conf, seats = council
    score_all(conf, seats, {n.initiative.code: [80, 80, 80] for n in conf.nominations.all()})
    nomination = first_nomination(conf)
    client.force_login(seats[0].user)
    url = reverse("evaluations:decide", args=[conf.pk, nomination.pk])
    top = Rating.objects.get(name="Tiêu biểu")
    prefix = f"n{nomination.pk}-"
    response = client.post(url, {prefix + "override_rating": top.pk, prefix + "version": nomination.version},
                           follow=True)
    assert "Hãy ghi lý do" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.override_rating is None
    client.post(url, {prefix + "override_rating": top.pk, prefix + "override_reason": "Được Trung ương biểu dương.",
                      prefix + "recognised": "on", prefix + "version": nomination.version})
    nomination.refresh_from_db()
    assert nomination.rating == top and nomination.recognised
    # The same page sent again (its version is old) changes nothing.
    response = client.post(url, {prefix + "version": nomination.version - 1}, follow=True)
    assert "tải lại" in response.content.decode()
    assert Nomination.unscoped.get(pk=nomination.pk).recognised


def test_an_ordinary_member_cannot_decide_or_close(client, council, plain_member):
    conf, seats = council
    nomination = first_nomination(conf)
    client.force_login(plain_member.user)
    prefix = f"n{nomination.pk}-"
    response = client.post(reverse("evaluations:decide", args=[conf.pk, nomination.pk]),
                           {prefix + "recognised": "on", prefix + "version": nomination.version}, follow=True)
    assert response.status_code == 200 and "Chỉ" in response.content.decode()
    response = client.post(reverse("evaluations:close", args=[conf.pk]), {"version": conf.version}, follow=True)
    assert response.status_code == 200
    assert not Nomination.unscoped.get(pk=nomination.pk).recognised
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.SCORING


def test_closing_with_drafts_left_is_refused_with_a_message(client, council):
    conf, seats = council
    services.sheet_save(acting_user=seats[2].user, nomination=first_nomination(conf), member=seats[2], points={})
    client.force_login(seats[0].user)
    response = client.post(reverse("evaluations:close", args=[conf.pk]), {"version": conf.version}, follow=True)
    assert "phiếu chấm đang là bản nháp" in response.content.decode()
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.SCORING


def test_the_chair_closes_and_the_sheet_page_refuses_changes(client, council):
    conf, seats = council
    nominations = list(conf.nominations.order_by("pk"))
    score_all(conf, seats[:2], {n.initiative.code: [90, 95] for n in nominations})
    client.force_login(seats[0].user)
    response = client.post(reverse("evaluations:close", args=[conf.pk]), {"version": conf.version}, follow=True)
    assert "Hội nghị đã kết thúc" in response.content.decode()
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.CLOSED
    # A second click does nothing more.
    again = client.post(reverse("evaluations:close", args=[conf.pk]), {"version": conf.version - 1}, follow=True)
    assert "đã kết thúc" in again.content.decode()
    # Everyone allowed now sees the results; nobody can score any more.
    client.force_login(seats[2].user)
    page = client.get(reverse("evaluations:conference", args=[conf.pk])).content.decode()
    assert "Tiêu biểu" in page
    page = client.get(sheet_url(conf, nominations[0])).content.decode()
    assert 'inputmode="decimal"' not in page and "Hội nghị đã kết thúc" in page
    response = client.post(sheet_url(conf, nominations[0]), {**boxes(conf, FULL), "action": "submit"})
    assert response.status_code == 400
    assert not ScoreSheet.unscoped.filter(member=seats[2]).exists()


def test_the_secretary_opens_the_scoring_from_the_page(client, commune_reviewer, commune_models):
    from .evaluation_factories import conference

    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    secretary = council_member(commune_reviewer, conf, "thuky", role="secretary")
    client.force_login(secretary.user)
    response = client.post(reverse("evaluations:open_scoring", args=[conf.pk]), {"version": conf.version},
                           follow=True)
    # The service's refusal, as a message on the page.
    assert "Chưa có mô hình nào được đưa ra đánh giá" in response.content.decode()
    services.nominate(acting_user=commune_reviewer, conference=conf, initiatives=commune_models)
    client.post(reverse("evaluations:open_scoring", args=[conf.pk]), {"version": conf.version})
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.SCORING


def test_opening_a_form_address_leads_back_to_the_conference(client, council):
    conf, seats = council
    client.force_login(seats[0].user)
    response = client.get(reverse("evaluations:close", args=[conf.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:conference", args=[conf.pk])
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.SCORING
