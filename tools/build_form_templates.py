"""Write the built-in Word templates of the admission forms (chibo/admission/form_templates/).

    uv run python tools/build_form_templates.py

The forms of the admission guide (Hướng dẫn 12-HD/BTCTW, 2022, Phụ lục): 6-KNĐ (the cell's
resolution proposing the admission), 8-KNĐ (the grassroots committee's resolution), 9-KNĐ (the
decision to admit). The official text is not shipped with chibo; these templates follow the
forms' structure (header, organization, number and date, title, body, signature) in our own
words, with `{{name}}` placeholders filled from the candidate's file
(chibo.admission.documents.PLACEHOLDERS). A province replaces one by putting a .docx of the
same name in $CHIBO_DATA_DIR/form_templates/ (docs/admission.md, "Forms and the report").

The files are committed: a province starts from them in Word. This script is how they were
made, so that a change of wording is a reviewed change of code, then the files rewritten.
"""

import os
import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "chibo" / "admission" / "form_templates"
CENTER, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT,
                          WD_ALIGN_PARAGRAPH.JUSTIFY)
BLANK = "…" * 40
PERSON = [
    "Họ và tên: {{ho_ten}}; giới tính: {{gioi_tinh}}; sinh ngày {{ngay_sinh}}.",
    "Quê quán: {{que_quan}}.",
    "Nơi cư trú: {{noi_cu_tru}}.",
    "Dân tộc: {{dan_toc}}; tôn giáo: {{ton_giao}}.",
    "Nghề nghiệp: {{nghe_nghiep}}.",
    "Trình độ: giáo dục phổ thông {{giao_duc_pho_thong}}; chuyên môn {{chuyen_mon}}; "
    "lý luận chính trị {{ly_luan_chinh_tri}}.",
    "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng cấp ngày {{ngay_chung_nhan}}.",
    "Người giới thiệu: {{nguoi_gioi_thieu}}.",
]


def new_document(form: str):
    from chibo.stats.reports import official_document

    document = official_document(font_size=14)
    marker = document.add_paragraph()
    marker.alignment = RIGHT
    marker.add_run(f"Mẫu {form}").italic = True
    return document


def header(document, number: str) -> None:
    """The two-column head: the committee above and the issuing organization with the number
    on the left; the Party's name and the place and date on the right."""
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    lines = [("{{cap_tren}}", False), ("{{to_chuc}}", True), ("*", False), (number, False)]
    for index, (text, bold) in enumerate(lines):
        paragraph = left.paragraphs[0] if index == 0 else left.add_paragraph()
        paragraph.alignment = CENTER
        paragraph.add_run(text).bold = bold
    party = right.paragraphs[0]
    party.alignment = CENTER
    run = party.add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
    run.bold = run.underline = True
    dated = right.add_paragraph()
    dated.alignment = CENTER
    dated.add_run("{{dia_danh}}, {{ngay_van_ban}}").italic = True


def title(document, *lines: str) -> None:
    for index, text in enumerate(lines):
        paragraph = document.add_paragraph()
        paragraph.alignment = CENTER
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(18)
        paragraph.add_run(text).bold = True


def body(document, *lines: str) -> None:
    for text in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.add_run(text)


def heading(document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def signature(document, on_behalf: str, receivers: list[str]) -> None:
    """Where it goes on the left, who signs on the right."""
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for receiver in receivers:
        left.add_paragraph(f"- {receiver}")
    for index, (text, bold, italic) in enumerate([
            (on_behalf, True, False), ("BÍ THƯ", True, False),
            ("(Ký, ghi rõ họ và tên)", False, True)]):
        paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
        paragraph.alignment = CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic


def resolution(form: str, number: str, *opening: str):
    """The head of a resolution proposing the admission (6-KNĐ, 8-KNĐ), its grounds first."""
    document = new_document(form)
    header(document, number)
    title(document, "NGHỊ QUYẾT", "đề nghị kết nạp đảng viên")
    body(document,
         "Căn cứ Điều 4 Điều lệ Đảng Cộng sản Việt Nam và các quy định, hướng dẫn thi hành;",
         *opening)
    heading(document, "1. Người vào Đảng")
    body(document, *PERSON)
    return document


def form_6():
    document = resolution(
        "6-KNĐ", "Số:        -NQ/CB",
        "Ngày {{ngay_nghi_quyet_chi_bo}}, {{chi_bo}} đã họp để xét, đề nghị kết nạp quần "
        "chúng {{ho_ten}} vào Đảng.",
        "Tổng số đảng viên chính thức của chi bộ: {{so_dang_vien_chinh_thuc}} đồng chí. "
        "Có mặt: …… đồng chí; vắng mặt: …… đồng chí (lý do: ……………………).",
        "Chủ trì: đồng chí ……………………, chức vụ ……………………; thư ký: đồng chí "
        "…………………….")
    heading(document, "2. Ưu điểm, khuyết điểm chính")
    body(document, "(Phẩm chất chính trị; đạo đức, lối sống; năng lực công tác; quan hệ "
                   "với quần chúng.)", BLANK, BLANK, BLANK)
    heading(document, "3. Kết quả biểu quyết")
    body(document,
         "Số đảng viên chính thức tán thành việc kết nạp: {{so_tan_thanh}}/"
         "{{so_dang_vien_chinh_thuc}} đồng chí, đạt {{ty_le_tan_thanh}} %.",
         "Chi bộ đề nghị {{cap_uy_xet}} xem xét, kết nạp quần chúng {{ho_ten}} vào Đảng "
         "Cộng sản Việt Nam.")
    signature(document, "T/M CHI BỘ", ["{{cap_uy_xet}},", "Lưu chi bộ."])
    return document


def form_8():
    document = resolution(
        "8-KNĐ", "Số:        -NQ/ĐU",
        "Xét Nghị quyết ngày {{ngay_nghi_quyet_chi_bo}} của {{chi_bo}} đề nghị kết nạp "
        "quần chúng {{ho_ten}} vào Đảng ({{so_tan_thanh}}/{{so_dang_vien_chinh_thuc}} đảng "
        "viên chính thức tán thành, đạt {{ty_le_tan_thanh}} %) và kết quả thẩm tra lý lịch;",
        "Ngày {{ngay_nghi_quyet_dang_uy}}, {{ten_to_chuc}} đã họp xét hồ sơ của người vào "
        "Đảng. Tổng số cấp ủy viên: …… đồng chí; có mặt: …… đồng chí.")
    heading(document, "2. Kết luận")
    body(document,
         "Quần chúng {{ho_ten}} đủ tiêu chuẩn và điều kiện vào Đảng. Số cấp ủy viên tán "
         "thành: …… / …… đồng chí.",
         "Đề nghị {{ten_cap_tren}} xem xét, quyết định kết nạp quần chúng {{ho_ten}} vào "
         "Đảng Cộng sản Việt Nam.")
    signature(document, "T/M ĐẢNG ỦY", ["{{ten_cap_tren}},", "{{chi_bo}},", "Lưu."])
    return document


def form_9():
    document = new_document("9-KNĐ")
    header(document, "Số: {{so_quyet_dinh}}")
    title(document, "QUYẾT ĐỊNH", "kết nạp đảng viên")
    body(document,
         "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam và các quy định, hướng dẫn thi hành;",
         "- Xét Nghị quyết ngày {{ngay_nghi_quyet_chi_bo}} của {{chi_bo}} và Nghị quyết "
         "ngày {{ngay_nghi_quyet_dang_uy}} của {{dang_uy_co_so}} đề nghị kết nạp đảng viên;")
    title(document, "{{tap_the}} QUYẾT ĐỊNH")
    body(document,
         "Điều 1. Kết nạp quần chúng {{ho_ten}}, sinh ngày {{ngay_sinh}}; quê quán: "
         "{{que_quan}}; nơi cư trú: {{noi_cu_tru}}; vào Đảng Cộng sản Việt Nam, sinh hoạt "
         "tại {{chi_bo}}. Thời gian dự bị là 12 tháng, kể từ ngày chi bộ tổ chức lễ kết nạp.",
         "Điều 2. {{chi_bo}} tổ chức lễ kết nạp trong 30 ngày làm việc kể từ ngày ký quyết "
         "định (chậm nhất ngày {{han_le_ket_nap}}).",
         "Điều 3. {{dang_uy_co_so}}, {{chi_bo}} và quần chúng {{ho_ten}} thi hành quyết "
         "định này.")
    signature(document, "T/M {{tap_the}}", ["Như Điều 3,", "Lưu."])
    return document


TEMPLATES = {"6-KND.docx": form_6, "8-KND.docx": form_8, "9-KND.docx": form_9}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        build().save(TARGET / name)
        print(TARGET / name)


if __name__ == "__main__":
    main()
