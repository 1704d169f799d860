"""Module 05a interactives driven headless: "which score would you trust?" and the conversation exercise."""

from __future__ import annotations

import ipywidgets as W
import pytest

from course.prognosis_apps import SYNTHETIC_NOTICE, ConversationExercise, WhichScoreApp, conversation


@pytest.fixture(scope="module")
def app():
    return WhichScoreApp()


def test_default_state_is_nesms(app):
    app.set(score="nesms", recalibrated=False, threshold=30)
    assert app.state["score"] == "nesms" and app.state["c"] == pytest.approx(0.79, abs=0.02)
    assert "NESMS" in app.state["alt"] and "c-statistic 0.79" in app.state["alt"]
    assert '<img alt="Three panels for NESMS' in app.figure.value
    assert SYNTHETIC_NOTICE in app.explanation.value


@pytest.mark.parametrize("score,label,c", [("tomita", "Tomita", 0.69), ("tokuhashi", "revised Tokuhashi", 0.67),
                                          ("sins", "SINS", 0.54)])
def test_changing_score_changes_state_alt_and_text(app, score, label, c):
    app.set(score=score)
    assert app.state["c"] == pytest.approx(c, abs=0.02)
    assert f"for {label} on a synthetic cohort" in app.state["alt"]
    assert f"c-statistic {app.state['c']:.2f}" in app.state["alt"]


def test_sins_is_explained_as_no_survival_score(app):
    app.set(score="sins")
    assert "not how long a patient will live" in app.explanation.value
    app.set(score="nesms")
    assert "not how long a patient will live" not in app.explanation.value


def test_recalibration_changes_calibration_not_discrimination(app):
    app.set(score="nesms", recalibrated=False)
    c_old, gap_old, alt_old = app.state["c"], app.state["mean_gap"], app.state["alt"]
    assert "Calibration is off" in app.explanation.value and "lived longer than predicted" in app.explanation.value
    app.set(recalibrated=True)
    assert app.state["c"] == c_old
    assert abs(app.state["mean_gap"]) < abs(gap_old)
    assert app.state["alt"] != alt_old and "recalibrated" in app.state["alt"]
    app.set(recalibrated=False)


def test_threshold_moves_the_decision(app):
    app.set(score="nesms", threshold=20)
    many, nb_low = app.state["operated"], app.state["net_benefit"]
    app.set(threshold=70)
    assert app.state["operated"] < many
    assert app.state["net_benefit"] != nb_low
    assert "threshold of 70%" in app.state["alt"] and "Threshold 70%" in app.explanation.value
    app.set(threshold=30)


def test_controls_are_labelled_native_widgets(app):
    for name, widget in app.controls.items():
        assert isinstance(widget, (W.ToggleButtons, W.Dropdown, W.IntSlider)), name
        assert widget.description, name
    with pytest.raises(ValueError, match="accepted"):
        app.set(colour="red")


def test_no_internal_names_shown(app):
    for score in ("nesms", "tomita", "tokuhashi", "sins"):
        app.set(score=score)
        text = app.explanation.value + app.state["alt"]
        assert "tokuhashi " not in text.replace("revised Tokuhashi", "") and "_" not in app.state["alt"]


# ------------------------------------------------------------------------------------------------
# Conversation exercise
# ------------------------------------------------------------------------------------------------
def test_model_answer_hidden_until_answered():
    ex = ConversationExercise()
    assert ex.model.value == "" and ex.checklist.layout.display == "none"
    assert ex.reveal() is False
    assert "Write your answer first" in ex.status.value and ex.model.value == ""
    ex.write("Too short to count.")
    assert ex.reveal() is False and ex.model.value == ""
    ex.write(" ".join(["word"] * 30))
    assert ex.reveal() is True
    assert "A model answer" in ex.model.value and ex.checklist.layout.display == "flex"


def test_confirming_an_answer_elsewhere_reveals():
    ex = ConversationExercise()
    ex.elsewhere.value = True
    assert ex.reveal() is True and "What not to say" in ex.model.value


def test_self_rating_counts_and_points_to_sections():
    ex = ConversationExercise()
    assert ex.summary.value == ""
    ex.elsewhere.value = True
    ex.reveal()
    total = len(conversation()["checklist"])
    assert f"0 of {total}" in ex.summary.value
    ex.rate(0).rate(1)
    assert f"2 of {total}" in ex.summary.value
    assert "Talking about prognosis and goals of care" in ex.summary.value
    for i in range(total):
        ex.rate(i)
    assert "All points covered" in ex.summary.value
    with pytest.raises(ValueError, match="index"):
        ex.rate(total)


def test_checklist_covers_the_rubric_themes():
    items = " ".join(i["text"] for i in conversation()["checklist"]).lower()
    for theme in ("palliative care", "promise", "range", "plain words", "questions"):
        assert theme in items
