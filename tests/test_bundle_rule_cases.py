"""The bundle reader's own rules (chibo/interchange/readers.py; spec BUNDLE-v2.md, "Container"),
without a database: which files count, in which order, what an .xlsx cell reads as, and each
limit on both sides of its bound. The cases the mutants of bench/mutation.py (unit
"interchange") asked for; tests/test_bundle.py and tests/test_import_bounds.py import whole
bundles."""

import csv
import io
import os
import zipfile
from datetime import date, datetime

import pytest

from chibo.interchange import readers
from chibo.interchange.readers import ContainerError, Limits
from tests.test_bundle import _xlsx

LIMITS = Limits(rows=3, field=1024, files=4, unpacked=64 << 20, ratio=10)


@pytest.fixture(autouse=True)
def _csv_field_limit_restored():
    """The reader sets the csv module's bound on a cell for the whole process: a test's narrow
    bound must not outlive it (anything reading CSV later, even Python's own package metadata,
    would fail)."""
    before = csv.field_size_limit()
    yield
    csv.field_size_limit(before)


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (datetime(2025, 1, 2), "2025-01-02"),
    (datetime(2025, 1, 2, 8, 30), "2025-01-02 08:30:00"), (date(2025, 1, 2), "2025-01-02"),
    (True, "true"), (False, "false"), (3.0, "3"), (3.5, "3.5"), (7, "7"), ("  M001 ", "M001"),
])
def test_an_xlsx_cell_reads_as_the_text_a_csv_file_holds(value, text):
    assert readers._cell_text(value) == text


@pytest.mark.parametrize(("name", "hidden"), [
    (".DS_Store", True), ("__MACOSX/members.csv", True), ("bundle/.trash/members.csv", True),
    ("members.csv", False), ("bundle/members.v2.csv", False),
])
def test_files_the_operating_system_adds_are_not_read(name, hidden):
    assert readers._is_hidden(name) is hidden


def test_the_version_marker_is_read_first_then_the_files_by_name():
    names = ["members.csv", "a/bundle.csv", "bundle.csv.bak", "meetings.csv"]
    assert sorted(names, key=readers._marker_first) == [
        "a/bundle.csv", "bundle.csv.bak", "meetings.csv", "members.csv"]


def test_a_line_may_hold_32_cells_of_the_longest_field():
    assert LIMITS.line == 32 * 1024


def entry(name: str, size: int, packed: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, packed
    return info


def test_the_declared_sizes_of_a_zip_bind_on_both_sides():
    unpacked, floor = LIMITS.unpacked, readers.RATIO_FLOOR
    readers._check_declared_sizes([entry("a.csv", floor, 1), entry("b.csv", unpacked - floor,
                                                                    unpacked)], LIMITS)
    with pytest.raises(ContainerError, match="Tệp b.csv trong gói giải nén ra quá lớn "
                                              r"\(tối đa 64 MB cả gói"):
        readers._check_declared_sizes([entry("a.csv", floor, 1),
                                       entry("b.csv", unpacked - floor + 1, unpacked)], LIMITS)
    # Above the floor, at most `ratio` unpacked bytes per packed byte.
    readers._check_declared_sizes([entry("a.csv", 10 * floor, floor)], LIMITS)
    with pytest.raises(ContainerError, match="Tệp a.csv trong gói nén chặt bất thường "
                                              r"\(giải nén ra hơn 10 lần"):
        readers._check_declared_sizes([entry("a.csv", 10 * floor + 1, floor)], LIMITS)
    with pytest.raises(ContainerError, match="a.csv"):
        readers._check_declared_sizes([entry("a.csv", floor + 1, 1)], LIMITS)


def stream(text: str) -> readers._Stream:
    return readers._Stream(io.BufferedReader(io.BytesIO(text.encode())))


def rows_of(text: str, limits: Limits = LIMITS) -> list[tuple[int, list[str]]]:
    return list(readers._csv_rows(stream(text), limits, "members.csv"))


def test_rows_are_numbered_from_the_header_and_their_cells_trimmed():
    assert rows_of("\ufeffa,b\r\n 1 ,\"x\r\ny\"\n") == [(1, ["a", "b"]), (2, ["1", "x\r\ny"])]


def test_a_file_of_the_row_limit_reads_and_one_more_row_is_refused():
    assert len(rows_of("h\n1\n2\n3\n")) == 4
    with pytest.raises(ContainerError, match="Tệp members.csv có hơn 3 dòng dữ liệu"):
        rows_of("h\n1\n2\n3\n4\n")


def test_a_line_longer_than_the_limit_is_refused_on_its_row():
    narrow = Limits(rows=3, field=1, files=4, unpacked=1 << 20, ratio=10)  # lines of 32
    fits = "x," * 15 + "x"  # 31 characters and the line break
    assert rows_of(f"h\n{fits}\n", narrow) == [(1, ["h"]), (2, ["x"] * 16)]
    with pytest.raises(readers._Unreadable) as refused:
        rows_of(f"h\n{fits},x\n", narrow)
    assert (refused.value.row, refused.value.message) == (
        2, "dòng dài quá 32 ký tự; tệp có phải CSV không?")


def test_text_that_is_not_utf8_is_refused_on_its_line():
    raw = readers._Stream(io.BufferedReader(io.BytesIO(b"h\n1\n\xff\n")))
    with pytest.raises(readers._Unreadable) as refused:
        list(readers._csv_rows(raw, LIMITS, "members.csv"))
    assert refused.value.row == 3
    assert refused.value.message.startswith("tệp không phải văn bản UTF-8 (từ dòng 3)")


@pytest.mark.parametrize(("text", "refused"), [
    ("h\r\n1\r\n2\r\n3\r\n", False),  # a CRLF is one break
    ("h\r1\r2\r3\r", False),
    ("h\n1\n2\n3\n4\n", True),
    ("h\n1\n\"2\n2\"\n3\n", False),  # five breaks, four records: counted through the reader
])
def test_the_row_count_is_judged_before_the_file_is_parsed(text, refused):
    check = lambda: readers._check_row_count("members.csv", lambda: stream(text), LIMITS)  # noqa: E731
    if refused:
        with pytest.raises(ContainerError, match="có hơn 3 dòng dữ liệu"):
            check()
    else:
        check()


def test_each_limit_is_refused_in_words_that_name_its_setting():
    limits = Limits(rows=1_000_000, field=1024, files=50, unpacked=1024 << 20, ratio=100)
    assert [str(error) for error in (
        readers._too_many_files(51, limits), readers._too_many_rows("members.csv", limits),
        readers._too_large("members.csv", limits), readers._too_packed("members.csv", limits),
        readers._unreadable_member("members.csv"))] == [
        "Gói dữ liệu có 51 tệp; tối đa 50 tệp (CHIBO_IMPORT_MAX_FILES).",
        "Tệp members.csv có hơn 1.000.000 dòng dữ liệu (giới hạn mỗi tệp, CHIBO_IMPORT_MAX_ROWS); "
        "không đọc gì, không ghi gì. Hãy chia tệp thành nhiều gói.",
        "Tệp members.csv trong gói giải nén ra quá lớn (tối đa 1.024 MB cả gói, "
        "CHIBO_IMPORT_MAX_UNPACKED_MB); hãy kiểm tra lại gói dữ liệu.",
        "Tệp members.csv trong gói nén chặt bất thường (giải nén ra hơn 100 lần; dữ liệu thật "
        "không như vậy, CHIBO_IMPORT_MAX_RATIO); không đọc gì.",
        "Tệp members.csv trong gói .zip không đọc được (hỏng, mã hóa bằng mật khẩu hoặc nén theo "
        "cách không hỗ trợ).",
    ]


def zipped(path, files: dict[str, bytes], method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_a_zip_of_the_file_limit_reads_its_hidden_files_and_folders_not_counted(tmp_path):
    files = {f"b/{n}.csv": b"h\n" for n in range(4)} | {"b/.DS_Store": b"x",
                                                       "__MACOSX/b/0.csv": b"x"}
    path = zipped(tmp_path / "b.zip", files)
    assert [shown for shown, _, _ in readers._zip_files(path, "b.zip", LIMITS)] == [
        "0.csv", "1.csv", "2.csv", "3.csv"]
    more = zipped(tmp_path / "c.zip", {**files, "b/4.csv": b"h\n"})
    with pytest.raises(ContainerError, match="Gói dữ liệu có 5 tệp; tối đa 4 tệp"):
        list(readers._zip_files(more, "c.zip", LIMITS))


def test_a_zip_file_may_unpack_past_the_floor_within_its_ratio(tmp_path):
    """2 MB of hexadecimal digits pack to about half: far within 10 times, and past the 1 MB
    under which the ratio is not judged."""
    data = os.urandom(1 << 20).hex().encode()
    path = zipped(tmp_path / "b.zip", {"notes.csv": data})
    [(shown, _, _)] = list(readers._zip_files(path, "b.zip", LIMITS))
    assert shown == "notes.csv"


class Sheet:
    """A worksheet as openpyxl reads it in read-only mode, or one that fails to."""

    def __init__(self, rows, fails=False):
        self.title, self.rows, self.fails = "members", rows, fails

    def iter_rows(self, values_only):
        if self.fails:
            raise KeyError("xl/worksheets/sheet1.xml")
        yield from self.rows


def test_a_sheet_longer_than_it_declared_is_refused_past_the_row_limit():
    rows = [("h",), *[(n,) for n in range(3)]]
    assert list(readers._sheet_rows(Sheet(rows), LIMITS)) == [
        (1, ["h"]), (2, ["0"]), (3, ["1"]), (4, ["2"])]
    with pytest.raises(ContainerError, match="Tệp members có hơn 3 dòng dữ liệu"):
        list(readers._sheet_rows(Sheet([*rows, (3,)]), LIMITS))


def test_a_sheet_that_does_not_read_is_refused_on_its_first_row():
    with pytest.raises(readers._Unreadable) as refused:
        list(readers._sheet_rows(Sheet([], fails=True), LIMITS))
    assert (refused.value.row, refused.value.message) == (1, "trang tính không đọc được")


def test_a_file_of_a_zip_locked_by_a_password_is_refused_by_its_name(tmp_path):
    """zipfile writes no encryption: the flag "encrypted" is set by hand, in the file's local
    header and in the central directory."""
    data = bytearray(zipped(io.BytesIO(), {"b/members.csv": b"h\n"}).getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.find(signature) + flags_at] |= 1
    path = tmp_path / "b.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(ContainerError, match="^Tệp b/members.csv trong gói .zip không đọc được"):
        list(readers._zip_files(path, "b.zip", LIMITS))


def test_a_sheet_cell_may_hold_the_longest_field_and_not_one_character_more():
    longest = "x" * LIMITS.field
    assert list(readers._sheet_rows(Sheet([("h",), (longest,)]), LIMITS)) == [
        (1, ["h"]), (2, [longest])]
    with pytest.raises(readers._Unreadable) as refused:
        list(readers._sheet_rows(Sheet([("h",), (longest + "x",)]), LIMITS))
    assert (refused.value.row, refused.value.message) == (
        2, "có ô dài quá 1.024 ký tự (CHIBO_IMPORT_MAX_FIELD)")


def sheets_of(path) -> list[tuple[str, str, list]]:
    return [(shown, name, list(open_rows()))
            for shown, name, open_rows in readers._xlsx_sheets(path, path.name, LIMITS)]


def test_a_workbook_of_the_sheet_limit_reads_and_one_more_sheet_is_refused(tmp_path):
    four = {f"s{n}": [("h",)] for n in range(4)}
    assert [name for _, name, _ in sheets_of(_xlsx(tmp_path / "a.xlsx", four))] == [
        "s0.csv", "s1.csv", "s2.csv", "s3.csv"]
    with pytest.raises(ContainerError, match=r"^Gói dữ liệu có 5 tệp; tối đa 4 tệp"):
        sheets_of(_xlsx(tmp_path / "b.xlsx", {**four, "s4": [("h",)]}))


def test_a_sheet_declaring_more_rows_than_the_limit_is_refused_before_it_is_read(tmp_path):
    rows = [("h",), (1,), (2,), (3,)]
    [(shown, _, read)] = sheets_of(_xlsx(tmp_path / "a.xlsx", {"members": rows}))
    assert (shown, read) == ("members", [(1, ["h"]), (2, ["1"]), (3, ["2"]), (4, ["3"])])
    longer = _xlsx(tmp_path / "b.xlsx", {"members": [*rows, (4,)]})
    with pytest.raises(ContainerError, match=r"^Tệp members có hơn 3 dòng dữ liệu"):
        list(readers._xlsx_sheets(longer, longer.name, LIMITS))  # no row read


def test_a_formula_reads_as_the_value_the_workbook_kept_not_as_its_text(tmp_path):
    """openpyxl keeps no computed value for a formula it writes: the cell reads empty."""
    [(_, _, read)] = sheets_of(_xlsx(tmp_path / "a.xlsx", {"members": [("h",), ("=1+1",)]}))
    assert read == [(1, ["h"]), (2, [""])]
