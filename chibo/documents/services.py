"""Changes to the library: publish, withdraw, and the record that a member read a document."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.policy import require
from chibo.audit.services import record_change
from chibo.core import uploads
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.documents.capabilities import MANAGE_DOCUMENTS
from chibo.documents.choices import DocumentKind
from chibo.documents.models import Document, DocumentRead
from chibo.documents.queries import document_search_key
from chibo.members.models import Member
from chibo.organizations.models import Organization


@dataclass
class NewDocument:
    kind: str
    title: str
    issuing_body: str
    audience_org: Organization
    number: str = ""
    issued_on: date | None = None
    summary: str = ""
    key_points: str = ""


DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_document_bytes() -> int:
    return getattr(settings, "CHIBO_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def snapshot(document: Document) -> dict:
    return {"kind": document.kind, "number": document.number, "title": document.title,
            "issuing_body": document.issuing_body, "issued_on": document.issued_on,
            "audience": document.audience_org.code, "file_name": document.file_name,
            "content_type": document.content_type, "file_size": document.file_size,
            "withdrawn_at": document.withdrawn_at}


def _check(data: NewDocument) -> None:
    if data.kind not in DocumentKind.values:
        raise RuleViolation(_("Loại văn bản không hợp lệ."), field="kind")
    if not data.title.strip():
        raise RuleViolation(_("Cần ghi trích yếu (tên) của tài liệu."), field="title")
    if not data.issuing_body.strip():
        raise RuleViolation(_("Cần ghi cơ quan ban hành."), field="issuing_body")
    if data.issued_on and data.issued_on > timezone.localdate():
        raise RuleViolation(_("Ngày ban hành không thể sau hôm nay."), field="issued_on")
    if data.audience_org.ended_on is not None:
        raise RuleViolation(_("Tổ chức nhận đã giải thể hoặc hợp nhất."), field="audience")


def publish_document(data: NewDocument, upload, *, actor) -> Document:
    """Put a checked file into the library, addressed to `audience_org` and its subtree."""
    require(actor, MANAGE_DOCUMENTS, data.audience_org)
    _check(data)
    kind = uploads.check_upload(upload, max_bytes=max_document_bytes())
    document = Document(
        kind=data.kind, number=data.number.strip(), title=data.title.strip(),
        issuing_body=data.issuing_body.strip(), issued_on=data.issued_on,
        summary=data.summary.strip(), key_points=data.key_points.strip(),
        audience_org=data.audience_org, content_type=kind.content_type,
        file_name=uploads.safe_file_name(upload.name or "", kind), file_size=upload.size,
        published_at=timezone.now(), published_by=actor if getattr(actor, "pk", None) else None,
    )
    document.search_key = document_search_key(document)
    # The stored name is random: the uploader's name never becomes a path on disk.
    document.file.save(f"{uuid.uuid4().hex}{kind.extensions[0]}", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            record_change("document.publish", actor=actor, obj=document,
                          after=snapshot(document))
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def withdraw_document(document: Document, *, actor) -> Document:
    """Take a document out of members' library (kept for the record, like everything else)."""
    document = Document.objects.select_for_update().select_related("audience_org").get(
        pk=document.pk)
    require(actor, MANAGE_DOCUMENTS, document.audience_org)
    if document.withdrawn_at is not None:
        raise RuleViolation(_("Tài liệu đã được thu hồi."))
    before = snapshot(document)
    document.withdrawn_at = timezone.now()
    document.save(update_fields=["withdrawn_at"])
    record_change("document.withdraw", actor=actor, obj=document, before=before,
                  after=snapshot(document))
    return document


def record_reading(document: Document, member: Member) -> DocumentRead:
    """Note that `member` opened the document; the first time counts, later ones change nothing.

    Not an audit event: a reading receipt is itself the record, and it is written on every
    first view, so it stays one small insert.
    """
    if not Document.objects.addressed_to(member).filter(pk=document.pk).exists():
        raise PermissionDenied("document not addressed to the member")
    existing = DocumentRead.objects.filter(document=document, member=member).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return DocumentRead.objects.create(document=document, member=member,
                                               first_read_at=timezone.now())
    except IntegrityError:  # the same member opened it twice at once
        return DocumentRead.objects.get(document=document, member=member)
