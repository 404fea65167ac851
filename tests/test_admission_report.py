"""The report "Công tác phát triển đảng viên" (chibo.admission.report): every figure of the
workbook is the statistics engine's value of its key for the subtree and the period; who may
download it; a bad period refused.

The world: in 2025 Đồng Mạ cell (D1.X1.C1, An Phú commune) admits Nguyễn Văn An
(tests/conftest.py) and Mai (decided 20 February), and holds a second file at the committee's
stage; Lan and Thắng learn in the district's course for secretaries (ended 5 April), one
completes it."""

import io

import pytest
from openpyxl import load_workbook

from chibo.accounts.policy import SYSTEM
from chibo.admission import report
from chibo.courses import services as courses
from chibo.stats import engine
from tests.conftest import D
from tests.test_admission import decide, resolved

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECRETARIES = "Bồi dưỡng bí thư chi bộ, cấp ủy viên cơ sở: số lớp"
YEAR = "from=01/01/2025&to=31/12/2025"


@pytest.fixture
def year(world, people):
    decide(world, resolved(world, people), D(2025, 2, 20))
    resolved(world, people, code="K2", on=D(2025, 6, 2))
    lesson = courses.open_course(code="L1", name="Lớp bồi dưỡng bí thư chi bộ", kind="secretary",
                                 org=world.orgs["D1"], start_on=D(2025, 4, 1),
                                 end_on=D(2025, 4, 5), actor=SYSTEM)
    for name, result in (("lan", "completed"), ("thang", "failed")):
        enrollment = courses.enroll(lesson, member=people[name], actor=SYSTEM)
        courses.record_result(enrollment, result, actor=SYSTEM,
                              certificate_on=D(2025, 4, 5) if result == "completed" else None)


def figures(content: bytes) -> list[tuple[str, str, int]]:
    """(number, label, count) of every counted row of the workbook."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [(row[0], row[1], row[2]) for row in sheet.iter_rows(values_only=True)
            if isinstance(row[2], int)]


def test_every_figure_is_the_engines(world, year):
    org = world.orgs["D1.X1"]
    built = report.build(org, D(2025, 1, 1), D(2025, 12, 31))
    content, content_type = report.xlsx(built)
    assert content_type == XLSX
    metrics = [row.metric for row in report.template().rows if row.metric]
    values = engine.compute(org, engine.Request.parse(D(2025, 12, 31), D(2025, 1, 1),
                                                      D(2025, 12, 31), ",".join(metrics)))
    assert [count for _n, _label, count in figures(content)] == [values[k] for k in metrics]
    named = {label: count for _n, label, count in figures(content)}
    # Mai, and Nguyễn Văn An (admitted on 1 September 2025 without a candidate's file)
    assert named["Đảng viên mới được kết nạp (kể cả kết nạp lại)"] == 2
    assert named["Nữ"] == 1 and named["Quyết định kết nạp từ hồ sơ quần chúng ưu tú"] == 1
    assert named["Đảng ủy cơ sở đã đề nghị kết nạp"] == 1
    assert named[SECRETARIES] == 0  # the district's course
    sheet = load_workbook(io.BytesIO(content)).active
    heading = [cell for row in sheet.iter_rows(max_row=8, values_only=True) for cell in row]
    assert "CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN" in heading
    assert "Tính đến ngày 31/12/2025; kỳ báo cáo từ ngày 01/01/2025 đến ngày 31/12/2025" in heading


def test_the_districts_report_counts_its_course(world, year):
    content, _type = report.xlsx(report.build(world.orgs["D1"], D(2025, 1, 1), D(2025, 12, 31)))
    named = {label: count for _n, label, count in figures(content)}
    assert named[SECRETARIES] == 1
    rows = figures(content)
    classes = [label for _n, label, _c in rows].index(SECRETARIES)
    assert rows[classes + 1][1:] == ("Số học viên hoàn thành", 1)


def test_a_province_replaces_the_report_template(world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "report_templates").mkdir()
    (tmp_path / "report_templates" / f"{report.NAME}.json").write_text(
        '{"title": "KẾT NẠP ĐẢNG VIÊN", "rows": [{"metric": "admitted"}]}', encoding="utf-8")
    built = report.build(world.orgs["D1"], D(2025, 1, 1), D(2025, 12, 31))
    assert built.title == "KẾT NẠP ĐẢNG VIÊN" and [line.metric for line in built.lines] == [
        "admitted"]


@pytest.mark.parametrize("username, status", [
    ("admin", 200), ("province", 200), ("commune", 200), ("viewer", 200), ("inspector", 200),
    ("secretary", 404), ("member", 404), ("other_commune", 404), ("nobody", 404), (None, 302),
])
def test_who_downloads_the_report(world, year, username, status):
    """The commune's report: the cell's secretary and members do not see the commune."""
    response = world.client(username).get(f"/org/D1.X1/candidates/report.xlsx?{YEAR}")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == XLSX
        assert ('filename="cong-tac-phat-trien-dang-vien-D1.X1-2025-01-01-2025-12-31.xlsx"'
                in response["Content-Disposition"])
        assert figures(response.content)[0][2] == 2


def test_a_member_sees_the_cell_but_not_its_statistics(world, year):
    assert world.client("member").get(f"/org/D1.X1.C1/candidates/report.xlsx?{YEAR}"
                                      ).status_code == 403
    assert world.client("secretary").get(f"/org/D1.X1.C1/candidates/report.xlsx?{YEAR}"
                                         ).status_code == 200


def test_a_bad_period_is_refused(world):
    client = world.client("commune")
    response = client.get("/org/D1.X1/candidates/report.xlsx?from=01/06/2025&to=01/01/2025")
    assert response.status_code == 400
    assert "Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc" in response.content.decode()
    assert client.get("/org/D1.X1/candidates/report.xlsx?from=31/02/2025").status_code == 400
    api = client.get("/api/v1/admission-documents/report?org=D1.X1&from=2025-06-01&to=2025-01-01")
    assert api.status_code == 400
    assert "Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc" in api.json()["detail"]


def test_the_period_page_leads_to_the_download(world):
    page = world.client("commune").get("/org/D1.X1/candidates/report/").content.decode()
    assert 'action="/org/D1.X1/candidates/report.xlsx"' in page
    assert 'name="from"' in page and 'name="to"' in page and 'name="as_of"' not in page


@pytest.mark.parametrize("username, status", [("secretary", 200), ("member", 403),
                                              ("other_commune", 404), (None, 401)])
def test_the_api_gives_the_same_report(world, year, username, status):
    response = world.client(username).get(
        "/api/v1/admission-documents/report?org=D1.X1.C1&from=2025-01-01&to=2025-12-31")
    assert response.status_code == status
    if status == 200:
        assert figures(response.content)[0][2] == 2


# The console ---------------------------------------------------------------------------------

def test_the_console_writes_the_report_and_a_form(world, year, capsys, tmp_path):
    from chibo.admission.models import Candidate
    from tests.test_admission_documents import text_of
    from tests.test_cli import run

    target = tmp_path / "report.xlsx"
    code, _out, err = run(capsys, "admission", "report", "--org", "D1.X1", "--from",
                          "01/01/2025", "--to", "2025-12-31", "--output", str(target))
    assert (code, err) == (0, "")
    assert figures(target.read_bytes())[0][2] == 2
    code, _out, err = run(capsys, "admission", "report", "--org", "D1.X1", "--from",
                          "01/06/2025", "--to", "01/01/2025", "--output", str(target))
    assert code == 2 and "Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc" in err
    form = tmp_path / "9.docx"
    code, _out, err = run(capsys, "admission", "form", "--candidate", "K1", "--form", "9-knd",
                          "--output", str(form))
    assert (code, err) == (0, "") and "Số: 12-QĐ/ĐU" in text_of(form.read_bytes())
    assert Candidate.objects.get(code="K2").decision_on is None
    code, _out, err = run(capsys, "admission", "form", "--candidate", "K2", "--form", "9-knd",
                          "--output", str(form))
    assert code == 1 and "Chưa có quyết định kết nạp" in err
