"""API of cell meetings: list and detail in the caller's scope, scheduling, attendance, closing
in one step, guests, a member's notice of absence. Same scoping as the pages: outside the scope
is a 404, a forbidden action a 403, input the rules refuse a 422 naming the field."""

from datetime import date, time

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from chibo.accounts.policy import Capability, require
from chibo.core.concurrency import IF_MATCH, IfMatch, if_match, send_version
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.core.fields import ancestor_paths, subtree_range
from chibo.core.validation import (
    api_code,
    api_date,
    api_limit,
    api_offset,
    api_text,
    column_length,
)
from chibo.lists.paging import offset_page
from chibo.meetings import services
from chibo.meetings.capabilities import MANAGE_MEETINGS
from chibo.meetings.choices import AttendanceStatus, GuestRole, MeetingKind, MeetingStatus
from chibo.meetings.models import Attendance, Meeting, MeetingGuest, MeetingTask
from chibo.meetings.queries import expected_members
from chibo.members.models import Member
from chibo.members.queries import member_of
from chibo.organizations.models import Organization

router = Router(tags=["meetings"])

MeetingCode = api_code(column_length(Meeting, "code"))
Code = api_code(64)


class MeetingOut(Schema):
    code: str
    org: str
    kind: str
    combined_thematic: bool
    is_model: bool
    date: date
    start_time: time | None
    place: str
    online_link: str
    topic: str
    agenda: str
    status: str
    duration_minutes: int | None
    conclusion: str
    counted: int
    attended: int
    quality_passed: bool | None
    quality_failures: list[str]


class MeetingPage(Schema):
    count: int
    items: list[MeetingOut]
    next: int | None


class MeetingFilters(Schema):
    org: Code | None = None
    date_from: api_date() | None = None
    date_to: api_date() | None = None
    kind: MeetingKind | None = None
    status: MeetingStatus | None = None
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class MeetingIn(Schema):
    org_code: Code
    kind: MeetingKind
    date: api_date()
    topic: api_text(Meeting, "topic", required=True)
    start_time: time | None = None
    place: api_text(Meeting, "place") = ""
    online_link: api_text(Meeting, "online_link") = ""
    agenda: api_text(Meeting, "agenda") | None = None
    combined_thematic: bool = False
    is_model: bool = False
    code: api_code(column_length(Meeting, "code"), required=False) = ""


class AttendanceIn(Schema):
    member_code: Code
    status: AttendanceStatus
    reason: api_text(Attendance, "reason") = ""
    spoke: bool = False


class TaskIn(Schema):
    member_code: Code
    description: api_text(MeetingTask, "description", required=True)
    due_on: api_date()


class ClosingIn(Schema):
    attendance: list[AttendanceIn]
    duration_minutes: int = Field(ge=1, le=24 * 60, description="minutes (a day at most)")
    minutes: api_text(Meeting, "minutes") = ""
    conclusion: api_text(Meeting, "conclusion") = ""
    agenda_prepared: bool = False
    committee_prepared: bool = False
    draft_resolution: bool = False
    minutes_complete: bool = False
    tasks: list[TaskIn] = []


class AttendanceOut(Schema):
    member_code: str
    full_name: str
    status: str
    reason: str
    spoke: bool


class GuestIn(Schema):
    role: GuestRole
    full_name: api_text(MeetingGuest, "full_name", required=True)
    title: api_text(MeetingGuest, "title") = ""
    org_code: Code | None = None


class GuestOut(Schema):
    role: str
    full_name: str
    title: str
    org_code: str | None
    attended: bool


class AbsenceIn(Schema):
    reason: api_text(Attendance, "reason", required=True)
    member_code: Code | None = None  # default: the caller's own member file


def _out(meeting: Meeting) -> dict:
    return {**{name: getattr(meeting, name) for name in MeetingOut.model_fields if name != "org"},
            "org": meeting.organization.code}


def _meeting(request, code: str) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user)
                             .select_related("organization"), code=code)


def _members(meeting: Meeting, codes: list[str], field: str) -> dict[str, Member]:
    """Members by code, looked up only among the members expected at the meeting: a code that
    is unknown or belongs to someone outside the cell gets the same answer, which repeats the
    code and never a name (a name outside the caller's scope must not leak)."""
    expected = {e.member.member_code: e.member for e in expected_members(meeting)}
    for code in codes:
        if code not in expected:
            raise RuleViolation(_("%(code)s không phải đảng viên của chi bộ vào ngày sinh hoạt.")
                                % {"code": code}, field=field)
    return {code: expected[code] for code in codes}


@router.get("", response=MeetingPage)
def list_meetings(request, filters: Query[MeetingFilters]):
    """Meetings in the caller's scope (of `org`'s subtree), latest first."""
    meetings = Meeting.objects.visible_to(request.user).select_related("organization")
    if filters.org:
        org = get_object_or_404(Organization.objects.visible_to(request.user), code=filters.org)
        low, high = subtree_range(org.path)
        meetings = meetings.filter(organization__path__gte=low, organization__path__lt=high)
    for name, lookup in (("date_from", "date__gte"), ("date_to", "date__lte"),
                         ("kind", "kind"), ("status", "status")):
        if getattr(filters, name) is not None:
            meetings = meetings.filter(**{lookup: getattr(filters, name)})
    meetings = meetings.order_by("-date", "-id")
    return offset_page(meetings, max(0, filters.offset), max(1, min(filters.limit, 500)),
                       _out)


@router.get("/{code}", response=MeetingOut)
def get_meeting(request, code: MeetingCode, response: HttpResponse):
    """A meeting; its `ETag` is the version to send in `If-Match` when acting on it."""
    meeting = _meeting(request, code)
    send_version(response, meeting)
    return _out(meeting)


@router.post("", response={201: MeetingOut})
def schedule_meeting(request, payload: MeetingIn, response: HttpResponse):
    org = Organization.objects.visible_to(request.user).filter(code=payload.org_code).first()
    if org is None:
        raise RuleViolation(_("Không có chi bộ mã %(code)s trong phạm vi của bạn.")
                            % {"code": payload.org_code}, field="org_code")
    meeting = services.schedule_meeting(services.NewMeeting(
        organization=org, **payload.dict(exclude={"org_code"})), actor=request.user)
    send_version(response, meeting)
    return Status(201, _out(meeting))


@router.get("/{code}/attendance", response=list[AttendanceOut])
def attendance(request, code: MeetingCode):
    meeting = _meeting(request, code)
    require(request.user, Capability.VIEW_MEMBERS, meeting.organization)
    return [{"member_code": a.member.member_code, "full_name": a.member.full_name,
             "status": a.status, "reason": a.reason, "spoke": a.spoke}
            for a in meeting.attendance.select_related("member").order_by("member__sort_key")]


@router.post("/{code}/close", response={200: MeetingOut, **IF_MATCH})
def close_meeting(request, code: MeetingCode, payload: ClosingIn, response: HttpResponse,
                  if_match_header: IfMatch = None):
    """Close the meeting in one step. With `If-Match` (the meeting's `ETag`), refused (412,
    nothing written) when the meeting has changed since it was read."""
    meeting = _meeting(request, code)
    require(request.user, MANAGE_MEETINGS, meeting.organization)
    members = _members(meeting, [a.member_code for a in payload.attendance], "attendance")
    members |= _members(meeting, [t.member_code for t in payload.tasks], "tasks")
    closing = services.Closing(
        attendance=[services.AttendanceEntry(members[a.member_code], a.status, a.reason, a.spoke)
                    for a in payload.attendance],
        tasks=[services.TaskEntry(members[t.member_code], t.description, t.due_on)
               for t in payload.tasks],
        **payload.dict(exclude={"attendance", "tasks"}))
    meeting = services.close_meeting(meeting, closing, actor=request.user,
                                     version=if_match(if_match_header, required=False))
    send_version(response, meeting)
    return _out(meeting)


@router.get("/{code}/guests", response=list[GuestOut])
def guests(request, code: MeetingCode):
    meeting = _meeting(request, code)
    return [{"role": g.role, "full_name": g.full_name, "title": g.title,
             "org_code": g.org.code if g.org else None, "attended": g.attended}
            for g in meeting.guests.select_related("org")]


def _guest_org(user, meeting: Meeting, code: str) -> Organization:
    """The guest's organization among those the caller may see, or the meeting cell's own
    ancestors (a visit from above). An unknown code and one outside that get the same answer,
    so the API does not tell which codes exist elsewhere."""
    reachable = Organization.objects.visible_to(user) | Organization.objects.filter(
        path__in=ancestor_paths(meeting.organization.path))
    org = reachable.filter(code=code).first()
    if org is None:
        raise RuleViolation(_("Không có tổ chức mã %(code)s trong phạm vi của bạn.")
                            % {"code": code}, field="org_code")
    return org


@router.post("/{code}/guests", response={201: GuestOut, **IF_MATCH})
def add_guest(request, code: MeetingCode, payload: GuestIn, if_match_header: IfMatch = None):
    """Invite a guest. With `If-Match` (the meeting's `ETag`), refused (412) when the meeting
    has changed since it was read."""
    meeting = _meeting(request, code)
    require(request.user, MANAGE_MEETINGS, meeting.organization)
    org = _guest_org(request.user, meeting, payload.org_code) if payload.org_code else None
    guest = services.add_guest(meeting, actor=request.user, role=payload.role,
                               full_name=payload.full_name, title=payload.title, org=org,
                               version=if_match(if_match_header, required=False))
    return Status(201, {"role": guest.role, "full_name": guest.full_name, "title": guest.title,
                        "org_code": payload.org_code, "attended": guest.attended})


@router.post("/{code}/absence", response={201: AttendanceOut, **IF_MATCH})
def report_absence(request, code: MeetingCode, payload: AbsenceIn, if_match_header: IfMatch = None):
    """A member's notice of absence before the meeting (their own, or any member's for a
    manager of the cell). With `If-Match` (the meeting's `ETag`), refused (412) when the
    meeting has changed since it was read."""
    meeting = _meeting(request, code)
    own = member_of(request.user)
    if payload.member_code and not (own and own.member_code == payload.member_code):
        # Naming someone else is for managers only: refused before any lookup, so that a
        # member cannot probe who belongs to the cell.
        require(request.user, MANAGE_MEETINGS, meeting.organization)
        member = _members(meeting, [payload.member_code], "member_code")[payload.member_code]
    elif own is not None:
        member = own
    else:
        raise PermissionDenied
    row = services.report_absence(meeting, member, payload.reason, actor=request.user,
                                  version=if_match(if_match_header, required=False))
    return Status(201, {"member_code": member.member_code, "full_name": member.full_name,
                        "status": row.status, "reason": row.reason, "spoke": row.spoke})
