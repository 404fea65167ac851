"""The inspection report's contract fixtures (chibo.inspection.report_urls, report_api): its own
pages key and router. The report is numbers of a subtree's confidential cases: `inspection.view`
on the organization (the inspector at the province, the administrator); the other officers who
see the commune are denied, the rest find no commune."""

from chibo.inspection.capabilities import VIEW_INSPECTION
from tests.contract.registry import SEE_COMMUNE, DomainFixtures, Route, classes, register

REPORT = {"org": "D1.X1", "capability": VIEW_INSPECTION,
          **classes(SEE_COMMUNE, ("admin", "inspector"))}
PERIOD = "from=2025-01-01&to=2025-12-31"

register(DomainFixtures(
    key="inspection-report", build=lambda world, people: None,
    pages=("inspection-report",), api=("inspection-report",),
    routes=(
        Route("inspection_report:report", "/org/D1.X1/inspection-report/",
              shows="Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng", **REPORT),
        Route("inspection_report:report_xlsx", f"/org/D1.X1/inspection-report.xlsx?{PERIOD}",
              **REPORT),
        Route("inspection_report:report_docx", f"/org/D1.X1/inspection-report.docx?{PERIOD}",
              **REPORT),
        Route("api:inspection_report",
              f"/api/v1/inspection-report/report?org=D1.X1&{PERIOD}&format=docx", **REPORT),
    ),
))
