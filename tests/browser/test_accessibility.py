"""Accessibility (WCAG 2 A/AA) of the pages people use, checked with axe-core in Chromium.

axe-core is vendored under tests/browser/vendor/axe-core/ (`npm run vendor-test` refreshes it), so these
tests need no network. A page fails on any violation of impact "serious" or "critical"; the failure lists each
rule, its impact and the elements to fix.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from models_registry.models import InitiativeStatus

from ..factories import InitiativeFactory, YearlyResultFactory, organization_in
from .conftest import WIDTHS, log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it is now; the serious and critical violations of WCAG 2 A/AA."""
    # Evaluated by the browser's tooling, not added to the page as an inline script (which the CSP forbids).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;window.axe = axe;")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, what: str) -> None:
    assert not page.csp_violations, f"{what} ({page.url}) breaks the Content Security Policy:\n" + \
        "\n".join(page.csp_violations)
    violations = axe_violations(page)
    page.csp_violations.clear()  # axe's own probing styles, not the page's
    assert not violations, f"{what} ({page.url}):\n{describe(violations)}"


@pytest.fixture
def public_model():
    """An accepted model with results over several years (the results table scrolls sideways on a phone)."""
    initiative = InitiativeFactory(status=InitiativeStatus.ACCEPTED, registration_year=2023,
                                   title="Mô hình “Hũ gạo tình thương” của chi hội phụ nữ thôn Làng Ren")
    for year, value in ((2023, 45_000_000), (2024, 125_000_000), (2025, 310_500_000)):
        YearlyResultFactory(initiative=initiative, year=year, value_mobilised=value)
    return initiative


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_public_pages_have_no_serious_accessibility_violation(new_page, public_model, width):
    page = new_page(width)
    for path, what in ((reverse("portal:home"), "home page"),
                       (reverse("portal:catalogue"), "catalogue"),
                       (reverse("portal:initiative_detail", args=[public_model.code]), "model page")):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert_accessible(page, f"{what} at {width} px")


def test_results_table_on_a_phone_can_be_scrolled_with_the_keyboard(new_page, public_model):
    page = new_page(WIDTHS["mobile"])
    page.goto(reverse("portal:initiative_detail", args=[public_model.code]))
    scroller = page.locator(".table-scroll").first
    assert scroller.get_attribute("tabindex") == "0"
    assert scroller.get_attribute("aria-labelledby") or scroller.get_attribute("aria-label")


@pytest.fixture
def review_work(commune_reviewer):
    """Submitted and accepted registrations in the reviewer's commune, one with results."""
    organization = organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")
    submitted = InitiativeFactory(organization=organization, registration_year=2025,
                                  title="Mô hình “Nông dân giúp nhau làm giàu”")
    accepted = InitiativeFactory(organization=organization, registration_year=2024,
                                 status=InitiativeStatus.ACCEPTED, title="Mô hình “Đường làng sáng đèn”")
    YearlyResultFactory(initiative=accepted, year=2024, value_mobilised=80_000_000)
    return {"submitted": submitted, "accepted": accepted}


def test_reviewer_admin_screens_have_no_serious_accessibility_violation(new_page, commune_reviewer, review_work):
    page = new_page()
    log_in(page, commune_reviewer.username, path=reverse("admin:login"))
    submitted = review_work["submitted"]
    screens = [
        (reverse("admin:index"), "admin index"),
        (reverse("admin:models_registry_initiative_changelist"), "initiative list"),
        (reverse("admin:models_registry_initiative_change", args=[submitted.pk]), "initiative page"),
        (reverse("admin:models_registry_initiative_transition", args=[submitted.pk, "return"]), "return page"),
        (reverse("admin:models_registry_yearlyresult_add"), "yearly result form"),
    ]
    for path, what in screens:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert "/login/" not in page.url, f"{what}: the reviewer was sent to the log-in page"
        assert_accessible(page, what)


def test_reviewer_admin_screens_are_accessible_on_a_phone(new_page, commune_reviewer, review_work):
    page = new_page(WIDTHS["mobile"])
    log_in(page, commune_reviewer.username, path=reverse("admin:login"))
    for path, what in ((reverse("admin:models_registry_initiative_changelist"), "initiative list"),
                       (reverse("admin:models_registry_initiative_change", args=[review_work["submitted"].pk]),
                        "initiative page")):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert_accessible(page, f"{what} at 375 px")


def test_provincial_board_user_screens_have_no_serious_accessibility_violation(new_page, provincial_board,
                                                                             unit_staff):
    page = new_page()
    log_in(page, provincial_board.username, path=reverse("admin:login"))
    for path, what in ((reverse("admin:auth_user_changelist"), "user list"),
                       (reverse("admin:auth_user_change", args=[unit_staff.pk]), "user page"),
                       (reverse("admin:auth_user_add"), "new account form"),
                       (reverse("admin:models_registry_organization_add"), "new organisation form")):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert_accessible(page, what)


def test_search_box_of_the_admin_lists_is_named_in_vietnamese(new_page, commune_reviewer, review_work):
    page = new_page()
    log_in(page, commune_reviewer.username, path=reverse("admin:login"))
    page.goto(reverse("admin:models_registry_initiative_changelist"))
    name = page.evaluate("""() => {
        const box = document.getElementById('searchbar');
        return [...box.labels].map(label => label.textContent.trim() || label.querySelector('img')?.alt).join(' ');
    }""")
    assert name == "Tìm kiếm"
