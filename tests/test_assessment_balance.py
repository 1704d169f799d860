"""Issue 12 §3: the graded assignments measure clinical competence.

Read from the builder's item metadata (``grading/tools/build_assignments.py``): in every assignment at least
85% of the points assess clinical knowledge or reasoning (a code item counts as programming unless its answer
is a clinical value read off a case); every item carries a kind and a level; key-feature items are graded
with partial credit; script concordance stays out of the grade until a real expert panel exists; every
rubric point of a written item is anchored to the notebook section that teaches it (the mechanism of
``tests/test_rubric_anchors.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from test_rubric_anchors import ANCHOR, check_anchor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "grading" / "tools"))

import build_assignments  # noqa: E402
import nbbuild  # noqa: E402

ASSIGNMENTS = {a.name: a for a in build_assignments.assignments()}
KINDS = {"single", "multiple", "numeric", "code", "case", "key_feature", "script_concordance", "written"}


def clinical_share(a: nbbuild.Assignment) -> float:
    return sum(i.points for i in a.items if i.assesses == "clinical") / a.max_points


@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_at_least_85_percent_of_points_are_clinical(name):
    a = ASSIGNMENTS[name]
    share = clinical_share(a)
    by_kind = {}
    for i in a.items:
        by_kind[i.kind] = by_kind.get(i.kind, 0) + i.points
    assert share >= 0.85, f"{name}: {share:.0%} clinical; points by kind {by_kind}"


@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_every_item_has_a_kind_a_level_and_what_it_assesses(name):
    for item in ASSIGNMENTS[name].items:
        assert item.kind in KINDS, (name, item.id, item.kind)
        assert item.level in nbbuild.LEVELS, (name, item.id, item.level)
        assert item.assesses in {"clinical", "code"}, (name, item.id, item.assesses)
        assert item.points > 0


def test_no_write_python_items_remain():
    """A code item, where kept, uses a course calculator (or records a clinical value); none asks the
    student to write error handling."""
    for a in ASSIGNMENTS.values():
        for item in a.items:
            if item.kind == "code":
                text = item.spec["visible"] + item.spec["hidden"]
                assert "ValueError" not in text, (a.name, item.id)


def test_reasoning_items_in_every_assignment():
    for a in ASSIGNMENTS.values():
        reasoning = sum(i.points for i in a.items if i.level == "reasoning")
        assert reasoning / a.max_points >= 0.25, a.name
    assert sum(any(i.kind == "key_feature" for i in a.items) for a in ASSIGNMENTS.values()) >= 9


def test_key_features_carry_partial_credit_and_script_concordance_is_not_graded():
    for a in ASSIGNMENTS.values():
        for item in a.items:
            if item.kind == "key_feature":
                assert len(item.spec["features"]) >= 2 and item.points == pytest.approx(len(item.spec["features"]))
            # script concordance needs a real expert panel before it may count (issue 12 §3)
            assert item.kind != "script_concordance", (a.name, item.id)


def test_the_balance_check_can_fail():
    a = nbbuild.Assignment("a99_demo", "Demo", {"O1": "x"}, minutes=5)
    a.single("Q?", ["a", "b"], "A", objective="O1")
    a.code("Write f.", solution="def f():\n    return 1", visible="assert f() == 1", hidden="assert f() == 1",
           objective="O1", points=3)
    assert clinical_share(a) < 0.85
    assert a.items[-1].assesses == "code" and a.items[-1].level == "application"
    with pytest.raises(ValueError, match="level"):
        a.single("Q?", ["a", "b"], "A", objective="O1", level="expert")


@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_rubric_anchors_resolve(name):
    problems = []
    for item in ASSIGNMENTS[name].items:
        if item.kind != "written":
            continue
        for _, text in item.spec["rubric"]:
            anchors = list(ANCHOR.finditer(text))
            assert anchors, (name, item.id, text)
            for m in anchors:
                problems += check_anchor(m["nb"], m["heading"].strip(), m["terms"])
    assert not problems, problems


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a08_grades_end_to_end_with_key_feature_partial_credit(tmp_path, monkeypatch):
    """a08 (the capstone's graded counterpart): generate → submit → autograde; one wrong key feature costs
    exactly its share (partial credit), a wrong case answer costs the case's points."""
    from grading_support import SECRET, answer, grading_env, make_course, run_cli, submit

    from course.instructor.parallel import Course, scores

    A = "a08_cases"
    monkeypatch.setenv("COURSE_GRADING_SECRET", SECRET)
    course = make_course(tmp_path)
    env = grading_env()
    run_cli(course, "generate", A, env=env)
    rel = course / "release" / A / f"{A}.ipynb"
    src = course / "source" / A / f"{A}.ipynb"
    submit(course, "ana", A, answer(rel, src))
    submit(course, "ben", A, answer(rel, src, answers={"q5_answer": 'answer_q5a = "B"\nanswer_q5b = "A"\nanswer_q5c = "A"'}))
    submit(course, "cat", A, answer(rel, src, answers={"q6_answer": "answer_q6 = -1"}))
    run_cli(course, "autograde", A, "--workers", "1", "--quiet", env=env)
    got = {s: v[0] for s, v in scores(Course(course), A).items()}
    autograded = sum(i.points for i in ASSIGNMENTS[A].items if i.kind != "written")
    assert got == {"ana": autograded, "ben": autograded - 1, "cat": autograded - 3}
