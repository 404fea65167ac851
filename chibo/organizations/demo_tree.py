"""Demo data: the party organization tree of Tuyên Quang before 2025, and its 2025 reform.

Pure Python (no Django, no database); `build_tuyen_quang(seed)` returns the same `DemoTree` for
the same seed. All randomness comes from one `random.Random(seed)`.

Sources
-------
* Districts and communes are REAL: the 7 district-level units of old Tuyên Quang and their 137
  communes, wards and towns come from `vietnam_provinces.legacy` (pre-2025 data). Communes are
  numbered per district and per type (X = xã, P = phường, T = thị trấn) in legacy-code order, and
  each commune organization keeps its legacy ward code in `legacy_code`.
* Villages are GENERATED: `vietnam_provinces` has no villages. Communes get "Thôn …"/"Bản …" with
  names composed from Tày- and Kinh-style syllables; wards and towns get "Tổ dân phố 1..n". Counts
  are drawn per commune (8–20, wards/towns 8–25) and adjusted so the province has exactly 1,733
  (the real figure). Each village has exactly one party cell (`village_code` set).
* Provincial blocs and their grassroots organizations are a hand-written, plausible list (not an
  official roster). Each district also has one "Đảng bộ Cơ quan Ủy ban nhân dân …" committee.
* Dates are plausible, not historical: the province and districts from 1991-10-01 (Tuyên Quang
  re-established after Hà Tuyên was split), Lâm Bình (a newer district) from 2012-01-01; every
  child is established on or after its parent, and nothing after 2024-12-31.
* The reform of 2025-07-01 uses the REAL mapping of `vietnam_provinces` (`Ward.get_legacy_sources`
  and `Ward.search_from_legacy`) under Nghị quyết 1684/NQ-UBTVQH15 (16/06/2025); the district
  level ends under Nghị quyết 203/2025/QH15.

Reform choices
--------------
* Every old commune goes to ONE new unit (its "home"): the only one, or, for a commune split
  between several, the new unit that kept its code, else the first listed. Xã Phú Thịnh (Yên Sơn)
  has no entry in the package's conversion table; it is assumed to go with the commune listed
  just before it in its district (noted in the change).
* For each new unit, in code order: the home commune with the smallest legacy code survives; it is
  moved under TQ, renamed ("Đảng bộ xã/phường <new name>", with its new sector when the type
  changes: a town becomes a commune), and every other home commune is merged into it (their
  cells follow the merge; their villages keep pointing at them and follow the merge in
  statistics).
* Then for each district: the cells of its agency committee move under the survivor of the new
  unit that took the district seat, the empty agency committee is dissolved, then the district.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from vietnam_provinces import ProvinceCode, VietNamDivisionType, Ward, legacy

# Kinds, sectors, village kinds, change kinds (values of chibo.organizations.choices).
PROVINCIAL, DISTRICT, BLOC = "provincial", "district", "bloc"
GRASSROOTS_COMMITTEE, GRASSROOTS_CELL = "grassroots_committee", "grassroots_cell"
PARTIAL_COMMITTEE, CELL = "partial_committee", "cell"
COMMUNE, WARD, TOWN = "commune", "ward", "town"
AGENCY, PUBLIC_SERVICE_UNIT = "agency", "public_service_unit"
STATE_ENTERPRISE, NON_STATE_ENTERPRISE = "state_enterprise", "non_state_enterprise"
ARMY, POLICE = "army", "police"
VILLAGE, RESIDENTIAL_GROUP = "village", "residential_group"
MOVE, RENAME, MERGE, DISSOLVE = "move", "rename", "merge", "dissolve"

ROOT_CODE = "TQ"
ROOT_NAME = "Đảng bộ tỉnh Tuyên Quang"
ROOT_DATE = date(1991, 10, 1)
LATEST_DATE = date(2024, 12, 31)
REFORM_DATE = date(2025, 7, 1)
VILLAGE_TOTAL = 1733
COMMUNE_DECISION = "Nghị quyết 1684/NQ-UBTVQH15"
DISTRICT_DECISION = "Nghị quyết 203/2025/QH15"

OLD_PROVINCE = legacy.ProvinceCode.P_08
NEW_PROVINCE = ProvinceCode.P_08

# Per legacy district code: code abbreviation, share of Tày-style village names, share of "Bản".
DISTRICT_ABBR = {70: "TP", 71: "LB", 72: "NH", 73: "CH", 74: "HY", 75: "YS", 76: "SD"}
DISTRICT_DATES = {71: date(2012, 1, 1)}
TAY_SHARE = {"TP": 0.2, "LB": 0.85, "NH": 0.85, "CH": 0.75, "HY": 0.6, "YS": 0.45, "SD": 0.35}
BAN_SHARE = {"LB": 0.4, "NH": 0.4, "CH": 0.15}
# Legacy ward code of the district seat (its new unit receives the district's agency cells).
DISTRICT_SEATS = {70: 2203, 71: 2266, 72: 2221, 73: 2287, 74: 2374, 75: 2473, 76: 2536}

COMMUNE_LETTER = {"xã": "X", "phường": "P", "thị trấn": "T"}
COMMUNE_SECTOR = {"xã": COMMUNE, "phường": WARD, "thị trấn": TOWN}
VILLAGE_RANGE = {COMMUNE: (8, 20), WARD: (8, 25), TOWN: (8, 25)}
TYPICAL_RANGE = {COMMUNE: (9, 16), WARD: (10, 20), TOWN: (10, 20)}

TAY_FIRST = (
    "Nà", "Khuổi", "Pác", "Khau", "Cốc", "Phiêng", "Bó", "Nặm", "Lũng", "Pò", "Thẳm", "Khun",
    "Co", "Tồng", "Búng", "Kéo", "Bản", "Làng",
)
TAY_SECOND = (
    "Khà", "Phầy", "Mỏ", "Lầu", "Tông", "Vài", "Thắm", "Hẩu", "Tậu", "Chang", "Cọ", "Vằn",
    "Luông", "Pài", "Khiển", "Coóc", "Nghè", "Mạ", "Lùng", "Củng", "Đon", "Lạn", "Piát", "Trang",
    "Ho", "Chợ", "Tàm", "Ngoa", "Pồng", "Cuông", "Bây", "Quân",
)
KINH_FIRST = (
    "Tân", "Đồng", "Yên", "Xuân", "Phú", "An", "Hòa", "Thắng", "Trung", "Minh", "Bình", "Hợp",
    "Đoàn", "Quyết", "Vĩnh", "Làng", "Cây", "Gò", "Hồng", "Cầu",
)
KINH_SECOND = (
    "Lập", "Thắng", "Tiến", "Kết", "Thành", "Phong", "Mới", "Bình", "Hòa", "Lợi", "An", "Sơn",
    "Phú", "Hưng", "Thịnh", "Mạ", "Quang", "Trung", "Khê", "Đồng", "Bến", "Cả", "Gạo", "Chanh",
    "Vàng",
)

DISTRICT_AGENCY_CELLS = (
    "Chi bộ Văn phòng HĐND và UBND", "Chi bộ Phòng Tài chính - Kế hoạch", "Chi bộ Phòng Nội vụ",
    "Chi bộ Phòng Giáo dục và Đào tạo", "Chi bộ Phòng Tài nguyên và Môi trường",
    "Chi bộ Phòng Lao động - Thương binh và Xã hội", "Chi bộ Phòng Văn hóa và Thông tin",
)

# Cells of a grassroots committee, by theme.
CELL_POOLS = {
    "office": (
        "Chi bộ Văn phòng", "Chi bộ Phòng Tổ chức cán bộ", "Chi bộ Phòng Kế hoạch - Tài chính",
        "Chi bộ Thanh tra", "Chi bộ Phòng Nghiệp vụ 1", "Chi bộ Phòng Nghiệp vụ 2",
        "Chi bộ Phòng Pháp chế", "Chi bộ Trung tâm trực thuộc",
    ),
    "hospital": (
        "Chi bộ Phòng Kế hoạch tổng hợp", "Chi bộ Phòng Điều dưỡng", "Chi bộ Khoa Sản",
        "Chi bộ Khoa Nhi", "Chi bộ Khoa Hồi sức tích cực - Chống độc", "Chi bộ Khoa Xét nghiệm",
        "Chi bộ Khoa Dược", "Chi bộ Khoa Chẩn đoán hình ảnh", "Chi bộ Khoa Truyền nhiễm",
    ),
    "school": (
        "Chi bộ Phòng Đào tạo", "Chi bộ Phòng Hành chính - Tổng hợp",
        "Chi bộ Khoa Lý luận chính trị", "Chi bộ Trung tâm Thông tin - Thư viện",
        "Chi bộ Phòng Khảo thí và Đảm bảo chất lượng", "Chi bộ Sinh viên",
    ),
    "enterprise": (
        "Chi bộ Văn phòng Công ty", "Chi bộ Phòng Kỹ thuật", "Chi bộ Phòng Kinh doanh",
        "Chi bộ Phân xưởng Sản xuất", "Chi bộ Phân xưởng Cơ điện",
        "Chi bộ Phòng Tài chính - Kế toán", "Chi bộ Đội Xe",
    ),
    "bank": (
        "Chi bộ Phòng Kế hoạch - Kinh doanh", "Chi bộ Phòng Kế toán - Ngân quỹ",
        "Chi bộ Phòng Tổng hợp", "Chi bộ Phòng Giao dịch Sơn Dương",
        "Chi bộ Phòng Giao dịch Yên Sơn", "Chi bộ Phòng Giao dịch Hàm Yên",
    ),
    "army": (
        "Chi bộ Văn phòng", "Chi bộ Ban Tài chính", "Chi bộ Đại đội 1", "Chi bộ Đại đội 2",
        "Chi bộ Đại đội 3", "Chi bộ Trung đội Thông tin", "Chi bộ Ban Chỉ huy",
    ),
    "police": (
        "Chi bộ Đội Tổng hợp", "Chi bộ Đội Điều tra tổng hợp", "Chi bộ Đội Cảnh sát hình sự",
        "Chi bộ Đội Cảnh sát giao thông - Trật tự", "Chi bộ Đội An ninh",
        "Chi bộ Đội Cảnh sát kinh tế", "Chi bộ Đội Tham mưu",
    ),
}


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    sector: str
    parent_code: str
    established_on: date
    village_code: str = ""
    legacy_code: str = ""


@dataclass(frozen=True)
class VillageSpec:
    code: str
    name: str
    kind: str
    commune_code: str
    established_on: date | None = None


@dataclass(frozen=True)
class ChangeSpec:
    effective_on: date
    org_code: str
    change: str
    new_parent_code: str = ""
    new_name: str = ""
    new_sector: str = ""
    into_code: str = ""
    decision_no: str = ""
    note: str = ""


@dataclass(frozen=True)
class DemoTree:
    organizations: list[OrgSpec]
    villages: list[VillageSpec]
    reform: list[ChangeSpec]


# ---------------------------------------------------------------- grassroots of the blocs


@dataclass(frozen=True)
class _Unit:
    """A grassroots organization of a bloc. size: "cell", "committee" or "big" (with partials)."""

    abbr: str
    name: str
    sector: str
    theme: str
    size: str
    partials: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class _Bloc:
    abbr: str
    name: str
    established_on: date
    units: tuple[_Unit, ...]


def _units(sector: str, theme: str, rows: tuple[tuple[str, str, str], ...]) -> tuple[_Unit, ...]:
    return tuple(_Unit(abbr, name, sector, theme, size) for abbr, name, size in rows)


AGENCIES = _units(AGENCY, "office", (
    ("VPTU", "Văn phòng Tỉnh ủy", "committee"),
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", "committee"),
    ("VPDB", "Văn phòng Đoàn Đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "cell"),
    ("STC", "Sở Tài chính", "committee"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "cell"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "committee"),
    ("SYT", "Sở Y tế", "cell"),
    ("SNN", "Sở Nông nghiệp và Phát triển nông thôn", "committee"),
    ("SGTVT", "Sở Giao thông vận tải", "cell"),
    ("SXD", "Sở Xây dựng", "cell"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "cell"),
    ("SCT", "Sở Công Thương", "cell"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "committee"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "cell"),
    ("SNV", "Sở Nội vụ", "cell"),
    ("STP", "Sở Tư pháp", "cell"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "cell"),
    ("STTTT", "Sở Thông tin và Truyền thông", "cell"),
    ("TTT", "Thanh tra tỉnh", "cell"),
    ("BDT", "Ban Dân tộc tỉnh", "cell"),
    ("CT", "Cục Thuế tỉnh", "committee"),
    ("KBNN", "Kho bạc Nhà nước tỉnh", "cell"),
    ("BHXH", "Bảo hiểm xã hội tỉnh", "committee"),
    ("TAND", "Tòa án nhân dân tỉnh", "cell"),
    ("VKSND", "Viện Kiểm sát nhân dân tỉnh", "cell"),
))
PUBLIC_UNITS = (
    _Unit("BVDK", "Bệnh viện Đa khoa tỉnh", PUBLIC_SERVICE_UNIT, "hospital", "big", (
        ("Đảng bộ bộ phận Khối Nội", (
            "Chi bộ Khoa Nội tổng hợp", "Chi bộ Khoa Tim mạch", "Chi bộ Khoa Thận - Tiết niệu",
            "Chi bộ Khoa Thần kinh")),
        ("Đảng bộ bộ phận Khối Ngoại", (
            "Chi bộ Khoa Ngoại tổng hợp", "Chi bộ Khoa Chấn thương chỉnh hình",
            "Chi bộ Khoa Gây mê hồi sức", "Chi bộ Khoa Phẫu thuật thần kinh")),
    )),
    _Unit("DHTT", "Trường Đại học Tân Trào", PUBLIC_SERVICE_UNIT, "school", "big", (
        ("Đảng bộ bộ phận Khối Sư phạm", (
            "Chi bộ Khoa Giáo dục Mầm non", "Chi bộ Khoa Giáo dục Tiểu học",
            "Chi bộ Khoa Khoa học xã hội và Nhân văn")),
        ("Đảng bộ bộ phận Khối Kỹ thuật", (
            "Chi bộ Khoa Nông Lâm nghiệp", "Chi bộ Khoa Kỹ thuật - Công nghệ",
            "Chi bộ Khoa Kinh tế và Quản trị kinh doanh")),
    )),
    *_units(PUBLIC_SERVICE_UNIT, "school", (
        ("TCT", "Trường Chính trị tỉnh", "cell"),
        ("THPTC", "Trường Trung học phổ thông Chuyên Tuyên Quang", "cell"),
    )),
    *_units(PUBLIC_SERVICE_UNIT, "office", (
        ("BAO", "Báo Tuyên Quang", "cell"),
        ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh", "cell"),
    )),
    _Unit("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh", PUBLIC_SERVICE_UNIT, "hospital", "cell"),
)
ENTERPRISES = (
    _Unit("DL", "Công ty Điện lực Tuyên Quang", STATE_ENTERPRISE, "enterprise", "big", (
        ("Đảng bộ bộ phận Khối Điện lực huyện", (
            "Chi bộ Điện lực Sơn Dương", "Chi bộ Điện lực Yên Sơn", "Chi bộ Điện lực Hàm Yên",
            "Chi bộ Điện lực Chiêm Hóa", "Chi bộ Điện lực Na Hang")),
    )),
    *_units(STATE_ENTERPRISE, "enterprise", (
        ("XMTQ", "Công ty Cổ phần Xi măng Tân Quang", "committee"),
        ("VNPT", "Viễn thông Tuyên Quang", "committee"),
        ("BDTQ", "Bưu điện tỉnh Tuyên Quang", "cell"),
        ("LNTB", "Công ty TNHH MTV Lâm nghiệp Tuyên Bình", "cell"),
        ("LNYS", "Công ty TNHH MTV Lâm nghiệp Yên Sơn", "cell"),
        ("TDTQ", "Công ty Thủy điện Tuyên Quang", "cell"),
    )),
    *_units(STATE_ENTERPRISE, "bank", (
        ("AGRI", "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Tuyên Quang",
         "committee"),
        ("VTB", "Ngân hàng TMCP Công Thương Việt Nam chi nhánh Tuyên Quang", "cell"),
        ("BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam chi nhánh Tuyên Quang", "cell"),
    )),
    *_units(NON_STATE_ENTERPRISE, "enterprise", (
        ("CTN", "Công ty Cổ phần Cấp thoát nước Tuyên Quang", "committee"),
        ("CHE", "Công ty Cổ phần Chè Mỹ Lâm", "cell"),
        ("KS", "Công ty Cổ phần Khoáng sản Tuyên Quang", "cell"),
        ("XDGT", "Công ty Cổ phần Xây dựng Giao thông Tuyên Quang", "cell"),
        ("DLTT", "Công ty Cổ phần Du lịch Tân Trào", "cell"),
    )),
)
MILITARY = (
    _Unit("CQ", "Cơ quan Bộ Chỉ huy Quân sự tỉnh", ARMY, "army", "big", (
        ("Đảng bộ bộ phận Phòng Tham mưu", (
            "Chi bộ Ban Tác chiến", "Chi bộ Ban Quân lực", "Chi bộ Ban Quân huấn",
            "Chi bộ Ban Thông tin")),
        ("Đảng bộ bộ phận Phòng Hậu cần - Kỹ thuật", (
            "Chi bộ Ban Quân nhu", "Chi bộ Ban Quân y", "Chi bộ Ban Xe - Máy",
            "Chi bộ Kho Vũ khí đạn")),
    )),
    *_units(ARMY, "army", (
        ("TQS", "Trường Quân sự tỉnh", "committee"),
        ("TDBB", "Tiểu đoàn Bộ binh 1", "committee"),
        ("DDTS", "Đại đội Trinh sát", "cell"),
        ("DDCB", "Đại đội Công binh", "cell"),
        ("KKT", "Kho Kỹ thuật", "cell"),
    )),
)
POLICE_UNITS = _units(POLICE, "police", (
    ("PTM", "Phòng Tham mưu", "committee"),
    ("ANCT", "Phòng An ninh chính trị nội bộ", "cell"),
    ("CSHS", "Phòng Cảnh sát hình sự", "committee"),
    ("CSGT", "Phòng Cảnh sát giao thông", "committee"),
    ("CSCD", "Phòng Cảnh sát cơ động", "committee"),
    ("PCCC", "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", "committee"),
    ("XDPT", "Phòng Xây dựng phong trào bảo vệ An ninh Tổ quốc", "cell"),
    ("TTG", "Trại Tạm giam", "cell"),
))
CITY_POLICE_PARTIALS = (
    ("Đảng bộ bộ phận Khối An ninh", (
        "Chi bộ Đội An ninh", "Chi bộ Đội Quản lý hành chính về trật tự xã hội",
        "Chi bộ Đội Tham mưu")),
    ("Đảng bộ bộ phận Khối Cảnh sát", (
        "Chi bộ Đội Cảnh sát hình sự", "Chi bộ Đội Cảnh sát kinh tế",
        "Chi bộ Đội Cảnh sát giao thông - Trật tự")),
)


# ---------------------------------------------------------------- the legacy units


@dataclass(frozen=True)
class _District:
    legacy_code: int
    abbr: str
    code: str
    name: str
    place: str  # "huyện Lâm Bình", "thành phố Tuyên Quang"
    established_on: date
    communes: tuple[legacy.Ward, ...]


@dataclass(frozen=True)
class _Commune:
    legacy_code: int
    district_code: int
    code: str
    name: str
    sector: str


def _place(name: str, division_type) -> str:
    """ "Thành phố Tuyên Quang" → "thành phố Tuyên Quang" (type word in lower case)."""
    prefix = division_type.value
    if not name.lower().startswith(prefix + " "):
        raise ValueError(f"{name!r} does not start with {prefix!r}")
    return f"{prefix} {name[len(prefix) + 1:]}"


def _short(name: str, division_type) -> str:
    return _place(name, division_type).removeprefix(division_type.value + " ")


@cache
def _legacy_districts() -> tuple[_District, ...]:
    districts = []
    for d in sorted(legacy.District.iter_by_province(OLD_PROVINCE), key=lambda d: d.code.value):
        code = d.code.value
        communes = sorted(legacy.Ward.iter_by_district(d.code), key=lambda w: w.code.value)
        districts.append(_District(
            legacy_code=code, abbr=DISTRICT_ABBR[code], code=f"{ROOT_CODE}.{DISTRICT_ABBR[code]}",
            name=f"Đảng bộ {_place(d.name, d.division_type)}",
            place=_place(d.name, d.division_type),
            established_on=DISTRICT_DATES.get(code, ROOT_DATE), communes=tuple(communes),
        ))
    return tuple(districts)


# ---------------------------------------------------------------- building


def _later(rng: random.Random, start: date, max_days: int) -> date:
    """A date from `start` up to `max_days` later, never after LATEST_DATE (unless start is)."""
    day = start + timedelta(days=rng.randint(0, max_days))
    return min(day, max(start, LATEST_DATE))


def _pick(rng: random.Random, pool: tuple[str, ...], low: int, high: int) -> list[str]:
    """Between low and high names of `pool`, kept in pool order."""
    count = rng.randint(low, min(high, len(pool)))
    return [pool[i] for i in sorted(rng.sample(range(len(pool)), count))]


def _village_counts(rng: random.Random, sectors: list[str]) -> list[int]:
    """Villages per commune: typical random counts, nudged one by one to VILLAGE_TOTAL."""
    counts = [rng.randint(*TYPICAL_RANGE[s]) for s in sectors]
    while (gap := VILLAGE_TOTAL - sum(counts)) != 0:
        step = 1 if gap > 0 else -1
        movable = [
            i for i, (n, s) in enumerate(zip(counts, sectors, strict=True))
            if VILLAGE_RANGE[s][0] <= n + step <= VILLAGE_RANGE[s][1]
        ]
        if not movable:
            raise ValueError("cannot reach the village total within the allowed ranges")
        counts[rng.choice(movable)] += step
    return counts


def _composed_name(rng: random.Random, tay_share: float) -> str:
    tay = rng.random() < tay_share
    first, second = (TAY_FIRST, TAY_SECOND) if tay else (KINH_FIRST, KINH_SECOND)
    a, b = rng.choice(first), rng.choice(second)
    while b == a:
        b = rng.choice(second)
    return f"{a} {b}"


def _village_names(rng: random.Random, count: int, abbr: str) -> list[tuple[str, str]]:
    """(label, name) pairs for a commune's villages, names unique within the commune."""
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    numbered = 0
    while len(names) < count:
        name = _composed_name(rng, TAY_SHARE[abbr])
        if rng.random() < 0.06 or name in seen:  # some villages are just numbered: "Thôn 3"
            numbered += 1
            name = str(numbered)
        seen.add(name)
        use_ban = rng.random() < BAN_SHARE.get(abbr, 0.0) and not name[0].isdigit()
        label = "Bản" if use_ban and not name.startswith(("Bản ", "Làng ")) else "Thôn"
        names.append((label, name))
    return names


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.orgs: list[OrgSpec] = []
        self.villages: list[VillageSpec] = []
        self.agency_cells: dict[str, list[str]] = {}  # district code → its agency cell codes
        self.communes: list[_Commune] = []

    def add(self, code: str, name: str, kind: str, parent: OrgSpec | None, max_days: int,
            sector: str = "", *, on: date | None = None, **extra: str) -> OrgSpec:
        """Append an organization established `on`, or up to `max_days` after its parent."""
        start = parent.established_on if parent else ROOT_DATE
        day = on or _later(self.rng, start, max_days)
        org = OrgSpec(code, name, kind, sector, parent.code if parent else "", day, **extra)
        self.orgs.append(org)
        return org

    def build(self) -> None:
        root = self.add(ROOT_CODE, ROOT_NAME, PROVINCIAL, None, 0)
        districts = _legacy_districts()
        commune_units = [(d, w) for d in districts for w in d.communes]
        sectors = [COMMUNE_SECTOR[w.division_type.value] for _, w in commune_units]
        counts = iter(_village_counts(self.rng, sectors))
        for district in districts:
            self.district(root, district, counts)
        for bloc in _blocs(districts):
            self.bloc(root, bloc)

    def district(self, root: OrgSpec, d: _District, counts) -> None:
        org = self.add(d.code, d.name, DISTRICT, root, 0, on=d.established_on)
        agency = self.add(f"{d.code}.UB", f"Đảng bộ Cơ quan Ủy ban nhân dân {d.place}",
                          GRASSROOTS_COMMITTEE, org, 180, AGENCY)
        extra = "Chi bộ Phòng Kinh tế" if d.abbr == "TP" else (
            "Chi bộ Phòng Nông nghiệp và Phát triển nông thôn")
        names = _pick(self.rng, (*DISTRICT_AGENCY_CELLS, extra), 3, 5)
        self.agency_cells[d.code] = self.cells(agency, names, 1, 3650)
        numbers: dict[str, int] = {}
        for ward in d.communes:
            letter = COMMUNE_LETTER[ward.division_type.value]
            numbers[letter] = numbers.get(letter, 0) + 1
            self.commune(org, d, ward, f"{d.code}.{letter}{numbers[letter]:02d}", next(counts))

    def commune(self, district: OrgSpec, d: _District, ward, code: str, villages: int) -> None:
        dtype = ward.division_type
        sector = COMMUNE_SECTOR[dtype.value]
        org = self.add(code, f"Đảng bộ {_place(ward.name, dtype)}", GRASSROOTS_COMMITTEE,
                       district, 365, sector, legacy_code=str(ward.code.value))
        self.communes.append(_Commune(ward.code.value, d.legacy_code, code, org.name, sector))
        if sector == COMMUNE:
            pairs = _village_names(self.rng, villages, d.abbr)
            entries = [(f"{label} {name}", VILLAGE, f"Chi bộ {label.lower()} {name}")
                       for label, name in pairs]
        else:
            entries = [(f"Tổ dân phố {n}", RESIDENTIAL_GROUP, f"Chi bộ tổ dân phố {n}")
                       for n in range(1, villages + 1)]
        for number, (name, kind, cell_name) in enumerate(entries, start=1):
            village = VillageSpec(f"{code}.V{number:02d}", name, kind, code)
            self.villages.append(village)
            self.add(f"{code}.C{number:02d}", cell_name, CELL, org, 1095,
                     village_code=village.code)
        place, short = _place(ward.name, dtype), _short(ward.name, dtype)
        service = (
            f"Chi bộ Trường Mầm non {short}", f"Chi bộ Trường Tiểu học {short}",
            f"Chi bộ Trường THCS {short}", f"Chi bộ Trạm Y tế {place}",
            f"Chi bộ Công an {place}", f"Chi bộ Quân sự {place}",
        )
        self.cells(org, _pick(self.rng, service, 1, 3), len(entries) + 1, 5475)

    def cells(self, parent: OrgSpec, names: list[str], first: int, max_days: int) -> list[str]:
        codes = []
        for number, name in enumerate(names, start=first):
            codes.append(self.add(f"{parent.code}.C{number:02d}", name, CELL, parent,
                                  max_days).code)
        return codes

    def bloc(self, root: OrgSpec, bloc: _Bloc) -> None:
        org = self.add(f"{ROOT_CODE}.{bloc.abbr}", bloc.name, BLOC, root, 0,
                       on=bloc.established_on)
        for unit in bloc.units:
            self.unit(org, unit)

    def unit(self, bloc: OrgSpec, unit: _Unit) -> None:
        code = f"{bloc.code}.{unit.abbr}"
        if unit.size == "cell":
            self.add(code, f"Chi bộ {unit.name}", GRASSROOTS_CELL, bloc, 3650, unit.sector)
            return
        org = self.add(code, f"Đảng bộ {unit.name}", GRASSROOTS_COMMITTEE, bloc, 3650,
                       unit.sector)
        self.cells(org, _pick(self.rng, CELL_POOLS[unit.theme], 2, 6), 1, 3650)
        for number, (name, cell_names) in enumerate(unit.partials, start=1):
            partial = self.add(f"{code}.B{number:02d}", name, PARTIAL_COMMITTEE, org, 1825)
            self.cells(partial, _pick(self.rng, cell_names, 2, len(cell_names)), 1, 1825)


def _blocs(districts: tuple[_District, ...]) -> tuple[_Bloc, ...]:
    police = tuple(
        _Unit(f"CA{d.abbr}", f"Công an {d.place}", POLICE, "police",
              "big" if d.abbr == "TP" else "committee",
              CITY_POLICE_PARTIALS if d.abbr == "TP" else ())
        for d in districts
    )
    return (
        _Bloc("CQ", "Đảng bộ Khối các cơ quan tỉnh", date(1991, 11, 1), AGENCIES + PUBLIC_UNITS),
        _Bloc("DN", "Đảng bộ Khối doanh nghiệp tỉnh", date(2006, 3, 1), ENTERPRISES),
        _Bloc("QS", "Đảng bộ Quân sự tỉnh", ROOT_DATE, MILITARY),
        _Bloc("CA", "Đảng bộ Công an tỉnh", ROOT_DATE, POLICE_UNITS + police),
    )


# ---------------------------------------------------------------- the 2025 reform


def _home_units(communes: list[_Commune]) -> dict[int, tuple[int, str]]:
    """Legacy ward code → (new ward code, note) for every commune of the tree."""
    homes: dict[int, tuple[int, str]] = {}
    last_home: dict[int, int] = {}  # per legacy district: home of the previous commune
    for commune in sorted(communes, key=lambda c: c.legacy_code):
        targets = [
            found.ward.code.value
            for found in Ward.search_from_legacy(code=commune.legacy_code)
            if found.ward.province_code == NEW_PROVINCE
        ]
        note = ""
        if commune.legacy_code in targets:
            home = commune.legacy_code
        elif targets:
            home = targets[0]
        elif commune.district_code in last_home:
            home = last_home[commune.district_code]
            note = ("không có trong bảng chuyển đổi 2025 của vietnam_provinces; giả định nhập "
                    "cùng đơn vị liền trước trong huyện")
        else:
            raise ValueError(f"no 2025 unit for legacy ward {commune.legacy_code}")
        homes[commune.legacy_code] = (home, note)
        last_home[commune.district_code] = home
    return homes


def _change(org_code: str, change: str, decision: str = COMMUNE_DECISION, **fields) -> ChangeSpec:
    return ChangeSpec(REFORM_DATE, org_code, change, decision_no=decision, **fields)


def _unit_changes(unit: Ward, members: list[_Commune], notes: dict[int, str]) -> list[ChangeSpec]:
    survivor, others = members[0], members[1:]
    new_name = f"Đảng bộ {_place(unit.name, unit.division_type)}"
    new_sector = WARD if unit.division_type == VietNamDivisionType.PHUONG else COMMUNE
    changes = [_change(survivor.code, MOVE, new_parent_code=ROOT_CODE,
                       note=f"{unit.name} (mã {unit.code.value}) trực thuộc Tỉnh ủy")]
    if survivor.name != new_name or new_sector != survivor.sector:
        # A town becoming a commune changes its sector with its name, from the reform's day.
        changes.append(_change(survivor.code, RENAME, new_name=new_name,
                               new_sector=new_sector if new_sector != survivor.sector else "",
                               note=f"Đổi tên theo {unit.name}"))
    for other in others:
        note = f"Hợp nhất vào {new_name}"
        if notes[other.legacy_code]:
            note += f" ({notes[other.legacy_code]})"
        changes.append(_change(other.code, MERGE, into_code=survivor.code, note=note))
    return changes


def _reform(communes: list[_Commune], agency_cells: dict[str, list[str]]) -> list[ChangeSpec]:
    homes = _home_units(communes)
    notes = {code: note for code, (_, note) in homes.items()}
    by_home: dict[int, list[_Commune]] = {}
    for commune in sorted(communes, key=lambda c: c.legacy_code):
        by_home.setdefault(homes[commune.legacy_code][0], []).append(commune)
    changes: list[ChangeSpec] = []
    survivors: dict[int, str] = {}
    for unit in sorted(Ward.iter_by_province(NEW_PROVINCE), key=lambda w: w.code.value):
        if members := by_home.get(unit.code.value):
            survivors[unit.code.value] = members[0].code
            changes += _unit_changes(unit, members, notes)
    for d in _legacy_districts():
        seat = survivors[homes[DISTRICT_SEATS[d.legacy_code]][0]]
        for cell in agency_cells[d.code]:
            changes.append(_change(cell, MOVE, DISTRICT_DECISION, new_parent_code=seat,
                                   note="Chuyển về đảng bộ xã, phường nơi đặt trụ sở huyện"))
        changes.append(_change(f"{d.code}.UB", DISSOLVE, DISTRICT_DECISION,
                               note="Kết thúc hoạt động cấp huyện"))
        changes.append(_change(d.code, DISSOLVE, DISTRICT_DECISION,
                               note="Kết thúc hoạt động cấp huyện"))
    return changes


def build_tuyen_quang(seed: int = 2025) -> DemoTree:
    """The organization tree of Tuyên Quang before 2025 and its 2025 reform (see module doc)."""
    builder = _Builder(seed)
    builder.build()
    reform = _reform(builder.communes, builder.agency_cells)
    return DemoTree(builder.orgs, builder.villages, reform)
