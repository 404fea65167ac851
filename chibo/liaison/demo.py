"""The demo province's residence liaisons (residence_liaison.csv): "100 % số đảng viên đang
công tác ở cơ quan, đơn vị, doanh nghiệp, lực lượng vũ trang được giới thiệu" — almost.

* **Who**: the working members of today (chibo.liaison.metrics: active in a cell below a
  grassroots organization of a working sector). All but about 2 % were introduced
  (`liaison.missing` shows the rest), some weeks after they came into the cell (not before
  2020, the year 213-QĐ/TW took effect).
* **Where**: a commune's (ward's, town's) grassroots committee existing on that day and one of
  its cells then, drawn at random; army and police members are mostly exempt from the
  residence meetings.
* **Opinions**: the residence cell's 3-213 of each finished year of an attending liaison —
  good for most, fair for some, poor for a few — with about one in a hundred missing
  (`liaison.no_feedback`); an exempt liaison has one only now and then.

The rows go through the bundle's importer, which checks each. Deterministic for a seed.
"""

import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.core.fields import path_ids
from chibo.interchange.importer import import_records
from chibo.liaison import metrics, rules
from chibo.members.models import MemberPeriod
from chibo.organizations.choices import OrgKind, Sector
from chibo.organizations.models import Organization, OrgPeriod

START = date(2020, 2, 1)
MISSING = 0.02
NO_OPINION = 0.01
LEVELS = (("good", 80), ("fair", 17), ("poor", 3))
COMMUNES = (Sector.COMMUNE, Sector.WARD, Sector.TOWN)


class _Residences:
    """The communes' committees and their cells on a day (read once per month drawn)."""

    def __init__(self):
        self.cache: dict[date, list[tuple[str, list[str]]]] = {}

    def on(self, day: date) -> list[tuple[str, list[str]]]:
        month = day.replace(day=1)
        if month not in self.cache:
            periods = list(OrgPeriod.objects.as_of(day).filter(
                organization__kind__in=(OrgKind.GRASSROOTS_COMMITTEE, OrgKind.CELL)).values_list(
                "organization_id", "organization__code", "organization__kind", "sector",
                "path").order_by("path"))
            communes = {org: code for org, code, kind, sector, _path in periods
                        if kind == OrgKind.GRASSROOTS_COMMITTEE and sector in COMMUNES}
            cells = defaultdict(list)
            for _org, code, kind, _sector, path in periods:
                if kind == OrgKind.CELL:
                    for above in path_ids(path)[:-1]:
                        if above in communes:
                            cells[communes[above]].append(code)
            self.cache[month] = [(code, cells[code]) for code in sorted(communes.values())
                                 if cells[code]]
        return self.cache[month]


def plan(*, seed: int, today: date) -> list[dict]:
    rng = random.Random(seed * 104729 + 213)
    root = Organization.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None:
        return []
    cells = metrics.working_cells(root, today)
    periods = MemberPeriod.objects.filter(path__in=list(cells), valid_from__lte=today,
                                          valid_to__gt=today).values_list(
        "member__member_code", "valid_from", "path").order_by("member__member_code")
    sectors = dict(OrgPeriod.objects.as_of(today).filter(
        sector__in=rules.WORKING_SECTORS).values_list("organization_id", "sector"))
    residences, rows = _Residences(), []
    for code, since, path in periods:
        if rng.random() < MISSING:
            continue
        day = max(since, START) + timedelta(days=rng.randint(7, 60))
        if day > today:
            continue
        choices = residences.on(day)
        if not choices:
            continue
        org, org_cells = rng.choice(choices)
        armed = any(sectors.get(pk) in (Sector.ARMY, Sector.POLICE) for pk in path_ids(path))
        exempt = rng.random() < (0.7 if armed else 0.02)
        liaison = {"member_code": code, "introduced_on": day, "org_code": org,
                   "cell_code": rng.choice(org_cells), "exempt_from_meetings": exempt,
                   "ended_on": None}
        years = [year for year in range(day.year, today.year)
                 if rng.random() >= (0.8 if exempt else NO_OPINION)]
        levels = rng.choices([level for level, _w in LEVELS], [w for _l, w in LEVELS],
                             k=len(years))
        rows += [{**liaison, "year": year, "feedback": level}
                 for year, level in zip(years, levels, strict=True)]
        if not years:
            rows.append({**liaison, "year": None, "feedback": None})
    return rows


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS): the liaisons."""
    build(seed=context.seed, stream=context.stream)


def build(*, seed: int, today: date | None = None, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    rows = plan(seed=seed, today=today or timezone.localdate())
    result = import_records({rules.FILE: rows}, actor=SYSTEM)
    if not result.ok:
        raise RuntimeError("the demo's liaisons did not import:\n"
                           + "\n".join(result.errors[:20]))
    stream.write(f"  residence liaison: {result.counts.get(rules.FILE, 0)} rows "
                 f"({time.monotonic() - started:.0f} s)\n")
    stream.flush()
    return result.counts
