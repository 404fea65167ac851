"""Where the inspection and discipline records stand on a day (spec METRICS-v2.md, "Placement"):
the member's cell and status from their periods, the organization's path from the tree's
periods (chibo.admission.placement.TreeOnDays), the committee members from the posts.

One read per kind of record for many members at once, so that the import's checks, the findings
and the statistics place thousands of records without a query each.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from chibo.admission.placement import TreeOnDays
from chibo.core.db import DateText, plain_rows
from chibo.core.fields import path_ids
from chibo.inspection.rules import PARTY_POSTS
from chibo.members.models import MemberPeriod, Position

CHUNK = 500


@dataclass(frozen=True, slots=True)
class Stint:
    """A stretch [valid_from, valid_to) of a member's activity in one cell at one path."""

    valid_from: date
    valid_to: date
    org_id: int
    path: str
    status: str


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


class MemberDays:
    """The periods of some members: where each was active on a day, with which status."""

    def __init__(self, member_ids: Iterable[int]):
        self.stints: dict[int, list[Stint]] = defaultdict(list)
        ids = sorted(set(member_ids))
        for chunk in _chunks(ids):
            for member, start, end, org, path, status in MemberPeriod.objects.filter(
                    member_id__in=chunk).values_list("member_id", "valid_from", "valid_to",
                                                     "org_id", "path", "status"):
                self.stints[member].append(Stint(start, end, org, path, status))
        for stints in self.stints.values():
            stints.sort(key=lambda stint: stint.valid_from)

    def on(self, member_id: int, day: date) -> Stint | None:
        """The member's stint at the end of `day` (None: not active then)."""
        for stint in self.stints.get(member_id, ()):
            if stint.valid_from <= day < stint.valid_to:
                return stint
        return None

    def active_through(self, member_id: int, first: date, last: date) -> bool:
        """Active on every day from `first` to `last` (both included)."""
        day = first
        for stint in self.stints.get(member_id, ()):
            if stint.valid_from <= day < stint.valid_to:
                if stint.valid_to > last:
                    return True
                day = stint.valid_to
        return False


def org_exists_through(spans: list[tuple[date, date]], first: date, last: date) -> bool:
    """An organization's periods ([from, to)) cover every day from `first` to `last`."""
    day = first
    for start, end in sorted(spans):
        if start <= day < end:
            if end > last:
                return True
            day = end
    return False


def in_subtree(path: str | None, org_id: int, strictly: bool = False) -> bool:
    """Whether the organization at `path` lies under `org_id` (or is it, unless `strictly`)."""
    if path is None:
        return False
    ids = path_ids(path)
    return org_id in (ids[:-1] if strictly else ids)


class Committee:
    """Who held a party post (a committee member, METRICS-v2) on given days: the posts of some
    members, read once.

    `members`: their ids, or a queryset of ids (read as one uncorrelated subquery, for the
    statistics' tens of thousands of subjects, instead of hundreds of `IN` lists)."""

    def __init__(self, members: Iterable[int] | QuerySet):
        # The days as ISO text (which sorts as the days do): a province's tens of thousands of
        # posts and subjects compared without making a date of each.
        self.posts: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
        posts = Position.objects.filter(role__in=PARTY_POSTS)
        if isinstance(members, QuerySet):
            batches = [posts.filter(member_id__in=members)]
        else:
            batches = [posts.filter(member_id__in=chunk) for chunk in _chunks(sorted(set(members)))]
        for batch in batches:
            for member, start, end in plain_rows(batch.values_list(
                    "member_id", DateText("start_on"), DateText("end_on")).order_by()):
                self.posts[member].append((_iso(start), _iso(end)))

    def holds(self, member_id: int, day: date | str) -> bool:
        """A post held on `day` (a date or its ISO text; `end_on` included)."""
        day = _iso(day)
        return any(start <= day and (end is None or day <= end)
                   for start, end in self.posts.get(member_id, ()))


def _iso(day: date | str | None) -> str | None:
    return day if day is None or isinstance(day, str) else day.isoformat()


def day_before(day: date) -> date:
    return day - timedelta(days=1)


__all__ = ["Committee", "MemberDays", "Stint", "TreeOnDays", "day_before", "in_subtree",
           "org_exists_through"]
