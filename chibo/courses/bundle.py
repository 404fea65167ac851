"""courses.csv and enrollments.csv of the bundle (spec BUNDLE-v2.md), checked with the
services' checks (chibo.courses.services), written in bulk, all or nothing."""

from collections import defaultdict

from django.db.models import F
from django.utils.translation import gettext as _

from chibo.admission.models import Candidate
from chibo.courses import services
from chibo.courses.choices import CourseKind, Result
from chibo.courses.models import Course, Enrollment
from chibo.interchange.bulk import insert_rows
from chibo.interchange.report import Row
from chibo.interchange.schema import (
    FileSpec,
    choice_column,
    code_column,
    date_column,
    text_column,
)
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import CHUNK, RowError, by_code, first_rows, missing
from chibo.members.models import Member, MemberPeriod

COURSES = FileSpec("courses.csv", (
    code_column("code", True), text_column("name", Course, required=True),
    choice_column("kind", CourseKind, True), code_column("org_code", True),
    date_column("start_on", True), date_column("end_on", True), text_column("place", Course),
    text_column("decision_no", Course), text_column("note", Course),
))
ENROLLMENTS = FileSpec("enrollments.csv", (
    code_column("course_code", True), code_column("member_code"),
    code_column("candidate_code"), choice_column("result", Result),
    date_column("certificate_on"), text_column("certificate_no", Enrollment),
))


def import_courses(context: ImportContext) -> dict[str, int]:
    if not (context.tables.get(COURSES.name) or context.tables.get(ENROLLMENTS.name)):
        return {}
    courses = CourseImport(context)
    courses.check()
    if context.report:
        return {COURSES.name: 0, ENROLLMENTS.name: 0}
    insert_rows(Course, courses.courses.values())
    ids = {code: course.pk for code, course in by_code(Course, {
        row["course_code"] for row in courses.enrollments}).items()}
    candidates = {code: c.pk for code, c in by_code(Candidate, {
        row["candidate_id"] for row in courses.enrollments if row["candidate_id"]}).items()}
    insert_rows(Enrollment, ({**{k: v for k, v in row.items() if k != "course_code"},
                              "course_id": ids[row["course_code"]],
                              "candidate_id": candidates.get(row["candidate_id"])}
                             for row in courses.enrollments))
    return {COURSES.name: len(courses.courses), ENROLLMENTS.name: len(courses.enrollments)}


class CourseImport:
    def __init__(self, context: ImportContext):
        self.context, self.report, self.tree = context, context.report, context.loaded
        self.course_rows = first_rows(context.rows(COURSES), "code", self.report)
        self.enrollment_rows = context.rows(ENROLLMENTS)
        self.courses: dict[str, dict] = {}
        self.enrollments: list[dict] = []

    def check(self) -> None:
        for code in by_code(Course, self.course_rows):
            self.course_rows[code].fail(self.report, "code", _(
                "lớp mã %(code)s đã có trong cơ sở dữ liệu") % {"code": code})
        for row in self.course_rows.values():
            if row.ok:
                self._attempt(row, self._course)
        self._read_learners()
        seen: dict[tuple, Row] = {}
        for row in self.enrollment_rows:
            self._attempt(row, lambda r: self._enrollment(r, seen))

    def _attempt(self, row: Row, check) -> None:
        try:
            check(row)
        except RowError as error:
            row.fail(self.report, error.column, error.message)

    def _course(self, row: Row) -> None:
        org = self.tree.by_code.get(row["org_code"])
        if org is None:
            raise RowError("org_code", missing(row["org_code"], self.context.org_rows))
        if problem := services.course_problem(row["start_on"], row["end_on"],
                                              self.tree.exists_on(org, row["start_on"])):
            raise RowError(*problem)
        self.courses[row["code"]] = {
            "code": row["code"], "name": row["name"], "kind": str(row["kind"]),
            "org_id": org.pk, "start_on": row["start_on"], "end_on": row["end_on"],
            **{k: row[k] or "" for k in ("place", "decision_no", "note")}}

    def _read_learners(self) -> None:
        codes = {row["member_code"] for row in self.enrollment_rows if row["member_code"]}
        self.members = {code: ref.pk for code, ref in self.context.members.items()
                        if code in codes}
        self.members |= {code: m.pk for code, m in by_code(
            Member, codes - set(self.members), field="member_code").items()}
        bundled = context_candidates(self.context)
        codes = {row["candidate_code"] for row in self.enrollment_rows if row["candidate_code"]}
        self.candidates = {code: bundled["accepted"][code] for code in codes
                           if code in bundled["accepted"]}
        self.candidates |= {code: {"outcome": c.outcome, "outcome_on": c.outcome_on}
                            for code, c in by_code(Candidate, codes - set(
                                self.candidates) - set(bundled["rows"])).items()}
        self.candidate_rows = bundled["rows"]
        self.periods = defaultdict(list)
        ids = sorted(set(self.members.values()))
        for start in range(0, len(ids), CHUNK):
            for member, valid_from, valid_to in MemberPeriod.objects.filter(
                    member_id__in=ids[start:start + CHUNK]).values_list(
                    "member_id", "valid_from", "valid_to"):
                self.periods[member].append((valid_from, valid_to))
        # Courses already stored may take new learners from a later bundle.
        self.stored = {code: {"kind": course.kind, "start_on": course.start_on}
                       for code, course in by_code(Course, {
                           row["course_code"] for row in self.enrollment_rows}
                           - set(self.courses)).items()}

    def _enrollment(self, row: Row, seen: dict) -> None:
        course = self.courses.get(row["course_code"]) or self.stored.get(row["course_code"])
        if course is None:
            raise RowError("course_code", missing(row["course_code"], self.course_rows))
        if bool(row["member_code"]) == bool(row["candidate_code"]):
            raise RowError("member_code", _("cần đúng một trong member_code, candidate_code"))
        start_on = course["start_on"]
        if row["member_code"]:
            learner = self.members.get(row["member_code"])
            if learner is None:
                raise RowError("member_code", missing(row["member_code"],
                                                      self.context.member_rows))
            is_open = any(a <= start_on < b for a, b in self.periods[learner])
            key = ("member_id", learner)
        else:
            learner = row["candidate_code"]
            candidate = self.candidates.get(learner)
            if candidate is None:
                raise RowError("candidate_code", missing(learner, self.candidate_rows))
            is_open = services.candidate_open_on(candidate["outcome"], candidate["outcome_on"],
                                                 start_on)
            key = ("candidate_id", learner)
        if problem := services.learner_problem(course["kind"], bool(row["member_code"]),
                                               is_open, start_on):
            raise RowError(*problem)
        if (row["course_code"], key) in seen:
            raise RowError(key[0].replace("_id", "_code"), _(
                "học viên đã có ở dòng %(row)s") % {"row": seen[(row["course_code"], key)].number})
        seen[(row["course_code"], key)] = row
        if problem := services.result_problem(row["result"] or "", row["certificate_on"],
                                               row["certificate_no"] or "", start_on):
            raise RowError(*problem)
        self.enrollments.append({
            "course_code": row["course_code"], "member_id": None, "candidate_id": None,
            key[0]: learner, "result": str(row["result"] or ""),
            "certificate_on": row["certificate_on"],
            "certificate_no": row["certificate_no"] or ""})


def context_candidates(context: ImportContext) -> dict:
    """The candidates of the bundle (chibo.admission.bundle leaves them for this step)."""
    return context.provided.get("admission") or {"rows": {}, "accepted": {}}


def _courses() -> list[dict]:
    return list(Course.objects.values(*(k for k in COURSES.keys if k != "org_code"),
                                      org_code=F("org__code")).order_by("code"))


def _enrollments() -> list[dict]:
    rows = Enrollment.objects.values("result", "certificate_on", "certificate_no",
                                     course_code=F("course__code"),
                                     member_code=F("member__member_code"),
                                     candidate_code=F("candidate__code"))
    return sorted(rows, key=lambda row: (row["course_code"], row["member_code"] or "",
                                         row["candidate_code"] or ""))


def _existing(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    return set(by_code(Course, codes)) if name == COURSES.name else set()


# After the candidates (a candidate learns in an awareness course).
SECTION = Section(key="courses", files=(COURSES, ENROLLMENTS), run=import_courses,
                  export={COURSES.name: _courses, ENROLLMENTS.name: _enrollments},
                  depends_on=("members", "admission"), order=55, version=2,
                  existing=_existing)
