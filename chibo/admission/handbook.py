"""The sponsor's card of the handbook (registered in apps.py): the candidates the signed-in
member sponsors (sponsor1 or sponsor2 of their file) and how far each has come."""

from django.db.models import Q
from django.utils import timezone

from chibo.admission.choices import Outcome, Stage
from chibo.admission.metrics import FIELDS, stage_on
from chibo.admission.models import Candidate
from chibo.core.registry import HANDBOOK_CARDS, Card, add


def sponsored_card(request) -> dict | None:
    """The member's sponsored candidates, latest listed first, each with its stage today (or
    its outcome once decided, withdrawn or rejected); nothing when they sponsor no one."""
    member = request.member
    candidates = list(Candidate.objects.filter(Q(sponsor1=member) | Q(sponsor2=member))
                      .select_related("cell").order_by("-listed_on", "-pk"))
    if not candidates:
        return None
    today = timezone.localdate()
    return {"rows": [(candidate, _stage_text(candidate, today)) for candidate in candidates]}


def _stage_text(candidate: Candidate, today) -> str:
    if candidate.outcome != Outcome.PENDING:
        return str(Outcome(candidate.outcome).label)
    row = {name: getattr(candidate, name) for name in FIELDS if name != "pk"}
    return str(Stage(stage_on(row, today)).label)


def register() -> None:
    """After the documents (20) and the member's courses (25), before the self-review (30)."""
    add(HANDBOOK_CARDS, Card("admission.sponsored", "admission/handbook_sponsored.html",
                             sponsored_card, order=26))
