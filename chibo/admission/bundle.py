"""candidates.csv of the bundle (spec BUNDLE-v2.md): checked like the services check a file,
written in bulk, all or nothing.

Errors (the import is refused, `FILE:ROW:COLUMN`): a bad value; the cell not a cell existing on
`listed_on`; the dates out of the pipeline's order or after today; votes given alone or more
agreeing than voting; a sponsor unknown or given twice; `decided_by` not a committee above the
cell on `decision_on` (nor a partial one); `admitted` without its decision and member (or the
reverse); `outcome_on` without a withdrawal or rejection; the member not admitted (or
readmitted) on `decision_on` in the cell (through merges), or linked to two candidates. The rules
of the regulations (age, certificate, sponsors' standing, vote, deadlines) are findings, not
errors (chibo.admission.findings).
"""

from datetime import date

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.admission import services
from chibo.admission.choices import Outcome
from chibo.admission.models import PERSON_TEXTS, Candidate
from chibo.admission.placement import TreeOnDays
from chibo.core.fields import path_ids
from chibo.interchange.bulk import insert_rows
from chibo.interchange.report import Row
from chibo.interchange.schema import (
    BOOL,
    GRADE,
    INT,
    Column,
    FileSpec,
    choice_column,
    code_column,
    date_column,
    text_column,
)
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import CHUNK, RowError, by_code, first_rows, missing, unknown_code
from chibo.members.choices import Gender, ProfessionalLevel, TheoryLevel
from chibo.members.models import Member, MemberEvent
from chibo.organizations.choices import MEMBER_HOLDING_KINDS, OrgKind

CANDIDATES = FileSpec("candidates.csv", (
    code_column("code", True), text_column("full_name", Candidate, required=True),
    choice_column("gender", Gender, True), date_column("birth_date", True),
    *(text_column(key, Candidate) for key in PERSON_TEXTS),
    Column("general_education", GRADE), choice_column("professional_level", ProfessionalLevel),
    choice_column("theory_level", TheoryLevel),
    code_column("org_code", True), date_column("listed_on"), date_column("awareness_course_on"),
    code_column("sponsor1_member_code"), code_column("sponsor2_member_code"),
    Column("youth_union_sponsor", BOOL), date_column("background_checked_on"),
    date_column("cell_resolution_on"), Column("cell_votes_for", INT),
    Column("cell_votes_total", INT), date_column("committee_resolution_on"),
    date_column("decision_on"), text_column("decision_no", Candidate),
    code_column("decided_by"), date_column("ceremony_on"),
    text_column("ceremony_extension_no", Candidate), text_column("age_exception_no", Candidate),
    choice_column("outcome", Outcome, True), date_column("outcome_on"),
    code_column("member_code"),
))
PERSON = ("full_name", "gender", "birth_date", *PERSON_TEXTS, "general_education",
          "professional_level", "theory_level")
TEXTS = (*PERSON_TEXTS, "general_education", "professional_level", "theory_level",
         "decision_no", "ceremony_extension_no", "age_exception_no")


def import_candidates(context: ImportContext) -> dict[str, int]:
    rows = context.rows(CANDIDATES)
    if not context.tables.get(CANDIDATES.name):
        return {}
    candidates = CandidateImport(context, rows)
    candidates.check()
    # For the steps after (a candidate learns in a course): the bundle's rows and the accepted
    # candidates' values, known even when another file's error keeps anything from being written.
    context.provided["admission"] = {
        "rows": candidates.rows, "accepted": {v["code"]: v for v in candidates.values}}
    if context.report:
        return {CANDIDATES.name: 0}
    insert_rows(Candidate, candidates.values)
    return {CANDIDATES.name: len(candidates.values)}


class CandidateImport:
    def __init__(self, context: ImportContext, rows: list[Row]):
        self.context, self.report, self.tree = context, context.report, context.loaded
        self.rows = first_rows(rows, "code", self.report)
        self.values: list[dict] = []
        self.today = timezone.localdate()

    def check(self) -> None:
        for code in by_code(Candidate, self.rows):
            self.rows[code].fail(self.report, "code", _(
                "quần chúng mã %(code)s đã có trong cơ sở dữ liệu") % {"code": code})
        codes = {row[key] for row in self.rows.values() for key in (
            "sponsor1_member_code", "sponsor2_member_code", "member_code") if row[key]}
        self.members = {m.member_code: m for m in by_code(Member, codes,
                                                          field="member_code").values()}
        self.readmissions: set[tuple[int, date, int]] = self._of_members(
            MemberEvent.objects.filter(event="readmit"), "member_id", "effective_on", "org_id")
        # the members already linked to a stored candidate
        self.linked_before: set[int] = self._of_members(Candidate.objects, "member_id")
        cells = {org.pk for org in self.tree.by_code.values()}
        self.on_days = TreeOnDays(cells)
        linked: dict[str, Row] = {}
        for row in self.rows.values():
            if not row.ok:
                continue
            try:
                self.values.append(self._candidate(row, linked))
            except RowError as error:
                row.fail(self.report, error.column, error.message)

    def _of_members(self, rows, *fields) -> set:
        """`fields` of the rows of `rows` (a queryset with `member_id`) of the members the
        bundle's rows name, read a few hundred members at a time (not a query per row)."""
        ids = sorted(m.pk for m in self.members.values())
        found = set()
        for start in range(0, len(ids), CHUNK):
            found |= set(rows.filter(member_id__in=ids[start:start + CHUNK]).values_list(
                *fields, flat=len(fields) == 1))
        return found

    def _member(self, row: Row, column: str) -> Member:
        code = row[column]
        member = self.members.get(code)
        if member is None:
            raise RowError(column, missing(code, self.context.member_rows)
                           if code in self.context.member_rows else unknown_code(code))
        return member

    def _candidate(self, row: Row, linked: dict[str, Row]) -> dict:
        cell = self.tree.by_code.get(row["org_code"])
        if cell is None:
            raise RowError("org_code", missing(row["org_code"], self.context.org_rows))
        dates = [row[k] for k in services.PIPELINE if row[k]]
        listed_on = row["listed_on"] or min(
            [*dates, *(row[k] for k in ("awareness_course_on", "background_checked_on",
                                        "outcome_on") if row[k])], default=None)
        if listed_on is None:
            raise RowError("listed_on", _("cần ngày vào danh sách (hoặc một ngày của hồ sơ)"))
        if not (cell.kind in MEMBER_HOLDING_KINDS and self.tree.exists_on(cell, listed_on)):
            raise RowError("org_code", _("%(org)s không phải chi bộ đang tồn tại vào ngày "
                                         "%(day)s") % {"org": self.tree.label(cell.pk),
                                                       "day": listed_on.isoformat()})
        values = {"listed_on": listed_on, **{k: row[k] for k in services.DATES if k != "listed_on"}}
        if problem := services.order_problem(values, self.today):
            raise RowError(*problem)
        if problem := services.votes_problem(row["cell_votes_for"], row["cell_votes_total"]):
            raise RowError(*problem)
        sponsors = [self._member(row, k) if row[k] else None
                    for k in ("sponsor1_member_code", "sponsor2_member_code")]
        if sponsors[0] and sponsors[1] and sponsors[0].pk == sponsors[1].pk:
            raise RowError("sponsor2_member_code", _("hai người giới thiệu phải khác nhau"))
        decided_by = self._decided_by(row, cell)
        if problem := services.outcome_problem(row["outcome"], row["decision_on"],
                                               row["member_code"], row["outcome_on"]):
            raise RowError(*problem)
        member = self._admitted(row, cell, linked) if row["member_code"] else None
        return {
            "code": row["code"], **{k: row[k] for k in PERSON if k not in TEXTS},
            **{k: row[k] or "" for k in TEXTS}, "cell_id": cell.pk, **values,
            "sponsor1_id": getattr(sponsors[0], "pk", None),
            "sponsor2_id": getattr(sponsors[1], "pk", None),
            "youth_union_sponsor": bool(row["youth_union_sponsor"]),
            "cell_votes_for": row["cell_votes_for"], "cell_votes_total": row["cell_votes_total"],
            "decided_by_id": getattr(decided_by, "pk", None), "outcome": str(row["outcome"]),
            "member_id": getattr(member, "pk", None),
        }

    def _decided_by(self, row: Row, cell):
        if not row["decided_by"]:
            return None
        org = self.tree.by_code.get(row["decided_by"])
        if org is None:
            raise RowError("decided_by", missing(row["decided_by"], self.context.org_rows))
        day = row["decision_on"] or row["committee_resolution_on"] or row["listed_on"]
        path = self.on_days.path(cell.pk, day) if day else None
        above = path_ids(path)[:-1] if path else []
        if org.pk not in above or org.kind == OrgKind.PARTIAL_COMMITTEE:
            raise RowError("decided_by", _("%(org)s không phải cấp ủy cấp trên của chi bộ "
                                           "(không phải đảng bộ bộ phận)") % {
                "org": self.tree.label(org.pk)})
        return org

    def _admitted(self, row: Row, cell, linked: dict[str, Row]) -> Member:
        member = self._member(row, "member_code")
        if member.member_code in linked:
            raise RowError("member_code", _("đảng viên %(code)s đã gắn với quần chúng ở dòng "
                                            "%(row)s") % {"code": member.member_code,
                                                          "row": linked[member.member_code].number})
        linked[member.member_code] = row
        day = row["decision_on"]
        here = self.on_days.followed(cell.pk, day)
        first = (member.admitted_on == day
                 and self.on_days.followed(member.joined_org_id, day) == here)
        again = any(pk == member.pk and on == day and self.on_days.followed(org, day) == here
                    for pk, on, org in self.readmissions if org is not None)
        if not (first or again):
            raise RowError("member_code", _(
                "đảng viên %(code)s không được kết nạp (hoặc kết nạp lại) vào chi bộ này ngày "
                "%(day)s") % {"code": member.member_code, "day": day.isoformat()})
        if member.pk in self.linked_before:
            raise RowError("member_code", _("đảng viên %(code)s đã gắn với một quần chúng khác")
                           % {"code": member.member_code})
        return member


# Export -----------------------------------------------------------------------------------------

def _candidates() -> list[dict]:
    rows = Candidate.objects.values(
        *(k for k in CANDIDATES.keys if k not in ("org_code", "sponsor1_member_code",
                                                   "sponsor2_member_code", "decided_by",
                                                   "member_code")),
        org_code=F("cell__code"), sponsor1_member_code=F("sponsor1__member_code"),
        sponsor2_member_code=F("sponsor2__member_code"), deciding_code=F("decided_by__code"),
        member_code=F("member__member_code")).order_by("code")
    # An absent Youth Union recommendation is written empty, as the spec's example writes it.
    return [{**row, "decided_by": row["deciding_code"],
             "youth_union_sponsor": row["youth_union_sponsor"] or None} for row in rows]


def _existing(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    return set(by_code(Candidate, codes)) if name == CANDIDATES.name else set()


# After the members (sponsors and the admitted member are members).
SECTION = Section(key="admission", files=(CANDIDATES,), run=import_candidates,
                  export={CANDIDATES.name: _candidates}, depends_on=("members",), order=50,
                  version=2, existing=_existing)
