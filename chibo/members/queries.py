"""Reading member files: lists with filters in SQL, party age, badges, a member's history."""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from chibo.accounts.policy import Capability
from chibo.core.ages import age_q
from chibo.core.db import Unindexed
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import subtree_range
from chibo.core.text import search_key
from chibo.lists.paging import page_of_queryset
from chibo.members import lifecycle
from chibo.members.choices import ACTIVE_STATUSES, POST_RANK, EventKindChoices
from chibo.members.models import Member, MemberEvent, Position
from chibo.organizations.models import Organization

AGE_BANDS = {
    "upto_30": (0, 30), "31_40": (31, 40), "41_50": (41, 50), "51_60": (51, 60),
    "over_60": (61, 200),
}
NAME_ORDER = ("sort_key", "pk")  # Vietnamese name order, made total by the id
BADGE_MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
AWARD_DAYS = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day): 3/2, 19/5, 2/9, 7/11


def in_reach(user, model, code: str | None, field: str):
    """An organization or a member named by code in a request's body, among those in the
    organizations `user` sees; else a refusal on `field` (an unknown code and one out of sight
    get the same answer). The caller then requires its capability there (403)."""
    if not code:
        return None
    if model is Organization:
        found = Organization.objects.visible_to(user).filter(code=code).first()
    else:
        found = Member.objects.visible_to(user, Capability.VIEW_ORGS).select_related(
            "cell").filter(member_code=code).first()
    if found is None:
        raise RuleViolation(_("Không có mã %(code)s trong phạm vi của bạn.") % {"code": code},
                            field=field)
    return found


def national_ids_for(user):
    """How lists show national IDs to `user`: a function of a member (with its cell) giving
    the ID in full where `user` holds member.sensitive over the member's cell, else masked
    (`masked_national_id`). The grants are read once, for a whole page or export."""
    from chibo.accounts.policy import scope_paths

    paths = scope_paths(user, Capability.VIEW_SENSITIVE)

    def shown(member: Member) -> str:
        full = paths is None or any(member.cell.path.startswith(path) for path in paths)
        return member.national_id if full else masked_national_id(member.national_id)

    return shown


def masked_national_id(national_id: str) -> str:
    """A national ID with all but its last four digits hidden ("••••••••1234"): enough to tell
    two people apart in a list, not enough to use it."""
    if not national_id:
        return ""
    return "•" * max(0, len(national_id) - 4) + national_id[-4:]


def member_of(user) -> Member | None:
    """The member file of the signed-in login (Member.user) while the membership lasts
    (probationary or official), with its cell. A member who was expelled, removed, left,
    died or was not recognized keeps the login but is no longer this login's member: the
    handbook, the cell's meetings and documents are closed to them. The one place that
    answers "which member is this login"."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Member.objects.select_related("cell")
            .filter(user=user, status__in=ACTIVE_STATUSES).first())


def visible_members(user):
    """Members in the user's scope, plus the user's own file."""
    scoped = Member.objects.visible_to(user, Capability.VIEW_MEMBERS)
    own = Member.objects.filter(user=user) if user.is_authenticated else Member.objects.none()
    return (scoped | own).distinct() if own.exists() else scoped


@dataclass
class MemberFilter:
    org_path: str | None = None
    q: str = ""
    status: str = "active"
    gender: str = ""
    ethnicity: str = ""
    age_band: str = ""
    general_education: str = ""
    professional_level: str = ""
    theory_level: str = ""
    exempt: str = ""
    post: str = ""

    def apply(self, members, today: date, *, name_walk: bool = False):
        """The members of `members` these filters select. With `name_walk` the subtree and
        the status are conditions no index serves (chibo.core.db.Unindexed), so that a page in
        name order walks the name index (a large subtree: `walks_names`)."""
        if self.org_path:
            # The cells of the subtree first (a path range on the organization index), then
            # their members through (cell, sort_key): the planners pick this when asked so.
            from chibo.organizations.models import Organization

            cells = Organization.objects.in_subtree(self.org_path).values("pk")
            members = _where(members, "cell_id", "in", cells, name_walk)
        if self.q:
            key = search_key(self.q)
            members = members.filter(Q(search_key__contains=key) | Q(member_code=self.q.strip())
                                     | Q(national_id=self.q.strip()))
        if self.status == "active":
            members = _where(members, "status", "in", ACTIVE_STATUSES, name_walk)
        elif self.status:
            members = _where(members, "status", "exact", self.status, name_walk)
        for name in ("gender", "general_education", "professional_level", "theory_level"):
            if value := getattr(self, name):
                members = members.filter(**{name: value})
        if self.ethnicity == "minority":
            members = members.exclude(ethnicity="Kinh")
        elif self.ethnicity:
            members = members.filter(ethnicity=self.ethnicity)
        if self.age_band in AGE_BANDS:
            members = members.filter(age_q(today, *AGE_BANDS[self.age_band]))
        if self.exempt in ("yes", "no"):
            members = members.filter(is_exempt=self.exempt == "yes")
        if self.post:
            held = Position.objects.filter(role=self.post, start_on__lte=today).filter(
                Q(end_on__isnull=True) | Q(end_on__gte=today))
            members = members.filter(pk__in=held.values("member"))
        return members


# A subtree with at least this many cells reads its first pages in name order by walking the
# name index (MemberFilter.apply(name_walk=True)): 9 ms instead of 400 for the demo province,
# where the cell-first plan sorts 66,000 members; a smaller one goes cell by cell, which a walk
# would make slow (it would read the members of the whole table to fill a page).
NAME_WALK_CELLS = 300


def walks_names(path: str) -> bool:
    """Whether a list in name order of the subtree at `path` should walk the name index."""
    from chibo.organizations.choices import MEMBER_HOLDING_KINDS
    from chibo.organizations.models import Organization

    cells = Organization.objects.in_subtree(path).filter(kind__in=MEMBER_HOLDING_KINDS)
    return cells[:NAME_WALK_CELLS].count() >= NAME_WALK_CELLS


def _where(members, field: str, lookup: str, value, unindexed: bool):
    if not unindexed:
        return members.filter(**{f"{field}__{lookup}": value})
    return members.alias(**{f"_{field}": Unindexed(field)}).filter(
        **{f"_{field}__{lookup}": value})


def page_after(members, after: str, size: int = 50):
    """Keyset pagination in Vietnamese name order (the API's): fast at any depth, unlike
    OFFSET. The pages and their opaque cursors are the list pattern's (chibo.lists.paging)."""
    page = page_of_queryset(members.select_related("cell"), NAME_ORDER, size, after=after)
    return page.rows, page.after


def timeline_of(member: Member) -> lifecycle.Timeline:
    from chibo.members.services import events_of, start_of

    facts = [lifecycle.Event(e.event, e.effective_on, e.org) for e in events_of(member)]
    return lifecycle.replay(start_of(member), facts,
                            lifecycle.Rules(cell_exists=lambda org, day: True))


def party_age_years(member: Member, day: date) -> int:
    return int(lifecycle.party_age_days(timeline_of(member), day) // 365.2425)


def award_dates_after(day: date, count: int = 4) -> list[date]:
    dates = []
    year = day.year
    while len(dates) < count:
        for month, dom in AWARD_DAYS:
            candidate = date(year, month, dom)
            if candidate > day and len(dates) < count:
                dates.append(candidate)
        year += 1
    return dates


def next_badge(member: Member, today: date) -> tuple[int, date] | None:
    """(milestone, award date) of the next badge the member reaches, within the next 5 years."""
    timeline = timeline_of(member)
    if timeline.phase == lifecycle.Phase.DEAD or timeline.phase == lifecycle.Phase.ENDED:
        return None
    now_years = lifecycle.party_age_days(timeline, today) / 365.2425
    for award in award_dates_after(today, 20):
        years = lifecycle.party_age_days(timeline, award) / 365.2425
        for milestone in BADGE_MILESTONES:
            if now_years < milestone <= years:
                return milestone, award
    return None


def badge_candidates(members, award: date, previous: date):
    """Active members who reach a milestone between the previous award date and `award`.

    Filters in SQL by admission date (party age can only be shorter than the time since the
    first admission), then replays only those members to subtract the time outside the party.
    """
    found = []
    oldest = min(BADGE_MILESTONES)
    cutoff = award.replace(year=award.year - oldest)
    from chibo.members.services import with_events

    for member in with_events(members.filter(status__in=ACTIVE_STATUSES, admitted_on__lte=cutoff)
                              .select_related("joined_org")):
        timeline = timeline_of(member)
        before = lifecycle.party_age_days(timeline, previous) / 365.2425
        after = lifecycle.party_age_days(timeline, award) / 365.2425
        for milestone in BADGE_MILESTONES:
            if before < milestone <= after:
                found.append((member, milestone))
    return found


def post_rank():
    """An SQL expression of a post's rank (`POST_RANK`: the secretary first), to order by."""
    return Case(*(When(role=role, then=Value(rank)) for role, rank in POST_RANK.items()),
                default=Value(len(POST_RANK)), output_field=IntegerField())


def badge_round(today: date) -> tuple[date, date]:
    """(the next award date after today, the last one on or before today): the badges of the
    next round are for the milestones reached between the two."""
    award = award_dates_after(today, 1)[0]
    earlier = [d for d in award_dates_after(today.replace(year=today.year - 1), 4) if d <= today]
    return award, max(earlier) if earlier else today


def years_in_days(years: float) -> timedelta:
    """The fewest whole days that make `years` of party age (as `lifecycle` counts a year, and
    `party_age_years`): the due list's threshold, and the badges findings' (chibo.badges)."""
    return timedelta(days=math.ceil(years * 365.2425))


def badge_rows(members, award: date, previous: date):
    """`badge_candidates` in SQL: the active members of `members` who reach a milestone of
    party age after `previous` and by `award`, annotated with it (`milestone`), as a queryset
    that pages and counts like any other.

    A member never outside the party (no readmission) has the party age of the time since
    the admission decision, so the milestone is a range of admission days, one per milestone;
    the few readmitted ones, whose time outside counts off, are replayed
    (`badge_candidates`) and named by id."""
    readmitted = MemberEvent.objects.filter(event=EventKindChoices.READMIT).values("member")
    active = members.filter(status__in=ACTIVE_STATUSES)
    replayed = badge_candidates(active.filter(pk__in=readmitted), award, previous)
    ranges = {milestone: Q(admitted_on__gt=previous - years_in_days(milestone),
                           admitted_on__lte=award - years_in_days(milestone))
              for milestone in BADGE_MILESTONES}
    # Who: an admission day in a milestone's range and never readmitted, or a replayed one.
    # The ranges are read first, on their own, from the index on the admission day, and
    # brought here (a few hundred ids in a province): asked together with the scope, even as
    # a subquery, SQLite without table statistics read every member of the scope (6 s for
    # the demo province).
    in_ranges = list(Member.objects.filter(reduce(or_, ranges.values()))
                     .values_list("pk", flat=True))
    readmitted_ids = set(readmitted.values_list("member", flat=True))
    chosen = [pk for pk in in_ranges if pk not in readmitted_ids] + [
        member.pk for member, _years in replayed]
    # Which milestone: the replayed ones by id first, then by the range (disjoint: milestones
    # lie five years apart, award days a few months).
    whens = [When(pk__in=[m.pk for m, years in replayed if years == milestone],
                  then=Value(milestone))
             for milestone in sorted({years for _m, years in replayed})]
    whens += [When(condition, then=Value(milestone)) for milestone, condition in ranges.items()]
    # The chosen ids lead (primary-key lookups); the scope and the status are then a test of
    # each chosen member, not an index walk of the whole scope for each id.
    return Member.objects.filter(pk__in=chosen).filter(pk__in=active.values("pk")).annotate(
        milestone=Case(*whens, default=None, output_field=IntegerField()))


def current_posts(org, today: date):
    """The posts held in `org` on `today`, by rank (secretary, deputy secretaries, standing
    committee, committee members, ...), then by the holder's name in Vietnamese order."""
    return (Position.objects.filter(org=org, start_on__lte=today)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
            .select_related("member")
            .order_by(post_rank(), "member__sort_key", "start_on", "pk"))


def active_counts(path: str, day: date) -> dict[str, int]:
    """Active members on `day` per organization path of the subtree (tree as it was that day:
    each period carries its cell's path)."""
    from django.db.models import Count

    from chibo.members.models import MemberPeriod

    low, high = subtree_range(path)
    active = MemberPeriod.objects.filter(path__gte=low, path__lt=high, valid_from__lte=day,
                                         valid_to__gt=day)
    return dict(active.values_list("path").annotate(n=Count("member")).values_list(
        "path", "n").order_by())
