"""Metric groups: what a process adds to the statistics, registered in its app's `ready()`.

A group declares its keys with their labels (in the order the statistics page, the per-child
table and the catalogue list them), the function that counts them for several subtrees at once
(one SQL statement per kind of record it reads, as the base group does), the records behind one
key, and how one record reads as plain data. The engine (chibo.stats.engine) computes the base
group itself — member periods, organizations, villages, village cells and flow facts, the
records of the records core — and asks every registered group for the rest; the catalogue,
the pages, the API and the reports iterate the registry and name no process.

The base group stays in chibo.stats rather than moving next to the members: its keys share one
read of the member periods (the village cells' sizes come from the member counts), and the
statistics are the one package that may read across the organizations and the members.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from chibo.core.registry import Store, add, declare


@dataclass(frozen=True)
class Window:
    """What a group counts for: the subtrees of `targets` (organization ids), reading the
    records under `orgs` (the targets, or their parent whose subtree holds them all), as of
    `as_of` (stock keys) and over `date_from`–`date_to` (period keys)."""

    orgs: tuple[int, ...]
    targets: tuple[int, ...]
    as_of: date
    date_from: date
    date_to: date


@dataclass(frozen=True)
class Label:
    """One key as people read it: its label and the key it is a share of."""

    key: str
    label: Any
    of: str | None = None


@dataclass(frozen=True)
class MetricGroup:
    key: str  # the catalogue group, e.g. "meetings"
    label: Any  # the heading on the statistics page and in the catalogue
    metrics: tuple[Label, ...]
    # counts(window, keys) -> {target id: {key: value}} for the asked keys of this group
    counts: Callable[[Window, set[str]], dict[int, dict[str, int]]]
    # records(org, request, key) -> the rows behind one key, as many as its value
    records: Callable[[Any, Any, str], QuerySet]
    # describe(row) -> the row as plain data with a "type" (None: not this group's row)
    describe: Callable[[Any], dict | None]
    flow: bool = True  # counted over the period (False: as of a day)
    order: int = 100  # place among the groups; the base groups take 10–80
    # the template of the records page's rows ("head" and "row" parts), and what it adds to a
    # described record for the page (labels of its choices)
    records_template: str = ""
    present: Callable[[dict], None] | None = None
    # who may read the records behind the keys, on top of the statistics' own capability
    # (None: whoever reads the statistics); the counts stay under the statistics' capability
    records_capability: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(label.key for label in self.metrics)


GROUPS: Store[MetricGroup] = declare("stats.groups")


def register_group(group: MetricGroup) -> MetricGroup:
    return add(GROUPS, group)


def ordered() -> list[MetricGroup]:
    return GROUPS.ordered()


def require_records(user, org, key: str) -> None:
    """Refuse (403) the records behind `key` of `org` to a user without its group's
    `records_capability` there (the inspection cases behind the inspection keys)."""
    from chibo.accounts.policy import require

    group = group_of(key)
    if group is not None and group.records_capability is not None:
        require(user, group.records_capability, org)


def group_of(key: str) -> MetricGroup | None:
    """The registered group that counts `key` (None: a base key)."""
    return next((g for g in GROUPS.values() if key in g.keys), None)
