"""Restricted reads of the removal cases."""

from chibo.core.fields import path_ids
from chibo.organizations.models import Organization
from chibo.removal.models import RemovalCase
from chibo.removal.services import NOT_DECIDING


def cases_of(user, member) -> list[RemovalCase]:
    return list(RemovalCase.objects.visible_to(user).filter(member=member)
                .select_related("cell", "decided_by"))


def default_decider(cell: Organization) -> Organization | None:
    """The nearest committee above the cell that decides (a grassroots committee, or above)."""
    above = Organization.objects.filter(pk__in=path_ids(cell.path)).exclude(
        kind__in=NOT_DECIDING).only("pk", "code", "name", "path")
    return max(above, key=lambda org: len(org.path), default=None)
