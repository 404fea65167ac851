"""Write the built-in Word template of the residence liaison's introduction letter
(chibo/liaison/form_templates/1-213.docx).

    uv run python tools/build_liaison_templates.py

Mẫu 1-213 (Hướng dẫn 33-HD/BTCTW, 2020): the working organization introduces its member to the
committee of the place of residence. The official text is not shipped with chibo; the template
follows its structure (header, number and date, title, body, signature, the slip returned by
the residence side) in our own words, with `{{name}}` placeholders filled from the liaison
(chibo.liaison.documents.PLACEHOLDERS). A province replaces it by putting a .docx of the same
name in $CHIBO_DATA_DIR/form_templates/.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
TARGET = ROOT / "chibo" / "liaison" / "form_templates"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
    from build_form_templates import body, header, new_document, signature, title

    document = new_document("1-213")
    header(document, "Số {{so_giay}}-GGT/{{ky_hieu}}")
    title(document, "GIẤY GIỚI THIỆU",
          "đảng viên về sinh hoạt, giữ mối liên hệ với tổ chức đảng nơi cư trú")
    body(document,
         "Kính gửi: {{noi_cu_tru_to_chuc}}.",
         "{{ten_to_chuc}} trân trọng giới thiệu đồng chí {{ho_ten}}, sinh ngày {{ngay_sinh}},",
         "là đảng viên {{chi_bo}}, {{dang_uy_co_so}};",
         "hiện cư trú tại: {{dia_chi}};",
         "về sinh hoạt, giữ mối liên hệ với chi ủy, đảng ủy cơ sở nơi cư trú theo Quy định "
         "213-QĐ/TW ngày 02/01/2020 của Bộ Chính trị. {{mien_sinh_hoat}}",
         "Đề nghị chi ủy, đảng ủy nơi cư trú quản lý, giúp đỡ đồng chí thực hiện nhiệm vụ và "
         "hằng năm nhận xét (mẫu 3-213) gửi về chi bộ nơi đảng viên công tác.")
    signature(document, "T/M {{to_chuc}}", ["Như trên", "Lưu chi bộ"])
    TARGET.mkdir(parents=True, exist_ok=True)
    document.save(str(TARGET / "1-213.docx"))


if __name__ == "__main__":
    main()
