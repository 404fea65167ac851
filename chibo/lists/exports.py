"""The export of a list: every row its tab, filters and search select, as an Excel file.

The same columns as the page (and those declared for the export only), under a heading that
says what was selected; written with chibo.core.xlsx, so no cell becomes a formula. Up to
`ListSpec.export_at_once` rows the file is written in the request; beyond, the export runs in
the background (chibo.lists.tasks) and its page shows the progress, then the file.
"""

import io
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chibo.core.files import stored_by_uuid
from chibo.core.progress import Progress
from chibo.core.xlsx import workbook
from chibo.lists.models import ExportRun
from chibo.lists.spec import Listing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEEP = timedelta(days=1)  # an export's file is deleted a day after it was written


def folder() -> Path:
    """Where finished exports wait for their download (not served to anyone directly)."""
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write(listing: Listing, target, progress: Progress | None = None) -> int:
    """Write the listing's selected rows to `target` (a path or a binary buffer); how many."""
    progress = progress or Progress()
    columns = listing.export_columns()
    book = workbook(target, constant_memory=True, in_memory=not isinstance(target, str | Path))
    sheet = book.add_worksheet(str(_("Danh sách")))
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(0, 0, _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold)
    sheet.write(1, 0, listing.spec.heading(listing), bold)
    sheet.write(2, 0, _("%(title)s, ngày %(day)s") % {
        "title": listing.spec.title, "day": listing.today.strftime("%d/%m/%Y")})
    if chosen := listing.described():
        sheet.write(3, 0, "; ".join(chosen))
    for col, column in enumerate(columns):
        sheet.write(4, col, str(column.label), bold)
    written = 0
    for row_number, row in enumerate(listing.all_rows(), start=5):
        for col, column in enumerate(columns):
            value = column.exported(row)
            if isinstance(value, date):
                sheet.write_datetime(row_number, col, value, day)
            elif value not in (None, ""):
                sheet.write(row_number, col, value)
        written += 1
        progress.advance()
    book.close()
    return written


def filename(listing: Listing) -> str:
    code = getattr(listing.scope, "code", "")
    return f"{listing.spec.filename(listing)}{'-' + code if code else ''}.xlsx"


def respond(listing: Listing):
    """The export of the list: the file itself when small, else the page of a queued run."""
    count, more = listing.count(listing.spec.export_at_once)
    if not more:
        buffer = io.BytesIO()
        write(listing, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, filename(listing))
        return response
    run = start(listing)
    return redirect("lists:export", pk=run.pk)


def start(listing: Listing) -> ExportRun:
    """Queue the background export of `listing` for its user."""
    from chibo.lists.tasks import run_export

    forget_old_exports()
    title = listing.spec.title
    if heading := listing.spec.heading(listing):
        title = f"{title} · {heading}"
    run = ExportRun.objects.create(
        list_key=listing.spec.key, arguments=listing.kwargs, query=listing.state_query(),
        title=str(title)[:255], actor=listing.user, language=get_language() or "vi",
        filename=filename(listing)[:150])
    run_export.enqueue(run.pk)
    return run


def new_file_name() -> str:
    return f"{uuid.uuid4()}.xlsx"


def file_path(name: str) -> Path | None:
    """The stored export behind a name (a uuid and .xlsx, nothing else), if it exists."""
    return stored_by_uuid(folder(), name, (".xlsx",))


def forget_old_exports(max_age: timedelta = KEEP) -> int:
    """Delete export files older than `max_age` (their runs then say the file is gone)."""
    limit = time.time() - max_age.total_seconds()
    old = [path for path in folder().glob("*.xlsx") if path.stat().st_mtime < limit]
    for path in old:
        path.unlink(missing_ok=True)
    ExportRun.objects.filter(file__in=[path.name for path in old]).update(file="")
    return len(old)
