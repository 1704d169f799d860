"""Autograde speed: one plain sequential ``nbgrader autograde`` (no sandbox) against the course's
sandboxed parallel autograder, on the same batch, interleaved, medians of several runs.

    python benchmarks/autograde.py                                   # 48 submissions of a06_treatment, 3 rounds
    python benchmarks/autograde.py --students 48 --rounds 3 --workers 2 --large 200
    python benchmarks/autograde.py --profile                         # where nbgrader's time goes

A temporary copy of the nbgrader course (``grading/nbgrader_config.py`` + the assignment's source)
is made, the assignment is generated with ``python -m course.instructor generate`` (a throwaway
secret), and a batch of synthetic submissions is written: every answer filled from the source
solution, except that every third student leaves one answer unanswered and every fourth two (so
scores differ). Each round grades the batch in fresh copies of that course, in alternating order:

* **sequential** — ``nbgrader autograde <assignment> --force``: one process, one student after the
  other, no sandbox (kernels from jupyter_client's plain ``AsyncKernelManager``, set on the command
  line over the course config's sandboxed one), nbgrader's own kernel handling, the course's trusted
  grading;
* **parallel** — ``python -m course.instructor autograde <assignment> --workers N``: validation,
  N worker processes, every kernel and every code-item call in its own bubblewrap sandbox.

Printed: seconds per run, medians, seconds per submission, the speed-up of the medians, the share of
the machine's cores that were busy during each run (from /proc/stat: every process counts, so other
work on the machine shows there too), the CPU seconds of the process tree that the kernel accounts
to the command (sandboxed kernels and forked workers are not waited for by it, so this undercounts
the parallel runs), and whether every run gave every student the same score. ``--large N`` also
times one parallel run of N submissions.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, cores, print_header, table

SECRET = "benchmark-throwaway-secret"
UNSAFE = {"COURSE_UNSAFE_NO_SANDBOX": "yes-run-student-code-unconfined"}
#: The baseline runs its kernels with jupyter_client's own manager: no bubblewrap at all (the course's
#: nbgrader_config.py sets the sandboxed one, and the command line overrides it).
PLAIN_KERNELS = "--Execute.kernel_manager_class=jupyter_client.manager.AsyncKernelManager"


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    e = dict(os.environ)
    e["COURSE_GRADING_SECRET"] = SECRET
    for var in ("COURSE_GRADING_SECRET_FILE", "COURSE_ITEM_BANK", "COURSE_UNSAFE_NO_SANDBOX"):
        e.pop(var, None)
    e["PATH"] = str(Path(sys.executable).parent) + os.pathsep + e.get("PATH", "")
    e.setdefault("MPLBACKEND", "Agg")
    e.update(extra or {})
    return e


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all processes, all cores; /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


LAST_BUSY: list[float] = []


def run(cmd: list[str], cwd: Path, extra: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree). The share of the machine's cores that were
    busy meanwhile (every process, so other work shows too) is kept in ``LAST_BUSY``."""
    c0, t0, b0 = _children_cpu(), time.perf_counter(), _machine_busy()
    proc = subprocess.run(cmd, cwd=cwd, env=env(extra), capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - t0, _children_cpu() - c0
    LAST_BUSY[:] = [(_machine_busy() - b0) / (seconds * cores())]
    if proc.returncode:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-20:])
        raise SystemExit(f"{' '.join(cmd[:5])} … failed ({proc.returncode}):\n{tail}")
    return seconds, cpu


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


def template_course(work: Path, assignment: str, n: int) -> tuple[Path, list[str]]:
    template = work / f"template-{n}"
    template.mkdir()
    shutil.copy(ROOT / "grading" / "nbgrader_config.py", template)
    shutil.copytree(ROOT / "grading" / "source" / assignment, template / "source" / assignment)
    run([sys.executable, "-m", "course.instructor", "--course-dir", str(template), "generate", assignment], ROOT)
    return template, make_batch(template, assignment, n)


def profile(work: Path, assignment: str, n: int = 6) -> None:
    """cProfile of nbgrader's API grading ``n`` submissions in one process (plain, then with the
    worker's cuts), printed as the top functions by cumulative time, and the kernel shutdown cost."""
    code = f"""
import cProfile, os, pstats, sys, time
os.chdir({str(work / 'prof')!r})
from nbgrader.apps.api import NbGraderAPI
from nbgrader.apps.nbgraderapp import NbGraderApp
app = NbGraderApp(); app.initialize([])
if sys.argv[1] == "cut":
    from course.instructor import speedups; speedups.apply(app.config)
api = NbGraderAPI(config=app.config)
students = sorted(os.listdir("submitted"))
api.autograde({assignment!r}, students[0], force=True, create=True)
pr = cProfile.Profile(); t0 = time.perf_counter(); c0 = time.process_time(); pr.enable()
for s in students[1:]:
    assert api.autograde({assignment!r}, s, force=True, create=True)["success"]
pr.disable()
k = len(students) - 1
print(f"{{sys.argv[1]}}: {{(time.perf_counter() - t0) / k:.2f}} s wall and {{(time.process_time() - c0) / k:.2f}} s "
      "grader CPU per submission")
pstats.Stats(pr).sort_stats("cumulative").print_stats(r"(nbclient|jupyter_client|nbgrader|sqlite|course)", 18)
"""
    template, _ = template_course(work, assignment, n)
    for mode in ("plain", "cut"):
        shutil.rmtree(work / "prof", ignore_errors=True)
        shutil.copytree(template, work / "prof")
        proc = subprocess.run([sys.executable, "-c", code, mode], env=env(UNSAFE), capture_output=True, text=True)
        print(proc.stdout[-6000:] if proc.returncode == 0 else proc.stderr[-3000:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="a06_treatment")
    parser.add_argument("--students", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None,
                        help="parallel workers (default: the CLI's, one more than the cores, at most 8)")
    parser.add_argument("--large", type=int, default=0, help="also time one parallel run of this many")
    parser.add_argument("--profile", action="store_true", help="profile nbgrader's API instead")
    args = parser.parse_args(argv)
    if args.workers is None:
        from course.instructor.parallel import default_workers

        args.workers = default_workers()
    print_header("Autograde: plain sequential nbgrader (no sandbox) vs the sandboxed parallel course CLI")
    work = Path(tempfile.mkdtemp(prefix="autograde-bench-"))
    try:
        if args.profile:
            profile(work, args.assignment)
            return 0
        template, students = template_course(work, args.assignment, args.students)
        n = len(students)
        print(f"{args.assignment}: {n} synthetic submissions; {args.rounds} rounds, interleaved\n", flush=True)
        times: dict[str, list[tuple[float, float]]] = {"sequential": [], "parallel": []}
        busy: dict[str, list[float]] = {"sequential": [], "parallel": []}
        all_scores = []
        for r in range(args.rounds):
            order = ["sequential", "parallel"] if r % 2 == 0 else ["parallel", "sequential"]
            for mode in order:
                dest = work / f"{mode}-{r}"
                shutil.copytree(template, dest)
                if mode == "sequential":
                    t = run([sys.executable, "-m", "nbgrader", "autograde", args.assignment, "--force", PLAIN_KERNELS],
                            dest, UNSAFE)
                else:
                    t = run([sys.executable, "-m", "course.instructor", "--course-dir", str(dest), "autograde",
                             args.assignment, "--workers", str(args.workers), "--quiet"], ROOT)
                times[mode].append(t)
                busy[mode].append(LAST_BUSY[0])
                all_scores.append(gradebook_scores(dest, args.assignment))
                print(f"round {r + 1} {mode:>10}: {t[0]:6.1f} s wall, {t[1]:6.1f} s CPU, "
                      f"cores {LAST_BUSY[0]:.0%} busy", flush=True)
                shutil.rmtree(dest, ignore_errors=True)
        med = {m: statistics.median(w for w, _ in v) for m, v in times.items()}
        share = {m: statistics.median(v) for m, v in busy.items()}
        rows = [["`nbgrader autograde` (sequential, no sandbox)", 1, f"{med['sequential']:.1f}",
                 f"{med['sequential'] / n:.2f}", f"{share['sequential']:.0%}", "1.0×"],
                [f"`course-instructor autograde --workers {args.workers}` (sandboxed)", args.workers,
                 f"{med['parallel']:.1f}", f"{med['parallel'] / n:.2f}", f"{share['parallel']:.0%}",
                 f"{med['sequential'] / med['parallel']:.2f}×"]]
        print()
        print(table(["command", "processes", "median s", "s / submission", "cores busy", "speed-up"], rows))
        agree = all(s == all_scores[0] for s in all_scores) and len(all_scores[0]) == n
        print(f"\nSame score for every student in every run: {'yes' if agree else 'NO'}"
              f" (scores: {sorted(set(all_scores[0].values()))})")
        if args.large:
            big, _ = template_course(work, args.assignment, args.large)
            t = run([sys.executable, "-m", "course.instructor", "--course-dir", str(big), "autograde",
                     args.assignment, "--workers", str(args.workers), "--quiet"], ROOT)
            print(f"\n{args.large} submissions, sandboxed parallel ({args.workers} workers): {t[0]:.0f} s wall "
                  f"({t[0] / 60:.1f} min, {t[0] / args.large:.2f} s per submission), {t[1]:.0f} s CPU, "
                  f"cores {LAST_BUSY[0]:.0%} busy")
        return 0 if agree else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
