"""The rules of the residence liaison (RULES.md §8: 213-QĐ/TW of 2/1/2020, HD 33-HD/BTCTW of
30/10/2020), written once as plain functions, for the services, the import, the findings and
the statistics alike.

- A **working member** on a day: active, in a grassroots organization (the member's cell or
  the grassroots committee above it, as the tree stood that day) whose sector is one of
  WORKING_SECTORS (METRICS-v2 `liaison.working_members`).
- A liaison is **open** on D when `introduced_on` ≤ D and no `ended_on` before D (the day it
  ends still counts: METRICS-v2 `introduced_on ≤ as_of ≤ ended_on`).
- A liaison **attends** its residence cell unless `exempt_from_meetings` (army or police in
  barracks, mobile workers, full-time study: RULES.md §8); an attending liaison owes a 3-213
  opinion for each year it was open while the member was active.
- A year's opinion is **overdue** once the year after it is over (FEEDBACK_GRACE_YEARS): the
  residence cell writes it at the year's end, the working cell reads it for its review early
  the next year; the regulations give no day count (RULES.md §8, "not verified"), so chibo
  judges only what a whole further year has not brought.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from chibo.organizations.choices import OrgKind, Sector

FILE = "residence_liaison.csv"
MISSING, NO_FEEDBACK = "liaison.missing", "liaison.no_feedback"
WORKING_SECTORS = (Sector.AGENCY, Sector.PUBLIC_SERVICE_UNIT, Sector.STATE_ENTERPRISE,
                   Sector.NON_STATE_ENTERPRISE, Sector.ARMY, Sector.POLICE)
GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)
FEEDBACK_GRACE_YEARS = 1
SOURCE = _("Quy định 213-QĐ/TW ngày 02/01/2020; Hướng dẫn 33-HD/BTCTW ngày 30/10/2020")
LABELS = {MISSING: _("Đảng viên đang công tác chưa được giới thiệu về nơi cư trú"),
          NO_FEEDBACK: _("Chưa có nhận xét của chi bộ nơi cư trú")}
WORDS = {
    MISSING: _("Đảng viên đang công tác ở cơ quan, đơn vị, doanh nghiệp, lực lượng vũ trang "
               "phải được giới thiệu về sinh hoạt, giữ mối liên hệ với chi ủy, đảng ủy cơ sở "
               "và gương mẫu thực hiện nghĩa vụ công dân nơi cư trú."),
    NO_FEEDBACK: _("Hằng năm, chi ủy nơi cư trú nhận xét đảng viên (mẫu 3-213) gửi chi bộ nơi "
                   "đảng viên công tác để phục vụ đánh giá, xếp loại."),
}


def is_open(introduced_on: date, ended_on: date | None, day: date) -> bool:
    return introduced_on <= day and (ended_on is None or day <= ended_on)


def years_of(introduced_on: date, ended_on: date | None, until: int) -> range:
    """The years a liaison was open, up to `until`."""
    last = until if ended_on is None else min(until, ended_on.year)
    return range(introduced_on.year, last + 1)


def last_judged_year(today: date) -> int:
    """The last year whose opinion is overdue on `today`."""
    return today.year - 1 - FEEDBACK_GRACE_YEARS


def owed_years(introduced_on: date, ended_on: date | None, active_years: set[int],
               given: set[int], today: date) -> list[int]:
    """The years of an attending liaison without an opinion that are overdue on `today`:
    open and the member active some day of the year."""
    return [year for year in years_of(introduced_on, ended_on, last_judged_year(today))
            if year in active_years and year not in given]


def year_within(introduced_on: date, ended_on: date | None, year: int) -> bool:
    """A year an opinion may be written for: one the liaison was open in."""
    return introduced_on.year <= year and (ended_on is None or year <= ended_on.year)
