"""The statutory member rules as record findings (RULES.md §1; spec BUNDLE-v2.md, exceptions.csv).

Three rules of the regulation are findings, not import errors: a record that breaks them is real
history (an old file, a decision that allowed it), so the bundle keeps it and `chibo check` lists
it under a stable key; the member pages refuse a change that would break them unless the officer
records the exception in the same step (chibo.members.services).

- `members.probation`: official recognition earlier than 12 months after the admission (the
  starting row's `admitted_on`, or the last readmission); the ceremony, from which the
  regulation counts, is not recorded. Arises on the day of the recognition.
- `members.readmission`: a readmission earlier than 36 months after the membership ended, or a
  second readmission. Arises on the day of the readmission.
- `members.admission_age`: an admission (`admitted_on`, or a readmission) when the months from
  the birth month to the admission month are outside 216–720 (18 to 60 years counted by
  month); above 60 the member file's admission-age decision (`age_exception`, the provincial
  committee's) allows it. Arises on the day of the admission. Only for the admissions that no
  process's record carries (spec BUNDLE-v2.md, exceptions.csv: a candidate's row judges its
  admission's age itself, `admission.age`): see `CARRIED`.

Every finding points at the member (members.csv, record = member_code) and lies in the member's
cell of today. `breaches` judges one member's facts and is the one implementation of the rules:
the subtree search picks its candidates in SQL (a few scans of the members and events of the
subtree), then judges them with it; the services judge the member they change with it.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import Capability
from chibo.core.db import PlusMonths
from chibo.core.fields import subtree_range
from chibo.core.registry import Store, declare
from chibo.findings.rules import RULES, FindingRule, RecordFinding, register_rule
from chibo.members.lifecycle import ENDINGS, EventKind, add_months
from chibo.members.models import Member, MemberEvent

PROBATION = "members.probation"
READMISSION = "members.readmission"
ADMISSION_AGE = "members.admission_age"
FILE = "members.csv"

PROBATION_MONTHS = 12
READMISSION_GAP_MONTHS = 36
AGE_MONTHS = (216, 720)  # 18 and 60 years, counted by month
CHUNK = 500
# The events the rules read; the others change nothing they judge.
JUDGED_EVENTS = tuple(sorted({EventKind.OFFICIAL, EventKind.READMIT, *ENDINGS}))

WORDS = {
    PROBATION: (gettext_lazy("Đảng viên dự bị được xét công nhận chính thức khi đã hết 12 tháng "
                             "dự bị."),
                "Điều lệ Đảng, Điều 5; 294-QĐ/TW (26/5/2025)"),
    READMISSION: (gettext_lazy("Người đã ra khỏi Đảng chỉ được xét kết nạp lại sau ít nhất 36 "
                               "tháng kể từ khi ra khỏi Đảng, và chỉ được kết nạp lại một lần."),
                  "232-QĐ/TW (20/1/2025); 294-QĐ/TW (26/5/2025)"),
    ADMISSION_AGE: (gettext_lazy("Người được kết nạp phải từ đủ 18 tuổi đến đủ 60 tuổi (tính "
                                 "theo tháng); kết nạp người trên 60 tuổi cần cấp ủy tỉnh đồng "
                                 "ý."),
                    "Điều lệ Đảng, Điều 1; 294-QĐ/TW (26/5/2025)"),
}


# Admissions that a process's own record judges the age of (chibo.admission registers the
# candidates' decisions): key -> a function of member ids giving the (member id, admission day)
# pairs it carries. `members.admission_age` leaves those out.
CARRIED: Store = declare("members.carried_admissions")


def carried(member_ids: list[int]) -> set[tuple[int, date]]:
    return set().union(*(source(member_ids) for source in CARRIED.values()))


# Finding rules that a process defines on a member's own file (chibo.courses registers
# `members.new_member_course`): key -> `judge(member, facts)` giving that rule's breaches
# (`Breach`, keyed by the rule's key, which the process registers with chibo.findings). The
# records core may not import the processes, so they come in here; the services ask them beside
# the rules above (`member_breaches`), so that a page action breaking one anew is refused the
# same way unless an exception is recorded (chibo.members.services.guard_findings).
JUDGES: Store = declare("members.process_rules")


@dataclass(frozen=True)
class Facts:
    """What the rules read of one member: the starting row and the judged events, in the
    replay's order (by day; on one day, as recorded)."""

    birth_date: date
    admitted_on: date
    official_on: date | None
    age_exception: str
    events: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class Breach:
    key: str
    day: date
    detail: str


def dmy(day: date) -> str:
    """A day as a finding's words write it (dd/mm/yyyy)."""
    return date_format(day, "d/m/Y")


def months_between(first: date, second: date) -> int:
    """Calendar months from `first`'s month to `second`'s (days ignored)."""
    return (second.year - first.year) * 12 + second.month - first.month


def breaches(facts: Facts, keys: Iterable[str] = (ADMISSION_AGE, PROBATION, READMISSION)
             ) -> list[Breach]:
    """Every breach of the rules `keys` (all three by default) in one member's facts, in the
    order they arose."""
    found = [breach for key in keys for breach in _JUDGES[key](facts)]
    return sorted(found, key=lambda breach: (breach.day, breach.key))


def _age_breaches(facts: Facts) -> Iterable[Breach]:
    admissions = [(facts.admitted_on, True)] + [
        (day, False) for kind, day in facts.events if kind == EventKind.READMIT]
    low, high = AGE_MONTHS
    for day, first in admissions:
        months = months_between(facts.birth_date, day)
        allowed_above = first and bool(facts.age_exception)
        if months < low or (months > high and not allowed_above):
            yield Breach(ADMISSION_AGE, day, _(
                "Kết nạp ngày %(day)s khi %(years)s tuổi %(months)s tháng (tính theo tháng), "
                "ngoài độ tuổi từ đủ 18 đến 60 tuổi.") % {
                "day": dmy(day), "years": months // 12, "months": months % 12})


def _probation_breaches(facts: Facts) -> Iterable[Breach]:
    recognitions = [(facts.official_on, facts.admitted_on)] if facts.official_on else []
    since = facts.admitted_on
    for kind, day in facts.events:
        if kind == EventKind.READMIT:
            since = day
        elif kind == EventKind.OFFICIAL:
            recognitions.append((day, since))
    for day, admitted in recognitions:
        earliest = add_months(admitted, PROBATION_MONTHS)
        if day < earliest:
            yield Breach(PROBATION, day, _(
                "Công nhận chính thức ngày %(day)s khi chưa đủ 12 tháng dự bị (kết nạp "
                "%(admitted)s; sớm nhất %(earliest)s).") % {
                "day": dmy(day), "admitted": dmy(admitted), "earliest": dmy(earliest)})


def _readmission_breaches(facts: Facts) -> Iterable[Breach]:
    ended_on: date | None = None
    readmissions = 0
    for kind, day in facts.events:
        if kind in ENDINGS:
            ended_on = day
        elif kind == EventKind.READMIT:
            readmissions += 1
            reasons = []
            if readmissions > 1:
                reasons.append(_("đã kết nạp lại trước đó; chỉ được kết nạp lại một lần"))
            if ended_on is not None and day < add_months(ended_on, READMISSION_GAP_MONTHS):
                reasons.append(_("chưa đủ 36 tháng kể từ khi ra khỏi Đảng ngày %(ended)s (sớm "
                                 "nhất %(earliest)s)") % {
                    "ended": dmy(ended_on),
                    "earliest": dmy(add_months(ended_on, READMISSION_GAP_MONTHS))})
            if reasons:
                yield Breach(READMISSION, day, _("Kết nạp lại ngày %(day)s: %(reasons)s.") % {
                    "day": dmy(day), "reasons": "; ".join(reasons)})


_JUDGES = {ADMISSION_AGE: _age_breaches, PROBATION: _probation_breaches,
           READMISSION: _readmission_breaches}


def recognition_days(facts: Facts) -> list[date]:
    """The days of the member's recognitions as official (the starting row's and the events'),
    in order."""
    days = [day for kind, day in facts.events if kind == EventKind.OFFICIAL]
    return sorted(([facts.official_on] if facts.official_on else []) + days)


def member_breaches(member: Member, facts: Facts) -> list[Breach]:
    """Every breach in one member's facts: of the rules above and of the processes' rules on
    the member's file (`JUDGES`), in the order they arose."""
    found = breaches(facts) + [breach for judge in JUDGES.values()
                               for breach in judge(member, facts)]
    return sorted(found, key=lambda breach: (breach.day, breach.key))


def facts_of(member: Member, events: Sequence) -> Facts:
    """A member's facts from its row and its MemberEvents (stored or about to be)."""
    ordered = sorted(((e.effective_on, position, e.event) for position, e in enumerate(events)
                      if e.event in JUDGED_EVENTS))
    return Facts(member.birth_date, member.admitted_on, member.official_on,
                 member.age_exception or "", tuple((kind, day) for day, _p, kind in ordered))


# The subtree ----------------------------------------------------------------------------------

def _subtree_members(org):
    low, high = subtree_range(org.path)
    return Member.objects.filter(cell__path__gte=low, cell__path__lt=high)


def _subtree_events(org, kind: str):
    low, high = subtree_range(org.path)
    return MemberEvent.objects.filter(event=kind, member__cell__path__gte=low,
                                      member__cell__path__lt=high)


def candidate_ids(org, key: str) -> set[int]:
    """Members of the subtree that may break the rule `key`, read in SQL with date arithmetic
    of the database (chibo.core.db.PlusMonths): those that do, and a few more (readmitted
    members are judged for every rule, a readmission being an admission that starts a
    probation; SQLite's month arithmetic passes a few month ends); `breaches` then decides.
    The members' dates are read from the index `member_cell_dates` alone."""
    ids = set(_subtree_events(org, EventKind.READMIT).values_list("member_id", flat=True))
    members = _subtree_members(org)
    if key == ADMISSION_AGE:
        low, high = AGE_MONTHS  # before the month of 18, or after the month of 60
        ids |= set(members.filter(
            Q(admitted_on__lt=PlusMonths("birth_date", low, month_start=True))
            | Q(admitted_on__gte=PlusMonths("birth_date", high + 1, month_start=True)))
            .values_list("pk", flat=True))
    elif key == PROBATION:
        ids |= set(members.filter(official_on__lt=PlusMonths("admitted_on", PROBATION_MONTHS))
                   .values_list("pk", flat=True))
        ids |= set(_subtree_events(org, EventKind.OFFICIAL).filter(
            effective_on__lt=PlusMonths("member__admitted_on", PROBATION_MONTHS))
            .values_list("member_id", flat=True))
    return ids


def subtree_breaches(org, key: str, today: date) -> list[tuple[dict, Breach]]:
    """(member values, breach) of every breach of `key` in the subtree that arose on or before
    today."""
    ids = sorted(candidate_ids(org, key))
    found = []
    skipped = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        if key == ADMISSION_AGE:
            skipped = carried(chunk)
        events = defaultdict(list)
        for member_id, kind, day in MemberEvent.objects.filter(
                member_id__in=chunk, event__in=JUDGED_EVENTS).order_by(
                "member_id", "effective_on", "seq").values_list("member_id", "event",
                                                                "effective_on"):
            events[member_id].append((kind, day))
        for values in Member.objects.filter(pk__in=chunk).values(
                "pk", "member_code", "full_name", "birth_date", "admitted_on", "official_on",
                "age_exception", "cell__code", "cell__name"):
            facts = Facts(values["birth_date"], values["admitted_on"], values["official_on"],
                          values["age_exception"], tuple(events[values["pk"]]))
            found += [(values, breach) for breach in breaches(facts, (key,))
                      if breach.day <= today and (values["pk"], breach.day) not in skipped]
    return found


def as_finding(breach: Breach, member_code: str, full_name: str, org_code: str,
               org_name: str) -> RecordFinding:
    words, source = WORDS.get(breach.key) or (RULES[breach.key].rule, RULES[breach.key].source)
    return RecordFinding(key=breach.key, file=FILE, record=member_code, org_code=org_code,
                         org_name=org_name, subject=f"{member_code} {full_name}",
                         detail=breach.detail, rule=str(words), source=source, day=breach.day)


def _finder(key: str):
    def find(org, today: date) -> list[RecordFinding]:
        return [as_finding(breach, values["member_code"], values["full_name"],
                           values["cell__code"], values["cell__name"])
                for values, breach in subtree_breaches(org, key, today)]
    return find


LABELS = {
    PROBATION: gettext_lazy("Công nhận chính thức khi chưa đủ 12 tháng dự bị"),
    READMISSION: gettext_lazy("Kết nạp lại trái quy định (chưa đủ 36 tháng, hoặc lần thứ hai)"),
    ADMISSION_AGE: gettext_lazy("Kết nạp ngoài độ tuổi từ đủ 18 đến 60"),
}


def register() -> None:
    """Called by the members app's ready(). Exceptions to them are recorded by who manages the
    member's file (member.manage on the member's cell)."""
    for order, key in enumerate((PROBATION, READMISSION, ADMISSION_AGE)):
        words, source = WORDS[key]
        register_rule(FindingRule(key=key, label=LABELS[key], rule=words, source=source,
                                  file=FILE, capability=Capability.MANAGE_MEMBERS,
                                  find=_finder(key), order=order))
