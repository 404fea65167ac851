"""Member photos: checked by their content, kept in the data dir, never at a public URL.

A photo is a JPEG, PNG or WebP image of at most 2 MB, recognized by decoding it (Pillow), not
by its name. It is stored as `<data dir>/photos/<member id>-<random>.<ext>`, outside the static
and media URLs: chibo.members.views.photo serves it to those who may see the member. Changing
it goes through chibo.members.services.set_photo (permission, audit).
"""

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from chibo.core.exceptions import RuleViolation

MAX_BYTES = 2 * 1024 * 1024
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"),
           "WEBP": ("webp", "image/webp")}
CONTENT_TYPES = {ext: content_type for ext, content_type in FORMATS.values()}


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "photos"
    path.mkdir(parents=True, exist_ok=True)
    return path


def checked_format(data: bytes) -> str:
    """The image format of `data` (a key of FORMATS); RuleViolation when it is not a photo
    chibo keeps."""
    if len(data) > MAX_BYTES:
        raise RuleViolation(_("Ảnh quá lớn (tối đa 2 MB)."), field="photo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # decodes the structure: a renamed text file or a broken image fails
            found = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found = None
    if found not in FORMATS:
        raise RuleViolation(_("Tệp không phải ảnh JPEG, PNG hoặc WebP."), field="photo")
    return found


def store(member_id: int, data: bytes, image_format: str) -> str:
    name = f"{member_id}-{uuid.uuid4().hex}.{FORMATS[image_format][0]}"
    (folder() / name).write_bytes(data)
    return name


def path_of(name: str) -> Path | None:
    """The stored file of a photo name, if it is one of ours and exists."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder() / name
    return path if path.is_file() else None


def remove(name: str) -> None:
    if path := path_of(name):
        path.unlink(missing_ok=True)
