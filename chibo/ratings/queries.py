"""Restricted reads of the annual review, and the live quota a deciding committee sees while it
decides (before it is too late: a decision that would break it is refused without an
exception, chibo.ratings.services).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from chibo.core.fields import path_ids
from chibo.core.querysets import path_scope_q
from chibo.organizations.models import Organization
from chibo.ratings import findings, rules
from chibo.ratings.choices import Level, Subjects
from chibo.ratings.models import Proposal, Rating, ReviewCampaign


def ratings_for(user, org: Organization, year: int | None = None):
    """The ratings of `org`'s subtree (subjects lying there now) that `user` may read."""
    rows = Rating.objects.visible_to(user).filter(
        path_scope_q([org.path], "org__path") | path_scope_q([org.path], "member__cell__path"))
    if year is not None:
        rows = rows.filter(year=year)
    return rows.select_related("org", "member", "member__cell", "decided_by").order_by(
        "-year", "org__code", "member__member_code")


def member_history(user, member) -> list[Rating]:
    """A member's ratings, newest first (what `user` may read of them)."""
    return list(Rating.objects.visible_to(user).filter(member=member)
                .select_related("decided_by").order_by("-year"))


def campaigns_for(user, org: Organization):
    return ReviewCampaign.objects.visible_to(user).filter(
        path_scope_q([org.path], "org__path")).select_related("org").order_by("-year",
                                                                             "org__code")


def campaign_of(member, year: int) -> ReviewCampaign | None:
    """The campaign of `year` of the grassroots committee the member's cell lies under."""
    return ReviewCampaign.objects.filter(year=year, org_id__in=path_ids(member.cell.path)
                                         ).select_related("org").first()


def proposals_of(user, campaign: ReviewCampaign):
    return Proposal.objects.visible_to(user).filter(campaign=campaign).select_related(
        "member", "cell").order_by("cell__code", "member__member_code")


def decided_by(decider_id: int, year: int, subjects: str,
               level: str | None = None) -> list[findings.Judged]:
    """The ratings of one kind of subject in `year` that the organization decided (named, or
    the default decider), as they stand; of one `level` if given."""
    lookup = {"org__isnull": False} if subjects == Subjects.ORGS else {"member__isnull": False}
    if level is not None:
        lookup["level"] = level
    path, kind = Organization.objects.values_list("path", "kind").get(pk=decider_id)
    ratings = Rating.objects.filter(year=year, **lookup)
    if subjects == Subjects.MEMBERS and kind not in rules.GRASSROOTS_KINDS:
        # Only a grassroots organization decides members by default: above it, a province's
        # year of members need not be read to find the few it named itself.
        ratings = ratings.filter(decided_by_id=decider_id)
    else:
        ratings = ratings.filter(findings.deciding_in(path))
    rows = findings.rows_of(ratings)
    return [item for item in findings.judge(rows) if item.decider == decider_id]


def excellent_years(ratings: list[Rating]) -> dict[int, int]:
    """For each rating (by id), the years in a row its subject was rated excellent, ending
    with the rating's year (the commendation lists ask for "N năm liền")."""
    members = {r.member_id for r in ratings if r.member_id}
    orgs = {r.org_id for r in ratings if r.org_id}
    excellent = set(Rating.objects.filter(
        Q(member_id__in=members) | Q(org_id__in=orgs), level=Level.EXCELLENT).values_list(
        "member_id", "org_id", "year"))
    found = {}
    for rating in ratings:
        year = rating.year
        while (rating.member_id, rating.org_id, year) in excellent:
            year -= 1
        found[rating.pk] = rating.year - year
    return found


def quota_group(decider_id: int, year: int, subjects: str) -> findings.QuotaGroup:
    """The decider's ratings of one kind of subject in `year`, as they stand."""
    judged = decided_by(decider_id, year, subjects)
    counts = Counter(item.row["level"] for item in judged)
    day = max((item.facts.day for item in judged), default=rules.review_day(year))
    return findings.QuotaGroup(decider_id, year, subjects, counts, day)


@dataclass(frozen=True)
class QuotaStatus:
    """A deciding committee's "excellent" against its "good" for one kind of subject in one
    year: decided so far, and with the cells' proposals not decided yet."""

    subjects: str
    year: int
    excellent: int
    good: int
    proposed_excellent: int = 0
    proposed_good: int = 0

    @property
    def exceeded(self) -> bool:
        return rules.quota_exceeded(self.excellent, self.good, self.year)

    @property
    def more_allowed(self) -> int:
        """How many more "excellent" fit with the "good" decided so far."""
        return rules.quota_allows(self.excellent, self.good, self.year)

    @property
    def exceeded_with_proposals(self) -> bool:
        """The quota broken if every pending proposal were decided as proposed."""
        return rules.quota_exceeded(self.excellent + self.proposed_excellent,
                                    self.good + self.proposed_good, self.year)

    @property
    def label(self):
        return Subjects(self.subjects).label


def quota_status(committee: Organization, year: int) -> list[QuotaStatus]:
    """The committee's quota for members and for organizations in `year`, as it stands, with
    the pending proposals of its campaign (members it has not rated yet)."""
    rated = set(Rating.objects.filter(year=year, member__isnull=False).values_list(
        "member_id", flat=True))
    pending = Counter(Proposal.objects.filter(campaign__org=committee, campaign__year=year)
                      .exclude(member_id__in=rated).values_list("level", flat=True))
    found = []
    for subjects in (Subjects.MEMBERS, Subjects.ORGS):
        group = quota_group(committee.pk, year, subjects)
        proposed = pending if subjects == Subjects.MEMBERS else Counter()
        found.append(QuotaStatus(subjects, year, group.excellent, group.good,
                                 proposed[Level.EXCELLENT], proposed[Level.GOOD]))
    return found


def not_complete_evidence(member, day) -> str | None:
    """The removal ground "not complete two years in a row" (QĐ 24 §8.1: breaching the member's
    standards two years in a row) as the ratings show it on `day`: two consecutive years rated
    "không hoàn thành nhiệm vụ", decided by `day` (chibo.removal)."""
    years = sorted(Rating.objects.filter(member=member, level=Level.NOT_COMPLETE,
                                         decided_on__lte=day).values_list("year", flat=True))
    pairs = [year for year in years if year - 1 in years]
    if not pairs:
        return None
    year = pairs[-1]
    return _("Xếp loại không hoàn thành nhiệm vụ năm %(first)s và năm %(second)s.") % {
        "first": year - 1, "second": year}
