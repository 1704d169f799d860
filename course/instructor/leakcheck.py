"""Leak check: nothing a student receives may hold solution code, hidden tests or graded answers.

What a student receives: the released notebooks (generated afresh from ``grading/source`` in a
temporary copy, with a throwaway secret), the course notebooks ``notebooks/``, ``assets/`` and the
installed ``course`` package (this package included). What is looked for:

* nbgrader's solution, hidden-test and mark-scheme region markers, and the model-answer / rubric
  headings of written items;
* every non-trivial line of every solution region and hidden-test region of the source notebooks;
* the answer keys: the letters-and-values lines of hidden tests, and each non-integer numeric
  answer as a literal in the released notebooks.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import nbformat

from course.instructor.markers import HIDDEN_BEGIN, HIDDEN_END, MARKERS, SOLUTION_BEGIN, SOLUTION_END


TEXT_SUFFIXES = {".py", ".ipynb", ".md", ".yaml", ".yml", ".json", ".txt", ".html", ".csv", ".cfg", ".toml"}
_TRIVIAL = re.compile(r"^(pass|else:|try:|except\b.*|for _\w+ in .*|raise AssertionError.*|return \w+|"
                      r"[\w.]+\(\*?_\w+\)|.*: *pass)$")
MIN_LEN = 22


def _regions(source: str, begin: str, end: str) -> list[str]:
    out, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            out.append(line)
    return out


def secrets_of(source_nb: Path) -> tuple[list[str], list[str]]:
    """(snippets, numeric answers) of a source notebook: what must never reach a student."""
    nb = nbformat.read(source_nb, as_version=4)
    snippets: list[str] = []
    numbers: list[str] = []
    for cell in nb.cells:
        lines = (_regions(cell.source, SOLUTION_BEGIN, SOLUTION_END)
                 + _regions(cell.source, HIDDEN_BEGIN, HIDDEN_END))
        for line in lines:
            text = " ".join(line.split())
            if len(text) >= MIN_LEN and not _TRIVIAL.match(text):
                snippets.append(text)
        for m in re.finditer(r"abs\(float\(answer_q\d+\) - ([0-9.]+)\)", cell.source):
            if "." in m.group(1) and not m.group(1).endswith(".0"):
                numbers.append(m.group(1))
        for line in cell.source.splitlines():       # items declared as data (nbbuild.py)
            if line.startswith("# course-item: "):
                spec = json.loads(line[len("# course-item: "):])
                value = spec.get("answer") if spec.get("kind") == "numeric" else None
                if isinstance(value, float) and value != int(value):
                    numbers.append(repr(value))
    return list(dict.fromkeys(snippets)), numbers


def _files(folder: Path):
    if folder.is_file():
        yield folder
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in {"__pycache__", ".ipynb_checkpoints"}]
        for name in filenames:
            p = Path(dirpath) / name
            if p.suffix in TEXT_SUFFIXES:
                yield p


def _normalised(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        try:
            nb = nbformat.reads(text, as_version=4)
            text = "\n".join(c.source for c in nb.cells) + "\n" + text
        except Exception:  # noqa: BLE001
            pass
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def scan(targets: list[Path], snippets: list[str], numbers: list[str] = (), *,
         markers: bool = True) -> list[str]:
    problems = []
    for target in targets:
        for path in _files(target):
            text = _normalised(path)
            # the instructor tooling names the markers it handles; it is checked for snippets only
            tooling = path.resolve().parent == Path(__file__).resolve().parent
            marker_hits = [m for m in MARKERS if m in text] if markers and not tooling else []
            for m in marker_hits:
                problems.append(f"{path}: contains nbgrader marker {m!r}")
            for s in snippets:
                if s in text:
                    problems.append(f"{path}: contains solution/hidden-test code {s!r}")
            for n in numbers:
                if re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", text):
                    problems.append(f"{path}: contains the graded answer {n}")
    return problems


def student_facing(repo: Path) -> list[Path]:
    """The parts of the repository a student gets, plus the installed package."""
    out = [repo / "notebooks", repo / "assets", repo / "course"]
    spec = importlib.util.find_spec("course")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            if Path(loc).resolve() != (repo / "course").resolve():
                out.append(Path(loc))
    return [p for p in out if p.exists()]


def run_leak_check(grading: Path, *, generate: bool = True, repo: Path | None = None) -> list[str]:
    grading = Path(grading).resolve()
    repo = repo or grading.parent
    problems: list[str] = []
    snippets: list[str] = []
    numbers: list[str] = []
    from course.instructor.bank import source_dir

    source = source_dir(grading)        # the public grading/source, or the private item bank
    assignments = sorted(p.name for p in source.iterdir() if p.is_dir())
    for a in assignments:
        folder = source / a
        extra = [p.name for p in folder.iterdir() if p.name != f"{a}.ipynb" and p.name != ".ipynb_checkpoints"]
        if extra:
            problems.append(f"{folder}: files other than the notebook are released too: {extra}")
        s, n = secrets_of(folder / f"{a}.ipynb")
        snippets += s
        numbers += n

    if generate:
        from course.instructor.coursedir import Course
        from course.instructor.release import inject_release_key

        tmp = Path(tempfile.mkdtemp(prefix="leakcheck-"))
        old_env = os.environ.get("COURSE_GRADING_SECRET")
        old_cwd = os.getcwd()
        try:
            work = tmp / "grading"
            work.mkdir()
            shutil.copy(grading / "nbgrader_config.py", work)
            shutil.copytree(source, work / "source")
            os.environ["COURSE_GRADING_SECRET"] = "leak-check-throwaway-secret"
            course = Course(work)
            for a in assignments:
                course.call("generate_assignment", a, force=True, create=True)
                inject_release_key(course, a)
            problems += scan([work / "release"], snippets, numbers)
        finally:
            os.chdir(old_cwd)
            if old_env is None:
                os.environ.pop("COURSE_GRADING_SECRET", None)
            else:
                os.environ["COURSE_GRADING_SECRET"] = old_env
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        problems += scan([grading / "release"], snippets, numbers)
    problems += scan(student_facing(repo), snippets, numbers)
    return problems
