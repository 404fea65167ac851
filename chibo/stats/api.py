"""Statistics API (spec/METRICS.md): values of a subtree, per child, and the records behind one."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from chibo.accounts.policy import Capability
from chibo.core.validation import (
    api_code,
    api_limit,
    api_offset,
    api_query_text,
    validate_plausible_date,
)
from chibo.organizations.models import Organization
from chibo.stats import engine, groups

router = Router(tags=["statistics"])

OrgCode = api_code(64)
Metrics = api_query_text(2000)


def _org(request, code: str) -> Organization:
    return get_object_or_404(
        Organization.objects.visible_to(request.user, Capability.VIEW_STATS), code=code)


def _request(request, metrics: str | None) -> engine.Request:
    """The statistics request of the query string; a bad date or an unknown key is a 400."""
    try:
        return engine.Request.parse(_day(request, "as_of"), _day(request, "from"),
                                    _day(request, "to"), metrics, today=timezone.localdate())
    except engine.UnknownMetric as error:
        raise _unknown(error) from error


def _unknown(error: engine.UnknownMetric) -> HttpError:
    return HttpError(400, f"unknown metric: {error}")


@router.get("", response=dict, url_name="stats")
def stats(request, org: OrgCode, metrics: Metrics | None = None):
    """Every metric (or `metrics=k1,k2`) of `org`'s subtree as of `as_of`; `from` and `to`
    (YYYY-MM-DD) bound the flow metrics."""
    organization = _org(request, org)
    query = _request(request, metrics)
    return engine.payload(organization, query, engine.compute(organization, query))


def _day(request, name: str) -> date | None:
    """Dates are read from the query string (`from` is a Python keyword) as YYYY-MM-DD."""
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
        validate_plausible_date(day)
    except (ValueError, ValidationError) as error:
        raise HttpError(400, f"bad date for {name}: {raw}") from error
    return day


@router.get("/children", response=dict)
def children(request, org: OrgCode, metrics: Metrics | None = None):
    """The same numbers for each direct child of `org` on `as_of`."""
    organization = _org(request, org)
    query = _request(request, metrics)
    children = engine.compute_children(organization, query)
    if children is None:
        raise Http404
    rows = [{"org": period.organization.code, "name": period.name, "values": values}
            for period, values in children]
    return {"rows": rows}


@router.get("/records", response=dict)
def records(request, metric: api_code(200), org: OrgCode, offset: api_offset() = 0,
            limit: api_limit(1000) = 100):
    """The records behind one number, paginated; `count` equals the metric's value."""
    organization = _org(request, org)
    query = _request(request, metric)
    groups.require_records(request.user, organization, metric)
    try:
        rows = engine.records(organization, query, metric)
    except engine.UnknownMetric as error:
        raise _unknown(error) from error
    count = rows.count()
    items = [engine.describe(row) for row in rows[offset:offset + limit]]
    following = None
    if offset + limit < count:
        params = request.GET.copy()
        params["offset"] = str(offset + limit)
        following = f"{request.path}?{params.urlencode()}"
    return {"count": count, "items": items, "next": following}
