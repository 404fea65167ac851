"""The ratings page that writes: the committee's decision of one rating, with its quota as it
stands shown beside the form (chibo.ratings.queries.quota_status), so that the committee sees
the 20 % before a decision breaks it; such a decision is refused with the rule's words unless
the exception fields give the decision that allowed it. The lists are chibo.ratings.lists."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.accounts.policy import Capability, require
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import subtree_range
from chibo.core.forms import submit
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.views import visible_org
from chibo.ratings import queries, services
from chibo.ratings.capabilities import MANAGE_RATINGS
from chibo.ratings.forms import DecisionForm


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
