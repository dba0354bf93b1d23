"""Conferences managed in the admin by the host's board, scoped like everything else."""

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Conference, ConferenceStatus, CouncilMember, CriteriaSet, Nomination, Rating
from evaluations.roles import COUNCIL_MEMBER
from models_registry import roles
from models_registry.models import AuditEntry
from models_registry.plugins import tasks_for

from .evaluation_factories import accepted, conference, council_member, score_all, scoring_conference
from .factories import InitiativeFactory, organization_in, persona, standard_field, unit


@pytest.fixture
def minh_long_models(units):
    women = organization_in("Xã Minh Long", name="Hội Liên hiệp Phụ nữ xã Minh Long")
    return accepted(
        InitiativeFactory(organization=women, title="Hũ gạo tình thương", registration_year=2025,
                          field=standard_field("kinh-te")),
        InitiativeFactory(organization=women, title="Đèn đường nông thôn", registration_year=2025,
                          field=standard_field("kinh-te")),
        InitiativeFactory(organization=women, title="Câu lạc bộ gia đình hạnh phúc", registration_year=2024,
                          field=standard_field("van-hoa-xa-hoi")),
    )


@pytest.fixture
def sibling_reviewer(units):
    return persona(role=roles.REVIEWER, unit_obj=unit("Xã Sơn Hà"), username="thamdinh_sonha")


def test_a_commune_reviewer_holds_a_conference_for_their_commune_only(client, commune_reviewer):
    client.force_login(commune_reviewer)
    add_url = reverse("admin:evaluations_conference_add")
    page = client.get(add_url)
    assert page.status_code == 200
    choices = page.context["adminform"].form.fields["host_unit"].queryset
    assert unit("Xã Minh Long") in choices and unit("Xã Sơn Hà") not in choices
    data = {"title": "Hội nghị đánh giá năm 2025", "kind": "yearly", "year_from": 2025, "year_to": "",
            "host_unit": unit("Xã Minh Long").pk, "held_on": "10/12/2025", "place": "Hội trường xã",
            "criteria_set": CriteriaSet.objects.first().pk,
            "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0}
    assert client.post(add_url, data).status_code == 302
    created = Conference.objects.visible_to(commune_reviewer).get()
    assert (created.year_to, created.status, created.created_by) == (2025, ConferenceStatus.PREPARING,
                                                                     commune_reviewer)
    assert AuditEntry.unscoped.filter(action="conference.created", actor=commune_reviewer).exists()
    # Another commune's unit is refused even when typed into the form.
    refused = client.post(add_url, {**data, "host_unit": unit("Xã Sơn Hà").pk})
    assert refused.status_code == 200 and Conference.unscoped.count() == 1


def test_nominating_in_bulk_by_filter_previews_then_adds_each_once(client, commune_reviewer, minh_long_models):
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    client.force_login(commune_reviewer)
    url = reverse("admin:evaluations_conference_nominate", args=[conf.pk])
    preview = client.get(url, {"field": standard_field("kinh-te").pk, "registration_year": 2025})
    assert preview.context["candidate_count"] == 2
    assert not conf.nominations.exists()  # a preview writes nothing
    confirmed = client.post(url, {"field": standard_field("kinh-te").pk, "registration_year": 2025,
                                  "confirm": "1"})
    assert confirmed.status_code == 302
    assert set(conf.nominations.values_list("initiative__title", flat=True)) == {"Hũ gạo tình thương",
                                                                                 "Đèn đường nông thôn"}
    # The same filter again finds nothing new: nominated once.
    again = client.get(url, {"field": standard_field("kinh-te").pk, "registration_year": 2025})
    assert again.context["candidate_count"] == 0
    by_code = client.post(url, {"codes": minh_long_models[2].code, "confirm": "1"})
    assert by_code.status_code == 302 and conf.nominations.count() == 3


def test_nominating_lists_only_the_hosts_area(client, commune_reviewer, minh_long_models):
    outside = accepted(InitiativeFactory(organization=organization_in("Xã Sơn Hà"), registration_year=2025))[0]
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    client.force_login(commune_reviewer)
    url = reverse("admin:evaluations_conference_nominate", args=[conf.pk])
    response = client.post(url, {"codes": f"{outside.code}\n{minh_long_models[0].code}", "confirm": "1"})
    assert response.status_code == 302
    assert list(conf.nominations.values_list("initiative", flat=True)) == [minh_long_models[0].pk]


def test_other_scopes_are_refused_on_every_conference_page(client, commune_reviewer, sibling_reviewer,
                                                           other_province_staff, minh_long_models):
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), minh_long_models[:1])
    nomination = conf.nominations.get()
    danang_board = persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"), username="ban_dn")
    urls = [
        reverse("admin:evaluations_conference_change", args=[conf.pk]),
        reverse("admin:evaluations_conference_history", args=[conf.pk]),
        reverse("admin:evaluations_conference_nominate", args=[conf.pk]),
        reverse("admin:evaluations_conference_status", args=[conf.pk, "close"]),
        reverse("admin:evaluations_nomination_change", args=[nomination.pk]),
        reverse("admin:evaluations_scoresheet_changelist") + f"?q={nomination.initiative.code}",
    ]
    for outsider in (sibling_reviewer, danang_board):
        client.force_login(outsider)
        for url in urls[:-1]:
            assert client.get(url).status_code in (302, 403, 404), (outsider, url)
        assert client.post(urls[3], {"version": conf.version}).status_code in (302, 403, 404)
        lists = client.get(reverse("admin:evaluations_conference_changelist"))
        assert conf.title not in lists.content.decode()
        assert nomination.initiative.code not in client.get(
            reverse("admin:evaluations_nomination_changelist")).content.decode()
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.SCORING


def test_unit_staff_see_no_conference_admin(client, unit_staff):
    client.force_login(unit_staff)
    response = client.get(reverse("admin:evaluations_conference_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_the_board_opens_decides_and_closes_through_the_admin(client, commune_reviewer, minh_long_models):
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    council_member(commune_reviewer, conf, "chutich", "chair")
    client.force_login(commune_reviewer)
    change_url = reverse("admin:evaluations_conference_change", args=[conf.pk])
    open_url = reverse("admin:evaluations_conference_status", args=[conf.pk, "open"])
    # Nothing nominated yet: the refusal is said in Vietnamese on the page.
    response = client.post(open_url, {"version": conf.version}, follow=True)
    assert "Chưa có mô hình nào được đưa ra đánh giá" in response.content.decode()
    client.post(reverse("admin:evaluations_conference_nominate", args=[conf.pk]),
                {"codes": minh_long_models[0].code, "confirm": "1"})
    assert client.post(open_url, {"version": conf.version}).status_code == 302
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.SCORING
    # A second click on the same page (stale version) does nothing twice.
    stale = client.post(open_url, {"version": conf.version - 1}, follow=True)
    assert stale.status_code == 200
    assert AuditEntry.unscoped.filter(action="conference.opened").count() == 1

    seats = list(conf.members.all())
    score_all(conf, seats, {minh_long_models[0].code: [70]})
    nomination = conf.nominations.get()
    nomination_url = reverse("admin:evaluations_nomination_change", args=[nomination.pk])
    decided = {"override_rating": Rating.objects.get(name="Hiệu quả").pk, "override_reason": "",
               "recognised": "on", "expected_version": nomination.version, "sheets-TOTAL_FORMS": 0,
               "sheets-INITIAL_FORMS": 0}
    refused = client.post(nomination_url, decided, follow=True)
    assert "Hãy ghi lý do hội đồng xếp loại" in refused.content.decode()
    assert Nomination.unscoped.get(pk=nomination.pk).override_rating is None
    decided["override_reason"] = "Mô hình được nhân rộng ra 3 thôn trong năm."
    assert client.post(nomination_url, decided).status_code == 302
    nomination.refresh_from_db()
    assert (nomination.rating.name, nomination.recognised) == ("Hiệu quả", True)

    close_url = reverse("admin:evaluations_conference_status", args=[conf.pk, "close"])
    assert client.post(close_url, {"version": conf.version + 0}).status_code == 302
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.CLOSED
    # Closed: the change page is read-only and the commune may not reopen.
    assert client.get(reverse("admin:evaluations_conference_status", args=[conf.pk, "reopen"])).status_code == 200
    client.post(reverse("admin:evaluations_conference_status", args=[conf.pk, "reopen"]),
                {"version": conf.version, "reason": "Nhập sai"})
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.CLOSED
    assert change_url


def test_the_criteria_freeze_once_scoring_starts(client, commune_reviewer, provincial_board, minh_long_models):
    criteria_set = CriteriaSet.objects.get()
    client.force_login(provincial_board)
    url = reverse("admin:evaluations_criteriaset_change", args=[criteria_set.pk])
    assert client.get(url).context["has_change_permission"]
    scoring_conference(commune_reviewer, unit("Xã Minh Long"), minh_long_models[:1])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    before = list(criteria_set.criteria.values_list("name", "max_points"))
    client.post(url, {"name": "Đổi tên", "description": "", "disagreement_spread": "10",
                      "criteria-TOTAL_FORMS": 0, "criteria-INITIAL_FORMS": 0})
    criteria_set.refresh_from_db()
    assert criteria_set.name != "Đổi tên"
    assert list(criteria_set.criteria.values_list("name", "max_points")) == before


def test_the_council_member_is_told_what_waits(client, commune_reviewer, minh_long_models):
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), minh_long_models[:2])
    score_all(conf, seats[2:], {minh_long_models[0].code: [80]})
    client.force_login(seats[2].user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Phiếu chấm đang chờ bạn" in page
    tasks = {str(task.label): task.count for task in tasks_for(seats[2].user)}
    assert tasks["Phiếu chấm đang chờ bạn"] == 1  # one scored, one left
    assert tasks_for(seats[0].user)[-1].count == 2 or "Phiếu chấm đang chờ bạn" in {
        str(t.label) for t in tasks_for(seats[0].user)}


def test_a_rating_renamed_in_the_admin_shows_at_once_in_the_catalogue_filter(
        client, provincial_board, units, django_capture_on_commit_callbacks):
    client.get(reverse("portal:catalogue"))  # the filter's choices are cached with the catalogue
    rating = Rating.objects.get(name="Tiêu biểu")
    client.force_login(provincial_board)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:evaluations_rating_change", args=[rating.pk]), {
            "name": "Xuất sắc", "min_percent": "90", "counts_as_effective": "on",
            "counts_as_highly_effective": "on"})
    assert response.status_code == 302
    client.logout()
    catalogue = client.get(reverse("portal:catalogue")).content.decode()
    assert "Xuất sắc" in catalogue and "Tiêu biểu" not in catalogue
    assert AuditEntry.unscoped.filter(action="rating.changed", actor=provincial_board).exists()


def test_a_council_member_lands_on_their_conferences_and_finds_them_in_the_menu(client, commune_reviewer,
                                                                                 minh_long_models):
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), minh_long_models[:1])
    member = persona(role=COUNCIL_MEMBER, unit_obj=unit("Tỉnh Quảng Ngãi"), username="hoidong_tinh")
    services.member_save(acting_user=commune_reviewer, member=CouncilMember(conference=conf, user=member))
    client.force_login(member)
    landing = client.get(reverse("portal:staff_list"))
    assert landing.status_code == 302 and landing["Location"] == reverse("evaluations:my_conferences")
    page = client.get(reverse("evaluations:my_conferences")).content.decode()
    assert "Hội đồng đánh giá" in page and conf.title in page
    # The commune's reviewer, who also manages registrations, still lands on the admin.
    client.force_login(commune_reviewer)
    assert client.get(reverse("portal:staff_list"))["Location"] == reverse("admin:index")


def test_nominations_and_score_sheets_are_found_by_their_initiatives_words_even_after_it_is_edited(
        client, commune_reviewer, admin_user, minh_long_models):
    """Searches of nominations and score sheets read only the texts of initiatives ever nominated: a nomination
    marks its initiative, and a later save of the initiative (even from a copy read before it was nominated)
    keeps the mark, so its nominations stay findable under its new title."""
    read_before = type(minh_long_models[0]).unscoped.get(pk=minh_long_models[0].pk)
    assert not read_before.was_nominated
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), minh_long_models[:1])
    score_all(conf, seats, {minh_long_models[0].code: [80, 85, 90]})
    assert minh_long_models[0].__class__.unscoped.filter(was_nominated=True).get() == minh_long_models[0]

    read_before.title = "Hũ gạo nghĩa tình"
    read_before.save()
    client.force_login(admin_user)
    for name in ("nomination", "scoresheet"):
        changelist = reverse(f"admin:evaluations_{name}_changelist")
        found = client.get(changelist, {"q": "hu gao nghia"}).context["cl"].result_count
        assert found == (1 if name == "nomination" else 3), name
        assert client.get(changelist, {"q": "den duong"}).context["cl"].result_count == 0  # never nominated
