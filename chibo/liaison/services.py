"""Every change to a residence liaison (RULES.md §8; spec BUNDLE-v2.md residence_liaison.csv).

The working side (the member's cell and grassroots committee: `member.manage` on the member's
cell) introduces a member to the committee of their residence (1-213) and ends a liaison; the
residence cell (`liaison.feedback` on the residence cell: its secretary) writes the yearly
opinion (3-213), which the working side then reads.

Each service runs in one transaction, checks the actor's capability where the record lies,
refuses input that would make the stored history inconsistent (`RuleViolation` naming the
field, nothing written: the same checks as the bundle's) and writes one audit record.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import Capability, require
from chibo.audit.services import record_change
from chibo.core.exceptions import RuleViolation
from chibo.liaison import rules
from chibo.liaison.capabilities import WRITE_FEEDBACK
from chibo.liaison.choices import Feedback
from chibo.liaison.models import Liaison, Opinion
from chibo.liaison.placement import MemberSpans, OrgPaths
from chibo.members.models import Member
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.models import Organization

ACTIONS = {
    "liaison.introduce": gettext_lazy("Giới thiệu đảng viên về nơi cư trú (1-213)"),
    "liaison.end": gettext_lazy("Thôi giữ mối liên hệ với nơi cư trú"),
    "liaison.feedback": gettext_lazy("Chi bộ nơi cư trú nhận xét đảng viên (3-213)"),
}


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _not_future(day: date, field_name: str) -> None:
    if day > timezone.localdate():
        raise RuleViolation(_("Ngày %(day)s sau hôm nay.") % {"day": _d(day)}, field=field_name)


def snapshot(liaison: Liaison) -> dict:
    return {"member": liaison.member.member_code, "introduced_on": liaison.introduced_on,
            "org": liaison.residence_org.code,
            "cell": liaison.residence_cell.code if liaison.residence_cell_id else None,
            "exempt_from_meetings": liaison.exempt_from_meetings,
            "ended_on": liaison.ended_on, "letter_no": liaison.letter_no,
            "address": liaison.address, "note": liaison.note}


@dataclass
class NewLiaison:
    member: Member
    introduced_on: date
    residence_org: Organization
    residence_cell: Organization | None = None
    exempt_from_meetings: bool = False
    letter_no: str = ""
    address: str = ""
    note: str = ""


def _check_places(data: NewLiaison) -> None:
    day = data.introduced_on
    if MemberSpans([data.member.pk]).on(data.member.pk, day) is None:
        raise RuleViolation(_("Đảng viên %(member)s không sinh hoạt ngày %(day)s.") % {
            "member": data.member.full_name, "day": _d(day)}, field="introduced_on")
    org, cell = data.residence_org, data.residence_cell
    paths = OrgPaths([org.pk] + ([cell.pk] if cell else []))
    if org.kind not in rules.GRASSROOTS_KINDS or paths.path_on(org.pk, day) is None:
        raise RuleViolation(_("%(org)s không phải tổ chức cơ sở đảng tồn tại ngày %(day)s.") % {
            "org": org.name, "day": _d(day)}, field="residence_org")
    if cell is not None and (cell.kind not in MEMBER_HOLDING_KINDS
                             or not paths.below(cell.pk, org.pk, day)):
        raise RuleViolation(_("%(cell)s không phải chi bộ trực thuộc %(org)s ngày %(day)s.") % {
            "cell": cell.name, "org": org.name, "day": _d(day)}, field="residence_cell")


@transaction.atomic
def introduce(data: NewLiaison, *, actor) -> Liaison:
    """The working side introduces a member to their residence (giấy giới thiệu 1-213)."""
    member = Member.objects.select_for_update(of=("self",)).select_related("cell").get(
        pk=data.member.pk)
    require(actor, Capability.MANAGE_MEMBERS, member.cell)
    _not_future(data.introduced_on, "introduced_on")
    _check_places(data)
    current = member.liaisons.filter(ended_on__isnull=True).first()
    if current is not None or member.liaisons.filter(ended_on__gte=data.introduced_on).exists():
        raise RuleViolation(_("Đảng viên đang giữ mối liên hệ với nơi cư trú (giới thiệu ngày "
                              "%(day)s): thôi mối liên hệ cũ trước.") % {
            "day": _d((current or member.liaisons.latest("introduced_on")).introduced_on)},
            code="duplicate", field="introduced_on")
    liaison = Liaison.objects.create(
        member=member, introduced_on=data.introduced_on, residence_org=data.residence_org,
        residence_cell=data.residence_cell, exempt_from_meetings=data.exempt_from_meetings,
        letter_no=(data.letter_no or "").strip(), address=(data.address or "").strip(),
        note=(data.note or "").strip(), created_by=getattr(actor, "pk", None) and actor)
    record_change("liaison.introduce", actor=actor, obj=liaison, after=snapshot(liaison),
                  org=member.cell)
    return liaison


@transaction.atomic
def end(liaison: Liaison, ended_on: date, *, actor) -> Liaison:
    """The working side ends a liaison (the member retired, moved, changed work)."""
    liaison = Liaison.objects.select_for_update(of=("self",)).select_related(
        "member__cell", "residence_org", "residence_cell").get(pk=liaison.pk)
    require(actor, Capability.MANAGE_MEMBERS, liaison.member.cell)
    before = snapshot(liaison)
    if liaison.ended_on is not None:
        raise RuleViolation(_("Mối liên hệ đã thôi ngày %(day)s.") % {
            "day": _d(liaison.ended_on)}, field="ended_on")
    _not_future(ended_on, "ended_on")
    if ended_on < liaison.introduced_on:
        raise RuleViolation(_("Ngày thôi %(end)s trước ngày giới thiệu %(day)s.") % {
            "end": _d(ended_on), "day": _d(liaison.introduced_on)}, field="ended_on")
    later = liaison.opinions.filter(year__gt=ended_on.year).order_by("year").first()
    if later is not None:
        raise RuleViolation(_("Đã có nhận xét năm %(year)s, sau ngày thôi %(end)s.") % {
            "year": later.year, "end": _d(ended_on)}, field="ended_on")
    liaison.ended_on = ended_on
    liaison.save(update_fields=["ended_on"])
    record_change("liaison.end", actor=actor, obj=liaison, before=before,
                  after=snapshot(liaison), org=liaison.member.cell)
    return liaison


@dataclass
class NewOpinion:
    liaison: Liaison
    year: int
    feedback: str
    written_on: date
    comment: str = ""


@transaction.atomic
def write_opinion(data: NewOpinion, *, actor) -> Opinion:
    """The residence cell writes its yearly opinion on a member (phiếu nhận xét 3-213)."""
    liaison = Liaison.objects.select_for_update(of=("self",)).select_related(
        "member", "residence_org", "residence_cell").get(pk=data.liaison.pk)
    require(actor, WRITE_FEEDBACK, liaison.residence)
    if data.feedback not in Feedback.values:
        raise RuleViolation(_("Mức nhận xét không hợp lệ: %(value)s.") % {
            "value": data.feedback}, field="feedback")
    _not_future(data.written_on, "written_on")
    year = data.year
    if not rules.year_within(liaison.introduced_on, liaison.ended_on, year) or (
            year > data.written_on.year):
        raise RuleViolation(_("Năm %(year)s ngoài thời gian giữ mối liên hệ (từ %(day)s).") % {
            "year": year, "day": _d(liaison.introduced_on)}, field="year")
    if Opinion.objects.filter(member=liaison.member, year=year).exists():
        raise RuleViolation(_("Đảng viên đã có nhận xét năm %(year)s.") % {"year": year},
                            code="duplicate", field="year")
    opinion = Opinion.objects.create(
        liaison=liaison, member=liaison.member, year=year, feedback=data.feedback,
        comment=(data.comment or "").strip(), written_on=data.written_on,
        written_by=getattr(actor, "pk", None) and actor)
    record_change("liaison.feedback", actor=actor, obj=liaison, after={
        "member": liaison.member.member_code, "year": year, "feedback": data.feedback,
        "written_on": data.written_on}, org=liaison.residence)
    return opinion
