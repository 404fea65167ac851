"""What the badges findings, services and import know of the members of some badges, read once
for all of them: their party age (chibo.members.lifecycle: from the first admission decision,
less the time outside — never counted again here) and their standing discipline decisions
(chibo.inspection's records, the form after an appeal; an annulled one does not stand).

Only a member who ever left the party, was readmitted or died has time outside it (the
timeline's gaps come from those events alone): their events are replayed
(chibo.members.queries.timeline_of). Every other member's timeline is their first admission
and nothing else, handed to the same `lifecycle.party_age_days` without a replay — so that the
province's 28,000 badges are judged in a second, not a replay each.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from chibo.badges.rules import Facts
from chibo.inspection.models import Discipline
from chibo.members import lifecycle
from chibo.members.choices import EventKindChoices as Event
from chibo.members.models import Member, MemberEvent
from chibo.members.queries import timeline_of
from chibo.members.services import with_events

CHUNK = 500
# The events that make time outside the party (lifecycle's gaps) or end it (death).
GAP_EVENTS = (Event.REMOVE, Event.EXPEL, Event.LEAVE, Event.NOT_RECOGNIZED, Event.DIE,
              Event.READMIT)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


class Reading:
    def __init__(self, member_ids: Iterable[int]):
        ids = sorted(set(member_ids))
        events = MemberEvent.objects.filter(event__in=GAP_EVENTS)
        standing = Discipline.objects.with_standing_form().filter(member__isnull=False).exclude(
            standing="")
        if len(ids) <= CHUNK:  # a few: by id; many: the whole (small) tables at once
            events, standing = events.filter(member_id__in=ids), standing.filter(
                member_id__in=ids)
        wanted = set(ids)
        self.disciplines: dict[int, list[tuple[date, str]]] = defaultdict(list)
        for member, day, form in standing.values_list("member_id", "decided_on", "standing"):
            if member in wanted:
                self.disciplines[member].append((day, form))
        irregular = sorted(wanted & set(events.values_list("member_id", flat=True)))
        self.replayed: dict[int, lifecycle.Timeline] = {}
        for chunk in _chunks(irregular):
            for member in with_events(Member.objects.filter(pk__in=chunk).select_related(
                    "joined_org")):
                self.replayed[member.pk] = timeline_of(member)

    def timeline(self, member_id: int, admitted_on: date) -> lifecycle.Timeline:
        return self.replayed.get(member_id) or lifecycle.Timeline(first_admitted_on=admitted_on)

    def facts(self, member_id: int, admitted_on: date, years: int, awarded_on: date,
              early_reason: str = "") -> Facts:
        timeline = self.timeline(member_id, admitted_on)
        return Facts(years=years, awarded_on=awarded_on, early_reason=early_reason or "",
                     first_admitted_on=timeline.first_admitted_on,
                     party_age_days=lifecycle.party_age_days(timeline, awarded_on),
                     disciplines=tuple(sorted(self.disciplines.get(member_id, ()))))
