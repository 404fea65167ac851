"""The report "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng" of a subtree over a
period, Excel and Word, in the layout inspection commissions send upward: the inspections by the
organization's own bodies, the subjects inspected (organizations, members, committee members),
on signs of violation, the violations and the discipline proposed; supervision, thematic and
regular; discipline by form, of organizations and of members.

A report template of chibo.stats.reports (the same JSON format, numbering, header, Excel and
Word layout), shipped beside this module because its keys are this process's (METRICS-v2.md,
"Inspection and supervision", "Discipline"): the statistics app names no process. Every number
is the statistics engine's (one `engine.compute`), over the period. A province replaces the
template as it replaces the statistics reports: a file of the same name in
`$CHIBO_DATA_DIR/report_templates/`.

Who may read it: `inspection.view` on the organization (chibo.inspection.report_views): the
numbers of a subtree's confidential cases, read by its committee and inspection commission.
"""

from datetime import date
from pathlib import Path

from chibo.stats import engine, reports

# The period of a report (`from`, `to`; empty: 1 January of the end's year to today): the
# admission report's form, one rule for both (it would belong in chibo.stats.forms).
__all__ = ["build", "filename", "render", "template"]

NAME = "bao-cao-kiem-tra-giam-sat-ky-luat"
BUILT_IN = Path(__file__).resolve().parent / "report_templates" / f"{NAME}.json"
KINDS = ("xlsx", "docx")


def template() -> reports.ReportTemplate:
    """The province's template of this report when it has one, else chibo's (TemplateError
    names the file and the row at fault)."""
    own = reports.get_template(NAME)
    return own if own is not None else reports.parse_template(BUILT_IN)


def build(org, date_from: date, date_to: date, place: str | None = None) -> reports.Report:
    """The report for `org`'s subtree over date_from..date_to (as of date_to)."""
    chosen = template()
    request = engine.Request.parse(date_to, date_from, date_to, ",".join(chosen.keys()))
    return reports.build(org, chosen, request, place)


def render(report: reports.Report, kind: str) -> tuple[bytes, str]:
    """(content, content type) of the report as an Excel workbook ("xlsx") or a Word document
    ("docx"), in Vietnamese."""
    return reports.render(report, kind)


def filename(report: reports.Report, kind: str) -> str:
    asked = report.request
    return (f"{NAME}-{report.org.code}-{asked.date_from.isoformat()}-"
            f"{asked.date_to.isoformat()}.{kind}")
