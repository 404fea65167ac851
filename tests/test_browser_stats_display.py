"""How statistics read on a screen (issue 13), in headless Chromium: the dashboard's charts count
whole members on their axes (no "0,5")."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, sign_in  # noqa: E402
from tests.conftest import build_people  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

# The value axis of each chart of the dashboard (the education bars lie horizontally).
VALUE_AXES = {"age": "y", "education": "x", "admissions": "y", "status": "y"}


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
