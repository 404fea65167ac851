"""Party dues in headless Chromium against a live server: the cell's treasurer records a
month on the cell's sheet on a phone (a card per member, the due filled in) and gets its
receipt; the member sees the month paid in the handbook; the commune's clerk sees who is three
months behind on the findings page."""

from datetime import date

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from chibo.accounts.choices import Role  # noqa: E402
from chibo.accounts.policy import SYSTEM  # noqa: E402
from chibo.accounts.services import create_user, grant_role  # noqa: E402
from chibo.dues import services  # noqa: E402
from chibo.dues.config import install_defaults  # noqa: E402
from chibo.dues.models import DuesSettings, Payment  # noqa: E402
from chibo.interchange.importer import import_records  # noqa: E402
from tests.browser_support import PageErrors, sign_in  # noqa: E402
from tests.conftest import PASSWORD, build_people  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def test_a_month_recorded_on_a_phone_is_seen_by_the_member_and_the_commune(
        live_world, live_server, phone_page, page):
    people = build_people(live_world)
    install_defaults()  # the flush between transactional tests empties the migration's rows
    DuesSettings.objects.create(pk=1, kept_from=date(2025, 1, 1))
    # 2025 as the cell kept it: Lan and Hoa paid every month, Thắng none.
    rows = [{"member_code": code, "month": f"2025-{month:02d}", "amount": 5000,
             "paid_on": f"2025-{month:02d}-15", "category": "student"}
            for code in ("M001", "M005") for month in range(1, 13)]
    assert import_records({"dues.csv": rows}, actor=SYSTEM).errors == []
    services.set_basis(people["lan"], valid_from=date(2026, 1, 1), category="student",
                       basis_amount=None, actor=SYSTEM)
    treasurer = create_user(actor=SYSTEM, username="treasurer", password=PASSWORD)
    grant_role(treasurer, actor=SYSTEM, role=Role.TREASURER,
               organization=live_world.orgs["D1.X1.C1"])

    errors = PageErrors(phone_page)
    sign_in(phone_page, live_server, "treasurer")
    phone_page.get_by_role("link", name="Đảng phí").first.click()
    expect(phone_page.locator("h1")).to_contain_text("Đảng phí tháng")
    phone_page.goto(f"{live_server.url}/org/D1.X1.C1/dues/?month=2026-11")
    lan = phone_page.locator("#dues-M001")
    expect(lan).to_contain_text("chưa nộp")
    expect(lan.locator("input[name=amount]")).to_have_value("5000")  # the month's due
    lan.locator("input[name=paid_on]").fill("20/11/2026")
    lan.get_by_role("button", name="Thu đảng phí").click()
    expect(phone_page.locator(".alert-success")).to_contain_text("biên lai số 0001/2026")
    expect(phone_page.locator("#dues-M001")).to_contain_text("5.000 đ, 20/11/2026")
    assert Payment.objects.get(member=people["lan"], month=date(2026, 11, 1)).amount == 5000
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the sheet fits the phone"
    assert errors.csp_violations() == [] and errors.exceptions == []

    sign_in(page, live_server, "member")
    page.goto(f"{live_server.url}/handbook/")
    expect(page.locator("#my-dues")).to_contain_text("Tháng 11/2026: đã nộp 5.000 đ")

    page.context.clear_cookies()
    sign_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/org/D1.X1/dues/")
    page.locator("#dues-behind").click()
    page.goto(page.url + "&year=2025")
    expect(page.locator("main")).to_contain_text("Ma Văn Thắng")
    expect(page.locator("main")).not_to_contain_text("M001 Nông Thị Lan")
