"""Member photos: checked by their content, re-encoded, kept in the data dir, never at a public URL.

A photo is a JPEG, PNG or WebP image of at most 2 MB and MAX_PIXELS pixels, recognized by
decoding it (Pillow), not by its name. What is accepted is decoded, turned upright (EXIF
orientation), shrunk to LONG_SIDE pixels on its long side and saved afresh in the same format:
the stored file carries no EXIF (GPS location, camera, dates), XMP or comment, and no
decompression trap. It is stored as `<data dir>/photos/<member id>-<random>.<ext>`, outside the
static and media URLs: chibo.members.views.photo serves it to those who may see the member.
Changing it goes through chibo.members.services.set_photo (permission, audit).

Photos stored before uploads were re-encoded still carry what they came with:
`reencoding` tells what re-encoding one the same way changes, and
chibo.members.services.reencode_stored_photos (`chibo photos --reencode`) rewrites them.
"""

import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from chibo.core.exceptions import RuleViolation

MAX_BYTES = 2 * 1024 * 1024
# Decoding costs about 4 bytes a pixel whatever the file size: a 48 KB PNG can claim
# 20000 × 20000 pixels (1.6 GB). 40 million pixels is above any camera a clerk scans with.
MAX_PIXELS = 40_000_000
LONG_SIDE = 800  # pixels; a profile photo is shown at most a few hundred pixels wide
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"),
           "WEBP": ("webp", "image/webp")}
CONTENT_TYPES = {ext: content_type for ext, content_type in FORMATS.values()}


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "photos"
    path.mkdir(parents=True, exist_ok=True)
    return path


def too_large_message() -> str:
    return _("Ảnh quá lớn (tối đa 2 MB).")


def prepared(data: bytes) -> tuple[bytes, str]:
    """The photo chibo stores for the upload `data` and its format (a key of FORMATS):
    decoded, upright, at most LONG_SIDE pixels, without metadata. RuleViolation when `data` is
    not a photo chibo keeps."""
    if len(data) > MAX_BYTES:
        raise RuleViolation(too_large_message(), field="photo")
    image = _decoded(data)
    image_format = image.format
    icc_profile = image.info.get("icc_profile")  # colours, not personal data: kept
    image = ImageOps.exif_transpose(image)
    image.thumbnail((LONG_SIDE, LONG_SIDE))
    return _encoded(image, image_format, icc_profile), image_format


def _decoded(data: bytes) -> Image.Image:
    not_a_photo = RuleViolation(_("Tệp không phải ảnh JPEG, PNG hoặc WebP."), field="photo")
    too_many_pixels = RuleViolation(
        _("Ảnh có kích thước quá lớn (tối đa %(count)s triệu điểm ảnh).")
        % {"count": MAX_PIXELS // 1_000_000}, field="photo")
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
        if image.format not in FORMATS:
            raise not_a_photo
        if image.width * image.height > MAX_PIXELS:  # refused before any pixel is decoded
            raise too_many_pixels
        image.draft("RGB", (LONG_SIDE, LONG_SIDE))  # JPEG: decode already scaled down
        image.load()  # a renamed text file or a broken (cut short) image fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_a_photo from None
    return image


def _encoded(image: Image.Image, image_format: str, icc_profile: bytes | None) -> bytes:
    """A fresh file of `image`: only the pixels (and colour profile) are written, so no EXIF,
    XMP or text chunk of the upload survives. PNG and WebP keep their transparency."""
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image_format == "JPEG" or not transparent:
        image = image.convert("L" if image.mode in ("1", "L", "I", "I;16", "F") else "RGB")
    else:
        image = image.convert("RGBA")
    options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True},
               "WEBP": {"quality": 85}}[image_format]
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.info = {}  # Pillow would copy some of it into the file (a JPEG's comment)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


@dataclass(frozen=True)
class Reencoding:
    """A stored photo re-encoded as an upload is now (`prepared`), and what that changes."""

    data: bytes
    dropped: tuple[str, ...]  # metadata the stored file carries and the new one does not
    size_before: tuple[int, int]
    size_after: tuple[int, int]

    @property
    def changes(self) -> bool:
        """Whether the stored file is not already what an upload makes of it. One that is,
        is left alone: each JPEG encoding loses a little more of the picture."""
        return bool(self.dropped) or self.size_before != self.size_after


def reencoding(data: bytes) -> Reencoding:
    """The stored photo `data` re-encoded by `prepared`. RuleViolation when it is not a photo
    chibo reads (or no longer within its limits)."""
    fresh, _ = prepared(data)  # first: it refuses what is too large to decode
    (size_before, info_before), (size_after, info_after) = _read(data), _read(fresh)
    dropped = tuple(sorted(set(info_before) - set(info_after)))
    return Reencoding(fresh, dropped, size_before, size_after)


def _read(data: bytes) -> tuple[tuple[int, int], dict]:
    """The size and metadata of an image already checked by `prepared`."""
    image = Image.open(io.BytesIO(data))
    size = image.size
    image.draft("RGB", (LONG_SIDE, LONG_SIDE))  # JPEG: decoded scaled down, as in `prepared`
    image.load()  # a PNG's text chunks after the pixels are read with them
    return size, image.info


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


def rewrite(name: str, data: bytes) -> None:
    """Replace the stored photo `name` by `data` in one step: whoever reads it meanwhile gets
    the old file or the new one, never half of one."""
    path = folder() / name
    temporary = path.with_name(f".{name}.tmp")  # a dot name: path_of never serves it
    temporary.write_bytes(data)
    os.replace(temporary, path)


def remove(name: str) -> None:
    if path := path_of(name):
        path.unlink(missing_ok=True)
