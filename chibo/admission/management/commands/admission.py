"""`chibo admission report|form …`: the report "Công tác phát triển đảng viên" of a period and
a candidate's form (6-KNĐ, 8-KNĐ, 9-KNĐ), written to a file, as the pages download them. The
console acts as the system: no scope is checked (who runs it runs the server)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.admission import documents, report
from chibo.admission.models import Candidate
from chibo.core.console import UsageError
from chibo.stats.console import add_period_arguments, report_period
from chibo.stats.reports import TemplateError


class Command(BaseCommand):
    help = gettext_lazy("Báo cáo công tác phát triển đảng viên (Excel) hoặc biểu mẫu kết nạp "
                        "của một quần chúng (Word).")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="report|form")
        period = commands.add_parser("report", help=str(gettext_lazy(
            "báo cáo “Công tác phát triển đảng viên” của một kỳ (.xlsx)")))
        add_period_arguments(period, output_help=gettext_lazy("tệp .xlsx để ghi"))
        form = commands.add_parser("form", help=str(gettext_lazy(
            "một biểu mẫu kết nạp của một quần chúng (.docx)")))
        form.add_argument("--candidate", required=True, metavar="CODE",
                          help=gettext_lazy("mã quần chúng (candidates.csv)"))
        form.add_argument("--form", required=True, choices=list(documents.FORMS),
                          help=gettext_lazy("mẫu: 6-knd, 8-knd hoặc 9-knd"))
        form.add_argument("--output", required=True, metavar="FILE",
                          help=gettext_lazy("tệp .docx để ghi"))

    def handle(self, *args, action, output, **options):
        content = (self._report(**options) if action == "report" else self._form(**options))
        with open(output, "wb") as handle:
            handle.write(content)

    def _report(self, *, org, date_from, date_to, **options) -> bytes:
        organization, *period = report_period(org, date_from, date_to)
        try:
            return report.xlsx(report.build(organization, *period))[0]
        except TemplateError as error:
            raise CommandError(str(error)) from error

    def _form(self, *, candidate, form, **options) -> bytes:
        found = Candidate.objects.filter(code=candidate).select_related(
            "cell", "sponsor1", "sponsor2", "decided_by").first()
        if found is None:
            raise UsageError(_("không có quần chúng mã %(code)s") % {"code": candidate})
        try:
            return documents.render(documents.FORMS[form], found)
        except (documents.FormNotReady, documents.FormTemplateError) as refusal:
            raise CommandError(" ".join(refusal.messages)) from refusal
