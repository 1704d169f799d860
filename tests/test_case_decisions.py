"""Module 08: the capstone decision path — the pure solver (course.case_decisions) and the runner driven
headless through whole cases, every path of a branching case included."""

from __future__ import annotations

import itertools
import re

import pytest

from course import case_decisions as D
from course import cases as K
from course import cases_apps as KA

# The team's choice at every decision, hand-checked against the addendum (A.3–A.5 imaging clocks, A.8
# dexamethasone for neurological signs only, B.1 Patchell, B.6 embolisation, C.1–C.3 schedule by prognosis,
# F.4 myeloma systemic first).
TEAM = {
    "breast_t8":   dict(imaging="mri_week", steroids="none", stability="stable", prognosis="favourable",
                        surgery="rt_alone", radiotherapy="8x1"),
    "renal_t10":   dict(imaging="mri_24h", steroids="dex16", stability="potentially_unstable",
                        prognosis="favourable", surgery="surgery", embolisation="yes", radiotherapy="sbrt"),
    "prostate_l3": dict(imaging="mri_24h", steroids="dex16", stability="stable", prognosis="intermediate",
                        surgery="rt_alone", radiotherapy="20x5"),
    "nsclc_t9":    dict(imaging="mri_24h", steroids="dex16", stability="potentially_unstable",
                        prognosis="favourable", surgery="surgery", embolisation="no", radiotherapy="sbrt"),
    "myeloma_t11": dict(imaging="mri_week", steroids="none", stability="potentially_unstable",
                        prognosis="intermediate", surgery="systemic", radiotherapy="none_now"),
    "melanoma_t7": dict(imaging="mri_24h", steroids="dex16", stability="potentially_unstable", prognosis="poor",
                        surgery="rt_alone", radiotherapy="8x1"),
    "thyroid_c6":  dict(imaging="mri_24h", steroids="dex16", stability="unstable", prognosis="favourable",
                        surgery="surgery", embolisation="yes", radiotherapy="sbrt"),
    "breast_t6":   dict(imaging="mri_24h", steroids="dex16", stability="potentially_unstable",
                        prognosis="favourable", surgery="rt_alone", radiotherapy="20x5"),
}


def test_every_case_has_a_team_plan():
    assert set(TEAM) == set(K.case_ids())


@pytest.mark.parametrize("case_id", sorted(TEAM))
def test_team_choices(case_id):
    by_id = {s.id: s for s, _ in D.walk(case_id, {})}
    for step_id, key in TEAM[case_id].items():
        assert key in by_id[step_id].correct_keys, (case_id, step_id, by_id[step_id].correct_keys)
    assert all(o.correct for _, o in D.walk(case_id, {}))
    order = [s.id for s, _ in D.walk(case_id, {})]
    assert order[:5] == ["imaging", "steroids", "stability", "prognosis", "surgery"]
    if "dose" in order:  # the arithmetic comes after every decision (M10)
        assert order[-1] == "dose"
    assert ("embolisation" in order) == (TEAM[case_id]["surgery"] == "surgery")


@pytest.mark.parametrize("case_id", sorted(TEAM))
def test_no_answer_in_the_stem(case_id):
    """The scenario and every prompt leave the decisions to the learner (M10, m12)."""
    text = KA.case_prompt(case_id) + " ".join(s.prompt for s, _ in D.walk(case_id, {}) if s.id != "dose")
    assert not re.search(r"ESCC\s*[0-3]", text)
    assert "SINS " not in text and "NOMS" not in text
    assert not re.search(r"\d+ Gy", text)  # no schedule before the radiotherapy decision


def test_scores_overridden_where_the_team_must():
    """Targetable lung cancer and oligometastatic renal cancer: planned as favourable whatever the band;
    myeloma: systemic first; a patient who declines surgery: radiotherapy without it."""
    nsclc = {s.id: s for s, _ in D.walk("nsclc_t9", {})}
    assert K.solve("nsclc_t9").prognosis == "intermediate" and nsclc["prognosis"].correct_keys == ("favourable",)
    assert "EGFR" in nsclc["prognosis"].explanation and "Katagiri" in nsclc["prognosis"].explanation
    assert "oligometastatic" in {s.id: s for s, _ in D.walk("renal_t10", {})}["prognosis"].explanation
    myeloma = {s.id: s for s, _ in D.walk("myeloma_t11", {})}
    assert K.solve("myeloma_t11").noms.decision == "stabilization_then_cEBRT"  # what NOMS alone would say
    assert myeloma["surgery"].correct_keys == ("systemic",) and "dose" not in myeloma
    declines = {s.id: s for s, _ in D.walk("breast_t6", {})}
    assert K.solve("breast_t6").noms.decision == "stabilization_then_cEBRT"
    assert declines["surgery"].correct_keys == ("rt_alone",) and "declines" in declines["surgery"].prompt
    assert declines["rehabilitation"].correct_keys == ("precautions",)  # an unstable spine, not fixed


def test_a_delayed_mri_worsens_the_neurology_downstream():
    on_time = {s.id: s for s, _ in D.walk("renal_t10", {})}
    late = D.walk("renal_t10", {"imaging": "xray"})
    first = late[0][1]
    assert not first.correct and "Frankel C" in first.consequence
    late_steps = {s.id: s for s, _ in late}
    assert "Frankel C" in late_steps["rehabilitation"].prompt and "Frankel D" in on_time["rehabilitation"].prompt
    # an intact patient has nothing to lose by a week's wait: no branch
    assert D.walk("breast_t8", {"imaging": "xray"})[0][1].consequence == ""


def test_not_operating_changes_the_later_steps():
    op = [s.id for s, _ in D.walk("renal_t10", {})]
    no_op = D.walk("renal_t10", {"surgery": "rt_alone"})
    ids = [s.id for s, _ in no_op]
    assert "embolisation" in op and "sequencing" in op
    assert "embolisation" not in ids and "sequencing" not in ids
    steps = {s.id: s for s, _ in no_op}
    assert steps["radiotherapy"].correct_keys != ("sbrt",)  # the unoperated spine's schedule
    assert steps["rehabilitation"].correct_keys == ("precautions",)
    assert "Without an operation" in dict((s.id, o) for s, o in no_op)["surgery"].consequence
    assert set(D.branching_cases()) >= {"renal_t10", "nsclc_t9", "thyroid_c6"}


def test_bad_choices_are_refused():
    step = D.steps("renal_t10")[0]
    with pytest.raises(ValueError, match="accepted"):
        D.check(step, "ct_brain")
    with pytest.raises(ValueError, match="accepted"):
        D.steps("nobody")
    dose = D.steps("renal_t10")[-1]
    assert dose.numeric and dose.answer == pytest.approx(52.8)
    with pytest.raises(ValueError, match="number"):
        D.check(dose, "lots")


# ---------------------------------------------------------------- the runner, whole cases
def _sentences(html_text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", html_text)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 20]


def _drive(case_id: str, answers: dict[str, str]) -> KA.DecisionRunner:
    run = KA.DecisionRunner(case_id)
    expected_right = 0
    checked = 0
    while True:
        step = run.current
        assert run.progress.value.count("Decision ") == 1 and "Stage" not in run.progress.value
        assert f"Decision {run.index + 1} of {len(run.steps)}" in run.progress.value
        # a step that needs the images shows them; the others show none
        if step.needs_image:
            assert 'alt="Synthetic MR images' in run.figure.value
        else:
            assert run.figure.value == ""
        assert "Case." not in run.header.value + run.stage.value
        value = answers.get(step.id, step.answer if step.numeric else step.correct_keys[0])
        out = run.answer(value).submit()
        checked += 1
        expected_right += out.correct
        assert f"{expected_right} correct of {checked} checked" in run.progress.value
        sentences = _sentences(run.feedback.value)
        assert len(sentences) == len(set(sentences)), sentences  # no repeated feedback sentence
        with pytest.raises(ValueError, match="already checked"):
            run.submit()
        if run.next_button.disabled:
            break
        run.next()
    assert run.finished and "case complete" in run.progress.value
    assert len(run.results) == len(D.walk(case_id, answers))
    return run


@pytest.mark.parametrize("case_id", sorted(TEAM))
def test_runner_whole_case_all_right(case_id):
    run = _drive(case_id, {})
    n = len(run.results)
    assert all(run.results.values()) and f"{n} correct of {n} checked" in run.progress.value


# every path of the renal case: each imaging choice × each surgery choice
@pytest.mark.parametrize("imaging,surgery", list(itertools.product(
    ["mri_24h", "mri_week", "mri_level", "xray"], ["surgery", "rt_alone", "systemic", "supportive"])))
def test_runner_every_path_of_the_renal_case(imaging, surgery):
    run = _drive("renal_t10", {"imaging": imaging, "surgery": surgery})
    wrong = (imaging != "mri_24h") + (surgery != "surgery")
    n = len(run.results)
    assert f"{n - wrong} correct of {n} checked" in run.progress.value
    assert ("embolisation" in run.results) == (surgery == "surgery")
    rehab = next(s for s in run.steps if s.id == "rehabilitation")
    assert ("Frankel C" in rehab.prompt) == (imaging != "mri_24h")


def test_runner_refuses_and_resets():
    run = KA.DecisionRunner()
    with pytest.raises(ValueError, match="choose an option"):
        run.submit()
    with pytest.raises(ValueError, match="not a choice"):
        run.answer("nonsense")
    run.next()  # not checked yet: stays
    assert run.index == 0
    run.answer(run.current.choices[0].label).submit()
    run.selector.value = "myeloma_t11"  # as the learner would
    assert run.case_id == "myeloma_t11" and run.results == {} and run.index == 0
    assert "0 correct of 0 checked" in run.progress.value
    with pytest.raises(ValueError, match="accepted"):
        run.select("nobody")
