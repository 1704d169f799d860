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
    course-instructor student-branch              # student-only branch (no sources/rubrics/tests, ever)
    course-instructor link --hub URL --repo-url URL   # the nbgitpuller link to that branch
    course-instructor export --format canvas --roster gradebook.csv   # grades for the LMS

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

from course.instructor import variants
from course.instructor.coursedir import Course
from course.instructor.parallel import autograde_batch
from course.instructor.release import inject_release_key

REPO_GRADING = Path(__file__).resolve().parents[2] / "grading"


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
        log = course.call("collect", a, update=True)
        for line in log.splitlines():  # refusals (OwnerCheckedCollect) must reach the instructor
            if "Refused" in line:
                print(line.strip())
        print(f"collected {a} into submitted/")
    return 0


def cmd_autograde(course: Course, args) -> int:
    from course.instructor import sandbox

    if getattr(args, "unsafe_no_sandbox", False):
        os.environ[sandbox.UNSAFE_ENV] = sandbox.UNSAFE_VALUE
    sandbox.require_sandbox()           # refuse before any student code runs where no sandbox starts
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
    fmt = getattr(args, "format", None)
    raw = course.root / "reports" / "grades.csv"
    out = Path(args.to) if getattr(args, "to", None) else raw
    if fmt:  # an LMS file, derived from nbgrader's own export
        raw = course.root / "reports" / "nbgrader-grades.csv"
        out = Path(args.to) if args.to else course.root / "reports" / f"grades-{fmt}.csv"
    raw.parent.mkdir(parents=True, exist_ok=True)
    course.nbgrader("export", "--to", str(raw.resolve()))
    if fmt:
        from course.instructor.lms import ExportError, write_export

        try:
            write_export(raw, Path(args.roster) if args.roster else None, fmt, out, match=args.match,
                         transform=args.match_transform, assignments=args.assignment or None)
        except ExportError as exc:
            raise SystemExit(f"error: {exc}") from None
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


def cmd_student_branch(course: Course, args) -> int:
    from course.instructor.student_branch import StudentBranchError, check_history, commit_student_branch

    repo = Path(args.repo).resolve()
    try:
        commit = commit_student_branch(repo, args.branch, args.ref)
        leaks = check_history(repo, args.branch)
    except StudentBranchError as exc:
        raise SystemExit(f"error: {exc}") from None
    if leaks:
        raise SystemExit("error: instructor material in the student branch history: " + ", ".join(leaks[:5]))
    print(f"student branch {args.branch!r} at {commit[:12]} (no grading sources, rubrics or tests in its history)")
    print(f"publish it: git -C {repo} push <remote> {args.branch}")
    return 0


def cmd_link(course: Course, args) -> int:
    from course.instructor.student_branch import nbgitpuller_link

    try:
        print(nbgitpuller_link(args.hub, args.repo_url, args.branch, args.path, target=args.target))
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from None
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
        s.add_argument("--workers", type=int, default=None,
                       help="parallel nbgrader processes (default: one more than the cores, at most 8)")
        s.add_argument("--timeout", type=int, default=None,
                       help="seconds per cell (default: nbgrader_config.py, 30)")
        s.add_argument("--student-timeout", type=float, default=900, help="wall-clock seconds per student")
        s.add_argument("--memory-mb", type=int, default=4096, help="address-space limit per student")
        s.add_argument("--quiet", action="store_true", help="no progress bar")
        s.add_argument("--unsafe-no-sandbox", action="store_true",
                       help="UNSAFE: run student code unconfined where no sandbox starts (throwaway machines only)")

    s = sub.add_parser("autograde", help="validate and autograde in parallel")
    s.add_argument("assignments", nargs="+")
    grading_options(s)
    s.set_defaults(func=cmd_autograde)

    s = sub.add_parser("feedback", help="generate feedback (and release it with --release)")
    s.add_argument("assignments", nargs="+")
    s.add_argument("--release", action="store_true")
    s.set_defaults(func=cmd_feedback)

    s = sub.add_parser("export", help="export the grades: nbgrader's CSV, or a Canvas / Moodle import file")
    s.add_argument("--to", help="default: reports/grades.csv (reports/grades-FORMAT.csv with --format)")
    s.add_argument("--format", choices=["canvas", "moodle", "csv"],
                   help="write a file the LMS imports, keyed by the roster's identifiers")
    s.add_argument("--roster", help="the LMS's own gradebook export (CSV); required for canvas and moodle")
    s.add_argument("--match", help="roster column holding the nbgrader student id "
                                   "(default: 'SIS Login ID' for Canvas, 'Email address' for Moodle)")
    s.add_argument("--match-transform", default="exact", choices=["exact", "email-local-part", "casefold"],
                   help="how roster values compare with student ids (email-local-part: jdoe@uni.edu = jdoe)")
    s.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("student-branch", help="commit the student-only tree to a branch for nbgitpuller")
    s.add_argument("--repo", default=str(REPO_GRADING.parent), help="the course repository (default: this one)")
    s.add_argument("--branch", default="student")
    s.add_argument("--ref", default="HEAD", help="the commit to release to students")
    s.set_defaults(func=cmd_student_branch)

    s = sub.add_parser("link", help="print the nbgitpuller link that gives students the course")
    s.add_argument("--hub", required=True, help="the hub's URL, e.g. https://hub.example.edu")
    s.add_argument("--repo-url", required=True, help="where students' servers clone from")
    s.add_argument("--branch", default="student")
    s.add_argument("--path", default="notebooks/00_start_here.ipynb", help="what opens first")
    s.add_argument("--target", help="folder in the student's home (default: the repository's name)")
    s.set_defaults(func=cmd_link)

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
