"""API of inspection, supervision and discipline: the programmes of a subtree, one with its
items, a new programme, an item added; the inspections of a subtree and one with its subjects
and conclusions, a new inspection (under a programme's item or outside any), a subject added or
taken off, a conclusion, the follow-up done, the inspection closed; the discipline decisions of
a subtree, one decision, a new decision, an appeal and its outcome.

The cases are confidential: an officer who sees the organization (`org.view`) but does not hold
`inspection.view` there gets 403, one outside it 404 (as an unknown code), the anonymous
visitor 401. A write needs `inspection.manage` where the case lies (a programme, an inspection:
its organization; a decision: its subject). Every read of one case is logged
(services.record_case_read). Input the rules refuse is a 422 naming the field; a decision that
breaks a discipline finding rule is refused (422, code `finding`) unless the body gives the
`exception` that allowed it. A change sent with `If-Match` (the record's `ETag`; a subject's:
its `version`) is refused (412, nothing written) when the record changed since it was read.
"""

from datetime import date

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from chibo.accounts.policy import Capability, require
from chibo.core.concurrency import IF_MATCH, IfMatch, if_match, send_version, version_of
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import subtree_range
from chibo.core.validation import (
    api_code,
    api_date,
    api_limit,
    api_offset,
    api_text,
    column_length,
    record_id,
)
from chibo.findings.schemas import ExceptionIn, decision_of
from chibo.inspection import queries, services
from chibo.inspection.capabilities import MANAGE_INSPECTION, VIEW_INSPECTION
from chibo.inspection.choices import AppealOutcome, Body, Conclusion, Form, Kind
from chibo.inspection.models import (
    CaseReadChannel,
    Discipline,
    Inspection,
    InspectionSubject,
    Programme,
    ProgrammeItem,
)
from chibo.members.models import Member
from chibo.members.queries import in_reach
from chibo.organizations.models import Organization

router = Router(tags=["inspection"])

InspectionCode = api_code(column_length(Inspection, "code"))
DisciplineCode = api_code(column_length(Discipline, "code"))
Code = api_code(64)


# Schemas ------------------------------------------------------------------------------------

class InspectionSubjectOut(Schema):
    id: int
    org_code: str | None
    member_code: str | None
    name: str
    committee_member: bool = Field(description="a member subject holding a party post on the "
                                               "inspection's start day (derived, never typed)")
    conclusion: str
    concluded_on: date | None
    conclusion_no: str
    conclusion_doc_on: date | None
    follow_up: str
    follow_up_due: date | None
    follow_up_done_on: date | None
    version: str = Field(description="send it in If-Match to record the conclusion")


class InspectionOut(Schema):
    code: str
    kind: str
    org: str
    by_body: str
    start_on: date
    end_on: date | None
    title: str
    decision_no: str
    subject_count: int
    concluded_count: int


class InspectionDetailOut(InspectionOut):
    note: str
    programme: str | None = Field(description="the title of the programme it is carried out "
                                              "under; null: outside any (on signs of violation)")
    programme_id: int | None
    programme_item: int | None = Field(description="the id of the programme's item")
    subjects: list[InspectionSubjectOut]


class InspectionPage(Schema):
    count: int
    items: list[InspectionOut]
    next: int | None


class InspectionFilters(Schema):
    org: Code
    kind: Kind | None = None
    year: int | None = Field(None, ge=1930, le=2100, description="the year of `start_on`")
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class FollowUpOut(Schema):
    inspection_code: str
    subject_id: int
    org_code: str | None
    member_code: str | None
    name: str
    follow_up: str
    follow_up_due: date
    follow_up_done_on: date | None
    overdue: bool = Field(description="not done and past its due day")


class FollowUpPage(Schema):
    count: int
    items: list[FollowUpOut]
    next: int | None


class FollowUpFilters(Schema):
    org: Code
    done: bool | None = Field(None, description="false: those not done yet (the page's first "
                                                "tab); true: those done; empty: all")
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class InspectionIn(Schema):
    org_code: Code = Field(description="the conducting organization", examples=["D1.X1"])
    code: api_code(column_length(Inspection, "code"), required=False) = Field(
        "", description="empty: the next free code", examples=["KT2026-0007"])
    kind: Kind = Field(examples=["inspection_on_signs"])
    by_body: Body = Field(examples=["inspection_commission"])
    start_on: api_date() = Field(examples=["2026-03-02"])
    end_on: api_date() | None = None
    title: api_text(Inspection, "title") = Field(
        "", examples=["Kiểm tra khi có dấu hiệu vi phạm về quản lý đất đai"])
    decision_no: api_text(Inspection, "decision_no") = Field("", examples=["15-QĐ/UBKTĐU"])
    note: api_text(Inspection, "note") = ""
    programme_item: record_id() | None = Field(
        None, description="the id of a programme's item of `org_code` it is carried out under "
                          "(`GET programmes/{id}`); empty: outside any programme",
        examples=[12])


class CloseIn(Schema):
    end_on: api_date() = Field(description="the inspection's last day: on or after its start, "
                                           "not after today", examples=["2026-04-30"])


class FollowUpDoneIn(Schema):
    done_on: api_date() = Field(description="the day the follow-up the conclusion asked for "
                                            "was done: on or after the conclusion, not after "
                                            "today", examples=["2026-05-15"])


class InspectionSubjectIn(Schema):
    org_code: Code | None = Field(None, description="an organization strictly under the "
                                  "conducting one", examples=["D1.X1.C1"])
    member_code: Code | None = Field(None, description="or a member of its subtree",
                                     examples=["M002"])


class ConclusionIn(Schema):
    conclusion: Conclusion = Field(examples=["violation_discipline_proposed"])
    concluded_on: api_date() = Field(examples=["2026-03-20"])
    conclusion_no: api_text(InspectionSubject, "conclusion_no") = Field(
        "", examples=["12-KL/UBKTĐU"])
    conclusion_doc_on: api_date() | None = None
    follow_up: api_text(InspectionSubject, "follow_up") = ""
    follow_up_due: api_date() | None = None


class ProgrammeOut(Schema):
    id: int
    org: str
    by_body: str
    year: int | None = Field(description="a programme for a year; null for a term's")
    term_from: int | None = Field(description="a term's programme: its first and last year")
    term_to: int | None
    title: str
    item_count: int


class ProgrammeItemOut(Schema):
    id: int = Field(description="send it as `programme_item` to open an inspection under it")
    kind: str
    content: str
    subject: str
    subject_org_code: str | None
    planned_from: date
    planned_to: date
    inspections: list[str] = Field(description="the codes of the inspections opened under it, "
                                               "by start day")


class ProgrammeDetailOut(ProgrammeOut):
    note: str
    items: list[ProgrammeItemOut]


class ProgrammePage(Schema):
    count: int
    items: list[ProgrammeOut]
    next: int | None


class ProgrammeFilters(Schema):
    org: Code
    year: int | None = Field(None, ge=1930, le=2100,
                             description="a programme of that year, or of a term that holds it")
    term: bool | None = Field(None, description="true: the term's programmes only; false: the "
                                                "year's only")
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class ProgrammeIn(Schema):
    org_code: Code = Field(description="the committee whose programme it is",
                           examples=["D1.X1"])
    by_body: Body = Field(examples=["inspection_commission"])
    title: api_text(Programme, "title", required=True) = Field(
        examples=["Chương trình kiểm tra, giám sát năm 2026"])
    year: int | None = Field(None, ge=1930, le=2100, description="a programme for this year "
                             "(or `term_from` and `term_to`, not both)", examples=[2026])
    term_from: int | None = Field(None, ge=1930, le=2100, description="a programme for the "
                                  "term from this year")
    term_to: int | None = Field(None, ge=1930, le=2100, description="to this year")
    note: api_text(Programme, "note") = ""


class ProgrammeItemIn(Schema):
    kind: Kind = Field(examples=["inspection_regular"])
    content: api_text(ProgrammeItem, "content", required=True) = Field(
        examples=["Kiểm tra việc thực hiện nghị quyết của chi bộ"])
    subject_text: api_text(ProgrammeItem, "subject") = Field(
        "", description="whom, in words", examples=["Chi bộ thôn Đồng Mạ"])
    subject_org_code: Code | None = Field(None, description="the subject when it is an "
                                          "organization strictly under the programme's",
                                          examples=["D1.X1.C1"])
    planned_from: api_date() | None = Field(None, description="empty: the programme's first "
                                            "day", examples=["2026-06-01"])
    planned_to: api_date() | None = Field(None, description="empty: the programme's last day",
                                          examples=["2026-06-30"])


class DisciplineOut(Schema):
    code: str
    org_code: str | None
    member_code: str | None
    name: str
    form: str
    standing_form: str = Field(description="appeal_form if changed, empty if annulled, else "
                                           "form")
    violation_on: date
    decided_on: date
    decision_no: str
    decided_by: str
    by_body: str
    effective_on: date | None
    inspection_code: str | None
    appealed_on: date | None
    appeal_outcome: str
    appeal_decided_on: date | None
    appeal_form: str


class DisciplineDetailOut(DisciplineOut):
    note: str


class DisciplinePage(Schema):
    count: int
    items: list[DisciplineOut]
    next: int | None


class DisciplineFilters(Schema):
    org: Code
    form: Form | None = None
    year: int | None = Field(None, ge=1930, le=2100, description="the year of `decided_on`")
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class DisciplineIn(Schema):
    code: api_code(column_length(Discipline, "code"), required=False) = Field(
        "", description="empty: the next free code", examples=["KL2026-0003"])
    org_code: Code | None = Field(None, description="an organization disciplined")
    member_code: Code | None = Field(None, description="a member disciplined",
                                     examples=["M002"])
    form: Form = Field(examples=["warning"])
    violation_on: api_date() = Field(examples=["2026-01-10"])
    decided_on: api_date() = Field(examples=["2026-04-01"])
    decision_no: api_text(Discipline, "decision_no") = Field("", examples=["21-QĐ/UBKTĐU"])
    decided_by: Code = Field(description="the deciding organization's code",
                             examples=["D1.X1"])
    by_body: Body = Field(examples=["inspection_commission"])
    effective_on: api_date() | None = None
    inspection_code: InspectionCode | None = None
    note: api_text(Discipline, "note") = ""
    exception: ExceptionIn | None = None


class AppealIn(Schema):
    appealed_on: api_date() = Field(examples=["2026-04-20"])
    received_on: api_date() | None = Field(
        None, examples=["2026-04-14"],
        description="the day the subject received the decision: needed when the appeal comes "
                    "more than 30 working days after the decision (the window runs from it)")


class AppealDecisionIn(Schema):
    outcome: AppealOutcome = Field(description="`annulled`, or `changed` to a lighter form, "
                                   "voids an expulsion and gives a dismissal's posts back",
                                   examples=["annulled"])
    decided_on: api_date() = Field(examples=["2026-06-01"])
    form: Form | None = Field(None, description="the standing form when `changed`",
                              examples=["warning"])


# Reading ------------------------------------------------------------------------------------

def _scope(request, code: str) -> Organization:
    """The organization of a list: 404 unless the caller sees it, 403 unless they may read its
    cases."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    require(request.user, VIEW_INSPECTION, org)
    return org


def _subtree(queryset, org: Organization, *fields: str):
    low, high = subtree_range(org.path)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__gte": low, f"{name}__lt": high})
    return queryset.filter(condition)


def _inspection(request, code: str) -> Inspection:
    """An inspection the caller sees the conducting organization of (else 404), once they may
    read its case there (else 403)."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user, Capability.VIEW_ORGS), code=code)
    require(request.user, VIEW_INSPECTION, inspection.org)
    return queries.inspections_for(request.user).get(pk=inspection.pk)


def _discipline(request, code: str) -> Discipline:
    """A decision whose subject the caller sees (else 404), once they may read its case there
    (else 403)."""
    discipline = get_object_or_404(
        Discipline.objects.visible_to(request.user, Capability.VIEW_ORGS)
        .select_related("org", "member__cell"), code=code)
    require(request.user, VIEW_INSPECTION, discipline.org or discipline.member.cell)
    return queries.disciplines_for(request.user).get(pk=discipline.pk)


def _inspection_out(inspection: Inspection) -> dict:
    return {"code": inspection.code, "kind": inspection.kind, "org": inspection.org.code,
            **{name: getattr(inspection, name) for name in (
                "by_body", "start_on", "end_on", "title", "decision_no", "subject_count",
                "concluded_count")}}


def _subject_out(subject: InspectionSubject, committee: set[int]) -> dict:
    return {"id": subject.pk, "org_code": subject.org.code if subject.org_id else None,
            "member_code": subject.member.member_code if subject.member_id else None,
            "name": subject.org.name if subject.org_id else subject.member.full_name,
            "committee_member": subject.pk in committee,
            **{name: getattr(subject, name) for name in (
                "conclusion", "concluded_on", "conclusion_no", "conclusion_doc_on",
                "follow_up", "follow_up_due", "follow_up_done_on")},
            "version": version_of(subject)}


def _inspection_detail(request, code: str, response: HttpResponse) -> dict:
    inspection = _inspection(request, code)
    services.record_case_read(inspection, reader=request.user, channel=CaseReadChannel.API)
    send_version(response, inspection)
    subjects = list(queries.subjects_of(inspection))
    for subject in subjects:
        subject.inspection = inspection
    committee = queries.committee_subjects(subjects)
    item = inspection.programme_item
    return {**_inspection_out(inspection), "note": inspection.note,
            "programme": item.programme.title if item else None,
            "programme_id": item.programme_id if item else None,
            "programme_item": item.pk if item else None,
            "subjects": [_subject_out(subject, committee) for subject in subjects]}


def _programme(request, pk: int) -> Programme:
    """A programme the caller sees the organization of (else 404), once they may read its
    cases there (else 403)."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user, Capability.VIEW_ORGS).select_related("org"),
        pk=pk)
    require(request.user, VIEW_INSPECTION, programme.org)
    return queries.programmes_for(request.user).get(pk=programme.pk)


def _programme_out(programme: Programme) -> dict:
    return {"org": programme.org.code, **{name: getattr(programme, name) for name in (
        "id", "by_body", "year", "term_from", "term_to", "title", "item_count")}}


def _programme_detail(request, pk: int, response: HttpResponse) -> dict:
    programme = _programme(request, pk)
    send_version(response, programme)
    items = [{"subject_org_code": item.subject_org.code if item.subject_org_id else None,
              "inspections": [inspection.code for inspection in item.carried_out],
              **{name: getattr(item, name) for name in (
                  "id", "kind", "content", "subject", "planned_from", "planned_to")}}
             for item in queries.programme_items(programme, request.user)]
    return {**_programme_out(programme), "note": programme.note, "items": items}


def _discipline_out(discipline: Discipline) -> dict:
    return {"code": discipline.code,
            "org_code": discipline.org.code if discipline.org_id else None,
            "member_code": discipline.member.member_code if discipline.member_id else None,
            "name": discipline.org.name if discipline.org_id else discipline.member.full_name,
            "standing_form": discipline.standing_form,
            "decided_by": discipline.decided_by.code,
            # only an inspection the reader may open (queries.disciplines_for)
            "inspection_code": discipline.proposed_by,
            **{name: getattr(discipline, name) for name in (
                "form", "violation_on", "decided_on", "decision_no", "by_body", "effective_on",
                "appealed_on", "appeal_outcome", "appeal_decided_on", "appeal_form")}}


def _discipline_detail(request, code: str, response: HttpResponse) -> dict:
    discipline = _discipline(request, code)
    services.record_case_read(discipline, reader=request.user, channel=CaseReadChannel.API)
    send_version(response, discipline)
    return {**_discipline_out(discipline), "note": discipline.note}


def _page(rows, offset: int, limit: int, out) -> dict:
    count = rows.count()
    return {"count": count, "items": [out(row) for row in rows[offset:offset + limit]],
            "next": offset + limit if count > offset + limit else None}


@router.get("/programmes", response=ProgrammePage)
def list_programmes(request, filters: Query[ProgrammeFilters]):
    """The inspection and supervision programmes of the committees of `org`'s subtree, newest
    first."""
    org = _scope(request, filters.org)
    rows = _subtree(queries.programmes_for(request.user), org, "org__path")
    if filters.year:
        rows = rows.filter(Q(year=filters.year)
                           | Q(term_from__lte=filters.year, term_to__gte=filters.year))
    if filters.term is not None:
        rows = rows.filter(year__isnull=filters.term)
    return _page(rows.order_by("-pk"), filters.offset, filters.limit, _programme_out)


@router.get("/programmes/{programme_id}", response=ProgrammeDetailOut)
def get_programme(request, programme_id: record_id(), response: HttpResponse):
    """One programme with its items (what, whom, when) and the inspections opened under
    each."""
    return _programme_detail(request, programme_id, response)


@router.get("/inspections", response=InspectionPage)
def list_inspections(request, filters: Query[InspectionFilters]):
    """The inspections and supervisions conducted in `org`'s subtree, newest first."""
    org = _scope(request, filters.org)
    rows = _subtree(queries.inspections_for(request.user), org, "org__path")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.year:
        rows = rows.filter(start_on__year=filters.year)
    return _page(rows.order_by("-start_on", "-pk"), filters.offset, filters.limit,
                 _inspection_out)


def _follow_up_out(subject: InspectionSubject) -> dict:
    return {"inspection_code": subject.inspection.code, "subject_id": subject.pk,
            "org_code": subject.org.code if subject.org_id else None,
            "member_code": subject.member.member_code if subject.member_id else None,
            "name": subject.org.name if subject.org_id else subject.member.full_name,
            "overdue": (subject.follow_up_done_on is None
                        and subject.follow_up_due < timezone.localdate()),
            **{name: getattr(subject, name) for name in (
                "follow_up", "follow_up_due", "follow_up_done_on")}}


@router.get("/follow-ups", response=FollowUpPage)
def list_follow_ups(request, filters: Query[FollowUpFilters]):
    """What the conclusions asked the subjects of `org`'s subtree's inspections to put right,
    soonest due day first."""
    org = _scope(request, filters.org)
    rows = _subtree(queries.follow_ups_for(request.user), org, "inspection__org__path")
    if filters.done is not None:
        rows = rows.filter(follow_up_done_on__isnull=not filters.done)
    return _page(rows.order_by("follow_up_due", "pk"), filters.offset, filters.limit,
                 _follow_up_out)


@router.get("/inspections/{code}", response=InspectionDetailOut)
def get_inspection(request, code: InspectionCode, response: HttpResponse):
    """One inspection with its subjects and their conclusions (the read is logged); its `ETag`
    is its version."""
    return _inspection_detail(request, code, response)


@router.get("/discipline", response=DisciplinePage)
def list_disciplines(request, filters: Query[DisciplineFilters]):
    """The discipline decisions on the organizations and members of `org`'s subtree, newest
    first."""
    org = _scope(request, filters.org)
    rows = _subtree(queries.disciplines_for(request.user), org, "org__path",
                    "member__cell__path")
    if filters.form:
        rows = rows.filter(form=filters.form)
    if filters.year:
        rows = rows.filter(decided_on__year=filters.year)
    return _page(rows.order_by("-decided_on", "-pk"), filters.offset, filters.limit,
                 _discipline_out)


@router.get("/discipline/{code}", response=DisciplineDetailOut)
def get_discipline(request, code: DisciplineCode, response: HttpResponse):
    """One discipline decision with its appeal (the read is logged); its `ETag` is the version
    to send in `If-Match` with the appeal."""
    return _discipline_detail(request, code, response)


# Writing ------------------------------------------------------------------------------------

def _managing(request, inspection: Inspection) -> None:
    require(request.user, MANAGE_INSPECTION, inspection.org)


@router.post("/programmes", response={201: ProgrammeDetailOut})
def create_programme(request, payload: ProgrammeIn, response: HttpResponse):
    """Make `org_code`'s `by_body` programme for a `year`, or for the term `term_from`–
    `term_to` (exactly one of the two)."""
    org = in_reach(request.user, Organization, payload.org_code, "org_code")
    require(request.user, MANAGE_INSPECTION, org)
    programme = services.create_programme(
        actor=request.user, org=org, by_body=payload.by_body, title=payload.title,
        year=payload.year, term_from=payload.term_from, term_to=payload.term_to,
        note=payload.note)
    return Status(201, _programme_detail(request, programme.pk, response))


@router.post("/programmes/{programme_id}/items", response={201: ProgrammeDetailOut})
def add_programme_item(request, programme_id: record_id(), payload: ProgrammeItemIn,
                       response: HttpResponse):
    """Add an item to the programme: what (`kind`, `content`), whom (`subject_text`, and
    `subject_org_code` for an organization under the programme's), when (by default all of its
    year or term)."""
    programme = _programme(request, programme_id)
    require(request.user, MANAGE_INSPECTION, programme.org)
    services.add_programme_item(
        programme, actor=request.user, kind=payload.kind, content=payload.content,
        subject_text=payload.subject_text,
        subject_org=in_reach(request.user, Organization, payload.subject_org_code,
                             "subject_org_code"),
        planned_from=payload.planned_from, planned_to=payload.planned_to)
    return Status(201, _programme_detail(request, programme_id, response))


def _programme_item(request, item_id: int | None) -> ProgrammeItem | None:
    """A programme's item named in a body, among those the caller may read (else a 422 on
    `programme_item`: an unknown id and one out of sight get the same answer)."""
    if item_id is None:
        return None
    item = ProgrammeItem.objects.visible_to(request.user).filter(pk=item_id).first()
    if item is None:
        raise RuleViolation(_("Không có nội dung chương trình số %(id)s trong phạm vi của bạn.")
                            % {"id": item_id}, field="programme_item")
    return item


@router.post("/inspections", response={201: InspectionDetailOut})
def create_inspection(request, payload: InspectionIn, response: HttpResponse):
    """Open an inspection or supervision conducted by `org_code`'s `by_body`: under a
    programme's item of the same organization (`programme_item`), or outside any."""
    org = in_reach(request.user, Organization, payload.org_code, "org_code")
    require(request.user, MANAGE_INSPECTION, org)
    inspection = services.open_inspection(services.NewInspection(
        code=payload.code, kind=payload.kind, org=org, by_body=payload.by_body,
        start_on=payload.start_on, end_on=payload.end_on, title=payload.title,
        decision_no=payload.decision_no, note=payload.note,
        programme_item=_programme_item(request, payload.programme_item)), actor=request.user)
    return Status(201, _inspection_detail(request, inspection.code, response))


@router.post("/inspections/{code}/close", response={200: InspectionDetailOut, **IF_MATCH})
def close_inspection(request, code: InspectionCode, payload: CloseIn, response: HttpResponse,
                     if_match_header: IfMatch = None):
    """Close the inspection on `end_on` (once); `If-Match`: its `ETag`."""
    inspection = _inspection(request, code)
    _managing(request, inspection)
    services.close_inspection(inspection, actor=request.user, end_on=payload.end_on,
                              version=if_match(if_match_header, required=False))
    return _inspection_detail(request, code, response)


@router.post("/inspections/{code}/subjects", response={201: InspectionDetailOut})
def add_inspection_subject(request, code: InspectionCode, payload: InspectionSubjectIn,
                           response: HttpResponse):
    """Add a subject: an organization (`org_code`) or a member (`member_code`)."""
    inspection = _inspection(request, code)
    _managing(request, inspection)
    services.add_subject(
        inspection, actor=request.user,
        org=in_reach(request.user, Organization, payload.org_code, "org_code"),
        member=in_reach(request.user, Member, payload.member_code, "member_code"))
    return Status(201, _inspection_detail(request, code, response))


def _subject(inspection: Inspection, subject_id: int) -> InspectionSubject:
    return get_object_or_404(InspectionSubject, pk=subject_id, inspection=inspection)


@router.post("/inspections/{code}/subjects/{subject_id}/remove", response=InspectionDetailOut)
def remove_inspection_subject(request, code: InspectionCode, subject_id: record_id(),
                              response: HttpResponse):
    """Take a subject off the inspection (refused once it is concluded)."""
    inspection = _inspection(request, code)
    _managing(request, inspection)
    services.remove_subject(_subject(inspection, subject_id), actor=request.user)
    return _inspection_detail(request, code, response)


@router.post("/inspections/{code}/subjects/{subject_id}/conclusion",
             response={200: InspectionDetailOut, **IF_MATCH})
def record_inspection_conclusion(request, code: InspectionCode, subject_id: record_id(),
                                 payload: ConclusionIn, response: HttpResponse,
                                 if_match_header: IfMatch = None):
    """The conclusion on one subject, with its document and the follow-up it asks for;
    `If-Match`: the subject's `version`."""
    inspection = _inspection(request, code)
    _managing(request, inspection)
    document = (services.ConclusionDocument(payload.conclusion_no, payload.conclusion_doc_on)
                if payload.conclusion_no or payload.conclusion_doc_on else None)
    services.record_conclusion(
        _subject(inspection, subject_id), actor=request.user, conclusion=payload.conclusion,
        concluded_on=payload.concluded_on, follow_up=payload.follow_up,
        follow_up_due=payload.follow_up_due, document=document,
        version=if_match(if_match_header, required=False))
    return _inspection_detail(request, code, response)


@router.post("/inspections/{code}/subjects/{subject_id}/follow-up",
             response={200: InspectionDetailOut, **IF_MATCH})
def record_inspection_follow_up_done(request, code: InspectionCode, subject_id: record_id(),
                                     payload: FollowUpDoneIn, response: HttpResponse,
                                     if_match_header: IfMatch = None):
    """The day the follow-up a subject's conclusion asked for was done; `If-Match`: the
    subject's `version`."""
    inspection = _inspection(request, code)
    _managing(request, inspection)
    services.record_follow_up_done(_subject(inspection, subject_id), actor=request.user,
                                   done_on=payload.done_on,
                                   version=if_match(if_match_header, required=False))
    return _inspection_detail(request, code, response)


@router.post("/discipline", response={201: DisciplineDetailOut})
def create_discipline(request, payload: DisciplineIn, response: HttpResponse):
    """Record a discipline decision; its effect (expulsion, dismissal, dissolution) is applied
    on the day it takes effect, in the same step."""
    # the capability first: a caller without it learns nothing of which codes exist
    require(request.user, MANAGE_INSPECTION)
    org = in_reach(request.user, Organization, payload.org_code, "org_code")
    member = in_reach(request.user, Member, payload.member_code, "member_code")
    if org is None and member is None:
        raise RuleViolation(_("Chọn đúng một đối tượng: tổ chức đảng hoặc đảng viên."),
                            field="member_code")
    require(request.user, MANAGE_INSPECTION, org or member.cell)
    # the deciding level within the caller's reach (the service requires managing it)
    decided_by = in_reach(request.user, Organization, payload.decided_by, "decided_by")
    if decided_by is None:
        raise RuleViolation(_("Cần cấp quyết định."), field="decided_by")
    inspection = None
    if payload.inspection_code:
        inspection = queries.inspections_for(request.user).filter(
            code=payload.inspection_code).first()
        if inspection is None:
            raise RuleViolation(_("Không có cuộc kiểm tra mã %(code)s trong phạm vi của bạn.")
                                % {"code": payload.inspection_code}, field="inspection_code")
    discipline = services.decide_discipline(services.NewDiscipline(
        code=payload.code, org=org, member=member, form=payload.form,
        violation_on=payload.violation_on, decided_on=payload.decided_on,
        decision_no=payload.decision_no, decided_by=decided_by, by_body=payload.by_body,
        effective_on=payload.effective_on, inspection=inspection, note=payload.note),
        actor=request.user, exception=decision_of(payload.exception))
    return Status(201, _discipline_detail(request, discipline.code, response))


def _acting(request, code: str) -> Discipline:
    discipline = _discipline(request, code)
    require(request.user, MANAGE_INSPECTION, discipline.org or discipline.member.cell)
    return discipline


@router.post("/discipline/{code}/appeal", response={200: DisciplineDetailOut, **IF_MATCH})
def record_discipline_appeal(request, code: DisciplineCode, payload: AppealIn,
                             response: HttpResponse, if_match_header: IfMatch = None):
    """The subject appealed on `appealed_on`, within 30 working days of receiving the decision
    (`received_on`); the decision applies meanwhile."""
    services.record_appeal(_acting(request, code), actor=request.user,
                           appealed_on=payload.appealed_on, received_on=payload.received_on,
                           version=if_match(if_match_header, required=False))
    return _discipline_detail(request, code, response)


@router.post("/discipline/{code}/appeal-decision",
             response={200: DisciplineDetailOut, **IF_MATCH})
def decide_discipline_appeal(request, code: DisciplineCode, payload: AppealDecisionIn,
                             response: HttpResponse, if_match_header: IfMatch = None):
    """The appeal's outcome: `upheld`, `changed` (to `form`) or `annulled` (void from the
    start: an annulled expulsion leaves no `expel` event)."""
    services.decide_appeal(_acting(request, code), actor=request.user,
                           outcome=payload.outcome, decided_on=payload.decided_on,
                           form=payload.form or None,
                           version=if_match(if_match_header, required=False))
    return _discipline_detail(request, code, response)
