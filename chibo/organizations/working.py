"""The organization a user is working on: the last one whose page they opened (kept in the
session), so that the menu's areas (members, meetings, statistics, …) stay on it as the user
moves between them. The home page forgets it: home is the user's own scope again."""

from chibo.organizations.models import Organization

SESSION_KEY = "chibo.working_org"


def remember(request, org: Organization) -> None:
    """Called by every page of one organization (`views.visible_org`); not by the fragments
    that htmx swaps in (expanding a tree node is not opening a page)."""
    session = getattr(request, "session", None)
    if session is None or request.headers.get("HX-Request"):
        return
    if session.get(SESSION_KEY) != org.code:
        session[SESSION_KEY] = org.code


def forget(request) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_KEY, None)


def working_org(request) -> Organization | None:
    """The remembered organization if the user may still see it, else their home
    organization (None without any grant)."""
    user = request.user
    code = getattr(request, "session", {}).get(SESSION_KEY)
    if code and code != getattr(user.home_organization(), "code", None):
        org = Organization.objects.visible_to(user).filter(code=code).first()
        if org is not None:
            return org
    return user.home_organization()
