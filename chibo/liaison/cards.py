"""The member page's section: the member's liaisons with their residence and the yearly
opinions the residence cell sent back (the member page is read with `member.view`)."""

from chibo.liaison import queries
from chibo.liaison.models import Liaison


def member_section(request, member) -> dict | None:
    liaisons = list(Liaison.objects.visible_to(request.user).filter(member=member)
                    .select_related("residence_org", "residence_cell").order_by(
        "-introduced_on"))
    return {"member": member, "liaisons": queries.with_years(liaisons)}
