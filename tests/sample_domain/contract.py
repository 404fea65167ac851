"""The sample domain's contract fixtures (found by `tests.contract.registry.discover`)."""

from chibo.accounts.policy import SYSTEM
from tests.conftest import D
from tests.contract.registry import DomainFixtures, Query, Route, register
from tests.sample_domain.capabilities import MANAGE_SAMPLE
from tests.sample_domain.metrics import VISITORS
from tests.sample_domain.services import record_visit


def build(world, people) -> list:
    """The province's officers visit An Phú commune and its cell of Đồng Mạ twice, a cell of
    Hàm Yên, and Nà Khà's cell the December before and in May (the queries' periods end on
    30 April, their day is 15 May: the last visit counts in none)."""
    o = world.orgs
    return [record_visit(o[code], day, visitors=visitors, note=note, actor=SYSTEM)
            for code, day, visitors, note in [
                ("D1.X1", D(2026, 3, 5), 12, "Làm việc với Đảng ủy xã An Phú"),
                ("D1.X1.C1", D(2026, 2, 10), 3, "Thăm gia đình chính sách thôn Đồng Mạ"),
                ("D1.X1.C1", D(2026, 4, 2), 1, "Thăm đảng viên cao tuổi"),
                ("D1.X1.C2", D(2025, 12, 28), 5, "Thăm hỏi trước Tết"),
                ("D1.X1.C2", D(2026, 5, 5), 4, "Dự lễ kết nạp đảng viên"),
                ("D2.X1.C1", D(2026, 4, 12), 2, "Thăm hộ nghèo thôn Tân Lập"),
            ]]


FOUR_MONTHS = (D(2026, 1, 1), D(2026, 4, 30), D(2026, 5, 15))
ELSEWHERE = ("secretary", "member", "other_commune", "nobody")  # none sees the commune

register(DomainFixtures(
    key="sample", build=build,
    sections=("sample",), groups=("sample",), pages=("sample",), api=("sample",),
    queries=(
        Query("TQ", *FOUR_MONTHS), Query("D1", *FOUR_MONTHS), Query("D1.X1", *FOUR_MONTHS),
        Query("D1.X1.C1", *FOUR_MONTHS), Query("D2", *FOUR_MONTHS), Query("CQ", *FOUR_MONTHS),
        Query("D1.X1", D(2025, 12, 1), D(2026, 2, 28), D(2026, 3, 1)),
    ),
    sum_keys={VISITORS: "visitors"},
    routes=(
        Route("sample:visits", "/sample/D1.X1/visits/", org="D1.X1", capability=MANAGE_SAMPLE,
              allowed=("commune", "province", "admin"), denied=("viewer", "inspector"),
              outside=ELSEWHERE, shows="Thăm đảng viên cao tuổi"),
        Route("api:list_visits", "/api/v1/sample/visits?org=D1.X1", org="D1.X1",
              capability=MANAGE_SAMPLE, allowed=("commune", "province", "admin"),
              denied=("viewer", "inspector"), outside=ELSEWHERE,
              shows="Thăm đảng viên cao tuổi"),
    ),
))
