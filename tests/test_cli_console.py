"""chibo.core.console: the date type, the tables and the progress every command shares."""

import argparse
import io
from datetime import date

import pytest
from django.utils import translation

from chibo.core.console import ProgressDisplay, UsageError, date_argument, table


@pytest.mark.parametrize(("text", "day"), [
    ("04/12/2026", date(2026, 12, 4)),  # as the pages show it: day first
    ("4/12/2026", date(2026, 12, 4)),
    ("2026-12-04", date(2026, 12, 4)),
    (" 31/01/2025 ", date(2025, 1, 31)),
])
def test_a_date_is_read_as_the_pages_show_it_or_as_iso(text, day):
    assert date_argument(text) == day


@pytest.mark.parametrize("text", ["04/13/2026", "12/04/26", "2026-13-01", "31/02/2026",
                                  "hôm nay", ""])
def test_a_bad_date_is_argparse_s_error_naming_both_formats(text):
    with pytest.raises(argparse.ArgumentTypeError) as error:
        date_argument(text)
    assert "dd/mm/yyyy" in str(error.value) and "yyyy-mm-dd" in str(error.value)


def test_a_usage_error_exits_2():
    assert UsageError("không có tổ chức mã X").returncode == 2


def test_a_table_aligns_text_left_and_numbers_right_in_the_language_s_way():
    rows = [("members.csv", 74000), ("villages.csv", 1733), ("exceptions.csv", 0)]
    assert table(rows, indent="  ").splitlines() == [
        "  members.csv     74.000",
        "  villages.csv     1.733",
        "  exceptions.csv       0",
    ]
    with translation.override("en"):
        assert table(rows).splitlines()[0] == "members.csv     74,000"


def test_a_table_has_its_header_over_a_rule_and_cuts_long_text_but_in_the_last_column():
    rows = [("a" * 60, "x", "b" * 60)]
    lines = table(rows, ["mã", "tên", "chi tiết"], cut=10).splitlines()
    assert lines[0] == "mã          tên  chi tiết"
    assert lines[1] == "----------  ---  " + "-" * 60
    assert lines[2] == "a" * 9 + "…" + "  x    " + "b" * 60


def test_a_table_counts_a_decomposed_vietnamese_letter_as_one_column():
    decomposed = "Tuye\u0302\u0301n"  # Tuyến, the accents as combining marks
    lines = table([(decomposed, 1), ("Hà", 22)]).splitlines()
    assert lines == [decomposed + "   1", "Hà     22"]


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_in_a_log_is_a_line_every_few_seconds_and_the_last_one():
    clock, log = Clock(), io.StringIO()
    shown = ProgressDisplay(log, every=5, clock=clock)
    for second in range(12):
        clock.now = second
        shown("ghi đảng viên", second * 1000, 11000)
    shown.close("hoàn tất")
    assert log.getvalue().splitlines() == [
        "   45 %  5.000/11.000  ghi đảng viên  (5 s)",
        "   90 %  10.000/11.000  ghi đảng viên  (10 s)",
        "  100 %  11.000/11.000  hoàn tất  (11 s)",
    ]


def test_progress_of_a_short_command_in_a_log_writes_nothing():
    clock, log = Clock(), io.StringIO()
    shown = ProgressDisplay(log, every=5, clock=clock)
    shown("đọc tệp", 0, 0)
    clock.now = 2
    shown("ghi đảng viên", 10, 10)
    shown.close()
    assert log.getvalue() == ""


def test_progress_on_a_terminal_is_a_bar_redrawn_in_place_then_ended():
    clock, screen = Clock(), Terminal()
    shown = ProgressDisplay(screen, clock=clock, bar=10)
    shown("ghi đảng viên", 0, 200)
    clock.now = 1
    shown("ghi đảng viên", 100, 200)
    shown.close()
    text = screen.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.split("\r")[2].rstrip() == "  [#####.....]  50 %  100/200  ghi đảng viên"
