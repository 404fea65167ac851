"""The numbers of the officers' home page: the figures every domain registered
(chibo.core.registry.HOME_FIGURES) and the open findings of every registered rule
(chibo.core.compliance.CHECKS for last month, chibo.findings.rules.RULES), for one organization.

Counting a province's findings reads its whole subtree (about a second), so each value is
cached under the audit trail's high-water mark: any recorded change makes a new key, and a
figure is never older than the last change it could depend on."""

from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from chibo.accounts.policy import Capability, can
from chibo.audit.queries import cached_until_change
from chibo.core.compliance import CHECKS, Period, run_checks
from chibo.core.registry import HOME_FIGURES, Figure, FigureValue
from chibo.findings.queries import record_findings
from chibo.findings.rules import RULES
from chibo.stats.figures import last_month


@dataclass(frozen=True)
class Shown:
    key: str
    label: Any
    value: Any
    url: str
    note: str
    urgent: bool

    @property
    def display(self) -> str:
        """A count with the locale's grouping (1.733), a text (a date) as it is."""
        if isinstance(self.value, int):
            return number_format(self.value, force_grouping=True)
        return self.value


def home_figures(request, org) -> tuple[list[Shown], list[Shown]]:
    """(what needs the user now, the key numbers) for `org`: the urgent ones only when not
    zero, each in its declared order; only the figures the user may read there."""
    urgent, numbers = [], []
    for figure in (*HOME_FIGURES.ordered(), *findings_figures()):
        if figure.capability and not can(request.user, figure.capability, org):
            continue
        shown = _shown(request, figure, org)
        if shown is None or (figure.urgent and not shown.value):
            continue
        (urgent if figure.urgent else numbers).append(shown)
    return urgent, numbers


def _shown(request, figure: Figure, org) -> Shown | None:
    def compute() -> tuple | None:
        value = figure.value(request, org)
        if value is None:
            return None
        shown = value.value if isinstance(value.value, int) else str(value.value)
        return shown, value.url, str(value.note)  # plain values: they are cached

    cached = cached_until_change(f"figure:{figure.key}:{org.pk}", compute)
    if cached is None:
        return None
    value, url, note = cached
    return Shown(figure.key, figure.label, value, url, note, figure.urgent)


def findings_figures() -> list[Figure]:
    """One urgent figure per compliance check (last month) and per finding rule (open
    findings whatever the day they arose), as `chibo check` counts them."""
    return [*(Figure(f"check.{key}", check.label, _check_value(key), Capability.VIEW_STATS,
                     order=50, urgent=True) for key, check in sorted(CHECKS.items())),
            *(Figure(f"rule.{key}", rule.label, _rule_value(key),
                     rule.view_capability or Capability.VIEW_STATS, order=60, urgent=True)
              for key, rule in sorted(RULES.items()))]


def _check_value(key: str):
    def value(request, org) -> FigureValue:
        start, _end = last_month(timezone.localdate())
        findings = run_checks(org, Period(start.year, start.month, timezone.localdate()), [key])
        return FigureValue(len(findings), _findings_url(org, key, start.year, start.month),
                           _("tháng %(month)s") % {"month": f"{start:%m/%Y}"})
    return value


def _rule_value(key: str):
    def value(request, org) -> FigureValue:
        counts = _open_by_rule(org)
        return FigureValue(counts.get(key, 0), _findings_url(org, key, tab="records"),
                           _("chưa có ngoại lệ, mọi năm"))
    return value


def _open_by_rule(org) -> Counter:
    """Open record findings by rule in `org`'s subtree: one pass over every rule, cached like
    a figure (the rules' figures all read it)."""
    return cached_until_change(f"open-findings:{org.pk}", lambda: Counter(
        item.finding.key for item in record_findings(org, timezone.localdate())
        if not item.excepted))


def _findings_url(org, rule: str, year: int | None = None, month: int | None = None,
                  tab: str = "") -> str:
    """The findings page of `rule`: a check's in one month; a finding rule's every year."""
    query = {"tab": tab, "rule": rule, "year": year or "", "month": month}
    query = {name: value for name, value in query.items() if value or name == "year"}
    return reverse("meetings:findings", args=[org.code]) + "?" + urlencode(query)
