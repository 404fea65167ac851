"""Courses (spec METRICS-v2.md, "Courses"): `courses.<kind>`, the courses of a kind whose
`end_on` falls in the period, placed by the organizing committee on `end_on`
(chibo.admission.placement); `learners.<kind>`, their `completed` enrollments.

One grouped statement reads the period's courses near the subtrees with their completed
learners counted in SQL; the placement then adds each course to every target whose subtree held
its committee that day. The records are the courses (or enrollments) that the same placement
puts in the organization's subtree.
"""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.admission.placement import TreeOnDays, near, placed, tally
from chibo.courses.choices import CourseKind, Result
from chibo.courses.models import Course, Enrollment
from chibo.stats.groups import Label, MetricGroup

COURSE_KEYS = {f"courses.{kind}": kind for kind in CourseKind.values}
LEARNER_KEYS = {f"learners.{kind}": kind for kind in CourseKind.values}
KEYS = (*COURSE_KEYS, *LEARNER_KEYS)
COMPLETED = Q(enrollments__result=Result.COMPLETED)


def _courses(orgs, date_from: date, date_to: date) -> list[tuple]:
    """(id, committee, end_on, kind, completed learners) of the period's courses near `orgs`."""
    return list(near(Course.objects, orgs, "org").filter(end_on__gte=date_from,
                                                         end_on__lte=date_to)
                .annotate(learners=Count("enrollments", filter=COMPLETED))
                .values_list("pk", "org_id", "end_on", "kind", "learners").order_by())


def counts(orgs, targets, date_from: date, date_to: date, keys) -> dict[int, dict[str, int]]:
    keys = [k for k in KEYS if k in keys]
    if not keys:
        return {target: {} for target in targets}
    kinds = CourseKind.values
    rows = _courses(orgs, date_from, date_to)
    tree = TreeOnDays({org for _pk, org, _day, _kind, _n in rows})
    # A course adds 1 to its kind's course count and its learners to its kind's learners.
    width = 2 * len(kinds)
    vectors = []
    for _pk, org, day, kind, learners in rows:
        numbers = [0] * width
        numbers[kinds.index(kind)], numbers[len(kinds) + kinds.index(kind)] = 1, learners
        vectors.append((org, day, numbers))
    totals = tally(vectors, tree, targets, width)
    names = [*COURSE_KEYS, *LEARNER_KEYS]
    return {target: {key: total[names.index(key)] for key in keys}
            for target, total in totals.items()}


def _placed_courses(org, date_from: date, date_to: date, kind: str) -> list[int]:
    rows = [row for row in _courses([org.pk], date_from, date_to) if row[3] == kind]
    tree = TreeOnDays({row[1] for row in rows})
    return [pk for pk, committee, day, _kind, _n in rows if placed(tree, committee, day, org.pk)]


def records(org, date_from: date, date_to: date, key: str) -> QuerySet:
    if key in COURSE_KEYS:
        ids = _placed_courses(org, date_from, date_to, COURSE_KEYS[key])
        return Course.objects.filter(pk__in=ids).select_related("org").order_by("end_on", "code")
    if key in LEARNER_KEYS:
        ids = _placed_courses(org, date_from, date_to, LEARNER_KEYS[key])
        return Enrollment.objects.filter(course__in=ids, result=Result.COMPLETED).select_related(
            "course__org", "member", "candidate").order_by("course__end_on", "course__code", "pk")
    raise KeyError(key)


def describe(row) -> dict | None:
    if isinstance(row, Course):
        return {"type": "course", "code": row.code, "name": row.name, "kind": row.kind,
                "org": row.org.code, "start_on": row.start_on.isoformat(),
                "end_on": row.end_on.isoformat()}
    if isinstance(row, Enrollment):
        learner = row.member or row.candidate
        return {"type": "enrollment", "course": row.course.code, "kind": row.course.kind,
                "org": row.course.org.code,
                "learner": getattr(learner, "member_code", None) or learner.code,
                "full_name": learner.full_name, "result": row.result,
                "certificate_on": row.certificate_on.isoformat() if row.certificate_on else None}
    return None


def present(item: dict) -> None:
    if item["type"] in ("course", "enrollment"):
        item["kind_label"] = CourseKind(item["kind"]).label


GROUP = MetricGroup(
    key="courses", label=_("Bồi dưỡng, đào tạo"),
    metrics=(*(Label(key, CourseKind(kind).label) for key, kind in COURSE_KEYS.items()),
             *(Label(key, _("Học viên hoàn thành: %(kind)s") % {
                 "kind": CourseKind(kind).label}) for key, kind in LEARNER_KEYS.items())),
    counts=lambda window, keys: counts(window.orgs, window.targets, window.date_from,
                                       window.date_to, keys),
    records=lambda org, request, key: records(org, request.date_from, request.date_to, key),
    describe=describe, present=present, order=96,
    records_template="courses/_stat_records.html",
)
