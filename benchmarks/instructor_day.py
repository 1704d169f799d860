"""The instructor's day at scale: one assignment for a class of N students (default 300), on this machine.

    python benchmarks/instructor_day.py                    # 300 students, the CLI's default workers
    python benchmarks/instructor_day.py --students 40      # a quick run

Each step is the course's own command on a temporary copy of the nbgrader course with a local
filesystem exchange, timed wall-clock:

1. generate the release (``course-instructor generate``) and release it to the exchange;
2. N students fetch it and submit (simulated: each fetch/submit is the file work nbgrader's
   exchange does — a copy out of ``outbound`` and a copy into ``inbound`` named
   ``<student>+<assignment>+<time>+<random>`` — with every answer filled, some left blank so scores
   differ);
3. collect (``course-instructor collect``);
4. autograde, sandboxed, in parallel (``course-instructor autograde --workers W``);
5. generate and release feedback (``course-instructor feedback --release``);
6. export the grades (``course-instructor export``).

Printed: seconds per step and per submission, and the machine's load (on a shared machine wall
time is inflated). Nothing is asserted: timings belong here, not in tests.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from _common import ROOT, print_header, table
from autograde import env

ASSIGNMENT = "a06_treatment"


def cli(course: Path, *args: str, extra: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "course.instructor", "--course-dir", str(course), *args],
                          cwd=course, env=env(extra), capture_output=True, text=True)
    if proc.returncode:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-20:])
        raise SystemExit(f"course-instructor {' '.join(args)} failed ({proc.returncode}):\n{tail}")
    return time.perf_counter() - t0


def students_work(exchange: Path, homes: Path, course_id: str, n: int, source: Path) -> float:
    """N fetches and N submissions, as nbgrader's filesystem exchange lays them out."""
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(source, as_version=4).cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    outbound = exchange / course_id / "outbound" / ASSIGNMENT
    inbound = exchange / course_id / "inbound"
    t0 = time.perf_counter()
    for i in range(n):
        student = f"s{i:03d}"
        mine = homes / student / course_id / ASSIGNMENT
        shutil.copytree(outbound, mine)  # fetch
        path = mine / f"{ASSIGNMENT}.ipynb"
        nb = nbformat.read(path, as_version=4)
        answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        blank = 1 if i % 3 == 2 else 0
        for j, cell in enumerate(answers):
            gid = cell.metadata["nbgrader"]["grade_id"]
            if j >= blank and gid in solutions:
                cell.source = solutions[gid].replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION", "")
        nbformat.write(nb, path)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S.000000 UTC", time.gmtime())
        dest = inbound / f"{student}+{ASSIGNMENT}+{stamp}+{secrets.token_hex(16)}"  # submit
        shutil.copytree(mine, dest)
        (dest / "timestamp.txt").write_text(stamp)
        (dest / "submission_secret.txt").write_text(secrets.token_hex(32))  # nbgrader's feedback key
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--workers", type=int, default=None, help="default: the CLI's (cores + 1, at most 8)")
    args = parser.parse_args(argv)
    if args.workers is None:
        from course.instructor.parallel import default_workers

        args.workers = default_workers()
    print_header(f"Instructor's day: {args.students} students, {ASSIGNMENT}, {args.workers} workers")
    work = Path(tempfile.mkdtemp(prefix="instructor-day-"))
    try:
        course, exchange, homes = work / "course", work / "exchange", work / "homes"
        course.mkdir()
        exchange.mkdir()
        shutil.copy(ROOT / "grading" / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "grading" / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
        # one OS user plays every student here, so the owner check is off (it is on for real hubs)
        extra = {"COURSE_EXCHANGE": str(exchange), "COURSE_STRICT_OWNER": "0"}
        rows = []
        t = cli(course, "generate", ASSIGNMENT, extra=extra) + cli(course, "release", ASSIGNMENT, extra=extra)
        rows.append(["generate + release", f"{t:.1f}", ""])
        t = students_work(exchange, homes, "spine-metastases", args.students,
                          course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
        rows.append([f"{args.students} × fetch + submit (file work)", f"{t:.1f}", f"{t / args.students:.3f}"])
        for label, step in [("collect", ["collect", ASSIGNMENT]),
                            (f"autograde (sandboxed, {args.workers} workers)",
                             ["autograde", ASSIGNMENT, "--workers", str(args.workers)]),
                            ("feedback (generate + release)", ["feedback", ASSIGNMENT, "--release"]),
                            ("export grades", ["export"])]:
            t = cli(course, *step, extra=extra)
            rows.append([label, f"{t:.1f}", f"{t / args.students:.3f}"])
        total = sum(float(r[1]) for r in rows)
        rows.append(["whole day", f"{total:.1f}", f"{total / args.students:.3f}"])
        print(table(["step", "seconds", "s / student"], rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
