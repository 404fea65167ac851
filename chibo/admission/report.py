"""The report "Công tác phát triển đảng viên" (Excel) of a subtree over a period: the admissions
with the breakdowns of METRICS.md, the candidates by stage at the period's end, the cells
without an admission, and the courses by kind (classes and learners).

It is a report template of chibo.stats.reports (the same JSON format, numbering, header and
Excel layout), shipped here rather than in chibo/stats/report_templates/ because its keys are
this process's: the statistics app names no process. Every number is the statistics engine's
(one `engine.compute`), as of the period's last day. A province replaces the template as it
replaces the statistics reports: a file of the same name in `$CHIBO_DATA_DIR/report_templates/`
(which the statistics pages then list too).
"""

from datetime import date
from pathlib import Path

from chibo.stats import engine, reports

NAME = "cong-tac-phat-trien-dang-vien"
BUILT_IN = Path(__file__).resolve().parent / "report_templates" / f"{NAME}.json"


def template() -> reports.ReportTemplate:
    """The province's template of this report when it has one, else chibo's (TemplateError
    names the file and the row at fault)."""
    own = reports.get_template(NAME)
    return own if own is not None else reports.parse_template(BUILT_IN)


def build(org, date_from: date, date_to: date, place: str | None = None) -> reports.Report:
    """The report for `org`'s subtree: flows over date_from..date_to, stocks on date_to."""
    chosen = template()
    request = engine.Request.parse(date_to, date_from, date_to, ",".join(chosen.keys()))
    return reports.build(org, chosen, request, place)


def xlsx(report: reports.Report) -> tuple[bytes, str]:
    """(content, content type) of the report as an Excel workbook."""
    return reports.render(report, "xlsx")


def filename(report: reports.Report) -> str:
    asked = report.request
    return (f"{NAME}-{report.org.code}-{asked.date_from.isoformat()}-"
            f"{asked.date_to.isoformat()}.xlsx")
