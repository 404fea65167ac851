"""The lists officers work from (the list pattern, chibo.lists): the candidates of a subtree
with where each file stands, what is missing and the next deadline; and the cells with active
members that admitted nobody in 1, 2, 3 or more years (the metric `cells.no_admission`).

Both compute their rows in Python: a deadline is counted in working days on the province's
calendar, which SQL does not know. A commune has tens of candidates and a province a few
thousand, read in one statement and judged with the calendar's memo (chibo.admission.rules).
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from chibo.accounts.policy import Capability, can
from chibo.admission import metrics, queries
from chibo.admission.capabilities import MANAGE_ADMISSION
from chibo.admission.models import Candidate
from chibo.core.fields import subtree_range
from chibo.core.text import name_sort_key
from chibo.lists.spec import Choice, Column, Listing, Search, Sort, Tab
from chibo.members.lifecycle import add_months
from chibo.organizations.calendar import working_calendar
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.lists import OrgList, Subtree

# --- the candidates of a subtree --------------------------------------------------------------

FAR = date.max  # a file with no deadline sorts after every deadline


@dataclass
class CandidateRow:
    """A candidate as the list shows it: where the file stands, what is missing, the
    deadlines still running (soonest first)."""

    candidate: Candidate
    step: queries.Step
    deadlines: list[queries.Deadline]
    recognition_due: bool
    today: date
    position: int = 0
    sort_name: str = field(default="", repr=False)

    @cached_property
    def missing(self) -> list[queries.Item]:
        """Worked out for the rows shown or exported only: the checklist is most of a row's
        cost, and a province's list selects and sorts thousands."""
        return queries.missing(queries.checklist(self.candidate, self.today))

    @property
    def next_deadline(self) -> queries.Deadline | None:
        return self.deadlines[0] if self.deadlines else None

    @property
    def overdue(self) -> bool:
        return any(deadline.overdue for deadline in self.deadlines
                   if deadline.key != "recognition")


def candidate_rows(candidates, today: date) -> list[CandidateRow]:
    calendar = working_calendar()
    rows = []
    for position, candidate in enumerate(candidates):
        rows.append(CandidateRow(
            candidate, queries.step_of(candidate, today),
            queries.deadlines(candidate, today, calendar),
            queries.recognition_due(candidate, today), today, position,
            name_sort_key(candidate.full_name)))
    return rows


def subtree_candidates(user, org):
    """The candidates of `org`'s subtree that the user may see (their files are personal
    data: `member.view`), with what the rows read."""
    low, high = subtree_range(org.path)
    return (Candidate.objects.visible_to(user, Capability.VIEW_MEMBERS)
            .filter(cell__path__gte=low, cell__path__lt=high)
            .select_related("cell", "sponsor1", "sponsor2", "member").order_by("pk"))


def _deadline_html(row: CandidateRow) -> str:
    deadline = row.next_deadline
    if deadline is None:
        return ""
    if deadline.overdue:
        left = format_html('<span class="badge text-bg-danger">{}</span>',
                           ngettext("quá hạn %(n)s ngày làm việc", "quá hạn %(n)s ngày làm việc",
                                    deadline.late) % {"n": deadline.late})
    else:
        left = format_html('<span class="text-muted">{}</span>',
                           ngettext("còn %(n)s ngày làm việc", "còn %(n)s ngày làm việc",
                                    deadline.left) % {"n": deadline.left})
    return format_html('{}: <span class="text-nowrap">{}</span> {}', deadline.label,
                       deadline.due.strftime("%d/%m/%Y"), left)


def _deadline_text(row: CandidateRow) -> str:
    deadline = row.next_deadline
    return f"{deadline.label}: {deadline.due:%d/%m/%Y} ({deadline.left})" if deadline else ""


def _missing_html(row: CandidateRow) -> str:
    return format_html_join(", ", "{}", ((item.label,) for item in row.missing))


def _recognition_html(row: CandidateRow) -> str:
    if not row.recognition_due:
        return ""
    return format_html('<span class="badge text-bg-warning">{}</span>', _("Đến hạn"))


def _open(rows, listing: Listing):
    return [row for row in rows if row.step in queries.OPEN_STEPS]


def _attention(row: CandidateRow, value: str) -> bool:
    return row.overdue if value == "overdue" else row.recognition_due


def _url(row: CandidateRow) -> str:
    return reverse("admission:detail", args=[row.candidate.code])


class CandidateList(OrgList):
    """The candidates of an organization's subtree: the files still worked on (to the end of
    probation) and every file, as two tabs; by step, and what is overdue."""

    key = "admission.candidates"
    title = gettext_lazy("Phát triển đảng viên")
    noun = ngettext_lazy("%(count)s hồ sơ", "%(count)s hồ sơ", "n")
    capability = Capability.VIEW_MEMBERS  # a candidate's file is personal data
    tabs = (Tab("open", gettext_lazy("Đang xử lý"), where=_open),
            Tab("all", gettext_lazy("Tất cả hồ sơ")))
    filters = (
        Subtree(),
        Choice("step", gettext_lazy("Bước"), queries.Step.choices),
        Choice("attention", gettext_lazy("Cần xử lý"),
               [("overdue", gettext_lazy("Quá hạn")),
                ("recognition", gettext_lazy("Đến hạn xét chính thức"))]),
    )
    search = Search(gettext_lazy("Tìm theo tên, mã hồ sơ"),
                    text=lambda r: f"{r.candidate.full_name} {r.candidate.code}")
    sorts = (
        Sort("deadline", gettext_lazy("Hạn gần nhất trước"),
             python=lambda r: (r.next_deadline.due if r.next_deadline else FAR, r.position)),
        Sort("name", gettext_lazy("Theo tên"), python=lambda r: (r.sort_name, r.position)),
        Sort("cell", gettext_lazy("Theo chi bộ"),
             python=lambda r: (r.candidate.cell.path, r.sort_name, r.position)),
    )
    columns = (
        Column("name", gettext_lazy("Họ và tên"), value="candidate__full_name", link=_url,
               title=True),
        Column("code", gettext_lazy("Mã hồ sơ"), value="candidate__code", page=False),
        Column("cell", gettext_lazy("Chi bộ"), value="candidate__cell__name", css="small"),
        Column("step", gettext_lazy("Bước"), value="step__label", css="small"),
        Column("missing", gettext_lazy("Còn thiếu"), html=_missing_html, css="small",
               export=lambda r: ", ".join(item.label for item in r.missing)),
        Column("deadline", gettext_lazy("Hạn tiếp theo"), html=_deadline_html, css="small",
               export=_deadline_text),
        Column("recognition", gettext_lazy("Xét chính thức"), html=_recognition_html,
               export=lambda r: _("Đến hạn") if r.recognition_due else ""),
    )

    def rows(self, listing: Listing) -> list[CandidateRow]:
        org = self.subtree_org(listing)
        candidates = subtree_candidates(listing.user, org)
        if listing.tab is not None and listing.tab.key == "open":
            candidates = candidates.filter(queries.OPEN)  # the tab's rows, read alone
        rows = candidate_rows(candidates, listing.today)
        if step := listing.values.get("step"):
            rows = [row for row in rows if row.step == step]
        if attention := listing.values.get("attention"):
            rows = [row for row in rows if _attention(row, attention)]
        return rows

    def context(self, listing: Listing) -> dict:
        org, user = listing.scope, listing.user
        actions = [(_("Chi bộ chưa kết nạp đảng viên"),
                    reverse("admission:no_admission", args=[org.code]), "")]
        if can(user, Capability.VIEW_STATS, org):
            actions.append((_("Báo cáo công tác phát triển đảng viên"),
                            reverse("admission_documents:report", args=[org.code]), ""))
        if org.kind in MEMBER_HOLDING_KINDS and can(user, MANAGE_ADMISSION, org):
            actions[:0] = [
                (_("Thêm quần chúng ưu tú"), reverse("admission:new", args=[org.code]),
                 "btn-primary"),
                (_("Kết nạp lại"), reverse("admission:readmit", args=[org.code]), "")]
        return {**super().context(listing), "actions": actions}

    def filename(self, listing: Listing) -> str:
        return "phat-trien-dang-vien"


# --- cells without admission -------------------------------------------------------------------

YEARS = (3, 2, 1)  # the longest span first: a cell is in the longest it qualifies for


@dataclass(frozen=True)
class CellRow:
    cell: object  # the Organization
    years: int
    position: int


def _years_label(years: int) -> str:
    if years >= YEARS[0]:
        return _("%(n)s năm trở lên") % {"n": years}
    return _("%(n)s năm") % {"n": years}


def no_admission_rows(org, today: date) -> list[CellRow]:
    """The cells of `org`'s subtree counted by `cells.no_admission` over the last 3, 2 and 1
    years (the metric's own records), each in the longest span it qualifies for."""
    seen: dict[int, CellRow] = {}
    for years in YEARS:
        query = metrics.Query(today, add_months(today, -12 * years), today)
        for cell in metrics.records(org, query, metrics.NO_ADMISSION):
            if cell.pk not in seen:
                seen[cell.pk] = CellRow(cell, years, len(seen))
    return list(seen.values())


class NoAdmissionList(OrgList):
    """Cells with active members where nobody was admitted in the last 1, 2, 3+ years."""

    key = "admission.no_admission"
    title = gettext_lazy("Chi bộ chưa kết nạp đảng viên")
    noun = ngettext_lazy("%(count)s chi bộ", "%(count)s chi bộ", "n")
    capability = Capability.VIEW_STATS  # the rows of a statistic
    filters = (
        Subtree(),
        Choice("years", gettext_lazy("Không kết nạp trong"),
               [(str(n), _years_label(n)) for n in sorted(YEARS)]),
    )
    search = Search(gettext_lazy("Tìm theo tên chi bộ"), text=lambda r: r.cell.name)
    sorts = (
        Sort("years", gettext_lazy("Lâu nhất trước"),
             python=lambda r: (-r.years, r.cell.path, r.position)),
        Sort("path", gettext_lazy("Theo cây tổ chức"), python=lambda r: (r.cell.path,
                                                                          r.position)),
    )
    columns = (
        Column("cell", gettext_lazy("Chi bộ"), value="cell__name", title=True,
               link=lambda r: reverse("organizations:detail", args=[r.cell.code])),
        Column("code", gettext_lazy("Mã chi bộ"), value="cell__code", page=False),
        Column("years", gettext_lazy("Không kết nạp đảng viên trong"),
               value=lambda r: _years_label(r.years)),
    )

    def rows(self, listing: Listing) -> list[CellRow]:
        rows = no_admission_rows(self.subtree_org(listing), listing.today)
        if years := listing.values.get("years"):
            rows = [row for row in rows if row.years == int(years)]
        return rows

    def filename(self, listing: Listing) -> str:
        return "chi-bo-chua-ket-nap"


CANDIDATES = CandidateList()
NO_ADMISSION = NoAdmissionList()
