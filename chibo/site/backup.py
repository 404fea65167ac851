"""Backups of a running chibo and their restore (`chibo backup`, `chibo restore`;
docs/security.md, "Backups").

An archive is one tar file (`.tar`, or gzip-compressed `.tar.gz` / `.tgz`), written with mode
0600 (it holds the secret key and every member's record):

- `data/…`: every file of the data dir (CHIBO_DATA_DIR) but the database's own files and the
  passing or rebuilt directories of SKIPPED. Nothing here names the files a part of chibo keeps
  (uploads, photos, keys, anchors): whatever another part adds to the data dir comes along.
- `database/chibo.sqlite3` (SQLite: a copy by SQLite's online backup API, consistent while
  chibo serves) or `database/chibo.pgdump` (PostgreSQL: pg_dump's custom format, from the
  snapshot in which the tables were counted). Last but the manifest, so that a restore writes
  the database after the files it can still take back.
- `manifest.json` (last): the format, chibo's version, when, the database's vendor and applied
  migrations, every table's rows, and each member's sha256 and size.

A restore writes only into an empty data dir and an empty database, and only from an archive
whose every member matches the manifest (checked in a first reading, before anything is
written).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.console import UsageError

Progress = Callable[[str, int, int], None]

FORMAT, FORMAT_VERSION = "chibo-backup", 1
MANIFEST = "manifest.json"
DATA = "data"
DATABASE_MEMBERS = {"sqlite": "database/chibo.sqlite3", "postgresql": "database/chibo.pgdump"}
COMPRESSION = {".tar": "", ".tar.gz": "gz", ".tgz": "gz"}
# Top-level entries of the data dir that are not backed up, and that a restore's target may
# hold: rebuilt (static: collectstatic), passing (exports wait a day for their download;
# imports are uploads waiting for their import, and their progress), or archives and scratch.
SKIPPED = frozenset({"static", "exports", "imports", "backups", "tmp", "temp", "cache"})
# Written by chibo at its first start when CHIBO_SECRET_KEY is unset (chibo/settings.py), so a
# fresh data dir holds one before `chibo restore` runs: the archive's replaces it.
SECRET_KEY_FILE = "secret_key"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
DEFAULT_SQLITE = "chibo.sqlite3"
# Pages copied per step of SQLite's online backup (4 MB of 4 KB pages): progress between steps.
STEP_PAGES = 1024
CHUNK = 1024 * 1024


class Refused(CommandError):
    """A backup or restore that cannot be done as asked: one line, exit status 1."""


@dataclass
class Backup:
    path: Path
    manifest: dict


@dataclass
class Restored:
    manifest: dict
    migrated: list[str]


def _nothing(label: str, done: int, total: int) -> None:
    pass


def _db() -> dict:
    return settings.DATABASES[DEFAULT_DB_ALIAS]


def _vendor() -> str:
    return connections[DEFAULT_DB_ALIAS].vendor


# The data dir ------------------------------------------------------------------------------------

def _database_files() -> set[Path]:
    """The SQLite files (the configured one and the default one, with their journals), which
    are never copied as files."""
    data_dir = Path(settings.DATA_DIR)
    names = [data_dir / DEFAULT_SQLITE]
    if _vendor() == "sqlite":
        names.append(Path(_db()["NAME"]).resolve())
    return {Path(f"{name}{side}") for name in names for side in ("", *SQLITE_SIDE_FILES)}


def data_files(exclude: frozenset[Path] = frozenset()) -> list[tuple[str, Path]]:
    """(name in the archive, path) of every file of the data dir that a backup copies."""
    root = Path(settings.DATA_DIR)
    skipped = _database_files() | set(exclude)
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if here / d not in skipped
                         and not (here == root and d in SKIPPED))
        for name in sorted(files):
            path = here / name
            if path in skipped or (here == root and name in SKIPPED) or not path.is_file():
                continue
            found.append((f"{DATA}/{path.relative_to(root).as_posix()}", path))
    return found


# Reading a database's contents ----------------------------------------------------------------

TABLES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def contents(cursor, vendor: str) -> tuple[dict[str, int], list[str]]:
    """(rows of every table, the applied migrations as "app.name") seen by a DB-API `cursor`."""
    cursor.execute(TABLES_SQL[vendor])
    tables = sorted(row[0] for row in cursor.fetchall())
    if "django_migrations" not in tables:
        raise Refused(_("cơ sở dữ liệu chưa được tạo (chạy chibo migrate trước)"))
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quoted(table)}")
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations")
    return counts, sorted(f"{app}.{name}" for app, name in cursor.fetchall())


def main_tables(counts: dict[str, int]) -> list[tuple[str, int]]:
    """The rows of chibo's own tables among `counts` (the summary a command prints)."""
    ours = {model._meta.db_table for config in apps.get_app_configs()
            if config.name.startswith("chibo.") for model in config.get_models()}
    return [(table, rows) for table, rows in counts.items() if table in ours]


# Hashing while reading or writing ---------------------------------------------------------------

class _Hashing:
    """A file read through, its sha256 and size counted as they pass."""

    def __init__(self, source):
        self.source, self.sha256, self.size = source, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


class _Counting:
    """The archive's file as read, telling `progress` how far (bytes of the file)."""

    def __init__(self, source, label: str, total: int, progress: Progress):
        self.source, self.label, self.total, self.progress = source, label, total, progress
        self.done = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.done += len(data)
        self.progress(self.label, self.done, self.total)
        return data


def _digest(stream, sink=None) -> tuple[str, int]:
    """Read `stream` to its end (into `sink`, a writable file, when given): (sha256, size)."""
    reader = _Hashing(stream)
    while data := reader.read(CHUNK):
        if sink is not None:
            sink.write(data)
    return reader.sha256.hexdigest(), reader.size


# Backup -----------------------------------------------------------------------------------------

def archive_path(dest: Path, now: datetime) -> Path:
    """Where the archive goes: `dest`, or a dated name inside `dest` when it is a directory."""
    if dest.is_dir():
        dest = dest / f"chibo-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"
    if _compression(dest) is None:
        raise UsageError(_("tên bản sao lưu phải kết thúc bằng .tar.gz, .tgz hoặc .tar: "
                           "%(path)s") % {"path": dest})
    if dest.exists():
        raise Refused(_("%(path)s đã có; chọn tên khác") % {"path": dest})
    # Resolved as the data dir is, so that an archive written inside it is not copied into
    # itself.
    return dest.absolute().parent.resolve() / dest.name


def _compression(path: Path) -> str | None:
    name = path.name.lower()
    return next((mode for suffix, mode in COMPRESSION.items() if name.endswith(suffix)), None)


def backup(dest: Path, *, progress: Progress = _nothing, now: datetime | None = None) -> Backup:
    """Copy the database and the data dir's files into one archive at `dest` (a directory:
    a dated name inside it) while chibo serves."""
    now = now or timezone.now()
    target = archive_path(Path(dest), now)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".chibo-backup-") as work:
        work = Path(work)
        vendor = _vendor()
        copy = work / PurePosixPath(DATABASE_MEMBERS[vendor]).name
        counts, migrations = SNAPSHOTS[vendor](copy, progress)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "chibo_version": version("chibo"),
            "created_at": now.isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor],
                         "migrations": migrations},
            "counts": counts, "files": {},
        }
        files = data_files(exclude=frozenset({work, target}))
        partial = work / "archive.partial"
        _write_archive(partial, _compression(target), [*files, (DATABASE_MEMBERS[vendor], copy)],
                       manifest, progress, now)
        os.replace(partial, target)
    return Backup(target, manifest)


def _write_archive(path: Path, compression: str, members: list[tuple[str, Path]],
                   manifest: dict, progress: Progress, now: datetime) -> None:
    label, total = _("ghi tệp"), sum(_size(source) for _name, source in members)
    written = _Counting(None, label, total, progress)  # bytes of the members, as they are read
    handle = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
    with handle, tarfile.open(fileobj=handle, mode=f"w:{compression}", dereference=True,
                              **({"compresslevel": 6} if compression else {})) as archive:
        for name, source in members:
            try:
                manifest["files"][name] = _add(archive, name, source, written)
            except FileNotFoundError:  # deleted since the listing: no longer part of the data
                continue
        text = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(text), 0o600, int(now.timestamp())
        archive.addfile(info, io.BytesIO(text))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _add(archive: tarfile.TarFile, name: str, source: Path, written: "_Counting") -> dict:
    with source.open("rb") as handle:
        info = archive.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        written.source = handle
        reader = _Hashing(written)
        archive.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": info.size}


def _sqlite_snapshot(copy: Path, progress: Progress) -> tuple[dict[str, int], list[str]]:
    """SQLite's online backup of the database into `copy`, then its contents. The source's read
    transaction is held over every step, so that each step copies the same snapshot while
    writers go on (WAL); otherwise a write by another connection restarts the copy."""
    name = Path(_db()["NAME"])
    try:  # mode=rw: a missing database is an error, not a new empty file
        source = sqlite3.connect(f"file:{quote(str(name))}?mode=rw", uri=True, timeout=20)
    except sqlite3.OperationalError:
        raise Refused(_("không có cơ sở dữ liệu %(path)s (chạy chibo migrate trước)")
                      % {"path": name}) from None
    label = _("sao chép cơ sở dữ liệu")
    try:
        source.execute("BEGIN")
        source.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        target = sqlite3.connect(copy)
        try:
            source.backup(target, pages=STEP_PAGES, progress=lambda _status, remaining, total:
                          progress(label, total - remaining, total))
        finally:
            target.close()
    finally:
        source.close()
    copied = sqlite3.connect(copy)
    try:
        return contents(copied.cursor(), "sqlite")
    finally:
        copied.close()


def _libpq_env() -> dict[str, str]:
    """The environment that points pg_dump and pg_restore at the configured database: the
    password in PGPASSWORD (never on a command line), the rest as Django's psql client has it."""
    db = _db()
    _args, env = DatabaseClient.settings_to_cmd_args_env(db, [])
    env = {**os.environ, **(env or {})}
    for variable, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGDATABASE", "NAME")]:
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Refused(_("không tìm thấy %(tool)s (cài gói postgresql-client)") % {"tool": name})
    return path


def _postgresql_snapshot(copy: Path, progress: Progress) -> tuple[dict[str, int], list[str]]:
    """pg_dump of the snapshot in which the tables are counted (exported by a repeatable-read
    transaction held open until pg_dump is done), so the counts are the dump's."""
    connection = connections[DEFAULT_DB_ALIAS]
    progress(_("sao chép cơ sở dữ liệu (pg_dump)"), 0, 0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        found = contents(cursor, "postgresql")
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              "--no-password", f"--snapshot={snapshot}", f"--file={copy}"])
    return found


def _run(args: list[str], stdin=None) -> None:
    """A PostgreSQL tool on the configured database; its first error line when it fails."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a full pipe would block it
        process = subprocess.Popen(args, env=_libpq_env(), stdout=subprocess.DEVNULL,
                                   stdin=subprocess.PIPE if stdin else None, stderr=errors)
        try:
            if stdin is not None:
                stdin(process.stdin)
                process.stdin.close()
        except BrokenPipeError:  # the tool stopped reading: its error says why
            pass
        finally:
            process.wait()
        errors.seek(0)
        error = errors.read().decode(errors="replace")
    if process.returncode:
        first = next((line for line in error.splitlines() if line.strip()), "")
        raise Refused(_("%(tool)s thất bại: %(error)s")
                      % {"tool": Path(args[0]).name, "error": first})


SNAPSHOTS = {"sqlite": _sqlite_snapshot, "postgresql": _postgresql_snapshot}


# Restore ----------------------------------------------------------------------------------------

def restore(path: Path, *, progress: Progress = _nothing) -> Restored:
    """Restore the archive at `path` into the empty data dir and database of the settings;
    then migrate the database when the archive is older than this chibo."""
    path = Path(path)
    if not path.is_file():
        raise Refused(_("không có tệp %(path)s") % {"path": path})
    refuse_unless_empty()
    manifest = verify(path, progress)
    pending = _pending_migrations(manifest)
    connections.close_all()
    _write(path, manifest, progress)
    _check_counts(manifest)
    if pending:
        progress(_("nâng cấp cơ sở dữ liệu"), 0, 0)
        call_command("migrate", interactive=False, verbosity=0)
    return Restored(manifest, pending)


def refuse_unless_empty() -> None:
    """Refused when the database has tables or the data dir holds a file a backup would copy."""
    if _vendor() == "sqlite":
        tables = _sqlite_tables(Path(_db()["NAME"]))
    else:
        tables = connections[DEFAULT_DB_ALIAS].introspection.table_names()
    if tables:
        raise Refused(_("cơ sở dữ liệu %(name)s đã có dữ liệu (%(n)s bảng); chỉ khôi phục vào "
                        "một cơ sở dữ liệu trống") % {"name": _db()["NAME"], "n": len(tables)})
    found = [name for name, _path in data_files()
             if name != f"{DATA}/{SECRET_KEY_FILE}"]
    if found:
        shown = ", ".join(name.removeprefix(f"{DATA}/") for name in found[:3])
        raise Refused(_("thư mục dữ liệu %(dir)s không trống (%(n)s tệp: %(files)s…); chỉ khôi "
                        "phục vào một thư mục dữ liệu trống")
                      % {"dir": settings.DATA_DIR, "n": len(found), "files": shown})


def _sqlite_tables(name: Path) -> list[str]:
    if not name.exists():
        return []
    connection = sqlite3.connect(f"file:{quote(str(name))}?mode=rw", uri=True)
    try:
        return [row[0] for row in connection.execute(TABLES_SQL["sqlite"])]
    except sqlite3.DatabaseError as error:  # not a database: not an empty one either
        raise Refused(_("%(path)s không đọc được: %(error)s")
                      % {"path": name, "error": error}) from None
    finally:
        connection.close()


def verify(path: Path, progress: Progress = _nothing) -> dict:
    """The archive's manifest, once every member has been read and matches it (sha256, size,
    none missing, none extra, every name a plain file under data/ or the database's); Refused
    otherwise. Nothing is written."""
    seen, manifest = {}, None
    try:
        with _reading(path, _("kiểm tra bản sao lưu"), progress) as archive:
            for member in archive:
                if member.name == MANIFEST and member.isfile():
                    manifest = _manifest(archive.extractfile(member).read())
                    continue
                _check_name(member, seen)
                seen[member.name] = _digest(archive.extractfile(member))
    except (tarfile.TarError, zlib.error, EOFError, OSError) as error:
        raise Refused(_("bản sao lưu hỏng, không đọc được: %(error)s") % {"error": error}) from None
    if manifest is None:
        raise Refused(_("không phải bản sao lưu của chibo (thiếu %(name)s)") % {"name": MANIFEST})
    expected = {name: (entry["sha256"], entry["size"]) for name, entry in
                manifest["files"].items()}
    wrong = sorted(name for name in expected.keys() | seen.keys()
                   if expected.get(name) != seen.get(name))
    if wrong:
        raise Refused(_("bản sao lưu hỏng: %(name)s không khớp với manifest (%(n)s tệp); không "
                        "ghi gì") % {"name": wrong[0], "n": len(wrong)})
    if manifest["database"]["member"] not in seen:
        raise Refused(_("bản sao lưu không có cơ sở dữ liệu"))
    return manifest


@contextmanager
def _reading(path: Path, label: str, progress: Progress) -> Iterator[tarfile.TarFile]:
    """The archive, read once from start to end (a stream: gzip is not sought back)."""
    with path.open("rb") as raw, tarfile.open(
            fileobj=_Counting(raw, label, path.stat().st_size, progress), mode="r|*") as archive:
        yield archive


def _manifest(text: bytes) -> dict:
    try:
        manifest = json.loads(text)
        if manifest.get("format") != FORMAT:
            raise ValueError
    except (ValueError, AttributeError):
        raise Refused(_("không phải bản sao lưu của chibo (manifest không đọc được)")) from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise Refused(_("bản sao lưu dạng %(n)s; bản chibo này đọc dạng %(ours)s")
                      % {"n": manifest.get("format_version"), "ours": FORMAT_VERSION})
    try:
        readable = _well_formed(manifest)
    except (KeyError, TypeError, AttributeError):
        readable = False
    if not readable:
        raise Refused(_("không phải bản sao lưu của chibo (manifest không đọc được)"))
    return manifest


def _well_formed(manifest: dict) -> bool:
    """The manifest has what a restore reads, of the types it reads them as."""
    database = manifest["database"]
    return (database["member"] == DATABASE_MEMBERS.get(database["vendor"])
            and isinstance(database["migrations"], list)
            and isinstance(manifest["counts"], dict)
            and all(isinstance(entry["sha256"], str) and isinstance(entry["size"], int)
                    for entry in manifest["files"].values())
            and isinstance(manifest["chibo_version"], str) and bool(manifest["created_at"]))


def _check_name(member: tarfile.TarInfo, seen: dict) -> None:
    parts = PurePosixPath(member.name).parts
    safe = (member.isfile() and member.name not in seen and len(parts) > 1
            and not member.name.startswith("/") and ".." not in parts
            and (parts[0] == DATA or member.name in DATABASE_MEMBERS.values()))
    if not safe:
        raise Refused(_("bản sao lưu có mục lạ %(name)s; không ghi gì") % {"name": member.name})


def _pending_migrations(manifest: dict) -> list[str]:
    """This chibo's migrations that the archive lacks (applied by the restore); Refused when
    the archive is of another database vendor or has migrations this chibo does not know."""
    vendor = manifest["database"]["vendor"]
    if vendor != _vendor():
        raise Refused(_("bản sao lưu là của %(theirs)s, cơ sở dữ liệu đích là %(ours)s; chuyển "
                        "dữ liệu giữa hai loại bằng chibo export / chibo import")
                      % {"theirs": vendor, "ours": _vendor()})
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    known |= {f"{app}.{name}" for migration in loader.disk_migrations.values()
              for app, name in migration.replaces}
    applied = set(manifest["database"]["migrations"])
    unknown = sorted(applied - known)
    if unknown:
        raise Refused(_("bản sao lưu của một bản chibo mới hơn (%(version)s, có migration "
                        "%(name)s); cài bản chibo đó rồi khôi phục")
                      % {"version": manifest["chibo_version"], "name": unknown[0]})
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes
                  if f"{app}.{name}" not in applied)


def _write(path: Path, manifest: dict, progress: Progress) -> None:
    """The archive's files into the data dir, then its database; what was written is taken
    back if a step fails (pg_restore runs in one transaction)."""
    written: list[Path] = []
    database = manifest["database"]["member"]
    try:
        with _reading(path, _("khôi phục"), progress) as archive:
            for member in archive:
                if member.name == MANIFEST:
                    continue
                expected = manifest["files"][member.name]
                stream = archive.extractfile(member)
                if member.name == database:
                    digest = WRITERS[manifest["database"]["vendor"]](stream, written)
                else:
                    digest = _write_file(member, stream, written)
                if digest != (expected["sha256"], expected["size"]):
                    raise Refused(_("bản sao lưu đã đổi trong khi khôi phục: %(name)s")
                                  % {"name": member.name})
    except BaseException:
        for written_path in reversed(written):
            written_path.unlink(missing_ok=True)
        raise


def _write_file(member: tarfile.TarInfo, stream, written: list[Path]) -> tuple[str, int]:
    target = Path(settings.DATA_DIR).joinpath(*PurePosixPath(member.name).parts[1:])
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.restoring")
    written.append(partial)
    with partial.open("xb") as sink:
        digest = _digest(stream, sink)
    os.chmod(partial, member.mode & 0o777)
    os.utime(partial, (member.mtime, member.mtime))
    if target.exists() and member.name != f"{DATA}/{SECRET_KEY_FILE}":
        raise Refused(_("%(path)s đã có") % {"path": target})
    os.replace(partial, target)
    written[-1] = target
    return digest


def _write_sqlite(stream, written: list[Path]) -> tuple[str, int]:
    name = Path(_db()["NAME"])
    name.parent.mkdir(parents=True, exist_ok=True)
    partial = name.with_name(f".{name.name}.restoring")
    written.append(partial)
    with partial.open("xb") as sink:
        digest = _digest(stream, sink)
        sink.flush()
        os.fsync(sink.fileno())
    for side in ("", *SQLITE_SIDE_FILES):  # an empty database's (refuse_unless_empty)
        Path(f"{name}{side}").unlink(missing_ok=True)
    os.replace(partial, name)
    written[-1] = name
    return digest


def _write_postgresql(stream, written: list[Path]) -> tuple[str, int]:
    found = {}

    def feed(sink) -> None:
        found["digest"] = _digest(stream, sink)

    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--no-password", f"--dbname={_db()['NAME']}"], stdin=feed)
    return found["digest"]


WRITERS = {"sqlite": _write_sqlite, "postgresql": _write_postgresql}


def _check_counts(manifest: dict) -> None:
    """The restored database holds the rows the backup counted."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        counts, _migrations = contents(cursor, _vendor())
    wrong = [table for table, rows in manifest["counts"].items() if counts.get(table) != rows]
    if wrong:
        raise Refused(_("bảng %(table)s có %(rows)s dòng sau khi khôi phục, bản sao lưu có "
                        "%(expected)s") % {"table": wrong[0], "rows": counts.get(wrong[0]),
                                           "expected": manifest["counts"][wrong[0]]})
