"""The checks and imports of the import page, run in the background (`chibo worker`).

An upload becomes a queued check (a dry run, `ImportRun.dry_run`); once a check has passed, the
person who uploaded it may confirm it, which queues the import (chibo.interchange.services).
`run_import` runs either kind: as the person who asked (their permission is checked again when
it starts), in the language they used, reporting the phase and rows done
(chibo.interchange.progress), and ends the run as done (what was, or would be, added) or failed
(every error; nothing written). The uploaded file goes when the run ends, except after a check
that passed: it waits for the confirmation (a day at most, forget_stale_uploads).
"""

import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.core.files import stored_by_uuid
from chibo.interchange.importer import ImportResult, import_bundle
from chibo.interchange.models import ImportPhase, ImportRun, ImportStatus
from chibo.interchange.progress import Progress, live, progress_file, publisher
from chibo.interchange.readers import ContainerError

SUFFIXES = (".zip", ".xlsx")

# A province's import takes about a minute; a run still "running" after this long lost its
# worker (stopped, killed, machine restarted) and, all or nothing, wrote nothing.
INTERRUPTED_AFTER = timedelta(hours=2)


def uploads() -> Path:
    """Where uploaded bundles wait for their import (not served to anyone)."""
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_upload_name(suffix: str) -> str:
    return f"{uuid.uuid4()}{suffix}"


def forget_stale_uploads(max_age: timedelta = timedelta(days=1)) -> int:
    """Delete uploads checked but never confirmed (older than `max_age`, not waiting in a
    queued run nor being checked or imported); how many were deleted. Their checks can no
    longer be confirmed."""
    waiting = set(ImportRun.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
                  .values_list("upload", flat=True))
    limit = time.time() - max_age.total_seconds()
    stale = [path for suffix in SUFFIXES for path in uploads().glob(f"*{suffix}")
             if path.name not in waiting and path.stat().st_mtime < limit]
    for path in stale:
        path.unlink(missing_ok=True)
    ImportRun.objects.filter(upload__in=[path.name for path in stale]).update(upload="")
    return len(stale)


def upload_path(name: str) -> Path | None:
    """The stored upload behind a name (a uuid and a known suffix, nothing else), if any."""
    return stored_by_uuid(uploads(), name, SUFFIXES)


def fail_interrupted_runs() -> int:
    """End as failed the runs running for longer than INTERRUPTED_AFTER (their worker died
    mid-import, so nothing else ever would); how many."""
    cutoff = timezone.now() - INTERRUPTED_AFTER
    stuck = list(ImportRun.objects.filter(status=ImportStatus.RUNNING, started_at__lt=cutoff))
    for run in stuck:
        reached = Progress()  # how far it got, kept on the failed run
        reached.phase, reached.done, reached.total = live(run)
        progress_file(run.pk).unlink(missing_ok=True)
        with translation.override(run.language):
            _finish(run, reached, [
                _("Lần kiểm tra bị gián đoạn (tiến trình chạy nền đã dừng giữa chừng). Hãy tải "
                  "lên lại.") if run.dry_run else
                _("Lần nhập bị gián đoạn (tiến trình chạy nền đã dừng giữa chừng); không ghi "
                  "gì. Hãy tải lên lại.")])
    return len(stuck)


@task()
def run_import(run_id: int) -> str:
    """Run a queued check or import to its end (see the module's docstring)."""
    fail_interrupted_runs()  # a worker starting is when an earlier one may have died
    run = ImportRun.objects.select_related("actor").get(pk=run_id)
    if run.status != ImportStatus.QUEUED:
        return run.status  # already run (a task delivered twice)
    run.status, run.started_at = ImportStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    publish, close = publisher(run.pk)
    progress = Progress(publish)
    with translation.override(run.language):
        # what the run ends with if the import raises (the exception still goes to the worker)
        result = ImportResult([_("Lỗi hệ thống khi kiểm tra. Hãy báo quản trị.") if run.dry_run
                               else _("Lỗi hệ thống khi nhập; không ghi gì. Hãy báo quản trị.")])
        try:
            result = _import(run, progress)
        finally:
            close()
            _finish(run, progress, result.errors, result.counts, result.more_errors)
    return run.status


def _import(run: ImportRun, progress: Progress) -> ImportResult:
    """The errors (up to the limit), or the rows added or to add per file, of the run's
    bundle."""
    path = upload_path(run.upload)
    if path is None or run.actor is None:
        return ImportResult([_("Không còn tệp tải lên hoặc người nhập; hãy tải lên lại.")])
    try:
        return import_bundle(path, actor=run.actor, dry_run=run.dry_run, progress=progress,
                             run=run, name=run.source)
    except ContainerError as error:
        return ImportResult([str(error)])
    except PermissionDenied:
        return ImportResult([_("Tài khoản không còn quyền nhập gói dữ liệu.")])


def _finish(run: ImportRun, progress: Progress, errors: list[str],
            counts: dict[str, int] | None = None, more_errors: int = 0) -> None:
    """End the run as done or failed. Its upload goes, unless it is a check that passed: that
    one waits for the confirmation."""
    keeps_upload = run.dry_run and not errors
    if not keeps_upload and (path := upload_path(run.upload)):
        path.unlink(missing_ok=True)
    run.status = ImportStatus.FAILED if errors else ImportStatus.DONE
    run.errors, run.counts = errors, ({} if errors else counts or {})
    run.more_errors = more_errors if errors else 0
    run.phase, run.rows_total = ImportPhase.FINISH, progress.total
    run.rows_done = run.rows_total if not errors else progress.done
    run.upload = run.upload if keeps_upload else ""
    run.finished_at = timezone.now()
    run.save()
