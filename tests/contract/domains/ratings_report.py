"""The yearly ratings report's contract fixtures (chibo.ratings.report_urls, report_api): its own
pages key and router. The report is the subtree's statistics: `stats.view` on the organization,
which every officer who sees the commune holds; the rest find no commune."""

from chibo.accounts.policy import Capability
from tests.contract.registry import SEE_COMMUNE, DomainFixtures, Route, classes, register

# Every fixture user who sees the commune holds stats.view, so none is denied here (the 403 of a
# member in scope without it: tests/test_ratings_report.py).
REPORT = {"org": "D1.X1", "capability": Capability.VIEW_STATS, "sees": Capability.VIEW_STATS,
          **classes(SEE_COMMUNE, SEE_COMMUNE)}

register(DomainFixtures(
    key="ratings-report", build=lambda world, people: None,
    pages=("ratings-report",), api=("ratings-report",),
    routes=(
        Route("ratings_report:report", "/org/D1.X1/ratings-report/",
              shows="Báo cáo kết quả đánh giá, xếp loại chất lượng", **REPORT),
        Route("ratings_report:report_xlsx", "/org/D1.X1/ratings-report.xlsx?year=2025",
              **REPORT),
        Route("api:ratings_report", "/api/v1/ratings-report/report?org=D1.X1&year=2025",
              **REPORT),
    ),
))
