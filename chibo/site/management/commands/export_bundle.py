"""`chibo export PATH`: everything as a bundle (shared/spec/BUNDLE.md), written as a directory
of CSV files, a .zip or an .xlsx workbook by the path's ending."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from chibo.interchange.exporter import export_bundle


class Command(BaseCommand):
    help = "Export everything as a bundle: PATH ending in .zip or .xlsx, else a directory."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--language", choices=["vi", "en"],
                            help="language of the messages (default: Vietnamese)")

    def handle(self, *args, path, language, **options):
        with translation.override(language or translation.get_language()):
            counts = export_bundle(Path(path))
            self.stdout.write(_("Đã xuất %(path)s:") % {"path": path})
            for name, count in counts.items():
                self.stdout.write(f"  {name:<18} {count:>7}")
