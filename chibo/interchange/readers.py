"""Reading a bundle's container: a directory or a .zip of CSV files, or one .xlsx workbook.

Every container gives the same thing: for each known file, its rows with typed values
(`Table`). The version marker bundle.csv is read first, and every other file is judged against
the version it declares (chibo.interchange.versions). Unknown files, files of another version,
unknown or repeated columns and cells that do not read are reported, not raised, so that one
run lists every error.

Files are read as streams, never whole: a CSV file (in a directory or a zip) a line at a time,
a workbook by openpyxl in read-only mode. What one bundle may hold is bounded (`Limits`, from
the settings IMPORT_MAX_*): a bundle beyond a limit is refused with a ContainerError before its
rows are parsed, in seconds and in little memory, whatever its size. Messages name the bundle
by the name it was given (an upload's own name) and the files inside it, never a path of the
server.
"""

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chibo.interchange import sections, versions
from chibo.interchange.report import Report, Row
from chibo.interchange.schema import GRADE, TEXT, FileSpec, parse_row

# (row number, cells as text) of one file, header first
RawRows = Iterator[tuple[int, list[str]]]

# A file's rows are read twice from its container: counted first (cheap, nothing kept), so that
# a file over the row limit is refused before it is parsed, then parsed.
OpenRows = Callable[[], RawRows]

# Below this many unpacked bytes a file's compression ratio is not judged: small files (a
# header, a few repeated rows) compress far better than real data does.
RATIO_FLOOR = 1024 * 1024


class ContainerError(Exception):
    """The bundle is refused as a whole: it is missing, of a kind we do not read, unreadable,
    or beyond a limit. Nothing of it was parsed or written."""


@dataclass(frozen=True)
class Limits:
    """What one bundle may hold; each a setting (docs/bundle.md, "Limits")."""

    rows: int  # data rows of one file (the header not counted)
    field: int  # characters of one cell
    files: int  # files of a directory or a zip, sheets of a workbook
    unpacked: int  # bytes a zip or a workbook unpacks to, all its files together
    ratio: int  # unpacked bytes per packed byte of one file of a zip (above RATIO_FLOOR)

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_FIELD, settings.IMPORT_MAX_FILES,
                   settings.IMPORT_MAX_UNPACKED, settings.IMPORT_MAX_RATIO)

    @property
    def line(self) -> int:
        """The longest line of CSV text read at once: room for a row of many long cells, and
        a bound on memory when a file has no line breaks at all."""
        return self.field * 32


@dataclass
class Table:
    spec: FileSpec
    file: str  # as shown in error lines
    rows: list[Row] = field(default_factory=list)


def read_bundle(path: Path, report: Report, *, name: str | None = None) -> dict[str, Table]:
    """The bundle's readable files by name (`members.csv`), every file problem reported (the
    marker's too; it is read, not returned). `name` is what messages call the bundle (an
    upload's own name; default: the last part of `path`)."""
    path, limits = Path(path), Limits.from_settings()
    name = name or path.name
    if not path.exists():
        raise ContainerError(_("Không tìm thấy %(path)s.") % {"path": name})
    if path.is_dir():
        sources = _directory_files(path, limits)
    elif path.suffix.lower() == ".zip":
        sources = _zip_files(path, name, limits)
    elif path.suffix.lower() == ".xlsx":
        sources = _xlsx_sheets(path, name, limits)
    else:
        raise ContainerError(_("Gói dữ liệu phải là một thư mục, một tệp .zip hoặc một tệp "
                               ".xlsx: %(path)s") % {"path": name})
    tables: dict[str, Table] = {}
    specs = {spec.name: spec for spec in [versions.MARKER, *sections.files()]}
    order = list(specs)
    seen: set[str] = set()
    declared = None  # the version read from the marker, which comes first
    shared: dict = {}  # repeated values, one object each (_table)
    for shown, file_name, open_rows in sources:
        report.file_order[shown] = order.index(file_name) if file_name in order else len(order)
        if file_name in seen:
            report.add(shown, 1, "", _("tệp %(file)s có hai lần trong gói") % {"file": file_name})
            continue
        seen.add(file_name)
        if file_name == versions.MARKER.name:
            marker = _table(versions.MARKER, shown, open_rows, report, shared)
            declared = versions.declared_version(marker, report)
            continue
        declared = declared or 1  # no marker: version 1
        if problem := versions.file_problem(file_name, declared):
            report.add(shown, 1, "", problem)
        else:
            tables[file_name] = _table(specs[file_name], shown, open_rows, report, shared)
    return tables


def _marker_first(name: str) -> tuple[bool, str]:
    """Sort key of a container's files: the version marker first, then by name."""
    return Path(name).name != versions.MARKER.name, name


# Limits -------------------------------------------------------------------------------------

def _number(n: int) -> str:
    return number_format(n, force_grouping=True)


def _too_many_files(count: int, limits: Limits) -> ContainerError:
    return ContainerError(_("Gói dữ liệu có %(n)s tệp; tối đa %(limit)s tệp "
                            "(CHIBO_IMPORT_MAX_FILES).") % {"n": _number(count),
                                                            "limit": _number(limits.files)})


def _too_many_rows(file: str, limits: Limits) -> ContainerError:
    return ContainerError(_("Tệp %(file)s có hơn %(limit)s dòng dữ liệu (giới hạn mỗi tệp, "
                            "CHIBO_IMPORT_MAX_ROWS); không đọc gì, không ghi gì. Hãy chia tệp "
                            "thành nhiều gói.") % {"file": file, "limit": _number(limits.rows)})


def _too_large(file: str, limits: Limits) -> ContainerError:
    return ContainerError(_("Tệp %(name)s trong gói giải nén ra quá lớn (tối đa %(total)s MB cả "
                            "gói, CHIBO_IMPORT_MAX_UNPACKED_MB); hãy kiểm tra lại gói dữ liệu.")
                          % {"name": file, "total": _number(limits.unpacked >> 20)})


def _too_packed(file: str, limits: Limits) -> ContainerError:
    return ContainerError(_("Tệp %(name)s trong gói nén chặt bất thường (giải nén ra hơn "
                            "%(ratio)s lần; dữ liệu thật không như vậy, "
                            "CHIBO_IMPORT_MAX_RATIO); không đọc gì.")
                          % {"name": file, "ratio": _number(limits.ratio)})


def _check_declared_sizes(entries: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse before unpacking anything when the sizes the zip declares are over the limits
    (Python's zipfile never returns more than an entry declares, so the declaration binds)."""
    total = 0
    for info in entries:
        total += info.file_size
        if total > limits.unpacked:
            raise _too_large(info.filename, limits)
        if info.file_size > max(RATIO_FLOOR, info.compress_size * limits.ratio):
            raise _too_packed(info.filename, limits)


def _csv_source(file: str, open_stream: Callable[[], "_Stream"], limits: Limits) -> OpenRows:
    """How to read a CSV file's rows, once the file is known to be within the row limit."""
    _check_row_count(file, open_stream, limits)
    return lambda: _csv_rows(open_stream(), limits, file)


def _check_row_count(file: str, open_stream: Callable[[], "_Stream"], limits: Limits) -> None:
    """Refuse a file of more than the row limit before parsing it. Its line breaks are counted
    first (fast: no decoding): a record ends at one, so a file with few enough is within the
    limit. Only a file with more (a big one, or one of many cells on several lines) has its
    records counted, through the CSV reader, nothing kept. A file that does not read is left
    to the parse, which reports where."""
    breaks = 0
    with open_stream() as stream:
        while chunk := stream.read1(1 << 20):
            breaks += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
    if breaks <= limits.rows:  # at most breaks + 1 records, the header one of them
        return
    rows = _csv_rows(open_stream(), limits, file)
    try:
        for _row in rows:
            pass
    except _Unreadable:
        pass
    finally:
        rows.close()


# Containers ---------------------------------------------------------------------------------

def _is_hidden(name: str) -> bool:
    """Files that operating systems add beside the user's (.DS_Store, __MACOSX/…)."""
    return any(part.startswith(".") or part == "__MACOSX" for part in Path(name).parts)


def _directory_files(path: Path, limits: Limits):
    files = sorted((file for file in path.iterdir() if file.is_file()
                    and not _is_hidden(file.name)), key=lambda file: _marker_first(file.name))
    if len(files) > limits.files:
        raise _too_many_files(len(files), limits)
    for file in files:
        yield file.name, file.name, _csv_source(
            file.name, lambda file=file: _Stream(file.open("rb")), limits)


def _zip_files(path: Path, name: str, limits: Limits):
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ContainerError(_("%(path)s không phải là tệp .zip đọc được.") % {"path": name}) \
            from None
    with archive:
        entries = [info for info in sorted(archive.infolist(),
                                           key=lambda i: _marker_first(i.filename))
                   if not info.is_dir() and not _is_hidden(info.filename)]
        if len(entries) > limits.files:
            raise _too_many_files(len(entries), limits)
        _check_declared_sizes(entries, limits)
        for info in entries:
            rows = _csv_source(info.filename, lambda info=info: _member(archive, info, limits),
                               limits)
            # shown by its own name: a zip often wraps its files in one folder
            yield Path(info.filename).name, Path(info.filename).name, rows


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> "_Stream":
    """A file of the zip as a stream, stopped past what it may unpack to: the declared size is
    only what the zip says."""
    try:
        stream = archive.open(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            OSError):
        raise _unreadable_member(info.filename) from None
    bound = min(limits.unpacked, max(RATIO_FLOOR, info.compress_size * limits.ratio))
    return _Stream(stream, info.filename, bound, limits)


def _unreadable_member(file: str) -> ContainerError:
    return ContainerError(_("Tệp %(name)s trong gói .zip không đọc được (hỏng, mã hóa bằng mật "
                            "khẩu hoặc nén theo cách không hỗ trợ).") % {"name": file})


def _xlsx_sheets(path: Path, name: str, limits: Limits):
    """A workbook is a zip too: its declared sizes are checked before openpyxl unpacks it,
    which it then reads in read-only mode (a row at a time)."""
    from openpyxl import load_workbook

    unreadable = ContainerError(_("%(path)s không phải là tệp .xlsx đọc được.") % {"path": name})
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise unreadable from None
    with archive:
        _check_declared_sizes(archive.infolist(), limits)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise unreadable from None
    try:
        sheets = sorted(workbook.worksheets,
                        key=lambda sheet: _marker_first(f"{sheet.title}.csv"))
        if len(sheets) > limits.files:
            raise _too_many_files(len(sheets), limits)
        for sheet in sheets:
            # the size a sheet declares refuses it at once; its rows are counted as read too
            if (sheet.max_row or 0) > limits.rows + 1:
                raise _too_many_rows(sheet.title, limits)
            yield sheet.title, f"{sheet.title}.csv", lambda sheet=sheet: _sheet_rows(sheet,
                                                                                     limits)
    finally:
        workbook.close()


# Rows ----------------------------------------------------------------------------------------

class _Unreadable(Exception):
    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row, self.message = row, message


class _Stream(io.BufferedIOBase):
    """A file's bytes on their way to the text decoder: counted, and (a file of a zip, named
    `member`) stopped past `bound` bytes; the line breaks counted too, so that a byte that is
    not UTF-8 is reported on its line."""

    def __init__(self, raw, member: str = "", bound: int | None = None,
                 limits: Limits | None = None):
        super().__init__()
        self.raw, self.member, self.bound, self.limits = raw, member, bound, limits
        self.read_bytes = 0
        self.breaks_before_last = self.last_breaks = 0  # line breaks before the last chunk, in it

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        try:
            chunk = self.raw.read1(size if size and size > 0 else io.DEFAULT_BUFFER_SIZE)
        except (zipfile.BadZipFile, zlib.error, EOFError):  # a zip's data, damaged or forged
            raise _unreadable_member(self.member) from None
        self.read_bytes += len(chunk)
        if self.bound is not None and self.read_bytes > self.bound:
            raise _too_large(self.member, self.limits)
        self.breaks_before_last += self.last_breaks
        self.last_breaks = chunk.count(b"\n")
        return chunk

    read = read1  # the decoder asks for a chunk at a time

    def close(self) -> None:
        self.raw.close()
        super().close()

    def line_of(self, error: UnicodeDecodeError) -> int:
        """The line of the byte that did not decode (the decoder fails on the last chunk)."""
        return self.breaks_before_last + error.object[:error.start].count(b"\n") + 1


def _csv_rows(stream: _Stream, limits: Limits, file: str) -> RawRows:
    """RFC 4180 records of UTF-8 text (a BOM is dropped), read from `stream` a line at a time
    (it is closed at the end); ROW counts records, header = 1. More records than the row
    limit refuse the whole bundle (ContainerError)."""
    csv.field_size_limit(limits.field)  # the module's own bound on one cell
    number = 0
    with stream, io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as text:
        try:
            reader = csv.reader(_lines(text, limits, lambda: number + 1), strict=True)
            for number, cells in enumerate(reader, start=1):
                if number > limits.rows + 1:
                    raise _too_many_rows(file, limits)
                yield number, [cell.strip() for cell in cells]
        except UnicodeDecodeError as error:
            line = stream.line_of(error)
            raise _Unreadable(line, _("tệp không phải văn bản UTF-8 (từ dòng %(line)s); hãy lưu "
                                      "lại với mã hóa UTF-8") % {"line": line}) from None
        except csv.Error as error:
            raise _Unreadable(number + 1, _(
                "có ô dài quá %(n)s ký tự (CHIBO_IMPORT_MAX_FIELD)") % {"n": _number(limits.field)}
                if "field limit" in str(error) else
                _("dòng CSV không đọc được: %(error)s") % {"error": error}) from None


def _lines(text: io.TextIOBase, limits: Limits, row: Callable[[], int]) -> Iterator[str]:
    """The lines of `text`, each read at most `limits.line` characters at a time: a longer
    line is refused rather than held whole (a file with no line breaks is one line)."""
    readline, longest = text.readline, limits.line
    while line := readline(longest):
        if len(line) == longest and line[-1] not in "\r\n":
            raise _Unreadable(row(), _("dòng dài quá %(n)s ký tự; tệp có phải CSV không?")
                              % {"n": _number(longest)})
        yield line


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


def _sheet_rows(sheet, limits: Limits) -> RawRows:
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limits.rows + 1:  # the sheet did not declare its size truly
                raise _too_many_rows(sheet.title, limits)
            cells = [_cell_text(value) for value in values]
            if any(len(cell) > limits.field for cell in cells):
                raise _Unreadable(number, _("có ô dài quá %(n)s ký tự (CHIBO_IMPORT_MAX_FIELD)")
                                  % {"n": _number(limits.field)})
            yield number, cells
    except (ContainerError, _Unreadable):
        raise
    except Exception:  # openpyxl raises many kinds for a sheet that does not read
        raise _Unreadable(number + 1, _("trang tính không đọc được")) from None


def _table(spec: FileSpec, shown: str, open_rows: OpenRows, report: Report,
           shared: dict) -> Table:
    """The file's rows, parsed and packed (report.Row.pack): the values of its codes, choices
    and dates one object each across the bundle (`shared`), as a member's code is in many files
    and a meeting's in every row of its attendance."""
    table = Table(spec, shown)
    positions = {column.key: place for place, column in enumerate(spec.columns)}
    repeated = tuple(place for place, column in enumerate(spec.columns)
                     if column.type not in (TEXT, GRADE))
    raw = open_rows()
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
            row.pack(positions, shared, repeated)
            table.rows.append(row)
    except _Unreadable as error:
        report.add(shown, error.row, "", error.message)
    finally:
        raw.close()
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
