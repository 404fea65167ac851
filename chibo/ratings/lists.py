"""The ratings lists (the list pattern, chibo.lists), both of an organization's subtree and both
read under `member.view` (403 without it, 404 outside):

- the ratings of a year (the decision list): the subject, the level, the score, who decided;
  above the list, the live quota of the organization when it decides ratings (the user holding
  `rating.manage` there), warning before the 20 % is broken;
- the review of a year (the campaign): each member of the subtree's cells today, whether they
  submitted their self-review in the handbook (read-only: chibo.handbook's SelfReview by
  member and year), the cell's proposal and the level decided — who has and has not; each
  name opens the member's proposal page;
- the commendation list of a year: the members and organizations the page's committee rated
  excellent ("hoàn thành xuất sắc nhiệm vụ") that year, with the years in a row they were,
  which the committee proposes for commendation (printed: chibo.ratings.views).

Every list reads through the restricted querysets, so a row outside the user's scope never
appears, whatever the URL says.
"""

from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import Capability, can
from chibo.core.fields import path_ids, subtree_range
from chibo.handbook.models import SelfReview
from chibo.lists.spec import Choice, Column, Listing, Search, Sort, Tab
from chibo.members.models import Member
from chibo.organizations.lists import OrgList, Subtree
from chibo.organizations.models import Organization
from chibo.ratings import queries
from chibo.ratings.capabilities import MANAGE_RATINGS
from chibo.ratings.choices import Level, Subjects
from chibo.ratings.models import Proposal, Rating, ReviewCampaign
from chibo.ratings.rules import GRASSROOTS_KINDS


def _years(listing: Listing):
    this = listing.today.year
    return [(str(year), str(year)) for year in range(this, this - 8, -1)]


class YearChoice(Choice):
    """The year reviewed; by default last year's, the review most looked at until this year's
    is held in December."""

    def defaults(self, listing: Listing):
        return {self.name: str(listing.today.year - 1)}


def year_of(listing: Listing) -> int:
    return int(listing.values.get("year") or listing.today.year - 1)


YEAR = YearChoice("year", gettext_lazy("Năm"), _years, field="year", blank=None)
# The kinds of organization that decide no rating (a grassroots cell decides its members').
NO_DECISIONS = ("cell", "partial_committee")
# The campaign's rows are members: `rows` reads the year itself.
REVIEWED_YEAR = YearChoice("year", gettext_lazy("Năm"), _years, blank=None)


class RatingOrgList(OrgList):
    capability = Capability.VIEW_MEMBERS


# --- the decision list ---------------------------------------------------------------------------

def subject_name(rating: Rating) -> str:
    if rating.member_id:
        return f"{rating.member.full_name} ({rating.member.member_code})"
    return f"{rating.org.name} ({rating.org.code})"


def _subjects(rows, value: str, listing: Listing):
    return rows.filter(member__isnull=value == Subjects.ORGS)


class RatingList(RatingOrgList):
    """The ratings of a year of the organizations and members of a subtree."""

    key = "ratings.list"
    title = gettext_lazy("Đánh giá, xếp loại chất lượng")
    noun = ngettext_lazy("%(count)s kết quả", "%(count)s kết quả", "n")
    template = "ratings/list.html"
    filters = (
        Subtree(),
        YEAR,
        Choice("subjects", gettext_lazy("Đối tượng"), Subjects.choices, apply=_subjects),
        Choice("level", gettext_lazy("Xếp loại"), Level.choices, field="level"),
    )
    search = Search(gettext_lazy("Tìm theo mã"), exact=("member__member_code", "org__code"))
    sorts = (
        Sort("level", gettext_lazy("Theo xếp loại"), ("level", "id")),
        Sort("recorded", gettext_lazy("Theo thứ tự ghi"), ("id",)),
    )
    columns = (
        Column("subject", gettext_lazy("Đối tượng"), title=True, value=subject_name),
        Column("level", gettext_lazy("Xếp loại"), value="get_level_display"),
        Column("score", gettext_lazy("Điểm"), css="num"),
        Column("decided_on", gettext_lazy("Ngày quyết định")),
        Column("decided_by", gettext_lazy("Cấp quyết định"), value="decided_by__name",
               css="small"),
        Column("year", gettext_lazy("Năm"), page=False),
    )

    def rows(self, listing: Listing):
        org = self.subtree_org(listing)
        low, high = subtree_range(org.path)
        return Rating.objects.visible_to(listing.user).filter(
            Q(org__path__gte=low, org__path__lt=high)
            | Q(member__cell__path__gte=low, member__cell__path__lt=high)).select_related(
            "org", "member", "decided_by")

    def context(self, listing: Listing) -> dict:
        org = listing.scope
        quota = None
        if can(listing.user, MANAGE_RATINGS, org) and org.kind not in NO_DECISIONS:
            quota = queries.quota_status(org, year_of(listing))
        year = year_of(listing)
        actions = [(str(_("Đợt đánh giá")), reverse("ratings:campaign", args=[org.code]) +
                    f"?year={year}", "")]
        if org.kind not in NO_DECISIONS:
            actions.append((str(_("Danh sách đề nghị khen thưởng")), reverse(
                "ratings:commendations", args=[org.code]) + f"?year={year}", ""))
        if quota is not None:
            actions.insert(0, (str(_("Quyết định xếp loại")), reverse(
                "ratings:decide", args=[org.code]) + f"?year={year}", "btn-primary"))
        return {**super().context(listing), "quota": quota, "actions": actions, "year": year}

    def filename(self, listing: Listing) -> str:
        return "xep-loai-chat-luong"


# --- the campaign ------------------------------------------------------------------------------

def _not_submitted(rows, listing: Listing):
    return rows.filter(submitted=False)


def _not_proposed(rows, listing: Listing):
    return rows.filter(proposed__isnull=True)


def _yes(flag: bool) -> str:
    return str(_("Đã nộp")) if flag else str(_("Chưa nộp"))


def _level_label(value: str | None) -> str:
    return str(Level(value).label) if value else ""


def _proposal_url(member) -> str:
    return reverse("ratings:propose", args=[member.cell.code, member.review_year,
                                            member.member_code])


class CampaignList(RatingOrgList):
    """The review of a year in a subtree: each member of its cells today, whether they have
    submitted their self-review, the cell's proposal, the level decided."""

    key = "ratings.campaign"
    title = gettext_lazy("Đợt đánh giá, xếp loại")
    noun = ngettext_lazy("%(count)s đảng viên", "%(count)s đảng viên", "n")
    template = "ratings/campaign.html"
    tabs = (
        Tab("all", gettext_lazy("Tất cả")),
        Tab("missing", gettext_lazy("Chưa nộp tự kiểm điểm"), where=_not_submitted),
        Tab("unproposed", gettext_lazy("Chi bộ chưa đề xuất"), where=_not_proposed),
    )
    filters = (Subtree("cell__path"), REVIEWED_YEAR)
    search = Search(gettext_lazy("Tìm theo tên"), fields=("search_key",),
                    exact=("member_code",))
    sorts = (Sort("name", gettext_lazy("Theo tên"), ("sort_key", "id")),)
    columns = (
        Column("full_name", gettext_lazy("Họ và tên"), title=True, link=_proposal_url),
        Column("cell", gettext_lazy("Chi bộ"), value="cell__name", css="small"),
        Column("submitted", gettext_lazy("Tự kiểm điểm"),
               value=lambda m: _yes(m.submitted)),
        Column("proposed", gettext_lazy("Chi bộ đề xuất"),
               value=lambda m: _level_label(m.proposed)),
        Column("rated", gettext_lazy("Kết quả xếp loại"), value=lambda m: _level_label(m.rated)),
        Column("member_code", gettext_lazy("Mã"), page=False),
    )

    def rows(self, listing: Listing):
        year = year_of(listing)
        low, high = subtree_range(listing.scope.path)
        return Member.objects.visible_to(listing.user).filter(
            cell__path__gte=low, cell__path__lt=high, status__in=("official", "probationary")
        ).select_related("cell").annotate(
            review_year=Value(year),
            submitted=Exists(SelfReview.objects.filter(
                member=OuterRef("pk"), year=year, status="submitted")),
            proposed=Subquery(Proposal.objects.filter(
                member=OuterRef("pk"), campaign__year=year).values("level")[:1]),
            rated=Subquery(Rating.objects.filter(member=OuterRef("pk"), year=year)
                           .values("level")[:1]))

    def context(self, listing: Listing) -> dict:
        org, year = listing.scope, year_of(listing)
        low, high = subtree_range(org.path)
        # The campaigns of the subtree the user may read, and the one of the committee above
        # the page's cell: its dates concern the cell's members, whose page this is.
        campaigns = ReviewCampaign.objects.filter(
            Q(pk__in=ReviewCampaign.objects.visible_to(listing.user).filter(
                org__path__gte=low, org__path__lt=high).values("pk"))
            | Q(org__in=_grassroots_above(org)), year=year).select_related("org")
        campaigns = list(campaigns)
        return {**super().context(listing), "campaigns": campaigns, "year": year,
                "actions": _campaign_actions(listing.user, org, year, campaigns)}

    def filename(self, listing: Listing) -> str:
        return "dot-danh-gia"


def _campaign_actions(user, org, year: int, campaigns: list[ReviewCampaign]) -> list[tuple]:
    """The ratings list, and for the grassroots committee that may manage them: open the
    year's campaign, or close it."""
    actions = [(str(_("Kết quả xếp loại")), reverse("ratings:list", args=[org.code]) +
                f"?year={year}", "")]
    if org.kind not in GRASSROOTS_KINDS or not can(user, MANAGE_RATINGS, org):
        return actions
    own = next((campaign for campaign in campaigns if campaign.org_id == org.pk), None)
    if own is None:
        actions.insert(0, (str(_("Mở đợt đánh giá")),
                           reverse("ratings:open_campaign", args=[org.code]), "btn-primary"))
    elif not own.is_closed:
        actions.insert(0, (str(_("Kết thúc đợt đánh giá")),
                           reverse("ratings:close_campaign", args=[org.code, year]), ""))
    return actions


def _grassroots_above(org) -> list[int]:
    """The grassroots committees on the organization's path (its campaign's committee, for a
    cell's page)."""
    return list(Organization.objects.filter(pk__in=path_ids(org.path),
                                            kind__in=GRASSROOTS_KINDS).values_list("pk",
                                                                                    flat=True))


# --- the commendation list ----------------------------------------------------------------------

MIN_YEARS = [("2", gettext_lazy("2 năm liền trở lên")),
             ("3", gettext_lazy("3 năm liền trở lên")),
             ("5", gettext_lazy("5 năm liền trở lên"))]


def _in_a_row(rows, value: str, listing: Listing):
    """The subjects rated excellent at least `value` years in a row up to the year (counted
    in Python: chibo.ratings.queries.excellent_years)."""
    ratings = list(rows.only("pk", "year", "member_id", "org_id"))
    return rows.filter(pk__in=[pk for pk, years in queries.excellent_years(ratings).items()
                               if years >= int(value)])


def _unit_name(rating: Rating) -> str:
    return rating.member.cell.name if rating.member_id else ""


class CommendationList(RatingOrgList):
    """The members and organizations the page's committee rated excellent in a year, with
    the years in a row they were, for its commendation lists."""

    key = "ratings.commendations"
    title = gettext_lazy("Danh sách đề nghị khen thưởng")
    noun = ngettext_lazy("%(count)s đối tượng", "%(count)s đối tượng", "n")
    filters = (
        YEAR,
        Choice("subjects", gettext_lazy("Đối tượng"), Subjects.choices, apply=_subjects),
        Choice("years", gettext_lazy("Số năm liền"), MIN_YEARS, apply=_in_a_row),
    )
    search = Search(gettext_lazy("Tìm theo mã"), exact=("member__member_code", "org__code"))
    sorts = (Sort("recorded", gettext_lazy("Theo thứ tự ghi"), ("id",)),)
    columns = (
        Column("subject", gettext_lazy("Đối tượng"), title=True, value=subject_name),
        Column("unit", gettext_lazy("Chi bộ, đảng bộ"), value=_unit_name,
               css="small"),
        Column("years", gettext_lazy("Số năm liền hoàn thành xuất sắc"),
               value="excellent_years", css="num"),
        Column("score", gettext_lazy("Điểm"), css="num"),
        Column("decided_on", gettext_lazy("Ngày quyết định")),
    )

    def rows(self, listing: Listing):
        org, year = listing.scope, year_of(listing)
        if org.kind in NO_DECISIONS:
            return Rating.objects.none()
        judged = [item.row["pk"] for subjects in Subjects.values
                  for item in queries.decided_by(org.pk, year, subjects, Level.EXCELLENT)]
        return Rating.objects.visible_to(listing.user).filter(pk__in=judged).select_related(
            "org", "member", "member__cell")

    def prepare(self, rows: list, listing: Listing) -> list:
        years = queries.excellent_years(rows)
        for rating in rows:
            rating.excellent_years = years[rating.pk]
        return rows

    def context(self, listing: Listing) -> dict:
        org, year = listing.scope, year_of(listing)
        return {**super().context(listing), "year": year, "actions": [
            (str(_("In danh sách")), reverse("ratings:commendations_print", args=[org.code])
             + "?" + listing.state_query(), "btn-primary"),
            (str(_("Kết quả xếp loại")), reverse("ratings:list", args=[org.code]) +
             f"?year={year}", "")]}

    def filename(self, listing: Listing) -> str:
        return "de-nghi-khen-thuong"


RATINGS = RatingList()
CAMPAIGN = CampaignList()
COMMENDATIONS = CommendationList()
