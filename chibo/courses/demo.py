"""The demo province's courses of 2020 to this year (courses.csv, enrollments.csv), in the
magnitudes of the province's report (shared/seed: "98 lớp bồi dưỡng nhận thức về Đảng cho 5.094
học viên; 74 lớp bồi dưỡng đảng viên mới cho 3.481 đồng chí; 83 lớp bồi dưỡng bí thư chi bộ và
cấp ủy viên cơ sở cho 7.101 đồng chí" in a term), each opened by a district-level committee
(the second level of the tree) for the cells under it that day:

* awareness courses: one per committee on each course day (chibo.admission.demo's
  AWARENESS_DAYS) on which its candidates got their certificate, split into classes of at most
  CLASS_SIZE; every such candidate completed it;
* new-member courses: on NEW_MEMBER_DAYS, for the members admitted from a candidate's file at
  least three weeks before and still on probation; most complete it, a few fail or drop out
  and about one in twenty never attends — recognized anyway, they are the
  `members.new_member_course` findings;
* secretary courses: one a year per committee (mid-June), for the secretaries of a third of
  its cells.

Written as courses.csv and enrollments.csv through the bundle's importer
(`chibo.interchange.importer.import_records`), which checks each row as the services do (the
committee existing on the first day, who may learn in which course, the member active or the
candidate not withdrawn on the first day) and writes in bulk. Deterministic (seeded).
"""

import random
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.admission.demo import ADMITTED_FROM, course_day
from chibo.admission.models import Candidate
from chibo.admission.placement import TreeOnDays
from chibo.core.console import table
from chibo.core.fields import path_ids
from chibo.courses.choices import CourseKind, Result
from chibo.interchange.importer import import_records
from chibo.members.choices import PostRole
from chibo.members.models import MemberPeriod, Position
from chibo.organizations.models import Organization

CLASS_SIZE = 60
NEW_MEMBER_DAYS = ((4, 25), (7, 20), (11, 15))
SECRETARY_DAY = (6, 15)
LENGTH = {CourseKind.AWARENESS: 5, CourseKind.NEW_MEMBER: 7, CourseKind.SECRETARY: 10}
NAMES = {CourseKind.AWARENESS: "Lớp bồi dưỡng nhận thức về Đảng",
         CourseKind.NEW_MEMBER: "Lớp bồi dưỡng đảng viên mới",
         CourseKind.SECRETARY: "Lớp bồi dưỡng bí thư chi bộ, cấp ủy viên cơ sở"}
LETTERS = {CourseKind.AWARENESS: "NT", CourseKind.NEW_MEMBER: "DM", CourseKind.SECRETARY: "BT"}


class _Courses:
    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        self.orgs = {pk: (code, name) for pk, code, name in Organization.objects.values_list(
            "pk", "code", "name")}
        self.tree = TreeOnDays(self.orgs)
        self.periods = defaultdict(list)
        for member, start, end in MemberPeriod.objects.filter(
                valid_to__gt=ADMITTED_FROM).values_list("member_id", "valid_from", "valid_to"):
            self.periods[member].append((start, end))
        self.courses: list[dict] = []
        self.numbers: Counter = Counter()  # classes of a kind in a year, numbering its courses
        self.enrollments: list[dict] = []

    def organizer(self, cell: int, day: date) -> int | None:
        """The district-level committee (second level of the tree) above `cell` on `day`."""
        path = self.tree.path(cell, day)
        ids = path_ids(path) if path else []
        return ids[1] if len(ids) > 2 else (ids[0] if ids else None)

    def active(self, member: int, day: date) -> bool:
        return any(start <= day < end for start, end in self.periods[member])

    def open(self, kind: str, organizer: int, end_on: date,
             learners: list[tuple[str, str, str]]) -> None:
        """Classes of `kind` ending on `end_on`, at most CLASS_SIZE learners each; a learner is
        (column, code, result)."""
        code, name = self.orgs[organizer]
        for start in range(0, len(learners), CLASS_SIZE):
            self.numbers[(kind, end_on.year)] += 1
            number = self.numbers[(kind, end_on.year)]
            course = f"L{LETTERS[kind]}-{end_on.year}-{number:03d}"
            self.courses.append({
                "code": course, "kind": kind, "org_code": code,
                "name": f"{NAMES[kind]} khóa {number}/{end_on.year}",
                "start_on": end_on - timedelta(days=LENGTH[kind] - 1), "end_on": end_on,
                "place": "Trung tâm chính trị " + name.removeprefix("Đảng bộ "),
                "decision_no": f"{self.rng.randint(1, 999)}-QĐ/HU"})
            for n, (column, learner, result) in enumerate(learners[start:start + CLASS_SIZE]):
                done = result == Result.COMPLETED
                self.enrollments.append({
                    "course_code": course, column: learner, "result": result,
                    "certificate_on": end_on if done else None,
                    "certificate_no": f"{course}/{n + 1:03d}" if done else None})

    def awareness(self) -> None:
        groups = defaultdict(list)
        for code, cell, day in Candidate.objects.filter(
                awareness_course_on__isnull=False).values_list(
                "code", "cell_id", "awareness_course_on").order_by("awareness_course_on", "code"):
            organizer = self.organizer(cell, day - timedelta(days=LENGTH[CourseKind.AWARENESS]))
            if organizer is not None:
                groups[(day, organizer)].append(("candidate_code", code, Result.COMPLETED))
        for (day, organizer), learners in sorted(groups.items()):
            self.open(CourseKind.AWARENESS, organizer, day, learners)

    def new_members(self) -> None:
        """Members admitted from a candidate's file: the first new-member course day three
        weeks after the decision (within the probation), mostly completed."""
        rng = self.rng
        groups = defaultdict(list)
        for member, code, cell, decided in Candidate.objects.filter(
                member__isnull=False).values_list("member_id", "member__member_code", "cell_id",
                                                  "decision_on").order_by("decision_on", "code"):
            end_on = course_day(NEW_MEMBER_DAYS, decided + timedelta(days=21),
                                 min(decided + timedelta(days=330), self.today))
            start_on = end_on and end_on - timedelta(days=LENGTH[CourseKind.NEW_MEMBER] - 1)
            roll = rng.random()
            if end_on is None or roll < 0.05 or not self.active(member, start_on):
                continue
            result = (Result.COMPLETED if roll < 0.96
                      else rng.choice((Result.FAILED, Result.DROPPED)))
            organizer = self.organizer(cell, start_on)
            if organizer is not None:
                groups[(end_on, organizer)].append(("member_code", code, result))
        for (day, organizer), learners in sorted(groups.items()):
            self.open(CourseKind.NEW_MEMBER, organizer, day, learners)

    def secretaries(self) -> None:
        posts = list(Position.objects.filter(
            role=PostRole.SECRETARY, org__isnull=False).values_list(
            "member_id", "member__member_code", "org_id", "start_on", "end_on").order_by(
            "start_on", "member__member_code"))
        for year in range(ADMITTED_FROM.year, self.today.year + 1):
            end_on = date(year, *SECRETARY_DAY)
            start_on = end_on - timedelta(days=LENGTH[CourseKind.SECRETARY] - 1)
            if end_on > self.today:
                break
            groups, chosen = defaultdict(list), set()  # a member holding two posts comes once
            for member, code, org, start, end in posts:
                if (member not in chosen and start <= start_on and (end is None or end > end_on)
                        and self.rng.random() < 1 / 3 and self.active(member, start_on)):
                    chosen.add(member)
                    organizer = self.organizer(org, start_on)
                    if organizer is not None:
                        groups[organizer].append(("member_code", code, Result.COMPLETED))
            for organizer, learners in sorted(groups.items()):
                self.open(CourseKind.SECRETARY, organizer, end_on, learners)


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS): the courses."""
    build(seed=context.seed, stream=context.stream)


def build(*, seed: int, today: date | None = None, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    courses = _Courses(random.Random(seed * 7933 + 19), today or timezone.localdate())
    courses.awareness()
    courses.new_members()
    courses.secretaries()
    result = import_records({"courses.csv": courses.courses,
                             "enrollments.csv": courses.enrollments}, actor=SYSTEM)
    if not result.ok:
        raise RuntimeError("the demo's courses did not import:\n" + "\n".join(result.errors[:20]))
    stream.write(f"  courses ({time.monotonic() - started:.0f} s):\n"
                 + table([(k, n) for k, n in result.counts.items() if n], indent="    ")
                 + "\n")
    stream.flush()
    return result.counts
