"""The member's journey through the handbook on a phone, in headless Chromium."""

from datetime import time, timedelta

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from chibo.accounts.policy import SYSTEM  # noqa: E402
from chibo.meetings import services as meeting_services  # noqa: E402
from chibo.meetings.models import Attendance  # noqa: E402
from tests.browser_support import TIMEOUT_MS, PageErrors, page_widths, sign_in  # noqa: E402
from tests.conftest import admit  # noqa: E402
from tests.test_documents import PDF, publish  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def member_page(browser):
    context = browser.new_context(viewport=PHONE_390, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def cell(live_world):
    """Lan (the `member` login) and Thắng in D1.X1.C1; a meeting in three days with a draft
    resolution attached; the resolution 21-NQ/TW in the library."""
    cell = live_world.orgs["D1.X1.C1"]
    lan = admit("M001", "Nông Thị Lan", cell, gender="female")
    admit("M002", "Ma Văn Thắng", cell)
    lan.user = live_world.users["member"]
    lan.save(update_fields=["user"])
    meeting = meeting_services.schedule_meeting(meeting_services.NewMeeting(
        organization=cell, kind="regular", date=timezone.localdate() + timedelta(days=3),
        topic="Sinh hoạt thường kỳ: làm đường bê tông", start_time=time(19, 30),
        place="Nhà văn hóa thôn Đồng Mạ"), actor=SYSTEM)
    meeting_services.add_attachment(meeting, SimpleUploadedFile("Du-thao-nghi-quyet.pdf", PDF),
                                    actor=SYSTEM)
    document = publish(live_world.orgs["TQ"], number="21-NQ/TW")
    return {"member": lan, "meeting": meeting, "document": document}


def test_member_sees_the_meeting_and_its_document_and_reports_an_absence(
        live_server, member_page, cell):
    page = member_page
    errors = PageErrors(page)
    sign_in(page, live_server, "member")
    assert page.url.endswith("/handbook/")
    expect(page.get_by_role("heading", name="Chào đồng chí Nông Thị Lan")).to_be_visible()
    page.get_by_role("link", name="Sinh hoạt thường kỳ: làm đường bê tông").click()
    expect(page.get_by_text("Thu đảng phí")).to_be_visible()  # the agenda
    expect(page.get_by_role("link", name="Du-thao-nghi-quyet.pdf")).to_be_visible()
    page.get_by_label("Lý do vắng mặt").fill("Đi khám bệnh ở bệnh viện tỉnh")
    page.get_by_role("button", name="Báo vắng").click()
    expect(page.get_by_text("Đã báo vắng; chi bộ đã nhận được lý do")).to_be_visible()
    expect(page.get_by_text("Đồng chí đã báo vắng: Đi khám bệnh ở bệnh viện tỉnh")).to_be_visible()
    row = Attendance.objects.get(meeting=cell["meeting"], member=cell["member"])
    assert row.status == "excused" and row.reported_at is not None
    assert errors.csp_violations() == [] and errors.exceptions == []


def test_pages_fit_360_pixels_and_a_document_opened_once_reads_offline(
        live_server, browser, cell):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = PageErrors(page)
    try:
        sign_in(page, live_server, "member")
        document = cell["document"]
        wide = []
        for path in ["/handbook/", "/handbook/meetings/", f"/handbook/meetings/"
                     f"{cell['meeting'].pk}/", "/handbook/documents/", "/handbook/me/",
                     "/handbook/notifications/", "/handbook/review/",
                     f"/handbook/documents/{document.pk}/"]:
            page.goto(f"{live_server.url}{path}")
            scroll_width, _ = page_widths(page)
            if scroll_width > 360:
                wide.append((path, scroll_width))
        assert not wide, f"horizontal scroll at 360 px: {wide}"
        # The service worker controls the handbook once installed; open the document again so
        # that it passes through the worker and is kept, then read it with no network.
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.goto(f"{live_server.url}/handbook/documents/{document.pk}/")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.reload()
        page.wait_for_function(
            "caches.open('chibo-docs-1').then(c => c.keys()).then(k => k.length > 0)")
        context.set_offline(True)
        page.reload()
        expect(page.get_by_role("heading", name="21-NQ/TW")).to_be_visible()
        expect(page.get_by_text("Đổi mới sinh hoạt chi bộ")).to_be_visible()
        page.goto(f"{live_server.url}/handbook/me/")  # visited earlier: kept as a page
        expect(page.get_by_text("Nông Thị Lan").first).to_be_visible()
        page.goto(f"{live_server.url}/handbook/review/2001/")  # never opened: offline page
        expect(page.get_by_role("heading", name="Không có mạng")).to_be_visible()
        # Signing out from the handbook forgets what was kept for offline reading.
        context.set_offline(False)
        page.goto(f"{live_server.url}/handbook/me/")
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_url("**/accounts/login/")
        kept = page.evaluate("caches.keys().then(names => Promise.all(names.filter("
                             "n => n.startsWith('chibo-docs') || n.startsWith('chibo-pages'))"
                             ".map(n => caches.open(n).then(c => c.keys()))))"
                             ".then(lists => lists.reduce((a, l) => a + l.length, 0))")
        assert kept == 0
        assert errors.exceptions == []
    finally:
        context.close()


def test_a_first_visit_of_the_handbook_weighs_under_50_kb(cell, live_server, member_page):
    """What a member's phone downloads for the handbook's home on a first visit (the page, its
    style sheet, script, icons and manifest; uncompressed, as the test server sends them): under
    50 kB, so that it opens on a cheap phone with a weak signal."""
    page = member_page
    sign_in(page, live_server, "member")
    page.goto(f"{live_server.url}/handbook/")
    page.wait_for_load_state("networkidle")
    sizes = page.evaluate("""() => [
        ...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')
    ].map(e => [e.name, e.encodedBodySize])""")
    total = sum(size for _name, size in sizes)
    assert 0 < total < 50_000, f"{total} bytes: {sizes}"
