"""The liaison's pages.

Working side (the member's organizations): the liaisons of the members of a subtree with their
yearly opinions (`member.view`), the introduction form and the end of a liaison
(`member.manage` on the member's cell), the 1-213 letter as a Word file.

Residence side: the narrow list of the members keeping contact with a subtree
(`liaison.residence`: name, contact, working cell — chibo.liaison.queries.residence_view) and
the 3-213 opinion form (`liaison.feedback` on the residence cell), both made for a phone.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chibo.accounts.policy import Capability, can, require
from chibo.core.fields import subtree_range
from chibo.core.forms import submit
from chibo.liaison import documents, queries, services
from chibo.liaison.capabilities import VIEW_RESIDENCE, WRITE_FEEDBACK
from chibo.liaison.forms import EndForm, IntroduceForm, OpinionForm
from chibo.liaison.models import Liaison
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.views import visible_org


def _liaison_of(request, org, pk: int) -> Liaison:
    found = queries.working_liaisons(request.user, org).select_related(
        "member__cell", "residence_org", "residence_cell").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def working(request, code: str):
    org = visible_org(request, code)
    require(request.user, Capability.VIEW_MEMBERS, org)
    liaisons = list(queries.working_liaisons(request.user, org).select_related(
        "member", "member__cell", "residence_org", "residence_cell").order_by(
        "member__cell__path", "member__sort_key", "-introduced_on"))
    return render(request, "liaison/working.html", {
        "org": org, "liaisons": queries.with_years(liaisons), "end_form": EndForm(),
        "manage": can(request.user, Capability.MANAGE_MEMBERS, org),
        "title": _("Giữ mối liên hệ với nơi cư trú")})


def _named(data: dict, form) -> dict | None:
    org = Organization.objects.filter(code=data["org_code"]).first()
    cell = Organization.objects.filter(code=data["cell_code"]).first() if data[
        "cell_code"] else None
    if org is None:
        form.add_error("org_code", _("Không có tổ chức đảng mã này."))
    if data["cell_code"] and cell is None:
        form.add_error("cell_code", _("Không có chi bộ mã này."))
    return None if form.errors else {"residence_org": org, "residence_cell": cell}


@require_http_methods(["GET", "POST"])
def introduce(request, code: str):
    org = visible_org(request, code)
    require(request.user, Capability.MANAGE_MEMBERS, org)
    form = IntroduceForm(request.POST or None, initial={
        "member_code": request.GET.get("member", ""), "introduced_on": timezone.localdate()})
    found: dict = {}
    if request.method == "POST" and form.is_valid():
        low, high = subtree_range(org.path)
        member = Member.objects.visible_to(request.user, Capability.MANAGE_MEMBERS).filter(
            cell__path__gte=low, cell__path__lt=high,
            member_code=form.cleaned_data["member_code"]).first()
        if member is None:
            form.add_error("member_code", _("Không có đảng viên mã này trong phạm vi quản lý."))
        places = _named(form.cleaned_data, form) if member else None
        found = {"member": member, **(places or {})}

    def action(data):
        return services.introduce(services.NewLiaison(
            introduced_on=data["introduced_on"], exempt_from_meetings=data[
                "exempt_from_meetings"], letter_no=data["letter_no"], address=data["address"],
            note=data["note"], **found), actor=request.user)

    if submit(request, form, action, _("Đã ghi giới thiệu đảng viên về nơi cư trú.")) \
            is not None:
        return redirect("liaison:working", org.code)
    return render(request, "liaison/form.html", {
        "form": form, "org": org, "title": _("Giới thiệu đảng viên về nơi cư trú (1-213)"),
        "cancel": reverse("liaison:working", args=[org.code])})


@require_POST
def end(request, code: str, pk: int):
    org = visible_org(request, code)
    require(request.user, Capability.MANAGE_MEMBERS, org)
    liaison = _liaison_of(request, org, pk)
    form = EndForm(request.POST)
    if submit(request, form, lambda data: services.end(liaison, data["ended_on"],
                                                       actor=request.user),
              _("Đã ghi thôi giữ mối liên hệ.")) is not None:
        return redirect("liaison:working", org.code)
    return render(request, "liaison/form.html", {
        "form": form, "org": org, "title": _("Thôi giữ mối liên hệ"),
        "cancel": reverse("liaison:working", args=[org.code])}, status=400)


def letter(request, code: str, pk: int):
    """The introduction letter 1-213 as a Word file."""
    org = visible_org(request, code)
    require(request.user, Capability.VIEW_MEMBERS, org)
    liaison = _liaison_of(request, org, pk)
    response = HttpResponse(documents.render(liaison), content_type=documents.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(liaison)}"'
    return response


# The residence side -------------------------------------------------------------------------------

def residents(request, code: str):
    org = visible_org(request, code)
    require(request.user, VIEW_RESIDENCE, org)
    today = timezone.localdate()
    return render(request, "liaison/residents.html", {
        "org": org, "residents": queries.residence_view(request.user, org, today),
        "feedback": can(request.user, WRITE_FEEDBACK, org), "year": today.year,
        "title": _("Đảng viên giữ mối liên hệ nơi cư trú")})


@require_http_methods(["GET", "POST"])
def feedback(request, code: str, pk: int):
    org = visible_org(request, code)
    require(request.user, WRITE_FEEDBACK, org)
    today = timezone.localdate()
    liaison = get_object_or_404(queries.residence_liaisons(
        request.user, org, today, WRITE_FEEDBACK).select_related("member__cell"), pk=pk)
    resident = next((r for r in queries.residence_view(request.user, org, today)
                    if r.liaison_id == liaison.pk), None)
    form = OpinionForm(request.POST or None, initial={"year": today.year,
                                                      "written_on": today})

    def action(data):
        return services.write_opinion(services.NewOpinion(
            liaison=liaison, year=data["year"], feedback=data["feedback"],
            written_on=data["written_on"], comment=data["comment"]), actor=request.user)

    if submit(request, form, action, _("Đã ghi nhận xét 3-213.")) is not None:
        return redirect("liaison:residents", org.code)
    return render(request, "liaison/form.html", {
        "form": form, "org": org, "resident": resident,
        "title": _("Nhận xét đảng viên nơi cư trú (3-213)"),
        "cancel": reverse("liaison:residents", args=[org.code])})
