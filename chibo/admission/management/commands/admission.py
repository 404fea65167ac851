"""`chibo admission report|form …`: the report "Công tác phát triển đảng viên" of a period and
a candidate's form (6-KNĐ, 8-KNĐ, 9-KNĐ), written to a file, as the pages download them. The
console acts as the system: no scope is checked (who runs it runs the server)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.admission import documents, report
from chibo.admission.document_forms import PeriodForm
from chibo.admission.models import Candidate
from chibo.core.console import UsageError, date_argument
from chibo.organizations.models import Organization
from chibo.stats.reports import TemplateError


class Command(BaseCommand):
    help = gettext_lazy("Báo cáo công tác phát triển đảng viên (Excel) hoặc biểu mẫu kết nạp "
                        "của một quần chúng (Word).")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="report|form")
        period = commands.add_parser("report", help=str(gettext_lazy(
            "báo cáo “Công tác phát triển đảng viên” của một kỳ (.xlsx)")))
        period.add_argument("--org", required=True, metavar="CODE",
                            help=gettext_lazy("mã tổ chức (bắt buộc)"))
        period.add_argument("--from", dest="date_from", type=date_argument, metavar="DATE",
                            help=gettext_lazy("đầu kỳ (mặc định: 1/1 của năm --to)"))
        period.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE",
                            help=gettext_lazy("cuối kỳ (mặc định: hôm nay)"))
        period.add_argument("--output", required=True, metavar="FILE",
                            help=gettext_lazy("tệp .xlsx để ghi"))
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
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise UsageError(_("không có tổ chức mã %(code)s") % {"code": org})
        # the page's form judges the period: the same defaults and refusals everywhere
        period = PeriodForm({"from": date_from.isoformat() if date_from else "",
                             "to": date_to.isoformat() if date_to else ""})
        if not period.is_valid():
            raise UsageError(period.error_text())
        try:
            return report.xlsx(report.build(organization, *period.period()))[0]
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
