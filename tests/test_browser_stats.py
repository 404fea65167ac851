"""The province officer's statistics journey, in headless Chromium against a live server: the
province's figures as of a past day, the list behind a number, the Excel report; and the
dashboard of the organization page drawn by Chart.js."""

import io

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from chibo.accounts.choices import Role  # noqa: E402
from chibo.accounts.policy import SYSTEM  # noqa: E402
from chibo.accounts.services import create_user, grant_role  # noqa: E402
from chibo.core import registry  # noqa: E402
from chibo.interchange.importer import import_bundle  # noqa: E402
from chibo.organizations.models import Organization  # noqa: E402
from tests.browser_support import PageErrors, sign_in  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402
from tests.test_stats import EXAMPLE, EXPECTED  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

VALUES = next(q for q in EXPECTED if q["org"] == "TQ" and q["as_of"] == "2023-10-01")["values"]


def vi_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@pytest.fixture
def live_province(browser, transactional_db, live_server):
    """The conformance province, with `province` organizer of TQ, seen by the live server."""
    result = import_bundle(EXAMPLE / "bundle", actor=SYSTEM)
    assert result.ok, result.errors[:5]
    user = create_user(actor=SYSTEM, username="province", password=PASSWORD)
    grant_role(user, actor=SYSTEM, role=Role.ORGANIZER,
               organization=Organization.objects.get(code="TQ"))
    return user


def test_province_opens_statistics_clicks_a_number_and_downloads_the_report(
        live_province, live_server, page, tmp_path):
    import openpyxl

    errors = PageErrors(page)
    sign_in(page, live_server, "province")
    page.goto(f"{live_server.url}/stats/TQ/")
    page.get_by_label("Tính đến ngày").fill("01/10/2023")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    expect(page.locator("main")).to_contain_text("Số liệu tính đến ngày 01/10/2023")
    assert errors.csp_violations() == []

    number = page.locator('a[data-metric="village_cells.secretary_village_head"]')
    expect(number).to_have_text(vi_number(VALUES["village_cells.secretary_village_head"]))
    with page.expect_navigation():
        number.click()
    assert "/stats/TQ/records/village_cells.secretary_village_head/" in page.url
    assert "as_of=01%2F10%2F2023" in page.url
    expect(page.locator("#record-count")).to_have_text(
        vi_number(VALUES["village_cells.secretary_village_head"]))
    expect(page.locator("#records tbody tr")).to_have_count(
        VALUES["village_cells.secretary_village_head"])

    page.get_by_role("link", name="← Về trang thống kê").click()
    expect(page.locator("main")).to_contain_text("Số liệu tính đến ngày 01/10/2023")
    report = page.locator("li", has_text="BÁO CÁO KẾT QUẢ CỦNG CỐ TỔ CHỨC CƠ SỞ ĐẢNG")
    with page.expect_download() as download:
        report.get_by_role("link", name="Tải Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "to-chuc-co-so-dang-TQ-2023-10-01.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    assert "Tuyên Quang, ngày 01 tháng 10 năm 2023" in cells
    rows = list(sheet.iter_rows(values_only=True))
    villages = next(r for r in rows if r[1] == "Thôn, tổ dân phố có chi bộ độc lập")
    assert villages[2] == VALUES["villages.with_cell"]
    assert errors.exceptions == [] and errors.console == []


def test_the_per_child_table_loads_switches_group_and_drills_down(
        live_province, live_server, page):
    errors = PageErrors(page)
    sign_in(page, live_server, "province")
    page.goto(f"{live_server.url}/stats/TQ/?as_of=01/10/2023")
    children = page.locator("#children")
    expect(children).to_contain_text("Đảng bộ huyện Sơn Dương")
    page.get_by_role("link", name="Thôn, tổ dân phố và chi bộ thôn").click()
    expect(children.locator("thead")).to_contain_text("Thôn, tổ dân phố có chi bộ độc lập")
    assert "group=villages" in page.url
    with page.expect_navigation():
        children.get_by_role("link", name="Đảng bộ huyện Sơn Dương").click()
    assert "/stats/D1/" in page.url and "group=villages" in page.url
    expect(page.locator("h1")).to_contain_text("Đảng bộ huyện Sơn Dương")
    expect(page.locator("#children thead")).to_contain_text("Thôn, tổ dân phố có chi bộ độc lập")
    assert errors.csp_violations() == [] and errors.exceptions == [] and errors.console == []


def test_the_organization_page_draws_the_dashboard(live_province, live_server, page, tmp_path):
    errors = PageErrors(page)
    sign_in(page, live_server, "province")
    page.goto(f"{live_server.url}/org/TQ/?as_of=01/10/2023")
    dashboard = page.locator("#stats-dashboard")
    expect(dashboard).to_have_attribute("data-loaded", "1")
    for name in ("age", "education", "admissions", "status"):
        size = page.locator(f'canvas[data-chart="{name}"]').bounding_box()
        assert size and size["width"] > 100 and size["height"] > 50, name
    # and the charts the processes registered, each fetched on its own (the annual review's)
    expect(page.locator('canvas[data-chart-key="ratings-good-plus"]')).to_have_attribute(
        "data-loaded", "1")
    drawn = page.evaluate("Object.keys(window.Chart.instances).length")
    assert drawn == 4 + len(registry.DASHBOARD_CHARTS)
    assert errors.csp_violations() == [] and errors.exceptions == [] and errors.console == []
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    # a bar opens the list behind it
    canvas = page.locator('canvas[data-chart="age"]')
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    bar = canvas.evaluate("c => { const b = window.Chart.getChart(c).getDatasetMeta(0).data[4];"
                          " return [b.x, (b.y + b.base) / 2]; }")
    with page.expect_navigation():
        page.mouse.click(box["x"] + bar[0], box["y"] + bar[1])
    assert "/stats/TQ/records/members.age.over_60/" in page.url
    expect(page.locator("#record-count")).to_have_text(vi_number(VALUES["members.age.over_60"]))


def test_statistics_pages_fit_a_phone(live_province, live_server, phone_page):
    from tests.browser_support import page_widths

    sign_in(phone_page, live_server, "province")
    for url in ("/stats/TQ/?as_of=01/10/2023", "/stats/TQ/records/admitted/?as_of=01/10/2023",
                "/stats/TQ/reports/to-chuc-co-so-dang/?as_of=01/10/2023"):
        phone_page.goto(f"{live_server.url}{url}")
        scroll, client = page_widths(phone_page)
        assert scroll <= client, (url, scroll, client)
