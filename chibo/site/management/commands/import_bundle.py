"""`chibo import PATH [--dry-run]`: a bundle (shared/spec/BUNDLE.md, docs/bundle.md).

Exit 0 printing what was added (or, with --dry-run, what would be); exit 1 with one
`FILE:ROW:COLUMN: message` line per error on stderr, nothing written. At most
CHIBO_IMPORT_ERROR_LIMIT lines (1,000) are listed, then one line with the count of the rest.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from chibo.interchange.importer import import_bundle
from chibo.interchange.progress import terminal
from chibo.interchange.readers import ContainerError


def more_errors_line(count: int) -> str:
    return _("… và %(n)s lỗi khác (không liệt kê; giới hạn %(limit)s dòng, "
             "CHIBO_IMPORT_ERROR_LIMIT)") % {"n": count, "limit": settings.IMPORT_ERROR_LIMIT}


class Command(BaseCommand):
    help = "Import a bundle: a directory or .zip of CSV files, or an .xlsx workbook."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true",
                            help="validate and report, write nothing")
        parser.add_argument("--language", choices=["vi", "en"],
                            help="language of the messages (default: Vietnamese)")

    def handle(self, *args, path, dry_run, language, **options):
        with translation.override(language or translation.get_language()):
            self._import(Path(path), dry_run)

    def _import(self, path: Path, dry_run: bool) -> None:
        try:
            progress = terminal(self.stderr) if self.stderr.isatty() else None
            result = import_bundle(path, dry_run=dry_run, progress=progress)
        except ContainerError as error:
            self.stderr.write(str(error))
            raise SystemExit(1) from None
        if result.errors:
            for line in result.errors:
                self.stderr.write(line, style_func=lambda text: text)
            if result.more_errors:
                self.stderr.write(more_errors_line(result.more_errors))
            self.stderr.write(_("%(n)s lỗi; không ghi gì vào cơ sở dữ liệu.")
                              % {"n": result.error_count})
            raise SystemExit(1)
        self.stdout.write(_("Chạy thử, không có lỗi; nếu nhập sẽ thêm:") if dry_run
                          else _("Đã nhập %(path)s, đã thêm:") % {"path": path})
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<18} {count:>7}")
