"""`chibo export PATH`: everything as a bundle (shared/spec/BUNDLE.md), written as a directory
of CSV files, a .zip or an .xlsx workbook by the path's ending."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import ProgressDisplay, table
from chibo.interchange.exporter import export_bundle


class Command(BaseCommand):
    help = gettext_lazy("Xuất toàn bộ dữ liệu thành một gói (thư mục, .zip hoặc .xlsx).")

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH",
                            help=gettext_lazy("nơi ghi gói: tệp .zip, tệp .xlsx hoặc thư mục"))
        parser.add_argument("--language", choices=["vi", "en"],
                            help=gettext_lazy("ngôn ngữ của thông báo (mặc định: tiếng Việt)"))

    def handle(self, *args, path, language, **options):
        with translation.override(language or translation.get_language()):
            shown = ProgressDisplay(self.stderr)
            try:
                counts = export_bundle(Path(path), progress=shown)
            finally:
                shown.close()
            self.stdout.write(_("Đã xuất %(path)s:") % {"path": path})
            self.stdout.write(table(counts.items(), indent="  "))
