"""A conference in Chromium: the secretary opens the scoring, three members score (one on a 375 px phone, by
keyboard), the chair closes, and the conference shows as closed with its ratings."""

import os
import re

import pytest
from django.utils import translation

from evaluations import services
from evaluations.models import ConferenceStatus, CouncilRole, Nomination, SheetStatus

from ..evaluation_factories import accepted, conference, council_member
from ..factories import InitiativeFactory, organization_in, unit
from .conftest import log_in, screenshot

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per criterion (out of 20, 20, 30, 15, 15): each member gives the first model more than the second.
POINTS = {
    "chutich": (["19", "18", "28", "14", "14"], ["14", "15", "20", "10", "10"]),   # 93 and 69
    "thuky": (["18", "19", "27", "13", "14"], ["15", "14", "22", "11", "10"]),     # 91 and 72
    "uyvien1": (["18,5", "18", "27", "14", "13,5"], ["13", "14", "21", "10", "9"]),  # 91 and 67
}


@pytest.fixture
def preparing_conference(commune_reviewer):
    women = organization_in("Xã Minh Long", name="Hội Liên hiệp Phụ nữ xã Minh Long")
    farmers = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    models = accepted(
        InitiativeFactory(organization=women, title="Mô hình “Hũ gạo tình thương”", registration_year=2025),
        InitiativeFactory(organization=farmers, title="Mô hình “Nông dân giúp nhau”", registration_year=2025))
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    seats = {
        "chutich": council_member(commune_reviewer, conf, "chutich", CouncilRole.CHAIR,
                                  first_name="Hùng", last_name="Lê Văn"),
        "thuky": council_member(commune_reviewer, conf, "thuky", CouncilRole.SECRETARY,
                                first_name="Mai", last_name="Võ Thị"),
        "uyvien1": council_member(commune_reviewer, conf, "uyvien1", first_name="An", last_name="Nguyễn Văn"),
    }
    services.nominate(acting_user=commune_reviewer, conference=conf, initiatives=models)
    return conf, seats, list(Nomination.unscoped.filter(conference=conf).order_by("pk"))


def open_as(new_page, username: str, width: int = 1280):
    page = new_page(width)
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit this sheet?", "Close the conference?"
    log_in(page, username)
    return page


def submit_sheet(page, values) -> None:
    boxes = page.locator("input.points")
    assert boxes.count() == len(values)
    for index, value in enumerate(values):
        boxes.nth(index).fill(value)
    page.click("#nop-phieu")
    page.wait_for_load_state()


def test_a_conference_scored_on_a_laptop_and_a_phone_and_closed(new_page, preparing_conference):
    conf, seats, nominations = preparing_conference
    conference_url = f"/hoi-dong/{conf.pk}/"

    # The secretary opens the scoring from the conference page.
    secretary = open_as(new_page, "thuky")
    secretary.goto("/hoi-dong/")
    secretary.click(f"a[href='{conference_url}']")
    secretary.click("#mo-cham")
    secretary.wait_for_load_state()
    assert "Đã mở chấm điểm" in secretary.inner_text(".messages")
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.SCORING

    # The chair and the secretary score on a laptop: after a sheet the next model opens by itself.
    for username, page in (("chutich", open_as(new_page, "chutich")), ("thuky", secretary)):
        page.goto(conference_url)
        page.click(f"#de-cu-{nominations[0].pk} .nomination-head a")
        for values in POINTS[username]:
            submit_sheet(page, values)
        assert "Bạn đã chấm xong tất cả mô hình" in page.inner_text(".messages")
        assert "Đã chấm 2/2" in page.inner_text("#tien-do")

    # The third member on a phone, by keyboard: Tab through the boxes, Enter saves a draft.
    phone = open_as(new_page, "uyvien1", width=375)
    phone.goto(conference_url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.click(f"#de-cu-{nominations[0].pk} .nomination-head a")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    first = phone.locator("input.points").first
    assert first.get_attribute("inputmode") == "decimal"
    first.focus()
    for index, value in enumerate(POINTS["uyvien1"][0]):
        if index:
            phone.keyboard.press("Tab")
        phone.keyboard.type(value)
    assert phone.inner_text("#tong-diem") == "91"
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    assert "Đã lưu nháp (91 điểm)" in phone.inner_text(".messages")
    assert phone.locator("input.points").nth(4).input_value() == "13,5"
    screenshot(phone, "evaluation-sheet")
    phone.click("#nop-phieu")
    phone.wait_for_url(re.compile(rf"/mo-hinh/{nominations[1].pk}/"))
    submit_sheet(phone, POINTS["uyvien1"][1])
    assert "Bạn đã chấm xong tất cả mô hình" in phone.inner_text(".messages")
    assert Nomination.unscoped.get(pk=nominations[0].pk).sheets.filter(status=SheetStatus.SUBMITTED).count() == 3

    # The chair closes; the conference shows as closed with its ratings, on the phone too.
    chair = open_as(new_page, "chutich")
    chair.goto(conference_url)
    assert "6/6 phiếu đã nộp" in chair.inner_text("main")
    chair.click("#ket-thuc")
    chair.wait_for_load_state()
    assert "Hội nghị đã kết thúc" in chair.inner_text(".messages")
    with translation.override("vi"):
        closed = str(ConferenceStatus.CLOSED.label)
    assert chair.inner_text(".conference-status").lower() == closed.lower()
    ratings = chair.locator(".nomination .rating").all_inner_texts()
    assert ratings == ["Tiêu biểu", "Đạt"]  # 91.67 and 69.33 of 100
    screenshot(chair, "evaluation-conference-closed")
    phone.goto(conference_url)
    assert phone.locator(".nomination .rating").all_inner_texts() == ["Tiêu biểu", "Đạt"]
    assert phone.locator("input.points").count() == 0
    conf.refresh_from_db()
    assert conf.status == ConferenceStatus.CLOSED

    # A visitor finds the rating on the model's public page and through the catalogue's rating filter.
    visitor = new_page(1280)
    best, other = (nomination.initiative for nomination in nominations)
    visitor.goto(f"/mo-hinh/{best.code}/")
    assert "Tiêu biểu" in visitor.inner_text("main")
    assert conf.title in visitor.inner_text("main")
    visitor.goto("/danh-muc/")
    visitor.select_option("select[name=rating]", label="Tiêu biểu")
    visitor.click("main button[type=submit]")
    visitor.wait_for_load_state()
    listed = visitor.inner_text("main")
    assert best.title in listed and other.title not in listed
    screenshot(visitor, "evaluation-catalogue-filter")
