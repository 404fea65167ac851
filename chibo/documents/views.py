"""Library pages for staff (publish, a document with who has read it) and file serving; the
list is declared in chibo.documents.lists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chibo.accounts.policy import Capability, can, require
from chibo.core.forms import submit
from chibo.documents import queries, services
from chibo.documents.capabilities import MANAGE_DOCUMENTS
from chibo.documents.files import file_response
from chibo.documents.forms import DocumentForm
from chibo.documents.models import Document
from chibo.organizations.models import Organization

CELLS_SHOWN = 100  # a province-wide resolution reaches ~2,500 cells: the page shows the first


def visible_document(user, pk: int) -> Document:
    """The document if the user may see it; 404 otherwise (outside scope looks absent)."""
    return get_object_or_404(Document.objects.visible_to(user).select_related("audience_org"),
                             pk=pk)


def _manageable_orgs(user):
    return Organization.objects.visible_to(user, MANAGE_DOCUMENTS)


@require_http_methods(["GET", "POST"])
def publish(request):
    require(request.user, MANAGE_DOCUMENTS)
    home = request.user.home_organization()
    form = DocumentForm(request.POST or None, request.FILES or None,
                        audience_queryset=_manageable_orgs(request.user),
                        initial={"audience": home.code if home else ""})
    if (document := submit(
            request, form,
            lambda data: services.publish_document(_new_document(data), data["file"],
                                                   actor=request.user),
            lambda document: _("Đã đăng tài liệu %(doc)s.") % {"doc": document})) is not None:
        return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/form.html", {"form": form})


def _new_document(data) -> services.NewDocument:
    return services.NewDocument(
        kind=data["kind"], number=data["number"], title=data["title"],
        issuing_body=data["issuing_body"], issued_on=data["issued_on"], summary=data["summary"],
        key_points=data["key_points"], audience_org=data["audience"])


def detail(request, pk: int):
    document = visible_document(request.user, pk)
    cell_code = request.GET.get("cell", "")
    context = {
        "document": document,
        "can_manage": can(request.user, MANAGE_DOCUMENTS, document.audience_org),
        "can_see_readers": can(request.user, Capability.VIEW_MEMBERS),
    }
    if context["can_see_readers"]:
        cells = queries.reads_by_cell(document, request.user)
        if not cell_code and len(cells) == 1:
            cell_code = cells[0]["cell__code"]
        context["cells"] = cells[:CELLS_SHOWN]
        context["more_cells"] = max(0, len(cells) - CELLS_SHOWN)
        context["totals"] = {"read": sum(c["read"] for c in cells),
                             "total": sum(c["total"] for c in cells)}
        context["cell_code"] = cell_code
        if cell_code:
            context["readers"] = queries.readers_of_cell(document, request.user, cell_code)
    return render(request, "documents/detail.html", context)


@require_POST
def withdraw(request, pk: int):
    document = visible_document(request.user, pk)
    try:
        services.withdraw_document(document, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã thu hồi tài liệu."))
    return redirect("documents:detail", pk=pk)


def download(request, pk: int):
    return file_response(visible_document(request.user, pk))
