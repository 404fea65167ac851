"""The main menu, one for every page: the entries every domain registered
(chibo.core.registry.NAVIGATION) that the signed-in user may use, grouped under the headings
of NAV_SECTIONS, in their declared order. Entries of one organization point at the one the user
is working on (chibo.organizations.working), else at their home organization."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from chibo.accounts.policy import can, permitted
from chibo.core.registry import NAV_SECTIONS, NAVIGATION, NavEntry
from chibo.organizations.working import working_org


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: Any
    url: str
    current: bool = False


@dataclass(frozen=True)
class MenuGroup:
    """A heading with its links; `link` is the one link of a heading that holds only one (shown
    as a plain link, under the entry's own label)."""

    key: str
    label: Any
    links: list[MenuLink]

    @property
    def link(self) -> MenuLink | None:
        return self.links[0] if len(self.links) == 1 else None

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


@dataclass(frozen=True)
class Menu:
    groups: list[MenuGroup]
    org: Any  # the organization the entries point at (None without any grant)

    def __iter__(self):
        return iter(self.groups)

    def links(self) -> list[MenuLink]:
        return [link for group in self.groups for link in group.links]


def menu_of(request) -> Menu:
    """The signed-in user's menu on this request."""
    user = request.user
    org = working_org(request)
    entries = [(entry.section, link) for entry in permitted(user, NAVIGATION.ordered())
               if (link := _link(user, entry, org)) is not None]
    here = _current(request.path, [link.url for _, link in entries])
    links: dict[str, list[MenuLink]] = {}
    for section, link in entries:
        links.setdefault(section, []).append(
            MenuLink(link.key, link.label, link.url, current=link.url == here))
    unknown = set(links) - set(NAV_SECTIONS) - {""}
    if unknown:
        raise ImproperlyConfigured(f"menu entries under unknown sections: {sorted(unknown)}")
    groups = [MenuGroup(link.key, link.label, [link]) for link in links.pop("", [])]
    groups += [MenuGroup(section.key, section.label, links[section.key])
               for section in NAV_SECTIONS.ordered() if section.key in links]
    order = {entry.key: entry.order for entry in NAVIGATION.values()}
    order |= {section.key: section.order for section in NAV_SECTIONS.values()}
    return Menu(sorted(groups, key=lambda g: (order[g.key], g.key)), org)


def _link(user, entry: NavEntry, org) -> MenuLink | None:
    if not entry.at_home_organization:
        return MenuLink(entry.key, entry.label, reverse(entry.url_name))
    if org is None or (entry.capability and not can(user, entry.capability, org)):
        org = user.home_organization()
        if org is None or (entry.capability and not can(user, entry.capability, org)):
            return None
    return MenuLink(entry.key, entry.label, reverse(entry.url_name, args=[org.code]))


def _current(path: str, urls: list[str]) -> str | None:
    """The area the page is in: the menu URL that is the longest start of its path (the tree's
    /org/ holds every organization page, but /org/X/members/ is the members list)."""
    starts = [url for url in urls if url != "/" and path.startswith(url)]
    return max(starts, key=len, default=None)
