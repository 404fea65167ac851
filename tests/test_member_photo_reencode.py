"""`chibo photos --reencode`: photos stored before uploads were re-encoded lose their EXIF (GPS)
when applied, through the same re-encoding as uploads; a dry run by default; audited."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from PIL import Image, TiffImagePlugin

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.audit.services import verify_chain
from chibo.cli import ALIASES
from chibo.members import photos
from chibo.members.models import Member
from chibo.members.services import reencode_stored_photos, set_photo


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Each test its own photos folder (files outlive the rolled-back test transaction)."""
    settings.DATA_DIR = tmp_path


def camera_jpeg(size=(1200, 900), comment: bytes = b"") -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera and the GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (TiffImagePlugin.IFDRational(21), TiffImagePlugin.IFDRational(49),
                                TiffImagePlugin.IFDRational(6)), 3: "E"}
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG", exif=exif,
                                               comment=comment)
    return buffer.getvalue()


def stored_before_reencoding(member: Member, data: bytes, ext: str = "jpg") -> str:
    """Keep `data` as the member's photo as chibo did before re-encoding uploads: as sent."""
    name = f"{member.pk}-old{member.pk}.{ext}"
    (photos.folder() / name).write_bytes(data)
    Member.objects.filter(pk=member.pk).update(photo=name)
    return name


def run(*args) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("member_photos", "--reencode", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return out.getvalue(), err.getvalue(), status


def test_a_dry_run_lists_what_would_change_and_changes_nothing(world, people):
    name = stored_before_reencoding(people["lan"], camera_jpeg())
    before = (photos.folder() / name).read_bytes()
    out, err, status = run()
    assert status == 0 and err == ""
    (line,) = [line for line in out.splitlines() if name in line]
    assert line.split()[0] == "M001" and "exif" in line.split("bỏ: ")[1].split(";")[0]
    assert line.endswith("; 1200×900 → 800×600 điểm ảnh")
    assert "Chạy thử, không ghi gì: 1 ảnh sẽ được mã hóa lại" in out
    assert (photos.folder() / name).read_bytes() == before
    assert Image.open(photos.path_of(name)).getexif().get_ifd(0x8825)  # GPS still there
    assert not AuditRecord.objects.filter(action="member.photo_reencode").exists()


def test_apply_rewrites_the_photo_without_exif_in_place_and_is_audited_once(world, people):
    lan = people["lan"]
    name = stored_before_reencoding(lan, camera_jpeg(comment=b"Nha rieng, thon Dong Ma"))
    out, err, status = run("--apply")
    assert status == 0 and "Đã mã hóa lại 1 ảnh; 0 ảnh giữ nguyên" in out
    lan.refresh_from_db()
    assert lan.photo == name  # the same file, rewritten
    stored = Image.open(photos.path_of(name))
    assert stored.format == "JPEG" and stored.size == (800, 600)
    assert not stored.getexif() and "exif" not in stored.info and "comment" not in stored.info
    raw = photos.path_of(name).read_bytes()
    assert b"Exif" not in raw and b"CameraMaker" not in raw and b"thon Dong Ma" not in raw
    assert not list(photos.folder().glob(".*"))  # no temporary file left behind
    (record,) = AuditRecord.objects.filter(action="member.photo_reencode")
    assert record.actor_name == "system" and record.org_path == ""
    assert record.after == {"checked": 1, "reencoded": 1, "unchanged": 0, "unreadable": 0}
    assert verify_chain() is None
    # The photo is still served to those who may see the member.
    shown = world.client("commune").get(f"/members/{lan.member_code}/photo")
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == raw


def test_what_is_already_as_an_upload_stores_it_is_left_alone(world, people):
    lan, yen = people["lan"], people["yen"]
    set_photo(lan, actor=SYSTEM, data=camera_jpeg())  # uploaded: re-encoded already
    lan.refresh_from_db()
    uploaded = photos.path_of(lan.photo).read_bytes()
    stored_before_reencoding(yen, camera_jpeg(size=(300, 200)))
    assert run("--apply")[0].count("bỏ: ") == 1  # only the old one
    assert photos.path_of(lan.photo).read_bytes() == uploaded  # not encoded a second time
    yen.refresh_from_db()
    rewritten = photos.path_of(yen.photo).read_bytes()
    out, _, status = run("--apply")  # a second run finds nothing left to do
    assert status == 0 and "Đã mã hóa lại 0 ảnh; 2 ảnh giữ nguyên" in out
    assert photos.path_of(yen.photo).read_bytes() == rewritten
    assert [r.after["reencoded"] for r in AuditRecord.objects.filter(
        action="member.photo_reencode").order_by("seq")] == [1, 0]


def test_unreadable_or_missing_files_are_reported_and_the_others_still_done(world, people):
    broken = stored_before_reencoding(people["lan"], b"not an image at all", "png")
    Member.objects.filter(pk=people["yen"].pk).update(photo="7-gone.jpg")
    good = stored_before_reencoding(people["thang"], camera_jpeg(), "jpg")
    out, err, status = run("--apply")
    assert status == 1
    assert f"{broken}  Tệp không phải ảnh JPEG, PNG hoặc WebP." in err
    assert "7-gone.jpg  không có tệp" in err
    assert "1 ảnh không đọc được" not in out and "2 ảnh không đọc được (trong 3 ảnh)" in out
    assert (photos.folder() / broken).read_bytes() == b"not an image at all"  # left as it is
    assert not Image.open(photos.path_of(good)).getexif()
    (record,) = AuditRecord.objects.filter(action="member.photo_reencode")
    assert record.after == {"checked": 3, "reencoded": 1, "unchanged": 0, "unreadable": 2}


def test_only_the_system_and_administrators_may_reencode(world, people):
    stored_before_reencoding(people["lan"], camera_jpeg())
    for username in ("province", "commune"):  # may manage members, not every photo
        with pytest.raises(PermissionDenied):
            reencode_stored_photos(actor=world.users[username], apply=True)
    report = reencode_stored_photos(actor=world.users["admin"])
    assert report.counts() == {"checked": 1, "to_reencode": 1, "unchanged": 0, "unreadable": 0}
    assert not AuditRecord.objects.filter(action="member.photo_reencode").exists()


def test_an_uploaded_jpeg_loses_its_comment_too(world, people):
    lan = people["lan"]
    set_photo(lan, actor=SYSTEM, data=camera_jpeg(comment=b"Nha rieng, thon Dong Ma"))
    lan.refresh_from_db()
    assert b"thon Dong Ma" not in photos.path_of(lan.photo).read_bytes()


def test_the_command_is_chibo_photos():
    assert ALIASES["photos"] == "member_photos"
    with pytest.raises(Exception, match="--reencode"):
        call_command("member_photos")
