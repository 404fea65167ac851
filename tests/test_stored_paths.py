"""Member periods and flow facts store their cell's path (chibo.organizations.paths): moves and
merges must leave them exactly where a replay of the member's facts would put them, and the
statistics read them by path."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from chibo.accounts.policy import SYSTEM
from chibo.members import services as member_services
from chibo.members.models import Member, MemberFlow, MemberPeriod
from chibo.organizations import services as org_services
from chibo.organizations.models import Organization, OrgPeriod
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


BEFORE_PLACING = [("members", "0005_flow_profile_for_statistics")]
PLACED = [("members", "0006_placed_periods_and_flows")]


def migrate(target=None) -> None:
    """Migrate to `target`; None: every app to its latest migration (going back to a members
    migration unapplies the apps that depend on later ones, as admission and courses do)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes() if target is None else target)


def test_the_migration_places_existing_rows_as_a_replay_would(transactional_db):
    """Migration members.0006 on a database with members, moves and merges (on PostgreSQL it
    once failed: indexes created with foreign-key checks pending)."""
    from tests.conftest import build_world

    o = build_world().orgs
    admit("M001", "Nông Thị Lan", o["D1.X1.C1"], official_on=D(2011, 3, 5))
    admit("M002", "Lê Văn Bình", o["D1.X1.C2"], official_on=D(2011, 3, 5))
    admit("M003", "Lý Văn Muộn", o["D1.X1.C1"], admitted_on=D(2026, 4, 1))
    org_services.move_organization(o["D1.X1"], actor=SYSTEM, new_parent=o["D2"],
                                   effective_on=MOVE_DAY)
    org_services.merge_organization(o["D1.X1.C2"], actor=SYSTEM, into=o["D1.X1.C1"],
                                    effective_on=D(2026, 5, 1))
    expected = stored()
    migrate(BEFORE_PLACING)
    try:
        migrate(PLACED)
    finally:
        migrate()  # leave the schema as the other tests expect, whatever happened
    assert stored() == expected == replayed()


WAIT = 30  # seconds a thread waits for the other's signal: a failure, never a hang


def run_together(*targets) -> None:
    """Run the targets in threads of their own and raise the first error any of them met (a
    thread's error would otherwise only be printed, and the other thread wait for ever)."""
    errors: list[BaseException] = []

    def guarded(target):
        def run():
            try:
                target()
            except BaseException as error:  # noqa: BLE001 -- handed to the test's thread
                errors.append(error)
        return run

    threads = [threading.Thread(target=guarded(target)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def move_the_commune() -> None:
    org_services.move_organization(Organization.objects.get(code="D1.X1"), actor=SYSTEM,
                                   new_parent=Organization.objects.get(code="D2"),
                                   effective_on=MOVE_DAY)


ON_POSTGRESQL = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                   reason="SQLite runs one write transaction at a time")


@ON_POSTGRESQL
def test_an_admission_beside_an_uncommitted_move_is_placed_after_it(transactional_db):
    from tests.conftest import build_world

    build_world()
    moved = threading.Event()

    def move() -> None:
        with transaction.atomic():
            move_the_commune()
            moved.set()
            time.sleep(1.0)  # the admission starts while the move is not committed
        connection.close()

    def admission() -> None:
        assert moved.wait(WAIT), "the move did not start"
        admit("M900", "Lò Văn Mới", Organization.objects.get(code="D1.X1.C1"),
              admitted_on=D(2026, 4, 1))
        connection.close()

    run_together(move, admission)
    cell = Organization.objects.get(code="D1.X1.C1")
    assert list(MemberPeriod.objects.filter(member__member_code="M900").values_list(
        "path", flat=True)) == [path_of(cell, D(2026, 4, 1))]


@ON_POSTGRESQL
def test_a_profile_correction_beside_a_move_reaches_the_cut_periods(transactional_db):
    from tests.conftest import build_world

    world = build_world()
    lan = admit("M001", "Nông Thị Lan", world.orgs["D1.X1.C1"], gender="male")
    corrected = threading.Event()

    def correct() -> None:
        with transaction.atomic():
            member_services.update_member(Member.objects.get(pk=lan.pk), actor=SYSTEM,
                                          gender="female")
            corrected.set()
            time.sleep(1.0)  # the move starts while the correction is not committed
        connection.close()

    def move() -> None:
        assert corrected.wait(WAIT), "the correction did not start"
        move_the_commune()
        connection.close()

    run_together(correct, move)
    assert set(MemberPeriod.objects.filter(member=lan).values_list("gender", flat=True)) == {
        "female"}
