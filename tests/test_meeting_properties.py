"""Meeting metrics against a plain replay of docs/metrics-meetings.md (hypothesis).

Random small histories of test_stats_properties (organizations moved, merged, dissolved, created;
members admitted, transferred, ended) with meetings held and closed through the services on the
way, and officials' visits added. Every meeting key of the engine (`compute`, `compute_children`,
the drill-down count) is compared, for random organizations and periods, with a replay that
places each meeting by the model of the tree on the meeting's day: a cell that moved mid-period
counts each meeting where it lay that day, also when it moved within a month.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chibo.accounts.policy import SYSTEM
from chibo.meetings import metrics, queries, services
from chibo.meetings.choices import ATTENDED, COUNTED, AttendanceStatus, GuestRole
from chibo.meetings.models import Meeting
from chibo.meetings.services import AttendanceEntry, Closing, NewMeeting
from chibo.organizations.models import Organization
from chibo.stats import engine, stocks
from tests.test_stats_properties import (
    HOLDING,
    PROFILES,
    History,
    World,
    base_tree,  # noqa: F401 (the fixture)
    starting_world,
    state_on,
)

KINDS = [("regular", False), ("regular", False), ("regular", True), ("thematic", False),
         ("extraordinary", False)]
STATUSES = ["present", "present", "online", "excused", "unexcused"]
GUEST_ROLES = [GuestRole.HIGHER_LEVEL, GuestRole.HIGHER_LEVEL, GuestRole.OTHER]


@dataclass
class Held:
    """A meeting as the services accepted it: what the definitions read of it."""

    code: str
    cell: str
    day: date
    kind: str
    combined: bool
    model: bool
    statuses: list[str]
    visits: int = 0


class Meetings(History):
    """The history of test_stats_properties, with cells meeting on the way."""

    def __init__(self, world: World, note=lambda outcome: None):
        super().__init__(world, note)
        self.held: list[Held] = []

    def admit(self, a, b, c, profile):
        super().admit(a % 4, b, c, profile)  # a few cells with members, which meet often

    def move(self, a, b, c, profile):
        super().move(a % 5, b, c, profile)  # mostly those cells, or the commune of two of them

    def meet(self, a, b, c, profile):
        cell = self.pick(self.alive(HOLDING), a % 4)
        kind, combined = KINDS[b % len(KINDS)]
        meeting = services.schedule_meeting(NewMeeting(
            organization=self.org(cell), date=self.day, kind=kind, combined_thematic=combined,
            is_model=c % 3 == 0, topic="Sinh hoạt", place="Hội trường"), actor=SYSTEM)
        entries = [AttendanceEntry(e.member, AttendanceStatus.EXEMPT if e.exempt else
                                   STATUSES[(b + c + i) % len(STATUSES)], "Ốm", i % 2 == 0)
                   for i, e in enumerate(queries.expected_members(meeting))]
        evening = timezone.make_aware(datetime.combine(self.day, time(20)))
        services.close_meeting(meeting, Closing(attendance=entries, duration_minutes=60 + c,
                                                minutes_complete=c % 2 == 0), actor=SYSTEM,
                               now=evening)
        self.held.append(Held(meeting.code, cell, self.day, kind, combined, c % 3 == 0,
                              [e.status for e in entries]))

    def visit(self, a, b, c, profile):
        held = self.pick([h.code for h in self.held], a)
        role, attended = GUEST_ROLES[b % len(GUEST_ROLES)], c % 4 != 0
        services.add_guest(Meeting.objects.get(code=held), actor=SYSTEM, role=role,
                           full_name=f"Khách {b}", attended=attended)
        if role == GuestRole.HIGHER_LEVEL and attended:
            next(h for h in self.held if h.code == held).visits += 1


# The replay ------------------------------------------------------------------------------------

def counts_of(held: Held, below_quality: bool) -> dict[str, int]:
    thematic = held.kind == "thematic" or (held.kind == "regular" and held.combined)
    return {"meetings.held": 1, "meetings.held.regular": held.kind == "regular",
            "meetings.held.thematic": thematic,
            "meetings.held.extraordinary": held.kind == "extraordinary",
            "meetings.held.model": held.model, "meetings.below_quality": below_quality,
            "meetings.attendance.expected": sum(s in COUNTED for s in held.statuses),
            "meetings.attendance.present": sum(s in ATTENDED for s in held.statuses),
            "meetings.guest_visits": held.visits}


def expected_meetings(world: World, held: list[Held], scope: str, start: date,
                      end: date) -> dict[str, int]:
    values = dict.fromkeys(metrics.KEYS, 0)
    # Whether a meeting passed its quality criteria is the closing's judgement (its own rules
    # are tested in test_meetings): read as stored, like its kind.
    passed = dict(Meeting.objects.values_list("code", "quality_passed"))
    for h in held:
        # A meeting falls in S when its cell lay in S's subtree on the meeting day, as the tree
        # was that day (a cell merged or dissolved that day no longer lay anywhere).
        if start <= h.day <= end and h.cell in world.tree(h.day).below(scope):
            for key, n in counts_of(h, passed[h.code] is False).items():
                values[key] += n
    months = metrics.full_months(start, end)
    if not months:
        return values
    first, last = months[0][0], months[-1][1]
    tree = world.tree(last)
    members = {world.resolve(state.cell, last) for state in (
        state_on(person, last) for person in world.people.values()) if state.phase == "active"}
    for cell in tree.below(scope):
        if tree.kind[cell] not in HOLDING or cell not in members or established(cell) > first:
            continue
        values["meetings.cells"] += 1
        values["meetings.cells_every_month"] += all(
            any(h.cell == cell and h.kind == "regular" and a <= h.day <= b for h in held)
            for a, b in months)
    return values


def established(code: str) -> date:
    return Organization.objects.get(code=code).established_on


def expected_keys(world: World, held: list[Held], code: str,
                  request: engine.Request) -> dict[str, int]:
    values = expected_meetings(world, held, code, request.date_from, request.date_to)
    return {key: values[key] for key in request.keys}


def moved(world: World, held: Held, request: engine.Request) -> bool:
    """Whether the meeting's cell lay elsewhere in the tree on another day of the period."""
    def chain(day: date) -> list[str]:
        tree, code, found = world.tree(day), held.cell, []
        while code in tree.parent:
            found.append(code)
            code = tree.parent[code]
        return found

    start, end = request.date_from, request.date_to
    places = {tuple(chain(day)) for day in (start, held.day, end)}
    return start <= held.day <= end and len(places) > 1


def check(world: World, held: list[Held], code: str, request: engine.Request,
          note=lambda what: None) -> None:
    org = Organization.objects.get(code=code)
    expected = expected_keys(world, held, code, request)
    got = engine.compute(org, request)
    assert got == expected, (code, request)
    for key, number in expected.items():
        assert engine.records(org, request, key).count() == number, (code, key, request)
    note(f"meetings counted: {expected['meetings.held'] > 0}")
    note(f"a cell that met moved in the period: {any(moved(world, h, request) for h in held)}")
    note(f"cells meeting every month: {expected['meetings.cells_every_month'] > 0}")
    children = engine.compute_children(org, request) or []
    for period, values in children:
        child = period.organization.code
        assert values == expected_keys(world, held, child, request), (code, child, request)


STEP = st.tuples(
    st.sampled_from([0, 1, 6, 12, 20, 31, 45, 200]),  # days after the previous step
    st.sampled_from(["admit", "admit", "meet", "meet", "meet", "meet", "meet", "visit", "move",
                     "move", "merge", "dissolve", "create_cell", "event"]),
    st.integers(0, 60), st.integers(0, 60), st.integers(0, 10),
    PROFILES,
)
# (which organization, a step's day, whether the period runs from that day or from the first
# of its month, its length in days or in months)
PROBE = st.tuples(st.integers(0, 40), st.integers(-40, 40), st.booleans(),
                  st.sampled_from([0, 0, 1, 2, 20, 45, 400, 3000]))
BUSY = ["P", "P", "P", "D1", "D1", "X1", "X2", "B"]  # probed more often than the others


def period(day: date, by_month: bool, length: int) -> tuple[date, date]:
    """From `day` for `length` days, or the full months from `day`'s to `length` later (up to
    three)."""
    if not by_month:
        return day, day + timedelta(days=length)
    after = day.year * 12 + day.month - 1 + min(length, 3) + 1  # the month after the last
    return day.replace(day=1), date(after // 12, after % 12 + 1, 1) - timedelta(days=1)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=6, max_size=30), probes=st.lists(PROBE, min_size=3,
                                                                      max_size=5),
       listed=st.sampled_from([stocks.LISTED, 0]))
def test_meeting_metrics_match_a_replay_of_the_definitions(base_tree, steps, probes,  # noqa: F811
                                                           listed):
    # listed=0: the cells and the moved cells are selected by subqueries, as in a province
    with transaction.atomic(), mock.patch.object(stocks, "LISTED", listed):
        world = starting_world()
        history = Meetings(world, note=event)
        for step in steps:
            history.step(*step)
        codes = BUSY + sorted(world.latest().kind)
        for pick, start, by_month, length in probes:
            date_from, date_to = period(history.probe_day(start), by_month, length)
            request = engine.Request.parse(date_to, date_from, date_to, ",".join(metrics.KEYS))
            check(world, history.held, codes[pick % len(codes)], request, note=event)
        transaction.set_rollback(True)


def test_a_cell_moved_within_a_month_counts_its_months_once(base_tree):  # noqa: F811
    """X1C1 meets on 5 and 20 March and is moved to X2 on 15 March: its March meetings fall in
    two subtrees, March counts once for it; it met every month of March-April once it meets on
    10 April too."""
    with transaction.atomic():
        world = starting_world()
        history = Meetings(world)
        young = {"gender": "female", "age": 25, "days": 3, "ethnicity": "Tày", "religion": "",
                 "general_education": "12/12", "professional_level": "university",
                 "theory_level": "none"}
        history.day = date(2030, 2, 20)
        for step in [(0, "admit", 2, 0, 1, young), (13, "meet", 2, 0, 1, young),
                     (10, "move", 3, 5, 0, young), (5, "meet", 2, 0, 1, young)]:
            history.step(*step)
        assert [(h.cell, h.day) for h in history.held] == [("X1C1", date(2030, 3, 5)),
                                                          ("X1C1", date(2030, 3, 20))]
        assert world.tree(date(2030, 3, 20)).parent["X1C1"] == "X2"
        keys = "meetings.held,meetings.cells,meetings.cells_every_month"
        march = engine.Request.parse(date(2030, 3, 31), date(2030, 3, 1), date(2030, 3, 31),
                                     keys)
        spring = engine.Request.parse(date(2030, 4, 30), date(2030, 3, 1), date(2030, 4, 30),
                                      keys)
        d1 = Organization.objects.get(code="D1")
        assert engine.compute(d1, march) == {"meetings.held": 2, "meetings.cells": 1,
                                             "meetings.cells_every_month": 1}
        assert engine.compute(d1, spring)["meetings.cells_every_month"] == 0
        children = {p.organization.code: v for p, v in engine.compute_children(d1, march)}
        assert children["X1"]["meetings.held"] == 1 and children["X2"]["meetings.held"] == 1
        assert children["X2"]["meetings.cells_every_month"] == 1
        history.step(21, "meet", 2, 0, 1, young)  # 10 April
        assert engine.compute(d1, spring) == {"meetings.held": 3, "meetings.cells": 1,
                                              "meetings.cells_every_month": 1}
        for code, request in [("D1", march), ("D1", spring), ("X1", march), ("X2", spring),
                              ("P", spring)]:
            check(world, history.held, code, request)
        transaction.set_rollback(True)
