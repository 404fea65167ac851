"""The import page: upload a bundle, follow its check (dry run) to its report, confirm; the
import then runs too, and its page shows a progress bar, then the result. Checks and imports
run in the background (chibo.interchange.tasks), so no request waits for a bundle.

The progress part that the run's page polls carries the phase and the counts only; once the
run has ended, the poll reloads the page, which shows the result: a failed run's errors a page
of 100 at a time (chibo.interchange.lists.RUN_ERRORS), never all of them on every poll."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.exceptions import RuleViolation
from chibo.interchange import services
from chibo.interchange.importer import may_import
from chibo.interchange.lists import RUN_ERRORS
from chibo.interchange.models import ImportPhase, ImportRun, ImportStatus
from chibo.interchange.progress import live
from chibo.interchange.tasks import fail_interrupted_runs
from chibo.interchange.template import template_xlsx
from chibo.lists.views import list_page

# A worker picks a queued run up within seconds; still queued after this, there is likely no
# worker at all, so the page stops polling and says so.
NO_WORKER_AFTER = timedelta(minutes=5)
RECENT_RUNS = 10  # on the upload page; the history page lists every run


def _require_importer(request) -> None:
    if not may_import(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def upload(request):
    """The upload form and the user's runs; an upload queues its check and opens its page."""
    _require_importer(request)
    if request.method == "POST":
        try:
            check = services.start_check(request.FILES.get("bundle"), actor=request.user)
        except RuleViolation as error:
            messages.error(request, error.messages[0])
        else:
            return redirect("interchange:run", pk=check.pk)
    runs = ImportRun.objects.all()
    if not request.user.is_superuser:
        runs = runs.filter(actor=request.user)
    recent = list(runs[:RECENT_RUNS + 1])  # the latest; all of them: interchange:runs
    return render(request, "interchange/upload.html", {
        "runs": recent[:RECENT_RUNS], "more_runs": len(recent) > RECENT_RUNS})


@require_POST
def confirm(request, pk: int):
    """Queue the import of a check that passed, once, and open the import's page."""
    check = _visible_run(request, pk)
    try:
        run = services.confirm_check(check, actor=request.user)
    except services.AlreadyConfirmed as already:
        messages.error(request, _("Tệp này đã được xác nhận nhập; không tạo thêm lần nhập."))
        return redirect("interchange:run", pk=already.run.pk if already.run else check.pk)
    except RuleViolation as error:
        messages.error(request, error.messages[0])
        return redirect("interchange:run", pk=check.pk)
    return redirect("interchange:run", pk=run.pk)


def _visible_run(request, pk: int) -> ImportRun:
    _require_importer(request)
    run = get_object_or_404(ImportRun, pk=pk)
    if not run.visible_to(request.user):
        raise Http404  # someone else's import: not even its existence
    return run


def _run_context(request, run: ImportRun) -> dict:
    phase, done, total = live(run) if not run.finished else (run.phase, run.rows_done,
                                                               run.rows_total)
    percent = 100 if run.status == ImportStatus.DONE else (
        int(done * 100 / total) if total else 0)
    label = ImportPhase(phase).label if phase in ImportPhase.values else ""
    no_worker = (run.status == ImportStatus.QUEUED
                 and timezone.now() - run.at > NO_WORKER_AFTER)
    return {"run": run, "phase_label": label, "done": done, "total": total,
            "percent": percent, "no_worker": no_worker, **_check_context(request, run)}


def _check_context(request, run: ImportRun) -> dict:
    """For a check that passed: its import if confirmed, else whether this user may confirm
    it now, or (for who uploaded it) that its upload is gone."""
    if not (run.dry_run and run.status == ImportStatus.DONE):
        return {}
    confirmed = run.confirmed_import
    may_confirm = confirmed is None and services.may_confirm(run, request.user)
    return {"confirmed_import": confirmed, "may_confirm": may_confirm,
            "upload_gone": (confirmed is None and not may_confirm
                            and run.actor_id == request.user.pk)}


def _current_run(request, pk: int) -> ImportRun:
    """The run as it stands, once runs whose worker died are marked as failed."""
    run = _visible_run(request, pk)
    if fail_interrupted_runs():
        run.refresh_from_db()
    return run


@require_GET
def run_page(request, pk: int):
    """The run: its progress, then its result; a failed run's errors paged (and exported)
    by the list pattern."""
    run = _current_run(request, pk)
    if run.status == ImportStatus.FAILED:
        return list_page(request, RUN_ERRORS, pk=pk)
    return render(request, "interchange/run.html", _run_context(request, run))


@require_GET
def run_progress(request, pk: int):
    """The progress part of the run page, polled by htmx until the run has finished (or has
    waited so long for a worker that polling on is pointless). The poll that finds the run
    ended reloads the page, which shows the result."""
    run = _current_run(request, pk)
    response = render(request, "interchange/_run_progress.html", _run_context(request, run))
    if run.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def template(request):
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="chibo-mau-goi-du-lieu.xlsx"'
    return response
