"""Checks and confirmed imports run as background tasks: a run's page polls a progress bar, then
shows what was (or would be) added or every error. Tasks run at once in the tests
(tests/settings.py)."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.audit.models import AuditRecord
from chibo.interchange import progress as progress_module
from chibo.interchange.models import ImportPhase, ImportRun, ImportStatus
from chibo.interchange.progress import Progress, live, progress_file
from chibo.interchange.tasks import run_import, uploads
from chibo.members.models import Member

BUNDLE = Path(__file__).resolve().parent / "bundles" / "province-99" / "bundle"


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Each test its own uploads folder (files outlive the rolled-back test transaction)."""
    settings.DATA_DIR = tmp_path


def zipped(files: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("tinh-99.zip", buffer.getvalue(), content_type="application/zip")


def checked(client, files: dict[str, bytes]) -> ImportRun:
    """Upload `files`; their check, run and passed."""
    response = client.post("/import/", {"bundle": zipped(files)})
    check = ImportRun.objects.get(dry_run=True, status=ImportStatus.DONE)
    assert response.status_code == 302 and response.url == f"/import/runs/{check.pk}/"
    return check


def conformance() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in BUNDLE.iterdir()}


@pytest.fixture
def empty_tree_admin(db):
    """An administrator of an empty database (the conformance bundle brings its own tree)."""
    from django.test import Client

    from chibo.accounts.policy import SYSTEM
    from chibo.accounts.services import create_user

    client = Client()
    client.force_login(create_user(actor=SYSTEM, username="boss", password="x-12345678",
                                   is_superuser=True))
    return client


def test_a_confirmed_import_runs_as_a_task_and_its_page_shows_the_result(empty_tree_admin):
    client = empty_tree_admin
    check = checked(client, conformance())
    rows = 606 + 247 + 216 + 73 + 48 + 19
    assert (check.rows_done, check.rows_total, check.phase) == (rows, rows, ImportPhase.FINISH)
    token = check.upload
    response = client.post(f"/import/runs/{check.pk}/confirm")
    run = ImportRun.objects.get(dry_run=False)
    assert response.status_code == 302 and response.url == f"/import/runs/{run.pk}/"
    assert run.status == ImportStatus.DONE and run.source == "tinh-99.zip"
    assert run.counts == check.counts and Member.objects.count() == 606
    assert (run.rows_done, run.rows_total, run.phase) == (rows, rows, ImportPhase.FINISH)
    assert not (uploads() / token).exists()  # the upload is removed once imported
    (event,) = AuditRecord.objects.filter(action="bundle.import")
    assert event.object_id == str(run.pk)
    body = client.get(f"/import/runs/{run.pk}/").content.decode()
    assert "Đã nhập xong" in body and "members.csv: 606" in body
    assert "hx-trigger" not in body  # finished: the page stops polling


def test_a_failing_bundle_writes_nothing_and_the_page_lists_every_error(world):
    client = world.client("province")
    bad = (b"member_code,full_name,gender,birth_date,admitted_on,org_code\n"
           b"M1,A,male,2000-01-01,2020-01-01,D1.X1.C1\n")
    check = checked(client, {"members.csv": bad})
    # Between the check and the run, someone records a member with the same code.
    from tests.conftest import admit
    admit("M1", "Người khác", world.orgs["D1.X1.C2"])
    before = Member.objects.count()
    client.post(f"/import/runs/{check.pk}/confirm")
    run = ImportRun.objects.get(dry_run=False)
    assert run.status == ImportStatus.FAILED and run.counts == {}
    assert run.errors == ["members.csv:2:member_code: Mã đảng viên M1 đã có."]
    assert Member.objects.count() == before
    assert not AuditRecord.objects.filter(action="bundle.import").exists()
    body = client.get(f"/import/runs/{run.pk}/").content.decode()
    assert "members.csv:2:member_code" in body and "không ghi gì" in body


@pytest.mark.parametrize("dry_run, doing", [(True, "Đang kiểm tra"), (False, "Đang nhập")])
def test_the_progress_part_polls_while_running_and_shows_the_bar(world, dry_run, doing):
    run = ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                   actor_name="province", status=ImportStatus.RUNNING,
                                   phase=ImportPhase.MEMBERS, rows_done=250, rows_total=1000,
                                   dry_run=dry_run)
    response = world.client("province").get(f"/import/runs/{run.pk}/progress")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in body and 'value="250" max="1000"' in body
    assert "25 %" in body and f"{doing}: kiểm tra đảng viên và sự kiện" in body
    assert "250 / 1.000 dòng" in body


def test_progress_is_published_per_phase_and_read_back_from_the_file(world, settings):
    run = ImportRun.objects.create(source="goi.zip", actor=world.users["admin"],
                                   actor_name="admin", status=ImportStatus.RUNNING)
    publish, close = progress_module.publisher(run.pk)
    seen = []
    counter = Progress(lambda *values: (seen.append(values), publish(*values)), every=3600)
    counter.start(ImportPhase.TREE, total=10)
    counter.advance(4)  # within the interval: not published
    counter.start(ImportPhase.MEMBERS)  # a new phase always is
    assert seen == [("tree", 0, 10), ("members", 4, 10)]
    if progress_file(run.pk).exists():  # SQLite: a file beside the database
        assert json.loads(progress_file(run.pk).read_text())["done"] == 4
        assert live(run) == ("members", 4, 10)
    close()
    assert not progress_file(run.pk).exists()


def test_only_importers_may_confirm_and_only_the_starter_sees_a_run(world):
    run = ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                   actor_name="province", status=ImportStatus.DONE,
                                   dry_run=True)
    assert world.client("province").get(f"/import/runs/{run.pk}/").status_code == 200
    assert world.client("admin").get(f"/import/runs/{run.pk}/").status_code == 200
    for username in ("commune", "inspector", "member"):  # without bundle.import
        client = world.client(username)
        assert client.get(f"/import/runs/{run.pk}/").status_code == 403, username
        assert client.get(f"/import/runs/{run.pk}/progress").status_code == 403, username
        assert client.post(f"/import/runs/{run.pk}/confirm").status_code == 403, username
    assert world.client(None).get(f"/import/runs/{run.pk}/").status_code == 302
    assert world.client(None).post(f"/import/runs/{run.pk}/confirm").status_code == 302
    assert not ImportRun.objects.filter(dry_run=False).exists()


def test_another_importer_cannot_see_someone_elses_run(world):
    from chibo.accounts.choices import Role
    from chibo.accounts.policy import SYSTEM
    from chibo.accounts.services import create_user, grant_role

    other = create_user(actor=SYSTEM, username="province2", password="x-12345678")
    grant_role(other, actor=SYSTEM, role=Role.ORGANIZER, organization=world.orgs["TQ"])
    run = ImportRun.objects.create(source="goi.zip", actor=world.users["province"],
                                   actor_name="province", status=ImportStatus.FAILED,
                                   errors=["members.csv:2:gender: …"])
    world.users["province2"] = other
    client = world.client("province2")
    assert client.get(f"/import/runs/{run.pk}/").status_code == 404
    assert client.get(f"/import/runs/{run.pk}/progress").status_code == 404
    assert client.post(f"/import/runs/{run.pk}/confirm").status_code == 404
    assert "goi.zip" not in client.get("/import/").content.decode()


def test_only_a_check_that_passed_is_confirmed(world):
    client = world.client("admin")
    assert client.post("/import/runs/999/confirm").status_code == 404
    assert client.get(f"/import/runs/{checked(client, {}).pk}/confirm").status_code == 405
    for fields in ({"dry_run": False, "status": ImportStatus.DONE},  # an import, not a check
                   {"dry_run": True, "status": ImportStatus.FAILED},
                   {"dry_run": True, "status": ImportStatus.RUNNING}):
        run = ImportRun.objects.create(source="goi.zip", actor=world.users["admin"],
                                       actor_name="admin", **fields)
        assert client.post(f"/import/runs/{run.pk}/confirm").status_code == 403, fields
    assert not ImportRun.objects.filter(check_run__isnull=False).exists()


def test_a_run_is_not_imported_twice(world):
    run = ImportRun.objects.create(source="goi.zip", actor=world.users["admin"],
                                   actor_name="admin", status=ImportStatus.DONE)
    assert run_import.call(run.pk) == ImportStatus.DONE


def test_uploads_checked_but_never_confirmed_are_deleted_after_a_day(world):
    import os
    import time

    from chibo.interchange.tasks import forget_stale_uploads

    old, waiting, fresh = (uploads() / f"{name}.zip" for name in (
        "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002",
        "00000000-0000-4000-8000-000000000003"))
    for path in (old, waiting, fresh):
        path.write_bytes(b"PK")
    two_days_ago = time.time() - 2 * 86400
    for path in (old, waiting):
        os.utime(path, (two_days_ago, two_days_ago))
    ImportRun.objects.create(source="goi.zip", actor=world.users["admin"], actor_name="admin",
                             status=ImportStatus.QUEUED, upload=waiting.name)
    assert forget_stale_uploads() == 1
    assert not old.exists() and waiting.exists() and fresh.exists()
