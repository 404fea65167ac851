"""An organizer checks a bundle on the import page, confirms it and follows the import to the end,
in headless Chromium against a live server (tasks run at once here: tests/settings.py, unless a
test makes its runs itself)."""

import zipfile

import pytest

pytest.register_assert_rewrite("tests.browser_support")

from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import PageErrors, sign_in  # noqa: E402

pytest_plugins = ["tests.browser_support"]
pytestmark = pytest.mark.browser

MEMBERS = """member_code,full_name,gender,birth_date,admitted_on,official_on,org_code
M901,Lý Thị Hạnh,female,1990-01-01,2015-01-01,2016-01-02,D1.X1.C1
M902,Hà Văn Sơn,male,1985-03-04,2012-05-06,,D1.X1.C2
"""


def test_the_import_page_checks_then_imports_in_the_background(
        live_world, live_server, page, tmp_path):
    from chibo.interchange.models import ImportRun
    archive = tmp_path / "dang-vien-moi.zip"  # new members for the world's cells
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("members.csv", MEMBERS)
    errors = PageErrors(page)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Tệp .zip hoặc .xlsx").set_input_files(str(archive))
    page.get_by_role("button", name="Kiểm tra (chạy thử)").click()
    expect(page.get_by_text("Kiểm tra xong, không có lỗi.")).to_be_visible()
    check = ImportRun.objects.get(dry_run=True)
    assert page.url.endswith(f"/import/runs/{check.pk}/")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator("#import-counts")).to_contain_text("members.csv: 2")
    expect(page.get_by_text("Đã nhập xong.")).to_be_visible()
    run = ImportRun.objects.get(dry_run=False)
    assert page.url.endswith(f"/import/runs/{run.pk}/")
    assert errors.csp_violations() == []


def test_the_check_page_polls_until_the_check_passes_then_confirms(
        live_world, live_server, page, monkeypatch):
    """The check runs after the upload answered; the button appears when it has passed."""
    from types import SimpleNamespace

    from chibo.interchange import services
    from chibo.interchange.models import ImportRun, ImportStatus
    from chibo.interchange.tasks import run_import
    monkeypatch.setattr(services, "run_import", SimpleNamespace(enqueue=lambda run_id: None))

    errors = PageErrors(page)
    sign_in(page, live_server, "province")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Tệp .zip hoặc .xlsx").set_input_files(files={
        "name": "dang-vien-moi.zip",
        "mimeType": "application/zip", "buffer": _zipped(MEMBERS)})
    page.get_by_role("button", name="Kiểm tra (chạy thử)").click()
    expect(page.locator("#run-progress")).to_contain_text("Đang chờ đến lượt chạy")
    check = ImportRun.objects.get(dry_run=True)
    assert check.status == ImportStatus.QUEUED
    run_import.call(check.pk)  # the worker, while the page polls
    expect(page.locator("#import-counts")).to_contain_text("members.csv: 2", timeout=5000)
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator("h1")).to_contain_text("Nhập gói dữ liệu: dang-vien-moi.zip")
    run = ImportRun.objects.get(dry_run=False)
    assert run.check_run_id == check.pk and page.url.endswith(f"/import/runs/{run.pk}/")
    run_import.call(run.pk)
    expect(page.get_by_text("Đã nhập xong.")).to_be_visible(timeout=5000)
    assert errors.csp_violations() == []


def _zipped(text: str) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("members.csv", text)
    return buffer.getvalue()


def test_the_run_page_polls_until_the_import_ends(live_world, live_server, page):
    from chibo.interchange.models import ImportPhase, ImportRun, ImportStatus

    run = ImportRun.objects.create(
        source="goi.zip", actor=live_world.users["province"], actor_name="province",
        status=ImportStatus.RUNNING, phase=ImportPhase.TREE, rows_done=30, rows_total=120)
    errors = PageErrors(page)
    sign_in(page, live_server, "province")
    page.goto(f"{live_server.url}/import/runs/{run.pk}/")
    expect(page.locator("#import-bar")).to_have_attribute("value", "30")
    ImportRun.objects.filter(pk=run.pk).update(phase=ImportPhase.MEMBERS, rows_done=90)
    expect(page.locator("#import-bar")).to_have_attribute("value", "90", timeout=5000)
    expect(page.locator("#run-progress")).to_contain_text("kiểm tra đảng viên")
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.FAILED, errors=["members.csv:2:gender: giá trị không hợp lệ"])
    expect(page.locator("#import-errors")).to_contain_text("members.csv:2:gender", timeout=5000)
    assert errors.csp_violations() == []
