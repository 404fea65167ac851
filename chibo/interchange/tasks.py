"""The import confirmed on the import page, run in the background (`chibo worker`).

The page stores the upload, makes a queued ImportRun and enqueues `run_import`; the page then
polls the run. The task imports as the person who confirmed (their permission is checked again
when it starts), in the language they used, reporting the phase and rows done
(chibo.interchange.progress), and ends the run as done (what was added) or failed (every
error; nothing written). The uploaded file is removed at the end either way.
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

from chibo.interchange.importer import import_bundle
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
    queued import nor being imported); how many were deleted."""
    waiting = set(ImportRun.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
                  .values_list("upload", flat=True))
    limit = time.time() - max_age.total_seconds()
    stale = [path for suffix in SUFFIXES for path in uploads().glob(f"*{suffix}")
             if path.name not in waiting and path.stat().st_mtime < limit]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def upload_path(name: str) -> Path | None:
    """The stored upload behind a name (a uuid and a known suffix, nothing else), if any."""
    stem, _, suffix = name.partition(".")
    try:
        uuid.UUID(stem)
    except ValueError:
        return None
    path = uploads() / f"{stem}.{suffix}"
    return path if f".{suffix}" in SUFFIXES and path.exists() else None


def fail_interrupted_runs() -> int:
    """End as failed the runs running for longer than INTERRUPTED_AFTER (their worker died
    mid-import, so nothing else ever would); how many."""
    cutoff = timezone.now() - INTERRUPTED_AFTER
    stuck = list(ImportRun.objects.filter(status=ImportStatus.RUNNING, started_at__lt=cutoff))
    for run in stuck:
        reached = Progress()  # how far it got, kept on the failed run
        reached.phase, reached.done, reached.total = live(run)
        if path := upload_path(run.upload):
            path.unlink(missing_ok=True)
        progress_file(run.pk).unlink(missing_ok=True)
        with translation.override(run.language):
            _finish(run, reached, [_("Lần nhập bị gián đoạn (tiến trình chạy nền đã dừng giữa "
                                     "chừng); không ghi gì. Hãy tải lên lại.")])
    return len(stuck)


@task()
def run_import(run_id: int) -> str:
    fail_interrupted_runs()  # a worker starting is when an earlier one may have died
    run = ImportRun.objects.select_related("actor").get(pk=run_id)
    if run.status != ImportStatus.QUEUED:
        return run.status  # already run (a task delivered twice)
    run.status, run.started_at = ImportStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    publish, close = publisher(run.pk)
    progress = Progress(publish)
    try:
        with translation.override(run.language):
            errors = _import(run, progress)
    except BaseException:
        _finish(run, progress, [_("Lỗi hệ thống khi nhập; không ghi gì. Hãy báo quản trị.")])
        raise
    finally:
        close()
        if path := upload_path(run.upload):
            path.unlink(missing_ok=True)
    _finish(run, progress, errors)
    return run.status


def _import(run: ImportRun, progress: Progress) -> list[str]:
    path = upload_path(run.upload)
    if path is None or run.actor is None:
        return [_("Không còn tệp tải lên hoặc người nhập; hãy tải lên lại.")]
    try:
        result = import_bundle(path, actor=run.actor, progress=progress, run=run)
    except ContainerError as error:
        return [str(error)]
    except PermissionDenied:
        return [_("Tài khoản không còn quyền nhập gói dữ liệu.")]
    return result.errors


def _finish(run: ImportRun, progress: Progress, errors: list[str]) -> None:
    run.status = ImportStatus.FAILED if errors else ImportStatus.DONE
    run.errors, run.counts = errors, ({} if errors else run.counts)
    run.phase, run.rows_total = ImportPhase.FINISH, progress.total
    run.rows_done = run.rows_total if not errors else progress.done
    run.upload, run.finished_at = "", timezone.now()
    run.save()
