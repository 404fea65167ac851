"""The rules of the annual rating (RULES.md §2, §3; spec BUNDLE-v2.md ratings.csv), pure and
selected by the year judged (RULES.md §0): a year is judged by the regulation in force on its
review day, 31 December of the year — the review is held at the year's end, so a regulation
signed during a year governs that year's review.

Three sets, kept as data (`RULE_SETS`), never as `if year > N` in the code:

- 132-QĐ/TW (08/3/2018), the reviews of 2018–2022: a member or a collective disciplined in the
  year is rated at most "complete" (BUNDLE-v2: "before 2023: complete");
- 124-QĐ/TW (04/10/2023) with 25-HD/BTCTW, the reviews of 2023–2024: a subject disciplined in
  the year, or a collective with over 20 % of its direct subordinate units disciplined, is rated
  "not complete";
- 366-QĐ/TW (30/8/2025) with 43-HD/BTCTW, from the review of 2025: the same, and points
  (chibo.handbook.review_rules.score_bands_for: ≥ 90 excellent, 70–<90 good, 50–<70 complete).

In every set: "excellent" may not exceed 20 % of those rated "good" (per deciding committee,
year and kind of subject); a member exempt from party work and activities is not rated; a
manifestation of degradation the cell concluded forces "not complete" (RULES.md §2, §9).
A score given for any year is judged by the one scale of points there is (BUNDLE-v2
`ratings.score` names no year).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.handbook.catalogue import catalogue
from chibo.handbook.review_rules import SCORE_BANDS_366, ScoreBands, score_bands_for
from chibo.members.findings import Breach
from chibo.ratings.choices import Level, Subjects, rank

EXEMPT = "ratings.exempt"
DISCIPLINED = "ratings.disciplined"
QUOTA = "ratings.quota"
SCORE = "ratings.score"
KEYS = (EXEMPT, DISCIPLINED, QUOTA, SCORE)
RECORD_KEYS = (EXEMPT, DISCIPLINED, SCORE)  # those judging one rating (QUOTA: a group)
FILE = "ratings.csv"

# The kinds of organization that are rated and counted (METRICS-v2 "Ratings").
RATED_KINDS = ("cell", "grassroots_committee", "grassroots_cell", "partial_committee")
GRASSROOTS_KINDS = ("grassroots_committee", "grassroots_cell")


@dataclass(frozen=True)
class RuleSet:
    """The rating rules in force from `since` (until the next set's `since`)."""

    since: date
    source: str
    # The highest level of a subject with a standing discipline in the year.
    disciplined_cap: str
    # A collective is treated as disciplined when more than this share of its direct
    # subordinate units is (None: the rule does not exist in this set).
    children_share: Fraction | None
    # "Excellent" at most this share of "good".
    quota_share: Fraction = Fraction(1, 5)
    confidence: str = "H"


RULE_SETS: tuple[RuleSet, ...] = (
    # 132-QĐ/TW is from 08/3/2018; the reviews before it followed the same caps (its
    # predecessors are not in RULES.md: M). "Before 2023: complete" (BUNDLE-v2).
    RuleSet(date.min, "132-QĐ/TW (08/3/2018)", Level.COMPLETE, Fraction(1, 5),
            confidence="M"),
    RuleSet(date(2023, 10, 4), "124-QĐ/TW (04/10/2023), 25-HD/BTCTW (10/11/2023)",
            Level.NOT_COMPLETE, Fraction(1, 5)),
    RuleSet(date(2025, 8, 30), "366-QĐ/TW (30/8/2025), 43-HD/BTCTW (31/10/2025)",
            Level.NOT_COMPLETE, Fraction(1, 5)),
)


def review_day(year: int) -> date:
    """The day a year's review is judged on: its last day."""
    return date(year, 12, 31)


def rule_set(year: int) -> RuleSet:
    """The rules in force for the review of `year`."""
    day = review_day(year)
    chosen = RULE_SETS[0]
    for candidate in RULE_SETS:
        if candidate.since <= day:
            chosen = candidate
    return chosen


def source(year: int) -> str:
    return rule_set(year).source


def scoring(year: int) -> ScoreBands | None:
    """The points the regulation of `year` asks for (None: no points then)."""
    return score_bands_for(year)


WORDS = {
    EXEMPT: gettext_lazy("Đảng viên được miễn công tác và sinh hoạt đảng không đánh giá, xếp "
                         "loại chất lượng."),
    DISCIPLINED: gettext_lazy("Tổ chức đảng, đảng viên bị kỷ luật trong năm (tổ chức đảng có "
                              "trên 20% tổ chức trực thuộc bị kỷ luật) xếp loại không hoàn "
                              "thành nhiệm vụ (trước năm 2023: không quá hoàn thành nhiệm vụ)."),
    # "20 phần trăm", not "20% số": gettext would read "% s" as a placeholder
    QUOTA: gettext_lazy("Số hoàn thành xuất sắc nhiệm vụ không vượt quá 20 phần trăm số hoàn "
                        "thành tốt nhiệm vụ."),
    SCORE: gettext_lazy("Điểm phải nằm trong khung của mức xếp loại: từ 90 điểm hoàn thành "
                        "xuất sắc, từ 70 đến dưới 90 hoàn thành tốt, từ 50 đến dưới 70 hoàn "
                        "thành, dưới 50 không hoàn thành nhiệm vụ."),
}
LABELS = {
    EXEMPT: gettext_lazy("Xếp loại đảng viên được miễn sinh hoạt"),
    DISCIPLINED: gettext_lazy("Xếp loại cao hơn mức cho phép khi bị kỷ luật"),
    QUOTA: gettext_lazy("Vượt tỷ lệ hoàn thành xuất sắc nhiệm vụ"),
    SCORE: gettext_lazy("Điểm không khớp mức xếp loại"),
}


# --- one rating --------------------------------------------------------------------------------

def level_of_score(score: Decimal | float | int) -> str:
    """The level a score falls in (the bands of 366-QĐ/TW)."""
    return SCORE_BANDS_366.rating_for(score)


def score_problem(level: str, score: Decimal | None) -> str | None:
    """A score outside its level's band."""
    if score is None:
        return None
    fits = level_of_score(score)
    if fits == level:
        return None
    return _("Điểm %(score)s thuộc mức %(fits)s, không phải %(level)s.") % {
        "score": _number(score), "fits": Level(fits).label.lower(),
        "level": Level(level).label.lower()}


def disciplined(subject_disciplined: bool, children_disciplined: int = 0,
                children: int = 0, *, year: int) -> bool:
    """Whether the subject counts as disciplined in `year`: a standing discipline of its own, or
    (a collective) of more than the set's share of its direct subordinate units."""
    if subject_disciplined:
        return True
    share = rule_set(year).children_share
    return share is not None and children > 0 and children_disciplined > share * children


def highest_level(year: int, is_disciplined: bool) -> str:
    """The highest level a subject may be rated in `year` without a finding."""
    return rule_set(year).disciplined_cap if is_disciplined else Level.EXCELLENT


def disciplined_problem(level: str, year: int, is_disciplined: bool) -> str | None:
    cap = highest_level(year, is_disciplined)
    if rank(level) >= rank(cap):
        return None
    return _("Bị kỷ luật trong năm %(year)s nên chỉ được xếp loại đến mức %(cap)s, không phải "
             "%(level)s.") % {"year": year, "cap": Level(cap).label.lower(),
                              "level": Level(level).label.lower()}


def exempt_problem(exempt: bool, year: int) -> str | None:
    if not exempt:
        return None
    return _("Đảng viên được miễn công tác và sinh hoạt đảng vào ngày sinh hoạt cuối cùng của "
             "năm %(year)s nhưng vẫn được xếp loại.") % {"year": year}


@dataclass(frozen=True)
class Facts:
    """One rating's facts as the findings read them."""

    year: int
    level: str
    score: Decimal | None = None
    is_org: bool = False
    exempt: bool = False  # a member exempt on their last active day of the year
    subject_disciplined: bool = False  # a standing discipline of the subject in the year
    children: int = 0  # an organization's direct subordinate units
    children_disciplined: int = 0  # of those, with a standing discipline in the year
    decided_on: date | None = None

    @property
    def day(self) -> date:
        """The day a finding of the rating arises: its decision's, else the review day."""
        return self.decided_on or review_day(self.year)


def breaches(facts: Facts, keys: Iterable[str] = RECORD_KEYS) -> list[Breach]:
    """Every breach of the rules `keys` by one rating."""
    found = []
    for key in keys:
        detail = _judge(key, facts)
        if detail is not None:
            found.append(Breach(key, facts.day, detail))
    return sorted(found, key=lambda breach: breach.key)


def _judge(key: str, facts: Facts) -> str | None:
    if key == SCORE:
        return score_problem(facts.level, facts.score)
    if key == DISCIPLINED:
        return disciplined_problem(facts.level, facts.year, disciplined(
            facts.subject_disciplined, facts.children_disciplined, facts.children,
            year=facts.year))
    if key == EXEMPT:
        return None if facts.is_org else exempt_problem(facts.exempt, facts.year)
    raise KeyError(key)


# --- the quota of a deciding committee ---------------------------------------------------------

def quota_exceeded(excellent: int, good: int, year: int) -> bool:
    """"Excellent" above the set's share of "good" (20 %: 5 × excellent > good)."""
    return excellent > rule_set(year).quota_share * good


def quota_allows(excellent: int, good: int, year: int) -> int:
    """How many more "excellent" the committee may decide with `good` as they stand."""
    return max(0, int(rule_set(year).quota_share * good) - excellent)


def quota_problem(excellent: int, good: int, year: int, subjects: str) -> str | None:
    if not quota_exceeded(excellent, good, year):
        return None
    return _("%(subjects)s năm %(year)s: %(excellent)s hoàn thành xuất sắc nhiệm vụ, trên 20%% "
             "của %(good)s hoàn thành tốt nhiệm vụ.") % {
        "subjects": Subjects(subjects).label, "year": year, "excellent": excellent,
        "good": good}


# --- the cell's proposal -----------------------------------------------------------------------

# Forced "not complete" (RULES.md §2, QĐ 124-QĐ/TW): a member "found to show degradation or
# self-evolution". In 04-NQ/TW groups A (political ideology) and B (ethics, lifestyle) are the
# degradation, group C self-evolution and self-transformation: any manifestation the CELL
# concludes forces the level. The member's own marks in the self-review force nothing (issue 19).
FORCING_GROUPS = frozenset({"A", "B", "C"})


def unknown_manifestations(codes: Iterable[str]) -> list[str]:
    """The codes that are not among the 27 manifestations (A1 … C9) of the catalogue in use."""
    known = set(catalogue().codes())
    return sorted(set(codes) - known)


def forces_not_complete(manifestations: Iterable[str]) -> bool:
    """Whether the manifestations the cell concluded force "not complete"."""
    return any(code[:1] in FORCING_GROUPS for code in manifestations)


def proposal_problem(level: str, manifestations: Iterable[str]) -> str | None:
    """A manifestation of degradation concluded by the cell forces "not complete" (RULES.md §2:
    "found to show degradation or self-evolution")."""
    if forces_not_complete(manifestations) and level != Level.NOT_COMPLETE:
        return _("Chi bộ đã kết luận đảng viên có biểu hiện suy thoái (%(codes)s): chỉ được đề "
                 "xuất không hoàn thành nhiệm vụ.") % {"codes": ", ".join(sorted(manifestations))}
    return None


def _number(score) -> str:
    text = f"{Decimal(score):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
