"""Headless tests of the module-04 interactives: callbacks, state, feedback and alt text."""

from __future__ import annotations

import pytest

from course import calculators
from course.imaging import exercises as ex
from course.imaging.phantom import ESCC_GRADES, Findings, Phantom, escc_findings, window_preset


def test_ct_window_presets_and_sliders():
    app = ex.CTWindowApp()
    assert app.state["preset"] == "bone" and (app.state["center"], app.state["width"]) == window_preset("bone")
    assert app.state["bone_contrast"] > 0.3
    assert "<img alt=" in app.figure.value and "centre 400" in app.state["alt"]
    app.set(preset="soft_tissue")
    assert (app.state["center"], app.state["width"]) == (40.0, 400.0)
    assert app.controls["center"].value == 40 and app.controls["width"].value == 400
    assert "cortical bone" in app.state["white"]
    assert app.state["soft_tissue_contrast"] > 0.2 and app.state["bone_contrast"] < 0.1
    # moving a slider switches to a custom window
    app.set(center=100, width=800)
    assert app.state["preset"] == "custom" and app.controls["preset"].value == "custom"
    assert (app.state["center"], app.state["width"]) == (100.0, 800.0)
    # a learner click on a slider (observer path) does the same
    app.set(preset="bone")
    app.controls["width"].value = 600
    assert app.controls["preset"].value == "custom" and app.state["width"] == 600.0
    app.controls["preset"].value = "soft_tissue"
    assert app.controls["center"].value == 40 and app.state["center"] == 40.0
    app.set(plane="sagittal")
    assert "CT sagittal" in app.state["alt"]


def test_sequence_explorer_lesion_toggles_change_the_signal_words():
    app = ex.SequenceExplorer()
    app.set(scenario="Lytic metastasis", sequence="T1")
    assert app.state["signal"] == {"lytic": "darker than normal marrow"}
    app.set(sequence="STIR")
    assert app.state["signal"] == {"lytic": "brighter than normal marrow"}
    app.set(scenario="Blastic metastasis")
    assert app.state["signal"]["blastic"] == "very dark (almost no signal)"
    app.set(sequence="T1")
    assert app.state["signal"]["blastic"] == "very dark (almost no signal)"
    app.set(sequence="CT")
    assert app.state["signal"]["blastic"] == "much denser than normal bone"
    app.set(scenario="Spondylodiscitis (infection)", sequence="T2")
    assert app.state["signal"]["infected_disc"] == "brighter than normal marrow"
    assert "disc" in app.explanation.value
    app.set(scenario="Normal spine")
    assert app.state["signal"] == {}
    assert "<img alt=" in app.figure.value


def test_sequence_explorer_slice_scroller():
    app = ex.SequenceExplorer()
    app.set(scenario="Lytic metastasis", z_mm=0)
    assert app.state["axial_level"] == "T9" and app.state["lesion_in_view"]
    app.set(z_mm=56, x_mm=0)
    assert app.state["axial_level"] == "T7"
    app.set(z_mm=-56, x_mm=16)
    assert app.state["axial_level"] == "T11"
    assert "x = 16 mm" in app.state["alt"] and "z = -56 mm" in app.state["alt"]


def test_spot_cases_are_deterministic_and_varied():
    a, b = ex.spot_cases(), ex.spot_cases()
    assert a == b and len(a) == 6
    assert {f.kind for f in a} >= {"lytic", "blastic", "infection", "osteoporotic"}
    assert all(f.level in ex.SPOT_LEVELS[:-1] for f in a)  # the T7–T11 window the sagittal view shows


def test_spot_the_lesion_feedback():
    app = ex.SpotTheLesion()
    for i, f in enumerate(app.cases):
        app.set(case=i)
        assert app.state["correct"] is None and "Choose" in app.explanation.value
        levels, key = app.answer_key(i)
        app.set(level=sorted(levels)[0], diagnosis=key)
        assert app.state["correct"] is True, (i, f)
        assert "✔ Level correct" in app.state["feedback"] and "✔ Diagnosis correct" in app.state["feedback"]
        wrong_level = next(lv for lv in ex.SPOT_LEVELS if lv not in levels)
        app.set(level=wrong_level)
        assert app.state["correct"] is False and "✘ Level" in app.state["feedback"]
    assert list(app.controls["level"].options)[1:] == list(ex.SPOT_LEVELS)
    # changing case (as a learner would) clears the answers
    app.controls["case"].value = 1
    assert app.controls["level"].value == ex.CHOOSE and app.state["correct"] is None


def test_spot_the_lesion_infection_accepts_either_vertebra_and_explains_the_disc():
    cases = [Findings(kind="infection", level="T8")]
    app = ex.SpotTheLesion(cases)
    app.set(level="T9", diagnosis="infection")
    assert app.state["correct"] is True
    app.set(diagnosis="metastasis_lytic")
    assert app.state["correct"] is False and "disc" in app.state["feedback"]


def test_escc_cases_cover_every_grade():
    cases = ex.escc_cases()
    assert sorted(f.escc for f in cases) == sorted(ESCC_GRADES)
    assert [f.escc for f in cases] != list(ESCC_GRADES)  # shuffled
    for f in cases:
        assert calculators.escc(**escc_findings(Phantom(f).escc_view())).grade == f.escc


def test_grade_the_escc_feedback_uses_the_calculator():
    app = ex.GradeTheESCC()
    for i, f in enumerate(app.cases):
        app.set(case=i)
        assert app.state["truth"] == f.escc == app.state["grade_from_image"]
        assert app.state["correct"] is None
        app.set(grade=f.escc)
        assert app.state["correct"] is True
        assert calculators.escc(grade=f.escc).explanation in app.explanation.value.replace("&#x27;", "'")
        assert app.state["high_grade"] is (f.escc in ("2", "3"))
        other = "3" if f.escc != "3" else "0"
        app.set(grade=other)
        assert app.state["correct"] is False and "Not quite" in app.explanation.value
    app.set(outline=True)
    assert "Outlines" in app.state["alt"]
    app.controls["case"].value = 0
    assert app.controls["grade"].value == ex.CHOOSE


def test_signal_word_and_display():
    assert ex.signal_word("lytic", "T1") == "darker than normal marrow"
    assert ex.signal_word("lytic", "CT").startswith("less dense")
    img = Phantom().axial("CT")
    grey = ex.display_pixels(img)
    assert grey.min() >= 0 and grey.max() <= 1


def test_slice_scroller_changes_the_image():
    app = ex.SequenceExplorer()
    seen = set()
    for z in range(-20, 21, 10):
        app.set(z_mm=z)
        seen.add(app.figure.value)
    # One redraw per change, each a different slice (latency is measured by benchmarks/widgets.py).
    assert len(app.stats.durations) == 1 + 5 and len(seen) == 5


@pytest.mark.parametrize("cls", [ex.CTWindowApp, ex.SequenceExplorer, ex.SpotTheLesion, ex.GradeTheESCC])
def test_every_app_has_alt_text_and_ui(cls):
    app = cls()
    assert app.state["alt"] and 'alt="' in app.figure.value
    assert app.ui is not None
    with pytest.raises(ValueError, match="not a control"):
        app.set(nonsense=1)


# ----------------------------------------------------------------------------------------------
# Static figures and tables (course.imaging.figures)
# ----------------------------------------------------------------------------------------------
def test_figures_have_alt_text():
    from course.imaging import figures

    for which in ("collapse", "disc", "regions", "escc_atlas", "escc_atlas_lumbar"):
        html = figures.figure_as_html(which)
        assert html.startswith("<img alt=") and len(html) > 2000
    _, alt = figures.regions_figure()
    assert "conus" in alt and "no cord" in alt and "cauda equina" in alt
    _, alt = figures.escc_atlas("L3")
    assert "nerve roots" in alt and "thecal sac" in alt
    _, alt = figures.escc_atlas()
    assert "cord" in alt and "roots" not in alt
    with pytest.raises(ValueError, match="which"):
        figures.show_figure("nothing")


def test_tables_and_references_resolve():
    from course.imaging import figures

    table = figures.modalities_markdown()
    for name in ("MRI", "CT", "Plain radiograph", "PET", "Bone scintigraphy", "Myelography"):
        assert name in table
    assert "half of the bone" in table
    keys = figures.module_reference_keys()
    bib = figures.bibliography_markdown()
    assert bib.count("\n") + 1 == len(keys)
    for k in keys:
        figures.resolve(k)
    with pytest.raises(ValueError, match="key"):
        figures.resolve("no_such_reference")
    # every source key of the data file resolves in the course bibliography
    from course.imaging.phantom import data

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "source":
                    yield from ([v] if isinstance(v, str) else v)
                else:
                    yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)

    for key in walk(data()):
        figures.resolve(key)
    signal = figures.signal_markdown()
    assert "| lytic metastasis | +40 | darker than marrow |" in signal


def test_level_labels_only_for_levels_in_view():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ex._level_labels(ax, Phantom(Findings()).sagittal("T1"))
    assert [t.get_text() for t in ax.texts] == ["T7", "T8", "T9", "T10", "T11"]
    ax2 = fig.add_subplot()
    ex._level_labels(ax2, Phantom(Findings(level="L3")).sagittal("T1"))
    assert "L3" in [t.get_text() for t in ax2.texts] and "T9" not in [t.get_text() for t in ax2.texts]
