"""Excel exports of member lists (XlsxWriter, streaming rows so memory stays flat)."""

import io
from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _

from chibo.core.xlsx import workbook

COLUMNS = [
    ("member_code", _("Mã đảng viên")), ("full_name", _("Họ và tên")),
    ("gender", _("Giới tính")), ("birth_date", _("Ngày sinh")), ("ethnicity", _("Dân tộc")),
    ("religion", _("Tôn giáo")), ("general_education", _("Giáo dục phổ thông")),
    ("professional_level", _("Chuyên môn")), ("theory_level", _("Lý luận chính trị")),
    ("admitted_on", _("Ngày kết nạp")), ("official_on", _("Ngày chính thức")),
    ("status", _("Tình trạng")), ("is_exempt", _("Miễn sinh hoạt")), ("cell", _("Chi bộ")),
]


def _value(member, name):
    if name == "cell":
        return member.cell.name
    if name in ("gender", "status", "professional_level", "theory_level"):
        return getattr(member, f"get_{name}_display")()
    if name == "is_exempt":
        return _("Có") if member.is_exempt else ""
    return getattr(member, name)


def member_list_xlsx(members, org, today: date) -> HttpResponse:
    buffer = io.BytesIO()
    book = workbook(buffer, constant_memory=True, in_memory=True)
    sheet = book.add_worksheet(_("Danh sách"))
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(0, 0, _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold)
    sheet.write(1, 0, org.name, bold)
    sheet.write(2, 0, _("Danh sách đảng viên, ngày %(d)s") % {"d": today.strftime("%d/%m/%Y")})
    for col, (_name, label) in enumerate(COLUMNS):
        sheet.write(4, col, label, bold)
    for row, member in enumerate(members.select_related("cell").iterator(chunk_size=2000),
                                 start=5):
        for col, (name, _label) in enumerate(COLUMNS):
            value = _value(member, name)
            if isinstance(value, date):
                sheet.write_datetime(row, col, value, day)
            elif value not in (None, ""):
                sheet.write(row, col, value)
    book.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="dang-vien-{org.code}.xlsx"'
    return response
