"""The ISNCSCI worksheet interactive, driven headless: presets, single scores, NT, alt text, labels."""

from __future__ import annotations

import ipywidgets as W
import pytest

from course import isncsci as isn
from course.isncsci_apps import EDITED, IsncsciWorksheet, control_name


@pytest.fixture(scope="module")
def app():
    return IsncsciWorksheet()


def test_starts_on_the_t6_complete_preset(app):
    app.set(preset="T6 complete (AIS A)")
    assert app.state["ais"] == "A" and app.state["neurological_level"] == "T6"
    assert "AIS A" in app.state["alt"] and "neurological level T6" in app.state["alt"]
    assert "complete" in app.explanation.value


@pytest.mark.parametrize("name, ais, nli", [
    ("Normal examination", "E", "INT"),
    ("C5 motor incomplete (AIS C)", "C", "C5"),
    ("Cauda equina pattern", "B", "L4"),
    ("T6 complete (AIS A)", "A", "T6"),
])
def test_each_preset_fills_the_sheet_and_classifies_it(app, name, ais, nli):
    app.set(preset=name)
    assert app.state["exam"] == isn.preset(name)
    assert (app.state["ais"], app.state["neurological_level"]) == (ais, nli)
    assert f"AIS {ais}" in app.state["alt"]
    assert isn.PRESETS[name][1] in app.explanation.value.replace("&#x27;", "'")


def test_editing_a_score_changes_the_result_and_marks_the_sheet_as_yours(app):
    app.set(preset="T6 complete (AIS A)")
    before = app.state["alt"]
    app.set(**{control_name("light_touch", "right", "T5"): 1})
    assert app.controls["preset"].value == EDITED
    assert app.state["result"].sensory_level_right == "T4"
    assert app.state["neurological_level"] == "T4" and app.state["alt"] != before
    app.set(**{control_name("light_touch", "right", "T5"): 2})
    assert app.state["neurological_level"] == "T6"


def test_sacral_sparing_turns_a_into_b_then_c(app):
    app.set(preset="T6 complete (AIS A)")
    app.set(deep_anal_pressure=True)
    assert app.state["ais"] == "B"
    app.set(voluntary_anal_contraction=True)
    assert app.state["ais"] == "C"
    assert "incomplete" in app.explanation.value


def test_not_testable_lists_every_possible_grade(app):
    app.set(preset="T6 complete (AIS A)")
    app.set(deep_anal_pressure="NT")
    assert app.state["ais"] == ("A", "B")
    assert "A or B" in app.state["alt"]
    assert "not testable" in app.explanation.value


def test_every_control_is_a_labelled_native_widget(app):
    assert len(app.controls) == 1 + 20 + 112 + 2
    for name, widget in app.controls.items():
        assert isinstance(widget, W.Dropdown), name
        assert widget.description.strip(), name
    labels = {w.description for n, w in app.controls.items() if n.startswith("motor_right")}
    assert labels == set(isn.KEY_MUSCLE_LEVELS)


def test_layout_has_tabs_with_key_points(app):
    box = app.control_box()
    tabs = box.children[1]
    assert isinstance(tabs, W.Tab) and len(tabs.children) == 4
    labels = [c.value for c in tabs.children[2].children if isinstance(c, W.Label)]
    assert "S3 ischial tuberosity / infragluteal fold" in labels
    assert any(lab.startswith("S4-5 perianal") for lab in labels)
