"""Every step of a candidate's file (RULES.md §1; spec BUNDLE-v2.md, candidates.csv): each in
one transaction, checking who may do it and the file's consistency (an error: `RuleViolation`
naming the field, nothing written), judging the regulation's rules (a new breach is refused
with the rule's words unless `exception` gives the decision that allowed it, then recorded),
and writing one audit record.

The decision creates the probationary member in the cell through the members app
(`admit_member`, admitted on `decision_on`), or readmits a former member (`record_event`
readmit, RULES.md §1: the members app judges the 36 months and the once-only rule), and links
the member to the candidate. The consistency checks (`order_problem`, `votes_problem`,
`outcome_problem`) are the bundle import's too.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import require
from chibo.admission import findings, rules
from chibo.admission.capabilities import MANAGE_ADMISSION
from chibo.admission.choices import CLOSED_WITHOUT_DECISION, Outcome
from chibo.admission.models import PERSON_TEXTS, Candidate
from chibo.admission.placement import TreeOnDays
from chibo.audit.services import record_change
from chibo.core.concurrency import Expected, check_version
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import path_ids
from chibo.findings.queries import open_findings
from chibo.findings.services import Decision, refuse_or_except
from chibo.members import services as members
from chibo.members.models import Member
from chibo.organizations.calendar import working_calendar
from chibo.organizations.choices import MEMBER_HOLDING_KINDS, OrgKind
from chibo.organizations.models import Organization

# The steps' days, in the order the pipeline takes them (each on or after the one before).
PIPELINE = ("listed_on", "cell_resolution_on", "committee_resolution_on", "decision_on",
            "ceremony_on")
DATES = ("listed_on", "awareness_course_on", "background_checked_on", "cell_resolution_on",
         "committee_resolution_on", "decision_on", "ceremony_on", "outcome_on")
PROFILE = ("full_name", "gender", "birth_date", *PERSON_TEXTS, "general_education",
           "professional_level", "theory_level")
LABELS = {"listed_on": gettext_lazy("ngày vào danh sách"),
          "cell_resolution_on": gettext_lazy("nghị quyết chi bộ"),
          "committee_resolution_on": gettext_lazy("nghị quyết đảng ủy cơ sở"),
          "decision_on": gettext_lazy("quyết định kết nạp"),
          "ceremony_on": gettext_lazy("lễ kết nạp")}


# Consistency: one function each, for the services and the bundle import ------------------------

def order_problem(values: dict, today: date) -> tuple[str, str] | None:
    """(field, message) when the pipeline's days are out of order or after today."""
    last = None
    for name in PIPELINE:
        day = values.get(name)
        if day is None:
            continue
        if last is not None and day < values[last]:
            return name, _("%(this)s (%(day)s) trước %(before)s (%(other)s)") % {
                "this": LABELS[name], "day": day.isoformat(), "before": LABELS[last],
                "other": values[last].isoformat()}
        last = name
    if last is not None and values[last] > today:
        return last, _("%(this)s (%(day)s) sau hôm nay") % {
            "this": LABELS[last], "day": values[last].isoformat()}
    outcome_on = values.get("outcome_on")
    if outcome_on is not None and outcome_on < values["listed_on"]:
        return "outcome_on", _("ngày rút tên, không kết nạp trước ngày vào danh sách")
    return None


def votes_problem(votes_for: int | None, votes_total: int | None) -> tuple[str, str] | None:
    if (votes_for is None) != (votes_total is None):
        return ("cell_votes_total" if votes_total is None else "cell_votes_for",
                _("cần cả số tán thành và số đảng viên chính thức của chi bộ"))
    if votes_for is not None and votes_for > votes_total:
        return "cell_votes_for", _("số tán thành lớn hơn số đảng viên chính thức của chi bộ")
    return None


def outcome_problem(outcome: str, decision_on: date | None, member_code: str | None,
                    outcome_on: date | None) -> tuple[str, str] | None:
    admitted = outcome == Outcome.ADMITTED
    if admitted and not (decision_on and member_code):
        return ("decision_on" if not decision_on else "member_code",
                _("đã kết nạp cần ngày quyết định và mã đảng viên"))
    if not admitted and (decision_on or member_code):
        return "outcome", _("có quyết định kết nạp hoặc mã đảng viên: kết quả phải là admitted")
    if (outcome in CLOSED_WITHOUT_DECISION) != (outcome_on is not None):
        return ("outcome_on", _("ngày rút tên, không kết nạp đi cùng kết quả withdrawn hoặc "
                                "rejected, và chỉ với chúng"))
    return None


def committee_problem(cell: Organization, decided_by: Organization | None,
                      day: date) -> tuple[str, str] | None:
    """The deciding committee must be above the cell on the day (not a partial committee)."""
    if decided_by is None:
        return "decided_by", _("cần cấp ủy quyết định kết nạp")
    path = TreeOnDays([cell.pk]).path(cell.pk, day)
    if (decided_by.pk not in (path_ids(path)[:-1] if path else [])
            or decided_by.kind == OrgKind.PARTIAL_COMMITTEE):
        return "decided_by", _("%(org)s không phải cấp ủy cấp trên của chi bộ (không phải đảng "
                               "bộ bộ phận)") % {"org": decided_by.name}
    return None


def _refuse(problem: tuple[str, str] | None) -> None:
    if problem is not None:
        raise RuleViolation(problem[1], field=problem[0])


# The rules of the regulation --------------------------------------------------------------------

def _row(candidate: Candidate) -> dict:
    """The candidate as the findings read it (chibo.admission.findings.FIELDS)."""
    row = {name: getattr(candidate, name) for name in findings.FIELDS if "__" not in name}
    row |= {"pk": candidate.pk or 0, "cell__code": candidate.cell.code,
            "cell__name": candidate.cell.name,
            "sponsor1__member_code": getattr(candidate.sponsor1, "member_code", ""),
            "sponsor2__member_code": getattr(candidate.sponsor2, "member_code", "")}
    return row


def _breaches(candidate: Candidate) -> list[rules.Breach]:
    """The breaches of the file's recorded steps (a step not yet taken breaks nothing here:
    the listing reports an overdue ceremony, a page records the ceremony when it is held)."""
    row = _row(candidate)
    facts = findings.facts_of([row]).get(row["pk"])
    return rules.breaches(facts, working_calendar(), None) if facts else []


def guard(candidate: Candidate, before: list[rules.Breach], *, exception: Decision | None,
          actor, field: str) -> None:
    """Refuse the change when it makes the file break a rule it did not break before (and not
    excepted yet), unless `exception` gives the decision that allowed it: then record it."""
    known = {breach.key for breach in before}
    row = _row(candidate)
    new = open_findings([findings.as_finding(breach, row)
                         for breach in _breaches(candidate)
                         if breach.key not in known])
    refuse_or_except(new, exception=exception, actor=actor, field=field, org=candidate.cell)


def snapshot(candidate: Candidate) -> dict:
    return {"code": candidate.code, "full_name": candidate.full_name,
            "cell": candidate.cell.code, "outcome": candidate.outcome,
            **{name: getattr(candidate, name) for name in DATES},
            "sponsors": [getattr(candidate.sponsor1, "member_code", None),
                         getattr(candidate.sponsor2, "member_code", None)],
            "youth_union_sponsor": candidate.youth_union_sponsor,
            "cell_votes": [candidate.cell_votes_for, candidate.cell_votes_total],
            "decision_no": candidate.decision_no,
            "decided_by": getattr(candidate.decided_by, "code", None),
            "member": getattr(candidate.member, "member_code", None)}


# The steps ------------------------------------------------------------------------------------

@dataclass
class NewCandidate:
    code: str
    cell: Organization
    listed_on: date
    full_name: str = ""
    gender: str = ""
    birth_date: date | None = None
    profile: dict = field(default_factory=dict)  # the other person keys (PERSON_TEXTS, levels)
    former: Member | None = None  # readmission: the person keys come from the former file


@transaction.atomic
def list_candidate(data: NewCandidate, *, actor) -> Candidate:
    """Put someone on the cell's list of candidates (quần chúng ưu tú)."""
    require(actor, MANAGE_ADMISSION, data.cell)
    code = (data.code or "").strip()
    if not code or any(ch.isspace() for ch in code):
        raise RuleViolation(_("Mã quần chúng không được để trống hoặc chứa dấu cách."),
                            field="code")
    if Candidate.objects.filter(code=code).exists():
        raise RuleViolation(_("Mã quần chúng %(code)s đã có.") % {"code": code},
                            code="duplicate", field="code")
    if not (data.cell.kind in MEMBER_HOLDING_KINDS
            and members.cell_exists(data.cell, data.listed_on)):
        raise RuleViolation(_("%(org)s không phải chi bộ đang tồn tại vào ngày %(day)s.") % {
            "org": data.cell.name, "day": data.listed_on.isoformat()}, field="cell")
    person = {"full_name": data.full_name, "gender": data.gender,
              "birth_date": data.birth_date, **data.profile}
    if data.former is not None:
        person = {name: getattr(data.former, name) for name in PROFILE}
    if not (person["full_name"] or "").strip():
        raise RuleViolation(_("Họ và tên không được để trống."), field="full_name")
    if person["birth_date"] is None or person["birth_date"] >= data.listed_on:
        raise RuleViolation(_("Ngày sinh phải trước ngày vào danh sách."), field="birth_date")
    _refuse(order_problem({"listed_on": data.listed_on}, timezone.localdate()))
    candidate = Candidate.objects.create(code=code, cell=data.cell, listed_on=data.listed_on,
                                         **person)
    record_change("candidate.list", actor=actor, obj=candidate, after=snapshot(candidate),
                  org=candidate.cell)
    return candidate


def _step(action: str, candidate: Candidate, changes: dict, *, actor, field: str,
          exception: Decision | None = None, version: Expected = None,
          pending: bool = True, after: str = "") -> Candidate:
    """Apply `changes` to the candidate's file after the checks, in the caller's transaction;
    `after`: the date field of the step that must come before this one."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related(
        "cell", "sponsor1", "sponsor2", "decided_by", "member").get(pk=candidate.pk)
    check_version(candidate, version)
    require(actor, MANAGE_ADMISSION, candidate.cell)
    if pending and candidate.outcome != Outcome.PENDING:
        raise RuleViolation(_("Hồ sơ đã kết thúc (%(outcome)s).") % {
            "outcome": candidate.get_outcome_display()}, field=field)
    if after and getattr(candidate, after) is None:
        raise RuleViolation(_("Chưa có %(step)s.") % {"step": LABELS[after]}, field=field)
    before, breaches = snapshot(candidate), _breaches(candidate)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _refuse(order_problem({name: getattr(candidate, name) for name in DATES},
                          timezone.localdate()))
    _refuse(votes_problem(candidate.cell_votes_for, candidate.cell_votes_total))
    guard(candidate, breaches, exception=exception, actor=actor, field=field)
    candidate.save()
    record_change(action, actor=actor, obj=candidate, before=before, after=snapshot(candidate),
                  org=candidate.cell)
    return candidate


@transaction.atomic
def record_certificate(candidate: Candidate, day: date, *, actor,
                       exception: Decision | None = None, version: Expected = None) -> Candidate:
    """The awareness course's certificate (giấy chứng nhận CN-NTVĐ), valid 5 years."""
    return _step("candidate.certificate", candidate, {"awareness_course_on": day}, actor=actor,
                 field="awareness_course_on", exception=exception, version=version)


@transaction.atomic
def set_sponsors(candidate: Candidate, sponsor1: Member | None, sponsor2: Member | None,
                 youth_union: bool = False, *, actor, exception: Decision | None = None,
                 version: Expected = None) -> Candidate:
    """The sponsors (3-KNĐ), or the Youth Union's recommendation in place of one (4-KNĐ)."""
    if sponsor1 is not None and sponsor2 is not None and sponsor1.pk == sponsor2.pk:
        raise RuleViolation(_("Hai người giới thiệu phải khác nhau."), field="sponsor2")
    return _step("candidate.sponsors", candidate, {
        "sponsor1": sponsor1, "sponsor2": sponsor2, "youth_union_sponsor": youth_union},
        actor=actor, field="sponsor1", exception=exception, version=version)


@transaction.atomic
def record_background_check(candidate: Candidate, day: date, *, actor,
                            exception: Decision | None = None,
                            version: Expected = None) -> Candidate:
    return _step("candidate.background", candidate, {"background_checked_on": day},
                 actor=actor, field="background_checked_on", exception=exception,
                 version=version)


@transaction.atomic
def record_cell_resolution(candidate: Candidate, day: date, votes_for: int, votes_total: int,
                           *, actor, age_exception_no: str = "",
                           exception: Decision | None = None,
                           version: Expected = None) -> Candidate:
    """The cell's resolution proposing the admission (6-KNĐ), with its vote: the day from
    which the rules judge the file (age, certificate, background, sponsors, two thirds).
    `age_exception_no`: the provincial committee's consent to admit someone over 60."""
    if votes_for is None or votes_total is None or votes_for < 0 or votes_total < 1:
        raise RuleViolation(_("Cần số đảng viên chính thức tán thành và của chi bộ."),
                            field="cell_votes_total")
    _refuse(votes_problem(votes_for, votes_total))
    return _step("candidate.cell_resolution", candidate, {
        "cell_resolution_on": day, "cell_votes_for": votes_for, "cell_votes_total": votes_total,
        "age_exception_no": age_exception_no}, actor=actor, field="cell_resolution_on",
        exception=exception, version=version)


@transaction.atomic
def record_committee_resolution(candidate: Candidate, day: date, *, actor,
                                exception: Decision | None = None,
                                version: Expected = None) -> Candidate:
    """The grassroots committee's resolution (8-KNĐ)."""
    return _step("candidate.committee_resolution", candidate, {"committee_resolution_on": day},
                 actor=actor, field="committee_resolution_on", exception=exception,
                 version=version, after="cell_resolution_on")


@transaction.atomic
def decide_admission(candidate: Candidate, day: date, *, decision_no: str,
                     decided_by: Organization, member_code: str, actor,
                     former: Member | None = None, exception: Decision | None = None,
                     version: Expected = None) -> Candidate:
    """The decision to admit (9-KNĐ): the candidate becomes a probationary member of the cell,
    admitted on `day` (party age counts from it). `former`: a readmission of that member's
    file (RULES.md §1), judged by the members app's readmission rule."""
    cell = Candidate.objects.select_related("cell").get(pk=candidate.pk).cell
    require(actor, MANAGE_ADMISSION, cell)  # who may not decide learns nothing of the tree
    _refuse(committee_problem(cell, decided_by, day))
    candidate = _step("candidate.decide", candidate, {
        "decision_on": day, "decision_no": decision_no, "decided_by": decided_by,
        "outcome": Outcome.ADMITTED}, actor=actor, field="decision_on",
        exception=exception, version=version, after="committee_resolution_on")
    try:
        member = _admit(candidate, day, member_code, decision_no, former, actor=actor,
                        exception=exception)
    except RuleViolation as error:
        if error.code != "finding":
            raise
        # The members app's rule (a readmission too soon or twice) on this form's date.
        raise RuleViolation(error.messages[0], code="finding", field="decision_on") from error
    if Candidate.objects.filter(member=member).exclude(pk=candidate.pk).exists():
        raise RuleViolation(_("Đảng viên %(code)s đã gắn với một quần chúng khác.") % {
            "code": member.member_code}, field="member_code")
    candidate.member = member
    candidate.save(update_fields=["member"])
    return candidate


def _admit(candidate: Candidate, day: date, member_code: str, decision_no: str,
           former: Member | None, *, actor, exception: Decision | None) -> Member:
    """The member the decision makes: a new file started from the candidate's (the admission
    age was judged on the candidate, at the cell's resolution: the member rules that judge a
    starting row are not asked again), or the former member's file readmitted."""
    if former is not None:
        members.record_event(former, actor=actor, event="readmit", effective_on=day,
                             org=candidate.cell, decision_no=decision_no, exception=exception)
        return former
    return members.admit_member(members.NewMember(
        member_code=member_code, full_name=candidate.full_name, gender=candidate.gender,
        birth_date=candidate.birth_date, admitted_on=day, cell=candidate.cell,
        profile={name: getattr(candidate, name) for name in PROFILE[3:]
                 if name != "ethnicity" or candidate.ethnicity}),
        actor=actor, statutory=False)


@transaction.atomic
def record_ceremony(candidate: Candidate, day: date, *, actor, extension_no: str = "",
                    exception: Decision | None = None, version: Expected = None) -> Candidate:
    """The admission ceremony; later than 30 working days after the decision needs the
    superior committee's consent (`extension_no`)."""
    return _step("candidate.ceremony", candidate, {
        "ceremony_on": day, "ceremony_extension_no": extension_no}, actor=actor,
        field="ceremony_on", exception=exception, version=version, pending=False,
        after="decision_on")


@transaction.atomic
def withdraw(candidate: Candidate, day: date, *, actor, version: Expected = None) -> Candidate:
    return _step("candidate.withdraw", candidate, {
        "outcome": Outcome.WITHDRAWN, "outcome_on": day}, actor=actor, field="outcome_on",
        version=version)


@transaction.atomic
def reject(candidate: Candidate, day: date, *, actor, version: Expected = None) -> Candidate:
    return _step("candidate.reject", candidate, {
        "outcome": Outcome.REJECTED, "outcome_on": day}, actor=actor, field="outcome_on",
        version=version)


ACTIONS = {
    "candidate.list": gettext_lazy("Đưa vào danh sách quần chúng ưu tú"),
    "candidate.certificate": gettext_lazy("Ghi giấy chứng nhận lớp nhận thức về Đảng"),
    "candidate.sponsors": gettext_lazy("Ghi người giới thiệu vào Đảng"),
    "candidate.background": gettext_lazy("Ghi thẩm tra lý lịch"),
    "candidate.cell_resolution": gettext_lazy("Ghi nghị quyết chi bộ đề nghị kết nạp"),
    "candidate.committee_resolution": gettext_lazy("Ghi nghị quyết đảng ủy cơ sở"),
    "candidate.decide": gettext_lazy("Quyết định kết nạp đảng viên"),
    "candidate.ceremony": gettext_lazy("Ghi lễ kết nạp"),
    "candidate.withdraw": gettext_lazy("Quần chúng rút tên"),
    "candidate.reject": gettext_lazy("Không kết nạp quần chúng"),
}
