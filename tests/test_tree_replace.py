"""Moves and merges re-place a whole subtree with a few statements (organizations.services
._replace): paths by prefix, merged organizations following their successor, dissolved ones
keeping the place where they ended, and the past untouched."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.accounts.policy import SYSTEM
from chibo.organizations import services
from chibo.organizations.models import Organization, OrgPeriod


def org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def path_of(*codes: str) -> str:
    return "".join(f"{org(code).pk}/" for code in codes)


def period_path(code: str, day: date) -> str:
    return services.period_on(org(code), day).path


def test_a_move_carries_merged_rows_along_and_leaves_dissolved_ones(world):
    services.merge_organization(org("D1.X1.C2"), actor=SYSTEM, into=org("D1.X1.C1"),
                                effective_on=date(2020, 1, 1))
    services.dissolve_organization(org("D1.X1.C3"), actor=SYSTEM, effective_on=date(2020, 1, 1))
    dissolved_path = org("D1.X1.C3").path
    services.move_organization(org("D1.X1"), actor=SYSTEM, new_parent=org("D2"),
                               effective_on=date(2021, 1, 1))

    assert org("D1.X1").path == path_of("TQ", "D2", "D1.X1")
    assert org("D1.X1.C1").path == path_of("TQ", "D2", "D1.X1", "D1.X1.C1")
    assert org("D1.X1.C2").path == path_of("TQ", "D2", "D1.X1", "D1.X1.C1", "D1.X1.C2")
    assert org("D1.X1.C3").path == dissolved_path == path_of("TQ", "D1", "D1.X1", "D1.X1.C3")
    assert period_path("D1.X1.C1", date(2020, 6, 1)) == path_of("TQ", "D1", "D1.X1", "D1.X1.C1")
    assert period_path("D1.X1.C1", date(2021, 6, 1)) == path_of("TQ", "D2", "D1.X1", "D1.X1.C1")
    assert org("D1.X1.C1").depth == 3 and org("D1.X1.C2").depth == 4


def test_a_merge_moves_every_child_in_a_few_statements(world):
    for number in range(4, 30):  # a commune with many cells
        services.create_organization(services.NewOrganization(
            code=f"D1.X1.C{number}", name=f"Chi bộ {number}", kind="cell",
            established_on=date(2000, 1, 1), parent=org("D1.X1")), actor=SYSTEM)
    with CaptureQueriesContext(connection) as queries:
        services.merge_organization(org("D1.X1"), actor=SYSTEM, into=org("D1.X2"),
                                    effective_on=date(2022, 1, 1))
    assert len(queries) <= 40  # 31 here; 286 when each child was re-placed on its own
    x2 = org("D1.X2")
    children = OrgPeriod.objects.as_of(date(2022, 1, 1)).filter(parent=x2)
    assert children.count() == 29 - 3 + 3 + 1  # 26 new cells, C1–C3, and its own C1
    for period in children:
        assert period.path == f"{x2.path}{period.organization_id}/"
        assert Organization.objects.get(pk=period.organization_id).path == period.path
    assert org("D1.X1").path == f"{x2.path}{org('D1.X1').pk}/"  # placed under its successor
    assert OrgPeriod.objects.as_of(date(2021, 12, 31)).filter(parent=org("D1.X1")).count() == 29
