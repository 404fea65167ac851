"""The reads of the residence liaison, for each side.

**The residence side's narrow view.** A residence committee's officers (`liaison.residence`
under the residence cell, else the residence grassroots committee) see, for the members with a
liaison open with it today, the name, the contact (phone, e-mail: what the member file holds)
and the cell where they work — nothing more. `residence_view` selects exactly those values; it
never hands out a Member, so a template or an endpoint cannot reach further into the file.
`Member.objects.visible_to` is not widened: the member page, the member API, the statistics'
records and the search stay closed to them (tests/test_liaison_permissions.py).

**The working side** reads the member's liaisons and opinions with the member file
(`Liaison.objects.visible_to(user)`: `member.view` under the member's cell).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from chibo.accounts.policy import scope_paths
from chibo.core.querysets import path_scope_q
from chibo.liaison.capabilities import VIEW_RESIDENCE
from chibo.liaison.choices import Feedback
from chibo.liaison.metrics import open_on
from chibo.liaison.models import Liaison, Opinion


@dataclass(frozen=True)
class Resident:
    """What the residence side may know of a working member who keeps contact with it."""

    liaison_id: int
    full_name: str
    phone: str
    email: str
    working_cell: str
    introduced_on: date
    exempt_from_meetings: bool
    residence_cell: str
    residence_code: str


def _residence_q(user, capability: str) -> Q:
    paths = scope_paths(user, capability)
    return (path_scope_q(paths, "residence_cell__path") & Q(residence_cell__isnull=False)) | (
        path_scope_q(paths, "residence_org__path") & Q(residence_cell__isnull=True))


def residence_liaisons(user, org, today: date, capability: str = VIEW_RESIDENCE):
    """The liaisons open today with `org`'s subtree that `user` reads on the residence side."""
    inside = (path_scope_q([org.path], "residence_cell__path")
              | (path_scope_q([org.path], "residence_org__path")
                 & Q(residence_cell__isnull=True)))
    return Liaison.objects.filter(open_on(today), inside, _residence_q(user, capability))


def residence_view(user, org, today: date) -> list[Resident]:
    rows = residence_liaisons(user, org, today).values(
        "pk", "introduced_on", "exempt_from_meetings", full_name=F("member__full_name"),
        phone=F("member__phone"), email=F("member__email"),
        working_cell=F("member__cell__name"), cell_name=F("residence_cell__name"),
        org_name=F("residence_org__name"), cell_code=F("residence_cell__code"),
        org_code=F("residence_org__code")).order_by("residence_cell__code", "member__sort_key")
    return [Resident(row["pk"], row["full_name"], row["phone"] or "", row["email"] or "",
                     row["working_cell"], row["introduced_on"], row["exempt_from_meetings"],
                     row["cell_name"] or row["org_name"], row["cell_code"] or row["org_code"])
            for row in rows]


def opinions_by_liaison(liaison_ids) -> dict[int, dict[int, str]]:
    """liaison -> {year: feedback}."""
    found: dict[int, dict[int, str]] = {}
    for liaison, year, feedback in Opinion.objects.filter(liaison_id__in=list(liaison_ids)) \
            .values_list("liaison_id", "year", "feedback"):
        found.setdefault(liaison, {})[year] = feedback
    return found


def working_liaisons(user, org):
    """The liaisons of the members of `org`'s subtree that `user` reads with their files."""
    return Liaison.objects.visible_to(user).filter(path_scope_q([org.path],
                                                                "member__cell__path"))


def with_years(liaisons: list) -> list:
    """The liaisons, each with `years`: its opinions as (year, label), oldest first."""
    opinions = opinions_by_liaison(liaison.pk for liaison in liaisons)
    labels = dict(Feedback.choices)
    for liaison in liaisons:
        liaison.years = [(year, labels[level]) for year, level in
                         sorted(opinions.get(liaison.pk, {}).items())]
    return liaisons
