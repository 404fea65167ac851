"""The import page: upload, the check's report, confirm once; the Excel template.

Checks and imports run as tasks; in the tests they run at once, inside the request that queues
them (tests/settings.py), unless a test takes the worker away (`no_worker`)."""

import io
import os
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import resolve
from django.utils import timezone

from chibo.interchange import sections, services
from chibo.interchange.models import ImportRun, ImportStatus
from chibo.interchange.tasks import SUFFIXES, forget_stale_uploads, run_import, uploads
from chibo.members.models import Member

BUNDLE = Path(__file__).resolve().parent / "bundles" / "province-99" / "bundle"
GOOD = (b"member_code,full_name,gender,birth_date,admitted_on,org_code\n"
        b"M1,A,male,2000-01-01,2020-01-01,D1.X1.C1\n")


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Each test its own uploads folder (files outlive the rolled-back test transaction)."""
    settings.DATA_DIR = tmp_path


def zipped(files: dict[str, bytes], name: str = "goi.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file_name, data in files.items():
            archive.writestr(file_name, data)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def upload(client, bundle: SimpleUploadedFile) -> ImportRun:
    """Upload a bundle; the check it queued, whose page the upload opens."""
    response = client.post("/import/", {"bundle": bundle})
    assert response.status_code == 302
    check = ImportRun.objects.get(pk=resolve(response.url).kwargs["pk"])
    assert check.dry_run
    return check


def run_now(run: ImportRun) -> ImportRun:
    """What a worker does with a queued run; the run as it ends."""
    run_import.call(run.pk)
    run.refresh_from_db()
    return run


def stored_uploads() -> set[str]:
    return {path.name for path in uploads().iterdir() if path.suffix in SUFFIXES}


@pytest.fixture
def no_worker(monkeypatch):
    """Queued runs stay queued, as when no worker runs."""
    monkeypatch.setattr(services, "run_import", SimpleNamespace(enqueue=lambda run_id: None))


def test_who_may_open_the_page(world):
    assert world.client("admin").get("/import/").status_code == 200
    assert world.client("province").get("/import/").status_code == 200  # organizer of the root
    for username in ("commune", "inspector", "member"):
        client = world.client(username)
        assert client.get("/import/").status_code == 403, username
        assert client.post("/import/", {"bundle": zipped({"members.csv": GOOD})}
                           ).status_code == 403, username
    assert world.client(None).get("/import/").status_code == 302
    assert not ImportRun.objects.exists() and not stored_uploads()


def test_an_upload_is_checked_in_the_background_then_confirmed(db):
    from django.test import Client

    from chibo.accounts.policy import SYSTEM
    from chibo.accounts.services import create_user

    client = Client()
    client.force_login(create_user(actor=SYSTEM, username="boss", password="x-12345678",
                                   is_superuser=True))
    files = {p.name: p.read_bytes() for p in BUNDLE.iterdir()}
    check = upload(client, zipped(files, "tinh-99.zip"))
    assert (check.status, check.source, check.errors) == (ImportStatus.DONE, "tinh-99.zip", [])
    assert check.counts["members.csv"] == 606 and check.upload in stored_uploads()
    assert Member.objects.count() == 0  # a check writes nothing
    body = client.get(f"/import/runs/{check.pk}/").content.decode()
    assert "Kiểm tra xong, không có lỗi" in body and "members.csv: 606" in body
    assert "Xác nhận nhập" in body and "hx-trigger" not in body
    response = client.post(f"/import/runs/{check.pk}/confirm")
    run = ImportRun.objects.get(dry_run=False)
    assert response.status_code == 302 and response.url == f"/import/runs/{run.pk}/"
    assert run.check_run == check and run.status == ImportStatus.DONE
    assert Member.objects.count() == 606 and not stored_uploads()
    body = client.get(f"/import/runs/{check.pk}/").content.decode()
    assert "Đã xác nhận nhập" in body and f'href="/import/runs/{run.pk}/"' in body
    assert "Xác nhận nhập</button>" not in body


def test_a_check_lists_every_error_keeps_no_upload_and_cannot_be_confirmed(world):
    bad = GOOD.replace(b"male", b"other") + b"M2,B,male,2000-13-01,2020-01-01,D1.X1.C1\n"
    client = world.client("province")
    check = upload(client, zipped({"members.csv": bad}))
    assert check.status == ImportStatus.FAILED and check.counts == {} and check.upload == ""
    assert [line.split(":")[:3] for line in check.errors] == [
        ["members.csv", "2", "gender"], ["members.csv", "3", "birth_date"]]
    body = client.get(f"/import/runs/{check.pk}/").content.decode()
    assert "members.csv:2:gender" in body and "members.csv:3:birth_date" in body
    assert "2 lỗi; không ghi gì" in body and "Xác nhận nhập" not in body
    assert client.post(f"/import/runs/{check.pk}/confirm").status_code == 403
    assert not Member.objects.exists() and not stored_uploads()
    assert not ImportRun.objects.filter(dry_run=False).exists()


def test_the_page_lists_errors_up_to_the_limit_then_counts_the_rest(world, settings):
    settings.IMPORT_ERROR_LIMIT = 2
    bad = GOOD + b"".join(b"B%d,B,male,2000-13-01,2020-01-01,D1.X1.C1\n" % n for n in range(4))
    client = world.client("province")
    check = upload(client, zipped({"members.csv": bad}))
    assert len(check.errors) == 2 and check.more_errors == 2 and check.error_count == 4
    body = client.get(f"/import/runs/{check.pk}/").content.decode()
    assert "members.csv:3:birth_date" in body and "members.csv:4:birth_date" in body
    assert "members.csv:5:" not in body and "… và 2 lỗi khác (không liệt kê)" in body
    assert "4 lỗi; không ghi gì" in body


def test_what_is_not_a_bundle_is_refused_before_or_in_the_check(world, monkeypatch):
    client = world.client("admin")
    response = client.post("/import/", {"bundle": SimpleUploadedFile("goi.txt", b"hello")},
                           follow=True)
    assert "Hãy chọn một tệp .zip" in response.content.decode()
    with monkeypatch.context() as patch:
        patch.setattr(services, "MAX_BYTES", 10)
        response = client.post("/import/", {"bundle": zipped({"members.csv": GOOD})},
                               follow=True)
    assert "Tệp quá lớn (tối đa 200 MB)" in response.content.decode()
    assert not ImportRun.objects.exists() and not stored_uploads()  # refused before storing
    check = upload(client, SimpleUploadedFile("goi.zip", b"not a zip"))
    assert check.status == ImportStatus.FAILED and "không phải là tệp .zip" in check.errors[0]
    assert not stored_uploads()


def test_the_upload_returns_before_the_check_runs(world, no_worker):
    client = world.client("province")
    check = upload(client, zipped({"members.csv": GOOD}))
    assert check.status == ImportStatus.QUEUED and check.upload in stored_uploads()
    body = client.get(f"/import/runs/{check.pk}/").content.decode()
    assert "Kiểm tra gói dữ liệu" in body and "Đang chờ đến lượt chạy" in body
    assert 'hx-trigger="every 1s"' in body and "Xác nhận nhập</button>" not in body
    # A check cannot be confirmed before it has passed.
    assert client.post(f"/import/runs/{check.pk}/confirm").status_code == 403
    run_import.call(check.pk)  # the worker runs it
    body = client.get(f"/import/runs/{check.pk}/progress").content.decode()
    assert "Kiểm tra xong" in body and "members.csv: 1" in body and "hx-trigger" not in body
    assert 'action="/import/runs/' in body and "csrfmiddlewaretoken" in body


def test_a_check_is_confirmed_once_and_only_by_who_uploaded_it(world, no_worker):
    client = world.client("province")
    check = run_now(upload(client, zipped({"members.csv": GOOD})))
    # An administrator sees the check but did not upload it: no button, no confirmation.
    admin = world.client("admin")
    assert "Xác nhận nhập</button>" not in admin.get(f"/import/runs/{check.pk}/").content.decode()
    assert admin.post(f"/import/runs/{check.pk}/confirm").status_code == 403
    first = client.post(f"/import/runs/{check.pk}/confirm")
    run = ImportRun.objects.get(dry_run=False)
    assert first.url == f"/import/runs/{run.pk}/" and run.status == ImportStatus.QUEUED
    check.refresh_from_db()
    assert run.upload and check.upload == "" and run.check_run == check  # the upload moved
    again = client.post(f"/import/runs/{check.pk}/confirm", follow=True)
    assert again.redirect_chain[-1][0] == f"/import/runs/{run.pk}/"
    assert "đã được xác nhận nhập" in again.content.decode()
    assert ImportRun.objects.filter(dry_run=False).count() == 1


def test_two_confirmations_at_the_same_moment_make_one_import(world, no_worker, monkeypatch):
    """Both requests read the check before either had made its import, so both pass the
    checks before writing: the database refuses the second."""
    client = world.client("province")
    check = run_now(upload(client, zipped({"members.csv": GOOD})))
    first_view, second_view = (ImportRun.objects.get(pk=check.pk) for _ in range(2))
    run = services.confirm_check(first_view, actor=world.users["province"])
    confirmed_import = ImportRun.confirmed_import
    reads = []

    def as_read_before_the_first_was_written(self):
        reads.append(self.pk)
        return None if len(reads) == 1 else confirmed_import.fget(self)

    with monkeypatch.context() as patch, pytest.raises(services.AlreadyConfirmed) as refused:
        patch.setattr(ImportRun, "confirmed_import",
                      property(as_read_before_the_first_was_written))
        patch.setattr(services, "upload_path", lambda name: uploads() / run.upload)
        services.confirm_check(second_view, actor=world.users["province"])
    assert len(reads) == 2  # passed the check, then the IntegrityError found the import
    assert refused.value.run == run
    assert list(ImportRun.objects.filter(dry_run=False)) == [run]  # no second run written
    check.refresh_from_db()
    assert check.upload == "" and run.upload.endswith(".zip")
    # The page answers it as any confirmation of a confirmed check.
    response = client.post(f"/import/runs/{check.pk}/confirm", follow=True)
    assert "đã được xác nhận nhập" in response.content.decode()
    assert ImportRun.objects.filter(dry_run=False).count() == 1


def test_the_database_holds_one_run_per_upload_and_one_import_per_check(world):
    def run(**fields) -> ImportRun:
        return ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                        actor_name="province", **fields)

    check = run(dry_run=True, upload="00000000-0000-4000-8000-000000000001.zip")
    with pytest.raises(IntegrityError), transaction.atomic():
        run(upload=check.upload)
    with pytest.raises(IntegrityError), transaction.atomic():
        run(check_run=check)
        run(check_run=check)
    run(), run()  # runs without an upload (the command line's, finished ones): any number
    assert ImportRun.objects.filter(check_run=check).count() == 0


def test_an_unconfirmed_upload_is_deleted_after_a_day_and_its_check_can_no_longer_be_confirmed(
        world, no_worker):
    client = world.client("province")
    check = run_now(upload(client, zipped({"members.csv": GOOD})))
    two_days_ago = time.time() - 2 * 86400
    os.utime(uploads() / check.upload, (two_days_ago, two_days_ago))
    assert forget_stale_uploads() == 1 and not stored_uploads()
    check.refresh_from_db()
    assert check.upload == ""
    body = client.get(f"/import/runs/{check.pk}/").content.decode()
    assert "không còn" in body and "Xác nhận nhập</button>" not in body
    response = client.post(f"/import/runs/{check.pk}/confirm", follow=True)
    assert "hãy tải lên lại" in response.content.decode()
    assert not ImportRun.objects.filter(dry_run=False).exists()


def test_uploads_of_queued_or_running_runs_are_not_forgotten(world):
    names = [f"00000000-0000-4000-8000-0000000000a{i}.zip" for i in range(3)]
    two_days_ago = time.time() - 2 * 86400
    for name in names:
        (uploads() / name).write_bytes(b"PK")
        os.utime(uploads() / name, (two_days_ago, two_days_ago))
    for name, status, dry_run in [(names[0], ImportStatus.QUEUED, True),
                                  (names[1], ImportStatus.RUNNING, False)]:
        ImportRun.objects.create(source="goi.zip", actor=world.users["admin"],
                                 actor_name="admin", status=status, upload=name,
                                 dry_run=dry_run, started_at=timezone.now())
    assert forget_stale_uploads() == 1 and stored_uploads() == set(names[:2])


def test_a_deactivated_accounts_queued_check_or_import_does_not_run(world, no_worker):
    province = world.users["province"]
    client = world.client("province")
    check = run_now(upload(client, zipped({"members.csv": GOOD})))
    imported = services.confirm_check(check, actor=province)
    second = upload(client, zipped({"members.csv": GOOD.replace(b"M1", b"M2")}))
    province.is_active = False
    province.save()
    for run in (imported, second):
        assert run_import.call(run.pk) == ImportStatus.FAILED
        run.refresh_from_db()
        assert run.errors == ["Tài khoản không còn quyền nhập gói dữ liệu."]
    assert not Member.objects.exists() and not stored_uploads()
    with pytest.raises(PermissionDenied):
        services.start_check(zipped({"members.csv": GOOD}), actor=province)


def test_a_run_whose_worker_died_is_failed_when_its_page_is_viewed_or_a_task_starts(world):
    def running(hours: float, dry_run=False) -> ImportRun:
        return ImportRun.objects.create(
            source="goi.zip", actor=world.users["province"], actor_name="province",
            status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(hours=hours),
            rows_done=40, rows_total=100, dry_run=dry_run)

    stuck, busy, stuck_check = running(3), running(0.5), running(2.5, dry_run=True)
    client = world.client("province")
    body = client.get(f"/import/runs/{stuck.pk}/progress").content.decode()
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED and stuck.finished_at is not None
    assert "bị gián đoạn" in stuck.errors[0] and "1 lỗi" in body
    assert 'hx-trigger' not in body and stuck.rows_done == 40
    assert "bị gián đoạn" in client.get(f"/import/runs/{stuck.pk}/").content.decode()
    stuck_check.refresh_from_db()
    assert stuck_check.status == ImportStatus.FAILED
    assert stuck_check.errors[0].startswith("Lần kiểm tra bị gián đoạn")
    busy.refresh_from_db()
    assert busy.status == ImportStatus.RUNNING  # within the limit: still importing
    stuck_too = running(5)
    queued = ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                      actor_name="province", status=ImportStatus.QUEUED)
    run_import.call(queued.pk)
    stuck_too.refresh_from_db()
    assert stuck_too.status == ImportStatus.FAILED and "bị gián đoạn" in stuck_too.errors[0]


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_run_queued_for_long_stops_polling_and_says_no_worker_runs(world, dry_run):
    run = ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                   actor_name="province", status=ImportStatus.QUEUED,
                                   dry_run=dry_run)
    client = world.client("province")
    body = client.get(f"/import/runs/{run.pk}/progress").content.decode()
    assert 'hx-trigger="every 1s"' in body and "quản trị" not in body  # just queued: polls
    ImportRun.objects.filter(pk=run.pk).update(at=timezone.now() - timedelta(minutes=10))
    body = client.get(f"/import/runs/{run.pk}/").content.decode()
    assert "hx-trigger" not in body and "không có tiến trình chạy nền" in body
    assert "báo quản trị" in body and f'href="/import/runs/{run.pk}/"' in body  # refresh by hand


def test_the_list_shows_checks_and_imports_of_their_starter(world, no_worker):
    client = world.client("province")
    check = run_now(upload(client, zipped({"members.csv": GOOD}, "kiem-tra.zip")))
    services.confirm_check(check, actor=world.users["province"])
    rows = client.get("/import/").content.decode()
    assert "kiểm tra xong, không có lỗi" in rows and "chờ chạy" in rows
    assert rows.count("kiem-tra.zip") == 2


def test_excel_template_has_every_file_and_notes(world):
    response = world.client("province").get("/import/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["bundle", *(spec.stem for spec in sections.files())]
    # the marker, the records core's files, the meetings' (then the test-only sample domain's,
    # and the recorded exceptions last)
    assert book.sheetnames[:10] == ["bundle", "organizations", "villages", "org_changes",
                                    "members", "member_events", "positions", "meetings",
                                    "attendance", "meeting_guests"]
    assert book.sheetnames[-1] == "exceptions"
    assert book["bundle"]["A2"].value == "2"  # a template is of the newest version
    first = book["members"]["A1"]
    assert first.value == "member_code" and "Mã đảng viên" in first.comment.text


def test_the_history_lists_every_run_of_its_owner_page_by_page(world, monkeypatch):
    """The upload page shows the latest runs and says so; the history (the list pattern)
    pages every one, the person's own (an administrator's: everyone's), filtered."""
    import re

    from chibo.lists.spec import LISTS

    monkeypatch.setattr(LISTS["interchange.runs"], "page_size", 4)
    province, admin = world.users["province"], world.users["admin"]
    mine = [ImportRun.objects.create(source=f"goi-{n}.zip", actor=province, actor_name="province",
                                     status=ImportStatus.FAILED if n % 3 else ImportStatus.DONE,
                                     dry_run=n % 2 == 0) for n in range(12)]
    ImportRun.objects.create(source="cua-admin.zip", actor=admin, actor_name="admin")
    client = world.client("province")
    upload = client.get("/import/").content.decode()
    assert "Đây là 10 lần gần nhất" in upload and 'href="/import/runs/"' in upload
    url, seen = "/import/runs/?", []
    while url:
        body = client.get(url).content.decode()
        seen += [int(pk) for pk in re.findall(r'href="/import/runs/(\d+)/"', body)]
        found = re.search(r'href="(\?[^"]*)" rel="next"', body)
        url = "/import/runs/" + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == [run.pk for run in reversed(mine)]
    checks = client.get("/import/runs/?kind=check&status=done").content.decode()
    assert set(re.findall(r'href="/import/runs/(\d+)/"', checks)) == {
        str(r.pk) for r in mine if r.dry_run and r.status == ImportStatus.DONE}
    assert "cua-admin.zip" in world.client("admin").get("/import/runs/").content.decode()
    assert world.client("commune").get("/import/runs/").status_code == 403
    assert world.client(None).get("/import/runs/").status_code == 302
