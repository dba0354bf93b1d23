"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium (scripts/ensure_chromium.sh
installs it when it can). Without it these tests are skipped with a message saying how to install it.
"""

import os
from pathlib import Path

import pytest

# The live server runs in a thread while Playwright's sync API keeps an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("DANVAN_CHROMIUM", "/usr/bin/chromium"))  # Debian's package
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artefacts" / "screenshots"
WIDTHS = {"desktop": 1280, "mobile": 375}
INSTALL_HINT = (f"Chromium is not installed at {CHROMIUM}, so the browser tests are skipped. Install it "
                "with `sudo apt-get install chromium` (or run `sudo scripts/ensure_chromium.sh`), then run "
                "`make test` again.")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("DANVAN_REQUIRE_BROWSER"):  # CI must run them, never skip them
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("The Python package playwright is missing: `.venv/bin/pip install -e '.[dev]'`.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def registry_rows(transactional_db):
    """The live server needs committed rows: restore units, roles and fields after the previous flush."""
    from ..conftest import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies) at the given width."""
    contexts = []

    def open_page(width: int = WIDTHS["desktop"]):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                      base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        # What the Content Security Policy blocked (an inline script or style, a foreign source): tests that
        # care assert it stays empty.
        page.csp_violations = []
        page.on("console", lambda message: page.csp_violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    """Save full-page screenshots of the current page at desktop and 375 px widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)  # let the charts resize
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}-{width}.png"), full_page=True)
    page.set_viewport_size(original)


def log_in(page, username: str, password: str = "Mat-khau-2025", path: str = "/tai-khoan/dang-nhap/") -> None:
    page.goto(path)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state()
