"""The badges findings of spec BUNDLE-v2.md (badges.csv, "Findings") as record finding rules
(chibo.findings): `chibo check`, the findings page and exceptions.csv know them.

Each judges one badge: its record is the badge's key columns joined by `|` (`M00018|30`), it lies
in the member's cell and arises on `awarded_on`. The facts come from chibo.badges.facts, read
once for all the badges judged; chibo.badges.rules judges them. Who may record an exception:
`badge.manage`; who reads the findings: whoever reads the subtree's statistics.
"""

from datetime import date

from chibo.badges import rules
from chibo.badges.capabilities import MANAGE_BADGES
from chibo.badges.facts import Reading
from chibo.badges.models import Badge, record_key
from chibo.core.fields import subtree_range
from chibo.findings.rules import RecordFinding, register_rules
from chibo.members.findings import Breach

FIELDS = ("member_id", "years", "awarded_on", "early_reason", "member__admitted_on",
          "member__member_code",
          "member__full_name", "member__cell__code", "member__cell__name")


def as_finding(breach: Breach, row: dict) -> RecordFinding:
    return RecordFinding(
        key=breach.key, file=rules.FILE,
        record=record_key(row["member__member_code"], row["years"]),
        org_code=row["member__cell__code"], org_name=row["member__cell__name"],
        subject=f"{row['member__member_code']} {row['member__full_name']} "
                f"({row['years']} năm)",
        detail=breach.detail, rule=str(rules.WORDS[breach.key]),
        source=rules.source(row["awarded_on"]), day=breach.day)


def row_of(member, years: int, day: date, early_reason: str = "") -> dict:
    """A badge not stored yet (one being decided, one proposed for `day`) as `judge` reads it."""
    return {"member_id": member.pk, "years": years, "awarded_on": day,
            "early_reason": early_reason, "member__admitted_on": member.admitted_on,
            "member__member_code": member.member_code, "member__full_name": member.full_name,
            "member__cell__code": member.cell.code, "member__cell__name": member.cell.name}


def judge(rows: list[dict], keys=rules.KEYS, reading: Reading | None = None):
    """The findings of the badges `rows` (read with FIELDS)."""
    reading = reading or Reading(row["member_id"] for row in rows)
    found = []
    for row in rows:
        facts = reading.facts(row["member_id"], row["member__admitted_on"], row["years"],
                              row["awarded_on"], row["early_reason"])
        found += [as_finding(breach, row) for breach in rules.breaches(facts, keys)]
    return found


def find(org, today: date, keys=rules.KEYS) -> list[RecordFinding]:
    """The badges of members whose cell lies in `org`'s subtree, awarded by `today`."""
    low, high = subtree_range(org.path)
    rows = list(Badge.objects.filter(
        member__cell__path__gte=low, member__cell__path__lt=high, awarded_on__lte=today)
        .values(*FIELDS).order_by("awarded_on", "pk"))
    return judge(rows, keys)


def register() -> None:
    """Called by the badges app's ready()."""
    register_rules(keys=rules.KEYS, labels=rules.LABELS, words=rules.WORDS,
                   source=rules.source(date.max), file=rules.FILE, capability=MANAGE_BADGES,
                   find=find, first_order=70)
