"""Key-feature and script-concordance items, and the ``level`` field: parsing, scoring, widgets."""

from __future__ import annotations

import copy

import pytest

from course import quiz
from course.quiz import (
    PROVISIONAL_PANEL,
    KeyFeature,
    KeyFeatureCheck,
    ScriptConcordance,
    ScriptConcordanceCheck,
    SelfCheck,
    likert_value,
    make_check,
    parse_bank,
    parse_question,
)

KF = {
    "id": "kf", "type": "key_feature", "level": "reasoning", "objective": "O1",
    "prompt": "A 70-year-old man with prostate cancer has new leg weakness.",
    "explanation": "Image the whole spine today; dexamethasone for the deficit.",
    "features": [
        {"id": "f1", "type": "single", "prompt": "Which imaging should you arrange first?",
         "options": [{"text": "Whole-spine MRI within 24 hours", "correct": True, "explanation": "NICE."},
                     {"text": "Plain films", "explanation": "Too insensitive."},
                     {"text": "Bone scan next week", "explanation": "Too slow and blind to the canal."}]},
        {"id": "f2", "type": "multiple", "prompt": "Which two actions now? Tick at most two.", "max_choices": 2,
         "options": [{"text": "Dexamethasone", "correct": True, "explanation": "Deficit present."},
                     {"text": "Call the MSCC coordinator", "correct": True, "explanation": "Pathway."},
                     {"text": "Discharge with analgesia", "explanation": "Unsafe."},
                     {"text": "Wait for the oncology clinic", "explanation": "Too slow."}]},
    ],
}

SCT = {
    "id": "sct", "type": "script_concordance", "level": "reasoning", "objective": "O1",
    "prompt": "A 58-year-old woman with breast cancer and a painful T8 metastasis.",
    "judgements": [
        {"id": "j1", "hypothesis": "offering 8 Gy in one fraction",
         "new_information": "her MRI shows high-grade cord compression without a deficit",
         "panel": {-2: 0, -1: 6, 0: 3, 1: 1, 2: 0}, "explanation": "A longer course is often preferred."},
        {"id": "j2", "hypothesis": "referring to palliative care", "scale": "appropriateness",
         "new_information": "she asks what the future holds",
         "panel": {1: 4, 2: 6}, "explanation": "Early palliative care is compatible with treatment."},
    ],
}


def test_key_feature_parses_with_inherited_level():
    q = parse_question(copy.deepcopy(KF))
    assert isinstance(q, KeyFeature) and q.level == "reasoning"
    assert [f.level for f in q.features] == ["reasoning", "reasoning"]
    assert q.features[1].max_choices == 2


@pytest.mark.parametrize("answers,score", [
    ({"f1": 0, "f2": [0, 1]}, 2.0),        # everything right
    ({"f1": 0, "f2": [0]}, 1.5),           # half the second decision
    ({"f1": 1, "f2": [0, 2]}, 0.5),        # a wrong option costs nothing under the limit…
    ({"f1": 0, "f2": [0, 1, 2]}, 1.0),     # …but ticking more than two earns nothing
    ({}, 0.0),
])
def test_key_feature_partial_credit(answers, score):
    fb = parse_question(copy.deepcopy(KF)).check(answers)
    assert fb.score == score and fb.out_of == 2.0
    assert fb.correct is (score == 2.0)


def test_key_feature_widget_headless():
    kf = make_check(parse_question(copy.deepcopy(KF)), "Q1.")
    assert isinstance(kf, KeyFeatureCheck)
    assert all(f.button.layout.display == "none" for f in kf.features)  # one button for the case
    kf.answer("f1", "Whole-spine MRI within 24 hours").answer("f2", [0])
    fb = kf.submit()
    assert fb.score == 1.5
    assert "Partly right: 1.5 of 2" in kf.feedback.value
    assert "Correct" in kf.features[0].feedback.value
    with pytest.raises(ValueError, match="feature_id.*accepted"):
        kf.answer("f9", 0)


@pytest.mark.parametrize("mutate,match", [
    (lambda r: r.update(features=[]), r"features: expected a non-empty list"),
    (lambda r: r["features"][0].update(type="numeric"), r"features\[0\]\.type.*accepted"),
    (lambda r: r["features"][1].update(max_choices=9), r"max_choices"),
    (lambda r: r.update(features=[copy.deepcopy(r["features"][0]) | {"id": f"x{i}"} for i in range(6)]),
     r"1–5 critical decisions"),
])
def test_key_feature_refusals(mutate, match):
    raw = copy.deepcopy(KF)
    mutate(raw)
    with pytest.raises(ValueError, match=match):
        parse_question(raw)


def test_script_concordance_aggregate_scoring():
    q = parse_question(copy.deepcopy(SCT))
    assert isinstance(q, ScriptConcordance)
    fb = q.check({"j1": -1, "j2": 1})
    assert fb.score == pytest.approx(1 + 4 / 6) and not fb.correct
    assert q.check({"j1": -1, "j2": 2}).correct
    assert q.check({"j1": 2, "j2": 2}).score == 1.0       # a vote no panellist cast earns 0
    assert q.check({"j1": "0", "j2": "+2"}).score == pytest.approx(3 / 6 + 1)
    assert PROVISIONAL_PANEL in fb.explanation             # the provisional key is always declared


def test_script_concordance_widget_headless():
    sct = make_check(parse_question(copy.deepcopy(SCT)))
    assert isinstance(sct, ScriptConcordanceCheck)
    radio = sct._radios["j1"]
    assert radio.options[0][0].startswith("-2") and "much less appropriate" in radio.options[0][0]
    sct.answer("j1", -1).answer("j2", "more appropriate")
    fb = sct.submit()
    assert fb.score == pytest.approx(1 + 4 / 6)
    assert "Panel votes" in sct.feedback.value and "Provisional key" in sct.feedback.value
    with pytest.raises(ValueError, match="judgement_id.*accepted"):
        sct.answer("j9", 0)


@pytest.mark.parametrize("bad", [3, -3, True, "maybe", 1.5, None])
def test_likert_refuses(bad):
    with pytest.raises(ValueError, match="accepted: -2, -1, 0, \\+1, \\+2"):
        likert_value(bad)


@pytest.mark.parametrize("mutate,match", [
    (lambda r: r["judgements"][0].update(panel={3: 1}), r"panel: key 3"),
    (lambda r: r["judgements"][0].update(panel={1: -1}), r"vote count"),
    (lambda r: r["judgements"][0].update(panel={1: 0}), r"no votes"),
    (lambda r: r["judgements"][0].pop("new_information"), r"new_information: missing"),
    (lambda r: r["judgements"][0].update(scale="vibes"), r"scale.*accepted"),
    (lambda r: r["judgements"][1].update(id="j1"), r"ids must be unique"),
])
def test_script_concordance_refusals(mutate, match):
    raw = copy.deepcopy(SCT)
    mutate(raw)
    with pytest.raises(ValueError, match=match):
        parse_question(raw)


def test_selfcheck_refuses_composite_items():
    with pytest.raises(ValueError, match="make_check"):
        SelfCheck(parse_question(copy.deepcopy(KF)))


# ------------------------------------------------------------------------------------------------
# level
# ------------------------------------------------------------------------------------------------
SINGLE = {"id": "s", "type": "single", "objective": "O1", "prompt": "Pick b",
          "options": [{"text": "a", "explanation": "no"}, {"text": "b", "correct": True, "explanation": "yes"}]}


@pytest.mark.parametrize("level", ["recall", "application", "reasoning"])
def test_level_accepted(level):
    assert parse_question(SINGLE | {"level": level}).level == level


@pytest.mark.parametrize("bad", ["Recall", "analysis", "", None, 2])
def test_unknown_level_refused(bad):
    with pytest.raises(ValueError, match=r"level: .* not accepted; accepted: \['recall', 'application', 'reasoning'\]"):
        parse_question(SINGLE | {"level": bad})


def test_missing_level_refused_when_required():
    with pytest.raises(ValueError, match=r"questions\[0\]\[s\]\.level: missing"):
        parse_bank({"module": "m", "objectives": {"O1": "x"}, "questions": [dict(SINGLE)]}, "m", require_level=True)
    # steps inherit their item's level and need none of their own
    case = {"id": "c", "type": "case", "level": "application", "objective": "O1", "prompt": "A patient",
            "steps": [dict(SINGLE)]}
    assert parse_question(case, require_level=True).steps[0].level == "application"


def test_level_required_flag_matches_the_banks():
    """Once every shipped bank carries levels the loader must require them (flip LEVEL_REQUIRED)."""
    import yaml
    from importlib import resources

    untagged = []
    for name in quiz.bank_names():
        raw = yaml.safe_load((resources.files("course") / "questions" / f"{name}.yaml").read_text(encoding="utf-8"))
        untagged += [f"{name}:{q['id']}" for q in raw["questions"] if "level" not in q]
    if not untagged:
        assert quiz.LEVEL_REQUIRED, "every bank carries levels: set course.quiz.LEVEL_REQUIRED = True"
    else:
        assert not quiz.LEVEL_REQUIRED, f"LEVEL_REQUIRED is on but items lack a level: {untagged[:5]}"
