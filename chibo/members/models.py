"""Member files, their dated events, the periods derived from them, and posts.

`Member` keeps the starting row as recorded (admission, official recognition, the cell joined and
since when: members.csv) and `MemberEvent` every later event (member_events.csv). Replaying them
(chibo.members.lifecycle) gives `MemberPeriod` rows — when the member was active, in which cell
(followed through merges), with which status — that statistics query as of any day, and the
current state kept on `Member` for fast lists.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.core.fields import BinaryCharField
from chibo.members.choices import (
    EventKindChoices,
    Gender,
    MemberStatus,
    PostRole,
    ProfessionalLevel,
    TheoryLevel,
)
from chibo.organizations.models import END_OF_TIME, Organization, Village


class MemberQuerySet(RestrictedQuerySet):
    pass


class Member(models.Model):
    member_code = BinaryCharField(_("mã đảng viên"), max_length=64, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"))
    ethnicity = models.CharField(_("dân tộc"), max_length=50, default="Kinh")
    religion = models.CharField(_("tôn giáo"), max_length=50, blank=True)
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=255, blank=True)
    residence = models.CharField(_("nơi cư trú"), max_length=255, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=255, blank=True)
    workplace = models.CharField(_("nơi làm việc"), max_length=255, blank=True)
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=30, blank=True)
    general_education = models.CharField(_("giáo dục phổ thông"), max_length=10, blank=True)
    professional_level = models.CharField(_("chuyên môn"), max_length=16, blank=True,
                                          choices=ProfessionalLevel.choices)
    theory_level = models.CharField(_("lý luận chính trị"), max_length=16, blank=True,
                                    choices=TheoryLevel.choices)
    notes = models.TextField(_("ghi chú"), blank=True)
    # The photo's file name under the data dir's photos/ (chibo.members.photos), never a
    # public URL: the photo view checks that the viewer may see the member.
    photo = models.CharField(_("ảnh"), max_length=100, blank=True)
    age_exception = models.CharField(
        _("quyết định cho kết nạp ngoài độ tuổi"), max_length=100, blank=True,
        help_text=_("Số quyết định của cấp ủy tỉnh khi kết nạp người dưới 18 hoặc trên 60 tuổi."),
    )
    # The starting row, as recorded.
    admitted_on = models.DateField(_("ngày kết nạp"))
    official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    joined_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("chi bộ"))
    org_since = models.DateField(_("sinh hoạt từ ngày"), null=True, blank=True)
    # Derived from the replay, for fast reads.
    status = models.CharField(_("tình trạng"), max_length=20, choices=MemberStatus.choices)
    is_exempt = models.BooleanField(_("miễn sinh hoạt"), default=False)
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members",
                             verbose_name=_("chi bộ hiện nay"))
    ended_on = models.DateField(null=True, blank=True)
    search_key = models.CharField(max_length=150)
    sort_key = BinaryCharField(max_length=400)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="member")

    objects = MemberQuerySet.as_manager()
    scope_path_field = "cell__path"
    view_capability = "member.view"

    class Meta:
        db_table = "member"
        verbose_name = _("đảng viên")
        constraints = [
            models.UniqueConstraint(fields=["national_id"], condition=~Q(national_id=""),
                                    name="member_national_id_unique"),
        ]
        indexes = [
            models.Index(fields=["cell", "sort_key"], name="member_cell_sort"),
            models.Index(fields=["sort_key"], name="member_sort"),
            models.Index(fields=["status", "cell"], name="member_status"),
            models.Index(fields=["birth_date", "full_name"], name="member_dedupe"),
            # Covering the finding rules' search of a subtree (chibo.members.findings): the
            # dates they compare, by cell, without reading the wide member rows.
            models.Index(fields=["cell", "admitted_on", "birth_date", "official_on"],
                         include=["id"], name="member_cell_dates"),
            # The badges of a round (queries.badge_rows): a range of admission days per
            # milestone, the whole province's in a few milliseconds instead of a scan.
            models.Index(fields=["admitted_on", "status"], name="member_admitted"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def path(self) -> str:
        """Where the member sits for scoping and the audit trail: their cell's path."""
        return self.cell.path


class FileReadChannel(models.TextChoices):
    PAGE = "page", _("trang hồ sơ")
    API = "api", _("giao diện lập trình (API)")


class FileRead(models.Model):
    """Someone read a member's full file (its page, or the API's record): who, whose, when,
    how. Kept for the personal data protection law of 2025 (sensitive data: ethnicity,
    religion, national ID) and shown to the administrator. A log, not the audit trail: a read
    changes nothing, and chaining every read under the trail's lock would make reading wait
    on writing."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="file_reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               db_constraint=False, related_name="+")
    reader_name = models.CharField(_("người xem"), max_length=150)
    at = models.DateTimeField(_("thời gian"), db_index=True)
    channel = models.CharField(_("qua"), max_length=8, choices=FileReadChannel.choices)
    # Where the member's cell was when the file was read: the log is scoped by it.
    org_path = BinaryCharField(max_length=255, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "org_path"
    view_capability = "audit.trail"

    class Meta:
        db_table = "member_file_read"
        verbose_name = _("lượt xem hồ sơ")
        indexes = [models.Index(fields=["member", "at"], name="file_read_member")]

    def __str__(self) -> str:
        return f"{self.reader_name} → {self.member_id} {self.at:%d/%m/%Y %H:%M}"


class MemberEvent(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField(help_text="order of the member's events as recorded")
    event = models.CharField(_("sự kiện"), max_length=16, choices=EventKindChoices.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name=_("chi bộ"))
    decision_no = models.CharField(_("số quyết định"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "member__cell__path"
    view_capability = "member.view"

    class Meta:
        db_table = "member_event"
        ordering = ["member_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["member", "seq"], name="event_seq")]
        indexes = [models.Index(fields=["event", "effective_on"], name="event_kind_day")]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.event}"


# The member's attributes that statistics count by, and the name order their records are
# listed in, copied onto each of their periods.
PERIOD_PROFILE = ("gender", "birth_date", "ethnicity", "religion", "general_education",
                  "professional_level", "theory_level", "sort_key")
# The member's attributes that admissions are broken down by, copied onto each flow fact.
FLOW_PROFILE = ("gender", "ethnicity", "general_education", "professional_level")


class CountedProfile(models.Model):
    """Copies of the member's attributes that statistics count by, on a derived row, so that a
    subtree's counts read the derived rows alone: joining the member table made PostgreSQL scan
    all of it, whatever the subtree (docs/performance.md)."""

    gender = models.CharField(max_length=8, blank=True)
    ethnicity = models.CharField(max_length=50, blank=True)
    general_education = models.CharField(max_length=10, blank=True)
    professional_level = models.CharField(max_length=16, blank=True)

    class Meta:
        abstract = True


class MemberPeriod(CountedProfile):
    """[valid_from, valid_to) during which the member was active in `org` (merges followed),
    which stood at `path` throughout: a period is cut where its cell moved, so that a subtree's
    periods are one path range (chibo.organizations.paths).

    The attributes of PERIOD_PROFILE are copies of the member's, kept by the member services
    (chibo.members.services.period_values and update_member), so that a subtree's statistics
    and the first page of their records read one covering index, ordered by cell, without
    visiting the member rows (docs/performance.md).
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods",
                               db_index=False)  # mperiod_member leads with it
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            db_index=False)  # mperiod_org leads with it
    path = BinaryCharField(max_length=255)  # of `org` throughout the period
    valid_from = models.DateField()
    valid_to = models.DateField(default=END_OF_TIME)
    status = models.CharField(max_length=16)
    exempt = models.BooleanField(default=False)
    birth_date = models.DateField(null=True)
    religion = models.CharField(max_length=50, blank=True)
    theory_level = models.CharField(max_length=16, blank=True)
    sort_key = BinaryCharField(max_length=400, blank=True)

    class Meta:
        db_table = "member_period"
        indexes = [
            # Covering: the active periods of a subtree on a day, everything they are counted
            # by, and what their records are listed by. The path is a range, so the columns
            # after it narrow no seek: they come in the order of the records (by cell, then by
            # name), so that a page of a drill-down streams from the index instead of sorting
            # the subtree's members. With `org`, a page reads no table row for its cell; the id
            # is included for PostgreSQL (SQLite's indexes hold it): without it, a page of a
            # province's records among ten provinces' read the whole table (205 ms, not 69).
            models.Index(fields=["path", "sort_key", "member", "valid_from", "valid_to",
                                 "status", "exempt",
                                 *(f for f in PERIOD_PROFILE if f != "sort_key"), "org"],
                         include=["id"], name="mperiod_stats"),
            # A cell's periods still running after a day: few, where a cell's history since
            # the 1970s starts before it (whether a cell has members on a day, for each cell).
            models.Index(fields=["org", "valid_to", "valid_from"], name="mperiod_org"),
            models.Index(fields=["member", "valid_from"], name="mperiod_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.org_id} [{self.valid_from}, {self.valid_to})"


class Position(models.Model):
    """A post held from `start_on` to `end_on` (included; empty while held)."""

    # Each foreign key leads one of the indexes below (db_index=False: no second index).
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions",
                               db_index=False)
    role = models.CharField(_("chức vụ"), max_length=20, choices=PostRole.choices)
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="positions", verbose_name=_("tổ chức"), db_index=False)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="positions", verbose_name=_("thôn, tổ dân phố"),
                                db_index=False)
    start_on = models.DateField(_("từ ngày"))
    end_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "member__cell__path"
    view_capability = "member.view"

    class Meta:
        db_table = "position"
        ordering = ["start_on", "id"]
        # Covering the posts held on a day by role: of the cells of a subtree, of their
        # villages, and of one member (the village cells' metrics read thousands of them).
        indexes = [
            models.Index(fields=["org", "role", "start_on", "end_on", "member"],
                         name="position_org"),
            models.Index(fields=["village", "role", "start_on", "end_on", "member"],
                         name="position_village"),
            models.Index(fields=["member", "role", "start_on", "end_on"], name="position_member"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.member}"

    @property
    def path(self) -> str:
        return self.member.cell.path


class MemberFlow(CountedProfile):
    """A fact that flow statistics count: an admission, a recognition, an ending, a move.

    `org` is the cell concerned, followed through the merges effective on or before `ref_day`,
    whose tree places it; a transfer's leaving side is `from_org`, placed in the tree of the day
    before `day`. Derived from the member's facts by the replay (chibo.members.lifecycle), with
    the member's FLOW_PROFILE (kept like the periods' profile) and the paths of both cells on
    their reference days (chibo.organizations.paths), so that a subtree's facts are path ranges.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="flows",
                               db_index=False)  # mflow_member is its index
    kind = models.CharField(max_length=16)
    day = models.DateField()
    org = models.ForeignKey(Organization, null=True, on_delete=models.PROTECT, related_name="+",
                            db_index=False)
    ref_day = models.DateField()
    path = BinaryCharField(max_length=255, blank=True)  # of `org` on `ref_day`
    from_org = models.ForeignKey(Organization, null=True, on_delete=models.PROTECT,
                                 related_name="+", db_index=False)
    from_ref_day = models.DateField(null=True)
    from_path = BinaryCharField(max_length=255, blank=True)  # of `from_org` on `from_ref_day`
    age = models.PositiveSmallIntegerField(help_text="the member's completed age on `day`")

    class Meta:
        db_table = "member_flow"
        # The facts of a period with every column that their counts read: a province's
        # facts among all provinces' are then picked from the index alone (SQLite reads a
        # period's facts by day; the path ranges would read the subtree's whole history).
        indexes = [models.Index(fields=["day", "kind", "ref_day", "path", "from_ref_day",
                                        "from_path", *FLOW_PROFILE, "age"], name="mflow_day"),
                   models.Index(fields=["member"], name="mflow_member"),
                   # A subtree's facts of a period: one path range, then the days, so that
                   # the cost follows the subtree, not the whole table.
                   models.Index(fields=["path", "day"], name="mflow_path"),
                   models.Index(fields=["from_path", "day"], name="mflow_from_path")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.member_id}"
