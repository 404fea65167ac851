"""The dashboard of the organization page: the data of its charts, from the engine.

The organization page only carries an empty panel; the browser fetches this data as JSON
(chibo/static/chibo/stats.js draws it with Chart.js), so the page itself stays fast.
"""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from chibo.members.choices import ProfessionalLevel
from chibo.members.models import MemberPeriod
from chibo.stats import catalogue, engine, flows, stocks

AGE_KEYS = ["members.age.upto_30", "members.age.31_40", "members.age.41_50",
            "members.age.51_60", "members.age.over_60"]
AGE_LABELS = ["≤ 30", "31–40", "41–50", "51–60", "≥ 61"]
EDUCATION_KEYS = [f"members.professional.{level}" for level in ProfessionalLevel.values]
STATUS_KEYS = ["members.official", "members.probationary"]
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

    One grouped query over the ten years' admission facts, by year, read with the flow rules
    as the per-child table reads them (`flows.count_rows`)."""
    from chibo.stats.forms import query_of

    ends = year_ends(as_of)
    rows_of: dict[int, list] = {}
    for row in flows.grouped_rows([org], date(ends[0].year, 1, 1), as_of, keys=["admitted"],
                                  by_year=True):
        rows_of.setdefault(row["year"], []).append(row)
    values = [flows.count_rows(rows_of.get(end.year, []), [org.pk], ["admitted"])[org.pk][
        "admitted"] for end in ends]
    records = reverse("stats:records", args=[org.code, "admitted"])
    urls = [f"{records}?{query_of(_request(end, ['admitted'], date(end.year, 1, 1), end))}"
            for end in ends]
    return {"labels": [str(end.year) for end in ends], "values": values, "urls": urls}


def status_counts(org, days: list[date]) -> list[dict[str, int]]:
    """`STATUS_KEYS` on each of `days` (the subtree as it was that day), as the engine counts
    them, in one statement: the member periods under any of the subtree's paths of those days,
    counted by path with one conditional count per day and key; a period counts on a day when
    its path (its cell's then) lies under the subtree's path of that day."""
    scopes = stocks.scopes_of(org, days)
    paths = {scope.path for scope in scopes if scope.path is not None}
    counts = {f"n{i}_{j}": Count("member", filter=Q(valid_from__lte=day, valid_to__gt=day) & test)
              for i, day in enumerate(days)
              for j, test in enumerate(stocks.member_conditions(day)[k] for k in STATUS_KEYS)}
    by_path = MemberPeriod.objects.filter(stocks.path_ranges(paths), valid_from__lte=max(days),
                                          valid_to__gt=min(days)).values("path").annotate(
        **counts).order_by()
    points = [dict.fromkeys(STATUS_KEYS, 0) for _ in days]
    for row in by_path:
        for i, point in enumerate(points):
            if scopes[i].path is not None and row["path"].startswith(scopes[i].path):
                for j, key in enumerate(STATUS_KEYS):
                    point[key] += row[f"n{i}_{j}"]
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


def organization_page(request, org, period, day: date, nodes) -> dict:
    """The organization page's dashboard panel (empty; filled by the browser), for those who
    may read statistics of this organization."""
    from chibo.accounts.policy import Capability, can
    from chibo.stats.forms import query_of

    if period is None or not can(request.user, Capability.VIEW_STATS, org):
        return {}
    query = query_of(engine.Request.parse(day, metrics="members.total"))
    return {"stats_dashboard": {
        "data_url": reverse("stats:dashboard", args=[org.code]) + "?" + query,
        "stats_url": reverse("stats:page", args=[org.code]) + "?" + query,
    }}
