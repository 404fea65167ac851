"""The working calendar's contract fixtures: its page and API read one calendar for the whole
tree (no organization's scope decides them); tests/test_workdays.py checks who may correct it."""

from tests.contract.registry import DomainFixtures, register


def build(world, people) -> None:
    return None


register(DomainFixtures(key="calendar", build=build, pages=("calendar",), api=("calendar",)))
