"""The sample domain's metric group: visits in the period under a subtree, and the people met.

A visit falls in S when its organization lay in S's subtree as the tree was on its day (the
flow rule, `chibo.stats.flows.placed_in`). `sample.visitors` is a sum key (METRICS-v2 Σ): its
records are the same visits, and their `visitors` add up to the value. One statement per
subtree asked: a sample keeps it plain (a real process groups them, as the meetings do).
"""

from django.db.models import Count, QuerySet, Sum

from chibo.organizations.models import Organization
from chibo.stats.flows import placed_in
from chibo.stats.groups import Label, MetricGroup, Window
from tests.sample_domain.models import SampleVisit

VISITS, VISITORS = "sample.visits", "sample.visitors"


def visits_in(org: Organization, date_from, date_to) -> QuerySet:
    return SampleVisit.objects.filter(day__gte=date_from, day__lte=date_to).filter(
        placed_in(org, "organization", "day"))


def counts(window: Window, keys: set[str]) -> dict[int, dict[str, int]]:
    orgs = Organization.objects.in_bulk(window.targets)
    values = {}
    for target in window.targets:
        found = visits_in(orgs[target], window.date_from, window.date_to).aggregate(
            visits=Count("pk"), visitors=Sum("visitors"))
        values[target] = {key: value for key, value in (
            (VISITS, found["visits"]), (VISITORS, found["visitors"] or 0)) if key in keys}
    return values


def records(org: Organization, request, key: str) -> QuerySet:
    return visits_in(org, request.date_from, request.date_to).select_related(
        "organization").order_by("day", "pk")


def describe(row) -> dict | None:
    if not isinstance(row, SampleVisit):
        return None
    return {"type": "sample_visit", "code": row.organization.code, "name": row.note,
            "day": row.day.isoformat(), "visitors": row.visitors}


GROUP = MetricGroup(
    key="sample", label="Chuyến thăm",
    metrics=(Label(VISITS, "Chuyến thăm trong kỳ"), Label(VISITORS, "Người được gặp")),
    counts=counts, records=records, describe=describe, order=900)
