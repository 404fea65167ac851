"""Inspection in headless Chromium against a live server: the inspector opens an inspection of
An Phú commune, adds its subjects, records the conclusions, records the expulsion the conclusion
proposed, and sees the member's file change; the case page fits a phone; a commune officer of
the subtree is refused the case."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from chibo.members.models import Member  # noqa: E402
from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import D, build_people  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def record(page) -> None:
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_the_inspector_takes_a_case_to_an_expulsion(live_world, live_server, page):
    build_people(live_world)
    errors = PageErrors(page)
    sign_in(page, live_server, "inspector")
    page.goto(f"{live_server.url}/org/D1.X1/inspections/")
    page.get_by_role("link", name="Mở cuộc kiểm tra, giám sát").click()
    page.get_by_label("Mã cuộc").fill("KT1")
    page.get_by_label("Loại").select_option(label="Kiểm tra khi có dấu hiệu vi phạm")
    page.get_by_label("Chủ thể").select_option(label="Ủy ban Kiểm tra")
    page.get_by_label("Nội dung").fill("Kiểm tra khi có dấu hiệu vi phạm về đất đai")
    page.get_by_label("Ngày bắt đầu").fill("02/03/2026")
    record(page)
    expect(page.locator("#inspection-state")).to_have_text("Đang tiến hành")

    # The subjects: two members of Đồng Mạ cell.
    for code in ("M002", "M001"):
        page.locator("#id_subject-member_code").fill(code)
        page.get_by_role("button", name="Thêm").click()
        expect(page.locator(f'[data-subject="{code}"]')).to_be_visible()
    expect(page.locator("#subject-count")).to_contain_text("2 đối tượng, 0 đã kết luận")

    # The conclusions, with their document.
    page.locator('[data-subject="M001"]').get_by_role("link", name="Ghi kết luận").click()
    page.locator("#id_conclusion").select_option(label="Có hạn chế, khuyết điểm")
    page.locator("#id_concluded_on").fill("15/04/2026")
    record(page)
    page.locator('[data-subject="M002"]').get_by_role("link", name="Ghi kết luận").click()
    page.locator("#id_conclusion").select_option(label="Vi phạm đến mức phải xem xét kỷ luật")
    page.locator("#id_concluded_on").fill("15/04/2026")
    page.get_by_label("Số văn bản kết luận").fill("05-KL/UBKT")
    page.get_by_label("Ngày văn bản kết luận").fill("16/04/2026")
    record(page)
    expect(page.locator("#subject-count")).to_contain_text("2 đối tượng, 2 đã kết luận")
    expect(page.locator('[data-subject="M002"]')).to_contain_text("Văn bản 05-KL/UBKT")

    # The discipline the conclusion proposed: expulsion, by the commune's standing committee.
    page.locator('[data-subject="M002"]').get_by_role(
        "link", name="Ghi quyết định kỷ luật").click()
    expect(page.get_by_label("Mã đảng viên bị kỷ luật")).to_have_value("M002")
    page.get_by_label("Hình thức kỷ luật").select_option(label="Khai trừ")
    page.get_by_label("Chủ thể quyết định").select_option(label="Ban Thường vụ")
    page.locator("#id_violation_on").fill("01/10/2025")
    page.locator("#id_decided_on").fill("10/05/2026")
    page.locator("#id_decision_no").fill("21-QĐ/ĐU")
    record(page)
    expect(page.locator("#member-events")).to_contain_text("Khai trừ — 10/05/2026")
    thang = Member.objects.get(member_code="M002")
    assert thang.events.filter(event="expel", effective_on=D(2026, 5, 10)).exists()
    assert thang.status == "expelled"
    expect(page.locator("#member-status")).to_have_text("Đã khai trừ")

    # The member's file: the status changed, the case in the inspection section.
    page.locator("#discipline-effects").get_by_role("link", name="Mở hồ sơ đảng viên").click()
    expect(page.locator("main")).to_contain_text("Đã khai trừ")
    expect(page.locator("#member-inspection")).to_contain_text("Kỷ luật Khai trừ")
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_the_case_fits_a_phone_and_is_refused_to_the_commune(live_world, live_server,
                                                               phone_page, browser):
    from tests.test_inspection_pages import open_case

    people = build_people(live_world)
    from chibo.accounts.policy import SYSTEM
    from chibo.inspection import services

    inspection = open_case(live_world)
    services.add_subject(inspection, actor=SYSTEM, member=people["lan"])
    page = phone_page
    errors = PageErrors(page)
    sign_in(page, live_server, "inspector")
    page.goto(f"{live_server.url}/inspections/KT1/")
    expect(page.locator('[data-subject="M001"]')).to_contain_text("Nông Thị Lan")
    scroll, client = page_widths(page)
    assert scroll <= client
    page.goto(f"{live_server.url}/org/D1.X1/inspections/")
    scroll, client = page_widths(page)
    assert scroll <= client
    assert errors.csp_violations() == [] and errors.exceptions == []
    context = browser.new_context(locale="vi-VN")
    other = context.new_page()
    sign_in(other, live_server, "commune")
    response = other.goto(f"{live_server.url}/inspections/KT1/")
    assert response.status == 403
    context.close()
