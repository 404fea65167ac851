"""Time the admission and course keys (METRICS-v2 "Candidates and admission", "Courses") and
the admission findings on a province-sized database: the synthetic 70,000-member province
(chibo.interchange.synthetic) with random candidates at every stage and courses with learners,
written in bulk (the reads are measured, not the import's checks).

    uv run python bench/bench_admission.py --data-dir /tmp/bench-admission [--candidates 3000]

The first run builds the database in the data dir (a minute or two); later runs reuse it.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_findings import setup_django  # noqa: E402


def build(candidates: int, seed: int = 2025) -> None:
    from django.core.management import call_command

    from chibo.accounts.policy import SYSTEM
    from chibo.admission.models import Candidate
    from chibo.courses.models import Course, Enrollment
    from chibo.interchange.importer import import_bundle
    from chibo.interchange.synthetic import write_synthetic_bundle
    from chibo.members.models import Member
    from chibo.organizations.models import Organization

    call_command("migrate", verbosity=0)
    if Candidate.objects.exists():
        return
    with tempfile.TemporaryDirectory() as folder:
        write_synthetic_bundle(Path(folder), members=70_000, seed=seed)
        started = time.perf_counter()
        result = import_bundle(Path(folder), actor=SYSTEM)
        print(f"import of the version-1 files: {time.perf_counter() - started:.1f} s, "
              f"{len(result.errors)} errors")
    rng = random.Random(seed)
    cells = list(Organization.objects.filter(kind__in=("cell", "grassroots_cell"),
                                             ended_on__isnull=True).values_list("pk", flat=True))
    committees = list(Organization.objects.filter(
        kind__in=("district", "grassroots_committee")).values_list("pk", flat=True))
    sponsors = list(Member.objects.values_list("pk", flat=True)[:5000])
    rows = []
    for n in range(candidates):
        listed = date(2019, 1, 1) + timedelta(days=rng.randint(0, 2000))
        steps = rng.randint(0, 6)
        days = [listed + timedelta(days=40 * k) if steps >= k else None for k in range(7)]
        day = days.__getitem__
        decided = day(5)
        rows.append(Candidate(
            code=f"K{n:06d}", full_name="Quần chúng", gender="female",
            birth_date=date(1995, 1, 1), cell_id=rng.choice(cells), listed_on=listed,
            awareness_course_on=day(1), sponsor1_id=rng.choice(sponsors),
            sponsor2_id=rng.choice(sponsors), background_checked_on=day(2),
            cell_resolution_on=day(3), cell_votes_for=5 if steps >= 3 else None,
            cell_votes_total=7 if steps >= 3 else None, committee_resolution_on=day(4),
            decision_on=decided, ceremony_on=day(6),
            outcome="admitted" if decided else ("withdrawn" if n % 17 == 0 else "pending"),
            outcome_on=listed + timedelta(days=30) if not decided and n % 17 == 0 else None))
    Candidate.objects.bulk_create(rows, batch_size=2000)
    courses = [Course(code=f"L{n:05d}", name="Lớp", kind=rng.choice(
        ("awareness", "new_member", "secretary", "other")), org_id=rng.choice(committees),
        start_on=date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000)),
        end_on=date(2020, 1, 1)) for n in range(400)]
    for course in courses:
        course.end_on = course.start_on + timedelta(days=10)
    Course.objects.bulk_create(courses)
    members = list(Member.objects.values_list("pk", flat=True))
    Enrollment.objects.bulk_create([
        Enrollment(course=course, member_id=pk, result="completed")
        for course in Course.objects.all() for pk in rng.sample(members, 50)], batch_size=5000)


def timed(function, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--candidates", type=int, default=3000)
    args = parser.parse_args()
    setup_django(args.data_dir)
    build(args.candidates)
    from chibo.admission import findings, rules
    from chibo.admission import metrics as admission
    from chibo.courses import metrics as courses
    from chibo.organizations.models import Organization
    from chibo.stats import engine

    province = Organization.objects.filter(parent__isnull=True).first()
    keys = ",".join((*admission.KEYS, *courses.KEYS))
    request = engine.Request.parse(date(2024, 12, 31), date(2020, 1, 1), date(2024, 12, 31),
                                   keys)
    print(f"the 27 keys, province: {timed(lambda: engine.compute(province, request)):.0f} ms")
    print(f"the 27 keys, per child: "
          f"{timed(lambda: engine.compute_children(province, request)):.0f} ms")
    print(f"records of admission.decided: {timed(lambda: list(admission.records(
        province, admission.Query(date(2024, 12, 31), date(2020, 1, 1), date(2024, 12, 31)),
        'admission.decided'))):.0f} ms")
    print(f"the 8 admission findings: "
          f"{timed(lambda: findings.find(province, date(2026, 12, 31), rules.KEYS), 3):.0f} ms")


if __name__ == "__main__":
    main()
