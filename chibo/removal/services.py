"""Every change to a removal case (RULES.md §1, "Removal from the list"): the cell proposes with
its grounds, the competent committee decides. Each service runs in one transaction, checks the
actor's capability where the record lies (`removal.propose` on the member's cell,
`removal.decide` on the deciding committee), refuses input that would make the records
inconsistent (`RuleViolation` naming the field, nothing written) and writes one audit record.

The grounds the records can show are checked against them: a proposal naming "absent without
valid reason three months in a year" for a member the meetings do not show absent so is refused,
whatever the form says; the others need the cell's document. A decision to remove records the
member's `remove` event (chibo.members.services.record_event: the file's history is replayed
and checked), in the same transaction.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import require
from chibo.audit.services import record_change
from chibo.core.concurrency import Expected, check_version
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import path_ids
from chibo.members import services as member_services
from chibo.members.choices import ACTIVE_STATUSES
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.removal import grounds as ground_rules
from chibo.removal.capabilities import DECIDE_REMOVAL, PROPOSE_REMOVAL
from chibo.removal.choices import Outcome
from chibo.removal.models import RemovalCase

ACTIONS = {
    "removal.propose": gettext_lazy("Chi bộ đề nghị xóa tên đảng viên"),
    "removal.decide": gettext_lazy("Quyết định về đề nghị xóa tên đảng viên"),
}
# The organizations that decide no removal: a cell proposes, the committee above decides.
NOT_DECIDING = ("cell", "partial_committee")


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _not_future(day: date, field_name: str) -> None:
    if day > timezone.localdate():
        raise RuleViolation(_("Ngày %(day)s sau hôm nay.") % {"day": _d(day)},
                            field=field_name)


def case_snapshot(case: RemovalCase) -> dict:
    return {"member": case.member.member_code, "cell": case.cell.code,
            "grounds": list(case.grounds), "evidence": dict(case.evidence),
            "document": case.document, "proposed_on": case.proposed_on, "note": case.note,
            "outcome": case.outcome, "decided_on": case.decided_on,
            "decision_no": case.decision_no,
            "decided_by": case.decided_by.code if case.decided_by_id else None}


@dataclass
class NewRemoval:
    member: Member
    grounds: list[str]
    proposed_on: date
    document: str = ""
    note: str = ""


def _grounds(data: NewRemoval, member: Member) -> tuple[list[str], dict[str, str]]:
    """The grounds, known and shown: each recorded one by what the records show on the day of
    the proposal (kept as its evidence), the others by the cell's document."""
    chosen = sorted(set(data.grounds or ()))
    known = {ground.key: ground for ground in ground_rules.all_grounds()}
    if not chosen:
        raise RuleViolation(_("Chọn ít nhất một căn cứ đề nghị xóa tên."), field="grounds")
    unknown = [key for key in chosen if key not in known]
    if unknown:
        raise RuleViolation(_("Không có căn cứ %(keys)s.") % {"keys": ", ".join(unknown)},
                            field="grounds")
    shown = ground_rules.evidence(member, data.proposed_on)
    evidence = {}
    for key in chosen:
        if not known[key].recorded:
            continue
        if not shown.get(key):
            raise RuleViolation(_("Hồ sơ không cho thấy căn cứ “%(ground)s” của đảng viên "
                                  "%(member)s đến ngày %(day)s.") % {
                "ground": known[key].label, "member": member.full_name,
                "day": _d(data.proposed_on)}, field="grounds")
        evidence[key] = shown[key]
    if any(not known[key].recorded for key in chosen) and not data.document.strip():
        raise RuleViolation(_("Căn cứ không có trong hồ sơ của chibo cần văn bản của chi bộ "
                              "(nghị quyết, biên bản họp chi bộ)."), field="document")
    return chosen, evidence


@transaction.atomic
def propose_removal(data: NewRemoval, *, actor) -> RemovalCase:
    """The cell proposes to remove one of its active members from the list."""
    member = Member.objects.select_for_update().select_related("cell").get(pk=data.member.pk)
    require(actor, PROPOSE_REMOVAL, member.cell)
    if member.status not in ACTIVE_STATUSES:
        raise RuleViolation(_("Đảng viên %(member)s không còn sinh hoạt (%(status)s).") % {
            "member": member.full_name, "status": member.get_status_display()},
            field="member")
    _not_future(data.proposed_on, "proposed_on")
    if RemovalCase.objects.filter(member=member, outcome=Outcome.PENDING).exists():
        raise RuleViolation(_("Đảng viên %(member)s đã có đề nghị xóa tên chờ quyết định.") % {
            "member": member.full_name}, code="duplicate", field="member")
    chosen, evidence = _grounds(data, member)
    case = RemovalCase.objects.create(
        member=member, cell=member.cell, grounds=chosen, evidence=evidence,
        document=data.document.strip(), proposed_on=data.proposed_on,
        note=(data.note or "").strip())
    record_change("removal.propose", actor=actor, obj=case, after=case_snapshot(case))
    return case


def _decider(case: RemovalCase, decided_by: Organization) -> Organization:
    if decided_by.pk not in path_ids(case.cell.path) or decided_by.kind in NOT_DECIDING:
        raise RuleViolation(_("%(org)s không phải cấp ủy cấp trên của %(cell)s.") % {
            "org": decided_by.name, "cell": case.cell.name}, field="decided_by")
    return decided_by


@transaction.atomic
def decide_removal(case: RemovalCase, *, outcome: str, decided_on: date,
                   decided_by: Organization, actor, decision_no: str = "",
                   version: Expected = None) -> RemovalCase:
    """The committee's decision on the cell's proposal: removed (the member's `remove` event,
    dated the decision's day) or not."""
    case = RemovalCase.objects.select_for_update().select_related("member", "cell").get(
        pk=case.pk)
    check_version(case, version)
    decider = _decider(case, decided_by)
    require(actor, DECIDE_REMOVAL, decider)
    if not case.is_pending:
        raise RuleViolation(_("Đề nghị này đã có quyết định ngày %(day)s.") % {
            "day": _d(case.decided_on)}, field="outcome")
    if outcome not in (Outcome.REMOVED, Outcome.REJECTED):
        raise RuleViolation(_("Kết quả không hợp lệ: %(value)s.") % {"value": outcome},
                            field="outcome")
    if decided_on < case.proposed_on:
        raise RuleViolation(_("Ngày quyết định %(day)s trước ngày chi bộ đề nghị "
                              "%(proposed)s.") % {"day": _d(decided_on),
                                                  "proposed": _d(case.proposed_on)},
                            field="decided_on")
    _not_future(decided_on, "decided_on")
    decision_no = (decision_no or "").strip()
    if outcome == Outcome.REMOVED and not decision_no:
        raise RuleViolation(_("Quyết định xóa tên cần số quyết định."), field="decision_no")
    before = case_snapshot(case)
    if outcome == Outcome.REMOVED:
        case.event = member_services.record_event(
            case.member, actor=actor, event="remove", effective_on=decided_on,
            decision_no=decision_no, capability=DECIDE_REMOVAL,
            note=_("Xóa tên theo đề nghị của %(cell)s ngày %(day)s") % {
                "cell": case.cell.name, "day": _d(case.proposed_on)})
    case.outcome, case.decided_on = outcome, decided_on
    case.decision_no, case.decided_by = decision_no, decider
    case.save()
    record_change("removal.decide", actor=actor, obj=case, before=before,
                  after=case_snapshot(case))
    return case
