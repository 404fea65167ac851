"""How the member records answer changes to the tree."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.core.fields import moved_path, subtree_range
from chibo.members.models import Member, MemberFlow, MemberPeriod


def members_left_on(org, day: date) -> str | None:
    """Refuse dissolving an organization whose cell still has active members on or after `day`."""
    count = (MemberPeriod.objects.filter(org=org, valid_to__gt=day)
             .values("member").distinct().count())
    if count:
        return _("Không thể giải thể %(name)s: còn %(n)s đảng viên sinh hoạt vào ngày %(day)s "
                 "hoặc sau đó; hãy chuyển sinh hoạt cho họ trước.") % {
            "name": org.name, "n": count, "day": date_format(day, "d/m/Y")}
    return None


def follow_merge(org, into, day: date) -> None:
    """Members of a merged cell count in the cell it merged into from the merge day."""
    from chibo.members.services import rebuild

    member_ids = (MemberPeriod.objects.filter(org=org, valid_to__gt=day)
                  .values_list("member", flat=True).distinct())
    for member in Member.objects.filter(pk__in=list(member_ids)).select_related("joined_org"):
        rebuild(member)


def organization_page(request, org, period, day: date, nodes) -> dict:
    """What the organization page shows of members: counts, per child too, and the committee."""
    from chibo.accounts.policy import Capability, can
    from chibo.members.queries import active_counts, current_posts

    if period is None:
        return {}
    context = {"committee": list(current_posts(org, day)),
               "can_view_members": can(request.user, Capability.VIEW_MEMBERS, org)}
    if context["can_view_members"]:
        by_org = active_counts(period.path, day)
        context["member_total"] = sum(by_org.values())
        context["child_members"] = {
            node.org.pk: sum(n for path, n in by_org.items() if path.startswith(node.period.path))
            for node in nodes
        }
    return context


def follow_replace(old_prefix: str, new_prefix: str, day: date, keep: str | None) -> None:
    """Member periods and flow facts placed under `old_prefix` from `day` on take the new place,
    as the tree's periods did: a period running across `day` is cut there. `keep` (a merging
    cell's own path) stays: its members are replayed into the cell it merged into."""
    low, high = subtree_range(old_prefix)
    for model, path, day_field in ((MemberPeriod, "path", "valid_to__gt"),
                                   (MemberFlow, "path", "ref_day__gte"),
                                   (MemberFlow, "from_path", "from_ref_day__gte")):
        rows = model.objects.filter(**{f"{path}__gte": low, f"{path}__lt": high, day_field: day})
        if keep is not None:
            rows = rows.exclude(**{path: keep})
        if model is MemberPeriod:
            _cut_periods(rows, day, old_prefix, new_prefix)
            rows = rows.filter(valid_from__gte=day)
        rows.update(**{path: moved_path(old_prefix, new_prefix, path)})


def _cut_periods(periods, day: date, old_prefix: str, new_prefix: str) -> None:
    """Periods that began before `day`: they end then, and a copy at the new path starts."""
    copies = []
    for period in periods.filter(valid_from__lt=day):
        period.pk, period.valid_from = None, day
        period.path = new_prefix + period.path[len(old_prefix):]
        copies.append(period)
    periods.filter(valid_from__lt=day).update(valid_to=day)
    MemberPeriod.objects.bulk_create(copies, batch_size=1000)
