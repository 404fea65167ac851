"""The clerk's journey through member files, in headless Chromium against a live server."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, sign_in  # noqa: E402
from tests.conftest import admit  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def test_clerk_finds_a_member_without_diacritics_and_records_an_exemption(
        live_world, live_server, page):
    admit("M003", "Đặng Văn Dương", live_world.orgs["D1.X1.C1"], ethnicity="Dao")
    admit("M004", "Nguyễn Văn An", live_world.orgs["D1.X1.C1"])
    errors = PageErrors(page)
    sign_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/org/D1.X1/")
    page.get_by_role("link", name="2 đảng viên").click()
    page.get_by_label("Tìm theo tên, mã, số định danh").fill("dang van duong")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("link", name="Đặng Văn Dương")).to_be_visible()
    expect(page.get_by_role("link", name="Nguyễn Văn An")).to_have_count(0)
    page.get_by_role("link", name="Đặng Văn Dương").click()
    page.get_by_role("button", name="Ghi sự kiện").click()
    page.get_by_role("link", name="Miễn công tác và sinh hoạt đảng", exact=True).click()
    page.get_by_label("Ngày hiệu lực").fill("01/02/2024")
    page.get_by_label("Số quyết định").fill("7-NQ/CB")
    page.get_by_role("button", name="Ghi").click()
    expect(page.locator("#member-history")).to_contain_text("01/02/2024")
    expect(page.locator("#member-history")).to_contain_text("Miễn công tác và sinh hoạt đảng")
    expect(page.locator("#member-history")).to_contain_text("7-NQ/CB")
    assert errors.csp_violations() == []
