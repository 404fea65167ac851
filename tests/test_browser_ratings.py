"""The annual rating in headless Chromium against a live server: the commune's clerk opens the
year's ratings, sees the quota, decides five "good" and one "excellent" on the decision page,
sees the second "excellent" refused with the rule's words before it breaks the 20 %, records it
with the exception that allowed it, and sees the quota warning; the cell's secretary proposes a
member's level on a phone."""

from datetime import date

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from chibo.accounts.policy import SYSTEM  # noqa: E402
from chibo.ratings import services  # noqa: E402
from chibo.ratings.models import Proposal, Rating  # noqa: E402
from tests.browser_support import PageErrors, sign_in  # noqa: E402
from tests.conftest import build_people  # noqa: E402
from tests.test_browser_selfexam import no_sideways_scroll  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def decide(page, url: str, code: str, level: str) -> None:
    page.goto(url)
    page.get_by_label("Mã đảng viên").fill(code)
    page.get_by_label("Xếp loại").select_option(label=level)
    page.locator("#id_decided_on").fill("20/12/2025")
    page.get_by_role("button", name="Ghi", exact=True).click()


def test_the_committee_decides_and_sees_the_quota_live(live_world, live_server, page):
    build_people(live_world)
    errors = PageErrors(page)
    sign_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/org/D1.X1/ratings/?year=2025")
    expect(page.locator("#rating-quota")).to_contain_text("Còn được quyết định 0")
    page.get_by_role("link", name="Quyết định xếp loại").click()
    url = page.url
    for code in ("M002", "M003", "M004", "M005", "M006"):
        decide(page, url, code, "Hoàn thành tốt nhiệm vụ")
        expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#rating-quota")).to_contain_text("Còn được quyết định 1")
    decide(page, url, "M001", "Hoàn thành xuất sắc nhiệm vụ")
    expect(page.locator("#rating-quota")).to_contain_text("Còn được quyết định 0")

    # The second "excellent" would break the quota: refused with the rule's words.
    decide(page, url, "M007", "Hoàn thành xuất sắc nhiệm vụ")
    expect(page.locator("#rating-form")).to_contain_text("20%")
    expect(page.locator("details.exception-fields")).to_have_attribute("open", "")
    assert Rating.objects.filter(member__member_code="M007").count() == 0
    page.locator("#id_exception_no").fill("12-QĐ/ĐU")
    page.locator("#id_exception_on").fill("20/12/2025")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#rating-quota .alert-danger")).to_contain_text("Vượt tỷ lệ")
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_the_secretary_proposes_a_members_level_on_a_phone(live_world, live_server,
                                                           phone_page):
    """From the campaign list to the member's proposal page and back, at 360 px: the cell's
    conclusion of a manifestation allows only "not complete"."""
    people = build_people(live_world)
    services.open_campaign(services.NewCampaign(
        org=live_world.orgs["D1.X1"], year=2025, opened_on=date(2025, 11, 1),
        deadline=date(2025, 12, 10)), actor=SYSTEM)
    page = phone_page
    errors = PageErrors(page)
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/org/D1.X1.C1/ratings/campaign/?year=2025")
    page.locator("#list-results").get_by_role("link", name="Ma Văn Thắng").first.click()
    expect(page.locator("#proposal-state")).to_contain_text("Chưa đề xuất")
    no_sideways_scroll(page)
    page.get_by_label("Chi bộ đề xuất xếp loại").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.get_by_label("A5.", exact=False).check()
    page.get_by_role("button", name="Ghi đề xuất").click()
    expect(page.locator("#proposal-form")).to_contain_text(
        "chỉ được đề xuất không hoàn thành nhiệm vụ")
    assert not Proposal.objects.exists()
    page.get_by_label("Chi bộ đề xuất xếp loại").select_option(
        label="Không hoàn thành nhiệm vụ")
    page.get_by_role("button", name="Ghi đề xuất").click()
    expect(page.get_by_text("Đã ghi đề xuất của chi bộ.")).to_be_visible()
    expect(page.locator("#list-results")).to_contain_text("Không hoàn thành nhiệm vụ")
    proposal = Proposal.objects.get()
    assert (proposal.member, proposal.level, proposal.manifestations) == (
        people["thang"], "not_complete", ["A5"])
    no_sideways_scroll(page)
    assert errors.csp_violations() == [] and errors.exceptions == []
