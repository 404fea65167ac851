"""The demo province's party badges over the years (badges.csv): at every award day (3/2, 19/5,
2/9, 7/11) from 2015 to the last one before today, the members who reached a milestone of party
age since the award day before (chibo.members.queries.badge_rows, the due list's own query: the
party age with its gaps) get their badge that day, if they were active in the province then; a
few seriously ill members get theirs one round early (`ill`, within the 12 months allowed).

The rows go through the bundle's importer (`chibo.interchange.importer.import_records`), which
checks each as it checks a province's files; the findings it leaves (a badge within the delay
after a discipline) are real history, as a province's would be. Deterministic: one
`random.Random` seeded from the demo's seed, rows in a fixed order.
"""

import random
import sys
import time
from datetime import date

from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.badges.rules import FILE
from chibo.core.console import table
from chibo.inspection.placement import MemberDays
from chibo.interchange.importer import import_records
from chibo.members.models import Member
from chibo.members.queries import award_dates_after, badge_rows

FIRST_YEAR = 2015
EARLY_ILL = 0.02  # the share of a round's badges given one round early to an ill member


def award_days(first: date, today: date) -> list[date]:
    """The award days from `first` to `today`, oldest first."""
    days, day = [], first
    while True:
        day = award_dates_after(day, 1)[0]
        if day > today:
            return days
        days.append(day)


def plan(*, seed: int, today: date) -> list[dict]:
    rng = random.Random(seed * 7919 + 11)
    days = award_days(date(FIRST_YEAR - 1, 12, 31), today)
    rows, seen = [], set()
    for previous, award in zip(days, days[1:], strict=False):
        found = list(badge_rows(Member.objects.all(), award, previous)
                     .values_list("pk", "member_code", "milestone").order_by("member_code"))
        active = MemberDays(pk for pk, _code, _m in found)
        for pk, code, milestone in found:
            day, reason = award, None
            if rng.random() < EARLY_ILL and previous.year >= FIRST_YEAR:
                day, reason = previous, "ill"
            if (code, milestone) in seen or active.on(pk, day) is None:
                continue
            seen.add((code, milestone))
            rows.append({"member_code": code, "years": milestone, "awarded_on": day,
                         "early_reason": reason})
    return rows


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS): the badges."""
    build(seed=context.seed, stream=context.stream)


def build(*, seed: int, today: date | None = None, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    rows = plan(seed=seed, today=today or timezone.localdate())
    planned = time.monotonic()
    result = import_records({FILE: rows}, actor=SYSTEM)
    if not result.ok:
        raise RuntimeError("the demo's badges did not import:\n" + "\n".join(result.errors[:20]))
    stream.write(f"  badges ({planned - started:.0f} s plan, "
                 f"{time.monotonic() - planned:.0f} s import):\n"
                 + table([(k, n) for k, n in result.counts.items() if n], indent="    ")
                 + "\n")
    stream.flush()
    return dict(result.counts)
