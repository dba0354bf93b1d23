"""Commendations on the pages people read: a decision's printable list of recipients, the commendations of a
model on its public and staff pages, the home page's figure. Everything is built through the services, from
the closed conference of tests/test_award_services.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from awards import services
from awards.models import Commendation, RecipientKind
from models_registry import roles

from .factories import organization_in, persona, unit
from .test_award_services import (  # noqa: F401 - `results` is a fixture
    CENTRAL_BANG_KHEN,
    COMMUNE_GIAY_KHEN,
    PROVINCE_BANG_KHEN,
    approve,
    form,
    proposal,
    results,
)

pytestmark = pytest.mark.django_db

BOARD_GIAY_KHEN = "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"
HOME = reverse("portal:home")


def text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def print_url(decision) -> str:
    return reverse("awards:decision_print", args=[decision.pk])


def detail(client, nomination):
    return client.get(reverse("portal:initiative_detail", args=[nomination.initiative.code]))


@pytest.fixture
def decided(commune_reviewer, provincial_board, results):  # noqa: F811
    """Two decisions of the province and what stays off them:

    board_decision  – the board's Giấy khen to the women's model (collective) and the exemplar (individual),
                      2.340.000 ₫ each;
    chair_decision  – the chairman's Bằng khen to the women's model, 5.000.000 ₫;
    proposed        – the central board's Bằng khen for the women's model, not decided yet;
    rejected        – the commune's Giấy khen for the women's model, rejected;
    by_hand         – a Giấy khen for Trần Thị Mai (no result, a justification), still proposed.
    """
    board = approve(provincial_board, services.propose_from_results(
        acting_user=commune_reviewer, nominations=[results["best"], results["exemplar"]],
        award_form=form(BOARD_GIAY_KHEN)))
    chair = approve(provincial_board, [services.propose(
        acting_user=commune_reviewer, commendation=proposal(results["best"], PROVINCE_BANG_KHEN))],
        number="130/QĐ-UBND", date=datetime.date(2026, 2, 5), prize_amount=5_000_000)
    proposed = services.propose(acting_user=provincial_board,
                                commendation=proposal(results["best"], CENTRAL_BANG_KHEN))
    rejected = services.reject(acting_user=commune_reviewer, reason="Đã được khen cấp tỉnh.", commendation=(
        services.propose(acting_user=commune_reviewer, commendation=proposal(results["best"], COMMUNE_GIAY_KHEN))))
    no_minimum = form(COMMUNE_GIAY_KHEN)
    no_minimum.min_rating = None
    no_minimum.save()
    by_hand = services.propose(acting_user=commune_reviewer, commendation=Commendation(
        recipient_kind=RecipientKind.INDIVIDUAL, person_name="Trần Thị Mai", person_position="Trưởng thôn",
        organization=results["exemplar"].initiative.organization, year=2025, award_form=no_minimum,
        justification="Vận động 120 hộ hiến đất làm đường."))
    return {"board_decision": board, "chair_decision": chair, "proposed": proposed, "rejected": rejected,
            "by_hand": by_hand}


@pytest.fixture
def farmers_staff(results):  # noqa: F811
    """Staff of Xã Minh Long's Farmers' Association, whose exemplar the board's decision commends."""
    organization = results["exemplar"].initiative.organization
    return persona(role=roles.UNIT_STAFF, unit_obj=organization.unit, organization=organization,
                   username="canbo_nongdan")


# --- The printable list --------------------------------------------------------------------------------------


def test_the_list_shows_exactly_the_decisions_recipients_with_their_prizes(client, provincial_board, decided,
                                                                          results):  # noqa: F811
    client.force_login(provincial_board)
    response = client.get(print_url(decided["board_decision"]))
    assert response.status_code == 200
    page = text(response)
    best, exemplar = results["best"].initiative, results["exemplar"].initiative
    assert "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG" in page
    assert (f"I. Tập thể (1) 2.340.000 ₫ 1 Hội Liên hiệp Phụ nữ xã Minh Long Xã Minh Long {best.code} – "
            "Hũ gạo tình thương 2.340.000 ₫") in page
    assert (f"II. Cá nhân (1) 2.340.000 ₫ 1 Nguyễn Văn Bình Chi hội trưởng, Hội Nông dân xã Minh Long "
            f"Xã Minh Long {exemplar.code} – Người nông dân gương mẫu 2.340.000 ₫") in page
    assert "Tổng cộng: 1 tập thể, 1 cá nhân 4.680.000 ₫" in page
    # Only this decision's approved rows: not the chairman's Bằng khen, nor a proposal or a rejection.
    rows = response.context["recipients"].rows
    assert {row.pk for row in rows} == set(Commendation.unscoped.filter(
        decision=decided["board_decision"]).values_list("pk", flat=True))
    assert len(rows) == 2
    assert "5.000.000" not in page and "Trần Thị Mai" not in page
    assert "Nông dân giúp nhau" not in page  # the model rated Đạt was never proposed


def test_the_heading_carries_the_decisions_number_date_and_authority(client, provincial_board, decided):
    client.force_login(provincial_board)
    page = text(client.get(print_url(decided["chair_decision"])))
    assert page.index("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH Số: 130/QĐ-UBND") < page.index(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Quảng Ngãi, ngày 05 tháng 02 năm 2026")
    assert ("DANH SÁCH TẬP THỂ ĐƯỢC KHEN THƯỞNG Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh "
            "(Kèm theo Quyết định số 130/QĐ-UBND ngày 05/02/2026 của Chủ tịch Ủy ban nhân dân tỉnh)") in page
    # One kind only: no sections, the total under the rows.
    assert "I. Tập thể" not in page and "Tổng cộng: 1 tập thể 5.000.000 ₫" in page
    assert page.endswith("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH Nguyễn Văn Hùng")  # the signer


def test_the_list_is_for_the_board_and_the_bodies_it_commends(client, commune_reviewer, decided, farmers_staff,
                                                            other_province_staff, units):
    board, chair = decided["board_decision"], decided["chair_decision"]
    client.force_login(commune_reviewer)  # the commune's board: the recipients are of its area
    assert client.get(print_url(board)).status_code == 200
    client.force_login(farmers_staff)  # the body of the exemplar: on the board's decision, not the chairman's
    assert client.get(print_url(board)).status_code == 200
    assert client.get(print_url(chair)).status_code == 404
    sibling = persona(role=roles.REVIEWER, unit_obj=unit("Xã Sơn Hà"), username="thamdinh_sonha")
    danang_board = persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"), username="ban_dn")
    for outsider in (other_province_staff, sibling, danang_board):
        client.force_login(outsider)
        assert client.get(print_url(board)).status_code == 404
    youth = organization_in("Xã Minh Long", name="Đoàn Thanh niên xã Minh Long")
    client.force_login(persona(role=roles.UNIT_STAFF, unit_obj=youth.unit, organization=youth,
                               username="canbo_doan"))  # another body of the same commune
    assert client.get(print_url(board)).status_code == 404
    client.force_login(commune_reviewer)
    assert client.get(reverse("awards:decision_print", args=[board.pk + chair.pk + 1])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, decided):
    response = client.get(print_url(decided["board_decision"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- The model's pages -----------------------------------------------------------------------------------------


def test_the_public_page_lists_the_approved_commendations_only(client, decided, results):  # noqa: F811
    page = text(detail(client, results["best"]))
    assert "Khen thưởng" in page
    assert ("2025 Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Hội Liên hiệp Phụ nữ xã Minh Long "
            "Quyết định số 130/QĐ-UBND ngày 05/02/2026 Chủ tịch Ủy ban nhân dân tỉnh") in page
    assert ("2025 Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy Hội Liên hiệp Phụ nữ xã Minh Long "
            "Quyết định số 125/QĐ-UBND ngày 20/12/2025 Ban Tuyên giáo và Dân vận Tỉnh ủy") in page
    assert page.index("130/QĐ-UBND") < page.index("125/QĐ-UBND")  # the latest decision first
    assert CENTRAL_BANG_KHEN not in page and COMMUNE_GIAY_KHEN not in page  # proposed, rejected
    assert "danh sách khen thưởng" not in page  # no link to the printable list for the public
    exemplar = text(detail(client, results["exemplar"]))
    assert "Nguyễn Văn Bình, Chi hội trưởng" in exemplar and "Trần Thị Mai" not in exemplar
    assert "Chưa có khen thưởng nào" in text(detail(client, results["maintained"]))


def test_the_staff_page_lists_them_too_with_the_printable_list(client, decided, farmers_staff, results):  # noqa: F811
    client.force_login(farmers_staff)
    response = client.get(reverse("portal:staff_initiative", args=[results["exemplar"].initiative.pk]))
    page = text(response)
    assert ("2025 Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy Nguyễn Văn Bình, Chi hội trưởng "
            "Quyết định số 125/QĐ-UBND ngày 20/12/2025 — danh sách khen thưởng") in page
    assert f'href="{print_url(decided["board_decision"])}"' in response.content.decode()


def test_the_detail_pages_read_the_commendations_once(client, decided, farmers_staff, results,  # noqa: F811
                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # one for the list, whatever its length
        response = detail(client, results["best"])
    assert len(response.context["commendations"]) == 2
    with django_assert_max_num_queries(4):  # none at all for a model without commendations
        detail(client, results["maintained"])
    client.force_login(farmers_staff)
    with django_assert_max_num_queries(13):  # two: the list, and which decisions' lists the staff may print
        client.get(reverse("portal:staff_initiative", args=[results["exemplar"].initiative.pk]))


# --- The home page -------------------------------------------------------------------------------------------


def test_the_home_page_counts_the_approved_commendations(client, commune_reviewer, provincial_board,
                                                          results, django_capture_on_commit_callbacks):  # noqa: F811
    proposals = services.propose_from_results(acting_user=commune_reviewer, award_form=form(BOARD_GIAY_KHEN),
                                              nominations=[results["best"], results["exemplar"]])
    services.propose(acting_user=provincial_board, commendation=proposal(results["best"], CENTRAL_BANG_KHEN))
    assert client.get(HOME).context["figures"].commendations == 0  # proposals do not count; now cached
    with django_capture_on_commit_callbacks(execute=True):
        approve(provincial_board, proposals)
    response = client.get(HOME)
    assert response.context["figures"].commendations == 2  # approving renewed the cached figures
    assert '<span class="num">2</span><span class="label">lượt khen thưởng</span>' in response.content.decode()
