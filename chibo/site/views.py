"""The home page, one for each role: a plain member lands in the handbook; an officer sees, for
their home organization, what needs them now (overdue items, open findings by rule), its key
numbers, and the ways into every area the menu offers them (chibo.site.figures, the cards)."""

from django.shortcuts import redirect, render

from chibo.accounts.choices import Role
from chibo.accounts.policy import permitted, roles_of
from chibo.core.cards import render_cards
from chibo.core.registry import HOME_CARDS
from chibo.organizations.working import forget
from chibo.site.figures import home_figures


def home(request):
    """Staff land on their home (and back on their own organization: the menu forgets the one
    they were working on); a plain member (only member grants, or none and a member file) in
    the handbook."""
    user = request.user
    roles = roles_of(user)
    if roles <= {Role.MEMBER} and (roles or hasattr(user, "member")):
        return redirect("handbook:home")
    forget(request)
    org = user.home_organization()
    urgent, numbers = home_figures(request, org) if org is not None else ([], [])
    return render(request, "home.html", {
        "org": org, "roles": [label for role, label in Role.choices if role in roles],
        "urgent": urgent, "numbers": numbers,
        "cards": render_cards(permitted(user, HOME_CARDS.ordered()), request)})
