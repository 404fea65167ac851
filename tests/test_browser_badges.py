"""The party badge in headless Chromium against a live server: the commune's clerk opens the
due list of the next award day, proposes the member who reaches 30 years of party age by then
(the form comes filled from the list's link); the province's organizer opens the proposals,
decides from the proposal's link, is refused for another day with the rule's words, awards on
the award day, and prints the ceremony list; the member page shows the badge."""

from datetime import timedelta

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from chibo.badges.models import Badge  # noqa: E402
from chibo.members.lifecycle import add_months  # noqa: E402
from chibo.members.queries import badge_round  # noqa: E402
from tests.browser_support import PageErrors, sign_in  # noqa: E402
from tests.conftest import admit, build_people  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def test_from_the_due_list_to_the_ceremony_list(live_world, live_server, page):
    build_people(live_world)
    award, _previous = badge_round(timezone.localdate())
    admitted = add_months(award, -12 * 30) - timedelta(days=10)
    admit("M030", "Triệu Văn Ba Mươi", live_world.orgs["D1.X1.C2"], admitted_on=admitted,
          birth_date=admitted.replace(year=admitted.year - 25))
    errors = PageErrors(page)
    sign_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/org/D1.X1/badges/due/")
    row = page.locator("tr", has_text="Triệu Văn Ba Mươi")
    row.get_by_role("link", name="Đề nghị").click()
    expect(page.locator("#id_member_code")).to_have_value("M030")
    expect(page.locator("#id_award_day")).to_have_value(award.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Triệu Văn Ba Mươi")

    page.context.clear_cookies()
    sign_in(page, live_server, "province")
    page.goto(f"{live_server.url}/org/D1.X1/badges/proposals/")
    page.get_by_role("link", name="Đã đề nghị").click()
    expect(page.locator("#id_member_code")).to_have_value("M030")
    # Another day than 3/2, 19/5, 2/9, 7/11: refused with the rule's words.
    page.locator("#id_awarded_on").fill((award + timedelta(days=1)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.locator("#badge-award-form")).to_contain_text("3/2, 19/5, 2/9, 7/11")
    expect(page.locator("details.exception-fields")).to_have_attribute("open", "")
    assert not Badge.objects.exists()
    page.locator("#id_awarded_on").fill(award.strftime("%d/%m/%Y"))
    page.locator("#id_decision_no").fill("88-QĐ/TU")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Badge.objects.get().member.member_code == "M030"

    page.get_by_role("link", name="Danh sách lễ trao").click()
    page.locator("input[name=day]").fill(award.isoformat())
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#ceremony-title")).to_contain_text(award.strftime("%d/%m/%Y"))
    expect(page.locator(".ceremony-list")).to_contain_text("Triệu Văn Ba Mươi")
    page.goto(f"{live_server.url}/members/M030/")
    expect(page.locator("#member-badges")).to_contain_text("Huy hiệu 30 năm tuổi Đảng")
    assert errors.csp_violations() == [] and errors.exceptions == []
