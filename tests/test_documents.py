"""The documents library: upload checks, who sees what, file serving, read receipts, API."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core import uploads
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.documents import services
from chibo.documents.models import Document, DocumentRead

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLE = uploads.OLE_HEADER + b"\x00" * 504


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def upload(name="21-NQ-TW.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def publish(org, *, actor=SYSTEM, number="21-NQ/TW", title="Về tăng cường củng cố, xây dựng "
            "tổ chức cơ sở đảng", file=None, kind="resolution"):
    return services.publish_document(services.NewDocument(
        kind=kind, number=number, title=title, issuing_body="Ban Chấp hành Trung ương",
        audience_org=org, summary="Nâng cao năng lực lãnh đạo của tổ chức cơ sở đảng.",
        key_points="- Đổi mới sinh hoạt chi bộ\n- Nâng cao chất lượng đảng viên"),
        file or upload(), actor=actor)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("a.pdf", PDF, uploads.PDF), ("a.docx", DOCX, uploads.DOCX), ("a.odt", ODT, uploads.ODT),
    ("a.doc", OLE, uploads.DOC), ("A.PDF", PDF, uploads.PDF),
])
def test_accepted_files_are_recognised_by_content(name, content, kind):
    assert uploads.check_upload(upload(name, content), max_bytes=1024 * 1024) == kind


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.pdf", b"<html><script>alert(1)</script>", "Chỉ nhận tệp PDF hoặc Word"),
    ("a.docx", XLSX, "Chỉ nhận tệp PDF hoặc Word"),
    ("a.docx", b"PK\x03\x04 broken zip", "Chỉ nhận tệp PDF hoặc Word"),
    ("a.html", PDF, "nội dung là PDF"),
    ("a.docx", PDF, "nội dung là PDF"),
    ("a.pdf", b"", "Tệp rỗng"),
])
def test_bad_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(RuleViolation, match=message) as error:
        uploads.check_upload(upload(name, content), max_bytes=1024 * 1024)
    assert error.value.field == "file"


@override_settings(CHIBO_DOCUMENT_MAX_BYTES=1024 * 1024)
def test_size_limit(world):
    big = upload("big.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(RuleViolation, match="giới hạn là 1 MB"):
        publish(world.orgs["TQ"], file=big)
    assert not Document.objects.exists()


def test_publish_stores_under_a_random_name_and_audits(world):
    document = publish(world.orgs["TQ"], file=upload("../../etc/Nghị quyết 21.pdf"))
    assert document.file_name == "Nghị quyết 21.pdf"
    assert "/" not in document.file.name.split("/", 2)[-1] and ".." not in document.file.name
    assert document.file.name.endswith(".pdf") and document.content_type == "application/pdf"
    assert document.file.read() == PDF
    assert AuditRecord.objects.filter(action="document.publish").count() == 1
    assert document.search_key.startswith("21-nq/tw ve tang cuong")


def test_who_may_publish_where(world):
    users = world.users
    publish(world.orgs["D1.X1"], actor=users["commune"])  # clerk, own subtree
    publish(world.orgs["D1.X1.C1"], actor=users["secretary"])  # secretary, own cell
    for username, code in [("commune", "TQ"), ("secretary", "D1.X1"), ("member", "D1.X1.C1"),
                           ("viewer", "D1"), ("inspector", "TQ"), ("other_commune", "D1.X1")]:
        with pytest.raises(PermissionDenied):
            publish(world.orgs[code], actor=users[username])
    assert Document.objects.count() == 2


def test_bad_input_writes_nothing(world):
    with pytest.raises(RuleViolation, match="trích yếu"):
        publish(world.orgs["TQ"], title="  ")
    with pytest.raises(RuleViolation):
        publish(world.orgs["TQ"], kind="poem")
    assert not Document.objects.exists() and not AuditRecord.objects.filter(
        action="document.publish").exists()


@pytest.fixture
def library(world, people):
    o = world.orgs
    return {
        "province": publish(o["TQ"], number="21-NQ/TW"),
        "commune": publish(o["D1.X1"], number="05-NQ/ĐU", title="Nghị quyết của Đảng ủy xã"),
        "cell": publish(o["D1.X1.C1"], number="01-NQ/CB", title="Nghị quyết chi bộ Đồng Mạ"),
        "other_cell": publish(o["D1.X1.C2"], number="02-NQ/CB", title="Chi bộ Nà Khà"),
        "other_commune": publish(o["D2.X1"], number="07-NQ/ĐU", title="Đảng ủy xã Yên Lâm"),
    }


def numbers(documents):
    return sorted(d.number for d in documents)


def test_members_see_what_is_addressed_to_their_part_of_the_tree(world, library, people):
    assert numbers(Document.objects.addressed_to(people["lan"])) == [
        "01-NQ/CB", "05-NQ/ĐU", "21-NQ/TW"]
    assert numbers(Document.objects.visible_to(world.users["member"])) == [
        "01-NQ/CB", "05-NQ/ĐU", "21-NQ/TW"]
    assert numbers(Document.objects.visible_to(world.users["commune"])) == [
        "01-NQ/CB", "02-NQ/CB", "05-NQ/ĐU", "21-NQ/TW"]
    assert numbers(Document.objects.visible_to(world.users["other_commune"])) == [
        "07-NQ/ĐU", "21-NQ/TW"]
    assert len(Document.objects.visible_to(world.users["province"])) == 5
    assert not Document.objects.visible_to(world.users["nobody"]).exists()


def test_staff_pages_are_scoped(world, library):
    cell_doc = library["cell"].pk
    assert world.client("commune").get(f"/documents/{cell_doc}/").status_code == 200
    assert world.client("other_commune").get(f"/documents/{cell_doc}/").status_code == 404
    assert world.client("nobody").get(f"/documents/{cell_doc}/file/").status_code == 404
    body = world.client("commune").get("/documents/?q=nghi quyet chi bo").content.decode()
    assert "01-NQ/CB" in body and "07-NQ/ĐU" not in body and "21-NQ/TW" not in body
    assert world.client(None).get("/documents/").status_code == 302


def test_file_is_served_safely(world, library):
    response = world.client("other_commune").get(f"/documents/{library['province'].pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_word_files_download(world):
    document = publish(world.orgs["TQ"], file=upload("Hướng dẫn.docx", DOCX), kind="guidance")
    response = world.client("province").get(f"/documents/{document.pk}/file/")
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"].startswith("attachment;")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_upload_page(world):
    client = world.client("commune")
    assert client.get("/documents/new/").status_code == 200
    data = {"kind": "resolution", "number": "03-NQ/ĐU", "title": "Về chuyển đổi số",
            "issuing_body": "Đảng ủy xã An Phú", "audience": "D1.X1"}
    refused = client.post("/documents/new/", {**data, "file": upload("x.pdf", b"MZ\x90\x00")})
    assert "Chỉ nhận tệp PDF hoặc Word" in refused.content.decode()
    outside = client.post("/documents/new/", {**data, "audience": "D2.X1", "file": upload()})
    assert "trong phạm vi của bạn" in outside.content.decode()
    assert not Document.objects.exists()
    done = client.post("/documents/new/", {**data, "file": upload()})
    assert done.status_code == 302
    assert Document.objects.get().audience_org.code == "D1.X1"
    assert world.client("viewer").get("/documents/new/").status_code == 403


def test_reading_is_recorded_once_and_counted_per_cell(world, library, people):
    document = library["province"]
    member = world.client("member")
    assert member.get(f"/handbook/documents/{document.pk}/").status_code == 200
    assert member.get(f"/handbook/documents/{document.pk}/file/").status_code == 200
    assert DocumentRead.objects.filter(document=document).count() == 1
    body = world.client("secretary").get(f"/documents/{document.pk}/").content.decode()
    assert "✓ Nông Thị Lan" in body and "○ Ma Văn Thắng" in body
    assert "1 trên 5 đảng viên đã đọc" in body
    reads = world.client("commune").get(f"/api/v1/documents/{document.pk}/reads").json()
    assert {r["cell"]: (r["read"], r["members"]) for r in reads} == {
        "D1.X1.C1": (1, 5), "D1.X1.C2": (0, 2)}


def test_reading_something_not_addressed_is_refused(world, library, people):
    with pytest.raises(PermissionDenied):
        services.record_reading(library["other_cell"], people["lan"])
    assert world.client("member").get(
        f"/handbook/documents/{library['other_cell'].pk}/").status_code == 404


def test_withdrawn_documents_leave_the_handbook(world, library, people):
    document = library["commune"]
    assert world.client("secretary").post(f"/documents/{document.pk}/withdraw/").status_code == 403
    document.refresh_from_db()
    assert document.withdrawn_at is None  # the secretary manages their cell only
    world.client("commune").post(f"/documents/{document.pk}/withdraw/")
    document.refresh_from_db()
    assert document.withdrawn_at is not None
    assert world.client("member").get(f"/handbook/documents/{document.pk}/").status_code == 404
    # Readers without document.manage there: gone from pages, files and API alike.
    for username in ("member", "secretary", "viewer"):
        client = world.client(username)
        for url in (f"/documents/{document.pk}/", f"/documents/{document.pk}/file/",
                    f"/api/v1/documents/{document.pk}", f"/api/v1/documents/{document.pk}/file",
                    f"/api/v1/documents/{document.pk}/reads"):
            assert client.get(url).status_code == 404, (username, url)
        assert "05-NQ/ĐU" not in client.get("/documents/").content.decode()
        assert "05-NQ/ĐU" not in str(client.get("/api/v1/documents").json())
    # Who manages documents there still sees what was withdrawn, marked so.
    commune = world.client("commune")
    assert commune.get(f"/documents/{document.pk}/").status_code == 200
    assert commune.get(f"/api/v1/documents/{document.pk}").json()["withdrawn"] is True


def test_api_same_scoping(world, library):
    page = world.client("member").get("/api/v1/documents?q=NGHI QUYET").json()
    assert numbers_of(page) == ["01-NQ/CB", "05-NQ/ĐU"]
    assert world.client("other_commune").get(
        f"/api/v1/documents/{library['cell'].pk}").status_code == 404
    one = world.client("commune").get(f"/api/v1/documents/{library['cell'].pk}").json()
    assert one["key_points"] == ["Đổi mới sinh hoạt chi bộ", "Nâng cao chất lượng đảng viên"]
    file = world.client("commune").get(one["file_url"])
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"
    assert world.client(None).get("/api/v1/documents").status_code == 401


def numbers_of(page):
    return sorted(item["number"] for item in page["items"])


def test_api_publish(world):
    client = world.client("commune")
    data = {"kind": "plan", "title": "Kế hoạch học tập nghị quyết", "number": "12-KH/ĐU",
            "issuing_body": "Đảng ủy xã An Phú", "audience": "D1.X1"}
    created = client.post("/api/v1/documents", {**data, "file": upload("kh.pdf")})
    assert created.status_code == 201 and created.json()["audience"] == "D1.X1"
    bad = client.post("/api/v1/documents", {**data, "file": upload("kh.pdf", b"hello")})
    assert bad.status_code == 422 and bad.json()["field"] == "file"
    assert client.post("/api/v1/documents", {**data, "audience": "TQ",
                                             "file": upload()}).status_code == 422
    assert world.client("viewer").post("/api/v1/documents", {
        **data, "audience": "D1", "file": upload()}).status_code == 403
    assert Document.objects.count() == 1


def test_demo_library(world, people):
    from chibo.documents.demo import build_library

    assert build_library() == 14
    lan = people["lan"]
    addressed = Document.objects.addressed_to(lan)
    assert addressed.count() == 14 and addressed.filter(number="21-NQ/TW").exists()
    assert Document.objects.visible_to(world.users["other_commune"]).count() == 12
    first = addressed.get(number="21-NQ/TW")
    assert first.file.read().startswith(b"%PDF-1.4") and first.reads.count() == 2  # 2 of 4
    assert not first.reads.filter(member=lan).exists()


def test_openapi_lists_the_document_endpoints(world):
    paths = world.client("member").get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/documents", "/api/v1/documents/{pk}", "/api/v1/documents/{pk}/file",
            "/api/v1/documents/{pk}/reads"} <= set(paths)


def test_a_file_missing_on_disk_is_a_404_on_every_route(world, people, settings, tmp_path):
    """One helper (chibo.core.files) serves library documents and meeting attachments on the
    staff pages, the API and the handbook; a stored file gone from disk is a 404, not a 500."""
    from datetime import timedelta

    from django.utils import timezone

    from chibo.meetings import services as meeting_services
    from chibo.meetings.services import NewMeeting

    settings.MEDIA_ROOT = tmp_path
    document = publish(world.orgs["D1.X1.C1"], number="01-NQ/CB")
    meeting = meeting_services.schedule_meeting(NewMeeting(
        organization=world.orgs["D1.X1.C1"], kind="regular", topic="Họp", place="Nhà văn hóa",
        date=timezone.localdate() + timedelta(days=5)), actor=SYSTEM)
    attachment = meeting_services.add_attachment(
        meeting, SimpleUploadedFile("du-thao.pdf", PDF), actor=SYSTEM)
    urls = [f"/documents/{document.pk}/file/", f"/api/v1/documents/{document.pk}/file",
            f"/handbook/documents/{document.pk}/file/",
            f"/meetings/{meeting.code}/documents/{attachment.pk}/",
            f"/handbook/meetings/{meeting.pk}/files/{attachment.pk}/"]
    client = world.client("member")
    for url in urls:  # inside: served with the same headers everywhere
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Cache-Control"].startswith("private"), url
        assert response["Content-Disposition"].startswith("inline; filename="), url
        assert b"".join(response.streaming_content) == PDF, url
    document.file.storage.delete(document.file.name)
    attachment.file.storage.delete(attachment.file.name)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert world.client("other_commune").get(urls[0]).status_code == 404


def test_read_counts_join_only_the_reads_of_this_document(world, library, people):
    """Reads of other documents neither count nor get joined: the document is part of the
    JOIN condition (FilteredRelation), so the query costs per document, not per member's
    whole reading history."""
    from chibo.documents import queries

    document, other = library["province"], library["commune"]
    for member in ("lan", "thang", "hoa"):
        services.record_reading(other, people[member])
    services.record_reading(document, people["lan"])
    query = queries.reads_by_cell_query(document, world.users["commune"])
    sql = str(query.query)
    join = sql[sql.index("LEFT OUTER JOIN"):sql.index("WHERE")]
    assert "document_id" in join and str(document.pk) in join
    assert {r["cell__code"]: (r["read"], r["total"]) for r in query} == {
        "D1.X1.C1": (1, 5), "D1.X1.C2": (0, 2)}


def test_api_reads_follow_the_scope(world, library, people):
    services.record_reading(library["province"], people["lan"])
    services.record_reading(library["province"], people["yen"])
    commune = world.client("commune").get(f"/api/v1/documents/{library['commune'].pk}/reads")
    assert commune.status_code == 200  # inside: the commune's own cells
    outside = world.client("other_commune").get(
        f"/api/v1/documents/{library['commune'].pk}/reads")
    assert outside.status_code == 404
    # A province-wide document: each caller sees only the cells in their member scope.
    rows = world.client("other_commune").get(
        f"/api/v1/documents/{library['province'].pk}/reads").json()
    assert {r["cell"]: (r["read"], r["members"]) for r in rows} == {"D2.X1.C1": (1, 1)}
    member = world.client("member").get(f"/api/v1/documents/{library['province'].pk}/reads")
    assert member.status_code == 200 and member.json() == []  # no one else's reading
    assert world.client("member").get(
        f"/api/v1/documents/{library['other_commune'].pk}/reads").status_code == 404
    assert world.client("nobody").get(
        f"/api/v1/documents/{library['province'].pk}/reads").status_code == 404


def test_the_library_pages_every_document_and_says_how_many(world, people, monkeypatch):
    """On the list pattern: no silent cut (it used to stop at 50), each word searched."""
    import re

    from chibo.lists.spec import LISTS

    monkeypatch.setattr(LISTS["documents.list"], "page_size", 3)
    made = [publish(world.orgs["D1.X1"], number=f"{n}-NQ/ĐU", title=f"Nghị quyết số {n}")
            for n in range(1, 8)]
    client, url, seen = world.client("commune"), "/documents/?", []
    while url:
        body = client.get(url).content.decode()
        seen += [int(pk) for pk in re.findall(r'href="/documents/(\d+)/"', body)]
        found = re.search(r'href="(\?[^"]*)" rel="next"', body)
        url = "/documents/" + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == [d.pk for d in reversed(made)]
    assert "Dòng 1–3 trong 7 tài liệu" in client.get("/documents/").content.decode()
    body = client.get("/documents/?q=so+7+nghi").content.decode()  # words in any order
    assert re.findall(r'href="/documents/(\d+)/"', body) == [str(made[-1].pk)]
