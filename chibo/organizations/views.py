"""Pages of the organization tree: browser, organization page, forms for every change."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.accounts.policy import Capability, can, require
from chibo.audit.queries import object_history
from chibo.core.forms import submit
from chibo.organizations import queries, services, working
from chibo.organizations.choices import ChangeKind
from chibo.organizations.forms import (
    AsOfForm,
    OrganizationEditForm,
    OrganizationForm,
    ReorganizeForm,
    VillageForm,
    villages_for,
)
from chibo.organizations.models import Organization, OrgPeriod

# Other apps add to the organization page (members: counts and the committee) without this app
# knowing them: each function takes (request, org, period, day, nodes) and returns context.
DETAIL_CONTEXT = []


def visible_org(request, code: str) -> Organization:
    """The organization if the user may see it; 404 otherwise (outside scope looks absent).
    It becomes the organization the user works on (the menu follows it: `working`)."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    working.remember(request, org)
    return org


def tree(request):
    """The tree browser: the user's top organizations, lazily expanded; or search results."""
    filters = AsOfForm(request.GET or None)
    day = filters.day()
    query = filters.cleaned_data.get("q", "") if filters.is_valid() else ""
    context = {"filters": filters, "day": day, "query": query}
    if query:
        context["results"] = queries.search(request.user, query, day)
        context["crumbs"] = queries.breadcrumbs(request.user, context["results"], day)
    else:
        context["nodes"] = queries.top_nodes(request.user, day)
    template = "organizations/tree.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "tree-body":
        template = "organizations/_tree_body.html"
    return render(request, template, context)


def tree_children(request, code: str):
    """htmx fragment: the children of one node on a day."""
    org = visible_org(request, code)
    day = AsOfForm(request.GET or None).day()
    return render(request, "organizations/_tree_nodes.html",
                  {"nodes": queries.children(request.user, org, day), "day": day})


def detail(request, code: str):
    org = visible_org(request, code)
    day = AsOfForm(request.GET or None).day()
    period = OrgPeriod.objects.as_of(day).filter(organization=org).first()
    context = {
        "org": org, "period": period, "day": day, "filters": AsOfForm(request.GET or None),
        "history": queries.history(org),
        "villages": queries.villages_of(org),
        "can_manage": can(request.user, Capability.MANAGE_ORGS, org),
        "changes": ChangeKind.choices,
    }
    if period is not None:
        context.update(
            crumbs=queries.breadcrumb(request.user, period, day),
            nodes=queries.children(request.user, org, day),
            sizes=queries.subtree_size(period, day),
        )
    if can(request.user, Capability.VIEW_HISTORY, org):
        context["audit_records"] = object_history(org)
    for extra in DETAIL_CONTEXT:
        context.update(extra(request, org, period, day, context.get("nodes", [])))
    return render(request, "organizations/detail.html", context)


@require_http_methods(["GET", "POST"])
def create_child(request, code: str):
    parent = visible_org(request, code)
    require(request.user, Capability.MANAGE_ORGS, parent)
    form = OrganizationForm(request.POST or None, villages=villages_for(parent))
    if (org := submit(
            request, form,
            lambda data: services.create_organization(
                services.NewOrganization(parent=parent, **data), actor=request.user),
            lambda org: _("Đã thành lập %(name)s.") % {"name": org.name})) is not None:
        return redirect("organizations:detail", code=org.code)
    return render(request, "organizations/form.html",
                  {"form": form, "org": parent, "title": _("Thành lập tổ chức trực thuộc")})


@require_http_methods(["GET", "POST"])
def edit(request, code: str):
    org = visible_org(request, code)
    require(request.user, Capability.MANAGE_ORGS, org)
    initial = {"name": org.name, "sector": org.sector, "village": org.village}
    form = OrganizationEditForm(request.POST or None, initial=initial,
                                villages=villages_for(org), record=org)
    if submit(request, form,
              lambda data: services.update_organization(
                  org, actor=request.user, version=form.version(),
                  **{name: data[name] for name in form.changed_data if name in initial}),
              _("Đã lưu.")) is not None:
        return redirect("organizations:detail", code=org.code)
    return render(request, "organizations/form.html",
                  {"form": form, "org": org, "title": _("Sửa thông tin tổ chức")})


@require_http_methods(["GET", "POST"])
def reorganize(request, code: str, change: str):
    org = visible_org(request, code)
    if change not in ChangeKind.values:
        from django.http import Http404

        raise Http404
    require(request.user, Capability.MANAGE_ORGS, org)
    orgs = Organization.objects.visible_to(request.user, Capability.MANAGE_ORGS)
    form = ReorganizeForm(request.POST or None, change=change, orgs=orgs, record=org)
    if submit(request, form,
              lambda data: services.reorganize(org, actor=request.user, change=change,
                                               version=form.version(), **form.service_data()),
              _("Đã ghi thay đổi.")) is not None:
        return redirect("organizations:detail", code=org.code)
    return render(request, "organizations/form.html", {
        "form": form, "org": org, "title": ChangeKind(change).label,
        "danger": change in (ChangeKind.MERGE, ChangeKind.DISSOLVE),
    })


@require_http_methods(["GET", "POST"])
def create_village(request, code: str):
    commune = visible_org(request, code)
    require(request.user, Capability.MANAGE_ORGS, commune)
    form = VillageForm(request.POST or None)
    if submit(request, form,
              lambda data: services.create_village(actor=request.user, commune=commune, **data),
              _("Đã thêm thôn, tổ dân phố.")) is not None:
        return redirect("organizations:detail", code=commune.code)
    return render(request, "organizations/form.html",
                  {"form": form, "org": commune, "title": _("Thêm thôn, tổ dân phố")})
