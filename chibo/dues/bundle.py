"""dues.csv of the bundle (spec BUNDLE-v2.md): every Check is an error naming `FILE:ROW:COLUMN`
and nothing is written; a payment that is not the month's rate, and three unpaid months in a
year, are findings (chibo.dues.findings), not errors.

Errors: an unknown member; a member and month given twice (in the bundle, or already stored);
the member not active on any day of the month; `paid_on` after today; an amount of 0.
The rates, receipts and how a payment came in are working state, not in the bundle (BUNDLE-v2);
the payments imported come in as `bundle`.
"""

from datetime import date

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.dues import sheets
from chibo.dues.choices import Category, Channel
from chibo.dues.models import Payment
from chibo.dues.placement import MemberSpans
from chibo.dues.rules import FILE, last_day, month_text
from chibo.interchange.bulk import insert_rows
from chibo.interchange.names import Named
from chibo.interchange.report import Row
from chibo.interchange.schema import INT, MONTH, Column, FileSpec, choice_column, code_column
from chibo.interchange.schema import date_column as date_col
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import RowError

DUES = FileSpec(FILE, (
    code_column("member_code", True), Column("month", MONTH, True), Column("amount", INT, True),
    date_col("paid_on", True), choice_column("category", Category),
    Column("basis_amount", INT),
))


def import_dues(context: ImportContext) -> dict[str, int]:
    if not context.tables.get(DUES.name):
        return {}
    step = DuesImport(context)
    step.check()
    context.provided["dues"] = set(step.accepted)
    if context.report:
        return {DUES.name: 0}
    insert_rows(Payment, step.accepted.values())
    sheets.refresh_members({row["member_id"] for row in step.accepted.values()})
    return {DUES.name: len(step.accepted)}


class DuesImport:
    def __init__(self, context: ImportContext):
        self.context, self.report = context, context.report
        self.rows = context.rows(DUES)
        self.accepted: dict[str, dict] = {}  # "member_code|YYYY-MM" -> values

    def check(self) -> None:
        codes = {row["member_code"] for row in self.rows if row["member_code"]}
        self.named = Named(self.context, codes)
        ids = set(self.named.members.values())
        self.spans = MemberSpans(ids)
        self.stored = set(Payment.objects.filter(member_id__in=ids).values_list(
            "member_id", "month")) if ids else set()
        self.today = timezone.localdate()
        seen: dict[tuple, Row] = {}
        for row in self.rows:
            try:
                self._payment(row, seen)
            except RowError as error:
                row.fail(self.report, error.column, error.message)

    def _payment(self, row: Row, seen: dict) -> None:
        member = self.named.member(row)
        month: date = row["month"]
        key = (member, month)
        if key in seen:
            raise RowError("month", _("đảng viên %(member)s đã có đảng phí tháng %(month)s ở "
                                      "dòng %(row)s") % {"member": row["member_code"],
                                                         "month": month_text(month),
                                                         "row": seen[key].number})
        if key in self.stored:
            raise RowError("month", _("đảng viên %(member)s đã có đảng phí tháng %(month)s "
                                      "trong cơ sở dữ liệu") % {"member": row["member_code"],
                                                                "month": month_text(month)})
        seen[key] = row
        if not self.spans.active_between(member, month, last_day(month)):
            raise RowError("month", _("đảng viên %(member)s không sinh hoạt ngày nào trong tháng "
                                      "%(month)s") % {"member": row["member_code"],
                                                      "month": month_text(month)})
        if row["amount"] == 0:
            raise RowError("amount", _("số tiền phải lớn hơn 0"))
        if row["paid_on"] > self.today:
            raise RowError("paid_on", _("ngày nộp %(day)s sau hôm nay") % {
                "day": row["paid_on"].isoformat()})
        self.accepted[f"{row['member_code']}|{month_text(month)}"] = {
            "member_id": member, "month": month, "amount": row["amount"],
            "paid_on": row["paid_on"], "category": str(row["category"] or ""),
            "basis_amount": row["basis_amount"], "channel": Channel.BUNDLE.value, "note": ""}


# Export -------------------------------------------------------------------------------------------

def _dues() -> list[dict]:
    rows = Payment.objects.values("month", "amount", "paid_on", "category", "basis_amount",
                                  member_code=F("member__member_code")).order_by()
    found = [{**row, "month": month_text(row["month"]), "category": row["category"] or None}
             for row in rows.iterator(chunk_size=5000)]
    return sorted(found, key=lambda row: (row["member_code"], row["month"]))


def _existing(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    """The payments (`member_code|YYYY-MM`) and the members' years (`member_code|YYYY`) of the
    bundle or the database: the records of the dues findings."""
    if name != DUES.name:
        return set()
    accepted = context.provided.get("dues", set())
    found = codes & accepted
    wanted = {code.split("|")[0] for code in codes - found if "|" in code}
    named = Named(context, wanted)
    stored = {f"{code}|{month_text(month)}" for code, month in Payment.objects.filter(
        member__member_code__in=wanted).values_list("member__member_code", "month")}
    for code in codes - found:
        member, _bar, when = code.partition("|")
        if code in stored or len(when) == 4 and when.isdigit() and member in named.members:
            found.add(code)
    return found


# After the members (whose periods say where a payment is placed).
SECTION = Section(key="dues", files=(DUES,), run=import_dues, export={DUES.name: _dues},
                  depends_on=("members",), order=80, version=2, existing=_existing)
