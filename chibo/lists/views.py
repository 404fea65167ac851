"""The pages of the list pattern: any registered list (`list_page`, routed by each app through
`ListSpec.as_view()`), and a background export's page, its progress and its file."""

from datetime import timedelta

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.lists import exports
from chibo.lists.models import ExportRun, ExportStatus
from chibo.lists.spec import ListSpec
from chibo.lists.tasks import fail_interrupted_runs

# A worker picks a queued export up within seconds; still queued after this, there is likely
# no worker at all, so the page stops polling and says so (as the import page does).
NO_WORKER_AFTER = timedelta(minutes=5)


@require_GET
def list_page(request, spec: ListSpec, **kwargs):
    """A page of the list (or its export, `?export=xlsx`)."""
    listing = spec.listing(request.user, request.GET, **kwargs)
    if request.GET.get("export") == "xlsx":
        return exports.respond(listing)
    page = listing.page()
    count, more = listing.count()
    start = 1 if page.first else listing.start
    shown = len(page.rows)
    context = {
        "spec": spec, "listing": listing, "scope": listing.scope, "page": page,
        "heading": spec.heading(listing),
        "rows": listing.cells(spec.prepare(page.rows, listing)), "count": count, "more": more,
        "count_text": spec.count_text(count, more), "start": start,
        "end": start + shown - 1, "shown": shown,
        "next_url": "?" + listing.query(after=page.after, before=None, start=start + shown)
        if page.after else "",
        "previous_url": "?" + listing.query(before=page.before, after=None,
                                            start=max(1, start - spec.page_size))
        if page.before else "",
        "first_url": "?" + listing.query(after=None, before=None, start=None)
        if not page.first else "",
        "exact_url": "?" + listing.query(count="exact") if more else "",
        "export_url": "?" + listing.query(export="xlsx", after=None, before=None, start=None,
                                          count=None),
        "tab_links": [(tab, "?" + listing.query(tab=tab.key, after=None, before=None,
                                                start=None, sort=None)) for tab in spec.tabs],
        **spec.context(listing),
    }
    return render(request, spec.template, context)


def _visible_run(request, pk: int) -> ExportRun:
    run = get_object_or_404(ExportRun, pk=pk)
    if not run.visible_to(request.user):
        raise Http404  # someone else's export: not even its existence
    if not run.finished and fail_interrupted_runs():
        run.refresh_from_db()
    return run


def _run_context(run: ExportRun) -> dict:
    percent = 100 if run.status == ExportStatus.DONE else (
        int(run.rows_done * 100 / run.rows_total) if run.rows_total else 0)
    no_worker = (run.status == ExportStatus.QUEUED
                 and timezone.now() - run.at > NO_WORKER_AFTER)
    return {"run": run, "percent": percent, "no_worker": no_worker,
            "file_kept": bool(run.file and exports.file_path(run.file))}


@require_GET
def export_page(request, pk: int):
    return render(request, "lists/export.html", _run_context(_visible_run(request, pk)))


@require_GET
def export_progress(request, pk: int):
    """The progress part of the export's page, polled by htmx until the run has finished."""
    return render(request, "lists/_export_progress.html",
                  _run_context(_visible_run(request, pk)))


@require_GET
def export_file(request, pk: int):
    run = _visible_run(request, pk)
    path = exports.file_path(run.file) if run.status == ExportStatus.DONE else None
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=run.filename,
                        content_type=exports.XLSX)
