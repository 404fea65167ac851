"""Serving a stored upload (library documents, meeting attachments) to a reader already
checked by the calling view: the one place that sets the headers.

- A missing file on disk is a 404, not a 500.
- The type is the one checked at upload (chibo.core.uploads), never sniffed (nosniff).
- PDF opens in the browser (inline), everything else downloads (attachment), under the
  cleaned original name.
- A CSP `sandbox` keeps any script inside the file from running as the site. Checked with
  Chromium 156 (headless=new, Debian): an inline PDF served with "sandbox; default-src 'none'"
  renders in the built-in PDF viewer exactly as without the header, so PDFs keep it.
- Cache-Control private: shared caches must not keep a file that needs a login.
"""

import uuid
from pathlib import Path

from django.http import FileResponse, Http404

INLINE_TYPES = frozenset({"application/pdf"})
FILE_CSP = "sandbox; default-src 'none'"


def serve_stored_file(field_file, content_type: str, filename: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):  # ValueError: the row has no file at all
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type,
                            as_attachment=content_type not in INLINE_TYPES, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = FILE_CSP
    return response


def stored_by_uuid(folder, name: str, suffixes) -> Path | None:
    """The file stored in `folder` under a generated name (a uuid and one of `suffixes`, such
    as ".xlsx"), if it exists. Anything else in `name` finds nothing, so a name taken from a
    request or a task cannot reach another file."""
    stem, _dot, suffix = name.partition(".")
    try:
        uuid.UUID(stem)
    except ValueError:
        return None
    path = Path(folder) / f"{stem}.{suffix}"
    return path if f".{suffix}" in suffixes and path.exists() else None
