"""API of the party badges (`/api/v1/badges`): the badges of a subtree (of one award day: the
ceremony list), the proposals of a subtree, a proposal, an award.

Reads need `member.view` where the records lie (the badges are part of the member files): an
officer who sees the organization without it gets 403, one outside it 404, the anonymous
visitor 401. A proposal needs `badge.propose` on the member's cell (and on the proposing
organization), an award `badge.manage` on the provincial committee. Input the rules refuse is a
422 naming the field; an award that breaks a badges finding rule is refused (422, code
`finding`) unless the body gives the `exception` that allowed it.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from chibo.accounts.policy import Capability, require
from chibo.badges import queries, services
from chibo.badges.choices import EarlyReason, ProposalStatus
from chibo.badges.models import Badge, Proposal
from chibo.core.validation import api_code, api_date, api_limit, api_offset, api_text
from chibo.findings.schemas import ExceptionIn, decision_of
from chibo.members.models import Member
from chibo.members.queries import in_reach
from chibo.organizations.models import Organization

router = Router(tags=["badges"])

Code = api_code(64)
Years = Field(ge=30, le=90, description="a milestone: 30, 40, 45 … 90")


class BadgeOut(Schema):
    member_code: str
    name: str
    cell: str
    years: int
    awarded_on: date
    early_reason: str | None
    decision_no: str
    decided_by: str | None


class BadgePage(Schema):
    count: int
    items: list[BadgeOut]
    next: int | None


class BadgeFilters(Schema):
    org: Code
    day: api_date() | None = Field(None, description="one award day: the ceremony list")
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class BadgeIn(Schema):
    member_code: Code
    years: int = Years
    awarded_on: api_date()
    early_reason: EarlyReason | None = None
    decision_no: api_text(Badge, "decision_no") = ""
    note: api_text(Badge, "note") = ""
    exception: ExceptionIn | None = None


class BadgeProposalOut(Schema):
    id: int
    member_code: str
    name: str
    cell: str
    years: int
    award_day: date
    early_reason: str | None
    proposed_by: str
    proposed_on: date
    status: ProposalStatus


class BadgeProposalFilters(Schema):
    org: Code
    status: ProposalStatus | None = None


class BadgeProposalIn(Schema):
    member_code: Code
    years: int = Years
    award_day: api_date()
    proposed_on: api_date()
    proposed_by: Code | None = Field(None, description="empty: the member's cell")
    early_reason: EarlyReason | None = None
    note: api_text(Proposal, "note") = ""


def _scope(request, code: str) -> Organization:
    """The organization of a list: 404 unless the caller sees it, 403 without member.view."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    require(request.user, Capability.VIEW_MEMBERS, org)
    return org


def _badge_out(badge: Badge) -> dict:
    return {"member_code": badge.member.member_code, "name": badge.member.full_name,
            "cell": badge.member.cell.code, "years": badge.years,
            "awarded_on": badge.awarded_on, "early_reason": badge.early_reason or None,
            "decision_no": badge.decision_no,
            "decided_by": badge.decided_by.code if badge.decided_by_id else None}


def _proposal_out(proposal: Proposal) -> dict:
    return {"id": proposal.pk, "member_code": proposal.member.member_code,
            "name": proposal.member.full_name, "cell": proposal.cell.code,
            "years": proposal.years, "award_day": proposal.award_day,
            "early_reason": proposal.early_reason or None,
            "proposed_by": proposal.proposed_by.code, "proposed_on": proposal.proposed_on,
            "status": proposal.status}


@router.get("/badges", response=BadgePage)
def list_badges(request, filters: Query[BadgeFilters]):
    """The badges of the members of `org`'s subtree, newest first."""
    rows = queries.badges_for(request.user, _scope(request, filters.org), filters.day)
    count, offset, limit = rows.count(), filters.offset, filters.limit
    return {"count": count, "items": [_badge_out(b) for b in rows[offset:offset + limit]],
            "next": offset + limit if count > offset + limit else None}


@router.get("/proposals", response=list[BadgeProposalOut])
def list_badge_proposals(request, filters: Query[BadgeProposalFilters]):
    """The proposals of the members of `org`'s subtree, by award day."""
    rows = queries.proposals_for(request.user, _scope(request, filters.org))
    if filters.status:
        rows = rows.filter(status=filters.status)
    return [_proposal_out(p) for p in rows.order_by("-award_day", "cell__code",
                                                    "member__sort_key", "pk")[:1000]]


@router.post("/proposals", response={201: BadgeProposalOut})
def propose_badge(request, payload: BadgeProposalIn):
    """Propose a member for the badge of `years` on an award day."""
    member = in_reach(request.user, Member, payload.member_code, "member_code")
    proposer = in_reach(request.user, Organization, payload.proposed_by, "proposed_by")
    proposal = services.propose(services.NewProposal(
        member=member, years=payload.years, award_day=payload.award_day,
        proposed_on=payload.proposed_on, proposed_by=proposer,
        early_reason=payload.early_reason or "", note=payload.note), actor=request.user)
    return Status(201, _proposal_out(proposal))


@router.post("/badges", response={201: BadgeOut})
def award_badge(request, payload: BadgeIn):
    """The provincial committee awards a member the badge of `years` on `awarded_on`."""
    member = in_reach(request.user, Member, payload.member_code, "member_code")
    badge = services.award(services.NewBadge(
        member=member, years=payload.years, awarded_on=payload.awarded_on,
        early_reason=payload.early_reason or "", decision_no=payload.decision_no,
        note=payload.note), actor=request.user, exception=decision_of(payload.exception))
    return Status(201, _badge_out(badge))
