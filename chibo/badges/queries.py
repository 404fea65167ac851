"""Restricted reads of the party badges: a subtree's badges and proposals, a member's badges,
the ceremony list of an award day."""

from datetime import date

from chibo.badges.models import Badge, Proposal
from chibo.core.querysets import path_scope_q


def badges_for(user, org, day: date | None = None):
    """The badges of members whose cell lies in `org`'s subtree, that `user` may read."""
    rows = Badge.objects.visible_to(user).filter(path_scope_q([org.path], "member__cell__path"))
    if day is not None:
        rows = rows.filter(awarded_on=day)
    return rows.select_related("member", "member__cell", "decided_by").order_by(
        "-awarded_on", "-years", "member__sort_key", "pk")


def proposals_for(user, org):
    return Proposal.objects.visible_to(user).filter(
        path_scope_q([org.path], "cell__path")).select_related(
        "member", "member__cell", "cell", "proposed_by", "badge")


def member_badges(user, member) -> list[Badge]:
    """A member's badges, newest first (what `user` may read of them)."""
    return list(Badge.objects.visible_to(user).filter(member=member).order_by("-years"))


def ceremony(user, org, day: date) -> list[tuple[int, list[Badge]]]:
    """The ceremony list of `day`: the badges awarded that day in `org`'s subtree, by milestone
    (the highest first), each in Vietnamese name order."""
    groups: dict[int, list[Badge]] = {}
    for badge in badges_for(user, org, day).order_by("-years", "member__sort_key", "pk"):
        groups.setdefault(badge.years, []).append(badge)
    return list(groups.items())
