"""The contract world: the named people's province with every domain's records on it."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from tests.conftest import World, build_people, build_world
from tests.contract import registry


@dataclass
class Built:
    world: World
    people: dict
    records: dict[str, Any]  # domain -> what its build returned


def build(domains) -> Built:
    world = build_world()
    people = build_people(world)
    return Built(world, people, {domain.key: domain.build(world, people) for domain in domains})


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """Every domain's records on one world, built once for a module of tests that only read.

    They stay in a transaction rolled back after the module's last test; each test runs in a
    savepoint inside it (its `db`), so nothing a test writes reaches the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build(registry.domains())
        transaction.set_rollback(True)
