"""What is wrong with a submission: can it be graded at all, and which read-only cells were changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from course.instructor.markers import HIDDEN_BEGIN

if TYPE_CHECKING:
    from course.instructor.coursedir import Course

MAX_NOTEBOOK_MB = 50
_IGNORED = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


def validate_submission(folder: Path, assignment: str) -> list[str]:
    """Reasons why ``folder`` cannot be autograded (empty list: it can)."""
    if not folder.is_dir():
        return ["no submission folder"]
    entries = [p for p in folder.iterdir() if p.name not in _IGNORED and p.name != "timestamp.txt"]
    if not entries:
        return ["empty submission folder (nothing was submitted)"]
    expected = folder / f"{assignment}.ipynb"
    if not expected.is_file():
        notebooks = sorted(p.name for p in entries if p.suffix == ".ipynb")
        if notebooks:
            return [f"wrongly named notebook: found {', '.join(notebooks)}; expected {expected.name} "
                    f"(rename it in {folder} and autograde this student again)"]
        names = ", ".join(sorted(p.name for p in entries)[:5])
        return [f"no notebook named {expected.name} in the submission (found: {names})"]
    size = expected.stat().st_size
    if size == 0:
        return [f"{expected.name} is an empty file"]
    if size > MAX_NOTEBOOK_MB * 1024 * 1024:
        return [f"{expected.name} is {size / 1e6:.0f} MB (limit {MAX_NOTEBOOK_MB} MB)"]
    raw = expected.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return [f"{expected.name} is not UTF-8 text: byte 0x{raw[err.start]:02x} at offset {err.start} "
                "(probably saved in another encoding by an editor)"]
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return [f"{expected.name} is not valid JSON (corrupted or truncated): {err.msg} at line "
                f"{err.lineno}, column {err.colno}"]
    try:
        nbformat.reads(text, as_version=4)
    except Exception as err:  # noqa: BLE001 - any reader failure means "not a notebook"
        return [f"{expected.name} is JSON but not a readable notebook: {type(err).__name__}: {err}"]
    return []


def _cells_by_id(nb) -> dict[str, object]:
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")}


def submission_warnings(course: "Course", assignment: str, student: str) -> list[str]:
    """Deleted, edited, added or renamed graded and read-only cells, compared with the source notebook."""
    sub_path = course.root / "submitted" / student / assignment / f"{assignment}.ipynb"
    try:
        sub = _cells_by_id(nbformat.read(sub_path, as_version=4))
        src_nb = nbformat.read(course.source_notebook(assignment), as_version=4)
    except Exception:  # noqa: BLE001
        return []
    out = []
    source_ids = set(_cells_by_id(src_nb))
    for gid in sub:
        if gid not in source_ids:
            out.append(f"cell {str(gid)[:60]!r} carries a grade id that the assignment does not have (a new or "
                       "renamed graded cell): it was run as an ordinary cell and scores nothing; the "
                       "assignment's own cells were put back")
    for gid, cell in _cells_by_id(src_nb).items():
        meta = cell.metadata["nbgrader"]
        if not (meta.get("locked") or meta.get("grade")) or meta.get("solution"):
            continue
        if gid not in sub:
            if meta.get("grade"):
                out.append(f"test cell {gid} had been deleted; nbgrader put the original back for grading")
            else:
                out.append(f"read-only cell {gid} had been deleted (nbgrader does not restore it; "
                           "items that depend on it may fail)")
        elif meta.get("locked") and not meta.get("grade") and sub[gid].source != cell.source:
            out.append(f"read-only cell {gid} had been edited; nbgrader restored the original")
        elif meta.get("grade") and sub[gid].source.split(f"### {HIDDEN_BEGIN}")[0].strip() != \
                cell.source.split(f"### {HIDDEN_BEGIN}")[0].strip():
            out.append(f"test cell {gid} had been edited; nbgrader restored the original")
    return out
