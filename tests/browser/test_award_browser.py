"""A commendation in Chromium: the provincial board proposes from a closed conference's results, approves the
proposal onto a decision, and the commendation shows on the model's public page."""

import os

import pytest

from awards.models import Commendation, CommendationStatus, Decision
from evaluations import services

from ..evaluation_factories import accepted, score_all, scoring_conference
from ..factories import InitiativeFactory, organization_in, unit
from .conftest import log_in, screenshot

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"


@pytest.fixture
def closed_conference(commune_reviewer):
    women = organization_in("Xã Minh Long", name="Hội Liên hiệp Phụ nữ xã Minh Long")
    best = accepted(InitiativeFactory(organization=women, title="Mô hình “Hũ gạo tình thương”",
                                      registration_year=2025))[0]
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), [best])
    score_all(conf, seats, {best.code: [95, 93, 92]})
    services.result_decide(acting_user=seats[0].user, nomination=conf.nominations.get(),
                           proposed_for_commendation=True, recognised=True)
    services.conference_close(acting_user=seats[0].user, conference=conf)
    return conf, best


def test_the_board_proposes_approves_and_the_public_page_shows_it(new_page, provincial_board, closed_conference):
    conf, best = closed_conference
    board = new_page(1280)
    log_in(board, provincial_board.username, path="/admin/login/")

    board.goto("/admin/awards/commendation/")
    board.click("text=Đề nghị từ kết quả hội nghị")
    board.select_option("#id_conference", value=str(conf.pk))
    board.click("input[value='Xem kết quả']")
    board.wait_for_load_state()
    assert board.is_checked(f"#de-nghi-{conf.nominations.get().pk}")  # the council's proposal is ticked
    board.select_option("#id_award_form", label=FORM)
    board.click("input[name=confirm]")
    board.wait_for_load_state()
    assert "Đã ghi 1 đề nghị khen thưởng" in board.inner_text("ul.messagelist")
    proposal = Commendation.unscoped.get()
    assert proposal.status == CommendationStatus.PROPOSED

    board.check(f"input[name=_selected_action][value='{proposal.pk}']")
    board.select_option("select[name=action]", value="approve_selected")
    board.click("button[name=index]")
    board.wait_for_load_state()
    board.fill("#id_number", "215/QĐ-BTGDVTU")
    board.fill("#id_date", "20/12/2025")
    board.fill("#id_signer", "Trần Thị Hạnh")
    board.fill("#id_prize_amount", "702000")
    screenshot(board, "award-decision-form")
    board.click("#content-main input[type=submit]")
    board.wait_for_load_state()
    decision = Decision.unscoped.get()
    assert "215/QĐ-BTGDVTU" in board.inner_text("#content")
    assert Commendation.unscoped.get().status == CommendationStatus.APPROVED

    visitor = new_page(375)
    visitor.goto(f"/mo-hinh/{best.code}/")
    shown = visitor.inner_text("main")
    assert "Khen thưởng" in shown and FORM in shown and decision.number in shown
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(visitor, "award-on-public-page")
