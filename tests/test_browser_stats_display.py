"""How statistics read on a screen (issue 13), in headless Chromium: the dashboard's charts count
whole members on their axes (no "0,5"), and the per-child table reads at 1280 px and on a phone
(headers wide enough to read, the table scrolling sideways in its frame with the organization's
name kept in view), where it used to be cut to "Đả vi đư…"."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import build_people  # noqa: E402
from tests.test_browser_stats import live_province  # noqa: E402, F401

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

# The value axis of each chart of the dashboard (the education bars lie horizontally).
VALUE_AXES = {"age": "y", "education": "x", "admissions": "y", "status": "y"}
MIN_HEADER_PX = 88  # 5.5rem: a header's words read in a few lines, not one syllable a line


def test_the_dashboard_axes_count_whole_members(live_world, live_server, page):
    build_people(live_world)  # five members in D1.X1.C1: counts of 0 to 5
    errors = PageErrors(page)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/org/D1.X1.C1/")
    expect(page.locator("#stats-dashboard")).to_have_attribute("data-loaded", "1")
    for name, axis in VALUE_AXES.items():
        ticks = page.locator(f'canvas[data-chart="{name}"]').evaluate(
            "(c, axis) => window.Chart.getChart(c).scales[axis].ticks.map(t => t.value)", axis)
        assert ticks, name
        assert all(float(t).is_integer() for t in ticks), (name, ticks)
        assert min(ticks) == 0, (name, ticks)  # bars start at zero
    assert errors.exceptions == [] and errors.console == []


def frame_of(page) -> dict:
    """The per-child table's frame and its cells' boxes, in page pixels."""
    return page.evaluate("""() => {
        const frame = document.querySelector('#children').closest('.table-responsive');
        const box = e => { const r = e.getBoundingClientRect();
                           return {left: r.left, right: r.right, width: r.width}; };
        return {frame: box(frame), scroll: frame.scrollWidth, client: frame.clientWidth,
                headers: [...document.querySelectorAll('#children thead th')].map(box),
                names: [...document.querySelectorAll('#children tbody tr > :first-child')]
                       .map(box)};
    }""")


def scroll_to_the_end(page) -> None:
    page.evaluate("""() => { const f = document.querySelector('#children')
                              .closest('.table-responsive'); f.scrollLeft = f.scrollWidth; }""")


def open_children(page, live_server, group: str):
    page.goto(f"{live_server.url}/stats/TQ/?as_of=01/10/2023&group={group}")
    expect(page.locator("#children")).to_contain_text("Đảng bộ huyện Sơn Dương")


def test_the_per_child_table_reads_at_1280_px(live_province, live_server, page):  # noqa: F811
    errors = PageErrors(page)
    sign_in(page, live_server, "province")
    # the members' group fits the frame at 1280 px, every header wide enough to read
    open_children(page, live_server, "members")
    seen = frame_of(page)
    assert seen["scroll"] <= seen["client"]
    assert all(h["width"] >= MIN_HEADER_PX for h in seen["headers"]), seen["headers"]
    assert all(h["right"] <= seen["frame"]["right"] + 1 for h in seen["headers"])
    # a wider group scrolls in its frame, the organizations' names staying in view
    open_children(page, live_server, "meetings")
    seen = frame_of(page)
    assert seen["scroll"] > seen["client"]
    assert all(h["width"] >= MIN_HEADER_PX for h in seen["headers"]), seen["headers"]
    scroll_to_the_end(page)
    seen = frame_of(page)
    assert all(abs(n["left"] - seen["frame"]["left"]) < 1 for n in seen["names"]), seen
    last = seen["headers"][-1]
    assert seen["frame"]["left"] < last["left"] and last["right"] <= seen["frame"]["right"] + 1
    assert errors.csp_violations() == [] and errors.exceptions == [] and errors.console == []


def test_the_per_child_table_reads_on_a_phone(live_province, live_server, phone_page):  # noqa: F811
    sign_in(phone_page, live_server, "province")
    open_children(phone_page, live_server, "members")
    scroll, client = page_widths(phone_page)
    assert scroll <= client  # the frame scrolls, not the page
    seen = frame_of(phone_page)
    assert seen["frame"]["right"] <= client
    names = seen["names"][0]
    assert names["width"] <= client / 2  # the sticky names leave room for the figures
    assert all(h["width"] >= MIN_HEADER_PX for h in seen["headers"][1:]), seen["headers"]
    scroll_to_the_end(phone_page)
    seen = frame_of(phone_page)
    assert all(abs(n["left"] - seen["frame"]["left"]) < 1 for n in seen["names"]), seen
    assert seen["headers"][-1]["right"] <= seen["frame"]["right"] + 1
