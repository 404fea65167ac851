"""The residence liaison in headless Chromium, on a phone: the residence cell's secretary opens
the list of the working members keeping contact with the cell, sees the name, the phone (a
link to call) and the cell where the member works, writes the yearly 3-213 opinion, is refused
a second one for the same year with the rule's words; the working side's clerk then reads the
opinion on the member's liaison."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from chibo.accounts.choices import Role  # noqa: E402
from chibo.accounts.policy import SYSTEM  # noqa: E402
from chibo.accounts.services import create_user, grant_role  # noqa: E402
from chibo.liaison import services  # noqa: E402
from chibo.liaison.models import Opinion  # noqa: E402
from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import PASSWORD, D, admit  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def _tai(world):
    member = admit("M090", "Đỗ Văn Tài", world.orgs["CQ.S1"], admitted_on=D(2015, 5, 2),
                   official_on=D(2016, 5, 2), phone="0912345678")
    return services.introduce(services.NewLiaison(
        member=member, introduced_on=D(2024, 3, 15), residence_org=world.orgs["D1.X1"],
        residence_cell=world.orgs["D1.X1.C1"]), actor=SYSTEM)


def _write(page, year: str, level: str) -> None:
    page.get_by_role("link", name="Nhận xét 3-213").click()
    expect(page.locator("#resident")).to_contain_text("Chi bộ Sở Tài chính")
    page.locator("#id_year").fill(year)
    page.get_by_label("Nhận xét chung").select_option(label=level)
    page.locator("#id_comment").fill("Gương mẫu, tích cực tham gia sinh hoạt ở khu dân cư.")
    page.locator("#id_written_on").fill("20/12/2024")
    page.get_by_role("button", name="Ghi", exact=True).click()


def test_the_residence_secretary_writes_the_yearly_opinion_on_a_phone(
        live_world, live_server, phone_page, browser):
    _tai(live_world)
    page = phone_page
    errors = PageErrors(page)
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/org/D1.X1.C1/liaison/residents/")
    row = page.locator("#residents tbody tr")
    expect(row).to_contain_text("Đỗ Văn Tài")
    expect(row.get_by_role("link", name="0912345678")).to_have_attribute("href",
                                                                         "tel:0912345678")
    expect(row).to_contain_text("Chi bộ Sở Tài chính")
    scroll, client = page_widths(page)
    assert scroll <= client + 1

    _write(page, "2024", "Khá")
    expect(page.locator(".alert-success")).to_be_visible()
    assert Opinion.objects.get().feedback == "fair"
    _write(page, "2024", "Tốt")  # a second opinion of the year: refused, nothing written
    expect(page.locator("#liaison-form")).to_contain_text("đã có nhận xét năm 2024")
    assert Opinion.objects.count() == 1
    assert errors.csp_violations() == [] and errors.exceptions == []

    clerk = create_user(actor=SYSTEM, username="agency", password=PASSWORD)
    grant_role(clerk, actor=SYSTEM, role=Role.CLERK, organization=live_world.orgs["CQ.S1"])
    context = browser.new_context()
    office = context.new_page()
    sign_in(office, live_server, "agency")
    office.goto(f"{live_server.url}/org/CQ.S1/liaison/")
    expect(office.locator("#liaisons")).to_contain_text("2024: Khá")
    context.close()
