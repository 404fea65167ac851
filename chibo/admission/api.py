"""API of admission: the candidates of a subtree (paged, by step, overdue), one candidate's
file (checklist, deadlines, findings; its `ETag`), a new candidate (or a readmission from a
former member's file), one POST per step of the file, and the cells without admission.

Same scoping as the pages: a candidate's file is read with `member.view` (outside: 404), a step
needs `admission.manage` on the cell (403); input the rules refuse is a 422 naming the field,
and a step that would break a finding rule is refused (422, code `finding`) unless the body
gives the `exception` that allowed it. A step sent with `If-Match` (the `ETag` of the file) is
refused (412, nothing written) when the file changed since it was read.
"""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from chibo.accounts.policy import Capability, require
from chibo.admission import lists, queries, services
from chibo.admission.capabilities import MANAGE_ADMISSION
from chibo.admission.models import Candidate
from chibo.core.concurrency import IF_MATCH, IfMatch, if_match, send_version
from chibo.core.exceptions import RuleViolation
from chibo.core.validation import (
    api_code,
    api_date,
    api_limit,
    api_offset,
    api_text,
    column_length,
)
from chibo.findings.schemas import ExceptionIn, decision_of
from chibo.members.choices import Gender, ProfessionalLevel, TheoryLevel
from chibo.members.models import Member
from chibo.organizations.models import Organization

router = Router(tags=["admission"])

CandidateCode = api_code(column_length(Candidate, "code"))
Code = api_code(64)


class ItemOut(Schema):
    key: str
    label: str
    state: str
    detail: str


class CandidateDeadlineOut(Schema):
    key: str
    label: str
    due: date
    working_days_left: int
    overdue: bool


class FindingOut(Schema):
    key: str
    detail: str
    rule: str
    excepted: bool


class CandidateOut(Schema):
    code: str
    full_name: str
    gender: str
    birth_date: date
    cell: str
    step: str
    outcome: str
    listed_on: date
    awareness_course_on: date | None
    background_checked_on: date | None
    sponsors: list[str]
    youth_union_sponsor: bool
    cell_resolution_on: date | None
    cell_votes_for: int | None
    cell_votes_total: int | None
    committee_resolution_on: date | None
    decision_on: date | None
    decision_no: str
    decided_by: str | None
    ceremony_on: date | None
    outcome_on: date | None
    member_code: str | None
    missing: list[str]
    recognition_due: bool
    deadlines: list[CandidateDeadlineOut]


class CandidateDetailOut(CandidateOut):
    checklist: list[ItemOut]
    findings: list[FindingOut]


class CandidatePage(Schema):
    count: int
    items: list[CandidateOut]
    next: int | None


class CandidateFilters(Schema):
    org: Code
    step: queries.Step | None = None
    overdue: bool | None = None
    recognition_due: bool | None = None
    open: bool = Field(True, description="only the files still worked on (to the end of "
                                         "probation)")
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class CandidateIn(Schema):
    org_code: Code = Field(description="the cell that proposes the candidate")
    code: CandidateCode
    listed_on: api_date()
    full_name: api_text(Candidate, "full_name") = ""
    gender: Gender | None = None
    birth_date: api_date() | None = None
    former_member_code: Code | None = Field(
        None, description="a readmission: the former member's file gives the person")
    ethnicity: api_text(Candidate, "ethnicity") = ""
    religion: api_text(Candidate, "religion") = ""
    national_id: api_text(Candidate, "national_id") = ""
    phone: api_text(Candidate, "phone") = ""
    email: api_text(Candidate, "email") = ""
    hometown: api_text(Candidate, "hometown") = ""
    residence: api_text(Candidate, "residence") = ""
    occupation: api_text(Candidate, "occupation") = ""
    general_education: api_text(Candidate, "general_education") = ""
    professional_level: ProfessionalLevel | None = None
    theory_level: TheoryLevel | None = None


PROFILE = ("ethnicity", "religion", "national_id", "phone", "email", "hometown", "residence",
           "occupation", "general_education", "professional_level", "theory_level")


class DayIn(Schema):
    day: api_date()
    exception: ExceptionIn | None = None


class OutcomeIn(Schema):
    day: api_date()


class SponsorsIn(Schema):
    sponsor1: Code | None = Field(None, description="a member code")
    sponsor2: Code | None = Field(None, description="a member code")
    youth_union: bool = False
    exception: ExceptionIn | None = None


class CellResolutionIn(Schema):
    day: api_date()
    votes_for: int = Field(ge=0, le=10_000)
    votes_total: int = Field(ge=1, le=10_000)
    age_exception_no: api_text(Candidate, "age_exception_no") = ""
    exception: ExceptionIn | None = None


class DecisionIn(Schema):
    day: api_date()
    decision_no: api_text(Candidate, "decision_no", required=True)
    decided_by: Code = Field(description="the deciding committee's code (above the cell)")
    member_code: Code = Field(description="the new member's code; a readmission: the former "
                                          "member's")
    readmission: bool = False
    exception: ExceptionIn | None = None


class CeremonyIn(Schema):
    day: api_date()
    extension_no: api_text(Candidate, "ceremony_extension_no") = ""
    exception: ExceptionIn | None = None


class CellFilters(Schema):
    org: Code
    years: int = Field(1, ge=1, le=3, description="no admission in at least these years "
                                                  "(3: three or more)")


class CellOut(Schema):
    code: str
    name: str
    years: int


def _visible(request):
    return Candidate.objects.visible_to(request.user, Capability.VIEW_MEMBERS).select_related(
        "cell", "sponsor1", "sponsor2", "decided_by", "member")


def _candidate(request, code: str) -> Candidate:
    return get_object_or_404(_visible(request), code=code)


def _out(row: lists.CandidateRow) -> dict:
    c = row.candidate
    return {
        **{name: getattr(c, name) for name in (
            "code", "full_name", "gender", "birth_date", "outcome", "listed_on",
            "awareness_course_on", "background_checked_on", "youth_union_sponsor",
            "cell_resolution_on", "cell_votes_for", "cell_votes_total",
            "committee_resolution_on", "decision_on", "decision_no", "ceremony_on",
            "outcome_on")},
        "cell": c.cell.code, "step": row.step.value,
        "sponsors": [s.member_code for s in (c.sponsor1, c.sponsor2) if s is not None],
        "decided_by": c.decided_by.code if c.decided_by else None,
        "member_code": c.member.member_code if c.member else None,
        "missing": [item.key for item in row.missing], "recognition_due": row.recognition_due,
        "deadlines": [{"key": d.key, "label": d.label, "due": d.due,
                       "working_days_left": d.left, "overdue": d.overdue}
                      for d in row.deadlines]}


def _detail(request, candidate: Candidate, response: HttpResponse) -> dict:
    candidate = _candidate(request, candidate.code)  # as stored, with what the rows read
    send_version(response, candidate)
    today = timezone.localdate()
    row = lists.candidate_rows([candidate], today)[0]
    findings = queries.findings_of(candidate, today)
    return {**_out(row),
            "checklist": [vars(item) for item in queries.checklist(candidate, today)],
            "findings": [{"key": f.finding.key, "detail": f.finding.detail,
                          "rule": f.finding.rule, "excepted": f.excepted} for f in findings]}


@router.get("", response=CandidatePage)
def list_candidates(request, filters: Query[CandidateFilters]):
    """The candidates of `org`'s subtree in the caller's scope, soonest deadline first."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=filters.org)
    require(request.user, Capability.VIEW_MEMBERS, org)
    rows = lists.candidate_rows(lists.subtree_candidates(request.user, org),
                                timezone.localdate())
    if filters.open:
        rows = [row for row in rows if row.step in queries.OPEN_STEPS]
    if filters.step is not None:
        rows = [row for row in rows if row.step == filters.step]
    if filters.overdue is not None:
        rows = [row for row in rows if row.overdue == filters.overdue]
    if filters.recognition_due is not None:
        rows = [row for row in rows if row.recognition_due == filters.recognition_due]
    rows.sort(key=lists.CANDIDATES.sorts[0].python)
    offset, limit = filters.offset, filters.limit
    return {"count": len(rows), "items": [_out(row) for row in rows[offset:offset + limit]],
            "next": offset + limit if len(rows) > offset + limit else None}


@router.get("/cells-without-admission", response=list[CellOut])
def cells_without_admission(request, filters: Query[CellFilters]):
    """The cells of `org`'s subtree with active members and no admission in the last `years`
    years, as the metric `cells.no_admission` counts them."""
    scope = get_object_or_404(Organization.objects.visible_to(request.user), code=filters.org)
    require(request.user, Capability.VIEW_STATS, scope)
    return [{"code": row.cell.code, "name": row.cell.name, "years": row.years}
            for row in lists.no_admission_rows(scope, timezone.localdate())
            if row.years >= filters.years]


@router.get("/{code}", response=CandidateDetailOut)
def get_candidate(request, code: CandidateCode, response: HttpResponse):
    """A candidate's file; its `ETag` is the version to send in `If-Match` with a step."""
    return _detail(request, _candidate(request, code), response)


@router.post("", response={201: CandidateDetailOut})
def create_candidate(request, payload: CandidateIn, response: HttpResponse):
    """Put someone on a cell's list of candidates; with `former_member_code`, a readmission
    from that former member's file."""
    cell = Organization.objects.visible_to(request.user).filter(code=payload.org_code).first()
    if cell is None:
        raise RuleViolation(_("Không có chi bộ mã %(code)s trong phạm vi của bạn.")
                            % {"code": payload.org_code}, field="org_code")
    require(request.user, MANAGE_ADMISSION, cell)
    former = (queries.former_by_code(request.user, payload.former_member_code,
                                     "former_member_code")
              if payload.former_member_code else None)
    candidate = services.list_candidate(services.NewCandidate(
        code=payload.code, cell=cell, listed_on=payload.listed_on,
        full_name=payload.full_name, gender=payload.gender or "",
        birth_date=payload.birth_date, former=former,
        profile={name: getattr(payload, name) or "" for name in PROFILE}), actor=request.user)
    return Status(201, _detail(request, candidate, response))


def _acting(request, code: str, if_match_header) -> tuple[Candidate, dict]:
    """The candidate, once the caller may manage its cell, and what every step passes."""
    candidate = _candidate(request, code)
    require(request.user, MANAGE_ADMISSION, candidate.cell)
    return candidate, {"actor": request.user,
                       "version": if_match(if_match_header, required=False)}


STEP = {200: CandidateDetailOut, **IF_MATCH}


def _on_day(service, request, code: str, payload: DayIn | OutcomeIn, response: HttpResponse,
            if_match_header) -> dict:
    """A step that records a day (with the exception that allowed it, for those that take
    one) through `service`, and the file as it then stands."""
    candidate, common = _acting(request, code, if_match_header)
    if isinstance(payload, DayIn):
        common["exception"] = decision_of(payload.exception)
    service(candidate, payload.day, **common)
    return _detail(request, candidate, response)


@router.post("/{code}/certificate", response=STEP)
def record_certificate(request, code: CandidateCode, payload: DayIn, response: HttpResponse,
                       if_match_header: IfMatch = None):
    """The awareness course's certificate (valid 5 years)."""
    return _on_day(services.record_certificate, request, code, payload, response,
                   if_match_header)


def _sponsor(candidate: Candidate, code: str | None, field: str) -> Member | None:
    """A sponsor among the official members of the candidate's grassroots organization (an
    unknown code and one elsewhere get the same answer)."""
    if not code:
        return None
    found = {m.member_code: m for m in queries.possible_sponsors(candidate)}
    if code not in found:
        raise RuleViolation(_("%(code)s không phải đảng viên chính thức của đảng bộ cơ sở.")
                            % {"code": code}, field=field)
    return found[code]


@router.post("/{code}/sponsors", response=STEP)
def set_sponsors(request, code: CandidateCode, payload: SponsorsIn, response: HttpResponse,
                 if_match_header: IfMatch = None):
    """The two sponsors (member codes), or the Youth Union in place of one."""
    candidate, common = _acting(request, code, if_match_header)
    services.set_sponsors(candidate, _sponsor(candidate, payload.sponsor1, "sponsor1"),
                          _sponsor(candidate, payload.sponsor2, "sponsor2"),
                          payload.youth_union, exception=decision_of(payload.exception),
                          **common)
    return _detail(request, candidate, response)


@router.post("/{code}/background", response=STEP)
def record_background_check(request, code: CandidateCode, payload: DayIn,
                            response: HttpResponse, if_match_header: IfMatch = None):
    return _on_day(services.record_background_check, request, code, payload, response,
                   if_match_header)


@router.post("/{code}/cell-resolution", response=STEP)
def record_cell_resolution(request, code: CandidateCode, payload: CellResolutionIn,
                           response: HttpResponse, if_match_header: IfMatch = None):
    """The cell's resolution with its vote (two thirds of the official members)."""
    candidate, common = _acting(request, code, if_match_header)
    services.record_cell_resolution(candidate, payload.day, payload.votes_for,
                                    payload.votes_total,
                                    age_exception_no=payload.age_exception_no,
                                    exception=decision_of(payload.exception), **common)
    return _detail(request, candidate, response)


@router.post("/{code}/committee-resolution", response=STEP)
def record_committee_resolution(request, code: CandidateCode, payload: DayIn,
                                response: HttpResponse, if_match_header: IfMatch = None):
    return _on_day(services.record_committee_resolution, request, code, payload, response,
                   if_match_header)


@router.post("/{code}/decision", response=STEP)
def decide_admission(request, code: CandidateCode, payload: DecisionIn,
                     response: HttpResponse, if_match_header: IfMatch = None):
    """The decision: the probationary member is created in the cell (or, with `readmission`,
    the former member `member_code` readmitted)."""
    candidate, common = _acting(request, code, if_match_header)
    committees = {org.code: org for org in queries.deciding_committees(candidate.cell)}
    if payload.decided_by not in committees:
        raise RuleViolation(_("%(code)s không phải cấp ủy cấp trên của chi bộ.")
                            % {"code": payload.decided_by}, field="decided_by")
    former = (queries.former_by_code(request.user, payload.member_code, "member_code")
              if payload.readmission else None)
    services.decide_admission(candidate, payload.day, decision_no=payload.decision_no,
                              decided_by=committees[payload.decided_by],
                              member_code=payload.member_code, former=former,
                              exception=decision_of(payload.exception), **common)
    return _detail(request, candidate, response)


@router.post("/{code}/ceremony", response=STEP)
def record_ceremony(request, code: CandidateCode, payload: CeremonyIn, response: HttpResponse,
                    if_match_header: IfMatch = None):
    """The ceremony; later than 30 working days after the decision needs `extension_no`."""
    candidate, common = _acting(request, code, if_match_header)
    services.record_ceremony(candidate, payload.day, extension_no=payload.extension_no,
                             exception=decision_of(payload.exception), **common)
    return _detail(request, candidate, response)


@router.post("/{code}/withdraw", response=STEP)
def withdraw_candidate(request, code: CandidateCode, payload: OutcomeIn,
                       response: HttpResponse, if_match_header: IfMatch = None):
    return _on_day(services.withdraw, request, code, payload, response, if_match_header)


@router.post("/{code}/reject", response=STEP)
def reject_candidate(request, code: CandidateCode, payload: OutcomeIn,
                     response: HttpResponse, if_match_header: IfMatch = None):
    return _on_day(services.reject, request, code, payload, response, if_match_header)

