"""The demo province's annual ratings of 2019–2025 (ratings.csv) and the current year's review
half done, in the article's magnitudes: "số chi bộ, tổ chức cơ sở đảng xếp loại hoàn thành tốt
nhiệm vụ trở lên đạt trên 90 %; số đảng viên … trên 85 %".

* **Who is rated**: every organization of the rated kinds (cell, grassroots_*,
  partial_committee: METRICS-v2 "Ratings") existing on a day of the year, and every member
  active on a day of the year, placed on their last day in the tree that year. A member exempt
  on that day is not rated (the rules of every year).
* **Who decides**: a member's grassroots organization on that day, an organization's nearest
  committee above that is not a cell nor a partial committee (BUNDLE-v2's default decider),
  written in `decided_by` so that each committee's quota is the demo's own choice.
* **Levels**: drawn per deciding committee, then "excellent" cut to 20 % of "good" (the quota,
  `rules.quota_allows`), except in a rare committee that exceeds it by one (the quota finding,
  present but rare). A subject disciplined in the year (a standing discipline decided in it,
  or for a collective over the set's share of its direct units) is rated at most the year's
  cap (`rules.highest_level`): "complete" before 2023, "not complete" since.
* **Points**: in the years whose regulation scores (`rules.scoring`, 366-QĐ/TW from 2025),
  a score inside the level's band.
* **The current year**: some grassroots committees opened their review (the services), the
  cells recorded part of their proposals, some members submitted their self-review
  (`chibo.handbook.services.save_review`): the pages show work in progress.

The rows go through the bundle's importer (`chibo.interchange.importer.import_records`), which
checks each as it checks a province's files. Reads are set-based (the tree's and the members'
periods, the standing discipline decisions: one query each). Deterministic: one
`random.Random` seeded from the demo's seed, rows in a fixed order.
"""

import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.core.console import table
from chibo.core.fields import path_ids, subtree_range
from chibo.inspection.models import Discipline
from chibo.interchange.importer import import_records
from chibo.members.models import Member, MemberPeriod
from chibo.organizations.models import Organization, OrgPeriod
from chibo.ratings import rules
from chibo.ratings.choices import Level, rank

FIRST_YEAR = 2019
LAST_YEAR = 2025
# Levels drawn before the quota, per 100 subjects (excellent, good, complete, not complete):
# good or better about 93 % of the organizations and 89 % of the members, as the article's
# "trên 90 %" and "trên 85 %".
WEIGHTS = {"orgs": (15, 78, 6, 1), "members": (14, 75, 10, 1)}
LEVELS = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE)
# In these years the first committee whose "excellent" had to be cut keeps one too many (the
# quota finding: present, and rare — one group of a year's hundreds).
QUOTA_BREAK_YEARS = (2021, 2024)
NOT_DECIDING_KINDS = ("cell", "grassroots_cell", "partial_committee")
# The current year's review: the share of grassroots committees that opened it, of their
# cells that proposed, of the members who submitted their self-review.
OPENED, PROPOSED, SUBMITTED = 0.3, 0.5, 0.4
# The scope of the current year's campaigns: at most this many committees and, in each, the
# first this many members (each proposal and self-review goes through the services, one by one:
# about 20 ms each).
CAMPAIGNS_AT_MOST, MEMBERS_AT_MOST = 6, 30


@dataclass(frozen=True, slots=True)
class Subject:
    """One subject of a year's review, placed on its last day in the tree that year."""

    kind: str  # "orgs" or "members"
    code: str
    decider: int
    disciplined: bool


class _World:
    """What the ratings read, in a few queries: the organizations, the tree's periods, the
    members' periods and the standing discipline decisions."""

    def __init__(self):
        self.orgs = {pk: (code, kind) for pk, code, kind in
                     Organization.objects.values_list("pk", "code", "kind")}
        self.org_spans = defaultdict(list)  # org -> [(from, to, path, parent)]
        self.children = defaultdict(list)  # parent -> [(from, to, child)]
        for org, parent, start, end, path in OrgPeriod.objects.values_list(
                "organization_id", "parent_id", "valid_from", "valid_to", "path").order_by(
                "organization_id", "valid_from"):
            self.org_spans[org].append((start, end, path))
            if parent is not None:
                self.children[parent].append((start, end, org))
        self.member_spans = defaultdict(list)  # member -> [(from, to, path, exempt)]
        for member, start, end, path, exempt in MemberPeriod.objects.filter(
                valid_to__gt=date(FIRST_YEAR, 1, 1)).values_list(
                "member_id", "valid_from", "valid_to", "path", "exempt").order_by(
                "member_id", "valid_from"):
            self.member_spans[member].append((start, end, path, exempt))
        self.member_codes = dict(Member.objects.filter(
            pk__in=list(self.member_spans)).values_list("pk", "member_code"))
        self.disciplined = defaultdict(set)  # year -> {("members"|"orgs", pk)}
        for member, org, day in Discipline.objects.with_standing_form().exclude(
                standing="").values_list("member_id", "org_id", "decided_on"):
            self.disciplined[day.year].add(("members", member) if member else ("orgs", org))

    @staticmethod
    def last_span(spans, year: int):
        """(the last day of `year` in the spans, that span) or None."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        best = None
        for span in spans:
            if span[0] > last or span[1] <= first:
                continue
            day = min(span[1] - timedelta(days=1), last)
            if best is None or day > best[0]:
                best = (day, span)
        return best

    def grassroots_of(self, path: str) -> int | None:
        found = [pk for pk in path_ids(path) if self.orgs[pk][1] in rules.GRASSROOTS_KINDS]
        return found[-1] if found else None

    def committee_above(self, path: str) -> int | None:
        found = [pk for pk in path_ids(path)[:-1] if self.orgs[pk][1] not in NOT_DECIDING_KINDS]
        return found[-1] if found else None

    def org_disciplined(self, org: int, day: date, year: int) -> bool:
        """A standing discipline of the organization in `year`, or of over the set's share of
        its direct units on `day` (rules.disciplined judges)."""
        own = ("orgs", org) in self.disciplined[year]
        children = [child for start, end, child in self.children.get(org, ())
                    if start <= day < end]
        hit = sum(("orgs", child) in self.disciplined[year] for child in children)
        return rules.disciplined(own, hit, len(children), year=year)

    def subjects(self, year: int) -> list[Subject]:
        """Every rated subject of `year`, organizations first, in a fixed order."""
        found = []
        for org in sorted(self.org_spans):
            code, kind = self.orgs[org]
            if kind not in rules.RATED_KINDS:
                continue
            placed = self.last_span(self.org_spans[org], year)
            decider = placed and self.committee_above(placed[1][2])
            if decider:
                found.append(Subject("orgs", code, decider,
                                     self.org_disciplined(org, placed[0], year)))
        for member in sorted(self.member_spans):
            placed = self.last_span(self.member_spans[member], year)
            if placed is None or placed[1][3]:  # not active, or exempt that day: not rated
                continue
            decider = self.grassroots_of(placed[1][2])
            if decider:
                found.append(Subject("members", self.member_codes[member], decider,
                                     ("members", member) in self.disciplined[year]))
        return found


class _Plan:
    def __init__(self, rng: random.Random, world: _World):
        self.rng, self.world = rng, world
        self.rows: list[dict] = []
        self.broken: set[int] = set()  # the years whose quota break is placed

    def year(self, year: int) -> None:
        groups = defaultdict(list)  # (decider, kind) -> subjects
        for subject in self.world.subjects(year):
            groups[subject.decider, subject.kind].append(subject)
        for (decider, kind), subjects in groups.items():
            self._group(year, decider, kind, subjects)

    def _group(self, year: int, decider: int, kind: str, subjects: list[Subject]) -> None:
        """The levels of one committee's subjects of a kind: drawn, capped for discipline,
        "excellent" cut to the quota (rarely one above it)."""
        rng = self.rng
        cap = rules.highest_level(year, True)
        levels = []
        for subject in subjects:
            level = rng.choices(LEVELS, weights=WEIGHTS[kind])[0]
            if subject.disciplined and rank(level) < rank(cap):
                level = cap
            levels.append(level)
        excellent = [i for i, level in enumerate(levels) if level == Level.EXCELLENT]
        good = levels.count(Level.GOOD)
        # demoting an "excellent" to "good" makes room for another: fit the most there is room
        keep = max((n for n in range(len(excellent) + 1)
                    if not rules.quota_exceeded(n, good + len(excellent) - n, year)), default=0)
        if keep < len(excellent) and year in QUOTA_BREAK_YEARS and year not in self.broken:
            self.broken.add(year)
            keep += 1  # the rare committee above the quota
        for i in excellent[keep:]:
            levels[i] = Level.GOOD
        decided_on = self._decided_on(year, kind)
        for subject, level in zip(subjects, levels, strict=True):
            self.rows.append({
                "year": year, "org_code": subject.code if kind == "orgs" else "",
                "member_code": subject.code if kind == "members" else "",
                "level": level, "score": self._score(year, level),
                "decided_on": decided_on, "decided_by": self.world.orgs[decider][0]})

    def _decided_on(self, year: int, kind: str) -> date:
        """Members in the year's last weeks by the grassroots committee; organizations in
        January by the committee above."""
        if kind == "members":
            return date(year, 12, self.rng.randint(10, 30))
        return date(year + 1, 1, self.rng.randint(5, 25))

    def _score(self, year: int, level: str) -> str:
        """A score inside the level's band in the years that score (else empty)."""
        scoring = rules.scoring(year)
        if scoring is None:
            return ""
        bands = dict(scoring.bands)
        lowest = bands[level]
        above = [low for band, low in scoring.bands if rank(band) == rank(level) - 1]
        highest = Decimal(above[0]) - Decimal("0.5") if above else Decimal(100)
        lowest = max(Decimal(lowest), highest - 15)
        steps = int((highest - lowest) * 2)
        return str(lowest + Decimal(self.rng.randint(0, steps)) / 2)


def plan(*, seed: int) -> list[dict]:
    """The rows of ratings.csv, not imported (deterministic for a seed and the records)."""
    made = _Plan(random.Random(seed * 7919 + 41), _World())
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        made.year(year)
    return made.rows


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS): the ratings."""
    build(seed=context.seed, stream=context.stream)


def build(*, seed: int, today: date | None = None, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    rows = plan(seed=seed)
    planned = time.monotonic()
    result = import_records({rules.FILE: rows}, actor=SYSTEM)
    if not result.ok:
        raise RuntimeError("the demo's ratings did not import:\n" + "\n".join(result.errors[:20]))
    imported = time.monotonic()
    counts = {**result.counts, **campaigns(seed=seed, today=today or timezone.localdate())}
    stream.write(f"  ratings ({planned - started:.0f} s plan, {imported - planned:.0f} s "
                 f"import, {time.monotonic() - imported:.0f} s campaigns):\n"
                 + table([(k, n) for k, n in counts.items() if n], indent="    ") + "\n")
    stream.flush()
    return counts


# --- the current year's review, half done --------------------------------------------------------

def campaigns(*, seed: int, today: date) -> dict[str, int]:
    """Some grassroots committees open this year's review — the demo accounts' commune first,
    so that its pages show it: part of their cells have recorded their proposals, part of their
    members submitted their self-reviews, through the services."""
    from chibo.ratings.services import NewCampaign, open_campaign

    rng = random.Random(seed * 104729 + 3)
    year = today.year
    opened_on = max(date(year, 11, 15), today - timedelta(days=20))
    if opened_on > today:
        return {}
    committees = list(Organization.objects.active_on(today).filter(
        kind__in=rules.GRASSROOTS_KINDS).order_by("code"))
    chosen = _demo_communes(committees) + [org for org in committees if rng.random() < OPENED]
    counts = {"campaigns": 0, "proposals": 0, "self-reviews": 0}
    for org in list(dict.fromkeys(chosen))[:CAMPAIGNS_AT_MOST]:
        campaign = open_campaign(NewCampaign(org=org, year=year, opened_on=opened_on,
                                             deadline=opened_on + timedelta(days=30)),
                                 actor=SYSTEM)
        counts["campaigns"] += 1
        proposed, submitted = _work_in_progress(rng, campaign, today)
        counts["proposals"] += proposed
        counts["self-reviews"] += submitted
    return counts


def _demo_communes(committees: list) -> list:
    """The grassroots committees of the members who have an account (the demo's secretary and
    member)."""
    paths = set(Member.objects.exclude(user=None).values_list("cell__path", flat=True))
    return [org for org in committees if any(path.startswith(org.path) for path in paths)]


def _work_in_progress(rng: random.Random, campaign, today: date) -> tuple[int, int]:
    """Half the committee's cells (the first MEMBERS_AT_MOST members) have proposed a level for
    each of their members; four members in ten submitted their self-review. (proposals,
    self-reviews)"""
    from chibo.handbook.services import save_review
    from chibo.ratings.services import NewProposal, propose

    year, org = campaign.year, campaign.org
    low, high = subtree_range(org.path)
    members = Member.objects.filter(
        cell__path__gte=low, cell__path__lt=high, status__in=("official", "probationary"),
        is_exempt=False, admitted_on__year__lte=year).order_by("cell__path", "member_code")
    proposing: dict[int, bool] = {}
    proposed = submitted = 0
    for member in members[:MEMBERS_AT_MOST]:
        level = rng.choices(LEVELS, weights=WEIGHTS["members"])[0]
        if rng.random() < SUBMITTED:
            save_review(member, year, _self_review(rng, year, level), actor=SYSTEM,
                        submit=True)
            submitted += 1
        if proposing.setdefault(member.cell_id, rng.random() < PROPOSED):
            propose(NewProposal(campaign=campaign, member=member, level=level,
                                proposed_on=min(today, campaign.opened_on + timedelta(
                                    days=rng.randint(1, 15)))), actor=SYSTEM)
            proposed += 1
    return proposed, submitted


def _self_review(rng: random.Random, year: int, level: str):
    from chibo.handbook.services import ReviewInput

    scoring = rules.scoring(year)
    score = None
    if scoring is not None:
        bands = dict(scoring.bands)
        better = [low for band, low in scoring.bands if rank(band) == rank(level) - 1]
        score = rng.randint(max(bands[level], (better[0] if better else 101) - 15),
                            (better[0] if better else 101) - 1)
    return ReviewInput(
        strengths="Chấp hành nghiêm chủ trương, đường lối của Đảng; hoàn thành nhiệm vụ "
                  "được giao.",
        shortcomings="Có lúc chưa chủ động trong công việc.",
        remedies="Nâng cao tinh thần chủ động, trách nhiệm.",
        self_score=score, proposed_rating=level)
