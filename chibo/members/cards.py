"""The officers' home card of the member records (registered in apps.py)."""

from chibo.accounts.policy import Capability, can
from chibo.members.choices import ACTIVE_STATUSES
from chibo.members.models import Member


def home_card(request) -> dict:
    """How many members (probationary and official) the user's grants cover: one count; the
    list of the home organization when the user may read its members."""
    user = request.user
    home = user.home_organization()
    total = (Member.objects.visible_to(user, Capability.VIEW_MEMBERS)
             .filter(status__in=ACTIVE_STATUSES).count())
    return {"total": total,
            "org": home if home and can(user, Capability.VIEW_MEMBERS, home) else None}
