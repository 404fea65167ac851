"""The inspection lists (the list pattern, chibo.lists), all of an organization's subtree and all
confidential (`inspection.view` on the URL's organization, 403 without it, 404 outside):

- the inspections and supervisions carried out by the subtree's organizations (kind, body,
  dates, how many subjects, open or closed), by year and kind;
- the discipline decisions on the subtree's organizations and members (form, subject, decided,
  the standing form after an appeal, the appeal), by year, form and appeal;
- the follow-ups the conclusions asked for, those still due first;
- the inspection and supervision programmes of the subtree's committees.

Every list reads through the restricted querysets (chibo.inspection.models), so a row outside
the user's `inspection.view` scope never appears, whatever the URL says.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import can
from chibo.core.fields import subtree_range
from chibo.inspection import queries
from chibo.inspection.capabilities import MANAGE_INSPECTION, VIEW_INSPECTION
from chibo.inspection.choices import AppealOutcome, Body, Form, Kind
from chibo.lists.spec import Choice, Column, Listing, Search, Sort, Tab
from chibo.lists.spec import Period as PeriodFilter
from chibo.organizations.lists import OrgList, Subtree


def _in_subtree(path: str, *fields: str) -> Q:
    """Rows whose path `fields` (any of them) lie in the subtree at `path`."""
    low, high = subtree_range(path)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__gte": low, f"{name}__lt": high})
    return condition


class InspectionOrgList(OrgList):
    """A confidential list of an organization's subtree."""

    capability = VIEW_INSPECTION

    def crumbs(self, listing: Listing) -> list[tuple[str, str]]:
        org = listing.scope
        return [(org.name, reverse("organizations:detail", args=[org.code])),
                (str(self.title), "")]


def _actions(listing: Listing, *links) -> list[tuple[str, str, str]]:
    """The list's buttons: `links` are (label, URL name, css, needs manage)."""
    org, user = listing.scope, listing.user
    manage = can(user, MANAGE_INSPECTION, org)
    return [(str(label), reverse(name, args=[org.code]), css)
            for label, name, css, managing in links if manage or not managing]


# --- inspections and supervisions ---------------------------------------------------------------

def inspection_url(inspection) -> str:
    return reverse("inspection:detail", args=[inspection.code])


def _status_html(inspection) -> str:
    if inspection.end_on is None:
        return format_html('<span class="badge text-bg-warning">{}</span>', _("Đang tiến hành"))
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("Đã kết thúc"))


def _state(rows, value: str, listing: Listing):
    return rows.filter(end_on__isnull=value == "open")


STATES = [("open", gettext_lazy("Đang tiến hành")), ("closed", gettext_lazy("Đã kết thúc"))]
KIND_GROUPS = [("inspection", gettext_lazy("Kiểm tra (mọi loại)")),
               ("supervision", gettext_lazy("Giám sát (mọi loại)")), *Kind.choices]


def _kind(rows, value: str, listing: Listing):
    if value == "inspection":
        return rows.filter(kind__startswith="inspection_")
    if value == "supervision":
        return rows.filter(kind__startswith="supervision_")
    return rows.filter(kind=value)


class InspectionList(InspectionOrgList):
    """The inspections and supervisions carried out by the organizations of a subtree (by its
    committees, standing committees and inspection commissions), latest first."""

    key = "inspection.inspections"
    title = gettext_lazy("Kiểm tra, giám sát")
    noun = ngettext_lazy("%(count)s cuộc", "%(count)s cuộc", "n")
    filters = (
        Subtree("org__path"),
        Choice("kind", gettext_lazy("Loại"), KIND_GROUPS, apply=_kind),
        Choice("by_body", gettext_lazy("Chủ thể"), Body.choices, field="by_body"),
        Choice("state", gettext_lazy("Tình trạng"), STATES, apply=_state),
        PeriodFilter("start_on", default_year=None, back=10),
    )
    search = Search(gettext_lazy("Tìm theo mã, số quyết định"), exact=("code", "decision_no"))
    sorts = (
        Sort("latest", gettext_lazy("Mới nhất trước"), ("-start_on", "-id")),
        Sort("earliest", gettext_lazy("Cũ nhất trước"), ("start_on", "id")),
    )
    columns = (
        Column("start_on", gettext_lazy("Bắt đầu"), title=True, link=inspection_url),
        Column("title", gettext_lazy("Nội dung")),
        Column("kind", gettext_lazy("Loại"), value="get_kind_display", css="small"),
        Column("org", gettext_lazy("Tổ chức tiến hành"), value="org__name", css="small"),
        Column("by_body", gettext_lazy("Chủ thể"), value="get_by_body_display", css="small"),
        Column("end_on", gettext_lazy("Kết thúc")),
        Column("subject_count", gettext_lazy("Đối tượng"), css="num"),
        Column("state", gettext_lazy("Tình trạng"), html=_status_html,
               export=lambda i: _("Đang tiến hành") if i.end_on is None else _("Đã kết thúc")),
        Column("code", gettext_lazy("Mã"), page=False),
        Column("org_code", gettext_lazy("Mã tổ chức"), value="org__code", page=False),
        Column("decision_no", gettext_lazy("Số quyết định"), page=False),
    )

    def rows(self, listing: Listing):
        return queries.inspections_for(listing.user).filter(
            _in_subtree(listing.scope.path, "org__path"))

    def context(self, listing: Listing) -> dict:
        actions = _actions(
            listing,
            (_("Mở cuộc kiểm tra, giám sát"), "inspection:open", "btn-primary", True),
            (_("Chương trình"), "inspection:programmes", "", False),
            (_("Việc khắc phục"), "inspection:follow_ups", "", False),
            (_("Kỷ luật"), "inspection:disciplines", "", False))
        return {**super().context(listing), "actions": actions}

    def filename(self, listing: Listing) -> str:
        return "kiem-tra-giam-sat"


# --- discipline -------------------------------------------------------------------------------

def discipline_url(discipline) -> str:
    return reverse("inspection:discipline", args=[discipline.code])


def subject_name(record) -> str:
    """A subject's name (a member's, with their code; an organization's)."""
    if record.member_id:
        return f"{record.member.full_name} ({record.member.member_code})"
    return record.org.name


def _standing(discipline) -> str:
    standing = discipline.standing_form
    return Form(standing).label if standing else _("Không (đã xóa bỏ)")


def appeal_text(discipline) -> str:
    if discipline.appealed_on is None:
        return ""
    if not discipline.appeal_outcome:
        return _("Khiếu nại ngày %(day)s, chưa giải quyết") % {
            "day": discipline.appealed_on.strftime("%d/%m/%Y")}
    return _("%(outcome)s ngày %(day)s") % {
        "outcome": AppealOutcome(discipline.appeal_outcome).label,
        "day": discipline.appeal_decided_on.strftime("%d/%m/%Y")}


APPEALS = [("none", gettext_lazy("Không khiếu nại")),
           ("pending", gettext_lazy("Khiếu nại chưa giải quyết")),
           ("decided", gettext_lazy("Khiếu nại đã giải quyết"))]


def _appeal(rows, value: str, listing: Listing):
    if value == "none":
        return rows.filter(appealed_on__isnull=True)
    if value == "pending":
        return rows.filter(appealed_on__isnull=False, appeal_outcome="")
    return rows.filter(appealed_on__isnull=False).exclude(appeal_outcome="")


def _subject_kind(rows, value: str, listing: Listing):
    return rows.filter(member__isnull=value == "org")


class DisciplineSubtree(Subtree):
    """A decision lies under its subject: the organization, or the member's cell."""

    def apply(self, rows, listing: Listing):
        org = self.chosen(listing)
        if org is None:
            return rows
        return rows.filter(_in_subtree(org.path, "org__path", "member__cell__path"))


class DisciplineList(InspectionOrgList):
    """The discipline decisions on the organizations and members of a subtree (whoever decided
    them), latest first, with the form standing after an appeal."""

    key = "inspection.disciplines"
    title = gettext_lazy("Kỷ luật đảng")
    noun = ngettext_lazy("%(count)s quyết định", "%(count)s quyết định", "n")
    filters = (
        DisciplineSubtree(),
        Choice("form", gettext_lazy("Hình thức"), Form.choices, field="form"),
        Choice("subject", gettext_lazy("Đối tượng"),
               [("member", gettext_lazy("Đảng viên")), ("org", gettext_lazy("Tổ chức đảng"))],
               apply=_subject_kind),
        Choice("appeal", gettext_lazy("Khiếu nại"), APPEALS, apply=_appeal),
        PeriodFilter("decided_on", default_year=None, back=10),
    )
    search = Search(gettext_lazy("Tìm theo tên đảng viên, mã, số quyết định"),
                    fields=("member__search_key",),
                    exact=("code", "decision_no", "member__member_code"))
    sorts = (
        Sort("latest", gettext_lazy("Mới nhất trước"), ("-decided_on", "-id")),
        Sort("earliest", gettext_lazy("Cũ nhất trước"), ("decided_on", "id")),
    )
    columns = (
        Column("decided_on", gettext_lazy("Ngày quyết định"), title=True, link=discipline_url),
        Column("subject", gettext_lazy("Đối tượng"), value=subject_name),
        Column("form", gettext_lazy("Hình thức"), value="get_form_display"),
        Column("standing", gettext_lazy("Hình thức hiện nay"), value=_standing, css="small"),
        Column("decided_by", gettext_lazy("Cấp quyết định"), value="decided_by__name",
               css="small"),
        Column("by_body", gettext_lazy("Chủ thể"), value="get_by_body_display", css="small"),
        Column("appeal", gettext_lazy("Khiếu nại"), value=appeal_text, css="small"),
        Column("code", gettext_lazy("Mã"), page=False),
        Column("decision_no", gettext_lazy("Số quyết định"), page=False),
        Column("violation_on", gettext_lazy("Ngày vi phạm"), page=False),
        Column("effective_on", gettext_lazy("Ngày hiệu lực"), value="effective_day",
               page=False),
    )

    def rows(self, listing: Listing):
        return queries.disciplines_for(listing.user).filter(
            _in_subtree(listing.scope.path, "org__path", "member__cell__path"))

    def context(self, listing: Listing) -> dict:
        actions = _actions(
            listing,
            (_("Ghi quyết định kỷ luật"), "inspection:decide", "btn-primary", True),
            (_("Kiểm tra, giám sát"), "inspection:list", "", False))
        return {**super().context(listing), "actions": actions}

    def filename(self, listing: Listing) -> str:
        return "ky-luat-dang"


# --- follow-ups -------------------------------------------------------------------------------

def _due(rows, listing: Listing):
    return rows.filter(follow_up_done_on__isnull=True)


def _overdue_html(subject) -> str:
    if subject.follow_up_done_on is not None:
        return format_html('<span class="text-muted">{}</span>', _("Đã hoàn thành %(day)s") % {
            "day": subject.follow_up_done_on.strftime("%d/%m/%Y")})
    if subject.follow_up_due < subject.today:
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Quá hạn"))
    return format_html('<span class="text-muted">{}</span>', _("Chưa đến hạn"))


def _follow_up_state(subject) -> str:
    if subject.follow_up_done_on is not None:
        return _("Đã hoàn thành")
    return _("Quá hạn") if subject.follow_up_due < subject.today else _("Chưa đến hạn")


class FollowUpList(InspectionOrgList):
    """What the conclusions asked the subjects of a subtree's inspections to put right, by
    due day: the tab of those not done yet first."""

    key = "inspection.follow_ups"
    title = gettext_lazy("Việc khắc phục sau kiểm tra, giám sát")
    noun = ngettext_lazy("%(count)s việc", "%(count)s việc", "n")
    tabs = (Tab("due", gettext_lazy("Chưa hoàn thành"), where=_due),
            Tab("all", gettext_lazy("Tất cả")))
    filters = (Subtree("inspection__org__path"),
               PeriodFilter("follow_up_due", default_year=None, back=10))
    search = Search(gettext_lazy("Tìm theo tên đảng viên, mã cuộc"),
                    fields=("member__search_key",), exact=("inspection__code",))
    sorts = (
        Sort("due", gettext_lazy("Hạn gần nhất trước"), ("follow_up_due", "id")),
        Sort("latest", gettext_lazy("Hạn xa nhất trước"), ("-follow_up_due", "-id")),
    )
    columns = (
        Column("follow_up_due", gettext_lazy("Hạn"), title=True,
               link=lambda s: inspection_url(s.inspection)),
        Column("subject", gettext_lazy("Đối tượng"), value=subject_name),
        Column("follow_up", gettext_lazy("Yêu cầu khắc phục"), css="small pre-line"),
        Column("inspection", gettext_lazy("Cuộc kiểm tra, giám sát"),
               value="inspection__title", css="small"),
        Column("state", gettext_lazy("Tình trạng"), html=_overdue_html,
               export=_follow_up_state),
        Column("inspection_code", gettext_lazy("Mã cuộc"), value="inspection__code",
               page=False),
        Column("done", gettext_lazy("Ngày hoàn thành"), value="follow_up_done_on", page=False),
    )

    def rows(self, listing: Listing):
        return queries.follow_ups_for(listing.user).filter(
            _in_subtree(listing.scope.path, "inspection__org__path"))

    def prepare(self, rows: list, listing: Listing) -> list:
        for row in rows:
            row.today = listing.today
        return rows

    def filename(self, listing: Listing) -> str:
        return "khac-phuc-sau-kiem-tra"


# --- programmes -------------------------------------------------------------------------------

def programme_url(programme) -> str:
    return reverse("inspection:programme", args=[programme.pk])


def period_text(programme) -> str:
    if programme.year is not None:
        return _("Năm %(year)s") % {"year": programme.year}
    return _("Nhiệm kỳ %(start)s–%(end)s") % {"start": programme.term_from,
                                              "end": programme.term_to}


def _programme_year(rows, value: str, listing: Listing):
    year = int(value)
    return rows.filter(Q(year=year) | Q(term_from__lte=year, term_to__gte=year))


class ProgrammeList(InspectionOrgList):
    """The inspection and supervision programmes of a subtree's committees, for a year or a
    term, with how many items each holds."""

    key = "inspection.programmes"
    title = gettext_lazy("Chương trình kiểm tra, giám sát")
    noun = ngettext_lazy("%(count)s chương trình", "%(count)s chương trình", "n")
    filters = (
        Subtree("org__path"),
        Choice("year", gettext_lazy("Năm"), lambda listing: [
            (str(y), str(y)) for y in range(listing.today.year + 1, listing.today.year - 11, -1)],
            apply=_programme_year),
    )
    sorts = (Sort("latest", gettext_lazy("Mới nhất trước"), ("-id",)),)
    columns = (
        Column("title", gettext_lazy("Tên chương trình"), title=True, link=programme_url),
        Column("period", gettext_lazy("Thời kỳ"), value=period_text),
        Column("org", gettext_lazy("Tổ chức"), value="org__name", css="small"),
        Column("by_body", gettext_lazy("Chủ thể"), value="get_by_body_display", css="small"),
        Column("item_count", gettext_lazy("Nội dung"), css="num"),
    )

    def rows(self, listing: Listing):
        return queries.programmes_for(listing.user).filter(
            _in_subtree(listing.scope.path, "org__path"))

    def context(self, listing: Listing) -> dict:
        actions = _actions(
            listing,
            (_("Lập chương trình"), "inspection:new_programme", "btn-primary", True),
            (_("Kiểm tra, giám sát"), "inspection:list", "", False))
        return {**super().context(listing), "actions": actions}

    def filename(self, listing: Listing) -> str:
        return "chuong-trinh-kiem-tra-giam-sat"


INSPECTIONS = InspectionList()
DISCIPLINES = DisciplineList()
FOLLOW_UPS = FollowUpList()
PROGRAMMES = ProgrammeList()
