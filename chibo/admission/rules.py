"""The admission rules of RULES.md §1 as pure functions of a candidate's facts (spec
BUNDLE-v2.md, candidates.csv "Findings").

A record that breaks one is real history (kept, reported under a stable key); the pages refuse
to create a new breach unless an exception is recorded (chibo.admission.services). The subtree
search (chibo.admission.findings), the services and the tests judge with these functions.

Working days are the province's calendar (chibo.organizations.calendar.working_calendar):
"within N working days of A" is on or before the N-th working day after A.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.workdays import WorkingCalendar
from chibo.members.findings import Breach, dmy, months_between
from chibo.members.lifecycle import add_months

AGE = "admission.age"
CERTIFICATE = "admission.certificate"
BACKGROUND = "admission.background"
SPONSORS = "admission.sponsors"
VOTE = "admission.vote"
DECISION_LATE = "admission.decision_late"
CEREMONY_LATE = "admission.ceremony_late"
OFFICIAL_DATE = "admission.official_date"
KEYS = (AGE, CERTIFICATE, BACKGROUND, SPONSORS, VOTE, DECISION_LATE, CEREMONY_LATE,
        OFFICIAL_DATE)
FILE = "candidates.csv"

AGE_MONTHS = (216, 720)  # 18 and 60 full years, counted by month
CERTIFICATE_YEARS = 5
SPONSORS_NEEDED = 2
DECISION_WORKING_DAYS = 60
CEREMONY_WORKING_DAYS = 30
PROBATION_MONTHS = 12

SOURCE = "Điều lệ Đảng, Điều 4, 5; 294-QĐ/TW (26/5/2025); 12-HD/BTCTW (18/01/2022)"
WORDS = {
    AGE: gettext_lazy("Người vào Đảng phải từ đủ 18 tuổi đến đủ 60 tuổi (tính theo tháng) khi chi "
                      "bộ xét kết nạp; trên 60 tuổi cần cấp ủy tỉnh đồng ý."),
    CERTIFICATE: gettext_lazy("Người vào Đảng phải có giấy chứng nhận học lớp bồi dưỡng nhận "
                              "thức về Đảng, còn giá trị (5 năm) khi có quyết định kết nạp."),
    BACKGROUND: gettext_lazy("Lý lịch người vào Đảng phải được thẩm tra xong trước khi chi bộ "
                             "xét kết nạp."),
    SPONSORS: gettext_lazy("Người vào Đảng cần hai đảng viên chính thức cùng đảng bộ cơ sở giới "
                           "thiệu; Đoàn thanh niên (Công đoàn) giới thiệu thay một đảng viên."),
    VOTE: gettext_lazy("Nghị quyết đề nghị kết nạp cần ít nhất hai phần ba số đảng viên chính "
                       "thức của chi bộ tán thành."),
    DECISION_LATE: gettext_lazy("Cấp ủy có thẩm quyền quyết định kết nạp trong 60 ngày làm việc "
                                "kể từ ngày chi bộ có nghị quyết đề nghị."),
    CEREMONY_LATE: gettext_lazy("Lễ kết nạp phải tổ chức trong 30 ngày làm việc kể từ ngày có "
                                "quyết định kết nạp; muộn hơn cần cấp ủy cấp trên đồng ý."),
    OFFICIAL_DATE: gettext_lazy("Ngày công nhận chính thức là ngày đủ 12 tháng dự bị, tính từ "
                                "ngày lễ kết nạp, kể cả khi xét muộn."),
}
LABELS = {
    AGE: gettext_lazy("Kết nạp ngoài độ tuổi từ đủ 18 đến 60"),
    CERTIFICATE: gettext_lazy("Thiếu giấy chứng nhận nhận thức về Đảng còn giá trị"),
    BACKGROUND: gettext_lazy("Chưa thẩm tra xong lý lịch khi chi bộ xét"),
    SPONSORS: gettext_lazy("Thiếu người giới thiệu hợp lệ"),
    VOTE: gettext_lazy("Nghị quyết chi bộ chưa đủ hai phần ba tán thành"),
    DECISION_LATE: gettext_lazy("Quyết định kết nạp quá 60 ngày làm việc"),
    CEREMONY_LATE: gettext_lazy("Lễ kết nạp quá 30 ngày làm việc"),
    OFFICIAL_DATE: gettext_lazy("Ngày công nhận chính thức không đúng 12 tháng dự bị"),
}


@dataclass(frozen=True)
class Sponsor:
    """A sponsor as the rule reads them on the cell resolution's day."""

    code: str
    official: bool  # an official member that day
    same_grassroots: bool  # under the candidate's grassroots organization that day


@dataclass(frozen=True)
class Facts:
    birth_date: date
    awareness_course_on: date | None = None
    background_checked_on: date | None = None
    sponsors: tuple[Sponsor, ...] = ()
    youth_union_sponsor: bool = False
    cell_resolution_on: date | None = None
    cell_votes_for: int | None = None
    cell_votes_total: int | None = None
    decision_on: date | None = None
    ceremony_on: date | None = None
    ceremony_extension_no: str = ""
    age_exception_no: str = ""
    recognized_on: date | None = None  # the admitted member's official recognition


def _nth_working_day_after(calendar: WorkingCalendar, start: date, n: int) -> date:
    """The calendar's answer, kept with the calendar: a province's candidates share a few
    hundred decision and resolution days, each counted once (0.13 s of a province's keys
    otherwise). A corrected calendar is a new object (chibo.organizations.calendar), so its
    answers start afresh."""
    memo = vars(calendar).setdefault("_admission_deadlines", {})
    if (start, n) not in memo:
        memo[(start, n)] = calendar.nth_working_day_after(start, n)
    return memo[(start, n)]


def decision_deadline(calendar: WorkingCalendar, cell_resolution_on: date) -> date:
    return _nth_working_day_after(calendar, cell_resolution_on, DECISION_WORKING_DAYS)


def ceremony_deadline(calendar: WorkingCalendar, decision_on: date) -> date:
    return _nth_working_day_after(calendar, decision_on, CEREMONY_WORKING_DAYS)


def certificate_expires(awareness_course_on: date) -> date:
    """The certificate's 5th anniversary: from that day on it is no longer valid."""
    return add_months(awareness_course_on, 12 * CERTIFICATE_YEARS)


def official_day(ceremony_on: date) -> date:
    """The day of official recognition: 12 months after the ceremony."""
    return add_months(ceremony_on, PROBATION_MONTHS)


def vote_passes(votes_for: int, votes_total: int) -> bool:
    """At least two thirds of the cell's official members agree (exactly two thirds passes)."""
    return 3 * votes_for >= 2 * votes_total


def breaches(facts: Facts, calendar: WorkingCalendar, today: date | None,
             keys: Iterable[str] = KEYS) -> list[Breach]:
    """Every breach of the rules `keys` in one candidate's facts as known on `today` (None: of
    the recorded steps only, a ceremony not yet held breaking nothing). A finding arises on the
    cell resolution's day (a file without one is judged by none of the rules)."""
    if facts.cell_resolution_on is None:
        return []
    found = [breach for key in keys
             if (breach := _JUDGES[key](facts, calendar, today)) is not None]
    return sorted(found, key=lambda breach: breach.key)


def _age(facts: Facts, calendar, today) -> Breach | None:
    months = months_between(facts.birth_date, facts.cell_resolution_on)
    low, high = AGE_MONTHS
    if low <= months <= high or (months > high and facts.age_exception_no):
        return None
    return Breach(AGE, facts.cell_resolution_on, _(
        "Chi bộ xét kết nạp ngày %(day)s khi %(years)s tuổi %(months)s tháng (tính theo "
        "tháng).") % {"day": dmy(facts.cell_resolution_on), "years": months // 12,
                     "months": months % 12})


def _certificate(facts: Facts, calendar, today) -> Breach | None:
    if facts.awareness_course_on is None:
        return Breach(CERTIFICATE, facts.cell_resolution_on,
                      _("Không có giấy chứng nhận học lớp nhận thức về Đảng."))
    expires = certificate_expires(facts.awareness_course_on)
    if facts.decision_on is not None and facts.decision_on >= expires:
        return Breach(CERTIFICATE, facts.cell_resolution_on, _(
            "Quyết định kết nạp ngày %(day)s khi giấy chứng nhận ngày %(cert)s đã hết hạn "
            "(%(expires)s).") % {"day": dmy(facts.decision_on),
                                 "cert": dmy(facts.awareness_course_on), "expires": dmy(expires)})
    return None


def _background(facts: Facts, calendar, today) -> Breach | None:
    checked = facts.background_checked_on
    if checked is not None and checked <= facts.cell_resolution_on:
        return None
    detail = (_("Lý lịch thẩm tra xong ngày %(checked)s, sau khi chi bộ xét ngày %(day)s.") % {
        "checked": dmy(checked), "day": dmy(facts.cell_resolution_on)} if checked else
        _("Lý lịch chưa được thẩm tra xong."))
    return Breach(BACKGROUND, facts.cell_resolution_on, detail)


def _sponsors(facts: Facts, calendar, today) -> Breach | None:
    problems = []
    given = len(facts.sponsors) + (1 if facts.youth_union_sponsor else 0)
    if given < SPONSORS_NEEDED:
        problems.append(_("%(n)s người giới thiệu") % {"n": given})
    problems += [_("%(code)s chưa là đảng viên chính thức") % {"code": s.code}
                 for s in facts.sponsors if not s.official]
    problems += [_("%(code)s thuộc đảng bộ cơ sở khác") % {"code": s.code}
                 for s in facts.sponsors if not s.same_grassroots]
    if not problems:
        return None
    return Breach(SPONSORS, facts.cell_resolution_on, _(
        "Người giới thiệu khi chi bộ xét ngày %(day)s: %(problems)s.") % {
        "day": dmy(facts.cell_resolution_on), "problems": "; ".join(problems)})


def _vote(facts: Facts, calendar, today) -> Breach | None:
    if facts.cell_votes_for is None or facts.cell_votes_total is None:
        return None
    if vote_passes(facts.cell_votes_for, facts.cell_votes_total):
        return None
    return Breach(VOTE, facts.cell_resolution_on, _(
        "Nghị quyết chi bộ ngày %(day)s: %(for)s/%(total)s đảng viên chính thức tán thành.") % {
        "day": dmy(facts.cell_resolution_on), "for": facts.cell_votes_for,
        "total": facts.cell_votes_total})


def _decision_late(facts: Facts, calendar, today) -> Breach | None:
    if facts.decision_on is None:
        return None
    deadline = decision_deadline(calendar, facts.cell_resolution_on)
    if facts.decision_on <= deadline:
        return None
    return Breach(DECISION_LATE, facts.cell_resolution_on, _(
        "Quyết định kết nạp ngày %(day)s, quá hạn %(deadline)s (60 ngày làm việc từ nghị quyết "
        "chi bộ ngày %(resolution)s).") % {"day": dmy(facts.decision_on),
                                           "deadline": dmy(deadline),
                                           "resolution": dmy(facts.cell_resolution_on)})


def _ceremony_late(facts: Facts, calendar, today) -> Breach | None:
    if facts.decision_on is None or facts.ceremony_extension_no:
        return None
    deadline = ceremony_deadline(calendar, facts.decision_on)
    held = facts.ceremony_on or today
    if held is None or held <= deadline:
        return None
    detail = (_("Lễ kết nạp ngày %(day)s") % {"day": dmy(facts.ceremony_on)}
              if facts.ceremony_on else _("Chưa tổ chức lễ kết nạp"))
    return Breach(CEREMONY_LATE, facts.cell_resolution_on, _(
        "%(detail)s, quá hạn %(deadline)s (30 ngày làm việc từ quyết định ngày %(decision)s).")
        % {"detail": detail, "deadline": dmy(deadline), "decision": dmy(facts.decision_on)})


def _official_date(facts: Facts, calendar, today) -> Breach | None:
    if facts.ceremony_on is None or facts.recognized_on is None:
        return None
    due = official_day(facts.ceremony_on)
    if facts.recognized_on == due:
        return None
    return Breach(OFFICIAL_DATE, facts.cell_resolution_on, _(
        "Công nhận chính thức ngày %(day)s; đủ 12 tháng dự bị từ lễ kết nạp ngày %(ceremony)s "
        "là ngày %(due)s.") % {"day": dmy(facts.recognized_on), "ceremony": dmy(facts.ceremony_on),
                               "due": dmy(due)})


_JUDGES = {AGE: _age, CERTIFICATE: _certificate, BACKGROUND: _background, SPONSORS: _sponsors,
           VOTE: _vote, DECISION_LATE: _decision_late, CEREMONY_LATE: _ceremony_late,
           OFFICIAL_DATE: _official_date}
