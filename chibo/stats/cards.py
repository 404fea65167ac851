"""The officers' home card of the statistics (registered in apps.py)."""

from chibo.accounts.policy import Capability, can


def home_card(request) -> dict | None:
    """The way to the home organization's statistics, reports and dashboard; None when the
    user may not read them there."""
    user = request.user
    home = user.home_organization()
    if home is None or not can(user, Capability.VIEW_STATS, home):
        return None
    return {"org": home}
