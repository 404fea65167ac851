from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.models import User
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_token, revoke_token
from chibo.core.console import UsageError
from chibo.core.exceptions import ValidationError


class Command(BaseCommand):
    help = gettext_lazy("Mã truy cập API cá nhân: tạo (create) hoặc thu hồi (revoke).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="create|revoke",
                                    title=gettext_lazy("việc"))
        create = sub.add_parser("create", help=gettext_lazy(
            "tạo một mã cho người dùng; mã được in một lần và chỉ lưu dạng băm"))
        create.add_argument("username", metavar="USERNAME",
                            help=gettext_lazy("tên đăng nhập của người dùng"))
        create.add_argument("--name", default="", metavar="N",
                            help=gettext_lazy("tên gợi nhớ của mã (ví dụ: máy nào dùng nó)"))
        create.add_argument("--days", type=int, default=None, metavar="D",
                            help=gettext_lazy("số ngày mã còn hiệu lực (mặc định "
                                              "CHIBO_API_TOKEN_DAYS, 90)"))
        create.add_argument("--read-only", action="store_true",
                            help=gettext_lazy("mã chỉ đọc: chỉ GET, HEAD, OPTIONS; ghi bị từ "
                                              "chối (403)"))
        revoke = sub.add_parser("revoke", help=gettext_lazy("thu hồi một mã"))
        revoke.add_argument("token", metavar="TOKEN", help=gettext_lazy("mã cần thu hồi"))

    def handle(self, *args, action, **options):
        try:
            if action == "create":
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise UsageError(_("không có người dùng %(username)s")
                                     % {"username": options["username"]})
                token, raw = create_token(user, actor=SYSTEM, name=options["name"],
                                          days=options["days"], read_only=options["read_only"])
                self.stdout.write(raw)
                kind = _("chỉ đọc") if token.read_only else _("đọc và ghi")
                self.stderr.write(_("Hãy lưu mã này ngay: chibo chỉ giữ bản băm của nó. "
                                    "Mã %(kind)s, hết hạn lúc %(expires)s UTC.")
                                  % {"kind": kind,
                                     "expires": f"{token.expires_at:%d/%m/%Y %H:%M}"})
            else:
                token = revoke_token(options["token"], actor=SYSTEM)
                self.stdout.write(_("Đã thu hồi mã %(prefix)s… của %(username)s.")
                                  % {"prefix": token.prefix, "username": token.user.username})
        except ValidationError as error:  # a token that does not exist, days below 1
            raise UsageError(" ".join(error.messages)) from error
