"""`chibo photos --reencode [--apply]`: re-encode the member photos stored before uploads were.

Photos uploaded before chibo re-encoded uploads still carry their EXIF (GPS location, camera,
dates) and full size. This re-encodes each stored photo as an upload now is
(chibo.members.services.reencode_stored_photos): without `--apply` it lists what would change
and writes nothing; with it the files are rewritten and the audit trail gets one
`member.photo_reencode` record with the counts. Photos that cannot be read are listed on
stderr and left as they are; the command then exits with status 1.
"""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import SYSTEM
from chibo.core.console import UsageError
from chibo.members.services import PhotoReencodingReport, reencode_stored_photos


class Command(BaseCommand):
    help = gettext_lazy("Mã hóa lại ảnh đảng viên đã lưu (bỏ EXIF/GPS); chạy thử nếu không có "
                        "--apply.")

    def add_arguments(self, parser):
        parser.add_argument("--reencode", action="store_true",
                            help=gettext_lazy("mã hóa lại các ảnh đã lưu còn siêu dữ liệu hoặc "
                                              "lớn hơn cỡ giữ lại của ảnh tải lên"))
        parser.add_argument("--apply", action="store_true",
                            help=gettext_lazy("ghi lại các tệp (mặc định: chỉ báo những gì sẽ "
                                              "thay đổi)"))
        parser.add_argument("--language", choices=["vi", "en"],
                            help=gettext_lazy("ngôn ngữ của thông báo (mặc định: tiếng Việt)"))

    def handle(self, *args, reencode, apply, language, **options):
        if not reencode:
            raise UsageError(_("không có việc gì: chibo photos --reencode [--apply]"))
        with translation.override(language or translation.get_language()):
            report = reencode_stored_photos(actor=SYSTEM, apply=apply)
            self._print(report)
        if report.unreadable:
            raise SystemExit(1)

    def _print(self, report: PhotoReencodingReport) -> None:
        for stored, change in report.changed:
            dropped = ", ".join(change.dropped) or "—"
            width, height = change.size_before
            new_width, new_height = change.size_after
            self.stdout.write(f"  {stored.member_code:<14} {stored.photo}  "
                              + _("bỏ: %(dropped)s; %(before)s → %(after)s điểm ảnh")
                              % {"dropped": dropped, "before": f"{width}×{height}",
                                 "after": f"{new_width}×{new_height}"})
        for stored, reason in report.unreadable:
            self.stderr.write(f"  {stored.member_code:<14} {stored.photo}  {reason}",
                              style_func=lambda text: text)
        counts = report.counts()
        if report.applied:
            self.stdout.write(_("Đã mã hóa lại %(changed)s ảnh; %(unchanged)s ảnh giữ nguyên; "
                                "%(unreadable)s ảnh không đọc được (trong %(checked)s ảnh).")
                              % {"changed": counts["reencoded"], **counts})
        else:
            self.stdout.write(_("Chạy thử, không ghi gì: %(changed)s ảnh sẽ được mã hóa lại; "
                                "%(unchanged)s ảnh giữ nguyên; %(unreadable)s ảnh không đọc "
                                "được (trong %(checked)s ảnh). Thêm --apply để ghi.")
                              % {"changed": counts["to_reencode"], **counts})
