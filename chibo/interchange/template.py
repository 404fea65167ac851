"""The Excel template of a bundle: the version marker (filled in), one sheet per file, the column
keys, and a Vietnamese note on every column (the users' guide is docs/bundle.md)."""

import io

from chibo.core.xlsx import workbook
from chibo.interchange import sections, versions

NOTES = {
    "code": "Mã ổn định, không dấu cách (ví dụ TQ.SD.X05.C03)",
    "name": "Tên đầy đủ",
    "kind": "provincial, district, bloc, grassroots_committee, grassroots_cell, "
            "partial_committee, cell (thôn: village, residential_group; sinh hoạt: regular, "
            "thematic, extraordinary)",
    "sector": "commune, ward, town, agency, public_service_unit, state_enterprise, "
              "non_state_enterprise, army, police, other",
    "parent_code": "Mã tổ chức cấp trên; để trống với tổ chức gốc",
    "established_on": "Ngày thành lập, YYYY-MM-DD hoặc dd/mm/yyyy",
    "village_code": "Mã thôn, tổ dân phố (chi bộ thôn; trưởng thôn, trưởng ban công tác MT)",
    "commune_code": "Mã đảng bộ xã, phường, thị trấn của thôn",
    "effective_on": "Ngày hiệu lực (ngày đầu tiên áp dụng)",
    "org_code": "Mã chi bộ (đảng viên, chuyển sinh hoạt, kết nạp lại) hoặc tổ chức (chức vụ)",
    "change": "move (chuyển), rename (đổi tên), merge (hợp nhất), dissolve (giải thể)",
    "new_parent_code": "move: mã tổ chức cấp trên mới",
    "new_name": "rename: tên mới",
    "new_sector": "rename: loại hình mới (để trống nếu không đổi)",
    "into_code": "merge: mã tổ chức được hợp nhất vào",
    "decision_no": "Số quyết định, ví dụ 125-QĐ/HU",
    "note": "Ghi chú",
    "member_code": "Mã đảng viên (số lý lịch), không trùng",
    "full_name": "Họ và tên, có dấu",
    "gender": "male (nam) hoặc female (nữ)",
    "birth_date": "Ngày sinh",
    "ethnicity": "Dân tộc; để trống = Kinh",
    "religion": "Tôn giáo; để trống = không",
    "national_id": "Số định danh cá nhân, 12 chữ số, không trùng",
    "general_education": "Giáo dục phổ thông, ví dụ 12/12, 9/12, 10/10",
    "professional_level": "none, vocational, intermediate, college, university, master, doctor",
    "theory_level": "Lý luận chính trị: none, elementary, intermediate, advanced",
    "admitted_on": "Ngày quyết định kết nạp",
    "official_on": "Ngày công nhận chính thức; để trống khi còn dự bị",
    "org_since": "Sinh hoạt tại chi bộ từ ngày; để trống = ngày kết nạp",
    "event": "official, transfer, transfer_out, exempt, exempt_end, remove, expel, leave, die, "
             "not_recognized, readmit",
    "role": "secretary, deputy_secretary, standing_member, committee_member, village_head, "
            "front_work_head, commune_official (khách dự sinh hoạt: higher_level, "
            "invited_secretary, other)",
    "start_on": "Giữ chức vụ từ ngày",
    "end_on": "Đến ngày (ngày cuối); để trống = đang giữ",
    "meeting_code": "Mã buổi sinh hoạt (cột code của meetings.csv)",
    "date": "Ngày sinh hoạt",
    "start_time": "Giờ bắt đầu, HH:MM",
    "combined_thematic": "true: buổi thường kỳ kết hợp sinh hoạt chuyên đề",
    "is_model": "true: sinh hoạt chi bộ mẫu",
    "topic": "Chủ đề buổi sinh hoạt",
    "place": "Địa điểm (hoặc ghi online_link)",
    "online_link": "Đường dẫn họp trực tuyến",
    "status": "meetings: scheduled, closed; attendance: present, online, excused, unexcused, "
              "exempt",
    "duration_minutes": "Thời lượng (phút), bắt buộc khi đã kết thúc",
    "reason": "Lý do vắng (bắt buộc khi excused)",
    "spoke": "true: có phát biểu",
    "attended": "Khách có mặt; để trống = true",
    "format_version": "Phiên bản gói dữ liệu: 1 hoặc 2 (mẫu này: 2)",
    "exported_at": "Thời điểm xuất, ISO 8601 có múi giờ, ví dụ 2026-07-01T08:00:00+07:00; có "
                   "thể để trống",
    "finding": "Mã phát hiện, ví dụ members.probation, members.readmission, "
               "members.admission_age",
    "file": "Tệp của bản ghi, ví dụ members.csv",
    "record": "Mã bản ghi (members.csv: mã đảng viên)",
    "decided_on": "Ngày quyết định cho phép ngoại lệ",
    "decided_by": "Mã cấp ủy quyết định",
}


def template_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer, in_memory=True)
    header = book.add_format({"bold": True, "bg_color": "#F2DCDB"})
    for spec in [versions.MARKER, *sections.files()]:
        sheet = book.add_worksheet(spec.stem)
        if spec is versions.MARKER:  # filled in: a template is of the newest version
            sheet.write_string(1, 0, str(versions.FORMAT_VERSION))
        for col, column in enumerate(spec.columns):
            sheet.write(0, col, column.key, header)
            note = NOTES.get(column.key, "")
            if column.required:
                note = f"Bắt buộc. {note}"
            sheet.write_comment(0, col, note, {"x_scale": 2.5, "y_scale": 1.5})
            sheet.set_column(col, col, max(14, len(column.key) + 2))
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
