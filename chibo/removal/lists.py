"""The removal cases of an organization's subtree (the list pattern, chibo.lists), read under
`member.view` (403 without it, 404 outside): pending first, the grounds named, each case opening
its page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import Capability
from chibo.core.fields import subtree_range
from chibo.lists.spec import Column, Listing, Search, Sort, Tab
from chibo.organizations.lists import OrgList, Subtree
from chibo.removal import grounds
from chibo.removal.choices import Outcome
from chibo.removal.models import RemovalCase


def _pending(rows, listing: Listing):
    return rows.filter(outcome=Outcome.PENDING)


def _decided(rows, listing: Listing):
    return rows.exclude(outcome=Outcome.PENDING)


def _grounds(case: RemovalCase) -> str:
    labels = grounds.labels()
    return "; ".join(str(labels.get(key, key)) for key in case.grounds)


class RemovalList(OrgList):
    key = "removal.list"
    capability = Capability.VIEW_MEMBERS
    title = gettext_lazy("Đề nghị xóa tên đảng viên")
    noun = ngettext_lazy("%(count)s đề nghị", "%(count)s đề nghị", "n")
    tabs = (
        Tab("pending", gettext_lazy("Chờ quyết định"), where=_pending),
        Tab("decided", gettext_lazy("Đã quyết định"), where=_decided),
        Tab("all", gettext_lazy("Tất cả")),
    )
    filters = (Subtree("cell__path"),)
    search = Search(gettext_lazy("Tìm theo mã đảng viên"), exact=("member__member_code",))
    sorts = (Sort("proposed", gettext_lazy("Mới đề nghị trước"), ("-proposed_on", "-id")),)
    columns = (
        Column("member", gettext_lazy("Đảng viên"), title=True, value="member__full_name",
               link=lambda case: reverse("removal:detail", args=[case.pk])),
        Column("cell", gettext_lazy("Chi bộ"), value="cell__name", css="small"),
        Column("grounds", gettext_lazy("Căn cứ"), value=_grounds, css="small"),
        Column("proposed_on", gettext_lazy("Ngày đề nghị")),
        Column("outcome", gettext_lazy("Kết quả"), value="get_outcome_display"),
        Column("decided_on", gettext_lazy("Ngày quyết định")),
        Column("member_code", gettext_lazy("Mã"), value="member__member_code", page=False),
    )

    def rows(self, listing: Listing):
        low, high = subtree_range(listing.scope.path)
        return RemovalCase.objects.visible_to(listing.user).filter(
            cell__path__gte=low, cell__path__lt=high).select_related("member", "cell")

    def filename(self, listing: Listing) -> str:
        return "de-nghi-xoa-ten"


REMOVALS = RemovalList()
