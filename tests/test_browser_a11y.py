"""Accessibility: the main pages of each role pass axe-core (in headless Chromium) with no
serious or critical violation, on a desktop and on a phone.

The pages are those of the role's menu, found from its home page, so a page a process adds to
the menu is checked without naming it here. axe-core comes from axe-playwright-python (the
axe.min.js it carries is injected into each page by Playwright, past the Content-Security-Policy).
"""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402

from tests.browser_support import sign_in  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
AXE = Axe()


def blocking_violations(page) -> list[str]:
    """The serious and critical violations of the current page, one line each with where."""
    results = AXE.run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])}"
            for v in results.response["violations"] if v["impact"] in BLOCKING]


def menu_urls(page) -> list[str]:
    """The home page and every link of the user's menu, in order, without repeats."""
    urls = [page.url]
    for href in page.locator("[data-nav]").evaluate_all("links => links.map(a => a.href)"):
        if href not in urls:
            urls.append(href)
    return urls


@pytest.mark.parametrize(("username", "phone"), [
    ("province", False), ("commune", False), ("inspector", False), ("secretary", True),
    ("member", True), ("admin", False),
])
def test_the_main_pages_of_each_role_pass_axe(live_world, live_server, browser, username,
                                              phone):
    from tests.browser_support import PHONE, _new_page

    context, page = _new_page(browser, PHONE if phone else {"width": 1280, "height": 800})
    try:
        sign_in(page, live_server, username)
        found = {}
        for url in menu_urls(page):
            page.goto(url)
            if problems := blocking_violations(page):
                found[url] = problems
        assert not found, "\n".join(f"{url}\n  " + "\n  ".join(p) for url, p in found.items())
    finally:
        context.close()
