"""`chibo inspection report …`: the report "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ
luật đảng" of a subtree and a period, written to a file (.xlsx or .docx), as the page downloads
it. The console acts as the system: no scope is checked (who runs it runs the server)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy

from chibo.inspection import report
from chibo.stats.console import add_period_arguments, report_period
from chibo.stats.reports import TemplateError


class Command(BaseCommand):
    help = gettext_lazy("Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng (Excel "
                        "hoặc Word).")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="report")
        period = commands.add_parser("report", help=str(gettext_lazy(
            "báo cáo “Công tác kiểm tra, giám sát và thi hành kỷ luật đảng” của một kỳ")))
        add_period_arguments(period, output_help=gettext_lazy("tệp để ghi"))
        period.add_argument("--format", choices=report.KINDS, default=None,
                            help=gettext_lazy("xlsx hoặc docx (mặc định: theo đuôi tệp "
                                              "--output, không có thì xlsx)"))

    def handle(self, *args, action, org, date_from, date_to, output, **options):
        kind = options["format"] or ("docx" if output.lower().endswith(".docx") else "xlsx")
        organization, *period = report_period(org, date_from, date_to)
        try:
            content = report.render(report.build(organization, *period), kind)[0]
        except TemplateError as error:
            raise CommandError(str(error)) from error
        with open(output, "wb") as handle:
            handle.write(content)
