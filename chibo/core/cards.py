"""Rendering the cards registered for a page (chibo.core.registry.Card): the officers' home
page and the handbook's both show what their domains registered, and neither knows which."""

from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from chibo.core.registry import Card


def render_cards(cards: Iterable[Card], request) -> list[SafeString]:
    """Each card's HTML in the given order; a card whose `render` returns None is left out.
    The caller has already kept the cards the user may see (accounts.policy.permitted)."""
    html = []
    for card in cards:
        context = card.render(request)
        if context is not None:
            html.append(render_to_string(card.template, context, request=request))
    return html
