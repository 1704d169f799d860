"""Issue 6 §4: a hostile batch finishes, every other score is exact, the gradebook holds everyone."""

from __future__ import annotations

import csv
import json
import os

import nbformat
import pytest

from grading_support import SECRET, answer, cells, grading_env, make_course, run_cli, submit

A = "a01_anatomy"
GOOD = 12.0          # every autograded item right (the written item is graded by hand)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def _with(nb, gid: str, source: str):
    cells(nb)[gid].source = source
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    os.environ["COURSE_GRADING_SECRET"] = SECRET
    tmp = tmp_path_factory.mktemp("hostile")
    course = make_course(tmp)
    env = grading_env()
    run_cli(course, "generate", A, env=env)
    rel = course / "release" / A / f"{A}.ipynb"
    src = course / "source" / A / f"{A}.ipynb"
    good = lambda: answer(rel, src)  # noqa: E731

    expected = {}
    submit(course, "good", A, good()); expected["good"] = GOOD
    submit(course, "partial", A, answer(rel, src, wrong={"q1_answer", "q3_answer"})); expected["partial"] = GOOD - 3
    submit(course, "loop", A, _with(good(), "q1_answer", "while True:\n    pass")); expected["loop"] = GOOD - 1
    submit(course, "exception", A, _with(good(), "q5_answer", "raise RuntimeError('boom')")); expected["exception"] = GOOD - 3
    submit(course, "syntax", A, _with(good(), "q4_answer", "answer_q4 = (4")); expected["syntax"] = GOOD - 2
    nb = good()
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in {"q1_test", "q6_case", "header"}]
    submit(course, "deleted", A, nb); expected["deleted"] = GOOD - 3          # q6 needs the deleted case cell
    nb = answer(rel, src, wrong={"q2_answer"})
    _with(nb, "q2_test", "pass")
    _with(nb, "setup_student", "STUDENT_ID = 'someone-else'")
    submit(course, "edited", A, nb); expected["edited"] = GOOD - 1            # originals restored
    submit(course, "sysexit", A, _with(good(), "q1_answer", "import sys\nsys.exit(0)")); expected["sysexit"] = GOOD - 1
    submit(course, "osexit", A, _with(good(), "q2_answer", "import os\nos._exit(3)")); expected["osexit"] = 0.0
    submit(course, "crash", A, _with(good(), "q2_answer", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")); expected["crash"] = 0.0
    submit(course, "bigprint", A, _with(good(), "q1_answer", 'print("x" * 10_000_000)\nanswer_q1 = "C"')); expected["bigprint"] = GOOD
    submit(course, "memhog", A, _with(good(), "q1_answer", 'x = bytearray(8 * 1024**3)\nanswer_q1 = "C"')); expected["memhog"] = GOOD - 1
    submit(course, "outside", A, _with(good(), "q1_answer",
                                        'open("../../../escaped.txt", "w").write("x")\nanswer_q1 = "C"'))
    expected["outside"] = GOOD          # the write lands in the sandbox's own tmpfs, nowhere else
    raw = nbformat.writes(good()).encode()
    submit(course, "corrupted", A, raw=raw[: len(raw) // 2]); expected["corrupted"] = 0.0
    submit(course, "misnamed", A, good(), name="Untitled.ipynb"); expected["misnamed"] = 0.0
    (course / "submitted" / "empty" / A).mkdir(parents=True); expected["empty"] = 0.0
    submit(course, "latin1", A, raw=raw.replace(b"Question 1", b"Questi\xe9n 1")); expected["latin1"] = 0.0

    proc = run_cli(course, "autograde", A, "--timeout", "5", "--student-timeout", "120", "--workers", "2",
                   "--memory-mb", "3072", env=env)
    report = json.loads((course / "reports" / A / "autograde-report.json").read_text())
    return course, expected, {s["student"]: s for s in report["students"]}, report, proc


def test_batch_finishes_and_scores_are_exact(graded):
    course, expected, outcomes, _, proc = graded
    assert set(outcomes) == set(expected), proc.stdout
    got = {s: outcomes[s]["score"] for s in expected}
    assert got == expected, proc.stdout


def test_every_student_is_in_the_gradebook(graded):
    from nbgrader.api import Gradebook

    course, expected, *_ = graded
    with Gradebook("sqlite:///" + str(course / "gradebook.db"), "spine-metastases") as gb:
        subs = {s.student.id: s.score for s in gb.assignment_submissions(A)}
    assert subs == expected


@pytest.mark.parametrize("student, status, words", [
    ("loop", "graded_with_warnings", "timed out"),
    ("exception", "graded", ""),
    ("deleted", "graded_with_warnings", "q1_test had been deleted"),
    ("edited", "graded_with_warnings", "q2_test had been edited"),
    ("sysexit", "graded_with_warnings", "sys.exit"),
    ("osexit", "failed", "kernel died"),
    ("crash", "failed", "kernel died"),
    ("bigprint", "graded_with_warnings", "truncated"),
    ("memhog", "graded_with_warnings", "out of memory"),
    ("corrupted", "rejected", "not valid JSON"),
    ("misnamed", "rejected", "wrongly named notebook: found Untitled.ipynb"),
    ("empty", "rejected", "empty submission folder"),
    ("latin1", "rejected", "not UTF-8"),
])
def test_each_hostile_submission_has_a_clear_reason(graded, student, status, words):
    outcome = graded[2][student]
    assert outcome["status"] == status, outcome
    assert words in " | ".join(outcome["reasons"]), outcome


def test_nothing_was_written_outside_the_submission(graded):
    course, _, outcomes, report, _ = graded
    assert not (course.parent / "escaped.txt").exists()
    assert not list(course.parent.parent.glob("escaped.txt"))
    assert report["files_changed_outside_submissions"] == []


def test_big_output_is_capped_and_feedback_and_export_work(graded):
    course, expected, *_ = graded
    env = grading_env()
    assert (course / "autograded" / "bigprint" / A / f"{A}.ipynb").stat().st_size < 1_000_000
    run_cli(course, "feedback", A, env=env)
    html = course / "feedback" / "bigprint" / A / f"{A}.html"
    assert html.exists() and html.stat().st_size < 2_000_000
    run_cli(course, "export", env=env)
    with open(course / "reports" / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(fh) if r["assignment"] == A}
    assert rows == expected
