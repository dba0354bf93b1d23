"""In Chromium: the catalogue's commune list narrows as soon as a province is chosen, without sending the form;
without JavaScript it narrows once the form is sent."""

import os

import pytest
from playwright.sync_api import expect

from models_registry.models import InitiativeStatus
from portal.selectors import province_communes

from ..factories import InitiativeFactory, OrganizationFactory, unit

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNIT_OPTIONS = "#id_unit option"


def commune_names(page) -> list[str]:
    return page.locator(UNIT_OPTIONS).all_inner_texts()[1:]  # after "Tất cả đơn vị"


def test_choosing_a_province_narrows_the_commune_list_without_sending_the_form(new_page):
    InitiativeFactory(status=InitiativeStatus.ACCEPTED, title="Mô hình “Hũ gạo tình thương”",
                      organization=OrganizationFactory(unit=unit("Phường Hải Châu")))
    page = new_page()
    page.goto("/danh-muc/")
    assert commune_names(page) == []

    page.select_option("#id_province", label="Tỉnh Quảng Ngãi")
    # Waiting with expect(), not wait_for_function(): the page's CSP forbids evaluating strings.
    expect(page.locator(UNIT_OPTIONS).nth(1)).to_be_attached()
    assert page.url.endswith("/danh-muc/")  # nothing was sent
    names = commune_names(page)
    assert names == [u.name for u in province_communes(unit("Tỉnh Quảng Ngãi").pk)]  # alphabetical, today's map
    assert "Xã Minh Long" in names and "Phường Hải Châu" not in names
    page.select_option("#id_unit", label="Xã Minh Long")

    # Another province: its communes, and the commune chosen in the first one is let go.
    page.select_option("#id_province", label="Thành phố Đà Nẵng")
    expect(page.locator(UNIT_OPTIONS, has_text="Phường Hải Châu")).to_have_count(1)
    assert "Xã Minh Long" not in commune_names(page)
    assert page.locator("#id_unit").input_value() == ""

    page.select_option("#id_unit", label="Phường Hải Châu")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert f"unit={unit('Phường Hải Châu').pk}" in page.url
    assert page.locator("a.card-title", has_text="Hũ gạo tình thương").count() == 1
    assert page.locator("#id_unit").input_value() == str(unit("Phường Hải Châu").pk)

    # Back to every province: no commune list to choose from.
    page.select_option("#id_province", value="")
    expect(page.locator(UNIT_OPTIONS)).to_have_count(1)


def test_without_javascript_the_commune_list_narrows_once_the_form_is_sent(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto("/danh-muc/")
        page.click("details.more-filters summary")  # opened by the page's script on a wide screen otherwise
        page.select_option("#id_province", label="Tỉnh Quảng Ngãi")
        assert commune_names(page) == []
        page.click("form.filters button[type=submit]")
        page.wait_for_load_state()
        assert "Xã Minh Long" in commune_names(page)
    finally:
        context.close()
