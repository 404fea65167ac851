"""The member's courses in the handbook on a phone, in headless Chromium: the card lists the
course with its result and certificate, fits the screen, and the page runs without errors."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from chibo.accounts.policy import SYSTEM  # noqa: E402
from chibo.courses import services  # noqa: E402
from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import D, admit  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


@pytest.fixture
def lan(live_world):
    """Lan (the `member` login), who completed the commune's course with a certificate."""
    lan = admit("M001", "Nông Thị Lan", live_world.orgs["D1.X1.C1"], gender="female",
                official_on=D(2011, 3, 5))
    lan.user = live_world.users["member"]
    lan.save(update_fields=["user"])
    course = services.open_course(code="L5", name="Lớp bồi dưỡng lý luận chính trị sơ cấp",
                                  kind="political_theory_elementary",
                                  org=live_world.orgs["D1.X1"], start_on=D(2026, 3, 2),
                                  end_on=D(2026, 3, 20), actor=SYSTEM)
    enrollment = services.enroll(course, member=lan, actor=SYSTEM)
    services.record_result(enrollment, "completed", certificate_no="SC-2026/015",
                           certificate_on=D(2026, 3, 20), actor=SYSTEM)
    return lan


def test_the_handbook_shows_the_members_courses_on_a_phone(live_server, phone_page, lan):
    page = phone_page
    errors = PageErrors(page)
    sign_in(page, live_server, "member")
    assert page.url.endswith("/handbook/")
    card = page.locator("#my-courses")
    expect(card.get_by_role("heading", name="Lớp bồi dưỡng của tôi")).to_be_visible()
    expect(card).to_contain_text("Lớp bồi dưỡng lý luận chính trị sơ cấp")
    expect(card).to_contain_text("Hoàn thành")
    expect(card).to_contain_text("SC-2026/015 ngày 20/03/2026")
    scroll_width, client_width = page_widths(page)
    assert scroll_width <= client_width
    assert errors.csp_violations() == [] and errors.exceptions == []
