"""Only the trusted side may change the course folder and the gradebook: check that it did.

Student code runs in a sandbox that cannot see the course folder, so nothing should ever change
there except what the grader writes for the student being graded. This is the check that makes
that claim testable. :class:`Integrity` takes a snapshot at the start of a batch; after each
student it compares

* every file of the course folder except the grader's own outputs (``autograded/<student>/`` of
  the students in this batch, ``feedback/``, ``reports/``, the gradebook, nbgrader's log, the
  exchange) — size,
  mode, mtime and ctime (which no user-space call can set back);
* the gradebook's master copy (assignments, notebooks, source and grade cells, students) and the
  rows of every student *not* being graded in this batch, and of every student of the batch
  already finished (whose rows are frozen when they finish);

and returns a list of differences, each a sentence for the report.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

MASTER_TABLES = ("course", "assignment", "notebook", "base_cell", "source_cell", "grade_cells",
                 "solution_cells", "task_cells")
_SKIP_TOP = {"feedback", "reports", "exchange", ".ipynb_checkpoints"}


def file_snapshot(root: Path, skip_students: Iterable[str] = ()) -> dict[str, tuple[int, int, int, int]]:
    """``{relative path: (size, mode, mtime_ns, ctime_ns)}`` of the course folder, outputs excepted."""
    root = Path(root)
    skip = set(skip_students)
    snap: dict[str, tuple[int, int, int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        parts = rel.parts
        if parts and (parts[0] in _SKIP_TOP or (parts[0] == "autograded" and len(parts) >= 2 and parts[1] in skip)):
            dirnames[:] = []
            continue
        if parts[:1] == ("autograded",) and len(parts) == 1:
            dirnames[:] = [d for d in dirnames if d not in skip]
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if not parts and (name.startswith("gradebook.db") or name == ".nbgrader.log"):
                continue
            p = Path(dirpath) / name
            try:
                st = p.lstat()
            except OSError:
                continue
            snap[str(p.relative_to(root))] = (st.st_size, st.st_mode, st.st_mtime_ns, st.st_ctime_ns)
    return snap


def _rows(db: sqlite3.Connection, sql: str, args: tuple = ()) -> str:
    h = hashlib.sha256()
    for row in db.execute(sql, args):
        h.update(repr(row).encode())
    return h.hexdigest()


#: Each student's rows, table by table: one query per table over the whole gradebook (ordered by
#: student, then row id), so a digest costs a few queries whatever the size of the class.
_STUDENT_ROWS = (
    "select s.id, s.* from student s order by s.id",
    "select a.student_id, a.* from submitted_assignment a order by a.student_id, a.id",
    "select a.student_id, n.* from submitted_notebook n join submitted_assignment a on n.assignment_id=a.id "
    "order by a.student_id, n.id",
    "select a.student_id, g.* from grade g join submitted_notebook n on g.notebook_id=n.id join "
    "submitted_assignment a on n.assignment_id=a.id order by a.student_id, g.id",
    "select a.student_id, c.* from comment c join submitted_notebook n on c.notebook_id=n.id join "
    "submitted_assignment a on n.assignment_id=a.id order by a.student_id, c.id",
)


def gradebook_digest(db_path: Path) -> tuple[str, dict[str, str]]:
    """(digest of the master copy, ``{student: digest of that student's rows}``)."""
    if not Path(db_path).exists():
        return "", {}
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=60)
    try:
        names = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
        master = hashlib.sha256()
        for table in MASTER_TABLES:
            if table in names:
                master.update(table.encode() + _rows(db, f"select * from {table} order by 1").encode())
        students: dict[str, str] = {}
        if {"student", "submitted_assignment", "submitted_notebook", "grade", "comment"} <= names:
            parts: dict[str, list] = {}
            for i, sql in enumerate(_STUDENT_ROWS):
                for row in db.execute(sql):
                    hashes = parts.setdefault(row[0], [hashlib.sha256() for _ in _STUDENT_ROWS])
                    hashes[i].update(repr(row[1:]).encode())
            for sid, hashes in parts.items():
                students[sid] = hashlib.sha256("".join(h.hexdigest() for h in hashes).encode()).hexdigest()
        return master.hexdigest(), students
    finally:
        db.close()


class Integrity:
    """Before/after checks of one batch (see the module docstring)."""

    def __init__(self, root: Path, batch: Iterable[str]) -> None:
        self.root = Path(root)
        self.batch = set(batch)
        self.files = file_snapshot(self.root, self.batch)
        self.master, students = gradebook_digest(self.root / "gradebook.db")
        self.frozen = {s: d for s, d in students.items() if s not in self.batch}

    def student_done(self, student: str) -> list[str]:
        """Check after ``student`` finished; freeze their rows. Returns the differences found."""
        problems, students = self._check()
        if student in students:
            self.frozen[student] = students[student]
        return problems

    def check(self) -> list[str]:
        """The differences since the batch started (files, master copy, finished students' rows)."""
        return self._check()[0]

    def _check(self) -> tuple[list[str], dict[str, str]]:
        problems: list[str] = []
        now = file_snapshot(self.root, self.batch)
        for path in sorted(set(self.files) | set(now)):
            if path not in now:
                problems.append(f"file removed during grading: {path}")
            elif path not in self.files:
                problems.append(f"file created during grading: {path}")
            elif now[path] != self.files[path]:
                problems.append(f"file changed during grading: {path}")
        master, students = gradebook_digest(self.root / "gradebook.db")
        if master != self.master:
            problems.append("the gradebook's master copy (assignments, source or grade cells, students) changed")
        for sid, digest in sorted(self.frozen.items()):
            if students.get(sid) != digest:
                problems.append(f"gradebook rows of student {sid} changed while another student was graded")
        return problems, students
