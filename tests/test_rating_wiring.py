"""Evaluation results on the pages people read: the catalogue's rating filter and badge, the home page's figure
and outstanding models, the ratings by year of a model, the staff area's ratings. Conferences are built,
scored and closed through the services; only closed conferences show."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from evaluations import services
from evaluations.models import CouncilRole, Rating
from models_registry.models import Initiative

from .evaluation_factories import accepted, conference, council_member, score_all, scoring_conference
from .factories import InitiativeFactory, OrganizationFactory, organization_in, unit

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("portal:catalogue")
HOME = reverse("portal:home")


def rating(name) -> Rating:
    return Rating.objects.get(name=name)


def text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def listed(client, **params) -> tuple[int, set[str]]:
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    page = response.context["page"]
    return page.paginator.count, {initiative.code for initiative in page.object_list}


def badged(client, **params) -> set[str]:
    """The codes of the cards that carry the outstanding badge."""
    html = client.get(CATALOGUE, params).content.decode()
    cards = html.split('<li class="card">')[1:]
    return {re.search(r'href="/mo-hinh/([^/]+)/"', card).group(1) for card in cards if "tag outstanding" in card}


def detail(client, initiative: Initiative):
    return client.get(reverse("portal:initiative_detail", args=[initiative.code]))


def close(conf, seats, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.conference_close(acting_user=seats[0].user, conference=conf)


@pytest.fixture
def minh_long(unit_staff):
    """Four accepted models of Xã Minh Long; the first two of the unit_staff persona's Women's Union."""
    women = unit_staff.staff_profile.organization
    farmers = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    return dict(zip(("rice_jar", "roads", "farmers", "unrated"), accepted(
        InitiativeFactory(organization=women, code="DVK-51-2024-00001", title="Hũ gạo tình thương",
                          registration_year=2024),
        InitiativeFactory(organization=women, code="DVK-51-2024-00002", title="Con đường hoa",
                          registration_year=2024),
        InitiativeFactory(organization=farmers, code="DVK-51-2024-00003", title="Nông dân giúp nhau",
                          registration_year=2024),
        InitiativeFactory(organization=farmers, code="DVK-51-2024-00004", title="Tổ hợp tác trồng quế",
                          registration_year=2024),
    ), strict=True))


@pytest.fixture
def scored(commune_reviewer, minh_long):
    """The commune's 2025 conference, scored (Tiêu biểu, Hiệu quả, Đạt) and decided, but not closed yet."""
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"),
                                     [minh_long["rice_jar"], minh_long["roads"], minh_long["farmers"]])
    score_all(conf, seats, {minh_long["rice_jar"].code: [95, 92, 91], minh_long["roads"].code: [80, 78, 82],
                            minh_long["farmers"].code: [60, 55, 65]})
    top = conf.nominations.get(initiative=minh_long["rice_jar"])
    services.result_decide(acting_user=commune_reviewer, nomination=top, recognised=True, proposed_upward=True,
                           proposed_for_commendation=True)
    return conf, seats


@pytest.fixture
def closed(scored, django_capture_on_commit_callbacks):
    conf, seats = scored
    return close(conf, seats, django_capture_on_commit_callbacks), seats


# --- Nothing shows before the conference closes ------------------------------------------------------------


def test_a_conference_still_scoring_shows_nothing_publicly(client, scored, minh_long):
    conf, _seats = scored
    assert listed(client, rating=rating("Tiêu biểu").pk) == (0, set())
    assert listed(client)[0] == 4  # the filter left empty lists every model
    assert badged(client) == set()
    page = detail(client, minh_long["rice_jar"])
    assert conf.title not in page.content.decode()
    assert "Chưa có hội nghị đánh giá nào xếp loại mô hình này." in text(page)
    home = client.get(HOME)
    assert home.context["figures"].highly_effective == 0
    assert home.context["outstanding"] == []


# --- Catalogue ----------------------------------------------------------------------------------------------


def test_the_rating_filter_narrows_the_catalogue_to_the_models_of_that_latest_rating(client, closed, minh_long):
    codes = {key: initiative.code for key, initiative in minh_long.items()}
    assert listed(client, rating=rating("Tiêu biểu").pk) == (1, {codes["rice_jar"]})
    assert listed(client, rating=rating("Hiệu quả").pk) == (1, {codes["roads"]})
    assert listed(client, rating=rating("Đạt").pk) == (1, {codes["farmers"]})
    assert listed(client, rating=rating("Không đạt").pk) == (0, set())
    assert listed(client) == (4, set(codes.values()))
    # Combined with the other filters, and kept in the form so that the next search keeps it.
    assert listed(client, rating=rating("Hiệu quả").pk, q="con duong") == (1, {codes["roads"]})
    assert listed(client, rating=rating("Hiệu quả").pk, q="giup nhau") == (0, set())
    html = client.get(CATALOGUE, {"rating": rating("Hiệu quả").pk}).content.decode()
    assert f'<option value="{rating("Hiệu quả").pk}" selected>Hiệu quả</option>' in html
    assert 'id="id_rating"' in html and "Xếp loại" in html


def test_the_filter_offers_the_scale_as_stored(client, units):
    Rating.objects.filter(name="Hiệu quả").update(name="Hiệu quả tốt")
    cache.clear()
    options = client.get(CATALOGUE).context["filter"].form.fields["rating"].choices
    assert [name for _pk, name in options] == ["Tất cả xếp loại", "Tiêu biểu", "Hiệu quả tốt", "Đạt", "Không đạt"]


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "1.5", "Tiêu biểu"])
def test_a_value_that_is_not_a_rating_is_ignored(client, closed, value):
    assert listed(client, rating=value)[0] == 4


def test_the_badge_shows_the_ratings_name_only_on_highly_effective_models(client, closed, minh_long):
    assert badged(client) == {minh_long["rice_jar"].code}
    html = client.get(CATALOGUE).content.decode()
    assert '<span class="tag outstanding"><span aria-hidden="true">★ </span>Tiêu biểu</span>' in html
    # The name and the flag are the board's: a renamed step shows its new name.
    Rating.objects.filter(name="Tiêu biểu").update(name="Xuất sắc")
    assert ">Xuất sắc</span>" in client.get(CATALOGUE).content.decode()
    assert badged(client, rating=rating("Hiệu quả").pk) == set()


def test_reopening_removes_the_rating_from_public_pages_and_refreshes_the_cached_count(
        client, closed, minh_long, provincial_board, django_capture_on_commit_callbacks):
    conf, _seats = closed
    top = {"rating": rating("Tiêu biểu").pk}
    assert listed(client, **top) == (1, {minh_long["rice_jar"].code})  # counted and cached
    assert client.get(HOME).context["figures"].highly_effective == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.conference_reopen(acting_user=provincial_board, conference=conf, reason="Sai sót khi nhập phiếu")

    assert listed(client, **top) == (0, set())
    assert badged(client) == set()
    assert conf.title not in detail(client, minh_long["rice_jar"]).content.decode()
    home = client.get(HOME)
    assert home.context["figures"].highly_effective == 0
    assert home.context["outstanding"] == []


# --- Home page ----------------------------------------------------------------------------------------------


def test_the_home_page_counts_and_lists_the_highly_effective_models(client, closed, minh_long):
    response = client.get(HOME)
    assert response.context["figures"].highly_effective == 1
    page = text(response)
    assert re.search(r'<span class="num">1</span><span class="label">mô hình hiệu quả cao, có khả năng nhân rộng'
                     r"</span>", response.content.decode())
    assert "Mô hình tiêu biểu" in page
    assert [i.code for i in response.context["outstanding"]] == [minh_long["rice_jar"].code]
    html = response.content.decode()
    outstanding = html[html.index("Mô hình tiêu biểu"):html.index("Mô hình mới được công nhận")]
    assert reverse("portal:initiative_detail", args=[minh_long["rice_jar"].code]) in outstanding
    assert minh_long["roads"].title not in outstanding


def test_only_the_latest_rating_counts(client, closed, minh_long, commune_reviewer,
                                       django_capture_on_commit_callbacks):
    """Highly effective in 2025, only effective at the 2026 conference: no longer outstanding."""
    later = conference(commune_reviewer, unit("Xã Minh Long"), year=2026)
    seats = [council_member(commune_reviewer, later, "chutich2026", CouncilRole.CHAIR),
             council_member(commune_reviewer, later, "thuky2026", CouncilRole.SECRETARY)]
    services.nominate(acting_user=commune_reviewer, conference=later, initiatives=[minh_long["rice_jar"]])
    later = services.conference_open_scoring(acting_user=commune_reviewer, conference=later)
    score_all(later, seats, {minh_long["rice_jar"].code: [80, 80]})
    assert client.get(HOME).context["figures"].highly_effective == 1  # 2026 is still scoring
    close(later, seats, django_capture_on_commit_callbacks)

    home = client.get(HOME)
    assert home.context["figures"].highly_effective == 0
    assert home.context["outstanding"] == []
    assert listed(client, rating=rating("Hiệu quả").pk)[1] == {minh_long["rice_jar"].code, minh_long["roads"].code}
    assert listed(client, rating=rating("Tiêu biểu").pk)[0] == 0


def test_the_outstanding_list_is_the_most_recently_rated_six(client, commune_reviewer, units,
                                                               django_capture_on_commit_callbacks):
    organization = organization_in("Xã Minh Long", name="Hội Cựu chiến binh xã Minh Long")
    older = accepted(*(InitiativeFactory(organization=organization, title=f"Cũ {n}") for n in range(3)))
    newer = accepted(*(InitiativeFactory(organization=organization, title=f"Mới {n}") for n in range(5)))
    for year, initiatives, prefix in ((2024, older, "a"), (2025, newer, "b")):
        conf = conference(commune_reviewer, unit("Xã Minh Long"), year=year)
        seats = [council_member(commune_reviewer, conf, f"{prefix}chair", CouncilRole.CHAIR),
                 council_member(commune_reviewer, conf, f"{prefix}secretary", CouncilRole.SECRETARY)]
        services.nominate(acting_user=commune_reviewer, conference=conf, initiatives=initiatives)
        conf = services.conference_open_scoring(acting_user=commune_reviewer, conference=conf)
        score_all(conf, seats, {i.code: [95] for i in initiatives})
        close(conf, seats, django_capture_on_commit_callbacks)

    home = client.get(HOME)
    assert home.context["figures"].highly_effective == 8
    outstanding = home.context["outstanding"]
    assert len(outstanding) == 6
    assert {i.pk for i in outstanding[:5]} == {i.pk for i in newer}
    assert outstanding[5].pk in {i.pk for i in older}


# --- Detail pages -------------------------------------------------------------------------------------------


def test_the_detail_page_lists_the_ratings_by_year(client, closed, minh_long, commune_reviewer,
                                                   django_capture_on_commit_callbacks):
    conf, _seats = closed
    # A 2026 conference still scoring adds nothing.
    later = conference(commune_reviewer, unit("Xã Minh Long"), year=2026)
    seats = [council_member(commune_reviewer, later, "chutich2026", CouncilRole.CHAIR),
             council_member(commune_reviewer, later, "thuky2026", CouncilRole.SECRETARY)]
    services.nominate(acting_user=commune_reviewer, conference=later, initiatives=[minh_long["rice_jar"]])
    services.conference_open_scoring(acting_user=commune_reviewer, conference=later)

    page = text(detail(client, minh_long["rice_jar"]))
    assert "Đánh giá qua các năm" in page
    assert (f"2025 {conf.title} Cấp xã — Xã Minh Long Tiêu biểu 92,67 Công nhận cấp xã Đề nghị lên cấp trên "
            "Đề nghị khen thưởng") in page
    assert later.title not in page
    # A model rated without recognition or proposals says so plainly.
    page = text(detail(client, minh_long["roads"]))
    assert f"2025 {conf.title} Cấp xã — Xã Minh Long Hiệu quả 80 —" in page
    assert "Công nhận cấp" not in page

    score_all(later, seats, {minh_long["rice_jar"].code: [85, 86]})
    close(later, seats, django_capture_on_commit_callbacks)
    page = text(detail(client, minh_long["rice_jar"]))
    assert page.index(later.title) < page.index(conf.title)  # the most recent first
    assert f"2026 {later.title} Cấp xã — Xã Minh Long Hiệu quả 85,50 —" in page


def test_the_detail_pages_query_count_does_not_grow_with_the_ratings(client, closed, minh_long,
                                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = detail(client, minh_long["rice_jar"])
    assert "Tiêu biểu" in text(response)


# --- Staff area ---------------------------------------------------------------------------------------------


def test_the_staff_list_shows_the_latest_rating_of_the_units_own_models(client, closed, minh_long, unit_staff):
    client.force_login(unit_staff)
    page = text(client.get(reverse("portal:staff_list")))
    assert "Hũ gạo tình thương" in page and "Xếp loại gần nhất: Tiêu biểu (2025)" in page
    assert "Xếp loại gần nhất: Hiệu quả (2025)" in page
    # Another body's models (the Farmers' Association rated Đạt) are not in this unit's list.
    assert "Nông dân giúp nhau" not in page and "Đạt (2025)" not in page


def test_staff_of_another_organisation_see_no_rating_of_models_outside_their_scope(client, closed, minh_long,
                                                                                 other_province_staff):
    client.force_login(other_province_staff)
    page = text(client.get(reverse("portal:staff_list")))
    assert "Hũ gạo tình thương" not in page and "Tiêu biểu" not in page
    response = client.get(reverse("portal:staff_initiative", args=[minh_long["rice_jar"].pk]))
    assert response.status_code == 404


def test_the_staff_detail_page_lists_the_ratings_by_year(client, closed, minh_long, unit_staff):
    conf, _seats = closed
    client.force_login(unit_staff)
    page = text(client.get(reverse("portal:staff_initiative", args=[minh_long["rice_jar"].pk])))
    assert "Đánh giá qua các năm" in page
    assert f"2025 {conf.title} Cấp xã — Xã Minh Long Tiêu biểu 92,67 Công nhận cấp xã" in page


def test_the_staff_detail_page_shows_nothing_of_a_conference_still_scoring(client, scored, minh_long, unit_staff):
    conf, _seats = scored
    client.force_login(unit_staff)
    page = text(client.get(reverse("portal:staff_initiative", args=[minh_long["rice_jar"].pk])))
    assert conf.title not in page and "Chưa có hội nghị đánh giá nào xếp loại mô hình này." in page
    assert "Xếp loại gần nhất: chưa được xếp loại" in text(client.get(reverse("portal:staff_list")))


# --- Query counts -------------------------------------------------------------------------------------------


def catalogue_queries(client, **params) -> tuple[int, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CATALOGUE, params)
    return len(captured), len(response.context["page"].object_list)


def test_rated_lists_do_not_query_per_row(client, commune_reviewer, unit_staff, django_capture_on_commit_callbacks,
                                          django_assert_max_num_queries):
    organization = unit_staff.staff_profile.organization
    initiatives = accepted(*(InitiativeFactory(organization=organization, title=f"Mô hình {n}") for n in range(30)))
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), initiatives)
    score_all(conf, seats, {i.code: [95 if n % 2 else 80] for n, i in enumerate(initiatives)})
    close(conf, seats, django_capture_on_commit_callbacks)
    OrganizationFactory(unit=unit("Xã Minh Long"))

    small = catalogue_queries(client, page_size=12)
    large = catalogue_queries(client, page_size=24)
    assert small[0] == large[0] and (small[1], large[1]) == (12, 24)
    top = rating("Tiêu biểu").pk
    assert catalogue_queries(client, page_size=12, rating=top) == (small[0], 12)
    # 15 highly effective models: the link to the next page keeps the filter.
    html = client.get(CATALOGUE, {"page_size": 12, "rating": top}).content.decode()
    assert re.search(rf'rel="next" href="\?[^"]*rating={top}', html)
    with django_assert_max_num_queries(8):
        client.get(CATALOGUE, {"page_size": 48, "rating": top})
    with django_assert_max_num_queries(7):  # the same list again: its count and the scale come from the cache
        client.get(CATALOGUE, {"page_size": 48, "rating": top})

    cache.clear()
    with django_assert_max_num_queries(12):
        client.get(HOME)
    with django_assert_max_num_queries(4):  # figures and outstanding models from the cache
        response = client.get(HOME)
    assert len(response.context["outstanding"]) == 6

    client.force_login(unit_staff)
    with CaptureQueriesContext(connection) as small_list:
        client.get(reverse("portal:staff_list"), {"page_size": 12})
    with CaptureQueriesContext(connection) as large_list:
        response = client.get(reverse("portal:staff_list"), {"page_size": 24})
    assert len(small_list) == len(large_list) <= 10
    assert "Xếp loại gần nhất: Tiêu biểu (2025)" in text(response)
