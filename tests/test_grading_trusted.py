"""Issue 14: grading outside the student's kernel — values out, checks in the trusted grader.

Fast tests first (plain data, scoring rules, item specs, the code sandbox client); then the score
fixture: a frozen copy of a05/a06 and of an honest batch, graded by the trusted grader, gives
exactly the scores the old in-kernel nbgrader tests gave (``tests/data/trusted_fixture``).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from course.instructor import answers, coderun, plaindata, scoring, trusted
from grading_support import GRADING, grading_env, run_cli, submit

FIXTURE = Path(__file__).resolve().parent / "data" / "trusted_fixture"


def _nbbuild():
    sys.path.insert(0, str(GRADING / "tools"))
    import nbbuild
    return nbbuild


# ------------------------------------------------------------------------------ plain data
@pytest.mark.parametrize("value", [None, True, 3, -2.5, "C", [1, "a"], ("a", 1), {"A", "C"}, frozenset({1}),
                                   {"x": [1, 2], 3: (4,)}, float("inf"), [[[]]]])
def test_plain_data_round_trip(value):
    back = plaindata.loads(plaindata.dumps({"v": value}))["v"]
    assert back == value and type(back) is type(value if not isinstance(value, frozenset) else set())


def test_plain_data_rejects_objects_and_tricks():
    class Sly(str):
        def __eq__(self, other):
            return True
    rec = plaindata.loads(plaindata.dumps({"a": Sly("Z"), "b": object(), "f": len, "g": lambda: 1}))
    assert type(rec["a"]) is str and rec["a"] != "C"
    assert isinstance(rec["b"], plaindata.Opaque) and rec["b"] != rec["b"]
    assert isinstance(rec["g"], plaindata.Callable)
    for bad in ('{"a": {"$eval": "1"}}', '[1]', '{"a": {"$dict": [[1]]}}', "x" * (plaindata.MAX_BYTES + 1)):
        with pytest.raises(ValueError):
            plaindata.loads(bad)
    import numpy as np
    rec = plaindata.loads(plaindata.dumps({"n": np.float64(1.5), "i": np.int64(3), "a": np.arange(3)}))
    assert rec == {"n": 1.5, "i": 3, "a": [0, 1, 2]} and type(rec["i"]) is int


def test_check_records_values_and_explains_the_form(capsys):
    answers.check("q1", {"answer_q1": "c"}, ["answer_q1"], form="letter", letters="ABCD")
    with pytest.raises(AssertionError, match="one letter"):
        answers.check("q1", {"answer_q1": "E"}, ["answer_q1"], form="letter", letters="ABCD")
    with pytest.raises(AssertionError, match="not defined"):
        answers.check("q2", {}, ["answer_q2"], form="number")
    with pytest.raises(AssertionError, match="-2 to 2"):
        answers.check("q3", {"answer_q3a": 3}, ["answer_q3a"], form="likert")


# ------------------------------------------------------------------------------ scoring rules
def _spec(kind, **kw):
    return {"id": "q1", "kind": kind, "points": kw.pop("points", 2), "names": kw.pop("names", ["answer_q1"]), **kw}


def _score(spec, **values):
    return scoring.score(spec, values, student="ana", release_key=lambda a: "00" * 32,
                         proxy=lambda name: (lambda *a: None)).score


def test_single_multiple_numeric_rules_match_the_old_hidden_tests():
    single = _spec("single", letters="ABCD", answer="B", points=1)
    assert [_score(single, answer_q1=v) for v in ("B", " b ", "C", "BB", 2, "")] == [1, 1, 0, 0, 0, 0]
    assert _score(single) == 0
    multi = _spec("multiple", letters="ABCDE", answer="AC")
    got = [_score(multi, answer_q1=v) for v in ({"A", "C"}, ["a", "c"], "CA", ("A", "C", "C"), {"A"},
                                                 {"A", "C", "E"}, {"A", "Z"}, 3, set())]
    assert got == [2, 2, 2, 2, 0, 0, 0, 0, 0]
    num = _spec("numeric", answer=44.0, tolerance=0.05)
    got = [_score(num, answer_q1=v) for v in (44, 44.04, "44", 44.1, True, "x", float("nan"), None)]
    assert got == [2, 2, 2, 0, 0, 0, 0, 0]


def test_case_expected_value_comes_from_the_secret_and_the_student():
    from course.instructor import variants
    spec = _spec("case", assignment="a06_treatment", template="t", spec={"d": {"low": 1, "high": 50}},
                 expected="_p.d * 2", tolerance=0, points=3)
    key = variants.release_key("a06_treatment", b"s")
    mine = variants.draw(spec["spec"], key=key, assignment="a06_treatment", template="t", student="ana").d
    ok = scoring.score_case(spec, {"answer_q1": mine * 2}, student="ana", release_key=key)
    other = scoring.score_case(spec, {"answer_q1": mine * 2}, student="ben", release_key=key)
    assert ok.score == 3 and (other.score == 0 or mine == variants.draw(
        spec["spec"], key=key, assignment="a06_treatment", template="t", student="ben").d)


def test_key_feature_partial_credit_and_the_choice_limit():
    spec = _spec("key_feature", points=2, names=["answer_q1a", "answer_q1b"], features=[
        {"name": "answer_q1a", "letters": "ABCD", "answer": "B", "multiple": False, "max_choices": 1},
        {"name": "answer_q1b", "letters": "ABCDEF", "answer": "ACE", "multiple": True, "max_choices": 3}])
    assert _score(spec, answer_q1a="B", answer_q1b={"A", "C", "E"}) == 2
    assert _score(spec, answer_q1a="B", answer_q1b={"A", "C"}) == pytest.approx(1 + 2 / 3, abs=1e-5)
    assert _score(spec, answer_q1a="D", answer_q1b={"A", "B", "F"}) == pytest.approx(1 / 3, abs=1e-5)
    assert _score(spec, answer_q1a="B", answer_q1b={"A", "C", "E", "F"}) == 1      # over the limit
    assert _score(spec) == 0


def test_script_concordance_aggregate_scoring():
    spec = _spec("script_concordance", points=2, names=["answer_q1a", "answer_q1b"], judgements=[
        {"name": "answer_q1a", "panel": {"-2": 0, "-1": 0, "0": 2, "1": 8, "2": 4}},
        {"name": "answer_q1b", "panel": {"-2": 5, "-1": 5, "0": 0, "1": 0, "2": 0}}])
    assert _score(spec, answer_q1a=1, answer_q1b=-2) == 2
    assert _score(spec, answer_q1a=2, answer_q1b=-1) == pytest.approx(0.5 + 1)
    assert _score(spec, answer_q1a=-2, answer_q1b=0) == 0
    assert _score(spec, answer_q1a=True, answer_q1b=7) == 0


def test_builder_declares_items_as_data_and_keeps_them_out_of_the_visible_cell():
    nbbuild = _nbbuild()
    a = nbbuild.Assignment("a99_demo", "Demo", {"O1": "x"}, minutes=5)
    a.header()
    a.single("Pick", ["x", "y", "z"], "B", objective="O1")
    a.key_feature("A patient …", [{"prompt": "First step?", "options": ["a", "b", "c"], "answer": "C"},
                                  {"prompt": "Tests?", "options": ["a", "b", "c", "d"], "answer": {"A", "D"},
                                   "max_choices": 2}], objective="O1")
    a.script_concordance("A patient …", [{"hypothesis": "MSCC", "new_information": "a sensory level",
                                          "panel": {1: 3, 2: 9}}], objective="O1")
    a.code("Write f", "def f(x):\n    return x", "assert f(1) == 1", "assert f(2) == 2\n_y = helper_value",
           objective="O1")
    a.written("Explain", "model", [(2, "a"), (1, "b")], objective="O1")
    kinds = [(i.kind, i.points) for i in a.items]
    assert kinds == [("single", 1), ("key_feature", 2.0), ("script_concordance", 1.0), ("code", 3), ("written", 3)]
    assert a.items[3].spec["names"] == ["f", "helper_value"]
    tests = [c for c in a.notebook().cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    for cell, item in zip(tests, a.items):
        visible, spec = trusted.split_test_source(cell.source)
        assert spec == json.loads(json.dumps(item.spec)) and "course-item" not in visible
        assert visible.startswith("answers.check(")
    assert a.items[2].spec["judgements"][0]["panel"] == {"1": 3, "2": 9}


# ------------------------------------------------------------------------------ code sandbox client
def test_runner_returns_plain_values_and_exception_names():
    cells = ["import math\ndef f(x):\n    if x < 0:\n        raise ValueError('neg')\n    return math.sqrt(x)",
             "def g():\n    return object()", "print('noise')\ndef loop():\n    while True: pass",
             "def die():\n    import os; os._exit(1)", "this is not python"]
    with coderun.Runner(cells, coderun.plain_launcher, call_timeout=3) as r:
        assert r.failed_cells == [4]
        assert r.call("f", (4,), {}) == 2.0
        with pytest.raises(ValueError):
            r.call("f", (-1,), {})
        assert isinstance(r.call("g", (), {}), plaindata.Opaque)
        with pytest.raises(KeyError):
            r.call("nope", (), {})
        with pytest.raises(coderun.SandboxFailure, match="no reply"):
            r.call("loop", (), {})
    with coderun.Runner(cells[3:4], coderun.plain_launcher) as r:
        with pytest.raises(coderun.SandboxFailure):
            r.call("die", (), {})


# ------------------------------------------------------------------------------ the score fixture
def _frozen_course(tmp: Path) -> Path:
    """A course whose a05/a06 are built from the frozen items with today's builder."""
    course = tmp / "grading"
    (course / "source").mkdir(parents=True)
    shutil.copy(GRADING / "nbgrader_config.py", course)
    _nbbuild()
    spec = importlib.util.spec_from_file_location("frozen_items", FIXTURE / "frozen_items.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for build in mod.BUILDERS.values():
        build().write(course)
    shutil.rmtree(course / "rubrics")
    return course


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_frozen_batch_scores_equal_the_old_nbgrader_scores(tmp_path):
    sys.path.insert(0, str(FIXTURE))
    from record_scores import fill
    batch = json.loads((FIXTURE / "batch.json").read_text())
    expected = json.loads((FIXTURE / "scores.json").read_text())
    course = _frozen_course(tmp_path)
    env = grading_env()
    for a, students in batch.items():
        run_cli(course, "generate", a, env=env)
        for student, answers_ in students.items():
            submit(course, student, a, fill(course / "release" / a / f"{a}.ipynb", answers_))
        run_cli(course, "autograde", a, "--workers", "2", "--quiet", "--students", ",".join(students), env=env)
    from course.instructor.parallel import Course, scores
    got = {a: {s: v[0] for s, v in sorted(scores(Course(course), a).items())} for a in batch}
    assert got == expected
    # nothing of the item specs reached the autograded notebooks (or the feedback built from them)
    for nb_path in (course / "autograded").rglob("*.ipynb"):
        assert "course-item" not in nb_path.read_text()


# ------------------------------------------------------------------------------ private item bank
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_private_item_bank_replaces_the_public_items(tmp_path):
    """COURSE_ITEM_BANK points every command at a private source folder outside the repository."""
    nbbuild = _nbbuild()
    bank = tmp_path / "private-bank"
    a = nbbuild.Assignment("a01_anatomy", "Private", {"O1": "x"}, minutes=5)
    a.header()
    a.single("Private question", ["w", "x", "y", "z"], "D", objective="O1")
    a.numeric("Private number", 3.1729, 0.001, objective="O1")
    a.write(bank)
    from grading_support import answer, make_course
    course = make_course(tmp_path)                  # holds the public a01 as well
    env = grading_env(COURSE_ITEM_BANK=str(bank))
    run_cli(course, "generate", "a01_anatomy", env=env)
    rel = course / "release" / "a01_anatomy" / "a01_anatomy.ipynb"
    assert "Private question" in rel.read_text() and "conus" not in rel.read_text()
    submit(course, "ana", "a01_anatomy", answer(rel, bank / "source" / "a01_anatomy" / "a01_anatomy.ipynb"))
    submit(course, "ben", "a01_anatomy", answer(rel, bank / "source" / "a01_anatomy" / "a01_anatomy.ipynb",
                                               answers={"q1_answer": 'answer_q1 = "A"'}))
    run_cli(course, "autograde", "a01_anatomy", "--workers", "1", "--quiet", env=env)
    from course.instructor.parallel import Course, scores
    assert {s: v[0] for s, v in scores(Course(course), "a01_anatomy").items()} == {"ana": 3.0, "ben": 2.0}
    proc = run_cli(course, "leakcheck", "--no-generate", env=env, check=False)
    assert "leak check: clean" in proc.stdout, proc.stdout
    assert not list(GRADING.glob("source/*/*Private*"))
