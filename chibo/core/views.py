from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from chibo.accounts.choices import Role


def home(request):
    """Staff land on their organizations; a plain member in the handbook."""
    grants = list(request.user.grants.select_related("organization").order_by(
        "organization__depth", "organization__name"
    ))
    if all(g.role == Role.MEMBER for g in grants) and (
            grants or hasattr(request.user, "member")):
        return redirect("handbook:home")
    return render(request, "home.html", {"grants": grants})


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, open before sign-in too."""
    return django_set_language(request)
