"""The handbook's own cards on its home page (registered in apps.py beside the processes'
cards, in one store: chibo.core.registry.HANDBOOK_CARDS). `request.member` is the signed-in
member (handbook.views.member_required)."""

from django.utils import timezone

from chibo.accounts.policy import Capability, can
from chibo.handbook import queries

NEW_DOCUMENTS = 3


def documents_card(request) -> dict:
    """The newest documents addressed to the member."""
    return {"documents": queries.library(request.member)[:NEW_DOCUMENTS]}


def review_card(request) -> dict:
    """This year's self-review; the cell's reviews for whoever may read its members."""
    cell = request.member.cell
    return {"cell": cell, "year": timezone.localdate().year,
            "sees_cell_reviews": can(request.user, Capability.VIEW_MEMBERS, cell)}
