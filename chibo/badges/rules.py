"""The rules of the party badge (RULES.md §7; spec BUNDLE-v2.md badges.csv "Findings"), pure,
selected by the award day (RULES.md §0): a badge is judged by the rules in force on
`awarded_on`. One set so far (`RULE_SETS`); a later regulation adds a set, never an `if`.

- `badges.party_age`: the member's party age on `awarded_on` (chibo.members.lifecycle: from the
  first admission decision, less the time outside) below `years` by more than the early reason
  allows: none without one; 12 months for a seriously ill member at 30–65 years, 24 at 70–90;
  12 months posthumously (HD 01-HD/TW 2021 §18). Party age is counted as chibo.members counts
  it (a year of 365.2425 days: `party_age_years`, the due list's `years_in_days`), so that
  whoever the due list names on an award day is not short of the milestone that day; "12
  months early" is one such year less.
- `badges.day`: not one of the award days 3/2, 19/5, 2/9, 7/11 (special cases are the provincial
  standing committee's: an exception).
- `badges.discipline_delay`: awarded within 6, 9, 12 months after a reprimand, warning, dismissal
  (QĐ 24; the standing form after an appeal; "within N months after A": on or before the day N
  calendar months after A, as BUNDLE-v2 reads "within").
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.members.findings import Breach, dmy
from chibo.members.lifecycle import add_months
from chibo.members.queries import AWARD_DAYS, BADGE_MILESTONES, years_in_days

PARTY_AGE = "badges.party_age"
DAY = "badges.day"
DISCIPLINE_DELAY = "badges.discipline_delay"
KEYS = (PARTY_AGE, DAY, DISCIPLINE_DELAY)
FILE = "badges.csv"
MILESTONES = BADGE_MILESTONES
ILL, POSTHUMOUS = "ill", "posthumous"


@dataclass(frozen=True)
class RuleSet:
    """The badge rules in force from `since`."""

    since: date
    source: str
    # months a badge may come early: (reason, from this milestone up) -> months
    early: tuple[tuple[str, int, int], ...]
    # months an award waits after a discipline of this standing form
    delay: tuple[tuple[str, int], ...]
    award_days: tuple[tuple[int, int], ...] = AWARD_DAYS
    confidence: str = "H"

    def early_months(self, years: int, reason: str) -> int:
        months = 0
        for each, lowest, allowed in self.early:
            if each == reason and years >= lowest:
                months = allowed
        return months

    def delay_months(self, form: str) -> int | None:
        return dict(self.delay).get(form)


RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(date.min, "HD 01-HD/TW (2021) §18; QĐ 24-QĐ/TW (30/7/2021)",
            early=((ILL, 30, 12), (ILL, 70, 24), (POSTHUMOUS, 30, 12)),
            delay=(("reprimand", 6), ("warning", 9), ("dismissal", 12)), confidence="M"),
)


def rule_set(day: date) -> RuleSet:
    chosen = RULE_SETS[0]
    for candidate in RULE_SETS:
        if candidate.since <= day:
            chosen = candidate
    return chosen


def source(day: date) -> str:
    return rule_set(day).source


WORDS = {
    PARTY_AGE: gettext_lazy("Huy hiệu Đảng được tặng khi đủ mốc tuổi Đảng (30, 40, 45 … 90 năm); "
                            "đảng viên ốm nặng được tặng sớm không quá 12 tháng (mốc 70 đến 90 "
                            "năm: 24 tháng), truy tặng sớm không quá 12 tháng."),
    DAY: gettext_lazy("Huy hiệu Đảng được trao vào các ngày 3/2, 19/5, 2/9, 7/11; trường hợp đặc "
                      "biệt do Ban Thường vụ Tỉnh ủy quyết định."),
    DISCIPLINE_DELAY: gettext_lazy("Đảng viên bị kỷ luật được xét tặng Huy hiệu Đảng sau 6 tháng "
                                   "(khiển trách), 9 tháng (cảnh cáo), 12 tháng (cách chức) kể "
                                   "từ ngày quyết định kỷ luật."),
}
LABELS = {
    PARTY_AGE: gettext_lazy("Tặng Huy hiệu Đảng khi chưa đủ tuổi Đảng"),
    DAY: gettext_lazy("Trao Huy hiệu Đảng ngoài các ngày quy định"),
    DISCIPLINE_DELAY: gettext_lazy("Tặng Huy hiệu Đảng chưa hết thời hạn sau kỷ luật"),
}


@dataclass(frozen=True)
class Facts:
    """One badge's facts as the findings read them."""

    years: int
    awarded_on: date
    early_reason: str = ""
    first_admitted_on: date | None = None  # the first admission decision
    party_age_days: int = 0  # on `awarded_on`, less the time outside (lifecycle)
    disciplines: tuple[tuple[date, str], ...] = ()  # (decided_on, standing form) of the member


def is_award_day(day: date) -> bool:
    return (day.month, day.day) in rule_set(day).award_days


def days_needed(facts: Facts) -> int | None:
    """The party age in days the badge needs on its day, the early reason allowed for."""
    if facts.first_admitted_on is None:
        return None
    months = rule_set(facts.awarded_on).early_months(facts.years, facts.early_reason)
    return years_in_days((12 * facts.years - months) / 12).days


def party_age_problem(facts: Facts) -> str | None:
    needed = days_needed(facts)
    if needed is not None and facts.party_age_days >= needed:
        return None
    months = rule_set(facts.awarded_on).early_months(facts.years, facts.early_reason)
    short = (needed or 0) - facts.party_age_days
    return _("Ngày %(day)s tuổi Đảng còn thiếu %(short)s ngày mới đủ %(years)s năm (được trao "
             "sớm %(months)s tháng).") % {"day": dmy(facts.awarded_on), "short": short,
                                         "years": facts.years, "months": months}


def day_problem(facts: Facts) -> str | None:
    if is_award_day(facts.awarded_on):
        return None
    return _("Trao ngày %(day)s, không phải ngày 3/2, 19/5, 2/9 hay 7/11.") % {
        "day": dmy(facts.awarded_on)}


FORM_WORDS = {"reprimand": gettext_lazy("khiển trách"), "warning": gettext_lazy("cảnh cáo"),
              "dismissal": gettext_lazy("cách chức")}


def delay_until(decided_on: date, form: str, rules: RuleSet) -> date | None:
    """The last day an award still falls within the delay after this discipline (None: the
    form delays nothing)."""
    months = rules.delay_months(form)
    return None if months is None else add_months(decided_on, months)


def discipline_problem(facts: Facts) -> str | None:
    rules = rule_set(facts.awarded_on)
    for decided_on, form in sorted(facts.disciplines):
        until = delay_until(decided_on, form, rules)
        if until is not None and decided_on <= facts.awarded_on <= until:
            return _("Trao ngày %(day)s, trong %(months)s tháng sau quyết định kỷ luật "
                     "%(form)s ngày %(decided)s.") % {
                "day": dmy(facts.awarded_on), "months": rules.delay_months(form),
                "form": FORM_WORDS[form], "decided": dmy(decided_on)}
    return None


JUDGES = {PARTY_AGE: party_age_problem, DAY: day_problem, DISCIPLINE_DELAY: discipline_problem}


def breaches(facts: Facts, keys: Iterable[str] = KEYS) -> list[Breach]:
    """Every breach of the rules `keys` by one badge (each arises on its day)."""
    found = []
    for key in keys:
        detail = JUDGES[key](facts)
        if detail is not None:
            found.append(Breach(key, facts.awarded_on, detail))
    return found
