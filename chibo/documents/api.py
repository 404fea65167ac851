"""API of the library: the documents the caller may see (same scoping as the pages), a
document's reading figures, its file, and publishing with an upload."""

from datetime import date, datetime

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from chibo.core.concurrency import send_version
from chibo.core.exceptions import RuleViolation
from chibo.core.validation import (
    api_code,
    api_date,
    api_limit,
    api_offset,
    api_query_text,
    api_text,
    record_id,
)
from chibo.documents import queries, services
from chibo.documents.choices import DocumentKind
from chibo.documents.files import file_response
from chibo.documents.models import Document
from chibo.documents.views import visible_document
from chibo.organizations.models import Organization

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    issuing_body: str
    issued_on: date | None
    summary: str
    key_points: list[str]
    audience: str
    file_name: str
    content_type: str
    file_size: int
    file_url: str
    published_at: datetime
    withdrawn: bool


class DocumentPage(Schema):
    count: int
    items: list[DocumentOut]


DocumentId = record_id()


class DocumentFilters(Schema):
    q: api_query_text() = ""
    kind: DocumentKind | None = None
    limit: api_limit(200) = 50
    offset: api_offset() = 0


class CellReads(Schema):
    cell: str
    name: str
    members: int
    read: int


class DocumentIn(Schema):
    kind: DocumentKind
    title: api_text(Document, "title", required=True)
    issuing_body: api_text(Document, "issuing_body", required=True)
    audience: api_code()
    number: api_text(Document, "number") = ""
    issued_on: api_date() | None = None
    summary: api_text(Document, "summary") = ""
    key_points: api_text(Document, "key_points") = ""


def _out(document: Document) -> dict:
    return {
        "id": document.pk, "kind": document.kind, "number": document.number,
        "title": document.title, "issuing_body": document.issuing_body,
        "issued_on": document.issued_on, "summary": document.summary,
        "key_points": document.key_point_list(), "audience": document.audience_org.code,
        "file_name": document.file_name, "content_type": document.content_type,
        "file_size": document.file_size,
        "file_url": reverse("api:document_file", kwargs={"pk": document.pk}),
        "published_at": document.published_at, "withdrawn": document.withdrawn_at is not None,
    }


@router.get("", response=DocumentPage)
def list_documents(request, filters: Query[DocumentFilters]):
    """Documents addressed to the caller's part of the tree; `q` ignores diacritics."""
    documents = queries.search(Document.objects.visible_to(request.user), filters.q,
                               filters.kind or "").select_related("audience_org")
    limit = max(1, min(filters.limit, 200))
    offset = max(0, filters.offset)
    return {"count": documents.count(),
            "items": [_out(d) for d in documents[offset:offset + limit]]}


@router.get("/{pk}", response=DocumentOut)
def get_document(request, pk: DocumentId, response: HttpResponse):
    document = visible_document(request.user, pk)
    send_version(response, document)
    return _out(document)


@router.get("/{pk}/reads", response=list[CellReads])
def document_reads(request, pk: DocumentId):
    """Per cell of the audience inside the caller's member scope: members and readers."""
    document = visible_document(request.user, pk)
    return [{"cell": row["cell__code"], "name": row["cell__name"], "members": row["total"],
             "read": row["read"]} for row in queries.reads_by_cell(document, request.user)]


@router.get("/{pk}/file", url_name="document_file")
def document_file(request, pk: DocumentId):
    return file_response(visible_document(request.user, pk))


@router.post("", response={201: DocumentOut})
def publish(request, response: HttpResponse, data: Form[DocumentIn],
            file: File[UploadedFile] = None):
    """Upload a PDF or Word file (multipart) addressed to `audience` (an organization code)."""
    audience = Organization.objects.visible_to(request.user).filter(code=data.audience).first()
    if audience is None:
        raise RuleViolation(_("Không có tổ chức mã %(code)s trong phạm vi của bạn.")
                            % {"code": data.audience}, field="audience")
    new = services.NewDocument(
        kind=data.kind, title=data.title, issuing_body=data.issuing_body, audience_org=audience,
        number=data.number, issued_on=data.issued_on, summary=data.summary,
        key_points=data.key_points)
    document = services.publish_document(new, file, actor=request.user)
    send_version(response, document)
    return Status(201, _out(document))
