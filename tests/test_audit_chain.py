"""An audit trail that resists its own database (issue 14, docs/security.md).

The attacker of these tests can write to the database (raw SQL, or a plain QuerySet that skips
the append-only guard) but holds neither the audit key nor the anchor sink. They edit a record
and recompute the plain hashes to the head; they cut the last records and wind the head back.
Keyed records (HMAC) catch the first; the anchors outside the database catch the second.
"""

import hashlib
import json
import socket
import stat
import subprocess
import sys
import threading
from datetime import UTC, date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet
from django.utils import timezone

from chibo import cli
from chibo.accounts.policy import SYSTEM
from chibo.audit import keys
from chibo.audit.anchors import MARK, anchor, append_line, read_anchors
from chibo.audit.models import AuditHead, AuditRecord, HashScheme, canonical_json
from chibo.audit.services import record_change, verify_trail
from chibo.core.exceptions import RuleViolation
from chibo.interchange.importer import import_bundle
from chibo.organizations import services
from tests.test_bundle import write_bundle

# The records of the trail, and its head, without the application's append-only guard.
RAW_RECORDS = QuerySet(model=AuditRecord)
RAW_HEAD = QuerySet(model=AuditHead)


@pytest.fixture
def data_dir(settings, tmp_path):
    """A data dir of the test's own: its generated key, its keyring, its anchor file."""
    settings.DATA_DIR = tmp_path
    settings.AUDIT_KEY = settings.AUDIT_KEY_FILE = ""
    settings.AUDIT_KEYRING_DIR = tmp_path / "audit-keys"
    settings.AUDIT_ANCHOR = "file"
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.log"
    return tmp_path


@pytest.fixture
def trail(data_dir, world):
    """The world's records and more, 60 in all, so that there is a record #42."""
    org = world.org("D1.X1")
    with transaction.atomic():
        for number in range(AuditRecord.objects.count() + 1, 61):
            record_change("organization.update", actor=SYSTEM, obj=org, after={"n": number})
    return world


def plain_hash(record: AuditRecord) -> str:
    """The record's hash as anyone can compute it: SHA-256 of its content, no key."""
    return hashlib.sha256(canonical_json(record.content()).encode()).hexdigest()


def rewrite(seq: int, *, after: dict, scheme: str | None = None) -> None:
    """Change record `seq`, then recompute the hashes from it to the head (and the head's) with
    plain SHA-256, as the chain was computed before it was keyed; `scheme` is written on every
    record rewritten (a downgrade to the unkeyed scheme)."""
    previous = RAW_RECORDS.get(seq=seq - 1).hash if seq > 1 else ""
    for record in RAW_RECORDS.filter(seq__gte=seq).order_by("seq"):
        if record.seq == seq:
            record.after = after
        record.scheme = scheme or record.scheme
        record.prev_hash, record.hash = previous, ""
        record.hash = previous = plain_hash(record)
        RAW_RECORDS.filter(pk=record.pk).update(after=record.after, scheme=record.scheme,
                                                prev_hash=record.prev_hash, hash=record.hash)
    RAW_HEAD.filter(pk=1).update(last_hash=previous)


def cut_tail(count: int) -> int:
    """Delete the last `count` records and wind the head back to the one before them; its seq."""
    last = RAW_RECORDS.order_by("-seq").first().seq
    RAW_RECORDS.filter(seq__gt=last - count).delete()
    kept = RAW_RECORDS.get(seq=last - count)
    RAW_HEAD.filter(pk=1).update(last_seq=kept.seq, last_hash=kept.hash)
    return kept.seq


def last_seq() -> int:
    return AuditRecord.objects.order_by("-seq").first().seq


def anchor_lines(data_dir) -> list[str]:
    path = data_dir / "audit-anchors.log"
    return path.read_text().splitlines() if path.exists() else []


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`chibo ARGS…` as the console script runs it: (exit status, stdout, stderr)."""
    try:
        cli.main(["chibo", *args])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


# The two attacks of the issue ----------------------------------------------------------------

def test_an_intact_keyed_trail_verifies(trail):
    check = verify_trail()
    assert check.broken is None and check.records == 60 and check.unkeyed == 0
    record = AuditRecord.objects.get(seq=42)
    assert record.scheme == HashScheme.HMAC and record.key_id == keys.current_key().id
    assert record.hash != plain_hash(record)  # keyed: not what anyone can compute


def test_record_42_edited_and_the_plain_hashes_recomputed_to_the_head_is_caught(trail):
    rewrite(42, after={"n": "forged"})
    broken = verify_trail().broken
    assert (broken.seq, broken.kind) == (42, "altered")


def test_record_42_rewritten_as_an_unkeyed_record_to_the_head_is_caught(trail):
    """The downgrade: the edited records claim the plain scheme of the records made before
    keying. Unkeyed records may only come before the keyed ones."""
    rewrite(42, after={"n": "forged"}, scheme=HashScheme.PLAIN)
    broken = verify_trail().broken
    assert (broken.seq, broken.kind) == (42, "altered")


def test_the_whole_trail_rewritten_unkeyed_is_caught_by_an_anchor(trail):
    anchor()
    rewrite(1, after={"n": "forged"}, scheme=HashScheme.PLAIN)
    broken = verify_trail().broken
    assert (broken.seq, broken.kind) == (60, "anchor")
    assert "#1 " in broken.reason and "#60" in broken.reason  # somewhere from #1 to #60


def test_the_last_records_cut_and_the_head_wound_back_is_caught_by_the_anchor(trail):
    anchor()
    kept = cut_tail(2)
    broken = verify_trail().broken
    assert (broken.seq, broken.kind) == (kept + 1, "removed")
    assert "#60" in broken.reason  # where the anchor says the trail reached


def test_a_cut_tail_grown_again_past_the_anchor_is_caught(trail):
    """The records cut, then new ones written by the application up to the anchored number
    and beyond: the anchored record is there, with another hash."""
    anchor()
    cut_tail(3)
    org = trail.org("D1.X1")
    with transaction.atomic():
        for number in range(5):
            record_change("organization.update", actor=SYSTEM, obj=org, after={"again": number})
    broken = verify_trail().broken
    assert (broken.seq, broken.kind) == (60, "anchor")
    assert "#1 " in broken.reason  # the previous anchor: none, so anywhere from #1


def test_records_cut_after_the_last_anchor_are_not_caught(trail):
    """The documented limit (docs/security.md): what was written since the last anchor can
    be cut, with the head, unseen."""
    anchor()
    org = trail.org("D1.X1")
    with transaction.atomic():
        record_change("organization.update", actor=SYSTEM, obj=org, after={"late": 1})
    cut_tail(1)
    assert verify_trail().broken is None


# Anchors ---------------------------------------------------------------------------------------

def test_an_anchor_is_the_signed_head_appended_to_the_file(trail, data_dir):
    first, second = anchor(), anchor()
    lines = anchor_lines(data_dir)
    assert len(lines) == 2 and all(MARK in line for line in lines)
    assert json.loads(lines[0])["seq"] == first.seq == 60
    assert json.loads(lines[1])["hash"] == second.hash == AuditRecord.objects.get(seq=60).hash
    assert first.key_id == keys.current_key().id
    check = verify_trail()
    assert check.broken is None and check.last_anchor.seq == 60


def test_an_anchor_waits_for_the_lock_another_server_holds_on_the_file(data_dir):
    """Two app servers appending to one shared file: the second waits for the first's lock
    (a POSIX lock, held here by another process), so their lines never interleave."""
    path = data_dir / "audit-anchors.log"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys; f = open(sys.argv[1], 'a'); "
         "fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
         str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        written = threading.Event()
        writer = threading.Thread(target=lambda: (append_line(path, "{}"), written.set()))
        writer.start()
        assert not written.wait(0.5)  # blocked while the other process holds the lock
    finally:
        holder.stdin.close()
        holder.wait()
    assert written.wait(10)
    writer.join()
    assert path.read_text() == "{}\n"


def test_a_forged_anchor_line_is_reported(trail, data_dir):
    anchor()
    made = json.loads(anchor_lines(data_dir)[0])
    made["seq"] = 10**6  # someone with the sink, without the key
    with (data_dir / "audit-anchors.log").open("a") as handle:
        handle.write(json.dumps(made) + "\n")
    broken = verify_trail().broken
    assert (broken.seq, broken.kind) == (None, "anchor") and "2" in broken.reason


def test_a_reorganization_anchors_the_head_once_committed(
        trail, data_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.rename_organization(trail.org("D1.X1"), actor=SYSTEM, new_name="Xã Mới",
                                     effective_on=date(2024, 1, 1))
    (line,) = anchor_lines(data_dir)
    assert json.loads(line)["seq"] == last_seq() == 61
    with pytest.raises(RuleViolation), django_capture_on_commit_callbacks(execute=True):
        services.rename_organization(trail.org("D1.X1"), actor=SYSTEM, new_name="Xã Mới",
                                     effective_on=date(2024, 1, 1))  # refused: no anchor
    assert len(anchor_lines(data_dir)) == 1


def test_a_sink_that_cannot_be_written_does_not_undo_the_reorganization(
        trail, settings, data_dir, django_capture_on_commit_callbacks, caplog):
    (data_dir / "not-a-folder").write_text("")
    settings.AUDIT_ANCHOR_FILE = data_dir / "not-a-folder" / "audit-anchors.log"
    with django_capture_on_commit_callbacks(execute=True):
        services.rename_organization(trail.org("D1.X1"), actor=SYSTEM, new_name="Xã Mới",
                                     effective_on=date(2024, 1, 1))
    assert trail.org("D1.X1").name == "Xã Mới" and last_seq() == 61
    assert "anchor" in caplog.text  # logged for the operators


def test_an_import_anchors_the_head_once_committed_and_a_dry_run_does_not(
        data_dir, db, tmp_path, django_capture_on_commit_callbacks):
    changes = "2000-01-01,P.D.X.C2,rename,,Chi bộ trường tiểu học,\n"
    bundle = write_bundle(tmp_path / "b", append={"org_changes.csv": changes})
    with django_capture_on_commit_callbacks(execute=True):
        assert import_bundle(bundle, dry_run=True).ok
    assert anchor_lines(data_dir) == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert import_bundle(bundle).ok
    # one anchor for the import, though a rename inside it asked for one too
    assert sum(callback.__name__ == "anchor" for callback in callbacks) == 1
    (line,) = anchor_lines(data_dir)
    assert json.loads(line)["seq"] == last_seq()
    assert AuditRecord.objects.get(seq=last_seq()).action == "bundle.import"
    assert verify_trail().broken is None


def test_anchors_sent_to_syslog_are_checked_from_their_lines(trail, settings, tmp_path):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.AUDIT_ANCHOR = "syslog"
    settings.AUDIT_SYSLOG_ADDRESS = f"127.0.0.1:{receiver.getsockname()[1]}"
    try:
        made = anchor()
        message = receiver.recv(4096).decode()
    finally:
        receiver.close()
    assert f"{MARK}: " in message
    (found,), problems = read_anchors([message], keys.keyring())
    assert found == made and problems == []
    check = verify_trail()
    assert check.broken is None and not check.anchors_read  # syslog: not at hand
    cut_tail(1)
    syslog = tmp_path / "syslog.txt"
    syslog.write_text(f"Dec  4 10:00:00 app1 {message}\nDec  4 10:00:01 app1 sshd: other\n")
    broken = verify_trail(syslog.read_text().splitlines()).broken
    assert (broken.seq, broken.kind) == (60, "removed")


# Keys and their rotation -------------------------------------------------------------------

def test_the_generated_key_is_private_to_its_owner(data_dir):
    key = keys.current_key()
    path = data_dir / "audit.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.current_key() == key  # made once
    assert len(key.id) == 16 and key.id not in path.read_text()


def test_a_key_given_by_file_or_environment_is_used_and_a_missing_file_is_refused(
        data_dir, settings):
    secret = data_dir / "mounted-secret"
    secret.write_text("k" * 40 + "\n")
    settings.AUDIT_KEY_FILE = str(secret)
    assert keys.current_key() == keys.key_from("k" * 40, "test")
    settings.AUDIT_KEY = "e" * 40
    assert keys.current_key() == keys.key_from("e" * 40, "test")
    settings.AUDIT_KEY = ""
    secret.unlink()
    with pytest.raises(ImproperlyConfigured):
        keys.current_key()  # never a new key in place of one that did not arrive
    assert not (data_dir / "audit.key").exists()
    settings.AUDIT_KEY = "too short"
    with pytest.raises(ImproperlyConfigured):
        keys.current_key()


def rotate(data_dir, name: str) -> None:
    """The rotation of docs/security.md: the current key into the keyring; a new one follows."""
    (data_dir / "audit-keys").mkdir(exist_ok=True)
    (data_dir / "audit.key").rename(data_dir / "audit-keys" / name)


def test_records_under_an_old_key_still_verify_after_rotation(trail, data_dir):
    old = keys.current_key()
    anchor()
    rotate(data_dir, "2026-12.key")
    services.rename_organization(trail.org("D1.X1"), actor=SYSTEM, new_name="Xã Mới",
                                 effective_on=date(2024, 1, 1))
    new = keys.current_key()
    assert new.id != old.id
    assert AuditRecord.objects.get(seq=61).key_id == new.id
    assert AuditRecord.objects.get(seq=60).key_id == old.id
    anchor()
    check = verify_trail()
    assert check.broken is None and check.last_anchor.key_id == new.id


def test_a_record_under_an_unknown_key_is_reported(trail, data_dir):
    rotate(data_dir, "old.key")
    services.rename_organization(trail.org("D1.X1"), actor=SYSTEM, new_name="Xã Mới",
                                 effective_on=date(2024, 1, 1))
    (data_dir / "audit-keys" / "old.key").unlink()  # the old key lost
    broken = verify_trail().broken
    assert (broken.seq, broken.kind) == (1, "unknown_key")


# Records made before keying ----------------------------------------------------------------

def unkeyed_records(count: int) -> list[AuditRecord]:
    """A trail as chibo wrote it before keying: `count` records, plain SHA-256 (unsaved)."""
    records, previous = [], ""
    for seq in range(1, count + 1):
        record = AuditRecord(
            seq=seq, at=timezone.now().astimezone(UTC), actor_name="system", request_id="r",
            action="organization.update", object_type="", object_id="", object_repr="",
            after={"n": seq}, prev_hash=previous, scheme=HashScheme.PLAIN)
        record.hash = previous = record.compute_hash()
        records.append(record)
    return records


def unkeyed_trail(count: int) -> None:
    for record in unkeyed_records(count):
        record.save()
    AuditHead.objects.create(pk=1, last_seq=count, last_hash=record.hash)


def migrate(target: tuple[str, str]):
    """Migrate the audit app to `target`; the apps of that state (its historical models)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_the_records_of_an_install_from_before_keying_keep_verifying(transactional_db, data_dir):
    """Migration audit.0002 on a trail written before it: the records keep their plain hashes
    (scheme sha256), verify says so, and the first keyed record links to them."""
    before = migrate(("audit", "0001_initial"))
    try:
        old_record = before.get_model("audit", "AuditRecord")
        names = [f.attname for f in old_record._meta.concrete_fields if f.name != "id"]
        records = unkeyed_records(3)
        old_record.objects.bulk_create(
            [old_record(**{name: getattr(r, name) for name in names}) for r in records])
        before.get_model("audit", "AuditHead").objects.create(pk=1, last_seq=3,
                                                              last_hash=records[-1].hash)
    finally:
        migrate(("audit", "0002_keyed_records"))  # the schema the other tests expect
    assert list(AuditRecord.objects.values_list("scheme", "key_id")) == [("sha256", "")] * 3
    check = verify_trail()
    assert check.broken is None and (check.records, check.unkeyed) == (3, 3)
    with transaction.atomic():
        record_change("organization.update", actor=SYSTEM, obj=None, after={"n": 4})
    check = verify_trail()
    assert check.broken is None and (check.records, check.unkeyed) == (4, 3)


def test_records_made_before_keying_verify_and_are_reported_as_unkeyed(data_dir, world):
    RAW_RECORDS.all().delete()  # start from a trail written before keying
    RAW_HEAD.all().delete()
    unkeyed_trail(5)
    check = verify_trail()
    assert check.broken is None and check.unkeyed == 5
    services.rename_organization(world.org("D1.X1"), actor=SYSTEM, new_name="Xã Mới",
                                 effective_on=date(2024, 1, 1))
    check = verify_trail()
    assert check.broken is None and (check.records, check.unkeyed) == (6, 5)
    # once a keyed record follows them, rewriting them shows at its link
    rewrite(3, after={"n": "forged"})
    RAW_RECORDS.filter(seq=6).update(prev_hash=RAW_RECORDS.get(seq=5).prev_hash)
    broken = verify_trail().broken
    assert (broken.seq, broken.kind) == (6, "altered")


# The command line ------------------------------------------------------------------------------

def test_verify_exits_0_when_intact_and_says_how_far_the_trail_is_protected(trail, capsys):
    code, out, err = run(capsys, "audit", "verify")
    assert (code, err) == (0, "")
    assert "nguyên vẹn: 60 bản ghi" in out and "Chưa có mốc neo nào" in out
    assert run(capsys, "audit", "anchor")[0] == 0
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0 and "Mốc neo cuối: #60" in out and "0 bản ghi sau đó" in out


def test_verify_exits_1_naming_the_first_bad_record(trail, capsys):
    rewrite(42, after={"n": "forged"})
    code, out, err = run(capsys, "audit", "verify")
    assert code == 1
    assert err.startswith("Nhật ký thay đổi bị hỏng ở bản ghi #42: bị sửa")
    assert len(err.splitlines()) == 1


def test_verify_exits_1_on_a_cut_tail(trail, capsys):
    assert run(capsys, "audit", "anchor")[0] == 0
    cut_tail(2)
    code, _, err = run(capsys, "audit", "verify")
    assert code == 1 and "bản ghi #59: bị xóa" in err


def test_verify_with_anchors_from_a_file(trail, capsys, data_dir):
    anchor()
    cut_tail(1)
    moved = data_dir / "from-syslog.txt"
    (data_dir / "audit-anchors.log").rename(moved)
    assert run(capsys, "audit", "verify")[0] == 0  # the anchor file is gone: the cut is unseen
    code, _, err = run(capsys, "audit", "verify", "--anchors", str(moved))
    assert code == 1 and "#60" in err
    code, _, err = run(capsys, "audit", "verify", "--anchors", str(data_dir / "none.txt"))
    assert code == 1 and err.startswith("chibo audit: lỗi tệp")


def test_wrong_usage_exits_2_and_a_wrong_configuration_1(trail, capsys, settings):
    assert run(capsys, "audit")[0] == 2
    assert run(capsys, "audit", "verify", "--bogus")[0] == 2
    assert run(capsys, "audit", "sign")[0] == 2
    settings.AUDIT_KEY_FILE = "/nonexistent/audit.key"
    code, _, err = run(capsys, "audit", "verify")
    assert code == 1 and err.startswith("chibo audit: cấu hình sai:")
    settings.AUDIT_KEY_FILE = ""
    settings.AUDIT_ANCHOR = "tape"
    code, _, err = run(capsys, "audit", "anchor")
    assert code == 1 and "tape" in err


def test_keys_lists_each_key_and_what_it_signed(trail, data_dir, capsys):
    old = keys.current_key()
    rotate(data_dir, "old.key")
    services.rename_organization(trail.org("D1.X1"), actor=SYSTEM, new_name="Xã Mới",
                                 effective_on=date(2024, 1, 1))
    code, out, _ = run(capsys, "audit", "keys")
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    assert rows[old.id][-1] == "60" and rows[keys.current_key().id][-1] == "1"
    assert "hiện hành" in " ".join(rows[keys.current_key().id])


def test_verify_output_in_english(trail, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    rewrite(42, after={"n": "forged"})
    code, out, err = run(capsys, "audit", "verify")
    assert code == 1 and "record #42" in err and "altered" in err
