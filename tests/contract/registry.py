"""The contract fixtures registry: what each domain declares so that the generic tests run for it.

chibo's registries say what a domain plugs in (its bundle sections, metric groups, pages and API
routers); this registry says how the contract tests exercise them. A domain registers one
`DomainFixtures`, keyed by its name:

- `build(world, people)`: its records, made through its services on top of the named fixture
  world and its members (tests/conftest.py); whatever it returns is kept for its tests;
- the parts of chibo's registries it answers for (`sections`, `groups`, `pages`, `api`: their keys
  in the stores `bundle.sections`, `stats.groups`, `urls`, `api.routers`);
- `queries`: the organizations and dates its metric keys are computed for; `sum_keys`: its keys
  that add a column (METRICS-v2 Σ) with the records' field that adds up to the value (chibo's
  `MetricGroup` has no notion of a sum key yet: this declaration stands in for it);
- `routes`: each list page and list endpoint (and any other page worth it), keyed by URL name,
  with the named users in scope with the capability, in scope without it, and out of scope.

Where the fixtures live: tests/contract/domains/<app label>.py for chibo's apps; a `contract`
module of the app's own package for an app outside chibo (tests/sample_domain/contract.py).
`domains()` imports them all. A part registered in chibo's stores that no domain claims (and
that `domains.PENDING` does not name) fails tests/contract/test_registries.py with the message
of `MissingFixtures`, so a new domain cannot be forgotten; `route(name)` answers the same way
for a URL name without fixtures (the route walker, test_route_walker.py, reads the routes by
name: every URL pattern and API operation must have one).
"""

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

from chibo.accounts.policy import Capability
from chibo.core.registry import API_ROUTERS, URLS, AlreadyRegistered, Store
from chibo.interchange.sections import SECTIONS
from chibo.stats.groups import GROUPS
from tests.conftest import PEOPLE

ANONYMOUS = "anonymous"
USERS = frozenset(username for username, _role, _org in PEOPLE)

# The kinds of registered parts a domain answers for: its field here -> chibo's store.
PARTS: dict[str, Store] = {"sections": SECTIONS, "groups": GROUPS, "pages": URLS,
                           "api": API_ROUTERS}
GUIDE = "docs/architecture.md"


class MissingFixtures(ImproperlyConfigured):
    """A registered part of chibo (or a URL name) that no domain's contract fixtures cover."""


API_PAGES = frozenset({"api:openapi-view"})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
VERSIONED = frozenset({"PUT", "PATCH", "DELETE"})  # an If-Match is required (concurrency.py)


@dataclass(frozen=True)
class Route:
    """A page or API operation as the contract tests call it.

    `org` is the organization whose scope the answer depends on; `capability` is what the route
    needs there besides seeing it (`org.view` when seeing is all). Every named user is in one
    class: `allowed` (in scope with the capability: `success`, 200 unless said), `denied` (in
    scope without it: 403) or `outside` (out of scope: 404); the anonymous visitor is always
    asked (a page redirects to the login page, the API answers 401). `shows` is a text every
    allowed answer contains (a record of the domain in it). `xfail`: the cases (a username or
    "anonymous") in which the route breaks the contract today, with the reason (reported, not
    bent). "In scope" is `sees` on `org`: `org.view`, or the capability that makes the record
    visible (a member's file: `member.view`; without it the file looks absent, 404).

    A route **not scoped to an organization** (the user's own pages: their account, their
    handbook, their export) leaves `org` and `capability` empty: its classes say who gets it
    (`allowed`), who is refused (`denied`, 403: no member file, say) and for whom the record is
    someone else's (`outside`, 404). A route **public by design** (sign-in, the language switch,
    static files) sets `public` to the status the anonymous visitor gets and names no user.

    `url` may hold `{name}` fields (a record's id known only once the world is built): `kwargs`
    returns their values from the built world. A **write** (`method` POST, PUT, PATCH, DELETE)
    sends `body` (a mapping, or a function of the built world; a page's form, the API's JSON
    unless `multipart`) and declares its effect: `state(built)` reads what the write changes,
    which a success changes and every refused call leaves as it was. PUT, PATCH and DELETE are
    sent with the record's current `If-Match` (read by a GET of the same URL). `answers`: an
    allowed user's own status where it is not `success` (a plain member's home page sends them
    to the handbook: 302)."""

    name: str
    url: str
    org: str = ""
    capability: str = ""
    allowed: tuple[str, ...] = ()
    denied: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    shows: str = ""
    xfail: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    method: str = "GET"
    kwargs: Callable[[Any], Mapping[str, Any]] | None = None
    body: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None = None
    multipart: bool = False
    success: int = 200
    state: Callable[[Any], Any] | None = None
    public: int | None = None
    sees: str = Capability.VIEW_ORGS
    answers: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        if self.public is not None:
            if self.allowed or self.denied or self.outside or self.org:
                raise ValueError(f"{self.key}: a public route names no users and no scope")
            return
        classes = (self.allowed, self.denied, self.outside)
        named = [user for users in classes for user in users]
        if unknown := set(named) - USERS:
            raise ValueError(f"{self.name}: no named user {', '.join(sorted(unknown))}")
        if len(named) != len(set(named)) or set(named) != USERS:
            raise ValueError(f"{self.name}: put every named user in exactly one class "
                             f"(missing: {', '.join(sorted(USERS - set(named))) or 'none'})")
        if not self.allowed:
            raise ValueError(f"{self.name}: name a user who gets it")
        if bool(self.org) != bool(self.capability):
            raise ValueError(f"{self.name}: an organization's route names its capability; a "
                             "route not scoped to an organization names neither")
        if self.org and not self.outside:
            raise ValueError(f"{self.name}: name a user outside the scope")
        if self.org and (self.capability == self.sees) != (not self.denied):
            raise ValueError(
                f"{self.name}: `denied` names the users in scope without {self.capability}; "
                f"there are none exactly when the route needs only {self.sees}")
        if unknown := set(self.xfail) - {*named, ANONYMOUS}:
            raise ValueError(f"{self.name}: xfail for {', '.join(sorted(unknown))}")
        if self.method not in WRITES and self.state is not None:
            raise ValueError(f"{self.key}: a read changes no `state`")

    @property
    def key(self) -> str:
        """Its key in the registry: the URL name, after the method when it writes."""
        return self.name if self.method == "GET" else f"{self.method} {self.name}"

    @property
    def api(self) -> bool:
        """An API operation: 401, not the login page, for the anonymous visitor (the API's
        documentation is a page)."""
        return self.url.startswith("/api/") and self.name not in API_PAGES

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def url_for(self, built) -> str:
        return self.url.format_map(self.kwargs(built)) if self.kwargs else self.url

    def body_for(self, built) -> Mapping[str, Any]:
        return (self.body(built) if callable(self.body) else self.body) or {}

    def cases(self) -> list[tuple[str, str | None, int]]:
        """(class, username, the one right status) of every call the contract makes."""
        if self.public is not None:
            return [("public", None, self.public)]
        return [("anonymous", None, 401 if self.api else 302),
                *(("outside", user, 404) for user in self.outside),
                *(("denied", user, 403) for user in self.denied),
                *(("allowed", user, self.answers.get(user, self.success))
                  for user in self.allowed)]


@dataclass(frozen=True)
class Query:
    """A subtree and dates to compute metric keys for."""

    org: str
    date_from: date
    date_to: date
    as_of: date

    def __str__(self) -> str:
        return f"{self.org} {self.date_from}..{self.date_to} as of {self.as_of}"

    def request(self, keys):
        from chibo.stats import engine

        return engine.Request.parse(self.as_of, self.date_from, self.date_to, ",".join(keys))

    def query_string(self, **extra) -> str:
        return urlencode({"org": self.org, "as_of": self.as_of.isoformat(),
                          "from": self.date_from.isoformat(), "to": self.date_to.isoformat(),
                          **extra})


@dataclass(frozen=True)
class DomainFixtures:
    key: str
    build: Callable[[Any, dict], Any]
    sections: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    api: tuple[str, ...] = ()
    queries: tuple[Query, ...] = ()
    sum_keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    routes: tuple[Route, ...] = ()

    def parts(self) -> list[tuple[str, str]]:
        """(store name, key) of every registered part this domain answers for."""
        return [(PARTS[kind].name, key) for kind in PARTS for key in getattr(self, kind)]

    def metric_keys(self) -> list[str]:
        return [key for group in self.groups for key in GROUPS[group].keys]

    def files(self) -> list[str]:
        return [spec.name for key in self.sections for spec in SECTIONS[key].files]


DOMAINS: Store[DomainFixtures] = Store("contract.domains")
ROUTES: Store[Route] = Store("contract.routes")
CLAIMS: Store[str] = Store("contract.claims")  # "store: key" of a registered part -> domain


def register(fixtures: DomainFixtures) -> DomainFixtures:
    """Add a domain's fixtures; a domain, a route name or a claimed part given twice is an
    error (chibo.core.registry.AlreadyRegistered)."""
    entries = [(DOMAINS, fixtures.key, fixtures),
               *((CLAIMS, f"{store}: {key}", fixtures.key) for store, key in fixtures.parts()),
               *((ROUTES, route.key, route) for route in fixtures.routes)]
    for store, key, _item in entries:  # all checked first: a refused domain adds nothing
        if key in store:
            owner = f" (by {CLAIMS[key]})" if store is CLAIMS else ""
            raise AlreadyRegistered(f"{store.name}: {key!r} is registered twice{owner}")
    for store, key, item in entries:
        store.add(key, item)
    return fixtures


_discovered: list[bool] = []


def discover() -> None:
    """Import every module that registers fixtures, once."""
    if _discovered:
        return
    _discovered.append(True)
    from tests.contract import domains as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    autodiscover_modules("contract")


def domains() -> list[DomainFixtures]:
    """Every domain's fixtures, by name."""
    discover()
    return [DOMAINS[key] for key in sorted(DOMAINS)]


def routes() -> list[tuple[DomainFixtures, Route]]:
    return [(domain, route) for domain in domains() for route in domain.routes]


def route(name: str, method: str = "GET") -> Route:
    """The fixtures of the route with URL name `name` called with `method`."""
    discover()
    key = name if method == "GET" else f"{method} {name}"
    if key not in ROUTES:
        raise MissingFixtures(
            f"the route {key!r} has no contract fixtures: add Route({name!r}, url=..., "
            f"{'' if method == 'GET' else f'method={method!r}, '}...) to the `routes` of its "
            f"domain's DomainFixtures in tests/contract/domains/<app label>.py (see {GUIDE}, "
            f"\"Declare the contract fixtures\")")
    return ROUTES[key]


def unclaimed(pending: Mapping[tuple[str, str], str]) -> list[str]:
    """The parts registered in chibo's stores that no domain's fixtures claim and `pending`
    does not name, each as the error a developer reads."""
    discover()
    missing = []
    for kind, store in PARTS.items():
        for key in store:
            if f"{store.name}: {key}" not in CLAIMS and (store.name, key) not in pending:
                missing.append(
                    f"{store.name} {key!r} is registered but has no contract fixtures: "
                    f"register DomainFixtures(..., {kind}=({key!r},)) in "
                    f"tests/contract/domains/<app label>.py, or in the app's own `contract` "
                    f"module (see {GUIDE})")
    return missing


# Who sees each organization of the named world (tests/conftest.py), and who holds a capability
# there: `classes` turns them into a route's classes (checked against the policy by
# test_scope.py, so a wrong guess fails).
EVERYONE = tuple(username for username, _role, _org in PEOPLE)
# D1.X1.C1
SEE_CELL = ("admin", "province", "inspector", "commune", "viewer", "secretary", "member")
SEE_COMMUNE = ("admin", "province", "inspector", "commune", "viewer")  # D1.X1
SEE_PROVINCE = ("admin", "province", "inspector")  # TQ


def classes(seeing: tuple[str, ...], allowed: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """`allowed`, `denied` (seeing without being allowed) and `outside` (not seeing)."""
    return {"allowed": allowed, "denied": tuple(u for u in seeing if u not in allowed),
            "outside": tuple(u for u in EVERYONE if u not in seeing)}


def own(allowed: tuple[str, ...], outside: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """A route not scoped to an organization: `allowed` get it, `outside` find the record
    absent (404: someone else's), everyone else is refused (403)."""
    return {"allowed": allowed, "outside": outside,
            "denied": tuple(u for u in EVERYONE if u not in (*allowed, *outside))}
