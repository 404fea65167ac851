"""The library's contract routes (chibo.documents): a document addressed to the cell of Đồng Mạ
(D1.X1.C1) is read by everyone whose scope or cell it reaches, and managed (withdrawn) by whoever
holds document.manage over it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.documents.capabilities import MANAGE_DOCUMENTS
from chibo.documents.models import Document
from tests.contract.registry import (
    EVERYONE,
    SEE_CELL,
    DomainFixtures,
    Route,
    classes,
    own,
    register,
)
from tests.test_documents import PDF, publish

READERS = classes(SEE_CELL, SEE_CELL)
MANAGERS = ("admin", "province", "commune", "secretary")
ON_CELL = {"org": "D1.X1.C1", "capability": "org.view", **READERS}
TITLE = "Về tăng cường củng cố, xây dựng tổ chức cơ sở đảng"


def build(world, people) -> dict:
    return {"document": publish(world.orgs["D1.X1.C1"]).pk}


def document_of(built) -> dict:
    return {"document": built.records["documents"]["document"]}


def withdrawn(built):
    return Document.objects.get(pk=document_of(built)["document"]).withdrawn_at is not None


def documents(built) -> int:
    return Document.objects.count()


def new_document(built) -> dict:
    return {"kind": "resolution", "title": "Nghị quyết chi bộ tháng 3",
            "issuing_body": "Chi bộ thôn Đồng Mạ", "audience": "D1.X1.C1",
            "file": SimpleUploadedFile("nghi-quyet.pdf", PDF, content_type="application/pdf")}


register(DomainFixtures(
    key="documents", build=build, pages=("documents",), api=("documents",),
    routes=(
        # the library lists what reaches the user: no organization's page
        Route("documents:list", "/documents/", **own(EVERYONE)),
        Route("documents:publish", "/documents/new/",
              **own(("admin", "province", "commune", "other_commune", "secretary"))),
        Route("documents:detail", "/documents/{document}/", kwargs=document_of, **ON_CELL,
              shows=TITLE),
        Route("documents:file", "/documents/{document}/file/", kwargs=document_of, **ON_CELL),
        Route("documents:withdraw", "/documents/{document}/withdraw/", kwargs=document_of,
              method="POST", org="D1.X1.C1", capability=MANAGE_DOCUMENTS,
              **classes(SEE_CELL, MANAGERS), success=302, state=withdrawn),
        Route("api:list_documents", "/api/v1/documents", **own(EVERYONE)),
        Route("api:get_document", "/api/v1/documents/{document}", kwargs=document_of,
              **ON_CELL, shows=TITLE),
        Route("api:document_reads", "/api/v1/documents/{document}/reads", kwargs=document_of,
              **ON_CELL),
        Route("api:document_file", "/api/v1/documents/{document}/file", kwargs=document_of,
              **ON_CELL),
        Route("api:publish", "/api/v1/documents", method="POST", multipart=True,
              org="D1.X1.C1", capability=MANAGE_DOCUMENTS, **classes(SEE_CELL, MANAGERS),
              body=new_document, success=201, state=documents,
              xfail={user: "an audience outside the caller's reach, named in the body, is "
                           "refused on its field (422, docs/api.md)"
                     for user in ("other_commune", "nobody")}),
    ),
))
