"""What admission shows on the officers' home page (registered in apps.py): for who manages
admission, the open files of their home organization's subtree that are overdue and those whose
recognition is due, with links to the list filtered on each."""

from django.utils import timezone

from chibo.accounts.policy import Capability, can
from chibo.admission import queries
from chibo.admission.lists import candidate_rows, subtree_candidates


def home_card(request) -> dict | None:
    user = request.user
    home = user.home_organization()
    if home is None or not can(user, Capability.VIEW_MEMBERS, home):
        return None
    rows = candidate_rows(subtree_candidates(user, home).filter(queries.OPEN), timezone.localdate())
    return {"org": home, "open": len(rows), "overdue": sum(row.overdue for row in rows),
            "recognition": sum(row.recognition_due for row in rows)}
