"""The rules of party dues (RULES.md §6, §1 "Removal"; spec BUNDLE-v2.md dues.csv), pure:
what a month is charged, what a level keeps, when a member is behind.

**The rate of a month.** The rates are configuration (`DuesRule`, `DuesRate`): a rule is in
force from its `effective_on` until the next rule's. A month is charged at the rule in force on
its **first day**, whenever it is paid: a rule that takes effect in the middle of a month
governs the months after it (01-QĐ/TW reckons a month on the previous month's salary: the
month's due is fixed when it begins). A category the rule sets no rate for, or a share of a
basis not known, has no known due: `dues.amount` judges only a due that is known ("where
known"). A share of the basis is rounded to the nearest đồng, a half up.

**Behind.** A month is *owed* by a member active and not exempt on its last day; it is *unpaid*
on a day when it has ended before that day and no payment for it was made by that day
(METRICS-v2 `dues.members_unpaid_3_months`). Three unpaid months in a calendar year is the
ground for removal of the Charter (RULES.md §1, repeated by the 2026 dues rule): the finding
`dues.unpaid` judges a year once it is over, and only the months chibo keeps the dues of
(`DuesSettings.kept_from` on) up to the last month any payment was recorded for — the months
after it nobody has recorded yet, which a bundle exported in June says nothing of (the public
example's findings end with its last whole year).
"""

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

FILE = "dues.csv"
AMOUNT = "dues.amount"
UNPAID = "dues.unpaid"
KEYS = (AMOUNT, UNPAID)
UNPAID_MONTHS = 3  # "không đóng đảng phí ba tháng trong năm"

LABELS = {AMOUNT: _("Đảng phí không đúng mức của tháng"),
          UNPAID: _("Không đóng đảng phí 3 tháng trong năm")}
WORDS = {
    AMOUNT: _("Đảng viên đóng đảng phí hằng tháng theo mức quy định cho đối tượng của mình "
              "(tỷ lệ trên căn cứ tính hoặc mức cố định) của quy định có hiệu lực trong tháng."),
    UNPAID: _("Đảng viên không đóng đảng phí ba tháng trong năm mà không có lý do chính đáng "
              "thì chi bộ xem xét, đề nghị lên cấp có thẩm quyền xóa tên trong danh sách đảng "
              "viên."),
}
SOURCES = {
    AMOUNT: _("342-QĐ/TW (28/12/2010); 01-QĐ/TW (03/02/2026) — mức đóng theo cấu hình"),
    UNPAID: _("Điều lệ Đảng, Điều 8; 294-QĐ/TW (26/5/2025); 01-QĐ/TW (03/02/2026)"),
}


# Months ------------------------------------------------------------------------------------------

def first_day(day: date) -> date:
    return day.replace(day=1)


def last_day(month: date) -> date:
    """The last day of `month`'s month."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    found, month = [], first_day(first)
    while month <= last:
        found.append(month)
        month = add_months(month, 1)
    return found


def month_text(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


# Rates -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    """What a rule sets for a category: a `percent` of the basis or a fixed `amount`."""

    rule: str
    effective_on: date
    percent: Decimal | None = None
    amount: int | None = None

    def due(self, basis: int | None) -> int | None:
        """The month's due on `basis` (None: a share of a basis not known)."""
        if self.amount is not None:
            return self.amount
        if basis is None or self.percent is None:
            return None
        return int((Decimal(basis) * self.percent / 100).quantize(Decimal(1), ROUND_HALF_UP))

    def words(self) -> str:
        if self.amount is not None:
            return _("%(amount)s đồng/tháng") % {"amount": f"{self.amount:,}".replace(",", ".")}
        return _("%(percent)s%% căn cứ tính") % {"percent": _percent(self.percent)}


def _percent(value: Decimal) -> str:
    text = f"{value:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")


@dataclass(frozen=True)
class Rule:
    name: str
    effective_on: date
    rates: Mapping[str, Rate]  # category -> rate


class Rates:
    """The rules in force, by their first day: which rate a month is charged at."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = sorted(rules, key=lambda rule: rule.effective_on)
        self._days = [rule.effective_on for rule in self.rules]

    def rule_on(self, day: date) -> Rule | None:
        """The rule in force on `day`: the last one that took effect on or before it."""
        index = bisect_right(self._days, day)
        return self.rules[index - 1] if index else None

    def rule_of_month(self, month: date) -> Rule | None:
        """The rule a month is charged by: the one in force on its first day."""
        return self.rule_on(first_day(month))

    def rate(self, category: str | None, month: date) -> Rate | None:
        rule = self.rule_of_month(month)
        if rule is None or not category:
            return None
        return rule.rates.get(category)

    def due(self, category: str | None, basis: int | None, month: date) -> int | None:
        """The month's due for the category on the basis; None where it is not known."""
        rate = self.rate(category, month)
        return rate.due(basis) if rate is not None else None


def amount_problem(rates: Rates, *, category: str | None, basis: int | None, month: date,
                   amount: int) -> str | None:
    """Why a payment is not the month's rate (`dues.amount`), or None (right, or not known)."""
    due = rates.due(category, basis, month)
    if due is None or due == amount:
        return None
    rate = rates.rate(category, month)
    return _("tháng %(month)s nộp %(amount)s đồng; mức của %(rule)s là %(words)s: %(due)s "
             "đồng") % {"month": f"{month:%m/%Y}", "amount": _money(amount),
                        "rule": rate.rule, "words": rate.words(), "due": _money(due)}


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


# Shares ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    level: str
    effective_on: date
    keep: Decimal  # percent kept


class Shares:
    """What each level keeps of what it receives, by the day the share took effect."""

    def __init__(self, shares: Iterable[Share]):
        self.by_level: dict[str, list[Share]] = {}
        for share in sorted(shares, key=lambda share: share.effective_on):
            self.by_level.setdefault(share.level, []).append(share)

    def keep_on(self, level: str, day: date) -> Decimal | None:
        found = [share for share in self.by_level.get(level, ()) if share.effective_on <= day]
        return found[-1].keep if found else None


def kept(amount: int, percent: Decimal | None) -> int:
    """The part of `amount` a level keeps (rounded to the đồng, a half up); all of it when no
    share is configured."""
    if percent is None:
        return amount
    return int((Decimal(amount) * percent / 100).quantize(Decimal(1), ROUND_HALF_UP))


# Behind ------------------------------------------------------------------------------------------

def unpaid(owed: Iterable[date], paid: Mapping[date, date], day: date) -> list[date]:
    """The `owed` months (their first days) that are unpaid on `day`: ended before it, no
    payment made by it (`paid`: month -> the day it was paid)."""
    return [month for month in owed
            if last_day(month) < day and not (month in paid and paid[month] <= day)]


def judged_years(today: date, horizon: date | None, kept_from: date | None) -> range:
    """The years `dues.unpaid` judges on `today`: over before it, and within the months kept
    (from `kept_from`, up to `horizon`, the last month a payment was recorded for)."""
    if horizon is None:
        return range(0)
    last = min(today.year - 1, horizon.year - (0 if horizon.month == 12 else 1))
    first = kept_from.year if kept_from else 1900
    return range(first, last + 1)


def judged_months(year: int, kept_from: date | None) -> list[date]:
    """The months of `year` that are judged: from `kept_from` on."""
    return [date(year, month, 1) for month in range(1, 13)
            if kept_from is None or date(year, month, 1) >= first_day(kept_from)]


# The configuration shipped (RULES.md §6) ----------------------------------------------------------

DEFAULT_RULES = (
    # 342-QĐ/TW (28/12/2010), in force from 1/4/2011: 1 % of the salary and allowances that
    # count for social insurance, enlisted soldiers 1 % of their allowance (H); pensioners 0.5 %
    # (M: the 2026 rule keeps it); the fixed amounts of the other groups are not in RULES.md.
    ("342-QĐ/TW", date(2010, 12, 28), date(2011, 4, 1), {
        "salary": ("1", None), "allowance": ("1", None), "pension": ("0.5", None)}),
    # 01-QĐ/TW of the Politburo (03/02/2026): 1 % of the previous month's social-insurance
    # salary, 1 % of the benefit during sickness or maternity, pensioners 0.5 %, students 5,000
    # đồng a month (H). Its effective day is taken as its date.
    ("01-QĐ/TW", date(2026, 2, 3), date(2026, 2, 3), {
        "salary": ("1", None), "benefit": ("1", None), "pension": ("0.5", None),
        "student": (None, 5000)}),
)
DEFAULT_SHARES = (
    # 342-QĐ/TW's shares kept (H); the cell keeps 30–50 % as its grassroots committee decides
    # (30 % here). The 2026 rule's shares were not found: configuration.
    ("cell", date(2011, 4, 1), "30", "342-QĐ/TW: 30–50%"),
    ("commune", date(2011, 4, 1), "90", "342-QĐ/TW"),
    ("grassroots", date(2011, 4, 1), "70", "342-QĐ/TW"),
    ("above", date(2011, 4, 1), "50", "342-QĐ/TW"),
)
