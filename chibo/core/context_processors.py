"""Template context shared by every page."""

from chibo.accounts.policy import Capability, can


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_audit": can(user, Capability.VIEW_AUDIT_TRAIL),
        "nav_can_import": can(user, Capability.IMPORT_BUNDLE),
        "nav_home_org": user.home_organization(),
    }
