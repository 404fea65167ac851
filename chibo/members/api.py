"""API of member files: list with filters, detail, admission, profile, lifecycle events."""

from dataclasses import fields
from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import create_model

from chibo.accounts.policy import Capability, require
from chibo.core.concurrency import IF_MATCH, IF_MATCH_REQUIRED, IfMatch, if_match, send_version
from chibo.core.exceptions import RuleViolation
from chibo.core.validation import (
    api_code,
    api_date,
    api_limit,
    api_query_text,
    api_text,
    validate_email,
    validate_phone,
)
from chibo.findings.schemas import ExceptionIn, decision_of
from chibo.members import queries, services
from chibo.members.choices import EventKindChoices, Gender, ProfessionalLevel, TheoryLevel
from chibo.members.models import FileReadChannel, Member, MemberEvent
from chibo.organizations.models import Organization

router = Router(tags=["members"])


class MemberOut(Schema):
    member_code: str
    full_name: str
    gender: str
    birth_date: date
    ethnicity: str
    religion: str
    national_id: str
    general_education: str
    professional_level: str
    theory_level: str
    admitted_on: date
    official_on: date | None
    status: str
    is_exempt: bool
    cell: str
    ended_on: date | None


class MemberPage(Schema):
    count: int
    items: list[MemberOut]
    next: str | None


MemberCode = api_code(64)
QueryText = api_query_text()


def _text(field: str, *validators, required: bool = False):
    """A field of the member file, with the rules of chibo.core.validation."""
    return api_text(Member, field, *validators, required=required)


# The list filters are queries.MemberFilter's fields (one declaration), plus the organization
# and paging.
MemberFilters = create_model(
    "MemberFilters", __base__=Schema, org=(api_code() | None, None), after=(QueryText, ""),
    limit=(api_limit(500), 50),
    **{f.name: (QueryText if f.type in (str, "str") else f.type, f.default)
       for f in fields(queries.MemberFilter) if f.name != "org_path"},
)


class MemberIn(Schema):
    member_code: MemberCode
    full_name: _text("full_name", required=True)
    gender: Gender
    birth_date: api_date()
    admitted_on: api_date()
    cell: api_code()
    official_on: api_date() | None = None
    org_since: api_date() | None = None
    ethnicity: _text("ethnicity") = "Kinh"
    religion: _text("religion") = ""
    national_id: _text("national_id") = ""
    general_education: _text("general_education") = ""
    professional_level: ProfessionalLevel | None = None
    theory_level: TheoryLevel | None = None
    age_exception: _text("age_exception") = ""
    # the decision that allowed an admission breaking a finding rule (age, probation)
    exception: ExceptionIn | None = None


class MemberPatch(Schema):
    full_name: _text("full_name") | None = None
    gender: Gender | None = None
    birth_date: api_date() | None = None
    ethnicity: _text("ethnicity") | None = None
    religion: _text("religion") | None = None
    national_id: _text("national_id") | None = None
    phone: _text("phone", validate_phone) | None = None
    email: _text("email", validate_email) | None = None
    hometown: _text("hometown") | None = None
    residence: _text("residence") | None = None
    occupation: _text("occupation") | None = None
    workplace: _text("workplace") | None = None
    card_number: _text("card_number") | None = None
    general_education: _text("general_education") | None = None
    professional_level: ProfessionalLevel | None = None
    theory_level: TheoryLevel | None = None
    notes: _text("notes") | None = None
    exception: ExceptionIn | None = None  # for a birth date that puts the admission outside the age


class EventIn(Schema):
    event: EventKindChoices
    effective_on: api_date()
    org_code: api_code() | None = None
    decision_no: api_text(MemberEvent, "decision_no") = ""
    note: api_text(MemberEvent, "note") = ""
    # the decision that allowed an event breaking a finding rule (probation, readmission, age)
    exception: ExceptionIn | None = None


class EventOut(Schema):
    member_code: str
    event: str
    effective_on: date
    org_code: str | None
    status: str


def _out(member: Member, national_id=None) -> dict:
    """The member as the API gives it; `national_id` shows the ID (a list's masking,
    `queries.national_ids_for`); a single record shows it in full, and its read is logged."""
    out = {name: getattr(member, name) for name in MemberOut.model_fields if name != "cell"}
    if national_id is not None:
        out["national_id"] = national_id(member)
    return {**out, "cell": member.cell.code}


def _member(request, code: str) -> Member:
    return get_object_or_404(queries.visible_members(request.user).select_related("cell"),
                             member_code=code)


def _cell(request, code: str | None, field: str, capability=Capability.MANAGE_MEMBERS):
    if not code:
        return None
    org = Organization.objects.visible_to(request.user, capability).filter(code=code).first()
    if org is None:
        raise RuleViolation(_("Không có chi bộ mã %(code)s trong phạm vi của bạn.")
                            % {"code": code}, field=field)
    return org


@router.get("", response=MemberPage)
def list_members(request, filters: Query[MemberFilters]):
    """Members in the caller's scope (of `org`'s subtree); `q` ignores diacritics."""
    org_path = None
    if filters.org:
        org = get_object_or_404(Organization.objects.visible_to(
            request.user, Capability.VIEW_MEMBERS), code=filters.org)
        org_path = org.path
    values = filters.dict(exclude={"org", "after", "limit"})
    members = queries.MemberFilter(org_path=org_path, **values).apply(
        Member.objects.visible_to(request.user, Capability.VIEW_MEMBERS), timezone.localdate())
    rows, cursor = queries.page_after(members, filters.after, max(1, min(filters.limit, 500)))
    shown = queries.national_ids_for(request.user)
    return {"count": members.count(), "items": [_out(m, shown) for m in rows],
            "next": cursor or None}


@router.get("/{member_code}", response=MemberOut)
def get_member(request, member_code: MemberCode, response: HttpResponse):
    """A member file; its `ETag` is the version to send back in `If-Match` to change it.
    Each read is logged (who read whose file: docs/security.md)."""
    member = _member(request, member_code)
    services.record_file_read(member, reader=request.user, channel=FileReadChannel.API)
    send_version(response, member)
    return _out(member)


@router.post("", response={201: MemberOut})
def admit_member(request, payload: MemberIn, response: HttpResponse):
    # Who may admit no one anywhere is refused as such (403); a cell outside the reach of one
    # who may is a 422 on the field, as an unknown code: the answer tells nothing of the tree.
    require(request.user, Capability.MANAGE_MEMBERS)
    cell = _cell(request, payload.cell, "cell")
    profile = payload.dict(include={"ethnicity", "religion", "national_id", "general_education",
                                    "professional_level", "theory_level", "age_exception"})
    profile = {k: v or "" for k, v in profile.items()}
    member = services.admit_member(services.NewMember(
        member_code=payload.member_code, full_name=payload.full_name, gender=payload.gender,
        birth_date=payload.birth_date, admitted_on=payload.admitted_on, cell=cell,
        official_on=payload.official_on, org_since=payload.org_since, profile=profile,
    ), actor=request.user, exception=decision_of(payload.exception))
    send_version(response, member)
    return Status(201, _out(member))


@router.patch("/{member_code}", response={200: MemberOut, **IF_MATCH_REQUIRED})
def update_member(request, member_code: MemberCode, payload: MemberPatch, response: HttpResponse,
                  if_match_header: IfMatch = None):
    """Correct the profile. Send `If-Match` with the file's `ETag`: without it the answer is 428,
    and 412 (nothing written) when the file has changed since it was read."""
    member = _member(request, member_code)
    require(request.user, Capability.MANAGE_MEMBERS, member.cell)  # 403 before 428 or 412
    versions = if_match(if_match_header, required=True)
    changes = {k: v if v is not None else ""
               for k, v in payload.dict(exclude_unset=True, exclude={"exception"}).items()}
    if "birth_date" in changes and not changes["birth_date"]:
        raise RuleViolation(_("Ngày sinh không được để trống."), field="birth_date")
    member = services.update_member(member, actor=request.user, version=versions,
                                    exception=decision_of(payload.exception), **changes)
    send_version(response, member)
    return _out(member)


@router.post("/{member_code}/events", response={201: EventOut, **IF_MATCH})
def record_event(request, member_code: MemberCode, payload: EventIn, response: HttpResponse,
                 if_match_header: IfMatch = None):
    """Record a lifecycle event. With `If-Match` (the file's `ETag`), refused (412) when the
    file has changed since it was read; the answer's `ETag` is the file's new version."""
    member = _member(request, member_code)
    org = _cell(request, payload.org_code, "org_code")
    event = services.record_event(member, actor=request.user, event=payload.event,
                                  effective_on=payload.effective_on, org=org,
                                  decision_no=payload.decision_no, note=payload.note,
                                  exception=decision_of(payload.exception),
                                  version=if_match(if_match_header, required=False))
    member.refresh_from_db()
    send_version(response, member)
    return Status(201, {"member_code": member.member_code, "event": event.event,
                        "effective_on": event.effective_on,
                        "org_code": event.org.code if event.org else None,
                        "status": member.status})
