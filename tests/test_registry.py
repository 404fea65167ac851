"""The registry mechanism (chibo.core.registry) and the stores the shared machinery reads."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured

from chibo.core import compliance, registry
from chibo.core.registry import AlreadyRegistered, Store, declare, dependency_order
from chibo.interchange import sections
from chibo.stats import groups


@dataclass(frozen=True)
class Part:
    key: str
    depends_on: tuple[str, ...] = ()
    order: int = 100


def test_a_key_added_twice_is_an_error_and_the_first_stays():
    store: Store = Store("parts")
    first = store.add("a", Part("a"))
    with pytest.raises(AlreadyRegistered, match="'a' is registered twice"):
        store.add("a", Part("a", order=1))
    assert store["a"] is first and list(store) == ["a"]


def test_a_store_is_declared_once():
    with pytest.raises(AlreadyRegistered):
        declare("bundle.sections")
    assert registry.stores()["bundle.sections"] is sections.SECTIONS
    assert registry.stores()["stats.groups"] is groups.GROUPS


def test_a_check_registered_twice_is_refused():
    """register_check used to overwrite silently."""
    before = compliance.CHECKS["meetings.no_regular"]
    with pytest.raises(AlreadyRegistered):
        compliance.register_check("meetings.no_regular", "again", lambda org, period: [])
    assert compliance.CHECKS["meetings.no_regular"] is before


def test_ordered_goes_by_declared_order_then_key_not_by_registration():
    store: Store = Store("parts")
    for part in (Part("c", order=5), Part("b", order=5), Part("a", order=9)):
        store.add(part.key, part)
    assert [p.key for p in store.ordered()] == ["b", "c", "a"]


def test_dependency_order_puts_each_part_after_what_it_depends_on():
    parts = [Part("meetings", ("members",), order=1), Part("tree", order=50),
             Part("members", ("tree",), order=20), Part("posts", ("members",), order=30)]
    assert [p.key for p in dependency_order(parts)] == ["tree", "members", "meetings", "posts"]


def test_dependency_order_refuses_an_unknown_dependency_and_a_cycle():
    with pytest.raises(ImproperlyConfigured, match="unknown ghost"):
        dependency_order([Part("a", ("ghost",))])
    with pytest.raises(ImproperlyConfigured, match="cycle"):
        dependency_order([Part("a", ("b",)), Part("b", ("a",)), Part("c")])


def test_the_bundle_sections_run_in_dependency_order():
    keys = [section.key for section in sections.ordered()]
    assert keys[:3] == ["tree", "members", "positions"]
    for section in sections.ordered():
        for dependency in section.depends_on:
            assert keys.index(dependency) < keys.index(section.key)
    names = [spec.name for spec in sections.files()]
    assert names[:9] == ["organizations.csv", "villages.csv", "org_changes.csv", "members.csv",
                         "member_events.csv", "positions.csv", "meetings.csv",
                         "attendance.csv", "meeting_guests.csv"]


def test_a_section_must_export_every_file_it_declares():
    spec = sections.FileSpec("orphans.csv", ())
    with pytest.raises(ValueError, match="exports no orphans.csv"):
        sections.register_section(sections.Section("orphans", (spec,), run=lambda c: {},
                                                   export={}))
    assert "orphans" not in sections.SECTIONS
