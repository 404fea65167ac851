"""Every change to the inspection, supervision and discipline records (RULES.md §3–4; spec
BUNDLE-v2.md, inspections.csv, inspection_subjects.csv, discipline.csv), and the effects of a
discipline decision on the member's file and the tree.

Each service runs in one transaction, checks that the actor holds `inspection.manage` where the
record lies, refuses input that would make the stored history inconsistent (`RuleViolation`
naming the field, nothing written), judges the regulation's rules (the discipline findings of
chibo.inspection.findings: a new breach is refused with the rule's words unless `exception`
gives the decision that allowed it, then recorded), and writes one audit record. An edit of an
existing record is made against the version its author saw (`version`, chibo.core.concurrency).

The effects are applied in the same transaction, through the records core's services, under
`inspection.manage` (inspectors do not hold `member.manage` nor `org.manage`: the discipline
decision is what allows them):

- an expulsion records the member's `expel` event on the day it takes effect;
- a dismissal ends the party posts the member held the day before it takes effect;
- a dissolution dissolves the organization on that day, once nothing stands in it
  (`dissolution_blockers`);
- an appeal that annuls an expulsion, or changes it to a lesser form, voids the `expel` event
  from the start (chibo.members.services.void_event: no event remains, the trail keeps both
  steps, party age runs on); one that changes a lesser form to expulsion records the event on
  the appeal's day;
- an appeal that annuls a dismissal, or changes it to a reprimand or a warning, gives the party
  posts it ended back from their own start day, with the end they had before
  (chibo.members.services.restore_post; `EndedPost` keeps which posts and that end).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import require
from chibo.admission.placement import TreeOnDays
from chibo.audit.services import record_change
from chibo.core.concurrency import Expected, check_version
from chibo.core.exceptions import RuleViolation
from chibo.findings.queries import open_findings
from chibo.findings.services import Decision, refuse_or_except
from chibo.inspection import findings, rules
from chibo.inspection.capabilities import MANAGE_INSPECTION
from chibo.inspection.choices import AppealOutcome, Body, Conclusion, Form, Kind
from chibo.inspection.models import (
    CaseRead,
    CaseReadChannel,
    Discipline,
    EndedPost,
    Inspection,
    InspectionSubject,
    Programme,
    ProgrammeItem,
)
from chibo.inspection.placement import MemberDays, in_subtree, org_exists_through
from chibo.members import services as members
from chibo.members.models import Member, MemberEvent, MemberPeriod, Position
from chibo.organizations import services as organizations
from chibo.organizations.calendar import working_calendar
from chibo.organizations.models import Organization, OrgPeriod


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _refuse(problem: str | None, field: str) -> None:
    if problem is not None:
        raise RuleViolation(problem, field=field)


def _choice(value: str, choices, field: str, label) -> str:
    if value not in choices.values:
        raise RuleViolation(_("%(label)s không hợp lệ: %(value)s.") % {
            "label": label, "value": value}, field=field)
    return value


def _line(value: str, field: str, label, *, required: bool = False) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise RuleViolation(_("Cần %(label)s.") % {"label": label}, field=field)
    return value


def _not_future(day: date | None, field: str, label) -> None:
    if day is not None and day > timezone.localdate():
        raise RuleViolation(_("%(label)s %(day)s sau hôm nay.") % {
            "label": label, "day": _d(day)}, field=field)


def _code(code: str, model, field: str = "code") -> str:
    code = (code or "").strip()
    if not code or any(ch.isspace() for ch in code):
        raise RuleViolation(_("Mã không được để trống hoặc chứa dấu cách."), field=field)
    if len(code) > model._meta.get_field("code").max_length:
        raise RuleViolation(_("Mã dài quá %(n)s ký tự.") % {
            "n": model._meta.get_field("code").max_length}, field=field)
    if model.objects.filter(code=code).exists():
        raise RuleViolation(_("Mã %(code)s đã có.") % {"code": code}, code="duplicate",
                            field=field)
    return code


def next_code(model, prefix: str) -> str:
    """The next free code `prefix` + a 4-digit number (KT2026-0001, KL2026-0001)."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    numbers = [int(match.group(1)) for code in
               model.objects.filter(code__startswith=prefix).values_list("code", flat=True)
               if (match := pattern.match(code))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _exists_on(org: Organization, day: date) -> bool:
    return OrgPeriod.objects.as_of(day).filter(organization=org).exists()


def _body(org: Organization, by_body: str) -> str:
    _choice(by_body, Body, "by_body", _("Chủ thể"))
    _refuse(rules.body_fits(org.kind, by_body), "by_body")
    return by_body


# Programmes --------------------------------------------------------------------------------

def _programme_snapshot(programme: Programme) -> dict:
    return {"org": programme.org.code, "by_body": programme.by_body, "year": programme.year,
            "term": [programme.term_from, programme.term_to], "title": programme.title,
            "note": programme.note}


@transaction.atomic
def create_programme(*, actor, org: Organization, by_body: str, title: str,
                     year: int | None = None, term_from: int | None = None,
                     term_to: int | None = None, note: str = "") -> Programme:
    """A committee's (standing committee's, inspection commission's) inspection and supervision
    programme for a year, or for the term `term_from`–`term_to` (exactly one of the two)."""
    require(actor, MANAGE_INSPECTION, org)
    _body(org, by_body)
    title = _line(title, "title", _("tên chương trình"), required=True)
    if (year is None) == (term_from is None and term_to is None):
        raise RuleViolation(_("Chương trình là của một năm hoặc của một nhiệm kỳ (từ năm, đến "
                              "năm), không phải cả hai."), field="year")
    if year is None and (term_from is None or term_to is None):
        raise RuleViolation(_("Cần cả năm đầu và năm cuối nhiệm kỳ."), field="term_to")
    for name, value in (("year", year), ("term_from", term_from), ("term_to", term_to)):
        if value is not None and not 1930 <= value <= timezone.localdate().year + 5:
            raise RuleViolation(_("Năm %(year)s không hợp lệ.") % {"year": value}, field=name)
    if term_from is not None and term_to is not None and term_to < term_from:
        raise RuleViolation(_("Năm cuối nhiệm kỳ trước năm đầu."), field="term_to")
    programme = Programme.objects.create(org=org, by_body=by_body, title=title, year=year,
                                         term_from=term_from, term_to=term_to, note=note or "")
    record_change("inspection.programme", actor=actor, obj=programme, org=org,
                  after=_programme_snapshot(programme))
    return programme


@transaction.atomic
def add_programme_item(programme: Programme, *, actor, kind: str, content: str,
                       subject_text: str = "", subject_org: Organization | None = None,
                       planned_from: date | None = None,
                       planned_to: date | None = None) -> ProgrammeItem:
    """One line of a programme: what (`kind`, `content`), whom (`subject_text`, and the
    organization when the subject is one, under the programme's organization), when (by
    default the programme's year or term)."""
    programme = Programme.objects.select_related("org").get(pk=programme.pk)
    require(actor, MANAGE_INSPECTION, programme.org)
    _choice(kind, Kind, "kind", _("Loại"))
    content = _line(content, "content", _("nội dung"), required=True)
    first_year = programme.year or programme.term_from
    last_year = programme.year or programme.term_to
    planned_from = planned_from or date(first_year, 1, 1)
    planned_to = planned_to or date(last_year, 12, 31)
    if planned_to < planned_from:
        raise RuleViolation(_("Dự kiến đến ngày %(to)s trước ngày %(from)s.") % {
            "to": _d(planned_to), "from": _d(planned_from)}, field="planned_to")
    if not (first_year <= planned_from.year and planned_to.year <= last_year):
        raise RuleViolation(_("Thời gian dự kiến nằm ngoài năm, nhiệm kỳ của chương trình."),
                            field="planned_from")
    if subject_org is not None and not (subject_org.path.startswith(programme.org.path)
                                        and subject_org.pk != programme.org.pk):
        raise RuleViolation(_("%(org)s không trực thuộc %(conductor)s.") % {
            "org": subject_org.name, "conductor": programme.org.name}, field="subject_org")
    item = ProgrammeItem.objects.create(
        programme=programme, kind=kind, content=content,
        subject=_line(subject_text, "subject_text", _("đối tượng")), subject_org=subject_org,
        planned_from=planned_from, planned_to=planned_to)
    record_change("inspection.programme_item", actor=actor, obj=programme, org=programme.org,
                  after={"kind": kind, "content": content, "subject": item.subject,
                         "subject_org": subject_org.code if subject_org else None,
                         "planned": [planned_from, planned_to]})
    return item


# Inspections and their subjects ------------------------------------------------------------

@dataclass
class NewInspection:
    code: str  # "" = the next free code
    kind: str
    org: Organization
    by_body: str
    start_on: date
    end_on: date | None = None
    title: str = ""
    decision_no: str = ""
    note: str = ""
    programme_item: ProgrammeItem | None = None


def inspection_snapshot(inspection: Inspection) -> dict:
    return {"code": inspection.code, "kind": inspection.kind, "org": inspection.org.code,
            "by_body": inspection.by_body, "start_on": inspection.start_on,
            "end_on": inspection.end_on, "title": inspection.title,
            "decision_no": inspection.decision_no,
            "programme_item": inspection.programme_item_id}


@transaction.atomic
def open_inspection(data: NewInspection, *, actor) -> Inspection:
    """An inspection or supervision (cuộc) by the organization's `by_body`, from `start_on`:
    under a programme's item of the same organization, or outside any (on signs of
    violation)."""
    require(actor, MANAGE_INSPECTION, data.org)
    _choice(data.kind, Kind, "kind", _("Loại"))
    _body(data.org, data.by_body)
    _not_future(data.start_on, "start_on", _("Ngày bắt đầu"))
    _refuse(rules.inspection_dates(data.start_on, data.end_on), "end_on")
    _not_future(data.end_on, "end_on", _("Ngày kết thúc"))
    for day, field in ((data.start_on, "start_on"), (data.end_on, "end_on")):
        if day is not None and not _exists_on(data.org, day):
            raise RuleViolation(_("%(org)s không tồn tại vào ngày %(day)s.") % {
                "org": data.org.name, "day": _d(day)}, field=field)
    item = data.programme_item
    if item is not None:
        item = ProgrammeItem.objects.select_related("programme").get(pk=item.pk)
        if item.programme.org_id != data.org.pk:
            raise RuleViolation(_("Nội dung chương trình thuộc tổ chức khác."),
                                field="programme_item")
    code = (_code(data.code, Inspection) if (data.code or "").strip()
            else next_code(Inspection, f"KT{data.start_on.year}-"))
    inspection = Inspection.objects.create(
        code=code, kind=data.kind, org=data.org, by_body=data.by_body,
        start_on=data.start_on, end_on=data.end_on,
        title=_line(data.title, "title", _("nội dung")),
        decision_no=_line(data.decision_no, "decision_no", _("số quyết định")),
        note=data.note or "", programme_item=item)
    record_change("inspection.open", actor=actor, obj=inspection,
                  after=inspection_snapshot(inspection))
    return inspection


def _locked_inspection(inspection: Inspection, version: Expected) -> Inspection:
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related(
        "org").get(pk=inspection.pk)
    check_version(inspection, version)
    return inspection


@transaction.atomic
def close_inspection(inspection: Inspection, *, actor, end_on: date,
                     version: Expected = None) -> Inspection:
    """The inspection's last day."""
    require(actor, MANAGE_INSPECTION, Inspection.objects.select_related("org").get(
        pk=inspection.pk).org)
    inspection = _locked_inspection(inspection, version)
    if inspection.end_on is not None:
        raise RuleViolation(_("Cuộc kiểm tra, giám sát đã kết thúc ngày %(day)s.") % {
            "day": _d(inspection.end_on)}, field="end_on")
    _refuse(rules.inspection_dates(inspection.start_on, end_on), "end_on")
    _not_future(end_on, "end_on", _("Ngày kết thúc"))
    before = inspection_snapshot(inspection)
    inspection.end_on = end_on
    inspection.save(update_fields=["end_on"])
    record_change("inspection.close", actor=actor, obj=inspection, before=before,
                  after=inspection_snapshot(inspection))
    return inspection


def subject_snapshot(subject: InspectionSubject) -> dict:
    return {"inspection": subject.inspection.code,
            "org": subject.org.code if subject.org_id else None,
            "member": subject.member.member_code if subject.member_id else None,
            "conclusion": subject.conclusion, "concluded_on": subject.concluded_on,
            "conclusion_no": subject.conclusion_no,
            "conclusion_doc_on": subject.conclusion_doc_on, "follow_up": subject.follow_up,
            "follow_up_due": subject.follow_up_due,
            "follow_up_done_on": subject.follow_up_done_on}


@transaction.atomic
def add_subject(inspection: Inspection, *, actor, org: Organization | None = None,
                member: Member | None = None) -> InspectionSubject:
    """One subject (one lượt): an organization strictly under the conducting one, or a member
    active on `start_on` in its subtree, both as the tree stood on `start_on`. Whether a member
    subject is a committee member is derived from the posts (queries.committee_subjects),
    never typed."""
    inspection = _locked_inspection(inspection, None)
    require(actor, MANAGE_INSPECTION, inspection.org)
    if (org is None) == (member is None):
        raise RuleViolation(_("Chọn đúng một đối tượng: tổ chức đảng hoặc đảng viên."),
                            field="org")
    day, conductor = inspection.start_on, inspection.org
    if org is not None:
        field, label = "org", org.name
        path = TreeOnDays([org.pk]).path(org.pk, day)
        if path is None:
            raise RuleViolation(_("%(org)s không tồn tại vào ngày %(day)s.") % {
                "org": org.name, "day": _d(day)}, field=field)
        inside = in_subtree(path, conductor.pk, strictly=True)
        duplicate = inspection.subjects.filter(org=org).exists()
    else:
        field, label = "member", f"{member.full_name} ({member.member_code})"
        stint = MemberDays([member.pk]).on(member.pk, day)
        if stint is None:
            raise RuleViolation(_("Đảng viên %(member)s không sinh hoạt đảng vào ngày "
                                  "%(day)s.") % {"member": label, "day": _d(day)}, field=field)
        inside = in_subtree(stint.path, conductor.pk)
        duplicate = inspection.subjects.filter(member=member).exists()
    if not inside:
        raise RuleViolation(_("%(subject)s không thuộc %(org)s vào ngày %(day)s.") % {
            "subject": label, "org": conductor.name, "day": _d(day)}, field=field)
    if duplicate:
        raise RuleViolation(_("%(subject)s đã là đối tượng của cuộc này.") % {
            "subject": label}, code="duplicate", field=field)
    subject = InspectionSubject.objects.create(inspection=inspection, org=org, member=member)
    record_change("inspection.subject_add", actor=actor, obj=inspection,
                  after=subject_snapshot(subject))
    return subject


def _locked_subject(subject: InspectionSubject, version: Expected) -> InspectionSubject:
    subject = InspectionSubject.objects.select_for_update(of=("self",)).select_related(
        "inspection__org", "org", "member").get(pk=subject.pk)
    check_version(subject, version)
    return subject


@transaction.atomic
def remove_subject(subject: InspectionSubject, *, actor) -> None:
    """Take a subject off the inspection: refused once it is concluded."""
    org = InspectionSubject.objects.select_related("inspection__org").get(
        pk=subject.pk).inspection.org
    require(actor, MANAGE_INSPECTION, org)
    subject = _locked_subject(subject, None)
    if subject.conclusion:
        raise RuleViolation(_("Đối tượng đã có kết luận, không bỏ khỏi cuộc được."),
                            field="conclusion")
    before = subject_snapshot(subject)
    inspection = subject.inspection
    subject.delete()
    record_change("inspection.subject_remove", actor=actor, obj=inspection, before=before)


@dataclass(frozen=True)
class ConclusionDocument:
    """The conclusion's document (văn bản kết luận), referred to by its number and day: it is
    not published in the documents library, whose readers a confidential conclusion must never
    reach."""

    number: str
    issued_on: date | None = None


@transaction.atomic
def record_conclusion(subject: InspectionSubject, *, actor, conclusion: str, concluded_on: date,
                      follow_up: str = "", follow_up_due: date | None = None,
                      document: ConclusionDocument | None = None,
                      version: Expected = None) -> InspectionSubject:
    """The conclusion on one subject, on or after the inspection's start, with its document and
    the follow-up it asks for (what, by when). Recorded again, it replaces the earlier one
    (against the version its author saw)."""
    org = InspectionSubject.objects.select_related("inspection__org").get(
        pk=subject.pk).inspection.org
    require(actor, MANAGE_INSPECTION, org)
    subject = _locked_subject(subject, version)
    _choice(conclusion, Conclusion, "conclusion", _("Kết luận"))
    _refuse(rules.conclusion_dates(subject.inspection.start_on, conclusion, concluded_on),
            "concluded_on")
    _not_future(concluded_on, "concluded_on", _("Ngày kết luận"))
    follow_up = (follow_up or "").strip()
    if follow_up_due is not None and not follow_up:
        raise RuleViolation(_("Hạn khắc phục cần có yêu cầu khắc phục."), field="follow_up")
    if follow_up_due is not None and follow_up_due < concluded_on:
        raise RuleViolation(_("Hạn khắc phục %(due)s trước ngày kết luận %(day)s.") % {
            "due": _d(follow_up_due), "day": _d(concluded_on)}, field="follow_up_due")
    number = _line(document.number, "conclusion_no", _("số văn bản")) if document else ""
    issued_on = document.issued_on if document else None
    if issued_on is not None and not number:
        raise RuleViolation(_("Cần số văn bản kết luận."), field="conclusion_no")
    if issued_on is not None and issued_on < subject.inspection.start_on:
        raise RuleViolation(_("Văn bản kết luận ngày %(day)s trước ngày bắt đầu cuộc kiểm tra, "
                              "giám sát.") % {"day": _d(issued_on)}, field="conclusion_doc_on")
    _not_future(issued_on, "conclusion_doc_on", _("Ngày văn bản kết luận"))
    before = subject_snapshot(subject)
    subject.conclusion, subject.concluded_on = conclusion, concluded_on
    subject.follow_up, subject.follow_up_due = follow_up, follow_up_due
    subject.conclusion_no, subject.conclusion_doc_on = number, issued_on
    if not follow_up:
        subject.follow_up_done_on = None
    subject.save()
    record_change("inspection.conclude", actor=actor, obj=subject.inspection, before=before,
                  after=subject_snapshot(subject))
    return subject


@transaction.atomic
def record_follow_up_done(subject: InspectionSubject, *, actor, done_on: date,
                          version: Expected = None) -> InspectionSubject:
    """The day the follow-up a conclusion asked for was done."""
    org = InspectionSubject.objects.select_related("inspection__org").get(
        pk=subject.pk).inspection.org
    require(actor, MANAGE_INSPECTION, org)
    subject = _locked_subject(subject, version)
    if not subject.follow_up:
        raise RuleViolation(_("Kết luận không có yêu cầu khắc phục."), field="done_on")
    if done_on < subject.concluded_on:
        raise RuleViolation(_("Ngày hoàn thành khắc phục %(day)s trước ngày kết luận "
                              "%(concluded)s.") % {"day": _d(done_on),
                                                   "concluded": _d(subject.concluded_on)},
                            field="done_on")
    _not_future(done_on, "done_on", _("Ngày hoàn thành khắc phục"))
    before = subject_snapshot(subject)
    subject.follow_up_done_on = done_on
    subject.save(update_fields=["follow_up_done_on"])
    record_change("inspection.follow_up_done", actor=actor, obj=subject.inspection,
                  before=before, after=subject_snapshot(subject))
    return subject


# Discipline --------------------------------------------------------------------------------

@dataclass
class NewDiscipline:
    code: str  # "" = the next free code
    form: str
    violation_on: date
    decided_on: date
    decided_by: Organization
    by_body: str
    org: Organization | None = None
    member: Member | None = None
    decision_no: str = ""
    effective_on: date | None = None
    inspection: Inspection | None = None
    note: str = ""


def discipline_snapshot(discipline: Discipline) -> dict:
    return {"code": discipline.code,
            "org": discipline.org.code if discipline.org_id else None,
            "member": discipline.member.member_code if discipline.member_id else None,
            "form": discipline.form, "violation_on": discipline.violation_on,
            "decided_on": discipline.decided_on, "decision_no": discipline.decision_no,
            "decided_by": discipline.decided_by.code, "by_body": discipline.by_body,
            "effective_on": discipline.effective_on,
            "inspection": discipline.inspection.code if discipline.inspection_id else None,
            "received_on": discipline.received_on,
            "appealed_on": discipline.appealed_on, "appeal_outcome": discipline.appeal_outcome,
            "appeal_decided_on": discipline.appeal_decided_on,
            "appeal_form": discipline.appeal_form, "standing_form": discipline.standing_form}


# The input at fault when a decision breaks a finding rule.
FINDING_FIELDS = {rules.PROBATIONARY_FORM: "form", rules.LIMITATION: "violation_on",
                  rules.AUTHORITY: "decided_by", rules.DISMISSAL_POST: "form"}


def _finding_row(discipline: Discipline) -> dict:
    """The decision as chibo.inspection.findings reads it (findings.FIELDS)."""
    member, org = discipline.member, discipline.org
    return {"pk": discipline.pk or 0, "code": discipline.code, "org_id": discipline.org_id,
            "member_id": discipline.member_id, "form": discipline.form,
            "violation_on": discipline.violation_on, "decided_on": discipline.decided_on,
            "effective_on": discipline.effective_on,
            "decided_by_id": discipline.decided_by_id,
            "decided_by__kind": discipline.decided_by.kind,
            "org__code": org.code if org else None, "org__name": org.name if org else None,
            "member__member_code": member.member_code if member else None,
            "member__full_name": member.full_name if member else None,
            "member__cell__code": member.cell.code if member else None,
            "member__cell__name": member.cell.name if member else None}


def _guard(discipline: Discipline, *, exception: Decision | None, actor) -> None:
    """Refuse a decision that breaks a discipline finding rule (with the rule's words) unless
    `exception` gives the decision that allowed it: then record it, for each rule broken."""
    row = _finding_row(discipline)
    facts = findings.facts_of([row])[row["pk"]]
    new = open_findings([findings.as_finding(breach, row)
                         for breach in rules.breaches(facts)])
    refuse_or_except(new, exception=exception, actor=actor, field=FINDING_FIELDS.get,
                     org=discipline.org or discipline.member.cell)


def _check_subject(data: NewDiscipline, member: Member | None) -> None:
    """The subject active (existing) from the day before `decided_on` to the day before the
    decision takes effect, and the decider the member's cell or above it (strictly above an
    organization), as the tree stood the day before `decided_on` (errors, spec BUNDLE-v2.md)."""
    first = data.decided_on - timedelta(days=1)
    last = (data.effective_on or data.decided_on) - timedelta(days=1)
    if data.org is not None:
        tree = TreeOnDays([data.org.pk])
        spans = [(start, end) for start, end, _path in tree.periods.get(data.org.pk, ())]
        if not org_exists_through(spans, first, last):
            raise RuleViolation(_("%(org)s không tồn tại suốt từ ngày %(first)s đến ngày "
                                  "%(last)s.") % {"org": data.org.name, "first": _d(first),
                                                  "last": _d(last)}, field="org")
        place, strictly = tree.path(data.org.pk, first), True
    else:
        days = MemberDays([member.pk])
        if not days.active_through(member.pk, first, last):
            raise RuleViolation(_("Đảng viên %(member)s không sinh hoạt đảng suốt từ ngày "
                                  "%(first)s đến ngày %(last)s.") % {
                "member": member.full_name, "first": _d(first), "last": _d(last)},
                field="member")
        place, strictly = days.on(member.pk, first).path, False
    if not in_subtree(place, data.decided_by.pk, strictly=strictly):
        raise RuleViolation(_("%(org)s không phải chi bộ của đảng viên hay cấp trên của đối "
                              "tượng vào ngày %(day)s.") % {"org": data.decided_by.name,
                                                           "day": _d(first)},
                            field="decided_by")


@transaction.atomic
def decide_discipline(data: NewDiscipline, *, actor,
                      exception: Decision | None = None) -> Discipline:
    """A discipline decision on an organization or a member, and its effect on the day it
    takes effect (`effective_on`, empty: `decided_on`): an expulsion ends the membership, a
    dismissal the party posts, a dissolution the organization."""
    if (data.org is None) == (data.member is None):
        raise RuleViolation(_("Chọn đúng một đối tượng: tổ chức đảng hoặc đảng viên."),
                            field="org")
    member = (Member.objects.select_related("cell").get(pk=data.member.pk)
              if data.member is not None else None)
    require(actor, MANAGE_INSPECTION, data.org or member.cell)
    # The deciding level too, as the page (its own organization) does: the API names it, and
    # nobody records a decision in the name of a committee outside their own reach.
    require(actor, MANAGE_INSPECTION, data.decided_by)
    _choice(data.form, Form, "form", _("Hình thức kỷ luật"))
    _refuse(rules.form_fits_subject(data.form, data.org is not None), "form")
    _body(data.decided_by, data.by_body)
    problem = rules.discipline_dates(data.violation_on, data.decided_on, data.effective_on)
    if problem is not None:
        raise RuleViolation(problem, field="decided_on" if data.decided_on < data.violation_on
                            else "effective_on")
    _not_future(data.decided_on, "decided_on", _("Ngày quyết định"))
    _check_subject(data, member)
    inspection = data.inspection
    if inspection is not None and not inspection.subjects.filter(
            org=data.org, member=member).exists():
        raise RuleViolation(_("Đối tượng không có trong cuộc kiểm tra %(code)s.") % {
            "code": inspection.code}, field="inspection")
    day = data.effective_on or data.decided_on
    if data.form == Form.DISSOLUTION:
        _require_no_blockers(data.org, day, "form")
    code = (_code(data.code, Discipline) if (data.code or "").strip()
            else next_code(Discipline, f"KL{data.decided_on.year}-"))
    discipline = Discipline(
        code=code, org=data.org, member=member, form=data.form,
        violation_on=data.violation_on, decided_on=data.decided_on,
        decision_no=_line(data.decision_no, "decision_no", _("số quyết định")),
        decided_by=data.decided_by, by_body=data.by_body, effective_on=data.effective_on,
        inspection=inspection, note=data.note or "")
    _guard(discipline, exception=exception, actor=actor)
    discipline.save()
    _take_effect(discipline, data.form, day, actor=actor)
    record_change("discipline.decide", actor=actor, obj=discipline,
                  org=discipline.org or member.cell, after=discipline_snapshot(discipline))
    return discipline


def _take_effect(discipline: Discipline, form: str, day: date, *, actor) -> None:
    """Apply `form` from `day` through the records core's services."""
    number = discipline.decision_no or discipline.code
    if form == Form.EXPULSION:
        members.record_event(discipline.member, actor=actor, event="expel", effective_on=day,
                             decision_no=number,
                             note=_("Kỷ luật khai trừ (%(code)s)") % {"code": discipline.code},
                             capability=MANAGE_INSPECTION)
    elif form == Form.DISMISSAL:
        eve = day - timedelta(days=1)
        for position in held_posts(discipline.member, eve):
            # the end it had before, for an appeal that gives the post back
            EndedPost.objects.create(discipline=discipline, position=position, ended_on=eve,
                                     held_to=position.end_on)
            members.end_post(position, actor=actor, end_on=eve, capability=MANAGE_INSPECTION)
    elif form == Form.DISSOLUTION:
        organizations.dissolve_organization(
            discipline.org, actor=actor, effective_on=day, decision_no=number,
            note=_("Kỷ luật giải tán (%(code)s)") % {"code": discipline.code},
            capability=MANAGE_INSPECTION)


def held_posts(member: Member, day: date):
    """The member's party posts held on `day` (its end day included)."""
    return (Position.objects.filter(member=member, role__in=rules.PARTY_POSTS, start_on__lte=day)
            .exclude(end_on__lt=day).order_by("start_on", "pk"))


@dataclass(frozen=True)
class Blocker:
    """What must move before a dissolution takes effect: an organization under the one
    dissolved, or a member still active in it, on or after the day."""

    kind: str  # "organization" or "member"
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def dissolution_blockers(org: Organization, day: date) -> list[Blocker]:
    """The organizations still under `org` and the members still active in it on or after
    `day` (BUNDLE.md refuses dissolving an organization that holds either): they must be moved
    or transferred first."""
    children = (OrgPeriod.objects.filter(parent=org, valid_to__gt=day)
                .select_related("organization").order_by("organization__code"))
    blockers = {("organization", period.organization.code):
                Blocker("organization", period.organization.code, period.name)
                for period in children}
    member_ids = (MemberPeriod.objects.filter(org=org, valid_to__gt=day)
                  .values_list("member", flat=True).distinct())
    for code, name in (Member.objects.filter(pk__in=list(member_ids))
                       .order_by("sort_key", "member_code").values_list("member_code",
                                                                         "full_name")):
        blockers[("member", code)] = Blocker("member", code, name)
    return list(blockers.values())


def _require_no_blockers(org: Organization, day: date, field: str) -> None:
    blockers = dissolution_blockers(org, day)
    if blockers:
        shown = ", ".join(str(blocker) for blocker in blockers[:10])
        more = len(blockers) - 10
        raise RuleViolation(
            _("Chưa giải tán được %(org)s từ ngày %(day)s: còn %(n)s tổ chức, đảng viên phải "
              "chuyển đi trước: %(list)s%(more)s.") % {
                "org": org.name, "day": _d(day), "n": len(blockers), "list": shown,
                "more": _(" và %(n)s khác") % {"n": more} if more > 0 else ""},
            code="not_empty", field=field)


def _locked_discipline(discipline: Discipline, version: Expected) -> Discipline:
    discipline = Discipline.objects.select_for_update(of=("self",)).select_related(
        "org", "member__cell", "decided_by", "inspection").get(pk=discipline.pk)
    check_version(discipline, version)
    return discipline


def _place(discipline: Discipline) -> Organization:
    discipline = Discipline.objects.select_related("org", "member__cell").get(pk=discipline.pk)
    return discipline.org or discipline.member.cell


@transaction.atomic
def record_appeal(discipline: Discipline, *, actor, appealed_on: date,
                  received_on: date | None = None, version: Expected = None) -> Discipline:
    """The subject appealed (khiếu nại) on `appealed_on`, within 30 working days of receiving
    the decision on `received_on` (needed only for an appeal lodged more than 30 working days
    after the decision): the decision applies meanwhile."""
    require(actor, MANAGE_INSPECTION, _place(discipline))
    discipline = _locked_discipline(discipline, version)
    if discipline.appealed_on is not None:
        raise RuleViolation(_("Quyết định đã có khiếu nại ngày %(day)s.") % {
            "day": _d(discipline.appealed_on)}, field="appealed_on")
    _refuse(rules.discipline_dates(discipline.violation_on, discipline.decided_on,
                                   discipline.effective_on, appealed_on), "appealed_on")
    _not_future(appealed_on, "appealed_on", _("Ngày khiếu nại"))
    if received_on is not None:
        _not_future(received_on, "received_on", _("Ngày nhận quyết định"))
    _refuse(rules.appeal_in_time(working_calendar(), discipline.decided_on, received_on,
                                 appealed_on), "received_on" if received_on else "appealed_on")
    before = discipline_snapshot(discipline)
    discipline.appealed_on, discipline.received_on = appealed_on, received_on
    discipline.save(update_fields=["appealed_on", "received_on"])
    record_change("discipline.appeal", actor=actor, obj=discipline,
                  org=discipline.org or discipline.member.cell, before=before,
                  after=discipline_snapshot(discipline))
    return discipline


@transaction.atomic
def decide_appeal(discipline: Discipline, *, actor, outcome: str, decided_on: date,
                  form: str | None = None, version: Expected = None) -> Discipline:
    """The appeal's outcome: `upheld` keeps the decision; `changed` stands `form` in its place
    from `decided_on`; `annulled` voids it from the start. The effects follow the standing form:
    an expulsion no longer standing has its `expel` event voided (none remains, the member's
    history and party age run on as if it never was); one newly standing records the event on
    `decided_on`; a newly standing dismissal ends the party posts held the day before; a
    dismissal no longer standing (annulled, or changed to a reprimand or a warning) gives its
    posts back from their own start day (`posts_ended_by`). A dissolution, once in effect, is
    not undone here: the tree's history records it."""
    require(actor, MANAGE_INSPECTION, _place(discipline))
    discipline = _locked_discipline(discipline, version)
    if discipline.appealed_on is None:
        raise RuleViolation(_("Quyết định chưa có khiếu nại."), field="outcome")
    if discipline.appeal_outcome:
        raise RuleViolation(_("Khiếu nại đã được giải quyết ngày %(day)s.") % {
            "day": _d(discipline.appeal_decided_on)}, field="outcome")
    _choice(outcome, AppealOutcome, "outcome", _("Kết quả giải quyết khiếu nại"))
    form = form or ""
    if form:
        _choice(form, Form, "form", _("Hình thức sau khiếu nại"))
    _refuse(rules.appeal_consistent(discipline.appealed_on, outcome, decided_on, form,
                                    discipline.form, discipline.org_id is not None), "form")
    _refuse(rules.discipline_dates(discipline.violation_on, discipline.decided_on,
                                   discipline.effective_on, discipline.appealed_on, decided_on),
            "decided_on")
    _not_future(decided_on, "decided_on", _("Ngày giải quyết khiếu nại"))
    before = discipline_snapshot(discipline)
    old = discipline.standing_form
    discipline.appeal_outcome, discipline.appeal_decided_on = outcome, decided_on
    discipline.appeal_form = form if outcome == AppealOutcome.CHANGED else ""
    new = discipline.standing_form
    if old != new:
        _follow_appeal(discipline, old, new, decided_on, actor=actor)
    discipline.save(update_fields=["appeal_outcome", "appeal_decided_on", "appeal_form"])
    record_change("discipline.appeal_decide", actor=actor, obj=discipline,
                  org=discipline.org or discipline.member.cell, before=before,
                  after=discipline_snapshot(discipline))
    return discipline


def _follow_appeal(discipline: Discipline, old: str, new: str, day: date, *, actor) -> None:
    if old == Form.DISSOLUTION:
        raise RuleViolation(_("Quyết định giải tán đã thi hành: tổ chức đã giải thể trong lịch "
                              "sử của cây tổ chức, không hủy được ở đây."), field="outcome")
    if old == Form.EXPULSION:
        event = (MemberEvent.objects.filter(member=discipline.member, event="expel",
                                            effective_on=discipline.effective_day)
                 .order_by("-seq").first())
        if event is not None:
            reason = (_("Quyết định khai trừ %(code)s bị xóa bỏ khi giải quyết khiếu nại ngày "
                        "%(day)s.") if discipline.appeal_outcome == AppealOutcome.ANNULLED else
                      _("Quyết định khai trừ %(code)s được đổi hình thức khi giải quyết khiếu "
                        "nại ngày %(day)s.")) % {"code": discipline.code, "day": _d(day)}
            members.void_event(event, actor=actor, reason=reason,
                               capability=MANAGE_INSPECTION)
    if old == Form.DISMISSAL and new != Form.EXPULSION:
        _restore_posts(discipline, day, actor=actor)
    if new in (Form.EXPULSION, Form.DISMISSAL, Form.DISSOLUTION):
        _take_effect(discipline, new, day, actor=actor)


@dataclass(frozen=True)
class PostEnded:
    """A party post a dismissal ended on `ended_on`, held before until `held_to` (None:
    held)."""

    position: Position
    ended_on: date
    held_to: date | None


def posts_ended_by(discipline: Discipline) -> list[PostEnded]:
    """The party posts a dismissal ended: as recorded when it took effect (`EndedPost`); for a
    decision that came by a bundle (whose import checks the effects, never makes them), the
    member's party posts that end on the eve of its effective day, held before."""
    recorded = [PostEnded(row.position, row.ended_on, row.held_to) for row in
                EndedPost.objects.filter(discipline=discipline).select_related("position")
                .order_by("position__start_on", "position_id")]
    if recorded:
        return recorded
    eve = discipline.effective_day - timedelta(days=1)
    return [PostEnded(position, eve, None) for position in
            Position.objects.filter(member=discipline.member_id, role__in=rules.PARTY_POSTS,
                                    end_on=eve).order_by("start_on", "pk")]


def _restore_posts(discipline: Discipline, day: date, *, actor) -> None:
    """Give back, from their own start day, the party posts the dismissal ended: it no longer
    stands (annulled, or changed to a lighter form on `day`). A post changed since (its end is
    no longer the dismissal's) is refused, as a post another secretary now holds."""
    reason = (_("Quyết định cách chức %(code)s bị xóa bỏ khi giải quyết khiếu nại ngày "
                "%(day)s.") if discipline.appeal_outcome == AppealOutcome.ANNULLED else
              _("Quyết định cách chức %(code)s được đổi hình thức khi giải quyết khiếu nại "
                "ngày %(day)s.")) % {"code": discipline.code, "day": _d(day)}
    for ended in posts_ended_by(discipline):
        if ended.held_to is not None and ended.held_to <= ended.ended_on:
            continue  # it ended that day anyway: nothing was taken
        position = Position.objects.select_for_update(of=("self",)).select_related("org").get(
            pk=ended.position.pk)
        post = _("%(role)s của %(org)s") % {"role": position.get_role_display(),
                                            "org": position.org.name}
        if position.end_on != ended.ended_on:
            now = (_("nay giữ đến ngày %(day)s") % {"day": _d(position.end_on)}
                   if position.end_on else _("nay vẫn đang giữ"))
            raise RuleViolation(_("Chức vụ %(post)s đã được sửa sau khi cách chức (%(now)s), "
                                  "không khôi phục được: sửa lại chức vụ trước khi ghi kết quả "
                                  "giải quyết khiếu nại.") % {"post": post, "now": now},
                                field="outcome")
        try:
            members.restore_post(position, actor=actor, end_on=ended.held_to, reason=reason,
                                 capability=MANAGE_INSPECTION)
        except RuleViolation as error:
            raise RuleViolation(_("Không khôi phục được chức vụ %(post)s: %(why)s") % {
                "post": post, "why": " ".join(error.messages)}, code=error.code,
                field="outcome") from error


# Reads -------------------------------------------------------------------------------------

def record_case_read(obj: Inspection | Discipline, *, reader, channel: str) -> None:
    """Log that `reader` read a case (an inspection with its subjects and conclusions, or a
    discipline decision) by its page or the API."""
    channel = _choice(channel, CaseReadChannel, "channel", _("Kênh"))
    if isinstance(obj, Inspection):
        values = {"inspection": obj, "org_path": obj.org.path}
    elif isinstance(obj, Discipline):
        values = {"discipline": obj, "org_path": obj.path}
    else:
        raise TypeError(f"not a case: {obj!r}")
    CaseRead.objects.create(code=obj.code, reader_id=getattr(reader, "pk", None),
                            reader_name=getattr(reader, "username", str(reader)),
                            at=timezone.now(), channel=channel, **values)


ACTIONS = {
    "inspection.programme": gettext_lazy("Lập chương trình kiểm tra, giám sát"),
    "inspection.programme_item": gettext_lazy("Thêm nội dung chương trình kiểm tra, giám sát"),
    "inspection.open": gettext_lazy("Mở cuộc kiểm tra, giám sát"),
    "inspection.close": gettext_lazy("Kết thúc cuộc kiểm tra, giám sát"),
    "inspection.subject_add": gettext_lazy("Thêm đối tượng kiểm tra, giám sát"),
    "inspection.subject_remove": gettext_lazy("Bỏ đối tượng kiểm tra, giám sát"),
    "inspection.conclude": gettext_lazy("Ghi kết luận kiểm tra, giám sát"),
    "inspection.follow_up_done": gettext_lazy("Ghi hoàn thành khắc phục sau kết luận"),
    "discipline.decide": gettext_lazy("Ghi quyết định kỷ luật"),
    "discipline.appeal": gettext_lazy("Ghi khiếu nại kỷ luật"),
    "discipline.appeal_decide": gettext_lazy("Ghi kết quả giải quyết khiếu nại kỷ luật"),
}
