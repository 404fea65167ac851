"""The admission findings of spec BUNDLE-v2.md (candidates.csv, "Findings") as record finding
rules (chibo.findings): `chibo check`, the findings page and exceptions.csv know them.

`facts_of` reads what the rules need for many candidates at once — the sponsors' standing on
the cell resolution's day (an official member then, under the same grassroots organization as
the candidate's cell that day) and the admitted member's official recognition — in a few
statements; `chibo.admission.rules.breaches` judges each candidate. A finding points at the
candidate (candidates.csv, record = its code) and lies in the candidate's cell.
"""

from collections import defaultdict
from datetime import date

from chibo.admission import rules
from chibo.admission.capabilities import MANAGE_ADMISSION
from chibo.admission.models import Candidate
from chibo.admission.placement import TreeOnDays
from chibo.core.fields import path_ids, subtree_range
from chibo.findings.rules import RecordFinding, register_rules
from chibo.members.models import MemberFlow, MemberPeriod
from chibo.organizations.calendar import working_calendar
from chibo.organizations.models import Organization

GRASSROOTS = ("grassroots_committee", "grassroots_cell")
FIELDS = ("pk", "code", "full_name", "birth_date", "cell_id", "cell__code", "cell__name",
          "awareness_course_on", "background_checked_on", "sponsor1_id", "sponsor2_id",
          "sponsor1__member_code", "sponsor2__member_code", "youth_union_sponsor",
          "cell_resolution_on", "cell_votes_for", "cell_votes_total", "decision_on",
          "ceremony_on", "ceremony_extension_no", "age_exception_no", "member_id")
CHUNK = 500


class _Grassroots:
    """The grassroots organization an organization lay under on a day (by its path)."""

    def __init__(self):
        self.kinds = dict(Organization.objects.filter(kind__in=GRASSROOTS).values_list(
            "pk", "kind"))

    def of(self, path: str | None) -> int | None:
        return next((pk for pk in reversed(path_ids(path)) if pk in self.kinds), None) \
            if path else None


def facts_of(rows: list[dict]) -> dict[int, rules.Facts]:
    """Candidate id -> its facts, for candidate rows read with `FIELDS`."""
    judged = [row for row in rows if row["cell_resolution_on"] is not None]
    standing = _standing(judged)
    recognized = _recognitions([row for row in judged if row["member_id"]])
    tree = TreeOnDays({row["cell_id"] for row in judged})
    grassroots = _Grassroots()
    facts = {}
    for row in judged:
        day = row["cell_resolution_on"]
        home = grassroots.of(tree.path(row["cell_id"], day))
        sponsors = []
        for n in (1, 2):
            sponsor = row[f"sponsor{n}_id"]
            if sponsor is None:
                continue
            status, path = standing.get((sponsor, day), ("", None))
            sponsors.append(rules.Sponsor(row[f"sponsor{n}__member_code"], status == "official",
                                          home is not None and grassroots.of(path) == home))
        facts[row["pk"]] = rules.Facts(
            birth_date=row["birth_date"], awareness_course_on=row["awareness_course_on"],
            background_checked_on=row["background_checked_on"], sponsors=tuple(sponsors),
            youth_union_sponsor=row["youth_union_sponsor"], cell_resolution_on=day,
            cell_votes_for=row["cell_votes_for"], cell_votes_total=row["cell_votes_total"],
            decision_on=row["decision_on"], ceremony_on=row["ceremony_on"],
            ceremony_extension_no=row["ceremony_extension_no"],
            age_exception_no=row["age_exception_no"],
            recognized_on=recognized.get((row["member_id"], row["decision_on"])))
    return facts


def _standing(rows: list[dict]) -> dict[tuple[int, date], tuple[str, str]]:
    """(sponsor, day) -> (status, path of their cell) on that day, for every sponsor of `rows`
    on their candidate's cell resolution day."""
    wanted = defaultdict(set)
    for row in rows:
        for n in (1, 2):
            if row[f"sponsor{n}_id"] is not None:
                wanted[row[f"sponsor{n}_id"]].add(row["cell_resolution_on"])
    found = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), CHUNK):
        for member, valid_from, valid_to, status, path in MemberPeriod.objects.filter(
                member_id__in=ids[start:start + CHUNK]).values_list(
                "member_id", "valid_from", "valid_to", "status", "path"):
            for day in wanted[member]:
                if valid_from <= day < valid_to:
                    found[(member, day)] = (status, path)
    return found


def _recognitions(rows: list[dict]) -> dict[tuple[int, date], date]:
    """(member, decision day) -> the member's first official recognition on or after it."""
    decided = defaultdict(list)
    for row in rows:
        if row["decision_on"] is not None:
            decided[row["member_id"]].append(row["decision_on"])
    found: dict[tuple[int, date], date] = {}
    ids = sorted(decided)
    for start in range(0, len(ids), CHUNK):
        for member, day in MemberFlow.objects.filter(
                member_id__in=ids[start:start + CHUNK], kind="official").order_by(
                "member_id", "day").values_list("member_id", "day"):
            for decision in decided[member]:
                if day >= decision:
                    found.setdefault((member, decision), day)
    return found


def as_finding(breach: rules.Breach, row: dict) -> RecordFinding:
    return RecordFinding(key=breach.key, file=rules.FILE, record=row["code"],
                         org_code=row["cell__code"], org_name=row["cell__name"],
                         subject=f"{row['code']} {row['full_name']}", detail=breach.detail,
                         rule=str(rules.WORDS[breach.key]), source=rules.SOURCE, day=breach.day)


def subtree_rows(org) -> list[dict]:
    """The candidates whose cell lies in `org`'s subtree today, with what the rules read."""
    low, high = subtree_range(org.path)
    return list(Candidate.objects.filter(cell__path__gte=low, cell__path__lt=high,
                                         cell_resolution_on__isnull=False)
                .values(*FIELDS).order_by("code"))


def find(org, today: date, keys=rules.KEYS) -> list[RecordFinding]:
    rows = subtree_rows(org)
    facts = facts_of(rows)
    calendar = working_calendar()
    return [as_finding(breach, row) for row in rows if row["pk"] in facts
            for breach in rules.breaches(facts[row["pk"]], calendar, today, keys)
            if breach.day <= today]


def register() -> None:
    """Called by the admission app's ready(): exceptions are recorded by who manages
    admission in the candidate's cell."""
    register_rules(keys=rules.KEYS, labels=rules.LABELS, words=rules.WORDS,
                   source=rules.SOURCE, file=rules.FILE, capability=MANAGE_ADMISSION,
                   find=find, first_order=20)


def carried_admissions(member_ids: list[int]) -> set[tuple[int, date]]:
    """(member id, decision day) of the admissions that candidates carry, for those members."""
    return set(Candidate.objects.filter(member_id__in=member_ids, decision_on__isnull=False)
               .values_list("member_id", "decision_on"))
