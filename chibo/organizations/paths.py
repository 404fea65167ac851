"""The paths organizations had over time, for rows that store where their cell stood.

Member periods and flow facts carry the path of their cell (on each day of the period, on the
fact's reference day), so that a subtree's statistics select them by one path range, as the
tree itself is selected, instead of joining the tree: the cost then follows the subtree, not
the table (docs/performance.md). The organization services re-place those rows when a subtree
moves (`register_replace_hook`); the member services place them when they are derived.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import DEFAULT_DB_ALIAS, connections

from chibo.organizations.models import OrgPeriod

TREE_LOCK = 0x63686962  # the key of PostgreSQL's advisory lock on stored placements ("chib")


def lock_placements(*, exclusive: bool) -> None:
    """Hold, until the transaction ends, the lock that orders re-placing stored rows (a move or
    merge of a subtree: exclusive) against deriving them (a member's replay, a profile
    correction, a bulk import: shared).

    Without it, on PostgreSQL (READ COMMITTED) a replay running beside an uncommitted move reads
    the tree before the move and writes rows the move's hook has already passed, and a move
    copies the periods of a profile correction not yet committed: both leave wrong copies for
    good. SQLite needs nothing: its write transactions already run one at a time
    (`transaction_mode=IMMEDIATE`). A session holding the exclusive lock also gets the shared
    one, so a merge may replay its members."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [TREE_LOCK])


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
