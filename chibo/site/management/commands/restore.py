"""`chibo restore ARCHIVE`: an archive of `chibo backup` into an empty data dir and an empty
database (chibo/site/backup.py; docs/security.md, "Backups")."""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import ProgressDisplay, table
from chibo.site.backup import main_tables, restore


class Command(BaseCommand):
    help = gettext_lazy("Khôi phục một bản sao lưu vào thư mục dữ liệu và cơ sở dữ liệu trống.")
    # Nothing may touch the database before it is found empty (checks do not need it).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE",
                            help=gettext_lazy("bản sao lưu do chibo backup ghi"))

    def handle(self, *args, archive, **options):
        shown = ProgressDisplay(self.stderr)
        try:
            done = restore(Path(archive), progress=shown)
        finally:
            shown.close()
        manifest = done.manifest
        self.stdout.write(_("Đã khôi phục %(path)s (sao lưu lúc %(when)s, chibo %(version)s) "
                            "vào %(dir)s:") % {
            "path": archive, "when": _moment(manifest["created_at"]),
            "version": manifest["chibo_version"], "dir": settings.DATA_DIR})
        rows = [(_("cơ sở dữ liệu"), manifest["database"]["vendor"]),
                (_("tệp của thư mục dữ liệu"), len(manifest["files"]) - 1),
                *main_tables(manifest["counts"])]
        self.stdout.write(table(rows, indent="  "))
        if done.migrated:
            self.stdout.write(_("Đã nâng cấp cơ sở dữ liệu: %(n)s migration.")
                              % {"n": len(done.migrated)})


def _moment(text: str) -> str:
    """The backup's moment (ISO, UTC) as the pages show a moment: dd/mm/yyyy HH:MM, local."""
    return date_format(timezone.localtime(datetime.fromisoformat(text)), "d/m/Y H:i")
