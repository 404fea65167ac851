"""A member file's photo: uploaded on the profile form, checked by its content, kept in the data
dir, served only to those who may see the member, audited."""

import io
import struct
import zlib
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, TiffImagePlugin

from chibo.audit.models import AuditRecord
from chibo.members import photos
from chibo.members.forms import PhotoForm
from chibo.members.models import Member
from tests.form_support import post_form


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Each test its own photos folder (files outlive the rolled-back test transaction)."""
    settings.DATA_DIR = tmp_path


def image_bytes(image_format: str = "PNG", size=(40, 50)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def profile_post(member: Member, **extra) -> dict:
    """The profile form as shown (unchanged), with `extra` fields."""
    return {"full_name": member.full_name, "gender": member.gender,
            "birth_date": member.birth_date.isoformat(), "ethnicity": member.ethnicity,
            "general_education": member.general_education, **extra}


def upload(client, member, name: str, data: bytes, content_type="image/png"):
    return post_form(client, f"/members/{member.member_code}/edit/", profile_post(
        member, photo=SimpleUploadedFile(name, data, content_type=content_type)))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_clerk_adds_a_photo_that_those_in_scope_see(world, people, image_format):
    lan = people["lan"]
    response = upload(world.client("commune"), lan, f"anh.{image_format.lower()}",
                      image_bytes(image_format))
    assert response.status_code == 302
    lan.refresh_from_db()
    assert lan.photo.startswith(f"{lan.pk}-") and photos.path_of(lan.photo) is not None
    for username in ("commune", "province", "member"):  # in scope; the member herself
        shown = world.client(username).get(f"/members/{lan.member_code}/photo")
        assert shown.status_code == 200, username
        assert shown["Content-Type"] == photos.FORMATS[image_format][1]
        served = Image.open(io.BytesIO(b"".join(shown.streaming_content)))
        assert (served.format, served.size) == (image_format, (40, 50))
    page = world.client("commune").get(f"/members/{lan.member_code}/").content.decode()
    assert 'id="member-photo"' in page
    (record,) = AuditRecord.objects.filter(action="member.photo")
    assert record.after["format"] == image_format and record.before == {"photo": None}


def test_outside_the_scope_neither_the_photo_nor_the_upload(world, people):
    lan = people["lan"]
    upload(world.client("commune"), lan, "anh.png", image_bytes())
    for username in ("other_commune", "viewer", "nobody"):  # none of them sees her file
        client = world.client(username)
        assert client.get(f"/members/{lan.member_code}/photo").status_code == 404, username
        assert upload(client, lan, "x.png", image_bytes()).status_code == 404, username
    assert world.client(None).get(f"/members/{lan.member_code}/photo").status_code == 302
    # a member sees their own file only
    yen = people["yen"]
    upload(world.client("province"), yen, "anh.png", image_bytes())
    assert world.client("member").get(f"/members/{yen.member_code}/photo").status_code == 404


@pytest.mark.parametrize("name, data, message", [
    ("anh.jpg", b"not an image at all", "không phải ảnh JPEG, PNG hoặc WebP"),
    ("anh.png", image_bytes("GIF"), "không phải ảnh JPEG, PNG hoặc WebP"),
    ("anh.png", image_bytes("PNG")[:60], "không phải ảnh JPEG, PNG hoặc WebP"),  # cut short
    ("anh.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024), "quá lớn (tối đa 2 MB)"),
])
def test_a_bad_upload_is_refused_and_nothing_is_written(world, people, name, data, message):
    lan = people["lan"]
    before = AuditRecord.objects.count()
    response = upload(world.client("commune"), lan, name, data)
    assert response.status_code == 200 and message in response.content.decode()
    lan.refresh_from_db()
    assert lan.photo == "" and AuditRecord.objects.count() == before
    assert not list(photos.folder().glob(f"{lan.pk}-*"))


def test_replacing_and_removing_a_photo(world, people):
    lan = people["lan"]
    client = world.client("commune")
    upload(client, lan, "a.png", image_bytes())
    lan.refresh_from_db()
    first = lan.photo
    upload(client, lan, "b.jpg", image_bytes("JPEG"))
    lan.refresh_from_db()
    assert lan.photo != first and lan.photo.endswith(".jpg")
    post_form(client, f"/members/{lan.member_code}/edit/", profile_post(lan, remove_photo="on"))
    lan.refresh_from_db()
    assert lan.photo == ""
    assert client.get(f"/members/{lan.member_code}/photo").status_code == 404
    assert list(AuditRecord.objects.filter(action="member.photo").order_by("seq")
                .values_list("after__photo", flat=True))[-1] is None


def stored_image(member: Member) -> Image.Image:
    member.refresh_from_db()
    return Image.open(photos.path_of(member.photo))


@cache
def blank_png(width: int, height: int) -> bytes:
    """A valid black 1-bit PNG of any size, written row by row: a few KB for a 20000 × 20000
    image Pillow could not even hold in memory here."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    packer = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # expected: refused
@pytest.mark.parametrize("width, height", [
    (20000, 20000),  # above Pillow's own bomb limit: it raised, a 500
    (12000, 12000),  # 144 Mpx: Pillow only warned and the file was stored
    (8000, 5001),  # just above chibo's limit of 40 million pixels
])
def test_an_image_of_too_many_pixels_is_refused_and_nothing_is_written(
        world, people, width, height):
    lan = people["lan"]
    data = blank_png(width, height)
    assert len(data) < photos.MAX_BYTES
    before = AuditRecord.objects.count()
    response = upload(world.client("commune"), lan, "bom.png", data)
    assert response.status_code == 200
    assert "kích thước quá lớn (tối đa 40 triệu điểm ảnh)" in response.content.decode()
    lan.refresh_from_db()
    assert lan.photo == "" and AuditRecord.objects.count() == before
    assert not list(photos.folder().glob(f"{lan.pk}-*"))


@pytest.mark.parametrize("image_format, size", [
    ("JPEG", (4000, 3000)), ("PNG", (1000, 2400)), ("WEBP", (900, 901))])
def test_the_stored_photo_is_at_most_the_long_side(world, people, image_format, size):
    lan = people["lan"]
    assert upload(world.client("commune"), lan, "anh", image_bytes(image_format, size)
                  ).status_code == 302
    stored = stored_image(lan)
    assert stored.format == image_format and max(stored.size) == photos.LONG_SIDE
    assert stored.size[0] / stored.size[1] == pytest.approx(size[0] / size[1], rel=0.01)


def test_a_small_photo_is_kept_at_its_size(world, people):
    lan = people["lan"]
    upload(world.client("commune"), lan, "anh.png", image_bytes("PNG", (300, 200)))
    assert stored_image(lan).size == (300, 200)


def test_exif_and_gps_are_stripped_and_the_photo_turned_upright(world, people):
    lan = people["lan"]
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned, the viewer rotates 90°
    exif[0x010F] = "CameraMaker"
    gps = {1: "N", 2: (TiffImagePlugin.IFDRational(21), TiffImagePlugin.IFDRational(1),
                       TiffImagePlugin.IFDRational(0)), 3: "E"}
    exif[0x8825] = gps  # GPSInfo: where the photo was taken
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif().get_ifd(0x8825)
    upload(world.client("commune"), lan, "anh.jpg", buffer.getvalue(), "image/jpeg")
    stored = stored_image(lan)
    assert stored.size == (40, 60)  # rotated as the EXIF said, before the EXIF was dropped
    assert not stored.getexif() and "exif" not in stored.info
    raw = photos.path_of(lan.photo).read_bytes()
    assert b"Exif" not in raw and b"CameraMaker" not in raw


def test_png_transparency_is_kept(world, people):
    lan = people["lan"]
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 0, 0, 0)).save(buffer, format="PNG")
    upload(world.client("commune"), lan, "anh.png", buffer.getvalue())
    stored = stored_image(lan)
    assert stored.mode == "RGBA" and stored.getpixel((5, 5))[3] == 0


class UnreadableUpload(SimpleUploadedFile):
    """An upload that must not be read: the form decides from its size alone."""

    def read(self, *args, **kwargs):
        raise AssertionError("the upload was read before its size was checked")


def test_an_oversized_upload_is_refused_before_it_is_read():
    upload = UnreadableUpload("anh.png", b"", content_type="image/png")
    upload.size = photos.MAX_BYTES + 1
    form = PhotoForm(data={}, files={"photo": upload})
    assert not form.is_valid()
    assert form.errors["photo"] == ["Ảnh quá lớn (tối đa 2 MB)."]
