"""The demo province's inspections, supervisions and discipline of 2020 on (inspections.csv,
inspection_subjects.csv, discipline.csv), in magnitudes like the article's.

The article (the 2020–2025 term of a province of about 100,000 members) counts 4,479
organization-lượt and 21,063 member-lượt inspected (579 committee members), on signs of
violation 30 organizations and 204 members, thematic supervision of 2,455 organizations and
3,114 members, 7 inspections and 10 supervisions by the provincial standing committee, and
discipline of 6 organizations and 564 members (reprimand 355, warning 114, dismissal 9,
expulsion 86). The demo's rates per organization and year give about those figures per member
and year (the demo's 66,000 members, seven years):

* **Who inspects** (`by_body`): every level while it exists — the province (its standing
  committee: 7 inspections and 10 supervisions in the 2020–2025 term, one and two in the new
  term; its inspection commission a few a year), the districts and blocs until the reform of
  1 July 2025 abolished the districts, the grassroots committees (their inspection commission,
  standing committee or committee), partial committees and cells (as `committee` only: a cell
  inspects and supervises its own members).
* **Whom**: organizations strictly below the conducting one (its children) and members of its
  subtree, active on `start_on`. Thematic supervision and inspection on signs look more at
  committee members (a post on `start_on`, as METRICS-v2 derives them) than a cell's regular
  inspection of its members does.
* **Conclusions**: on the inspection's last day; mostly no violation or shortcomings, a few
  violations, some to be considered for discipline; inspections still running have none.
* **Discipline**: every `expel` event of the demo's members since 2020 has its expulsion
  (effective on the event's day, decided a few days before by the grassroots committee or
  above, the violation months before); reprimands and warnings in the article's ratio to the
  expulsions (355 : 114 : 86), by the cell (its own members) or the committee above; a few
  dismissals of members whose party post ended the day before the dismissal took effect;
  two organization reprimands and one warning; appeals (most upheld, one warning changed to a
  reprimand, one expulsion annulled — of a member still active, so without an `expel` event).
  Part of the decisions come out of an inspection on signs of violation that proposed them
  (`inspection_code`).
* **Programmes**: the province's and each district's (bloc's) programme of every year, by each
  body that conducted planned inspections or supervisions that year, an item per kind and
  title, and the year's planned inspections (not those on signs of violation) under their item;
  the province's inspection commission's programme of the 2020–2025 term. Made by the services
  after the import (bundle files carry no programme); the inspections are then placed under
  their item, as a clerk opening one under the programme would have. Grassroots committees and
  cells have none in the demo (thousands of programmes would add nothing to show).
* **Findings**, rare but present: one reprimand decided after its five years
  (`discipline.limitation`) and one cell dismissing its own secretary (`discipline.authority`).

The rows are imported through the bundle's importer (`chibo.interchange.importer
.import_records`), which checks each as it checks a province's files. Reads are set-based: the
tree on days (`TreeOnDays`), the member periods and the party posts, each in one query.
Deterministic: one `random.Random` seeded from the demo's seed, rows in a fixed order.
"""

import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.admission.placement import TreeOnDays
from chibo.core.console import table
from chibo.core.fields import path_ids
from chibo.inspection import services
from chibo.inspection.choices import AppealOutcome, Body, Conclusion, Form, Kind
from chibo.inspection.models import Inspection
from chibo.interchange.importer import import_records
from chibo.members.models import Member, MemberEvent, MemberPeriod, Position
from chibo.organizations.choices import MEMBER_HOLDING_KINDS, OrgKind
from chibo.organizations.models import Organization

FROM = date(2020, 1, 1)
TERM = (date(2020, 10, 15), date(2025, 9, 22))  # the provincial congresses
PARTY_POSTS = ("secretary", "deputy_secretary", "standing_member", "committee_member")
# The article's discipline of members, by form, per expulsion (355 : 114 : 9 : 86).
PER_EXPULSION = {Form.REPRIMAND: 355 / 86, Form.WARNING: 114 / 86, Form.DISMISSAL: 9 / 86}
K = OrgKind
LEVEL = {K.PROVINCIAL: "province", K.DISTRICT: "district", K.BLOC: "district",
         K.GRASSROOTS_COMMITTEE: "grassroots", K.PARTIAL_COMMITTEE: "partial",
         K.GRASSROOTS_CELL: "cell", K.CELL: "cell"}
COMMITTEES = (K.PROVINCIAL, K.DISTRICT, K.BLOC, K.GRASSROOTS_COMMITTEE)
SUFFIX = {K.PROVINCIAL: "TU", K.DISTRICT: "HU", K.BLOC: "ĐU", K.GRASSROOTS_COMMITTEE: "ĐU"}

# What each level does in a year: (kind, body, probability, (orgs from, to), (members from,
# to), share of committee members among the members).
PLAN = {
    "province": (
        (Kind.INSPECTION_REGULAR, Body.INSPECTION_COMMISSION, 1.0, (1, 2), (0, 2), 0.8),
        (Kind.INSPECTION_REGULAR, Body.INSPECTION_COMMISSION, 1.0, (1, 2), (0, 1), 0.8),
        (Kind.INSPECTION_OTHER, Body.INSPECTION_COMMISSION, 1.0, (1, 2), (0, 0), 0),
        (Kind.SUPERVISION_THEMATIC, Body.INSPECTION_COMMISSION, 1.0, (1, 3), (1, 2), 0.8),
        (Kind.SUPERVISION_REGULAR, Body.COMMITTEE, 0.5, (1, 2), (0, 0), 0),
        (Kind.INSPECTION_ON_SIGNS, Body.INSPECTION_COMMISSION, 0.5, (1, 1), (0, 1), 0.8),
    ),
    "district": (
        (Kind.INSPECTION_REGULAR, Body.INSPECTION_COMMISSION, 1.0, (1, 3), (1, 3), 0.5),
        (Kind.INSPECTION_REGULAR, Body.INSPECTION_COMMISSION, 1.0, (1, 2), (0, 2), 0.5),
        (Kind.INSPECTION_REGULAR, Body.STANDING_COMMITTEE, 0.5, (1, 2), (0, 1), 0.7),
        (Kind.SUPERVISION_THEMATIC, Body.STANDING_COMMITTEE, 1.0, (1, 2), (1, 2), 0.6),
        (Kind.SUPERVISION_REGULAR, Body.INSPECTION_COMMISSION, 0.5, (1, 2), (0, 1), 0.5),
        (Kind.INSPECTION_OTHER, Body.INSPECTION_COMMISSION, 0.5, (1, 2), (0, 0), 0),
        (Kind.INSPECTION_ON_SIGNS, Body.INSPECTION_COMMISSION, 0.15, (1, 1), (0, 1), 0.6),
    ),
    "grassroots": (
        (Kind.INSPECTION_REGULAR, Body.INSPECTION_COMMISSION, 0.9, (1, 3), (0, 2), 0.3),
        (Kind.INSPECTION_REGULAR, Body.STANDING_COMMITTEE, 0.3, (1, 2), (0, 2), 0.3),
        (Kind.INSPECTION_REGULAR, Body.COMMITTEE, 0.3, (0, 0), (1, 3), 0.2),
        (Kind.SUPERVISION_THEMATIC, Body.STANDING_COMMITTEE, 0.7, (1, 2), (1, 3), 0.35),
        (Kind.SUPERVISION_THEMATIC, Body.INSPECTION_COMMISSION, 0.5, (1, 2), (1, 3), 0.35),
        (Kind.SUPERVISION_REGULAR, Body.COMMITTEE, 0.6, (1, 2), (0, 2), 0.2),
        (Kind.INSPECTION_OTHER, Body.INSPECTION_COMMISSION, 0.4, (1, 2), (0, 0), 0),
        (Kind.INSPECTION_ON_SIGNS, Body.INSPECTION_COMMISSION, 0.05, (0, 0), (1, 2), 0.45),
        (Kind.INSPECTION_ON_SIGNS, Body.INSPECTION_COMMISSION, 0.012, (1, 1), (0, 0), 0),
    ),
    "partial": (
        (Kind.INSPECTION_REGULAR, Body.COMMITTEE, 0.5, (1, 2), (1, 2), 0.2),
    ),
    "cell": (
        # the chance for a cell of 20 members or more, the members up to one in ten
        (Kind.INSPECTION_REGULAR, Body.COMMITTEE, 0.7, (0, 0), (1, 1), 0.08),
        (Kind.SUPERVISION_REGULAR, Body.COMMITTEE, 0.3, (0, 0), (1, 1), 0.08),
    ),
}
# How long a kind lasts (days) and its conclusions' weights (no violation, shortcomings,
# violation, violation to be considered for discipline).
DURATION = {Kind.INSPECTION_REGULAR: (15, 60), Kind.INSPECTION_OTHER: (10, 40),
            Kind.INSPECTION_ON_SIGNS: (20, 60), Kind.SUPERVISION_THEMATIC: (30, 120),
            Kind.SUPERVISION_REGULAR: (60, 240)}
CONCLUSIONS = (Conclusion.NO_VIOLATION, Conclusion.SHORTCOMINGS, Conclusion.VIOLATION,
               Conclusion.VIOLATION_DISCIPLINE_PROPOSED)
WEIGHTS = {Kind.INSPECTION_REGULAR: (80, 15, 4, 1), Kind.INSPECTION_OTHER: (75, 20, 5, 0),
           Kind.INSPECTION_ON_SIGNS: (15, 25, 45, 15), Kind.SUPERVISION_THEMATIC: (82, 17, 1, 0),
           Kind.SUPERVISION_REGULAR: (88, 12, 0, 0)}
TITLES = {
    Kind.INSPECTION_REGULAR: (
        "Kiểm tra việc chấp hành Điều lệ Đảng, nghị quyết, chỉ thị của Đảng",
        "Kiểm tra việc thực hiện nhiệm vụ đảng viên",
        "Kiểm tra việc thực hiện nguyên tắc tập trung dân chủ, quy chế làm việc",
        "Kiểm tra việc lãnh đạo thực hiện nhiệm vụ chính trị của địa phương, đơn vị",
        "Kiểm tra việc thực hiện những điều đảng viên không được làm"),
    Kind.INSPECTION_OTHER: (
        "Kiểm tra thu, nộp, quản lý và sử dụng đảng phí",
        "Kiểm tra tài chính đảng",
        "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật đảng"),
    Kind.INSPECTION_ON_SIGNS: (
        "Kiểm tra khi có dấu hiệu vi phạm trong quản lý đất đai",
        "Kiểm tra khi có dấu hiệu vi phạm trong quản lý tài chính, ngân sách",
        "Kiểm tra khi có dấu hiệu vi phạm phẩm chất đạo đức, lối sống",
        "Kiểm tra khi có dấu hiệu vi phạm trong thực hiện nhiệm vụ được giao"),
    Kind.SUPERVISION_THEMATIC: (
        "Giám sát chuyên đề việc thực hiện Quy định về chuẩn mực đạo đức cách mạng",
        "Giám sát chuyên đề việc kê khai tài sản, thu nhập",
        "Giám sát chuyên đề việc học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Giám sát chuyên đề việc thực hiện trách nhiệm nêu gương"),
    Kind.SUPERVISION_REGULAR: (
        "Giám sát thường xuyên việc thực hiện nhiệm vụ của tổ chức đảng, đảng viên",
        "Giám sát thường xuyên việc chấp hành quy chế làm việc"),
}


def _day_in(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


class _World:
    """What the plan reads, in a few queries: the tree on days, the members' periods, the
    party posts and the expulsions."""

    def __init__(self, today: date):
        from chibo.organizations.models import Organization

        self.today = today
        orgs = list(Organization.objects.values_list("pk", "code", "kind").order_by("pk"))
        self.codes = {pk: code for pk, code, _kind in orgs}
        self.kinds = {pk: kind for pk, _code, kind in orgs}
        self.tree = TreeOnDays(self.codes)
        # every organization ever below another (a superset, checked on the day)
        self.below: dict[int, set[int]] = defaultdict(set)
        for org, periods in self.tree.periods.items():
            for _start, _end, path in periods:
                for above in path_ids(path)[:-1]:
                    self.below[above].add(org)
        self.periods = defaultdict(list)  # cell -> (member, from, to, status)
        self.stints = defaultdict(list)  # member -> (cell, from, to, status)
        for member, org, start, end, status in MemberPeriod.objects.filter(
                valid_to__gt=FROM - timedelta(days=3 * 365)).values_list(
                "member_id", "org_id", "valid_from", "valid_to", "status").order_by(
                "org_id", "member_id", "valid_from"):
            self.periods[org].append((member, start, end, status))
            self.stints[member].append((org, start, end, status))
        self.member_codes = dict(Member.objects.values_list("pk", "member_code"))
        self.posts = defaultdict(list)  # member -> (org, role, from, to or None)
        for member, org, role, start, end in Position.objects.filter(
                role__in=PARTY_POSTS).exclude(end_on__lt=FROM - timedelta(days=365)).values_list(
                "member_id", "org_id", "role", "start_on", "end_on").order_by(
                "member_id", "start_on", "id"):
            self.posts[member].append((org, role, start, end))
        self.post_list = [(member, start, end) for member, posts in self.posts.items()
                          for _org, _role, start, end in posts]
        self.cell_list = sorted(self.periods)
        self.expulsions = list(MemberEvent.objects.filter(
            event="expel", effective_on__gte=FROM, effective_on__lte=today).order_by(
            "effective_on", "member_id").values_list("member_id", "effective_on"))

    # -- the tree on a day -------------------------------------------------------------------
    def path(self, org: int, day: date) -> str | None:
        """The organization's own path on `day` (not followed through merges)."""
        for start, end, path in self.tree.periods.get(org, ()):
            if start <= day < end:
                return path
        return None

    def span(self, org: int) -> tuple[date, date]:
        """The first and the last day the organization exists."""
        periods = self.tree.periods[org]
        return (min(start for start, _end, _path in periods),
                max(end for _start, end, _path in periods) - timedelta(days=1))

    def children(self, org: int, day: date) -> list[int]:
        path = self.path(org, day)
        if path is None:
            return []
        depth = len(path_ids(path)) + 1
        return [child for child in sorted(self.below.get(org, ()))
                if (p := self.path(child, day)) and p.startswith(path) and
                len(path_ids(p)) == depth]

    def cells(self, org: int, day: date) -> list[int]:
        """The member-holding organizations of `org`'s subtree on `day` (itself included)."""
        path = self.path(org, day)
        if path is None:
            return []
        found = [org] if self.kinds[org] in MEMBER_HOLDING_KINDS else []
        return found + [cell for cell in sorted(self.below.get(org, ()))
                        if self.kinds[cell] in MEMBER_HOLDING_KINDS
                        and (p := self.path(cell, day)) and p.startswith(path)]

    def committee_above(self, org: int, day: date) -> int | None:
        """The nearest organization above `org` on `day` that is not a partial committee nor a
        cell: the grassroots committee or above."""
        path = self.path(org, day)
        for pk in reversed(path_ids(path)[:-1] if path else []):
            if self.kinds.get(pk) in COMMITTEES:
                return pk
        return None

    # -- members on a day ---------------------------------------------------------------------
    def members_on(self, cell: int, day: date) -> list[int]:
        return [member for member, start, end, _status in self.periods.get(cell, ())
                if start <= day < end]

    def cell_of(self, member: int, day: date) -> int | None:
        for cell, start, end, _status in self.stints.get(member, ()):
            if start <= day < end:
                return cell
        return None

    def status(self, member: int, day: date) -> str | None:
        for _cell, start, end, status in self.stints.get(member, ()):
            if start <= day < end:
                return status
        return None

    def active(self, member: int, first: date, last: date) -> bool:
        """Whether the member is active on every day from `first` to `last`."""
        day = first
        while day <= last:
            for _cell, start, end, _status in self.stints.get(member, ()):
                if start <= day < end:
                    day = end
                    break
            else:
                return False
        return True

    def committee_member(self, member: int, day: date) -> bool:
        return any(start <= day and (end is None or day <= end)
                   for _org, _role, start, end in self.posts.get(member, ()))


class _Plan:
    def __init__(self, rng: random.Random, world: _World):
        self.rng, self.world, self.today = rng, world, world.today
        self.inspections: list[dict] = []
        self.subjects: list[dict] = []
        self.discipline: list[dict] = []

    # -- inspections and supervisions ---------------------------------------------------------
    def inspections_of_the_years(self) -> None:
        world = self.world
        conductors = sorted(pk for pk, kind in world.kinds.items()
                            if kind in LEVEL and pk in world.tree.periods)
        for year in range(FROM.year, self.today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), self.today)
            for org in conductors:
                start, end = world.span(org)
                if end < first or start > last:
                    continue
                level = LEVEL[world.kinds[org]]
                # A committee looks at its members as often as it has them: the table's rates
                # are a commune's of 250 members or more (the demo's small size has many
                # small committees).
                factor = 1.0
                if level in ("grassroots", "partial"):
                    day = max(first, start)
                    factor = min(1.0, sum(len(world.members_on(cell, day))
                                          for cell in world.cells(org, day)) / 250)
                for kind, body, chance, orgs, members, share in PLAN[level]:
                    day = _day_in(self.rng, max(first, start), min(last, end))
                    if level == "cell":
                        # a cell looks at about one member in ten a year: fewer in a small one
                        size = len(world.members_on(org, day))
                        chance *= min(1.0, size / 20)
                        members = (1, max(1, size // 10))
                    elif orgs == (0, 0):
                        chance *= factor
                    if self.rng.random() < chance:
                        self._inspection(org, kind, body, day, orgs, members, share,
                                         factor=factor if orgs != (0, 0) else 1.0)
        self._standing_committee()

    def _standing_committee(self) -> None:
        """The provincial standing committee: 7 inspections and 10 supervisions in the
        2020–2025 term, 1 and 2 since."""
        world = self.world
        province = next((pk for pk, kind in sorted(world.kinds.items())
                         if kind == K.PROVINCIAL), None)
        if province is None:
            return
        new_term = (TERM[1] + timedelta(days=30), self.today - timedelta(days=1))
        for kind, count, later in ((Kind.INSPECTION_REGULAR, 7, 1),
                                   (Kind.SUPERVISION_THEMATIC, 10, 2)):
            for window, n in ((TERM, count), (new_term, later)):
                if window[0] >= window[1]:
                    continue
                for _n in range(n):
                    day = _day_in(self.rng, *window)
                    self._inspection(province, kind, Body.STANDING_COMMITTEE, day, (1, 3),
                                     (0, 2), 0.9)

    def _inspection(self, org: int, kind: str, body: str, day: date, orgs: tuple[int, int],
                    members: tuple[int, int], share: float, factor: float = 1.0) -> None:
        """One inspection of `org` starting on `day`, its subjects: `orgs` (from, to) of its
        children, `members` of its subtree, each kept with the chance `factor`."""
        world, rng = self.world, self.rng
        subject_orgs = world.children(org, day)
        chosen_orgs = rng.sample(subject_orgs, min(len(subject_orgs), rng.randint(*orgs)))
        count = sum(1 for _n in range(rng.randint(*members)) if rng.random() < factor)
        chosen_members = self._members(org, day, count, share)
        if not chosen_orgs and not chosen_members:
            return
        self._add_inspection(org, kind, body, day)
        row = self.inspections[-1]
        for subject in chosen_orgs:
            self._subject(row, {"org_code": world.codes[subject]})
        for member in chosen_members:
            self._subject(row, {"member_code": world.member_codes[member]})

    def _add_inspection(self, org: int, kind: str, body: str, day: date,
                        end_on: date | None = None) -> str:
        world, rng = self.world, self.rng
        if end_on is None:
            end_on = day + timedelta(days=rng.randint(*DURATION[kind]))
        end_on = min(end_on, world.span(org)[1])
        code = f"KT{len(self.inspections) + 1:06d}"
        suffix = SUFFIX.get(world.kinds[org], "CB")
        issuer = {Body.INSPECTION_COMMISSION: "UBKT", Body.STANDING_COMMITTEE: "BTV"}.get(body, "")
        self.inspections.append({
            "code": code, "kind": kind, "org_code": world.codes[org], "by_body": body,
            "start_on": day, "end_on": end_on if end_on < self.today else None,
            "title": rng.choice(TITLES[kind]),
            "decision_no": f"{rng.randint(1, 300)}-QĐ/{issuer + '-' if issuer else ''}{suffix}",
        })
        return code

    def _subject(self, inspection: dict, subject: dict,
                 conclusion: str | None = None) -> None:
        if inspection["end_on"] is not None:
            subject["conclusion"] = conclusion or self.rng.choices(
                CONCLUSIONS, weights=WEIGHTS[inspection["kind"]])[0]
            subject["concluded_on"] = inspection["end_on"]
        self.subjects.append({"inspection_code": inspection["code"], **subject})

    def _members(self, org: int, day: date, n: int, share: float) -> list[int]:
        """`n` members of `org`'s subtree active on `day`, committee members with the chance
        `share` (read from at most 40 of its cells)."""
        if n <= 0:
            return []
        world, rng = self.world, self.rng
        cells = world.cells(org, day)
        if len(cells) > 40:
            cells = rng.sample(cells, 40)
        pool = sorted({m for cell in cells for m in world.members_on(cell, day)})
        committee = [m for m in pool if world.committee_member(m, day)]
        chosen: list[int] = []
        for _n in range(min(n, len(pool))):
            source = committee if committee and rng.random() < share else pool
            left = [m for m in source if m not in chosen] or [m for m in pool if m not in chosen]
            chosen.append(rng.choice(left))
        return chosen

    # -- discipline ---------------------------------------------------------------------------
    def discipline_of_the_years(self) -> None:
        expulsions = self._expulsions()
        forms = {form: round(len(expulsions) * ratio) for form, ratio in PER_EXPULSION.items()}
        forms[Form.DISMISSAL] = max(2, forms[Form.DISMISSAL])
        self._dismissals(forms[Form.DISMISSAL])
        lighter = [Form.REPRIMAND] * max(3, forms[Form.REPRIMAND]) + [Form.WARNING] * max(
            2, forms[Form.WARNING])
        for form in lighter:
            self._lighter(form)
        self._organizations()
        self._appeals()
        self._late()

    def _decision(self, form: str, *, member: int | None = None, org: int | None = None,
                  decided_on: date, decided_by: int, body: str,
                  effective_on: date | None = None, violation_days: tuple[int, int] = (30, 300),
                  signs: float = 0.0) -> dict:
        world, rng = self.world, self.rng
        row = {"code": f"KL{len(self.discipline) + 1:05d}", "form": form,
               "violation_on": decided_on - timedelta(days=rng.randint(*violation_days)),
               "decided_on": decided_on, "decided_by": world.codes[decided_by], "by_body": body,
               "effective_on": effective_on,
               "decision_no": f"{rng.randint(1, 500)}-QĐ/"
                              f"{SUFFIX.get(world.kinds[decided_by], 'CB')}"}
        if member is not None:
            row["member_code"] = world.member_codes[member]
        else:
            row["org_code"] = world.codes[org]
        if rng.random() < signs:
            self._proposed_by(row, member, org)
        self.discipline.append(row)
        return row

    def _proposed_by(self, row: dict, member: int | None, org: int | None) -> None:
        """An inspection on signs of violation by the inspection commission above the subject,
        between the violation and the decision, that proposed the discipline."""
        world, rng = self.world, self.rng
        room = (row["decided_on"] - row["violation_on"]).days
        if room < 30:
            return
        start = row["violation_on"] + timedelta(days=rng.randint(5, max(5, room - 25)))
        end = min(start + timedelta(days=rng.randint(15, 45)), row["decided_on"])
        where = world.cell_of(member, start) if member is not None else org
        if where is None or (org is not None and world.path(org, start) is None):
            return
        conductor = world.committee_above(where, start)
        if conductor is None or world.span(conductor)[1] < end:
            return
        self._add_inspection(conductor, Kind.INSPECTION_ON_SIGNS, Body.INSPECTION_COMMISSION,
                             start, end)
        inspection = self.inspections[-1]
        subject = ({"member_code": world.member_codes[member]} if member is not None
                   else {"org_code": world.codes[org]})
        self._subject(inspection, subject, Conclusion.VIOLATION_DISCIPLINE_PROPOSED)
        row["inspection_code"] = inspection["code"]

    def _expulsions(self) -> list[dict]:
        """Every `expel` event since 2020: its decision a few days before, by the grassroots
        committee or above (its standing committee)."""
        world, rng = self.world, self.rng
        rows = []
        for member, day in world.expulsions:
            decided = day - timedelta(days=rng.randint(2, 15))
            if not world.active(member, decided - timedelta(days=1), day - timedelta(days=1)):
                decided = day
            cell = world.cell_of(member, decided - timedelta(days=1))
            decider = world.committee_above(cell, decided - timedelta(days=1)) if cell else None
            if decider is None:
                continue
            row = self._decision(Form.EXPULSION, member=member, decided_on=decided,
                                 decided_by=decider, body=Body.STANDING_COMMITTEE,
                                 effective_on=day, violation_days=(60, 400), signs=0.5)
            rows.append(row)
        return rows

    def _dismissals(self, count: int) -> None:
        """Members whose party post ended the day before the dismissal took effect; the first
        decided by the member's own cell, which may not dismiss (discipline.authority)."""
        world, rng = self.world, self.rng
        ended = sorted((end, member, org, role) for member, posts in world.posts.items()
                       for org, role, _start, end in posts
                       if end is not None and FROM <= end < self.today - timedelta(days=10))
        rng.shuffle(ended)
        by_cell = None
        for end, member, org, _role in ended:
            if count <= 0:
                break
            effective = end + timedelta(days=1)
            decided = effective - timedelta(days=rng.randint(0, 6))
            cell = world.cell_of(member, decided - timedelta(days=1))
            if (cell is None or world.status(member, decided - timedelta(days=1)) != "official"
                    or not world.active(member, decided - timedelta(days=1), end)):
                continue
            if by_cell is None and org == cell:
                by_cell = self._decision(Form.DISMISSAL, member=member, decided_on=decided,
                                         decided_by=cell, body=Body.COMMITTEE,
                                         effective_on=effective)
                count -= 1
                continue
            decider = world.committee_above(cell, decided - timedelta(days=1))
            # the last one waits for a post of the member's own cell while none was found
            if decider is not None and (count > 1 or by_cell is not None):
                self._decision(Form.DISMISSAL, member=member, decided_on=decided,
                               decided_by=decider, body=Body.STANDING_COMMITTEE,
                               effective_on=effective, signs=0.5)
                count -= 1

    def _lighter(self, form: str) -> None:
        """A reprimand or a warning of a member active the day before, decided by the member's
        cell or the committee above; one in five a committee member."""
        world, rng = self.world, self.rng
        committee = world.post_list if rng.random() < 0.2 else None
        for _attempt in range(60):
            decided = _day_in(rng, FROM + timedelta(days=30), self.today - timedelta(days=3))
            before = decided - timedelta(days=1)
            if committee:
                member, start, end = rng.choice(committee)
                if not (start <= before and (end is None or before <= end)):
                    continue
                cell = world.cell_of(member, before)
            else:
                cell = rng.choice(world.cell_list)
                members = world.members_on(cell, before)
                member = rng.choice(members) if members else None
            if member is None or cell is None or world.cell_of(member, before) != cell:
                continue
            if rng.random() < 0.35:
                decider, body = cell, Body.COMMITTEE
            else:
                decider = world.committee_above(cell, before)
                body = rng.choices((Body.STANDING_COMMITTEE, Body.INSPECTION_COMMISSION,
                                    Body.COMMITTEE), weights=(5, 3, 2))[0]
            if decider is None:
                continue
            self._decision(form, member=member, decided_on=decided, decided_by=decider,
                           body=body, signs=0.25 if form == Form.WARNING else 0.08)
            return

    def _organizations(self) -> None:
        """Two cells reprimanded and one warned by the committee above them."""
        world, rng = self.world, self.rng
        cells = sorted(pk for pk, kind in world.kinds.items() if kind == K.CELL)
        done = 0
        for form in (Form.REPRIMAND, Form.WARNING, Form.REPRIMAND):
            for _attempt in range(40):
                cell = rng.choice(cells)
                decided = _day_in(rng, date(2021, 1, 1), min(date(2025, 12, 31),
                                                               self.today - timedelta(days=3)))
                before = decided - timedelta(days=1)
                decider = world.committee_above(cell, before)
                if decider is None or world.path(cell, before) is None:
                    continue
                self._decision(form, org=cell, decided_on=decided, decided_by=decider,
                               body=Body.STANDING_COMMITTEE, signs=0.7 if done == 0 else 0)
                done += 1
                break

    def _appeals(self) -> None:
        """One member decision in sixteen appealed, most upheld (or still waiting); one warning
        changed to a reprimand; one expulsion of a member still active annulled."""
        world, rng = self.world, self.rng
        members = [row for row in self.discipline if row.get("member_code")]
        for row in members:
            if rng.random() < 1 / 16:
                self._appeal(row, AppealOutcome.UPHELD)
        warning = next((row for row in members if row["form"] == Form.WARNING
                        and "appealed_on" not in row
                        and row["decided_on"] < self.today - timedelta(days=150)), None)
        if warning is not None:
            self._appeal(warning, AppealOutcome.CHANGED, Form.REPRIMAND)
        # the annulled expulsion: an official member active since before 2021, still active
        for _attempt in range(300):
            cell = rng.choice(world.cell_list)
            decided = _day_in(rng, date(2022, 1, 1), date(2024, 12, 31))
            before = decided - timedelta(days=1)
            candidates = [m for m in world.members_on(cell, before)
                          if world.status(m, before) == "official"
                          and world.active(m, date(2020, 12, 31), self.today)
                          and not world.committee_member(m, before)]
            decider = world.committee_above(cell, before)
            if not candidates or decider is None:
                continue
            row = self._decision(Form.EXPULSION, member=rng.choice(candidates),
                                 decided_on=decided, decided_by=decider,
                                 body=Body.STANDING_COMMITTEE,
                                 effective_on=decided + timedelta(days=rng.randint(0, 5)))
            self._appeal(row, AppealOutcome.ANNULLED)
            break

    def _appeal(self, row: dict, outcome: str, form: str = "") -> None:
        rng = self.rng
        appealed = row["decided_on"] + timedelta(days=rng.randint(3, 25))
        decided = appealed + timedelta(days=rng.randint(20, 80))
        if appealed >= self.today:
            return
        row["appealed_on"] = appealed
        if decided < self.today:  # else still waiting (the changed and annulled ones are old)
            row.update(appeal_outcome=outcome, appeal_decided_on=decided, appeal_form=form)

    def _late(self) -> None:
        """One reprimand decided after its five years (discipline.limitation)."""
        late = next((row for row in self.discipline if row["form"] == Form.REPRIMAND
                     and row.get("member_code") and not row.get("inspection_code")
                     and not row.get("appealed_on")), None)
        if late is not None:
            late["violation_on"] = late["decided_on"] - timedelta(days=5 * 365 + 200)


PROGRAMME_LEVELS = (K.PROVINCIAL, K.DISTRICT, K.BLOC)
PLANNED = tuple(kind for kind in Kind.values if kind != Kind.INSPECTION_ON_SIGNS)


def programmes(today: date) -> int:
    """The programmes of the province and the districts (blocs) for each year, made from the
    planned inspections they conducted, which are then placed under their items; and the
    province's inspection commission's programme of the term. How many programmes."""
    planned = defaultdict(list)  # (org, body, year) -> inspections
    for inspection in Inspection.objects.filter(
            org__kind__in=PROGRAMME_LEVELS, kind__in=PLANNED).select_related("org").order_by(
            "start_on", "code"):
        planned[inspection.org, inspection.by_body, inspection.start_on.year].append(inspection)
    for (org, body, year), inspections in planned.items():
        programme = services.create_programme(
            actor=SYSTEM, org=org, by_body=body, year=year,
            title=f"Chương trình kiểm tra, giám sát năm {year} của {Body(body).label.lower()}")
        _items(programme, inspections)
    province = Organization.objects.filter(kind=K.PROVINCIAL).order_by("code").first()
    if province is not None and today >= TERM[0]:
        term = services.create_programme(
            actor=SYSTEM, org=province, by_body=Body.INSPECTION_COMMISSION,
            term_from=TERM[0].year, term_to=TERM[1].year,
            title="Chương trình kiểm tra, giám sát toàn khóa 2020–2025")
        for kind in PLANNED:
            services.add_programme_item(term, actor=SYSTEM, kind=kind,
                                        content=TITLES[kind][0], subject_text="Các huyện ủy")
    return len(planned) + (province is not None and today >= TERM[0])


def _items(programme, inspections) -> None:
    """An item per kind and title, planned over the days its inspections started, and each
    inspection under its item."""
    by_line = defaultdict(list)
    for inspection in inspections:
        by_line[inspection.kind, inspection.title].append(inspection)
    for (kind, title), line in by_line.items():
        item = services.add_programme_item(
            programme, actor=SYSTEM, kind=kind, content=title,
            subject_text="Tổ chức đảng và đảng viên thuộc phạm vi",
            planned_from=line[0].start_on, planned_to=line[-1].start_on)
        # the import carries no programme: placed as a clerk opening it under the item would
        Inspection.objects.filter(pk__in=[i.pk for i in line]).update(programme_item=item)


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS): inspections, supervisions,
    discipline."""
    build(seed=context.seed, stream=context.stream)


def plan(*, seed: int, today: date | None = None) -> _Plan:
    """The rows, not imported (deterministic for a seed and the database's records)."""
    made = _Plan(random.Random(seed * 6151 + 29), _World(today or timezone.localdate()))
    made.inspections_of_the_years()
    made.discipline_of_the_years()
    return made


def build(*, seed: int, today: date | None = None, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    made = plan(seed=seed, today=today)
    result = import_records({"inspections.csv": made.inspections,
                             "inspection_subjects.csv": made.subjects,
                             "discipline.csv": made.discipline}, actor=SYSTEM)
    if not result.ok:
        raise RuntimeError("the demo's inspections did not import:\n"
                           + "\n".join(result.errors[:20]))
    counts = {**result.counts, "programmes": programmes(today or timezone.localdate())}
    stream.write(f"  inspection ({time.monotonic() - started:.0f} s):\n"
                 + table([(k, n) for k, n in counts.items() if n], indent="    ")
                 + "\n")
    stream.flush()
    return counts
