"""Member photos: checked by their content, re-encoded, kept in the data dir, never at a public URL.

A photo is a JPEG, PNG or WebP image of at most 2 MB and MAX_PIXELS pixels, recognized by
decoding it (Pillow), not by its name. What is accepted is decoded, turned upright (EXIF
orientation), shrunk to LONG_SIDE pixels on its long side and saved afresh in the same format:
the stored file carries no EXIF (GPS location, camera, dates) and no decompression trap. It is
stored as `<data dir>/photos/<member id>-<random>.<ext>`, outside the static and media URLs:
chibo.members.views.photo serves it to those who may see the member. Changing it goes through
chibo.members.services.set_photo (permission, audit).
"""

import io
import uuid
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
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


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
