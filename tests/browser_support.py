"""Shared pieces for browser tests: headless Debian Chromium driven by Playwright.

A browser test module loads these fixtures with `pytest_plugins = ["tests.browser_support"]` and
marks its tests `@pytest.mark.browser`. Fixtures:

- `browser` (session): Debian's /usr/bin/chromium, launched once. Playwright's own browser
  download cannot run here. Without Chromium the tests fail when CI is set and skip elsewhere.
- `live_world`: the `world` of tests/conftest.py in a database that `live_server` can see
  (transactional, so the server thread sees committed rows).
- `page`: a fresh browser context (own cookies) at a desktop size; `phone_page`: 360×740.
- `page_errors`: what went wrong in the page: console errors, uncaught exceptions and
  Content-Security-Policy violations, for asserting that there were none.

`sign_in(page, live_server, "commune")` signs in through the real login form.
"""

import os
import threading
from collections.abc import Iterator

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.conftest import PASSWORD, World, build_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 10_000

# Collects `securitypolicyviolation` events (CSP) on every document; init scripts are injected
# by the browser itself, so the page's own CSP does not block this one.
_WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On SQLite the test database lives in memory and every server thread shares the test's one
    connection; two requests at once (a page and the session lookup of another) interleave on
    it and a query reads another's row ("IndexError: list index out of range" in CI). Chromium
    still keeps several connections open, so the threads stay and only the application is
    serialized, with the response read and closed inside the lock.
    """

    _lock = threading.Lock()

    def set_app(self, application) -> None:
        def serialized(environ, start_response):
            with self._lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(serialized)


LiveServerThread.server_class = OneRequestAtATimeServer


def require_chromium() -> None:
    """Fail (in CI) or skip (elsewhere) when Debian's Chromium is not installed."""
    if os.path.exists(CHROMIUM):
        return
    message = (f"{CHROMIUM} is missing, so browser tests cannot run; install it with "
               "`apt-get update && apt-get install -y chromium fonts-noto-core`")
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # room for a loaded CI machine

    # Playwright's sync API keeps an asyncio loop running in this thread, so Django's ORM
    # would refuse to run here ("SynchronousOnlyOperation"). Allowed for the rest of the
    # session (other tests that run after the browser started need it too), then restored.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live_world(browser, transactional_db, live_server) -> World:
    """The named users and small province, visible to the live server's thread."""
    return build_world()


def _new_page(browser, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(_WATCH_CSP)
    return context, context.new_page()


@pytest.fixture
def page(browser) -> Iterator:
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser) -> Iterator:
    context, page = _new_page(browser, PHONE)
    yield page
    context.close()


class PageErrors:
    """Console errors and uncaught exceptions of a page, and the CSP violations of its document."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.exceptions: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.exceptions.append(str(error)))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} (at {message.location.get('url', '?')})")

    def csp_violations(self) -> list[str]:
        """Violations of the current document (read before navigating away)."""
        return self.page.evaluate("window.__cspViolations || []")

    def csp_console(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


@pytest.fixture
def page_errors(page) -> PageErrors:
    return PageErrors(page)


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and land on the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url, f"sign-in as {username} failed: {page.url}"


def page_widths(page) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of the current document: equal when nothing scrolls sideways."""
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
