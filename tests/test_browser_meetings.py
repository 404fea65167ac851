"""The secretary's journey: schedule a meeting of the cell, then close it with attendance, in
headless Chromium against a live server; and a member's notice of absence on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import admit  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def test_secretary_schedules_and_closes_a_meeting_with_attendance(live_world, live_server, page):
    cell = live_world.orgs["D1.X1.C1"]
    admit("M001", "Nông Thị Lan", cell, gender="female")
    admit("M002", "Ma Văn Thắng", cell)
    admit("M003", "Đặng Văn Dương", cell)
    errors = PageErrors(page)
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/org/D1.X1.C1/")
    # the cell page's own link (the menu has one of that name too, to the home organization's)
    page.locator("main").get_by_role("link", name="Sinh hoạt chi bộ").click()
    page.get_by_role("link", name="Lên lịch sinh hoạt").click()
    page.get_by_label("Ngày sinh hoạt").fill(timezone.localdate().strftime("%d/%m/%Y"))
    # from midnight: begun whatever the hour the test runs (a meeting closes once begun)
    page.get_by_label("Giờ bắt đầu").fill("00:00")
    page.get_by_label("Chủ đề").fill("Sinh hoạt chi bộ thường kỳ")
    page.get_by_label("Địa điểm").fill("Nhà văn hóa thôn Đồng Mạ")
    expect(page.get_by_label("Chương trình sinh hoạt")).to_contain_text("Thu đảng phí")
    page.get_by_role("button", name="Ghi").click()
    expect(page.locator("#meeting-status")).to_have_text("Đã lên lịch")
    page.get_by_role("link", name="Kết thúc buổi sinh hoạt").click()
    rows = page.locator("#attendance-form tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_label("Ma Văn Thắng", exact=True).select_option("excused")
    page.get_by_label("Lý do vắng: Ma Văn Thắng").fill("Đi công tác")
    for name in ("Nông Thị Lan", "Đặng Văn Dương"):
        page.get_by_label(f"Phát biểu: {name}").check()
    page.get_by_label("Thời lượng (phút)").fill("95")
    for label in ("Bí thư chuẩn bị chương trình, nội dung", "Chi ủy họp chuẩn bị trước",
                  "Có dự thảo nghị quyết", "Sổ biên bản ghi đầy đủ"):
        page.get_by_label(label).check()
    page.get_by_label("Kết luận, nghị quyết của chi bộ").fill("Chi bộ thống nhất làm đường.")
    page.locator("#id_task_member_0").select_option(label="Nông Thị Lan")
    page.locator("#id_task_text_0").fill("Vận động các hộ góp công làm đường")
    page.locator("#id_task_due_0").fill(
        (timezone.localdate() + timedelta(days=14)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Kết thúc buổi sinh hoạt").click()
    expect(page.locator("#meeting-status")).to_have_text("Đã kết thúc")
    expect(page.locator("#attendance-rate")).to_contain_text("2/3")
    expect(page.locator("#attendance")).to_contain_text("Vắng có lý do — Đi công tác")
    expect(page.get_by_text("Vận động các hộ góp công làm đường")).to_be_visible()
    expect(page.get_by_role("link", name="Kết thúc buổi sinh hoạt")).to_have_count(0)
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_member_reports_absence_on_a_phone(live_world, live_server, phone_page):
    from chibo.accounts.policy import SYSTEM
    from chibo.meetings import services

    lan = admit("M001", "Nông Thị Lan", live_world.orgs["D1.X1.C1"], gender="female")
    lan.user = live_world.users["member"]
    lan.save(update_fields=["user"])
    meeting = services.schedule_meeting(services.NewMeeting(
        organization=live_world.orgs["D1.X1.C1"], kind="regular", topic="Tháng tới",
        date=timezone.localdate() + timedelta(days=7), place="Nhà văn hóa"), actor=SYSTEM)
    sign_in(phone_page, live_server, "member")
    phone_page.goto(f"{live_server.url}/meetings/{meeting.code}/")
    phone_page.get_by_label("Báo vắng (có lý do)").fill("Đi viện")
    phone_page.get_by_role("button", name="Báo vắng").click()
    expect(phone_page.get_by_text("Vắng có lý do — Đi viện")).to_be_visible()
    scroll, client = page_widths(phone_page)
    assert scroll <= client
