"""Statistics pages, records pages, reports (Excel, Word) and the dashboard: scope, bad input, and
numbers that agree with the engine and the conformance example."""

import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from chibo.organizations.models import Organization
from chibo.stats import catalogue, engine, reports
from tests.test_stats import EXPECTED, province  # noqa: F401  (the conformance province)

Q = "as_of=01/10/2023&from=01/01/2023&to=01/10/2023"
QUERY_2023 = next(q for q in EXPECTED if q["org"] == "TQ" and q["as_of"] == "2023-10-01")
VALUES = QUERY_2023["values"]

SCOPED_URLS = [
    "/stats/D1.X1/",
    "/stats/D1.X1/?as_of=01/01/2000&group=villages",
    "/stats/D1.X1/children/?group=villages",
    "/stats/D1.X1/records/members.total/",
    "/stats/D1.X1/records/admitted/?from=01/01/2000&to=31/12/2025",
    "/stats/D1.X1/reports/to-chuc-co-so-dang/",
    "/stats/D1.X1/reports/to-chuc-co-so-dang.xlsx",
    "/stats/D1.X1/reports/thong-ke-dang-vien.docx",
    "/stats/D1.X1/dashboard.json",
]


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def vi_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def vi_percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole, 1):.1f}".replace(".", ",") + " %"


# Scope --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", SCOPED_URLS)
def test_every_statistics_url_inside_and_outside_the_scope(people, world, url):
    for username in ("commune", "province", "viewer", "admin"):
        assert world.client(username).get(url).status_code == 200, username
    for username in ("other_commune", "secretary", "member", "nobody"):
        assert world.client(username).get(url).status_code == 404, username
    anonymous = world.client(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/stats/TQ/", "/stats/TQ/children/",
                                 "/stats/TQ/records/members.total/",
                                 "/stats/TQ/reports/to-chuc-co-so-dang/",
                                 "/stats/TQ/reports/to-chuc-co-so-dang.xlsx",
                                 "/stats/TQ/reports/to-chuc-co-so-dang.docx",
                                 "/stats/TQ/dashboard.json"])
def test_a_commune_clerk_asking_for_the_province_gets_404(people, world, url):
    assert world.client("commune").get(url).status_code == 404
    assert world.client("province").get(url).status_code == 200


def test_a_viewer_reads_statistics_but_not_member_files(people, world):
    viewer = world.client("viewer")
    page = viewer.get("/stats/D1/records/members.total/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nông Thị Lan" in body and "/members/M001/" not in body
    assert viewer.get("/members/M001/").status_code == 404  # a member file: not theirs to see
    assert viewer.get("/org/D1.X1/members/").status_code == 403  # in scope, not allowed
    clerk = world.client("commune").get("/stats/D1.X1/records/members.total/").content.decode()
    assert "/members/M001/" in clerk


# Bad input ----------------------------------------------------------------------------------

def test_bad_dates_and_unknown_keys_are_clear_400s(people, world):
    client = world.client("commune")
    bad_date = client.get("/stats/D1.X1/?as_of=31/02/2023")
    assert bad_date.status_code == 400
    assert "Tính đến ngày" in bad_date.content.decode()
    reversed_period = client.get("/stats/D1.X1/?from=01/10/2023&to=01/01/2023")
    assert reversed_period.status_code == 400
    assert "Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc" in reversed_period.content.decode()
    unknown = client.get("/stats/D1.X1/records/members.bogus/")
    assert unknown.status_code == 400
    assert "Không có chỉ tiêu “members.bogus”" in unknown.content.decode()
    assert client.get("/stats/D1.X1/?group=bogus").status_code == 400
    assert client.get("/stats/D1.X1/children/?group=bogus").status_code == 400
    assert client.get("/stats/D1.X1/children/?as_of=1/1/1").status_code == 400
    assert client.get("/stats/D1.X1/records/members.total/?page=9").status_code == 400
    assert client.get("/stats/D1.X1/records/members.total/?page=x").status_code == 400


def test_bad_input_to_a_download_is_a_400_with_the_reason(people, world):
    client = world.client("commune")
    response = client.get("/stats/D1.X1/reports/to-chuc-co-so-dang.xlsx?as_of=2023-13-01")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Tính đến ngày" in response.content.decode()
    period = client.get("/stats/D1.X1/reports/to-chuc-co-so-dang.docx?from=02/01/2023"
                        "&to=01/01/2023")
    assert period.status_code == 400 and "Ngày bắt đầu" in period.content.decode()
    assert client.get("/stats/D1.X1/reports/no-such-report.xlsx").status_code == 404
    assert client.get("/stats/D1.X1/reports/to-chuc-co-so-dang.pdf").status_code == 404
    dashboard = client.get("/stats/D1.X1/dashboard.json?as_of=x")
    assert dashboard.status_code == 400 and "error" in dashboard.json()


# Numbers ------------------------------------------------------------------------------------

def test_the_page_shows_the_engine_numbers_with_shares_and_links(province):  # noqa: F811
    body = client_of(province["province"]).get(f"/stats/TQ/?{Q}").content.decode()
    for key in ("members.total", "village_cells.total", "village_cells.secretary_village_head",
                "admitted", "removed"):
        link = re.search(rf'href="(/stats/TQ/records/{re.escape(key)}/\?[^"]+)" '
                         rf'data-metric="{re.escape(key)}">([^<]+)<', body)
        assert link, key
        assert link.group(2) == vi_number(VALUES[key])
        assert "as_of=01%2F10%2F2023" in link.group(1) and "from=01%2F01%2F2023" in link.group(1)
    share = vi_percent(VALUES["village_cells.secretary_village_head"],
                       VALUES["village_cells.total"])
    assert (f'title="{VALUES["village_cells.secretary_village_head"]}/'
            f'{VALUES["village_cells.total"]}">{share}') in body
    for metric in catalogue.METRICS.values():
        assert str(metric.label) in body


def test_the_records_page_count_equals_the_number(province):  # noqa: F811
    client = client_of(province["province"])
    for key in ("members.total", "members.female", "orgs.cell", "villages.with_cell",
                "village_cells.small", "village_cells.secretary_village_head", "admitted",
                "removed", "transferred_out"):
        body = client.get(f"/stats/TQ/records/{key}/?{Q}").content.decode()
        count = re.search(r'id="record-count">([^<]+)<', body).group(1)
        assert count == vi_number(VALUES[key]), key
        shown = len(re.findall(r"<tr>\s*<td class=\"num text-muted\">", body))
        assert shown == min(VALUES[key], 50), key


def test_the_records_pages_together_list_every_record_once(province):  # noqa: F811
    client = client_of(province["province"])
    total = VALUES["members.total"]
    names = []
    for page in range(1, -(-total // 50) + 1):
        body = client.get(f"/stats/TQ/records/members.total/?{Q}&page={page}").content.decode()
        names += re.findall(r"<td>(M?\w+)</td><td class=\"small\">", body)
    assert len(names) == total and len(set(names)) == total


def test_the_per_child_table_adds_up_and_drills_down(province):  # noqa: F811
    client = client_of(province["province"])
    page = client.get(f"/stats/TQ/?{Q}&group=members").content.decode()
    assert f'hx-get="/stats/TQ/children/?{Q.replace("/", "%2F").replace("&", "&amp;")}' \
        f'&amp;group=members"' in page
    body = client.get(f"/stats/TQ/children/?{Q}&group=members").content.decode()
    table = body[body.index('id="children"'):]
    children = re.findall(r'<a href="/stats/([\w.]+)/\?[^"]*group=members">', table)
    assert "D1" in children
    firsts = re.findall(r'<a href="/stats/[\w.]+/records/members.total/\?[^"]+">([\d.]+)</a>',
                        table)
    assert sum(int(n.replace(".", "")) for n in firsts) == VALUES["members.total"]
    deeper = client.get(f"/stats/D1/?{Q}&group=villages").content.decode()
    assert 'href="/stats/TQ/?' in deeper  # back up the tree
    below = client.get(f"/stats/D1/children/?{Q}&group=villages").content.decode()
    assert re.search(r'<a href="/stats/D1\.X\d/\?[^"]*group=villages">', below)
    assert "Thôn, tổ dân phố có chi bộ độc lập" in below


# Reports ------------------------------------------------------------------------------------

def _xlsx_rows(content: bytes) -> list[tuple]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]


def _report_rows(template_name: str) -> list[reports.TemplateRow]:
    return [r for r in reports.get_template(template_name).rows if r.metric]


def test_the_excel_report_has_the_header_and_the_right_numbers(province):  # noqa: F811
    response = client_of(province["province"]).get(
        f"/stats/TQ/reports/to-chuc-co-so-dang.xlsx?{Q}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _xlsx_rows(response.content)
    text = [str(c) for row in rows for c in row if c is not None]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG BỘ TỈNH TUYÊN QUANG" in text
    assert "Tuyên Quang, ngày 01 tháng 10 năm 2023" in text
    assert any("BÁO CÁO KẾT QUẢ CỦNG CỐ TỔ CHỨC CƠ SỞ ĐẢNG" in t for t in text)
    assert ("STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ (%)") in rows
    body = rows[rows.index(("STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ (%)")) + 1:]
    numbered = [row for row in body if isinstance(row[2], int | float)]
    template_rows = _report_rows("to-chuc-co-so-dang")
    assert len(numbered) == len(template_rows)
    for row, spec in zip(numbered, template_rows, strict=True):
        assert row[2] == VALUES[spec.metric], spec.metric
        denominator = catalogue.metric(spec.metric).of
        if denominator and VALUES[denominator]:
            assert row[3] == pytest.approx(100 * VALUES[spec.metric] / VALUES[denominator],
                                           abs=0.005)
    numbers = [row[0] for row in body if row[0]]
    assert numbers[:5] == ["I", "1", "2", "3", "3.1"]
    secretary = next(r for r in numbered if r[1].startswith("Bí thư chi bộ đồng thời là trưởng th"))
    assert secretary[2] == VALUES["village_cells.secretary_village_head"]


def test_the_word_report_has_the_header_and_the_right_numbers(province):  # noqa: F811
    import docx

    response = client_of(province["province"]).get(
        f"/stats/TQ/reports/thong-ke-dang-vien.docx?{Q}")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    header, table = document.tables
    header_text = "\n".join(cell.text for cell in header.rows[0].cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header_text
    assert "ĐẢNG BỘ TỈNH TUYÊN QUANG" in header_text
    assert "Tuyên Quang, ngày 01 tháng 10 năm 2023" in header_text
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO THỐNG KÊ TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN" in paragraphs
    assert any("Tính đến ngày 01/10/2023; kỳ báo cáo từ ngày 01/01/2023 đến ngày 01/10/2023"
               in p for p in paragraphs)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ (%)"]
    by_label = {row[1]: row for row in rows[1:] if row[2] != row[1]}
    total = by_label["Tổng số đảng viên"]
    assert total[2] == vi_number(VALUES["members.total"]) and total[3] == ""
    female = by_label["Đảng viên nữ"]
    assert female[2] == vi_number(VALUES["members.female"])
    expected = f"{100 * VALUES['members.female'] / VALUES['members.total']:.2f}".replace(".", ",")
    assert female[3] == expected


def test_the_report_page_links_every_number(province):  # noqa: F811
    body = client_of(province["province"]).get(
        f"/stats/TQ/reports/to-chuc-co-so-dang/?{Q}").content.decode()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in body and "Tuyên Quang, ngày 01 tháng 10 năm 2023" in body
    for row in _report_rows("to-chuc-co-so-dang"):
        assert f'href="/stats/TQ/records/{row.metric}/?' in body


def test_a_province_adds_its_own_report_template(province, settings, tmp_path):  # noqa: F811
    own = tmp_path / "report_templates"
    own.mkdir()
    (own / "bao-cao-rieng.json").write_text(json.dumps({
        "title": "BÁO CÁO RIÊNG CỦA TỈNH",
        "rows": [{"section": "Đảng viên nữ"},
                 {"metric": "members.female", "label": "Nữ"},
                 {"metric": "admitted.female", "label": "Nữ được kết nạp", "of": "members.female"}],
    }, ensure_ascii=False), encoding="utf-8")
    settings.DATA_DIR = tmp_path
    client = client_of(province["province"])
    assert "BÁO CÁO RIÊNG CỦA TỈNH" in client.get(f"/stats/TQ/?{Q}").content.decode()
    rows = _xlsx_rows(client.get(f"/stats/TQ/reports/bao-cao-rieng.xlsx?{Q}").content)
    female = next(r for r in rows if r[1] == "Nữ được kết nạp")
    assert female[2] == VALUES["admitted.female"]
    assert female[3] == pytest.approx(100 * VALUES["admitted.female"] / VALUES["members.female"],
                                      abs=0.005)


def test_a_broken_template_names_its_file_and_row(tmp_path, settings, db):
    own = tmp_path / "report_templates"
    own.mkdir()
    (own / "sai.json").write_text(json.dumps({"title": "X", "rows": [
        {"section": "A"}, {"metric": "members.bogus"}]}), encoding="utf-8")
    settings.DATA_DIR = tmp_path
    with pytest.raises(reports.TemplateError, match=r"sai.json: dòng 2: .*members.bogus"):
        reports.get_template("sai")
    (own / "sai.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(reports.TemplateError, match="sai.json"):
        reports.load_templates()


def test_the_cli_writes_a_report(province, tmp_path):  # noqa: F811
    output = tmp_path / "report.xlsx"
    call_command("stats", "--org", "TQ", "--as-of", "2023-10-01", "--report",
                 "to-chuc-co-so-dang", "--format", "xlsx", "--output", str(output))
    rows = _xlsx_rows(output.read_bytes())
    assert any(r[2] == VALUES["villages.with_cell"] for r in rows if r[1] and "độc lập" in r[1])
    word = tmp_path / "report.docx"
    call_command("stats", "--org", "TQ", "--as-of", "2023-10-01", "--report",
                 "thong-ke-dang-vien", "--format", "docx", "--output", str(word))
    assert word.read_bytes()[:2] == b"PK"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không có mẫu báo cáo nope .*to-chuc-co-so-dang"):
        call_command("stats", "--org", "TQ", "--report", "nope", "--format", "xlsx",
                     "--output", str(output))
    with pytest.raises(CommandError, match="--format xlsx|docx"):
        call_command("stats", "--org", "TQ", "--report", "to-chuc-co-so-dang")


# Catalogue and dashboard --------------------------------------------------------------------

def test_the_catalogue_names_every_engine_key_and_no_other():
    assert set(catalogue.METRICS) == set(engine.all_keys())
    for metric in catalogue.METRICS.values():
        assert metric.of is None or metric.of in catalogue.METRICS
        assert metric.flow == (metric.key in engine.all_keys()[len(engine.stock_keys()):])


def test_the_shipped_templates_name_known_metrics():
    templates = reports.load_templates()
    assert {"thong-ke-dang-vien", "to-chuc-co-so-dang"} <= set(templates)


def test_the_organization_page_carries_the_dashboard_for_statistics_readers(people, world):
    body = world.client("commune").get("/org/D1.X1/").content.decode()
    assert 'id="stats-dashboard"' in body and "/stats/D1.X1/dashboard.json?" in body
    assert "vendor/chartjs/chart.umd.min.js" in body
    member = world.client("member").get("/org/D1.X1.C1/").content.decode()
    assert 'id="stats-dashboard"' not in member


def test_the_dashboard_data_agrees_with_the_engine(province):  # noqa: F811
    data = client_of(province["province"]).get(f"/stats/TQ/dashboard.json?{Q}").json()
    assert data["age"]["values"] == [VALUES[k] for k in data["age"]["keys"]]
    assert sum(data["age"]["values"]) == VALUES["members.total"]
    assert sum(data["education"]["values"]) == VALUES["members.total"]
    assert len(data["admissions"]["labels"]) == 10 and data["admissions"]["labels"][-1] == "2023"
    assert data["admissions"]["values"][-1] == VALUES["admitted"]
    tq = Organization.objects.get(code="TQ")
    in_2019 = engine.compute(tq, engine.Request.parse(date(2019, 12, 31), metrics="admitted"))
    assert data["admissions"]["values"][-5] == in_2019["admitted"]
    year_2019 = client_of(province["province"]).get(data["admissions"]["urls"][-5])
    count = re.search(r'id="record-count">([^<]+)<', year_2019.content.decode()).group(1)
    assert count == vi_number(in_2019["admitted"])
    official = next(s for s in data["status"]["series"] if s["key"] == "members.official")
    assert official["values"][-1] == VALUES["members.official"]
    assert data["records_url"].startswith("/stats/TQ/records/KEY/?")
