"""Large list exports, run in the background (`chibo worker`), the way bundle imports run
(chibo.interchange.tasks): a queued row, a task that runs it as the person who asked (the list
checks their scope and capability again when it starts), in their language, publishing the rows
written out of the total (chibo.core.progress) on the run's row for the page that polls it, and
ending as done (the file) or failed (why).

An export reads the list a keyset page at a time in autocommit, holding no transaction, so the
progress goes straight to its row on either database.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.core.progress import Progress
from chibo.lists.exports import file_path, folder, new_file_name, write
from chibo.lists.models import ExportRun, ExportStatus
from chibo.lists.spec import LISTS

# An export of a province takes seconds; one still "running" after this lost its worker.
INTERRUPTED_AFTER = timedelta(hours=1)


def fail_interrupted_runs() -> int:
    """End as failed the runs whose worker died mid-export; how many."""
    cutoff = timezone.now() - INTERRUPTED_AFTER
    stuck = list(ExportRun.objects.filter(status=ExportStatus.RUNNING, started_at__lt=cutoff))
    for run in stuck:
        with translation.override(run.language):
            _finish(run, error=_("Lần xuất bị gián đoạn (tiến trình chạy nền đã dừng giữa "
                                 "chừng). Hãy xuất lại."))
    return len(stuck)


@task()
def run_export(run_id: int) -> str:
    """Write a queued export's file (see the module's docstring)."""
    fail_interrupted_runs()
    run = ExportRun.objects.select_related("actor").get(pk=run_id)
    if run.status != ExportStatus.QUEUED:
        return run.status  # already run (a task delivered twice)
    run.status, run.started_at = ExportStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])

    def publish(phase: str, done: int, total: int) -> None:
        ExportRun.objects.filter(pk=run.pk).update(rows_done=done, rows_total=total)

    with translation.override(run.language):
        error = _("Lỗi hệ thống khi xuất danh sách. Hãy báo quản trị.")
        name, written = "", 0
        try:
            spec = LISTS.get(run.list_key)
            if spec is None or not run.actor.is_active:
                raise PermissionDenied(run.list_key)
            listing = spec.listing(run.actor, QueryDict(run.query), **run.arguments)
            progress = Progress(publish)
            progress.start("export", listing.count(None)[0])
            name = new_file_name()
            written = write(listing, folder() / name, progress)
            error = ""
        except (PermissionDenied, Http404):
            error = _("Tài khoản không còn quyền xem danh sách này.")
        finally:
            if error and name and (path := file_path(name)):
                path.unlink(missing_ok=True)
            _finish(run, error=error, name="" if error else name, written=written)
    return run.status


def _finish(run: ExportRun, *, error: str = "", name: str = "", written: int = 0) -> None:
    """End the run: done with its file and the rows written, or failed with the error."""
    run.refresh_from_db(fields=["rows_done", "rows_total"])
    run.status = ExportStatus.FAILED if error else ExportStatus.DONE
    run.error, run.file = error, name
    if not error:
        run.rows_done = run.rows_total = written
    run.finished_at = timezone.now()
    run.save()
