"""The application registry: one store per extension point, filled by each app in `ready()`.

A shared package declares the store it reads (`declare`), once; each domain adds its parts to it
from its `AppConfig.ready()`. A key added twice is an error at start-up, never a silent
overwrite, so two apps cannot take each other's place by accident. After start-up the stores
are only read: the shared code iterates them and names no domain (docs/architecture.md).

The stores that every layer may fill are declared here; the bundle sections and the metric
groups are declared by `chibo.interchange.sections` and `chibo.stats.groups`, the compliance
checks by `chibo.core.compliance`, the capabilities by `chibo.accounts.policy`.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class AlreadyRegistered(ImproperlyConfigured):
    """A key added twice to one store, or a store declared twice."""


class Store(Mapping[str, T]):
    """Items under unique keys, read like a dict, in the order they were added (`ordered` sorts
    them by their declared `order`)."""

    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, T] = {}
        self.version = 0  # changes with every add or remove: lets readers cache what they derive

    def add(self, key: str, item: T) -> T:
        if key in self._items:
            raise AlreadyRegistered(f"{self.name}: {key!r} is registered twice")
        self._items[key] = item
        self.version += 1
        return item

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def ordered(self) -> list[T]:
        """The items by their declared `order`, then by key: never by import order."""
        return [self._items[k] for k in sorted(
            self._items, key=lambda k: (getattr(self._items[k], "order", 0), k))]

    def remove(self, key: str) -> None:
        """Tests only: undo a registration made by a test."""
        del self._items[key]
        self.version += 1


_STORES: dict[str, Store] = {}


def declare(name: str) -> Store:
    """The store `name`, made once by the package that reads it."""
    if name in _STORES:
        raise AlreadyRegistered(f"store {name!r} is declared twice")
    store: Store = Store(name)
    _STORES[name] = store
    return store


def stores() -> dict[str, Store]:
    """Every declared store by name (the contract tests and `chibo` itself list them)."""
    return dict(_STORES)


# The stores every layer may add to ------------------------------------------------------------

@dataclass(frozen=True)
class UrlInclude:
    """A domain's pages: `include(module)` under `prefix` (`"meetings/"`, or `""`)."""

    key: str
    prefix: str
    module: str
    order: int = 100


@dataclass(frozen=True)
class ApiRouter:
    """A domain's API: the ninja router at `router` ("pkg.api.router") under /api/v1/`prefix`."""

    key: str
    prefix: str
    router: str
    order: int = 100


@dataclass(frozen=True)
class NavSection:
    """A heading of the main menu that groups entries (records, work, reports, …): shown as one
    drop-down when it holds several entries the user may use, as a plain link when one."""

    key: str
    label: Any
    order: int = 100


@dataclass(frozen=True)
class NavEntry:
    """A menu entry: the page `url_name`, shown to users who hold `capability` somewhere (None:
    everyone signed in), under the menu heading `section` (a `NavSection` key; "" for the top
    level). With `at_home_organization` the URL takes the code of an organization: the one the
    user is working on (chibo.site.menu), else their home organization, and the capability is
    checked there: a user with no grant, or without the capability there, does not see it."""

    key: str
    label: Any
    url_name: str
    capability: str | None = None
    order: int = 100
    at_home_organization: bool = False
    section: str = ""


@dataclass(frozen=True)
class FigureValue:
    """What a `Figure` shows: the `value` (a count, or a short text such as a date), the page of
    the records behind it (`url`) and an optional `note` under the label."""

    value: Any
    url: str = ""
    note: Any = ""


@dataclass(frozen=True)
class Figure:
    """A key number on the officers' home page, for the organization the user works on:
    `value(request, org)` returns a `FigureValue`, or None when it means nothing there (a
    cell's next meeting at a province). Shown to users who hold `capability` on that
    organization. An `urgent` figure is something that needs the user now (overdue items,
    open findings): it is listed first, and only when it is not zero."""

    key: str
    label: Any
    value: Callable[..., FigureValue | None]
    capability: str | None = None
    order: int = 100
    urgent: bool = False


@dataclass(frozen=True)
class Card:
    """A card on a home page: the officers' (`HOME_CARDS`) or the handbook's
    (`HANDBOOK_CARDS`). `render(request)` returns the template context of `template`, or None
    when the card has nothing to show; it reads only what the user's grants cover. On the
    handbook's pages `request.member` is the signed-in member's file. Shown to users who hold
    `capability` somewhere (None: everyone who reaches the page)."""

    key: str
    template: str
    render: Callable[..., dict | None]
    capability: str | None = None
    order: int = 100


@dataclass(frozen=True)
class DemoContext:
    """What `chibo demo` tells each builder: the random `seed`, the `size` ("small" or
    "province") and the `stream` its progress lines go to."""

    seed: int
    size: str
    stream: TextIO


@dataclass(frozen=True)
class DemoBuilder:
    """What a domain adds to `chibo demo` once the records are loaded and the demo accounts
    exist: `build(context)` with a `DemoContext`; run after the builders it `depends_on`
    (`dependency_order`), then by `order`."""

    key: str
    build: Callable[[DemoContext], Any]
    depends_on: tuple[str, ...] = ()
    order: int = 100


@dataclass(frozen=True)
class MemberData:
    """A part of what chibo holds about a member, for the member's own copy of their data
    (the handbook's "Tải dữ liệu của tôi", Vietnam's personal data protection law of 2025):
    `rows(member)` returns a list of plain dicts (text, numbers, dates), under `label`. Each
    process that stores something about members adds its part."""

    key: str
    label: Any
    rows: Callable[..., list[dict]]
    order: int = 100


@dataclass(frozen=True)
class MemberSection:
    """A section of a member's page (the officers' view of the file) that a process adds:
    `render(request, member)` returns the context of `template`, or None to show nothing. It
    is asked only for users who may see the file, and who hold `capability` on the member's
    cell (None: whoever sees the file)."""

    key: str
    template: str
    render: Callable[..., dict | None]
    capability: str | None = None
    order: int = 100


@dataclass(frozen=True)
class DashboardChart:
    """A chart a process adds to the statistics dashboard of the organization page, under
    the built-in ones. The browser fetches each chart's data on its own (a slow one delays
    nobody else's): `data(org, as_of, query)` returns {"labels": [...], "series": [{"label",
    "values", "urls"?}]} — a value None leaves a gap, each point may link to its records —
    drawn as `kind` "lines" or "bars"; `percent` puts the value axis from 0 to 100 %. `query`
    (as_of/from/to) goes on the links. Shown to users who may read the organization's
    statistics (`stats.view`)."""

    key: str
    title: Any
    data: Callable[..., dict]
    kind: str = "lines"
    percent: bool = False
    order: int = 100


@dataclass(frozen=True)
class RemovalGround:
    """A ground for removing a member from the list (xóa tên, Điều lệ Đảng Điều 8) that a
    process's records can show: `evidence(member, day)` returns what its records show as of
    `day` (a sentence naming the months, the years …), or None when they do not show it — the
    removal service then refuses the ground. Grounds no record shows (a card returned, the
    political standard) are the removal process's own and need the cell's document instead."""

    key: str
    label: Any
    evidence: Callable[..., str | None]
    source: str = ""
    order: int = 100


URLS: Store[UrlInclude] = declare("urls")
API_ROUTERS: Store[ApiRouter] = declare("api.routers")
NAV_SECTIONS: Store[NavSection] = declare("navigation.sections")
NAVIGATION: Store[NavEntry] = declare("navigation")
HOME_FIGURES: Store[Figure] = declare("home.figures")
HOME_CARDS: Store[Card] = declare("home.cards")
HANDBOOK_CARDS: Store[Card] = declare("handbook.cards")
DEMO_BUILDERS: Store[DemoBuilder] = declare("demo.builders")
MEMBER_DATA: Store[MemberData] = declare("member.data")
MEMBER_SECTIONS: Store[MemberSection] = declare("member.sections")
DASHBOARD_CHARTS: Store[DashboardChart] = declare("dashboard.charts")
REMOVAL_GROUNDS: Store[RemovalGround] = declare("removal.grounds")


def add[T](store: Store[T], item: T) -> T:
    """`store.add(item.key, item)`: the one way the dataclasses above are registered."""
    return store.add(item.key, item)


def dependency_order(items: list) -> list:
    """`items` (each with a `key`, an `order` and the keys it `depends_on`) ordered so that each
    comes after what it depends on; among those free to go, the lowest `order`, then key, goes
    first. An unknown dependency or a cycle is a configuration error."""
    by_key = {item.key: item for item in items}
    for item in items:
        missing = [d for d in item.depends_on if d not in by_key]
        if missing:
            raise ImproperlyConfigured(f"{item.key} depends on unknown {', '.join(missing)}")
    placed: dict[str, None] = {}
    waiting = sorted(items, key=lambda i: (i.order, i.key))
    while waiting:
        free = next((i for i in waiting if all(d in placed for d in i.depends_on)), None)
        if free is None:
            raise ImproperlyConfigured("dependency cycle among " +
                                       ", ".join(i.key for i in waiting))
        placed[free.key] = None
        waiting.remove(free)
    return [by_key[key] for key in placed]


def register_pages(key: str, prefix: str, module: str, order: int = 100) -> UrlInclude:
    """A domain's URLconf `module`, included under `prefix` in the root URLconf."""
    return add(URLS, UrlInclude(key, prefix, module, order))


def register_api(key: str, prefix: str, router: str, order: int = 100) -> ApiRouter:
    """A domain's ninja router (dotted path), mounted at /api/v1/`prefix`."""
    return add(API_ROUTERS, ApiRouter(key, prefix, router, order))
