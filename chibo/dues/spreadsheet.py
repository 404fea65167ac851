"""Payments made through another channel (the national public service portal, a bank transfer),
imported from a spreadsheet (.xlsx or .csv) into an organization's subtree: all or nothing.

The sheet's first row names the columns of dues.csv (`member_code`, `month`, `amount`,
`paid_on`, and optionally `category`, `basis_amount`); each row is read and checked exactly as
the bundle reads dues.csv (chibo.dues.bundle: the same parsers and checks, so the same words),
and besides each member must lie in the organization's subtree, where the importer records dues.
Every problem is reported as `ROW:COLUMN: message` (row 1 is the header); with any problem
nothing is written. Otherwise the payments are written in one transaction (no receipt: the
money did not pass through the cell), the derived years rewritten and one audit record made.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.accounts.policy import require
from chibo.audit.services import record_change
from chibo.core.fields import subtree_range
from chibo.dues import sheets
from chibo.dues.bundle import DUES, DuesImport
from chibo.dues.capabilities import RECORD_DUES
from chibo.dues.choices import Channel
from chibo.dues.models import Payment
from chibo.interchange.bulk import insert_rows
from chibo.interchange.report import Report, Row
from chibo.interchange.schema import parse_row
from chibo.interchange.sections import ImportContext
from chibo.members.models import Member

MAX_ROWS = 20_000
SHEET = "bang-tinh"


class RefusedImport(Exception):
    """The spreadsheet's problems, one line each; nothing was written."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class _Table:
    rows: list[Row]


def _cells(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise RefusedImport([_("1:: tệp không phải là bảng tính .xlsx đọc được")]) from None
        sheet = book.worksheets[0]
        rows = [["" if value is None else _text(value) for value in row]
                for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        book.close()
        return rows
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RefusedImport([_("1:: tệp .csv phải mã hóa UTF-8")]) from None
    return list(csv.reader(io.StringIO(text)))[:MAX_ROWS + 2]


def _text(value) -> str:
    """A cell as the bundle would write it: a date as YYYY-MM-DD, a whole number without .0."""
    if hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "date") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read(name: str, content: bytes) -> tuple[list[Row], Report]:
    """The sheet's rows, parsed by dues.csv's columns, and the problems found so far."""
    report = Report()
    cells = _cells(name, content)
    if not cells:
        raise RefusedImport([_("1:: bảng tính trống")])
    header = [key.strip() for key in cells[0]]
    missing = [column.key for column in DUES.columns if column.required and
               column.key not in header]
    if missing:
        raise RefusedImport([_("1:: thiếu cột %(columns)s (dòng đầu ghi tên cột như "
                               "dues.csv)") % {"columns": ", ".join(missing)}])
    if len(cells) > MAX_ROWS + 1:
        raise RefusedImport([_("1:: quá %(n)s dòng") % {"n": MAX_ROWS}])
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        row = Row(SHEET, number)
        parse_row(DUES, row, dict(zip(header, (v.strip() for v in values), strict=False)),
                  report)
        rows.append(row)
    return rows, report


@transaction.atomic
def import_payments(org, name: str, content: bytes, *, actor,
                    channel: str = Channel.PORTAL) -> int:
    """Import the sheet into `org`'s subtree; how many payments were written. RefusedImport
    lists every problem (nothing written)."""
    require(actor, RECORD_DUES, org)
    rows, report = read(name, content)
    context = ImportContext({DUES.name: _Table(rows)}, report, actor, None)
    step = DuesImport(context)
    step.check()
    low, high = subtree_range(org.path)
    inside = set(Member.objects.filter(
        pk__in={values["member_id"] for values in step.accepted.values()},
        cell__path__gte=low, cell__path__lt=high).values_list("pk", flat=True))
    for row in rows:
        key = f"{row['member_code']}|{row['month']:%Y-%m}" if row.ok and row["month"] else None
        if key in step.accepted and step.accepted[key]["member_id"] not in inside:
            row.fail(report, "member_code", _("đảng viên %(code)s không sinh hoạt trong "
                                              "%(org)s") % {"code": row["member_code"],
                                                            "org": org.name})
    if report:
        raise RefusedImport([line.removeprefix(f"{SHEET}:") for line in report.lines()])
    payments = [{**values, "channel": channel} for values in step.accepted.values()]
    insert_rows(Payment, payments)
    sheets.refresh_members({values["member_id"] for values in payments})
    record_change("dues.import", actor=actor, obj=org, after={
        "source": name[:255], "channel": channel, "payments": len(payments)})
    return len(payments)
