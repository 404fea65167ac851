"""The badges keys (spec METRICS-v2.md, "Badges"), each with the records behind its number.

`badges.awarded` and `badges.awarded.<years>` count the badges with `awarded_on` in the period;
a badge is placed (METRICS-v2 "Placement") in the member's cell on `awarded_on` — a posthumous
one on the day before the death — as the tree was that day (the period's path). The counts (for
every target at once) and the records (for one organization) both read `placed`, so a number
and its records cannot disagree.
"""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chibo.badges.models import Badge
from chibo.badges.rules import MILESTONES, POSTHUMOUS
from chibo.core.fields import path_ids
from chibo.inspection.placement import MemberDays
from chibo.stats.groups import Label, MetricGroup

TOTAL = "badges.awarded"
KEYS = (TOTAL, *(f"{TOTAL}.{years}" for years in MILESTONES))


def placed(date_from: date, date_to: date) -> list[tuple[int, int, str]]:
    """(badge id, years, the path it stands at) of the badges awarded in the period."""
    rows = list(Badge.objects.filter(awarded_on__gte=date_from, awarded_on__lte=date_to)
                .values_list("pk", "member_id", "years", "awarded_on", "early_reason",
                             "member__ended_on").order_by())
    days = MemberDays(member for _pk, member, *_rest in rows)
    found = []
    for pk, member, years, awarded_on, reason, ended_on in rows:
        day = ended_on - timedelta(days=1) if reason == POSTHUMOUS and ended_on else awarded_on
        stint = days.on(member, day)
        if stint is not None:
            found.append((pk, years, stint.path))
    return found


def counts(targets, date_from: date, date_to: date, keys) -> dict[int, dict[str, int]]:
    keys = [key for key in KEYS if key in keys]
    values = {target: dict.fromkeys(keys, 0) for target in targets}
    if not keys:
        return values
    wanted, targets = set(keys), set(targets)
    for _pk, years, path in placed(date_from, date_to):
        for target in targets.intersection(path_ids(path)):
            for key in wanted.intersection((TOTAL, f"{TOTAL}.{years}")):
                values[target][key] += 1
    return values


def records(org, date_from: date, date_to: date, key: str) -> QuerySet:
    """The badges behind one number of `org`'s subtree."""
    if key not in KEYS:
        raise KeyError(key)
    ids = [pk for pk, years, path in placed(date_from, date_to)
           if key in (TOTAL, f"{TOTAL}.{years}") and org.pk in path_ids(path)]
    return Badge.objects.filter(pk__in=ids).select_related("member", "member__cell").order_by(
        "awarded_on", "member__member_code", "years")


def describe(row) -> dict | None:
    if not isinstance(row, Badge):
        return None
    return {"type": "badge", "member_code": row.member.member_code, "code": row.member.member_code,
            "name": row.member.full_name, "full_name": row.member.full_name,
            "org": row.member.cell.code, "years": row.years,
            "awarded_on": row.awarded_on.isoformat(), "early_reason": row.early_reason or None}


def _labels() -> tuple[Label, ...]:
    return (Label(TOTAL, _("Huy hiệu Đảng được trao")), *(
        Label(f"{TOTAL}.{years}", format_lazy(_("Huy hiệu {years} năm tuổi Đảng"), years=years),
              TOTAL) for years in MILESTONES))


GROUP = MetricGroup(
    key="badges", label=_("Huy hiệu Đảng"), metrics=_labels(), flow=True, order=105,
    counts=lambda window, keys: counts(window.targets, window.date_from, window.date_to, keys),
    records=lambda org, request, key: records(org, request.date_from, request.date_to, key),
    describe=describe)
