"""The bundle (spec/BUNDLE.md): import, export, round trips, and one tiny bundle per defect.

Every defect test asserts the exact `FILE:ROW:COLUMN` of every error line and that nothing was
written. The conformance bundle (a copy of shared/spec/examples/province-99) must import cleanly,
give the membership numbers of its expected.json, and round-trip byte for byte.
"""

import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.audit.services import verify_chain
from chibo.core.fields import subtree_range
from chibo.interchange import readers, sections
from chibo.interchange.exporter import export_bundle
from chibo.interchange.importer import import_bundle
from chibo.interchange.readers import ContainerError
from chibo.interchange.schema import BadValue, parse_bool, parse_date
from chibo.members.models import Member, MemberPeriod, Position
from chibo.organizations.models import Organization, OrgPeriod
from chibo.organizations.services import rename_organization

CONFORMANCE = Path(__file__).parent / "bundles" / "province-99"
# The files the conformance bundle carries: the records core's (an export writes every
# registered section's, `sections.files()`).
FILES = ("organizations.csv", "villages.csv", "org_changes.csv", "members.csv",
         "member_events.csv", "positions.csv")

# A tiny province: the base of every defect bundle (row numbers count the header as 1).
BASE = {
    "organizations.csv": """code,name,kind,sector,parent_code,established_on,village_code
P,Đảng bộ tỉnh,provincial,,,1990-01-01,
P.D,Đảng bộ huyện,district,,P,1990-01-01,
P.D.X,Đảng bộ xã An Phú,grassroots_committee,commune,P.D,1990-01-01,
P.D.X.C1,Chi bộ thôn Đồng Mạ,cell,,P.D.X,1995-01-01,V1
P.D.X.C2,Chi bộ trường học,cell,,P.D.X,1995-01-01,
""",
    "villages.csv": """code,name,kind,commune_code
V1,Thôn Đồng Mạ,village,P.D.X
""",
    "org_changes.csv": """effective_on,org_code,change,new_parent_code,new_name,into_code
""",
    "members.csv": """member_code,full_name,gender,birth_date,admitted_on,official_on,org_code
M1,Nguyễn Văn An,male,1980-01-01,2010-01-01,2011-01-01,P.D.X.C1
M2,Trần Thị Bình,female,1985-05-05,2012-01-01,,P.D.X.C2
""",
    "member_events.csv": """member_code,event,effective_on,org_code
M2,official,2013-02-01,
""",
    "positions.csv": """member_code,role,org_code,village_code,start_on,end_on
M1,secretary,P.D.X.C1,,2015-01-01,
""",
}


def write_bundle(root: Path, replace: dict | None = None, append: dict | None = None) -> Path:
    """The base bundle in `root`, with files replaced (None: left out) or rows appended."""
    root.mkdir(parents=True, exist_ok=True)
    files = {**BASE, **(replace or {})}
    for name, rows in (append or {}).items():
        files[name] = files.get(name, "") + rows
    for name, text in files.items():
        if text is not None:
            (root / name).write_text(text, encoding="utf-8")
    return root


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model.__module__.startswith("chibo.")}


def prefixes(lines: list[str]) -> list[str]:
    return [line.split(": ", 1)[0] for line in lines]


def import_refused(path: Path) -> list[str]:
    """Import `path`, expecting errors and no write at all; the error lines."""
    before = row_counts()
    result = import_bundle(path)
    assert not result.ok
    assert row_counts() == before
    return result.errors


# The conformance bundle ------------------------------------------------------------------------

def test_conformance_bundle_imports_cleanly(db):
    result = import_bundle(CONFORMANCE / "bundle")
    assert result.errors == []
    assert result.counts == {"organizations.csv": 73, "villages.csv": 48, "org_changes.csv": 19,
                             "members.csv": 606, "member_events.csv": 247, "positions.csv": 216}
    assert Organization.objects.get(code="D1.X3.C3").established_on == date(2021, 3, 1)


def _members_on(code: str, day: date) -> dict[str, int]:
    """Active members of a subtree as the tree was on `day`, from the stored periods."""
    period = OrgPeriod.objects.as_of(day).filter(organization__code=code).first()
    if period is None:
        return dict.fromkeys(("total", "official", "probationary", "exempt"), 0)
    low, high = subtree_range(period.path)
    orgs = OrgPeriod.objects.as_of(day).filter(path__gte=low, path__lt=high)
    active = MemberPeriod.objects.filter(valid_from__lte=day, valid_to__gt=day,
                                         org_id__in=orgs.values("organization_id"))
    return {"total": active.values("member").distinct().count(),
            "official": active.filter(status="official").count(),
            "probationary": active.filter(status="probationary").count(),
            "exempt": active.filter(exempt=True).count()}


def test_conformance_membership_numbers_match_expected(db):
    """The stored periods (cells followed through moves and merges) give the expected stock of
    members for all 36 queries: the import replays history as the spec means it."""
    import_bundle(CONFORMANCE / "bundle")
    for query in json.loads((CONFORMANCE / "expected.json").read_text()):
        got = _members_on(query["org"], date.fromisoformat(query["as_of"]))
        expected = {key: query["values"][f"members.{key}"] for key in got}
        assert got == expected, (query["org"], query["as_of"])


def _export_files(path: Path) -> dict[str, bytes]:
    return {spec.name: (path / spec.name).read_bytes() for spec in sections.files()}


EXPORTED_AT = datetime(2026, 7, 1, 8, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))


@pytest.mark.parametrize("ending", ["", ".zip", ".xlsx"])
def test_export_import_export_gives_identical_files(transactional_db, tmp_path, ending):
    import_bundle(CONFORMANCE / "bundle")
    first = tmp_path / f"first{ending}"
    export_bundle(first, exported_at=EXPORTED_AT)
    call_command("flush", interactive=False, verbosity=0)
    assert not Organization.objects.exists()
    result = import_bundle(first)
    assert result.errors == []
    second = tmp_path / f"second{ending}"
    export_bundle(second, exported_at=EXPORTED_AT)
    assert first.is_dir() or first.read_bytes() == second.read_bytes()
    if first.is_dir():
        assert _export_files(first) == _export_files(second)
        assert (first / "bundle.csv").read_bytes() == (second / "bundle.csv").read_bytes() == (
            b"format_version,exported_at\r\n2,2026-07-01T08:00:00+07:00\r\n")


def test_export_holds_the_bundle_rows(db, tmp_path):
    """Same rows and values as the conformance bundle, in the spec's columns and order."""
    import_bundle(CONFORMANCE / "bundle")
    export_bundle(tmp_path / "out")
    for name in FILES:
        source = _rows(CONFORMANCE / "bundle" / name)
        exported = _rows(tmp_path / "out" / name)
        assert sorted(_project(source, source)) == sorted(_project(exported, source)), name
    members = (tmp_path / "out" / "members.csv").read_text().splitlines()
    assert members[1].startswith("M00001,") and members[-1].startswith("M00656,")


def _rows(path: Path) -> list[dict]:
    import csv

    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _project(rows: list[dict], like: list[dict]) -> list[tuple]:
    keys = like[0].keys()
    return [tuple(row[key] for key in keys) for row in rows]


def test_export_of_an_empty_database_is_the_template(db, tmp_path):
    counts = export_bundle(tmp_path / "template.xlsx")
    assert set(counts.values()) == {0}
    workbook = load_workbook(tmp_path / "template.xlsx", read_only=True)
    assert workbook.sheetnames == ["bundle", *(spec.stem for spec in sections.files())]
    assert [row[0] for row in workbook["bundle"].iter_rows(values_only=True)] == [
        "format_version", "2"]
    header = next(workbook["members"].iter_rows(values_only=True))
    assert header[:4] == ("member_code", "full_name", "gender", "birth_date")


# Containers and cells --------------------------------------------------------------------------

def test_base_bundle_imports(db, tmp_path):
    result = import_bundle(write_bundle(tmp_path / "b"))
    assert result.errors == []
    assert Member.objects.get(member_code="M2").status == "official"
    assert Position.objects.get().member.member_code == "M1"


def test_zip_with_a_folder_inside_and_a_bom(db, tmp_path):
    archive = tmp_path / "b.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, text in BASE.items():
            zf.writestr(f"tinh/{name}", "\ufeff" + text)
    assert import_bundle(archive).errors == []


def _zip_bomb(path: Path, size: int) -> Path:
    """A zip whose members.csv unpacks to `size` bytes of a repeated row (a few KB packed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("organizations.csv", BASE["organizations.csv"])
        zf.writestr("members.csv", b"M1,A\n" * (size // 5))
    return path


def test_a_zip_unpacking_too_large_is_refused_before_reading(db, tmp_path, settings):
    bomb = _zip_bomb(tmp_path / "bomb.zip", 100_000)
    settings.IMPORT_MAX_UNPACKED = 50_000
    with pytest.raises(ContainerError, match="members.csv.*quá lớn"):
        import_bundle(bomb, dry_run=True)
    settings.IMPORT_MAX_UNPACKED = 100_000  # organizations.csv + members.csv: over
    with pytest.raises(ContainerError, match="quá lớn"):
        import_bundle(bomb, dry_run=True)


def test_a_zip_lying_about_its_sizes_is_stopped_while_unpacking(db, tmp_path, settings,
                                                                 monkeypatch):
    bomb = _zip_bomb(tmp_path / "bomb.zip", 100_000)
    settings.IMPORT_MAX_UNPACKED = 50_000
    monkeypatch.setattr(readers, "_check_declared_sizes", lambda entries, limits: None)
    with pytest.raises(ContainerError, match="members.csv.*quá lớn"):
        import_bundle(bomb, dry_run=True)
    # A declared size smaller than the data: zipfile stops there, and its CRC check fails.
    data = bytearray(bomb.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last entry's central directory record
    data[central + 24:central + 28] = (10).to_bytes(4, "little")  # its uncompressed size
    bomb.write_bytes(bytes(data))
    with pytest.raises(ContainerError, match="members.csv"):
        import_bundle(bomb, dry_run=True)


def test_a_workbook_unpacking_too_large_is_refused_before_reading(db, tmp_path, settings):
    """An .xlsx is a zip: the same limits hold before openpyxl unpacks it."""
    path = _xlsx(tmp_path / "bomb.xlsx", {"members": [["member_code"]] + [["M" * 40]] * 3000})
    import_bundle(path, dry_run=True)  # read (its rows are reported) at the normal limits
    settings.IMPORT_MAX_UNPACKED = 20_000
    with pytest.raises(ContainerError, match="quá lớn"):
        import_bundle(path, dry_run=True)
    (tmp_path / "not.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(ContainerError, match="không phải là tệp .xlsx"):
        import_bundle(tmp_path / "not.xlsx", dry_run=True)


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def _sheets(files: dict[str, str]) -> dict[str, list[list]]:
    import csv

    return {name.removesuffix(".csv"): list(csv.reader(io.StringIO(text)))
            for name, text in files.items()}


def test_xlsx_reads_date_cells_and_numbers(db, tmp_path):
    sheets = _sheets(BASE)
    sheets["members"][0] += ["national_id", "x_ghi_chu"]
    sheets["members"][1][3] = date(1980, 1, 1)  # a real Excel date cell
    sheets["members"][1] += [1234567890123 // 10, "bỏ qua"]  # a number, as Excel keeps it
    sheets["members"][2][4] = "01/01/2012"  # dd/mm/yyyy typed as text
    sheets["members"][2] += ["", ""]
    result = import_bundle(_xlsx(tmp_path / "b.xlsx", sheets))
    assert result.errors == []
    assert Member.objects.get(member_code="M1").national_id == "123456789012"
    assert Member.objects.get(member_code="M2").admitted_on == date(2012, 1, 1)


def test_xlsx_errors_name_the_sheet(db, tmp_path):
    sheets = _sheets(BASE)
    sheets["members"][1][2] = "nam"
    sheets["Sheet1"] = [["a"]]
    errors = import_refused(_xlsx(tmp_path / "b.xlsx", sheets))
    assert prefixes(errors) == ["members:2:gender", "positions:2:member_code", "Sheet1:1:"]


def test_cell_values():
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("5/7/2025") == date(2025, 7, 5)
    assert [parse_bool(word) for word in ("true", "1", "Có", "false", "0", "không")] == [
        True, True, True, False, False, False]
    for bad in ("2023-02-29", "2024/01/01", "01-02-2024"):
        with pytest.raises(BadValue):
            parse_date(bad)
    with pytest.raises(BadValue):
        parse_bool("yes")


# One bundle per defect ---------------------------------------------------------------------

DEFECTS = {
    "unknown column (x_ columns are ignored)": (
        {"members.csv": "member_code,full_name,gender,birth_date,admitted_on,org_code,nickname,"
                        """x_note
M1,Nguyễn Văn An,male,1980-01-01,2010-01-01,P.D.X.C1,An,ghi chú
M2,Trần Thị Bình,female,1985-05-05,2012-01-01,P.D.X.C2,Bình,
"""}, {}, ["members.csv:1:nickname"]),
    "missing required column": (
        {"villages.csv": "code,name,commune_code\nV1,Thôn Đồng Mạ,P.D.X\n"}, {},
        # and the rows that need the village: its cell, then the cell's member and post
        ["organizations.csv:5:village_code", "villages.csv:1:kind", "members.csv:2:org_code",
         "positions.csv:2:org_code"]),
    "unknown file": ({"notes.csv": "a,b\n1,2\n"}, {}, ["notes.csv:1:"]),
    "bad date": ({}, {"members.csv": "M3,Lê Văn Cường,male,1990-13-01,2015-01-01,,P.D.X.C1\n"
                                     "M4,Lê Văn Dũng,male,31/02/1990,2015-01-01,,P.D.X.C1\n"},
                 ["members.csv:4:birth_date", "members.csv:5:birth_date"]),
    "unknown code": ({}, {"members.csv": "M3,Lê Văn Cường,male,1990-01-01,2015-01-01,,NOPE\n",
                          "positions.csv": "M9,deputy_secretary,P.D.X.C1,,2015-01-01,\n"},
                     ["members.csv:4:org_code", "positions.csv:3:member_code"]),
    "duplicate codes": (
        {}, {"organizations.csv": "P.D.X.C2,Chi bộ khác,cell,,P.D.X,1995-01-01,\n",
             "villages.csv": "V1,Thôn khác,village,P.D.X\n",
             "members.csv": "M1,Người khác,male,1980-01-01,2010-01-01,,P.D.X.C1\n"},
        ["organizations.csv:7:code", "villages.csv:3:code", "members.csv:4:member_code"]),
    "cycle: a move under its own descendant": (
        {}, {"org_changes.csv": "2020-01-01,P.D,move,P.D.X,,\n"},
        ["org_changes.csv:2:new_parent_code"]),
    "kind does not fit the parent": (
        {}, {"organizations.csv": "P.C,Chi bộ lạc chỗ,cell,,P.D,1995-01-01,\n"},
        ["organizations.csv:7:parent_code"]),
    "rows naming a refused row get their own error": (
        {}, {"organizations.csv": "P.E,Đảng bộ sai,nation,,P,1995-01-01,\n"
                                  "P.E.C,Chi bộ con,cell,,P.E,1995-01-01,\n",
             "members.csv": "M3,Lê Văn Cường,male,1990-01-01,2015-01-01,,P.E.C\n"},
        ["organizations.csv:7:kind", "organizations.csv:8:parent_code", "members.csv:4:org_code"]),
    "parent established after the child": (
        {}, {"organizations.csv": "P.Y,Đảng bộ mới,district,,P,2000-01-01,\n"
                                  "P.Y.X,Đảng bộ xã mới,grassroots_committee,,P.Y,1999-01-01,\n"},
        ["organizations.csv:8:parent_code"]),
    "member attached to a committee instead of a cell": (
        {}, {"members.csv": "M3,Lê Văn Cường,male,1990-01-01,2015-01-01,,P.D.X\n"},
        ["members.csv:4:org_code"]),
    "official after die": (
        {"member_events.csv": "member_code,event,effective_on,org_code\n"
                              "M2,die,2012-06-01,\nM2,official,2013-02-01,\n"}, {},
        ["member_events.csv:3:event"]),
    "exempt_end without exempt": (
        {}, {"member_events.csv": "M2,exempt_end,2016-01-01,\n"}, ["member_events.csv:3:event"]),
    "after transfer_out only a transfer back": (
        {}, {"member_events.csv": "M2,transfer_out,2016-01-01,\nM2,exempt,2017-01-01,\n"},
        ["member_events.csv:4:event"]),
    "transfer to the same cell": (
        {}, {"member_events.csv": "M2,transfer,2016-01-01,P.D.X.C2\n"},
        ["member_events.csv:3:org_code"]),
    "transfer to a committee": (
        {}, {"member_events.csv": "M2,transfer,2016-01-01,P.D.X\n"},
        ["member_events.csv:3:org_code"]),
    "transfer to a cell after it merged": (
        {}, {"org_changes.csv": "2016-01-01,P.D.X.C1,merge,,,P.D.X.C2\n",
             "member_events.csv": "M2,transfer,2017-01-01,P.D.X.C1\n"},
        ["member_events.csv:3:org_code"]),
    "dissolving an organization that has children": (
        {}, {"org_changes.csv": "2020-01-01,P.D.X,dissolve,,,\n"},
        ["org_changes.csv:2:effective_on"]),
    "dissolving a cell whose members are active": (
        {}, {"org_changes.csv": "2020-01-01,P.D.X.C2,dissolve,,,\n"},
        ["org_changes.csv:2:effective_on"]),
    "a second secretary overlapping": (
        {}, {"positions.csv": "M2,secretary,P.D.X.C1,,2016-01-01,2016-12-31\n"},
        ["positions.csv:3:start_on"]),
    "post ends before it starts, and a post before its organization": (
        {}, {"positions.csv": "M2,deputy_secretary,P.D.X.C1,,2016-01-01,2015-12-31\n"
                              "M2,committee_member,P.D.X.C1,,1994-01-01,\n"},
        ["positions.csv:3:end_on", "positions.csv:4:start_on"]),
    "bad enumerated values": (
        {}, {"members.csv": "M3,Lê Văn Cường,nam,1990-01-01,2015-01-01,,P.D.X.C1\n",
             "member_events.csv": "M2,chết,2016-01-01,\n"},
        ["members.csv:4:gender", "member_events.csv:3:event"]),
    "national_id not 12 digits, and given twice": (
        {"members.csv": """member_code,full_name,gender,birth_date,admitted_on,org_code,national_id
M1,Nguyễn Văn An,male,1980-01-01,2010-01-01,P.D.X.C1,001080000123
M2,Trần Thị Bình,female,1985-05-05,2012-01-01,P.D.X.C2,
M3,Lê Văn Cường,male,1990-01-01,2015-01-01,P.D.X.C2,12345
M4,Lê Văn Dũng,male,1990-01-01,2015-01-01,P.D.X.C2,001080000123
"""}, {}, ["members.csv:4:national_id", "members.csv:5:national_id"]),
    "required value missing": (
        {}, {"members.csv": "M3,,male,1990-01-01,2015-01-01,,P.D.X.C1\n"},
        ["members.csv:4:full_name"]),
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_defect_is_reported_where_it_is_and_nothing_is_written(db, tmp_path, defect):
    replace, append, expected = DEFECTS[defect]
    errors = import_refused(write_bundle(tmp_path / "b", replace, append))
    assert prefixes(errors) == expected, errors


def test_several_errors_are_all_listed(db, tmp_path):
    path = write_bundle(tmp_path / "b", {"notes.csv": "x\n1\n"}, {
        "organizations.csv": "P.C,Chi bộ lạc chỗ,cell,,P.D,1995-01-01,\n",
        "org_changes.csv": "2020-01-01,P.D,move,P.D.X,,\n",
        "members.csv": "M3,Lê Văn Cường,male,1990-13-01,2015-01-01,,P.D.X\n"
                       "M4,Lê Văn Dũng,male,1990-01-01,2015-01-01,,P.D.X\n",
        "member_events.csv": "M2,exempt_end,2016-01-01,\n",
        "positions.csv": "M1,secretary,P.D.X.C1,,2016-01-01,\n",
    })
    assert prefixes(import_refused(path)) == [
        "organizations.csv:7:parent_code", "org_changes.csv:2:new_parent_code",
        "members.csv:4:birth_date", "members.csv:5:org_code", "member_events.csv:3:event",
        "positions.csv:3:start_on", "notes.csv:1:",
    ]


def test_reimporting_the_same_bundle_is_an_error_on_the_codes(db, tmp_path):
    path = write_bundle(tmp_path / "b")
    assert import_bundle(path).ok
    errors = import_refused(path)
    assert "organizations.csv:2:code" in prefixes(errors)
    assert "villages.csv:2:code" in prefixes(errors)
    assert "members.csv:2:member_code" in prefixes(errors)


def test_a_bundle_adds_to_the_database(db, tmp_path):
    """References resolve to records already stored: a second bundle adds a cell, moves
    a member there by an event and gives them a post."""
    assert import_bundle(write_bundle(tmp_path / "a")).ok
    second = {name: text.splitlines()[0] + "\n" for name, text in BASE.items()}
    second["organizations.csv"] += "P.D.X.C3,Chi bộ thôn mới,cell,,P.D.X,2018-01-01,\n"
    second["member_events.csv"] += "M1,transfer,2019-01-01,P.D.X.C3\n"
    second["positions.csv"] += "M1,committee_member,P.D.X,,2019-01-01,\n"
    result = import_bundle(write_bundle(tmp_path / "b", second))
    assert result.errors == []
    assert result.counts["member_events.csv"] == 1
    m1 = Member.objects.get(member_code="M1")
    assert m1.cell.code == "P.D.X.C3"
    cells = m1.periods.order_by("valid_from").values_list("org__code", flat=True)
    assert list(dict.fromkeys(cells)) == ["P.D.X.C1", "P.D.X.C3"]


# Dry run, audit, command line ----------------------------------------------------------------

def test_dry_run_reports_the_counts_and_writes_nothing(db, tmp_path):
    before = row_counts()
    result = import_bundle(write_bundle(tmp_path / "b"), dry_run=True)
    assert result.ok and result.counts["members.csv"] == 2
    assert row_counts() == before


def test_import_is_one_audit_event_with_counts(db, tmp_path):
    changes = "2000-01-01,P.D.X.C2,rename,,Chi bộ trường tiểu học,\n"
    import_bundle(write_bundle(tmp_path / "b", append={"org_changes.csv": changes}))
    (event,) = AuditRecord.objects.all()  # not one per organization, village or change
    assert event.action == "bundle.import"
    assert event.after["counts"] == {"organizations.csv": 5, "villages.csv": 1,
                                     "org_changes.csv": 1, "members.csv": 2,
                                     "member_events.csv": 1, "positions.csv": 1}
    assert event.after["changes"] == {"organization.create": 5, "organization.rename": 1,
                                      "village.create": 1}
    assert event.object_type == "interchange.importrun"
    assert verify_chain() is None


def test_services_still_audit_each_change_after_an_import(db, tmp_path):
    import_bundle(write_bundle(tmp_path / "b"))
    rename_organization(Organization.objects.get(code="P.D.X.C2"), actor=SYSTEM,
                        new_name="Chi bộ trường tiểu học", effective_on=date(2020, 1, 1))
    assert list(AuditRecord.objects.order_by("seq").values_list("action", flat=True)) == [
        "bundle.import", "organization.rename"]


def test_a_refused_or_dry_run_import_leaves_no_audit_record(db, tmp_path):
    import_bundle(write_bundle(tmp_path / "b"), dry_run=True)
    errors = import_refused(write_bundle(tmp_path / "c", append={"members.csv": "M3,X,male\n"}))
    assert prefixes(errors) == ["members.csv:4:birth_date", "members.csv:4:admitted_on",
                                "members.csv:4:org_code"]  # a short row: its cells are empty
    assert not AuditRecord.objects.exists()


def _run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_bundle", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_command_exits_1_with_the_error_lines(db, tmp_path):
    path = write_bundle(tmp_path / "b", append={
        "members.csv": "M3,Lê Văn Cường,male,1990-01-01,2015-01-01,,P.D.X\n"})
    for dry in ([], ["--dry-run"]):
        code, out, err = _run(str(path), *dry)
        assert code == 1 and out == ""
        assert err.splitlines()[0].startswith("members.csv:4:org_code: ")
    assert not Member.objects.exists()


def test_command_prints_what_it_added(db, tmp_path):
    path = write_bundle(tmp_path / "b")
    code, out, _ = _run(str(path), "--dry-run")
    assert code == 0 and "members.csv" in out and not Member.objects.exists()
    code, out, _ = _run(str(path))
    assert code == 0 and Member.objects.count() == 2
    assert [line.split() for line in out.splitlines()[1:]][3] == ["members.csv", "2"]


def test_export_command_writes_by_the_ending(db, tmp_path):
    import_bundle(write_bundle(tmp_path / "b"))
    call_command("export_bundle", str(tmp_path / "out.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert archive.namelist() == ["bundle.csv", *(spec.name for spec in sections.files())]
        assert archive.read("bundle.csv").decode().splitlines()[1].startswith("2,")
        assert archive.read("positions.csv").decode().splitlines()[1] == (
            "M1,secretary,P.D.X.C1,,2015-01-01,")


def test_the_planner_learns_the_loaded_rows_after_a_successful_import(
        db, django_capture_on_commit_callbacks, tmp_path):
    """The planner plans with stale row counts (PostgreSQL) or none (SQLite) until the tables
    are analyzed: a committed import analyzes what it wrote; a dry run (rolled back) leaves
    nothing to run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks() as callbacks:
        import_bundle(CONFORMANCE / "bundle", dry_run=True)
    assert callbacks == []
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(
            execute=True) as callbacks:
        assert not import_bundle(CONFORMANCE / "bundle").errors
    analyzed = {q["sql"].split()[-1].strip('"') for q in queries if q["sql"].startswith("ANALYZE")}
    assert {"member_period", "member_flow", "organization_period", "organization"} <= analyzed
    assert "anchor" in [callback.__name__ for callback in callbacks]  # docs/security.md
    if connection.vendor == "sqlite":
        _assert_unique_indexes_find_one_row(connection)


def test_the_migration_analyzes_an_installation_loaded_before_loads_did(db):
    """An installation whose records were loaded before the loads analyzed their tables gets
    the same statistics once, from its migration (members loaded here without the loader)."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from tests.conftest import build_people, build_world

    build_people(build_world())
    migration = importlib.import_module("chibo.interchange.migrations.0005_planner_statistics")
    # the migration reads only its editor's connection (SQLite's editor refuses to open
    # inside the test's transaction)
    migration.analyze_everything(apps, SimpleNamespace(connection=connection))
    if connection.vendor == "sqlite":
        _assert_unique_indexes_find_one_row(connection)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'member'")
            assert cursor.fetchone()[0] > 0


def _assert_unique_indexes_find_one_row(connection):
    """SQLite counts a nullable unique column's NULLs as one value (every member without a
    login: "N rows per value"), and the planner then avoided the login's index: the import's
    analysis says one row per value for every unique index."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA index_list(member)")
        unique = {row[1] for row in cursor.fetchall() if row[2]}
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'member'")
        stats = dict(cursor.fetchall())
    assert unique & set(stats), "the member table's unique indexes were analyzed"
    assert all(stats[index].split()[-1] == "1" for index in unique & set(stats)), stats


# Error lists stop at the limit -----------------------------------------------------------------

def _many_errors(root: Path, count: int) -> Path:
    rows = "".join(f"B{n},Người {n},male,1980-13-01,2010-01-01,,P.D.X.C1\n" for n in range(count))
    return write_bundle(root, append={"members.csv": rows})


@override_settings(IMPORT_ERROR_LIMIT=3)
def test_the_error_list_stops_at_the_limit_then_counts_the_rest(db, tmp_path):
    result = import_bundle(_many_errors(tmp_path / "b", 5))
    assert len(result.errors) == 3 and result.more_errors == 2 and result.error_count == 5
    assert prefixes(result.errors) == ["members.csv:4:birth_date", "members.csv:5:birth_date",
                                       "members.csv:6:birth_date"]


@override_settings(IMPORT_ERROR_LIMIT=3)
def test_the_command_prints_the_limit_then_one_line_for_the_rest(db, tmp_path):
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_bundle", str(_many_errors(tmp_path / "b", 5)), stderr=err,
                     stdout=io.StringIO())
    lines = err.getvalue().splitlines()
    assert len(lines) == 5
    assert lines[3].startswith("… và 2 lỗi khác") and "CHIBO_IMPORT_ERROR_LIMIT" in lines[3]
    assert lines[4].startswith("5 lỗi")


def test_the_limit_is_a_setting_from_the_environment():
    from django.conf import settings

    assert settings.IMPORT_ERROR_LIMIT == 1000
