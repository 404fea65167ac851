"""Read helpers of the courses' pages and API: a course in the user's scope, its learners,
the learners a course may take (found by code or name within its committee's subtree), and a
member's own courses."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from chibo.admission.models import Candidate
from chibo.core.fields import subtree_range
from chibo.courses.choices import Result
from chibo.courses.models import Course, Enrollment
from chibo.lists.spec import Search
from chibo.members.models import Member

FOUND_AT_MOST = 10  # names offered when a search does not name one learner

MEMBER_SEARCH = Search(fields=("search_key",), exact=("member_code",))
CANDIDATE_SEARCH = Search(text=lambda candidate: f"{candidate.code} {candidate.full_name}")


def visible_courses(user):
    return Course.objects.visible_to(user).select_related("org")


def visible_course(user, code: str) -> Course:
    """The course if the user may see its committee; 404 otherwise (outside looks absent)."""
    return get_object_or_404(visible_courses(user), code=code)


def with_learners(courses):
    """Each course with `learners`: its enrollments, and `completed`: those completed."""
    return courses.annotate(learners=Count("enrollments", distinct=True),
                            completed=Count("enrollments", distinct=True,
                                            filter=Q(enrollments__result=Result.COMPLETED)))


def enrollments_of(course: Course):
    """The course's learners, members then candidates, by name."""
    return (course.enrollments.select_related("member__cell", "candidate__cell")
            .order_by("candidate_id", "member__sort_key", "candidate__full_name", "pk"))


def _in_subtree(rows, path_field: str, course: Course):
    low, high = subtree_range(course.org.path)
    return rows.filter(**{f"{path_field}__gte": low, f"{path_field}__lt": high})


@dataclass(frozen=True)
class Found:
    """Who a learner search found: the members and candidates, at most `FOUND_AT_MOST` of
    each (`more` when there were more)."""

    members: list[Member]
    candidates: list[Candidate]
    more: bool = False

    @property
    def one(self) -> Member | Candidate | None:
        everyone = [*self.members, *self.candidates]
        return everyone[0] if len(everyone) == 1 and not self.more else None


def members_in_reach(user, course: Course):
    """The members a course may take: of its committee's subtree, whose file the user sees."""
    return _in_subtree(Member.objects.visible_to(user), "cell__path", course)


def candidates_in_reach(user, course: Course):
    """The candidates a course may take: of its committee's subtree, in the user's scope."""
    return _in_subtree(Candidate.objects.visible_to(user), "cell__path", course)


def find_learners(user, course: Course, term: str) -> Found:
    """Members and candidates within the course's reach whose code is `term` or whose name
    contains it (diacritics ignored). An exact code wins alone."""
    term = (term or "").strip()
    members, candidates = members_in_reach(user, course), candidates_in_reach(user, course)
    exact_member = members.filter(member_code=term).first()
    exact_candidate = candidates.filter(code=term).first()
    if exact_member or exact_candidate:
        return Found([exact_member] if exact_member else [],
                     [exact_candidate] if exact_candidate else [])
    if not term:
        return Found([], [])
    found_members = list(MEMBER_SEARCH.apply(members.select_related("cell")
                                             .order_by("sort_key", "pk"),
                                             term)[:FOUND_AT_MOST + 1])
    # Candidates carry no folded name column: the pending ones of the subtree, read once.
    pending = candidates.filter(member__isnull=True).only("code", "full_name", "cell_id")
    found_candidates = CANDIDATE_SEARCH.apply(list(pending.order_by("full_name", "pk")), term)
    more = len(found_members) > FOUND_AT_MOST or len(found_candidates) > FOUND_AT_MOST
    return Found(found_members[:FOUND_AT_MOST], found_candidates[:FOUND_AT_MOST], more)


def courses_of_member(member: Member):
    """A member's enrollments with their courses, latest first (the member's own record)."""
    return (Enrollment.objects.filter(member=member).select_related("course__org")
            .order_by("-course__start_on", "-pk"))

