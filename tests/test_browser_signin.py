"""The second factor in headless Chromium (issue 15): an officer whom the province requires to
use one is sent to enrolment after the password, scans (or types) the key, confirms with a code
of the app and is shown the recovery codes once; on a phone, with no Content Security Policy
violation (the QR code is an SVG inside the page)."""

from base64 import b32decode

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from django_otp.oath import totp  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def test_an_officer_enrols_on_a_phone(live_world, live_server, phone_page, settings):
    settings.REQUIRE_2FA = "officers"
    page = phone_page
    errors = PageErrors(page)
    sign_in(page, live_server, "province")
    assert "/accounts/second-factor/enrol/" in page.url
    qr = page.get_by_role("img", name="Mã QR để thêm tài khoản vào ứng dụng xác thực")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('main img').naturalWidth") > 0
    key = b32decode(page.locator("[data-manual-key]").inner_text().replace(" ", ""))
    scroll, client = page_widths(page)
    assert scroll <= client, (scroll, client)
    assert errors.csp_violations() == [] and errors.console == []
    page.get_by_label("Mã xác thực").fill(f"{totp(key):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    with page.expect_navigation():
        page.get_by_role("link", name="Đã cất mã, tiếp tục").click()
    assert page.url == f"{live_server.url}/"
    assert errors.exceptions == [] and errors.console == []
