"""Helpers for the grading tests: a temporary course, simulated students, hostile submissions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
GRADING = ROOT / "grading"
SECRET = "test-secret-not-for-real-use"


def make_course(tmp: Path) -> Path:
    """Copy config + source notebooks of grading/ into ``tmp/grading``."""
    dest = tmp / "grading"
    dest.mkdir(parents=True)
    shutil.copy(GRADING / "nbgrader_config.py", dest)
    shutil.copytree(GRADING / "source", dest / "source")
    return dest


def run_cli(course: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "course.instructor", "--course-dir", str(course), *args],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    if check and proc.returncode:
        raise AssertionError(f"course-instructor {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def cells(nb) -> dict:
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")}


def answer(release_nb: Path, source_nb: Path, answers: dict[str, str] | None = None,
           wrong: set[str] = frozenset()) -> nbformat.NotebookNode:
    """A student's notebook: the release with every answer cell filled from the source solution.

    ``answers`` overrides the source of answer cells by grade id (``{"q1_answer": 'answer_q1 = "D"'}``);
    grade ids in ``wrong`` get a wrong-but-well-formed answer.
    """
    nb = nbformat.read(release_nb, as_version=4)
    src = cells(nbformat.read(source_nb, as_version=4))
    answers = dict(answers or {})
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if not gid or not cell.metadata["nbgrader"].get("solution"):
            continue
        if gid in answers:
            cell.source = answers[gid]
        elif gid in wrong:
            cell.source = src[gid].source + "\n" + _wrong(src[gid].source)
        else:
            cell.source = src[gid].source
    return nb


def _wrong(source: str) -> str:
    for line in source.splitlines():
        if line.startswith("answer_q") and "=" in line:
            var = line.split("=")[0].strip()
            if '"' in line:
                return f'{var} = "A" if {var} != "A" else "B"'
            if "{" in line:
                return f'{var} = {{"A"}} if {var} != {{"A"}} else {{"B"}}'
            return f"{var} = {var} + 1000"
    return ""


def submit(course: Path, student: str, assignment: str, nb=None, *, raw: bytes | None = None,
           name: str | None = None) -> Path:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{assignment}.ipynb")
    if raw is not None:
        path.write_bytes(raw)
    elif nb is not None:
        path.write_text(nbformat.writes(nb), encoding="utf-8")
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    return folder


def grading_env(**extra: str) -> dict:
    import os

    env = dict(os.environ)
    env["COURSE_GRADING_SECRET"] = SECRET
    env.pop("COURSE_GRADING_SECRET_FILE", None)
    env.pop("COURSE_ITEM_BANK", None)        # the tests grade the public items (their own copies)
    env.update(extra)
    return env


def copy_course(template: Path, tmp: Path) -> Path:
    dest = tmp / "grading"
    shutil.copytree(template, dest, symlinks=True)
    return dest
