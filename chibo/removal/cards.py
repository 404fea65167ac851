"""The removal section of the member page (registered in apps.py): the member's cases that the
user may read, and the way to propose one for those who may, while the member is active and has
none pending."""

from chibo.accounts.policy import can
from chibo.members.choices import ACTIVE_STATUSES
from chibo.removal import queries
from chibo.removal.capabilities import PROPOSE_REMOVAL


def member_section(request, member) -> dict | None:
    cases = queries.cases_of(request.user, member)
    may_propose = (member.status in ACTIVE_STATUSES and can(request.user, PROPOSE_REMOVAL,
                                                            member.cell)
                   and not any(case.is_pending for case in cases))
    if not cases and not may_propose:
        return None
    return {"member": member, "cases": cases, "may_propose": may_propose}
