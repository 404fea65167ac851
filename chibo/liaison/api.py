"""API of the residence liaison (`/api/v1/liaison`).

Working side: the liaisons of the members of a subtree with their yearly opinions
(`member.view`: part of the member files), a new liaison (1-213) and its end (`member.manage`
on the member's cell). Residence side: the narrow list of the members keeping contact with a
subtree — name, contact, working cell, nothing more (`liaison.residence`) — and the yearly
opinion (3-213: `liaison.feedback` on the residence cell). An organization the caller does not
see is 404, one seen without the capability 403; input the rules refuse is 422 naming the
field.
"""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from chibo.accounts.policy import Capability, can, require
from chibo.core.exceptions import RuleViolation
from chibo.core.validation import api_code, api_date, api_text
from chibo.liaison import queries, services
from chibo.liaison.capabilities import VIEW_RESIDENCE, WRITE_FEEDBACK
from chibo.liaison.choices import Feedback
from chibo.liaison.metrics import open_on
from chibo.liaison.models import Liaison, Opinion
from chibo.members.models import Member
from chibo.members.queries import in_reach
from chibo.organizations.models import Organization

router = Router(tags=["liaison"])
Code = api_code(64)


class LiaisonOut(Schema):
    id: int
    member_code: str
    full_name: str
    cell: str
    introduced_on: date
    org_code: str
    cell_code: str | None
    exempt_from_meetings: bool
    ended_on: date | None
    feedback: dict[int, str] = Field(description="year -> good, fair, poor (3-213)")


class OrgFilter(Schema):
    org: Code


class LiaisonIn(Schema):
    member_code: Code
    introduced_on: api_date()
    org_code: Code = Field(description="the grassroots committee of the residence")
    cell_code: Code | None = Field(None, description="the cell of the residence")
    exempt_from_meetings: bool = False
    letter_no: api_text(Liaison, "letter_no") = ""
    address: api_text(Liaison, "address") = ""
    note: api_text(Liaison, "note") = ""


class EndIn(Schema):
    ended_on: api_date()


class ResidentOut(Schema):
    id: int = Field(description="the liaison")
    full_name: str
    phone: str
    email: str
    working_cell: str
    introduced_on: date
    exempt_from_meetings: bool
    residence: str


class OpinionIn(Schema):
    year: int = Field(ge=1930, le=2100)
    feedback: Feedback
    written_on: api_date()
    comment: api_text(Opinion, "comment") = ""


class OpinionOut(Schema):
    year: int
    feedback: str
    written_on: date | None


def _scope(request, code: str, capability: str) -> Organization:
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    require(request.user, capability, org)
    return org


def _out(liaison: Liaison, opinions: dict) -> dict:
    return {"id": liaison.pk, "member_code": liaison.member.member_code,
            "full_name": liaison.member.full_name, "cell": liaison.member.cell.code,
            "introduced_on": liaison.introduced_on, "org_code": liaison.residence_org.code,
            "cell_code": liaison.residence_cell.code if liaison.residence_cell_id else None,
            "exempt_from_meetings": liaison.exempt_from_meetings,
            "ended_on": liaison.ended_on, "feedback": opinions.get(liaison.pk, {})}


def _working(request, pk: int, capability: str) -> Liaison:
    liaison = get_object_or_404(Liaison.objects.visible_to(request.user, Capability.VIEW_ORGS)
                                .select_related("member__cell", "residence_org",
                                                "residence_cell"), pk=pk)
    require(request.user, capability, liaison.member.cell)
    return liaison


@router.get("/liaisons", response=list[LiaisonOut])
def list_liaisons(request, filters: Query[OrgFilter]):
    """The liaisons of the members of `org`'s subtree (working side), newest first."""
    org = _scope(request, filters.org, Capability.VIEW_MEMBERS)
    rows = list(queries.working_liaisons(request.user, org).select_related(
        "member__cell", "residence_org", "residence_cell").order_by(
        "member__member_code", "-introduced_on"))
    opinions = queries.opinions_by_liaison(row.pk for row in rows)
    return [_out(row, opinions) for row in rows]


@router.post("/liaisons", response={201: LiaisonOut})
def introduce_member(request, payload: LiaisonIn):
    """The working side introduces a member to their residence (1-213)."""
    member = in_reach(request.user, Member, payload.member_code, "member_code")
    org = Organization.objects.filter(code=payload.org_code).first()
    if org is None:
        raise RuleViolation(_("Không có tổ chức đảng mã này."), field="org_code")
    cell = None
    if payload.cell_code:
        cell = Organization.objects.filter(code=payload.cell_code).first()
        if cell is None:
            raise RuleViolation(_("Không có chi bộ mã này."), field="cell_code")
    liaison = services.introduce(services.NewLiaison(
        member=member, introduced_on=payload.introduced_on, residence_org=org,
        residence_cell=cell, exempt_from_meetings=payload.exempt_from_meetings,
        letter_no=payload.letter_no, address=payload.address, note=payload.note),
        actor=request.user)
    return Status(201, _out(liaison, {}))


@router.post("/liaisons/{liaison_id}/end", response=LiaisonOut)
def end_liaison(request, liaison_id: int, payload: EndIn):
    liaison = _working(request, liaison_id, Capability.MANAGE_MEMBERS)
    liaison = services.end(liaison, payload.ended_on, actor=request.user)
    return _out(liaison, queries.opinions_by_liaison([liaison.pk]))


@router.get("/residents", response=list[ResidentOut])
def list_residents(request, filters: Query[OrgFilter]):
    """The residence side's narrow list: who keeps contact with `org`'s subtree today."""
    org = _scope(request, filters.org, VIEW_RESIDENCE)
    return [{"id": r.liaison_id, "full_name": r.full_name, "phone": r.phone, "email": r.email,
             "working_cell": r.working_cell, "introduced_on": r.introduced_on,
             "exempt_from_meetings": r.exempt_from_meetings, "residence": r.residence_code}
            for r in queries.residence_view(request.user, org, timezone.localdate())]


@router.post("/residents/{liaison_id}/opinions", response={201: OpinionOut})
def write_opinion(request, liaison_id: int, payload: OpinionIn):
    """The residence cell's yearly opinion (3-213) on a member keeping contact with it."""
    liaison = Liaison.objects.filter(open_on(timezone.localdate()), pk=liaison_id) \
        .select_related("residence_org", "residence_cell").first()
    if liaison is None or not can(request.user, Capability.VIEW_ORGS, liaison.residence):
        raise Http404
    require(request.user, WRITE_FEEDBACK, liaison.residence)
    opinion = services.write_opinion(services.NewOpinion(
        liaison=liaison, year=payload.year, feedback=str(payload.feedback),
        written_on=payload.written_on, comment=payload.comment), actor=request.user)
    return Status(201, {"year": opinion.year, "feedback": opinion.feedback,
                        "written_on": opinion.written_on})
