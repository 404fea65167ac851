"""The main menu: the entries every domain registered (chibo.core.registry.NAVIGATION) that the
signed-in user may use, in their declared order."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from chibo.accounts.policy import can, permitted
from chibo.core.registry import NAVIGATION, NavEntry


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: Any
    url: str


def menu_of(user) -> list[MenuLink]:
    """The user's menu: each entry whose capability they hold, pointing at their home
    organization when the entry needs one (and left out when they hold it not there)."""
    return [link for entry in permitted(user, NAVIGATION.ordered())
            if (link := _link(user, entry)) is not None]


def _link(user, entry: NavEntry) -> MenuLink | None:
    if not entry.at_home_organization:
        return MenuLink(entry.key, entry.label, reverse(entry.url_name))
    home = user.home_organization()
    if home is None or (entry.capability and not can(user, entry.capability, home)):
        return None
    return MenuLink(entry.key, entry.label, reverse(entry.url_name, args=[home.code]))
