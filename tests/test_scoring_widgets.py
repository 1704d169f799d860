"""Headless tests of the module-05 interactives (course.scoring): callbacks, state, alt text."""

from __future__ import annotations


import pytest

from course import calculators, scoring, scoring_apps
from course.plotting import figure_html


# ----------------------------------------------------------------------------------------------
# Score panels
# ----------------------------------------------------------------------------------------------
def test_sins_panel_matches_calculator_and_updates():
    app = scoring_apps.SinsPanel()
    app.set(level="T12", pain="mechanical", bone_lesion="lytic", alignment="normal", collapse="lt50",
            posterolateral="unilateral")
    expected = calculators.sins(level="T12", pain="mechanical", bone_lesion="lytic", alignment="normal",
                                collapse="lt50", posterolateral="unilateral")
    assert app.state["total"] == expected.total == 11
    assert app.state["band"] == "potentially_unstable"
    assert app.state["points"] == expected.components
    assert "total 11" in app.state["alt"] and "potentially unstable" in app.state["alt"]
    assert "<img alt=" in app.figure.value
    assert "Total" in app.explanation.value and "11" in app.explanation.value
    # Moving to a rigid sacral level changes the location points and the total.
    app.set(level="S3")
    assert app.state["points"]["location"] == 0 and app.state["total"] == 8


def test_sins_extremes_and_bands():
    app = scoring_apps.SinsPanel()
    app.set(level="C1", pain="mechanical", bone_lesion="lytic", alignment="subluxation_translation",
            collapse="gt50", posterolateral="bilateral")
    assert app.state["total"] == 18 and app.state["band"] == "unstable"
    app.set(level="S2", pain="pain_free", bone_lesion="blastic", alignment="normal", collapse="none",
            posterolateral="none")
    assert app.state["total"] == 0 and app.state["band"] == "stable"


@pytest.mark.parametrize("panel, top", [(scoring_apps.SinsPanel, 18), (scoring_apps.TokuhashiPanel, 15), (scoring_apps.TomitaPanel, 10)])
def test_maxima_and_bands_come_from_calculator_tables(panel, top):
    maxima, bands = panel.reference_table()
    assert max(bands) == top
    assert set(maxima) == {c.key for c in panel.components}
    assert sum(maxima.values()) == top  # the maxima add up to the top of the range


def test_tokuhashi_panel_and_colon_caveat():
    app = scoring_apps.TokuhashiPanel()
    app.set(kps=70, extraspinal_bone_mets=1, vertebral_body_mets=2, major_organ_mets="none",
            primary_site="breast", frankel="D")
    assert app.state["total"] == 11 and app.state["band"] == ">=6 months"
    app.set(primary_site="colon")
    assert app.state["points"]["primary_site"] == 2
    assert "colon" in app.explanation.value.lower() and "others" in app.explanation.value
    app.set(kps=30, frankel="A")
    assert app.state["points"]["kps"] == 0 and app.state["points"]["frankel"] == 0


def test_tomita_panel_bands():
    app = scoring_apps.TomitaPanel()
    assert app.state["total"] == 2 and app.state["band"] == "wide_or_marginal_excision"
    app.set(primary_growth="rapid", visceral_mets="untreatable", bone_mets="multiple")
    assert app.state["total"] == 10 and app.state["band"] == "nonoperative_supportive_care"
    assert "terminal care" in app.state["alt"]


def test_panel_redraws_once_per_level():
    app = scoring_apps.SinsPanel()
    for level in ("C1", "C4", "T6", "S3", "L3", "T12"):
        app.set(level=level)
    # One redraw per change (latency is measured by benchmarks/widgets.py, not asserted here).
    assert len(app.stats.durations) == 1 + 6


# ----------------------------------------------------------------------------------------------
# NOMS explorer
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("grade, histology, list_name, sins_total, fit, decision", [
    ("1b", "renal", "noms", 4, True, "SRS"),
    ("3", "renal", "noms", 4, True, "separation_surgery_then_SRS"),
    ("3", "breast", "noms", 4, True, "cEBRT"),
    ("1a", "breast", "noms", 14, True, "stabilization_then_cEBRT"),
    ("1a", "renal", "noms", 14, True, "stabilization_then_SRS"),
    ("3", "nsclc", "noms", 4, True, "separation_surgery_then_SRS"),
    ("3", "nsclc", "ao", 4, True, "separation_surgery_then_SRS"),  # AO intermediate: NOMS class, by convention
])
def test_noms_explorer_decisions(grade, histology, list_name, sins_total, fit, decision):
    app = scoring_apps.NomsExplorer()
    app.set(escc_grade=grade, histology=histology, list_name=list_name, sins_total=sins_total,
            tolerates_surgery=fit)
    assert app.state["decision"] == decision
    assert scoring.label(decision) in app.state["alt"]
    assert scoring.label(decision) in app.explanation.value


def test_noms_intermediate_histology_shows_both_branches_and_names_the_convention():
    """M2: an AO 'intermediate' histology is not silently radioresistant (before: breast ESCC 3 fit → surgery)."""
    app = scoring_apps.NomsExplorer()
    app.set(histology="breast", list_name="ao", escc_grade="3", sins_total=3, tolerates_surgery=True)
    assert app.state["list_class"] == "intermediate" and app.state["by_convention"]
    assert app.state["radiosensitivity"] == "radiosensitive" and app.state["decision"] == "cEBRT"
    assert app.state["alternative_decision"] == "separation_surgery_then_SRS"
    text = app.explanation.value
    assert "Course convention" in text and "MDT" in text and scoring.label("separation_surgery_then_SRS") in text
    assert "other class" in app.state["alt"]
    app.set(histology="nsclc")  # intermediate in AO, radioresistant in the NOMS list
    assert app.state["decision"] == "separation_surgery_then_SRS" and app.state["alternative_decision"] == "cEBRT"
    app.set(list_name="noms")  # a two-class list: no convention needed
    assert not app.state["by_convention"] and app.state["alternative_decision"] is None


def test_sc24_is_not_offered_as_a_radiosensitivity_list():
    """M1: SC.24's strata are not an O-of-NOMS choice."""
    app = scoring_apps.NomsExplorer()
    values = [v for _, v in app.controls["list_name"].options]
    assert values == ["noms", "ao"]
    assert not any("SC.24" in lab for lab, _ in app.controls["list_name"].options)


def test_noms_indeterminate_sins_needs_the_learners_call():
    app = scoring_apps.NomsExplorer()
    app.set(sins_total=3)
    assert app.controls["indeterminate_unstable"].disabled
    app.set(sins_total=9, indeterminate_unstable=True, escc_grade="1a", histology="renal")
    assert not app.controls["indeterminate_unstable"].disabled
    assert app.state["unstable"] and app.state["decision"] == "stabilization_then_SRS"
    app.set(indeterminate_unstable=False)
    assert not app.state["unstable"] and app.state["decision"] == "SRS"


def test_noms_unstable_and_unfit_is_individualised():
    app = scoring_apps.NomsExplorer()
    app.set(escc_grade="3", histology="renal", sins_total=15, tolerates_surgery=False)
    assert app.state["individualized"] and app.state["decision"] == "cEBRT"
    assert "individualised" in app.state["alt"]
    assert "unverified" in app.explanation.value.lower()


def test_noms_summary_is_deterministic_text():
    text = scoring.noms_summary("2", "renal", "noms", 14, False)
    assert text.splitlines()[0] == "N  ESCC 2: high grade"
    assert text.endswith("(individualised)")
    assert scoring.noms_summary("1c", "myeloma", "ao", 3, True).endswith("conventional RT (cEBRT)")
    breast = scoring.noms_summary("3", "breast", "ao", 3, True)
    assert "course convention" in breast and "separation surgery" in breast and breast.endswith("(cEBRT)")


# ----------------------------------------------------------------------------------------------
# Static figures and text helpers
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [scoring_apps.compartment_figure, scoring_apps.escc_grades_figure,
                                  scoring_apps.radiosensitivity_figure])
def test_static_figures_have_alt_text(make):
    fig, alt = make()
    assert len(alt) > 60
    assert figure_html(fig, alt).startswith("<img alt=")


def test_radiosensitivity_figure_names_the_disagreements():
    _, alt = scoring_apps.radiosensitivity_figure()
    assert "non-small-cell lung cancer" in alt and "thyroid carcinoma" in alt
    assert "renal cell carcinoma" in alt


def test_kps_ecog_figure_uses_calculator_mappings():
    fig, alt = scoring_apps.kps_ecog_figure()
    for name in calculators.KPS_ECOG_MAPPINGS:
        assert f"mapping {name}" in alt
    assert "ECOG 1: 80–90" in alt and "ECOG 1: 70–80" in alt


def test_breakdown_lists_components_and_total():
    r = calculators.tomita(primary_growth="rapid", visceral_mets="none", bone_mets="multiple")
    text = scoring.breakdown(r, "Tomita")
    assert text.splitlines()[0] == "Tomita"
    assert any(line.split() == ["total", "6"] for line in text.splitlines())
    assert "palliative surgery" in text


def test_scale_tables():
    html = scoring.scale_table("frankel")
    assert "Motor useful" in html and html.count("<tr>") == 6
    assert "S4–S5" in scoring.scale_table("asia")
    assert "voluntary anal contraction" in scoring.scale_table("asia")  # m4: the full AIS C entry condition
    assert "Moribund" in scoring.scale_table("kps")
    assert scoring.scale_table("ecog").count("<tr>") == 7
    with pytest.raises(ValueError, match="accepted"):
        scoring.scale_table("rankin")
