"""The paths organizations had over time, for rows that store where their cell stood.

Member periods and flow facts carry the path of their cell (on each day of the period, on the
fact's reference day), so that a subtree's statistics select them by one path range, as the
tree itself is selected, instead of joining the tree: the cost then follows the subtree, not
the table (docs/performance.md). The organization services re-place those rows when a subtree
moves (`register_replace_hook`); the member services place them when they are derived.
"""

from dataclasses import dataclass, field
from datetime import date

from chibo.organizations.models import OrgPeriod


@dataclass
class PathHistory:
    """organization id -> its (valid_from, valid_to, path) stretches, in date order."""

    stretches: dict[int, list[tuple[date, date, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, org_ids=None) -> "PathHistory":
        """The stretches of `org_ids` (every organization's when None), one query."""
        periods = OrgPeriod.objects.order_by("organization", "valid_from")
        if org_ids is not None:
            periods = periods.filter(organization__in=sorted(set(org_ids)))
        history = cls()
        for org, start, end, path in periods.values_list("organization", "valid_from",
                                                         "valid_to", "path"):
            stretches = history.stretches.setdefault(org, [])
            if stretches and stretches[-1][2] == path and stretches[-1][1] == start:
                stretches[-1] = (stretches[-1][0], end, path)  # a rename keeps the place
            else:
                stretches.append((start, end, path))
        return history

    def path_on(self, org: int | None, day: date | None) -> str:
        """The organization's path on `day` ("" when it did not stand anywhere that day)."""
        for start, end, path in self.stretches.get(org, ()):
            if start <= day < end:
                return path
        return ""

    def pieces(self, org: int, start: date, end: date) -> list[tuple[date, date, str]]:
        """[start, end) cut where the organization's path changed, each piece with its path.
        Days on which it stood nowhere (not yet established, dissolved) keep the path "": the
        rows stay whole for the checks that refuse them, and no subtree counts them."""
        out, day = [], start
        for low, high, path in self.stretches.get(org, ()):
            if high <= day or low >= end:
                continue
            if low > day:
                out.append((day, low, ""))
            out.append((max(day, low), min(end, high), path))
            day = min(end, high)
        if day < end:
            out.append((day, end, ""))
        return out
