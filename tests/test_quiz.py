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
    if not answer:  # nothing ticked: a prompt, never the key
        assert fb.answered is False and "should" not in fb.message
    elif not correct:
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
    fb = sc.submit()  # nothing chosen yet: a prompt, not a verdict
    assert fb.correct is False and fb.answered is False
    assert "Choose an answer first" in sc.feedback.value and "Not quite" not in sc.feedback.value
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


# ----------------------------------------------------------------------------------------------
# Quiz UX: empty answers, shuffled options, wrapping labels, explanations without positions
# ----------------------------------------------------------------------------------------------
import re  # noqa: E402

from course import progress  # noqa: E402
from course.quiz import (  # noqa: E402
    KeyFeature,
    ProgressPanel,
    ReviewPanel,
    ScriptConcordance,
    make_check,
    option_order,
)


@pytest.fixture(autouse=True)
def _own_progress_file(tmp_path, monkeypatch):
    """Every test gets its own learner (never the real ~/.local/share file)."""
    monkeypatch.setenv(progress.ENV, str(tmp_path / "progress.json"))


def test_empty_multiple_answer_is_prompted_and_never_shows_the_key(bank):
    sc = SelfCheck(bank.get("m"))
    fb = sc.submit()
    assert fb.answered is False and "Choose an answer first" in sc.feedback.value
    for text in ("ea", "eb", "ec", "should be ticked", "Not quite", "Correct"):
        assert text not in sc.feedback.value
    assert not progress.results("demo"), "an empty answer is not recorded"


def test_empty_numeric_answer_is_prompted(bank):
    sn = SelfCheck(bank.get("n"))
    assert sn.submit().answered is False and "Not quite" not in sn.feedback.value


def test_options_are_shuffled_per_learner_and_stable():
    a = option_order(5, "01/q", "learner-a")
    assert a == option_order(5, "01/q", "learner-a"), "the same learner sees the same order"
    orders = {tuple(option_order(5, "01/q", f"learner-{i}")) for i in range(30)}
    assert len(orders) > 5, "different learners see different orders"
    assert sorted(a) == list(range(5))


def test_shuffled_widget_still_answers_in_bank_order(bank):
    sc = SelfCheck(bank.get("m"), module="demo")
    learner = progress.learner_id()
    assert sc.display_order == option_order(3, "demo/m", learner)
    shown = [b.description for b in sc._choices.widget.children]
    assert shown == [["a", "b", "c"][i] for i in sc.display_order]
    sc.answer([0, 2])
    assert sc.current() == [0, 2] and sc.submit().correct


def test_single_choice_is_exclusive_and_labels_wrap(bank):
    sc = SelfCheck(bank.get("s"))
    sc._boxes[0].value = True
    sc._boxes[1].value = True  # ticking another option clears the first, like a radio group
    assert sc.current() == 1 and not sc._boxes[0].value
    assert "white-space:normal" in sc.ui.children[0].value  # the wrapping style travels with the widget
    assert "spine-quiz" in sc.ui._dom_classes
    assert all(isinstance(b, __import__("ipywidgets").Checkbox) and b.description for b in sc._boxes)


def test_every_control_of_every_item_has_a_visible_label():
    import ipywidgets as W

    def walk(w):
        yield w
        for c in getattr(w, "children", ()):
            yield from walk(c)

    for name in bank_names():
        for q in load_bank(name).questions:
            for w in walk(make_check(q, "Q1.").ui):
                if isinstance(w, (W.Checkbox, W.Text, W.Button, W.Textarea)):
                    assert w.description, f"{name}/{q.id}: a {type(w).__name__} without a label"


POSITION = re.compile(
    r"\b(?:options?|answers?|choices?)\s+\(?[A-Ea-e1-5]\)?(?![\w-])"
    r"|\bthe\s+(?:first|second|third|fourth|fifth|last|previous|next|above|below)\s+(?:option|answer|choice)s?\b"
    r"|^\(?[A-Ea-e]\)\s|\b(?:option|answer|choice)\s+(?:one|two|three|four|five)\b"
    r"|\b(?:options?|answers?)\s+above\b", re.I | re.M)


def _explanations(q):
    yield q.explanation
    for o in getattr(q, "options", ()):
        yield o.explanation
    for sub in getattr(q, "steps", ()) + getattr(q, "features", ()):
        yield from _explanations(sub)
    for j in getattr(q, "judgements", ()):
        yield j.explanation


def test_position_pattern_catches_positional_explanations():
    for bad in ("Option B is the classic answer.", "As the second option says, …", "Answer (c) is wrong.",
                "b) is right", "the options above all apply", "The last choice is a trap."):
        assert POSITION.search(bad), bad
    for fine in ("Option-level detail", "A T1 rule", "Answer: 14.4 Gy", "type A fibres"):
        assert not POSITION.search(fine), fine


def test_explanations_never_name_an_option_by_position():
    """Options are shuffled, so "option B" or "the second" would point at the wrong one."""
    found = []
    for name in bank_names():
        for q in load_bank(name).questions:
            for text in _explanations(q):
                m = POSITION.search(text or "")
                if m:
                    found.append(f"{name}/{q.id}: …{m.group(0)}…")
    assert not found, "explanations naming a position:\n" + "\n".join(found)


# ----------------------------------------------------------------------------------------------
# Progress: recorded locally, summarised, exported/imported, reviewed
# ----------------------------------------------------------------------------------------------
def test_check_is_recorded_in_the_learners_file(tmp_path):
    bank = load_bank("00_start_here")
    q = next(q for q in bank.questions if isinstance(q, SingleChoice))
    right = next(i for i, o in enumerate(q.options) if o.correct)
    sc = make_check(q, module="00_start_here")
    sc.answer((right + 1) % len(q.options)).submit()
    entry = progress.results("00_start_here")[q.id]
    assert entry["correct"] is False and entry["attempts"] == 1 and entry["objective"] == q.objective
    sc.answer(right).submit()
    entry = progress.results("00_start_here")[q.id]
    assert entry["correct"] is True and entry["attempts"] == 2
    data = __import__("json").loads((tmp_path / "progress.json").read_text())
    assert data["learner"] == progress.learner_id() and q.id in data["results"]["00_start_here"]


def test_summary_counts_answered_correct_and_objectives_not_mastered():
    bank = load_bank("00_start_here")
    singles = [q for q in bank.questions if isinstance(q, SingleChoice)][:2]
    progress.record("00_start_here", singles[0].id, singles[0].objective, True)
    progress.record("00_start_here", singles[1].id, singles[1].objective, False)
    row = next(r for r in progress.summary() if r["module"] == "00_start_here")
    assert row["answered"] == 2 and row["correct"] == 1 and row["items"] == len(bank.questions)
    assert singles[1].objective in row["not_mastered"]
    untouched = [o for o, ids in bank.by_objective().items() if not {singles[0].id, singles[1].id} & set(ids)]
    assert set(untouched) <= set(row["not_mastered"])
    other = next(r for r in progress.summary() if r["module"] != "00_start_here")
    assert other["answered"] == 0 and other["not_mastered"] == list(load_bank(other["module"]).objectives)


def test_export_then_import_on_a_fresh_machine(tmp_path, monkeypatch):
    progress.record("01_anatomy_and_epidemiology", "q_conus", "O2", False)
    learner = progress.learner_id()
    text = progress.export_text()
    monkeypatch.setenv(progress.ENV, str(tmp_path / "elsewhere.json"))
    assert progress.learner_id() != learner and not progress.results("01_anatomy_and_epidemiology")
    assert progress.import_text(text) == 1
    assert progress.learner_id() == learner, "the learner keeps their id, hence their option order"
    assert progress.wrong("01_anatomy_and_epidemiology") == ["q_conus"]
    with pytest.raises(ValueError, match="progress text"):
        progress.import_text("hello")


def test_an_unwritable_folder_keeps_progress_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(progress.ENV, str(blocker / "sub" / "progress.json"))
    progress.record("00_start_here", "q", "O1", True)
    assert progress.results("00_start_here")["q"]["correct"] is True


def test_review_panel_shows_again_what_was_wrong():
    bank = load_bank("01_anatomy_and_epidemiology")
    q = next(q for q in bank.questions if isinstance(q, SingleChoice))
    rp = ReviewPanel("01_anatomy_and_epidemiology")
    rp.button.click()
    assert rp.items == [] and "Nothing to review yet" in rp.status.value
    wrong_index = next(i for i, o in enumerate(q.options) if not o.correct)
    make_check(q, module="01_anatomy_and_epidemiology").answer(wrong_index).submit()
    rp.button.click()
    assert [w.question.id for w in rp.items] == [q.id] and "1 question to try again" in rp.status.value
    right = next(i for i, o in enumerate(q.options) if o.correct)
    rp.items[0].answer(right).submit()  # answered right during the review: gone from the list
    rp.button.click()
    assert rp.items == [] and "every question you checked was right" in rp.status.value


def test_quiz_renders_the_review_control_and_returns_no_repr(monkeypatch):
    import ipywidgets as W

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.extend(a))
    from course.quiz import quiz

    checks = quiz("00_start_here")
    box = shown[-1]
    assert isinstance(box, W.VBox)
    buttons = [w.description for c in box.children for w in getattr(c, "children", ()) if isinstance(w, W.Button)]
    assert "Review what I got wrong" in buttons
    assert checks._repr_html_() == "" and checks._ipython_display_() is None


def test_progress_panel_summary_export_import():
    panel = ProgressPanel()
    assert "0 questions answered" in panel.table.value and "Objectives not yet mastered" in panel.table.value
    progress.record("00_start_here", load_bank("00_start_here").questions[0].id, "O1", True)
    panel.refresh_button.click()
    assert "1 questions answered" in panel.table.value or "1 question" in panel.table.value
    panel.export_button.click()
    assert panel.export_box.value.startswith("spine-course-progress:") and "download=" in panel.download.value
    panel.import_box.value = "nonsense"
    panel.import_button.click()
    assert "✘" in panel.status.value
    panel.import_box.value = panel.export_box.value
    panel.import_button.click()
    assert "✔ Imported" in panel.status.value


def test_key_feature_and_sct_prompt_when_empty():
    for name in bank_names():
        for q in load_bank(name).questions:
            if isinstance(q, (KeyFeature, ScriptConcordance)):
                w = make_check(q, module=name)
                fb = w.submit()
                assert fb.answered is False and "Not quite" not in w.feedback.value, f"{name}/{q.id}"
    assert not any(progress.results(n) for n in bank_names())


def test_static_answer_key_holds_answers_and_explanations(bank):
    sc = SelfCheck(bank.get("s"))
    assert "spine-answer" in sc.answer_key._dom_classes and sc.answer_key.layout.display == "none"
    assert "B is right" in sc.answer_key.value and "A is wrong" in sc.answer_key.value
