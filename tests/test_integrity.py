"""The batch integrity check (course/instructor/integrity.py): what one student's grading may not touch.

A small gradebook with nbgrader's table names is built by hand; each test changes one thing a
hostile kernel could try to change and expects it reported. (The hostile battery in
tests/test_grading_hostile.py runs it on real batches and expects no problem there.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from course.instructor.integrity import Integrity, gradebook_digest

STUDENTS = ("ana", "ben", "cy")


def make_course(root: Path) -> Path:
    (root / "source" / "a1").mkdir(parents=True)
    (root / "source" / "a1" / "a1.ipynb").write_text("{}")
    for s in STUDENTS:
        (root / "submitted" / s / "a1").mkdir(parents=True)
        (root / "submitted" / s / "a1" / "a1.ipynb").write_text("{}")
    db = sqlite3.connect(root / "gradebook.db")
    db.executescript("""
        create table course (id text primary key);
        create table assignment (id text primary key, name text);
        create table grade_cells (id text primary key, max_score real);
        create table student (id text primary key, first_name text);
        create table submitted_assignment (id text primary key, student_id text, assignment_id text);
        create table submitted_notebook (id text primary key, assignment_id text);
        create table grade (id text primary key, notebook_id text, auto_score real, manual_score real);
        create table comment (id text primary key, notebook_id text, auto_comment text);
        insert into course values ('course101');
        insert into assignment values ('A1', 'a1');
        insert into grade_cells values ('q1', 2.0);
    """)
    for s in STUDENTS:
        db.execute("insert into student values (?, ?)", (s, s.title()))
        db.execute("insert into submitted_assignment values (?, ?, 'A1')", (f"sa-{s}", s))
        db.execute("insert into submitted_notebook values (?, ?)", (f"nb-{s}", f"sa-{s}"))
        db.execute("insert into grade values (?, ?, 1.0, null)", (f"g-{s}", f"nb-{s}"))
        db.execute("insert into comment values (?, ?, '')", (f"c-{s}", f"nb-{s}"))
    db.commit()
    db.close()
    return root


def execute(root: Path, sql: str, *args) -> None:
    db = sqlite3.connect(root / "gradebook.db")
    db.execute(sql, args)
    db.commit()
    db.close()


def test_a_quiet_batch_has_no_problem(tmp_path):
    root = make_course(tmp_path)
    check = Integrity(root, ["ana", "ben"])
    execute(root, "update grade set auto_score = 2.0 where id = 'g-ana'")  # ana's own grading
    assert check.student_done("ana") == []
    assert check.check() == []


@pytest.mark.parametrize("sql, expected", [
    ("update grade set auto_score = 2.0 where id = 'g-ana'", "rows of student ana changed"),   # finished student
    ("update grade set manual_score = 5 where id = 'g-cy'", "rows of student cy changed"),     # not in the batch
    ("update comment set auto_comment = 'x' where id = 'c-cy'", "rows of student cy changed"),
    ("update student set first_name = 'Eve' where id = 'cy'", "rows of student cy changed"),
    ("update grade_cells set max_score = 0", "master copy"),
    ("insert into assignment values ('A2', 'a2')", "master copy"),
])
def test_a_change_to_another_students_rows_or_the_master_copy_is_reported(tmp_path, sql, expected):
    root = make_course(tmp_path)
    check = Integrity(root, ["ana", "ben"])
    assert check.student_done("ana") == []
    execute(root, sql)                                      # while ben is being graded
    problems = check.student_done("ben")
    assert any(expected in p for p in problems), problems


def test_files_outside_the_batchs_outputs_are_watched(tmp_path):
    root = make_course(tmp_path)
    check = Integrity(root, ["ana"])
    (root / "autograded" / "ana" / "a1").mkdir(parents=True)
    (root / "autograded" / "ana" / "a1" / "a1.ipynb").write_text("{}")   # ana's own output: allowed
    assert check.check() == []
    (root / "source" / "a1" / "a1.ipynb").write_text('{"tampered": 1}')
    (root / "submitted" / "cy" / "a1" / "extra.py").write_text("")
    (root / "submitted" / "ben" / "a1" / "a1.ipynb").unlink()
    problems = "\n".join(check.check())
    assert "file changed during grading: source/a1/a1.ipynb" in problems
    assert "file created during grading: submitted/cy/a1/extra.py" in problems
    assert "file removed during grading: submitted/ben/a1/a1.ipynb" in problems


def test_digest_costs_a_fixed_number_of_queries(tmp_path):
    """One query per table whatever the class size (it runs after every student of a batch)."""
    root = make_course(tmp_path)
    db = sqlite3.connect(root / "gradebook.db")
    for i in range(300):
        s = f"s{i:03d}"
        db.execute("insert into student values (?, ?)", (s, s))
        db.execute("insert into submitted_assignment values (?, ?, 'A1')", (f"sa-{s}", s))
    db.commit()
    db.close()
    calls = []
    real_connect = sqlite3.connect

    class Counting:
        def __init__(self, *a, **k):
            self._db = real_connect(*a, **k)

        def execute(self, *a):
            calls.append(a[0])
            return self._db.execute(*a)

        def close(self):
            self._db.close()

    sqlite3.connect = Counting  # type: ignore[assignment]
    try:
        _, students = gradebook_digest(root / "gradebook.db")
    finally:
        sqlite3.connect = real_connect  # type: ignore[assignment]
    assert len(students) == 303
    assert len(calls) < 20, len(calls)
