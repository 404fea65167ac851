"""The import page: upload a bundle, read the dry run's report, confirm, see the result."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.interchange.importer import import_bundle, may_import
from chibo.interchange.models import ImportRun
from chibo.interchange.readers import ContainerError
from chibo.interchange.template import template_xlsx

SUFFIXES = (".zip", ".xlsx")
MAX_BYTES = 200 * 1024 * 1024


def _uploads() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(token: str) -> Path:
    """The uploaded file behind a token (a uuid and a known suffix, nothing else)."""
    stem, _, suffix = token.partition(".")
    try:
        uuid.UUID(stem)
    except ValueError as error:
        raise Http404 from error
    path = _uploads() / f"{stem}.{suffix}"
    if f".{suffix}" not in SUFFIXES or not path.exists():
        raise Http404
    return path


@require_http_methods(["GET", "POST"])
def upload(request):
    if not may_import(request.user):
        raise PermissionDenied
    context = {"runs": ImportRun.objects.all()[:20]}
    if request.method == "POST":
        if "confirm" in request.POST:
            return _confirm(request, request.POST["confirm"])
        file = request.FILES.get("bundle")
        suffix = Path(file.name).suffix.lower() if file else ""
        if file is None or suffix not in SUFFIXES:
            messages.error(request, _("Hãy chọn một tệp .zip (các tệp CSV) hoặc .xlsx."))
        elif file.size > MAX_BYTES:
            messages.error(request, _("Tệp quá lớn (tối đa 200 MB)."))
        else:
            token = f"{uuid.uuid4()}{suffix}"
            with open(_uploads() / token, "wb") as out:
                for chunk in file.chunks():
                    out.write(chunk)
            context.update(_dry_run(request, token), name=file.name)
    return render(request, "interchange/upload.html", context)


def _dry_run(request, token: str) -> dict:
    try:
        result = import_bundle(_stored(token), actor=request.user, dry_run=True)
    except ContainerError as error:
        return {"errors": [str(error)]}
    return {"errors": result.errors, "counts": result.counts, "token": token}


def _confirm(request, token: str):
    path = _stored(token)
    try:
        result = import_bundle(path, actor=request.user)
    except ContainerError as error:
        messages.error(request, str(error))
        return redirect("interchange:upload")
    finally:
        path.unlink(missing_ok=True)
    if result.ok:
        messages.success(request, _("Đã nhập gói dữ liệu."))
    else:
        messages.error(request, _("Dữ liệu đã thay đổi từ lần kiểm tra; không nhập gì. "
                                  "Hãy kiểm tra lại."))
    return redirect("interchange:upload")


def template(request):
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="chibo-mau-goi-du-lieu.xlsx"'
    return response
