"""The import page: upload a bundle, read the dry run's report, confirm; the import then runs in
the background (chibo.interchange.tasks) and its page shows a progress bar, then the result."""

from datetime import timedelta
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.interchange.importer import import_bundle, may_import
from chibo.interchange.models import ImportPhase, ImportRun, ImportStatus
from chibo.interchange.progress import live
from chibo.interchange.readers import ContainerError
from chibo.interchange.tasks import (
    SUFFIXES,
    fail_interrupted_runs,
    forget_stale_uploads,
    new_upload_name,
    run_import,
    upload_path,
    uploads,
)
from chibo.interchange.template import template_xlsx

MAX_BYTES = 200 * 1024 * 1024
# A worker picks a queued run up within seconds; still queued after this, there is likely no
# worker at all, so the page stops polling and says so.
NO_WORKER_AFTER = timedelta(minutes=5)
CHECKED_UPLOADS = "interchange.checked_uploads"  # session key: the uploads this user checked


def _require_importer(request) -> None:
    if not may_import(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_importer(request)
    runs = ImportRun.objects.all()
    if not request.user.is_superuser:
        runs = runs.filter(actor=request.user)
    context = {"runs": runs[:20]}
    if request.method == "POST":
        if "confirm" in request.POST:
            return _confirm(request, request.POST["confirm"], request.POST.get("name", ""))
        file = request.FILES.get("bundle")
        suffix = Path(file.name).suffix.lower() if file else ""
        if file is None or suffix not in SUFFIXES:
            messages.error(request, _("Hãy chọn một tệp .zip (các tệp CSV) hoặc .xlsx."))
        elif file.size > MAX_BYTES:
            messages.error(request, _("Tệp quá lớn (tối đa 200 MB)."))
        else:
            forget_stale_uploads()
            token = new_upload_name(suffix)
            with open(uploads() / token, "wb") as out:
                for chunk in file.chunks():
                    out.write(chunk)
            context.update(_dry_run(request, token), name=file.name)
    return render(request, "interchange/upload.html", context)


def _dry_run(request, token: str) -> dict:
    """Check the upload; keep it (for this user's confirmation) only when it has no error."""
    path = upload_path(token)
    try:
        result = import_bundle(path, actor=request.user, dry_run=True)
    except ContainerError as error:
        path.unlink(missing_ok=True)
        return {"errors": [str(error)]}
    if result.errors:
        path.unlink(missing_ok=True)
    else:
        request.session[CHECKED_UPLOADS] = [*request.session.get(CHECKED_UPLOADS, []), token]
    return {"errors": result.errors, "counts": result.counts, "token": token}


def _confirm(request, token: str, name: str):
    """Queue the import of an upload this user checked, once, and show its page."""
    earlier = ImportRun.objects.filter(upload=token).exclude(upload="").first()
    if earlier is not None and earlier.visible_to(request.user):
        messages.error(request, _("Tệp này đã được xác nhận nhập; không tạo thêm lần nhập."))
        return redirect("interchange:run", pk=earlier.pk)
    checked = request.session.get(CHECKED_UPLOADS, [])
    if token not in checked or upload_path(token) is None:
        raise Http404  # not checked by this user, or gone
    request.session[CHECKED_UPLOADS] = [t for t in checked if t != token]
    run = ImportRun.objects.create(
        source=(Path(name).name or token)[:255], actor=request.user,
        actor_name=request.user.username, status=ImportStatus.QUEUED, upload=token,
        language=get_language() or "vi")
    run_import.enqueue(run.pk)
    return redirect("interchange:run", pk=run.pk)


def _visible_run(request, pk: int) -> ImportRun:
    _require_importer(request)
    run = get_object_or_404(ImportRun, pk=pk)
    if not run.visible_to(request.user):
        raise Http404  # someone else's import: not even its existence
    return run


def _run_context(run: ImportRun) -> dict:
    phase, done, total = live(run) if not run.finished else (run.phase, run.rows_done,
                                                               run.rows_total)
    percent = 100 if run.status == ImportStatus.DONE else (
        int(done * 100 / total) if total else 0)
    label = ImportPhase(phase).label if phase in ImportPhase.values else ""
    no_worker = (run.status == ImportStatus.QUEUED
                 and timezone.now() - run.at > NO_WORKER_AFTER)
    return {"run": run, "phase_label": label, "done": done, "total": total,
            "percent": percent, "no_worker": no_worker}


def _current_run(request, pk: int) -> ImportRun:
    """The run as it stands, once runs whose worker died are marked as failed."""
    run = _visible_run(request, pk)
    if fail_interrupted_runs():
        run.refresh_from_db()
    return run


@require_GET
def run_page(request, pk: int):
    return render(request, "interchange/run.html", _run_context(_current_run(request, pk)))


@require_GET
def run_progress(request, pk: int):
    """The progress part of the run page, polled by htmx until the run has finished (or has
    waited so long for a worker that polling on is pointless)."""
    return render(request, "interchange/_run_progress.html",
                  _run_context(_current_run(request, pk)))


def template(request):
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="chibo-mau-goi-du-lieu.xlsx"'
    return response
