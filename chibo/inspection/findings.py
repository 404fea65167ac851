"""The discipline findings of spec BUNDLE-v2.md (discipline.csv, "Findings") as record finding
rules (chibo.findings): `chibo check`, the findings page and exceptions.csv know them.

`facts_of` reads what the rules need for many decisions at once — the member's status and cell
the day before `decided_on`, the party posts the day before the decision takes effect — in a few
statements; `chibo.inspection.rules.breaches` judges each decision. A finding points at the
decision (discipline.csv, record = its code), lies where its subject is (the organization, or
the member's cell), and arises on `decided_on`.

Who may record an exception: `inspection.manage`; the findings are confidential as the cases
are (`inspection.view`, `VIEW_CAPABILITY`).
"""

from datetime import date

from chibo.core.fields import subtree_range
from chibo.findings.rules import RecordFinding, register_rules
from chibo.inspection import rules
from chibo.inspection.capabilities import MANAGE_INSPECTION, VIEW_INSPECTION
from chibo.inspection.models import Discipline
from chibo.inspection.placement import Committee, MemberDays, TreeOnDays, day_before

VIEW_CAPABILITY = VIEW_INSPECTION
FIELDS = ("pk", "code", "org_id", "member_id", "form", "violation_on", "decided_on",
          "effective_on", "decided_by_id", "decided_by__kind", "org__code", "org__name",
          "member__member_code", "member__full_name", "member__cell__code",
          "member__cell__name")


def facts_of(rows: list[dict]) -> dict[int, rules.Facts]:
    """Decision id -> its facts, for discipline rows read with `FIELDS`."""
    members = [row["member_id"] for row in rows if row["member_id"]]
    days = MemberDays(members)
    committee = Committee(members)
    tree = TreeOnDays({row["decided_by_id"] for row in rows})
    facts = {}
    for row in rows:
        before = day_before(row["decided_on"])
        effective = row["effective_on"] or row["decided_on"]
        probationary, own, holds = False, True, True
        if row["member_id"]:
            stint = days.on(row["member_id"], before)
            probationary = stint is not None and stint.status == "probationary"
            own = stint is not None and stint.org_id == tree.followed(row["decided_by_id"],
                                                                      before)
            holds = committee.holds(row["member_id"], day_before(effective))
        facts[row["pk"]] = rules.Facts(
            form=row["form"], subject_is_org=row["org_id"] is not None,
            violation_on=row["violation_on"], decided_on=row["decided_on"],
            effective_on=row["effective_on"], probationary=probationary,
            decider_is_cell=row["decided_by__kind"] in rules.CELL_KINDS, own_member=own,
            holds_post=holds)
    return facts


def as_finding(breach: rules.Breach, row: dict) -> RecordFinding:
    if row["org_id"]:
        org_code, org_name = row["org__code"], row["org__name"]
        subject = f"{row['code']} {row['org__name']}"
    else:
        org_code, org_name = row["member__cell__code"], row["member__cell__name"]
        subject = f"{row['code']} {row['member__member_code']} {row['member__full_name']}"
    return RecordFinding(key=breach.key, file=rules.FILE, record=row["code"],
                         org_code=org_code, org_name=org_name, subject=subject,
                         detail=breach.detail, rule=str(rules.WORDS[breach.key]),
                         source=rules.source(row["decided_on"]), day=breach.day)


def subtree_rows(org, today: date | None = None) -> list[dict]:
    """The decisions whose subject (the organization, the member's cell) lies in `org`'s
    subtree today, decided by `today`."""
    low, high = subtree_range(org.path)
    rows = Discipline.objects.filter(
        **({"decided_on__lte": today} if today else {})).filter(
        (_range("org__path", low, high)) | _range("member__cell__path", low, high))
    return list(rows.values(*FIELDS).order_by("code"))


def _range(field: str, low: str, high: str):
    from django.db.models import Q

    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def find(org, today: date, keys=rules.KEYS) -> list[RecordFinding]:
    rows = subtree_rows(org, today)
    facts = facts_of(rows)
    return [as_finding(breach, row) for row in rows
            for breach in rules.breaches(facts[row["pk"]], keys) if breach.day <= today]


def register() -> None:
    """Called by the inspection app's ready()."""
    register_rules(keys=rules.KEYS, labels=rules.LABELS, words=rules.WORDS,
                   source=rules.source(date.max), file=rules.FILE, capability=MANAGE_INSPECTION,
                   find=find, first_order=40, view_capability=VIEW_CAPABILITY)
