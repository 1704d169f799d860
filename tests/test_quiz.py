"""The self-check engine: parsing, validation, checking answers, and the widgets driven headless."""

from __future__ import annotations

import copy

import pytest

from course.quiz import (
    Case,
    CaseCheck,
    MultipleChoice,
    Numeric,
    SelfCheck,
    SingleChoice,
    bank_names,
    load_bank,
    parse_bank,
    render_text,
)

RAW = {
    "module": "demo",
    "objectives": {"O1": "first", "O2": "second"},
    "questions": [
        {"id": "s", "type": "single", "objective": "O1", "prompt": "Pick **b**",
         "options": [{"text": "a", "explanation": "A is wrong"}, {"text": "b", "correct": True, "explanation": "B is right"}]},
        {"id": "m", "type": "multiple", "objective": "O1", "prompt": "Tick a and c",
         "options": [{"text": "a", "correct": True, "explanation": "ea"}, {"text": "b", "explanation": "eb"},
                     {"text": "c", "correct": True, "explanation": "ec"}]},
        {"id": "n", "type": "numeric", "objective": "O2", "prompt": "BED10 of 8 Gy x 1?", "answer": 14.4,
         "tolerance": 0.05, "unit": "Gy", "explanation": "8 × (1 + 8/10)"},
        {"id": "c", "type": "case", "objective": "O2", "prompt": "A patient…",
         "steps": [{"id": "s1", "type": "numeric", "prompt": "x", "answer": 3, "explanation": "three"},
                   {"id": "s2", "type": "single", "prompt": "y",
                    "options": [{"text": "yes", "correct": True, "explanation": "ok"}, {"text": "no", "explanation": "nope"}]}]},
    ],
}
for _q in RAW["questions"]:  # every shipped bank carries levels, so the loader requires them (LEVEL_REQUIRED)
    _q["level"] = "application"


@pytest.fixture()
def bank():
    return parse_bank(copy.deepcopy(RAW), "demo")


def test_parse_types(bank):
    kinds = [type(q) for q in bank.questions]
    assert kinds == [SingleChoice, MultipleChoice, Numeric, Case]
    assert bank.by_objective() == {"O1": ["s", "m"], "O2": ["n", "c"]}
    assert bank.get("c").steps[0].objective == "O2"  # steps inherit the case's objective


@pytest.mark.parametrize("answer,correct", [(1, True), ("b", True), (0, False), ("a", False)])
def test_single(bank, answer, correct):
    fb = bank.get("s").check(answer)
    assert fb.correct is correct
    assert fb.message == ("B is right" if correct else "A is wrong")


def test_single_unknown_option(bank):
    with pytest.raises(ValueError, match="answer.*accepted"):
        bank.get("s").check("z")
    with pytest.raises(ValueError, match="answer"):
        bank.get("s").check(True)


@pytest.mark.parametrize("answer,correct", [([0, 2], True), (["a", "c"], True), ([0], False), ([0, 1, 2], False), ([], False)])
def test_multiple(bank, answer, correct):
    fb = bank.get("m").check(answer)
    assert fb.correct is correct
    if not correct:
        assert "should" in fb.message


@pytest.mark.parametrize(
    "answer,correct",
    [(14.4, True), ("14.4", True), ("14.44 Gy", True), ("14,4 gy", True), (14.46, False), ("14.3", False),
     ("14.4 cGy", False), ("abc", False), ("", False), (None, False), ("nan", False)],
)
def test_numeric(bank, answer, correct):
    assert bank.get("n").check(answer).correct is correct


def test_numeric_direction(bank):
    assert "too high" in bank.get("n").check(20).message
    assert "too low" in bank.get("n").check(2).message


def test_case(bank):
    case = bank.get("c")
    assert case.check({"s1": 3, "s2": "yes"}).correct
    fb = case.check({"s1": 4, "s2": "yes"})
    assert not fb.correct and fb.message.startswith("1 of 2")


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda r: r["questions"][0].update(type="essay"), "type"),
        (lambda r: r["questions"][0]["options"][1].update(correct=False), "exactly one correct"),
        (lambda r: r["questions"][0]["options"][0].update(explanation=""), "explanation"),
        (lambda r: r["questions"][1]["options"][0].update(correct=False) or r["questions"][1]["options"][2].update(correct=False), "at least one correct"),
        (lambda r: r["questions"][2].update(tolerance=-1), "tolerance"),
        (lambda r: r["questions"][2].update(answer="many"), "answer"),
        (lambda r: r["questions"][2].update(objective="O9"), "objective"),
        (lambda r: r["questions"][1].update(id="s"), "duplicate"),
        (lambda r: r["questions"][3].update(steps=[]), "steps"),
        (lambda r: r["questions"][0].pop("prompt"), "prompt"),
        (lambda r: r.update(objectives={}), "objectives"),
    ],
)
def test_invalid_banks_are_rejected(mutate, field):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(ValueError, match=field):
        parse_bank(raw, "demo")


def test_selfcheck_widget_single(bank):
    sc = SelfCheck(bank.get("s"))
    assert sc.submit().correct is False  # nothing chosen yet
    assert "Choose an option" in sc.feedback.value
    sc.answer("b")
    fb = sc.submit()
    assert fb.correct and "✔ Correct" in sc.feedback.value and "B is right" in sc.feedback.value
    sc.answer(0)
    sc.button.click()  # the button is wired to submit
    assert "✘ Not quite" in sc.feedback.value and "A is wrong" in sc.feedback.value


def test_selfcheck_widget_multiple_and_numeric(bank):
    sc = SelfCheck(bank.get("m")).answer([0, 2])
    assert sc.current() == [0, 2] and sc.submit().correct
    sn = SelfCheck(bank.get("n")).answer("14.4 Gy")
    assert sn.submit().correct
    sn.answer("twelve")
    assert not sn.submit().correct and "not a number" in sn.feedback.value


def test_casecheck_widget(bank):
    cc = CaseCheck(bank.get("c"))
    cc.answer("s1", 3).answer("s2", "no")
    fb = cc.submit()
    assert not fb.correct
    assert "✔" in cc.steps[0].feedback.value and "✘" in cc.steps[1].feedback.value
    with pytest.raises(ValueError, match="step_id"):
        cc.answer("s9", 1)
    with pytest.raises(ValueError, match="CaseCheck"):
        SelfCheck(bank.get("c"))


def test_feedback_is_not_colour_alone(bank):
    html = bank.get("s").check("a").to_html()
    assert "Not quite" in html and 'role="status"' in html


def test_render_text_escapes_html():
    out = render_text("**bold** <script>x</script> *it* `code` 2*3*4")
    assert "<b>bold</b>" in out and "&lt;script&gt;" in out and "<i>it</i>" in out and "<code>code</code>" in out


def test_every_shipped_bank_loads():
    names = bank_names()
    assert "00_start_here" in names
    for name in names:
        bank = load_bank(name)
        assert bank.questions, name
        assert bank.module == name


def test_unknown_bank():
    with pytest.raises(ValueError, match="module.*accepted"):
        load_bank("99_nothing")
