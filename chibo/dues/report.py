"""The yearly dues report "Báo cáo thu, nộp đảng phí" (Excel) of a subtree and a year: the
members who paid, the amount collected and the members three months behind (the statistics
engine's `dues.*` keys over 1 January – 31 December, to today for the current year), then the
shares kept and sent upward (configuration, chibo.dues.rules.Shares; RULES.md §6).

**The shares.** Each payment is collected at the member's cell that month (its placement,
chibo.dues.metrics). A cell under a grassroots committee keeps its share (`cell`) and sends the
rest to its grassroots organization; the grassroots organization keeps its share of what it
receives (`commune` for a commune, ward or town, `grassroots` for the others; a grassroots cell
collects itself) and sends the rest up; each level above keeps its share (`above`) of what it
receives, as far as the province. The report's lines are the totals of the subtree: collected,
kept at the cells, kept at the grassroots organizations, kept at each level above, sent above
the subtree's top. A level without a configured share keeps everything.

A report template of chibo.stats.reports (the same JSON format and Excel layout), shipped
beside this module; a province replaces it with a file of the same name in
`$CHIBO_DATA_DIR/report_templates/`. Who may read it: `dues.view` on the organization.
"""

from collections import defaultdict
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from chibo.core.fields import path_ids
from chibo.dues import metrics, rules
from chibo.dues.config import load_shares
from chibo.organizations.models import Organization
from chibo.stats import engine, reports
from chibo.stats.reports import BadYear, parse_year  # noqa: F401 -- the report's own names
from chibo.stats.reports import year_period as period

NAME = "bao-cao-dang-phi"
BUILT_IN = Path(__file__).resolve().parent / "report_templates" / f"{NAME}.json"
GRASSROOTS = ("grassroots_committee", "grassroots_cell")
COMMUNE_SECTORS = ("commune", "ward", "town")


def template() -> reports.ReportTemplate:
    own = reports.get_template(NAME)
    return own if own is not None else reports.parse_template(BUILT_IN)


def collected_by_cell(org, date_from: date, date_to: date) -> dict[str, int]:
    """The amounts collected in `org`'s subtree over the period, by the cell path they were
    placed at (the statistics' placement)."""
    found: dict[str, int] = defaultdict(int)
    paths = metrics.org_paths([org.pk])
    years = metrics._years(metrics.whole_months(date_from, date_to))
    for year, months in years.items():
        for path, _member, _count, total in metrics._rows(*metrics._paid_from(paths, year,
                                                                                months)):
            found[path] += total
    return found


def _chain(ids: list[int], orgs: dict) -> list[tuple[int, str]]:
    """(index on the path, share level) of the levels a cell's dues pass through, bottom up."""
    grassroots = next((i for i in range(len(ids) - 1, -1, -1)
                       if orgs[ids[i]][0] in GRASSROOTS), None)
    if grassroots is None:
        return [(i, "above") for i in range(len(ids) - 1, -1, -1)]
    chain = [(len(ids) - 1, "cell")] if grassroots < len(ids) - 1 else []
    level = "commune" if orgs[ids[grassroots]][1] in COMMUNE_SECTORS else "grassroots"
    chain.append((grassroots, level))
    return chain + [(i, "above") for i in range(grassroots - 1, -1, -1)]


TOTAL_OF = {"cell": "cells", "commune": "grassroots", "grassroots": "grassroots",
            "above": "above"}


def shares(org, date_from: date, date_to: date) -> dict[str, int]:
    """collected, kept at the cells, at the grassroots organizations, at the levels above them
    (inside the subtree), sent above the subtree's organization."""
    config = load_shares()
    orgs = {pk: (kind, sector) for pk, kind, sector in Organization.objects.values_list(
        "pk", "kind", "sector")}
    totals = defaultdict(int)
    for path, amount in collected_by_cell(org, date_from, date_to).items():
        ids = path_ids(path)
        top = ids.index(org.pk) if org.pk in ids else 0
        totals["collected"] += amount
        left = amount
        for index, level in _chain(ids, orgs):
            if index < top:
                break
            kept = rules.kept(left, config.keep_on(level, date_to))
            totals[TOTAL_OF[level]] += kept
            left -= kept
        totals["sent"] += left
    return totals


def build(org, year: int, place: str | None = None) -> reports.Report:
    date_from, date_to = period(year)
    chosen = template()
    request = engine.Request.parse(date_to, date_from, date_to, ",".join(chosen.keys()))
    built = reports.build(org, chosen, request, place)
    totals = shares(org, date_from, date_to)
    sections = sum(1 for line in built.lines if line.section)
    built.lines.append(reports.Line(reports.ROMAN[sections], _("Trích giữ lại và nộp cấp trên "
                                                               "(đồng)"), section=True))
    for number, (key, label) in enumerate((
            ("collected", _("Tổng số thu")),
            ("cells", _("Chi bộ trực thuộc giữ lại")),
            ("grassroots", _("Tổ chức cơ sở đảng giữ lại")),
            ("above", _("Các cấp trên cơ sở trong phạm vi báo cáo giữ lại")),
            ("sent", _("Nộp lên cấp trên"))), start=1):
        built.lines.append(reports.Line(str(number), label, "", totals[key], None))
    return built


def render(built: reports.Report) -> tuple[bytes, str]:
    return reports.render(built, "xlsx")


def filename(built: reports.Report) -> str:
    return f"{NAME}-{built.org.code}-{built.request.date_to.year}.xlsx"
