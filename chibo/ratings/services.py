"""Every change to the annual review (RULES.md §2; spec BUNDLE-v2.md ratings.csv): the
grassroots committee opens the year's campaign, each cell proposes a level for its members, the
committee (or the level that decides) decides; organizations are rated by the level above.

Each service runs in one transaction, checks the actor's capability where the record lies
(`rating.manage` on the deciding or opening committee, `rating.propose` on the member's cell),
refuses input that would make the stored history inconsistent (`RuleViolation` naming the
field, nothing written) and writes one audit record. A decision that breaks a ratings finding
rule (an exempt member, a disciplined subject rated too high, the committee's quota, a score
outside its band: chibo.ratings.findings) is refused with the rule's words unless `exception`
gives the decision that allowed it; the exception is then recorded in the same transaction.
An edit of an existing record is made against the version its author saw (`version`).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

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
from chibo.findings.queries import open_findings
from chibo.findings.services import Decision, refuse_or_except
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.ratings import findings, rules
from chibo.ratings.capabilities import MANAGE_RATINGS, PROPOSE_RATINGS
from chibo.ratings.choices import Level
from chibo.ratings.models import Proposal, Rating, ReviewCampaign
from chibo.ratings.placement import Places
from chibo.ratings.queries import quota_group

ACTIONS = {
    "rating.campaign_open": gettext_lazy("Mở đợt đánh giá, xếp loại chất lượng"),
    "rating.campaign_close": gettext_lazy("Kết thúc đợt đánh giá, xếp loại chất lượng"),
    "rating.propose": gettext_lazy("Chi bộ đề xuất xếp loại đảng viên"),
    "rating.decide": gettext_lazy("Quyết định xếp loại chất lượng"),
}
MAX_SCORE = Decimal(100)


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _not_future(day: date, field_name: str, label) -> None:
    if day > timezone.localdate():
        raise RuleViolation(_("%(label)s %(day)s sau hôm nay.") % {"label": label,
                                                                   "day": _d(day)},
                            field=field_name)


def _level(level: str, field_name: str = "level") -> str:
    if level not in Level.values:
        raise RuleViolation(_("Mức xếp loại không hợp lệ: %(value)s.") % {"value": level},
                            field=field_name)
    return level


def _year(year) -> int:
    today = timezone.localdate()
    if not isinstance(year, int) or not 1930 <= year <= today.year:
        raise RuleViolation(_("Năm đánh giá không hợp lệ: %(value)s.") % {"value": year},
                            field="year")
    return year


def _note(note: str) -> str:
    return (note or "").strip()


# --- the campaign ------------------------------------------------------------------------------

@dataclass
class NewCampaign:
    org: Organization
    year: int
    opened_on: date
    deadline: date
    note: str = ""


def campaign_snapshot(campaign: ReviewCampaign) -> dict:
    return {"org": campaign.org.code, "year": campaign.year, "opened_on": campaign.opened_on,
            "deadline": campaign.deadline, "closed_on": campaign.closed_on,
            "note": campaign.note}


@transaction.atomic
def open_campaign(data: NewCampaign, *, actor) -> ReviewCampaign:
    """A grassroots committee opens the review of `year`: the cells propose by `deadline`."""
    require(actor, MANAGE_RATINGS, data.org)
    year = _year(data.year)
    if data.org.kind not in rules.GRASSROOTS_KINDS:
        raise RuleViolation(_("Đợt đánh giá do đảng bộ cơ sở hoặc chi bộ cơ sở mở."),
                            field="org")
    if data.opened_on < date(year, 1, 1):
        raise RuleViolation(_("Ngày mở %(day)s trước năm đánh giá %(year)s.") % {
            "day": _d(data.opened_on), "year": year}, field="opened_on")
    _not_future(data.opened_on, "opened_on", _("Ngày mở"))
    if data.deadline < data.opened_on:
        raise RuleViolation(_("Hạn đề xuất %(deadline)s trước ngày mở %(day)s.") % {
            "deadline": _d(data.deadline), "day": _d(data.opened_on)}, field="deadline")
    if ReviewCampaign.objects.filter(org=data.org, year=year).exists():
        raise RuleViolation(_("%(org)s đã mở đợt đánh giá năm %(year)s.") % {
            "org": data.org.name, "year": year}, code="duplicate", field="year")
    campaign = ReviewCampaign.objects.create(org=data.org, year=year, opened_on=data.opened_on,
                                             deadline=data.deadline, note=_note(data.note))
    record_change("rating.campaign_open", actor=actor, obj=campaign,
                  after=campaign_snapshot(campaign))
    return campaign


@transaction.atomic
def close_campaign(campaign: ReviewCampaign, *, closed_on: date, actor,
                   version: Expected = None) -> ReviewCampaign:
    """The committee has decided: no proposal is taken any more."""
    require(actor, MANAGE_RATINGS, campaign.org)
    campaign = ReviewCampaign.objects.select_for_update().select_related("org").get(
        pk=campaign.pk)
    check_version(campaign, version)
    if campaign.is_closed:
        raise RuleViolation(_("Đợt đánh giá đã kết thúc ngày %(day)s.") % {
            "day": _d(campaign.closed_on)}, field="closed_on")
    if closed_on < campaign.opened_on:
        raise RuleViolation(_("Ngày kết thúc %(day)s trước ngày mở %(opened)s.") % {
            "day": _d(closed_on), "opened": _d(campaign.opened_on)}, field="closed_on")
    _not_future(closed_on, "closed_on", _("Ngày kết thúc"))
    before = campaign_snapshot(campaign)
    campaign.closed_on = closed_on
    campaign.save(update_fields=["closed_on"])
    record_change("rating.campaign_close", actor=actor, obj=campaign, before=before,
                  after=campaign_snapshot(campaign))
    return campaign


# --- the cell's proposal -----------------------------------------------------------------------

@dataclass
class NewProposal:
    campaign: ReviewCampaign
    member: Member
    level: str
    proposed_on: date
    manifestations: list[str] = field(default_factory=list)
    note: str = ""


def proposal_snapshot(proposal: Proposal) -> dict:
    return {"campaign": proposal.campaign_id, "year": proposal.campaign.year,
            "member": proposal.member.member_code, "cell": proposal.cell.code,
            "level": proposal.level, "manifestations": list(proposal.manifestations),
            "note": proposal.note, "proposed_on": proposal.proposed_on}


def _manifestations(codes) -> list[str]:
    codes = sorted({str(code).strip().upper() for code in codes or ()})
    unknown = rules.unknown_manifestations(codes)
    if unknown:
        raise RuleViolation(_("Không có biểu hiện mã %(codes)s (mã A1 … C9, Nghị quyết "
                              "04-NQ/TW).") % {"codes": ", ".join(unknown)},
                            field="manifestations")
    return codes


@transaction.atomic
def propose(data: NewProposal, *, actor, version: Expected = None) -> Proposal:
    """The cell's proposal for one member (recorded again: replaced, against the version seen).
    A manifestation of degradation the cell concluded allows only "not complete"."""
    member = Member.objects.select_related("cell").get(pk=data.member.pk)
    campaign = ReviewCampaign.objects.select_related("org").get(pk=data.campaign.pk)
    require(actor, PROPOSE_RATINGS, member.cell)
    if campaign.is_closed:
        raise RuleViolation(_("Đợt đánh giá năm %(year)s đã kết thúc.") % {
            "year": campaign.year}, field="campaign")
    if campaign.org.pk not in path_ids(member.cell.path):
        raise RuleViolation(_("Đảng viên %(member)s không thuộc %(org)s.") % {
            "member": member.full_name, "org": campaign.org.name}, field="member")
    level = _level(data.level)
    codes = _manifestations(data.manifestations)
    if problem := rules.proposal_problem(level, codes):
        raise RuleViolation(problem, field="level")
    if data.proposed_on < campaign.opened_on:
        raise RuleViolation(_("Ngày đề xuất %(day)s trước ngày mở đợt %(opened)s.") % {
            "day": _d(data.proposed_on), "opened": _d(campaign.opened_on)},
            field="proposed_on")
    _not_future(data.proposed_on, "proposed_on", _("Ngày đề xuất"))
    if not Places([member.pk]).active_in(campaign.year, member_id=member.pk):
        raise RuleViolation(_("Đảng viên %(member)s không sinh hoạt ngày nào trong năm "
                              "%(year)s.") % {"member": member.full_name,
                                              "year": campaign.year}, field="member")
    proposal = Proposal.objects.select_for_update().filter(campaign=campaign,
                                                           member=member).first()
    before = None
    if proposal is not None:
        check_version(proposal, version)
        before = proposal_snapshot(proposal)
    else:
        proposal = Proposal(campaign=campaign, member=member)
    proposal.cell = member.cell
    proposal.level, proposal.manifestations = level, codes
    proposal.note, proposal.proposed_on = _note(data.note), data.proposed_on
    proposal.save()
    record_change("rating.propose", actor=actor, obj=proposal, before=before,
                  after=proposal_snapshot(proposal))
    return proposal


# --- the decision ------------------------------------------------------------------------------

@dataclass
class NewRating:
    year: int
    level: str
    decided_on: date
    org: Organization | None = None
    member: Member | None = None
    score: Decimal | str | None = None
    decided_by: Organization | None = None  # None: the default decider (BUNDLE-v2)
    note: str = ""


def rating_snapshot(rating: Rating) -> dict:
    return {"year": rating.year, "org": rating.org.code if rating.org_id else None,
            "member": rating.member.member_code if rating.member_id else None,
            "level": rating.level,
            "score": str(rating.score) if rating.score is not None else None,
            "decided_on": rating.decided_on,
            "decided_by": rating.decided_by.code if rating.decided_by_id else None,
            "note": rating.note}


def _score(score) -> Decimal | None:
    if score is None or score == "":
        return None
    try:
        value = Decimal(str(score))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= MAX_SCORE \
            or value != value.quantize(Decimal("0.01")):
        raise RuleViolation(_("Điểm là một số từ 0 đến 100, nhiều nhất hai chữ số thập phân."),
                            field="score")
    return value


# The input at fault when a decision breaks a finding rule.
FINDING_FIELDS = {rules.EXEMPT: "member", rules.DISCIPLINED: "level", rules.QUOTA: "level",
                  rules.SCORE: "score"}


def _finding_row(rating: Rating) -> dict:
    """The rating as chibo.ratings.findings reads it (findings.FIELDS)."""
    member, org = rating.member, rating.org
    return {"pk": rating.pk or 0, "year": rating.year, "org_id": rating.org_id,
            "member_id": rating.member_id, "level": rating.level, "score": rating.score,
            "decided_on": rating.decided_on, "decided_by_id": rating.decided_by_id,
            "org__code": org.code if org else None, "org__name": org.name if org else None,
            "member__member_code": member.member_code if member else None,
            "member__full_name": member.full_name if member else None,
            "member__cell_id": member.cell_id if member else None,
            "cell_code": member.cell.code if member else "",
            "cell_name": member.cell.name if member else ""}


def new_breaches(rating: Rating, places: Places) -> list:
    """The findings the rating would raise, less those already excepted: its own, and the
    quota of its decider's year for its kind of subject if it would break it anew."""
    item = findings.judge([_finding_row(rating)], places)[0]
    found = [findings.as_finding(breach, item) for breach in rules.breaches(item.facts)]
    if item.decider is not None:
        group = quota_group(item.decider, rating.year, item.subjects)
        before = group.problem()
        group.counts[rating.level] += 1
        after = group.problem()
        if after is not None and before is None:
            group = findings.QuotaGroup(group.decider, group.year, group.subjects,
                                        group.counts, max(group.day, item.facts.day))
            found.append(findings.quota_finding(group, places, after))
    return open_findings(found)


def _guard(rating: Rating, places: Places, *, exception: Decision | None, actor) -> None:
    """A quota's exception lies with the deciding committee, the others with the subject."""
    refuse_or_except(new_breaches(rating, places), exception=exception, actor=actor,
                     field=FINDING_FIELDS.get, org=lambda finding: rating.decided_by
                     if finding.key == rules.QUOTA else (rating.org or rating.member.cell))


def _subject(data: NewRating) -> tuple[Organization | None, Member | None]:
    if (data.org is None) == (data.member is None):
        raise RuleViolation(_("Chọn đúng một đối tượng: tổ chức đảng hoặc đảng viên."),
                            field="org")
    member = (Member.objects.select_related("cell").get(pk=data.member.pk)
              if data.member is not None else None)
    return data.org, member


def _decider(data: NewRating, org, member, places: Places, year: int) -> Organization:
    """The deciding organization: given, or the default one; above the subject on its last day
    in the year (a member's grassroots organization or above; strictly above an organization)."""
    place = places.place(year=year, member_id=member.pk if member else None,
                         org_id=org.pk if org else None)
    if place is None:
        name = member.full_name if member else org.name
        raise RuleViolation(_("%(subject)s không sinh hoạt (không tồn tại) ngày nào trong năm "
                              "%(year)s.") % {"subject": name, "year": year},
                            field="member" if member else "org")
    decider = data.decided_by
    if decider is None:
        default = places.default_decider(place, is_org=org is not None)
        if default is None:
            raise RuleViolation(_("Không xác định được cấp quyết định: hãy chọn."),
                                field="decided_by")
        return Organization.objects.get(pk=default)
    ids = path_ids(place.path)
    above = ids[:-1] if org is not None else ids
    if decider.pk not in above or decider.kind in ("cell", "partial_committee"):
        raise RuleViolation(_("%(org)s không phải cấp ủy cấp trên của đối tượng trong năm "
                              "%(year)s.") % {"org": decider.name, "year": year},
                            field="decided_by")
    return decider


def _no_forced_proposal(member: Member | None, year: int, level: str) -> None:
    """A manifestation the cell concluded forces "not complete" (RULES.md §2)."""
    if member is None or level == Level.NOT_COMPLETE:
        return
    proposal = Proposal.objects.filter(member=member, campaign__year=year).first()
    if proposal is not None and (problem := rules.proposal_problem(level,
                                                                   proposal.manifestations)):
        raise RuleViolation(problem, field="level")


@transaction.atomic
def decide_rating(data: NewRating, *, actor, exception: Decision | None = None) -> Rating:
    """The rating of a member or an organization for `year`, decided by `decided_by` (None: a
    member's grassroots organization, an organization's nearest committee above that is not a
    partial one). One rating per subject and year."""
    org, member = _subject(data)
    year = _year(data.year)
    level = _level(data.level)
    score = _score(data.score)
    if data.decided_on < date(year, 1, 1):
        raise RuleViolation(_("Ngày quyết định %(day)s trước ngày 1 tháng 1 năm %(year)s.") % {
            "day": _d(data.decided_on), "year": year}, field="decided_on")
    _not_future(data.decided_on, "decided_on", _("Ngày quyết định"))
    places = Places([member.pk] if member else [], [org.pk] if org else [])
    decider = _decider(data, org, member, places, year)
    require(actor, MANAGE_RATINGS, decider)
    if Rating.objects.select_for_update().filter(year=year, org=org, member=member).exists():
        raise RuleViolation(_("%(subject)s đã được xếp loại năm %(year)s.") % {
            "subject": member.full_name if member else org.name, "year": year},
            code="duplicate", field="year")
    _no_forced_proposal(member, year, level)
    rating = Rating(year=year, org=org, member=member, level=level, score=score,
                    decided_on=data.decided_on, decided_by=decider, note=_note(data.note))
    _guard(rating, places, exception=exception, actor=actor)
    rating.save()
    record_change("rating.decide", actor=actor, obj=rating, org=org or member.cell,
                  after=rating_snapshot(rating))
    return rating


def rate_organization(data: NewRating, *, actor, exception: Decision | None = None) -> Rating:
    """An organization's rating, by the level above it (decide_rating with `org`)."""
    if data.org is None or data.member is not None:
        raise RuleViolation(_("Chọn tổ chức đảng được xếp loại."), field="org")
    return decide_rating(data, actor=actor, exception=exception)
