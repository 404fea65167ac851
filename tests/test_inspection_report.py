"""The report "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng"
(chibo.inspection.report): every figure of the workbook and of the Word document is the
statistics engine's value of its key for the subtree and the period; who may download it (the
inspection capability in scope; 403 without it, 404 outside); a bad period refused; the same
report by the page, the API and the console.

The world: in 2025 An Phú's inspection commission (D1.X1) inspects Đồng Mạ cell, Lan and Bình;
its standing committee supervises Nà Khà cell and Thắng; the district's inspection commission
(D1) inspects Cường on signs of violation; Lan is warned (proposed by the commission's
inspection), Bình reprimanded by his cell, Nà Khà cell reprimanded by the commune. Outside the
commune: Yến inspected in D2.X1; outside the period: Dương inspected in 2024."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user, grant_role
from chibo.inspection import report
from chibo.interchange.importer import import_records
from chibo.stats import engine
from tests.conftest import D

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "BÁO CÁO CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG"
YEAR = "from=01/01/2025&to=31/12/2025"
API = "/api/v1/inspection-report/report?org=D1.X1&from=2025-01-01&to=2025-12-31"


def _inspection(code, kind, org, body, start, end, subjects):
    return ({"code": code, "kind": kind, "org_code": org, "by_body": body, "start_on": start,
             "end_on": end, "title": "Kiểm tra"},
            [{"inspection_code": code, **subject, "concluded_on": end} for subject in subjects])


@pytest.fixture
def year(world, people):
    rows = [
        _inspection("I1", "inspection_regular", "D1.X1", "inspection_commission",
                    D(2025, 3, 1), D(2025, 4, 1), [
                        {"org_code": "D1.X1.C1", "conclusion": "violation"},
                        {"member_code": "M001", "conclusion": "violation_discipline_proposed"},
                        {"member_code": "M006", "conclusion": "no_violation"}]),
        _inspection("I2", "supervision_thematic", "D1.X1", "standing_committee",
                    D(2025, 5, 1), D(2025, 6, 15), [
                        {"org_code": "D1.X1.C2", "conclusion": "shortcomings"},
                        {"member_code": "M002", "conclusion": "no_violation"}]),
        _inspection("I3", "inspection_on_signs", "D1", "inspection_commission",
                    D(2025, 2, 1), D(2025, 3, 1), [
                        {"member_code": "M007", "conclusion": "violation"}]),
        _inspection("I4", "inspection_regular", "D2.X1", "inspection_commission",
                    D(2025, 3, 1), D(2025, 4, 1), [
                        {"member_code": "M008", "conclusion": "no_violation"}]),
        _inspection("I5", "inspection_regular", "D1.X1", "inspection_commission",
                    D(2024, 3, 1), D(2024, 4, 1), [
                        {"member_code": "M003", "conclusion": "no_violation"}]),
    ]
    discipline = [
        {"code": "K1", "member_code": "M001", "form": "warning", "violation_on": D(2025, 1, 10),
         "decided_on": D(2025, 4, 20), "decided_by": "D1.X1", "by_body": "standing_committee",
         "inspection_code": "I1"},
        {"code": "K2", "member_code": "M006", "form": "reprimand",
         "violation_on": D(2025, 2, 1), "decided_on": D(2025, 6, 1), "decided_by": "D1.X1.C2",
         "by_body": "committee"},
        {"code": "K3", "org_code": "D1.X1.C2", "form": "reprimand",
         "violation_on": D(2025, 2, 1), "decided_on": D(2025, 7, 1), "decided_by": "D1.X1",
         "by_body": "standing_committee"},
    ]
    result = import_records({"inspections.csv": [row for row, _s in rows],
                             "inspection_subjects.csv": [s for _r, subjects in rows
                                                         for s in subjects],
                             "discipline.csv": discipline}, actor=SYSTEM)
    assert result.errors == []


def figures(content: bytes) -> list[tuple[str, str, int]]:
    """(number, label, count) of every counted row of the workbook."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [(row[0], row[1], row[2]) for row in sheet.iter_rows(values_only=True)
            if isinstance(row[2], int)]


def word_figures(content: bytes) -> list[tuple[str, str, str]]:
    """(number, label, count as printed) of every counted row of the document's table."""
    table = Document(io.BytesIO(content)).tables[-1]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    return [(row[0], row[1], row[2]) for row in cells if row[2].strip().isdigit()]


def _engine(org, keys, year: int = 2025) -> dict[str, int]:
    start, end = D(year, 1, 1), D(year, 12, 31)
    return engine.compute(org, engine.Request.parse(end, start, end, ",".join(keys)))


def test_every_figure_is_the_engines(world, year):
    org = world.orgs["D1.X1"]
    built = report.build(org, D(2025, 1, 1), D(2025, 12, 31))
    content, content_type = report.render(built, "xlsx")
    assert content_type == XLSX
    metrics = [row.metric for row in report.template().rows if row.metric]
    assert len(metrics) == 32  # every key of the two METRICS-v2 sections
    values = _engine(org, metrics)
    assert [count for _n, _label, count in figures(content)] == [values[k] for k in metrics]
    named = dict(zip(metrics, [count for _n, _label, count in figures(content)], strict=True))
    assert named["inspected.orgs"] == 1 and named["inspected.orgs.violation"] == 1
    # Lan, Bình, and Cường whom the district inspected on signs (placed at his cell)
    assert named["inspected.members"] == 3 and named["inspected_on_signs.members"] == 1
    assert named["inspected.members.discipline_proposed"] == 1
    assert named["inspections.own.inspection_commission"] == 1  # I3 is the district's own
    assert named["supervisions.own.standing_committee"] == 1
    assert named["supervised_thematic.orgs"] == 1 and named["supervised_thematic.members"] == 1
    assert (named["disciplined.members"], named["disciplined.members.warning"],
            named["disciplined.members.reprimand"]) == (2, 1, 1)
    assert (named["disciplined.orgs"], named["disciplined.orgs.reprimand"]) == (1, 1)
    sheet = load_workbook(io.BytesIO(content)).active
    heading = [cell for row in sheet.iter_rows(max_row=8, values_only=True) for cell in row]
    assert TITLE in heading
    assert "Tính đến ngày 31/12/2025; kỳ báo cáo từ ngày 01/01/2025 đến ngày 31/12/2025" in heading


def test_the_word_document_prints_the_same_figures(world, year):
    org = world.orgs["D1.X1"]
    built = report.build(org, D(2025, 1, 1), D(2025, 12, 31))
    content, content_type = report.render(built, "docx")
    assert content_type == DOCX
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert TITLE in text
    xlsx = figures(report.render(built, "xlsx")[0])
    assert [(n, label, str(count)) for n, label, count in xlsx] == word_figures(content)


def test_the_subtree_and_the_period_decide(world, year):
    """The district counts its own inspection on signs; the other district sees only Yến;
    2024 only Dương."""
    metrics = [row.metric for row in report.template().rows if row.metric]
    district = dict(zip(metrics, [c for _n, _l, c in figures(report.render(report.build(
        world.orgs["D1"], D(2025, 1, 1), D(2025, 12, 31)), "xlsx")[0])], strict=True))
    assert district["inspections.own.inspection_commission"] == 1
    assert district["inspected.members"] == 3
    other = report.build(world.orgs["D2.X1"], D(2025, 1, 1), D(2025, 12, 31))
    assert {line.metric: line.value for line in other.lines}["inspected.members"] == 1
    before = report.build(world.orgs["D1.X1"], D(2024, 1, 1), D(2024, 12, 31))
    values = {line.metric: line.value for line in before.lines if line.metric}
    assert values["inspected.members"] == 1 and values["disciplined.members"] == 0
    assert values == {k: v for k, v in _engine(world.orgs["D1.X1"], metrics, 2024).items()
                      if k in values}
    assert report.filename(before, "docx") == (
        "bao-cao-kiem-tra-giam-sat-ky-luat-D1.X1-2024-01-01-2024-12-31.docx")


def test_a_province_replaces_the_report_template(world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "report_templates").mkdir()
    (tmp_path / "report_templates" / f"{report.NAME}.json").write_text(
        '{"title": "KỶ LUẬT ĐẢNG", "rows": [{"metric": "disciplined.members"}]}',
        encoding="utf-8")
    built = report.build(world.orgs["D1"], D(2025, 1, 1), D(2025, 12, 31))
    assert built.title == "KỶ LUẬT ĐẢNG" and [line.metric for line in built.lines] == [
        "disciplined.members"]


@pytest.fixture
def district_inspector(world):
    """An inspector of the other district: the capability, not the scope of D1.X1."""
    user = create_user(actor=SYSTEM, username="inspector_d2", password="x-Secret-123",
                       full_name="Kiểm tra D2")
    grant_role(user, actor=SYSTEM, role=Role.INSPECTOR, organization=world.orgs["D2"])
    world.users["inspector_d2"] = user
    return user


@pytest.mark.parametrize("username, status", [
    ("admin", 200), ("inspector", 200),
    # in scope without the inspection capability
    ("province", 403), ("commune", 403), ("viewer", 403),
    # outside the scope: the commune looks absent, with the capability elsewhere too
    ("inspector_d2", 404), ("secretary", 404), ("member", 404), ("other_commune", 404),
    ("nobody", 404), (None, 302),
])
@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_who_downloads_the_report(world, year, district_inspector, username, status, kind):
    response = world.client(username).get(f"/org/D1.X1/inspection-report.{kind}?{YEAR}")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == (XLSX if kind == "xlsx" else DOCX)
        assert (f'filename="bao-cao-kiem-tra-giam-sat-ky-luat-D1.X1-2025-01-01-2025-12-31.'
                f'{kind}"' in response["Content-Disposition"])
        if kind == "xlsx":
            assert figures(response.content) == figures(report.render(report.build(
                world.orgs["D1.X1"], D(2025, 1, 1), D(2025, 12, 31)), "xlsx")[0])
    page = world.client(username).get("/org/D1.X1/inspection-report/")
    assert page.status_code == status


def test_a_bad_period_is_refused(world):
    client = world.client("inspector")
    response = client.get("/org/D1.X1/inspection-report.xlsx?from=01/06/2025&to=01/01/2025")
    assert response.status_code == 400
    assert "Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc" in response.content.decode()
    assert client.get("/org/D1.X1/inspection-report.docx?from=31/02/2025").status_code == 400
    api = client.get("/api/v1/inspection-report/report?org=D1.X1&from=2025-06-01"
                     "&to=2025-01-01")
    assert api.status_code == 400
    assert "Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc" in api.json()["detail"]
    assert client.get(f"{API}&format=pdf").status_code in (400, 422)


def test_the_period_page_leads_to_both_downloads(world):
    page = world.client("inspector").get("/org/D1.X1/inspection-report/").content.decode()
    assert 'action="/org/D1.X1/inspection-report.xlsx"' in page
    assert 'formaction="/org/D1.X1/inspection-report.docx"' in page
    assert 'name="from"' in page and 'name="to"' in page and 'name="as_of"' not in page


@pytest.mark.parametrize("username, status", [("inspector", 200), ("admin", 200),
                                              ("commune", 403), ("inspector_d2", 404),
                                              ("other_commune", 404), (None, 401)])
def test_the_api_gives_the_same_report(world, year, district_inspector, username, status):
    response = world.client(username).get(API)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == XLSX
        assert figures(response.content) == figures(world.client("inspector").get(
            f"/org/D1.X1/inspection-report.xlsx?{YEAR}").content)
        word = world.client(username).get(f"{API}&format=docx")
        assert word.status_code == 200 and word["Content-Type"] == DOCX


def test_the_console_writes_the_report(world, year, capsys, tmp_path):
    from tests.test_cli import run

    target = tmp_path / "report.xlsx"
    code, _out, err = run(capsys, "inspection", "report", "--org", "D1.X1", "--from",
                          "01/01/2025", "--to", "2025-12-31", "--output", str(target))
    assert (code, err) == (0, "")
    assert figures(target.read_bytes()) == figures(report.render(report.build(
        world.orgs["D1.X1"], D(2025, 1, 1), D(2025, 12, 31)), "xlsx")[0])
    word = tmp_path / "report.docx"
    code, _out, err = run(capsys, "inspection", "report", "--org", "D1.X1", "--from",
                          "01/01/2025", "--to", "2025-12-31", "--output", str(word))
    assert (code, err) == (0, "")
    assert TITLE in "\n".join(p.text for p in Document(str(word)).paragraphs)
    code, _out, err = run(capsys, "inspection", "report", "--org", "D1.X1", "--from",
                          "01/06/2025", "--to", "01/01/2025", "--output", str(target))
    assert code == 2 and "Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc" in err
    code, _out, err = run(capsys, "inspection", "report", "--org", "NOPE", "--output",
                          str(target))
    assert code == 2 and "NOPE" in err
