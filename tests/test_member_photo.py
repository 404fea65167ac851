"""A member file's photo: uploaded on the profile form, checked by its content, kept in the data
dir, served only to those who may see the member, audited."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chibo.audit.models import AuditRecord
from chibo.members import photos
from chibo.members.models import Member


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
    return client.post(f"/members/{member.member_code}/edit/", profile_post(
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
        assert b"".join(shown.streaming_content) == image_bytes(image_format)
    page = world.client("commune").get(f"/members/{lan.member_code}/").content.decode()
    assert 'id="member-photo"' in page
    (record,) = AuditRecord.objects.filter(action="member.photo")
    assert record.after["format"] == image_format and record.before == {"photo": None}


def test_outside_the_scope_neither_the_photo_nor_the_upload(world, people):
    lan = people["lan"]
    upload(world.client("commune"), lan, "anh.png", image_bytes())
    for username in ("other_commune", "viewer", "nobody"):
        client = world.client(username)
        assert client.get(f"/members/{lan.member_code}/photo").status_code == 404, username
        assert upload(client, lan, "x.png", image_bytes()).status_code in (403, 404), username
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
    client.post(f"/members/{lan.member_code}/edit/", profile_post(lan, remove_photo="on"))
    lan.refresh_from_db()
    assert lan.photo == ""
    assert client.get(f"/members/{lan.member_code}/photo").status_code == 404
    assert list(AuditRecord.objects.filter(action="member.photo").order_by("seq")
                .values_list("after__photo", flat=True))[-1] is None
