"""``course-instructor``: one command for the nbgrader grading cycle of the course.

    course-instructor init-secret                 # once: create the per-student-variant secret
    course-instructor generate a05_scoring        # nbgrader generate_assignment + release key
    course-instructor release a05_scoring         # copy to the exchange (students fetch it)
    course-instructor collect a05_scoring         # exchange → submitted/
    course-instructor autograde a05_scoring       # validate + parallel autograde + report
    course-instructor feedback a05_scoring        # generate (and --release) feedback
    course-instructor export                      # grades CSV
    course-instructor report a05_scoring          # item analysis: difficulty, discrimination, plots
    course-instructor cycle a05_scoring           # collect → autograde → feedback → export → report
    course-instructor leakcheck                   # scan what students receive for answers

Run from anywhere: the course directory is ``--course-dir``, else ``$COURSE_GRADING_DIR``, else the
current directory if it holds ``nbgrader_config.py``, else the repository's ``grading/``.
See ``grading/README.md``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

import nbformat

from course.instructor import variants
from course.instructor.parallel import Course, autograde_batch

REPO_GRADING = Path(__file__).resolve().parents[2] / "grading"
RELEASE_KEY_TAG = "course-release-key"


def find_course_dir(explicit: str | None) -> Path:
    for candidate in (explicit, os.environ.get("COURSE_GRADING_DIR")):
        if candidate:
            return Path(candidate).resolve()
    if (Path.cwd() / "nbgrader_config.py").is_file():
        return Path.cwd()
    return REPO_GRADING


def assignments_in(course: Course) -> list[str]:
    from course.instructor.bank import source_dir

    return sorted(p.name for p in source_dir(course.root).iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def uses_variants(course: Course, assignment: str) -> bool:
    text = course.source_notebook(assignment).read_text(encoding="utf-8")
    return "variants.grading_case" in text or '\\"kind\\": \\"case\\"' in text


def require_secret(course: Course, assignment: str) -> None:
    if uses_variants(course, assignment) and not variants.have_secret():
        raise SystemExit(f"error: {assignment} has per-student case items. " + variants.missing_secret_message())


def inject_release_key(course: Course, assignment: str) -> bool:
    """Write the assignment's release key into the released notebook's key cell."""
    path = course.root / "release" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    found = False
    for cell in nb.cells:
        if RELEASE_KEY_TAG in cell.metadata.get("tags", []):
            key = variants.release_key(assignment)
            cell.source = ("# Filled in by the instructor's release step — do not edit.\n"
                           f'RELEASE_KEY = "{key}"')
            found = True
    if found:
        nbformat.write(nb, path)
    return found


# ------------------------------------------------------------------------------------ commands
def cmd_init_secret(course: Course, args) -> int:
    path = variants.secret_file()
    if path.exists() and not args.force:
        print(f"{path} exists; keep it (use --force to replace it and invalidate released case keys).")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    print(f"wrote a new secret to {path} (mode 600). Back it up; never commit it.")
    return 0


def cmd_generate(course: Course, args) -> int:
    names = args.assignments or assignments_in(course)
    for a in names:
        require_secret(course, a)
    for a in names:
        course.call("generate_assignment", a, force=True, create=True)
        injected = inject_release_key(course, a)
        print(f"generated release/{a}/{a}.ipynb" + (" (release key injected)" if injected else ""))
    return 0


def cmd_release(course: Course, args) -> int:
    for a in args.assignments:
        course.nbgrader("release_assignment", a, "--force")  # the API has no --force
        print(f"released {a} to the exchange")
    return 0


def cmd_collect(course: Course, args) -> int:
    for a in args.assignments:
        course.call("collect", a, update=True)
        print(f"collected {a} into submitted/")
    return 0


def cmd_autograde(course: Course, args) -> int:
    status = 0
    for a in args.assignments:
        require_secret(course, a)
        students = args.students.split(",") if args.students else None
        t0 = time.monotonic()
        outcomes = autograde_batch(course, a, students, workers=args.workers, cell_timeout=args.timeout,
                                   student_timeout=args.student_timeout, memory_mb=args.memory_mb,
                                   progress=not args.quiet)
        counts: dict[str, int] = {}
        for o in outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        print(f"{a}: {len(outcomes)} students in {time.monotonic() - t0:.1f} s — "
              + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for o in outcomes:
            if o.status != "graded":
                print(f"  {o.student}: {o.status} ({o.score:g}/{o.max_score or 0:g}) — " + "; ".join(o.reasons))
        print(f"  report: {course.root / 'reports' / a / 'autograde-report.csv'}")
    return status


def cmd_feedback(course: Course, args) -> int:
    for a in args.assignments:
        course.call("generate_feedback", a, force=True)
        if args.release:
            course.call("release_feedback", a)
        print(f"feedback for {a} in feedback/" + (" and released" if args.release else ""))
    return 0


def cmd_export(course: Course, args) -> int:
    out = Path(args.to) if args.to else course.root / "reports" / "grades.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    course.nbgrader("export", "--to", str(out.resolve()))
    print(f"grades exported to {out}")
    return 0


def cmd_report(course: Course, args) -> int:
    from course.instructor.itemanalysis import write_report

    for a in args.assignments or assignments_in(course):
        folder = write_report(course, a)
        print(f"item analysis for {a}: {folder}")
    return 0


def cmd_cycle(course: Course, args) -> int:
    cmd_collect(course, args)
    cmd_autograde(course, args)
    cmd_feedback(course, args)
    cmd_export(course, args)
    cmd_report(course, args)
    return 0


def cmd_leakcheck(course: Course, args) -> int:
    from course.instructor.leakcheck import run_leak_check

    problems = run_leak_check(course.root, generate=not args.no_generate)
    for p in problems:
        print(p)
    print("leak check: " + ("FAILED" if problems else "clean"))
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course-instructor", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--course-dir", help="nbgrader course directory (default: grading/)")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init-secret", help="create the instructor secret file")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=cmd_init_secret)

    s = sub.add_parser("generate", help="nbgrader generate_assignment + inject the release key")
    s.add_argument("assignments", nargs="*", help="default: all")
    s.set_defaults(func=cmd_generate)

    for name, func, text in (("release", cmd_release, "release to the exchange"),
                             ("collect", cmd_collect, "collect submissions from the exchange")):
        s = sub.add_parser(name, help=text)
        s.add_argument("assignments", nargs="+")
        s.set_defaults(func=func)

    def grading_options(s: argparse.ArgumentParser) -> None:
        s.add_argument("--students", help="comma-separated ids (default: every folder in submitted/)")
        s.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                       help="parallel nbgrader processes (default: number of cores)")
        s.add_argument("--timeout", type=int, default=None,
                       help="seconds per cell (default: nbgrader_config.py, 30)")
        s.add_argument("--student-timeout", type=float, default=900, help="wall-clock seconds per student")
        s.add_argument("--memory-mb", type=int, default=4096, help="address-space limit per student")
        s.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("autograde", help="validate and autograde in parallel")
    s.add_argument("assignments", nargs="+")
    grading_options(s)
    s.set_defaults(func=cmd_autograde)

    s = sub.add_parser("feedback", help="generate feedback (and release it with --release)")
    s.add_argument("assignments", nargs="+")
    s.add_argument("--release", action="store_true")
    s.set_defaults(func=cmd_feedback)

    s = sub.add_parser("export", help="export the grades CSV")
    s.add_argument("--to", help="default: reports/grades.csv")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("report", help="item analysis (difficulty, discrimination, histogram)")
    s.add_argument("assignments", nargs="*")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("cycle", help="collect, autograde, feedback, export, report")
    s.add_argument("assignments", nargs="+")
    s.add_argument("--release", action="store_true", help="also release feedback")
    s.add_argument("--to", default=None)
    grading_options(s)
    s.set_defaults(func=cmd_cycle)

    s = sub.add_parser("leakcheck", help="scan what students receive for solutions and answers")
    s.add_argument("--no-generate", action="store_true", help="scan the existing release/")
    s.set_defaults(func=cmd_leakcheck)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    course = Course(find_course_dir(args.course_dir))
    if not (course.root / "nbgrader_config.py").is_file():
        print(f"error: {course.root} is not an nbgrader course directory (no nbgrader_config.py)",
              file=sys.stderr)
        return 2
    try:
        return args.func(course, args)
    except variants.MissingSecretError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
