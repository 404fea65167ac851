"""The introduction letter 1-213 as a Word file, filled from a liaison (Hướng dẫn
33-HD/BTCTW, 2020), the way chibo.admission.documents fills the admission forms: the built-in
template is `form_templates/1-213.docx` (written by tools/build_liaison_templates.py), a
province replaces it with a .docx of the same name in `$CHIBO_DATA_DIR/form_templates/`;
placeholders `{{name}}` (PLACEHOLDERS) may be split over runs; an unknown one is refused with
the file and the names at fault. What the records do not hold (the letter's number when none
was written, the address) is left as dots to fill by hand.
"""

import io
from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.admission.documents import (
    PLACEHOLDER,
    UNKNOWN,
    FormTemplateError,
    _text,
    all_paragraphs,
    fill,
    province_dir,
)
from chibo.core.fields import path_ids
from chibo.liaison.models import Liaison
from chibo.liaison.rules import GRASSROOTS_KINDS
from chibo.organizations.models import Organization

BUILT_IN = Path(__file__).resolve().parent / "form_templates"
NAME = "1-213.docx"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PLACEHOLDERS = {
    "cap_tren": gettext_lazy("cấp ủy cấp trên của tổ chức giới thiệu (chữ in hoa)"),
    "to_chuc": gettext_lazy("tổ chức giới thiệu: đảng ủy cơ sở của đảng viên (chữ in hoa)"),
    "ten_to_chuc": gettext_lazy("tên tổ chức giới thiệu"),
    "ky_hieu": gettext_lazy("ký hiệu của tổ chức giới thiệu (mã)"),
    "so_giay": gettext_lazy("số giấy giới thiệu"),
    "dia_danh": gettext_lazy("địa danh ghi trước ngày tháng (tỉnh)"),
    "ngay_van_ban": gettext_lazy("ngày giới thiệu: “ngày 02 tháng 01 năm 2025”"),
    "noi_cu_tru_to_chuc": gettext_lazy("chi ủy, đảng ủy cơ sở nơi cư trú"),
    "ho_ten": gettext_lazy("họ và tên đảng viên"),
    "ngay_sinh": gettext_lazy("ngày sinh (dd/mm/yyyy)"),
    "chi_bo": gettext_lazy("chi bộ nơi công tác"),
    "dang_uy_co_so": gettext_lazy("đảng ủy cơ sở nơi công tác"),
    "dia_chi": gettext_lazy("địa chỉ nơi cư trú"),
    "mien_sinh_hoat": gettext_lazy("ghi chú miễn sinh hoạt nơi cư trú (nếu có)"),
}


def template_path() -> Path:
    own = province_dir() / NAME
    return own if own.is_file() else BUILT_IN / NAME


def open_template(path: Path):
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise FormTemplateError(_("%(file)s: không đọc được tệp Word (.docx).") % {
            "file": path.name}, field="template") from error
    used = {match.group(1).strip() for paragraph in all_paragraphs(document)
            for match in PLACEHOLDER.finditer(_text(paragraph))}
    if unknown := sorted(used - set(PLACEHOLDERS)):
        raise FormTemplateError(_("%(file)s: không có chỗ điền %(names)s.") % {
            "file": path.name, "names": ", ".join(f"{{{{{n}}}}}" for n in unknown)},
            field="template")
    return document


def values_of(liaison: Liaison) -> dict[str, str]:
    member, cell = liaison.member, liaison.member.cell
    chain = {org.pk: org for org in Organization.objects.filter(pk__in=path_ids(cell.path))}
    ordered = [chain[pk] for pk in path_ids(cell.path) if pk in chain]
    grassroots = next((org for org in reversed(ordered) if org.kind in GRASSROOTS_KINDS), cell)
    index = ordered.index(grassroots)
    above = ordered[index - 1] if index > 0 else None
    top = ordered[0] if ordered else grassroots
    residence = liaison.residence_org.name + (
        f", {liaison.residence_cell.name}" if liaison.residence_cell_id else "")
    return {
        "cap_tren": (above.name if above else "").upper(), "to_chuc": grassroots.name.upper(),
        "ten_to_chuc": grassroots.name, "ky_hieu": grassroots.code,
        "so_giay": liaison.letter_no or UNKNOWN,
        "dia_danh": top.name.removeprefix("Đảng bộ tỉnh ").removeprefix("Đảng bộ "),
        "ngay_van_ban": date_format(liaison.introduced_on, "\\n\\g\\à\\y d \\t\\h\\á\\n\\g m "
                                                          "\\n\\ă\\m Y"),
        "noi_cu_tru_to_chuc": residence, "ho_ten": member.full_name,
        "ngay_sinh": date_format(member.birth_date, "d/m/Y") if member.birth_date else UNKNOWN,
        "chi_bo": cell.name, "dang_uy_co_so": grassroots.name,
        "dia_chi": liaison.address or UNKNOWN,
        "mien_sinh_hoat": _("Đồng chí được miễn sinh hoạt nơi cư trú.")
        if liaison.exempt_from_meetings else "",
    }


def render(liaison: Liaison) -> bytes:
    """The letter, in Vietnamese whatever the reader's language (an official paper)."""
    document = open_template(template_path())
    with translation.override("vi"):
        fill(document, values_of(liaison))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def filename(liaison: Liaison) -> str:
    return f"1-213-{liaison.member.member_code}-{liaison.introduced_on:%Y%m%d}.docx"
