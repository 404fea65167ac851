"""The yearly report "Báo cáo kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên"
(Excel) of a subtree and a year: organizations and members by level, counts and shares, the
share rated good or better against the year's targets (organizations over 90 %, members over
85 %, as the provinces' resolutions set them), and the organizations by kind.

A report template of chibo.stats.reports (the same JSON format, numbering, header and Excel
layout), shipped beside this module because its keys are this process's (METRICS-v2.md,
"Ratings"). Every number is the statistics engine's: one `engine.compute` for the template's
rows, and the records behind `rated.orgs` (`engine.records`) for the split by kind. The ratings
keys count the ratings of the year of the period's end: the period is 1 January to 31 December
of the year (to today for the current year). A province replaces the template as it replaces
the statistics reports: a file of the same name in `$CHIBO_DATA_DIR/report_templates/`.

Who may read it: `stats.view` on the organization (chibo.ratings.report_views): the subtree's
statistics.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.organizations.choices import OrgKind
from chibo.ratings.choices import GOOD_PLUS
from chibo.stats import engine, reports
from chibo.stats.reports import BadYear, parse_year  # noqa: F401 -- the report's own names
from chibo.stats.reports import year_period as period

NAME = "ket-qua-danh-gia-xep-loai"
BUILT_IN = Path(__file__).resolve().parent / "report_templates" / f"{NAME}.json"
KINDS = ("xlsx",)
# The kinds of organization rated (METRICS-v2 "Ratings"), in the report's order.
RATED_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL, OrgKind.PARTIAL_COMMITTEE,
               OrgKind.CELL)


@dataclass(frozen=True)
class Target:
    """The share rated good or better a year's review aims at: above `share` of `key`'s
    subjects (the article: "trên 90 %" of the organizations, "trên 85 %" of the members)."""

    key: str
    of: str
    share: Fraction
    label: object  # a lazy text


TARGETS = (
    Target("rated.orgs.good_plus", "rated.orgs", Fraction(90, 100), gettext_lazy(
        "Tổ chức đảng hoàn thành tốt nhiệm vụ trở lên (chỉ tiêu: trên 90%)")),
    Target("rated.members.good_plus", "rated.members", Fraction(85, 100), gettext_lazy(
        "Đảng viên hoàn thành tốt nhiệm vụ trở lên (chỉ tiêu: trên 85%)")),
)


def template() -> reports.ReportTemplate:
    """The province's template of this report when it has one, else chibo's (TemplateError
    names the file and the row at fault)."""
    own = reports.get_template(NAME)
    return own if own is not None else reports.parse_template(BUILT_IN)


def build(org, year: int, place: str | None = None) -> reports.Report:
    """The report of `org`'s subtree for `year`: the template's rows, then the targets and the
    organizations by kind."""
    date_from, date_to = period(year)
    chosen = template()
    request = engine.Request.parse(date_to, date_from, date_to, ",".join(chosen.keys()))
    built = reports.build(org, chosen, request, place)
    values = {line.metric: line.value for line in built.lines if line.metric}
    _targets(built, values)
    _by_kind(built, org, date_to)
    return built


def met(target: Target, values: dict[str, int]) -> bool | None:
    """Whether the share rated good or better is above the target (None: nobody rated)."""
    if not values.get(target.of):
        return None
    return Fraction(values[target.key], values[target.of]) > target.share


def _targets(built: reports.Report, values: dict[str, int]) -> None:
    built.lines.append(reports.Line(_section_number(built), _("So với chỉ tiêu"), section=True))
    verdicts = {True: _("đạt"), False: _("không đạt"), None: _("chưa có xếp loại")}
    for number, target in enumerate(TARGETS, start=1):
        if target.key not in values or target.of not in values:
            continue  # a province's template without the keys
        verdict = met(target, values)
        built.lines.append(reports.Line(
            str(number), f"{target.label}: {verdicts[verdict]}", target.key,
            values[target.key], reports.catalogue.share(values, target.key, target.of)))


def _by_kind(built: reports.Report, org, date_to: date) -> None:
    """The organizations rated and rated good or better, by kind: the records behind
    `rated.orgs` (the engine's, so the rows add up to its number)."""
    request = engine.Request.parse(date_to, date(date_to.year, 1, 1), date_to, "rated.orgs")
    rated, good = Counter(), Counter()
    for kind, level in engine.records(org, request, "rated.orgs").values_list("org__kind",
                                                                                "level"):
        rated[kind] += 1
        good[kind] += level in GOOD_PLUS
    built.lines.append(reports.Line(_section_number(built),
                                    _("Tổ chức đảng theo loại hình"), section=True))
    main = 0
    for kind in RATED_KINDS:
        if not rated[kind]:
            continue
        main += 1
        # no metric: a part of `rated.orgs`, not its number
        built.lines.append(reports.Line(str(main), str(OrgKind(kind).label), "",
                                        rated[kind], None))
        built.lines.append(reports.Line(
            f"{main}.1", _("Hoàn thành tốt nhiệm vụ trở lên"), "", good[kind],
            100 * good[kind] / rated[kind], sub=True))


def _section_number(built: reports.Report) -> str:
    sections = sum(1 for line in built.lines if line.section)
    return reports.ROMAN[sections] if sections < len(reports.ROMAN) else str(sections + 1)


def render(built: reports.Report, kind: str = "xlsx") -> tuple[bytes, str]:
    """(content, content type) of the report as an Excel workbook, in Vietnamese."""
    return reports.render(built, kind)


def filename(built: reports.Report, kind: str = "xlsx") -> str:
    return f"{NAME}-{built.org.code}-{built.request.date_to.year}.{kind}"
