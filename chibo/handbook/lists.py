"""The cell's self-reviews of a year, for its secretary and the officers above it (the list
pattern, chibo.lists): every member expected to review — the members of the cell on the review
day (queries.review_day), exempt ones shown as such — with where their review stands, and the
counts per manifestation among the submitted reviews, hidden under five (never who marked what).

A cell has tens of members: the rows are computed in Python from one query for the members and
one for the reviews.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import Capability
from chibo.handbook import queries
from chibo.handbook.queries import ReviewProgress
from chibo.lists.spec import Choice, Column, Listing, Search, Sort
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.lists import OrgList

EXEMPT = "exempt"  # the status filter's choice for the members exempt on the review day
FIRST_YEAR = 1930  # the Party's founding: no review before


@dataclass
class ReviewRow:
    reviewer: queries.Reviewer
    state: queries.ReviewState
    cell_code: str
    year: int
    position: int

    @property
    def member(self):
        return self.reviewer.member

    @property
    def progress_label(self) -> str:
        return ReviewProgress(self.state.progress).label

    @property
    def submitted(self) -> bool:
        return self.state.progress == ReviewProgress.SUBMITTED


def _review_url(row: ReviewRow) -> str | None:
    if not row.submitted:
        return None
    return reverse("handbook:cell_review", args=[row.cell_code, row.year, row.member.member_code])


PROGRESS_ORDER = {ReviewProgress.NOT_STARTED: 0, ReviewProgress.DRAFT: 1,
                  ReviewProgress.SUBMITTED: 2}


def _wanted(row: ReviewRow, value: str) -> bool:
    if value == EXEMPT:
        return row.reviewer.exempt
    return row.state.progress == value and not row.reviewer.exempt


class CellReviewList(OrgList):
    """The self-reviews of one cell for one year (`/handbook/cell/<code>/reviews/<year>/`)."""

    key = "handbook.cell_reviews"
    title = gettext_lazy("Tự kiểm điểm của đảng viên")
    noun = ngettext_lazy("%(count)s đảng viên", "%(count)s đảng viên", "n")
    capability = Capability.VIEW_MEMBERS  # whose review stands where is about members
    filters = (Choice("status", gettext_lazy("Tình trạng"),
                      [*ReviewProgress.choices,
                       (EXEMPT, gettext_lazy("Miễn công tác và sinh hoạt đảng"))]),)
    search = Search(gettext_lazy("Tìm theo tên"),
                    text=lambda row: f"{row.member.full_name} {row.member.member_code}")
    sorts = (
        Sort("name", gettext_lazy("Theo tên"), python=lambda row: (row.position,)),
        Sort("progress", gettext_lazy("Chưa nộp trước"),
             python=lambda row: (row.reviewer.exempt, PROGRESS_ORDER[row.state.progress],
                                 row.position)),
    )
    columns = (
        Column("name", gettext_lazy("Họ và tên"), value="member__full_name", link=_review_url,
               title=True),
        Column("code", gettext_lazy("Mã đảng viên"), value="member__member_code", page=False),
        Column("progress", gettext_lazy("Bản tự kiểm điểm"), value="progress_label"),
        Column("at", gettext_lazy("Ngày"), value=lambda row: row.state.at),
        Column("exempt", gettext_lazy("Miễn sinh hoạt"), value=lambda row: row.reviewer.exempt),
    )
    template = "handbook/cell_reviews.html"

    def resolve(self, user, code: str = "", year: int = 0, **kwargs):
        """The cell (404 outside the scope, or not a cell, or a year not begun), once the user
        may read its members (403)."""
        if not FIRST_YEAR <= year <= timezone.localdate().year:
            raise Http404
        cell = super().resolve(user, code=code)
        if cell.kind not in MEMBER_HOLDING_KINDS:
            raise Http404
        return cell

    def reviewers(self, listing: Listing) -> list[queries.Reviewer]:
        if not hasattr(listing, "_reviewers"):
            year = listing.kwargs["year"]
            listing._reviewers = queries.expected_reviewers(
                listing.scope, queries.review_day(year, listing.today))
        return listing._reviewers

    def states(self, listing: Listing) -> dict[int, queries.ReviewState]:
        if not hasattr(listing, "_states"):
            listing._states = queries.review_states(
                [r.member for r in self.reviewers(listing)], listing.kwargs["year"])
        return listing._states

    def rows(self, listing: Listing) -> list[ReviewRow]:
        year, states = listing.kwargs["year"], self.states(listing)
        rows = [ReviewRow(r, states[r.member.pk], listing.scope.code, year, position)
                for position, r in enumerate(self.reviewers(listing))]
        wanted = listing.values.get("status")
        return [row for row in rows if _wanted(row, wanted)] if wanted else rows

    def heading(self, listing: Listing) -> str:
        return f"{listing.scope.name} · {listing.kwargs['year']}"

    def context(self, listing: Listing) -> dict:
        year = listing.kwargs["year"]
        reviewers = self.reviewers(listing)
        expected = [r.member.pk for r in reviewers if not r.exempt]
        states = self.states(listing)
        submitted = sum(states[pk].progress == ReviewProgress.SUBMITTED for pk in expected)
        return {**super().context(listing), "year": year,
                "day": queries.review_day(year, listing.today),
                "expected": len(expected), "submitted": submitted,
                "waiting": len(expected) - submitted,
                "exempt": len(reviewers) - len(expected),
                "summary": queries.manifestation_summary(expected, year),
                "fewest": queries.FEWEST_ANSWERS}

    def filename(self, listing: Listing) -> str:
        return f"tu-kiem-diem-{listing.scope.code}-{listing.kwargs['year']}"


CELL_REVIEWS = CellReviewList()
