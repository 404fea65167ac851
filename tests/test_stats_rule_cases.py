"""The statistics' stocks and flows (chibo/stats/stocks.py, flows.py; spec METRICS-v2.md) on the
named world, each number worked out by hand: who counts where on a day, and which transfers
cross a subtree's border. The cases the mutants of bench/mutation.py (unit "stats") asked for;
tests/test_stats.py checks the conformance example as a whole."""

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.members import services as member_services
from chibo.stats import engine, flows, stocks
from tests.conftest import D, admit

YEAR_END = D(2025, 12, 31)
# The spec's keys: the registered groups' (meetings, admission) are tested with their apps.
KEYS = (*stocks.member_conditions(YEAR_END), *stocks.ORG_KEYS, *stocks.VILLAGE_KEYS,
        *stocks.VILLAGE_CELL_KEYS, *flows.FLOW_KEYS)


@pytest.fixture
def moved(world, people):
    """Lan moves within An Phú commune (C1 to C2) on 1 March 2025; Yến comes from Hàm Yên
    district (D2.X1.C1) into C1 on 1 April."""
    o = world.orgs
    member_services.record_event(people["lan"], actor=SYSTEM, event="transfer",
                                 effective_on=D(2025, 3, 1), org=o["D1.X1.C2"])
    member_services.record_event(people["yen"], actor=SYSTEM, event="transfer",
                                 effective_on=D(2025, 4, 1), org=o["D1.X1.C1"])
    return world


def counted(org, as_of=YEAR_END, date_from=D(2025, 1, 1), date_to=YEAR_END) -> dict[str, int]:
    """The keys that are not zero."""
    values = engine.compute(org, engine.Request(as_of, date_from, date_to, KEYS))
    return {key: value for key, value in values.items() if value}


# Five members in C1 at the end of 2025: Thắng, Dương, An, Hoa and Yến (Lan left for C2).
C1_MEMBERS = {
    "members.total": 5, "members.official": 4, "members.probationary": 1,  # An, since 09/2025
    "members.female": 2, "members.ethnic_minority": 3,  # Thắng (Tày), Dương (Dao), Yến (H'Mông)
    "members.age.upto_30": 1, "members.age.41_50": 3, "members.age.over_60": 1,
    "members.professional.none": 5, "members.theory.none": 5,
}


def test_a_cell_counts_who_is_in_it_and_the_transfers_across_its_border(moved):
    assert counted(moved.orgs["D1.X1.C1"]) == {
        **C1_MEMBERS, "orgs.cell": 1, "village_cells.total": 1, "village_cells.small": 1,
        "admitted": 1, "admitted.upto_30": 1, "transferred_in": 1, "transferred_out": 1}
    assert counted(moved.orgs["D1.X1.C2"]) == {
        "members.total": 3, "members.official": 3, "members.female": 1,
        "members.ethnic_minority": 1, "members.age.41_50": 3, "members.professional.none": 3,
        "members.theory.none": 3, "orgs.cell": 1, "village_cells.total": 1,
        "village_cells.small": 1, "transferred_in": 1}


def test_a_transfer_inside_a_subtree_is_no_flow_of_it(moved):
    o = moved.orgs
    commune = counted(o["D1.X1"])
    assert (commune["transferred_in"], commune.get("transferred_out", 0)) == (1, 0)
    assert counted(o["D2"]) == {
        "orgs.grassroots_committee": 1, "orgs.cell": 1, "orgs.grassroots": 1,
        "villages.total": 1, "villages.with_cell": 1, "village_cells.total": 1,
        "village_cells.small": 1, "transferred_out": 1}
    province = counted(o["TQ"])
    assert "transferred_in" not in province and "transferred_out" not in province
    assert (province["members.total"], province["orgs.grassroots"], province["orgs.cell"],
            province["orgs.grassroots_cell"]) == (8, 4, 5, 1)


@pytest.mark.parametrize(("parent", "children"), [
    ("D1.X1", ["D1.X1.C1", "D1.X1.C2", "D1.X1.C3"]),
    ("D1", ["D1.X1", "D1.X2"]),  # the communes: their villages, and those with a cell
])
def test_the_children_add_up_to_what_each_counts_alone(moved, parent, children):
    request = engine.Request(YEAR_END, D(2025, 1, 1), YEAR_END, KEYS)
    counted_children = engine.compute_children(moved.orgs[parent], request)
    assert [period.organization.code for period, _ in counted_children] == children
    for period, values in counted_children:
        assert values == engine.compute(period.organization, request)


def test_a_child_adds_the_facts_of_its_cells(moved):
    """Two admissions alike in two cells of the commune: one row each in the grouped facts,
    both the commune's when the district's children are counted."""
    admit("M009", "Lý Văn Mới", moved.orgs["D1.X1.C2"], admitted_on=D(2025, 5, 1),
          birth_date=D(2000, 1, 1))
    request = engine.Request(YEAR_END, D(2025, 1, 1), YEAR_END, ("admitted", "admitted.upto_30"))
    children = dict((period.organization.code, values) for period, values
                    in engine.compute_children(moved.orgs["D1"], request))
    assert children["D1.X1"] == {"admitted": 2, "admitted.upto_30": 2}
    assert children["D1.X2"] == {"admitted": 0, "admitted.upto_30": 0}


def test_the_scopes_of_many_days_are_the_scope_of_each_day(world):
    cell = world.orgs["D1.X1.C1"]
    days = [D(1989, 12, 31), D(1990, 1, 1), YEAR_END, D(9999, 12, 31)]  # founded 1 January 1990
    scopes = stocks.scopes_of(cell, days)
    assert scopes == [stocks.scope_of(cell, day) for day in days]
    assert [(scope.day, scope.path is None) for scope in scopes] == [
        (days[0], True), (days[1], False), (days[2], False), (days[3], True)]


# Merges followed to the end of their chain -----------------------------------------------------

@pytest.mark.parametrize("length", [1, 4, 5, 7])
def test_a_chain_of_merges_is_followed_to_its_end_however_long(length):
    """stocks._followed: organization i merged into i + 1, `length` times over; the chain's
    first and any middle organization end in the last one, which was merged into none."""
    merges = {i: i + 1 for i in range(length)}
    assert stocks._followed(0, merges) == length
    assert stocks._followed(length - 1, merges) == length
    assert stocks._followed(length, merges) == length
    assert stocks._followed(None, merges) is None


def test_a_cycle_of_merges_cannot_hang_the_count():
    assert stocks._followed(1, {1: 2, 2: 1}) in (1, 2)


# The cells at work over a period (meetings' expected cells, cells.no_admission) ----------------

def test_the_cells_at_work_are_founded_by_the_first_day_with_members_on_the_last(world):
    """stocks.working_cells_q over 2025: founded on or before 1 January, with an active member
    on 31 December. W1 works; W2 was founded in June; W3's only member came after the period;
    W4's only member left during it."""
    from tests.conftest import make_org

    commune, first, last = world.orgs["D1.X1"], D(2025, 1, 1), YEAR_END
    cells = {code: make_org(f"D1.X1.{code}", f"Chi bộ {code}", "cell", commune,
                            established_on=D(2025, 6, 1) if code == "W2" else D(2020, 1, 1))
             for code in ("W1", "W2", "W3", "W4")}
    admit("MW1", "Người Một", cells["W1"], admitted_on=D(2021, 1, 4))
    admit("MW2", "Người Hai", cells["W2"], admitted_on=D(2025, 7, 1))
    admit("MW3", "Người Ba", cells["W3"], admitted_on=D(2026, 2, 2))
    leaving = admit("MW4", "Người Bốn", cells["W4"], admitted_on=D(2021, 1, 4))
    member_services.record_event(leaving, actor=SYSTEM, event="transfer",
                                 effective_on=D(2025, 3, 2), org=cells["W1"])
    working = set(stocks.scope_of(commune, last).periods().filter(
        stocks.working_cells_q(first, last)).values_list("organization__code", flat=True))
    assert {"D1.X1.W1", "D1.X1.W2", "D1.X1.W3", "D1.X1.W4"} & working == {"D1.X1.W1"}
