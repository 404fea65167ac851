"""The year's self-review in Chromium (issue 19): a member writes and submits it on a 360-px phone
with no sideways scroll; the cell's secretary then sees, on a phone too, who has not submitted,
and the counts of the manifestations hidden while fewer than five have."""

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import admit  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


def no_sideways_scroll(page) -> None:
    scroll, client = page_widths(page)
    assert scroll <= client, f"horizontal scroll on {page.url}: {scroll} > {client}"


@pytest.fixture
def cell(live_world):
    """Đồng Mạ: Lan (the `member` login), Thắng (its secretary, the `secretary` login) and
    Dương, who has not written anything."""
    cell = live_world.orgs["D1.X1.C1"]
    lan = admit("M001", "Nông Thị Lan", cell, gender="female")
    thang = admit("M002", "Ma Văn Thắng", cell)
    admit("M003", "Đặng Văn Dương", cell)
    for member, login in ((lan, "member"), (thang, "secretary")):
        member.user = live_world.users[login]
        member.save(update_fields=["user"])
    return cell


def test_a_member_submits_on_a_phone_and_the_secretary_sees_who_has_not(
        live_server, phone_page, browser, cell):
    page = phone_page
    errors = PageErrors(page)
    sign_in(page, live_server, "member")
    page.goto(f"{live_server.url}/handbook/")
    page.get_by_role("link", name="Bản tự kiểm điểm năm nay").click()
    no_sideways_scroll(page)
    page.get_by_label("Thành tích trong năm").fill("Giấy khen của Đảng ủy xã")
    page.get_by_label("Ưu điểm").fill("Gương mẫu, tích cực vận động nhân dân")
    page.get_by_label("Hạn chế, khuyết điểm và nguyên nhân").fill("Còn ít phát biểu")
    page.get_by_label("A5. Ngại đấu tranh", exact=False).check()
    page.get_by_label("Những điều sẽ sửa chữa, khắc phục").fill("Mạnh dạn phát biểu")
    page.get_by_label("Điểm tự chấm (thang 100)").fill("82")
    page.get_by_label("Tự xếp loại").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.get_by_role("button", name="Nộp bản kiểm điểm").click()
    expect(page.get_by_text("Đã nộp bản tự kiểm điểm.")).to_be_visible()
    expect(page.get_by_text("A5. Ngại đấu tranh", exact=False)).to_be_visible()  # her own
    no_sideways_scroll(page)
    assert errors.csp_violations() == [] and errors.exceptions == []

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    secretary = context.new_page()
    try:
        seen = PageErrors(secretary)
        sign_in(secretary, live_server, "secretary")
        secretary.goto(f"{live_server.url}/handbook/")
        secretary.get_by_role("link", name="Bản tự kiểm điểm của đảng viên trong chi bộ").click()
        expect(secretary.get_by_text("1/3", exact=False)).to_be_visible()
        no_sideways_scroll(secretary)
        summary = secretary.locator("#review-summary")
        expect(summary.get_by_role("row", name="A5.", exact=False)).to_contain_text("< 5")
        secretary.get_by_label("Tình trạng").select_option(label="Chưa viết")
        secretary.get_by_role("button", name="Lọc").click()
        results = secretary.locator("#list-results")
        expect(results).to_contain_text("Đặng Văn Dương")
        expect(results).to_contain_text("Ma Văn Thắng")
        expect(results).not_to_contain_text("Nông Thị Lan")
        no_sideways_scroll(secretary)
        # Lan's submitted review opens from the list, without what she marked
        secretary.get_by_label("Tình trạng").select_option(label="Đã nộp")
        secretary.get_by_role("button", name="Lọc").click()
        secretary.locator("#list-results").get_by_role("link", name="Nông Thị Lan").click()
        expect(secretary.get_by_text("Giấy khen của Đảng ủy xã")).to_be_visible()
        expect(secretary.get_by_text("Ngại đấu tranh", exact=False)).to_have_count(0)
        no_sideways_scroll(secretary)
        assert seen.csp_violations() == [] and seen.exceptions == []
    finally:
        context.close()
