"""The statistics' contract routes: the pages, reports, dashboard and endpoints of a subtree
(chibo.stats). The numbers themselves are test_records.py's; here, who gets them."""

from chibo.accounts.policy import Capability
from tests.contract.registry import SEE_COMMUNE, DomainFixtures, Route, classes, register

C = Capability
# The subtree is read with stats.view: without it, it looks absent (404).
ON = {"org": "D1.X1", "capability": C.VIEW_STATS, "sees": C.VIEW_STATS,
      **classes(SEE_COMMUNE, SEE_COMMUNE)}
QUERY = "as_of=2026-05-15&from=2026-01-01&to=2026-04-30"


def build(world, people) -> None:
    return None


register(DomainFixtures(
    key="stats", build=build, pages=("stats",), api=("stats",),
    routes=(
        Route("stats:page", f"/stats/D1.X1/?{QUERY}", **ON, shows="Đảng bộ xã An Phú"),
        Route("stats:children", f"/stats/D1.X1/children/?{QUERY}", **ON,
              shows="Chi bộ thôn Đồng Mạ"),
        Route("stats:records", f"/stats/D1.X1/records/members.total/?{QUERY}", **ON),
        Route("stats:report", "/stats/D1.X1/reports/thong-ke-dang-vien/", **ON),
        Route("stats:download", "/stats/D1.X1/reports/thong-ke-dang-vien.xlsx", **ON),
        Route("stats:dashboard", "/stats/D1.X1/dashboard.json", **ON),
        Route("stats:dashboard_chart", "/stats/D1.X1/dashboard/ratings-good-plus.json", **ON,
              shows="rated.members.good_plus"),
        Route("api:stats", f"/api/v1/stats?org=D1.X1&{QUERY}", **ON),
        Route("api:children", f"/api/v1/stats/children?org=D1.X1&{QUERY}", **ON,
              shows="Chi bộ thôn Đồng Mạ"),
        Route("api:records", f"/api/v1/stats/records?org=D1.X1&metric=members.total&{QUERY}",
              **ON, shows="Ma Văn Thắng"),
    ),
))
