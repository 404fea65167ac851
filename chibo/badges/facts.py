"""What the badges findings, services and import know of the members of some badges, read once
for all of them: their party age (chibo.members' timeline: from the first admission decision,
less the time outside — never counted again here) and their standing discipline decisions
(chibo.inspection's records, the form after an appeal; an annulled one does not stand)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from chibo.badges.rules import Facts
from chibo.inspection.models import Discipline
from chibo.members import lifecycle
from chibo.members.models import Member
from chibo.members.queries import timeline_of
from chibo.members.services import with_events

CHUNK = 500


class Reading:
    def __init__(self, member_ids: Iterable[int]):
        ids = sorted(set(member_ids))
        self.members: dict[int, Member] = {}
        self.disciplines: dict[int, list[tuple[date, str]]] = defaultdict(list)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            self.members |= {member.pk: member for member in with_events(
                Member.objects.filter(pk__in=chunk).select_related("joined_org", "cell"))}
            for member, day, form in Discipline.objects.with_standing_form().filter(
                    member_id__in=chunk).exclude(standing="").values_list(
                    "member_id", "decided_on", "standing"):
                self.disciplines[member].append((day, form))
        self._timelines: dict[int, lifecycle.Timeline] = {}

    def timeline(self, member_id: int) -> lifecycle.Timeline:
        if member_id not in self._timelines:
            self._timelines[member_id] = timeline_of(self.members[member_id])
        return self._timelines[member_id]

    def facts(self, member_id: int, years: int, awarded_on: date,
              early_reason: str = "") -> Facts:
        timeline = self.timeline(member_id)
        return Facts(years=years, awarded_on=awarded_on, early_reason=early_reason or "",
                     first_admitted_on=timeline.first_admitted_on,
                     party_age_days=lifecycle.party_age_days(timeline, awarded_on),
                     disciplines=tuple(sorted(self.disciplines.get(member_id, ()))))
