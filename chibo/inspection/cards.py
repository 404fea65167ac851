"""What inspection shows outside its own pages (registered in apps.py):

- the inspectors' card on the officers' home page: in their home organization's subtree, the
  inspections still open, the follow-ups past their due day and the appeals not yet decided,
  each a link to the list behind it;
- the section of the member page (the officers' view of a file), for holders of
  `inspection.view` on the member's cell only: the member's conclusions and discipline
  decisions that the user may read.

The member's own view is the handbook's card (chibo.inspection.handbook).
"""

from django.utils import timezone

from chibo.accounts.policy import can
from chibo.core.fields import subtree_range
from chibo.inspection import queries
from chibo.inspection.capabilities import VIEW_INSPECTION
from chibo.inspection.models import Discipline, Inspection, InspectionSubject


def home_card(request) -> dict | None:
    user = request.user
    home = user.home_organization()
    if home is None or not can(user, VIEW_INSPECTION, home):
        return None
    low, high = subtree_range(home.path)
    today = timezone.localdate()
    inspections = Inspection.objects.visible_to(user).filter(org__path__gte=low,
                                                             org__path__lt=high)
    overdue = InspectionSubject.objects.visible_to(user).filter(
        inspection__org__path__gte=low, inspection__org__path__lt=high,
        follow_up_due__lt=today, follow_up_done_on__isnull=True)
    appeals = Discipline.objects.visible_to(user).filter(
        appealed_on__isnull=False, appeal_outcome="").filter(
        org__path__gte=low, org__path__lt=high) | Discipline.objects.visible_to(user).filter(
        appealed_on__isnull=False, appeal_outcome="",
        member__cell__path__gte=low, member__cell__path__lt=high)
    return {"org": home, "open": inspections.filter(end_on__isnull=True).count(),
            "overdue": overdue.count(), "appeals": appeals.count()}


def member_section(request, member) -> dict:
    """The member's conclusions and the decisions on them that the user may read
    (chibo.inspection.queries.member_cases); shown even when empty: a clean file is worth
    seeing for the inspector."""
    cases = queries.member_cases(member, request.user)
    return {"member": member, "subjects": cases.conclusions, "decisions": cases.disciplines}
