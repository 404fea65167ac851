"""The meetings' lists, declared with the list pattern (chibo.lists): a subtree's meetings (held
and to come, as two tabs) and the findings of the compliance checks."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.accounts.policy import Capability, can
from chibo.audit.queries import cached_until_change
from chibo.core.compliance import CHECKS, Finding, Period, Subject, run_checks, subjects_of
from chibo.core.fields import subtree_range
from chibo.findings.queries import ListedFinding, record_findings
from chibo.findings.rules import RULES
from chibo.lists.spec import Choice, Column, Listing, Search, Sort, Tab
from chibo.lists.spec import Period as PeriodFilter
from chibo.meetings.capabilities import MANAGE_MEETINGS
from chibo.meetings.choices import MeetingKind, MeetingStatus
from chibo.meetings.models import Meeting
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.lists import OrgList, Subtree

# --- the meetings of a subtree ----------------------------------------------------------------


def _held(rows, listing: Listing):
    """Held: closed, or dated before today (a meeting not closed yet stays here, to close)."""
    return rows.filter(Q(date__lt=listing.today) | Q(status=MeetingStatus.CLOSED))


def _to_come(rows, listing: Listing):
    return rows.filter(date__gte=listing.today).exclude(status=MeetingStatus.CLOSED)


def _quality(rows, value: str, listing: Listing):
    return rows.filter(quality_passed=value == "passed")


def _kind(meeting: Meeting) -> str:
    text = meeting.get_kind_display()
    if meeting.combined_thematic:
        text += " + " + _("chuyên đề")
    if meeting.is_model:
        text += " · " + _("mẫu")
    return text


def _attendance(meeting: Meeting) -> str:
    if meeting.is_closed:
        return f"{meeting.attended}/{meeting.counted}"
    return format_html('<span class="badge text-bg-info">{}</span>', _("chưa kết thúc")
                       if meeting.date < timezone.localdate() else _("sắp tới"))


def _quality_badge(meeting: Meeting) -> str:
    if meeting.quality_passed:
        return format_html('<span class="badge text-bg-success">{}</span>', _("Đạt"))
    if meeting.quality_passed is False:
        return format_html('<span class="badge text-bg-warning">{}</span>', _("Chưa đạt"))
    return ""


def _quality_text(meeting: Meeting) -> str:
    return {True: _("Đạt"), False: _("Chưa đạt")}.get(meeting.quality_passed, "")


class MeetingList(OrgList):
    """The meetings of an organization's subtree: held ones (latest first) and those to come
    (soonest first), as two tabs."""

    key = "meetings.list"
    title = gettext_lazy("Sinh hoạt chi bộ")
    noun = ngettext_lazy("%(count)s buổi sinh hoạt", "%(count)s buổi sinh hoạt", "n")
    tabs = (
        Tab("held", gettext_lazy("Đã diễn ra"), where=_held, sort="latest",
            sorts=("latest", "earliest")),
        Tab("coming", gettext_lazy("Sắp tới"), where=_to_come, sort="soonest",
            sorts=("soonest", "latest")),
    )
    filters = (
        Subtree("organization__path"),
        Choice("kind", gettext_lazy("Loại"), MeetingKind.choices, field="kind"),
        Choice("quality", gettext_lazy("Chất lượng"),
               [("passed", gettext_lazy("Đạt")), ("failed", gettext_lazy("Chưa đạt"))],
               apply=_quality),
        PeriodFilter("date", default_year=None),
    )
    search = Search(gettext_lazy("Tìm theo tên chi bộ, mã buổi"),
                    fields=("organization__search_key",), exact=("code",))
    sorts = (
        Sort("latest", gettext_lazy("Mới nhất trước"), ("-date", "-id")),
        Sort("earliest", gettext_lazy("Cũ nhất trước"), ("date", "id")),
        Sort("soonest", gettext_lazy("Gần nhất trước"), ("date", "id")),
    )
    columns = (
        Column("date", gettext_lazy("Ngày"), title=True,
               link=lambda m: reverse("meetings:detail", args=[m.code])),
        Column("cell", gettext_lazy("Chi bộ"), value="organization__name", css="small"),
        Column("kind", gettext_lazy("Loại"), value=_kind, css="small"),
        Column("topic", gettext_lazy("Chủ đề")),
        Column("attendance", gettext_lazy("Dự"), html=_attendance, css="num",
               export=lambda m: m.attended if m.is_closed else None),
        Column("counted", gettext_lazy("Số phải dự"), page=False,
               export=lambda m: m.counted if m.is_closed else None),
        Column("quality", gettext_lazy("Chất lượng"), html=_quality_badge,
               export=_quality_text),
        Column("code", gettext_lazy("Mã buổi sinh hoạt"), page=False),
        Column("cell_code", gettext_lazy("Mã chi bộ"), value="organization__code", page=False),
        Column("status", gettext_lazy("Trạng thái"), value="get_status_display", page=False),
    )

    def rows(self, listing: Listing):
        low, high = subtree_range(listing.scope.path)
        return (Meeting.objects.visible_to(listing.user)
                .filter(organization__path__gte=low, organization__path__lt=high)
                .select_related("organization")
                .defer("agenda", "minutes", "conclusion", "quality_failures"))

    def context(self, listing: Listing) -> dict:
        org, user = listing.scope, listing.user
        actions = []
        if org.kind in MEMBER_HOLDING_KINDS and can(user, MANAGE_MEETINGS, org):
            actions.append((_("Lên lịch sinh hoạt"), reverse("meetings:schedule",
                                                             args=[org.code]), "btn-primary"))
        if can(user, Capability.VIEW_STATS, org):
            actions.append((_("Kiểm tra theo quy định"),
                            reverse("meetings:findings", args=[org.code]), ""))
        return {**super().context(listing), "actions": actions}

    def filename(self, listing: Listing) -> str:
        return "sinh-hoat"


# --- the findings of the compliance checks ----------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    """A finding as the page shows it: its position in `chibo check`'s order, the check's
    label, and how its subject reads (set for the rows of a page or an export only)."""

    finding: Finding
    index: int
    subject: Subject | None = None
    status: str = ""  # a record finding's: open, or the exception that allows it

    @property
    def rule(self) -> str:
        found = CHECKS.get(self.finding.check) or RULES.get(self.finding.check)
        return str(found.label) if found is not None else self.finding.check


def _record_row(item: ListedFinding, index: int) -> FindingRow:
    """A record finding (chibo.findings) in the shape of a check's, with its status: the day
    it arose is its period, and its subject links to the member it is about."""
    found = item.finding
    finding = Finding(found.key, found.org_code, found.org_name,
                      date_format(found.day, "SHORT_DATE_FORMAT"), found.subject, found.detail,
                      found.source)
    url = (reverse("members:detail", args=[found.record]) if found.file == "members.csv"
           else "")
    return FindingRow(finding, index, Subject(found.subject, url), item.status_text())


def _subject(row: FindingRow) -> str:
    subject = row.subject or Subject(row.finding.subject)
    if subject.url:
        return format_html('<a href="{}">{}</a>', subject.url, subject.label)
    return subject.label


def _rules(listing: Listing) -> list[tuple[str, str]]:
    """The rules of the tab shown: the compliance checks, or the record findings' rules."""
    if listing.tab is not None and listing.tab.key == "records":
        return [(key, RULES[key].label) for key in sorted(RULES)]
    return [(key, CHECKS[key].label) for key in sorted(CHECKS)]


class FindingsPeriod(PeriodFilter):
    """The year (default this one) and month; on the record findings' tab also "every year",
    as `chibo check` lists them without --year, and every year since 1950 (a finding arises
    on the day of its record: an admission decades ago)."""

    def years(self, listing) -> list[int]:
        if listing.tab is not None and listing.tab.key == "records":
            return list(range(listing.today.year, 1949, -1))
        return super().years(listing)

    def fields(self, listing):
        fields = super().fields(listing)
        if listing.tab is not None and listing.tab.key == "records":
            fields["year"].choices = [("", _("Mọi năm")), *fields["year"].choices]
        return fields


class FindingsList(OrgList):
    """What the rules find in a subtree, as `chibo check --org … --year … [--month …]` lists
    it, in its order, page by page: the compliance checks over the year or month (its
    "findings"), and on the second tab the record findings that arose in it, open or excepted
    (its "record_findings"; every year when no year is chosen)."""

    key = "meetings.findings"
    title = gettext_lazy("Kiểm tra theo quy định")
    noun = ngettext_lazy("%(count)s vấn đề", "%(count)s vấn đề", "n")
    capability = Capability.VIEW_STATS  # the findings read a subtree's statistics
    tabs = (
        Tab("checks", gettext_lazy("Theo quy định trong kỳ")),
        Tab("records", gettext_lazy("Trên hồ sơ")),
    )
    filters = (
        Subtree(),
        Choice("rule", gettext_lazy("Quy tắc"), _rules),
        FindingsPeriod(ahead=0),
    )
    search = Search(gettext_lazy("Tìm trong tổ chức, đối tượng, nội dung"),
                    text=lambda r: f"{r.finding.org_name} {r.finding.subject} "
                                   f"{r.finding.detail}")
    sorts = (
        Sort("rule", gettext_lazy("Theo quy tắc"),  # the order of `chibo check`
             python=lambda r: (r.index,)),
        Sort("org", gettext_lazy("Theo tổ chức"),
             python=lambda r: (r.finding.org_code, r.index)),
    )
    columns = (
        Column("check", gettext_lazy("Mã quy tắc"), value="finding__check", page=False),
        Column("rule", gettext_lazy("Quy tắc"), css="small"),
        Column("period", gettext_lazy("Kỳ"), value="finding__period", css="text-nowrap"),
        Column("org_code", gettext_lazy("Mã tổ chức"), value="finding__org_code", page=False),
        Column("org", gettext_lazy("Tổ chức"), value="finding__org_name",
               link=lambda r: reverse("organizations:detail", args=[r.finding.org_code])),
        Column("subject_code", gettext_lazy("Đối tượng (mã)"), value="finding__subject",
               page=False),
        Column("subject", gettext_lazy("Đối tượng"), html=_subject, title=True,
               export=lambda r: (r.subject or Subject(r.finding.subject)).label),
        Column("detail", gettext_lazy("Nội dung"), value="finding__detail"),
        Column("source", gettext_lazy("Căn cứ"), value="finding__source", css="small"),
        Column("status", gettext_lazy("Ngoại lệ"), css="small"),
    )

    def rows(self, listing: Listing) -> list[FindingRow]:
        org = self.subtree_org(listing)
        year = int(listing.values.get("year") or listing.today.year)
        month = listing.values.get("month")
        period = Period(year, int(month) if month else None, listing.today)
        keys = [listing.values["rule"]] if listing.values.get("rule") else None
        # A province's year of findings reads its whole subtree (about a second): kept until
        # the next recorded change, so paging through it and filtering it cost nothing more.
        key = f"findings:{org.pk}:{period.label()}:{','.join(keys or [])}"
        if listing.tab is not None and listing.tab.key == "records":
            first, last = ((period.first_day, period.last_day) if listing.values.get("year")
                           else (None, None))
            found = cached_until_change(f"record-{key}:{first}", lambda: record_findings(
                org, listing.today, keys, first=first, last=last))
            # a rule's findings may need more than the statistics (the discipline findings)
            readable = {k for k, rule in RULES.items() if rule.readable(listing.user, org)}
            found = [item for item in found if item.finding.key in readable]
            return [_record_row(item, i) for i, item in enumerate(found)]
        found = cached_until_change(key, lambda: run_checks(org, period, keys))
        return [FindingRow(f, i) for i, f in enumerate(found)]

    def prepare(self, rows: list[FindingRow], listing: Listing) -> list[FindingRow]:
        if listing.tab is not None and listing.tab.key == "records":
            return rows  # each already says how its subject reads
        described = subjects_of([row.finding for row in rows])
        return [FindingRow(row.finding, row.index,
                           described[row.finding.check, row.finding.subject]) for row in rows]

    def filename(self, listing: Listing) -> str:
        return "kiem-tra"


MEETINGS = MeetingList()
FINDINGS = FindingsList()
