"""`chibo backup [DEST]`: the database and the data dir's files in one archive, while chibo
serves (chibo/site/backup.py; docs/security.md, "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import ProgressDisplay, table
from chibo.site.backup import backup, main_tables


class Command(BaseCommand):
    help = gettext_lazy("Sao lưu cơ sở dữ liệu và các tệp của thư mục dữ liệu vào một tệp "
                        "(trong khi chibo vẫn chạy).")

    def add_arguments(self, parser):
        parser.add_argument("dest", metavar="DEST", nargs="?", default=".",
                            help=gettext_lazy("tệp .tar.gz, .tgz hoặc .tar sẽ ghi, hoặc thư mục "
                                              "để ghi chibo-backup-NGÀY-GIỜ.tar.gz vào (mặc "
                                              "định: thư mục hiện tại)"))

    def handle(self, *args, dest, **options):
        shown = ProgressDisplay(self.stderr)
        try:
            done = backup(Path(dest), progress=shown)
        finally:
            shown.close()
        manifest = done.manifest
        self.stdout.write(_("Đã sao lưu vào %(path)s (%(size)s):") % {
            "path": done.path, "size": filesizeformat(done.path.stat().st_size)})
        rows = [(_("cơ sở dữ liệu"), manifest["database"]["vendor"]),
                (_("tệp của thư mục dữ liệu"), len(manifest["files"]) - 1),
                *main_tables(manifest["counts"])]
        self.stdout.write(table(rows, indent="  "))
