"""API of the annual review (`/api/v1/ratings`): the ratings of a subtree and a decision; the
deciding committee's live quota; the review campaigns of a subtree, one with its proposals, a
new campaign, its close, and the cell's proposal for a member.

Reads need `member.view` where the records lie (the ratings are part of the member files): an
officer who sees the organization without it gets 403, one outside it 404 (as an unknown code
or id), the anonymous visitor 401. A decision needs `rating.manage` on the deciding committee,
a campaign on its committee, a proposal `rating.propose` on the member's cell. Input the rules
refuse is a 422 naming the field; a decision that breaks a ratings finding rule is refused
(422, code `finding`) unless the body gives the `exception` that allowed it. Closing a
campaign sent with `If-Match` (its `ETag`) is refused (412) when it changed since it was read.
"""

from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from chibo.accounts.policy import Capability, require
from chibo.core.concurrency import IF_MATCH, IfMatch, if_match, send_version, version_of
from chibo.core.exceptions import RuleViolation
from chibo.core.validation import api_code, api_date, api_limit, api_offset, api_text, record_id
from chibo.findings.schemas import ExceptionIn, decision_of
from chibo.members.models import Member
from chibo.members.queries import in_reach
from chibo.organizations.models import Organization
from chibo.ratings import queries, services
from chibo.ratings.capabilities import MANAGE_RATINGS, PROPOSE_RATINGS
from chibo.ratings.choices import Level, Subjects
from chibo.ratings.models import Proposal, Rating, ReviewCampaign

router = Router(tags=["ratings"])

Code = api_code(64)
VIEW = Capability.VIEW_MEMBERS
Year = Field(ge=1930, le=2100)


# Schemas ------------------------------------------------------------------------------------

class RatingOut(Schema):
    year: int
    org_code: str | None
    member_code: str | None
    name: str
    level: str
    score: Decimal | None
    decided_on: date | None
    decided_by: str | None = Field(description="empty: the default decider (BUNDLE-v2)")


class RatingPage(Schema):
    count: int
    items: list[RatingOut]
    next: int | None


class RatingFilters(Schema):
    org: Code
    year: int | None = Field(None, ge=1930, le=2100)
    subjects: Subjects | None = None
    level: Level | None = None
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class RatingIn(Schema):
    year: int = Year
    org_code: Code | None = Field(None, description="an organization rated")
    member_code: Code | None = Field(None, description="a member rated")
    level: Level
    score: Decimal | None = Field(None, ge=0, le=100, decimal_places=2,
                                  description="points of 100 (366-QĐ/TW)")
    decided_on: api_date()
    decided_by: Code | None = Field(None, description="empty: a member's grassroots "
                                                      "organization, an organization's "
                                                      "nearest committee above")
    note: api_text(Rating, "note") = ""
    exception: ExceptionIn | None = None


class QuotaOut(Schema):
    subjects: str
    year: int
    excellent: int
    good: int
    more_allowed: int = Field(description="how many more `excellent` fit the 20 % of `good`")
    exceeded: bool
    proposed_excellent: int = Field(description="pending proposals of the campaign")
    proposed_good: int
    exceeded_with_proposals: bool


class QuotaFilters(Schema):
    org: Code = Field(description="the deciding committee")
    year: int = Year


class CampaignOut(Schema):
    id: int
    org: str
    year: int
    opened_on: date
    deadline: date
    closed_on: date | None
    note: str


class ProposalOut(Schema):
    year: int
    member_code: str
    name: str
    cell: str
    level: str
    manifestations: list[str]
    note: str
    proposed_on: date
    version: str = Field(description="send it in If-Match to record the proposal again")


class CampaignDetailOut(CampaignOut):
    proposals: list[ProposalOut]


class CampaignFilters(Schema):
    org: Code


class CampaignIn(Schema):
    org_code: Code = Field(description="the grassroots committee")
    year: int = Year
    opened_on: api_date()
    deadline: api_date()
    note: api_text(ReviewCampaign, "note") = ""


class CampaignCloseIn(Schema):
    closed_on: api_date() = Field(description="the day the committee closed the review",
                                  examples=["2026-12-20"])


class ProposalIn(Schema):
    year: int = Year
    member_code: Code
    level: Level
    manifestations: list[api_code(3)] = Field(default_factory=list, max_length=27,
                                              description="codes A1 … C9 the cell concluded")
    note: api_text(Proposal, "note") = ""
    proposed_on: api_date()


# Reading ------------------------------------------------------------------------------------

def _scope(request, code: str, capability: str = VIEW) -> Organization:
    """The organization of a list: 404 unless the caller sees it, 403 without the capability."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    require(request.user, capability, org)
    return org


def _rating_out(rating: Rating) -> dict:
    return {"year": rating.year, "org_code": rating.org.code if rating.org_id else None,
            "member_code": rating.member.member_code if rating.member_id else None,
            "name": rating.org.name if rating.org_id else rating.member.full_name,
            "level": rating.level, "score": rating.score, "decided_on": rating.decided_on,
            "decided_by": rating.decided_by.code if rating.decided_by_id else None}


@router.get("/ratings", response=RatingPage)
def list_ratings(request, filters: Query[RatingFilters]):
    """The ratings of the organizations and members of `org`'s subtree, newest year first."""
    org = _scope(request, filters.org)
    rows = queries.ratings_for(request.user, org, filters.year)
    if filters.subjects:
        rows = rows.filter(member__isnull=filters.subjects == Subjects.ORGS)
    if filters.level:
        rows = rows.filter(level=filters.level)
    count = rows.count()
    offset, limit = filters.offset, filters.limit
    return {"count": count, "items": [_rating_out(r) for r in rows[offset:offset + limit]],
            "next": offset + limit if count > offset + limit else None}


@router.get("/quota", response=list[QuotaOut])
def get_rating_quota(request, filters: Query[QuotaFilters]):
    """The deciding committee's "excellent" against 20 % of its "good" in `year`, for members
    and for organizations, as decided so far and with the pending proposals."""
    org = _scope(request, filters.org)
    return [{"subjects": status.subjects, "year": status.year, "excellent": status.excellent,
             "good": status.good, "more_allowed": status.more_allowed,
             "exceeded": status.exceeded, "proposed_excellent": status.proposed_excellent,
             "proposed_good": status.proposed_good,
             "exceeded_with_proposals": status.exceeded_with_proposals}
            for status in queries.quota_status(org, filters.year)]


def _campaign(request, campaign_id: int) -> ReviewCampaign:
    """A campaign the caller sees the committee of (else 404), once they may read the member
    files there (else 403)."""
    campaign = get_object_or_404(
        ReviewCampaign.objects.visible_to(request.user, Capability.VIEW_ORGS)
        .select_related("org"), pk=campaign_id)
    require(request.user, VIEW, campaign.org)
    return campaign


def _campaign_out(campaign: ReviewCampaign) -> dict:
    return {"id": campaign.pk, "org": campaign.org.code,
            **{name: getattr(campaign, name) for name in (
                "year", "opened_on", "deadline", "closed_on", "note")}}


def _campaign_detail(request, campaign: ReviewCampaign, response: HttpResponse) -> dict:
    send_version(response, campaign)
    return {**_campaign_out(campaign), "proposals": [
        _proposal_out(proposal, campaign) for proposal in queries.proposals_of(request.user,
                                                                               campaign)]}


def _proposal_out(proposal: Proposal, campaign: ReviewCampaign | None = None) -> dict:
    return {"year": (campaign or proposal.campaign).year,
            "member_code": proposal.member.member_code, "name": proposal.member.full_name,
            "cell": proposal.cell.code, "level": proposal.level,
            "manifestations": list(proposal.manifestations), "note": proposal.note,
            "proposed_on": proposal.proposed_on, "version": version_of(proposal)}


@router.get("/campaigns", response=list[CampaignOut])
def list_rating_campaigns(request, filters: Query[CampaignFilters]):
    """The review campaigns of `org`'s subtree, newest first."""
    org = _scope(request, filters.org)
    return [_campaign_out(c) for c in queries.campaigns_for(request.user, org)]


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut)
def get_rating_campaign(request, campaign_id: record_id(), response: HttpResponse):
    """One campaign with the cells' proposals; its `ETag` is the version to close it with."""
    return _campaign_detail(request, _campaign(request, campaign_id), response)


# Writing ------------------------------------------------------------------------------------

@router.post("/ratings", response={201: RatingOut})
def decide_rating(request, payload: RatingIn):
    """Decide the rating of a member or an organization for `year`."""
    org = in_reach(request.user, Organization, payload.org_code, "org_code")
    member = in_reach(request.user, Member, payload.member_code, "member_code")
    decided_by = None
    if payload.decided_by:
        decided_by = Organization.objects.filter(code=payload.decided_by).first()
        if decided_by is None:
            raise RuleViolation(_("Không có tổ chức mã %(code)s.") % {
                "code": payload.decided_by}, field="decided_by")
    rating = services.decide_rating(services.NewRating(
        year=payload.year, level=payload.level, decided_on=payload.decided_on, org=org,
        member=member, score=payload.score, decided_by=decided_by, note=payload.note),
        actor=request.user, exception=decision_of(payload.exception))
    return Status(201, _rating_out(rating))


@router.post("/campaigns", response={201: CampaignDetailOut})
def open_rating_campaign(request, payload: CampaignIn, response: HttpResponse):
    """Open the grassroots committee's review of `year`."""
    org = in_reach(request.user, Organization, payload.org_code, "org_code")
    require(request.user, MANAGE_RATINGS, org)
    campaign = services.open_campaign(services.NewCampaign(
        org=org, year=payload.year, opened_on=payload.opened_on, deadline=payload.deadline,
        note=payload.note), actor=request.user)
    return Status(201, _campaign_detail(request, campaign, response))


@router.post("/campaigns/{campaign_id}/close", response={200: CampaignDetailOut, **IF_MATCH})
def close_rating_campaign(request, campaign_id: record_id(), payload: CampaignCloseIn,
                   response: HttpResponse, if_match_header: IfMatch = None):
    """The committee has decided: the campaign takes no more proposals."""
    campaign = _campaign(request, campaign_id)
    require(request.user, MANAGE_RATINGS, campaign.org)
    campaign = services.close_campaign(campaign, closed_on=payload.closed_on,
                                       actor=request.user,
                                       version=if_match(if_match_header, required=False))
    return _campaign_detail(request, campaign, response)


@router.post("/proposals", response={201: ProposalOut, **IF_MATCH})
def propose_rating(request, payload: ProposalIn, if_match_header: IfMatch = None):
    """The cell's proposal for one member in the campaign of `year` of the member's grassroots
    committee (given again: replaced; `If-Match`: the proposal's `version`)."""
    member = in_reach(request.user, Member, payload.member_code, "member_code")
    require(request.user, PROPOSE_RATINGS, member.cell)
    campaign = queries.campaign_of(member, payload.year)
    if campaign is None:
        raise RuleViolation(_("Chưa có đợt đánh giá năm %(year)s của cấp ủy cơ sở.") % {
            "year": payload.year}, field="year")
    proposal = services.propose(services.NewProposal(
        campaign=campaign, member=member, level=payload.level, proposed_on=payload.proposed_on,
        manifestations=payload.manifestations, note=payload.note), actor=request.user,
        version=if_match(if_match_header, required=False))
    return Status(201, _proposal_out(proposal))
