"""Checks on uploaded files: the type comes from the content, not from the name or the browser.

Accepted: PDF (starts with "%PDF-"), Word 2007+ (.docx: a zip with [Content_Types].xml and
word/document.xml), OpenDocument text (.odt: a zip whose "mimetype" entry says so) and Word 97
(.doc: the OLE compound-file header). Everything else, and anything over the size limit, is
refused with a Vietnamese message before anything is written.

Shared by the documents library and meeting attachments; each passes its own size limit
(settings CHIBO_DOCUMENT_MAX_BYTES, CHIBO_MEETING_ATTACHMENT_MAX_BYTES).
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from chibo.core.exceptions import RuleViolation

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIME = b"application/vnd.oasis.opendocument.text"
MAX_ZIP_ENTRIES = 5000  # a real Word file has tens; thousands means something else


@dataclass(frozen=True)
class FileKind:
    name: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
DOCX = FileKind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                (".docx",))
ODT = FileKind("OpenDocument", "application/vnd.oasis.opendocument.text", (".odt",))
DOC = FileKind("Word 97", "application/msword", (".doc",))


def _zip_kind(upload) -> FileKind | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_ENTRIES:
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if ("mimetype" in names and archive.getinfo("mimetype").file_size < 100
                    and archive.read("mimetype").strip() == ODT_MIME):
                return ODT
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def sniff(upload) -> FileKind | None:
    """The kind of file by its content, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == OLE_HEADER:
        return DOC
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        upload.seek(0)
        return kind
    return None


def check_upload(upload, *, max_bytes: int) -> FileKind:
    """The file's kind, or RuleViolation (field "file") naming what is wrong."""
    if upload is None:
        raise RuleViolation(_("Chọn tệp tài liệu để tải lên."), field="file")
    limit = max_bytes
    if upload.size > limit:
        raise RuleViolation(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": f"{round(limit / 1048576, 2):g}"},
            field="file")
    if upload.size == 0:
        raise RuleViolation(_("Tệp rỗng."), field="file")
    kind = sniff(upload)
    if kind is None:
        raise RuleViolation(_("Chỉ nhận tệp PDF hoặc Word (.pdf, .docx, .doc, .odt); nội dung "
                              "tệp này không phải loại đó."), field="file")
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in kind.extensions:
        raise RuleViolation(
            _("Tên tệp có đuôi “%(ext)s” nhưng nội dung là %(kind)s; hãy đổi tên tệp cho đúng.")
            % {"ext": extension or "—", "kind": kind.name}, field="file")
    return kind


def safe_file_name(name: str, kind: FileKind) -> str:
    """A download name without path parts or control characters, with the right ending."""
    stem = PurePath(name.replace("\\", "/")).stem
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '"/;').strip() or "tai-lieu"
    return stem[:150] + kind.extensions[0]
