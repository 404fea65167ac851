"""What the badges show outside their own pages (registered in apps.py):

- the section of the member page (the officers' view of a file): the member's badges that the
  user may read (`member.view`);
- the member's own card in the handbook: the badges they were awarded (nothing before the
  first; the next one due is the handbook profile's, chibo.members.queries.next_badge).
"""

from chibo.badges import queries
from chibo.badges.models import Badge


def member_section(request, member) -> dict:
    return {"member": member, "badges": queries.member_badges(request.user, member)}


def handbook_card(request) -> dict | None:
    """A member reads their own badges only (the handbook's signed-in member)."""
    badges = list(Badge.objects.filter(member=request.member).order_by("-years"))
    return {"badges": badges} if badges else None
