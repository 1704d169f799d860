"""Issue 14 §6: interpreter tricks gain nothing, because nothing in the kernel decides a grade.

One batch of a06_treatment (a code item with a function, a per-student case item): an honest
student, a student with wrong answers, and one student per trick — each trick added to the same
wrong answers. Each trick targets the old design, where the hidden tests ran in the student's
kernel (issue 14: such tricks gave up to full marks); graded by the trusted grader, each scores
exactly what the wrong answers alone score (0).
(The sandbox battery, ``tests/test_grading_hostile.py``, covers harm to others.)
"""

from __future__ import annotations

import json

import pytest

from grading_support import answer, cells, grading_env, make_course, run_cli, submit

A = "a06_treatment"
FULL = 12.0
WRONG = {  # well-formed, all wrong
    "q1_answer": 'answer_q1 = "A"', "q2_answer": 'answer_q2 = "A"', "q3_answer": 'answer_q3 = {"C"}',
    "q4_answer": "answer_q4 = 1.0", "q5_answer": "def eqd2(D, n, ab):\n    return 0.0",
    "q6_answer": "answer_q6 = -1.0",
}

TRICKS = {
    # builtins: every comparison the old hidden tests made passes
    "builtins": """
import builtins
builtins.abs = lambda x: 0
builtins.all = lambda x: True
class _Yes(str):
    def __eq__(self, other): return True
    def __hash__(self): return 0
    def strip(self): return self
    def upper(self): return self
answer_q1 = _Yes("A")
""",
    # an AST transformer that deletes every assert statement from the cells that follow
    "ast_transformer": """
import ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
get_ipython().ast_transformers.append(_NoAsserts())
""",
    # IPython hooks: hide every error and forge a full-marks result in every later cell
    "ipython_hooks": """
ip = get_ipython()
ip.showtraceback = lambda *a, **k: None
ip.showsyntaxerror = lambda *a, **k: None
_run = ip.run_cell
def _forged(raw_cell, *a, **k):
    return _run("try:\\n" + "\\n".join("    " + line for line in raw_cell.splitlines() or ["pass"])
                + "\\nexcept BaseException:\\n    pass\\n3", *a, **k)
ip.run_cell = _forged
""",
    # a hook that reads each cell's source before it runs and copies any answer key it finds
    "cell_reader": """
import re
def _steal(info):
    src = info.raw_cell
    for m in re.finditer(r'(answer_q\\d+)\\.strip\\(\\)\\.upper\\(\\) == "(\\w)"', src):
        globals()[m.group(1)] = m.group(2)
    for m in re.finditer(r'"names": \\["(answer_q\\d+)"\\].*?"answer": "(\\w)"', src):
        globals()[m.group(1)] = m.group(2)
get_ipython().events.register("pre_run_cell", _steal)
""",
    # monkeypatched course and grading helpers
    "patched_helpers": """
from course.instructor import variants, answers, plaindata
variants.grading_case = lambda *a, **k: variants.Patient(schedule=[8, 1], alpha_beta=10)
variants.release_key = lambda *a, **k: "00" * 32
_check = answers.check
def _lenient(item, namespace, names, **form):
    try:
        _check(item, namespace, names, **form)
    except AssertionError:
        pass
answers.check = _lenient
plaindata.encode = lambda value, depth=0: {"$callable": True}
""",
    # spoofed environment: a secret the student knows, another student's id, not autograding
    "spoofed_env": """
import os
os.environ["COURSE_GRADING_SECRET"] = "a secret the student chose"
os.environ["JUPYTERHUB_USER"] = "honest"
os.environ["COURSE_STUDENT_ID"] = "honest"
os.environ["NBGRADER_EXECUTION"] = ""
os.makedirs("/tmp/trusted-spoof/honest/a06_treatment", exist_ok=True)
os.chdir("/tmp/trusted-spoof/honest/a06_treatment")
""",
}
# the function of the code item also tries its tricks where it runs (the fresh sandbox)
SANDBOX_TRICK = """
import builtins
builtins.abs = lambda x: 0
def eqd2(D, n, ab):
    return 0.0
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("trusted-hostile")
    course = make_course(tmp)
    env = grading_env()
    run_cli(course, "generate", A, env=env)
    rel = course / "release" / A / f"{A}.ipynb"
    src = course / "source" / A / f"{A}.ipynb"
    expected = {"honest": FULL, "wrong": 0.0}
    submit(course, "honest", A, answer(rel, src))
    submit(course, "wrong", A, answer(rel, src, answers=WRONG))
    for name, trick in TRICKS.items():
        nb = answer(rel, src, answers=WRONG)
        cells(nb)["q1_answer"].source = trick.strip() + "\n" + (
            "" if name == "builtins" else WRONG["q1_answer"])
        cells(nb)["q5_answer"].source = SANDBOX_TRICK.strip()
        submit(course, name, A, nb)
        expected[name] = 0.0
    run_cli(course, "autograde", A, "--workers", "2", "--quiet", "--timeout", "10", env=env)
    report = json.loads((course / "reports" / A / "autograde-report.json").read_text())
    return course, expected, {s["student"]: s for s in report["students"]}


pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_each_trick_gains_nothing_and_honest_scores_are_exact(graded):
    course, expected, outcomes = graded
    assert {s: outcomes[s]["score"] for s in expected} == expected
    assert \
        {outcomes[s]["status"] for s in expected} <= {"graded", "graded_with_warnings"}, outcomes


@pytest.mark.parametrize("student", sorted(TRICKS))
def test_trick_gets_no_item(graded, student):
    from nbgrader.api import Gradebook

    course, *_ = graded
    with Gradebook("sqlite:///" + str(course / "gradebook.db"), "spine-metastases") as gb:
        sub = gb.find_submission(A, student)
        earned = {g.name: g.auto_score for nb in sub.notebooks for g in nb.grades if g.auto_score}
    assert earned == {}


def test_no_item_spec_or_key_reaches_the_autograded_notebooks(graded):
    course, expected, _ = graded
    for student in expected:
        text = (course / "autograded" / student / A / f"{A}.ipynb").read_text()
        assert "course-item" not in text and '"answer":' not in text
