"""Bundle versions (spec BUNDLE-v2.md, bundle.csv): the marker, the version of every file, and
the files of version 2 whose process this chibo has not built yet.

A bundle declares its version in bundle.csv (one row: `format_version`, `exported_at`); without
it, it is version 1, meeting files included (they predate the marker). A reader reads its own
version or lower. Every file is judged by its name: a registered section's file belongs to its
section's `version`; a planned file to the version that introduced it; any other name is
unknown. A file of a later version than the declared one, a planned file and an unknown file
are each an error naming the file: never skipped, so that nothing of a bundle is silently lost.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.interchange import sections
from chibo.interchange.report import Report
from chibo.interchange.schema import DATETIME, INT, Column, FileSpec

FORMAT_VERSION = 2  # the newest version read, and the version written
MARKER = FileSpec("bundle.csv", (Column("format_version", INT, True),
                                 Column("exported_at", DATETIME)))

# The files of spec BUNDLE-v2.md whose process is not built yet, in the order of the spec. They
# are refused ("not read by this version of chibo"); a file stops being planned as soon as a
# registered section declares it, so a process that is built only registers its section.
PLANNED = {name: 2 for name in (
    "candidates.csv", "courses.csv", "enrollments.csv", "inspections.csv",
    "inspection_subjects.csv", "discipline.csv", "ratings.csv", "outreach.csv",
    "directives.csv", "targets.csv", "tasks.csv", "dues.csv", "residence_liaison.csv",
    "badges.csv",
)}


def planned() -> list[str]:
    """The planned files that no registered section reads yet."""
    read = sections.by_name()
    return [name for name in PLANNED if name not in read]


def version_of(name: str) -> int | None:
    """The version that introduced the file `name` (None: no version knows it)."""
    if name == MARKER.name:
        return 2
    section = sections.section_of(name)
    return section.version if section is not None else PLANNED.get(name)


def file_problem(name: str, declared: int) -> str | None:
    """Why the file `name` cannot be read from a bundle of version `declared`, or None."""
    version = version_of(name)
    if version is None:
        known = [spec.name for spec in sections.files() if version_of(spec.name) <= declared]
        return _("tệp không thuộc gói dữ liệu phiên bản %(version)s (các tệp được nhận: "
                 "%(files)s)") % {"version": declared, "files": ", ".join(known)}
    if version > declared:
        return _("tệp %(file)s thuộc gói dữ liệu phiên bản %(its)s, không có trong phiên bản "
                 "%(version)s mà gói khai báo (bundle.csv; gói không có bundle.csv là phiên bản "
                 "1)") % {"file": name, "its": version, "version": declared}
    if name in planned():
        return _("tệp %(file)s chưa được phiên bản chibo này đọc (chibo chưa có quy trình của "
                 "tệp này); không nhập gì. Bỏ tệp ra khỏi gói để nhập các tệp khác.") % {
            "file": name}
    return None


def declared_version(table, report: Report) -> int:
    """The version bundle.csv declares (its one row), every problem reported; when it cannot
    be read, the newest version, so that the other files are judged as leniently as can be."""
    rows = table.rows
    if len(rows) != 1:
        report.add(table.file, rows[1].number if len(rows) > 1 else 1, "",
                   _("bundle.csv có đúng một dòng (phiên bản, thời điểm xuất); tệp này có "
                     "%(n)s") % {"n": len(rows)})
    if not rows or rows[0]["format_version"] is None:
        return FORMAT_VERSION
    row, version = rows[0], rows[0]["format_version"]
    if version > FORMAT_VERSION:
        row.fail(report, "format_version", _(
            "gói dữ liệu phiên bản %(version)s; phiên bản chibo này đọc gói đến phiên bản "
            "%(newest)s") % {"version": version, "newest": FORMAT_VERSION})
        return FORMAT_VERSION
    if version < 1:
        row.fail(report, "format_version", _("phiên bản gói dữ liệu là 1 hoặc 2"))
        return FORMAT_VERSION
    return version


def marker_rows(exported_at: datetime | None = None) -> list[list[str]]:
    """bundle.csv as written: the newest version and the moment of the export (local time,
    with its offset, to the second)."""
    moment = timezone.localtime(exported_at or timezone.now()).replace(microsecond=0)
    return [MARKER.keys, [str(FORMAT_VERSION), moment.isoformat()]]
