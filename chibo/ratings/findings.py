"""The ratings findings of spec BUNDLE-v2.md (ratings.csv, "Findings") as record finding rules
(chibo.findings): `chibo check`, the findings page and exceptions.csv know them.

- `ratings.exempt`, `ratings.disciplined`, `ratings.score` judge one rating: its record is the
  rating's key columns joined by `|` (`2024||M00012`, `2024|D1.X1.C1|`), it lies where its
  subject is (the organization, the member's cell) and arises on `decided_on` (empty: 31
  December of the year).
- `ratings.quota` judges a deciding committee's year for one kind of subject: its record is
  `decided_by|year|subjects` (`D1.X1|2024|members`), it lies at the committee and arises on the
  group's last `decided_on` (or 31 December).

The facts (the subject's last day in the year, its exemption then, the standing discipline,
an organization's children, the default decider) come from chibo.ratings.placement, read once
for all the ratings judged; chibo.ratings.rules judges them.

Who may record an exception: `rating.manage`; who reads the findings: whoever reads the
subtree's statistics.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from chibo.core.fields import path_ids, subtree_range
from chibo.findings.rules import RecordFinding, register_rules
from chibo.members.findings import Breach
from chibo.members.models import MemberPeriod
from chibo.organizations.models import Organization, OrgPeriod
from chibo.ratings import rules
from chibo.ratings.capabilities import MANAGE_RATINGS
from chibo.ratings.choices import Level, Subjects
from chibo.ratings.models import Rating, record_key
from chibo.ratings.placement import Place, Places

FIELDS = ("pk", "year", "org_id", "member_id", "level", "score", "decided_on",
          "decided_by_id", "org__code", "org__name", "member__member_code",
          "member__full_name", "member__cell_id")


@dataclass(frozen=True)
class Judged:
    """One rating with what the findings know of it."""

    row: dict
    place: Place | None
    decider: int | None  # the deciding organization (given, or the default one)
    facts: rules.Facts

    @property
    def subjects(self) -> str:
        return Subjects.ORGS if self.row["org_id"] else Subjects.MEMBERS

    @property
    def record(self) -> str:
        return record_key(self.row["year"], self.row["org__code"],
                          self.row["member__member_code"])


def judge(rows: list[dict], places: Places | None = None) -> list[Judged]:
    """The ratings `rows` (read with `FIELDS`) with their facts."""
    if places is None:
        places = Places((row["member_id"] for row in rows if row["member_id"]),
                        (row["org_id"] for row in rows if row["org_id"]))
    judged = []
    for row in rows:
        year, is_org = row["year"], row["org_id"] is not None
        place = places.place(year=year, member_id=row["member_id"], org_id=row["org_id"])
        decider = row["decided_by_id"] or (
            places.default_decider(place, is_org=is_org) if place else None)
        children = disciplined_children = 0
        if is_org and place is not None:
            children, disciplined_children = places.children_disciplined(row["org_id"], place,
                                                                          year)
        facts = rules.Facts(
            year=year, level=row["level"], score=row["score"], is_org=is_org,
            exempt=bool(place and place.exempt),
            subject_disciplined=places.disciplined(year, member_id=row["member_id"],
                                                   org_id=row["org_id"]),
            children=children, children_disciplined=disciplined_children,
            decided_on=row["decided_on"])
        judged.append(Judged(row, place, decider, facts))
    return judged


def as_finding(breach: Breach, item: Judged) -> RecordFinding:
    row = item.row
    if row["org_id"]:
        org_code, org_name = row["org__code"], row["org__name"]
        subject = f"{row['year']} {row['org__code']} {row['org__name']}"
    else:
        org_code, org_name = row.get("cell_code", ""), row.get("cell_name", "")
        subject = f"{row['year']} {row['member__member_code']} {row['member__full_name']}"
    return RecordFinding(key=breach.key, file=rules.FILE, record=item.record,
                         org_code=org_code, org_name=org_name, subject=subject,
                         detail=breach.detail, rule=str(rules.WORDS[breach.key]),
                         source=rules.source(row["year"]), day=breach.day)


@dataclass(frozen=True)
class QuotaGroup:
    """A deciding committee's ratings of one kind of subject in one year."""

    decider: int
    year: int
    subjects: str
    counts: Counter
    day: date

    @property
    def excellent(self) -> int:
        return self.counts[Level.EXCELLENT]

    @property
    def good(self) -> int:
        return self.counts[Level.GOOD]

    def problem(self) -> str | None:
        return rules.quota_problem(self.excellent, self.good, self.year, self.subjects)


def quota_groups(judged: Iterable[Judged]) -> list[QuotaGroup]:
    counts: dict[tuple, Counter] = defaultdict(Counter)
    days: dict[tuple, date] = {}
    for item in judged:
        if item.decider is None:
            continue
        key = (item.decider, item.row["year"], item.subjects)
        counts[key][item.row["level"]] += 1
        days[key] = max(days.get(key, date.min), item.facts.day)
    return [QuotaGroup(*key, counts[key], days[key]) for key in sorted(counts)]


def quota_finding(group: QuotaGroup, places: Places, detail: str) -> RecordFinding:
    code = places.code(group.decider)
    return RecordFinding(key=rules.QUOTA, file=rules.FILE,
                         record=f"{code}|{group.year}|{group.subjects}", org_code=code,
                         org_name=places.name(group.decider),
                         subject=f"{code} {group.year} {Subjects(group.subjects).label}",
                         detail=detail, rule=str(rules.WORDS[rules.QUOTA]),
                         source=rules.source(group.year), day=group.day)


def rows_of(queryset) -> list[dict]:
    return list(queryset.values(*FIELDS, cell_code=F("member__cell__code"),
                                cell_name=F("member__cell__name")).order_by("year", "pk"))


def subtree_rows(org, today: date | None = None) -> list[dict]:
    """The ratings whose subject (the organization, the member's cell) lies in `org`'s subtree
    today."""
    low, high = subtree_range(org.path)
    return rows_of(Rating.objects.filter(
        Q(org__path__gte=low, org__path__lt=high)
        | Q(member__cell__path__gte=low, member__cell__path__lt=high)))


def find(org, today: date, keys=rules.KEYS) -> list[RecordFinding]:
    record_keys = [key for key in keys if key in rules.RECORD_KEYS]
    found = []
    if record_keys:
        for item in judge(subtree_rows(org, today)):
            found += [as_finding(breach, item) for breach in rules.breaches(item.facts,
                                                                            record_keys)
                      if breach.day <= today]
    if rules.QUOTA in keys:
        found += find_quota(org, today)
    return found


def deciding_in(path: str) -> Q:
    """The ratings whose decider may lie in the subtree at `path`: decided by an organization
    there, or by nobody named and of a subject that was there at some time (its default
    decider lies above it): a superset, judged exactly by `judge`."""
    low, high = subtree_range(path)
    members = MemberPeriod.objects.filter(path__gte=low, path__lt=high).values("member_id")
    orgs = OrgPeriod.objects.filter(path__gte=low, path__lt=high).values("organization_id")
    return Q(decided_by__path__gte=low, decided_by__path__lt=high) | Q(
        Q(member_id__in=members) | Q(org_id__in=orgs), decided_by__isnull=True)


def find_quota(org, today: date) -> list[RecordFinding]:
    """The deciding committees in `org`'s subtree over their quota (their groups may hold
    subjects that moved out since)."""
    rows = rows_of(Rating.objects.filter(deciding_in(org.path)))
    places = Places((row["member_id"] for row in rows if row["member_id"]),
                    (row["org_id"] for row in rows if row["org_id"]))
    groups = [group for group in quota_groups(judge(rows, places))
              if group.day <= today and group.problem() is not None]
    paths = dict(Organization.objects.filter(pk__in={group.decider for group in groups})
                 .values_list("pk", "path"))
    return [quota_finding(group, places, group.problem()) for group in groups
            if org.pk in path_ids(paths[group.decider])]


def register() -> None:
    """Called by the ratings app's ready()."""
    register_rules(keys=rules.KEYS, labels=rules.LABELS, words=rules.WORDS,
                   source=rules.source(date.max.year), file=rules.FILE, capability=MANAGE_RATINGS,
                   find=find, first_order=50)
