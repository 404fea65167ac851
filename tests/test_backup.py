"""`chibo backup` and `chibo restore`, run as an operator runs them: the console script in its
own process, on a data dir of its own (and, with CHIBO_TEST_DATABASE_URL=postgres://…, on fresh
PostgreSQL databases of that server, one per data dir).

A province (the conformance bundle), an administrator with a token, uploads and a key file are
backed up once; each test restores that archive, or a broken copy of it, into an empty site.
"""

import gzip
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from chibo.site import backup as backup_module
from tests.test_cli import run

CONFORMANCE = Path(__file__).parent / "bundles" / "province-99" / "bundle"
POSTGRES = os.environ.get("CHIBO_TEST_DATABASE_URL", "")
PASSWORD = "a-long-admin-password"
# Files of the data dir, as another part of chibo might add them: all must come back, with the
# audit trail's key and anchors, which chibo wrote itself. The SKIPPED ones must not be in the
# archive.
KEPT = {"documents/2026/05/3f2a.pdf": b"%PDF-1.4 a decision",
        "photos/9c1e.jpg": b"\xff\xd8\xff a photo",
        "media/meetings/2026/minutes.docx": b"PK minutes",
        "report_templates/bao-cao.docx": b"PK a template"}
SKIPPED = {"static/site.css": b"body{}", "exports/old.xlsx": b"PK", "imports/run-1.json": b"{}"}


@dataclass
class Site:
    """A data dir and its database, for the `chibo` console script."""

    data_dir: Path
    database: str = ""  # PostgreSQL: the database's name; SQLite: the data dir's file
    env: dict = field(default_factory=dict)

    def chibo(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "chibo.cli", *args], env=self.env,
                              input=stdin, capture_output=True, text=True, timeout=600)

    def ok(self, *args: str, stdin: str | None = None) -> str:
        result = self.chibo(*args, stdin=stdin)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def tables(self) -> list[str]:
        if not POSTGRES:
            path = self.data_dir / "chibo.sqlite3"
            if not path.exists():
                return []
            with sqlite3.connect(path) as connection:
                return [row[0] for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")]
        with _postgres(self.database) as connection:
            return [row[0] for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]

    def files(self) -> set[str]:
        return {path.relative_to(self.data_dir).as_posix()
                for path in self.data_dir.rglob("*") if path.is_file()}

    def connect(self):
        """A connection of the test's own to the site's database (DB-API, not autocommit)."""
        if POSTGRES:
            return _postgres(self.database, autocommit=False)
        return sqlite3.connect(self.data_dir / "chibo.sqlite3", timeout=20)


def _postgres(name: str, autocommit: bool = True):
    import psycopg
    from django.db.backends.postgresql.client import DatabaseClient

    from chibo.settings import database_from_url

    config = database_from_url(POSTGRES)
    _args, env = DatabaseClient.settings_to_cmd_args_env(config, [])
    return psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                           password=(env or {}).get("PGPASSWORD"), dbname=name,
                           autocommit=autocommit)


@pytest.fixture(scope="module")
def new_site(tmp_path_factory):
    """Makes empty sites: a data dir, and on PostgreSQL a database created for it (dropped
    at the end)."""
    databases = []

    def make() -> Site:
        data_dir = tmp_path_factory.mktemp("site")
        env = {"CHIBO_DATA_DIR": str(data_dir), "PATH": os.environ["PATH"]}
        site = Site(data_dir, env=env)
        if POSTGRES:
            site.database = f"chibo_backup_{uuid.uuid4().hex[:12]}"
            with _postgres("postgres") as admin:
                admin.execute(f'CREATE DATABASE "{site.database}"')
            databases.append(site.database)
            env["CHIBO_DATABASE_URL"] = POSTGRES.rsplit("/", 1)[0] + "/" + site.database
        return site

    yield make
    if databases:
        with _postgres("postgres") as admin:
            for name in databases:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Source:
    site: Site
    archive: Path  # .tar.gz
    older: Path  # taken before the working calendar's migration and those that need it
    missing: int  # how many migrations the older archive lacks
    export: dict[str, str]


def exported(site: Site, path: Path) -> dict[str, str]:
    """`chibo export` as {file: text}, without the moment of the export (bundle.csv)."""
    site.ok("export", str(path))
    files = {item.name: item.read_text(encoding="utf-8") for item in sorted(path.iterdir())}
    marker = [row.split(",") for row in files.pop("bundle.csv").splitlines()]
    assert marker[0] == ["format_version", "exported_at"]
    return {**files, "format_version": marker[1][0]}


@pytest.fixture(scope="module")
def source(new_site, tmp_path_factory) -> Source:
    site = new_site()
    site.ok("migrate", "-v0")
    site.ok("import", str(CONFORMANCE))
    site.ok("createadmin", "boss", "--password-stdin", stdin=PASSWORD + "\n")
    site.ok("token", "create", "boss")
    for name, data in {**KEPT, **SKIPPED}.items():
        (site.data_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site.data_dir / name).write_bytes(data)
    out = tmp_path_factory.mktemp("out")
    site.ok("backup", str(out / "province.tar.gz"))
    # An archive of an older chibo: one without the working calendar's migration (and the
    # processes' that came after it).
    def applied() -> int:
        return site.ok("showmigrations", "--plan").count("[X]")

    every = applied()
    site.ok("migrate", "organizations", "0004", "-v0")
    missing = every - applied()
    site.ok("backup", str(out))  # a directory: a dated name in it
    site.ok("migrate", "-v0")
    older = next(out.glob("chibo-backup-*.tar.gz"))
    return Source(site, out / "province.tar.gz", older, missing,
                  exported(site, out / "export"))


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` (as .tar) with `change(name, data) -> data` applied to its members."""
    with tarfile.open(archive) as tar, tarfile.open(target, "w") as out:
        for member in tar:
            data = change(member.name, tar.extractfile(member).read())
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def nothing_written(site: Site) -> bool:
    return site.tables() == [] and site.files() <= {"secret_key"}


# A restore gives everything back ---------------------------------------------------------------

def test_a_restore_into_an_empty_site_gives_back_the_data_the_accounts_and_the_files(
        source, new_site, tmp_path):
    target = new_site()
    result = target.chibo("restore", str(source.archive))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Đã khôi phục {source.archive} ")
    assert [line.split() for line in result.stdout.splitlines()
            if line.split()[0] in ("member", "organization")] == [["member", "606"],
                                                                  ["organization", "73"]]
    assert exported(target, tmp_path / "export") == source.export
    assert target.ok("audit", "verify").startswith("Nhật ký thay đổi nguyên vẹn")
    for name, data in KEPT.items():
        assert (target.data_dir / name).read_bytes() == data
    assert (target.data_dir / "secret_key").read_text() == \
        (source.site.data_dir / "secret_key").read_text()
    assert not any((target.data_dir / name).exists() for name in SKIPPED)
    login = ("from chibo.accounts.models import User; "
             f"print(User.objects.get(username='boss').check_password('{PASSWORD}'))")
    assert target.ok("shell", "-c", login).splitlines()[-1] == "True"


def test_the_archive_is_private_and_its_manifest_describes_every_member(source):
    assert source.archive.stat().st_mode & 0o777 == 0o600  # the secret key and every record
    found = members(source.archive)
    manifest = json.loads(found.pop("manifest.json"))
    vendor = "postgresql" if POSTGRES else "sqlite"
    database = {"postgresql": "database/chibo.pgdump", "sqlite": "database/chibo.sqlite3"}
    assert (manifest["format"], manifest["format_version"]) == ("chibo-backup", 1)
    assert manifest["chibo_version"] and manifest["created_at"]
    assert manifest["database"]["vendor"] == vendor
    assert manifest["database"]["member"] == database[vendor]
    assert "meetings.0005_below_quality_index" in manifest["database"]["migrations"]
    assert manifest["counts"]["member"] == 606 and manifest["counts"]["user"] == 1
    assert manifest["counts"]["api_token"] == 1 and manifest["counts"]["audit_record"] >= 1
    # the audit trail's anchors too: the import anchored the chain's head (docs/security.md)
    assert sorted(found) == sorted([database[vendor], "data/secret_key",
                                    "data/audit.key", "data/audit-anchors.log",
                                    *(f"data/{name}" for name in KEPT)])
    assert manifest["files"] == {name: {"sha256": hashlib.sha256(data).hexdigest(),
                                        "size": len(data)} for name, data in found.items()}


def test_an_older_archive_is_restored_then_migrated(source, new_site):
    target = new_site()
    result = target.chibo("restore", str(source.older))
    assert result.returncode == 0, result.stderr
    assert source.missing >= 1
    assert result.stdout.splitlines()[-1] == \
        f"Đã nâng cấp cơ sở dữ liệu: {source.missing} migration."
    assert target.chibo("migrate", "--check").returncode == 0  # nothing left to apply


# A restore refuses, and writes nothing --------------------------------------------------------

def test_a_restore_refuses_a_data_dir_that_holds_files(source, new_site):
    target = new_site()
    (target.data_dir / "documents").mkdir()
    (target.data_dir / "documents" / "mine.pdf").write_bytes(b"%PDF")
    result = target.chibo("restore", str(source.archive))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"chibo restore: thư mục dữ liệu {target.data_dir} không "
                                    "trống (1 tệp: documents/mine.pdf…)")
    assert result.stderr.count("\n") == 1
    assert target.tables() == [] and target.files() <= {"secret_key", "documents/mine.pdf"}


def test_a_restore_refuses_a_database_that_has_tables(source):
    result = source.site.chibo("restore", str(source.archive))
    assert result.returncode == 1
    assert result.stderr.startswith("chibo restore: cơ sở dữ liệu ")
    assert "đã có dữ liệu" in result.stderr and result.stderr.count("\n") == 1


def test_a_corrupted_database_in_the_archive_is_refused_before_any_file_is_written(
        source, new_site, tmp_path):
    """The database comes last in the archive, after the files: they must not be written
    before it is found corrupted."""
    def flip(name: str, data: bytes) -> bytes:
        if not name.startswith("database/"):
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]

    broken = rewritten(source.archive, tmp_path / "broken.tar", flip)
    target = new_site()
    result = target.chibo("restore", str(broken))
    assert result.returncode == 1
    assert result.stderr.startswith("chibo restore: bản sao lưu hỏng: database/chibo.")
    assert "không khớp với manifest" in result.stderr and result.stderr.count("\n") == 1
    assert nothing_written(target)


def test_a_truncated_archive_is_refused_before_anything_is_written(source, new_site, tmp_path):
    data = source.archive.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[:len(data) * 3 // 4])
    target = new_site()
    result = target.chibo("restore", str(truncated))
    assert result.returncode == 1
    assert result.stderr.startswith("chibo restore: bản sao lưu hỏng, không đọc được: ")
    assert nothing_written(target)
    assert gzip.decompress(data)  # the original is a whole gzip file


def test_an_archive_with_a_member_the_manifest_does_not_list_is_refused(source, new_site,
                                                                        tmp_path):
    extra = tmp_path / "extra.tar"
    rewritten(source.archive, extra, lambda name, data: data)
    with tarfile.open(extra, "a") as tar:
        info = tarfile.TarInfo("data/planted.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    target = new_site()
    result = target.chibo("restore", str(extra))
    assert result.returncode == 1
    assert "data/planted.txt không khớp với manifest" in result.stderr
    assert nothing_written(target)


def test_an_archive_of_a_newer_chibo_is_refused(source, new_site, tmp_path):
    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["migrations"].append("members.9999_from_the_future")
        manifest["chibo_version"] = "9.0.0"
        return json.dumps(manifest).encode()

    target = new_site()
    result = target.chibo("restore", str(rewritten(source.archive, tmp_path / "new.tar", newer)))
    assert result.returncode == 1
    assert result.stderr == ("chibo restore: bản sao lưu của một bản chibo mới hơn (9.0.0, có "
                             "migration members.9999_from_the_future); cài bản chibo đó rồi "
                             "khôi phục\n")
    assert nothing_written(target)


def test_an_archive_whose_manifest_is_not_chibo_s_is_refused(source, new_site, tmp_path):
    def mangled(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        del manifest["files"]["data/audit.key"]["sha256"]
        return json.dumps(manifest).encode()

    target = new_site()
    result = target.chibo("restore", str(rewritten(source.archive, tmp_path / "m.tar", mangled)))
    assert result.returncode == 1
    assert result.stderr == ("chibo restore: không phải bản sao lưu của chibo (manifest không "
                             "đọc được)\n")
    assert nothing_written(target)


def test_a_file_that_is_not_an_archive_is_refused(new_site, tmp_path):
    target = new_site()
    (tmp_path / "notes.tar.gz").write_text("not an archive")
    result = target.chibo("restore", str(tmp_path / "notes.tar.gz"))
    assert result.returncode == 1 and result.stderr.startswith("chibo restore: bản sao lưu hỏng")
    assert nothing_written(target)


# A backup while chibo works ------------------------------------------------------------------

def test_a_backup_taken_while_another_connection_writes_is_one_moment_of_the_database(
        source, new_site, tmp_path):
    """A writer adds a row to two tables in each of its transactions during the backup: the
    archive holds as many of one as of the other, the counts of its manifest are the rows of
    its database, and it restores."""
    site = source.site
    with site.connect() as setup:
        setup.execute("CREATE TABLE side_a (n integer)")
        # Some bulk between the two, so that SQLite's copy takes several steps while the
        # writer writes.
        setup.execute("CREATE TABLE side_bulk (data text)")
        setup.execute("INSERT INTO side_bulk (data) VALUES " + ", ".join(
            [f"('{'x' * 4000}{n}')" for n in range(5000)]))
        setup.execute("CREATE TABLE side_b (n integer)")
    setup.close()
    stop, written = threading.Event(), []

    def write() -> None:
        connection = site.connect()
        while not stop.is_set():
            connection.execute("INSERT INTO side_a (n) VALUES (1)")
            connection.execute("INSERT INTO side_b (n) VALUES (1)")
            connection.commit()
            written.append(1)
            time.sleep(0.001)
        connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while not written:
            time.sleep(0.01)
        before = len(written)
        result = site.chibo("backup", str(tmp_path / "busy.tar"))
        after = len(written)
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    counts = json.loads(members(tmp_path / "busy.tar")["manifest.json"])["counts"]
    assert counts["side_a"] == counts["side_b"]
    assert before < counts["side_a"] < after  # a moment while the writer wrote
    assert counts["side_bulk"] == 5000
    target = new_site()
    restored = target.chibo("restore", str(tmp_path / "busy.tar"))  # checks the counts
    assert restored.returncode == 0, restored.stderr
    with target.connect() as check:
        rows = [check.execute(f"SELECT COUNT(*) FROM side_{t}").fetchone()[0] for t in "ab"]
    assert rows == [counts["side_a"]] * 2


def test_sqlite_s_copy_reads_one_snapshot_in_steps_without_restarting(tmp_path, monkeypatch):
    """A writer changes a row at the start of the file and one at its end in each transaction
    while the copy steps through it: the copy holds both at the same count, and it never
    starts over (a step per 4 MB: SQLite restarts a copy that another connection writes to
    between its steps, unless the copy holds its read transaction)."""
    path = tmp_path / "chibo.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE first (n integer)")
        setup.execute("INSERT INTO first VALUES (0)")
        setup.execute("CREATE TABLE bulk (data text)")
        setup.executemany("INSERT INTO bulk VALUES (?)", [("x" * 4000,)] * 5000)
        setup.execute("CREATE TABLE last (n integer)")
        setup.execute("INSERT INTO last VALUES (0)")
        setup.execute("CREATE TABLE django_migrations (app text, name text)")
    setup.close()
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, time\n"
        f"c = sqlite3.connect({str(path)!r}, timeout=20)\n"
        "while True:\n"
        "    c.execute('UPDATE first SET n = n + 1'); c.execute('UPDATE last SET n = n + 1')\n"
        "    c.commit(); time.sleep(0.001)\n")])
    monkeypatch.setattr(backup_module, "_db", lambda: {"NAME": str(path)})
    steps = []
    try:
        time.sleep(0.5)
        counts, _migrations = backup_module._sqlite_snapshot(
            tmp_path / "copy.sqlite3", lambda label, done, total: steps.append(done))
    finally:
        writer.kill()
    assert len(steps) > 1 and steps == sorted(steps)  # steps of 4 MB, none started again
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        first, last = (copy.execute(f"SELECT n FROM {t}").fetchone()[0] for t in ("first", "last"))
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert first == last > 0 and counts["bulk"] == 5000


# The command lines ----------------------------------------------------------------------------

def test_a_backup_refuses_an_archive_name_it_does_not_write_and_an_existing_file(db, capsys,
                                                                                 tmp_path):
    code, out, err = run(capsys, "backup", str(tmp_path / "copy.zip"))
    assert code == 2 and out == ""
    assert err == (f"chibo backup: tên bản sao lưu phải kết thúc bằng .tar.gz, .tgz hoặc .tar: "
                   f"{tmp_path / 'copy.zip'}\n")
    (tmp_path / "copy.tar.gz").write_bytes(b"an older copy")
    code, out, err = run(capsys, "backup", str(tmp_path / "copy.tar.gz"))
    assert code == 1 and err == f"chibo backup: {tmp_path / 'copy.tar.gz'} đã có; chọn tên khác\n"
    assert (tmp_path / "copy.tar.gz").read_bytes() == b"an older copy"


def test_restore_needs_its_archive(capsys, tmp_path):
    code, _, err = run(capsys, "restore")
    assert code == 2 and err == "chibo restore: thiếu ARCHIVE; xem chibo help restore\n"
