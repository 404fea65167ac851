"""Demo data: the party members of Tuyên Quang, their histories and posts, as bundle rows.

Pure Python (no Django, no database): `build_people(tree, seed)` returns the same `People` for
the same tree and seed. All randomness comes from one `random.Random(seed)`; nothing iterates
over a set, so the result does not depend on the interpreter's hash seed.

What it makes (spec/BUNDLE.md: members.csv, member_events.csv, positions.csv)
--------------------------------------------------------------------------
* Members live in cells only (`cell`, `grassroots_cell`). Each cell still existing on `today`
  gets a number of active members: village cells 10–60 with a long tail of small cells (about a
  fifth under 7, more of them in Lâm Bình, Na Hang and Chiêm Hóa), residential groups larger,
  agency, enterprise, army and police cells 5–40. Former members (died, removed, expelled, left,
  not recognized, moved out of the province) come on top, so that about 90 % of the rows are
  active today.
* Ages, women, ethnic groups (by district; each village has a dominant group), religion,
  education, professional and theory levels follow the cell's sector; names follow gender,
  generation and ethnic group. Calibrated on the article in shared/seed (1,733 village cells,
  47 % of their secretaries are village heads, about 10 % of members exempt, new members mostly
  with high school and a profession).
* Histories from the 1960s to `today`: members admitted before the province's cells existed
  (1991–1995) arrive through `org_since` on the day their cell was established; others are
  admitted in a cell, recognized 12–14 months later (`official_on`, or an `official` event),
  transfer between cells (villages, army units sending soldiers home, agencies sending retirees
  to their village), leave the province and sometimes come back, are exempted when old or ill,
  die, are removed, expelled, let go, not recognized, and a few are readmitted (36 months or
  more after leaving, once). Every history passes `lifecycle.replay` against the tree (a cell
  holds members from its `established_on` until a reform merges or dissolves it) and breaks
  neither the probation nor the readmission rule (chibo.members.findings).
* Posts: per organization and term (2010, 2015, 2020, 2025 – …; committees touched by the 2025
  reform start their new term on the reform day) a secretary, deputies, standing and committee
  members chosen among members active, official and not exempt in the organization's cells for
  the whole term; village heads, front work heads and commune officials on top.
"""

import gc
import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta

from chibo.organizations.demo_tree import DemoTree

TODAY = date(2026, 11, 27)
PROVINCE_TARGET = 74_000  # members ever recorded; about 66,000 of them active today
SMALL_TARGET = 2_000
SMALL_ROOTS = ("TQ", "TQ.SD", "TQ.CQ", "TQ.DN", "TQ.QS", "TQ.CA")
TERM_YEARS = (2010, 2015, 2020, 2025)
MEMBER_HOLDING = ("cell", "grassroots_cell")
COMMITTEE_KINDS = ("provincial", "district", "bloc", "grassroots_committee", "partial_committee")
COMMUNE_SECTORS = ("commune", "ward", "town")
END = date(9999, 12, 31).toordinal()
EARLIEST_ADMISSION = date(1962, 1, 1).toordinal()
FOUNDING_UNTIL = date(1996, 12, 31).toordinal()
ID_FROM = date(2016, 1, 1).toordinal()  # 12-digit citizen ids exist from 2016
DAY = 1
YEAR = 365

MEMBER_COLUMNS = (
    "member_code", "full_name", "gender", "birth_date", "ethnicity", "religion", "national_id",
    "phone", "email", "hometown", "residence", "occupation", "card_number", "general_education",
    "professional_level", "theory_level", "admitted_on", "official_on", "org_code", "org_since",
)
EVENT_COLUMNS = ("member_code", "event", "effective_on", "org_code", "decision_no", "note")
POSITION_COLUMNS = ("member_code", "role", "org_code", "village_code", "start_on", "end_on")


@dataclass
class People:
    members: list[dict]  # rows of members.csv (MEMBER_COLUMNS; None = empty)
    events: list[dict]  # rows of member_events.csv (EVENT_COLUMNS)
    positions: list[dict]  # rows of positions.csv (POSITION_COLUMNS)


# ---------------------------------------------------------------- population profiles

# Ages today of active members: (lowest, highest, weight) bands.
VILLAGE_AGES = ((20, 30, 15), (31, 40, 20), (41, 50, 17), (51, 60, 18), (61, 70, 17),
                (71, 80, 9), (81, 95, 4))
RESIDENTIAL_AGES = ((22, 30, 8), (31, 40, 14), (41, 50, 15), (51, 60, 20), (61, 70, 22),
                    (71, 80, 14), (81, 96, 7))
WORK_AGES = ((24, 30, 14), (31, 40, 32), (41, 50, 28), (51, 60, 25), (61, 62, 1))
ARMY_AGES = ((20, 25, 22), (26, 30, 20), (31, 40, 28), (41, 50, 20), (51, 57, 10))
POLICE_AGES = ((22, 30, 22), (31, 40, 35), (41, 50, 25), (51, 58, 18))

PROFESSIONAL = {  # level: weight
    "village_old": {"none": 62, "vocational": 8, "intermediate": 18, "college": 5,
                    "university": 7},
    "village_mid": {"none": 42, "vocational": 12, "intermediate": 20, "college": 9,
                    "university": 17},
    "village_young": {"none": 18, "vocational": 14, "intermediate": 18, "college": 12,
                      "university": 35, "master": 3},
    "residential": {"none": 22, "vocational": 8, "intermediate": 22, "college": 10,
                    "university": 34, "master": 4},
    "school": {"college": 22, "university": 73, "master": 5},
    "health": {"intermediate": 35, "college": 25, "university": 37, "master": 3},
    "commune_police": {"intermediate": 45, "college": 5, "university": 50},
    "commune_military": {"vocational": 20, "intermediate": 45, "college": 10, "university": 25},
    "district_agency": {"intermediate": 3, "college": 4, "university": 76, "master": 17},
    "agency": {"intermediate": 3, "college": 3, "university": 60, "master": 31, "doctor": 3},
    "public": {"intermediate": 7, "college": 7, "university": 53, "master": 26, "doctor": 7},
    "enterprise": {"none": 5, "vocational": 12, "intermediate": 20, "college": 15,
                   "university": 45, "master": 3},
    "army": {"vocational": 10, "intermediate": 30, "college": 10, "university": 45, "master": 5},
    "police": {"intermediate": 30, "college": 2, "university": 60, "master": 8},
}
THEORY = {
    "village": {"none": 58, "elementary": 33, "intermediate": 8, "advanced": 1},
    "residential": {"none": 42, "elementary": 36, "intermediate": 17, "advanced": 5},
    "commune_service": {"none": 35, "elementary": 45, "intermediate": 18, "advanced": 2},
    "district_agency": {"none": 14, "elementary": 30, "intermediate": 46, "advanced": 10},
    "agency": {"none": 18, "elementary": 25, "intermediate": 42, "advanced": 15},
    "public": {"none": 40, "elementary": 35, "intermediate": 20, "advanced": 5},
    "enterprise": {"none": 50, "elementary": 35, "intermediate": 13, "advanced": 2},
    "army": {"none": 28, "elementary": 32, "intermediate": 30, "advanced": 10},
    "police": {"none": 28, "elementary": 37, "intermediate": 28, "advanced": 7},
}


@dataclass(frozen=True)
class _Profile:
    women: float
    ages: tuple[tuple[int, int, int], ...]
    admit_extra: float  # mean years after 18 at admission
    professional: str
    theory: str
    size: tuple[int, int]  # active members today (non-village cells)
    occupations: tuple[str, ...]
    prev_groups: tuple[tuple[str, int], ...]  # where an earlier cell is picked from
    p_prev: float  # share with an earlier cell in the province
    p_arrival: float  # share who came from outside the province
    out_weight: float  # relative weight of moves out of the province


PROFILES = {
    "village": _Profile(0.38, VILLAGE_AGES, 15.0, "village", "village", (0, 0),
                        ("Nông dân", "Nông dân", "Nông dân", "Kinh doanh", "Lao động tự do"),
                        (("sibling", 45), ("region_village", 30), ("career", 25)), 0.10, 0.03,
                        0.4),
    "residential": _Profile(0.48, RESIDENTIAL_AGES, 14.0, "residential", "residential", (0, 0),
                            ("Kinh doanh", "Lao động tự do", "Công nhân", "Nhân viên"),
                            (("sibling", 35), ("region_village", 25), ("career", 40)), 0.14,
                            0.06, 0.6),
    "school": _Profile(0.74, WORK_AGES, 6.0, "school", "commune_service", (5, 16),
                       ("Giáo viên",), (("sibling", 40), ("same_kind", 60)), 0.25, 0.05, 1.0),
    "health": _Profile(0.66, WORK_AGES, 6.0, "health", "commune_service", (4, 10),
                       ("Viên chức y tế",), (("sibling", 40), ("same_kind", 60)), 0.25, 0.04,
                       1.0),
    "commune_police": _Profile(0.08, POLICE_AGES, 4.0, "commune_police", "commune_service",
                               (5, 14), ("Công an",), (("police", 60), ("same_kind", 40)), 0.4,
                               0.05, 1.0),
    "commune_military": _Profile(0.05, WORK_AGES, 5.0, "commune_military", "commune_service",
                                 (4, 9), ("Cán bộ quân sự xã",),
                                 (("army", 50), ("sibling", 50)), 0.3, 0.02, 1.0),
    "district_agency": _Profile(0.46, WORK_AGES, 7.0, "district_agency", "district_agency",
                                (7, 22), ("Công chức",), (("career", 60), ("region_village", 40)),
                                0.35, 0.08, 2.0),
    "agency": _Profile(0.45, WORK_AGES, 7.0, "agency", "agency", (9, 32),
                       ("Công chức", "Công chức", "Viên chức"),
                       (("agency", 60), ("career", 40)), 0.3, 0.12, 2.0),
    "public": _Profile(0.56, WORK_AGES, 7.0, "public", "public", (10, 36),
                       ("Viên chức", "Bác sĩ", "Giảng viên"),
                       (("agency", 50), ("career", 50)), 0.2, 0.12, 2.0),
    "enterprise": _Profile(0.34, WORK_AGES, 7.0, "enterprise", "enterprise", (8, 30),
                           ("Công nhân", "Nhân viên", "Kỹ sư"),
                           (("enterprise", 60), ("career", 40)), 0.2, 0.1, 1.5),
    "army": _Profile(0.07, ARMY_AGES, 3.0, "army", "army", (12, 40), ("Quân nhân",),
                     (("army", 90), ("career", 10)), 0.3, 0.15, 3.0),
    "police": _Profile(0.15, POLICE_AGES, 4.0, "police", "police", (10, 36), ("Công an",),
                       (("police", 80), ("commune_police", 20)), 0.3, 0.12, 3.0),
}
VILLAGE_KINDS = ("village", "residential")
CAREER_TYPES = ("school", "health", "commune_police", "commune_military", "district_agency",
                "agency", "public", "enterprise", "army", "police")

# Share of village cells with fewer than 7 members today, by district.
SMALL_CELL_SHARE = {"LB": 0.34, "NH": 0.31, "CH": 0.24, "HY": 0.19, "YS": 0.17, "SD": 0.15,
                    "TP": 0.10}

# ---------------------------------------------------------------- ethnic groups and names

ETHNIC_WEIGHTS = {
    "TP": {"Kinh": 72, "Tày": 16, "Dao": 3, "Sán Chay": 4, "Nùng": 1.5, "Sán Dìu": 1.5,
           "Hoa": 1, "Mường": 0.5},
    "LB": {"Tày": 50, "Dao": 25, "H'Mông": 14, "Kinh": 6, "Nùng": 3, "Pà Thẻn": 2},
    "NH": {"Tày": 50, "Dao": 22, "H'Mông": 10, "Kinh": 13, "Nùng": 3, "Pà Thẻn": 2},
    "CH": {"Tày": 57, "Kinh": 19, "Dao": 10, "Nùng": 4, "H'Mông": 4, "Sán Chay": 4,
           "Cao Lan": 1, "Giáy": 1},
    "HY": {"Kinh": 46, "Tày": 24, "Dao": 15, "Sán Chay": 6, "Nùng": 3, "H'Mông": 4,
           "Cao Lan": 1, "Giáy": 1},
    "YS": {"Kinh": 44, "Tày": 25, "Dao": 12, "Sán Chay": 12, "Nùng": 2, "H'Mông": 1.5,
           "Sán Dìu": 1.5, "Cao Lan": 1, "Hoa": 1},
    "SD": {"Kinh": 58, "Tày": 12, "Sán Chay": 12, "Dao": 7, "Sán Dìu": 6, "Nùng": 1.5,
           "Hoa": 1, "Cao Lan": 1.5, "Mường": 1},
    "P": {"Kinh": 63, "Tày": 23, "Dao": 5, "Sán Chay": 4, "Nùng": 2, "H'Mông": 1,
          "Sán Dìu": 1, "Hoa": 0.5, "Mường": 0.5},
}
SURNAMES = {
    "Kinh": {"Nguyễn": 30, "Trần": 10, "Lê": 8, "Phạm": 7, "Hoàng": 6, "Vũ": 5, "Đỗ": 4,
             "Bùi": 4, "Đặng": 3, "Ngô": 3, "Phan": 2, "Đinh": 2, "Dương": 2, "Lương": 2,
             "Đào": 2, "Hà": 2, "Trịnh": 1, "Lưu": 1, "Cao": 1, "Mai": 1, "Tạ": 1, "Đoàn": 1,
             "Lý": 1, "Chu": 1, "Kiều": 1, "Tô": 1},
    "Tày": {"Ma": 12, "Nông": 12, "Hà": 10, "Hoàng": 10, "Lý": 6, "Triệu": 6, "Quan": 5,
            "Lương": 5, "Âu": 4, "Mông": 3, "Nguyễn": 6, "Đàm": 3, "Bế": 3, "Lộc": 3, "Vi": 2,
            "La": 3, "Chu": 2, "Ninh": 2, "Phù": 2, "Mã": 2},
    "Dao": {"Bàn": 25, "Triệu": 20, "Đặng": 18, "Lý": 12, "Phùng": 8, "Chảo": 5, "Hoàng": 4,
            "Tẩn": 3, "Trương": 2},
    "Sán Chay": {"Hoàng": 12, "Lâm": 10, "Trần": 8, "Lý": 8, "Đàm": 6, "Dương": 6, "Nịnh": 6,
                 "La": 6, "Chu": 5, "Hà": 5, "Tô": 4, "Đinh": 4, "Lương": 4, "Diệp": 3,
                 "Sầm": 3},
    "H'Mông": {"Sùng": 20, "Giàng": 20, "Vàng": 18, "Hầu": 10, "Thào": 12, "Lý": 8, "Ly": 4,
               "Mua": 4, "Hờ": 4},
    "Nùng": {"Hoàng": 20, "Lục": 10, "Nông": 10, "Vi": 8, "Mã": 6, "Lương": 6, "Chu": 6,
             "Lý": 6, "Sầm": 4, "Đàm": 4},
    "Sán Dìu": {"Trương": 12, "Lê": 10, "Diệp": 10, "Lục": 8, "Lý": 8, "Tạ": 6, "Chu": 6,
                "Đỗ": 5, "Ninh": 5, "Phạm": 4},
    "Hoa": {"Trương": 10, "Lý": 10, "Hoàng": 8, "Quách": 6, "Lưu": 6, "Diệp": 6, "Tăng": 6,
            "Lâm": 6},
    "Pà Thẻn": {"Hoàng": 10, "Sầm": 10, "Phù": 8, "Lèo": 6, "Lù": 5, "Tráng": 5},
    "Mường": {"Đinh": 10, "Bùi": 10, "Quách": 8, "Hà": 6, "Xa": 3},
    "Giáy": {"Lò": 8, "Hoàng": 8, "Vàng": 6, "Lương": 5, "Sần": 4},
}
SURNAMES["Cao Lan"] = SURNAMES["Sán Chay"]

MIDDLE = {
    ("male", "old"): {"Văn": 55, "Đức": 8, "Minh": 5, "Quang": 5, "Xuân": 5, "Hữu": 5,
                      "Đình": 5, "Ngọc": 3, "Công": 4, "Mạnh": 2, "Thanh": 3, "Thế": 2, "Bá": 1},
    ("male", "young"): {"Văn": 32, "Đức": 10, "Minh": 12, "Quang": 8, "Tuấn": 4, "Xuân": 4,
                        "Hữu": 5, "Ngọc": 4, "Anh": 4, "Duy": 5, "Trung": 3, "Thành": 3,
                        "Hoàng": 4, "Gia": 2, "Thế": 3},
    ("female", "old"): {"Thị": 86, "Thu": 3, "Ngọc": 3, "Thanh": 3, "Hồng": 2, "Kim": 2,
                        "Bích": 1},
    ("female", "young"): {"Thị": 52, "Thu": 6, "Ngọc": 6, "Thanh": 5, "Phương": 4, "Minh": 4,
                          "Hồng": 3, "Kim": 3, "Thùy": 4, "Hải": 3, "Mai": 2, "Khánh": 2,
                          "Bảo": 2, "Diệu": 1},
    ("male", "H'Mông"): {"A": 25, "Seo": 15, "Mí": 12, "Văn": 40, "Chẩn": 3, "Sính": 3},
}
GIVEN = {
    ("male", "old"): (
        "Hùng", "Dũng", "Thắng", "Hải", "Long", "Sơn", "Trung", "Cường", "Bình", "Đức", "Kiên",
        "Toàn", "Tiến", "Chiến", "Quyết", "Vinh", "Lợi", "Tâm", "Thịnh", "Hòa", "Phúc", "Quang",
        "Tài", "Thái", "Thuận", "Trường", "Vượng", "Mạnh", "Nghĩa", "Sáng", "Tuyên", "Đông",
        "Hậu", "Học", "Ninh", "Thanh", "Xuân", "Lục", "Bảy", "Tám", "Thìn", "Dần", "Sửu", "Quý",
        "Khoa", "Thưởng", "Tường", "Điền", "Chính", "Lâm", "Khải", "Thành", "Hưng", "Vững",
    ),
    ("male", "young"): (
        "Hùng", "Dũng", "Tuấn", "Thắng", "Hải", "Long", "Nam", "Sơn", "Trung", "Cường", "Quân",
        "Hiếu", "Thành", "Đức", "Kiên", "Hoàng", "Tùng", "Việt", "Khánh", "Phong", "Hưng",
        "Lâm", "Huy", "Minh", "Phúc", "Duy", "Đạt", "Hiệp", "Khôi", "Nguyên", "Lộc", "Tú",
        "Vũ", "Trí", "Dương", "Thái", "Linh", "Anh", "Quyết", "Tiến", "Tâm", "Toàn",
    ),
    ("female", "old"): (
        "Hoa", "Lan", "Hương", "Hà", "Mai", "Thu", "Hằng", "Nga", "Huyền", "Thủy", "Yến",
        "Nhung", "Loan", "Hạnh", "Liên", "Phượng", "Oanh", "Ngọc", "Vân", "Dung", "Hiền",
        "Hồng", "Nhàn", "Tuyết", "Xuân", "Thơm", "Lụa", "Tâm", "Lý", "Nguyệt", "Gấm", "Hường",
        "Lệ", "Mận", "Nhài", "Sen", "Tươi", "Vui", "Cúc", "Đào",
    ),
    ("female", "young"): (
        "Hoa", "Lan", "Hương", "Hà", "Mai", "Thu", "Hằng", "Nga", "Linh", "Huyền", "Trang",
        "Thủy", "Yến", "Nhung", "Hạnh", "Phượng", "Thảo", "Ngọc", "Vân", "Dung", "Hiền",
        "Quyên", "Duyên", "Phương", "Uyên", "Anh", "Chi", "Giang", "Ly", "My", "Ngân", "Nhi",
        "Quỳnh", "Thúy", "Trâm", "Vy", "Hân", "Thư", "Diệp", "Lương",
    ),
    ("male", "Dao"): ("Tòng", "Siểu", "Chòi", "Quầy", "Phấu", "Vần", "Kiềm", "Chàn", "Sỉnh",
                      "Dùn", "Kháng", "Phin", "Tiến", "Lìn"),
    ("female", "Dao"): ("Mấy", "Nhất", "Chiêu", "Mùi", "Liếm", "Kiều", "Slinh", "Phây", "Ngán",
                        "Lai"),
    ("male", "H'Mông"): ("Páo", "Chứ", "Lử", "Dình", "Sính", "Chá", "Pó", "Dế", "Vư", "Tủa",
                         "Lềnh", "Sử", "Dìa", "Chúng", "Sềnh"),
    ("female", "H'Mông"): ("Mỷ", "Dợ", "Sua", "Pà", "Chò", "Dính", "Xây", "Sy", "Khu", "Mai",
                           "Lan"),
}
RELIGIONS = {"Kinh": (("Công giáo", 0.022), ("Phật giáo", 0.018)),
             "H'Mông": (("Tin lành", 0.22),),
             "Dao": (("Phật giáo", 0.012),), "Hoa": (("Phật giáo", 0.08),)}
OTHER_RELIGION = (("Phật giáo", 0.012), ("Công giáo", 0.004))
HOMETOWNS_ELSEWHERE = (
    "huyện Vũ Thư, tỉnh Thái Bình", "huyện Kiến Xương, tỉnh Thái Bình",
    "huyện Hải Hậu, tỉnh Nam Định", "huyện Ý Yên, tỉnh Nam Định",
    "huyện Kim Động, tỉnh Hưng Yên", "huyện Lâm Thao, tỉnh Phú Thọ",
    "huyện Đoan Hùng, tỉnh Phú Thọ", "huyện Lập Thạch, tỉnh Vĩnh Phúc",
    "huyện Gia Lâm, thành phố Hà Nội", "huyện Hoằng Hóa, tỉnh Thanh Hóa",
    "huyện Nghi Lộc, tỉnh Nghệ An", "huyện Bắc Quang, tỉnh Hà Giang",
    "huyện Yên Bình, tỉnh Yên Bái", "huyện Định Hóa, tỉnh Thái Nguyên",
    "huyện Chợ Đồn, tỉnh Bắc Kạn",
)
REMOVE_NOTES = ("Bỏ sinh hoạt đảng, không đóng đảng phí 3 tháng trong năm",
                "Đi làm ăn xa, không giữ liên hệ với chi bộ",
                "Không hoàn thành nhiệm vụ 2 năm liền")
OUT_NOTES = ("Chuyển công tác ra ngoài tỉnh", "Chuyển nơi cư trú ra ngoài tỉnh",
             "Đi làm việc tại khu công nghiệp ngoài tỉnh")


def _weighted(table: dict) -> tuple[list, list[float]]:
    keys = list(table)
    cum, total = [], 0.0
    for key in keys:
        total += table[key]
        cum.append(total)
    return keys, cum


class _Picker:
    """Weighted choice with precomputed cumulative weights (one rng.random() per draw)."""

    def __init__(self, table: dict):
        self.keys, self.cum = _weighted(table)
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.keys[min(bisect(self.cum, rng.random() * self.total), len(self.keys) - 1)]


def _ri(rng: random.Random, low: int, high: int) -> int:
    """rng.randint, with one call to rng.random() (much faster)."""
    return low + int(rng.random() * (high - low + 1))


def _rc(rng: random.Random, seq):
    return seq[int(rng.random() * len(seq))]


def _rr(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)


def _birthday(birth: date, years: int) -> date:
    """The day `years` are completed (29 February completes on 1 March in other years)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


def _plus_years(day: date, years: int) -> date:
    """`years`×12 months later as chibo.members.lifecycle counts them (29/2 → 28/2)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28)


def _full_years(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def small_codes(tree: DemoTree) -> set[str]:
    """The organizations of the small demo: TQ, the district TQ.SD and the four blocs, with all
    that lies below them (in the tree as established)."""
    children: dict[str, list[str]] = {}
    for org in tree.organizations:
        children.setdefault(org.parent_code, []).append(org.code)
    known = {org.code for org in tree.organizations}
    codes: set[str] = set()
    stack = [code for code in SMALL_ROOTS[1:] if code in known]
    while stack:
        code = stack.pop()
        codes.add(code)
        stack.extend(children.get(code, ()))
    if "TQ" in known:
        codes.add("TQ")
    return codes


def subset_tree(tree: DemoTree, codes: set[str]) -> DemoTree:
    """The part of `tree` made of `codes` (an organization is kept with its parent only), as the
    demo's small subset does it (chibo.site.demo): villages of kept communes; reorganizations that
    name only kept organizations, except the dissolution of one that then keeps a child."""
    kept: set[str] = set()
    for org in tree.organizations:
        if org.code in codes and (not org.parent_code or org.parent_code in kept):
            kept.add(org.code)
    orgs = [o for o in tree.organizations if o.code in kept]
    parents = {o.code: o.parent_code for o in orgs}
    villages = [v for v in tree.villages if v.commune_code in kept]

    def named(change) -> set[str]:
        return {change.org_code, change.new_parent_code, change.into_code} - {""}

    reform = [c for c in tree.reform if c.org_code in kept]
    stuck = {parents.get(c.org_code) for c in reform if not named(c) <= kept}
    reform = [c for c in reform if named(c) <= kept
              and not (c.change == "dissolve" and c.org_code in stuck)]
    return DemoTree(orgs, villages, reform)


# ---------------------------------------------------------------- the tree, as members see it


@dataclass(slots=True)
class _Cell:
    code: str
    name: str
    type: str  # a key of PROFILES
    region: str  # district abbreviation, or "P" for the provincial blocs
    born: int  # ordinal of established_on
    end: int  # ordinal of the day it stops holding members (merge, dissolve) or END
    committee: str  # the grassroots organization above it as established ("" if none)
    village_code: str = ""
    village_name: str = ""
    place: str = ""  # "xã X, huyện Y" as established
    new_place: str = ""  # "xã Z" after the 2025 reform
    target: int = 0  # active members today
    dominant: str = "Kinh"
    ex_weight: dict = field(default_factory=dict)


class _TreeState:
    """Parents and living organizations on a day, after the reorganizations up to that day."""

    def __init__(self, tree: DemoTree):
        self.orgs = {o.code: o for o in tree.organizations}
        parent = {o.code: o.parent_code for o in tree.organizations}
        alive = {o.code: True for o in tree.organizations}
        merged: dict[str, str] = {}
        names = {o.code: o.name for o in tree.organizations}
        self.ends: dict[str, int] = {}
        self.days = [0]
        self.states = [(dict(parent), dict(alive), dict(merged), dict(names))]
        for day in sorted({c.effective_on for c in tree.reform}):
            for change in (c for c in tree.reform if c.effective_on == day):
                code = change.org_code
                if code not in parent:
                    continue
                if change.change == "move" and change.new_parent_code:
                    parent[code] = change.new_parent_code
                elif change.change == "rename" and change.new_name:
                    names[code] = change.new_name
                elif change.change in ("merge", "dissolve"):
                    alive[code] = False
                    self.ends.setdefault(code, day.toordinal())
                    if change.change == "merge" and change.into_code:
                        merged[code] = change.into_code
                        for child, up in list(parent.items()):
                            if up == code:
                                parent[child] = change.into_code
            self.days.append(day.toordinal())
            self.states.append((dict(parent), dict(alive), dict(merged), dict(names)))
        self._children: dict[int, dict[str, list[str]]] = {}

    def index(self, day: int) -> int:
        return bisect(self.days, day) - 1

    def parent(self, code: str, day: int) -> str:
        return self.states[self.index(day)][0].get(code, "")

    def follow(self, code: str, day: int) -> str:
        merged = self.states[self.index(day)][2]
        while code in merged:
            code = merged[code]
        return code

    def name(self, code: str, day: int) -> str:
        return self.states[self.index(day)][3].get(code, "")

    def children(self, day: int) -> dict[str, list[str]]:
        i = self.index(day)
        if i not in self._children:
            parent, alive = self.states[i][0], self.states[i][1]
            kids: dict[str, list[str]] = {}
            for code in self.orgs:  # tree order
                if alive[code]:
                    kids.setdefault(parent[code], []).append(code)
            self._children[i] = kids
        return self._children[i]

    def subtree(self, code: str, day: int) -> list[str]:
        kids = self.children(day)
        out, stack = [], [code]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(kids.get(current, ())))
        return out

    def committee_of(self, cell: str, day: int) -> str:
        """The commune (grassroots committee) a cell belongs to on `day`."""
        code = self.follow(cell, day)
        while code:
            code = self.follow(self.parent(code, day), day)
            org = self.orgs.get(code)
            if org is not None and org.kind == "grassroots_committee":
                return code
        return ""


def _place(org_name: str) -> str:
    """ "Đảng bộ xã Tân Trào" → "xã Tân Trào"."""
    return org_name.removeprefix("Đảng bộ ").strip()


def _cell_type(org, orgs: dict, sectors: dict) -> str:
    parent = orgs.get(org.parent_code)
    if parent is not None and parent.kind == "grassroots_committee" and \
            parent.sector in COMMUNE_SECTORS:
        name = org.name
        if "Trường" in name:
            return "school"
        if "Y tế" in name:
            return "health"
        if "Công an" in name:
            return "commune_police"
        if "Quân sự" in name:
            return "commune_military"
        return "school"
    if org.parent_code.endswith(".UB"):
        return "district_agency"
    sector = sectors.get(org.code, "")
    if sector == "agency":
        return "agency"
    if sector == "public_service_unit":
        return "public"
    if sector in ("state_enterprise", "non_state_enterprise"):
        return "enterprise"
    if sector in ("army", "police"):
        return sector
    return "agency"


# ---------------------------------------------------------------- the builder


@dataclass(slots=True)
class _Member:
    cell: str  # the cell in members.csv (first cell)
    gender: str
    birth: date
    ethnicity: str
    admitted: date
    official_on: date | None = None
    org_since: date | None = None
    events: list = field(default_factory=list)  # (date, kind, org, note)
    stints: list = field(default_factory=list)  # (cell, start ord, end ord, eligible ord)
    exempt: list = field(default_factory=list)  # (start ord, end ord)
    career: str = ""  # the most qualified cell type of the path
    home: str = ""  # the cell that gives residence and hometown
    active: bool = True
    end_day: date | None = None
    row: dict = field(default_factory=dict)
    code: str = ""


class _Builder:
    def __init__(self, tree: DemoTree, seed: int, codes: set[str] | None, target: int,
                 today: date):
        self.rng = random.Random(seed)
        self.tree, self.today, self.target = tree, today, target
        self.t = today.toordinal()
        self.state = _TreeState(tree)
        self.codes = codes
        self.members: list[_Member] = []
        self.pickers = {k: _Picker(v) for k, v in ETHNIC_WEIGHTS.items()}
        self.surnames = {k: _Picker(v) for k, v in SURNAMES.items()}
        self.middles = {k: _Picker(v) for k, v in MIDDLE.items()}
        self.professional = {k: _Picker(v) for k, v in PROFESSIONAL.items()}
        self.theory = {k: _Picker(v) for k, v in THEORY.items()}
        self.ids: set[str] = set()
        self.cards: set[str] = set()
        self.age_pickers: dict[tuple, _Picker] = {}
        self._cells()

    # -- cells ------------------------------------------------------------------------------
    def allowed(self, code: str) -> bool:
        return self.codes is None or code in self.codes

    def _cells(self) -> None:
        orgs = self.state.orgs
        sectors: dict[str, str] = {}
        for org in self.tree.organizations:  # parents come first
            sectors[org.code] = org.sector or sectors.get(org.parent_code, "")
        villages = {v.code: v for v in self.tree.villages}
        reform_day = self.state.days[-1] if len(self.state.days) > 1 else self.t
        self.cells: dict[str, _Cell] = {}
        for org in self.tree.organizations:
            if org.kind not in MEMBER_HOLDING or not self.allowed(org.code):
                continue
            parts = org.code.split(".")
            region = parts[1] if len(parts) > 1 and parts[1] in SMALL_CELL_SHARE else "P"
            if region == "P" and len(parts) > 2 and parts[2][2:] in SMALL_CELL_SHARE:
                region = parts[2][2:]  # district police: TQ.CA.CASD
            committee = org.parent_code
            while committee and orgs[committee].kind == "partial_committee":
                committee = orgs[committee].parent_code
            if org.kind == "grassroots_cell":
                committee = org.code
            village = villages.get(org.village_code)
            if village is not None:
                kind = "residential" if village.kind == "residential_group" else "village"
            else:
                kind = _cell_type(org, orgs, sectors)
            cell = _Cell(org.code, org.name, kind, region, org.established_on.toordinal(),
                         self.state.ends.get(org.code, END), committee)
            commune = orgs.get(committee)
            if commune is not None and commune.sector in COMMUNE_SECTORS:
                district = orgs.get(commune.parent_code)
                cell.place = _place(commune.name)
                if district is not None and district.kind == "district":
                    cell.place += ", " + _place(district.name)
                survivor = self.state.follow(committee, reform_day)
                cell.new_place = _place(self.state.name(survivor, reform_day) or commune.name)
            if village is not None:
                cell.village_code, cell.village_name = village.code, village.name
            self.cells[org.code] = cell
        self.cell_list = list(self.cells.values())
        by_committee: dict[str, list[_Cell]] = {}
        by_type: dict[str, list[_Cell]] = {}
        by_region_village: dict[str, list[_Cell]] = {}
        for cell in self.cell_list:
            by_committee.setdefault(cell.committee, []).append(cell)
            by_type.setdefault(cell.type, []).append(cell)
            if cell.type in VILLAGE_KINDS:
                by_region_village.setdefault(cell.region, []).append(cell)
        self.by_committee, self.by_type = by_committee, by_type
        self.by_region_village = by_region_village
        all_villages = [c for c in self.cell_list if c.type in VILLAGE_KINDS]
        self.all_villages = all_villages
        self.career_cells = [c for c in self.cell_list if c.type in CAREER_TYPES]
        self.agency_cells = [c for c in self.cell_list
                             if c.type in ("agency", "public", "district_agency")]

    def _sizes(self) -> int:
        """Draw today's active members per cell, then scale to the target."""
        rng = self.rng
        raw: list[float] = []
        living = [c for c in self.cell_list if c.end == END and c.born < self.t]
        for cell in living:
            if cell.type in VILLAGE_KINDS:
                small = SMALL_CELL_SHARE.get(cell.region, 0.15)
                if cell.type == "residential":
                    small *= 0.3
                u = rng.random()
                if u < small:
                    size = _rc(rng, (3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6))
                elif u < small + 0.05:
                    size = _ri(rng, 7, 12)
                else:
                    top = 60 if cell.type == "village" else 70
                    size = 12 + rng.betavariate(2.4, 1.5) * (top - 12)
                cell.dominant = self.pickers[cell.region](rng)
            else:
                low, high = PROFILES[cell.type].size
                size = rng.uniform(low, high)
            raw.append(size)
        # About 10 % of the rows are former members. A cell keeps at least 3 members, so a
        # small target over many cells gives cells of 3.
        goal = self.target * 0.895
        jitter = [rng.random() for _ in raw]

        def sizes(scale: float) -> list[int]:
            return [max(int(size * scale + u), 3) for size, u in zip(raw, jitter, strict=True)]

        low, high = 0.0, 4.0
        for _ in range(40):
            middle = (low + high) / 2
            if sum(sizes(middle)) > goal:
                high = middle
            else:
                low = middle
        total = 0
        for cell, value in zip(living, sizes(low), strict=True):
            cell.target = value
            total += value
        return total

    # -- people -----------------------------------------------------------------------------
    def _age(self, bands) -> int:
        picker = self.age_pickers.get(bands)
        if picker is None:
            picker = self.age_pickers[bands] = _Picker({(lo, hi): w for lo, hi, w in bands})
        low, high = picker(self.rng)
        return _ri(self.rng, low, high)

    def _birth_for_age(self, age: int, on: int) -> date:
        day = on - age * 365 - int(age / 4) - _ri(self.rng, 0, 364)
        return date.fromordinal(day)

    def _ethnicity(self, cell: _Cell) -> str:
        if cell.type in VILLAGE_KINDS and self.rng.random() < 0.7:
            return cell.dominant
        return self.pickers[cell.region](self.rng)

    def _admission(self, birth: date, latest: int, extra: float, earliest: int = 0) -> date | None:
        """A day of admission at 18–60 full years, on or before `latest`."""
        rng = self.rng
        first = max(_birthday(birth, 18).toordinal(), EARLIEST_ADMISSION, earliest)
        last = min(_birthday(birth, 61).toordinal() - 1, latest)
        if first > last:
            return None
        born = birth.toordinal()
        for _ in range(6):
            years = 18 + int(rng.expovariate(1.0 / extra))
            lo = max(born + int(years * 365.2425), first)  # about: [first, last] are exact
            hi = min(born + int((years + 1) * 365.2425) - 1, last)
            if lo <= hi and rng.random() * 365 <= hi - lo + 1:  # a cut year is less likely
                break
        else:
            lo, hi = first, last
        day = date.fromordinal(_ri(rng, lo, hi))
        if rng.random() < 0.2:  # ceremonies on anniversaries: 3/2, 19/5, 2/9, 7/11
            for month, dom in ((2, 3), (5, 19), (9, 2), (11, 7)):
                special = date(day.year, month, dom).toordinal()
                if lo <= special <= hi and abs(special - day.toordinal()) < 60:
                    return date.fromordinal(special)
        return day

    def _official_day(self, admitted: date) -> date:
        day = _plus_years(admitted, 1)
        if self.rng.random() < 0.45:
            day += timedelta(days=_ri(self.rng, 1, 60))
        return day

    def _pick_prev(self, cell: _Cell, group: str, entry: int, leave: int) -> _Cell | None:
        """An earlier cell in `group`, holding members from `entry` to `leave`."""
        rng = self.rng
        if group == "sibling":
            pool = self.by_committee.get(cell.committee, ())
        elif group == "region_village":
            pool = self.by_region_village.get(cell.region) or self.all_villages
        elif group == "career":
            pool = self.career_cells
        elif group == "agency":
            pool = self.agency_cells
        elif group == "same_kind":
            pool = self.by_type.get(cell.type, ())
        else:
            pool = self.by_type.get(group, ())
        if not pool:
            return None
        for _ in range(8):
            other = pool[_rr(rng, len(pool))]
            if other is not cell and other.born <= entry and other.end > leave:
                return other
        return None

    def _group(self, profile: _Profile) -> str:
        groups = profile.prev_groups
        return self.rng.choices([g for g, _ in groups], weights=[w for _, w in groups])[0]

    def _place_member(self, m: _Member, cell: _Cell, latest: int, profile: _Profile,
                      retire: int | None = None) -> int:
        """Choose how the member reached `cell`: the first cell, org_since and transfers.

        Returns the day of entry into `cell` (≤ latest). `retire`: the day a retiree moved
        from a career cell to this (village) cell.
        """
        rng = self.rng
        adm = m.admitted.toordinal()
        first_cell_day = self.first_cell_day
        if retire is not None and cell.born <= retire <= latest:
            prev = self._pick_prev(cell, "career", max(adm, first_cell_day), retire)
            if prev is not None:
                entry_prev = max(adm, prev.born)
                if entry_prev < retire - YEAR:
                    self._start(m, prev, entry_prev)
                    m.career = prev.type
                    self._transfer(m, prev, cell, retire)
                    return retire
        if adm >= cell.born:
            u = rng.random()
            if u < profile.p_arrival:
                since = _ri(rng, adm + 60, max(adm + 60, latest))
                if since <= latest:
                    self._start(m, cell, since)
                    return since
            elif u < profile.p_arrival + profile.p_prev and latest - adm > YEAR:
                prev = self._pick_prev(cell, self._group(profile), adm, latest)
                if prev is not None:
                    t = _ri(rng, adm + 200, latest)
                    if t < prev.end:
                        self._start(m, prev, adm)
                        self._transfer(m, prev, cell, t)
                        return t
            self._start(m, cell, adm)
            return adm
        # admitted before the cell existed
        if cell.born <= FOUNDING_UNTIL and (adm < first_cell_day or rng.random() < 0.7):
            self._start(m, cell, cell.born)  # founding member, from the former organization
            return cell.born
        if rng.random() < 0.6:
            prev = self._pick_prev(cell, self._group(profile), max(adm, first_cell_day), cell.born)
            if prev is not None:
                entry_prev = max(adm, prev.born)
                t = cell.born if rng.random() < 0.5 else _ri(
                    rng, cell.born, min(latest, cell.born + 3 * YEAR))
                if entry_prev < t <= latest and t < prev.end:
                    self._start(m, prev, entry_prev)
                    self._transfer(m, prev, cell, t)
                    return t
        since = cell.born if rng.random() < 0.5 else _ri(
            rng, cell.born, min(latest, cell.born + 3 * YEAR))
        self._start(m, cell, min(since, latest))
        return min(since, latest)

    def _start(self, m: _Member, cell: _Cell, entry: int) -> None:
        m.cell = cell.code
        if entry > m.admitted.toordinal():
            m.org_since = date.fromordinal(entry)
        m.stints = [[cell.code, entry, END]]
        if cell.type in CAREER_TYPES and not m.career:
            m.career = cell.type

    def _transfer(self, m: _Member, old: _Cell, new: _Cell, day: int, note: str = "") -> None:
        m.events.append((date.fromordinal(day), "transfer", new.code, note))
        m.stints[-1][2] = day
        m.stints.append([new.code, day, END])
        if new.type in CAREER_TYPES and (not m.career or m.career in VILLAGE_KINDS):
            m.career = new.type

    def _entry(self, m: _Member) -> int:
        return m.stints[0][1]

    def _recognize(self, m: _Member, entry_tree: int) -> date | None:
        """official_on or an `official` event; returns the day of recognition (or None)."""
        day = self._official_day(m.admitted)
        if day > self.today:
            return None
        recent = m.admitted.year >= 2024
        if day.toordinal() > entry_tree and self.rng.random() < (0.5 if recent else 0.02):
            m.events.append((day, "official", None, ""))
        else:
            m.official_on = day
        return day

    # -- active members -----------------------------------------------------------------------
    def _skeletons(self) -> list[tuple]:
        rng = self.rng
        out = []
        for cell in self.cell_list:
            profile = PROFILES[cell.type]
            for k in range(cell.target):
                anchor = k == 0
                gender = "female" if rng.random() < profile.women else "male"
                age = self._age(profile.ages)
                if anchor:  # someone to be the secretary
                    age = min(max(age, 27), 70)
                out.append((cell, anchor, gender, age))
        return out

    def _exempt_choice(self, skeletons: list[tuple]) -> list[bool]:
        """Exactly about 10 % exempt, chosen by age (Efraimidis–Spirakis weighted sample)."""
        rng = self.rng
        keys = []
        for i, (_cell, anchor, _gender, age) in enumerate(skeletons):
            if anchor or age < 40:
                weight = 0.0
            elif age < 60:
                weight = 0.12
            elif age < 70:
                weight = 0.7
            elif age < 80:
                weight = 4.0
            else:
                weight = 9.0
            if weight > 0:
                keys.append((rng.random() ** (1.0 / weight), i))
        keys.sort(reverse=True)
        chosen = [False] * len(skeletons)
        for _, i in keys[: round(len(skeletons) * 0.103)]:
            chosen[i] = True
        return chosen

    def _active(self, cell: _Cell, anchor: bool, gender: str, age: int, exempt: bool) -> None:
        rng, t = self.rng, self.t
        profile = PROFILES[cell.type]
        birth = self._birth_for_age(age, t)
        eth = self._ethnicity(cell)
        latest = t - 1
        if anchor:
            latest = min(latest, date(2024, 6, 30).toordinal())
        latest = max(latest, cell.born)
        adm = None
        for extra_try in range(4):
            last_day = min(t - 400, date(2023, 12, 31).toordinal()) if anchor else t - 1
            adm = self._admission(birth, last_day, profile.admit_extra + max(0, age - 45) * 0.45)
            if adm is not None:
                break
            birth = self._birth_for_age(age + extra_try + 1, t)
        if adm is None:
            raise RuntimeError("no admission day")  # pragma: no cover - ages are ≥ 20
        m = _Member(cell.code, gender, birth, eth, adm)
        m.home = cell.code
        pattern = rng.random()
        adm_o = adm.toordinal()
        # readmitted once
        if not anchor and not exempt and pattern < 0.004 and self._readmitted(m, cell):
            self.members.append(m)
            return
        # soldiers who came home, retirees who came back to their village
        retire = None
        if cell.type in VILLAGE_KINDS and not anchor:
            if age >= 61 and rng.random() < 0.3:
                retire_age = 60 if gender == "male" else _rc(rng, (55, 55, 58, 60))
                retire = _birthday(birth, retire_age).toordinal() + _ri(rng, 0, 200)
                if retire <= adm_o + 2 * YEAR:
                    retire = None
            elif gender == "male" and _full_years(birth, adm) <= 23 and rng.random() < 0.2 \
                    and adm_o >= cell.born:
                army = self._pick_prev(cell, "army", adm_o, adm_o + 3 * YEAR)
                back = adm_o + _ri(rng, 300, 900)
                if army is not None and back <= t - 1:
                    self._start(m, army, adm_o)
                    m.career = ""
                    self._transfer(m, army, cell, back, "Xuất ngũ về địa phương")
                    self._finish_active(m, cell, exempt, back)
                    return
        entry = self._place_member(m, cell, latest, profile, retire)
        # out of the province and back
        if not anchor and pattern > 0.988 and adm_o >= cell.born and \
                t - adm_o > 6 * YEAR and len(m.stints) == 1 and m.org_since is None:
            out_day = adm_o + _ri(rng, 2 * YEAR, 6 * YEAR)
            back = out_day + _ri(rng, YEAR, 5 * YEAR)
            if back < t - 30:
                m.events.append((date.fromordinal(out_day), "transfer_out", None,
                                 _rc(rng, OUT_NOTES)))
                m.stints[-1][2] = out_day
                m.events.append((date.fromordinal(back), "transfer", cell.code,
                                 "Chuyển sinh hoạt trở lại tỉnh"))
                m.stints.append([cell.code, back, END])
                entry = back
        self._finish_active(m, cell, exempt, entry)

    def _finish_active(self, m: _Member, cell: _Cell, exempt: bool, entry: int) -> None:
        rng, t = self.rng, self.t
        official = self._recognize(m, self._entry(m))
        leaving = [e for e in m.events if e[1] == "transfer_out"]
        if leaving and (official is None or official >= leaving[0][0]):
            # keep recognition before any move out of the province
            m.events = [e for e in m.events if e[1] != "official"]
            m.official_on = _plus_years(m.admitted, 1)
            official = m.official_on
        self._stint_eligibility(m, official)
        if official is None:
            self.members.append(m)
            return
        floor = max(official.toordinal(), self._entry(m)) + 30
        if any(e[1] == "transfer_out" for e in m.events):
            floor = max(floor, m.stints[-1][1] + 30)  # not while outside the province
        if exempt:
            floor = max(floor, m.stints[-1][1] + 30)  # exempted by the cell they are in
        if exempt and floor < t - 30:
            age_now = _full_years(m.birth, self.today)
            if age_now >= 60:
                start = max(floor, _birthday(m.birth, max(60, age_now - _ri(rng, 0, 15)))
                            .toordinal(), t - _ri(rng, 60, 12 * YEAR))
            else:
                start = max(floor, t - _ri(rng, 60, 4 * YEAR))
            start = min(start, t - 1)
            m.events.append((date.fromordinal(start), "exempt", None,
                             "Tuổi cao" if age_now >= 65 else "Ốm đau dài ngày"))
            m.exempt.append((start, END))
        elif not exempt and rng.random() < 0.02 and floor < t - 3 * YEAR:
            start = _ri(rng, floor, t - 3 * YEAR)
            stop = start + _ri(rng, 120, 2 * YEAR)
            m.events.append((date.fromordinal(start), "exempt", None, "Ốm đau dài ngày"))
            m.events.append((date.fromordinal(stop), "exempt_end", None, "Sức khỏe ổn định"))
            m.exempt.append((start, stop))
        self.members.append(m)

    def _stint_eligibility(self, m: _Member, official: date | None) -> None:
        o = official.toordinal() if official is not None else END
        for stint in m.stints:
            if len(stint) == 3:
                stint.append(max(stint[1], o))

    def _readmitted(self, m: _Member, cell: _Cell) -> bool:
        rng, t = self.rng, self.t
        adm = m.admitted.toordinal()
        end1 = adm + _ri(rng, 2 * YEAR, 8 * YEAR)
        back = _plus_years(date.fromordinal(end1), 3).toordinal() + _ri(rng, 0, 6 * YEAR)
        if back > t - 60 or _full_years(m.birth, date.fromordinal(back)) > 60 \
                or back < cell.born:
            return False
        first = cell if adm >= cell.born else self._pick_prev(cell, "sibling", adm, end1)
        if first is None or first.born > adm:
            return False
        self._start(m, first, adm)
        m.official_on = _plus_years(m.admitted, 1)
        if m.official_on.toordinal() >= end1:
            return False
        kind = _rc(rng, ("remove", "remove", "leave"))
        note = _rc(rng, REMOVE_NOTES) if kind == "remove" else "Xin ra khỏi Đảng"
        m.events.append((date.fromordinal(end1), kind, None, note))
        m.stints[-1][2] = end1
        m.stints[-1].append(max(adm, m.official_on.toordinal()))
        m.events.append((date.fromordinal(back), "readmit", cell.code, "Kết nạp lại"))
        second = _plus_years(date.fromordinal(back), 1) + timedelta(days=_ri(rng, 0, 45))
        eligible = END
        if second <= self.today:
            m.events.append((second, "official", None, ""))
            eligible = second.toordinal()
        m.stints.append([cell.code, back, END, max(back, eligible)])
        return True

    # -- former members -----------------------------------------------------------------------
    def _former(self, count: int) -> None:
        rng = self.rng
        kinds = _Picker({"die": 54, "transfer_out": 21, "remove": 13, "expel": 3.5, "leave": 3.5,
                         "not_recognized": 5})
        weights = {
            "die": {"village": 1.0, "residential": 1.4},
            "transfer_out": {"village": 0.25, "residential": 0.4},
            "remove": {"village": 1.0, "residential": 0.6, "enterprise": 1.5},
            "expel": {},
            "leave": {"village": 1.0},
            "not_recognized": {"village": 1.0, "army": 1.5, "police": 1.0},
        }
        pickers = {}
        for kind, table in weights.items():
            entries = {}
            for i, cell in enumerate(self.cell_list):
                if kind == "transfer_out" and cell.type not in VILLAGE_KINDS:
                    base = PROFILES[cell.type].out_weight  # rotations of officers, soldiers
                else:
                    base = table.get(cell.type, 0.3)
                entries[i] = base * max(cell.target, 3)
            pickers[kind] = _Picker(entries)
        first_year = max(1993, date.fromordinal(self.first_cell_day).year + 1)
        years = list(range(first_year, self.today.year + 1))
        for _ in range(count):
            kind = kinds(rng)
            for _attempt in range(20):
                ramp = rng.choices(years, weights=[(y - first_year + 4) for y in years])[0]
                day = date(ramp, 1, 1).toordinal() + _ri(rng, 0, 364)
                if day >= self.t:
                    continue
                cell = self.cell_list[pickers[kind](rng)]
                young = cell.born >= day - (420 if kind == "not_recognized" else 60)
                if not young and cell.end > day and self._former_one(kind, cell, day):
                    break

    def _former_one(self, kind: str, cell: _Cell, day: int) -> bool:
        rng = self.rng
        profile = PROFILES[cell.type]
        when = date.fromordinal(day)
        gender = "female" if rng.random() < profile.women else "male"
        if kind == "die":
            age = _ri(rng, 68, 96) if rng.random() < 0.78 else _ri(rng, 40, 67)
        elif kind == "not_recognized":
            age = _ri(rng, 19, 40)
        elif kind == "transfer_out":
            age = _ri(rng, 24, 55)
        else:
            age = _ri(rng, 24, 58)
        birth = self._birth_for_age(age, day)
        eth = self._ethnicity(cell)
        if kind == "not_recognized":
            adm_day = day - 365 - _ri(rng, 0, 60)
            adm = date.fromordinal(adm_day)
            years = _full_years(birth, adm)
            if not 18 <= years <= 60 or adm_day < cell.born:
                return False
            m = _Member(cell.code, gender, birth, eth, adm, active=False, end_day=when)
            m.home = cell.code
            self._start(m, cell, adm_day)
            if adm_day < _plus_years(adm, 1).toordinal() <= day:
                m.events.append((when, "not_recognized", None,
                                 "Không đủ điều kiện công nhận đảng viên chính thức"))
            else:
                return False
            self._stint_eligibility(m, None)
            m.stints[-1][2] = day
            self.members.append(m)
            return True
        adm = self._admission(birth, day - 500, profile.admit_extra)
        if adm is None:
            return False
        m = _Member(cell.code, gender, birth, eth, adm, active=False, end_day=when)
        m.home = cell.code
        entry = self._place_member(m, cell, day - 60, profile)
        if entry >= day - 30:
            return False
        official = _plus_years(adm, 1)
        if official.toordinal() >= day - 30:
            return False
        m.official_on = official if self.rng.random() < 0.55 else self._official_day(adm)
        if m.official_on.toordinal() >= day - 30:
            m.official_on = official
        self._stint_eligibility(m, m.official_on)
        floor = max(m.official_on.toordinal(), entry) + 30
        if kind == "die" and age >= 66 and rng.random() < 0.55 and floor < day - 60:
            start = max(floor, day - _ri(rng, 200, 8 * YEAR))
            m.events.append((date.fromordinal(start), "exempt", None, "Tuổi cao, sức yếu"))
            m.exempt.append((start, day))
        notes = {"die": "", "transfer_out": _rc(rng, OUT_NOTES), "remove":
                 _rc(rng, REMOVE_NOTES), "expel": "Vi phạm kỷ luật, khai trừ ra khỏi Đảng",
                 "leave": "Cho ra khỏi Đảng theo nguyện vọng"}
        m.events.append((when, kind, None, notes[kind]))
        m.stints[-1][2] = day
        self.members.append(m)
        return True

    # -- rows -------------------------------------------------------------------------------
    def _name(self, gender: str, eth: str, birth: date) -> str:
        rng = self.rng
        era = "young" if birth.year >= 1982 else "old"
        surname = self.surnames.get(eth, self.surnames["Kinh"])(rng)
        if eth == "H'Mông" and gender == "male":
            middle = self.middles[("male", "H'Mông")](rng)
        elif eth != "Kinh" and era == "old":
            middle = "Văn" if gender == "male" and rng.random() < 0.8 else \
                self.middles[(gender, era)](rng)
        else:
            middle = self.middles[(gender, era)](rng)
        own = GIVEN.get((gender, eth))
        if own and rng.random() < (0.55 if era == "old" else 0.3):
            given = _rc(rng, own)
        else:
            given = _rc(rng, GIVEN[(gender, era)])
        if middle == given:
            middle = "Văn" if gender == "male" else "Thị"
        return f"{surname} {middle} {given}"

    def _national_id(self, gender: str, birth: date) -> str:
        century = 0 if birth.year < 2000 else 2
        digit = century + (1 if gender == "female" else 0)
        prefix = f"008{digit}{birth.year % 100:02d}"
        while True:
            value = f"{prefix}{_rr(self.rng, 1_000_000):06d}"
            if value not in self.ids:
                self.ids.add(value)
                return value

    def _card(self) -> str:
        while True:
            value = f"08{_rr(self.rng, 10_000_000):07d}"
            if value not in self.cards:
                self.cards.add(value)
                return value

    def _education(self, m: _Member, professional: str, cell: _Cell) -> str:
        rng = self.rng
        year = m.birth.year
        qualified = professional not in ("none", "vocational")
        if year < 1973:
            if qualified or rng.random() < 0.62:
                return "10/10"
            return _rc(rng, ("7/10", "7/10", "8/10", "9/10", "9/10", "5/10"))
        remote = cell.region in ("LB", "NH") and m.ethnicity != "Kinh"
        if qualified or rng.random() < (0.72 if remote else 0.86):
            return "12/12"
        return _rc(rng, ("9/12", "9/12", "9/12", "11/12", "10/12", "7/12" if remote else "9/12"))

    def _professional(self, m: _Member, cell: _Cell) -> str:
        kind = m.career or cell.type
        if kind in VILLAGE_KINDS:
            if kind == "residential":
                table = "residential"
            elif m.birth.year < 1968:
                table = "village_old"
            elif m.birth.year < 1985:
                table = "village_mid"
            else:
                table = "village_young"
        else:
            table = PROFILES[kind].professional
        return self.professional[table](self.rng)

    def _theory(self, m: _Member, cell: _Cell, age: int) -> str:
        kind = m.career or cell.type
        table = PROFILES[kind].theory if kind in PROFILES else "village"
        level = self.theory[table](self.rng)
        if age < 30 and level in ("intermediate", "advanced"):
            level = "elementary"
        return level

    def _phone(self) -> str:
        rng = self.rng
        prefix = _rc(rng, ("091", "094", "088", "097", "098", "096", "086", "033", "034",
                             "035", "036", "037", "038", "039", "081", "082", "083", "084",
                             "085", "070", "076", "077", "078", "079", "056", "058"))
        return f"{prefix}{_rr(rng, 10_000_000):07d}"

    def _email(self, name: str, birth: date) -> str:
        parts = name.replace("Đ", "D").replace("đ", "d").split()
        folded = [unicodedata.normalize("NFKD", p).encode("ascii", "ignore").decode().lower()
                  for p in parts]
        local = folded[-1] + "".join(p[0] for p in folded[:-1]) + f"{birth.year % 100:02d}"
        domain = _rc(self.rng, ("tuyenquang.gov.vn", "gmail.com", "gmail.com"))
        return f"{local}@{domain}"

    def _row(self, m: _Member) -> dict:
        rng = self.rng
        cell = self.cells[m.home]
        last = self.cells[m.stints[-1][0]] if m.stints else cell
        name = self._name(m.gender, m.ethnicity, m.birth)
        on = self.today if m.active else m.end_day
        age = _full_years(m.birth, on)
        professional = self._professional(m, cell)
        religion = None
        for label, share in RELIGIONS.get(m.ethnicity, OTHER_RELIGION):
            if rng.random() < share:
                religion = label
                break
        alive_recently = m.active or (m.end_day is not None and m.end_day.toordinal() >= ID_FROM)
        national_id = self._national_id(m.gender, m.birth) if alive_recently and \
            rng.random() < 0.97 else None
        phone = self._phone() if (m.active and rng.random() < 0.72) or \
            (not m.active and alive_recently and rng.random() < 0.2) else None
        email = None
        if m.active and (m.career or cell.type) in ("agency", "public", "district_agency",
                                                   "enterprise", "school") and \
                rng.random() < 0.45:
            email = self._email(name, m.birth)
        ever_official = m.official_on is not None or any(e[1] == "official" for e in m.events)
        card = self._card() if ever_official else None
        if cell.place and rng.random() < 0.8:
            hometown = (f"{cell.village_name}, {cell.place}" if cell.village_name
                        else cell.place) + ", tỉnh Tuyên Quang"
        elif m.ethnicity == "Kinh" and rng.random() < 0.6:
            hometown = _rc(rng, HOMETOWNS_ELSEWHERE)
        else:
            hometown = "tỉnh Tuyên Quang"
        if last.village_name:
            place = last.new_place if m.active and last.new_place else last.place
            suffix = "tỉnh Tuyên Quang"
            residence = f"{last.village_name}, {place}, {suffix}"
        else:
            residence = "tỉnh Tuyên Quang"
            region = "TP" if last.region == "P" else last.region  # provincial staff: the city
            homes = self.by_region_village.get(region) or self.all_villages
            if homes:
                home = homes[_rr(rng, len(homes))]
                place = home.new_place if m.active and home.new_place else home.place
                residence = f"{home.village_name}, {place}, tỉnh Tuyên Quang"
        profile = PROFILES[last.type]
        if last.type in VILLAGE_KINDS:
            if m.career and m.career not in VILLAGE_KINDS and age >= 55:
                occupation = "Hưu trí"
            elif age >= 65:
                occupation = "Hưu trí" if rng.random() < 0.4 else "Nông dân"
            else:
                occupation = _rc(rng, profile.occupations)
        else:
            occupation = _rc(rng, profile.occupations)
        return {
            "full_name": name, "gender": m.gender, "birth_date": m.birth,
            "ethnicity": m.ethnicity, "religion": religion, "national_id": national_id,
            "phone": phone, "email": email, "hometown": hometown, "residence": residence,
            "occupation": occupation, "card_number": card,
            "general_education": self._education(m, professional, cell),
            "professional_level": professional, "theory_level": self._theory(m, cell, age),
            "admitted_on": m.admitted, "official_on": m.official_on, "org_code": m.cell,
            "org_since": m.org_since,
        }

    # -- the whole population ---------------------------------------------------------------
    def people(self) -> tuple[list[_Member], int]:
        if not self.cell_list:
            raise ValueError("no cell can hold members (codes must include the ancestors)")
        self.first_cell_day = min((c.born for c in self.cell_list), default=self.t)
        active_total = self._sizes()
        skeletons = self._skeletons()
        exempt = self._exempt_choice(skeletons)
        for (cell, anchor, gender, age), ex in zip(skeletons, exempt, strict=True):
            self._active(cell, anchor, gender, age, ex)
        self._former(max(self.target - len(self.members), round(self.target * 0.06)))
        order = sorted(range(len(self.members)),
                       key=lambda i: (self.members[i].admitted, i))
        self.members = [self.members[i] for i in order]
        for number, m in enumerate(self.members, start=1):
            m.code = f"TQ{number:06d}"
            m.events.sort(key=lambda e: e[0])
            m.row = self._row(m)
        return self.members, active_total


# ---------------------------------------------------------------- posts


class _Posts:
    """Secretaries, deputies, committees, village heads, front heads and commune officials."""

    ROLE_SIZES = {  # kind: (deputies, standing members, committee members)
        "provincial": (3, 10, 30),
        "district": (2, 6, 18),
        "bloc": (2, 3, 10),
        "commune": (2, 2, 9),
        "commune_after": (3, 4, 14),
        "grassroots": (1, 1, 5),
        "partial": (1, 0, 3),
    }

    def __init__(self, builder: _Builder):
        self.b = builder
        self.rng = builder.rng
        self.state = builder.state
        self.t = builder.t
        self.members = builder.members
        self.births = [m.birth.toordinal() for m in self.members]
        self.exempts = [m.exempt for m in self.members]
        self.bonus = []
        for m in self.members:
            bonus = 0.0
            if m.row["professional_level"] in ("university", "master", "doctor"):
                bonus += 0.35
            if m.row["theory_level"] in ("intermediate", "advanced"):
                bonus += 0.25
            self.bonus.append(bonus)
        self.by_cell: dict[str, list[tuple]] = {}
        for i, m in enumerate(self.members):
            for stint in m.stints:
                cell, start, end, eligible = stint
                if eligible < end:
                    self.by_cell.setdefault(cell, []).append((i, eligible, end))
        self.rows: list[tuple] = []  # (member index, role, org, village, start, end|None)
        self.level: dict[int, int] = {}  # member index → highest post level (theory upgrade)
        reform_days = sorted({c.effective_on for c in builder.tree.reform
                              if c.effective_on.year in TERM_YEARS})
        self.reform_on = {}
        for change in builder.tree.reform:
            if change.effective_on in reform_days:
                for code in (change.org_code, change.into_code):
                    if code:
                        self.reform_on.setdefault(code, change.effective_on)

    # -- windows -----------------------------------------------------------------------------
    def _term_starts(self, code: str, kind: str) -> list[int]:
        rng = self.rng
        months = {"cell": ((3, 1), 91), "grassroots_cell": ((3, 1), 91),
                  "partial_committee": ((4, 1), 75), "grassroots_committee": ((5, 1), 91),
                  "district": ((6, 15), 61), "bloc": ((6, 1), 91), "provincial": ((9, 15), 46)}
        (month, dom), span = months[kind]
        starts = []
        for year in TERM_YEARS:
            day = date(year, month, dom).toordinal() + _ri(rng, 0, span - 1)
            special = self.reform_on.get(code)
            if special is not None and special.year == year and kind in COMMITTEE_KINDS:
                day = special.toordinal()
            starts.append(day)
        return starts

    def _windows(self, code: str, kind: str, born: int, end: int) -> list[tuple[int, int | None]]:
        starts = self._term_starts(code, kind)
        out = []
        for i, start in enumerate(starts):
            stop = starts[i + 1] - 1 if i + 1 < len(starts) else None
            a = max(start, born)
            if end != END:
                stop = min(stop, end - 1) if stop is not None else end - 1
            if a > self.t or (stop is not None and stop < a):
                continue
            if stop is not None and stop >= self.t:
                stop = None  # still in post on `today`
            out.append((a, stop))
        return out

    # -- choosing holders ----------------------------------------------------------------------
    def _pool(self, cells: list[str], a: int, b: int | None,
              ages: tuple[int, int]) -> tuple[list[int], list[tuple[int, int]]]:
        """Who can hold a post over [a, b] (b None: still today) in these cells: members active
        and official there over the whole period (`full`), or from a later day (`late`: (day,
        member)); never while exempt, and aged within `ages` when they start."""
        need = END if b is None else b + 1
        stop = self.t if b is None else b
        low, high = ages[0] * 365.25, ages[1] * 365.25
        births, exempts = self.births, self.exempts
        full: list[int] = []
        late: list[tuple[int, int]] = []
        for cell in cells:
            for i, eligible, end in self.by_cell.get(cell, ()):
                if end < need:
                    continue
                start = a if eligible <= a else eligible
                if start > stop or not low <= start - births[i] <= high:
                    continue
                ex = exempts[i]
                if ex and any(s <= stop and e > start for s, e in ex):
                    continue
                if start == a:
                    full.append(i)
                else:
                    late.append((start, i))
        late.sort()
        return full, late

    def _take(self, pool, a: int, k: int, exclude, prefer: int | None = None,
              max_age: int | None = None) -> list[tuple[int, int]]:
        """Up to k holders from a pool: (member index, start day); the better trained first."""
        if k <= 0:
            return []
        full, late = pool
        rng, bonus = self.rng, self.bonus
        limit = None if max_age is None else max_age * 365.25
        chosen: list[tuple[int, int]] = []
        if prefer is not None and prefer not in exclude and prefer in full:
            chosen.append((prefer, a))
        taken = {i for i, _ in chosen}
        avail = [i for i in full if i not in exclude and i not in taken and
                 (limit is None or a - self.births[i] <= limit)]
        want = k - len(chosen)
        if len(avail) > 4 * want + 4:
            avail = rng.sample(avail, 4 * want + 4)
        scored = sorted(((rng.random() + bonus[i], i) for i in avail), reverse=True)
        for _, i in scored[:want]:
            chosen.append((i, a))
            taken.add(i)
        for start, i in late:
            if len(chosen) >= k:
                break
            if i not in taken and i not in exclude and \
                    (limit is None or start - self.births[i] <= limit):
                chosen.append((i, start))
                taken.add(i)
        return chosen

    def _add(self, i: int, role: str, org: str | None, village: str | None, start: int,
             end: int | None, level: int = 0) -> None:
        self.rows.append((i, role, org, village, start, end))
        if level > self.level.get(i, 0):
            self.level[i] = level

    # -- organizations ---------------------------------------------------------------------------
    def build(self) -> None:
        b = self.b
        self.cell_windows: dict[str, list[tuple[int, int | None, int | None, int | None]]] = {}
        for org in b.tree.organizations:
            if not b.allowed(org.code):
                continue
            end = self.state.ends.get(org.code, END)
            born = org.established_on.toordinal()
            if org.kind in MEMBER_HOLDING:
                self._cell_posts(org, born, end)
            elif org.kind in COMMITTEE_KINDS:
                self._committee_posts(org, born, end)
        self._village_posts()
        self._commune_officials()

    def _cell_posts(self, org, born: int, end: int) -> None:
        cell = self.b.cells.get(org.code)
        if cell is None:
            return
        rng = self.rng
        size = cell.target or 10
        ages = (24, 72) if cell.type in VILLAGE_KINDS else (24, 62)
        windows = []
        secretary = deputy = None
        for a, stop in self._windows(org.code, org.kind, born, end):
            pool = self._pool([org.code], a, stop, ages)
            keep = secretary if rng.random() < 0.5 else None
            picked = self._take(pool, a, 1, (), prefer=keep)
            if not picked:
                secretary = deputy = None
                continue
            secretary, start = picked[0]
            self._add(secretary, "secretary", org.code, None, start, stop, 1)
            deputy_here, d_start = None, a
            if size >= 3:
                keep = deputy if rng.random() < 0.4 else None
                got = self._take(pool, a, 1, (secretary,), prefer=keep)
                if got:
                    deputy_here, d_start = got[0]
                    self._add(deputy_here, "deputy_secretary", org.code, None, d_start, stop, 1)
            deputy = deputy_here
            busy = (secretary, deputy)
            if size >= 9:
                count = 1 if size < 20 else _ri(rng, 2, 3)
                for i, s in self._take(pool, a, count, busy):
                    self._add(i, "committee_member", org.code, None, s, stop)
            windows.append((a, start, stop, secretary, deputy, d_start, pool))
        self.cell_windows[org.code] = windows

    def _committee_pool(self, org, day: int) -> list[str]:
        cells = [c for c in self.state.subtree(org.code, day) if c in self.b.cells]
        if org.kind in ("provincial", "district"):
            cells = [c for c in cells if self.b.cells[c].type not in VILLAGE_KINDS]
        return cells

    def _committee_posts(self, org, born: int, end: int) -> None:
        kind = org.kind
        if kind == "grassroots_committee":
            size_key = "commune" if org.sector in COMMUNE_SECTORS else "grassroots"
        elif kind == "partial_committee":
            size_key = "partial"
        else:
            size_key = kind
        secretary = None
        for a, stop in self._windows(org.code, kind, born, end):
            key = size_key
            if size_key == "commune" and org.code in self.reform_on and \
                    a >= self.reform_on[org.code].toordinal():
                key = "commune_after"
            deputies, standing, committee = self.ROLE_SIZES[key]
            cells = self._committee_pool(org, a)
            if not cells:
                continue
            level = {"provincial": 5, "district": 4, "bloc": 4}.get(kind, 3)
            pool = self._pool(cells, a, stop, (28, 60))
            keep = secretary if self.rng.random() < 0.35 else None
            picked = self._take(pool, a, 1, (), prefer=keep)
            if not picked:
                secretary = None
                continue
            secretary, start = picked[0]
            self._add(secretary, "secretary", org.code, None, start, stop, level + 1)
            busy = {secretary}
            for role, count, lvl in (("deputy_secretary", deputies, level + 1),
                                     ("standing_member", standing, level),
                                     ("committee_member", committee, level - 1)):
                for i, s in self._take(pool, a, count, busy):
                    busy.add(i)
                    self._add(i, role, org.code, None, s, stop, lvl)
                    if size_key == "commune" and (role != "committee_member" or
                                                  self.rng.random() < 0.7):
                        self._add(i, "commune_official", org.code, None, s, stop)
            if size_key == "commune" and secretary is not None:
                self._add(secretary, "commune_official", org.code, None, start, stop)

    # -- villages --------------------------------------------------------------------------------
    def _village_posts(self) -> None:
        rng = self.rng
        current = []
        for code, windows in self.cell_windows.items():
            if not self.b.cells[code].village_code:
                continue
            for _a, _start, stop, _secretary, _deputy, _d_start, _pool in windows:
                if stop is None:
                    current.append(code)
        heads = set(rng.sample(range(len(current)), round(len(current) * 0.475)))
        rest = [k for k in range(len(current)) if k not in heads]
        fronts = set(rng.sample(rest, min(len(rest), round(len(current) * 0.22))))
        current_role = {}
        for k, code in enumerate(current):
            current_role[code] = "head" if k in heads else ("front" if k in fronts else "")
        for code, windows in self.cell_windows.items():
            cell = self.b.cells[code]
            if not cell.village_code:
                continue
            for a, start, stop, secretary, _deputy, _d_start, pool in windows:
                if stop is None:
                    role = current_role.get(code, "")
                else:
                    u = rng.random()
                    role = "head" if u < 0.36 else ("front" if u < 0.5 else "")
                for post, mine, share in (("village_head", role == "head", 0.55),
                                          ("front_work_head", role == "front", 0.45)):
                    if mine:
                        self._add(secretary, post, None, cell.village_code, start, stop)
                    elif rng.random() < share:
                        for i, s in self._take(pool, a, 1, (secretary,)):
                            self._add(i, post, None, cell.village_code, s, stop)

    def _commune_officials(self) -> None:
        """Deputies of village cells who are commune officials, and other officials."""
        rng = self.rng
        for code, windows in self.cell_windows.items():
            cell = self.b.cells[code]
            if not cell.village_code:
                continue
            remote = cell.region in ("LB", "NH", "CH")
            for a, _start, stop, secretary, deputy, d_start, pool in windows:
                share = (0.07 if remote else 0.04) if stop is None else 0.04
                if deputy is not None and rng.random() < share:
                    self._official(deputy, code, d_start, stop)
                elif rng.random() < 0.12:
                    for i, s in self._take(pool, a, 1, (secretary, deputy), max_age=58):
                        self._official(i, code, s, stop)

    def _official(self, i: int, cell: str, start: int, stop: int | None) -> None:
        """A commune-official post, split where the commune of the cell changes."""
        cuts = [d for d in self.state.days[1:] if start < d <= (self.t if stop is None else stop)]
        bounds = [start, *cuts]
        for k, a in enumerate(bounds):
            b = bounds[k + 1] - 1 if k + 1 < len(bounds) else stop
            committee = self.state.committee_of(cell, a)
            if committee:
                self._add(i, "commune_official", committee, None, a, b)


def _merge_rows(rows: list[tuple]) -> list[tuple]:
    """One row per continuous tenure: same member, role, organization or village."""
    rows = sorted(rows, key=lambda r: (r[0], r[1], r[2] or "", r[3] or "", r[4]))
    out: list[list] = []
    for row in rows:
        i, role, org, village, start, end = row
        if out:
            last = out[-1]
            if (last[0], last[1], last[2], last[3]) == (i, role, org, village):
                if last[5] is None:
                    continue  # still in post: covers this one
                if start <= last[5] + 1:
                    last[5] = None if end is None else max(last[5], end)
                    continue
        out.append([i, role, org, village, start, end])
    return [tuple(r) for r in out]


THEORY_ORDER = ("none", "elementary", "intermediate", "advanced")


def _upgrade_theory(builder: _Builder, levels: dict[int, int]) -> None:
    rng = builder.rng
    for i in sorted(levels):
        level = levels[i]
        row = builder.members[i].row
        have = THEORY_ORDER.index(row["theory_level"] or "none")
        if level >= 5:
            want = 3
        elif level >= 3:
            want = 2 if rng.random() < 0.8 else 3
        else:
            want = 1 if rng.random() < 0.9 else 2
        if want > have:
            row["theory_level"] = THEORY_ORDER[want]


# ---------------------------------------------------------------- public API


def build_people(tree: DemoTree, seed: int, size: str = "province", *,
                 codes: set[str] | None = None, target: int | None = None,
                 today: date = TODAY) -> People:
    """Members, their events and posts for `tree` (see the module documentation).

    size: "province" (about 74,000 members ever recorded, about 66,000 active on `today`) or
    "small" (about 2,000, only in the organizations of `small_codes(tree)`). `codes` restricts
    which organizations may hold members and posts (default: all for "province", the small subset
    for "small"); the histories then follow `subset_tree(tree, codes)`, the tree the demo loads.
    `target` overrides the number of members ever recorded.
    """
    if size not in ("province", "small"):
        raise ValueError(f"unknown size {size!r}")
    if codes is None and size == "small":
        codes = small_codes(tree)
    if codes is not None:
        tree = subset_tree(tree, set(codes))
    if target is None:
        target = SMALL_TARGET if size == "small" else PROVINCE_TARGET
    was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects, no cycles: collection only slows
    try:
        return _build(tree, seed, codes, target, today)
    finally:
        if was_enabled:
            gc.enable()


def _build(tree: DemoTree, seed: int, codes: set[str] | None, target: int,
           today: date) -> People:
    builder = _Builder(tree, seed, set(codes) if codes is not None else None, target, today)
    members, _active = builder.people()
    posts = _Posts(builder)
    posts.build()
    _upgrade_theory(builder, posts.level)
    officials_now = {i for i, role, *_rest, end in posts.rows
                     if role == "commune_official" and end is None}
    for i in sorted(officials_now):
        if members[i].active:
            members[i].row["occupation"] = "Cán bộ, công chức cấp xã"

    member_rows, event_rows = [], []
    for m in members:
        member_rows.append({"member_code": m.code, **m.row})
        for day, kind, org, note in m.events:
            event_rows.append({
                "member_code": m.code, "event": kind, "effective_on": day, "org_code": org,
                "decision_no": _decision(kind, day, m.code), "note": note or None,
            })
    position_rows = []
    for i, role, org, village, start, end in _merge_rows(posts.rows):
        position_rows.append({
            "member_code": members[i].code, "role": role, "org_code": org,
            "village_code": village, "start_on": date.fromordinal(start),
            "end_on": date.fromordinal(end) if end is not None else None,
        })
    position_rows.sort(key=lambda r: (r["member_code"], r["start_on"], r["role"]))
    return People(member_rows, event_rows, position_rows)


def _decision(kind: str, day: date, code: str) -> str | None:
    """A plausible decision number: district committees decided until the 2025 reform, the
    commune committees after it; transfers carry an introduction letter number."""
    if kind in ("exempt", "exempt_end", "die"):
        return None
    number = (day.toordinal() * 37 + int(code[2:]) * 11 + len(kind)) % 1400 + 12
    if kind in ("transfer", "transfer_out"):
        return f"{number}-GGT/BTCTU"
    issuer = "HU" if day < date(2025, 7, 1) else "ĐU"
    return f"{number}-QĐ/{issuer}"
