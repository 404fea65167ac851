"""The admission forms (chibo.admission.documents): each form filled from Hà Thị Mai's file and
read back with python-docx; refused before its step; a province's own template used, a bad one
refused with the names at fault; who may download them (pages and API).

The story (tests/test_admission.py): Mai, of Đồng Mạ cell (D1.X1.C1, An Phú commune, Sơn Dương
district), sponsored by Lan and Thắng; the cell resolves on 2 January 2025 (4 of 5 official
members for), An Phú's committee on 9 January, and An Phú's committee (authorized) decides on
20 February 2025 by decision 12-QĐ/ĐU."""

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from chibo.accounts.policy import SYSTEM
from chibo.admission import documents, rules, services
from chibo.organizations.calendar import working_calendar
from tests.conftest import D
from tests.test_admission import decide, listed, prepared, resolved

DOCX = documents.CONTENT_TYPE


def text_of(content: bytes) -> str:
    """Every paragraph of the document, tables included, one a line."""
    document = Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in documents.all_paragraphs(document))


def filled(candidate, key: str) -> str:
    return text_of(documents.render(documents.FORMS[key], candidate))


@pytest.fixture
def mai(world, people):
    return decide(world, resolved(world, people), D(2025, 2, 20))


def url(candidate, form="6-knd") -> str:
    return f"/candidates/{candidate.code}/forms/{form}.docx"


# What each form says -------------------------------------------------------------------------

def test_the_cells_resolution_6_knd(mai):
    text = filled(mai, "6-knd")
    for expected in ("Mẫu 6-KNĐ", "ĐẢNG BỘ XÃ AN PHÚ", "CHI BỘ THÔN ĐỒNG MẠ",
                     "ĐẢNG CỘNG SẢN VIỆT NAM", "Tuyên Quang, ngày 02 tháng 01 năm 2025",
                     "Số:        -NQ/CB", "NGHỊ QUYẾT",
                     "Ngày 02/01/2025, Chi bộ thôn Đồng Mạ đã họp",
                     "Họ và tên: Hà Thị Mai; giới tính: Nữ; sinh ngày 02/04/1998.",
                     "Dân tộc: Tày; tôn giáo: Không.",
                     "cấp ngày 01/03/2024",
                     "Người giới thiệu: đồng chí Nông Thị Lan, đồng chí Ma Văn Thắng.",
                     "tổng số đảng viên chính thức của chi bộ: 5".lower(),
                     "tán thành việc kết nạp: 4/5 đồng chí, đạt 80,00 %",
                     "Chi bộ đề nghị Đảng bộ xã An Phú xem xét", "T/M CHI BỘ", "BÍ THƯ"):
        assert expected in text or expected in text.lower(), expected
    assert "{{" not in text and "}}" not in text
    assert "Quê quán: ……………." in text  # not in the file: left to fill by hand


def test_the_committees_resolution_8_knd(mai):
    text = filled(mai, "8-knd")
    for expected in ("Mẫu 8-KNĐ", "ĐẢNG BỘ HUYỆN SƠN DƯƠNG", "ĐẢNG BỘ XÃ AN PHÚ",
                     "Tuyên Quang, ngày 09 tháng 01 năm 2025", "Số:        -NQ/ĐU",
                     "Xét Nghị quyết ngày 02/01/2025 của Chi bộ thôn Đồng Mạ",
                     "(4/5 đảng viên chính thức tán thành, đạt 80,00 %)",
                     "Ngày 09/01/2025, Đảng bộ xã An Phú đã họp",
                     "Đề nghị Đảng bộ huyện Sơn Dương xem xét, quyết định kết nạp quần chúng "
                     "Hà Thị Mai", "T/M ĐẢNG ỦY"):
        assert expected in text, expected
    assert "{{" not in text


def test_the_decision_9_knd(mai):
    text = filled(mai, "9-knd")
    deadline = rules.ceremony_deadline(working_calendar(), D(2025, 2, 20))
    for expected in ("Mẫu 9-KNĐ", "ĐẢNG BỘ HUYỆN SƠN DƯƠNG", "ĐẢNG BỘ XÃ AN PHÚ",
                     "Số: 12-QĐ/ĐU", "Tuyên Quang, ngày 20 tháng 02 năm 2025", "QUYẾT ĐỊNH",
                     "ĐẢNG ỦY QUYẾT ĐỊNH",  # An Phú's committee decides (authorized)
                     "Điều 1. Kết nạp quần chúng Hà Thị Mai, sinh ngày 02/04/1998",
                     "sinh hoạt tại Chi bộ thôn Đồng Mạ",
                     f"chậm nhất ngày {deadline:%d/%m/%Y}", "T/M ĐẢNG ỦY"):
        assert expected in text, expected
    assert "{{" not in text


def test_a_district_decision_is_its_standing_committees(world, people):
    candidate = services.decide_admission(
        resolved(world, people), D(2025, 2, 20), decision_no="215-QĐ/HU",
        decided_by=world.orgs["D1"], member_code="M100", actor=SYSTEM)
    text = filled(candidate, "9-knd")
    assert "ĐẢNG BỘ TỈNH TUYÊN QUANG" in text and "Số: 215-QĐ/HU" in text
    assert "BAN THƯỜNG VỤ QUYẾT ĐỊNH" in text and "T/M BAN THƯỜNG VỤ" in text


# Before the step ---------------------------------------------------------------------------

def refusal(candidate, key: str) -> str:
    with pytest.raises(documents.FormNotReady) as caught:
        documents.render(documents.FORMS[key], candidate)
    return " ".join(caught.value.messages)


def test_a_form_waits_for_its_step(world, people):
    candidate = listed(world)
    assert "6-KNĐ" in refusal(candidate, "6-knd")
    candidate = services.record_cell_resolution(prepared(world, people, code="K2"),
                                                D(2025, 1, 2), 4, 5, actor=SYSTEM)
    assert "Hà Thị Mai" in filled(candidate, "6-knd")
    assert "8-KNĐ" in refusal(candidate, "8-knd")
    candidate = services.record_committee_resolution(candidate, D(2025, 1, 9), actor=SYSTEM)
    assert "Hà Thị Mai" in filled(candidate, "8-knd")
    assert "9-KNĐ" in refusal(candidate, "9-knd")


def test_the_page_says_why_a_form_is_not_ready(world, people):
    candidate = services.record_cell_resolution(prepared(world, people), D(2025, 1, 2), 4, 5,
                                                actor=SYSTEM)
    response = world.client("commune").get(url(candidate, "9-knd"))
    assert response.status_code == 409
    assert "Chưa có quyết định kết nạp" in response.content.decode()
    page = world.client("commune").get(f"/candidates/{candidate.code}/forms/").content.decode()
    assert url(candidate, "6-knd") in page and url(candidate, "9-knd") not in page
    api = world.client("commune").get(
        f"/api/v1/admission-documents/candidates/{candidate.code}/forms/9-knd")
    assert api.status_code == 409 and "Chưa có quyết định kết nạp" in api.json()["detail"]


def test_a_grassroots_cell_has_no_committee_resolution_form(world, people):
    """CQ.S1 is a grassroots cell: its resolution goes straight to the bloc committee."""
    candidate = services.record_certificate(listed(world, cell="CQ.S1"), D(2024, 3, 1),
                                            actor=SYSTEM)
    services.set_sponsors(candidate, people["yen"], None, True, actor=SYSTEM)
    services.record_background_check(candidate, D(2024, 4, 1), actor=SYSTEM)
    candidate = services.record_cell_resolution(candidate, D(2025, 1, 2), 3, 3, actor=SYSTEM,
                                                exception=_allowed())
    text = filled(candidate, "6-knd")
    assert "Chi bộ đề nghị Đảng bộ Khối các cơ quan tỉnh xem xét" in text
    assert "đồng chí Vàng Thị Yến, Ban Chấp hành Đoàn TNCS Hồ Chí Minh cơ sở" in text
    candidate = services.record_committee_resolution(candidate, D(2025, 1, 9), actor=SYSTEM)
    assert "không có đảng ủy cơ sở" in refusal(candidate, "8-knd")


def _allowed():
    from chibo.findings.services import Decision

    return Decision("15-QĐ/HU", D(2025, 1, 2), "CQ")


# A province's template -----------------------------------------------------------------------

def province_template(settings, tmp_path, *pieces: str, name="6-KND.docx"):
    """A template of the province in its data directory, one paragraph made of `pieces` as
    separate runs (as Word splits a retyped word)."""
    settings.DATA_DIR = tmp_path
    (tmp_path / "form_templates").mkdir(exist_ok=True)
    document = Document()
    paragraph = document.add_paragraph()
    for piece in pieces:
        paragraph.add_run(piece).bold = piece.startswith("Tỉnh")
    document.save(tmp_path / "form_templates" / name)


def test_a_provinces_template_replaces_the_built_in_one(mai, settings, tmp_path):
    province_template(settings, tmp_path, "Tỉnh mẫu riêng: ", "{{ho_", "ten}} (",
                      "{{ ngay_sinh }}", "), ", "{{chi_bo}}")
    assert filled(mai, "6-knd") == "Tỉnh mẫu riêng: Hà Thị Mai (02/04/1998), Chi bộ thôn Đồng Mạ"
    document = Document(io.BytesIO(documents.render(documents.FORMS["6-knd"], mai)))
    assert document.paragraphs[0].runs[0].bold  # the runs keep their formatting
    assert "Mẫu 8-KNĐ" in filled(mai, "8-knd")  # the others stay chibo's


def test_a_template_with_an_unknown_placeholder_is_refused(mai, world, settings, tmp_path):
    province_template(settings, tmp_path, "Họ tên: {{ho_ten}}, {{ten_sai}} {{ ho ten }}")
    with pytest.raises(documents.FormTemplateError) as caught:
        documents.render(documents.FORMS["6-knd"], mai)
    message = " ".join(caught.value.messages)
    assert "6-KND.docx (mẫu của tỉnh)" in message
    assert "{{ho ten}}, {{ten_sai}}" in message and "ho_ten" in message
    response = world.client("commune").get(url(mai))
    assert response.status_code == 409 and "{{ten_sai}}" in response.content.decode()


def test_a_template_that_is_not_a_word_file_is_refused(mai, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "form_templates").mkdir()
    (tmp_path / "form_templates" / "9-KND.docx").write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="9-KND.docx .*không đọc được tệp Word"):
        documents.render(documents.FORMS["9-knd"], mai)


def test_the_built_in_templates_use_only_known_placeholders():
    for form in documents.FORMS.values():
        documents.open_template(documents.BUILT_IN / form.template_name)


# Who may download ----------------------------------------------------------------------------

@pytest.mark.parametrize("username, status", [
    ("admin", 200), ("province", 200), ("commune", 200), ("secretary", 200),
    ("viewer", 404), ("inspector", 403), ("member", 404),
    ("other_commune", 404), ("nobody", 404), (None, 302),
])
def test_who_downloads_a_form(mai, world, username, status):
    response = world.client(username).get(url(mai, "9-knd"))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == DOCX
        assert 'filename="9-KND-K1.docx"' in response["Content-Disposition"]
        assert "Hà Thị Mai" in text_of(response.content)


def test_only_the_three_forms_and_known_candidates_are_found(mai, world):
    assert world.client("province").get(url(mai)).status_code == 200
    assert world.client("province").get(url(mai, form="7-knd")).status_code == 404
    assert world.client("province").get("/candidates/K404/forms/6-knd.docx").status_code == 404
    # the candidate's other pages are not taken for a step of its file
    assert world.client("province").get(f"/candidates/{mai.code}/forms/").status_code == 200


@pytest.mark.parametrize("username, status", [
    ("commune", 200), ("inspector", 403), ("viewer", 404), ("other_commune", 404),
    (None, 401)])
def test_the_api_gives_the_same_forms_to_the_same_people(mai, world, username, status):
    response = world.client(username).get(
        f"/api/v1/admission-documents/candidates/{mai.code}/forms/6-knd")
    assert response.status_code == status
    if status == 200:
        assert "Hà Thị Mai" in text_of(response.content)


def test_the_api_knows_only_the_three_forms(mai, world):
    response = world.client("commune").get(
        f"/api/v1/admission-documents/candidates/{mai.code}/forms/7-knd")
    assert response.status_code == 404
