"""Statistics against a plain replay of the definitions (hypothesis).

Random small histories are made through the services — organizations created, moved, merged,
renamed, dissolved; villages; members admitted, arriving from outside, recognized, transferred,
exempted, ended, readmitted, their profiles corrected; posts given and ended — and every metric
key of the engine (`compute`, `compute_children`, the drill-down count) is compared, for random
organizations, days and periods, with a replay written from spec/METRICS.md alone: it reads only
the facts the services accepted and a model of the tree, never the derived rows (member periods,
flow facts) the engine counts.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.members import services as member_services
from chibo.members.findings import (
    AGE_MONTHS,
    PROBATION_MONTHS,
    READMISSION_GAP_MONTHS,
    months_between,
)
from chibo.members.lifecycle import add_months
from chibo.members.models import Member, Position
from chibo.organizations import services as org_services
from chibo.organizations.choices import ALLOWED_PARENT_KINDS
from chibo.organizations.models import Organization, Village
from chibo.stats import engine
from tests.conftest import make_org
from tests.hypothesis_profiles import examples

D = date
FOUNDED = D(2000, 1, 1)
START = D(2004, 1, 1)

# code, kind, parent, village, sector
TREE = [
    ("P", "provincial", None, None, ""),
    ("D1", "district", "P", None, ""),
    ("D2", "district", "P", None, ""),
    ("B", "bloc", "P", None, ""),
    ("X1", "grassroots_committee", "D1", None, "commune"),
    ("X2", "grassroots_committee", "D1", None, "commune"),
    ("X3", "grassroots_committee", "D2", None, "commune"),
    ("X2P", "partial_committee", "X2", None, ""),
    ("X1C1", "cell", "X1", "V1", ""),
    ("X1C2", "cell", "X1", "V2", ""),
    ("X1C3", "cell", "X1", None, ""),
    ("X2C1", "cell", "X2", "V3", ""),
    ("X2PC1", "cell", "X2P", "V4", ""),
    ("X3C1", "cell", "X3", "V5", ""),
    ("G1", "grassroots_cell", "B", None, "agency"),
    ("G2", "grassroots_cell", "D2", None, "commune"),
]
VILLAGES = [("V1", "X1"), ("V2", "X1"), ("V3", "X2"), ("V4", "X2"), ("V5", "X3"), ("V6", "X3"),
            ("V7", "G2")]
HOLDING = {"cell", "grassroots_cell"}
COMMITTEES = {"grassroots_committee", "partial_committee"}
ENDING_KEYS = {"remove": "removed", "expel": "expelled", "leave": "left", "die": "died",
               "not_recognized": "not_recognized"}
MEMBER_KEYS = [k for k in engine.stock_keys() if k.startswith("members.")]


# The tree, as a plain model ------------------------------------------------------------------

@dataclass
class Tree:
    """The organizations alive on a day: parent and kind; merges and village links ever made."""

    parent: dict[str, str | None]
    kind: dict[str, str]
    village: dict[str, str | None]
    merged: dict[str, tuple[date, str]] = field(default_factory=dict)

    def below(self, code: str) -> set[str]:
        """`code` and its descendants (empty when `code` is not alive)."""
        if code not in self.parent:
            return set()
        found = set()
        for other in self.parent:
            chain = other
            while chain is not None and chain != code:
                chain = self.parent[chain]
            if chain == code:
                found.add(other)
        return found


@dataclass
class Fact:
    day: date
    order: int  # admission 0, arrival 1, official_on 2, events 3 (then their recorded order)
    seq: int
    kind: str
    org: str | None = None


@dataclass
class Person:
    code: str
    profile: dict
    facts: list[Fact]

    def ordered(self) -> list[Fact]:
        return sorted(self.facts, key=lambda f: (f.day, f.order, f.seq))


@dataclass
class Post:
    member: str
    role: str
    org: str | None
    village: str | None
    start: date
    end: date | None
    pk: int

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class World:
    """What the services accepted, and nothing derived from it by the application."""

    trees: list[tuple[date, Tree]]  # (from day, tree), in order
    villages: dict[str, tuple[str, date | None]]  # code -> (commune, established_on)
    established: dict[str, date]  # organization code -> established_on
    people: dict[str, Person] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)

    def tree(self, day: date) -> Tree:
        alive = [tree for start, tree in self.trees if start <= day]
        return alive[-1] if alive else Tree({}, self.trees[0][1].kind, {})

    def latest(self) -> Tree:
        return self.trees[-1][1]

    def change_tree(self, day: date, change) -> None:
        tree = copy.deepcopy(self.latest())
        change(tree)
        self.trees.append((day, tree))

    def resolve(self, code: str | None, day: date) -> str | None:
        """An organization followed through every merge effective on or before `day`."""
        merged = self.latest().merged
        while code in merged and merged[code][0] <= day:
            code = merged[code][1]
        return code

    def inside(self, code: str | None, scope: str, day: date) -> bool:
        """Whether `code` (followed through merges) lies in `scope`'s subtree on `day`."""
        return code is not None and self.resolve(code, day) in self.tree(day).below(scope)


# The replay of one member: state on a day, and the facts flows count -----------------------

@dataclass
class State:
    phase: str = "none"  # none, admitted (not yet in the tree), active, outside, ended, dead
    status: str = "probationary"
    exempt: bool = False
    cell: str | None = None


@dataclass(frozen=True)
class Counted:
    """An event that flow metrics count, with the cell(s) concerned and their reference days."""

    kind: str
    day: date
    cell: str | None
    ref: date
    from_cell: str | None = None
    from_ref: date | None = None


def apply(state: State, fact: Fact) -> None:
    if fact.kind == "admitted":
        state.phase = "admitted"
    elif fact.kind in ("arrive", "transfer", "readmit"):
        state.phase, state.cell = "active", fact.org
        if fact.kind == "readmit":
            state.status, state.exempt = "probationary", False
    elif fact.kind in ("official_on", "official"):
        state.status = "official"
    elif fact.kind == "transfer_out":
        state.phase = "outside"
    elif fact.kind == "exempt":
        state.exempt = True
    elif fact.kind == "exempt_end":
        state.exempt = False
    elif fact.kind in ENDING_KEYS:
        state.phase, state.exempt = ("dead" if fact.kind == "die" else "ended"), False


def state_on(person: Person, day: date) -> State:
    state = State()
    for fact in person.ordered():
        if fact.day > day:
            break
        apply(state, fact)
    return state


def counted_events(person: Person) -> list[Counted]:
    state, out = State(), []
    dawn: State = State()
    facts = person.ordered()
    admitted_on = next(f.day for f in facts if f.kind == "admitted")
    arrival = next(f.day for f in facts if f.kind == "arrive")
    for i, fact in enumerate(facts):
        if i == 0 or facts[i - 1].day != fact.day:
            dawn = copy.copy(state)  # the state at the end of the day before
        eve = fact.day - timedelta(days=1)
        at_dawn = dawn.cell if dawn.phase == "active" else None
        kind = fact.kind
        if kind == "admitted" and arrival == admitted_on:
            joined = next(f.org for f in facts if f.kind == "arrive")
            out.append(Counted("admitted", fact.day, joined, fact.day))
        elif kind == "arrive" and arrival > admitted_on:
            out.append(Counted("arrived", fact.day, fact.org, fact.day))
        elif kind == "official" or (kind == "official_on" and fact.day >= arrival):
            out.append(Counted("official", fact.day, state.cell, fact.day))
        elif kind == "readmit":
            out.append(Counted("admitted", fact.day, fact.org, fact.day))
        elif kind == "transfer":
            came_back = state.phase == "outside"
            out.append(Counted("transfer", fact.day, fact.org, fact.day,
                               None if came_back else at_dawn, eve))
        elif kind == "transfer_out" or kind in ENDING_KEYS:
            out.append(Counted(kind, fact.day, at_dawn, eve))
        apply(state, fact)
    return out


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# The metrics, from the definitions ------------------------------------------------------------

def profile_keys(p: dict, day: date) -> set[str]:
    """The member stock keys that a person with profile `p` counts in on `day`, by profile."""
    keys = {"members.total"}
    if p["gender"] == "female":
        keys.add("members.female")
    if p["ethnicity"] != "Kinh":
        keys.add("members.ethnic_minority")
    if p["religion"]:
        keys.add("members.religious")
    if p["general_education"] in ("12/12", "10/10"):
        keys.add("members.general.high_school")
    level = p["professional_level"] or "none"
    keys.add(f"members.professional.{level}")
    if level != "none":
        keys.add("members.professional.any")
    if level in ("university", "master", "doctor"):
        keys.add("members.professional.university_plus")
    keys.add(f"members.theory.{p['theory_level'] or 'none'}")
    age = age_on(p["birth_date"], day)
    band = ("upto_30" if age <= 30 else "31_40" if age <= 40 else "41_50" if age <= 50
            else "51_60" if age <= 60 else "over_60")
    keys.add(f"members.age.{band}")
    return keys


SECTORS = {code: sector for code, _kind, _parent, _village, sector in TREE}
WORKING_SECTORS = {"agency", "public_service_unit", "state_enterprise", "non_state_enterprise",
                   "army", "police"}


def working(tree: Tree, cell: str) -> bool:
    """METRICS-v2 `liaison.working_members`: the cell's grassroots organization (itself or the
    nearest above) has a working sector."""
    code = cell
    while code is not None:
        if tree.kind[code] in ("grassroots_committee", "grassroots_cell"):
            return SECTORS.get(code, "") in WORKING_SECTORS
        code = tree.parent[code]
    return False


def expected_stocks(world: World, scope: str, day: date) -> dict[str, int]:
    values = dict.fromkeys(engine.stock_keys(), 0)
    tree = world.tree(day)
    if scope not in tree.parent:
        return values
    subtree = tree.below(scope)
    active_in: dict[str, int] = {}  # cell -> active members that day
    for person in world.people.values():
        state = state_on(person, day)
        if state.phase != "active":
            continue
        cell = world.resolve(state.cell, day)
        active_in[cell] = active_in.get(cell, 0) + 1
        if cell not in subtree:
            continue
        keys = profile_keys(person.profile, day)
        keys.add(f"members.{state.status}")
        if state.exempt:
            keys.add("members.exempt")
        if working(tree, cell):
            keys.add("liaison.working_members")
        for key in keys:
            values[key] += 1
    for code in subtree:
        kind = tree.kind[code]
        if f"orgs.{kind}" in values:  # provincial, district and bloc committees have no key
            values[f"orgs.{kind}"] += 1
        if kind in ("grassroots_committee", "grassroots_cell"):
            values["orgs.grassroots"] += 1
    cells_of_village = {tree.village.get(c) for c in tree.parent if tree.kind[c] in HOLDING}
    for village, (commune, established) in world.villages.items():
        if established is not None and established > day:
            continue
        if world.resolve(commune, day) in subtree:
            values["villages.total"] += 1
            values["villages.with_cell"] += village in cells_of_village
    held = [post for post in world.posts if post.holds(day)]

    def holders(role: str, cell: str) -> set[str]:
        return {p.member for p in held if p.role == role and world.resolve(p.org, day) == cell}

    def village_holders(role: str, village: str) -> set[str]:
        return {p.member for p in held if p.role == role and p.village == village}

    officials = {p.member for p in held if p.role == "commune_official"}
    for cell in subtree:
        village = tree.village.get(cell)
        if tree.kind[cell] not in HOLDING or village is None:
            continue
        secretaries = holders("secretary", cell)
        values["village_cells.total"] += 1
        values["village_cells.small"] += active_in.get(cell, 0) < 7
        values["village_cells.secretary_village_head"] += bool(
            secretaries & village_holders("village_head", village))
        values["village_cells.secretary_front_head"] += bool(
            secretaries & village_holders("front_work_head", village))
        values["village_cells.deputy_commune_official"] += bool(
            holders("deputy_secretary", cell) & officials)
    return values


def expected_flows(world: World, scope: str, start: date, end: date) -> dict[str, int]:
    values = dict.fromkeys(engine.flows.FLOW_KEYS, 0)
    for person in world.people.values():
        p = person.profile
        for e in counted_events(person):
            if not start <= e.day <= end:
                continue
            inside = world.inside(e.cell, scope, e.ref)
            if e.kind == "admitted" and inside:
                keys = {"admitted"}
                keys |= {"admitted.female"} if p["gender"] == "female" else set()
                keys |= {"admitted.ethnic_minority"} if p["ethnicity"] != "Kinh" else set()
                keys |= {"admitted.upto_30"} if age_on(p["birth_date"], e.day) <= 30 else set()
                keys |= ({"admitted.high_school"}
                         if p["general_education"] in ("12/12", "10/10") else set())
                level = p["professional_level"] or "none"
                keys |= {"admitted.professional_any"} if level != "none" else set()
                keys |= ({"admitted.university_plus"}
                         if level in ("university", "master", "doctor") else set())
                for key in keys:
                    values[key] += 1
            elif e.kind == "official":
                values["recognized_official"] += inside
            elif e.kind in ENDING_KEYS:
                values[ENDING_KEYS[e.kind]] += inside
            elif e.kind == "arrived":
                values["transferred_in"] += inside
            elif e.kind == "transfer_out":
                values["transferred_out"] += inside
            elif e.kind == "transfer":
                was_inside = e.from_ref is not None and world.inside(e.from_cell, scope,
                                                                      e.from_ref)
                values["transferred_in"] += inside and not was_inside
                values["transferred_out"] += was_inside and not inside
    return values


# Making histories through the services ------------------------------------------------------

PROFILES = st.fixed_dictionaries({
    "gender": st.sampled_from(["male", "female"]),
    "age": st.sampled_from([18, 30, 31, 40, 41, 50, 51, 60, 61]),
    "ethnicity": st.sampled_from(["Kinh", "Kinh", "Tày", "Dao"]),
    "religion": st.sampled_from(["", "", "Phật giáo"]),
    "general_education": st.sampled_from(["12/12", "10/10", "9/12", ""]),
    "professional_level": st.sampled_from(["", "none", "intermediate", "university", "doctor"]),
    "theory_level": st.sampled_from(["", "none", "elementary", "advanced"]),
    "days": st.sampled_from([0, 1, 200, None]),  # days older than `age` years at admission
})
ENDINGS = list(ENDING_KEYS)
POST_ROLES = ["secretary", "deputy_secretary", "village_head", "front_work_head",
              "commune_official"]
UPDATABLE = ["gender", "ethnicity", "religion", "general_education", "professional_level",
             "theory_level", "birth_date"]
# Each kind of step as often as it is listed. Every step is drawn from what exists and is
# eligible on its day (History), so that the changes statistics must follow across the tree —
# moves, merges, transfers, readmissions — are accepted in most examples; `refuse` steps are
# made invalid on purpose and must be refused for the reason the model names.
OPS = ["admit", "admit", "arrive", "official", "transfer", "transfer", "transfer_out",
       "exempt", "end", "end", "readmit", "update", "post", "end_post", "move", "move", "merge",
       "merge", "rename", "dissolve", "create_cell", "village", "refuse", "refuse"]
# The changes statistics must follow across the tree and through time, and a change the rules
# refuse: each history has at least one step of each, anywhere among the others.
KEY_OPS = ["move", "merge", "transfer", "readmit", "refuse"]
REFUSALS = ["move_cycle", "move_kind", "merge_kind", "dissolve_not_empty", "event_lifecycle",
            "official_early", "readmit_early", "secretary_taken"]
STEP = st.tuples(
    st.sampled_from([0, 1, 30, 200, 400, 1200]),  # days after the previous step
    st.sampled_from(OPS),
    st.integers(0, 60), st.integers(0, 60), st.integers(0, 10),  # which one(s), see History
    PROFILES,
)


def histories(step=STEP, max_size: int = 18, key_ops=tuple(KEY_OPS)):
    """Steps (2 to `max_size` drawn from `step`), with one step of each of `key_ops` inserted
    at a place of its own."""
    @st.composite
    def build(draw) -> list[tuple]:
        steps = draw(st.lists(step, min_size=2, max_size=max_size))
        for op in key_ops:
            gap, _op, *numbers = draw(step)
            steps.insert(draw(st.integers(0, len(steps))), (gap, op, *numbers))
        return steps

    return build()


# Members admitted on the first day (into a cell picked by the number), so that the steps find
# members to transfer, end and readmit from the start (History.begin).
FOUNDER = st.tuples(st.integers(0, 60), PROFILES)
# (which organization, as-of day, period start, period length): days are picked among the days
# of the history's steps and their eves (where the answers change), or any day
PROBE = st.tuples(st.integers(0, 40), st.integers(-40, 40), st.integers(-40, 40),
                  st.sampled_from([0, 1, 30, 400, 3000, 10000]))
BUSY = ["P", "P", "D1", "X1", "X1C1"]  # organizations probed more often than the others


class Nothing(Exception):
    """Nothing in the history's state to make the step with (no member, post or organization
    eligible that day): the step does nothing."""


@dataclass(frozen=True)
class Refusal:
    """A change the services must refuse: the call, and the code and field of its error."""

    call: Callable[[], object]
    code: str
    field: str


class History:
    """Applies steps through the services and records what they accepted in `world`.

    A step names its kind and three numbers that pick among the candidates the model holds
    eligible that day (members in the right phase, organizations of kinds that fit, free
    villages and secretary posts), so the services must accept it: a refusal fails the test.
    A `refuse` step builds a change the rules forbid, and the service must refuse it with the
    error the model expects, writing nothing. `note` receives each step's outcome (hypothesis'
    `event`, for --hypothesis-show-statistics); `outcomes` keeps them.
    """

    def __init__(self, world: World, note=lambda outcome: None):
        self.world, self.day, self.serial = world, START, 0
        self.days = {START}
        self.outcomes: list[str] = []
        self._note = note

    def begin(self, founders: list[tuple], leavers: int) -> None:
        """Members admitted on the history's first day (FOUNDER), the first `leavers` of them
        removed the next day: readmissible three years later."""
        for cell, profile in founders:
            self.step(0, "admit", cell, 0, 1, profile)
        for _ in range(leavers):
            self.step(1, "end", 0, 0, 0, founders[0][1])

    def note(self, outcome: str) -> None:
        self.outcomes.append(outcome)
        self._note(outcome)

    def probe_day(self, n: int) -> date:
        """A day of a step, or its eve (n < 0), or (n beyond the steps) some day around."""
        days = sorted(self.days)
        if abs(n) < 3 * len(days):
            return days[abs(n) % len(days)] - timedelta(days=1 if n < 0 else 0)
        return START + timedelta(days=(n * 337) % 7000 - 200)

    def org(self, code: str) -> Organization:
        return Organization.objects.get(code=code)

    def pick(self, options, n: int):
        options = sorted(options)
        if not options:
            raise Nothing
        return options[n % len(options)]

    def alive(self, kinds: set[str]) -> list[str]:
        tree = self.world.latest()
        return [c for c in tree.parent if tree.kind[c] in kinds]

    def step(self, gap, op, a, b, c, profile) -> None:
        self.day += timedelta(days=gap)
        try:
            if op == "refuse":
                outcome = f"{self.refuse(a, b, c)} refused"
            else:
                outcome = f"{getattr(self, op)(a, b, c, profile) or op} accepted"
        except Nothing:
            outcome = f"{op}: nothing eligible"
        self.days.add(self.day)
        self.note(outcome)

    def refuse(self, a, b, c) -> str:
        kind = REFUSALS[b % len(REFUSALS)]
        refusal = getattr(self, f"refusal_{kind}")(a, c)
        written = AuditRecord.objects.count()
        with pytest.raises(RuleViolation) as refused:
            refusal.call()
        assert (refused.value.code, refused.value.field) == (refusal.code, refusal.field), (
            kind, refused.value.messages)
        assert AuditRecord.objects.count() == written, kind
        return kind

    # what the model says of members -------------------------------------------------------------
    def state(self, code: str) -> State:
        return state_on(self.world.people[code], self.day)

    def members(self, eligible) -> list[str]:
        """The members for whom `eligible(code, state today)` holds."""
        return [code for code in self.world.people if eligible(code, self.state(code))]

    def waiting_official(self, code: str) -> bool:
        """Recognized from a day still to come (`official_on`): until then the member can only
        stay an active probationary member, which the replay checks when it applies that day."""
        return any(f.kind == "official_on" and f.day > self.day
                   for f in self.world.people[code].facts)

    def probation_from(self, code: str) -> date:
        return max(f.day for f in self.world.people[code].facts
                   if f.kind in ("admitted", "readmit"))

    def may_leave(self, code: str, state: State) -> bool:
        return state.phase == "active" and not self.waiting_official(code)

    def readmissible(self, code: str) -> date | None:
        """The first day from today on which the member may be readmitted without an exception
        (36 months after the end, once only, aged 18 to 60 by month), or None."""
        person = self.world.people[code]
        if self.state(code).phase != "ended" or any(f.kind == "readmit" for f in person.facts):
            return None
        ended = max(f.day for f in person.facts if f.kind in ENDING_KEYS)
        day = max(self.day, add_months(ended, READMISSION_GAP_MONTHS))
        low, high = AGE_MONTHS
        return day if low <= months_between(person.profile["birth_date"], day) <= high else None

    def active_in(self, cell: str) -> bool:
        return any(state.phase == "active" and self.world.resolve(state.cell, self.day) == cell
                   for state in map(self.state, self.world.people))

    def secretary_free(self, org: str) -> bool:
        return not any(p.role == "secretary" and p.org == org and (p.end is None
                                                                   or p.end >= self.day)
                       for p in self.world.posts)

    # members ----------------------------------------------------------------------------------
    def _new(self, cell: str, admitted: date, since: date | None, official: date | None,
             profile: dict) -> None:
        self.serial += 1
        code = f"M{self.serial:03}"
        if profile["days"] is None:  # born on 29 February, `age` or so years before
            year = admitted.year - profile["age"]
            birth = D(year - year % 4, 2, 29)
        else:
            birth = D(admitted.year - profile["age"], admitted.month, min(admitted.day, 28))
            birth -= timedelta(days=profile["days"])
        values = {k: v for k, v in profile.items() if k not in ("gender", "age", "days")}
        member_services.admit_member(member_services.NewMember(
            member_code=code, full_name=f"Người {code}", gender=profile["gender"],
            birth_date=birth, admitted_on=admitted, cell=self.org(cell), official_on=official,
            org_since=since, profile={**values, "age_exception": "QĐ 1"}), actor=SYSTEM)
        facts = [Fact(admitted, 0, 0, "admitted"), Fact(since or admitted, 1, 0, "arrive", cell)]
        if official is not None:
            facts.append(Fact(official, 2, 0, "official_on"))
        person_profile = {**values, "gender": profile["gender"], "birth_date": birth}
        self.world.people[code] = Person(code, person_profile, facts)

    def admit(self, a, b, c, profile):
        cell = self.pick(self.alive(HOLDING), a)
        official = self.day + timedelta(days=400) if c % 3 == 0 else None
        self._new(cell, self.day, None, official, profile)

    def arrive(self, a, b, c, profile):
        cell = self.pick(self.alive(HOLDING), a)
        admitted = self.day - timedelta(days=150 * (b % 12 + 1))
        official = [None, admitted + timedelta(days=370), self.day,
                    self.day + timedelta(days=30)][c % 4]
        if official is not None and official < admitted + timedelta(days=366):
            official = None
        self._new(cell, admitted, self.day, official, profile)

    def _record(self, code: str, kind: str, target: str | None = None) -> None:
        member_services.record_event(Member.objects.get(member_code=code), actor=SYSTEM,
                                     event=kind, effective_on=self.day,
                                     org=self.org(target) if target else None)
        person = self.world.people[code]
        person.facts.append(Fact(self.day, 3, len(person.facts), kind, target))

    def official(self, a, b, c, profile):
        """A probationary member 12 months after their admission (or readmission)."""
        self._record(self.pick(self.members(lambda code, s: (
            self.may_leave(code, s) and s.status == "probationary"
            and self.day >= add_months(self.probation_from(code), PROBATION_MONTHS))), a),
            "official")

    def transfer(self, a, b, c, profile):
        """An active member to another cell, or one transferred out coming back."""
        code = self.pick(self.members(lambda code, s: s.phase in ("active", "outside")), a)
        state = self.state(code)
        cells = [cell for cell in self.alive(HOLDING)
                 if state.phase == "outside" or cell != state.cell]
        self._record(code, "transfer", self.pick(cells, b))

    def transfer_out(self, a, b, c, profile):
        self._record(self.pick(self.members(self.may_leave), a), "transfer_out")

    def exempt(self, a, b, c, profile):
        code = self.pick(self.members(lambda code, s: s.phase == "active"), a)
        kind = "exempt_end" if self.state(code).exempt else "exempt"
        self._record(code, kind)
        return kind

    def end(self, a, b, c, profile):
        kind = ENDINGS[b % len(ENDINGS)]
        self._record(self.pick(self.members(lambda code, s: self.may_leave(code, s) and (
            kind != "not_recognized" or s.status == "probationary")), a), kind)
        return kind

    def readmit(self, a, b, c, profile):
        """A member whose membership ended, on the first day from today that the regulation
        allows (the history waits for it)."""
        eligible = {code: day for code in self.world.people
                    if (day := self.readmissible(code)) is not None}
        code = self.pick(eligible, a)
        self.day = eligible[code]
        self._record(code, "readmit", self.pick(self.alive(HOLDING), b))

    def update(self, a, b, c, profile):
        name = UPDATABLE[b % len(UPDATABLE)]

        def value(person: Person):
            if name == "birth_date":
                return person.profile["birth_date"] - timedelta(days=365 * (c + 1))
            return profile[name]

        def allowed(person: Person) -> bool:
            """An earlier birth date must keep every readmission at 60 or younger (the first
            admission has its age decision)."""
            return name != "birth_date" or all(
                months_between(value(person), f.day) <= AGE_MONTHS[1]
                for f in person.facts if f.kind == "readmit")

        code = self.pick([code for code, person in self.world.people.items()
                          if allowed(person)], a)
        person = self.world.people[code]
        member_services.update_member(Member.objects.get(member_code=code), actor=SYSTEM,
                                      **{name: value(person)})
        person.profile[name] = value(person)

    # posts ------------------------------------------------------------------------------------
    def post(self, a, b, c, profile):
        code = self.pick(self.world.people, a)
        role = POST_ROLES[b % len(POST_ROLES)]
        org = village = None
        if role in ("village_head", "front_work_head"):
            village = self.pick(self.world.villages, c)
        elif role == "commune_official":
            org = self.pick(self.alive({"grassroots_committee", "grassroots_cell"}), c)
        elif role == "secretary":
            org = self.pick(filter(self.secretary_free, self.alive(HOLDING)), c)
        else:
            org = self.pick(self.alive(HOLDING), c)
        end = self.day + timedelta(days=300 * (c % 3)) if c % 2 else None
        position = member_services.assign_post(
            Member.objects.get(member_code=code), actor=SYSTEM, role=role, start_on=self.day,
            end_on=end, org=self.org(org) if org else None,
            village=Village.objects.get(code=village) if village else None)
        self.world.posts.append(Post(code, role, org, village, self.day, end, position.pk))

    def end_post(self, a, b, c, profile):
        open_posts = {p.pk: p for p in self.world.posts if p.end is None}
        post = open_posts[self.pick(open_posts, a)]
        member_services.end_post(Position.objects.get(pk=post.pk), actor=SYSTEM,
                                 end_on=self.day)
        post.end = self.day

    # the tree ---------------------------------------------------------------------------------
    def children(self, code: str) -> list[str]:
        return [c for c, parent in self.world.latest().parent.items() if parent == code]

    def move_targets(self, code: str) -> list[str]:
        """Parents `code` may move under: of a kind it fits, not its own, not below it."""
        tree = self.world.latest()
        below = tree.below(code)
        return [p for p in tree.parent if tree.kind[p] in ALLOWED_PARENT_KINDS[tree.kind[code]]
                and p != tree.parent[code] and p not in below]

    def merge_targets(self, code: str) -> list[str]:
        """What `code` may merge into: a cell into a cell, a committee into one of its kind,
        not below it, where its children fit."""
        tree = self.world.latest()
        kind, below = tree.kind[code], tree.below(code)
        return [t for t in tree.parent if t not in below
                and (tree.kind[t] in HOLDING if kind in HOLDING else tree.kind[t] == kind)
                and all(tree.kind[t] in ALLOWED_PARENT_KINDS[tree.kind[child]]
                        for child in self.children(code))]

    def may_end(self, code: str) -> bool:
        """Merged or dissolved only after the day it was established, and not on a day a member
        came into it (their history would begin in a cell that no longer exists that day: the
        merge is refused as the member's replay fails)."""
        came_today = any(f.day == self.day and f.org == code
                         for person in self.world.people.values() for f in person.facts)
        return self.world.established[code] < self.day and not came_today

    def move(self, a, b, c, profile):
        code = self.pick([c for c in self.alive(HOLDING | COMMITTEES) if self.move_targets(c)],
                         a)
        target = self.pick(self.move_targets(code), b)
        org_services.move_organization(self.org(code), actor=SYSTEM,
                                       new_parent=self.org(target), effective_on=self.day)
        self.world.change_tree(self.day, lambda t: t.parent.__setitem__(code, target))

    def merge(self, a, b, c, profile):
        code = self.pick([c for c in self.alive(HOLDING | COMMITTEES)
                          if self.may_end(c) and self.merge_targets(c)], a)
        target = self.pick(self.merge_targets(code), b)
        org_services.merge_organization(self.org(code), actor=SYSTEM, into=self.org(target),
                                        effective_on=self.day)

        def merge(tree: Tree) -> None:
            for child in [o for o, parent in tree.parent.items() if parent == code]:
                tree.parent[child] = target
            del tree.parent[code]
            tree.merged[code] = (self.day, target)

        self.world.change_tree(self.day, merge)

    def rename(self, a, b, c, profile):
        code = self.pick(self.world.latest().parent, a)
        self.serial += 1
        org_services.rename_organization(self.org(code), actor=SYSTEM,
                                         new_name=f"Tên {self.serial}", effective_on=self.day)

    def dissolve(self, a, b, c, profile):
        """An organization with no organization below it and no member in it."""
        code = self.pick([c for c in self.alive(HOLDING | COMMITTEES) if self.may_end(c)
                          and not self.children(c) and not self.active_in(c)], a)
        org_services.dissolve_organization(self.org(code), actor=SYSTEM, effective_on=self.day)
        self.world.change_tree(self.day, lambda t: t.parent.pop(code))

    def create_cell(self, a, b, c, profile):
        """A cell under a committee, linked to a village that has no cell (or to none)."""
        tree = self.world.latest()
        parent = self.pick(self.alive(COMMITTEES), a)
        taken = {tree.village.get(c) for c in tree.parent}
        free = [v for v in self.world.villages if v not in taken]
        village = self.pick(free, b) if c % 2 and free else None
        self.serial += 1
        code = f"N{self.serial:03}"
        make_org(code, f"Chi bộ {code}", "cell", self.org(parent), established_on=self.day,
                 village=Village.objects.get(code=village) if village else None)
        self.world.established[code] = self.day

        def create(tree: Tree) -> None:
            tree.parent[code], tree.kind[code], tree.village[code] = parent, "cell", village

        self.world.change_tree(self.day, create)

    def village(self, a, b, c, profile):
        commune = self.pick(self.alive({"grassroots_committee", "grassroots_cell"}), a)
        self.serial += 1
        code = f"NV{self.serial:03}"
        established = self.day if c % 2 else None
        org_services.create_village(actor=SYSTEM, code=code, name=f"Thôn {code}",
                                    kind="village", commune=self.org(commune),
                                    established_on=established)
        self.world.villages[code] = (commune, established)

    # changes the rules forbid -------------------------------------------------------------------
    def _move(self, code: str, target: str) -> Callable[[], object]:
        return lambda: org_services.move_organization(
            self.org(code), actor=SYSTEM, new_parent=self.org(target), effective_on=self.day)

    def refusal_move_cycle(self, a, c) -> Refusal:
        """Under one of its own descendants."""
        tree = self.world.latest()
        code = self.pick([o for o in tree.parent if len(tree.below(o)) > 1], a)
        return Refusal(self._move(code, self.pick(tree.below(code) - {code}, c)), "cycle",
                       "new_parent")

    def refusal_move_kind(self, a, c) -> Refusal:
        """Under an organization of a kind it cannot stand under."""
        tree = self.world.latest()

        def unfit(code: str) -> list[str]:
            below = tree.below(code)
            return [p for p in tree.parent if p not in below and p != tree.parent[code]
                    and tree.kind[p] not in ALLOWED_PARENT_KINDS[tree.kind[code]]]

        code = self.pick([o for o in tree.parent if unfit(o)], a)
        return Refusal(self._move(code, self.pick(unfit(code), c)), "kind", "new_parent")

    def refusal_merge_kind(self, a, c) -> Refusal:
        """A cell into a committee, or a committee into another kind of organization."""
        tree = self.world.latest()

        def unfit(code: str) -> list[str]:
            kind, below = tree.kind[code], tree.below(code)
            return [t for t in tree.parent if t not in below and (
                tree.kind[t] not in HOLDING if kind in HOLDING else tree.kind[t] != kind)]

        code = self.pick([o for o in self.alive(HOLDING | COMMITTEES)
                          if self.may_end(o) and unfit(o)], a)
        into = self.pick(unfit(code), c)
        return Refusal(lambda: org_services.merge_organization(
            self.org(code), actor=SYSTEM, into=self.org(into), effective_on=self.day),
            "kind", "into")

    def refusal_dissolve_not_empty(self, a, c) -> Refusal:
        """An organization that still has organizations or members in it."""
        code = self.pick([o for o in self.alive(HOLDING | COMMITTEES) if self.may_end(o)
                          and (self.children(o) or self.active_in(o))], a)
        return Refusal(lambda: org_services.dissolve_organization(
            self.org(code), actor=SYSTEM, effective_on=self.day), "not_empty", "effective_on")

    def _event(self, code: str, kind: str, target: str | None = None) -> Callable[[], object]:
        return lambda: member_services.record_event(
            Member.objects.get(member_code=code), actor=SYSTEM, event=kind,
            effective_on=self.day, org=self.org(target) if target else None)

    def refusal_event_lifecycle(self, a, c) -> Refusal:
        """An exemption's end for a member not exempt; an exemption for one who is, or who is
        not active (ended, dead, transferred out)."""
        code = self.pick(self.world.people, a)
        state = self.state(code)
        kind = "exempt_end" if state.phase == "active" and not state.exempt else "exempt"
        return Refusal(self._event(code, kind), "lifecycle", "event")

    def refusal_official_early(self, a, c) -> Refusal:
        """A recognition before 12 months of probation: a finding, refused without the
        decision that allowed it."""
        code = self.pick(self.members(lambda code, s: (
            self.may_leave(code, s) and s.status == "probationary"
            and self.day < add_months(self.probation_from(code), PROBATION_MONTHS))), a)
        return Refusal(self._event(code, "official"), "finding", "effective_on")

    def refusal_readmit_early(self, a, c) -> Refusal:
        """A readmission before 36 months since the end, or a second one."""
        low, high = AGE_MONTHS

        def early(code: str, state: State) -> bool:
            person = self.world.people[code]
            return (state.phase == "ended" and self.readmissible(code) != self.day
                    and low <= months_between(person.profile["birth_date"], self.day) <= high)

        code = self.pick(self.members(early), a)
        return Refusal(self._event(code, "readmit", self.pick(self.alive(HOLDING), c)),
                       "finding", "effective_on")

    def refusal_secretary_taken(self, a, c) -> Refusal:
        """A second secretary of a cell while the first holds the post."""
        cell = self.pick([o for o in self.alive(HOLDING) if not self.secretary_free(o)], c)
        member = Member.objects.get(member_code=self.pick(self.world.people, a))
        return Refusal(lambda: member_services.assign_post(
            member, actor=SYSTEM, role="secretary", start_on=self.day, org=self.org(cell)),
            "secretary_taken", "start_on")


@pytest.fixture
def base_tree(db) -> None:
    """The starting tree, built once for the property test (each example rolls back to it)."""
    orgs: dict[str, Organization] = {}
    for code, kind, parent, _village, sector in TREE:
        if kind != "cell":  # cells after the villages they are linked to
            orgs[code] = make_org(code, f"Tổ chức {code}", kind, orgs.get(parent), FOUNDED,
                                  sector)
    villages = {code: org_services.create_village(actor=SYSTEM, code=code, name=f"Thôn {code}",
                                                  kind="village", commune=orgs[commune])
                for code, commune in VILLAGES}
    for code, kind, parent, village, _sector in TREE:
        if kind == "cell":
            make_org(code, f"Chi bộ {code}", kind, orgs[parent], FOUNDED,
                     village=villages.get(village))


def starting_world() -> World:
    tree = Tree(parent={c: p for c, _k, p, _v, _s in TREE}, kind={c: k for c, k, *_ in TREE},
                village={c: v for c, _k, _p, v, _s in TREE})
    return World(trees=[(FOUNDED, tree)],
                 villages={code: (commune, None) for code, commune in VILLAGES},
                 established=dict.fromkeys(tree.parent, FOUNDED))


def check(world: World, code: str, request: engine.Request, note=lambda what: None) -> None:
    org = Organization.objects.get(code=code)
    expected = expected_stocks(world, code, request.as_of) | expected_flows(
        world, code, request.date_from, request.date_to)
    got = engine.compute(org, request)
    wrong = {k: (got[k], expected[k]) for k in expected if got[k] != expected[k]}
    assert not wrong, (code, request, wrong)
    note(f"members counted: {expected['members.total'] > 0}")
    note(f"flows counted: {any(expected[k] for k in engine.flows.FLOW_KEYS)}")
    tree = world.tree(request.as_of)
    children = engine.compute_children(org, request)
    if code not in tree.parent:
        assert children is None
        return
    codes = sorted(c for c, parent in tree.parent.items() if parent == code)
    assert [period.organization.code for period, _values in children] == codes
    for (_period, values), child in zip(children, codes, strict=True):
        expected = expected_stocks(world, child, request.as_of) | expected_flows(
            world, child, request.date_from, request.date_to)
        wrong = {k: (values[k], expected[k]) for k in expected if values[k] != expected[k]}
        assert not wrong, (code, child, request, wrong)


@settings(max_examples=examples(35),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(founders=st.lists(FOUNDER, min_size=2, max_size=4), leavers=st.integers(1, 2),
       steps=histories(),
       probes=st.lists(PROBE, min_size=3, max_size=4))
def test_every_metric_matches_a_replay_of_the_definitions(base_tree, founders, leavers, steps,
                                                          probes):
    with transaction.atomic():
        world = starting_world()
        history = History(world, note=event)
        history.begin(founders, leavers)
        for step in steps:
            history.step(*step)
        codes = BUSY + sorted(world.latest().kind)
        for pick, as_of, start, length in probes:
            date_from = history.probe_day(start)
            request = engine.Request.parse(history.probe_day(as_of), date_from,
                                           date_from + timedelta(days=length))
            check(world, codes[pick % len(codes)], request, note=event)
        transaction.set_rollback(True)


def test_drill_down_counts_match_the_replay(base_tree):
    """A fixed small history: the records behind each number are as many as the replay says."""
    with transaction.atomic():
        world = starting_world()
        history = History(world)
        young = {"gender": "female", "age": 25, "days": 3, "ethnicity": "Tày", "religion": "",
                 "general_education": "12/12", "professional_level": "university",
                 "theory_level": "none"}
        old = young | {"gender": "male", "age": 59, "ethnicity": "Kinh",
                       "professional_level": ""}
        for step in [(0, "admit", 0, 0, 0, young), (0, "admit", 1, 0, 1, old),
                     (30, "arrive", 2, 3, 1, young), (0, "post", 0, 0, 0, old),
                     (400, "official", 0, 0, 0, old), (30, "transfer", 1, 1, 3, old),
                     (30, "merge", 0, 1, 0, old), (400, "end", 2, 0, 0, old),
                     (0, "readmit", 0, 2, 0, old), (30, "move", 3, 0, 0, old)]:
            history.step(*step)
        assert history.outcomes == [
            "admit accepted", "admit accepted", "arrive accepted", "post accepted",
            "official accepted", "transfer accepted", "merge accepted", "remove accepted",
            "readmit accepted", "move accepted"]
        request = engine.Request.parse(history.day, START, history.day)
        for code in ("P", "X1", "D2"):
            org = Organization.objects.get(code=code)
            expected = expected_stocks(world, code, history.day) | expected_flows(
                world, code, START, history.day)
            assert sum(expected.values()) > 0
            for key, number in expected.items():
                assert engine.records(org, request, key).count() == number, (code, key)
        transaction.set_rollback(True)


def test_a_corrected_profile_counts_at_once_in_every_period(base_tree):
    """Member periods carry copies of the attributes statistics count by: a correction through
    `update_member` reaches all of them (the name's sort key too, for drill-down order)."""
    world = starting_world()
    history = History(world)
    profile = {"gender": "male", "age": 35, "days": 0, "ethnicity": "Kinh", "religion": "",
               "general_education": "9/12", "professional_level": "", "theory_level": ""}
    history.step(0, "admit", 0, 0, 0, profile)
    history.step(400, "transfer", 0, 1, 2, profile)  # two periods
    member = Member.objects.get(member_code="M001")
    assert member.periods.count() == 2
    member_services.update_member(member, actor=SYSTEM, gender="female", ethnicity="Tày",
                                  professional_level="master", full_name="Bế Thị Ánh")
    request = engine.Request.parse(history.day, metrics="members.female,"
                                   "members.ethnic_minority,members.professional.master")
    assert engine.compute(Organization.objects.get(code="P"), request) == {
        "members.female": 1, "members.ethnic_minority": 1, "members.professional.master": 1}
    member.refresh_from_db()
    assert set(member.periods.values_list("gender", "ethnicity", "sort_key")) == {
        ("female", "Tày", member.sort_key)}
