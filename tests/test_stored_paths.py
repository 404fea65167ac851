"""Member periods and flow facts store their cell's path (chibo.organizations.paths): moves and
merges must leave them exactly where a replay of the member's facts would put them, and the
statistics read them by path."""

from datetime import date

from chibo.accounts.policy import SYSTEM
from chibo.members import services as member_services
from chibo.members.models import Member, MemberFlow, MemberPeriod
from chibo.organizations import services as org_services
from chibo.organizations.models import OrgPeriod
from chibo.organizations.paths import PathHistory
from chibo.stats import engine
from tests.conftest import D, admit

MOVE_DAY = D(2026, 3, 1)


def stored() -> set[tuple]:
    """Every stored period and flow fact, as comparable tuples."""
    periods = set(MemberPeriod.objects.values_list(
        "member", "org", "path", "valid_from", "valid_to", "status", "exempt"))
    facts = set(MemberFlow.objects.values_list(
        "member", "kind", "day", "org", "path", "from_org", "from_path"))
    return periods | facts


def replayed() -> set[tuple]:
    """`stored()` after replaying every member from their facts."""
    for member in Member.objects.all():
        member_services.rebuild(member)
    return stored()


def path_of(org, day: date) -> str:
    return OrgPeriod.objects.as_of(day).get(organization=org).path


def test_a_move_cuts_the_periods_it_crosses_and_places_later_facts_anew(world, people):
    o = world.orgs
    # admitted after the move day, recorded before the move: the fact must follow the cell
    late = admit("M101", "Lý Văn Muộn", o["D1.X1.C1"], admitted_on=D(2026, 4, 1))
    org_services.move_organization(o["D1.X1"], actor=SYSTEM, new_parent=o["D2"],
                                   effective_on=MOVE_DAY)
    old, new = path_of(o["D1.X1.C1"], D(2026, 2, 1)), path_of(o["D1.X1.C1"], MOVE_DAY)
    assert new.startswith(path_of(o["D2"], MOVE_DAY)) and old != new
    lan = list(MemberPeriod.objects.filter(member=people["lan"]).order_by("valid_from")
               .values_list("path", "valid_to"))
    assert lan[-2:] == [(old, MOVE_DAY), (new, D(9999, 12, 31))]
    assert MemberFlow.objects.get(member=late, kind="admitted").path == new
    assert stored() == replayed()

    year = engine.Request.parse(D(2026, 11, 27), metrics="admitted,members.total")
    assert engine.compute(o["D2"], year) == {"admitted": 1, "members.total": 9}
    assert engine.compute(o["D1"], year) == {"admitted": 0, "members.total": 0}
    before = engine.Request.parse(D(2026, 2, 1), metrics="members.total")
    assert engine.compute(o["D1"], before) == {"members.total": 7}


def test_a_merge_places_the_merged_cells_members_in_the_cell_they_joined(world, people):
    o = world.orgs
    org_services.move_organization(o["D1.X1"], actor=SYSTEM, new_parent=o["D2"],
                                   effective_on=MOVE_DAY)
    org_services.merge_organization(o["D1.X1.C2"], actor=SYSTEM, into=o["D1.X1.C1"],
                                    effective_on=D(2026, 5, 1))
    binh = list(MemberPeriod.objects.filter(member=people["binh"]).order_by("valid_from")
                .values_list("org", "path", "valid_from"))
    assert binh[-1] == (o["D1.X1.C1"].pk, path_of(o["D1.X1.C1"], D(2026, 5, 1)), D(2026, 5, 1))
    assert stored() == replayed()


def test_a_commune_merging_into_another_takes_its_cells_along(world, people):
    o = world.orgs
    org_services.merge_organization(o["D1.X1"], actor=SYSTEM, into=o["D2.X1"],
                                    effective_on=MOVE_DAY)
    after = path_of(o["D1.X1.C1"], MOVE_DAY)
    assert after.startswith(path_of(o["D2.X1"], MOVE_DAY))
    assert MemberPeriod.objects.filter(member=people["lan"], path=after).exists()
    assert stored() == replayed()


def test_days_on_which_a_cell_stood_nowhere_keep_no_path():
    history = PathHistory({7: [(D(2000, 1, 1), D(2010, 1, 1), "1/7/"),
                               (D(2012, 1, 1), D(2020, 1, 1), "1/2/7/")]})
    assert history.pieces(7, D(1999, 1, 1), D(2015, 1, 1)) == [
        (D(1999, 1, 1), D(2000, 1, 1), ""), (D(2000, 1, 1), D(2010, 1, 1), "1/7/"),
        (D(2010, 1, 1), D(2012, 1, 1), ""), (D(2012, 1, 1), D(2015, 1, 1), "1/2/7/")]
    assert history.pieces(7, D(2019, 1, 1), D(2021, 1, 1)) == [
        (D(2019, 1, 1), D(2020, 1, 1), "1/2/7/"), (D(2020, 1, 1), D(2021, 1, 1), "")]
    assert history.path_on(7, D(2011, 1, 1)) == "" and history.path_on(7, D(2013, 1, 1))
