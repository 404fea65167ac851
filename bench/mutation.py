"""Mutation testing of the rule modules with mutmut: how many one-line bugs the tests catch.

    uv run python bench/mutation.py                 # every unit below, one after the other
    uv run python bench/mutation.py policy meetings # some units
    uv run python bench/mutation.py stats --resume  # go on with what an interrupted run left
    uv run python bench/mutation.py --report        # the figures of the last runs, no run
    uv run python bench/mutation.py lifecycle --functions 'chibo.members.findings.x_breaches'
                                                    # only one function's mutants
    uv run python bench/mutation.py --list          # the units, their files and test files

A unit is a set of source files with the test files that cover it (UNITS). Each unit runs in its
own directory, var/mutation/UNIT/, so that its mutmut state (the mutants, which test covers
which function, the verdicts) survives from one run to the next: a second run retries only what
changed and what an interrupted run did not reach; `--survivors`, only the survivors;
`--resume`, only the mutants not run yet or timed out (a plain run of a unit narrowed to some
functions reruns them all). `--show` prints the survivors' diffs (mutmut's `show`, run there).
The directory holds links to chibo/ and tests/ and a copy of pyproject.toml whose
[tool.mutmut] table names the unit's files and tests (mutmut reads its configuration from the
current directory only; do not run `uv` there: it would take the copy for a project).

Per unit it prints: mutants, killed, survived, equivalent (survivors listed with their reason in
bench/mutation-equivalent.toml), timeout, no tests (a function no test of the unit calls), not
run (an interrupted run) and the score = killed / (mutants - equivalent - not run). A survivor
neither killed nor listed is printed by name, and so is a listed mutant that no longer survives
(a stale entry).

Not run in CI: a unit takes minutes (docs/testing.md has the figures). mutmut forks one child
per mutant; --max-children 1 (the default here) keeps a shared 2-core machine usable.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
EQUIVALENT_FILE = ROOT / "bench" / "mutation-equivalent.toml"


@dataclass(frozen=True)
class Unit:
    """Source files mutated together, and the test files that cover them.

    `functions`, when given, narrows the mutants to those functions (mutmut's names,
    `module.x_function` or `module.xǁClassǁmethod`, globs allowed): a large service module
    whose rules are a few functions."""

    files: tuple[str, ...]
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()


UNITS: dict[str, Unit] = {
    "policy": Unit(
        files=("chibo/accounts/policy.py", "chibo/accounts/querysets.py",
               "chibo/core/querysets.py"),
        tests=("tests/test_permissions.py", "tests/test_accounts.py",
               "tests/test_policy_rules.py"),
    ),
    "meetings": Unit(
        files=("chibo/meetings/rules.py", "chibo/meetings/services.py",
               "chibo/meetings/checks.py"),
        tests=("tests/test_meeting_rules.py", "tests/test_meetings.py",
               "tests/test_meeting_not_started.py", "tests/test_meeting_rule_cases.py"),
        # services.py: the functions that judge, not the ones that store.
        functions=("chibo.meetings.rules.*",
                   *(f"chibo.meetings.checks.x_{f}" for f in (
                       "_over", "_cells_missing", "no_regular_meeting", "quarters",
                       "no_thematic_meeting", "below_quality", "unexcused_months",
                       "removal_rule")),
                   *(f"chibo.meetings.services.x_{f}" for f in (
                       "_check_schedule", "require_started", "_check_attendance",
                       "_check_tasks", "excused_streak_flags", "_set_streak", "assess_quality",
                       "publish_deadline", "_check_publish"))),
    ),
    "lifecycle": Unit(
        files=("chibo/members/lifecycle.py", "chibo/members/findings.py"),
        tests=("tests/test_members.py", "tests/test_findings.py", "tests/test_lifecycle_rules.py"),
        # findings.py: not the registration (run once, at start-up, before any mutant: its
        # mutants cannot be told apart) nor the wording of a finding (dmy, as_finding).
        functions=("chibo.members.lifecycle.*",
                   *(f"chibo.members.findings.x_{f}" for f in (
                       "carried", "months_between", "breaches", "_age_breaches",
                       "_probation_breaches", "_readmission_breaches", "facts_of",
                       "_subtree_members", "_subtree_events", "candidate_ids",
                       "subtree_breaches"))),
    ),
    "stats": Unit(
        files=("chibo/stats/stocks.py", "chibo/stats/flows.py"),
        tests=("tests/test_stats_rule_cases.py", "tests/test_stats.py"),
    ),
    "interchange": Unit(
        files=("chibo/interchange/readers.py",),
        tests=("tests/test_bundle_rule_cases.py", "tests/test_bundle_reader_edges.py",
               "tests/test_bundle.py", "tests/test_import_bounds.py"),
    ),
    "admission": Unit(
        files=("chibo/admission/rules.py", "chibo/admission/findings.py"),
        tests=("tests/test_admission_rule_cases.py", "tests/test_admission.py"),
        # findings.py: the reading of the facts the rules judge, not the registration (run once,
        # at start-up, before any mutant) nor the wording of a finding.
        functions=("chibo.admission.rules.*",
                   *(f"chibo.admission.findings.x_{f}" for f in (
                       "facts_of", "_standing", "_recognitions", "find", "subtree_rows")),
                   "chibo.admission.findings.xǁ_Grassrootsǁ*"),
    ),
    "meeting-metrics": Unit(
        files=("chibo/meetings/metrics.py",),
        # Not describe and present: they word a drill-down row for the page, counting nothing.
        functions=(*(f"chibo.meetings.metrics.x_{f}" for f in (
            "_held", "held_rows", "held_meetings", "full_months", "expected_cells",
            "_met_every_month", "_cell_records", "records", "_regular_months", "counts",
            "_summed", "_tally_meetings", "_grouped", "compute")),
                   "chibo.meetings.metrics.xǁCellsUnderǁ*", "chibo.meetings.metrics.xǁTallyǁ*"),
        tests=("tests/test_meeting_rule_cases.py", "tests/test_meetings.py",
               "tests/test_meeting_rules.py", "tests/test_meeting_properties.py"),
    ),
}


def mutmut_table(unit: Unit) -> str:
    """The [tool.mutmut] table of a unit: the shared settings of pyproject.toml, then the
    unit's files and test files. JSON strings and lists are valid TOML."""
    shared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    settings = {**shared, "only_mutate": list(unit.files),
                "pytest_add_cli_args_test_selection": list(unit.tests)}
    return "[tool.mutmut]\n" + "".join(
        f"{key} = {json.dumps(value)}\n" for key, value in settings.items())


def without_mutmut_table(text: str) -> str:
    """pyproject.toml without its [tool.mutmut] table (up to the next table header)."""
    return re.sub(r"^\[tool\.mutmut\]\n(?:(?!\[).*\n|\n)*", "", text, flags=re.MULTILINE)


def prepare(name: str, unit: Unit) -> Path:
    """var/mutation/NAME/ with links to the sources and tests and the unit's pyproject.toml."""
    directory = WORK / name
    directory.mkdir(parents=True, exist_ok=True)
    for linked in ("chibo", "tests"):
        link = directory / linked
        if not link.is_symlink():
            link.symlink_to(ROOT / linked)
    pyproject = without_mutmut_table((ROOT / "pyproject.toml").read_text())
    (directory / "pyproject.toml").write_text(pyproject + "\n" + mutmut_table(unit))
    return directory


def run(name: str, unit: Unit, max_children: int, only: list[str]) -> float:
    """Run mutmut for one unit (only the mutants named in `only`, globs allowed, when given);
    returns the wall time in seconds.

    mutmut keeps the verdict of a mutant whose function did not change, unless it is named:
    a unit narrowed to some functions reruns all of them."""
    directory = prepare(name, unit)
    started = time.monotonic()
    names = only or [f"{function}__mutmut_*" for function in unit.functions]
    # The property tests at a fifth of their examples (tests/hypothesis_profiles.py): they
    # are most of a mutant's test time.
    subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children), *names],
        cwd=directory, check=False, env={**os.environ, "HYPOTHESIS_PROFILE": "mutation"},
    )
    return time.monotonic() - started


def verdicts(name: str, unit: Unit) -> dict[str, str]:
    """mutant name -> mutmut's status, from the .meta files of the unit's last run."""
    from fnmatch import fnmatch

    from mutmut.stats import status_by_exit_code

    found = {}
    for file in unit.files:
        meta = WORK / name / "mutants" / (file + ".meta")
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        for mutant, code in codes.items():
            function = mutant.rsplit("__mutmut_", 1)[0]
            if not unit.functions or any(fnmatch(function, f) for f in unit.functions):
                found[mutant] = status_by_exit_code[code]
    return found


def equivalents() -> dict[str, str]:
    """mutant name -> why it is equivalent, from bench/mutation-equivalent.toml."""
    if not EQUIVALENT_FILE.exists():
        return {}
    table = tomllib.loads(EQUIVALENT_FILE.read_text())
    return {mutant: entry["why"] for mutant, entry in table.get("mutants", {}).items()}


# The verdicts a test should change. A timeout (the mutant hung the tests) is not listed, but
# the score, killed / (mutants - equivalent - not run), does not count it as killed.
NOT_KILLED = ("survived", "no tests", "suspicious")

HEADER = ("unit", "mutants", "killed", "survived", "equivalent", "timeout", "no tests",
          "not run", "score")


def summarize(name: str, found: dict[str, str], listed: dict[str, str]) -> tuple[tuple, list]:
    """The row of the table for one unit, and its remarks (unexplained survivors, stale
    equivalents)."""
    count = {status: sum(1 for s in found.values() if s == status)
             for status in ("killed", "survived", "timeout", "no tests", "not checked")}
    equivalent = [m for m, s in found.items() if s == "survived" and m in listed]
    stale = [m for m in listed if m in found and found[m] != "survived"]
    unexplained = sorted(m for m, s in found.items() if s in NOT_KILLED and m not in listed)
    counted = len(found) - len(equivalent) - count["not checked"]
    score = f"{100 * count['killed'] / counted:.1f} %" if counted else "-"
    row = (name, len(found), count["killed"], count["survived"], len(equivalent),
           count["timeout"], count["no tests"], count["not checked"], score)
    remarks = [f"  {name}: {m} {found[m]}" for m in unexplained]
    remarks += [f"  {name}: {m} is listed as equivalent but was {found[m]}" for m in stale]
    return row, remarks


def show_survivors(names: list[str]) -> None:
    """mutmut's diff of every survivor not listed as equivalent, unit by unit."""
    listed = equivalents()
    for name in names:
        for mutant, status in sorted(verdicts(name, UNITS[name]).items()):
            if status in NOT_KILLED and mutant not in listed:
                shown = subprocess.run([sys.executable, "-m", "mutmut", "show", mutant],
                                       cwd=WORK / name, capture_output=True, text=True)
                print(shown.stdout.strip() or shown.stderr.strip(), end="\n\n")


def print_table(rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    for r in [HEADER, *rows]:
        print("  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w)
                        for i, (v, w) in enumerate(zip(r, widths, strict=True))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("units", nargs="*", help=f"some of {', '.join(UNITS)} (default: all)")
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--report", action="store_true", help="print the last figures only")
    parser.add_argument("--survivors", action="store_true",
                        help="run only the survivors (after a test was added); a plain run "
                             "goes on with those an interrupted run did not reach")
    parser.add_argument("--resume", action="store_true",
                        help="run only the mutants not run yet or timed out (an interrupted "
                             "run of a unit narrowed to some functions, which a plain run reruns "
                             "whole; a run starved by a busy machine)")
    parser.add_argument("--functions", nargs="+", metavar="NAME",
                        help="run only the mutants of these functions (mutmut's names, globs "
                             "allowed): to check the tests written for one function's survivors "
                             "without running the whole unit")
    parser.add_argument("--list", action="store_true", help="print the units and exit")
    parser.add_argument("--show", action="store_true",
                        help="print the diff of each survivor not listed as equivalent (no run)")
    args = parser.parse_args()
    unknown = set(args.units) - set(UNITS)
    if unknown:
        parser.error(f"unknown units: {', '.join(sorted(unknown))}")
    chosen = args.units or list(UNITS)
    if args.list:
        for name in chosen:
            unit = UNITS[name]
            print(f"{name}: {' '.join(unit.files)}\n    tests: {' '.join(unit.tests)}")
        return 0
    if args.show:
        show_survivors(chosen)
        return 0
    timings = {}
    if not args.report:
        for name in chosen:
            unit = UNITS[name]
            only = []
            wanted = (NOT_KILLED if args.survivors else ("not checked", "timeout") if args.resume
                      else ())
            if wanted:
                only = [m for m, s in verdicts(name, unit).items() if s in wanted]
                if not only:
                    continue
            elif args.functions:
                only = [f"{function}__mutmut_*" for function in args.functions]
            timings[name] = run(name, unit, args.max_children, only)
    listed = equivalents()
    rows, remarks = [], []
    for name in chosen:
        row, notes = summarize(name, verdicts(name, UNITS[name]), listed)
        rows.append(row)
        remarks += notes
    print()
    print_table(rows)
    for name, seconds in timings.items():
        print(f"{name}: {seconds / 60:.1f} min")
    if remarks:
        print("\nNot killed and not listed in bench/mutation-equivalent.toml:")
        print("\n".join(remarks))
    return 1 if remarks else 0


if __name__ == "__main__":
    sys.exit(main())
