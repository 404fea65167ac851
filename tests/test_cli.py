"""The `chibo` console script: its help, its names, its errors, its tables and its progress.

Run through `chibo.cli.main([...])` as the console script runs it (stdout and stderr captured),
and in a subprocess where what matters is the real process (exit status, no traceback).
"""

import argparse
import io
import json
import re
import subprocess
import sys

import pytest
from django.core.management import call_command

from chibo import cli
from chibo.accounts.models import User
from chibo.cli import ALIASES
from chibo.core import console
from chibo.members.models import Member
from tests.test_bundle import write_bundle

# The names the README and spec/INTERFACES.md give chibo's commands.
README = ["admission", "audit", "backup", "calendar", "check", "createadmin", "demo", "export",
          "import", "inspection", "manifestations", "migrate", "photos", "ratings", "restore",
          "serve", "stats", "token", "twofactor", "worker"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`chibo ARGS…`: (exit status, stdout, stderr)."""
    try:
        cli.main(["chibo", *args])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def sections(text: str) -> tuple[str, str]:
    """(chibo's commands, Django's) of the main help."""
    head, _, django = text.partition("Lệnh của Django:")
    return head.partition("Lệnh của chibo:")[2], django


# Help ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [[], ["--help"], ["help"], ["-h"]])
def test_help_lists_chibo_s_commands_by_the_readme_s_names_then_django_s(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 0 and err == ""
    assert out.index("Lệnh của chibo:") < out.index("Lệnh của Django:")
    ours, django = sections(out)
    lines = {line.split()[0]: line.split(None, 1)[1] for line in ours.strip().splitlines()}
    assert sorted(lines) == README
    assert all(len(summary) > 10 for summary in lines.values())  # each with its one line
    assert lines["import"].startswith("Nhập một gói")
    assert lines["worker"].startswith("Chạy các việc nền")  # not the library's English
    theirs = [name.strip() for name in django.split(",")]
    assert {"flush", "startapp", "shell", "axes_reset"} <= set(theirs)
    assert "migrate" not in theirs and "check" not in theirs  # migrate is chibo's; check too
    for name in ["compliance_check", "import_bundle", "export_bundle", "db_worker",
                 "member_photos"]:
        assert name not in out  # shown under chibo's names only


def test_help_of_a_command_is_under_its_chibo_name(capsys):
    code, out, err = run(capsys, "help", "import")
    assert code == 0 and err == ""
    assert out.startswith("Cách dùng: chibo import ") and "import_bundle" not in out
    assert "--dry-run" in out and "chỉ kiểm tra và báo, không ghi gì" in out
    assert "--settings" not in out  # Django's options are accepted, not listed
    code, out, _ = run(capsys, "import", "--help")
    assert code == 0 and out.startswith("Cách dùng: chibo import ")
    code, out, _ = run(capsys, "help", "check")
    assert "Cách dùng: chibo check " in out and "--today DATE" in out


def test_help_of_a_sub_command(capsys):
    code, out, _ = run(capsys, "token", "create", "--help")
    assert code == 0 and out.startswith("Cách dùng: chibo token create ")
    assert "USERNAME" in out and "tên đăng nhập của người dùng" in out


def _options(parser: argparse.ArgumentParser):
    """(option, its help) of a parser and of its sub-commands' parsers."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, helps.get(name)
                yield from ((f"{name} {option}", text) for option, text in _options(sub))
        elif action.help is not argparse.SUPPRESS:
            yield "/".join(action.option_strings) or action.dest, action.help


@pytest.mark.parametrize("name", README)
def test_every_option_of_every_chibo_command_has_help(name):
    command = cli._load(name)
    assert str(command.help).strip()
    missing = [option for option, text in _options(cli._parser(command, name))
               if not text or not str(text).strip()]
    assert missing == []


def _all_options(parser: argparse.ArgumentParser) -> set[str]:
    found = set()
    for action in parser._actions:
        found |= set(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _all_options(sub)
    return found


@pytest.mark.parametrize("document", ["README.md", "docs/cli.md"])
def test_the_readme_and_docs_name_every_command_and_only_options_that_exist(document):
    from pathlib import Path

    text = Path(__file__).resolve().parent.parent.joinpath(document).read_text()
    table = text[text.index("| command |"):]
    table = table[:table.index("\n\n")]
    named: dict[str, set[str]] = {}
    for row in table.splitlines()[2:]:
        cells = row.split(" | ")
        commands = re.findall(r"`chibo (\w+)([^`]*)`", cells[0])  # `chibo import` / `… export`
        for name, line in commands:
            named.setdefault(name, set()).update(re.findall(r"--[a-z][a-z-]*", line))
        named[commands[0][0]].update(re.findall(r"--[a-z][a-z-]*", " ".join(cells[1:])))
    assert sorted(named) == README
    for name, options in named.items():
        assert options <= _all_options(cli._parser(cli._load(name), name)), name


# Dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("as_of", ["04/12/2026", "2026-12-04"])
def test_stats_takes_the_date_as_the_pages_show_it_or_iso(world, capsys, as_of):
    code, out, err = run(capsys, "stats", "--org", "TQ", "--as-of", as_of, "--from",
                         "01/06/2026", "--metrics", "members.total", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["as_of"], data["from"], data["to"]) == ("2026-12-04", "2026-06-01", "2026-12-04")


def test_check_takes_the_date_as_the_pages_show_it(people, capsys):
    """A check that finds something exits 1 (docs/checks.md), whatever the date's form."""
    for today in ("15/05/2026", "2026-05-15"):
        code, out, err = run(capsys, "check", "--org", "D1.X1.C1", "--year", "2026", "--month",
                             "3", "--today", today, "--checks", "meetings.no_regular")
        assert code == 1 and err == "" and "meetings.no_regular" in out


def test_every_date_option_uses_the_shared_date_type():
    dates = {name: [action.type for action in cli._parser(cli._load(name), name)._actions
                    if action.metavar == "DATE"] for name in README}
    assert dates["stats"] == [console.date_argument] * 3
    assert dates["check"] == [console.date_argument]
    assert all(kind is console.date_argument for kinds in dates.values() for kind in kinds)


# Wrong command lines: one line, exit 2 -------------------------------------------------------

WRONG = [
    (["stats", "--org", "TQ", "--as-of", "04/13/2026"],
     "chibo stats: --as-of: ngày không hợp lệ: 04/13/2026"),
    (["stats", "--as-of", "04/12/2026"], "chibo stats: thiếu --org"),
    (["stats", "--org", "TQ", "--bogus"], "chibo stats: không hiểu --bogus"),
    (["stats", "--org", "TQ", "--format", "pdf"], "chibo stats: --format: «pdf» không phải"),
    (["stats", "--org", "NOPE"], "chibo stats: không có tổ chức mã NOPE"),
    (["stats", "--org", "TQ", "--metrics", "members.nope"],
     "chibo stats: không có chỉ tiêu members.nope"),
    (["stats", "--org", "TQ", "--from", "02/02/2026", "--to", "01/02/2026"],
     "chibo stats: đầu kỳ 02/02/2026 sau cuối kỳ 01/02/2026"),
    (["stats", "--org", "TQ", "--format", "xlsx"], "chibo stats: --format xlsx cần --output"),
    (["check", "--org", "NOPE"], "chibo check: không có tổ chức mã NOPE"),
    (["check", "--checks", "meetings.nope"], "chibo check: không có kiểm tra meetings.nope"),
    (["check", "--today", "tomorrow"], "chibo check: --today: ngày không hợp lệ"),
    (["check", "--month", "13"], "chibo check: --month: «13» không phải"),
    (["import"], "chibo import: thiếu PATH"),
    (["token"], "chibo token: thiếu create|revoke"),
    (["token", "create", "ghost"], "chibo token: không có người dùng ghost"),
    (["token", "create"], "chibo token create: thiếu USERNAME"),
    (["photos"], "chibo photos: không có việc gì"),
    (["imprt", "x"], "chibo: không có lệnh «imprt» (có phải «import»?)"),
    (["help", "nothing"], "chibo: không có lệnh «nothing»"),
]


@pytest.mark.parametrize(("args", "line"), WRONG, ids=[" ".join(a) for a, _ in WRONG])
def test_a_wrong_command_line_is_one_line_and_exit_2(world, capsys, args, line):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith(line) and err.count("\n") == 1, err
    assert "Traceback" not in err and "CommandError" not in err and "\x1b[" not in err


def test_django_s_names_of_chibo_s_commands_still_run_under_chibo_s(world, capsys):
    code, _, err = run(capsys, "compliance_check", "--org", "NOPE")
    assert code == 2 and err.startswith("chibo check: không có tổ chức mã NOPE")


def test_a_wrong_command_line_in_a_real_process(tmp_path):
    """The console script itself: exit 2, one line, no traceback (before any database)."""
    env = {"CHIBO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for args, line in [(["stats", "--org", "TQ", "--as-of", "31/02/2026"],
                        "chibo stats: --as-of: ngày không hợp lệ: 31/02/2026"),
                       (["frobnicate"], "chibo: không có lệnh «frobnicate»")]:
        result = subprocess.run([sys.executable, "-m", "chibo.cli", *args], capture_output=True,
                                text=True, env=env, timeout=60)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.startswith(line) and result.stderr.count("\n") == 1


def test_a_file_that_cannot_be_written_is_one_line_and_exit_1(world, capsys, tmp_path):
    code, _, err = run(capsys, "stats", "--org", "TQ", "--output", str(tmp_path / "no" / "x"))
    assert code == 1 and err.startswith("chibo stats: lỗi tệp: ") and err.count("\n") == 1


# A refused import and a finding keep exit 1 ----------------------------------------------------

def test_a_refused_import_exits_1_with_its_error_lines(db, capsys, tmp_path):
    path = write_bundle(tmp_path / "b", append={
        "members.csv": "M3,Lê Văn Cường,male,1990-01-01,2015-01-01,,P.D.X.NOPE\n"})
    code, out, err = run(capsys, "import", str(path))
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith("members.csv:4:org_code: ")
    assert err.splitlines()[-1] == "1 lỗi; không ghi gì vào cơ sở dữ liệu."
    assert not Member.objects.exists()
    code, _, err = run(capsys, "import", str(tmp_path / "missing.zip"))
    assert code == 1 and err.count("\n") == 1


def test_an_import_prints_what_it_added_as_a_table(db, capsys, tmp_path):
    code, out, err = run(capsys, "import", str(write_bundle(tmp_path / "b")))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Đã nhập ") and "{" not in out  # not a Python dict
    assert [line.split() for line in lines[1:5]] == [
        ["organizations.csv", "5"], ["villages.csv", "1"], ["org_changes.csv", "0"],
        ["members.csv", "2"]]
    assert len({len(line) for line in lines[1:]}) == 1  # the counts right-aligned


# Progress ------------------------------------------------------------------------------------

def test_import_and_export_write_progress_lines_when_not_on_a_terminal(
        db, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(console, "LINE_EVERY", 0)  # a line at every report, not every 5 s
    code, out, err = run(capsys, "import", str(write_bundle(tmp_path / "b")))
    assert code == 0 and "\r" not in err
    lines = err.splitlines()
    assert len(lines) >= 3 and all(" %  " in line for line in lines)
    assert lines[-1].startswith("  100 %  ") and "hoàn tất" in lines[-1]
    assert "Đã nhập" in out and "%" not in out  # progress on stderr, the result on stdout
    code, out, err = run(capsys, "export", str(tmp_path / "out.zip"))
    assert code == 0 and "  đọc members.csv" in err and "ghi out.zip" in err
    assert err.splitlines()[-1].startswith("  100 %  ")


def test_a_short_command_in_a_log_writes_no_progress(db, capsys, tmp_path):
    code, _, err = run(capsys, "import", str(write_bundle(tmp_path / "b")))
    assert code == 0 and err == ""  # less than LINE_EVERY seconds


# The demo speaks plainly, on stdout ------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_demo_s_lines_go_to_stdout_in_plain_style_and_its_accounts_as_a_table(
        db, monkeypatch):
    from chibo.site.demo import DemoAccount
    from chibo.site.management.commands import demo

    def build_demo(*, seed, size, stream):
        stream.write("  tạo cây tổ chức và đảng viên…\n")
        return [DemoAccount("admin", "", None, "Quản trị"),
                DemoAccount("commune", "clerk", None, "Hoàng Thị Mai")]

    monkeypatch.setattr(demo, "build_demo", build_demo)
    out, err = Terminal(), Terminal()  # on a terminal, where Django styles stderr bold red
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    cli.main(["chibo", "demo", "--no-serve", "--size", "small"])
    assert err.getvalue() == "" and "\x1b[" not in out.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0] == "  tạo cây tổ chức và đảng viên…"
    assert lines[-4:] == ["  tên đăng nhập  vai trò  phạm vi",
                          "  -------------  -------  -------------",
                          "  admin          admin    toàn hệ thống",
                          "  commune        clerk    toàn hệ thống"]


# English --------------------------------------------------------------------------------------

def test_language_en_gives_the_help_and_the_errors_in_english(capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en_GB:en")
    code, out, _ = run(capsys, "help")
    assert code == 0 and "chibo's commands:" in out and "Django's commands:" in out
    code, out, _ = run(capsys, "help", "import")
    assert out.startswith("Usage: chibo import ") and "validate and report, write nothing" in out
    code, _, err = run(capsys, "stats", "--org", "TQ", "--as-of", "04/13/2026")
    assert code == 2 and err.startswith("chibo stats: --as-of: invalid date: 04/13/2026")


# Older ones -----------------------------------------------------------------------------------

def test_check_is_the_compliance_command():
    assert ALIASES["check"] == "compliance_check"


def test_createadmin_reads_the_password_from_stdin(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-password\n"))
    call_command("createadmin", "boss", "--password-stdin", stdout=io.StringIO())
    user = User.objects.get(username="boss")
    assert user.is_superuser and user.check_password("long-enough-password")


def test_console_script_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check", "--help"], capture_output=True, text=True,
        env={"CHIBO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=60,
    )
    assert result.returncode == 0 and "--year" in result.stdout
