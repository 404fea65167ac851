"""The clerk's journey through the organization tree, in headless Chromium against a live server.

`commune` is the clerk of D1.X1 (Đảng bộ xã An Phú, three cells). Run only these tests with
`uv run pytest -m browser`; they need Debian's /usr/bin/chromium (see tests/browser_support.py).
"""

import re

import pytest

# Its helpers' asserts get pytest's messages (it is imported here before pytest_plugins loads it).
pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PHONE, PageErrors, page_widths, sign_in  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

COMMUNE = "Đảng bộ xã An Phú"
CELLS = ["Chi bộ thôn Đồng Mạ", "Chi bộ thôn Nà Khà", "Chi bộ Trường Tiểu học An Phú"]
OUT_OF_SCOPE = ["/org/D2.X1/", "/org/TQ/"]
SCREENSHOT = "/tmp/chibo-org-360.png"


def expand_first_node(page):
    """Click the first tree toggle and return the list its children load into."""
    toggle = page.locator("[data-tree-toggle]").first
    expect(toggle).to_have_attribute("aria-expanded", "false")
    children = page.locator("#" + toggle.get_attribute("data-tree-toggle"))
    expect(children).to_be_hidden()
    toggle.click()
    expect(children).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    return toggle, children


def test_clerk_browses_the_tree_and_sees_only_their_scope(live_world, live_server, page):
    sign_in(page, live_server, "commune")

    page.goto(f"{live_server.url}/org/")
    expect(page.locator("h1")).to_have_text("Cây tổ chức đảng")
    tree = page.locator("#tree-body ul.tree")
    expect(tree.locator(":scope > li")).to_have_count(1)  # the clerk's own commune only
    expect(tree).to_contain_text(COMMUNE)
    expect(tree).not_to_contain_text("Yên Lâm")

    # The htmx toggle loads the three cells under the commune, then hides and shows them.
    toggle, children = expand_first_node(page)
    expect(children.locator(":scope > li")).to_have_count(3)
    for cell in CELLS:
        expect(children).to_contain_text(cell)
    toggle.click()
    expect(children).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(children).to_be_visible()

    # The organization page: breadcrumb, children table, history.
    with page.expect_navigation():
        tree.get_by_role("link", name=COMMUNE, exact=True).click()
    assert re.search(r"/org/D1\.X1/(\?|$)", page.url), page.url
    expect(page.locator("h1")).to_have_text(COMMUNE)
    breadcrumb = page.get_by_role("navigation", name="breadcrumb")
    expect(breadcrumb.get_by_role("link", name="Tổ chức", exact=True)).to_have_attribute(
        "href", "/org/")
    expect(breadcrumb.locator('[aria-current="page"]')).to_have_text(COMMUNE)
    children_section = page.locator(
        "section", has=page.get_by_role("heading", name="Tổ chức trực thuộc", exact=True))
    rows = children_section.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for cell in CELLS:
        expect(children_section.locator("table")).to_contain_text(cell)
    history = page.locator("section", has=page.get_by_role("heading", name="Lịch sử tổ chức"))
    expect(history).to_contain_text("01/01/1990")
    expect(history).to_contain_text("Thành lập")

    # A child in scope opens; organizations outside the scope look absent.
    with page.expect_navigation():
        rows.get_by_role("link", name=CELLS[0]).click()
    expect(page.locator("h1")).to_have_text(CELLS[0])
    for path in OUT_OF_SCOPE:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, (path, response.status)
        expect(page).to_have_title(re.compile("Không tìm thấy"))
        expect(page.locator("main")).to_contain_text("Không tìm thấy trang")
        expect(page.locator("main")).not_to_contain_text("Yên Lâm")


def test_tree_search_ignores_diacritics(live_world, live_server, page):
    sign_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/org/")
    page.locator("#id_q").press_sequentially("dong ma")
    results = page.locator("#tree-body .list-group")
    expect(results).to_be_visible()  # htmx swapped the results in, without a page load
    expect(results.locator(".list-group-item")).to_have_count(1)
    expect(results).to_contain_text("Chi bộ thôn Đồng Mạ")
    expect(results).to_contain_text(COMMUNE)  # its place in the tree
    expect(page).to_have_url(re.compile(r"[?&]q=dong"))  # hx-push-url keeps the search

    page.locator("#id_q").fill("yen lam")  # outside the scope: nothing
    expect(page.locator("#tree-body")).to_contain_text("Không tìm thấy tổ chức nào.")


def test_language_switch_to_english(live_world, live_server, page):
    sign_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/org/D1.X1/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "/org/D1.X1/" in page.url  # back on the same page
    expect(page.get_by_role("heading", name="Organization history")).to_be_visible()
    page.goto(f"{live_server.url}/org/")  # the choice sticks
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Party organization tree")
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_phone_pages_fit_and_the_menu_opens(live_world, live_server, phone_page):
    page = phone_page
    sign_in(page, live_server, "commune")
    wide = []
    for path in ["/", "/org/", "/org/D1.X1/", "/org/D1.X1.C1/", *OUT_OF_SCOPE]:
        page.goto(f"{live_server.url}{path}")
        if path == "/org/":
            expand_first_node(page)
        scroll_width, _ = page_widths(page)
        if scroll_width > PHONE["width"]:
            wide.append((path, scroll_width))
    assert not wide, f"horizontal scroll at {PHONE['width']} px: {wide}"

    page.goto(f"{live_server.url}/org/?q=dong+ma")
    assert page_widths(page)[0] <= PHONE["width"]

    page.goto(f"{live_server.url}/org/D1.X1/")
    page.screenshot(path=SCREENSHOT, full_page=True)
    menu = page.locator("#nav-main")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    toggler.click()
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Tổ chức đảng")).to_be_hidden()  # under "Hồ sơ"
    menu.get_by_role("button", name="Hồ sơ").click()
    expect(menu.get_by_role("link", name="Tổ chức đảng")).to_be_visible()
    expect(menu.get_by_role("button", name="English")).to_be_visible()
    assert page_widths(page)[0] <= PHONE["width"]
    with page.expect_navigation():
        menu.get_by_role("link", name="Tổ chức đảng").click()
    expect(page.locator("h1")).to_have_text("Cây tổ chức đảng")


def test_no_content_security_policy_violations(live_world, live_server, page, page_errors):
    def check(where: str) -> None:
        # Read the document's own CSP events before leaving it.
        violations = page_errors.csp_violations()
        assert not violations, f"CSP violations on {where}: {violations}"

    errors: PageErrors = page_errors
    page.goto(f"{live_server.url}/accounts/login/")
    check("the login page")
    sign_in(page, live_server, "commune")
    check("the home page")

    page.goto(f"{live_server.url}/org/")
    expand_first_node(page)  # htmx and chibo.js at work
    page.locator("#id_q").press_sequentially("dong ma")
    expect(page.locator("#tree-body .list-group")).to_contain_text("Đồng Mạ")
    check("the tree")

    page.goto(f"{live_server.url}/org/D1.X1/")
    page.locator("[data-nav-section=records]").click()  # Bootstrap's JavaScript at work
    expect(page.locator("[data-nav-section=records] + .dropdown-menu")).to_be_visible()
    check("/org/D1.X1/")

    for path in OUT_OF_SCOPE:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404
        check(path)

    assert not errors.csp_console(), errors.csp_console()
    assert not errors.exceptions, f"uncaught JavaScript errors: {errors.exceptions}"
    # The only console errors allowed are Chromium's notes on the two 404 documents and on the
    # site's missing /favicon.ico (which the browser asks for by itself).
    allowed_404 = [*OUT_OF_SCOPE, "/favicon.ico"]
    others = [m for m in errors.console
              if not ("status of 404" in m and any(p in m for p in allowed_404))]
    assert not others, f"console errors: {others}"
