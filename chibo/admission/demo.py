"""The demo province's candidates (candidates.csv): the files behind its recent admissions and
the candidates still on the way.

* Every member the demo admitted in a cell since ADMITTED_FROM (members.csv `admitted_on`,
  `joined_org`; not readmissions, not members who arrived from elsewhere) gets the candidate's
  file that led to the decision: listed, the awareness course, the background check, the cell's
  resolution with its vote and two sponsors of the cell, the grassroots committee's resolution,
  the decision by the committee above the cell, and the ceremony 12 months before the member's
  recognition (the probation the members app recorded). About one decision in twelve comes
  more than 60 working days after the cell's resolution; a ceremony more than 30 working days
  after the decision mostly has a written extension, not always; the latest decisions wait for
  their ceremony, a few of them overdue.
* In most communes (about nine in ten) a third of the cells have candidates still on the way,
  at every stage: just listed, trained, resolved by the cell (some waiting longer than the 60
  working days), resolved by the grassroots committee. The other communes' cells have none.
* Over the years a few candidates withdrew or were refused.
* The awareness courses end on the province's course days (AWARENESS_DAYS), which the courses'
  demo (chibo.courses.demo) turns into classes.

The rows are written as candidates.csv and imported through the bundle's importer
(`chibo.interchange.importer.import_records`), not through the services one by one: the
services' decision would create the member, which the demo's people already hold, and the
import checks each row as the services do (order of the steps, votes, sponsors, the deciding
committee, the admitted member's day and cell) and writes in bulk — a province's files in a few
seconds. Deterministic: one `random.Random` seeded from the demo's seed, rows in a fixed order.
"""

import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.admission import rules
from chibo.admission.choices import Outcome
from chibo.admission.models import PERSON_TEXTS
from chibo.admission.placement import TreeOnDays
from chibo.core.console import table
from chibo.core.fields import path_ids
from chibo.interchange.importer import import_records
from chibo.members.demo_people import GIVEN, MIDDLE, SURNAMES
from chibo.members.models import Member, MemberEvent, MemberFlow, MemberPeriod
from chibo.organizations.calendar import working_calendar
from chibo.organizations.choices import MEMBER_HOLDING_KINDS, OrgKind
from chibo.organizations.models import Organization

ADMITTED_FROM = date(2020, 1, 1)
# The days the province's awareness courses end (month, day): candidates get their certificate
# there, and the courses' demo opens a class per district-level committee on each.
AWARENESS_DAYS = ((3, 20), (5, 15), (8, 10), (10, 25), (12, 10))
WITH_CANDIDATES = 0.9  # communes whose cells have candidates on the way
CELLS_WITH_CANDIDATES = 0.35
COMMITTEE_SUFFIX = {OrgKind.GRASSROOTS_COMMITTEE: "ĐU", OrgKind.DISTRICT: "HU",
                    OrgKind.BLOC: "ĐU", OrgKind.PROVINCIAL: "TU"}
PERSON = ("full_name", "gender", "birth_date", *PERSON_TEXTS, "general_education",
          "professional_level", "theory_level")


def course_day(days, after: date, limit: date) -> date | None:
    """The first of the course days `days` ((month, day) of every year) on or after `after`,
    if it is on or before `limit`."""
    for year in range(after.year, limit.year + 1):
        for month, day in days:
            end = date(year, month, day)
            if after <= end <= limit:
                return end
    return None


def awareness_day(after: date, limit: date) -> date | None:
    return course_day(AWARENESS_DAYS, after, limit)


def committee_above(tree: TreeOnDays, kinds: dict[int, str], cell: int, day: date) -> int | None:
    """The committee that decides for `cell` on `day`: the nearest above it, not a partial
    committee."""
    path = tree.path(cell, day)
    for pk in reversed(path_ids(path)[:-1] if path else []):
        if kinds.get(pk) in COMMITTEE_SUFFIX:
            return pk
    return None


@dataclass
class _Cell:
    pk: int
    commune: int | None  # the committee above it today


class _World:
    """What the plan reads, in a few queries: the tree, the cells, the members' periods."""

    def __init__(self, today: date):
        orgs = list(Organization.objects.values_list("pk", "code", "kind"))
        self.codes = {pk: code for pk, code, _kind in orgs}
        self.kinds = {pk: kind for pk, _code, kind in orgs}
        self.tree = TreeOnDays(self.codes)
        self.periods = defaultdict(list)  # cell -> (member, from, to, status, exempt)
        for row in MemberPeriod.objects.filter(valid_to__gt=ADMITTED_FROM - timedelta(
                days=800)).values_list("org_id", "member_id", "valid_from", "valid_to",
                                       "status", "exempt").order_by("org_id", "member_id",
                                                                    "valid_from"):
            self.periods[row[0]].append(row[1:])
        self.member_codes = dict(Member.objects.values_list("pk", "member_code"))
        self.ethnicities = defaultdict(list)
        for cell, ethnicity in Member.objects.filter(status__in=("official", "probationary")
                                                     ).values_list("cell_id", "ethnicity"
                                                                   ).order_by("pk"):
            self.ethnicities[cell].append(ethnicity)
        self.today = today
        self.cells_today = [
            _Cell(pk, committee_above(self.tree, self.kinds, pk, today))
            for pk in sorted(pk for pk, kind in self.kinds.items()
                             if kind in MEMBER_HOLDING_KINDS and self.exists(pk, today))
            if self.periods.get(pk)]

    def first_day(self, cell: int) -> date:
        return min(start for start, _end, _path in self.tree.periods[cell])

    def exists(self, cell: int, day: date) -> bool:
        return any(start <= day < end for start, end, _path in self.tree.periods.get(cell, ()))

    def members_on(self, cell: int, day: date) -> list[tuple[int, str, bool]]:
        return [(member, status, exempt) for member, start, end, status, exempt
                in self.periods.get(cell, ()) if start <= day < end]


class _Plan:
    def __init__(self, rng: random.Random, world: _World):
        self.rng, self.world, self.today = rng, world, world.today
        self.calendar = working_calendar()
        self.rows: list[dict] = []

    # -- the files of the admitted members ---------------------------------------------------
    def admitted(self) -> None:
        world = self.world
        readmitted = set(MemberEvent.objects.filter(event="readmit").values_list("member_id",
                                                                                flat=True))
        recognized = {}
        for member, day in MemberFlow.objects.filter(kind="official").order_by(
                "member_id", "day").values_list("member_id", "day"):
            recognized.setdefault(member, day)
        members = Member.objects.filter(
            admitted_on__gte=ADMITTED_FROM, org_since__isnull=True,
            joined_org__kind__in=MEMBER_HOLDING_KINDS).exclude(pk__in=readmitted).order_by(
            "admitted_on", "member_code").values("pk", "member_code", "joined_org_id",
                                                 "admitted_on", *PERSON)
        for member in members:
            decided = member["admitted_on"]
            if not world.exists(member["joined_org_id"], decided):
                continue
            official = recognized.get(member["pk"])
            row = {**{k: member[k] for k in PERSON}, "outcome": Outcome.ADMITTED,
                   "member_code": member["member_code"]}
            self._decided(row, member["joined_org_id"], decided,
                          official if official and official > decided else None)

    def _decided(self, row: dict, cell: int, decided: date, official: date | None) -> None:
        rng = self.rng
        committee_on = decided - timedelta(days=rng.randint(5, 30))
        late = rng.random() < 0.08
        resolution = (decided - timedelta(days=rng.randint(100, 160)) if late
                      else committee_on - timedelta(days=rng.randint(7, 40)))
        self._resolved(row, cell, resolution)
        deciding = committee_above(self.world.tree, self.world.kinds, cell, decided)
        suffix = COMMITTEE_SUFFIX.get(self.world.kinds.get(deciding), "ĐU")
        row.update(committee_resolution_on=max(committee_on, resolution), decision_on=decided,
                   decision_no=f"{rng.randint(1, 999)}-QĐ/{suffix}",
                   decided_by=self.world.codes.get(deciding))
        row["ceremony_on"] = self._ceremony(decided, official)
        deadline = rules.ceremony_deadline(self.calendar, decided)
        if row["ceremony_on"] and row["ceremony_on"] > deadline and rng.random() < 0.7:
            row["ceremony_extension_no"] = f"{rng.randint(1, 999)}-CV/{suffix}"
        self._keep(row, cell)

    def _ceremony(self, decided: date, official: date | None) -> date | None:
        """The ceremony whose 12 months end on the recognition; before one, mostly a few
        days after the decision, except for the latest decisions (and a few overdue)."""
        if official is not None:
            ceremony = official - timedelta(days=367)
            while rules.official_day(ceremony) < official:
                ceremony += timedelta(days=1)
            return ceremony if ceremony >= decided else decided
        waited = (self.today - decided).days
        if waited < 40 and self.rng.random() < 0.6 or waited < 200 and self.rng.random() < 0.1:
            return None
        return min(decided + timedelta(days=self.rng.randint(3, 25)), self.today)

    def _resolved(self, row: dict, cell: int, resolution: date) -> None:
        """The steps up to the cell's resolution: listed, trained, checked, sponsored, voted."""
        rng = self.rng
        trained = awareness_day(resolution - timedelta(days=rng.randint(60, 500)),
                                resolution - timedelta(days=14))
        listed = (trained or resolution) - timedelta(days=rng.randint(30, 200))
        members = self.world.members_on(cell, resolution)
        officials = [m for m, status, exempt in members if status == "official" and not exempt]
        sponsors = rng.sample(officials, min(2, len(officials)))
        if rng.random() < 0.15 and len(sponsors) == 2:
            sponsors = sponsors[:1]  # the Youth Union recommends instead
        total = sum(1 for _m, status, _exempt in members if status == "official")
        # a vote passes with two thirds of the official members: some are against
        against = rng.randint(1, total // 3) if total >= 3 and rng.random() < 0.2 else 0
        row.update(listed_on=listed, awareness_course_on=trained,
                   background_checked_on=resolution - timedelta(days=rng.randint(5, 60)),
                   cell_resolution_on=resolution,
                   sponsor1_member_code=self._code(sponsors, 0),
                   sponsor2_member_code=self._code(sponsors, 1),
                   youth_union_sponsor=len(sponsors) < 2 or None,
                   cell_votes_for=max(total - against, 0) if total else None,
                   cell_votes_total=total or None)

    def _code(self, members: list[int], n: int) -> str | None:
        return self.world.member_codes[members[n]] if len(members) > n else None

    def _keep(self, row: dict, cell: int) -> None:
        """The row, its cell, its days brought to the cell's first day (a cell founded later
        than the file would start), its code."""
        first = self.world.first_day(cell)
        for key in ("listed_on", "awareness_course_on", "background_checked_on",
                    "cell_resolution_on", "committee_resolution_on"):
            if row.get(key) is not None and row[key] < first:
                row[key] = None if key == "awareness_course_on" else first
        row.update(code=f"K{len(self.rows) + 1:06d}", org_code=self.world.codes[cell])
        self.rows.append(row)

    def overdue(self) -> None:
        """A few decisions of the last months whose ceremony is still not held past its 30
        working days (at least one)."""
        waiting = [row for row in self.rows if row.get("decision_on") and row["ceremony_on"]
                   and 50 <= (self.today - row["decision_on"]).days <= 250
                   and row["ceremony_on"] + timedelta(days=300) > self.today]
        for row in self.rng.sample(waiting, min(len(waiting), 1 + len(waiting) // 10)):
            row.update(ceremony_on=None, ceremony_extension_no=None)

    # -- candidates still on the way, and those who left --------------------------------------
    def pending(self) -> None:
        rng = self.rng
        communes = sorted({c.commune for c in self.world.cells_today if c.commune})
        active = {c for c in communes if rng.random() < WITH_CANDIDATES}
        for cell in self.world.cells_today:
            if cell.commune not in active or rng.random() >= CELLS_WITH_CANDIDATES:
                continue
            for _n in range(1 if rng.random() < 0.8 else 2):
                self._on_the_way(cell.pk, rng.choice(("listed", "trained", "cell_resolved",
                                                      "committee_resolved")))

    def _on_the_way(self, cell: int, stage: str) -> None:
        rng, today = self.rng, self.today
        row = self._person(cell, today)
        if stage == "listed":
            row["listed_on"] = today - timedelta(days=rng.randint(10, 300))
        elif stage == "trained":
            row["listed_on"] = today - timedelta(days=rng.randint(150, 600))
            row["awareness_course_on"] = awareness_day(row["listed_on"] + timedelta(days=20),
                                                       today)
        else:
            # some wait past the 60 working days the committee above has to decide
            resolution = today - timedelta(days=rng.randint(10, 75) if rng.random() < 0.8
                                           else rng.randint(90, 200))
            self._resolved(row, cell, resolution)
            if stage == "committee_resolved":
                row["committee_resolution_on"] = min(
                    resolution + timedelta(days=rng.randint(5, 30)), today)
        row["outcome"] = Outcome.PENDING
        self._keep(row, cell)

    def left(self, count: int) -> None:
        """`count` candidates of past years who withdrew (three in four) or were refused."""
        rng = self.rng
        cells = self.world.cells_today
        for _n in range(count):
            cell = rng.choice(cells).pk
            start = max(self.world.first_day(cell), date(2019, 6, 1))
            last = self.today - timedelta(days=400)
            if start >= last:
                continue
            listed = start + timedelta(days=rng.randint(0, (last - start).days))
            row = self._person(cell, listed)
            row["listed_on"] = listed
            if rng.random() < 0.75:
                row["awareness_course_on"] = awareness_day(listed + timedelta(days=20),
                                                           listed + timedelta(days=300))
                outcome_on = listed + timedelta(days=rng.randint(120, 380))
                row.update(outcome=Outcome.WITHDRAWN, outcome_on=outcome_on)
                if row["awareness_course_on"] and row["awareness_course_on"] >= outcome_on:
                    row["awareness_course_on"] = None
            else:
                resolution = listed + timedelta(days=rng.randint(150, 300))
                self._resolved(row, cell, resolution)
                row.update(listed_on=listed, awareness_course_on=awareness_day(
                    listed + timedelta(days=10), resolution - timedelta(days=10)),
                    committee_resolution_on=resolution + timedelta(days=rng.randint(5, 30)),
                    outcome=Outcome.REJECTED,
                    outcome_on=resolution + timedelta(days=rng.randint(35, 60)))
            self._keep(row, cell)

    def _person(self, cell: int, day: date) -> dict:
        rng = self.rng
        gender = "female" if rng.random() < 0.45 else "male"
        ethnicity = rng.choice(self.world.ethnicities.get(cell) or ["Kinh"])
        surnames = SURNAMES.get(ethnicity, SURNAMES["Kinh"])
        middle = MIDDLE[(gender, "young")]
        name = " ".join((rng.choices(list(surnames), weights=list(surnames.values()))[0],
                         rng.choices(list(middle), weights=list(middle.values()))[0],
                         rng.choice(GIVEN[(gender, "young")])))
        birth = day - timedelta(days=rng.randint(19 * 365, 38 * 365))
        return {"full_name": name, "gender": gender, "birth_date": birth,
                "ethnicity": ethnicity, "general_education": "12/12",
                "occupation": rng.choice(("Làm ruộng", "Giáo viên", "Công nhân", "Kinh doanh",
                                          "Đoàn viên thanh niên", "Viên chức"))}


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS): the candidates."""
    build(seed=context.seed, stream=context.stream)


def build(*, seed: int, today: date | None = None, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    plan = _Plan(random.Random(seed * 7927 + 17), _World(today or timezone.localdate()))
    plan.admitted()
    plan.overdue()
    plan.left(max(3, len(plan.rows) // 10))
    plan.pending()
    result = import_records({"candidates.csv": plan.rows}, actor=SYSTEM)
    if not result.ok:
        raise RuntimeError("the demo's candidates did not import:\n"
                           + "\n".join(result.errors[:20]))
    stream.write(f"  candidates ({time.monotonic() - started:.0f} s):\n"
                 + table([(k, n) for k, n in result.counts.items() if n], indent="    ")
                 + "\n")
    stream.flush()
    return result.counts
