"""The ratings pages that write, each through its service (chibo.ratings.services):

- the grassroots committee opens the year's campaign and closes it once decided;
- the cell proposes a member's level (the member's page of the campaign: their self-review's
  state and the proposal; read-only for those who may not propose, or once the campaign is
  closed);
- the committee decides one rating, with its quota as it stands shown beside the form
  (chibo.ratings.queries.quota_status), so that it sees the 20 % before a decision breaks it;
  such a decision is refused with the rule's words unless the exception fields give the
  decision that allowed it.

Every page finds its organization among those the user sees (404 outside), needs `member.view`
there to read and the step's capability to write (403). The lists are chibo.ratings.lists."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.accounts.policy import Capability, can, require
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import subtree_range
from chibo.core.forms import submit
from chibo.handbook.models import SelfReview
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.views import visible_org
from chibo.ratings import queries, services
from chibo.ratings.capabilities import MANAGE_RATINGS, PROPOSE_RATINGS
from chibo.ratings.forms import CampaignForm, CloseCampaignForm, DecisionForm, ProposalForm
from chibo.ratings.lists import COMMENDATIONS, year_of
from chibo.ratings.models import Proposal, ReviewCampaign
from chibo.ratings.rules import GRASSROOTS_KINDS


def _subject(user, org: Organization, data: dict) -> dict:
    """The member or organization of the committee's subtree named by the form (the committee
    itself is rated by the level above: not among them)."""
    low, high = subtree_range(org.path)
    if data["member_code"]:
        member = Member.objects.visible_to(user, Capability.VIEW_MEMBERS).filter(
            cell__path__gte=low, cell__path__lt=high,
            member_code=data["member_code"]).first()
        return {"member": member} if member else {}
    subject = Organization.objects.visible_to(user).filter(
        path__gt=low, path__lt=high, code=data["org_code"]).first()
    return {"org": subject} if subject else {}


@require_http_methods(["GET", "POST"])
def decide(request, code: str):
    """The page's organization decides a rating of a member or an organization under it."""
    org = visible_org(request, code)
    require(request.user, MANAGE_RATINGS, org)
    year = timezone.localdate().year - 1
    form = DecisionForm(request.POST or None, initial={
        "year": request.GET.get("year") or year, "member_code": request.GET.get("member", ""),
        "decided_on": timezone.localdate()})
    found: dict = {}
    if request.method == "POST" and form.is_valid():
        found = _subject(request.user, org, form.cleaned_data)
        if not found:
            field = "member_code" if form.cleaned_data["member_code"] else "org_code"
            form.add_error(field, _("Không có mã này trong phạm vi của cấp quyết định."))
        year = form.cleaned_data["year"]

    def action(data):
        try:
            return services.decide_rating(services.NewRating(
                year=data["year"], level=data["level"], decided_on=data["decided_on"],
                score=data["score"], decided_by=org, note=data["note"], **found),
                actor=request.user, exception=form.exception_decision())
        except RuleViolation as error:
            form.refused_for_rule = error.code == "finding"
            raise

    if submit(request, form, action, _("Đã ghi kết quả xếp loại.")) is not None:
        return redirect(reverse("ratings:list", args=[org.code]) + f"?year={year}")
    if request.method == "GET" and str(request.GET.get("year", "")).isdigit():
        year = int(request.GET["year"])
    return render(request, "ratings/decide.html", {
        "form": form, "org": org, "year": year, "quota": queries.quota_status(org, year),
        "title": _("Quyết định xếp loại chất lượng")})


# The campaign -----------------------------------------------------------------------------------

def _campaign_url(org: Organization, year: int) -> str:
    return reverse("ratings:campaign", args=[org.code]) + f"?year={year}"


@require_http_methods(["GET", "POST"])
def open_campaign(request, code: str):
    """The grassroots committee of the page opens the review of a year."""
    org = visible_org(request, code)
    require(request.user, MANAGE_RATINGS, org)
    if org.kind not in GRASSROOTS_KINDS:
        raise Http404(_("Đợt đánh giá do đảng bộ cơ sở hoặc chi bộ cơ sở mở."))
    today = timezone.localdate()
    form = CampaignForm(request.POST or None, initial={"year": today.year, "opened_on": today})
    campaign = submit(request, form, lambda data: services.open_campaign(
        services.NewCampaign(org=org, **data), actor=request.user),
        _("Đã mở đợt đánh giá, xếp loại."))
    if campaign is not None:
        return redirect(_campaign_url(org, campaign.year))
    return render(request, "ratings/form.html", {
        "form": form, "org": org, "title": _("Mở đợt đánh giá, xếp loại chất lượng"),
        "back": _campaign_url(org, today.year)})


@require_http_methods(["GET", "POST"])
def close_campaign(request, code: str, year: int):
    """The committee has decided: its campaign of `year` takes no more proposals."""
    org = visible_org(request, code)
    require(request.user, MANAGE_RATINGS, org)
    campaign = get_object_or_404(ReviewCampaign, org=org, year=year)
    form = CloseCampaignForm(request.POST or None, record=campaign,
                             initial={"closed_on": timezone.localdate()})
    if submit(request, form, lambda data: services.close_campaign(
            campaign, closed_on=data["closed_on"], actor=request.user,
            version=form.version()), _("Đã kết thúc đợt đánh giá.")) is not None:
        return redirect(_campaign_url(org, year))
    return render(request, "ratings/form.html", {
        "form": form, "org": org, "campaign": campaign,
        "title": _("Kết thúc đợt đánh giá năm %(year)s") % {"year": year},
        "back": _campaign_url(org, year)})


# The cell's proposal ------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def propose(request, code: str, year: int, member_code: str):
    """A member's review of `year` as the cell sees it: whether they submitted their
    self-review (its text on its own page), the cell's proposal, and the form to record it
    while the campaign is open, for those who may propose for the cell."""
    cell = visible_org(request, code)
    require(request.user, Capability.VIEW_MEMBERS, cell)
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("cell"),
                               cell=cell, member_code=member_code)
    campaign = queries.campaign_of(member, year)
    proposal = (Proposal.objects.visible_to(request.user).filter(campaign=campaign,
                                                                 member=member).first()
                if campaign else None)
    may_propose = (campaign is not None and not campaign.is_closed
                   and can(request.user, PROPOSE_RATINGS, cell))
    if request.method == "POST" and not may_propose:
        require(request.user, PROPOSE_RATINGS, cell)  # 403 without the capability
        messages.error(request, _("Đợt đánh giá năm %(year)s chưa mở hoặc đã kết thúc: chưa "
                                  "ghi gì.") % {"year": year})
        return redirect(request.path)
    form = None
    if may_propose:
        form = ProposalForm(request.POST or None, record=proposal, initial=_proposal_initial(
            proposal))
        if submit(request, form, lambda data: services.propose(services.NewProposal(
                campaign=campaign, member=member, **form.service_data()),
                actor=request.user, version=form.version()),
                _("Đã ghi đề xuất của chi bộ.")) is not None:
            return redirect(_campaign_url(cell, year))
    review = SelfReview.objects.visible_to(request.user).filter(
        member=member, year=year).only("status").first()
    return render(request, "ratings/propose.html", {
        "org": cell, "member": member, "year": year, "campaign": campaign,
        "proposal": proposal, "form": form, "review": review,
        "title": _("Đề xuất xếp loại đảng viên năm %(year)s") % {"year": year}})


def _proposal_initial(proposal: Proposal | None) -> dict:
    if proposal is None:
        return {"proposed_on": timezone.localdate()}
    return {"level": proposal.level, "manifestations": list(proposal.manifestations),
            "proposed_on": proposal.proposed_on, "note": proposal.note}


# The commendation list, printed ------------------------------------------------------------------

def commendations_print(request, code: str):
    """The commendation list as the list page selects it (its filters in the query), every row
    on one printable page: organizations, then members."""
    listing = COMMENDATIONS.listing(request.user, request.GET, code=code)
    rows = list(listing.all_rows())
    return render(request, "ratings/commendations_print.html", {
        "org": listing.scope, "year": year_of(listing), "today": timezone.localdate(),
        "orgs": [r for r in rows if r.org_id], "members": [r for r in rows if r.member_id],
        "back": reverse("ratings:commendations", args=[code]) + "?" + listing.state_query()})
