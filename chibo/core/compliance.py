"""Compliance checks (`chibo check`): named rule checks that list what needs attention.

Each app registers its checks in its AppConfig.ready() (`register_check`); a check is a function
of an organization (its subtree is checked) and a period, returning `Finding`s. The command, the
pages and tests all run checks through `run_checks`, so a new rule only has to register itself.
A check may also register how its findings' subjects read to people (`subjects`: the name of
the cell, meeting or member a subject's code stands for, and its page), which the findings page
shows instead of the code.
"""

import calendar
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone

from chibo.core.registry import Store, declare


@dataclass(frozen=True)
class Period:
    """A calendar year, or one month of it; `today` bounds the months already over."""

    year: int
    month: int | None = None
    today: date = field(default_factory=lambda: timezone.localdate())

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def last_day(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def label(self) -> str:
        return f"{self.month:02d}/{self.year}" if self.month else str(self.year)


@dataclass(frozen=True)
class Finding:
    check: str
    org_code: str
    org_name: str
    period: str  # e.g. "03/2026", "Q1/2026", "2026", or the meeting day
    subject: str  # what the finding is about: a cell, a meeting, a member
    detail: str
    source: str  # the regulation

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Subject:
    """How a finding's subject reads to people: a name, and the page that shows it."""

    label: str
    url: str = ""


# The subjects of some findings of one check -> {finding.subject: Subject} (few queries).
Describe = Callable[[list[Finding]], dict[str, Subject]]


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    run: Callable[..., list[Finding]]
    subjects: Describe | None = None


CHECKS: Store[Check] = declare("compliance.checks")


def register_check(key: str, label, run: Callable[..., list[Finding]],
                   subjects: Describe | None = None) -> None:
    """Add a check; a key registered twice is an error at start-up."""
    CHECKS.add(key, Check(key, label, run, subjects))


def subjects_of(findings: list[Finding]) -> dict[tuple[str, str], Subject]:
    """How the subjects of `findings` read, by (check, subject); a subject its check does not
    describe reads as itself."""
    by_check: dict[str, list[Finding]] = {}
    for finding in findings:
        by_check.setdefault(finding.check, []).append(finding)
    out = {}
    for key, found in by_check.items():
        check = CHECKS.get(key)
        described = check.subjects(found) if check is not None and check.subjects else {}
        for finding in found:
            out[key, finding.subject] = described.get(finding.subject) or Subject(
                finding.subject)
    return out


def run_checks(org, period: Period, keys: list[str] | None = None) -> list[Finding]:
    """Findings of the chosen checks (all when `keys` is None) over `org`'s subtree."""
    unknown = set(keys or ()) - set(CHECKS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    findings: list[Finding] = []
    for key in keys or sorted(CHECKS.keys()):
        findings.extend(CHECKS[key].run(org, period))
    return findings
