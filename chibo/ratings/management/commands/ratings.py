"""`chibo ratings report --org --year --output`: the yearly ratings report of a subtree
(chibo.ratings.report), written to an Excel file as the page downloads it. The console acts as
the system: no scope is checked (who runs it runs the server)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import UsageError
from chibo.organizations.models import Organization
from chibo.ratings import report
from chibo.stats.reports import TemplateError


class Command(BaseCommand):
    help = gettext_lazy("Báo cáo kết quả đánh giá, xếp loại chất lượng (Excel).")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="report")
        yearly = commands.add_parser("report", help=str(gettext_lazy(
            "báo cáo kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên của "
            "một năm")))
        yearly.add_argument("--org", required=True, metavar="CODE",
                            help=gettext_lazy("mã tổ chức (bắt buộc)"))
        yearly.add_argument("--year", required=True, metavar="YYYY",
                            help=gettext_lazy("năm đánh giá (bắt buộc)"))
        yearly.add_argument("--output", required=True, metavar="FILE",
                            help=gettext_lazy("tệp Excel để ghi"))

    def handle(self, *args, action, org, year, output, **options):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise UsageError(_("không có tổ chức mã %(code)s") % {"code": org})
        try:
            built = report.build(organization, report.parse_year(year))
        except report.BadYear as error:
            raise UsageError(str(error)) from error
        except TemplateError as error:
            raise CommandError(str(error)) from error
        with open(output, "wb") as handle:
            handle.write(report.render(built)[0])
