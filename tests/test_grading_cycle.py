"""Issue 6 §3: the whole cycle end to end, and parallel autograde = sequential `nbgrader autograde`."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from course.instructor import variants
from grading_support import SECRET, answer, cells, grading_env, make_course, run_cli, submit

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_end_to_end_cycle(tmp_path, monkeypatch):
    """generate → release → fetch/submit (3 students) → collect → autograde → manual grade → feedback → export."""
    A = "a05_scoring"
    monkeypatch.setenv("COURSE_GRADING_SECRET", SECRET)
    course = make_course(tmp_path)
    exchange = tmp_path / "exchange"
    # One OS user plays all three students here, so the exchange's owner check is off for the cycle; it
    # is shown refusing below, and with real system users in tests/test_hub.py.
    env = grading_env(COURSE_EXCHANGE=str(exchange), COURSE_STRICT_OWNER="0")
    run_cli(course, "generate", A, env=env)
    run_cli(course, "release", A, env=env)
    released = exchange / "spine-metastases" / "outbound" / A / f"{A}.ipynb"
    assert released.exists()
    key = next(c.source for c in nbformat.read(released, 4).cells if "RELEASE_KEY =" in c.source)
    assert variants.release_key(A, SECRET.encode()) in key and SECRET not in key

    src = course / "source" / A / f"{A}.ipynb"
    students = {"ana": set(), "ben": {"q1_answer", "q4_answer"}, "cat": {"q1_answer", "q2_answer", "q3_answer", "q4_answer"}}
    for sid, wrong in students.items():
        home = tmp_path / "home" / sid
        home.mkdir(parents=True)
        nbg = [sys.executable, "-m", "nbgrader"]
        common = [f"--Exchange.root={exchange}", "--CourseDirectory.course_id=spine-metastases",
                  "--Exchange.path_includes_course=True"]
        subprocess.run([*nbg, "fetch_assignment", A, *common], cwd=home, env=env, check=True, capture_output=True)
        mine = home / "spine-metastases" / A / f"{A}.ipynb"   # Exchange.path_includes_course
        nb = answer(mine, src, wrong=wrong)
        if sid == "ben":   # computes the case by hand from the patient shown in *his* notebook
            rk = key.split('"')[1]
            spec = json.loads(cells(nbformat.read(src, 4))["q6_case"].source.split(" = ", 1)[1].split("\n")[0])
            p = variants.draw(spec, key=rk, assignment=A, template="sins_lesion", student=sid)
            from course import calculators
            total = calculators.sins(level=p.level, pain=p.pain, bone_lesion=p.bone_lesion, alignment=p.alignment,
                                     collapse=p.collapse, posterolateral=p.posterolateral).total
            cells(nb)["q6_answer"].source = f"answer_q6 = {total}"
        if sid == "cat":   # a neighbour's number for the case item: wrong for cat
            cells(nb)["q6_answer"].source = "answer_q6 = -1"
        nbformat.write(nb, mine)
        subprocess.run([*nbg, "submit", A, f"--student={sid}", *common], cwd=home, env=env, check=True,
                       capture_output=True)
    # With the owner check on, every folder here belongs to this one OS user, not to the student it
    # names: collect refuses them all, says so, and collects nothing.
    strict = run_cli(course, "collect", A, env={**env, "COURSE_STRICT_OWNER": "1"})
    assert strict.stdout.count("Refused") == len(students), strict.stdout
    assert not (course / "submitted").exists() or not any((course / "submitted").iterdir())
    run_cli(course, "collect", A, env=env)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(students)
    run_cli(course, "autograde", A, "--workers", "2", "--quiet", env=env)

    from nbgrader.api import Gradebook
    with Gradebook("sqlite:///" + str(course / "gradebook.db"), "spine-metastases") as gb:
        g = gb.find_grade("q7_written", A, A, "ana")
        g.manual_score = 3
        gb.db.commit()
    run_cli(course, "feedback", A, env=env)
    assert (course / "feedback" / "ana" / A / f"{A}.html").exists()
    run_cli(course, "export", env=env)
    with open(course / "reports" / "grades.csv", newline="") as fh:
        got = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(fh) if r["assignment"] == A}
    # autograded max 12 (1+1+2+2+3+3); written 4 by hand
    assert got == {"ana": 12 + 3, "ben": 12 - 1 - 2, "cat": 12 - 1 - 1 - 2 - 2 - 3}
    run_cli(course, "report", A, env=env)
    items = (course / "reports" / A / "item-analysis" / "items.csv").read_text()
    assert "q6_test" in items and (course / "reports" / A / "item-analysis" / "histogram.png").exists()


def test_parallel_gives_exactly_the_sequential_nbgrader_scores(tmp_path, monkeypatch):
    """Same batch, same scores. (Speed is measured by benchmarks/autograde.py, not asserted here.)"""
    A = "a02_spread"
    monkeypatch.setenv("COURSE_GRADING_SECRET", SECRET)
    course = make_course(tmp_path / "par")
    env = grading_env()
    run_cli(course, "generate", A, env=env)
    rel = course / "release" / A / f"{A}.ipynb"
    src = course / "source" / A / f"{A}.ipynb"
    pattern = ["q1_answer", "q3_answer", "q4_answer", "q5_answer", "q6_answer"]
    for i in range(8):
        submit(course, f"st{i:02d}", A, answer(rel, src, wrong=set(pattern[: i % 6])))
    seq = tmp_path / "seq" / "grading"
    shutil.copytree(course, seq)

    from course.instructor.parallel import Course, scores
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", A, "--force"], cwd=seq,
                   env=Course(seq).env() | env, check=True, capture_output=True)
    run_cli(course, "autograde", A, "--workers", "2", "--quiet", env=env)
    par, ref = scores(Course(course), A), scores(Course(seq), A)
    assert par == ref and len(par) == 8
    assert len(set(par.values())) > 3          # a spread of scores, not all equal
