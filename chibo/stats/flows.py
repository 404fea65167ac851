"""Flow metrics (spec/METRICS.md): events in a period that fell in an organization's subtree.

A fact falls in S when its cell lies in S's subtree as the tree was on the fact's reference day
(stored with the fact). S itself may have moved: each of S's periods covers the reference days
on which S had that path, so "in S" is one indexed range test per period of S.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from chibo.core.fields import subtree_range
from chibo.members.models import MemberFlow
from chibo.organizations.models import OrgPeriod

ENDINGS = {"removed": "remove", "expelled": "expel", "left": "leave", "died": "die",
           "not_recognized": "not_recognized"}
UNIVERSITY_PLUS = ("university", "master", "doctor")


def placed_in(org, org_field: str = "org", ref_field: str = "ref_day") -> Q:
    """Facts whose `org_field` lay in `org`'s subtree on their `ref_field` day."""
    condition = Q(pk__in=[])
    for start, end, path in OrgPeriod.objects.filter(organization=org).values_list(
            "valid_from", "valid_to", "path"):
        low, high = subtree_range(path)
        there = OrgPeriod.objects.filter(
            organization=OuterRef(org_field), valid_from__lte=OuterRef(ref_field),
            valid_to__gt=OuterRef(ref_field), path__gte=low, path__lt=high)
        condition |= Q(**{f"{ref_field}__gte": start, f"{ref_field}__lt": end}) & Q(Exists(there))
    return condition


def flow_conditions(org) -> dict[str, Q]:
    inside = placed_in(org)
    came_from_inside = placed_in(org, "from_org", "from_ref_day")
    admitted = Q(kind__in=("admitted", "readmitted")) & inside
    conditions = {
        "admitted": admitted,
        "admitted.female": admitted & Q(member__gender="female"),
        "admitted.ethnic_minority": admitted & ~Q(member__ethnicity="Kinh"),
        "admitted.upto_30": admitted & Q(age__lte=30),
        "admitted.high_school": admitted & Q(member__general_education__in=["12/12", "10/10"]),
        "admitted.professional_any": admitted & ~Q(member__professional_level__in=["", "none"]),
        "admitted.university_plus": admitted & Q(member__professional_level__in=UNIVERSITY_PLUS),
        "recognized_official": Q(kind="official") & inside,
        "transferred_in": (Q(kind="transfer") & inside & ~came_from_inside)
        | (Q(kind__in=("returned", "arrived")) & inside),
        "transferred_out": (Q(kind="transfer") & came_from_inside & ~inside)
        | (Q(kind="transfer_out") & inside),
    }
    for key, kind in ENDINGS.items():
        conditions[key] = Q(kind=kind) & inside
    return conditions


FLOW_KEYS = ("admitted", "admitted.female", "admitted.ethnic_minority", "admitted.upto_30",
             "admitted.high_school", "admitted.professional_any", "admitted.university_plus",
             "recognized_official", "removed", "expelled", "left", "died", "not_recognized",
             "transferred_in", "transferred_out")


def facts_between(date_from: date, date_to: date) -> QuerySet:
    return MemberFlow.objects.filter(day__gte=date_from, day__lte=date_to)
