"""The reviewer's screens in Chromium: the list opens on what waits, fits a laptop and a phone, and accepting
asks for confirmation with an optional note."""

import os
import re

import pytest

from models_registry.models import InitiativeStatus

from ..factories import InitiativeFactory, organization_in
from .conftest import log_in, screenshot

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cell_fits(page, selector: str) -> bool:
    """Whether the first cell matching the selector is shown inside the viewport's width."""
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["width"] > 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def test_reviewer_list_fits_the_screen_and_accepting_asks_for_confirmation(new_page, commune_reviewer):
    neighbours = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    waiting = InitiativeFactory(organization=neighbours, title="Mô hình “Nông dân giúp nhau thoát nghèo bền vững”")
    InitiativeFactory(organization=neighbours, status=InitiativeStatus.ACCEPTED, title="Mô hình đã công nhận")

    page = new_page()
    log_in(page, commune_reviewer.username, path="/admin/login/?next=/admin/")
    page.goto("/admin/models_registry/initiative/")
    assert page.url.endswith("?awaiting=me")  # opens on what waits for the reviewer
    assert page.locator("#result_list tbody tr").count() == 1
    page.click("#changelist-filter a[href='?awaiting=all']")
    page.wait_for_url("**/?awaiting=all")
    page.wait_for_load_state()
    assert page.locator("#result_list tbody tr").count() == 2
    # A laptop screen shows every column without scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert cell_fits(page, "#result_list td.field-registration_year")
    screenshot(page, "admin-initiative-list")
    # A phone shows at least the code, the title and the status.
    page.set_viewport_size({"width": 375, "height": 800})
    for column in ("th.field-code", "td.field-title_and_place", "td.field-status_display"):
        assert cell_fits(page, f"#result_list {column}"), column
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click(f"#result_list a:has-text('{waiting.code}')")
    page.wait_for_url(re.compile(rf"/{waiting.pk}/change/"))
    page.click("[data-transition=accept]")
    page.wait_for_url(re.compile(r"/transition/accept/"))
    waiting.refresh_from_db()
    assert waiting.status == InitiativeStatus.SUBMITTED  # nothing happens before the confirmation
    page.fill("#id_reason", "Đề nghị nhân rộng ra các thôn.")
    page.click("#content-main form [type=submit]")
    page.wait_for_load_state()
    assert "Đã chấp nhận" in page.inner_text(".messagelist")
    waiting.refresh_from_db()
    assert waiting.status == InitiativeStatus.ACCEPTED
    assert waiting.transitions.first().reason == "Đề nghị nhân rộng ra các thôn."
