"""Where liaisons and members stood, read once for many (no query per row): the organizations'
paths on a day (is the cell below the grassroots committee on `introduced_on`?) and the years a
member was active. Member spans are chibo.dues.placement's (`MemberSpans`)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from chibo.core.db import DateText, date_of, plain_rows
from chibo.dues.placement import MemberSpans
from chibo.organizations.models import OrgPeriod

__all__ = ["MemberSpans", "OrgPaths", "active_years"]


class OrgPaths:
    """The periods (from, to, path) of some organizations."""

    def __init__(self, org_ids: Iterable[int]):
        self.spans: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
        ids = sorted(set(org_ids))
        for org, start, end, path in plain_rows(OrgPeriod.objects.filter(
                organization_id__in=ids).values_list(
                "organization_id", DateText("valid_from"), DateText("valid_to"),
                "path").order_by()):
            self.spans[org].append((date_of(start), date_of(end), path))

    def path_on(self, org_id: int, day: date) -> str | None:
        return next((path for start, end, path in self.spans.get(org_id, ())
                     if start <= day < end), None)

    def below(self, cell_id: int, org_id: int, day: date) -> bool:
        """The cell lay in the organization's subtree on `day` (both existing)."""
        cell, org = self.path_on(cell_id, day), self.path_on(org_id, day)
        return cell is not None and org is not None and cell.startswith(org) and cell != org


def active_years(spans: MemberSpans, member_id: int, until: int) -> set[int]:
    """The years up to `until` a member was active on some day."""
    found: set[int] = set()
    for span in spans.spans.get(member_id, ()):
        found.update(range(span.valid_from.year,
                           min(until, (span.valid_to - timedelta(days=1)).year) + 1))
    return found
