"""Statistics pages: an organization's figures, the records behind one number, reports and their
downloads, and the dashboard's data. Every number comes from the engine (chibo.stats.engine);
these views only read the inputs, check the scope and present.

Scope: an organization outside the user's statistics scope answers 404, as everywhere in chibo.
Bad input (a bad date, an unknown key, a period that ends before it starts) answers 400 with the
message in Vietnamese: on the page for pages, as plain text for downloads.
"""

from datetime import date

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from chibo.accounts.policy import Capability, can
from chibo.core import registry
from chibo.organizations.models import Organization, OrgPeriod
from chibo.organizations.queries import breadcrumb
from chibo.stats import catalogue, dashboard, engine, groups, reports
from chibo.stats.forms import StatsForm, query_of

PAGE_SIZE = 50
DEFAULT_CHILD_GROUP = "members"


def stats_org(request, code: str) -> Organization:
    """The organization if the user may read its statistics; 404 otherwise."""
    return get_object_or_404(
        Organization.objects.visible_to(request.user, Capability.VIEW_STATS), code=code)


def _period(org, day):
    return OrgPeriod.objects.as_of(day).filter(organization=org).first()


def _bad_page(request, org, form, message: str = ""):
    return render(request, "stats/bad_request.html",
                  {"org": org, "form": form, "message": message}, status=400)


def _cells(values: dict[str, int], metrics) -> list[tuple]:
    """(metric, value, whole) for each metric: whole is its denominator's value, or None when
    the number is not meant as a share."""
    return [(m, values[m.key], values[m.of] if m.of else None) for m in metrics]


def _values_table(values: dict[str, int]) -> list[tuple]:
    """(group, cells) in catalogue order."""
    return [(group, _cells(values, metrics)) for group, metrics in catalogue.grouped()]


def _group(request) -> catalogue.Group | None:
    """The group of metrics of the per-child table (`group=`), None for an unknown one."""
    wanted = request.GET.get("group", DEFAULT_CHILD_GROUP)
    return next((g for g in catalogue.groups() if g.key == wanted), None)


def _bad_group(request, org, form):
    return _bad_page(request, org, form, _("Không có nhóm chỉ tiêu “%(group)s”.") % {
        "group": request.GET.get("group")})


def page(request, code: str):
    """The figures of a subtree as of a day and over a period, every number a link to its
    records; the per-child table of one group of metrics loads after the page (`children`)."""
    org = stats_org(request, code)
    form = StatsForm(request.GET)
    if not form.is_valid():
        return _bad_page(request, org, form)
    child_group = _group(request)
    if child_group is None:
        return _bad_group(request, org, form)
    query = form.stats_request()
    values = engine.compute(org, query)
    period = _period(org, query.as_of)
    templates, template_errors = _templates()
    context = {
        "org": org, "period": period, "form": form, "asked": query, "query": query_of(query),
        "table": _values_table(values), "groups": catalogue.groups(), "child_group": child_group,
        "crumbs": breadcrumb(request.user, period, query.as_of) if period else [],
        "templates": templates, "template_errors": template_errors,
    }
    return render(request, "stats/page.html", context)


def children(request, code: str):
    """The per-child table (an htmx fragment of the statistics page): one group's metrics and
    their shares for each direct child on `as_of`; a child's name opens its own statistics."""
    org = stats_org(request, code)
    form = StatsForm(request.GET)
    if not form.is_valid():
        return _bad_page(request, org, form)
    group = _group(request)
    if group is None:
        return _bad_group(request, org, form)
    query = form.stats_request()
    metrics = next(ms for g, ms in catalogue.grouped() if g.key == group.key)
    keys = catalogue.with_denominators([m.key for m in metrics])
    found = engine.compute_children(org, reports.narrowed(query, keys)) or []
    return render(request, "stats/_children.html", {
        "org": org, "groups": catalogue.groups(), "child_group": group, "child_metrics": metrics,
        "query": query_of(query),
        "child_rows": [(period, _cells(values, metrics)) for period, values in found],
    })


def _templates():
    """The report templates, and the error of a province's template that cannot be read."""
    try:
        return list(reports.load_templates().values()), ""
    except reports.TemplateError as error:
        return [], str(error)


def records(request, code: str, key: str):
    """The records behind one number, PAGE_SIZE a page; the count is the number."""
    org = stats_org(request, code)
    form = StatsForm(request.GET)
    if not form.is_valid():
        return _bad_page(request, org, form)
    if key not in catalogue.METRICS:
        return _bad_page(request, org, form, _("Không có chỉ tiêu “%(key)s”.") % {"key": key})
    query = form.stats_request(key)
    groups.require_records(request.user, org, key)
    rows = engine.records(org, query, key)
    count = rows.count()
    page_no = _page_number(request, count)
    if page_no is None:
        return _bad_page(request, org, form, _("Số trang không hợp lệ."))
    start = (page_no - 1) * PAGE_SIZE
    items = [engine.describe(row) for row in rows[start:start + PAGE_SIZE]]
    group = groups.group_of(key)
    context = {
        "org": org, "period": _period(org, query.as_of), "metric": catalogue.metric(key),
        "asked": query, "query": query_of(query), "count": count, "items": _present(
            request.user, items, group), "page_no": page_no, "start": start,
        "rows_template": group.records_template if group and group.records_template
        else "stats/_record_rows.html",
        "has_next": start + PAGE_SIZE < count, "pages": max(1, -(-count // PAGE_SIZE)),
    }
    return render(request, "stats/records.html", context)


def _page_number(request, count: int) -> int | None:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return None
    last = max(1, -(-count // PAGE_SIZE))
    return number if 1 <= number <= last else None


def _present(user, items: list[dict], group) -> list[dict]:
    """The records with their cell's name, and a link to the member's file only for those who
    may read member files there (a viewer reads statistics, not member files)."""
    codes = {item.get("org") for item in items if item.get("org")}
    orgs = {o.code: o for o in Organization.objects.filter(code__in=codes).only(
        "code", "name", "path")}
    for item in items:
        cell = orgs.get(item.get("org"))
        item["cell"] = cell
        item["can_open"] = "member_code" in item and (
            cell is not None and can(user, Capability.VIEW_MEMBERS, cell))
        if item["type"] == "event":
            item["event_label"] = catalogue.event_label(item["event"])
        if "day" in item:
            item["date"] = date.fromisoformat(item["day"])
        if group is not None and group.present is not None:
            group.present(item)
    return items


def report_page(request, code: str, name: str):
    """A report on screen, as it will print, every number a link to its records."""
    org = stats_org(request, code)
    template = _template_or_404(name)
    form = StatsForm(request.GET)
    if not form.is_valid():
        return _bad_page(request, org, form)
    report = reports.build(org, template, form.stats_request(), request.GET.get("place") or None)
    return render(request, "stats/report.html", {
        "org": org, "report": report, "form": form, "query": query_of(report.request),
        "left": reports.header_left(report), "party": reports.PARTY, "columns": reports.COLUMNS,
    })


def _template_or_404(name: str) -> reports.ReportTemplate:
    try:
        template = reports.get_template(name)
    except reports.TemplateError as error:
        raise Http404(str(error)) from error
    if template is None:
        raise Http404(name)
    return template


def download(request, code: str, name: str, kind: str):
    """The report as an Excel or Word file; bad input is a 400 whose text says what is wrong."""
    org = stats_org(request, code)
    if kind not in ("xlsx", "docx"):
        raise Http404(kind)
    template = _template_or_404(name)
    form = StatsForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.error_text(), content_type="text/plain; charset=utf-8")
    report = reports.build(org, template, form.stats_request(), request.GET.get("place") or None)
    content, content_type = reports.render(report, kind)
    disposition = content_disposition_header(True, reports.filename(report, kind))
    return HttpResponse(content, content_type=content_type,
                        headers={"Content-Disposition": disposition})


def dashboard_data(request, code: str, key: str = ""):
    """The organization dashboard's chart data (JSON), fetched by the page after it loads: the
    built-in charts, or the one chart a process registered under `key`."""
    org = stats_org(request, code)
    chart = None
    if key:
        chart = registry.DASHBOARD_CHARTS.get(key)
        if chart is None:
            raise Http404(key)
    form = StatsForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.error_text()}, status=400)
    query = form.stats_request("members.total")
    if chart is not None:
        return JsonResponse(dashboard.registered_chart(chart, org, query.as_of,
                                                       query_of(query)))
    return JsonResponse(dashboard.chart_data(org, query.as_of, query_of(query)))

