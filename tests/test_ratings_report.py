"""The yearly report "Báo cáo kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên"
(chibo.ratings.report): every figure of the template's rows is the statistics engine's value of
its key for the subtree and the year; the targets (organizations over 90 %, members over 85 %)
judged on their boundary; the organizations by kind add up to the engine's number; who may
download it (stats.view in scope; 403 without it, 404 outside, anonymous sent to log in); a bad
year refused; the same report by the page, the API and the console.

The world's 2024: in An Phú (D1.X1) the commune itself excellent, Đồng Mạ cell (C1) good, Nà
Khà cell (C2) not complete; Lan excellent, Thắng, Dương, Hoa, Bình and Cường good. Outside the
commune: Yến good in D2.X1; another year: Lan good in 2023."""

import io
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from chibo.accounts.policy import SYSTEM
from chibo.interchange.importer import import_records
from chibo.ratings import report
from chibo.stats import engine
from tests.conftest import D

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN"
API = "/api/v1/ratings-report/report?org=D1.X1&year=2024"


def _rating(year, level, *, org="", member=""):
    return {"year": year, "org_code": org, "member_code": member, "level": level,
            "decided_on": D(year, 12, 20)}


@pytest.fixture
def year(world, people):
    rows = [_rating(2024, "excellent", org="D1.X1"), _rating(2024, "good", org="D1.X1.C1"),
            _rating(2024, "not_complete", org="D1.X1.C2"),
            _rating(2024, "excellent", member="M001"), _rating(2023, "good", member="M001"),
            *(_rating(2024, "good", member=code)
              for code in ("M002", "M003", "M005", "M006", "M007", "M008"))]
    result = import_records({"ratings.csv": rows}, actor=SYSTEM)
    assert result.errors == []


def figures(content: bytes) -> list[tuple[str, str, int]]:
    """(number, label, count) of every counted row of the workbook."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [(row[0], row[1], row[2]) for row in sheet.iter_rows(values_only=True)
            if isinstance(row[2], int)]


def _engine(org, keys, year: int = 2024) -> dict[str, int]:
    start, end = D(year, 1, 1), D(year, 12, 31)
    return engine.compute(org, engine.Request.parse(end, start, end, ",".join(keys)))


def test_every_figure_is_the_engines(world, year):
    org = world.orgs["D1.X1"]
    built = report.build(org, 2024)
    content, content_type = report.render(built)
    assert content_type == XLSX
    metrics = [row.metric for row in report.template().rows if row.metric]
    values = _engine(org, metrics)
    counted = figures(content)
    assert [count for _n, _label, count in counted[:len(metrics)]] == [
        values[key] for key in metrics]
    assert (values["rated.orgs"], values["rated.orgs.good_plus"]) == (3, 2)
    assert (values["rated.members"], values["rated.members.excellent"],
            values["rated.members.good_plus"]) == (6, 1, 6)
    sheet = load_workbook(io.BytesIO(content)).active
    heading = [cell for row in sheet.iter_rows(max_row=8, values_only=True) for cell in row]
    assert TITLE in heading


def test_the_targets_and_the_kinds(world, year):
    lines = report.build(world.orgs["D1.X1"], 2024).lines
    labels = [line.label for line in lines]
    # 2 of 3 organizations (66.67 %) against "over 90 %"; 6 of 6 members against "over 85 %"
    assert any(label.startswith("Tổ chức đảng hoàn thành tốt nhiệm vụ trở lên (chỉ tiêu: "
                                "trên 90%): không đạt") for label in labels)
    assert any(label.endswith("(chỉ tiêu: trên 85%): đạt") for label in labels)
    section = [line.label for line in lines if line.section].index(
        "Tổ chức đảng theo loại hình")
    kinds = [line for line in lines if line.section][section]
    by_kind = lines[lines.index(kinds) + 1:]
    assert [(line.number, line.label, line.value) for line in by_kind] == [
        ("1", "Đảng bộ cơ sở", 1), ("1.1", "Hoàn thành tốt nhiệm vụ trở lên", 1),
        ("2", "Chi bộ trực thuộc", 2), ("2.1", "Hoàn thành tốt nhiệm vụ trở lên", 1)]
    assert sum(line.value for line in by_kind if not line.sub) == 3  # rated.orgs


@pytest.mark.parametrize("good, rated, expected", [
    (9, 10, False), (91, 100, True), (0, 0, None), (10, 10, True)])
def test_a_target_is_met_above_its_share_only(good, rated, expected):
    target = report.TARGETS[0]
    assert target.share == Fraction(9, 10)
    assert report.met(target, {target.key: good, target.of: rated}) is expected


def test_the_subtree_and_the_year_decide(world, year):
    other = report.build(world.orgs["D2.X1"], 2024)
    values = {line.metric: line.value for line in other.lines if line.metric}
    assert values["rated.members"] == 1 and values["rated.orgs"] == 0
    before = {line.metric: line.value for line in report.build(world.orgs["D1.X1"], 2023).lines
              if line.metric}
    assert (before["rated.members"], before["rated.members.good"]) == (1, 1)
    assert report.filename(report.build(world.orgs["D1"], 2024)) == (
        "ket-qua-danh-gia-xep-loai-D1-2024.xlsx")


@pytest.mark.parametrize("code, username, status", [
    ("D1.X1", "admin", 200), ("D1.X1", "commune", 200), ("D1.X1", "viewer", 200),
    ("D1.X1", "province", 200),
    # outside the scope: the commune looks absent
    ("D1.X1", "other_commune", 404), ("D1.X1", "secretary", 404), ("D1.X1", "nobody", 404),
    # in scope without stats.view (a plain member sees the cell, not its statistics)
    ("D1.X1.C1", "member", 403),
    ("D1.X1", None, 302),
])
def test_who_downloads_the_report(world, year, code, username, status):
    client = world.client(username)
    response = client.get(f"/org/{code}/ratings-report.xlsx?year=2024")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == XLSX
        assert (f'filename="ket-qua-danh-gia-xep-loai-{code}-2024.xlsx"'
                in response["Content-Disposition"])
        assert figures(response.content) == figures(report.render(report.build(
            world.orgs[code], 2024))[0])
    assert client.get(f"/org/{code}/ratings-report/").status_code == status


@pytest.mark.parametrize("code, username, status", [
    ("D1.X1", "commune", 200), ("D1.X1", "admin", 200), ("D1.X1", "other_commune", 404),
    ("D1.X1.C1", "member", 403), ("D1.X1", None, 401)])
def test_the_api_gives_the_same_report(world, year, code, username, status):
    response = world.client(username).get(
        f"/api/v1/ratings-report/report?org={code}&year=2024")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == XLSX
        assert figures(response.content) == figures(world.client("commune").get(
            "/org/D1.X1/ratings-report.xlsx?year=2024").content)


def test_a_bad_year_is_refused(world):
    client = world.client("commune")
    response = client.get("/org/D1.X1/ratings-report.xlsx?year=2999")
    assert response.status_code == 400 and "Năm 2999 không hợp lệ" in response.content.decode()
    assert client.get("/org/D1.X1/ratings-report.xlsx?year=abc").status_code == 400
    api = client.get("/api/v1/ratings-report/report?org=D1.X1&year=2999")
    assert api.status_code == 400 and "Năm 2999 không hợp lệ" in api.json()["detail"]
    # a query string that cannot be read is a 400 (docs/api.md)
    assert client.get("/api/v1/ratings-report/report?org=D1.X1&year=abc").status_code == 400
    assert client.get("/api/v1/ratings-report/report?org=D1.X1").status_code == 400


def test_the_year_page_leads_to_the_download(world):
    page = world.client("commune").get("/org/D1.X1/ratings-report/").content.decode()
    assert 'action="/org/D1.X1/ratings-report.xlsx"' in page and 'name="year"' in page


def test_the_console_writes_the_report(world, year, capsys, tmp_path):
    from tests.test_cli import run

    target = tmp_path / "report.xlsx"
    code, _out, err = run(capsys, "ratings", "report", "--org", "D1.X1", "--year", "2024",
                          "--output", str(target))
    assert (code, err) == (0, "")
    assert figures(target.read_bytes()) == figures(report.render(report.build(
        world.orgs["D1.X1"], 2024))[0])
    code, _out, err = run(capsys, "ratings", "report", "--org", "D1.X1", "--year", "2999",
                          "--output", str(target))
    assert code == 2 and "Năm 2999 không hợp lệ" in err
    code, _out, err = run(capsys, "ratings", "report", "--org", "NOPE", "--year", "2024",
                          "--output", str(target))
    assert code == 2 and "NOPE" in err
