"""Finding rules: the process rules of the regulations that a record may break and still be kept.

A record that breaks such a rule (a deadline, an age, a waiting time) is real history: it is
stored, and the rule reports it as a **record finding** with a stable key (ARCHITECTURE.md rule
9). Each process registers its rules in its AppConfig.ready() (`register_rule`); `chibo check`,
the listing (chibo.findings.queries) and the exceptions.csv file of the bundle find them here and
name no process.

A rule knows the bundle file its records live in (`file`: a finding points at one record of it,
by its code or its key columns joined by `|`), the capability that manages those records (who may
record an exception to it), and how to find its breaches in an organization's subtree.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from chibo.core.registry import Store, declare


@dataclass(frozen=True)
class RecordFinding:
    """One record that breaks a rule: where it is, who or what it is about, and why."""

    key: str  # the rule's key, e.g. "members.probation"
    file: str  # the bundle file of the record, e.g. "members.csv"
    record: str  # its code, or its key columns joined by "|"
    org_code: str  # the organization the record lies in
    org_name: str
    subject: str  # shown to people: "M00012 Nguyễn Văn An"
    detail: str  # what this record does against the rule, with its dates
    rule: str  # the rule's words
    source: str  # the regulation the words come from
    day: date  # the day the finding arose (the day of the record that breaks the rule)

    @property
    def identity(self) -> tuple[str, str, str, date]:
        """What makes two findings the same one: the rule, the record and the day."""
        return self.key, self.file, self.record, self.day


@dataclass(frozen=True)
class FindingRule:
    key: str
    label: Any  # short, for lists (Vietnamese first, lazily translated)
    rule: str  # the rule's words
    source: str  # the regulation, with its number and date
    file: str  # the bundle file whose records the rule judges
    capability: str  # who manages those records: who may record an exception
    # (organization, today) -> the record findings of the organization's subtree that arose on
    # or before today
    find: Callable[[Any, date], list[RecordFinding]]
    order: int = 100
    # who may read the findings (None: whoever reads the subtree's statistics); the discipline
    # findings are confidential as the cases are (inspection.view)
    view_capability: str | None = None

    def readable(self, user, organization) -> bool:
        from chibo.accounts.policy import can

        return self.view_capability is None or can(user, self.view_capability, organization)


RULES: Store[FindingRule] = declare("findings.rules")


def register_rules(*, keys, labels, words, source: str, file: str, capability: str,
                   find: Callable[[Any, date, tuple[str, ...]], list[RecordFinding]],
                   first_order: int, view_capability: str | None = None) -> None:
    """The rules of a process whose finder judges a subtree for some of its keys
    (`find(org, today, keys)`): one rule a key, ordered as `keys` from `first_order`."""
    for n, key in enumerate(keys):
        register_rule(FindingRule(
            key=key, label=labels[key], rule=words[key], source=source, file=file,
            capability=capability, order=first_order + n, view_capability=view_capability,
            find=lambda org, today, key=key: find(org, today, (key,))))


def register_rule(rule: FindingRule) -> FindingRule:
    """Add a process's finding rule; a key registered twice is an error at start-up."""
    return RULES.add(rule.key, rule)
