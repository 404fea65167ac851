"""The import page's two steps: check an upload, then import a check that passed.

Each step makes an ImportRun and queues it for the worker (chibo.interchange.tasks.run_import);
the run writes its result when it ends. A check is confirmed once, by the person who uploaded
it: the database holds one import per check and one run per upload, so two confirmations at
the same moment (a double click, two tabs) make one import, and the second is told so.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chibo.core.exceptions import RuleViolation
from chibo.interchange.importer import may_import
from chibo.interchange.models import ImportRun, ImportStatus
from chibo.interchange.tasks import (
    SUFFIXES,
    forget_stale_uploads,
    new_upload_name,
    run_import,
    upload_path,
    uploads,
)

MAX_BYTES = 200 * 1024 * 1024


class AlreadyConfirmed(Exception):
    """The check has its import already; `run` is that import (None if it is not known yet)."""

    def __init__(self, run: ImportRun | None):
        super().__init__("already confirmed")
        self.run = run


def start_check(file: UploadedFile | None, *, actor) -> ImportRun:
    """Keep an uploaded bundle and queue its check (a dry run). RuleViolation when it is not a
    .zip or .xlsx of at most MAX_BYTES (the zip limits are the reader's, in the check)."""
    _require_importer(actor)
    suffix = Path(file.name).suffix.lower() if file else ""
    if file is None or suffix not in SUFFIXES:
        raise RuleViolation(_("Hãy chọn một tệp .zip (các tệp CSV) hoặc .xlsx."), field="bundle")
    if file.size > MAX_BYTES:
        raise RuleViolation(_("Tệp quá lớn (tối đa 200 MB)."), field="bundle")
    forget_stale_uploads()
    token = new_upload_name(suffix)
    with open(uploads() / token, "wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    run = _queued(source=Path(file.name).name or token, actor=actor, upload=token, dry_run=True)
    run_import.enqueue(run.pk)
    return run


def may_confirm(check: ImportRun, user) -> bool:
    """Whether `user` may confirm `check` now: their own check, passed, its upload still kept,
    not confirmed yet."""
    return bool(check.dry_run and check.status == ImportStatus.DONE and check.actor_id
                and check.actor_id == user.pk and upload_path(check.upload) is not None
                and check.confirmed_import is None)


def confirm_check(check: ImportRun, *, actor) -> ImportRun:
    """Queue the import of a check that passed, once. AlreadyConfirmed when it has its import
    (the second of two confirmations at the same moment too); PermissionDenied when `actor` is
    not who uploaded it; RuleViolation when its upload is gone (not confirmed within a day)."""
    _require_importer(actor)
    if not check.dry_run or check.status != ImportStatus.DONE or check.actor_id != actor.pk:
        raise PermissionDenied("bundle.import")
    if (earlier := check.confirmed_import) is not None:
        raise AlreadyConfirmed(earlier)
    if upload_path(check.upload) is None:
        raise RuleViolation(_("Tệp đã tải lên không còn (quá một ngày chưa xác nhận); hãy tải "
                              "lên lại."))
    token = check.upload
    try:
        with transaction.atomic():
            # The upload passes from the check to its import; the unique constraints (one
            # import per check, one run per upload) refuse a second import made meanwhile.
            ImportRun.objects.filter(pk=check.pk).update(upload="")
            run = _queued(source=check.source, actor=actor, upload=token, check_run=check)
    except IntegrityError:
        raise AlreadyConfirmed(check.confirmed_import) from None
    check.upload = ""
    run_import.enqueue(run.pk)
    return run


def _queued(**fields) -> ImportRun:
    actor = fields["actor"]
    return ImportRun.objects.create(
        status=ImportStatus.QUEUED, actor_name=actor.username, language=get_language() or "vi",
        **{**fields, "source": fields["source"][:255]})


def _require_importer(actor) -> None:
    if not may_import(actor):
        raise PermissionDenied("bundle.import")
