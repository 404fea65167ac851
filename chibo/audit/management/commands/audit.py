"""`chibo audit verify | anchor | keys` (docs/cli.md, docs/security.md).

- `verify` checks every record's link and keyed hash, the chain's head and the anchors; it
  says how far the trail is protected (records made before keying, records since the last
  anchor) and exits 1 naming the first bad record.
- `anchor` writes the signed head to the configured sinks (a deployment runs it on a schedule).
- `keys` lists the keys verify knows (the current one and the keyring) and what each signed.
"""

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.audit.anchors import anchor, configured_sinks
from chibo.audit.keys import current_key, keyring
from chibo.audit.models import AuditRecord
from chibo.audit.services import TrailCheck, verify_trail
from chibo.core.console import number, table


class Command(BaseCommand):
    help = gettext_lazy("Kiểm tra và neo nhật ký thay đổi (audit verify, anchor, keys); thoát 1 "
                        "nếu nhật ký bị sửa hoặc mất bản ghi.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify|anchor|keys",
                                    title=gettext_lazy("việc"))
        verify = sub.add_parser("verify", help=gettext_lazy(
            "kiểm tra chuỗi, khóa và các mốc neo của nhật ký thay đổi"))
        verify.add_argument("--anchors", metavar=gettext_lazy("TỆP"), type=Path, help=gettext_lazy(
            "đọc các mốc neo từ tệp này (vd. các dòng lấy từ syslog) thay cho tệp mốc neo đã "
            "cấu hình"))
        sub.add_parser("anchor", help=gettext_lazy(
            "ghi đầu chuỗi đã ký ra nơi neo đã cấu hình (tệp hoặc syslog)"))
        sub.add_parser("keys", help=gettext_lazy(
            "liệt kê các khóa (khóa hiện hành và chùm khóa) và số bản ghi mỗi khóa đã ký"))

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (ImproperlyConfigured, ValueError) as error:  # a missing or short key, a sink
            raise CommandError(_("cấu hình sai: %(error)s") % {"error": error}) from error

    def _verify(self, anchors: Path | None = None, **options):
        lines = anchors.read_text(encoding="utf-8").splitlines() if anchors else None
        check = verify_trail(lines)
        for line in _protection(check):
            self.stdout.write(line)
        if check.broken is not None:
            self.stderr.write(_("Nhật ký thay đổi bị hỏng ở %(where)s")
                              % {"where": check.broken}, style_func=str)
            sys.exit(1)

    def _anchor(self, **options):
        made = anchor()
        if made is None:
            self.stdout.write(_("Nhật ký trống: không có gì để neo."))
            return
        self.stdout.write(_("Đã neo #%(seq)s (khóa %(key)s) vào %(sinks)s.") % {
            "seq": made.seq, "key": made.key_id, "sinks": ", ".join(sorted(configured_sinks()))})

    def _keys(self, **options):
        signed = dict(AuditRecord.objects.order_by().values_list("key_id")
                      .annotate(n=Count("pk")).values_list("key_id", "n"))
        current = current_key().id
        rows = [(key_id, _("hiện hành") if key_id == current else _("chùm khóa"),
                 signed.get(key_id, 0)) for key_id in sorted(keyring())]
        if signed.get(""):
            rows.append(("-", _("không khóa (trước khi có khóa)"), signed[""]))
        self.stdout.write(table(rows, (_("khóa"), _("ở đâu"), _("bản ghi"))))


def _protection(check: TrailCheck) -> list[str]:
    """What verify found, in a few lines: the records, the part made before keying, the anchors."""
    lines = [(_("Nhật ký thay đổi nguyên vẹn: %(n)s bản ghi.") if check.broken is None
              else _("Nhật ký thay đổi: đã kiểm %(n)s bản ghi nguyên vẹn trước chỗ hỏng."))
             % {"n": number(check.records)}]
    if check.unkeyed:
        lines.append(_("Bản ghi #1–#%(last)s làm trước khi có khóa (SHA-256 thường): chúng chỉ "
                       "được bảo vệ từ khi bản ghi có khóa đầu tiên hoặc một mốc neo nối vào "
                       "chúng.") % {"last": check.unkeyed})
    last = check.last_anchor
    if not check.anchors_read:
        lines.append(_("Các mốc neo được gửi tới syslog: đưa các dòng của chúng vào --anchors "
                       "TỆP để kiểm tra phần cuối nhật ký."))
    elif last is None:
        lines.append(_("Chưa có mốc neo nào: việc xóa các bản ghi cuối không phát hiện được; "
                       "hãy chạy chibo audit anchor theo lịch."))
    else:
        lines.append(_("Mốc neo cuối: #%(seq)s lúc %(at)s (%(host)s); %(n)s bản ghi sau đó "
                       "chưa được neo.") % {"seq": last.seq, "at": last.shown(),
                                             "host": last.host,
                                             "n": number(max(check.records - last.seq, 0))})
    return lines
