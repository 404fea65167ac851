"""The badges lists (the list pattern, chibo.lists), of an organization's subtree, read under
`member.view` (403 without it, 404 outside):

- the due list: the members who reach a milestone by the next award day — chibo.members' own
  list (`members.badges`, queries.badge_rows), with a link to propose each where the user may;
- the proposals: who was proposed for which award day, by whom, and whether it was decided;
- the badges awarded, with the actions of the process (propose, decide, the ceremony list).
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import Capability, can
from chibo.badges import findings, queries
from chibo.badges.capabilities import MANAGE_BADGES, PROPOSE_BADGES
from chibo.badges.choices import EarlyReason, ProposalStatus
from chibo.badges.models import record_key
from chibo.badges.rules import MILESTONES
from chibo.core.fields import path_ids
from chibo.lists.spec import Choice, Column, Listing, Search, Sort
from chibo.members.lists import BadgeList as MembersDueList
from chibo.members.queries import badge_round
from chibo.organizations.lists import OrgList, Subtree
from chibo.organizations.models import Organization

YEARS = Choice("years", gettext_lazy("Huy hiệu"), lambda listing: [
    (m, _("%(n)s năm") % {"n": m}) for m in MILESTONES], field="years")


def _member_url(row) -> str:
    return reverse("members:detail", args=[row.member.member_code])


def province_of(org: Organization) -> Organization | None:
    """The provincial committee above (or at) `org`: who decides the badges."""
    return Organization.objects.filter(pk__in=path_ids(org.path), kind="provincial").first()


def actions_of(listing: Listing) -> list[tuple[str, str, str]]:
    org, user = listing.scope, listing.user
    actions = [(str(_("Đến hạn")), reverse("badges:due", args=[org.code]), ""),
               (str(_("Đề nghị")), reverse("badges:proposals", args=[org.code]), ""),
               (str(_("Danh sách lễ trao")), reverse("badges:ceremony", args=[org.code]), "")]
    province = province_of(org)
    if province is not None and can(user, MANAGE_BADGES, province):
        actions.insert(0, (str(_("Quyết định tặng")), reverse(
            "badges:decide", args=[province.code]), "btn-primary"))
    return actions


class BadgeOrgList(OrgList):
    capability = Capability.VIEW_MEMBERS

    def context(self, listing: Listing) -> dict:
        return {**super().context(listing), "actions": actions_of(listing)}


class AwardedList(BadgeOrgList):
    """The badges awarded to the members of a subtree, newest first."""

    key = "badges.list"
    title = gettext_lazy("Huy hiệu Đảng")
    noun = ngettext_lazy("%(count)s huy hiệu", "%(count)s huy hiệu", "n")
    filters = (Subtree(), YEARS,
               Choice("early_reason", gettext_lazy("Trao sớm"), EarlyReason.choices,
                      field="early_reason"))
    search = Search(gettext_lazy("Tìm theo tên, mã đảng viên"), fields=("member__search_key",),
                    exact=("member__member_code",))
    sorts = (Sort("newest", gettext_lazy("Mới nhất trước"), ("-awarded_on", "-years", "pk")),
             Sort("name", gettext_lazy("Theo tên"), ("member__sort_key", "pk")))
    columns = (
        Column("full_name", gettext_lazy("Họ và tên"), value="member__full_name",
               link=_member_url, title=True),
        Column("member_code", gettext_lazy("Mã đảng viên"), value="member__member_code",
               page=False),
        Column("years", gettext_lazy("Huy hiệu"), value=lambda b: _("%(n)s năm") % {
            "n": b.years}, export=lambda b: b.years),
        Column("awarded_on", gettext_lazy("Ngày trao"), css="text-nowrap"),
        Column("early_reason", gettext_lazy("Trao sớm"), value="get_early_reason_display"),
        Column("decision_no", gettext_lazy("Số quyết định"), css="small"),
        Column("cell", gettext_lazy("Chi bộ"), value="member__cell__name", css="small"),
    )

    def rows(self, listing: Listing):
        return queries.badges_for(listing.user, self.subtree_org(listing))

    def filename(self, listing: Listing) -> str:
        return "huy-hieu-da-trao"


def _decide_link(proposal) -> str | None:
    return getattr(proposal, "decide_url", None)


class ProposalList(BadgeOrgList):
    """The proposals of the members of a subtree, by award day."""

    key = "badges.proposals"
    title = gettext_lazy("Đề nghị tặng Huy hiệu Đảng")
    noun = ngettext_lazy("%(count)s đề nghị", "%(count)s đề nghị", "n")
    filters = (Subtree(), YEARS,
               Choice("status", gettext_lazy("Tình trạng"), ProposalStatus.choices,
                      field="status"))
    search = Search(gettext_lazy("Tìm theo tên, mã đảng viên"), fields=("member__search_key",),
                    exact=("member__member_code",))
    sorts = (Sort("day", gettext_lazy("Theo đợt trao"), ("-award_day", "cell__code",
                                                         "member__sort_key", "pk")),)
    columns = (
        Column("full_name", gettext_lazy("Họ và tên"), value="member__full_name",
               link=_member_url, title=True),
        Column("years", gettext_lazy("Huy hiệu"), value=lambda p: _("%(n)s năm") % {
            "n": p.years}, export=lambda p: p.years),
        Column("award_day", gettext_lazy("Đợt trao"), css="text-nowrap"),
        Column("early_reason", gettext_lazy("Trao sớm"), value="get_early_reason_display"),
        Column("proposed_by", gettext_lazy("Cấp đề nghị"), value="proposed_by__name",
               css="small"),
        Column("status", gettext_lazy("Tình trạng"), value="get_status_display",
               link=_decide_link),
        Column("warnings", gettext_lazy("Nếu trao đúng đợt"), css="small",
               value=lambda p: getattr(p, "warnings", "")),
    )

    def rows(self, listing: Listing):
        return queries.proposals_for(listing.user, self.subtree_org(listing))

    def prepare(self, rows: list, listing: Listing) -> list:
        """Each proposal still open with the findings its award on the proposed day would
        raise (the rules' words come at the decision), and the decision's link."""
        pending = [p for p in rows if p.status == ProposalStatus.PROPOSED]
        found = findings.judge([findings.row_of(p.member, p.years, p.award_day, p.early_reason)
                                for p in pending])
        for proposal in pending:
            record = record_key(proposal.member.member_code, proposal.years)
            proposal.warnings = " ".join(f.detail for f in found if f.record == record)
        province = province_of(listing.scope)
        if province is not None and can(listing.user, MANAGE_BADGES, province):
            base = reverse("badges:decide", args=[province.code])
            for proposal in rows:
                if proposal.status == ProposalStatus.PROPOSED:
                    proposal.decide_url = f"{base}?proposal={proposal.pk}"
        return rows

    def filename(self, listing: Listing) -> str:
        return "de-nghi-huy-hieu"


def _propose_html(member) -> str:
    url = getattr(member, "propose_url", None)
    if not url:
        return ""
    return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>', url,
                       _("Đề nghị"))


class DueList(MembersDueList):
    """The members due a badge at the next award day (chibo.members' list), each with a link to
    propose them where the user holds `badge.propose`."""

    key = "badges.due"
    columns = (*MembersDueList.columns,
               Column("propose", gettext_lazy("Đề nghị"), html=_propose_html, export=False))

    def prepare(self, rows: list, listing: Listing) -> list:
        rows = super().prepare(rows, listing)
        award, _previous = badge_round(listing.today)
        org = listing.scope
        if can(listing.user, PROPOSE_BADGES, org):
            base = reverse("badges:propose", args=[org.code])
            for member in rows:
                member.propose_url = (f"{base}?member={member.member_code}"
                                      f"&years={member.milestone}&day={award.isoformat()}")
        return rows

    def context(self, listing: Listing) -> dict:
        return {**super().context(listing), "actions": actions_of(listing)}

    def filename(self, listing: Listing) -> str:
        return "den-han-huy-hieu"


AWARDED = AwardedList()
PROPOSALS = ProposalList()
DUE = DueList()
