"""The chain's head, anchored outside the database.

Someone who can write to the database can delete the last records and wind the chain's head
(AuditHead) back: what is left is a whole chain. An anchor is the head as it was — its sequence
number and hash, when, from which host, and the key id — signed with the audit key and written
where the database's users cannot write: a file (`CHIBO_AUDIT_ANCHOR_FILE`, on storage every
app server sees, appended to under a lock), syslog (`CHIBO_AUDIT_ANCHOR=syslog`), or both.
`chibo audit verify` then finds every anchored record still in the chain with the anchored
hash, and the chain reaching at least the last anchored record.

Anchors are written by `chibo audit anchor` (a deployment runs it on a schedule:
docs/security.md) and after every bundle import and reorganization commits
(`anchor_after_commit`).
"""

import fcntl
import json
import logging
import logging.handlers
import os
import socket
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from chibo.audit.keys import Key, current_key
from chibo.audit.models import AuditRecord, canonical_json

# Every anchor line holds this, so that anchors can be picked out of a syslog's lines.
MARK = "chibo-audit-anchor"
SINKS = ("file", "syslog")


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str  # ISO 8601, UTC
    host: str
    key_id: str
    mac: str = ""

    def signed_text(self) -> str:
        fields = asdict(self)
        del fields["mac"]
        return canonical_json({"anchor": MARK, **fields})

    def line(self) -> str:
        return canonical_json({"anchor": MARK, **asdict(self)})

    def shown(self) -> str:
        """When it was made, in local time as the pages write it (dd/mm/yyyy HH:MM)."""
        return date_format(timezone.localtime(datetime.fromisoformat(self.at)), "d/m/Y H:i")


def signed_head(key: Key | None = None) -> Anchor | None:
    """The chain's last record as an anchor signed with `key` (the current key), or None when
    the trail is empty."""
    last = AuditRecord.objects.order_by("-seq").values("seq", "hash").first()
    if last is None:
        return None
    key = key or current_key()
    unsigned = Anchor(seq=last["seq"], hash=last["hash"], host=socket.gethostname(),
                      at=datetime.now(UTC).isoformat(timespec="seconds"), key_id=key.id)
    return replace(unsigned, mac=key.sign(unsigned.signed_text()))


def anchor() -> Anchor | None:
    """Write the signed head to every configured sink; the anchor written (None: empty trail)."""
    made = signed_head()
    if made is not None:
        line = made.line()
        sinks = configured_sinks()
        if "file" in sinks:
            append_line(Path(settings.AUDIT_ANCHOR_FILE), line)
        if "syslog" in sinks:
            _to_syslog(line)
    return made


def anchor_after_commit() -> None:
    """Anchor the head once the current transaction commits (at once outside one), and only
    once per transaction however many changes in it ask. An anchor that cannot be written is
    logged, not raised: the change it follows is committed already."""
    connection = transaction.get_connection()
    # Django's own list of callbacks waiting for the commit (an import's many merges ask once).
    if any(func is anchor for _savepoints, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(anchor, robust=True)


def configured_sinks() -> set[str]:
    sinks = {name.strip() for name in settings.AUDIT_ANCHOR.split(",") if name.strip()}
    if unknown := sinks - set(SINKS):
        raise ValueError(f"CHIBO_AUDIT_ANCHOR: unknown sink {', '.join(sorted(unknown))} "
                         f"(file, syslog)")
    return sinks


def append_line(path: Path, line: str) -> None:
    """One line at the end of `path`, under an exclusive lock (POSIX, so NFS's lock manager
    takes it too): anchors from several app servers never interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)  # released when the file is closed
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _to_syslog(line: str) -> None:
    """`line` to syslog: a socket path (/dev/log) or HOST:PORT (UDP), CHIBO_AUDIT_SYSLOG_ADDRESS."""
    address = settings.AUDIT_SYSLOG_ADDRESS
    host, _, port = address.rpartition(":")
    handler = logging.handlers.SysLogHandler(
        address=(host, int(port)) if host and port.isdigit() else address)
    handler.ident, handler.append_nul = f"{MARK}: ", False
    try:
        handler.emit(logging.makeLogRecord({"msg": line, "levelno": logging.INFO,
                                            "levelname": "INFO"}))
    finally:
        handler.close()


@dataclass
class AnchorProblem:
    line: int
    reason: str


def read_anchors(lines: Iterable[str], keys: dict[str, Key]) -> tuple[list[Anchor],
                                                                         list[AnchorProblem]]:
    """The anchors among `lines` (an anchor file, or lines copied from a syslog) whose
    signature verifies, and a problem for each anchor line that does not (damaged, forged, or
    signed by a key not in `keys`)."""
    anchors, problems = [], []
    for number, text in enumerate(lines, start=1):
        if MARK not in text:
            continue
        try:
            # the JSON after a syslog's own header, whatever follows it (a NUL, a newline)
            found, _end = json.JSONDecoder().raw_decode(text, text.index("{"))
            made = Anchor(**{name: found[name] for name in
                             ("seq", "hash", "at", "host", "key_id", "mac")})
        except (ValueError, KeyError, TypeError):
            problems.append(AnchorProblem(number, _("không đọc được")))
            continue
        key = keys.get(made.key_id)
        if key is None:
            problems.append(AnchorProblem(number, _("ký bằng khóa %(id)s không có trong chùm "
                                                    "khóa") % {"id": made.key_id}))
        elif not key.signed(made.signed_text(), made.mac):
            problems.append(AnchorProblem(number, _("chữ ký không khớp (bị giả mạo hoặc sửa)")))
        else:
            anchors.append(made)
    return anchors, problems


def anchor_file_lines() -> list[str] | None:
    """The configured anchor file's lines; None when anchors do not go to a file (syslog only:
    give verify the lines instead). A file that does not exist yet has none."""
    if "file" not in configured_sinks():
        return None
    try:
        return Path(settings.AUDIT_ANCHOR_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
