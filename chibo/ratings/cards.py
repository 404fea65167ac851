"""What the ratings show outside their own pages (registered in apps.py):

- the section of the member page (the officers' view of a file): the member's ratings, newest
  first, that the user may read (`member.view`);
- the member's own card in the handbook: their results over the years (nothing before the
  first one).
"""

from chibo.ratings import queries
from chibo.ratings.models import Rating


def member_section(request, member) -> dict:
    return {"member": member, "ratings": queries.member_history(request.user, member)}


def handbook_card(request) -> dict | None:
    """A member reads their own results only (the handbook's signed-in member)."""
    ratings = list(Rating.objects.filter(member=request.member).select_related("decided_by")
                   .order_by("-year"))
    return {"ratings": ratings} if ratings else None
