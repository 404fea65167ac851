"""`chibo stats --org CODE …`: the statistics of spec/METRICS.md on the command line."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import UsageError, date_argument, table
from chibo.core.xlsx import workbook
from chibo.organizations.models import Organization
from chibo.stats import engine


class Command(BaseCommand):
    help = gettext_lazy("Số liệu thống kê của một tổ chức và cây trực thuộc, hoặc một báo cáo "
                        "theo mẫu.")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, metavar="CODE",
                            help=gettext_lazy("mã tổ chức (bắt buộc)"))
        parser.add_argument("--as-of", type=date_argument, metavar="DATE",
                            help=gettext_lazy("ngày của số liệu tồn, dd/mm/yyyy hoặc yyyy-mm-dd "
                                              "(mặc định: hôm nay)"))
        parser.add_argument("--from", dest="date_from", type=date_argument, metavar="DATE",
                            help=gettext_lazy("đầu kỳ của số liệu biến động (mặc định: 1/1 của "
                                              "năm --as-of)"))
        parser.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE",
                            help=gettext_lazy("cuối kỳ (mặc định: --as-of)"))
        parser.add_argument("--metrics", metavar="K1,K2",
                            help=gettext_lazy("các chỉ tiêu, cách nhau bởi dấu phẩy (mặc định: "
                                              "tất cả)"))
        parser.add_argument("--by-child", action="store_true",
                            help=gettext_lazy("một cột cho mỗi tổ chức trực thuộc trực tiếp"))
        parser.add_argument("--format", choices=["table", "json", "xlsx", "docx"],
                            default="table",
                            help=gettext_lazy("table (mặc định), json (như API), xlsx; xlsx và "
                                              "docx cần --output"))
        parser.add_argument("--report", metavar="NAME",
                            help=gettext_lazy("một mẫu báo cáo (docs/statistics.md): báo cáo "
                                              "theo mẫu chính thức, với --format xlsx hoặc docx"))
        parser.add_argument("--output", metavar="FILE",
                            help=gettext_lazy("ghi vào tệp này thay vì ra màn hình"))

    def handle(self, *args, org, as_of, date_from, date_to, metrics, by_child, format, output,
               report=None, **options):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise UsageError(_("không có tổ chức mã %(code)s") % {"code": org})
        try:
            request = engine.Request.parse(as_of, date_from, date_to, metrics)
        except engine.UnknownMetric as error:
            raise UsageError(_("không có chỉ tiêu %(keys)s") % {"keys": error}) from error
        if request.date_from > request.date_to:
            raise UsageError(_("đầu kỳ %(first)s sau cuối kỳ %(last)s") % {
                "first": date_format(request.date_from, "d/m/Y"),
                "last": date_format(request.date_to, "d/m/Y")})
        if format == "xlsx" and not report and not output:
            raise UsageError(_("--format xlsx cần --output FILE"))
        if report or format == "docx":
            return self._report(organization, request, report, format, output)
        rows = [(organization.code, organization.name,
                 engine.compute(organization, request))]
        if by_child:
            # the API's per-child numbers: grouped queries, not one `compute` per child
            rows = [(p.organization.code, p.name, values)
                    for p, values in engine.compute_children(organization, request) or []]
        if format == "json":
            data = (engine.payload(organization, request, rows[0][2]) if not by_child else
                    {"rows": [{"org": c, "name": n, "values": v} for c, n, v in rows]})
            self._emit(json.dumps(data, ensure_ascii=False, indent=1), output)
        elif format == "xlsx":
            self._xlsx(rows, request, output)
        else:
            self._emit(self._table(rows, request), output)

    def _report(self, organization, request, name, format, output) -> None:
        """`--report NAME --format xlsx|docx --output FILE`: a report in the official layout."""
        from chibo.stats import reports

        if not name or format not in ("xlsx", "docx") or not output:
            raise UsageError(_("một báo cáo cần --report NAME --format xlsx|docx --output FILE"))
        try:
            template = reports.get_template(name)
        except reports.TemplateError as error:
            raise CommandError(str(error)) from error
        if template is None:
            names = ", ".join(sorted(reports.load_templates()))
            raise UsageError(_("không có mẫu báo cáo %(name)s (có: %(names)s)")
                             % {"name": name, "names": names})
        content, _type = reports.render(reports.build(organization, template, request), format)
        with open(output, "wb") as handle:
            handle.write(content)

    def _emit(self, text: str, output: str | None) -> None:
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)

    def _table(self, rows, request) -> str:
        heading = _("Tính đến %(as_of)s; kỳ %(first)s – %(last)s") % {
            "as_of": date_format(request.as_of, "d/m/Y"),
            "first": date_format(request.date_from, "d/m/Y"),
            "last": date_format(request.date_to, "d/m/Y")}
        lines = [[key, *(values[key] for _code, _name, values in rows)] for key in request.keys]
        return heading + "\n" + table(lines, [_("chỉ tiêu"), *(code for code, _n, _v in rows)])

    def _xlsx(self, rows, request, output: str) -> None:

        book = workbook(output)
        sheet = book.add_worksheet("stats")
        sheet.write_row(0, 0, ["metric", *[code for code, _, _ in rows]])
        for r, key in enumerate(request.keys, start=1):
            sheet.write_row(r, 0, [key, *[values[key] for _, _, values in rows]])
        book.close()
