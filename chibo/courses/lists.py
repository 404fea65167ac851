"""The courses' list, declared with the list pattern (chibo.lists): the courses organized by the
committees of an organization's subtree, with their learners."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import can
from chibo.core.fields import subtree_range
from chibo.courses import queries
from chibo.courses.capabilities import MANAGE_COURSES
from chibo.courses.choices import CourseKind
from chibo.lists.spec import Choice, Column, Listing, Search, Sort
from chibo.lists.spec import Period as PeriodFilter
from chibo.organizations.lists import OrgList, Subtree


class CourseList(OrgList):
    """The courses opened by the committees of a subtree, latest first."""

    key = "courses.list"
    title = gettext_lazy("Lớp bồi dưỡng")
    noun = ngettext_lazy("%(count)s lớp", "%(count)s lớp", "n")
    filters = (
        Subtree("org__path"),
        Choice("kind", gettext_lazy("Loại lớp"), CourseKind.choices, field="kind"),
        PeriodFilter("start_on", default_year=None),
    )
    search = Search(gettext_lazy("Tìm theo mã lớp"), exact=("code",))
    sorts = (
        Sort("latest", gettext_lazy("Mới nhất trước"), ("-start_on", "-id")),
        Sort("earliest", gettext_lazy("Cũ nhất trước"), ("start_on", "id")),
    )
    columns = (
        Column("start_on", gettext_lazy("Khai giảng"), title=True,
               link=lambda c: reverse("courses:detail", args=[c.code])),
        Column("name", gettext_lazy("Tên lớp")),
        Column("kind", gettext_lazy("Loại lớp"), value="get_kind_display", css="small"),
        Column("org", gettext_lazy("Cấp ủy mở lớp"), value="org__name", css="small"),
        Column("end_on", gettext_lazy("Bế giảng")),
        Column("learners", gettext_lazy("Học viên"), css="num"),
        Column("completed", gettext_lazy("Hoàn thành"), css="num"),
        Column("code", gettext_lazy("Mã lớp"), page=False),
        Column("org_code", gettext_lazy("Mã cấp ủy"), value="org__code", page=False),
        Column("decision_no", gettext_lazy("Số quyết định mở lớp"), page=False),
    )

    def rows(self, listing: Listing):
        low, high = subtree_range(listing.scope.path)
        return queries.with_learners(queries.visible_courses(listing.user).filter(
            org__path__gte=low, org__path__lt=high))

    def context(self, listing: Listing) -> dict:
        org = listing.scope
        actions = []
        if can(listing.user, MANAGE_COURSES, org):
            actions.append((_("Mở lớp"), reverse("courses:open", args=[org.code]),
                            "btn-primary"))
        return {**super().context(listing), "actions": actions}

    def filename(self, listing: Listing) -> str:
        return "lop-boi-duong"


COURSES = CourseList()
