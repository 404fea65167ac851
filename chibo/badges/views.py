"""The badges pages that write, and the printed ceremony list (the lists are chibo.badges.lists):

- propose: a member of the page's subtree for a milestone on an award day (from the due list's
  link, the form comes filled); the page's organization proposes (`badge.propose` there and on
  the member's cell);
- decide: the provincial committee awards a badge (from a proposal's link, filled); refused with
  the rule's words for a badges finding unless the exception fields give the decision;
- ceremony: the badges of one award day in the subtree, by milestone, on an A4 page to print.
"""

from datetime import date

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.accounts.policy import Capability, require
from chibo.badges import queries, services
from chibo.badges.capabilities import MANAGE_BADGES, PROPOSE_BADGES
from chibo.badges.forms import AwardForm, ProposalForm
from chibo.badges.models import Proposal
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import subtree_range
from chibo.core.forms import submit
from chibo.members.models import Member
from chibo.members.queries import badge_round
from chibo.organizations.views import visible_org


def _member_in(user, org, code: str) -> Member | None:
    """The member `code` of `org`'s subtree that `user` may read (else None)."""
    low, high = subtree_range(org.path)
    return Member.objects.visible_to(user, Capability.VIEW_MEMBERS).select_related(
        "cell").filter(cell__path__gte=low, cell__path__lt=high, member_code=code).first()


def _missing(form) -> None:
    form.add_error("member_code", _("Không có mã này trong phạm vi của tổ chức."))


def _day(request, default: date) -> date:
    """The award day the URL names (`day`, ISO), else `default`."""
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return default


@require_http_methods(["GET", "POST"])
def propose(request, code: str):
    org = visible_org(request, code)
    require(request.user, PROPOSE_BADGES, org)
    today = timezone.localdate()
    form = ProposalForm(request.POST or None, initial={
        "member_code": request.GET.get("member", ""), "years": request.GET.get("years"),
        "award_day": _day(request, badge_round(today)[0]), "proposed_on": today})
    member = None
    if request.method == "POST" and form.is_valid():
        member = _member_in(request.user, org, form.cleaned_data["member_code"])
        if member is None:
            _missing(form)

    def action(data):
        return services.propose(services.NewProposal(
            member=member, years=data["years"], award_day=data["award_day"],
            proposed_on=data["proposed_on"], proposed_by=org,
            early_reason=data["early_reason"], note=data["note"]), actor=request.user)

    if submit(request, form, action, _("Đã ghi đề nghị tặng Huy hiệu Đảng.")) is not None:
        return redirect("badges:proposals", org.code)
    return render(request, "badges/form.html", {
        "form": form, "org": org, "title": _("Đề nghị tặng Huy hiệu Đảng"),
        "cancel": reverse("badges:due", args=[org.code]), "form_id": "badge-proposal-form"})


def _initial_award(request, org) -> dict:
    initial = {"awarded_on": badge_round(timezone.localdate())[0]}
    pk = request.GET.get("proposal", "")
    proposal = Proposal.objects.visible_to(request.user).select_related("member").filter(
        pk=int(pk)).first() if pk.isdigit() else None
    if proposal is not None:
        initial.update(member_code=proposal.member.member_code, years=proposal.years,
                       awarded_on=proposal.award_day, early_reason=proposal.early_reason)
    return initial


@require_http_methods(["GET", "POST"])
def decide(request, code: str):
    """The page's organization, a provincial committee, awards a badge to a member under it."""
    org = visible_org(request, code)
    require(request.user, MANAGE_BADGES, org)
    if org.kind != services.DECIDING_KIND:
        raise Http404
    form = AwardForm(request.POST or None, initial=_initial_award(request, org))
    member = None
    if request.method == "POST" and form.is_valid():
        member = _member_in(request.user, org, form.cleaned_data["member_code"])
        if member is None:
            _missing(form)

    def action(data):
        try:
            return services.award(services.NewBadge(
                member=member, years=data["years"], awarded_on=data["awarded_on"],
                early_reason=data["early_reason"], decision_no=data["decision_no"],
                decided_by=org, note=data["note"]), actor=request.user,
                exception=form.exception_decision())
        except RuleViolation as error:
            form.refused_for_rule = error.code == "finding"
            raise

    if submit(request, form, action, _("Đã ghi quyết định tặng Huy hiệu Đảng.")) is not None:
        return redirect("badges:list", org.code)
    return render(request, "badges/decide.html", {
        "form": form, "org": org, "title": _("Quyết định tặng Huy hiệu Đảng"),
        "cancel": reverse("badges:proposals", args=[org.code]), "form_id": "badge-award-form"})


@require_GET
def ceremony(request, code: str):
    """The ceremony list of an award day (by default the last one), to print on A4."""
    org = visible_org(request, code)
    require(request.user, Capability.VIEW_MEMBERS, org)
    day = _day(request, badge_round(timezone.localdate())[1])
    groups = queries.ceremony(request.user, org, day)
    return render(request, "badges/ceremony.html", {
        "org": org, "day": day, "groups": groups, "today": timezone.localdate(),
        "count": sum(len(badges) for _years, badges in groups)})
