"""Time and peak memory of `chibo import --dry-run` on bundles that must be refused, and on a real
province's bundle: each run in its own process, its peak resident memory read from the kernel
(os.wait4), its CPU and wall time.

The junk bundles (made in a temporary folder):
- `junk-packed.zip`: the finding of issue 15, 1,070,000 rows of the same junk in members.csv,
  packed to ≈25 KB (refused by the compression ratio);
- `junk-random.zip`: 1,070,000 rows of random words, packing no better than real data
  (refused by the row limit);
- `one-cell.zip` / `one-cell/`: members.csv holding one 45 MB cell (refused by the length of a
  line, reading a bounded part of it);
- with --province PATH, that bundle (e.g. `chibo export province.zip` after `chibo demo`),
  imported into an empty database for real (not a dry run).

    uv run python bench/bench_import_bounds.py
    uv run python bench/bench_import_bounds.py --province /tmp/province.zip
"""

import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "member_code,full_name,gender,birth_date,admitted_on,org_code\n"
ROWS = 1_070_000


def junk_packed(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("members.csv", HEADER + "x,y,z,w,v,u\n" * ROWS)
    return path


def junk_random(path: Path) -> Path:
    pick = random.Random(15)
    words = ["".join(pick.choices(string.ascii_letters, k=pick.randint(3, 9)))
             for _ in range(50_000)]
    lines = (",".join(pick.choices(words, k=6)) for _ in range(ROWS))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("members.csv", HEADER + "\n".join(lines) + "\n")
    return path


def one_cell(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "members.csv").write_bytes(HEADER.encode() + b"M1," + b"A" * (45 << 20) + b"\n")
    return folder


TIME = "/usr/bin/time"  # GNU time: the child's own peak (a forked child's ru_maxrss starts
# at its parent's size on Linux, and this script holds the junk it made)


def measured(args: list[str], env: dict) -> dict:
    """Run `chibo ARGS` in a process of its own: exit status, wall, CPU and peak memory, and
    the last line it wrote on stderr."""
    started = time.monotonic()
    stderr_path = Path(env["CHIBO_DATA_DIR"]) / "stderr.txt"
    with stderr_path.open("w") as sink:
        process = subprocess.Popen([TIME, "-f", "BENCH %e %U %S %M %x", sys.executable, "-m",
                                    "chibo.cli", *args], env=env, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=sink)
        process.wait()
    wall = time.monotonic() - started
    lines = [line for line in stderr_path.read_text().splitlines()
             if line.strip() and not line.startswith((" ", "Command exited"))]
    _, _, user, system, peak_kb, status = lines.pop().split()
    return {"exit": int(status), "wall_s": round(wall, 1),
            "cpu_s": round(float(user) + float(system), 1),
            "peak_mb": round(int(peak_kb) / 1024), "said": lines[-1][:160] if lines else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", type=Path, help="a real bundle to import as well")
    options = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "CHIBO_DATA_DIR": str(work / "data")}
        env.pop("CHIBO_DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "chibo.cli", "migrate"], env=env, cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
        cases = {
            "junk-packed.zip (1.07 M rows)": junk_packed(work / "junk-packed.zip"),
            "junk-random.zip (1.07 M rows)": junk_random(work / "junk-random.zip"),
            "one-cell/ (a 45 MB cell)": one_cell(work / "one-cell"),
        }
        for label, path in cases.items():
            print(f"{label}: {path.stat().st_size if path.is_file() else '-'} bytes", flush=True)
            results[label] = measured(["import", "--dry-run", str(path)], env)
        if options.province:
            env["CHIBO_DATA_DIR"] = str(work / "province")
            subprocess.run([sys.executable, "-m", "chibo.cli", "migrate"], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.DEVNULL)
            results[f"import {options.province.name}"] = measured(
                ["import", str(options.province)], env)
    print(f"\n{'case':<34} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}  said")
    for label, result in results.items():
        print(f"{label:<34} {result['exit']:>4} {result['wall_s']:>7} {result['cpu_s']:>6} "
              f"{result['peak_mb']:>8}  {result['said']}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "import_bounds.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
