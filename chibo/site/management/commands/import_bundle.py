"""`chibo import PATH [--dry-run]`: a bundle (shared/spec/BUNDLE.md, docs/bundle.md).

Exit 0 printing what was added (or, with --dry-run, what would be); exit 1 with one
`FILE:ROW:COLUMN: message` line per error on stderr, nothing written. At most
CHIBO_IMPORT_ERROR_LIMIT lines (1,000) are listed, then one line with the count of the rest.
Progress goes to stderr before them: a bar on a terminal, a line every few seconds elsewhere
(none for an import that ends sooner).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import ProgressDisplay, table
from chibo.interchange.importer import import_bundle
from chibo.interchange.progress import terminal
from chibo.interchange.readers import ContainerError


def more_errors_line(count: int) -> str:
    return _("… và %(n)s lỗi khác (không liệt kê; giới hạn %(limit)s dòng, "
             "CHIBO_IMPORT_ERROR_LIMIT)") % {"n": count, "limit": settings.IMPORT_ERROR_LIMIT}


class Command(BaseCommand):
    help = gettext_lazy("Nhập một gói (thư mục, .zip hoặc .xlsx); có lỗi thì không ghi gì, "
                        "thoát 1.")

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH",
                            help=gettext_lazy("gói cần nhập: thư mục, .zip hoặc .xlsx"))
        parser.add_argument("--dry-run", action="store_true",
                            help=gettext_lazy("chỉ kiểm tra và báo, không ghi gì"))
        parser.add_argument("--language", choices=["vi", "en"],
                            help=gettext_lazy("ngôn ngữ của thông báo (mặc định: tiếng Việt)"))

    def handle(self, *args, path, dry_run, language, **options):
        with translation.override(language or translation.get_language()):
            self._import(Path(path), dry_run)

    def _import(self, path: Path, dry_run: bool) -> None:
        shown = ProgressDisplay(self.stderr)
        try:
            result = import_bundle(path, dry_run=dry_run, progress=terminal(shown))
        except ContainerError as error:
            shown.close()
            self.stderr.write(str(error), style_func=str)
            raise SystemExit(1) from None
        except BaseException:
            shown.close()
            raise
        shown.close(None if result.errors else _("hoàn tất"))
        if result.errors:
            for line in result.errors:
                self.stderr.write(line, style_func=str)
            if result.more_errors:
                self.stderr.write(more_errors_line(result.more_errors), style_func=str)
            self.stderr.write(_("%(n)s lỗi; không ghi gì vào cơ sở dữ liệu.")
                              % {"n": result.error_count}, style_func=str)
            raise SystemExit(1)
        self.stdout.write(_("Chạy thử, không có lỗi; nếu nhập sẽ thêm:") if dry_run
                          else _("Đã nhập %(path)s, đã thêm:") % {"path": path})
        self.stdout.write(table(result.counts.items(), indent="  "))
