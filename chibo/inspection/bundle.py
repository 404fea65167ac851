"""inspections.csv, inspection_subjects.csv and discipline.csv of the bundle (spec BUNDLE-v2.md):
every Check is an error naming `FILE:ROW:COLUMN` and nothing is written; the rules of the
regulations (limitation, authority, a probationary member's forms, a dismissal without a post)
are findings, not errors (chibo.inspection.findings).

Errors:
- inspections.csv: a code given twice or already stored; the organization not existing on
  `start_on`; `end_on` before `start_on`; a cell or partial committee acting other than as
  `committee`.
- inspection_subjects.csv: the inspection unknown; not exactly one subject; a subject twice in
  an inspection; on `start_on` the subject not existing (a member not active) or not in the
  conducting organization's subtree (an organization: strictly below it); `conclusion` without
  `concluded_on` or the reverse, or concluded before `start_on`.
- discipline.csv: a code given twice or already stored; not exactly one subject; a form that
  does not fit the subject; `violation_on` ≤ `decided_on` ≤ `effective_on` broken; the subject
  not active (existing) from the day before `decided_on` to the day before `effective_on`;
  `decided_by` not the member's cell or above (strictly above an organization) the day before
  `decided_on`, or its body not fitting it; the inspection unknown; appeal keys without
  `appealed_on` ≥ `decided_on`, an outcome without its day, a changed form without `changed`;
  a standing expulsion (dissolution) without the `expel` event (`dissolve` change) on its day,
  or such an event left by an expulsion annulled. The events are checked, never created: the
  pages write both (chibo.inspection.services).
"""

from collections import defaultdict

from django.db.models import F
from django.utils.translation import gettext as _

from chibo.inspection import rules
from chibo.inspection.choices import AppealOutcome, Body, Conclusion, Form, Kind
from chibo.inspection.models import Discipline, Inspection, InspectionSubject
from chibo.inspection.placement import (
    MemberDays,
    TreeOnDays,
    day_before,
    in_subtree,
    org_exists_through,
)
from chibo.interchange.bulk import insert_rows
from chibo.interchange.names import Named
from chibo.interchange.report import Row
from chibo.interchange.schema import (
    FileSpec,
    choice_column,
    code_column,
    date_column,
    text_column,
)
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import RowError, by_code, first_rows, missing
from chibo.members.models import MemberEvent
from chibo.organizations.models import Reorganization

INSPECTIONS = FileSpec("inspections.csv", (
    code_column("code", True), choice_column("kind", Kind, True), code_column("org_code", True),
    choice_column("by_body", Body, True), date_column("start_on", True), date_column("end_on"),
    text_column("title", Inspection), text_column("decision_no", Inspection),
    text_column("note", Inspection),
))
SUBJECTS = FileSpec("inspection_subjects.csv", (
    code_column("inspection_code", True), code_column("org_code"), code_column("member_code"),
    choice_column("conclusion", Conclusion), date_column("concluded_on"),
))
DISCIPLINE = FileSpec("discipline.csv", (
    code_column("code", True), code_column("org_code"), code_column("member_code"),
    choice_column("form", Form, True), date_column("violation_on", True),
    date_column("decided_on", True), text_column("decision_no", Discipline),
    code_column("decided_by", True), choice_column("by_body", Body, True),
    date_column("effective_on"), code_column("inspection_code"), date_column("appealed_on"),
    choice_column("appeal_outcome", AppealOutcome), date_column("appeal_decided_on"),
    choice_column("appeal_form", Form),
))
FILES = (INSPECTIONS, SUBJECTS, DISCIPLINE)


def import_inspection(context: ImportContext) -> dict[str, int]:
    if not any(context.tables.get(spec.name) for spec in FILES):
        return {}
    step = InspectionImport(context)
    step.check()
    context.provided["inspection"] = {"inspections": set(step.inspections),
                                      "discipline": set(step.discipline)}
    if context.report:
        return {spec.name: 0 for spec in FILES}
    insert_rows(Inspection, step.inspections.values())
    ids = {code: i.pk for code, i in by_code(Inspection, step.inspection_codes()).items()}
    insert_rows(InspectionSubject, ({**{k: v for k, v in row.items() if k != "inspection_code"},
                                     "inspection_id": ids[row["inspection_code"]]}
                                    for row in step.subjects))
    insert_rows(Discipline, ({**{k: v for k, v in row.items() if k != "inspection_code"},
                              "inspection_id": ids.get(row["inspection_code"])}
                             for row in step.discipline.values()))
    return {INSPECTIONS.name: len(step.inspections), SUBJECTS.name: len(step.subjects),
            DISCIPLINE.name: len(step.discipline)}


class InspectionImport:
    def __init__(self, context: ImportContext):
        self.context, self.report, self.tree = context, context.report, context.loaded
        self.inspection_rows = first_rows(context.rows(INSPECTIONS), "code", self.report)
        self.subject_rows = context.rows(SUBJECTS)
        self.discipline_rows = first_rows(context.rows(DISCIPLINE), "code", self.report)
        self.inspections: dict[str, dict] = {}  # code -> values (accepted rows)
        self.subjects: list[dict] = []
        self.discipline: dict[str, dict] = {}

    def inspection_codes(self) -> set[str]:
        return set(self.inspections) | {row["inspection_code"] for row in self.subjects} | {
            row["inspection_code"] for row in self.discipline.values() if row["inspection_code"]}

    # --- reading what the checks need, once -------------------------------------------------

    def check(self) -> None:
        for rows, model, words in (
                (self.inspection_rows, Inspection, _("cuộc kiểm tra, giám sát mã %(code)s đã có "
                                                     "trong cơ sở dữ liệu")),
                (self.discipline_rows, Discipline, _("quyết định kỷ luật mã %(code)s đã có trong "
                                                     "cơ sở dữ liệu"))):
            for code in by_code(model, rows):
                rows[code].fail(self.report, "code", words % {"code": code})
        member_codes = {row["member_code"] for row in (*self.subject_rows,
                                                       *self.discipline_rows.values())
                        if row["member_code"]}
        self.named = Named(self.context, member_codes)
        self.members = self.named.members
        self.member_days = MemberDays(self.members.values())
        self.on_days = TreeOnDays(self.tree.by_id)
        for row in self.inspection_rows.values():
            if row.ok:
                self._attempt(row, self._inspection)
        self.stored = {code: {"org_id": i.org_id, "start_on": i.start_on}
                       for code, i in by_code(Inspection, {
                           row["inspection_code"] for row in (*self.subject_rows,
                                                              *self.discipline_rows.values())
                           if row["inspection_code"]} - set(self.inspections)).items()}
        self.stored_subjects = set(InspectionSubject.objects.filter(
            inspection__code__in=list(self.stored)).values_list(
            "inspection__code", "org_id", "member_id"))
        seen: dict[tuple, Row] = {}
        for row in self.subject_rows:
            self._attempt(row, lambda r: self._subject(r, seen))
        self._read_endings()
        for row in self.discipline_rows.values():
            if row.ok:
                self._attempt(row, self._discipline)

    def _attempt(self, row: Row, check) -> None:
        try:
            check(row)
        except RowError as error:
            row.fail(self.report, error.column, error.message)

    def _day(self, day) -> str:
        return day.isoformat()

    # --- inspections.csv ----------------------------------------------------------------------

    def _inspection(self, row: Row) -> None:
        org = self.named.org(row, "org_code")
        if not self.tree.exists_on(org, row["start_on"]):
            raise RowError("org_code", _("%(org)s không tồn tại vào ngày %(day)s") % {
                "org": self.tree.label(org.pk), "day": self._day(row["start_on"])})
        if problem := rules.inspection_dates(row["start_on"], row["end_on"]):
            raise RowError("end_on", problem)
        if problem := rules.body_fits(org.kind, row["by_body"]):
            raise RowError("by_body", problem)
        self.inspections[row["code"]] = {
            "code": row["code"], "kind": str(row["kind"]), "org_id": org.pk,
            "by_body": str(row["by_body"]), "start_on": row["start_on"], "end_on": row["end_on"],
            **{k: row[k] or "" for k in ("title", "decision_no", "note")}}

    # --- inspection_subjects.csv --------------------------------------------------------------

    def _subject(self, row: Row, seen: dict) -> None:
        code = row["inspection_code"]
        inspection = self.inspections.get(code) or self.stored.get(code)
        if inspection is None:
            raise RowError("inspection_code", missing(code, self.inspection_rows))
        if bool(row["org_code"]) == bool(row["member_code"]):
            raise RowError("org_code", _("cần đúng một trong org_code, member_code"))
        start_on, conductor = inspection["start_on"], inspection["org_id"]
        if row["org_code"]:
            org = self.named.org(row, "org_code")
            key, column = ("org", org.pk), "org_code"
            if not self.tree.exists_on(org, start_on):
                raise RowError(column, _("%(org)s không tồn tại vào ngày %(day)s") % {
                    "org": self.tree.label(org.pk), "day": self._day(start_on)})
            inside = in_subtree(self.on_days.path(org.pk, start_on), conductor, strictly=True)
        else:
            member = self.named.member(row)
            key, column = ("member", member), "member_code"
            stint = self.member_days.on(member, start_on)
            if stint is None:
                raise RowError(column, _("đảng viên %(code)s không sinh hoạt đảng vào ngày "
                                         "%(day)s") % {"code": row["member_code"],
                                                       "day": self._day(start_on)})
            inside = in_subtree(stint.path, conductor)
        if not inside:
            raise RowError(column, _("đối tượng không thuộc %(org)s vào ngày %(day)s") % {
                "org": self.tree.label(conductor), "day": self._day(start_on)})
        if (code, *key) in seen or (code, key[1] if key[0] == "org" else None,
                                    key[1] if key[0] == "member" else None
                                    ) in self.stored_subjects:
            first = seen.get((code, *key))
            raise RowError(column, _("đối tượng đã có ở dòng %(row)s") % {"row": first.number}
                           if first else _("đối tượng đã có trong cuộc này"))
        seen[(code, *key)] = row
        if problem := rules.conclusion_dates(start_on, row["conclusion"] or "",
                                             row["concluded_on"]):
            raise RowError("concluded_on", problem)
        self.subjects.append({
            "inspection_code": code, "org_id": key[1] if key[0] == "org" else None,
            "member_id": key[1] if key[0] == "member" else None,
            "conclusion": str(row["conclusion"] or ""), "concluded_on": row["concluded_on"]})

    # --- discipline.csv -----------------------------------------------------------------------

    def _read_endings(self) -> None:
        """The `expel` events of the members and the `dissolve` changes of the organizations
        that the decisions name (written by the records core's steps before this one)."""
        ids = sorted(self.members.values())
        self.expelled = defaultdict(set)
        for start in range(0, len(ids), 500):
            for member, day in MemberEvent.objects.filter(
                    member_id__in=ids[start:start + 500], event="expel").values_list(
                    "member_id", "effective_on"):
                self.expelled[member].add(day)
        self.dissolved = defaultdict(set)
        for org, day in Reorganization.objects.filter(change="dissolve").values_list(
                "organization_id", "effective_on"):
            self.dissolved[org].add(day)

    def _discipline(self, row: Row) -> None:
        if bool(row["org_code"]) == bool(row["member_code"]):
            raise RowError("org_code", _("cần đúng một trong org_code, member_code"))
        is_org = bool(row["org_code"])
        form = str(row["form"])
        if problem := rules.form_fits_subject(form, is_org):
            raise RowError("form", problem)
        if problem := rules.discipline_dates(row["violation_on"], row["decided_on"],
                                             row["effective_on"], row["appealed_on"],
                                             row["appeal_decided_on"]):
            column = ("decided_on" if row["decided_on"] < row["violation_on"] else
                      "effective_on" if row["effective_on"] and row["effective_on"] <
                      row["decided_on"] else "appealed_on" if row["appealed_on"] and
                      row["appealed_on"] < row["decided_on"] else "appeal_decided_on")
            raise RowError(column, problem)
        if problem := rules.appeal_consistent(row["appealed_on"], row["appeal_outcome"] or "",
                                              row["appeal_decided_on"], row["appeal_form"] or "",
                                              form, is_org):
            raise RowError("appeal_outcome", problem)
        first = day_before(row["decided_on"])
        last = day_before(row["effective_on"] or row["decided_on"])
        decided_by = self.named.org(row, "decided_by")
        if problem := rules.body_fits(decided_by.kind, row["by_body"]):
            raise RowError("by_body", problem)
        if is_org:
            org = self.named.org(row, "org_code")
            subject = ("org", org.pk)
            if not org_exists_through(self.tree.spans[org.pk], first, last):
                raise RowError("org_code", _(
                    "%(org)s không tồn tại suốt từ ngày %(first)s đến ngày %(last)s") % {
                    "org": self.tree.label(org.pk), "first": self._day(first),
                    "last": self._day(last)})
            place = self.on_days.path(org.pk, first)
            above = in_subtree(place, decided_by.pk, strictly=True)
        else:
            member = self.named.member(row)
            subject = ("member", member)
            if not self.member_days.active_through(member, first, last):
                raise RowError("member_code", _(
                    "đảng viên %(code)s không sinh hoạt đảng suốt từ ngày %(first)s đến ngày "
                    "%(last)s") % {"code": row["member_code"], "first": self._day(first),
                                   "last": self._day(last)})
            above = in_subtree(self.member_days.on(member, first).path, decided_by.pk)
        if not above:
            raise RowError("decided_by", _(
                "%(org)s không phải chi bộ của đảng viên hay cấp trên của đối tượng vào ngày "
                "%(day)s") % {"org": self.tree.label(decided_by.pk), "day": self._day(first)})
        code = row["inspection_code"]
        if code and code not in self.inspections and code not in self.stored:
            raise RowError("inspection_code", missing(code, self.inspection_rows))
        self._ending(row, form, subject)
        self.discipline[row["code"]] = {
            "code": row["code"], "org_id": subject[1] if is_org else None,
            "member_id": None if is_org else subject[1], "form": form,
            "violation_on": row["violation_on"], "decided_on": row["decided_on"],
            "decision_no": row["decision_no"] or "", "decided_by_id": decided_by.pk,
            "by_body": str(row["by_body"]), "effective_on": row["effective_on"],
            "inspection_code": code or None, "appealed_on": row["appealed_on"],
            "appeal_outcome": str(row["appeal_outcome"] or ""),
            "appeal_decided_on": row["appeal_decided_on"],
            "appeal_form": str(row["appeal_form"] or "")}

    def _ending(self, row: Row, form: str, subject: tuple[str, int]) -> None:
        """A standing expulsion (dissolution) iff its `expel` event (`dissolve` change) on its
        day; an annulled (or changed) expulsion leaves none on the day it took effect."""
        outcome, appeal_form = row["appeal_outcome"] or "", row["appeal_form"] or ""
        day = rules.ending_event_day(form, row["effective_on"], row["decided_on"], outcome,
                                     appeal_form, row["appeal_decided_on"])
        kind, pk = subject
        days = self.dissolved[pk] if kind == "org" else self.expelled[pk]
        event = (_("sự kiện khai trừ (expel) của đảng viên") if kind == "member" else
                 _("thay đổi giải thể (dissolve) của tổ chức"))
        if day is not None and day not in days:
            raise RowError("effective_on" if outcome != AppealOutcome.CHANGED
                           else "appeal_decided_on", _(
                               "hình thức kỷ luật đang có hiệu lực là %(form)s nhưng không có "
                               "%(event)s vào ngày %(day)s") % {
                "form": Form(rules.standing_form(form, outcome, appeal_form)).label.lower(),
                "event": event, "day": self._day(day)})
        if day is None and form in (Form.EXPULSION, Form.DISSOLUTION):
            original = row["effective_on"] or row["decided_on"]
            if original in days:
                raise RowError("appeal_outcome", _(
                    "quyết định %(form)s đã bị xóa bỏ hoặc thay đổi nhưng vẫn còn %(event)s vào "
                    "ngày %(day)s") % {"form": Form(form).label.lower(), "event": event,
                                       "day": self._day(original)})


# Export -----------------------------------------------------------------------------------------

def _inspections() -> list[dict]:
    return list(Inspection.objects.values(
        *(k for k in INSPECTIONS.keys if k != "org_code"), org_code=F("org__code")
    ).order_by("code"))


def _subjects() -> list[dict]:
    rows = InspectionSubject.objects.values(
        "conclusion", "concluded_on", inspection_code=F("inspection__code"),
        org_code=F("org__code"), member_code=F("member__member_code"))
    return sorted(rows, key=lambda row: (row["inspection_code"], row["org_code"] or "",
                                         row["member_code"] or ""))


def _discipline() -> list[dict]:
    rows = Discipline.objects.values(
        *(k for k in DISCIPLINE.keys if k not in ("org_code", "member_code", "decided_by",
                                                   "inspection_code")),
        org_code=F("org__code"), member_code=F("member__member_code"),
        deciding_code=F("decided_by__code"), inspection_code=F("inspection__code")
    ).order_by("code")
    return [{**row, "decided_by": row.pop("deciding_code")} for row in rows]


def _existing(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    """The discipline decisions (the findings' records) of the bundle or the database."""
    if name != DISCIPLINE.name:
        return set()
    accepted = (context.provided.get("inspection") or {}).get("discipline", set())
    return (codes & accepted) | set(by_code(Discipline, codes - accepted))


# After the members (subjects and their events) and the tree's changes (dissolutions).
SECTION = Section(key="inspection", files=FILES, run=import_inspection,
                  export={INSPECTIONS.name: _inspections, SUBJECTS.name: _subjects,
                          DISCIPLINE.name: _discipline},
                  depends_on=("members", "positions"), order=60, version=2,
                  existing=_existing)
