"""Key numbers for the officers' home page (chibo.core.registry.Figure) counted by the
statistics engine, so that the home page and the statistics page never disagree, and each
number links to the records behind it."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from chibo.accounts.policy import Capability
from chibo.core.registry import Figure, FigureValue
from chibo.stats import engine
from chibo.stats.forms import query_of


def this_year(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), today


def last_month(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def metric_figure(key: str, metric: str, label, *, window=this_year, order: int = 100,
                  urgent: bool = False) -> Figure:
    """A figure showing `metric` for the organization: as of today for a stock, over `window`
    (this year, last month) for a count over a period; linked to its records page."""

    def value(request, org) -> FigureValue | None:
        start, end = window(timezone.localdate())
        asked = engine.Request(end, start, end, (metric,))
        count = engine.compute(org, asked)[metric]
        url = reverse("stats:records", args=[org.code, metric]) + "?" + query_of(asked)
        note = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" if metric in engine.period_keys() else ""
        return FigureValue(count, url, note)

    return Figure(key, label, value, Capability.VIEW_STATS, order, urgent)
