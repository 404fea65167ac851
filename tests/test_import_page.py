"""The import page: upload, dry-run report, confirm; the Excel template."""

import io
import os
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.interchange import views
from chibo.interchange.models import ImportRun, ImportStatus
from chibo.interchange.tasks import SUFFIXES, forget_stale_uploads, run_import, uploads
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


# Runs that never end, confirmations twice, uploads left behind ------------------------------

GOOD = (b"member_code,full_name,gender,birth_date,admitted_on,org_code\n"
        b"M1,A,male,2000-01-01,2020-01-01,D1.X1.C1\n")


def _stored_uploads() -> set[str]:
    return {path.name for path in uploads().iterdir() if path.suffix in SUFFIXES}


def _queue_without_worker(monkeypatch) -> None:
    """Confirmed runs stay queued, as when no worker runs (the tests run tasks at once)."""
    monkeypatch.setattr(views, "run_import", SimpleNamespace(enqueue=lambda run_id: None))


def test_a_run_whose_worker_died_is_failed_when_its_page_is_viewed_or_a_task_starts(world):
    def running(hours: float) -> ImportRun:
        return ImportRun.objects.create(
            source="goi.zip", actor=world.users["province"], actor_name="province",
            status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(hours=hours),
            rows_done=40, rows_total=100)

    stuck, busy = running(3), running(0.5)
    body = world.client("province").get(f"/import/runs/{stuck.pk}/progress").content.decode()
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED and stuck.finished_at is not None
    assert "bị gián đoạn" in stuck.errors[0] and "bị gián đoạn" in body
    assert 'hx-trigger' not in body and stuck.rows_done == 40
    busy.refresh_from_db()
    assert busy.status == ImportStatus.RUNNING  # within the limit: still importing
    stuck_too = running(5)
    queued = ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                      actor_name="province", status=ImportStatus.QUEUED)
    run_import.call(queued.pk)
    stuck_too.refresh_from_db()
    assert stuck_too.status == ImportStatus.FAILED and "bị gián đoạn" in stuck_too.errors[0]


def test_a_run_queued_for_long_stops_polling_and_says_no_worker_runs(world):
    run = ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                   actor_name="province", status=ImportStatus.QUEUED)
    client = world.client("province")
    body = client.get(f"/import/runs/{run.pk}/progress").content.decode()
    assert 'hx-trigger="every 1s"' in body and "quản trị" not in body  # just queued: polls
    ImportRun.objects.filter(pk=run.pk).update(at=timezone.now() - timedelta(minutes=10))
    body = client.get(f"/import/runs/{run.pk}/").content.decode()
    assert "hx-trigger" not in body and "không có tiến trình chạy nền" in body
    assert "báo quản trị" in body and f'href="/import/runs/{run.pk}/"' in body  # refresh by hand


def test_an_upload_is_confirmed_once_and_only_by_who_checked_it(world, monkeypatch):
    _queue_without_worker(monkeypatch)
    client = world.client("province")
    response = client.post("/import/", {"bundle": zipped({"members.csv": GOOD})})
    token = response.context["token"]
    assert response.context["errors"] == []
    # Another importer (an administrator) who did not check it cannot confirm it.
    assert world.client("admin").post("/import/", {"confirm": token}).status_code == 404
    first = client.post("/import/", {"confirm": token})
    run = ImportRun.objects.get()
    assert first.url == f"/import/runs/{run.pk}/"
    again = client.post("/import/", {"confirm": token}, follow=True)
    assert ImportRun.objects.count() == 1
    assert "đã được xác nhận nhập" in again.content.decode()
    (uploads() / token).unlink()


def test_a_failed_dry_run_deletes_its_upload(world):
    before = _stored_uploads()
    bad = GOOD.replace(b"male", b"other")
    response = world.client("admin").post("/import/", {"bundle": zipped({"members.csv": bad})})
    assert response.context["errors"] and _stored_uploads() == before
    not_a_zip = SimpleUploadedFile("goi.zip", b"not a zip")
    response = world.client("admin").post("/import/", {"bundle": not_a_zip})
    assert "không phải là tệp .zip" in response.content.decode()
    assert _stored_uploads() == before


def test_uploads_being_imported_are_not_forgotten(world):
    running = uploads() / "00000000-0000-4000-8000-0000000000a1.zip"
    running.write_bytes(b"PK")
    two_days_ago = time.time() - 2 * 86400
    os.utime(running, (two_days_ago, two_days_ago))
    ImportRun.objects.create(source="goi.zip", actor=world.users["admin"], actor_name="admin",
                             status=ImportStatus.RUNNING, started_at=timezone.now(),
                             upload=running.name)
    assert forget_stale_uploads() == 0 and running.exists()
    running.unlink()
