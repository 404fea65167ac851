"""The import page: upload, dry-run report, confirm; the Excel template."""

import io
import zipfile
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.interchange.models import ImportRun
from chibo.members.models import Member

BUNDLE = Path(__file__).resolve().parent / "bundles" / "province-99" / "bundle"


def zipped(files: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("goi.zip", buffer.getvalue(), content_type="application/zip")


def test_who_may_open_the_page(world):
    assert world.client("admin").get("/import/").status_code == 200
    assert world.client("province").get("/import/").status_code == 200  # organizer of the root
    for username in ("commune", "inspector", "member"):
        assert world.client(username).get("/import/").status_code == 403, username
    assert world.client(None).get("/import/").status_code == 302


def test_upload_dry_run_then_confirm(db):
    from chibo.accounts.policy import SYSTEM
    from chibo.accounts.services import create_user

    admin = create_user(actor=SYSTEM, username="boss", password="x-12345678", is_superuser=True)
    from django.test import Client

    client = Client()
    client.force_login(admin)
    files = {p.name: p.read_bytes() for p in BUNDLE.iterdir()}
    response = client.post("/import/", {"bundle": zipped(files)})
    body = response.content.decode()
    assert response.status_code == 200 and "Xác nhận nhập" in body and "members.csv: 606" in body
    assert Member.objects.count() == 0  # a dry run writes nothing
    token = response.context["token"]
    response = client.post("/import/", {"confirm": token})
    assert response.status_code == 302  # to the run's page (tests/test_import_runs.py)
    assert Member.objects.count() == 606 and ImportRun.objects.count() == 1


def test_errors_are_listed_and_nothing_is_written(world):
    bad = (b"member_code,full_name,gender,birth_date,admitted_on,org_code\n"
           b"M1,A,other,2000-01-01,2020-01-01,D1.X1.C1\n")
    response = world.client("admin").post("/import/", {"bundle": zipped({"members.csv": bad})})
    body = response.content.decode()
    assert "members.csv:2:gender" in body and "Xác nhận nhập" not in body
    assert not Member.objects.exists()


def test_wrong_file_type_is_refused(world):
    upload = SimpleUploadedFile("goi.txt", b"hello")
    response = world.client("admin").post("/import/", {"bundle": upload}, follow=True)
    assert ".zip" in response.content.decode()


def test_excel_template_has_every_file_and_notes(world):
    response = world.client("province").get("/import/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["organizations", "villages", "org_changes", "members",
                               "member_events", "positions", "meetings", "attendance",
                               "meeting_guests"]
    first = book["members"]["A1"]
    assert first.value == "member_code" and "Mã đảng viên" in first.comment.text
