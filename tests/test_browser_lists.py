"""The list pattern in headless Chromium: on a phone each row is a card (no crushed table, no
sideways scroll), on a desktop no column header is ever cut, and the pager walks the list."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from chibo.lists.spec import LISTS  # noqa: E402
from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import admit  # noqa: E402
from tests.test_meetings import schedule  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

CARD = """() => Array.from(document.querySelectorAll(".list-table tbody tr")).map(tr => ({
  display: getComputedStyle(tr).display, height: tr.getBoundingClientRect().height,
  width: tr.getBoundingClientRect().width}))"""
HEADERS = """() => Array.from(document.querySelectorAll(".list-table thead th")).map(th => ({
  text: th.textContent, scroll: th.scrollWidth, client: th.clientWidth,
  height: th.getBoundingClientRect().height}))"""


@pytest.fixture
def meetings(live_world):
    day = timezone.localdate() - timedelta(days=3)
    return [schedule(live_world, cell=cell, day=day - timedelta(days=n), topic=f"Chủ đề {n}")
            for n in range(6) for cell in ("D1.X1.C1", "D1.X1.C2")]


def test_a_list_on_a_phone_is_cards(live_world, live_server, phone_page, meetings):
    errors = PageErrors(phone_page)
    sign_in(phone_page, live_server, "commune")
    phone_page.goto(f"{live_server.url}/org/D1.X1/meetings/")
    expect(phone_page.locator("#list-count")).to_contain_text("12 buổi sinh hoạt")
    cards = phone_page.evaluate(CARD)
    assert len(cards) == 12 and {card["display"] for card in cards} == {"flex"}  # not rows
    assert all(card["height"] < 260 and card["width"] <= 360 for card in cards), cards
    assert phone_page.locator(".list-table thead").bounding_box()["height"] <= 1
    scroll, client = page_widths(phone_page)
    assert scroll <= client
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_headers_are_never_cut_on_a_desktop(live_world, live_server, page, meetings):
    admit("M001", "Nông Thị Lan", live_world.orgs["D1.X1.C1"], gender="female")  # findings
    sign_in(page, live_server, "province")
    for url in ("/org/TQ/meetings/", "/org/TQ/meetings/findings/"):
        page.goto(f"{live_server.url}{url}")
        headers = page.evaluate(HEADERS)
        assert headers and all(h["scroll"] <= h["client"] for h in headers), headers
        tallest = max(h["height"] for h in headers)
        assert tallest < 2 * min(h["height"] for h in headers), headers  # one line each


def test_the_pager_walks_the_list_and_back(live_world, live_server, page, meetings,
                                           monkeypatch):
    monkeypatch.setattr(LISTS["meetings.list"], "page_size", 5)
    sign_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/org/D1.X1/meetings/")
    expect(page.locator("#list-count")).to_contain_text("Dòng 1–5 trong 12")
    page.get_by_role("link", name="Trang sau ›").click()
    expect(page.locator("#list-count")).to_contain_text("Dòng 6–10 trong 12")
    page.get_by_role("link", name="Trang sau ›").click()
    expect(page.locator("#list-count")).to_contain_text("Dòng 11–12 trong 12")
    expect(page.get_by_text("Hết danh sách.")).to_be_visible()
    page.get_by_role("link", name="‹ Trang trước").click()
    expect(page.locator("#list-count")).to_contain_text("Dòng 6–10 trong 12")
    page.get_by_label("Tìm theo tên chi bộ, mã buổi").fill("na kha")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#list-count")).to_contain_text("Dòng 1–5 trong 6")
