"""Rendering the cards registered for a page (chibo.core.registry.Card): the officers' home
page and the handbook's both show what their domains registered, and neither knows which; the
member page renders the sections the processes registered (MemberSection) the same way."""

from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from chibo.core.registry import Card, MemberSection


def render_cards(cards: Iterable[Card | MemberSection], request, *args) -> list[SafeString]:
    """Each card's HTML in the given order; a card whose `render` returns None is left out.
    The caller has already kept the cards the user may see (accounts.policy.permitted). `args`
    go to `render` after the request (a member page's sections: the member)."""
    html = []
    for card in cards:
        context = card.render(request, *args)
        if context is not None:
            html.append(render_to_string(card.template, context, request=request))
    return html
