"""The admission forms as Word files, filled from a candidate's file: 6-KNĐ (the cell's
resolution proposing the admission), 8-KNĐ (the grassroots committee's resolution) and 9-KNĐ
(the decision to admit), numbered as the forms of Hướng dẫn 12-HD/BTCTW (2022).

Templates are data. The built-in ones are the .docx files of `form_templates/` beside this
module (written by tools/build_form_templates.py); a province replaces one by putting a .docx
of the same name in `$CHIBO_DATA_DIR/form_templates/`. A template marks what is filled with
placeholders `{{name}}` (the names of PLACEHOLDERS, spaces inside the braces allowed); a
placeholder may be split over several runs of a paragraph (Word does that when a word is
retyped): the text is joined per paragraph, replaced, and the formatting of the run where the
placeholder starts is kept. A template that names an unknown placeholder, or that is not a
Word file, is refused with the file and the names at fault.

A form exists only once its step is recorded (6-KNĐ after the cell's resolution, 8-KNĐ after
the committee's, 9-KNĐ after the decision): before, `FormNotReady` says which step is missing.
What the records do not hold (the resolutions' numbers, who attended, the secretary's name) is
left as dots to fill by hand, as on the printed forms.
"""

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.admission import rules
from chibo.admission.models import Candidate
from chibo.admission.placement import TreeOnDays
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import path_ids
from chibo.members.choices import Gender, ProfessionalLevel, TheoryLevel
from chibo.organizations.calendar import working_calendar
from chibo.organizations.choices import OrgKind
from chibo.organizations.models import OrgPeriod
from chibo.stats.reports import place_of

BUILT_IN = Path(__file__).resolve().parent / "form_templates"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
UNKNOWN = "……………"  # what the records do not say: a blank to fill by hand

# Every placeholder a template may use, with what it is filled with (docs/admission.md).
PLACEHOLDERS = {
    "cap_tren": gettext_lazy("cấp ủy cấp trên của tổ chức ban hành (chữ in hoa, đầu văn bản)"),
    "to_chuc": gettext_lazy("tổ chức ban hành (chữ in hoa, đầu văn bản)"),
    "ten_cap_tren": gettext_lazy("tên cấp ủy cấp trên của tổ chức ban hành"),
    "ten_to_chuc": gettext_lazy("tên tổ chức ban hành"),
    "dia_danh": gettext_lazy("địa danh ghi trước ngày tháng (tỉnh)"),
    "ngay_van_ban": gettext_lazy("ngày của văn bản: “ngày 02 tháng 01 năm 2025”"),
    "so_quyet_dinh": gettext_lazy("số quyết định kết nạp"),
    "tap_the": gettext_lazy("tập thể quyết định: BAN THƯỜNG VỤ hoặc ĐẢNG ỦY"),
    "ho_ten": gettext_lazy("họ và tên người vào Đảng"),
    "gioi_tinh": gettext_lazy("giới tính"),
    "ngay_sinh": gettext_lazy("ngày sinh (dd/mm/yyyy)"),
    "dan_toc": gettext_lazy("dân tộc"),
    "ton_giao": gettext_lazy("tôn giáo (“Không” khi không có)"),
    "que_quan": gettext_lazy("quê quán"),
    "noi_cu_tru": gettext_lazy("nơi cư trú"),
    "nghe_nghiep": gettext_lazy("nghề nghiệp"),
    "giao_duc_pho_thong": gettext_lazy("giáo dục phổ thông"),
    "chuyen_mon": gettext_lazy("trình độ chuyên môn"),
    "ly_luan_chinh_tri": gettext_lazy("trình độ lý luận chính trị"),
    "ngay_chung_nhan": gettext_lazy("ngày cấp giấy chứng nhận lớp nhận thức về Đảng"),
    "nguoi_gioi_thieu": gettext_lazy("người giới thiệu (đảng viên, Đoàn thanh niên)"),
    "chi_bo": gettext_lazy("chi bộ đề nghị kết nạp"),
    "cap_uy_xet": gettext_lazy("cấp ủy xét nghị quyết của chi bộ"),
    "dang_uy_co_so": gettext_lazy("đảng ủy cơ sở của chi bộ"),
    "ngay_nghi_quyet_chi_bo": gettext_lazy("ngày nghị quyết của chi bộ"),
    "so_dang_vien_chinh_thuc": gettext_lazy("số đảng viên chính thức của chi bộ"),
    "so_tan_thanh": gettext_lazy("số đảng viên chính thức tán thành"),
    "ty_le_tan_thanh": gettext_lazy("tỷ lệ tán thành (%)"),
    "ngay_nghi_quyet_dang_uy": gettext_lazy("ngày nghị quyết của đảng ủy cơ sở"),
    "ngay_quyet_dinh": gettext_lazy("ngày quyết định kết nạp"),
    "cap_uy_quyet_dinh": gettext_lazy("cấp ủy quyết định kết nạp"),
    "han_le_ket_nap": gettext_lazy("hạn tổ chức lễ kết nạp (30 ngày làm việc)"),
}


class FormNotReady(RuleViolation):
    """The candidate's file has not reached the form's step."""


class FormTemplateError(RuleViolation):
    """A template that cannot be used: the message names the file and what is wrong."""


@dataclass(frozen=True)
class Form:
    key: str  # in URLs and file names: 6-knd
    number: str  # as printed: 6-KNĐ
    title: object
    step: str  # the candidate's date field of the step that issues it
    missing: object  # the refusal before that step
    issuer: Callable[["Facts"], OrgPeriod | None]

    @property
    def template_name(self) -> str:
        return f"{self.key.upper()}.docx"


@dataclass(frozen=True)
class Facts:
    """The organizations around a candidate's file, each as it was on its step's day."""

    candidate: Candidate
    chains: dict[str, list[OrgPeriod]]  # step's date field -> the cell's chain on that day
    cell: OrgPeriod | None  # on the cell's resolution
    committee: OrgPeriod | None  # the grassroots committee, on its resolution
    considering: OrgPeriod | None  # who considers the cell's resolution
    decider: OrgPeriod | None  # the deciding committee, on the decision
    place: str


FORMS = {form.key: form for form in (
    Form("6-knd", "6-KNĐ", gettext_lazy("Nghị quyết đề nghị kết nạp đảng viên của chi bộ"),
         "cell_resolution_on",
         gettext_lazy("Chi bộ chưa có nghị quyết đề nghị kết nạp: chưa lập được mẫu 6-KNĐ."),
         lambda facts: facts.cell),
    Form("8-knd", "8-KNĐ", gettext_lazy("Nghị quyết của đảng ủy cơ sở đề nghị kết nạp "
                                        "đảng viên"),
         "committee_resolution_on",
         gettext_lazy("Đảng ủy cơ sở chưa có nghị quyết đề nghị kết nạp: chưa lập được mẫu "
                      "8-KNĐ."),
         lambda facts: facts.committee),
    Form("9-knd", "9-KNĐ", gettext_lazy("Quyết định kết nạp đảng viên"), "decision_on",
         gettext_lazy("Chưa có quyết định kết nạp: chưa lập được mẫu 9-KNĐ."),
         lambda facts: facts.decider),
)}


# Reading the records ----------------------------------------------------------------------------

def _periods_on(cell_id: int, day: date | None) -> list[OrgPeriod]:
    """The cell and its ancestors as they were on `day`, from the top down (through merges)."""
    if day is None:
        return []
    path = TreeOnDays([cell_id]).path(cell_id, day)
    if path is None:
        return []
    ids = path_ids(path)
    found = {p.organization_id: p for p in OrgPeriod.objects.as_of(day).filter(
        organization_id__in=ids).select_related("organization")}
    return [found[i] for i in ids if i in found]


def _nearest(periods: list[OrgPeriod], kinds) -> OrgPeriod | None:
    """The nearest ancestor (not the cell itself) of one of `kinds`."""
    return next((p for p in reversed(periods[:-1]) if p.organization.kind in kinds), None)


NOT_PARTIAL = frozenset(OrgKind.values) - {OrgKind.PARTIAL_COMMITTEE}


def facts_of(candidate: Candidate) -> Facts:
    at_cell = _periods_on(candidate.cell_id, candidate.cell_resolution_on)
    at_committee = _periods_on(candidate.cell_id, candidate.committee_resolution_on)
    at_decision = _periods_on(candidate.cell_id, candidate.decision_on)
    decider = next((p for p in at_decision if p.organization_id == candidate.decided_by_id),
                   None)
    every = at_decision or at_committee or at_cell
    top = every[0] if every else None
    chains = {"cell_resolution_on": at_cell, "committee_resolution_on": at_committee,
              "decision_on": at_decision}
    return Facts(candidate, chains, at_cell[-1] if at_cell else None,
                 _nearest(at_committee, {OrgKind.GRASSROOTS_COMMITTEE}),
                 _nearest(at_cell, NOT_PARTIAL), decider,
                 place_of([top] if top else [], top, candidate.cell))


def _above(chain: list[OrgPeriod], period: OrgPeriod | None) -> OrgPeriod | None:
    """The organization just above `period` in the chain of the same day."""
    index = chain.index(period) if period in chain else 0
    return chain[index - 1] if index > 0 else None


def _day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else UNKNOWN


def _long_day(day: date) -> str:
    return _("ngày %(d)02d tháng %(m)02d năm %(y)d") % {"d": day.day, "m": day.month,
                                                       "y": day.year}


def _name(period: OrgPeriod | None) -> str:
    return period.name if period else UNKNOWN


def _sponsors(candidate: Candidate) -> str:
    names = [_("đồng chí %(name)s") % {"name": sponsor.full_name}
             for sponsor in (candidate.sponsor1, candidate.sponsor2) if sponsor]
    if candidate.youth_union_sponsor:
        names.append(_("Ban Chấp hành Đoàn TNCS Hồ Chí Minh cơ sở"))
    return ", ".join(names) or UNKNOWN


def _votes(candidate: Candidate) -> dict[str, str]:
    total, votes_for = candidate.cell_votes_total, candidate.cell_votes_for
    if not total or votes_for is None:
        return {"so_dang_vien_chinh_thuc": UNKNOWN, "so_tan_thanh": UNKNOWN,
                "ty_le_tan_thanh": UNKNOWN}
    share = f"{100 * votes_for / total:.2f}".replace(".", ",")
    return {"so_dang_vien_chinh_thuc": str(total), "so_tan_thanh": str(votes_for),
            "ty_le_tan_thanh": share}


def _person(candidate: Candidate) -> dict[str, str]:
    def text(value: str) -> str:
        return value or UNKNOWN

    return {
        "ho_ten": candidate.full_name, "gioi_tinh": str(Gender(candidate.gender).label),
        "ngay_sinh": _day(candidate.birth_date), "dan_toc": text(candidate.ethnicity),
        "ton_giao": candidate.religion or _("Không"), "que_quan": text(candidate.hometown),
        "noi_cu_tru": text(candidate.residence), "nghe_nghiep": text(candidate.occupation),
        "giao_duc_pho_thong": text(candidate.general_education),
        "chuyen_mon": str(ProfessionalLevel(candidate.professional_level).label)
        if candidate.professional_level else UNKNOWN,
        "ly_luan_chinh_tri": str(TheoryLevel(candidate.theory_level).label)
        if candidate.theory_level else UNKNOWN,
        "ngay_chung_nhan": _day(candidate.awareness_course_on),
        "nguoi_gioi_thieu": _sponsors(candidate),
    }


def _collective(decider: OrgPeriod | None) -> str:
    """Who decides in the committee: its standing committee above the grassroots level, the
    grassroots committee itself when it is authorized to admit."""
    if decider is not None and decider.organization.kind == OrgKind.GRASSROOTS_COMMITTEE:
        return _("ĐẢNG ỦY")
    return _("BAN THƯỜNG VỤ")


def values_of(form: Form, facts: Facts) -> dict[str, str]:
    """Every placeholder's text for `form` (all of PLACEHOLDERS: a province's template may use
    any of them)."""
    candidate = facts.candidate
    issuer = form.issuer(facts)
    above = _above(facts.chains[form.step], issuer)
    decision = candidate.decision_on
    return {
        "cap_tren": _name(above).upper(), "to_chuc": _name(issuer).upper(),
        "ten_cap_tren": _name(above), "ten_to_chuc": _name(issuer),
        "dia_danh": facts.place, "ngay_van_ban": _long_day(getattr(candidate, form.step)),
        "so_quyet_dinh": candidate.decision_no or UNKNOWN,
        "tap_the": _collective(facts.decider),
        **_person(candidate), **_votes(candidate),
        "chi_bo": _name(facts.cell), "cap_uy_xet": _name(facts.considering),
        "dang_uy_co_so": _name(facts.committee),
        "ngay_nghi_quyet_chi_bo": _day(candidate.cell_resolution_on),
        "ngay_nghi_quyet_dang_uy": _day(candidate.committee_resolution_on),
        "ngay_quyet_dinh": _day(decision), "cap_uy_quyet_dinh": _name(facts.decider),
        "han_le_ket_nap": _day(rules.ceremony_deadline(working_calendar(), decision))
        if decision else UNKNOWN,
    }


# Templates --------------------------------------------------------------------------------------

def province_dir() -> Path:
    return Path(settings.DATA_DIR) / "form_templates"


def template_path(form: Form) -> Path:
    """The province's template when it has put one in its data directory, else chibo's."""
    own = province_dir() / form.template_name
    return own if own.is_file() else BUILT_IN / form.template_name


def _paragraphs(container) -> Iterator:
    """Every paragraph of a document part, table cells included (tables in tables too)."""
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def all_paragraphs(document) -> Iterator:
    yield from _paragraphs(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header,
                     section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from _paragraphs(part)


def _text(paragraph) -> str:
    return "".join(run.text for run in paragraph.runs)


def open_template(path: Path):
    """The template as a python-docx Document, checked: FormTemplateError names the file and
    the unknown placeholders."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    where = _("%(file)s (mẫu của tỉnh)") % {"file": path.name} if path.parent != BUILT_IN \
        else path.name
    try:
        document = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise FormTemplateError(_("%(file)s: không đọc được tệp Word (.docx).") % {
            "file": where}, field="template") from error
    used = {match.group(1).strip() for paragraph in all_paragraphs(document)
            for match in PLACEHOLDER.finditer(_text(paragraph))}
    if unknown := sorted(used - set(PLACEHOLDERS)):
        raise FormTemplateError(
            _("%(file)s: không có chỗ điền %(names)s. Các chỗ điền được dùng: %(known)s.") % {
                "file": where, "names": ", ".join(f"{{{{{n}}}}}" for n in unknown),
                "known": ", ".join(PLACEHOLDERS)}, field="template")
    return document


def _replace(runs, start: int, end: int, value: str) -> None:
    """Put `value` where characters start..end of the joined runs were: in the run where they
    start (keeping its formatting), removing the rest of them from the runs that follow."""
    offset, first = 0, True
    for run in runs:
        text = run.text
        run_start, run_end = offset, offset + len(text)
        offset = run_end
        if run_end <= start or run_start >= end:
            continue
        cut_from, cut_to = max(start, run_start) - run_start, min(end, run_end) - run_start
        run.text = text[:cut_from] + (value if first else "") + text[cut_to:]
        first = False


def fill(document, values: dict[str, str]) -> None:
    for paragraph in all_paragraphs(document):
        runs = paragraph.runs
        matches = list(PLACEHOLDER.finditer(_text(paragraph)))
        for match in reversed(matches):  # from the right: earlier offsets stay valid
            _replace(runs, match.start(), match.end(), values[match.group(1).strip()])


# The form of a candidate --------------------------------------------------------------------------

def form_of(key: str) -> Form | None:
    return FORMS.get(key)


def require_step(form: Form, candidate: Candidate) -> None:
    if getattr(candidate, form.step) is None:
        raise FormNotReady(str(form.missing), field=form.step)


def render(form: Form, candidate: Candidate) -> bytes:
    """The form filled from the candidate's file, in Vietnamese (official papers are written in
    Vietnamese whatever the reader's language)."""
    require_step(form, candidate)
    document = open_template(template_path(form))
    with translation.override("vi"):
        facts = facts_of(candidate)
        if form.issuer(facts) is None:
            raise FormNotReady(_("Chi bộ %(cell)s không có đảng ủy cơ sở cấp trên: mẫu "
                                 "%(form)s không áp dụng.") % {
                "cell": candidate.cell.name, "form": form.number}, field=form.step)
        fill(document, values_of(form, facts))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def filename(form: Form, candidate: Candidate) -> str:
    return f"{form.key.upper()}-{candidate.code}.docx"
