"""What the pages, the API and the handbook read of the cases (the read side of
chibo.inspection.services). Every read goes through the models' restricted querysets, which
need `inspection.view` over the case (a discipline decision: over its subject); a member reads
their own conclusions and decisions through `member_cases`.
"""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, Value, When

from chibo.inspection.models import (
    Discipline,
    Inspection,
    InspectionSubject,
    Programme,
    ProgrammeItem,
)
from chibo.inspection.placement import Committee


def inspections_for(user, capability: str | None = None):
    """The inspections `user` may read, with what a list shows: the conducting organization,
    the programme's item, the number of subjects and of those concluded."""
    return (Inspection.objects.visible_to(user, capability)
            .select_related("org", "programme_item__programme")
            .annotate(subject_count=Count("subjects", distinct=True),
                      concluded_count=Count("subjects", filter=~Q(subjects__conclusion=""),
                                            distinct=True)))


def programmes_for(user, capability: str | None = None):
    """The programmes `user` may read, with their organization and the number of items."""
    return (Programme.objects.visible_to(user, capability).select_related("org")
            .annotate(item_count=Count("items", distinct=True)))


def programme_items(programme: Programme, user) -> list[ProgrammeItem]:
    """The items of one programme (already read through `programmes_for`) in the order planned,
    each with `carried_out`: the inspections `user` may read opened under it, by start day."""
    items = list(programme.items.select_related("subject_org").order_by("planned_from", "pk"))
    done: dict[int, list[Inspection]] = {}
    for inspection in (Inspection.objects.visible_to(user)
                       .filter(programme_item__programme=programme).order_by("start_on", "pk")):
        done.setdefault(inspection.programme_item_id, []).append(inspection)
    for item in items:
        item.carried_out = done.get(item.pk, [])
    return items


def subjects_of(inspection: Inspection):
    """The subjects of one inspection (already read through `inspections_for`), organizations
    first, then members by name."""
    return (InspectionSubject.objects.filter(inspection=inspection)
            .select_related("org", "member__cell")
            .order_by("member__sort_key", "org__code", "pk"))


def follow_ups_for(user):
    """The subjects whose conclusion asked for a follow-up by a due day, among those `user`
    may read, with their inspection and subject."""
    return (InspectionSubject.objects.visible_to(user).filter(follow_up_due__isnull=False)
            .select_related("inspection", "org", "member"))


def committee_subjects(subjects) -> set[int]:
    """The ids of the member subjects who were committee members (held a party post) on their
    inspection's start day: derived from the posts, never typed (METRICS-v2)."""
    subjects = [s for s in subjects if s.member_id]
    held = Committee(s.member_id for s in subjects)
    return {s.pk for s in subjects if held.holds(s.member_id, s.inspection.start_on)}


def proposing_inspection(discipline: Discipline, user) -> Inspection | None:
    """The inspection that proposed the decision, when `user` may read it: it lies under the
    organization that conducted it, which may be above the reader's reach."""
    if discipline.inspection_id is None:
        return None
    return Inspection.objects.visible_to(user).filter(pk=discipline.inspection_id).first()


def disciplines_for(user, capability: str | None = None):
    """The discipline decisions `user` may read (under their subject), with their standing
    form (`standing`), what a list shows, and `proposed_by`: the proposing inspection's code
    when `user` may read that inspection (it lies under the organization that conducted it,
    which may be above the reader's reach), else None."""
    readable = Inspection.objects.visible_to(user).values("pk")
    return (Discipline.objects.visible_to(user, capability)
            .select_related("org", "member__cell", "decided_by")
            .annotate(proposed_by=Case(When(inspection__in=readable,
                                            then=F("inspection__code")),
                                       default=Value(None), output_field=CharField()))
            .with_standing_form())


@dataclass
class MemberCases:
    """A member's own conclusions (concluded subjects) and discipline decisions."""

    conclusions: list[InspectionSubject] = field(default_factory=list)
    disciplines: list[Discipline] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.conclusions or self.disciplines)


def member_cases(member, user) -> MemberCases:
    """The conclusions reached on `member` and the decisions on them, newest first: all of them
    for the member themselves (the handbook: `user` is their own account) or, for anyone else,
    only what `user` may read (`inspection.view`). Pending subjects are not shown: a member
    learns of a conclusion, not of an inspection under way."""
    subjects = InspectionSubject.objects.filter(member=member).exclude(conclusion="")
    decisions = Discipline.objects.filter(member=member)
    own = member.user_id is not None and member.user_id == user.pk
    if not own:
        subjects = subjects.filter(pk__in=InspectionSubject.objects.visible_to(user)
                                   .values("pk"))
        decisions = decisions.visible_to(user)
    return MemberCases(
        conclusions=list(subjects.select_related("inspection__org")
                         .order_by("-concluded_on", "-pk")),
        disciplines=list(decisions.select_related("decided_by").with_standing_form()
                         .order_by("-decided_on", "-pk")))
