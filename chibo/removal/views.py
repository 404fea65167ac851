"""The removal pages: the cell proposes from the member's file, the committee decides on the
case's page. A member or a case outside the user's scope looks absent (404); in scope, reading
needs `member.view`, proposing `removal.propose` on the member's cell, deciding `removal.decide`
on the deciding committee (403). The list of a subtree's cases is chibo.removal.lists."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.accounts.policy import Capability, can, require
from chibo.core.forms import submit
from chibo.members.models import Member
from chibo.members.queries import in_reach
from chibo.organizations.models import Organization
from chibo.removal import grounds, queries, services
from chibo.removal.capabilities import DECIDE_REMOVAL, PROPOSE_REMOVAL
from chibo.removal.forms import DecisionForm, ProposalForm
from chibo.removal.models import RemovalCase


@require_http_methods(["GET", "POST"])
def propose(request, code: str):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("cell"),
                               member_code=code)
    require(request.user, PROPOSE_REMOVAL, member.cell)
    today = timezone.localdate()
    form = ProposalForm(request.POST or None, shown=grounds.evidence(member, today),
                        initial={"proposed_on": today})
    case = submit(request, form, lambda data: services.propose_removal(
        services.NewRemoval(member=member, **data), actor=request.user),
        _("Đã ghi đề nghị xóa tên; chờ cấp ủy quyết định."))
    if case is not None:
        return redirect("removal:detail", pk=case.pk)
    return render(request, "removal/propose.html", {
        "form": form, "member": member, "title": _("Đề nghị xóa tên đảng viên")})


def _decision_form(request, case: RemovalCase) -> DecisionForm | None:
    decider = queries.default_decider(case.cell)
    if not case.is_pending or decider is None or not can(request.user, DECIDE_REMOVAL,
                                                         decider):
        return None
    return DecisionForm(request.POST or None, record=case, initial={
        "decided_on": timezone.localdate(), "decided_by": decider.code})


@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    """The case: the member, the grounds with what the records showed, the decision; the
    decision's form for the committee while it is pending."""
    case = get_object_or_404(RemovalCase.objects.visible_to(request.user).select_related(
        "member", "cell", "decided_by", "event"), pk=pk)
    require(request.user, Capability.VIEW_MEMBERS, case.cell)
    form = _decision_form(request, case)
    if request.method == "POST":
        if form is None:
            require(request.user, DECIDE_REMOVAL, case.cell)  # 403 without the capability
            return redirect("removal:detail", pk=case.pk)  # decided meanwhile: shown as is
        if submit(request, form, lambda data: _decide(request, case, form),
                  _("Đã ghi quyết định.")) is not None:
            return redirect("removal:detail", pk=case.pk)
    labels = grounds.labels()
    return render(request, "removal/detail.html", {
        "case": case, "form": form, "title": _("Đề nghị xóa tên đảng viên"),
        "grounds": [(labels.get(key, key), case.evidence.get(key, "")) for key in case.grounds]})


def _decide(request, case: RemovalCase, form: DecisionForm) -> RemovalCase:
    data = form.cleaned_data
    decided_by = in_reach(request.user, Organization, data["decided_by"], "decided_by")
    return services.decide_removal(
        case, outcome=data["outcome"], decided_on=data["decided_on"], decided_by=decided_by,
        decision_no=data["decision_no"], actor=request.user, version=form.version())
