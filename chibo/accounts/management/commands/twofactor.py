from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.models import User
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import remove_second_factor
from chibo.core.console import UsageError


class Command(BaseCommand):
    help = gettext_lazy("Xác thực hai bước: gỡ (reset) cho người đã mất cả điện thoại lẫn mã "
                        "khôi phục.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="reset",
                                    title=gettext_lazy("việc"))
        reset = sub.add_parser("reset", help=gettext_lazy(
            "gỡ ứng dụng xác thực và mã khôi phục của người dùng; lần đăng nhập sau họ thiết lập "
            "lại nếu tỉnh yêu cầu"))
        reset.add_argument("username", metavar="USERNAME",
                           help=gettext_lazy("tên đăng nhập của người dùng"))

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise UsageError(_("không có người dùng %(username)s") % {"username": username})
        remove_second_factor(user, actor=SYSTEM)
        self.stdout.write(_("Đã gỡ xác thực hai bước của %(username)s.") % {"username": username})
