"""The self-examination catalogue as data a province replaces (chibo.handbook.catalogue): its
validation, the setting that points to the province's file, the start-up check and
`chibo manifestations check`."""

import copy
import json

import pytest

from chibo.handbook import catalogue
from tests.test_cli import run

DEFAULT = json.loads(catalogue.DEFAULT_FILE.read_text(encoding="utf-8"))


def with_signs() -> dict:
    raw = copy.deepcopy(DEFAULT)
    raw["groups"][0]["items"][3]["signs"] = [
        {"code": "A4.1", "text": "Đi họp chi bộ không đầy đủ"},
        {"code": "A4.2", "text": "Không đóng đảng phí đúng hạn"}]
    return raw


def write(tmp_path, raw, name="catalogue.json"):
    path = tmp_path / name
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def test_chibo_s_file_holds_the_27_in_three_groups_of_nine_and_no_invented_signs():
    found = catalogue.load(catalogue.DEFAULT_FILE)
    assert [g.code for g in found.groups] == ["A", "B", "C"]
    assert found.codes() == [f"{g}{n}" for g in "ABC" for n in range(1, 10)]
    assert found.sign_codes() == [] and not found.has_signs
    assert "04-NQ/TW" in found.source


def test_a_province_s_file_with_signs_is_read_in_code_order(tmp_path):
    raw = with_signs()
    raw["groups"].reverse()  # the file's order of groups and items does not matter
    raw["groups"][2]["items"].reverse()
    found = catalogue.load(write(tmp_path, raw))
    assert found.codes()[:4] == ["A1", "A2", "A3", "A4"] and found.codes()[-1] == "C9"
    assert found.sign_codes() == ["A4.1", "A4.2"]
    order = found.order()
    assert order["A4"] < order["A4.1"] < order["A4.2"] < order["A5"]
    assert catalogue.manifestation_of("A4.2") == "A4"


def drop(raw, group, index):
    del raw["groups"][group]["items"][index]


def duplicate(raw, group, index):
    raw["groups"][group]["items"].append(dict(raw["groups"][group]["items"][index]))


def set_item(raw, group, index, **values):
    raw["groups"][group]["items"][index].update(values)


def set_signs(raw, signs):
    raw["groups"][0]["items"][3]["signs"] = signs


@pytest.mark.parametrize(("spoil", "problem"), [
    (lambda r: drop(r, 1, 8), "groups[1].items: thiếu biểu hiện B9"),
    (lambda r: duplicate(r, 2, 0), "groups[2].items: biểu hiện C1 có hơn một lần"),
    (lambda r: set_item(r, 0, 0, code="B1"),
     "groups[0].items[0].code: mã biểu hiện của nhóm A là A1 … A9"),
    (lambda r: set_item(r, 0, 0, code="A10"),
     "groups[0].items[0].code: mã biểu hiện của nhóm A là A1 … A9"),
    (lambda r: set_item(r, 1, 2, text="  "), "groups[1].items[2].text: cần một đoạn chữ"),
    (lambda r: set_item(r, 1, 2, text="Hai\ndòng"), "groups[1].items[2].text: "),
    (lambda r: r["groups"].pop(), "groups: thiếu nhóm C"),
    (lambda r: r["groups"].append(copy.deepcopy(r["groups"][0])),
     "groups: nhóm A có hơn một lần"),
    (lambda r: r["groups"][0].update(code="D"), "groups[0].code: mã nhóm phải là A, B hoặc C"),
    (lambda r: r["groups"][0].update(title=""), "groups[0].title: cần một đoạn chữ"),
    (lambda r: r.update(source=""), "source: cần một đoạn chữ"),
    (lambda r: r.update(groups={}), "groups: cần một danh sách"),
    (lambda r: set_signs(r, [{"code": "A4.1", "text": "a"}, {"code": "A4.1", "text": "b"}]),
     "groups[0].items[3].signs: mã A4.1 có hơn một lần"),
    (lambda r: set_signs(r, [{"code": "A5.1", "text": "a"}]),
     "groups[0].items[3].signs[0].code: mã dấu hiệu là mã biểu hiện, dấu chấm và số thứ tự: "
     "A4.1"),
    (lambda r: set_signs(r, [{"code": "A4-1", "text": "a"}]),
     "groups[0].items[3].signs[0].code: mã dấu hiệu"),
    (lambda r: set_signs(r, [{"code": "A4.1", "text": ""}]),
     "groups[0].items[3].signs[0].text: cần một đoạn chữ"),
    (lambda r: set_signs(r, "A4.1"), "groups[0].items[3].signs: cần một danh sách"),
])
def test_a_file_that_cannot_be_used_is_refused_naming_where(tmp_path, spoil, problem):
    raw = with_signs()
    spoil(raw)
    with pytest.raises(catalogue.CatalogueError) as refused:
        catalogue.load(write(tmp_path, raw))
    assert any(line.startswith(problem) for line in refused.value.problems), \
        refused.value.problems


def test_every_problem_is_reported_at_once(tmp_path):
    raw = with_signs()
    drop(raw, 0, 0)
    set_item(raw, 2, 4, text="")
    with pytest.raises(catalogue.CatalogueError) as refused:
        catalogue.load(write(tmp_path, raw))
    assert len(refused.value.problems) == 2


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "không phải JSON hợp lệ (dòng 1, cột 2)"),
    ("[1, 2]", "tệp cần là một đối tượng JSON"),
    (None, "không đọc được tệp"),
])
def test_a_file_that_is_not_a_catalogue_is_refused(tmp_path, content, problem):
    path = tmp_path / "missing.json" if content is None else write(tmp_path, content)
    with pytest.raises(catalogue.CatalogueError) as refused:
        catalogue.load(path)
    assert refused.value.problems[0].startswith(problem)


def test_the_setting_points_to_the_province_s_file(settings, tmp_path):
    settings.MANIFESTATIONS_FILE = str(write(tmp_path, with_signs()))
    try:
        assert catalogue.catalogue().sign_codes() == ["A4.1", "A4.2"]
        assert catalogue.check_catalogue() == []
    finally:
        catalogue._cached.cache_clear()
    settings.MANIFESTATIONS_FILE = ""
    assert catalogue.catalogue().sign_codes() == []


def test_the_start_up_check_names_a_file_that_cannot_be_used(settings, tmp_path):
    raw = with_signs()
    drop(raw, 0, 0)
    settings.MANIFESTATIONS_FILE = str(write(tmp_path, raw))
    [error] = catalogue.check_catalogue()
    assert error.id == "handbook.E001" and "thiếu biểu hiện A1" in error.msg


# The command --------------------------------------------------------------------------------

def test_the_command_accepts_a_good_file_and_sums_it_up(capsys, tmp_path):
    code, out, err = run(capsys, "manifestations", "check", str(write(tmp_path, with_signs())))
    assert code == 0 and err == ""
    assert "dùng được" in out
    lines = {line.split()[0]: line.split()[-2:] for line in out.splitlines()[3:]}
    assert lines == {"A": ["9", "2"], "B": ["9", "0"], "C": ["9", "0"]}


def test_the_command_checks_a_new_file_while_a_broken_one_is_configured(capsys, settings,
                                                                        tmp_path):
    broken = with_signs()
    drop(broken, 0, 0)
    settings.MANIFESTATIONS_FILE = str(write(tmp_path, broken, name="broken.json"))
    code, out, _err = run(capsys, "manifestations", "check", str(write(tmp_path, with_signs())))
    assert code == 0 and "dùng được" in out
    code, _out, err = run(capsys, "manifestations", "check")
    assert code == 1 and "thiếu biểu hiện A1" in err


def test_the_command_checks_the_file_in_use_by_default(capsys):
    code, out, _err = run(capsys, "manifestations", "check")
    assert code == 0 and str(catalogue.DEFAULT_FILE) in out


def test_the_command_lists_every_problem_and_exits_1(capsys, tmp_path):
    raw = with_signs()
    drop(raw, 1, 0)
    set_signs(raw, [{"code": "A4.1", "text": "a"}, {"code": "A4.1", "text": "b"}])
    path = write(tmp_path, raw)
    code, out, err = run(capsys, "manifestations", "check", str(path))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{path}: groups[0].items[3].signs: mã A4.1 có hơn một lần",
        f"{path}: groups[1].items: thiếu biểu hiện B1",
        "2 lỗi; tệp này chưa dùng được."]
