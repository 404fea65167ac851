"""The dashboard of the organization page: the data of its charts, from the engine.

The organization page only carries an empty panel; the browser fetches this data as JSON
(chibo/static/chibo/stats.js draws it with Chart.js), so the page itself stays fast.
"""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from chibo.core import registry
from chibo.core.db import plain_rows
from chibo.core.querysets import path_scope_q
from chibo.members.choices import ProfessionalLevel
from chibo.members.models import MemberPeriod
from chibo.stats import catalogue, engine, flows, stocks

AGE_KEYS = ["members.age.upto_30", "members.age.31_40", "members.age.41_50",
            "members.age.51_60", "members.age.over_60"]
AGE_LABELS = ["≤ 30", "31–40", "41–50", "51–60", "≥ 61"]
EDUCATION_KEYS = [f"members.professional.{level}" for level in ProfessionalLevel.values]
# The engine counts these keys by the period's status (stocks.member_conditions).
STATUSES = {"members.official": "official", "members.probationary": "probationary"}
STATUS_KEYS = list(STATUSES)
YEARS = 10


def _request(as_of: date, keys, date_from: date | None = None,
             date_to: date | None = None) -> engine.Request:
    return engine.Request.parse(as_of, date_from, date_to, ",".join(keys))


def _bars(values: dict[str, int], keys, labels) -> dict:
    return {"labels": [str(label) for label in labels], "values": [values[k] for k in keys],
            "keys": keys}


def year_ends(as_of: date, years: int = YEARS) -> list[date]:
    """31 December of the years before `as_of`'s, then `as_of` itself: the points of a
    ten-year series."""
    return [date(year, 12, 31) for year in range(as_of.year - years + 1, as_of.year)] + [as_of]


def admissions_by_year(org, as_of: date) -> dict:
    """Admissions in each of the ten years up to `as_of` (the last year until `as_of`), each
    with the link to the list of that year's admissions.

    One grouped query over the ten years' admission facts, by year and by what the flow rules
    ask of a fact, read with the rules as the engine reads one year (`flows.counts_by_year`)."""
    from chibo.stats.forms import query_of

    ends = year_ends(as_of)
    by_year = flows.counts_by_year(org, date(ends[0].year, 1, 1), as_of, ["admitted"])
    values = [by_year.get(end.year, {}).get("admitted", 0) for end in ends]
    records = reverse("stats:records", args=[org.code, "admitted"])
    urls = [f"{records}?{query_of(_request(end, ['admitted'], date(end.year, 1, 1), end))}"
            for end in ends]
    return {"labels": [str(end.year) for end in ends], "values": values, "urls": urls}


def status_counts(org, days: list[date]) -> list[dict[str, int]]:
    """`STATUS_KEYS` on each of `days` (the subtree as it was that day), as the engine counts
    them, in one statement: the member periods under any of the subtree's paths of those days,
    grouped by path and status with one conditional count per day; a period counts on a day
    when its path (its cell's then) lies under the subtree's path of that day."""
    scopes = stocks.scopes_of(org, days)
    paths = {scope.path for scope in scopes if scope.path is not None}
    counts = {f"n{i}": Count("member", filter=Q(valid_from__lte=day, valid_to__gt=day))
              for i, day in enumerate(days)}
    rows = MemberPeriod.objects.filter(
        path_scope_q(list(paths), "path"), valid_from__lte=max(days), valid_to__gt=min(days),
        status__in=STATUSES.values()).values("path", "status").annotate(**counts).values_list(
        "path", "status", *counts).order_by()
    key_of = {status: key for key, status in STATUSES.items()}
    points = [dict.fromkeys(STATUS_KEYS, 0) for _ in days]
    for path, status, *on_day in plain_rows(rows):
        for scope, point, n in zip(scopes, points, on_day, strict=True):
            if scope.path is not None and path.startswith(scope.path):
                point[key_of[status]] += n
    return points


def status_over_time(org, as_of: date) -> dict:
    """Official and probationary members at each year's end (and on `as_of`)."""
    ends = year_ends(as_of)
    points = status_counts(org, ends)
    return {"labels": [str(end.year) for end in ends[:-1]] + [as_of.strftime("%d/%m/%Y")],
            "series": [{"key": k, "label": catalogue.label(k), "values": [p[k] for p in points]}
                       for k in STATUS_KEYS]}


def chart_data(org, as_of: date, query: str) -> dict:
    """Everything the dashboard draws; `query` (as_of/from/to) goes on the links to records."""
    values = engine.compute(org, _request(as_of, AGE_KEYS + EDUCATION_KEYS))  # one statement
    return {
        "as_of": as_of.isoformat(),
        "age": _bars(values, AGE_KEYS, AGE_LABELS),
        "education": _bars(values, EDUCATION_KEYS, ProfessionalLevel.labels),
        "admissions": admissions_by_year(org, as_of),
        "status": status_over_time(org, as_of),
        "stats_url": reverse("stats:page", args=[org.code]) + "?" + query,
        # the link behind a bar: KEY is replaced by the bar's metric key
        "records_url": reverse("stats:records", args=[org.code, "KEY"]) + "?" + query,
    }


def registered_chart(chart, org, as_of: date, query: str) -> dict:
    """A chart a process registered (chibo.core.registry.DashboardChart), with how to draw it."""
    return {"as_of": as_of.isoformat(), "kind": chart.kind, "percent": chart.percent,
            **chart.data(org, as_of, query)}


def organization_page(request, org, period, day: date, nodes) -> dict:
    """The organization page's dashboard panel (empty; filled by the browser), for those who
    may read statistics of this organization."""
    from chibo.accounts.policy import Capability, can
    from chibo.stats.forms import query_of

    if period is None or not can(request.user, Capability.VIEW_STATS, org):
        return {}
    query = query_of(engine.Request.parse(day, metrics="members.total"))
    charts = [{"key": chart.key, "title": chart.title,
               "url": reverse("stats:dashboard_chart", args=[org.code, chart.key]) + "?" + query}
              for chart in sorted(registry.DASHBOARD_CHARTS.values(), key=lambda c: c.order)]
    return {"stats_dashboard": {
        "data_url": reverse("stats:dashboard", args=[org.code]) + "?" + query,
        "stats_url": reverse("stats:page", args=[org.code]) + "?" + query,
        "charts": charts,
    }}
