"""Issue 17's forms and report, in headless Chromium against a live server: a district officer of
Sơn Dương downloads the three admission forms of Hà Thị Mai (decided by the district's standing
committee) and the report "Công tác phát triển đảng viên" of 2025, and reads what they say."""

import io

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from docx import Document  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from chibo.accounts.choices import Role  # noqa: E402
from chibo.accounts.policy import SYSTEM  # noqa: E402
from chibo.accounts.services import create_user, grant_role  # noqa: E402
from chibo.admission import documents, services  # noqa: E402
from tests.browser_support import PageErrors, sign_in  # noqa: E402
from tests.conftest import PASSWORD, D, build_people  # noqa: E402
from tests.test_admission import resolved  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser


@pytest.fixture
def district(live_world):
    """Mai's file decided by Sơn Dương's standing committee, and its organizing officer."""
    people = build_people(live_world)
    mai = services.decide_admission(
        resolved(live_world, people), D(2025, 2, 20), decision_no="215-QĐ/HU",
        decided_by=live_world.orgs["D1"], member_code="M100", actor=SYSTEM)
    officer = create_user(actor=SYSTEM, username="district", password=PASSWORD)
    grant_role(officer, actor=SYSTEM, role=Role.ORGANIZER, organization=live_world.orgs["D1"])
    return mai


def downloaded(page, tmp_path, click) -> tuple[str, bytes]:
    with page.expect_download() as info:
        click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.name, path.read_bytes()


def words(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in documents.all_paragraphs(document))


def test_a_district_officer_downloads_the_three_forms_and_the_report(
        district, live_server, page, tmp_path):
    errors = PageErrors(page)
    sign_in(page, live_server, "district")
    page.goto(f"{live_server.url}/candidates/{district.code}/forms/")
    expect(page.locator("h1")).to_contain_text("Hà Thị Mai")
    assert errors.csp_violations() == []
    expected = {"6-KNĐ": "4/5 đồng chí, đạt 80,00 %", "8-KNĐ": "Ngày 09/01/2025",
                "9-KNĐ": "Số: 215-QĐ/HU"}
    for number, says in expected.items():
        row = page.locator("li", has_text=f"Mẫu {number}")
        name, content = downloaded(page, tmp_path,
                                   row.get_by_role("link", name="Tải tệp Word").click)
        assert name == f"{number.replace('Đ', 'D')}-K1.docx"
        text = words(content)
        assert f"Mẫu {number}" in text and "Hà Thị Mai" in text and says in text
    assert "BAN THƯỜNG VỤ QUYẾT ĐỊNH" in text  # the last one, 9-KNĐ

    page.goto(f"{live_server.url}/org/D1/candidates/report/")
    page.get_by_label("Kỳ báo cáo từ ngày").fill("01/01/2025")
    page.get_by_label("đến ngày").fill("31/12/2025")
    name, content = downloaded(page, tmp_path, page.get_by_role(
        "button", name="Tải báo cáo (Excel)").click)
    assert name == "cong-tac-phat-trien-dang-vien-D1-2025-01-01-2025-12-31.xlsx"
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    cells = [cell for row in rows for cell in row if cell is not None]
    assert "CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN" in cells and "ĐẢNG BỘ HUYỆN SƠN DƯƠNG" in cells
    admitted = next(r for r in rows if r[1] == "Đảng viên mới được kết nạp (kể cả kết nạp lại)")
    decided = next(r for r in rows if r[1] == "Quyết định kết nạp từ hồ sơ quần chúng ưu tú")
    assert (admitted[2], decided[2]) == (2, 1)  # Mai and Nguyễn Văn An; Mai's file
    assert errors.exceptions == [] and errors.console == []
