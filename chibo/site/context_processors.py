"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject

from chibo.site.menu import menu_of


def navigation(request):
    """`nav_menu`, the signed-in user's menu; built only when a page shows it (fragments
    that htmx swaps in never read it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_menu": SimpleLazyObject(lambda: menu_of(request))}
