"""The registries' own contract: a key goes into a store once; every bundle file has its export;
a section's step runs after those it depends on; and every part a domain registers (bundle
section, metric group, pages, API router) has contract fixtures, so that no domain escapes the
generic tests."""

import pytest

from chibo.accounts.policy import CAPABILITIES, Capability
from chibo.core.registry import AlreadyRegistered, declare, stores
from chibo.interchange import sections
from tests.contract import registry
from tests.contract.domains import PENDING
from tests.contract.registry import DomainFixtures, MissingFixtures, Route

SECTIONS = [pytest.param(section, id=section.key) for section in sections.ordered()]
DOMAINS = [pytest.param(domain, id=domain.key) for domain in registry.domains()]


@pytest.mark.parametrize("name", sorted(stores()))
def test_a_key_added_twice_to_a_store_is_refused(name):
    store = stores()[name]
    before = dict(store)
    for key, item in before.items():
        with pytest.raises(AlreadyRegistered):
            store.add(key, item)
    store.add("contract.probe", object())  # an empty store refuses a second add too
    try:
        with pytest.raises(AlreadyRegistered):
            store.add("contract.probe", object())
    finally:
        store.remove("contract.probe")
    assert dict(store) == before
    with pytest.raises(AlreadyRegistered):
        declare(name)


@pytest.mark.parametrize("section", SECTIONS)
def test_every_file_of_a_section_has_its_export(section):
    assert sorted(section.export) == sorted(spec.name for spec in section.files)


@pytest.mark.parametrize("section", SECTIONS)
def test_a_section_comes_after_what_it_depends_on(section):
    order = [each.key for each in sections.ordered()]
    assert set(section.depends_on) <= set(order)
    assert [key for key in section.depends_on if order.index(key) > order.index(section.key)] \
        == []


def test_no_two_sections_share_a_file_or_a_sheet():
    names = [spec.name for spec in sections.files()]
    stems = [spec.stem for spec in sections.files()]
    assert len(set(names)) == len(names) and len(set(stems)) == len(stems)


def test_every_registered_part_has_contract_fixtures():
    assert registry.unclaimed(PENDING) == []


def test_the_pending_list_only_shrinks():
    """A part named as pending is neither covered by fixtures now nor gone from chibo."""
    every = stores()
    claimed = [part for part in PENDING if f"{part[0]}: {part[1]}" in registry.CLAIMS]
    gone = [part for part in PENDING if part[1] not in every[part[0]]]
    assert claimed == [] and gone == []


def test_fixtures_claim_only_registered_parts():
    every = stores()
    assert [claim for claim in registry.CLAIMS
            if claim.split(": ", 1)[1] not in every[claim.split(": ", 1)[0]]] == []


def test_a_part_registered_without_fixtures_is_named_with_where_to_declare_them():
    """A process that registers a bundle section and forgets its contract fixtures is told."""
    probe = sections.Section(key="visits", files=(), run=lambda context: {}, export={})
    sections.SECTIONS.add(probe.key, probe)
    try:
        missing = registry.unclaimed(PENDING)
    finally:
        sections.SECTIONS.remove(probe.key)
    assert len(missing) == 1
    assert missing[0].startswith("bundle.sections 'visits' is registered but has no contract "
                                 "fixtures: register DomainFixtures(..., sections=('visits',))")
    with pytest.raises(MissingFixtures, match="'meetings:nowhere' has no contract fixtures"):
        registry.route("meetings:nowhere")


def test_a_domain_a_route_or_a_part_declared_twice_is_refused():
    meetings = registry.DOMAINS["meetings"]
    with pytest.raises(AlreadyRegistered):
        registry.register(meetings)
    with pytest.raises(AlreadyRegistered, match="meetings:list"):
        registry.register(DomainFixtures("copy", meetings.build, routes=meetings.routes[:1]))
    twice = r"'bundle.sections: meetings' is registered twice \(by meetings\)"
    with pytest.raises(AlreadyRegistered, match=twice):
        registry.register(DomainFixtures("copy", meetings.build, sections=("meetings",)))
    assert "copy" not in registry.DOMAINS


def test_a_route_places_every_named_user_in_one_class():
    with pytest.raises(ValueError, match="every named user"):
        Route("x:list", "/x/", org="TQ", capability=Capability.VIEW_ORGS,
              allowed=("admin",), outside=("nobody",))
    everyone_else = ("province", "inspector", "commune", "other_commune", "viewer",
                     "secretary", "member", "nobody")
    with pytest.raises(ValueError, match="in scope without stats.view"):
        Route("x:list", "/x/", org="TQ", capability=Capability.VIEW_STATS,
              allowed=("admin",), outside=everyone_else)


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_declares_its_own_keys_and_known_capabilities(domain):
    assert set(domain.sum_keys) <= set(domain.metric_keys())
    assert [route.name for route in domain.routes
            if route.org and route.capability not in {*Capability, *CAPABILITIES}] == []
    assert bool(domain.queries) == bool(domain.groups)
