"""residence_liaison.csv of the bundle (spec BUNDLE-v2.md): a row per liaison (member,
`introduced_on`) and opinion year, an empty `year` for a liaison without any. Every Check is an
error naming `FILE:ROW:COLUMN` and nothing is written; a working member without a liaison and a
missing yearly opinion are findings (chibo.liaison.findings), not errors.

Errors: an unknown member or organization; a liaison's rows that disagree (organization, cell,
exemption, end); `ended_on` before `introduced_on`; a liaison already stored; on
`introduced_on` the member not active, the grassroots organization not existing (or not a
grassroots organization), the cell not a cell below it; `year` without `feedback` or the
reverse; a member's opinion of a year given twice (in the bundle or stored); `year` outside the
liaison. The letter's number, the address and the slip's words are working state.
"""

from collections import defaultdict

from django.db.models import F
from django.utils.translation import gettext as _

from chibo.interchange.bulk import insert_rows
from chibo.interchange.names import Named
from chibo.interchange.report import Row
from chibo.interchange.schema import BOOL, YEAR, Column, FileSpec, choice_column, code_column
from chibo.interchange.schema import date_column as date_col
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import RowError
from chibo.liaison import rules
from chibo.liaison.choices import Feedback
from chibo.liaison.models import Liaison, Opinion, record_key
from chibo.liaison.placement import MemberSpans, OrgPaths
from chibo.organizations.choices import MEMBER_HOLDING_KINDS

LIAISONS = FileSpec(rules.FILE, (
    code_column("member_code", True), date_col("introduced_on", True),
    code_column("org_code", True), code_column("cell_code"),
    Column("exempt_from_meetings", BOOL), date_col("ended_on"),
    Column("year", YEAR), choice_column("feedback", Feedback),
))
AGREE = ("org_code", "cell_code", "exempt_from_meetings", "ended_on")


def import_liaisons(context: ImportContext) -> dict[str, int]:
    if not context.tables.get(LIAISONS.name):
        return {}
    step = LiaisonImport(context)
    step.check()
    context.provided["liaison"] = set(step.liaisons)
    if context.report:
        return {LIAISONS.name: 0}
    insert_rows(Liaison, step.liaisons.values())
    ids = {(member, day): pk for pk, member, day in Liaison.objects.filter(
        member_id__in={row["member_id"] for row in step.liaisons.values()}).values_list(
        "pk", "member_id", "introduced_on")}
    insert_rows(Opinion, ({**values, "liaison_id": ids[key]} for key, values in step.opinions))
    return {LIAISONS.name: len(step.rows)}


class LiaisonImport:
    def __init__(self, context: ImportContext):
        self.context, self.report, self.tree = context, context.report, context.loaded
        self.rows = context.rows(LIAISONS)
        self.liaisons: dict[str, dict] = {}  # member_code|introduced_on -> values
        self.opinions: list[tuple[tuple, dict]] = []  # ((member, introduced_on), values)

    def check(self) -> None:
        self.named = Named(self.context, {row["member_code"] for row in self.rows})
        ids = set(self.named.members.values())
        self.spans = MemberSpans(ids)
        self.paths = OrgPaths(org.pk for code, org in self.tree.by_code.items()
                              if code in {row[c] for row in self.rows
                                          for c in ("org_code", "cell_code")})
        self.stored = set(Liaison.objects.filter(member_id__in=ids).values_list(
            "member_id", "introduced_on")) if ids else set()
        self.given = set(Opinion.objects.filter(member_id__in=ids).values_list(
            "member_id", "year")) if ids else set()
        by_liaison: dict[tuple, list[Row]] = defaultdict(list)
        for row in self.rows:
            by_liaison[(row["member_code"], row["introduced_on"])].append(row)
        seen: dict[tuple, Row] = {}
        for rows in by_liaison.values():
            try:
                key, values = self._liaison(rows)
            except RowError as error:
                rows[0].fail(self.report, error.column, error.message)
                continue
            for row in rows:
                try:
                    self._opinion(row, key, values, seen)
                except RowError as error:
                    row.fail(self.report, error.column, error.message)

    def _liaison(self, rows: list[Row]) -> tuple[tuple, dict]:
        first = rows[0]
        for row in rows[1:]:
            for column in AGREE:
                if row[column] != first[column]:
                    raise RowError(column, _("các dòng của cùng một lần giới thiệu (dòng "
                                             "%(row)s, %(other)s) ghi khác nhau") % {
                        "row": first.number, "other": row.number})
        member, day = self.named.member(first), first["introduced_on"]
        if (member, day) in self.stored:
            raise RowError("introduced_on", _("đảng viên %(member)s đã được giới thiệu ngày "
                                              "%(day)s trong cơ sở dữ liệu") % {
                "member": first["member_code"], "day": day.isoformat()})
        if first["ended_on"] is not None and first["ended_on"] < day:
            raise RowError("ended_on", _("ngày thôi %(end)s trước ngày giới thiệu %(day)s") % {
                "end": first["ended_on"].isoformat(), "day": day.isoformat()})
        if self.spans.on(member, day) is None:
            raise RowError("introduced_on", _("đảng viên %(member)s không sinh hoạt ngày "
                                              "%(day)s") % {"member": first["member_code"],
                                                           "day": day.isoformat()})
        org = self.named.org(first, "org_code")
        if org.kind not in rules.GRASSROOTS_KINDS or self.paths.path_on(org.pk, day) is None:
            raise RowError("org_code", _("%(org)s không phải tổ chức cơ sở đảng tồn tại ngày "
                                         "%(day)s") % {"org": org.code, "day": day.isoformat()})
        cell = None
        if first["cell_code"]:
            cell = self.named.org(first, "cell_code")
            if cell.kind not in MEMBER_HOLDING_KINDS or not self.paths.below(cell.pk, org.pk,
                                                                             day):
                raise RowError("cell_code", _("%(cell)s không phải chi bộ trực thuộc %(org)s "
                                              "ngày %(day)s") % {
                    "cell": cell.code, "org": org.code, "day": day.isoformat()})
        values = {"member_id": member, "introduced_on": day, "residence_org_id": org.pk,
                  "residence_cell_id": cell.pk if cell else None,
                  "exempt_from_meetings": bool(first["exempt_from_meetings"]),
                  "ended_on": first["ended_on"], "letter_no": "", "address": "", "note": "",
                  "created_by_id": None}
        self.liaisons[record_key(first["member_code"], day)] = values
        return (member, day), values

    def _opinion(self, row: Row, key: tuple, liaison: dict, seen: dict) -> None:
        year, feedback = row["year"], row["feedback"]
        if year is None and feedback is None:
            return
        if year is None or feedback is None:
            raise RowError("year" if year is None else "feedback",
                           _("cần cả năm và nhận xét"))
        member = liaison["member_id"]
        if (member, year) in seen:
            raise RowError("year", _("đảng viên %(member)s đã có nhận xét năm %(year)s ở dòng "
                                     "%(row)s") % {"member": row["member_code"], "year": year,
                                                   "row": seen[(member, year)].number})
        if (member, year) in self.given:
            raise RowError("year", _("đảng viên %(member)s đã có nhận xét năm %(year)s trong "
                                     "cơ sở dữ liệu") % {"member": row["member_code"],
                                                         "year": year})
        seen[(member, year)] = row
        if not rules.year_within(liaison["introduced_on"], liaison["ended_on"], year):
            raise RowError("year", _("năm %(year)s ngoài thời gian giữ mối liên hệ") % {
                "year": year})
        self.opinions.append((key, {"member_id": member, "year": year,
                                    "feedback": str(feedback), "comment": "",
                                    "written_on": None, "written_by_id": None}))


# Export -------------------------------------------------------------------------------------------

def _liaisons() -> list[dict]:
    liaisons = Liaison.objects.values(
        "pk", "introduced_on", "exempt_from_meetings", "ended_on",
        member_code=F("member__member_code"), org_code=F("residence_org__code"),
        cell_code=F("residence_cell__code")).order_by()
    opinions: dict[int, list] = defaultdict(list)
    for liaison, year, feedback in Opinion.objects.values_list("liaison_id", "year",
                                                               "feedback"):
        opinions[liaison].append((year, feedback))
    rows = []
    for liaison in liaisons:
        pk = liaison.pop("pk")
        for year, feedback in sorted(opinions.get(pk) or [(None, None)]):
            rows.append({**liaison, "year": year, "feedback": feedback})
    return sorted(rows, key=lambda row: (row["member_code"], row["introduced_on"],
                                         row["year"] or 0))


def _existing(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    """The liaisons (`member_code|introduced_on`) of the bundle or the database: the records
    of `liaison.no_feedback` (those of `liaison.missing` are members: members.csv's)."""
    if name != LIAISONS.name:
        return set()
    found = codes & context.provided.get("liaison", set())
    stored = {record_key(code, day) for code, day in Liaison.objects.values_list(
        "member__member_code", "introduced_on")}
    return found | (codes & stored)


# After the members and the tree (the member's periods, the residence organizations).
SECTION = Section(key="liaison", files=(LIAISONS,), run=import_liaisons,
                  export={LIAISONS.name: _liaisons}, depends_on=("members",), order=85,
                  version=2, existing=_existing)
