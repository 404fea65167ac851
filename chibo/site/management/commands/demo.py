"""`chibo demo`: create ./var, migrate, build the demo province, print the logins, serve.

What it does goes to stdout in plain lines, each step's progress with it (a bar on a terminal,
a line every few seconds elsewhere), the accounts as a table at the end."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import table
from chibo.site.demo import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = gettext_lazy("Dựng tỉnh mẫu (Tuyên Quang) với các tài khoản mẫu rồi chạy trang web.")

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true",
                            help=gettext_lazy("chỉ dựng, không chạy trang web"))
        parser.add_argument("--port", type=int, default=8000, metavar="N",
                            help=gettext_lazy("cổng của trang web (mặc định: 8000)"))
        parser.add_argument("--seed", type=int, default=2025, metavar="N",
                            help=gettext_lazy("hạt giống ngẫu nhiên: cùng số thì cùng tỉnh mẫu "
                                              "(mặc định: 2025)"))
        parser.add_argument("--size", choices=["small", "province"], default="province",
                            help=gettext_lazy("small: khoảng 2.000 đảng viên, để xem nhanh; "
                                              "province: khoảng 74.000 (mặc định)"))
        parser.add_argument("--force", action="store_true",
                            help=gettext_lazy("dựng lại không hỏi"))

    def handle(self, *args, no_serve, port, seed, size, force, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if self._has_data() and not force and not self._confirm():
            self.stdout.write(_("Giữ nguyên cơ sở dữ liệu mẫu đã có."))
        else:
            self._build(seed, size)
        if not no_serve:
            from chibo.site.management.commands.serve import serve

            self.stdout.write(f"\nchibo: http://127.0.0.1:{port}/  " + _("(Ctrl+C để dừng)")
                              + "\n")
            serve(host="127.0.0.1", port=port, workers=2)

    def _has_data(self) -> bool:
        from chibo.organizations.models import Organization

        return Organization.objects.exists()

    def _confirm(self) -> bool:
        try:
            answer = input(_("Đã có cơ sở dữ liệu mẫu. Dựng lại từ đầu? [c/K] "))
        except EOFError:
            return False
        return answer.strip().lower() in {"y", "yes", "c", "có"}

    def _build(self, seed: int, size: str) -> None:
        self._reset_database()
        started = time.monotonic()
        accounts = build_demo(seed=seed, size=size, stream=self.stdout)
        self.stdout.write(_("Đã dựng tỉnh mẫu trong %(seconds)s giây (seed %(seed)s, size "
                            "%(size)s).") % {"seconds": f"{time.monotonic() - started:.0f}",
                                              "seed": seed, "size": size})
        self.stdout.write("\n" + _("Tài khoản mẫu (mật khẩu: %(password)s):")
                          % {"password": DEMO_PASSWORD})
        self.stdout.write(table([(account.username, account.role or "admin",
                                  f"{account.organization.name} ({account.organization.code})"
                                  if account.organization else _("toàn hệ thống"))
                                 for account in accounts],
                                [_("tên đăng nhập"), _("vai trò"), _("phạm vi")], indent="  "))

    def _reset_database(self) -> None:
        """Drop everything and migrate again, so a rebuild starts from an empty database."""
        if not self._has_data():
            return
        if connection.vendor == "sqlite":
            connection.close()
            path = settings.DATABASES["default"]["NAME"]
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        else:
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        if self._has_data():
            raise CommandError(_("Không xóa được cơ sở dữ liệu mẫu."))
