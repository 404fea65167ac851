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
from chibo.findings.schemas import ExceptionIn, decision_of
from chibo.members import queries, services
from chibo.members.choices import EventKindChoices, Gender, ProfessionalLevel, TheoryLevel
from chibo.members.models import FileReadChannel, Member
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


# The list filters are queries.MemberFilter's fields (one declaration), plus the organization
# and paging.
MemberFilters = create_model(
    "MemberFilters", __base__=Schema, org=(str | None, None), after=(str, ""), limit=(int, 50),
    **{f.name: (f.type, f.default) for f in fields(queries.MemberFilter) if f.name != "org_path"},
)


class MemberIn(Schema):
    member_code: str
    full_name: str
    gender: Gender
    birth_date: date
    admitted_on: date
    cell: str
    official_on: date | None = None
    org_since: date | None = None
    ethnicity: str = "Kinh"
    religion: str = ""
    national_id: str = ""
    general_education: str = ""
    professional_level: ProfessionalLevel | None = None
    theory_level: TheoryLevel | None = None
    age_exception: str = ""
    # the decision that allowed an admission breaking a finding rule (age, probation)
    exception: ExceptionIn | None = None


class MemberPatch(Schema):
    full_name: str | None = None
    gender: Gender | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    religion: str | None = None
    national_id: str | None = None
    phone: str | None = None
    email: str | None = None
    hometown: str | None = None
    residence: str | None = None
    occupation: str | None = None
    workplace: str | None = None
    card_number: str | None = None
    general_education: str | None = None
    professional_level: ProfessionalLevel | None = None
    theory_level: TheoryLevel | None = None
    notes: str | None = None
    exception: ExceptionIn | None = None  # for a birth date that puts the admission outside the age


class EventIn(Schema):
    event: EventKindChoices
    effective_on: date
    org_code: str | None = None
    decision_no: str = ""
    note: str = ""
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
def get_member(request, member_code: str, response: HttpResponse):
    """A member file; its `ETag` is the version to send back in `If-Match` to change it.
    Each read is logged (who read whose file: docs/security.md)."""
    member = _member(request, member_code)
    services.record_file_read(member, reader=request.user, channel=FileReadChannel.API)
    send_version(response, member)
    return _out(member)


@router.post("", response={201: MemberOut})
def admit_member(request, payload: MemberIn, response: HttpResponse):
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
def update_member(request, member_code: str, payload: MemberPatch, response: HttpResponse,
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
def record_event(request, member_code: str, payload: EventIn, response: HttpResponse,
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
