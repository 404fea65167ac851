"""Every change to the party badges (RULES.md §7; spec BUNDLE-v2.md badges.csv): a member due a
badge (chibo.members.queries.badge_rows, the due list) is proposed for an award day by the cell
or a level above it; the provincial committee decides the award (chibo.badges.capabilities).

Each service runs in one transaction, checks the actor's capability where the record lies
(`badge.propose` on the member's cell, `badge.manage` on the deciding provincial committee),
refuses input that would make the stored history inconsistent (`RuleViolation` naming the field,
nothing written) and writes one audit record. An award that breaks a badges finding rule (party
age short of the milestone beyond the early reason, a day other than 3/2, 19/5, 2/9, 7/11, the
delay after a discipline: chibo.badges.rules) is refused with the rule's words unless
`exception` gives the decision that allowed it, then recorded in the same transaction.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import require
from chibo.audit.services import record_change
from chibo.badges import findings, rules
from chibo.badges.capabilities import MANAGE_BADGES, PROPOSE_BADGES
from chibo.badges.choices import EarlyReason, ProposalStatus
from chibo.badges.facts import Reading
from chibo.badges.models import Badge, Proposal
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import path_ids
from chibo.findings.queries import open_findings
from chibo.findings.services import Decision, refuse_or_except
from chibo.inspection.placement import MemberDays
from chibo.members.choices import ACTIVE_STATUSES, MemberStatus
from chibo.members.models import Member
from chibo.organizations.models import Organization

ACTIONS = {
    "badge.propose": gettext_lazy("Đề nghị tặng Huy hiệu Đảng"),
    "badge.award": gettext_lazy("Quyết định tặng Huy hiệu Đảng"),
}
DECIDING_KIND = "provincial"
# The input at fault when an award breaks a finding rule.
FINDING_FIELDS = {rules.PARTY_AGE: "years", rules.DAY: "awarded_on",
                  rules.DISCIPLINE_DELAY: "awarded_on"}


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _years(years) -> int:
    if years not in rules.MILESTONES:
        raise RuleViolation(_("%(years)s không phải mốc Huy hiệu Đảng (30, 40, 45 … 90 năm).")
                            % {"years": years}, field="years")
    return years


def _reason(reason: str | None) -> str:
    reason = reason or ""
    if reason and reason not in EarlyReason.values:
        raise RuleViolation(_("Lý do trao sớm không hợp lệ: %(value)s.") % {"value": reason},
                            field="early_reason")
    return reason


def _not_yet(member: Member, years: int) -> None:
    if Badge.objects.filter(member=member, years=years).exists():
        raise RuleViolation(_("%(name)s đã được tặng Huy hiệu %(years)s năm tuổi Đảng.") % {
            "name": member.full_name, "years": years}, code="duplicate", field="years")


def _alive_or_posthumous(member: Member, day: date, reason: str, field: str) -> None:
    """Active on `day` (the periods of chibo.members); posthumously, dead before it."""
    if reason == EarlyReason.POSTHUMOUS:
        if member.status != MemberStatus.DIED or not member.ended_on or member.ended_on >= day:
            raise RuleViolation(_("Truy tặng: %(name)s chưa từ trần trước ngày %(day)s.") % {
                "name": member.full_name, "day": _d(day)}, field="early_reason")
        return
    # An open period runs to the end of time: a ceremony ahead is checked the same way.
    if MemberDays([member.pk]).on(member.pk, day) is None:
        raise RuleViolation(_("%(name)s không sinh hoạt đảng vào ngày %(day)s.") % {
            "name": member.full_name, "day": _d(day)}, field=field)


def snapshot(record) -> dict:
    data = {"member": record.member.member_code, "years": record.years,
            "early_reason": record.early_reason, "note": record.note}
    if isinstance(record, Badge):
        return {**data, "awarded_on": record.awarded_on, "decision_no": record.decision_no,
                "decided_by": record.decided_by.code if record.decided_by_id else None}
    return {**data, "award_day": record.award_day, "cell": record.cell.code,
            "proposed_by": record.proposed_by.code, "proposed_on": record.proposed_on,
            "status": record.status}


# --- the proposal ------------------------------------------------------------------------------

@dataclass
class NewProposal:
    member: Member
    years: int
    award_day: date
    proposed_on: date
    proposed_by: Organization | None = None  # None: the member's cell
    early_reason: str = ""
    note: str = ""


@transaction.atomic
def propose(data: NewProposal, *, actor) -> Proposal:
    """Propose a member for the badge of `years` on `award_day`: by the member's cell or an
    organization above it, where the actor holds `badge.propose`."""
    member = Member.objects.select_related("cell").get(pk=data.member.pk)
    proposer = data.proposed_by or member.cell
    if proposer.pk not in path_ids(member.cell.path):
        raise RuleViolation(_("%(name)s không thuộc %(org)s.") % {
            "name": member.full_name, "org": proposer.name}, field="member")
    require(actor, PROPOSE_BADGES, proposer)
    require(actor, PROPOSE_BADGES, member.cell)
    years, reason = _years(data.years), _reason(data.early_reason)
    if data.proposed_on > timezone.localdate():
        raise RuleViolation(_("Ngày đề nghị %(day)s sau hôm nay.") % {
            "day": _d(data.proposed_on)}, field="proposed_on")
    if data.award_day < data.proposed_on:
        raise RuleViolation(_("Đợt trao %(day)s trước ngày đề nghị %(proposed)s.") % {
            "day": _d(data.award_day), "proposed": _d(data.proposed_on)}, field="award_day")
    _not_yet(member, years)
    if Proposal.objects.select_for_update().filter(member=member, years=years).exists():
        raise RuleViolation(_("%(name)s đã được đề nghị tặng Huy hiệu %(years)s năm.") % {
            "name": member.full_name, "years": years}, code="duplicate", field="years")
    if reason != EarlyReason.POSTHUMOUS and member.status not in ACTIVE_STATUSES:
        raise RuleViolation(_("%(name)s không còn sinh hoạt đảng.") % {
            "name": member.full_name}, field="member")
    proposal = Proposal.objects.create(
        member=member, years=years, award_day=data.award_day, early_reason=reason,
        cell=member.cell, proposed_by=proposer, proposed_on=data.proposed_on,
        note=(data.note or "").strip())
    record_change("badge.propose", actor=actor, obj=proposal, after=snapshot(proposal))
    return proposal


# --- the award ---------------------------------------------------------------------------------

@dataclass
class NewBadge:
    member: Member
    years: int
    awarded_on: date
    early_reason: str = ""
    decision_no: str = ""
    decided_by: Organization | None = None  # None: the provincial committee above the cell
    note: str = ""


def decider_of(member: Member, given: Organization | None = None) -> Organization:
    """The provincial committee above the member's cell (RULES.md §7: the special cases are the
    provincial standing committee's; the award is the province's, chibo.badges.capabilities)."""
    above = Organization.objects.filter(pk__in=path_ids(member.cell.path), kind=DECIDING_KIND)
    if given is not None:
        above = above.filter(pk=given.pk)
    found = above.first()
    if found is None:
        raise RuleViolation(_("Huy hiệu Đảng do Tỉnh ủy (Thành ủy) cấp trên của chi bộ quyết "
                              "định."), field="decided_by")
    return found


def new_breaches(badge: Badge) -> list:
    """The findings the badge would raise, less those already excepted."""
    row = findings.row_of(badge.member, badge.years, badge.awarded_on, badge.early_reason)
    return open_findings(findings.judge([row], reading=Reading([badge.member_id])))


def _guard(badge: Badge, *, exception: Decision | None, actor) -> None:
    new = new_breaches(badge)
    refuse_or_except(new, exception=exception, org=badge.member.cell, actor=actor,
                     field=FINDING_FIELDS[new[0].key] if new else "")


@transaction.atomic
def award(data: NewBadge, *, actor, exception: Decision | None = None) -> Badge:
    """The provincial committee's decision: the member is awarded the badge of `years` on
    `awarded_on` (the ceremony's day); the member's proposal, if any, is marked awarded."""
    member = Member.objects.select_related("cell").get(pk=data.member.pk)
    decider = decider_of(member, data.decided_by)
    require(actor, MANAGE_BADGES, decider)
    years, reason = _years(data.years), _reason(data.early_reason)
    if data.awarded_on > timezone.localdate() + timedelta(days=366):
        raise RuleViolation(_("Ngày trao %(day)s quá một năm sau hôm nay.") % {
            "day": _d(data.awarded_on)}, field="awarded_on")
    Member.objects.select_for_update().filter(pk=member.pk).first()
    _not_yet(member, years)
    _alive_or_posthumous(member, data.awarded_on, reason, "awarded_on")
    badge = Badge(member=member, years=years, awarded_on=data.awarded_on, early_reason=reason,
                  decision_no=(data.decision_no or "").strip(), decided_by=decider,
                  note=(data.note or "").strip())
    _guard(badge, exception=exception, actor=actor)
    badge.save()
    Proposal.objects.filter(member=member, years=years).update(
        status=ProposalStatus.AWARDED, badge=badge)
    record_change("badge.award", actor=actor, obj=badge, org=member.cell,
                  after=snapshot(badge))
    return badge
