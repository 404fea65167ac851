"""Where a rating's subject stood in its year, and what the findings know of it (spec
METRICS-v2.md "Placement": a rating is placed on the subject's last day in the tree in `year`
— the organization itself, a member's cell that day).

`Places` reads, once for many ratings, the periods of the subjects (a member's periods carry
the cell, its path and the exemption; an organization's its path and parent), the tree's
kinds, the standing discipline decisions and the organizations' direct children, so that the
import's checks, the findings, the quota and the statistics place thousands of ratings without
a query each.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from chibo.core.db import DateText, date_of, plain_rows
from chibo.core.fields import path_ids
from chibo.inspection.models import Discipline
from chibo.members.models import MemberPeriod
from chibo.organizations.models import Organization, OrgPeriod
from chibo.ratings.rules import GRASSROOTS_KINDS

CHUNK = 500
# An organization's rating is decided by the nearest committee above that is not a cell nor a
# partial committee (BUNDLE-v2: "an organization's nearest non-partial committee above").
NOT_DECIDING_KINDS = ("cell", "grassroots_cell", "partial_committee")


@dataclass(frozen=True, slots=True)
class Place:
    """A subject on its last day in the tree in the year."""

    day: date
    path: str
    org_id: int  # the member's cell, or the organization itself
    exempt: bool = False  # a member exempt that day


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def last_day_in(spans: Iterable[tuple[date, date, tuple]], year: int):
    """The last day of `year` covered by the spans ([from, to), extra), and its span's extra;
    None when no span touches the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    best = None
    for valid_from, valid_to, extra in spans:
        if valid_from > last or valid_to <= first:
            continue
        day = min(valid_to - timedelta(days=1), last)
        if best is None or day > best[0]:
            best = (day, extra)
    return best


class Places:
    """The subjects of some ratings: their place in each year, who decides by default, whether
    they were disciplined, an organization's children."""

    def __init__(self, member_ids: Iterable[int] = (), org_ids: Iterable[int] = ()):
        self.member_spans: dict[int, list] = defaultdict(list)
        for chunk in _chunks(sorted(set(member_ids))):
            for member, start, end, org, path, exempt in plain_rows(
                    MemberPeriod.objects.filter(member_id__in=chunk).values_list(
                        "member_id", DateText("valid_from"), DateText("valid_to"), "org_id",
                        "path", "exempt").order_by()):
                self.member_spans[member].append((date_of(start), date_of(end),
                                                  (org, path, bool(exempt))))
        self.orgs = {pk: (kind, code, name) for pk, kind, code, name in
                     Organization.objects.values_list("pk", "kind", "code", "name")}
        self.org_spans: dict[int, list] = defaultdict(list)
        self.children: dict[int, list] = defaultdict(list)  # parent -> [(from, to, child)]
        wanted = set(org_ids)
        for org, parent, start, end, path in plain_rows(OrgPeriod.objects.values_list(
                "organization_id", "parent_id", DateText("valid_from"), DateText("valid_to"),
                "path").order_by()):
            start, end = date_of(start), date_of(end)
            if org in wanted:
                self.org_spans[org].append((start, end, path))
            if parent in wanted:
                self.children[parent].append((start, end, org))
        self._disciplined: set[tuple[str, int, int]] | None = None

    # --- places ---------------------------------------------------------------------------------

    def member(self, member_id: int, year: int) -> Place | None:
        found = last_day_in(self.member_spans.get(member_id, ()), year)
        if found is None:
            return None
        day, (org, path, exempt) = found
        return Place(day, path, org, exempt)

    def org(self, org_id: int, year: int) -> Place | None:
        found = last_day_in(self.org_spans.get(org_id, ()), year)
        if found is None:
            return None
        day, path = found
        return Place(day, path, org_id)

    def place(self, *, year: int, member_id: int | None = None,
              org_id: int | None = None) -> Place | None:
        return self.member(member_id, year) if member_id else self.org(org_id, year)

    def active_in(self, year: int, *, member_id: int | None = None,
                  org_id: int | None = None) -> bool:
        """The subject active (existing) on a day of `year`."""
        return self.place(year=year, member_id=member_id, org_id=org_id) is not None

    # --- the default decider ----------------------------------------------------------------------

    def default_decider(self, place: Place, *, is_org: bool) -> int | None:
        """A member's grassroots organization; an organization's nearest committee above that
        is not a cell nor a partial committee — as the tree stood on the place's day."""
        ids = path_ids(place.path)
        if is_org:
            above = [pk for pk in ids[:-1] if self.orgs[pk][0] not in NOT_DECIDING_KINDS]
            return above[-1] if above else None
        grassroots = [pk for pk in ids if self.orgs[pk][0] in GRASSROOTS_KINDS]
        return grassroots[-1] if grassroots else None

    def code(self, org_id: int) -> str:
        return self.orgs[org_id][1]

    def name(self, org_id: int) -> str:
        return self.orgs[org_id][2]

    def kind(self, org_id: int) -> str:
        return self.orgs[org_id][0]

    # --- discipline -------------------------------------------------------------------------------

    def disciplined(self, year: int, *, member_id: int | None = None,
                    org_id: int | None = None) -> bool:
        """A standing discipline of the subject decided in `year` (one annulled on appeal does
        not stand)."""
        if self._disciplined is None:
            self._disciplined = {
                ("member" if member else "org", member or org, day.year)
                for member, org, day in Discipline.objects.with_standing_form().exclude(
                    standing="").values_list("member_id", "org_id", "decided_on")}
        key = ("member", member_id, year) if member_id else ("org", org_id, year)
        return key in self._disciplined

    def children_on(self, org_id: int, day: date) -> list[int]:
        """The organization's direct subordinate units on `day`."""
        return [child for start, end, child in self.children.get(org_id, ())
                if start <= day < end]

    def children_disciplined(self, org_id: int, place: Place, year: int) -> tuple[int, int]:
        """(direct children on the place's day, of those disciplined in `year`)."""
        children = self.children_on(org_id, place.day)
        return len(children), sum(self.disciplined(year, org_id=child) for child in children)

