"""The list pattern's contract fixtures. Its pages (`urls: lists`) are a background export's:
they belong to the person who asked for the export, not to an organization's scope, so the
route contract (allowed, denied, outside by the grants) cannot express them; tests/test_lists.py
checks them (the owner and an administrator get them, anyone else a 404, nobody signed out).
The lists themselves are their apps' routes (meetings:list, meetings:findings, …)."""

from tests.contract.registry import DomainFixtures, register


def build(world, people) -> None:
    return None


register(DomainFixtures(key="lists", build=build, pages=("lists",)))
