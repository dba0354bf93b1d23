"""Lists too long to count and deep pages (models_registry.pagination): what a person sees.

The limits are lowered here (a count stops after a few rows) so that a handful of rows plays a whole country's:
the count then says plainly that it is approximate, a deep page shows the rows it would show with an exact
count, in the list's order, a page past the end of a list shorter than estimated shows its real last page,
and nobody sees a row outside their scope on any page.
"""

import pytest
from django.urls import reverse

from models_registry import pagination
from models_registry.models import Initiative, InitiativeStatus
from models_registry.pagination import LargeListPaginator

from .factories import InitiativeFactory, OrganizationFactory, unit

pytestmark = pytest.mark.django_db

INITIATIVES = reverse("admin:models_registry_initiative_changelist")
CATALOGUE = reverse("portal:catalogue")


@pytest.fixture
def small_limit(monkeypatch):
    """A count stops after 10 rows; the planner's estimate is whatever the test says (None: none)."""
    monkeypatch.setattr(LargeListPaginator, "count_limit", 10)
    estimate = {"rows": None}
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: estimate["rows"])
    return estimate


@pytest.fixture
def minh_long_rows(units):
    """30 submitted registrations of today's Xã Minh Long (Quảng Ngãi) and 5 of Phường Hải Châu (Đà Nẵng)."""
    minh_long = OrganizationFactory(unit=unit("Xã Minh Long"))
    hai_chau = OrganizationFactory(unit=unit("Phường Hải Châu"))
    rows = [InitiativeFactory(organization=minh_long, title=f"Mô hình Minh Long {n:02d}") for n in range(30)]
    others = [InitiativeFactory(organization=hai_chau, title=f"Mô hình Hải Châu {n}") for n in range(5)]
    return rows, others


def admin_list(client, **params):
    response = client.get(INITIATIVES, {"awaiting": "all", **params})
    assert response.status_code == 200
    return response


def codes(response) -> list[str]:
    return [initiative.code for initiative in response.context["cl"].result_list]


# --- The paginator itself ---------------------------------------------------------------------------------


def test_a_list_under_the_limit_is_counted_exactly(units, minh_long_rows):
    paginator = LargeListPaginator(Initiative.unscoped.order_by("-id"), 4)
    assert paginator.count_is_exact and paginator.count == 35 and paginator.num_pages == 9
    assert paginator.count_text("mô hình", "mô hình") == "35 mô hình"


def test_a_list_over_the_limit_says_more_than_or_about(small_limit, minh_long_rows):
    paginator = LargeListPaginator(Initiative.unscoped.order_by("-id"), 4)
    assert not paginator.count_is_exact
    assert paginator.count_text("mô hình", "mô hình") == "hơn 10 mô hình"

    small_limit["rows"] = 1_234_567  # the planner's estimate, rounded: it claims no more than it knows
    paginator = LargeListPaginator(Initiative.unscoped.order_by("-id"), 4)
    assert paginator.count_text("mô hình", "mô hình") == "khoảng 1.200.000 mô hình (số ước tính)"


@pytest.mark.parametrize("estimate", [None, 1_000, 12])
def test_every_page_of_an_uncounted_list_shows_its_own_rows_in_order(small_limit, minh_long_rows, estimate):
    small_limit["rows"] = estimate
    ordered = list(Initiative.unscoped.order_by("-id").values_list("code", flat=True))
    paginator = LargeListPaginator(Initiative.unscoped.order_by("-id"), 4)
    seen = []
    for number in range(1, 10):
        page = paginator.page(number)
        assert page.number == number
        seen += [initiative.code for initiative in page.object_list]
    assert seen == ordered
    assert not page.has_next() and paginator.count == 35  # the last page told the exact count


def test_pages_of_a_list_ordered_by_a_relation_follow_the_related_order(small_limit, minh_long_rows):
    """Yearly results sort by their initiative, i.e. by the initiative's own order (newest year, newest id)."""
    from models_registry.models import YearlyResult

    from .factories import YearlyResultFactory

    for index, initiative in enumerate(minh_long_rows[0][:8]):
        initiative.registration_year = 2020 + index % 3
        initiative.save()
        for year in (2023, 2024):
            YearlyResultFactory(initiative=initiative, year=year)
    rows = YearlyResult.unscoped.order_by("initiative", "-year", "-pk")
    expected = list(rows.values_list("pk", flat=True))
    paginator = LargeListPaginator(rows, 3)  # 16 rows: "more than 10"
    assert [r.pk for number in range(1, 7) for r in paginator.page(number).object_list] == expected
    small_limit["rows"] = None
    exact = LargeListPaginator(rows, 3, count_limit=100)  # counted exactly: the keys are sorted, not walked
    assert [r.pk for number in range(1, 7) for r in exact.page(number).object_list] == expected


def test_a_page_past_the_end_of_an_overestimated_list_is_its_last_page(small_limit, minh_long_rows):
    small_limit["rows"] = 1_000_000
    paginator = LargeListPaginator(Initiative.unscoped.order_by("-id"), 4)
    page = paginator.page(500)
    assert page.number == 9 and paginator.count == 35 and paginator.count_is_exact
    assert [i.code for i in page.object_list] == list(
        Initiative.unscoped.order_by("-id").values_list("code", flat=True))[32:]


def test_a_list_longer_than_estimated_goes_on_past_the_estimate(small_limit, minh_long_rows):
    paginator = LargeListPaginator(Initiative.unscoped.order_by("-id"), 4)  # "more than 10": 3 pages
    assert paginator.num_pages == 3
    page = paginator.page(3)
    assert page.has_next() and paginator.num_pages == 4
    assert list(paginator.get_elided_page_range(3))[-1] == paginator.ELLIPSIS  # no guessed last page


# --- The admin's lists ------------------------------------------------------------------------------------


@pytest.fixture
def four_per_page(monkeypatch):
    """Four rows a page: fewer than a count's limit, as 50 are fewer than 10.000."""
    from models_registry.admin.initiatives import InitiativeAdmin

    monkeypatch.setattr(InitiativeAdmin, "list_per_page", 4)


def test_admin_list_says_its_count_is_approximate_and_pages_deep_in_order(client, small_limit, minh_long_rows,
                                                                          provincial_board, four_per_page):
    client.force_login(provincial_board)
    ordered = [i.code for i in sorted(minh_long_rows[0], key=lambda i: -i.pk)]  # newest first
    response = admin_list(client)
    assert "hơn 10 mô hình, điển hình" in response.content.decode()
    assert codes(response) == ordered[:4]
    assert codes(admin_list(client, p=2)) == ordered[4:8]
    assert codes(admin_list(client, p=7)) == ordered[24:28]

    small_limit["rows"] = 200_000
    text = admin_list(client).content.decode()
    assert "khoảng 200.000 mô hình, điển hình (số ước tính)" in text


def test_admin_deep_page_rows_follow_a_chosen_column_order(client, small_limit, minh_long_rows, provincial_board,
                                                           four_per_page):
    client.force_login(provincial_board)
    by_title = [i.code for i in sorted(minh_long_rows[0], key=lambda i: (i.title, i.pk))]
    seen = []
    for number in range(1, 9):
        response = admin_list(client, o="2", p=number)  # the title column, A to Z
        assert response.context["cl"].page_num == number
        seen += codes(response)
    assert seen == by_title


def test_admin_page_past_the_end_shows_the_last_page(client, small_limit, minh_long_rows, provincial_board,
                                                     four_per_page):
    small_limit["rows"] = 1_000_000
    client.force_login(provincial_board)
    response = admin_list(client, p=4000)
    assert response.context["cl"].page_num == 8 and len(codes(response)) == 2
    assert "30 mô hình" in response.content.decode()


def test_admin_search_finds_the_same_rows_and_says_when_it_stopped_counting(client, minh_long_rows, provincial_board,
                                                                            four_per_page, monkeypatch):
    client.force_login(provincial_board)
    assert "30 kết quả" in admin_list(client, q="minh long").content.decode()
    found = [code for number in range(1, 9) for code in codes(admin_list(client, q="minh long", p=number))]
    assert sorted(found) == sorted(i.code for i in minh_long_rows[0])
    assert codes(admin_list(client, q="hai chau")) == []  # Đà Nẵng's, outside the scope

    monkeypatch.setattr("models_registry.scoped_admin.RANK_LIMIT", 5)
    response = admin_list(client, q="minh long")
    assert "hơn 5 kết quả" in response.content.decode()
    ordered = [i.code for i in sorted(minh_long_rows[0], key=lambda i: -i.pk)]  # too many to rank: newest first
    assert codes(response) == ordered[:4] and codes(admin_list(client, q="minh long", p=3)) == ordered[8:12]


def test_no_page_of_a_list_shows_a_row_outside_the_scope(client, small_limit, minh_long_rows, monkeypatch):
    """A reviewer of Đà Nẵng paging through the whole list, deep pages included, meets only Đà Nẵng's rows;
    a typed deep page of Quảng Ngãi's size shows their last page, nothing more."""
    from models_registry import roles
    from models_registry.admin.initiatives import InitiativeAdmin

    from .factories import persona

    monkeypatch.setattr(InitiativeAdmin, "list_per_page", 2)
    small_limit["rows"] = 1_000
    client.force_login(persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"),
                               username="ban_danang"))
    theirs = {i.code for i in minh_long_rows[1]}
    seen = set()
    for number in (1, 2, 3, 15):
        seen |= set(codes(admin_list(client, p=number)))
        seen |= set(codes(admin_list(client, p=number, q="mo hinh")))
    assert seen == theirs


# --- The public catalogue ---------------------------------------------------------------------------------


def test_catalogue_says_its_count_is_approximate_and_numbers_pages_without_a_last_one(client, small_limit,
                                                                                      minh_long_rows):
    Initiative.unscoped.update(status=InitiativeStatus.ACCEPTED)
    response = client.get(CATALOGUE, {"page": 2})
    text = response.content.decode()
    assert "Tìm thấy hơn 10 mô hình" in text
    assert "Trang 2" in text and "Trang 2/" not in text
    ordered = list(Initiative.unscoped.order_by("-registration_year", "-id").values_list("code", flat=True))
    assert [i.code for i in response.context["page"].object_list] == ordered[12:24]

    small_limit["rows"] = 750_000
    from django.core.cache import cache

    cache.clear()
    assert "Tìm thấy khoảng 750.000 mô hình (số ước tính)" in client.get(CATALOGUE).content.decode()


def test_catalogue_deep_pages_and_searches_show_the_same_rows_as_before(client, minh_long_rows):
    Initiative.unscoped.update(status=InitiativeStatus.ACCEPTED)
    ordered = list(Initiative.unscoped.order_by("-registration_year", "-id").values_list("code", flat=True))
    seen = []
    for number in (1, 2, 3):
        seen += [i.code for i in client.get(CATALOGUE, {"page": number}).context["page"].object_list]
    assert seen == ordered
    text = client.get(CATALOGUE, {"page": 3}).content.decode()
    assert "Tìm thấy 35 mô hình" in text and "Trang 3/3" in text
    found = client.get(CATALOGUE, {"q": "hai chau", "page_size": 48}).context["page"].object_list
    assert {i.code for i in found} == {i.code for i in minh_long_rows[1]}
