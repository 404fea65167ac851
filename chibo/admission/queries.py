"""What the admission pages, the API and the home card read of a candidate's file: where it
stands (`step_of`), its dossier checklist (`checklist`), what is missing, and every deadline of
the rules with its due date and the working days left (`deadlines`).

The deadlines are the rules' own (chibo.admission.rules: the decision within 60 working days
of the cell's resolution, the ceremony within 30 of the decision, the certificate's 5 years,
recognition 12 months after the ceremony), counted on the province's working calendar; nothing
here decides a rule, it only says where the file stands today.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from chibo.admission import rules
from chibo.admission.choices import Outcome, Stage
from chibo.admission.metrics import stage_on
from chibo.admission.models import Candidate
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import ancestor_paths, subtree_range
from chibo.core.workdays import WorkingCalendar
from chibo.findings.queries import ListedFinding, record_findings
from chibo.members.choices import MemberStatus
from chibo.members.models import Member
from chibo.organizations.choices import OrgKind
from chibo.organizations.models import Organization


class Step(models.TextChoices):
    """Where a file stands today, as the officers' lists show it: the stages of METRICS-v2,
    then what follows the decision, and how a file ends."""

    LISTED = Stage.LISTED.value, Stage.LISTED.label
    TRAINED = Stage.TRAINED.value, Stage.TRAINED.label
    CELL_RESOLVED = Stage.CELL_RESOLVED.value, Stage.CELL_RESOLVED.label
    COMMITTEE_RESOLVED = Stage.COMMITTEE_RESOLVED.value, Stage.COMMITTEE_RESOLVED.label
    DECIDED = "decided", _("Đã có quyết định, chờ lễ kết nạp")
    PROBATION = "probation", _("Đảng viên dự bị")
    OFFICIAL = "official", _("Đã công nhận chính thức")
    ENDED = "ended", _("Đã kết thúc dự bị")  # not recognized, or the member left since
    WITHDRAWN = Outcome.WITHDRAWN.value, Outcome.WITHDRAWN.label
    REJECTED = Outcome.REJECTED.value, Outcome.REJECTED.label


# The steps an officer still works on (the list's first tab).
OPEN_STEPS = frozenset({Step.LISTED, Step.TRAINED, Step.CELL_RESOLVED, Step.COMMITTEE_RESOLVED,
                        Step.DECIDED, Step.PROBATION})
# The same files in SQL (step_of): pending, awaiting the ceremony, or on probation.
OPEN = (Q(outcome=Outcome.PENDING) | Q(outcome=Outcome.ADMITTED, ceremony_on__isnull=True)
        | Q(outcome=Outcome.ADMITTED, member__status=MemberStatus.PROBATIONARY))


def step_of(candidate: Candidate, today: date) -> Step:
    if candidate.outcome in (Outcome.WITHDRAWN, Outcome.REJECTED):
        return Step(candidate.outcome)
    if candidate.outcome == Outcome.ADMITTED:
        if candidate.ceremony_on is None:
            return Step.DECIDED
        status = candidate.member.status if candidate.member_id else ""
        return {MemberStatus.PROBATIONARY: Step.PROBATION,
                MemberStatus.OFFICIAL: Step.OFFICIAL}.get(status, Step.ENDED)
    return Step(stage_on(vars(candidate), today))


@dataclass(frozen=True)
class Deadline:
    """A deadline of the rules: what is due, by which day, and how many working days are left
    (negative once past)."""

    key: str
    label: str
    due: date
    left: int

    @property
    def overdue(self) -> bool:
        return self.left < 0

    @property
    def late(self) -> int:
        return -self.left


def _deadline(key: str, label, due: date, today: date, calendar: WorkingCalendar) -> Deadline:
    return Deadline(key, str(label), due, calendar.working_days_between(today, due))


def deadlines(candidate: Candidate, today: date, calendar: WorkingCalendar) -> list[Deadline]:
    """The deadlines still running for the file today, soonest first."""
    found = []
    pending = candidate.outcome == Outcome.PENDING
    if pending and candidate.awareness_course_on and candidate.decision_on is None:
        found.append(_deadline("certificate", _("Giấy chứng nhận lớp nhận thức về Đảng hết hạn"),
                               rules.certificate_expires(candidate.awareness_course_on)
                               - timedelta(days=1), today, calendar))
    if pending and candidate.cell_resolution_on:
        found.append(_deadline("decision", _("Quyết định kết nạp (60 ngày làm việc)"),
                               rules.decision_deadline(calendar, candidate.cell_resolution_on),
                               today, calendar))
    if (candidate.outcome == Outcome.ADMITTED and candidate.ceremony_on is None
            and not candidate.ceremony_extension_no):
        found.append(_deadline("ceremony", _("Lễ kết nạp (30 ngày làm việc)"),
                               rules.ceremony_deadline(calendar, candidate.decision_on),
                               today, calendar))
    if recognition_pending(candidate):
        found.append(_deadline("recognition", _("Xét công nhận đảng viên chính thức"),
                               rules.official_day(candidate.ceremony_on), today, calendar))
    return sorted(found, key=lambda deadline: deadline.due)


def recognition_pending(candidate: Candidate) -> bool:
    """Admitted, the ceremony held, the member still on probation."""
    return (candidate.outcome == Outcome.ADMITTED and candidate.ceremony_on is not None
            and candidate.member_id is not None
            and candidate.member.status == MemberStatus.PROBATIONARY)


def recognition_due(candidate: Candidate, today: date) -> bool:
    """The 12 months of probation are over: recognition is to be decided now."""
    return recognition_pending(candidate) and today >= rules.official_day(candidate.ceremony_on)


# The dossier checklist -------------------------------------------------------------------------

DONE, MISSING, WAITING, PROBLEM = "done", "missing", "waiting", "problem"
STATE_LABELS = {DONE: _("Đã có"), MISSING: _("Còn thiếu"), WAITING: _("Chưa đến bước"),
                PROBLEM: _("Có vấn đề")}


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    state: str
    detail: str = ""

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def sponsors_given(candidate: Candidate) -> int:
    return sum(1 for s in (candidate.sponsor1_id, candidate.sponsor2_id) if s) + (
        1 if candidate.youth_union_sponsor else 0)


def _dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _certificate(candidate: Candidate, today: date) -> Item:
    label = str(_("Giấy chứng nhận học lớp nhận thức về Đảng"))
    if candidate.awareness_course_on is None:
        return Item("certificate", label, MISSING)
    expires = rules.certificate_expires(candidate.awareness_course_on)
    detail = str(_("ngày %(day)s, còn giá trị đến trước %(expires)s")) % {
        "day": _dmy(candidate.awareness_course_on), "expires": _dmy(expires)}
    decided_or_today = candidate.decision_on or today
    return Item("certificate", label, PROBLEM if decided_or_today >= expires else DONE, detail)


def _sponsors(candidate: Candidate) -> Item:
    names = [s.full_name for s in (candidate.sponsor1, candidate.sponsor2) if s is not None]
    if candidate.youth_union_sponsor:
        names.append(str(_("Đoàn thanh niên")))
    given = sponsors_given(candidate)
    return Item("sponsors", str(_("Hai người giới thiệu (Đoàn thanh niên thay được một)")),
                DONE if given >= rules.SPONSORS_NEEDED else MISSING, ", ".join(names))


def _dated(key: str, label, day: date | None, reached: bool, detail: str = "") -> Item:
    if day is not None:
        return Item(key, str(label), DONE, ", ".join(filter(None, [_dmy(day), detail])))
    return Item(key, str(label), MISSING if reached else WAITING)


def checklist(candidate: Candidate, today: date) -> list[Item]:
    """The dossier's items in the order of RULES.md §1, each with its state today."""
    resolved = candidate.cell_resolution_on is not None
    votes = ""
    if candidate.cell_votes_total:
        votes = str(_("%(for)s/%(total)s tán thành")) % {
            "for": candidate.cell_votes_for, "total": candidate.cell_votes_total}
    items = [
        _certificate(candidate, today), _sponsors(candidate),
        _dated("background", _("Thẩm tra lý lịch"), candidate.background_checked_on, True),
        _dated("cell_resolution", _("Nghị quyết chi bộ đề nghị kết nạp"),
               candidate.cell_resolution_on, True, votes),
        _dated("committee_resolution", _("Nghị quyết đảng ủy cơ sở"),
               candidate.committee_resolution_on, resolved),
        _dated("decision", _("Quyết định kết nạp của cấp ủy có thẩm quyền"),
               candidate.decision_on, candidate.committee_resolution_on is not None,
               candidate.decision_no),
        _dated("ceremony", _("Lễ kết nạp"), candidate.ceremony_on,
               candidate.decision_on is not None),
    ]
    if resolved and candidate.cell_votes_total and not rules.vote_passes(
            candidate.cell_votes_for, candidate.cell_votes_total):
        items[3] = Item(items[3].key, items[3].label, PROBLEM, items[3].detail)
    return items


def missing(items: list[Item]) -> list[Item]:
    return [item for item in items if item.state in (MISSING, PROBLEM)]


def findings_of(candidate: Candidate, today: date) -> list[ListedFinding]:
    """The candidate's findings with their exceptions: the rules' own search over the cell,
    kept to this file."""
    return [item for item in record_findings(candidate.cell, today, rules.KEYS)
            if item.finding.record == candidate.code]


# What the forms offer ---------------------------------------------------------------------------

GRASSROOTS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)


def deciding_committees(cell: Organization) -> list[Organization]:
    """The committees above the cell that may decide its admissions (not a partial
    committee), nearest first."""
    above = Organization.objects.filter(path__in=ancestor_paths(cell.path)[:-1]).exclude(
        kind=OrgKind.PARTIAL_COMMITTEE)
    return sorted(above, key=lambda org: -org.depth)


def possible_sponsors(candidate: Candidate) -> list[Member]:
    """The official members of the candidate's grassroots organization today (the rule's
    sponsors), and the sponsors already recorded."""
    cell = candidate.cell
    home = next((org for org in [cell, *deciding_committees(cell)] if org.kind in GRASSROOTS),
                cell)
    low, high = subtree_range(home.path)
    found = list(Member.objects.filter(cell__path__gte=low, cell__path__lt=high,
                                       status=MemberStatus.OFFICIAL).order_by("sort_key", "pk"))
    for sponsor in (candidate.sponsor1, candidate.sponsor2):
        if sponsor is not None and sponsor not in found:
            found.append(sponsor)
    return found


def former_by_code(user, code: str, field: str) -> Member:
    """The former member a readmission starts from, named by code among the files the user
    may read (an unknown code and one outside get the same refusal, on `field`)."""
    member = Member.objects.visible_to(user).filter(member_code=code).first()
    if member is None:
        raise RuleViolation(gettext_now("Không có đảng viên mã %(code)s trong phạm vi của bạn.")
                            % {"code": code}, field=field)
    return member


def former_member(candidate: Candidate, user) -> Member | None:
    """The former member whose file a readmission starts from: same name, birth day and
    national ID, no longer a member, in the user's scope."""
    if candidate.member_id:
        return None
    found = Member.objects.visible_to(user).filter(
        full_name=candidate.full_name, birth_date=candidate.birth_date,
        national_id=candidate.national_id).exclude(
        status__in=(MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)).first()
    return found
