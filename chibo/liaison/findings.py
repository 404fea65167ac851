"""The residence liaison's findings of spec BUNDLE-v2.md (residence_liaison.csv, "Findings") as
record finding rules (chibo.findings): `chibo check`, the findings page and exceptions.csv know
them.

- `liaison.missing`: a working member (chibo.liaison.rules) on `today` without a liaison open
  that day. Its record is the member (members.csv, `member_code`); it arises on the day the
  member came into the working cell, or the day after their last liaison ended if later.
- `liaison.no_feedback`: an attending liaison (not exempt from the residence meetings) without
  the opinion of a year it was open in while the member was active, once that year's opinion
  is overdue (chibo.liaison.rules.last_judged_year). Its record is the liaison,
  `member_code|introduced_on`; the detail names the years; it arises when the first of them
  became overdue.

Both lie at the member's cell (today's), as the other processes' member findings do: the
working side manages the liaison (`member.manage`: it introduces the member again, or asks the
residence cell for the slip) and records an exception.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Max
from django.utils.translation import gettext as _

from chibo.accounts.policy import Capability
from chibo.core.fields import subtree_range
from chibo.findings.rules import FindingRule, RecordFinding, register_rule
from chibo.liaison import rules
from chibo.liaison.metrics import open_on, working_cells
from chibo.liaison.models import Liaison, Opinion, record_key
from chibo.liaison.placement import MemberSpans, active_years
from chibo.members.models import MemberPeriod


def _finding(key: str, file: str, record: str, cell, subject: str, detail: str,
             day: date) -> RecordFinding:
    return RecordFinding(key=key, file=file, record=record, org_code=cell.code,
                         org_name=cell.name, subject=subject, detail=detail,
                         rule=str(rules.WORDS[key]), source=str(rules.SOURCE), day=day)


def find_missing(org, today: date) -> list[RecordFinding]:
    cells = working_cells(org, today)
    if not cells:
        return []
    opened = Liaison.objects.filter(open_on(today)).values("member_id")
    periods = list(MemberPeriod.objects.filter(
        path__in=list(cells), valid_from__lte=today, valid_to__gt=today).exclude(
        member_id__in=opened).select_related("member", "org"))
    ended = dict(Liaison.objects.filter(member_id__in=[p.member_id for p in periods],
                                        ended_on__lt=today).values("member_id").annotate(
        last=Max("ended_on")).values_list("member_id", "last"))
    found = []
    for period in periods:
        member = period.member
        since = period.valid_from
        if member.pk in ended:
            since = max(since, ended[member.pk] + timedelta(days=1))
        found.append(_finding(
            rules.MISSING, "members.csv", member.member_code, period.org,
            f"{member.member_code} {member.full_name}",
            _("đang công tác tại %(cell)s, chưa được giới thiệu về nơi cư trú") % {
                "cell": period.org.name}, since))
    return found


def find_no_feedback(org, today: date) -> list[RecordFinding]:
    last = rules.last_judged_year(today)
    low, high = subtree_range(org.path)
    liaisons = list(Liaison.objects.filter(
        member__cell__path__gte=low, member__cell__path__lt=high, exempt_from_meetings=False,
        introduced_on__lte=date(last, 12, 31)).select_related("member", "member__cell"))
    if not liaisons:
        return []
    members = {liaison.member_id for liaison in liaisons}
    given: dict[int, set[int]] = defaultdict(set)
    for member, year in Opinion.objects.filter(member_id__in=members).values_list(
            "member_id", "year"):
        given[member].add(year)
    spans = MemberSpans(members)
    found = []
    for liaison in liaisons:
        member = liaison.member
        years = rules.owed_years(liaison.introduced_on, liaison.ended_on,
                                 active_years(spans, member.pk, last), given[member.pk],
                                 today)
        if not years:
            continue
        found.append(_finding(
            rules.NO_FEEDBACK, rules.FILE, record_key(member.member_code,
                                                      liaison.introduced_on),
            member.cell, f"{member.member_code} {member.full_name}",
            _("chưa có nhận xét của chi bộ nơi cư trú các năm %(years)s") % {
                "years": ", ".join(str(year) for year in years)},
            date(years[0] + 1 + rules.FEEDBACK_GRACE_YEARS, 1, 1)))
    return found


def register() -> None:
    """Called by the liaison app's ready()."""
    for order, (key, file, find) in enumerate(((rules.MISSING, "members.csv", find_missing),
                                               (rules.NO_FEEDBACK, rules.FILE,
                                                find_no_feedback))):
        register_rule(FindingRule(key=key, label=rules.LABELS[key], rule=rules.WORDS[key],
                                  source=str(rules.SOURCE), file=file,
                                  capability=Capability.MANAGE_MEMBERS, find=find,
                                  order=80 + order))
