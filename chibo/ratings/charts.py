"""The dashboard's chart of the annual review (chibo.core.registry.DASHBOARD_CHARTS): the share
of the subtree's rated organizations and members rated good or better ("hoàn thành tốt nhiệm vụ
trở lên") in each of the last years reviewed — the numbers the resolutions set targets for
(over 90 % of the organizations, over 85 % of the members). Each point is the ratings keys of
its year (chibo.ratings.metrics, as the statistics page counts them) and opens their records.
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.ratings import metrics
from chibo.ratings.models import Rating
from chibo.stats import engine
from chibo.stats.forms import query_of

YEARS = 7  # the years of 2019–2025's regulations and their successors, on one chart
SERIES = (("orgs", "rated.orgs"), ("members", "rated.members"))


def reviewed_years(as_of: date) -> list[int]:
    """The last `YEARS` years up to `as_of`'s, its own once any of its ratings is decided."""
    last = as_of.year if Rating.objects.filter(year=as_of.year).exists() else as_of.year - 1
    return list(range(last - YEARS + 1, last + 1))


def _records_url(org, key: str, year: int, as_of: date) -> str:
    end = min(date(year, 12, 31), as_of)
    request = engine.Request.parse(end, date(year, 1, 1), end, key)
    return reverse("stats:records", args=[org.code, key]) + "?" + query_of(request)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def good_plus_share(org, as_of: date, query: str) -> dict:
    years = reviewed_years(as_of)
    values = {year: metrics.counts([org.pk], date(year, 12, 31), metrics.KEYS)[org.pk]
              for year in years}
    labels = {"orgs": _("Tổ chức đảng"), "members": _("Đảng viên")}
    return {"labels": [str(year) for year in years], "series": [{
        "key": f"{prefix}.good_plus", "label": labels[subjects],
        "values": [_share(values[year][f"{prefix}.good_plus"], values[year][prefix])
                   for year in years],
        "urls": [_records_url(org, f"{prefix}.good_plus", year, as_of) for year in years],
    } for subjects, prefix in SERIES]}
