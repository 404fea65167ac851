"""Admission in headless Chromium against a live server: the cell secretary, on a phone, takes a
candidate from the list to the ceremony (the committee above records the decision); the
commune officer sees the overdue files of their commune from the home page."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import D, build_people  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def fill_step(page, key: str, fields: dict, selects: dict | None = None) -> None:
    """Open the step's card on the candidate's page, fill it and record it."""
    card = page.locator(f'[data-step-card="{key}"]')
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    for label, value in fields.items():
        card.get_by_label(label).fill(value)
    for label, option in (selects or {}).items():
        card.get_by_label(label).select_option(label=option)
    card.get_by_role("button", name="Ghi").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_the_secretary_takes_a_candidate_to_the_ceremony_on_a_phone(live_world, live_server,
                                                                    phone_page):
    from tests.test_admission import decide, listed

    build_people(live_world)
    candidate = listed(live_world)
    page = phone_page
    errors = PageErrors(page)
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/org/D1.X1.C1/candidates/")
    page.get_by_role("link", name="Hà Thị Mai").click()
    expect(page.locator("#candidate-step")).to_have_text("Trong danh sách quần chúng ưu tú")
    fill_step(page, "certificate",
              {"Ngày cấp giấy chứng nhận lớp nhận thức về Đảng": "01/03/2024"})
    fill_step(page, "sponsors", {}, {"Đảng viên giới thiệu thứ nhất": "Nông Thị Lan (M001)",
                                     "Đảng viên giới thiệu thứ hai": "Ma Văn Thắng (M002)"})
    fill_step(page, "background", {"Ngày thẩm tra xong lý lịch": "01/04/2024"})
    fill_step(page, "cell_resolution", {"Ngày nghị quyết chi bộ": "02/01/2025",
                                        "Số đảng viên chính thức tán thành": "4",
                                        "Số đảng viên chính thức của chi bộ": "5"})
    fill_step(page, "committee_resolution", {"Ngày nghị quyết đảng ủy cơ sở": "09/01/2025"})
    expect(page.get_by_text("Quyết định kết nạp: do cấp ủy có thẩm quyền ghi.")).to_be_visible()
    scroll, client = page_widths(page)
    assert scroll <= client
    # The committee above decides (its clerk records it); the cell holds the ceremony.
    candidate.refresh_from_db()
    decide(live_world, candidate, D(2025, 2, 20))
    page.reload()
    expect(page.locator("#candidate-step")).to_have_text("Đã có quyết định, chờ lễ kết nạp")
    fill_step(page, "ceremony", {"Ngày tổ chức lễ kết nạp": "03/03/2025"})
    expect(page.locator("#candidate-member")).to_contain_text("M100")
    expect(page.locator('#checklist [data-item="ceremony"]')).to_have_attribute(
        "data-state", "done")
    candidate.refresh_from_db()
    assert candidate.ceremony_on == D(2025, 3, 3)
    scroll, client = page_widths(page)
    assert scroll <= client
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_the_commune_officer_sees_the_overdue_files_of_the_commune(live_world, live_server,
                                                                   page):
    from tests.test_admission import listed, resolved

    people = build_people(live_world)
    listed(live_world, code="K1")
    resolved(live_world, people, code="K2", on=timezone.localdate() - timedelta(days=200))
    listed(live_world, code="K9", cell="D2.X1.C1")  # another commune's
    errors = PageErrors(page)
    sign_in(page, live_server, "commune")
    card = page.locator("#admission-card")
    expect(card).to_contain_text("1 hồ sơ quá hạn")
    card.get_by_role("link", name="1 hồ sơ quá hạn").click()
    rows = page.locator(".list-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Hà Thị Mai")
    expect(rows.first).to_contain_text("quá hạn")
    expect(page.locator('a[href="/candidates/K2/"]')).to_have_count(1)
    expect(page.locator('a[href="/candidates/K1/"]')).to_have_count(0)
    page.goto(f"{live_server.url}/org/D1.X1/candidates/?tab=all")
    expect(page.locator(".list-table tbody tr")).to_have_count(2)
    expect(page.locator('a[href="/candidates/K9/"]')).to_have_count(0)
    assert errors.csp_violations() == [] and errors.exceptions == []
