"""The API documentation page in headless Chromium (issue 13): Swagger UI runs inside chibo's
layout from our own static files, under the page's Content Security Policy, on a desktop and on
a 360-pixel phone without sideways scrolling; "Try it out" calls the API with the session."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["page", "phone_page"])
def test_the_api_docs_run_in_the_house_layout(live_world, live_server, request, size):
    page = request.getfixturevalue(size)
    errors = PageErrors(page)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    sign_in(page, live_server, "province")
    page.goto(f"{live_server.url}/api/v1/docs")
    # one visible heading: Swagger's own title block (English) is hidden by api-docs.css
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài liệu API của chibo")
    tag = page.locator("#swagger-ui .opblock-tag", has_text="organizations")
    expect(tag).to_be_visible()
    tag.click()
    operation = page.locator("#swagger-ui .opblock-get").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_have_text(
        "200")
    scroll, client = page_widths(page)
    assert scroll <= client, (scroll, client)
    assert all(url.startswith(live_server.url) for url in requests), requests  # no CDN
    assert errors.csp_violations() == [] and errors.exceptions == [] and errors.console == []
    # the way back
    with page.expect_navigation():
        page.get_by_role("link", name="← Về trang hướng dẫn").click()
    assert page.url == f"{live_server.url}/help/"
