"""Bounded imports: what one bundle may hold (rows per file, one cell, files, unpacked size and
compression ratio) is refused before it is parsed, the error list is kept to its limit on
every path, messages name the bundle's own name and never a path of the server, and the run
page polls the progress only and pages its errors."""

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import resolve

from chibo.interchange import readers
from chibo.interchange.importer import import_bundle
from chibo.interchange.models import ImportRun, ImportStatus
from chibo.interchange.readers import ContainerError
from chibo.interchange.report import Report
from chibo.members.models import Member
from chibo.organizations.models import Organization
from tests.test_bundle import BASE, _xlsx, write_bundle

HEADER = "member_code,full_name,gender,birth_date,admitted_on,org_code\n"


def member_rows(count: int, first: int = 3) -> str:
    """`count` members.csv rows, each with a bad birth date (one error a row)."""
    return "".join(f"B{n},Người {n},male,1980-13-01,2010-01-01,P.D.X.C1\n"
                   for n in range(first, first + count))


def zipped(path: Path, files: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def nothing_written() -> bool:
    return not Organization.objects.exists() and not Member.objects.exists()


# Rows per file --------------------------------------------------------------------------------

def test_a_file_of_too_many_rows_is_refused_before_it_is_parsed(db, tmp_path, settings,
                                                                 monkeypatch):
    settings.IMPORT_MAX_ROWS = 1000
    parsed = []
    monkeypatch.setattr(readers, "parse_row", lambda *args: parsed.append(1))
    junk = zipped(tmp_path / "rac.zip", {**BASE, "members.csv": HEADER + "x,y,z,w,v,u\n" * 50_000})
    tracemalloc.start()
    try:
        with pytest.raises(ContainerError) as refused:
            import_bundle(junk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(refused.value)
    assert message.startswith("Tệp members.csv có hơn 1.000 dòng dữ liệu")
    assert "CHIBO_IMPORT_MAX_ROWS" in message and "không ghi gì" in message
    assert str(tmp_path) not in message
    assert parsed == [] or len(parsed) < 50  # the small files before it, not members.csv
    assert peak < 5 * 1024 * 1024  # counted as a stream, nothing of it kept
    assert nothing_written()


def test_the_row_limit_holds_for_a_directory_a_workbook_and_the_command(db, tmp_path,
                                                                         settings):
    settings.IMPORT_MAX_ROWS = 2
    folder = write_bundle(tmp_path / "b", append={"members.csv": member_rows(1)})
    with pytest.raises(ContainerError, match="members.csv có hơn 2 dòng"):
        import_bundle(folder)
    workbook = _xlsx(tmp_path / "b.xlsx", {"members": [["member_code"], ["A"], ["B"], ["C"]]})
    with pytest.raises(ContainerError, match="members có hơn 2 dòng"):
        import_bundle(workbook)
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_bundle", str(folder), stderr=err, stdout=io.StringIO())
    assert err.getvalue().splitlines()[-1].startswith("Tệp members.csv có hơn 2 dòng dữ liệu")
    assert nothing_written()


def test_rows_are_counted_as_records_not_as_line_breaks(db, tmp_path, settings):
    """Cells over several lines (quoted) make more line breaks than rows: still within."""
    settings.IMPORT_MAX_ROWS = 2
    note = '"dòng một\ndòng hai\ndòng ba"'
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "member_events.csv").write_text(
        f"member_code,event,effective_on,org_code,note\nM1,official,2013-02-01,,{note}\n"
        f"M2,official,2013-02-01,,{note}\n")
    result = import_bundle(folder)  # read: the members are unknown, an error on each row
    assert [line.split(":")[:3] for line in result.errors] == [
        ["member_events.csv", "2", "member_code"], ["member_events.csv", "3", "member_code"]]
    with (folder / "member_events.csv").open("a") as events:
        events.write(f"M3,official,2013-02-01,,{note}\n")
    with pytest.raises(ContainerError, match="member_events.csv có hơn 2 dòng"):
        import_bundle(folder)


# One cell -------------------------------------------------------------------------------------

def test_an_oversized_cell_is_an_error_on_its_row(db, tmp_path, settings):
    settings.IMPORT_MAX_FIELD = 1024
    folder = write_bundle(tmp_path / "b", replace={
        "members.csv": HEADER.replace("\n", ",x_ghi_chu\n")
        + "M9,A,male,1980-01-01,2010-01-01,P.D.X.C1," + "x" * 2000 + "\n"})
    result = import_bundle(folder)
    assert "members.csv:2:: có ô dài quá 1.024 ký tự (CHIBO_IMPORT_MAX_FIELD)" in result.errors
    assert nothing_written()


def test_a_45_mb_cell_is_refused_reading_a_bounded_part_of_it(db, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "members.csv").write_bytes(HEADER.encode() + b"M1," + b"A" * (45 << 20))
    tracemalloc.start()
    try:
        result = import_bundle(folder)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result.errors) == 1 and result.errors[0].startswith("members.csv:2:: dòng dài quá")
    assert peak < 20 * 1024 * 1024  # not the 45 MB, nor the text decoded from them
    assert nothing_written()


def test_an_oversized_cell_of_a_workbook_is_an_error(db, tmp_path, settings):
    settings.IMPORT_MAX_FIELD = 1024
    workbook = _xlsx(tmp_path / "b.xlsx", {"members": [["member_code"], ["x" * 2000]]})
    assert "members:2:: có ô dài quá 1.024 ký tự (CHIBO_IMPORT_MAX_FIELD)" in import_bundle(
        workbook).errors


# Zips -----------------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_by_its_compression_ratio(db, tmp_path):
    row = "M1," + "A" * 1000 + ",male,1980-01-01,2010-01-01,P.D.X.C1\n"
    bomb = zipped(tmp_path / "bom.zip", {**BASE, "members.csv": HEADER + row * 2000})
    with pytest.raises(ContainerError) as refused:
        import_bundle(bomb)
    assert str(refused.value).startswith("Tệp members.csv trong gói nén chặt bất thường")
    assert "CHIBO_IMPORT_MAX_RATIO" in str(refused.value)
    assert nothing_written()


def test_a_zip_of_too_many_files_is_refused(db, tmp_path, settings):
    settings.IMPORT_MAX_FILES = 10
    many = zipped(tmp_path / "nhieu.zip", {f"tep{n}.csv": "a\n" for n in range(11)})
    with pytest.raises(ContainerError, match="Gói dữ liệu có 11 tệp; tối đa 10 tệp"):
        import_bundle(many)


# The error list -------------------------------------------------------------------------------

def test_a_report_keeps_the_first_lines_in_order_and_counts_the_rest():
    report = Report(limit=3)
    report.file_order.update({"organizations.csv": 0, "members.csv": 3})
    for row in range(10_000, 2, -1):  # added last row first
        report.add("members.csv", row, "birth_date", "ngày không có thật")
    report.add("organizations.csv", 7, "code", "mã trùng")
    lines, more = report.limited(3)
    assert lines == ["organizations.csv:7:code: mã trùng",
                     "members.csv:3:birth_date: ngày không có thật",
                     "members.csv:4:birth_date: ngày không có thật"]
    assert more == 9_996 and report.count == 9_999 and len(report.lines()) == 3


def test_a_run_keeps_and_the_command_prints_the_limit_then_the_count(world, settings,
                                                                       tmp_path):
    settings.IMPORT_ERROR_LIMIT = 5
    bundle = zipped(tmp_path / "goi.zip", {"members.csv": HEADER + member_rows(40, first=2)})
    client = world.client("province")
    check = upload(client, bundle)
    assert check.status == ImportStatus.FAILED
    assert len(check.errors) == 5 and check.more_errors == 35
    page = client.get(f"/import/runs/{check.pk}/").content.decode()
    assert "40 lỗi; không ghi gì" in page and "Dòng 1–5 trong 5 lỗi" in page
    assert '<p class="small text-muted" id="import-more-errors">… và 35 lỗi khác' in page
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_bundle", str(bundle), stderr=err, stdout=io.StringIO())
    lines = err.getvalue().splitlines()
    assert len(lines) == 7 and lines[5].startswith("… và 35 lỗi khác")


# No path of the server ----------------------------------------------------------------------

def upload(client, path: Path, name: str | None = None) -> ImportRun:
    data = SimpleUploadedFile(name or path.name, path.read_bytes())
    response = client.post("/import/", {"bundle": data})
    assert response.status_code == 302
    return ImportRun.objects.get(pk=resolve(response.url).kwargs["pk"])


@pytest.mark.parametrize("name, data", [
    ("rac.xlsx", b"PK\x03\x04 not a workbook"),
    ("rac.zip", b"not a zip at all"),
])
def test_a_junk_upload_is_named_by_its_own_name(world, settings, tmp_path, name, data):
    junk = tmp_path / name
    junk.write_bytes(data)
    check = upload(world.client("province"), junk)
    assert check.status == ImportStatus.FAILED
    (message,) = check.errors
    assert message.startswith(f"{name} không phải là tệp")
    assert str(settings.DATA_DIR) not in message and "/" not in message


def test_a_damaged_file_of_a_zip_is_named_by_its_place_in_the_zip(db, tmp_path):
    bundle = zipped(tmp_path / "goi.zip", {"tinh/members.csv": HEADER + member_rows(200)})
    data = bytearray(bundle.read_bytes())
    start = data.index(b"PK\x03\x04") + 30 + len("tinh/members.csv")
    data[start + 50:start + 60] = b"\xff" * 10  # the compressed data, damaged
    bundle.write_bytes(bytes(data))
    with pytest.raises(ContainerError) as refused:
        import_bundle(bundle, name="goi-cua-toi.zip")
    assert "tinh/members.csv" in str(refused.value) and str(tmp_path) not in str(refused.value)


def test_a_missing_or_unknown_bundle_is_named_without_its_folder(db, tmp_path):
    with pytest.raises(ContainerError) as missing:
        import_bundle(tmp_path / "khong-co.zip")
    assert str(missing.value) == "Không tìm thấy khong-co.zip."
    (tmp_path / "goi.txt").write_text("x")
    with pytest.raises(ContainerError) as unknown:
        import_bundle(tmp_path / "goi.txt", name="goi-tai-len.txt")
    assert str(tmp_path) not in str(unknown.value) and "goi-tai-len.txt" in str(unknown.value)


# The run page ---------------------------------------------------------------------------------

def test_the_progress_poll_carries_no_error_and_reloads_the_ended_run(world, tmp_path):
    client = world.client("province")
    check = upload(client, zipped(tmp_path / "goi.zip", {"members.csv": HEADER
                                                         + member_rows(3, first=2)}))
    assert check.status == ImportStatus.FAILED and len(check.errors) == 3
    response = client.get(f"/import/runs/{check.pk}/progress", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "3 lỗi; không ghi gì" in body
    assert "members.csv:2" not in body and "ngày không có thật" not in body
    assert response["HX-Refresh"] == "true"


def test_the_run_page_pages_its_errors(world, tmp_path):
    client = world.client("province")
    check = upload(client, zipped(tmp_path / "goi.zip", {"members.csv": HEADER
                                                         + member_rows(250, first=2)}))
    assert len(check.errors) == 250
    first = client.get(f"/import/runs/{check.pk}/").content.decode()
    assert "250 lỗi; không ghi gì" in first and "Dòng 1–100 trong 250 lỗi" in first
    assert "members.csv:101:birth_date" in first and "members.csv:102:birth_date" not in first
    next_url = resolve_next(first)
    second = client.get(f"/import/runs/{check.pk}/{next_url}").content.decode()
    assert "Dòng 101–200 trong 250 lỗi" in second
    assert "members.csv:102:birth_date" in second and "members.csv:101:" not in second
    found = client.get(f"/import/runs/{check.pk}/?q=members.csv:250:").content.decode()
    assert "members.csv:250:birth_date" in found and "Dòng 1–1 trong 1 lỗi" in found
    export = client.get(f"/import/runs/{check.pk}/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert world.client("commune").get(f"/import/runs/{check.pk}/").status_code == 403


def resolve_next(body: str) -> str:
    """The query of the page's "next page" link."""
    start = body.index('id="list-next"')
    link = body.rindex('href="', 0, start) + len('href="')
    return body[link:body.index('"', link)].replace("&amp;", "&")
