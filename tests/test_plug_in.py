"""A process plugs in through the registries (issue 12): the menu, the home cards, the handbook's
cards and the demo builders come from what each app registered in its ready(), and each is shown
only to users who may use it."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM, Capability, can
from chibo.accounts.services import grant_role
from chibo.core.registry import (
    DEMO_BUILDERS,
    HANDBOOK_CARDS,
    HOME_CARDS,
    HOME_FIGURES,
    NAVIGATION,
    AlreadyRegistered,
    Card,
    DemoBuilder,
    DemoContext,
    NavEntry,
    Store,
    add,
    dependency_order,
)
from chibo.site import demo

NAV_KEY = re.compile(r'data-nav="([^"]+)"')


def menu_keys(client) -> list[str]:
    """The keys of the menu entries on an officers' page (the tree), in their order."""
    return NAV_KEY.findall(client.get("/org/").content.decode())


def menu_link(client, key: str) -> str:
    html = client.get("/org/").content.decode()
    match = re.search(rf'href="([^"]+)" data-nav="{re.escape(key)}"', html)
    return match.group(1) if match else ""


@pytest.fixture
def registered():
    """Register items for one test, and take them out again afterwards."""
    added: list[tuple[Store, str]] = []

    def register(store: Store, item):
        add(store, item)
        added.append((store, item.key))
        return item

    yield register
    for store, key in added:
        store.remove(key)


# A key registered twice -------------------------------------------------------------------------

@pytest.mark.parametrize(("store", "item"), [
    (NAVIGATION, NavEntry("test.twice", "Hai lần", "organizations:tree")),
    (HOME_CARDS, Card("test.twice", "home.html", lambda request: {})),
    (HANDBOOK_CARDS, Card("test.twice", "home.html", lambda request: {})),
    (DEMO_BUILDERS, DemoBuilder("test.twice", lambda context: None)),
])
def test_a_key_registered_twice_is_refused(registered, store, item):
    registered(store, item)
    with pytest.raises(AlreadyRegistered, match="test.twice"):
        add(store, item)
    assert list(store).count("test.twice") == 1


@pytest.mark.parametrize(("store", "key"), [
    (NAVIGATION, "organizations"), (NAVIGATION, "meetings.findings"),
    (HOME_FIGURES, "members.total"), (HANDBOOK_CARDS, "meetings"), (DEMO_BUILDERS, "documents"),
])
def test_an_app_cannot_take_another_apps_place(store, key):
    """What the apps registered at start-up cannot be replaced by a later registration."""
    before = store[key]
    with pytest.raises(AlreadyRegistered):
        add(store, before)
    assert store[key] is before


# The menu ---------------------------------------------------------------------------------------

USERS = ("admin", "province", "inspector", "commune", "viewer", "secretary", "member", "nobody")


def test_the_menu_keeps_what_every_role_had(world):
    """The tree, the library and the API for everyone signed in; the import for those who may
    import; the audit trail for the administrator."""
    for username in USERS:
        keys = menu_keys(world.client(username))
        assert {"organizations", "documents", "help"} <= set(keys), username
        assert ("interchange" in keys) == (username in {"admin", "province"}), username
        assert ("audit" in keys) == (username == "admin"), username


def test_officers_reach_statistics_meetings_and_findings_of_their_home(world):
    client = world.client("viewer")  # a viewer of district D1
    assert menu_link(client, "stats") == "/stats/D1/"
    assert menu_link(client, "meetings") == "/org/D1/meetings/"
    assert menu_link(client, "meetings.findings") == "/org/D1/meetings/findings/"
    for key in ("stats", "meetings", "meetings.findings"):
        assert client.get(menu_link(client, key)).status_code == 200, key
    assert "members" not in menu_keys(client)  # a viewer reads no member records
    assert menu_link(world.client("commune"), "members") == "/org/D1.X1/members/"


def test_an_entry_is_shown_only_to_users_holding_its_capability(world, registered):
    registered(NAVIGATION, NavEntry("test.import", "Thử nhập", "interchange:upload",
                                    Capability.IMPORT_BUNDLE, order=1))
    assert "test.import" in menu_keys(world.client("province"))  # organizer: may import
    for username in ("viewer", "member", "commune", "nobody"):
        assert "test.import" not in menu_keys(world.client(username)), username


def test_an_entry_at_home_needs_the_capability_there(world, registered):
    """The clerk of D1.X1 manages its members; the viewer of D1 may not, not even once they are
    a clerk of another commune too (their home stays D1); the member neither, and a user
    without a grant has no home at all."""
    registered(NAVIGATION, NavEntry("test.admit", "Thử kết nạp", "members:admit",
                                    Capability.MANAGE_MEMBERS, at_home_organization=True))
    assert menu_link(world.client("commune"), "test.admit") == "/org/D1.X1/members/new/"
    grant_role(world.users["viewer"], actor=SYSTEM, role=Role.CLERK,
               organization=world.orgs["D2.X1"])
    for username in ("viewer", "member", "nobody"):
        assert "test.admit" not in menu_keys(world.client(username)), username


def test_every_registered_entry_follows_the_policy(world):
    """For each entry any app registered and each named user: shown exactly when the policy lets
    the user use it (where the entry points: the home organization when it needs one)."""
    for username in USERS:
        user = world.users[username]
        home = user.home_organization()
        keys = set(menu_keys(world.client(username)))
        for entry in NAVIGATION.values():
            where = home if entry.at_home_organization else None
            allowed = (entry.capability is None or can(user, entry.capability, where))
            if entry.at_home_organization and home is None:
                allowed = False
            assert (entry.key in keys) == allowed, (username, entry.key)


def test_the_menu_is_in_the_declared_order(world):
    keys = menu_keys(world.client("admin"))
    orders = [NAVIGATION[key].order for key in keys]
    assert orders == sorted(orders) and keys[0] == "organizations" and keys[-1] == "help"


# The home page's cards -------------------------------------------------------------------------

def test_home_shows_each_domains_card_to_those_who_may_see_it(world):
    province = world.client("province").get("/").content.decode()
    assert "Phạm vi công việc của bạn" in province and "Đảng bộ tỉnh Tuyên Quang" in province
    assert "trong phạm vi của bạn" in province  # the meetings' card
    assert 'href="/stats/TQ/"' in province and 'href="/org/TQ/meetings/findings/"' in province
    viewer = world.client("viewer").get("/").content.decode()
    assert 'href="/stats/D1/"' in viewer
    assert 'data-shortcut="members"' not in viewer  # no member records for a viewer


def test_home_reads_the_same_few_queries_for_one_grant_or_many(world):
    """No card reads per grant: a user with three grants costs what a user with one does."""
    client = world.client("commune")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    cache.clear()  # the home's figures are cached: count what a first visit reads
    for code in ("D1.X2", "D2.X1"):
        grant_role(world.users["commune"], actor=SYSTEM, role=Role.CLERK,
                   organization=world.orgs[code])
    with CaptureQueriesContext(connection) as three:
        body = client.get("/").content.decode()
    assert "Đảng bộ xã Yên Lâm" in body
    assert len(three) == len(one)


def test_a_card_with_nothing_to_show_is_left_out(world, registered):
    registered(HOME_CARDS, Card("test.empty", "organizations/home_card.html",
                                lambda request: None, order=1))
    registered(HOME_CARDS, Card("test.shown", "organizations/home_card.html",
                                lambda request: {"grants": []}, Capability.IMPORT_BUNDLE,
                                order=2))
    assert world.client("province").get("/").content.decode().count(
        "Phạm vi công việc của bạn") == 2  # the test card and the tree's own
    assert world.client("viewer").get("/").content.decode().count(
        "Phạm vi công việc của bạn") == 1  # the viewer may not import: no test card


def test_the_handbook_home_shows_the_registered_cards_in_order(world, people):
    body = world.client("member").get("/handbook/").content.decode()
    places = [body.index(f"<h2>{title}</h2>")
              for title in ("Sinh hoạt sắp tới", "Tài liệu mới", "Tự kiểm điểm")]
    assert places == sorted(places)


# The demo builders ------------------------------------------------------------------------------

def ignore(context) -> None:
    """A builder that adds nothing."""


def run_with(monkeypatch, *builders: DemoBuilder) -> None:
    store: Store = Store("demo.builders (test)")
    for builder in builders:
        add(store, builder)
    monkeypatch.setattr(demo, "DEMO_BUILDERS", store)
    demo.run_builders(DemoContext(seed=7, size="small", stream=io.StringIO()))


def test_demo_builders_run_after_what_they_depend_on(monkeypatch):
    ran = []

    def builder(key, order, *depends_on):
        return DemoBuilder(key, lambda context: ran.append((key, context.seed)), depends_on,
                           order)

    run_with(monkeypatch, builder("library", 1, "meetings", "accounts"),
             builder("meetings", 2, "accounts"), builder("accounts", 3), builder("extra", 0))
    assert ran == [("extra", 7), ("accounts", 7), ("meetings", 7), ("library", 7)]


@pytest.mark.parametrize(("builders", "message"), [
    ((DemoBuilder("a", ignore, ("b",)), DemoBuilder("b", ignore, ("a",))), "cycle"),
    ((DemoBuilder("a", ignore, ("a",)),), "cycle"),
    ((DemoBuilder("a", ignore, ("inspection",)),), "unknown inspection"),
])
def test_a_cycle_or_an_unknown_dependency_is_a_configuration_error(monkeypatch, builders,
                                                                    message):
    with pytest.raises(ImproperlyConfigured, match=message):
        run_with(monkeypatch, *builders)


def test_the_registered_builders_have_a_valid_order():
    keys = [builder.key for builder in dependency_order(list(DEMO_BUILDERS.values()))]
    assert keys == ["meetings", "documents", "admission", "courses", "inspection", "ratings",
                    "badges", "dues", "liaison", "removal"]
