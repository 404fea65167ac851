"""The audit trail's keys: records and anchors are keyed (HMAC-SHA256) with a secret that the
database does not hold, so that someone who can write to the database cannot forge them.

- The current key signs new records and anchors: `CHIBO_AUDIT_KEY` (the key itself), else the
  file `CHIBO_AUDIT_KEY_FILE` (a secret manager's mount; it must exist), else
  `$CHIBO_DATA_DIR/audit.key`, generated once (mode 0600).
- The keyring, `CHIBO_AUDIT_KEYRING_DIR` (default `$CHIBO_DATA_DIR/audit-keys/`), holds the keys
  used before a rotation, one per file, so that what they signed still verifies.
- A record names its key by id: 16 hex digits of HMAC(key, "chibo audit key id"), which tell
  nothing of the key itself.

The key is read when it is used, not once per process: moving `audit.key` into the keyring
(docs/security.md, rotation) takes effect at the next record, in every process.
"""

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# A key shorter than this is refused: it could be guessed from a record and its MAC.
MIN_LENGTH = 32
_ID_LABEL = b"chibo audit key id"


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes = field(repr=False)

    def sign(self, text: str) -> str:
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()

    def signed(self, text: str, mac: str) -> bool:
        return hmac.compare_digest(self.sign(text), mac)


def key_from(text: str, source: str) -> Key:
    """The key written in `text` (surrounding blanks ignored); `source` names it in errors."""
    secret = text.strip().encode()
    if len(secret) < MIN_LENGTH:
        raise ImproperlyConfigured(
            f"the audit key in {source} is shorter than {MIN_LENGTH} characters")
    return Key(hmac.new(secret, _ID_LABEL, hashlib.sha256).hexdigest()[:16], secret)


def current_key() -> Key:
    """The key that signs new records and anchors."""
    if settings.AUDIT_KEY:
        return key_from(settings.AUDIT_KEY, "CHIBO_AUDIT_KEY")
    if settings.AUDIT_KEY_FILE:
        path = Path(settings.AUDIT_KEY_FILE)
        try:
            return key_from(path.read_text(), str(path))
        except FileNotFoundError:  # a secret that did not arrive: never a new key in its place
            raise ImproperlyConfigured(f"CHIBO_AUDIT_KEY_FILE {path} does not exist") from None
    path = Path(settings.DATA_DIR) / "audit.key"
    return key_from(_generated_once(path), str(path))


def keyring() -> dict[str, Key]:
    """Every key that may have signed a record or an anchor, by id: the keyring's and the
    current one."""
    keys = {}
    folder = Path(settings.AUDIT_KEYRING_DIR)
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                key = key_from(path.read_text(), str(path))
                keys[key.id] = key
    key = current_key()
    keys[key.id] = key
    return keys


def _generated_once(path: Path) -> str:
    """The text of `path`, made first when there is none. The key is written whole to a private
    temporary file, then linked into place: of several processes starting at once one wins,
    and none ever reads a half-written key."""
    try:
        return path.read_text()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")  # 0600
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text()
