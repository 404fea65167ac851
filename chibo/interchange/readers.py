"""Reading a bundle's container: a directory or a .zip of CSV files, or one .xlsx workbook.

Every container gives the same thing: for each known file, its rows with typed values
(`Table`). The version marker bundle.csv is read first, and every other file is judged against
the version it declares (chibo.interchange.versions). Unknown files, files of another version,
unknown or repeated columns and cells that do not read are reported, not raised, so that one
run lists every error.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from chibo.interchange import sections, versions
from chibo.interchange.report import Report, Row
from chibo.interchange.schema import FileSpec, parse_row

# (row number, cells as text) of one file, header first
RawRows = Iterator[tuple[int, list[str]]]


class ContainerError(Exception):
    """The path is not a bundle at all (missing, or of a kind we do not read)."""


# A zip's files are read whole into memory, and a zip of a few hundred KB can unpack to GBs (a
# "zip bomb"). A whole province's bundle unpacks to well under 100 MB, so these limits leave
# room for the largest real bundle and refuse an upload that would exhaust the server's memory.
ZIP_ENTRY_LIMIT = 512 * 1024 * 1024  # bytes unpacked, one file of the zip
ZIP_TOTAL_LIMIT = 1024 * 1024 * 1024  # bytes unpacked, all the files of the zip
_CHUNK = 1024 * 1024


@dataclass
class Table:
    spec: FileSpec
    file: str  # as shown in error lines
    rows: list[Row] = field(default_factory=list)


def read_bundle(path: Path, report: Report) -> dict[str, Table]:
    """The bundle's readable files by name (`members.csv`), every file problem reported (the
    marker's too; it is read, not returned)."""
    if not path.exists():
        raise ContainerError(_("Không tìm thấy %(path)s.") % {"path": path})
    if path.is_dir():
        sources = _directory_files(path)
    elif path.suffix.lower() == ".zip":
        sources = _zip_files(path)
    elif path.suffix.lower() == ".xlsx":
        sources = _xlsx_sheets(path)
    else:
        raise ContainerError(_("Gói dữ liệu phải là một thư mục, một tệp .zip hoặc một tệp "
                               ".xlsx: %(path)s") % {"path": path})
    tables: dict[str, Table] = {}
    specs = {spec.name: spec for spec in [versions.MARKER, *sections.files()]}
    order = list(specs)
    seen: set[str] = set()
    declared = None  # the version read from the marker, which comes first
    for shown, name, raw in sources:
        report.file_order[shown] = order.index(name) if name in order else len(order)
        if name in seen:
            report.add(shown, 1, "", _("tệp %(file)s có hai lần trong gói") % {"file": name})
            continue
        seen.add(name)
        if name == versions.MARKER.name:
            marker = _table(versions.MARKER, shown, raw, report)
            declared = versions.declared_version(marker, report)
            continue
        declared = declared or 1  # no marker: version 1
        if problem := versions.file_problem(name, declared):
            report.add(shown, 1, "", problem)
        else:
            tables[name] = _table(specs[name], shown, raw, report)
    return tables


def _marker_first(name: str) -> tuple[bool, str]:
    """Sort key of a container's files: the version marker first, then by name."""
    return Path(name).name != versions.MARKER.name, name


# Containers ---------------------------------------------------------------------------------

def _is_hidden(name: str) -> bool:
    """Files that operating systems add beside the user's (.DS_Store, __MACOSX/…)."""
    return any(part.startswith(".") or part == "__MACOSX" for part in Path(name).parts)


def _directory_files(path: Path):
    for file in sorted(path.iterdir(), key=lambda file: _marker_first(file.name)):
        if file.is_file() and not _is_hidden(file.name):
            yield file.name, file.name, _csv_rows(file.name, file.read_bytes())


def _zip_files(path: Path):
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ContainerError(_("%(path)s không phải là tệp .zip đọc được.") % {"path": path}) \
            from None
    with archive:
        entries = [info for info in sorted(archive.infolist(),
                                           key=lambda i: _marker_first(i.filename))
                   if not info.is_dir() and not _is_hidden(info.filename)]
        _check_declared_sizes(entries)
        left = ZIP_TOTAL_LIMIT
        for info in entries:
            name = Path(info.filename).name  # a zip often wraps its files in one folder
            data = _read_entry(archive, info, min(ZIP_ENTRY_LIMIT, left))
            left -= len(data)
            yield name, name, _csv_rows(name, data)


def _too_large(name: str) -> ContainerError:
    return ContainerError(_("Tệp %(name)s trong gói .zip giải nén ra quá lớn (tối đa %(entry)s "
                            "MB mỗi tệp, %(total)s MB cả gói); hãy kiểm tra lại gói dữ liệu.")
                          % {"name": name, "entry": ZIP_ENTRY_LIMIT // (1024 * 1024),
                             "total": ZIP_TOTAL_LIMIT // (1024 * 1024)})


def _check_declared_sizes(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse before unpacking anything when the sizes the zip declares are over the limits."""
    total = 0
    for info in entries:
        total += info.file_size
        if info.file_size > ZIP_ENTRY_LIMIT or total > ZIP_TOTAL_LIMIT:
            raise _too_large(info.filename)


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The entry's bytes, read in chunks and stopped past `limit`: the declared size is only
    what the zip says, and a crafted zip may unpack to more."""
    buffer = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                buffer += chunk
                if len(buffer) > limit:
                    raise _too_large(info.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise ContainerError(_("Tệp %(name)s trong gói .zip không đọc được (%(error)s).")
                             % {"name": info.filename, "error": error}) from None
    return bytes(buffer)


def _xlsx_sheets(path: Path):
    """A workbook is a zip too: its declared sizes are checked before openpyxl unpacks it
    (Python's zipfile never returns more than an entry declares, so the declaration binds)."""
    from openpyxl import load_workbook

    unreadable = ContainerError(_("%(path)s không phải là tệp .xlsx đọc được.") % {"path": path})
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise unreadable from None
    with archive:
        _check_declared_sizes(archive.infolist())
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise unreadable from None
    try:
        for sheet in sorted(workbook.worksheets, key=lambda sheet: _marker_first(
                f"{sheet.title}.csv")):
            yield sheet.title, f"{sheet.title}.csv", _sheet_rows(sheet)
    finally:
        workbook.close()


# Rows ----------------------------------------------------------------------------------------

class _Unreadable(Exception):
    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row, self.message = row, message


def _csv_rows(name: str, data: bytes) -> RawRows:
    """RFC 4180 records of UTF-8 text (a BOM is dropped); ROW counts records, header = 1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise _Unreadable(line, _("tệp không phải văn bản UTF-8 (từ dòng %(line)s); hãy lưu "
                                  "lại với mã hóa UTF-8") % {"line": line}) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in cells]
    except csv.Error as error:
        raise _Unreadable(number + 1, _("dòng CSV không đọc được: %(error)s")
                          % {"error": error}) from None


def _cell_text(value) -> str:
    """An .xlsx cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_rows(sheet) -> RawRows:
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [_cell_text(value) for value in values]


def _table(spec: FileSpec, shown: str, raw: RawRows, report: Report) -> Table:
    table = Table(spec, shown)
    try:
        header = _header(spec, shown, raw, report)
        if header is None:
            return table
        keys, usable = header
        for number, cells in raw:
            if not any(cells):
                continue  # blank lines, and the empty rows spreadsheets keep at the end
            row = Row(shown, number)
            _check_width(keys, cells, row, report)
            cells = [*cells, *[""] * (len(keys) - len(cells))]  # a short row: empty cells
            parse_row(spec, row, dict(zip(keys, cells, strict=False)), report)
            row.ok = row.ok and usable
            table.rows.append(row)
    except _Unreadable as error:
        report.add(shown, error.row, "", error.message)
    return table


def _header(spec: FileSpec, shown: str, raw: RawRows, report: Report):
    """The column keys (unknown `x_*` columns blanked), and whether every required column is
    there; None for a file without a header row."""
    first = next(raw, None)
    if first is None or not any(first[1]):
        report.add(shown, 1, "", _("tệp không có dòng tiêu đề (tên các cột)"))
        return None
    keys = list(first[1])
    while keys and not keys[-1]:
        keys.pop()
    seen: set[str] = set()
    for position, key in enumerate(keys):
        if key in seen:
            report.add(shown, 1, key, _("cột có hai lần"))
        elif not key:
            report.add(shown, 1, "", _("cột thứ %(n)s không có tên") % {"n": position + 1})
        elif key.startswith("x_"):
            keys[position] = ""  # ignored, as the spec allows
        elif spec.column(key) is None:
            report.add(shown, 1, key, _("cột không có trong %(file)s (các cột được nhận: "
                                        "%(keys)s)") % {"file": spec.name,
                                                        "keys": ", ".join(spec.keys)})
        seen.add(key)
    missing = [c.key for c in spec.columns if c.required and c.key not in seen]
    for key in missing:
        report.add(shown, 1, key, _("thiếu cột bắt buộc"))
    return keys, not missing


def _check_width(keys: list[str], cells: list[str], row: Row, report: Report) -> None:
    if any(cells[len(keys):]):
        row.fail(report, "", _("dòng có nhiều ô hơn số cột của dòng tiêu đề"))
