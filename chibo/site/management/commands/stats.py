"""`chibo stats --org CODE …`: the statistics of spec/METRICS.md on the command line."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from chibo.core.xlsx import workbook
from chibo.organizations.models import Organization
from chibo.stats import engine


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"bad date: {value} (YYYY-MM-DD)") from error


class Command(BaseCommand):
    help = "Statistics of an organization's subtree (table, json or xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--as-of", type=_date)
        parser.add_argument("--from", dest="date_from", type=_date)
        parser.add_argument("--to", dest="date_to", type=_date)
        parser.add_argument("--metrics")
        parser.add_argument("--by-child", action="store_true")
        parser.add_argument("--format", choices=["table", "json", "xlsx", "docx"],
                            default="table")
        parser.add_argument("--report", help="a report template (chibo.stats.reports): the "
                            "report in the official layout, with --format xlsx or docx")
        parser.add_argument("--output")

    def handle(self, *args, org, as_of, date_from, date_to, metrics, by_child, format, output,
               report=None, **options):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"no organization {org}")
        try:
            request = engine.Request.parse(as_of, date_from, date_to, metrics)
        except engine.UnknownMetric as error:
            raise CommandError(f"unknown metric: {error}") from error
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
            if not output:
                raise CommandError("--format xlsx needs --output FILE")
            self._xlsx(rows, request, output)
        else:
            self._emit(self._table(rows, request), output)

    def _report(self, organization, request, name, format, output) -> None:
        """`--report NAME --format xlsx|docx --output FILE`: a report in the official layout."""
        from chibo.stats import reports

        if not name or format not in ("xlsx", "docx") or not output:
            raise CommandError("a report needs --report NAME --format xlsx|docx --output FILE")
        try:
            template = reports.get_template(name)
        except reports.TemplateError as error:
            raise CommandError(str(error)) from error
        if template is None:
            names = ", ".join(sorted(reports.load_templates()))
            raise CommandError(f"no report template {name} (there are: {names})")
        content, _ = reports.render(reports.build(organization, template, request), format)
        with open(output, "wb") as handle:
            handle.write(content)

    def _emit(self, text: str, output: str | None) -> None:
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)

    def _table(self, rows, request) -> str:
        lines = [f"as of {request.as_of}, period {request.date_from} – {request.date_to}"]
        codes = [code for code, _, _ in rows]
        lines.append(f"{'metric':<42}" + "".join(f"{c:>12}" for c in codes))
        for key in request.keys:
            lines.append(f"{key:<42}" + "".join(f"{v[key]:>12}" for _, _, v in rows))
        return "\n".join(lines)

    def _xlsx(self, rows, request, output: str) -> None:

        book = workbook(output)
        sheet = book.add_worksheet("stats")
        sheet.write_row(0, 0, ["metric", *[code for code, _, _ in rows]])
        for r, key in enumerate(request.keys, start=1):
            sheet.write_row(r, 0, [key, *[values[key] for _, _, values in rows]])
        book.close()
