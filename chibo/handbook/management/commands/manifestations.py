"""`chibo manifestations check [FILE]`: whether a self-examination catalogue file can be used
(chibo.handbook.catalogue), before CHIBO_MANIFESTATIONS_FILE is pointed at it."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import table
from chibo.handbook import catalogue


class Command(BaseCommand):
    # The system checks include the configured catalogue's (handbook.E001): with a broken file
    # configured they would stop this command, the one that says what is wrong with it. It
    # reads only a file: no check of the models or the database is needed either.
    requires_system_checks = []
    help = gettext_lazy("Kiểm tra tệp danh mục 27 biểu hiện (Nghị quyết 04-NQ/TW) và các dấu "
                        "hiệu của tỉnh trước khi dùng.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="check", title=gettext_lazy("việc"))
        check = sub.add_parser("check", help=gettext_lazy(
            "kiểm tra một tệp: đủ mã A1…C9, mỗi mã một lần, mã dấu hiệu không trùng, không "
            "để trống nội dung"))
        check.add_argument("file", nargs="?", metavar="TỆP", help=gettext_lazy(
            "tệp JSON (mặc định: tệp đang dùng, CHIBO_MANIFESTATIONS_FILE)"))

    def handle(self, *args, action=None, file=None, **options):
        path = file or str(catalogue.configured_file())
        try:
            found = catalogue.load(path)
        except catalogue.CatalogueError as error:
            for problem in error.problems:
                self.stderr.write(f"{path}: {problem}", style_func=str)
            self.stderr.write(_("%(n)s lỗi; tệp này chưa dùng được.")
                              % {"n": len(error.problems)}, style_func=str)
            raise SystemExit(1) from None
        rows = [(group.code, group.title, len(group.items),
                 sum(len(item.signs) for item in group.items)) for group in found.groups]
        self.stdout.write(_("Tệp %(path)s dùng được (%(source)s):")
                          % {"path": path, "source": found.source})
        self.stdout.write(table(rows, (_("nhóm"), "", _("biểu hiện"), _("dấu hiệu")),
                                indent="  "))
