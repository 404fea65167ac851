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
from tests.hypothesis_profiles import examples
from tests.test_stats_properties import (
    FOUNDER,
    HOLDING,
    KEY_OPS,
    PROFILES,
    START,
    History,
    World,
    base_tree,  # noqa: F401 (the fixture)
    histories,
    starting_world,
    state_on,
)

KINDS = [("regular", False), ("regular", False), ("regular", True), ("thematic", False),
         ("extraordinary", False)]
STATUSES = ["present", "present", "online", "excused", "unexcused"]
DURATIONS = [60, 89, 90, 119, 120, 150]  # minutes: around 90, and 120 for a combined meeting
# The day from which a regular meeting combined with a thematic one lasts 120 minutes
# (42-HD/BTCTW of 28/10/2025; 90 before).
COMBINED_120_FROM = date(2025, 10, 28)
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
    attendance: list[tuple[str, str, bool]]  # (member code, status, spoke)
    duration: int
    prepared: bool  # agenda, committee meeting before and draft resolution
    minutes_complete: bool
    visits: int = 0

    @property
    def statuses(self) -> list[str]:
        return [status for _code, status, _spoke in self.attendance]


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
                                   attendance_status(b, c, i), "Ốm", i % 2 == 0)
                   for i, e in enumerate(queries.expected_members(meeting))]
        duration, prepared, complete = DURATIONS[c % len(DURATIONS)], b % 4 != 0, c % 3 != 0
        evening = timezone.make_aware(datetime.combine(self.day, time(20)))
        services.close_meeting(meeting, Closing(
            attendance=entries, duration_minutes=duration, agenda_prepared=prepared,
            committee_prepared=prepared, draft_resolution=prepared, minutes_complete=complete),
            actor=SYSTEM, now=evening)
        self.held.append(Held(meeting.code, cell, self.day, kind, combined, c % 3 == 0,
                              [(e.member.member_code, e.status, e.spoke) for e in entries],
                              duration, prepared, complete))

    def visit(self, a, b, c, profile):
        held = self.pick([h.code for h in self.held], a)
        role, attended = GUEST_ROLES[b % len(GUEST_ROLES)], c % 4 != 0
        services.add_guest(Meeting.objects.get(code=held), actor=SYSTEM, role=role,
                           full_name=f"Khách {b}", attended=attended)
        if role == GuestRole.HIGHER_LEVEL and attended:
            next(h for h in self.held if h.code == held).visits += 1


def attendance_status(b: int, c: int, i: int) -> str:
    """The `i`th member's status: every status in a third of the meetings; everyone present in
    another third (so that many meetings pass the quality criteria); the first member excused
    in the last third (a streak of them fails the meeting, and so may the attendance)."""
    if b % 3 == 0:
        return STATUSES[(b + c + i) % len(STATUSES)]
    return "excused" if b % 3 == 2 and i == 0 else "present"


# The replay ------------------------------------------------------------------------------------

def below_quality(held: list[Held]) -> dict[str, bool]:
    """Whether each meeting fails a quality criterion of docs/meetings.md (12-HD/BTCTW 2018,
    42-HD/BTCTW 2025), judged from what its closing was given: attendance above 85 % of the
    members counted (the exempt are not), no unexcused absence, nobody excused more than 3
    times in a row in the cell's meetings of the year, 90 minutes (a regular meeting combined
    with a thematic one: 120 from 28/10/2025), prepared, enough speakers (2, and 30 % of those
    present, unless all of them spoke), complete minutes."""
    below, runs = {}, {}
    for h in sorted(held, key=lambda h: h.day):  # same day: in the order they were held
        counted = [(status, spoke) for _code, status, spoke in h.attendance if status != "exempt"]
        present = [spoke for status, spoke in counted if status in ("present", "online")]
        cell_year = (h.cell, h.day.year)
        before = runs.get(cell_year, {})
        runs[cell_year] = {code: before.get(code, 0) + 1
                           for code, status, _spoke in h.attendance if status == "excused"}
        needed = 120 if h.combined and h.day >= COMBINED_120_FROM else 90
        speakers = sum(present)
        below[h.code] = any([
            not counted or 100 * len(present) <= 85 * len(counted),
            any(status == "unexcused" for status, _spoke in counted),
            any(n > 3 for n in runs[cell_year].values()),
            h.duration < needed,
            not h.prepared,
            speakers < max(2, -(-30 * len(present) // 100)) and speakers < len(present),
            not h.minutes_complete,
        ])
    return below


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
    below = below_quality(held)
    for h in held:
        # A meeting falls in S when its cell lay in S's subtree on the meeting day, as the tree
        # was that day (a cell merged or dissolved that day no longer lay anywhere).
        if start <= h.day <= end and h.cell in world.tree(h.day).below(scope):
            for key, n in counts_of(h, below[h.code]).items():
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
    if "meetings.below_quality" in expected:
        note(f"meetings below quality: {expected['meetings.below_quality'] > 0}")
        note("meetings of quality: "
             f"{expected['meetings.held'] > expected['meetings.below_quality']}")
    children = engine.compute_children(org, request) or []
    for period, values in children:
        child = period.organization.code
        assert values == expected_keys(world, held, child, request), (code, child, request)


STEP = st.tuples(
    st.sampled_from([0, 1, 6, 12, 20, 31, 45, 200]),  # days after the previous step
    st.sampled_from(["admit", "admit", "meet", "meet", "meet", "meet", "meet", "visit", "move",
                     "move", "merge", "dissolve", "create_cell", "transfer", "end", "readmit",
                     "refuse"]),
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


@settings(max_examples=examples(60),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=st.sampled_from([START, COMBINED_120_FROM - timedelta(days=90)]),
       founders=st.lists(FOUNDER, min_size=2, max_size=4), leavers=st.integers(1, 2),
       steps=histories(STEP, max_size=16, key_ops=[*KEY_OPS, "meet", "meet"]),
       probes=st.lists(PROBE, min_size=3, max_size=5),
       listed=st.sampled_from([stocks.LISTED, 0]))
def test_meeting_metrics_match_a_replay_of_the_definitions(base_tree, start,  # noqa: F811
                                                           founders, leavers, steps, probes,
                                                           listed):
    # listed=0: the cells and the moved cells are selected by subqueries, as in a province
    with transaction.atomic(), mock.patch.object(stocks, "LISTED", listed):
        world = starting_world()
        history = Meetings(world, note=event)
        history.day = start  # in the 2000s, or just before the rule of 28/10/2025
        history.begin(founders, leavers)
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
                     (10, "move", 3, 0, 0, young), (5, "meet", 2, 0, 1, young)]:
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
