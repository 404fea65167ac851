"""The members' lists, declared with the list pattern (chibo.lists): a subtree's members (the
filters of `queries.MemberFilter`, shared with the API) and the badges of the next round."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import Capability, can
from chibo.core.db import Unindexed
from chibo.lists.spec import Choice, Column, Listing, ListSpec, Period, Search, Sort, Text
from chibo.members import queries
from chibo.members.choices import Gender, MemberStatus, PostRole, ProfessionalLevel, TheoryLevel
from chibo.members.models import FileRead, FileReadChannel, Member
from chibo.organizations.lists import OrgList, Subtree
from chibo.organizations.models import Organization

NOUN = ngettext_lazy("%(count)s đảng viên", "%(count)s đảng viên", "n")


def _member_url(member: Member) -> str:
    return reverse("members:detail", args=[member.member_code])


def _status(member: Member) -> str:
    text = member.get_status_display()
    return f"{text} · {_('miễn')}" if member.is_exempt else text


def _scoped(listing: Listing, name_walk: bool = False):
    """The members the user may see (with `name_walk`: by their cell's id, which no index
    serves, instead of a join on the cells' paths; the same members)."""
    if not name_walk:
        return Member.objects.visible_to(listing.user, Capability.VIEW_MEMBERS)
    cells = Organization.objects.visible_to(listing.user, Capability.VIEW_MEMBERS).values("pk")
    return Member.objects.alias(_scope=Unindexed("cell_id")).filter(_scope__in=cells)


class MemberList(OrgList):
    """The members of an organization's subtree, in Vietnamese name order; the filters are
    `queries.MemberFilter`'s (the API's too), the search its accent-free name search."""

    key = "members.list"
    title = gettext_lazy("Đảng viên")
    noun = NOUN
    capability = Capability.VIEW_MEMBERS
    filters = (
        Subtree(),
        Choice("status", gettext_lazy("Tình trạng"),
               [("active", gettext_lazy("Đang sinh hoạt")), ("", gettext_lazy("Tất cả")),
                *MemberStatus.choices], default="active", blank=None),
        Choice("gender", gettext_lazy("Giới tính"), Gender.choices),
        Text("ethnicity", gettext_lazy("Dân tộc"), max_length=50,
             help_text=gettext_lazy("“minority” = dân tộc thiểu số")),
        Choice("age_band", gettext_lazy("Độ tuổi"), list(zip(
            queries.AGE_BANDS, ["≤ 30", "31–40", "41–50", "51–60", "> 60"], strict=True))),
        Choice("general_education", gettext_lazy("Giáo dục phổ thông"),
               [(v, v) for v in ("12/12", "10/10", "9/12", "9/10", "7/10")]),
        Choice("professional_level", gettext_lazy("Chuyên môn"), ProfessionalLevel.choices),
        Choice("theory_level", gettext_lazy("Lý luận chính trị"), TheoryLevel.choices),
        Choice("exempt", gettext_lazy("Miễn sinh hoạt"),
               [("yes", gettext_lazy("Được miễn")), ("no", gettext_lazy("Không miễn"))]),
        Choice("post", gettext_lazy("Chức vụ"), PostRole.choices),
    )
    search = Search(gettext_lazy("Tìm theo tên, mã, số định danh"), fields=("search_key",),
                    exact=("member_code", "national_id"))
    sorts = (
        Sort("name", gettext_lazy("Theo tên"), queries.NAME_ORDER),
        Sort("admitted", gettext_lazy("Theo ngày kết nạp"), ("admitted_on", "pk")),
    )
    columns = (
        Column("member_code", gettext_lazy("Mã đảng viên"), page=False),
        Column("full_name", gettext_lazy("Họ và tên"), link=_member_url, title=True),
        Column("gender", gettext_lazy("Giới tính"), value="get_gender_display", page=False),
        Column("birth_date", gettext_lazy("Ngày sinh"), css="text-nowrap"),
        Column("national_id", gettext_lazy("Số định danh cá nhân"), value="shown_national_id",
               page=False),
        Column("ethnicity", gettext_lazy("Dân tộc"), page=False),
        Column("religion", gettext_lazy("Tôn giáo"), page=False),
        Column("general_education", gettext_lazy("Giáo dục phổ thông"), page=False),
        Column("professional_level", gettext_lazy("Chuyên môn"),
               value="get_professional_level_display", page=False),
        Column("theory_level", gettext_lazy("Lý luận chính trị"),
               value="get_theory_level_display", page=False),
        Column("admitted_on", gettext_lazy("Ngày kết nạp"), page=False),
        Column("official_on", gettext_lazy("Ngày chính thức"), page=False),
        Column("cell", gettext_lazy("Chi bộ"), value="cell__name", css="small"),
        Column("status", gettext_lazy("Tình trạng"), value=_status, css="small",
               export=lambda m: m.get_status_display()),
        Column("is_exempt", gettext_lazy("Miễn sinh hoạt"), page=False),
    )

    def rows(self, listing: Listing):
        values = {name: listing.values.get(name) or "" for name in (
            "status", "gender", "ethnicity", "age_band", "general_education",
            "professional_level", "theory_level", "exempt", "post")}
        path = self.subtree_org(listing).path
        chosen = queries.MemberFilter(org_path=path, **values)
        # A large subtree's list in name order walks the name index (the application picks
        # the plan): the scope then goes by the cells' ids too, so that no join leads.
        walk = (listing.sort.key == "name" and not listing.term and queries.walks_names(path))
        members = _scoped(listing, walk)
        return chosen.apply(members, listing.today, name_walk=walk).select_related("cell")

    def prepare(self, rows: list, listing: Listing) -> list:
        shown = queries.national_ids_for(listing.user)
        for member in rows:
            member.shown_national_id = shown(member)
        return rows

    def context(self, listing: Listing) -> dict:
        org, actions = listing.scope, []
        if can(listing.user, Capability.MANAGE_MEMBERS, org):
            actions.append((_("Kết nạp, tiếp nhận"), reverse("members:admit", args=[org.code]),
                            "btn-primary"))
        actions.append((_("Huy hiệu Đảng"), reverse("members:badges", args=[org.code]), ""))
        return {**super().context(listing), "actions": actions}

    def filename(self, listing: Listing) -> str:
        return "dang-vien"


class BadgeList(OrgList):
    """The members of a subtree who reach a milestone of party age (30, 40, … years) by the
    next award date (3/2, 19/5, 2/9, 7/11): the next round of Party badges."""

    key = "members.badges"
    title = gettext_lazy("Huy hiệu Đảng")
    noun = NOUN
    capability = Capability.VIEW_MEMBERS
    filters = (
        Subtree(),
        Choice("milestone", gettext_lazy("Huy hiệu"), lambda listing: [
            (m, _("%(n)s năm") % {"n": m}) for m in queries.BADGE_MILESTONES],
               field="milestone"),
    )
    search = Search(gettext_lazy("Tìm theo tên, mã đảng viên"), fields=("search_key",),
                    exact=("member_code",))
    sorts = (
        Sort("milestone", gettext_lazy("Theo huy hiệu"), ("-milestone", *queries.NAME_ORDER)),
        Sort("name", gettext_lazy("Theo tên"), queries.NAME_ORDER),
    )
    columns = (
        Column("milestone", gettext_lazy("Huy hiệu"),
               value=lambda m: _("%(n)s năm") % {"n": m.milestone},
               export=lambda m: m.milestone),
        Column("member_code", gettext_lazy("Mã đảng viên"), page=False),
        Column("full_name", gettext_lazy("Họ và tên"), link=_member_url, title=True),
        Column("birth_date", gettext_lazy("Ngày sinh"), page=False),
        Column("admitted_on", gettext_lazy("Ngày kết nạp"), css="text-nowrap"),
        Column("cell", gettext_lazy("Chi bộ"), value="cell__name", css="small"),
    )

    @staticmethod
    def round(listing: Listing):
        return queries.badge_round(listing.today)

    def rows(self, listing: Listing):
        award, previous = self.round(listing)
        members = queries.MemberFilter(org_path=self.subtree_org(listing).path,
                                       status="").apply(_scoped(listing), listing.today)
        return queries.badge_rows(members, award, previous).select_related("cell")

    def context(self, listing: Listing) -> dict:
        award, _previous = self.round(listing)
        return {**super().context(listing), "intro": _(
            "Đảng viên đạt mốc Huy hiệu Đảng đợt %(day)s") % {"day": award.strftime("%d/%m/%Y")}}

    def filename(self, listing: Listing) -> str:
        return "huy-hieu"




class FileReadList(ListSpec):
    """Who read which member's full file, when, and how (the page or the API): the reads of
    the subtrees where the user holds audit.trail (the administrator), newest first."""

    key = "members.file_reads"
    title = gettext_lazy("Lượt xem hồ sơ đảng viên")
    noun = ngettext_lazy("%(count)s lượt xem", "%(count)s lượt xem", "n")
    capability = Capability.VIEW_AUDIT_TRAIL
    filters = (
        Text("reader", gettext_lazy("Người xem"), field="reader_name",
             help_text=gettext_lazy("tên đăng nhập")),
        Text("member", gettext_lazy("Mã đảng viên"), field="member__member_code"),
        Choice("channel", gettext_lazy("Qua"), FileReadChannel.choices, field="channel"),
        Period("at__date", default_year=None),
    )
    sorts = (Sort("newest", gettext_lazy("Mới nhất trước"), ("-at", "-pk")),)
    columns = (
        Column("at", gettext_lazy("Thời gian"), css="text-nowrap"),
        Column("reader_name", gettext_lazy("Người xem")),
        Column("member", gettext_lazy("Hồ sơ của"), value="member__full_name",
               link=lambda read: _member_url(read.member), title=True),
        Column("member_code", gettext_lazy("Mã đảng viên"), value="member__member_code",
               page=False),
        Column("channel", gettext_lazy("Qua"), value="get_channel_display"),
    )

    def resolve(self, user, **kwargs):
        if not can(user, Capability.VIEW_AUDIT_TRAIL):
            raise PermissionDenied
        return None

    def rows(self, listing: Listing):
        return (FileRead.objects.visible_to(listing.user, Capability.VIEW_AUDIT_TRAIL)
                .select_related("member"))

    def filename(self, listing: Listing) -> str:
        return "luot-xem-ho-so"


MEMBERS = MemberList()
BADGES = BadgeList()
FILE_READS = FileReadList()
