"""The officers' home page: the cards every domain registered (chibo.core.registry.HOME_CARDS)."""

from django.shortcuts import redirect, render

from chibo.accounts.choices import Role
from chibo.accounts.policy import permitted, roles_of
from chibo.core.cards import render_cards
from chibo.core.registry import HOME_CARDS


def home(request):
    """Staff land on their cards; a plain member (only member grants, or none and a member file)
    in the handbook."""
    user = request.user
    roles = roles_of(user)
    if roles <= {Role.MEMBER} and (roles or hasattr(user, "member")):
        return redirect("handbook:home")
    return render(request, "home.html", {
        "cards": render_cards(permitted(user, HOME_CARDS.ordered()), request)})
