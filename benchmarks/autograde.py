"""Autograde throughput: sequential ``nbgrader autograde`` against the course's parallel CLI.

    python benchmarks/autograde.py                       # 12 submissions of a01_anatomy
    python benchmarks/autograde.py --students 24 --assignment a05_scoring --workers 2

A temporary copy of the nbgrader course (``grading/nbgrader_config.py`` + ``grading/source``) is made,
the assignment is generated with ``python -m course.instructor generate`` (a throwaway variants
secret), and a batch of synthetic submissions is written: every answer cell filled from the source
solution, except that every third student leaves one answer unanswered and every fourth leaves
two (so scores differ). The same batch is then graded twice, each time in a fresh copy of that
course directory:

* **sequential** — ``nbgrader autograde <assignment>`` (one process, one student after the other);
* **parallel** — ``python -m course.instructor autograde <assignment> --workers N`` (validation,
  N worker processes, report).

Both use the course's ``nbgrader_config.py`` (cell timeout, sandboxed kernels, output limits). Printed:
seconds, seconds per submission, submissions per minute, the speed-up, and whether the two runs
gave every student the same score.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, cores, print_header, table

SECRET = "benchmark-throwaway-secret"


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["COURSE_GRADING_SECRET"] = SECRET
    e.pop("COURSE_GRADING_SECRET_FILE", None)
    e["PATH"] = str(Path(sys.executable).parent) + os.pathsep + e.get("PATH", "")
    e.setdefault("MPLBACKEND", "Agg")
    return e


def run(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-20:])
        raise SystemExit(f"{' '.join(cmd[:5])} … failed ({proc.returncode}):\n{tail}")
    return seconds


def make_batch(course: Path, assignment: str, n: int) -> list[str]:
    """Write ``n`` synthetic submissions of ``assignment`` into ``course/submitted``."""
    import nbformat

    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    source = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    students = [f"bench{i:03d}" for i in range(n)]
    for i, student in enumerate(students):
        nb = nbformat.from_dict(release)
        answer_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        skip = 2 if i % 4 == 3 else 1 if i % 3 == 2 else 0
        for j, cell in enumerate(answer_cells):
            gid = cell.metadata["nbgrader"]["grade_id"]
            if j >= skip and gid in solutions:
                cell.source = solutions[gid].replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION", "")
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    return students


def gradebook_scores(course: Path, assignment: str) -> dict[str, float]:
    from course.instructor.parallel import Course, scores

    return {s: v[0] for s, v in scores(Course(course), assignment).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="a01_anatomy")
    parser.add_argument("--students", type=int, default=12)
    parser.add_argument("--workers", type=int, default=cores())
    args = parser.parse_args(argv)
    print_header("Autograde throughput: sequential nbgrader vs the parallel course CLI")

    work = Path(tempfile.mkdtemp(prefix="autograde-bench-"))
    try:
        template = work / "template"
        template.mkdir()
        shutil.copy(ROOT / "grading" / "nbgrader_config.py", template)
        shutil.copytree(ROOT / "grading" / "source" / args.assignment, template / "source" / args.assignment)
        cli = [sys.executable, "-m", "course.instructor", "--course-dir"]
        t_gen = run(cli + [str(template), "generate", args.assignment], ROOT)
        students = make_batch(template, args.assignment, args.students)
        print(f"{args.assignment}: generated in {t_gen:.1f} s; {len(students)} synthetic submissions\n",
              flush=True)

        seq, par = work / "sequential", work / "parallel"
        shutil.copytree(template, seq)
        shutil.copytree(template, par)
        t_seq = run([sys.executable, "-m", "nbgrader", "autograde", args.assignment, "--force"], seq)
        t_par = run(cli + [str(par), "autograde", args.assignment, "--workers", str(args.workers), "--quiet"], ROOT)
        s_seq, s_par = gradebook_scores(seq, args.assignment), gradebook_scores(par, args.assignment)
        agree = s_seq == s_par and len(s_seq) == len(students)
        n = len(students)
        rows = [
            ["`nbgrader autograde` (sequential)", 1, f"{t_seq:.1f}", f"{t_seq / n:.2f}", f"{60 * n / t_seq:.0f}", "1.0×"],
            [f"`course-instructor autograde --workers {args.workers}`", args.workers, f"{t_par:.1f}",
             f"{t_par / n:.2f}", f"{60 * n / t_par:.0f}", f"{t_seq / t_par:.1f}×"],
        ]
        print(table(["command", "processes", "seconds", "s / submission", "submissions / min", "speed-up"], rows))
        print(f"\nSame score for every student in both runs: {'yes' if agree else 'NO'}"
              f" (scores: {sorted(set(s_par.values()))})")
        if not agree:
            diff = {s: (s_seq.get(s), s_par.get(s)) for s in students if s_seq.get(s) != s_par.get(s)}
            print(f"Differences (sequential, parallel): {diff}")
        return 0 if agree else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
