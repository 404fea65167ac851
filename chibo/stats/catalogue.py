"""The metric catalogue for people: every engine key with its Vietnamese label, its group, and
the key it is a share of (the denominator of its percentage), in the order pages and reports
show them.

The engine knows what a key counts; this module only says how to name and present it: the base
group's keys here, each registered group's (chibo.stats.groups) from its registration, after
them by its order. A test checks that the catalogue names every key of the engine and nothing
else.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chibo.stats import groups as registered


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise | str
    group: str
    of: str | None = None  # the denominator key when the number is meant as a share
    flow: bool = False  # counted over the period (from–to), not as of a day


@dataclass(frozen=True)
class Group:
    key: str
    label: Promise | str
    flow: bool = False


BASE_GROUPS = [
    Group("members", _("Đảng viên")),
    Group("age", _("Độ tuổi")),
    Group("education", _("Trình độ học vấn, chuyên môn")),
    Group("theory", _("Trình độ lý luận chính trị")),
    Group("orgs", _("Tổ chức đảng")),
    Group("villages", _("Thôn, tổ dân phố và chi bộ thôn")),
    Group("admissions", _("Kết nạp, công nhận chính thức trong kỳ"), flow=True),
    Group("movements", _("Giảm, chuyển sinh hoạt trong kỳ"), flow=True),
]

T = "members.total"
VC = "village_cells.total"
A = "admitted"

_METRICS = [
    ("members", T, _("Tổng số đảng viên"), None),
    ("members", "members.official", _("Đảng viên chính thức"), T),
    ("members", "members.probationary", _("Đảng viên dự bị"), T),
    ("members", "members.female", _("Đảng viên nữ"), T),
    ("members", "members.ethnic_minority", _("Đảng viên người dân tộc thiểu số"), T),
    ("members", "members.religious", _("Đảng viên có đạo"), T),
    ("members", "members.exempt", _("Đảng viên được miễn công tác và sinh hoạt đảng"), T),
    ("age", "members.age.upto_30", _("Từ 30 tuổi trở xuống"), T),
    ("age", "members.age.31_40", _("Từ 31 đến 40 tuổi"), T),
    ("age", "members.age.41_50", _("Từ 41 đến 50 tuổi"), T),
    ("age", "members.age.51_60", _("Từ 51 đến 60 tuổi"), T),
    ("age", "members.age.over_60", _("Từ 61 tuổi trở lên"), T),
    ("education", "members.general.high_school", _("Học vấn trung học phổ thông"), T),
    ("education", "members.professional.any", _("Có trình độ chuyên môn"), T),
    ("education", "members.professional.university_plus", _("Đại học trở lên"), T),
    ("education", "members.professional.none", _("Chuyên môn: chưa qua đào tạo"), T),
    ("education", "members.professional.vocational", _("Chuyên môn: sơ cấp nghề"), T),
    ("education", "members.professional.intermediate", _("Chuyên môn: trung cấp"), T),
    ("education", "members.professional.college", _("Chuyên môn: cao đẳng"), T),
    ("education", "members.professional.university", _("Chuyên môn: đại học"), T),
    ("education", "members.professional.master", _("Chuyên môn: thạc sĩ"), T),
    ("education", "members.professional.doctor", _("Chuyên môn: tiến sĩ"), T),
    ("theory", "members.theory.none", _("Lý luận chính trị: chưa qua đào tạo"), T),
    ("theory", "members.theory.elementary", _("Lý luận chính trị: sơ cấp"), T),
    ("theory", "members.theory.intermediate", _("Lý luận chính trị: trung cấp"), T),
    ("theory", "members.theory.advanced", _("Lý luận chính trị: cao cấp"), T),
    ("orgs", "orgs.grassroots", _("Tổ chức cơ sở đảng"), None),
    ("orgs", "orgs.grassroots_committee", _("Đảng bộ cơ sở"), "orgs.grassroots"),
    ("orgs", "orgs.grassroots_cell", _("Chi bộ cơ sở"), "orgs.grassroots"),
    ("orgs", "orgs.partial_committee", _("Đảng bộ bộ phận"), None),
    ("orgs", "orgs.cell", _("Chi bộ trực thuộc đảng ủy cơ sở"), None),
    ("villages", "villages.total", _("Thôn, tổ dân phố"), None),
    ("villages", "villages.with_cell", _("Thôn, tổ dân phố có chi bộ độc lập"), "villages.total"),
    ("villages", VC, _("Chi bộ thôn, tổ dân phố"), None),
    ("villages", "village_cells.secretary_village_head",
     _("Bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng tổ dân phố"), VC),
    ("villages", "village_cells.secretary_front_head",
     _("Bí thư chi bộ đồng thời là trưởng ban công tác Mặt trận"), VC),
    ("villages", "village_cells.deputy_commune_official",
     _("Chi bộ có cán bộ, công chức cấp xã làm phó bí thư"), VC),
    ("villages", "village_cells.small", _("Chi bộ có dưới 7 đảng viên"), VC),
    ("admissions", A, _("Đảng viên được kết nạp"), None),
    ("admissions", "admitted.female", _("Kết nạp: nữ"), A),
    ("admissions", "admitted.ethnic_minority", _("Kết nạp: người dân tộc thiểu số"), A),
    ("admissions", "admitted.upto_30", _("Kết nạp: từ 30 tuổi trở xuống"), A),
    ("admissions", "admitted.high_school", _("Kết nạp: học vấn trung học phổ thông"), A),
    ("admissions", "admitted.professional_any", _("Kết nạp: có trình độ chuyên môn"), A),
    ("admissions", "admitted.university_plus", _("Kết nạp: đại học trở lên"), A),
    ("admissions", "recognized_official", _("Đảng viên được công nhận chính thức"), None),
    ("movements", "expelled", _("Khai trừ ra khỏi Đảng"), None),
    ("movements", "removed", _("Xóa tên"), None),
    ("movements", "left", _("Cho ra khỏi Đảng"), None),
    ("movements", "not_recognized", _("Không công nhận đảng viên chính thức"), None),
    ("movements", "died", _("Từ trần"), None),
    ("movements", "transferred_in", _("Chuyển sinh hoạt đến"), None),
    ("movements", "transferred_out", _("Chuyển sinh hoạt đi"), None),
]

_FLOW_GROUPS = {g.key for g in BASE_GROUPS if g.flow}
BASE_METRICS: dict[str, Metric] = {
    key: Metric(key, label, group, of, group in _FLOW_GROUPS)
    for group, key, label, of in _METRICS
}


def groups() -> list[Group]:
    """The groups in the order pages show them: the base groups, then the registered ones."""
    return [*BASE_GROUPS, *(Group(g.key, g.label, g.flow) for g in registered.ordered())]


class _Catalogue(Mapping):
    """Every key's `Metric`, read from the registry when asked (apps register after this
    module is imported)."""

    _cached: tuple[int, dict[str, Metric]] = (-1, {})

    def _all(self) -> dict[str, Metric]:
        # Rebuilt only when the groups changed since (tests register their own).
        if self._cached[0] != registered.GROUPS.version:
            found = dict(BASE_METRICS)
            for group in registered.ordered():
                found |= {m.key: Metric(m.key, m.label, group.key, m.of, group.flow)
                          for m in group.metrics}
            self._cached = (registered.GROUPS.version, found)
        return self._cached[1]

    def __getitem__(self, key: str) -> Metric:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


METRICS: Mapping[str, Metric] = _Catalogue()


def metric(key: str) -> Metric:
    """The catalogue entry of `key`; KeyError for a key the catalogue does not know."""
    return METRICS[key]


def label(key: str) -> str:
    return str(METRICS[key].label)


def grouped() -> list[tuple[Group, list[Metric]]]:
    """(group, its metrics) in catalogue order."""
    every = METRICS._all()
    return [(group, [m for m in every.values() if m.group == group.key])
            for group in groups()]


def with_denominators(keys) -> list[str]:
    """`keys` and the keys their percentages need, without repeats, in the given order."""
    needed = list(dict.fromkeys(keys))
    every = METRICS._all()
    for key in list(needed):
        denominator = every[key].of
        if denominator and denominator not in needed:
            needed.append(denominator)
    return needed


def share(values: dict[str, int], key: str, of: str | None = None) -> float | None:
    """The percentage `key` is of its denominator (or of `of`), None when there is none or it
    is 0."""
    of = of or METRICS[key].of
    if not of or not values.get(of):
        return None
    return 100 * values[key] / values[of]


# What the records page prints for each kind of flow fact (chibo.members.models.MemberFlow).
EVENT_LABELS = {
    "admitted": _("Kết nạp"),
    "readmitted": _("Kết nạp lại"),
    "official": _("Công nhận đảng viên chính thức"),
    "transfer": _("Chuyển sinh hoạt đảng"),
    "returned": _("Chuyển sinh hoạt trở lại"),
    "arrived": _("Đến sinh hoạt"),
    "transfer_out": _("Chuyển sinh hoạt ra ngoài đảng bộ"),
    "remove": _("Xóa tên"),
    "expel": _("Khai trừ"),
    "leave": _("Cho ra khỏi Đảng"),
    "die": _("Từ trần"),
    "not_recognized": _("Không công nhận đảng viên chính thức"),
}


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))
