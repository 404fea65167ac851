"""The member page's section: the member's liaisons with their residence and the yearly
opinions the residence cell sent back (the member page is read with `member.view`)."""

from chibo.liaison import queries
from chibo.liaison.choices import Feedback
from chibo.liaison.models import Liaison


def member_section(request, member) -> dict | None:
    liaisons = list(Liaison.objects.visible_to(request.user).filter(member=member)
                    .select_related("residence_org", "residence_cell").order_by(
        "-introduced_on"))
    opinions = queries.opinions_by_liaison(liaison.pk for liaison in liaisons)
    labels = dict(Feedback.choices)
    for liaison in liaisons:
        liaison.years = [(year, labels[level]) for year, level in
                         sorted(opinions.get(liaison.pk, {}).items())]
    return {"member": member, "liaisons": liaisons}
