import getpass
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user
from chibo.core.console import UsageError
from chibo.core.exceptions import ValidationError


class Command(BaseCommand):
    help = gettext_lazy("Tạo một quản trị hệ thống.")

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="USERNAME", help=gettext_lazy("tên đăng nhập"))
        parser.add_argument("--password-stdin", action="store_true",
                            help=gettext_lazy("đọc mật khẩu ở dòng đầu của đầu vào chuẩn thay vì "
                                              "hỏi"))
        parser.add_argument("--full-name", default="", metavar="NAME",
                            help=gettext_lazy("họ và tên"))

    def handle(self, *args, username, password_stdin, full_name, **options):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Mật khẩu / Password: ")
            if password != getpass.getpass("Nhập lại / Again: "):
                raise CommandError(_("Hai lần nhập mật khẩu khác nhau."))
        if len(password) < 8:
            raise CommandError(_("Mật khẩu cần ít nhất 8 ký tự."))
        try:
            create_user(actor=SYSTEM, username=username, password=password, full_name=full_name,
                        is_superuser=True)
        except ValidationError as error:  # a username taken or not allowed
            raise UsageError(" ".join(error.messages)) from error
        self.stdout.write(_("Đã tạo quản trị viên %(username)s.") % {"username": username})
