"""`chibo inspection report …`: the report "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ
luật đảng" of a subtree and a period, written to a file (.xlsx or .docx), as the page downloads
it. The console acts as the system: no scope is checked (who runs it runs the server)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import UsageError, date_argument
from chibo.inspection import report
from chibo.organizations.models import Organization
from chibo.stats.reports import TemplateError


class Command(BaseCommand):
    help = gettext_lazy("Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng (Excel "
                        "hoặc Word).")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="report")
        period = commands.add_parser("report", help=str(gettext_lazy(
            "báo cáo “Công tác kiểm tra, giám sát và thi hành kỷ luật đảng” của một kỳ")))
        period.add_argument("--org", required=True, metavar="CODE",
                            help=gettext_lazy("mã tổ chức (bắt buộc)"))
        period.add_argument("--from", dest="date_from", type=date_argument, metavar="DATE",
                            help=gettext_lazy("đầu kỳ (mặc định: 1/1 của năm --to)"))
        period.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE",
                            help=gettext_lazy("cuối kỳ (mặc định: hôm nay)"))
        period.add_argument("--format", choices=report.KINDS, default=None,
                            help=gettext_lazy("xlsx hoặc docx (mặc định: theo đuôi tệp "
                                              "--output, không có thì xlsx)"))
        period.add_argument("--output", required=True, metavar="FILE",
                            help=gettext_lazy("tệp để ghi"))

    def handle(self, *args, action, org, date_from, date_to, output, **options):
        kind = options["format"] or ("docx" if output.lower().endswith(".docx") else "xlsx")
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise UsageError(_("không có tổ chức mã %(code)s") % {"code": org})
        # the page's form judges the period: the same defaults and refusals everywhere
        period = report.PeriodForm({"from": date_from.isoformat() if date_from else "",
                                    "to": date_to.isoformat() if date_to else ""})
        if not period.is_valid():
            raise UsageError(period.error_text())
        try:
            content = report.render(report.build(organization, *period.period()), kind)[0]
        except TemplateError as error:
            raise CommandError(str(error)) from error
        with open(output, "wb") as handle:
            handle.write(content)
