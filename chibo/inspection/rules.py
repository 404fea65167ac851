"""The rules of discipline (RULES.md §3) and of inspection records (spec BUNDLE-v2.md,
inspections.csv, inspection_subjects.csv, discipline.csv) as pure functions of values.

Each function returns the words of a refusal (an error of the record, which services and the
import refuse) or of a finding (a process rule broken: kept as history, reported under its key,
refused by the pages unless an exception is recorded), or None when the rule holds. The services
(refusing), the findings (reporting, chibo.inspection.findings), the bundle import and the tests
judge with the same functions; nothing here reads the database.

The numbers come from the regulation in force on the day of the decision (RULES.md §0): a rule
set is chosen by date (`rule_set(day)`), never by `if year > …` in the code, so a later
regulation is one more `RuleSet` and history keeps being judged by the rules of its day.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.workdays import WorkingCalendar
from chibo.inspection.choices import (
    ENDING_FORMS,
    MEMBER_FORMS,
    ORG_FORMS,
    AppealOutcome,
    Body,
    Conclusion,
    Form,
)
from chibo.members.findings import Breach, dmy
from chibo.members.lifecycle import add_months

PROBATIONARY_FORM = "discipline.probationary_form"
LIMITATION = "discipline.limitation"
AUTHORITY = "discipline.authority"
DISMISSAL_POST = "discipline.dismissal_post"
KEYS = (PROBATIONARY_FORM, LIMITATION, AUTHORITY, DISMISSAL_POST)
FILE = "discipline.csv"

# The posts a dismissal (cách chức) removes: the party posts (RULES.md §3, "if the member holds
# one"); the same posts make a committee member (METRICS-v2).
PARTY_POSTS = ("secretary", "deputy_secretary", "standing_member", "committee_member")
# The kinds of organization that are a cell (chi bộ): they act as `committee` only, and may
# decide only a reprimand or a warning of their own members.
CELL_KINDS = ("cell", "grassroots_cell")
COMMITTEE_ONLY_KINDS = ("cell", "grassroots_cell", "partial_committee")


@dataclass(frozen=True)
class RuleSet:
    """The discipline rules in force from `since` (until the next set's `since`)."""

    since: date
    source: str
    # Years from the violation after which a form may no longer be decided (the form taken as
    # the offence's level); None: no limitation.
    limitation_years: Mapping[str, int | None]
    probationary_forms: tuple[str, ...]
    appeal_working_days: int
    cell_forms: tuple[str, ...]  # what a cell may decide, of its own members
    confidence: str = "H"
    notes: str = field(default="", compare=False)


_LIMITATION = {Form.REPRIMAND: 5, Form.WARNING: 10, Form.DISMISSAL: 10, Form.EXPULSION: None,
               Form.DISSOLUTION: None}
_PROBATIONARY = (Form.REPRIMAND, Form.WARNING)

RULE_SETS: tuple[RuleSet, ...] = (
    # Before 69-QĐ/TW the same periods, forms and window applied (Điều lệ Đảng art. 35–36,
    # 102-QĐ/TW of 15/11/2017 and its predecessors; RULES.md §3 gives them as unchanged).
    RuleSet(date.min, "Điều lệ Đảng; 102-QĐ/TW (15/11/2017)", _LIMITATION, _PROBATIONARY, 30,
            _PROBATIONARY, confidence="M"),
    RuleSet(date(2022, 7, 6), "69-QĐ/TW (06/7/2022)", _LIMITATION, _PROBATIONARY, 30,
            _PROBATIONARY),
    RuleSet(date(2025, 2, 14), "69-QĐ/TW (06/7/2022), sửa đổi bởi 264-QĐ/TW (14/02/2025)",
            _LIMITATION, _PROBATIONARY, 30, _PROBATIONARY),
)


def rule_set(day: date) -> RuleSet:
    """The rules in force on `day` (the decision's day)."""
    chosen = RULE_SETS[0]
    for candidate in RULE_SETS:
        if candidate.since <= day:
            chosen = candidate
    return chosen


WORDS = {
    PROBATIONARY_FORM: gettext_lazy("Đảng viên dự bị vi phạm chỉ bị kỷ luật khiển trách hoặc "
                                    "cảnh cáo."),
    LIMITATION: gettext_lazy("Thời hiệu xử lý kỷ luật: 5 năm đối với vi phạm đến mức khiển "
                             "trách; 10 năm đối với vi phạm đến mức cảnh cáo, cách chức; không "
                             "áp dụng thời hiệu đối với khai trừ, giải tán."),
    AUTHORITY: gettext_lazy("Chi bộ chỉ được quyết định khiển trách, cảnh cáo đảng viên trong "
                            "chi bộ."),
    DISMISSAL_POST: gettext_lazy("Hình thức cách chức chỉ áp dụng với đảng viên đang giữ chức "
                                 "vụ trong Đảng."),
}
LABELS = {
    PROBATIONARY_FORM: gettext_lazy("Đảng viên dự bị bị cách chức hoặc khai trừ"),
    LIMITATION: gettext_lazy("Kỷ luật khi đã hết thời hiệu"),
    AUTHORITY: gettext_lazy("Chi bộ quyết định kỷ luật quá thẩm quyền"),
    DISMISSAL_POST: gettext_lazy("Cách chức đảng viên không giữ chức vụ đảng"),
}


def source(day: date) -> str:
    return rule_set(day).source


# --- the record's own consistency (errors) ---------------------------------------------------

def standing_form(form: str, appeal_outcome: str, appeal_form: str) -> str:
    """`appeal_form` if changed, "" (none) if annulled, else `form` (spec BUNDLE-v2.md)."""
    if appeal_outcome == AppealOutcome.CHANGED:
        return appeal_form
    if appeal_outcome == AppealOutcome.ANNULLED:
        return ""
    return form


def form_fits_subject(form: str, subject_is_org: bool) -> str | None:
    """An organization gets reprimand, warning or dissolution; a member reprimand, warning,
    dismissal or expulsion."""
    allowed = ORG_FORMS if subject_is_org else MEMBER_FORMS
    if form in allowed:
        return None
    if subject_is_org:
        return _("Tổ chức đảng chỉ bị kỷ luật khiển trách, cảnh cáo hoặc giải tán.")
    return _("Đảng viên chỉ bị kỷ luật khiển trách, cảnh cáo, cách chức hoặc khai trừ.")


def body_fits(org_kind: str, by_body: str) -> str | None:
    """A cell or a partial committee acts as `committee` only (it has no standing committee nor
    inspection commission)."""
    if org_kind in COMMITTEE_ONLY_KINDS and by_body != Body.COMMITTEE:
        return _("Chi bộ, đảng bộ bộ phận chỉ có chủ thể là cấp ủy.")
    return None


def inspection_dates(start_on: date, end_on: date | None) -> str | None:
    if end_on is not None and end_on < start_on:
        return _("Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s.") % {
            "end": dmy(end_on), "start": dmy(start_on)}
    return None


def conclusion_dates(start_on: date, conclusion: str, concluded_on: date | None) -> str | None:
    """`concluded_on` exactly with `conclusion`, on or after the inspection's `start_on`."""
    if bool(conclusion) != (concluded_on is not None):
        return _("Kết luận và ngày kết luận phải có cùng nhau.")
    if conclusion and conclusion not in Conclusion.values:
        return _("Kết luận không hợp lệ.")
    if concluded_on is not None and concluded_on < start_on:
        return _("Ngày kết luận %(day)s trước ngày bắt đầu cuộc kiểm tra, giám sát %(start)s.") % {
            "day": dmy(concluded_on), "start": dmy(start_on)}
    return None


def discipline_dates(violation_on: date, decided_on: date, effective_on: date | None,
                     appealed_on: date | None = None,
                     appeal_decided_on: date | None = None) -> str | None:
    """`violation_on` ≤ `decided_on` ≤ `effective_on`; `decided_on` ≤ `appealed_on` ≤
    `appeal_decided_on`."""
    if decided_on < violation_on:
        return _("Ngày quyết định %(decided)s trước ngày vi phạm %(violation)s.") % {
            "decided": dmy(decided_on), "violation": dmy(violation_on)}
    if effective_on is not None and effective_on < decided_on:
        return _("Ngày hiệu lực %(effective)s trước ngày quyết định %(decided)s.") % {
            "effective": dmy(effective_on), "decided": dmy(decided_on)}
    if appealed_on is not None and appealed_on < decided_on:
        return _("Ngày khiếu nại %(appealed)s trước ngày quyết định %(decided)s.") % {
            "appealed": dmy(appealed_on), "decided": dmy(decided_on)}
    if appeal_decided_on is not None and appealed_on is not None \
            and appeal_decided_on < appealed_on:
        return _("Ngày giải quyết khiếu nại %(day)s trước ngày khiếu nại %(appealed)s.") % {
            "day": dmy(appeal_decided_on), "appealed": dmy(appealed_on)}
    return None


def appeal_consistent(appealed_on: date | None, appeal_outcome: str,
                      appeal_decided_on: date | None, appeal_form: str, form: str,
                      subject_is_org: bool) -> str | None:
    """The appeal keys need `appealed_on`; an outcome exactly with its day; a changed form
    exactly with `changed`, different from the form and fitting the subject."""
    if appealed_on is None and (appeal_outcome or appeal_decided_on or appeal_form):
        return _("Thông tin giải quyết khiếu nại cần có ngày khiếu nại.")
    if bool(appeal_outcome) != (appeal_decided_on is not None):
        return _("Kết quả và ngày giải quyết khiếu nại phải có cùng nhau.")
    if (appeal_outcome == AppealOutcome.CHANGED) != bool(appeal_form):
        return _("Hình thức sau khiếu nại chỉ có (và phải có) khi kết quả là thay đổi hình "
                 "thức.")
    if appeal_form:
        if appeal_form == form:
            return _("Hình thức sau khiếu nại phải khác hình thức đã quyết định.")
        return form_fits_subject(appeal_form, subject_is_org)
    return None


def ending_event_day(form: str, effective_on: date | None, decided_on: date,
                     appeal_outcome: str, appeal_form: str,
                     appeal_decided_on: date | None) -> date | None:
    """The day a standing expulsion (dissolution) ends the subject: `effective_on` (empty:
    `decided_on`), or `appeal_decided_on` when the appeal changed the form to it; None when the
    standing form ends nothing."""
    standing = standing_form(form, appeal_outcome, appeal_form)
    if standing not in ENDING_FORMS:
        return None
    if appeal_outcome == AppealOutcome.CHANGED:
        return appeal_decided_on
    return effective_on or decided_on


# --- the appeal window (refused by the services) ---------------------------------------------

def appeal_deadline(calendar: WorkingCalendar, received_on: date) -> date:
    """The last day of the appeal: the 30th working day after the decision was received."""
    return calendar.nth_working_day_after(received_on,
                                          rule_set(received_on).appeal_working_days)


def appeal_late(calendar: WorkingCalendar, received_on: date, appealed_on: date) -> str | None:
    deadline = appeal_deadline(calendar, received_on)
    if appealed_on <= deadline:
        return None
    return _("Khiếu nại ngày %(day)s, quá thời hạn %(deadline)s (30 ngày làm việc kể từ ngày "
             "nhận quyết định %(received)s).") % {
        "day": dmy(appealed_on), "deadline": dmy(deadline), "received": dmy(received_on)}


def appeal_in_time(calendar: WorkingCalendar, decided_on: date, received_on: date | None,
                   appealed_on: date) -> str | None:
    """An appeal lodged within the 30 working days after the decision was received. Without
    the receipt day, an appeal within 30 working days of the decision is in time whenever it
    was received (never before the decision); a later one needs the receipt day to be judged."""
    if received_on is not None:
        if received_on < decided_on:
            return _("Ngày nhận quyết định %(received)s trước ngày quyết định %(decided)s.") % {
                "received": dmy(received_on), "decided": dmy(decided_on)}
        if appealed_on < received_on:
            return _("Ngày khiếu nại %(appealed)s trước ngày nhận quyết định %(received)s.") % {
                "appealed": dmy(appealed_on), "received": dmy(received_on)}
        return appeal_late(calendar, received_on, appealed_on)
    if appealed_on <= appeal_deadline(calendar, decided_on):
        return None
    return _("Khiếu nại ngày %(day)s, quá 30 ngày làm việc kể từ ngày quyết định %(decided)s: "
             "ghi ngày nhận quyết định để xét thời hạn khiếu nại.") % {
        "day": dmy(appealed_on), "decided": dmy(decided_on)}


# --- the findings ----------------------------------------------------------------------------

def forms_allowed(subject_is_org: bool, probationary: bool, holds_post: bool,
                  day: date) -> tuple[str, ...]:
    """The forms a subject may receive on `day` without a finding: an organization reprimand,
    warning or dissolution; a probationary member reprimand or warning only; dismissal only for
    a member holding a party post (the day before the decision takes effect)."""
    if subject_is_org:
        return tuple(ORG_FORMS)
    if probationary:
        return rule_set(day).probationary_forms
    return tuple(form for form in MEMBER_FORMS if form != Form.DISMISSAL or holds_post)


def limitation_ends(form: str, violation_on: date) -> date | None:
    """The day from which `form` may no longer be decided for a violation on `violation_on`:
    its 5th (10th) anniversary, to the day (29 February: 28 February of a common year);
    None: no limitation."""
    years = rule_set(violation_on).limitation_years.get(form)
    if years is None:
        return None
    return add_months(violation_on, 12 * years)


def probationary_form(form: str, probationary: bool, day: date) -> str | None:
    """A probationary member (on the day before the decision) dismissed or expelled."""
    if not probationary or form in rule_set(day).probationary_forms:
        return None
    return _("Đảng viên dự bị bị kỷ luật %(form)s.") % {"form": Form(form).label.lower()}


def limitation(form: str, violation_on: date, decided_on: date) -> str | None:
    """Decided on or after the limitation's last day: 5 years (reprimand), 10 (warning,
    dismissal) after `violation_on`; none for expulsion and dissolution."""
    ends = limitation_ends(form, violation_on)
    if ends is None or decided_on < ends:
        return None
    years = rule_set(violation_on).limitation_years[form]
    return _("Quyết định %(form)s ngày %(decided)s, vi phạm ngày %(violation)s: đã hết thời hiệu "
             "%(years)s năm từ ngày %(ends)s.") % {
        "form": Form(form).label.lower(), "decided": dmy(decided_on),
        "violation": dmy(violation_on), "years": years, "ends": dmy(ends)}


def authority(form: str, decider_is_cell: bool, own_member: bool, day: date) -> str | None:
    """A cell deciding above a warning, or on a subject that is not its own member (the
    member's cell the day before the decision)."""
    if not decider_is_cell:
        return None
    problems = []
    if form not in rule_set(day).cell_forms:
        problems.append(_("chi bộ quyết định hình thức %(form)s") % {
            "form": Form(form).label.lower()})
    if not own_member:
        problems.append(_("đối tượng không phải đảng viên của chi bộ"))
    if not problems:
        return None
    return _("Quá thẩm quyền của chi bộ: %(problems)s.") % {"problems": "; ".join(problems)}


def dismissal_post(form: str, holds_post: bool, effective_on: date) -> str | None:
    """A dismissal of a member holding no party post the day before it takes effect."""
    if form != Form.DISMISSAL or holds_post:
        return None
    return _("Cách chức có hiệu lực ngày %(day)s nhưng ngày %(before)s đảng viên không giữ "
             "chức vụ nào trong Đảng.") % {"day": dmy(effective_on),
                                          "before": dmy(effective_on - timedelta(days=1))}


@dataclass(frozen=True)
class Facts:
    """One discipline decision's facts as the findings read them."""

    form: str
    subject_is_org: bool
    violation_on: date
    decided_on: date
    effective_on: date | None = None
    probationary: bool = False  # a probationary member the day before `decided_on`
    decider_is_cell: bool = False
    own_member: bool = True  # the member's cell the day before `decided_on` is the decider
    holds_post: bool = True  # a party post the day before the effective day

    @property
    def effective_day(self) -> date:
        return self.effective_on or self.decided_on


def breaches(facts: Facts, keys: Iterable[str] = KEYS) -> list[Breach]:
    """Every breach of the rules `keys` by one decision; each arises on `decided_on`."""
    found = []
    for key in keys:
        detail = _judge(key, facts)
        if detail is not None:
            found.append(Breach(key, facts.decided_on, detail))
    return sorted(found, key=lambda breach: breach.key)


def _judge(key: str, facts: Facts) -> str | None:
    if key == LIMITATION:
        return limitation(facts.form, facts.violation_on, facts.decided_on)
    if key == AUTHORITY:
        return authority(facts.form, facts.decider_is_cell, facts.own_member, facts.decided_on)
    if facts.subject_is_org:
        return None
    if key == PROBATIONARY_FORM:
        return probationary_form(facts.form, facts.probationary, facts.decided_on)
    if key == DISMISSAL_POST:
        return dismissal_post(facts.form, facts.holds_post, facts.effective_day)
    raise KeyError(key)
