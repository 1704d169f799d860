"""Headless tests of module 02's figures and interactives (course.spread)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from course import spread as S
from course import venous as V
from course.plotting import figure_html


def alt_of(html: str) -> str:
    m = re.search(r'alt="([^"]*)"', html)
    assert m, "figure has no alt text"
    return m.group(1)


@pytest.fixture(scope="module")
def explorer() -> S.ManoeuvreExplorer:
    return S.ManoeuvreExplorer()


@pytest.fixture(scope="module")
def tracer_app() -> S.TracerExplorer:
    return S.TracerExplorer()


# ---------------------------------------------------------------------------------------------
# Pressure manoeuvre explorer
# ---------------------------------------------------------------------------------------------
def test_explorer_starts_at_rest(explorer):
    explorer.set(manoeuvre="rest")
    assert explorer.controls["abdominal"].value == 0 and explorer.controls["thoracic"].value == 0
    assert explorer.state["plexus_inflow"] == 0.0
    assert explorer.state["pelvis_to_sacrum"] < 0
    assert "No blood enters the plexus" in alt_of(explorer.figure.value)
    assert "out of the spine" in explorer.explanation.value


def test_preset_sets_the_sliders_and_reverses_flow(explorer):
    n = len(explorer.stats.durations)
    explorer.set(manoeuvre="straining")
    assert len(explorer.stats.durations) == n + 1, "one redraw per change"
    assert (explorer.controls["abdominal"].value, explorer.controls["thoracic"].value) == V.MANOEUVRES["straining"]
    assert explorer.state["pelvis_to_sacrum"] > 0
    assert set(explorer.state["entering"]) >= {"sacral", "lumbar"}
    assert any("sacral plexus" in r for r in explorer.state["reversed"])
    assert "femoral vein (valved)" in explorer.state["shut"]
    assert "<b>into</b> the spine" in explorer.explanation.value
    assert "Blood enters the plexus" in alt_of(explorer.figure.value)


def test_moving_a_slider_switches_to_custom_and_crosses_the_threshold(explorer):
    explorer.set(manoeuvre="rest")
    thr = explorer.state["threshold"]
    assert thr is not None and 1 < thr < 10
    explorer.set(abdominal=float(np.floor(thr)))
    assert explorer.controls["manoeuvre"].value == "custom"
    assert explorer.state["pelvis_to_sacrum"] <= 0 and "below that threshold" in explorer.explanation.value
    explorer.set(abdominal=float(np.ceil(thr)))
    assert explorer.state["pelvis_to_sacrum"] > 0 and "above that threshold" in explorer.explanation.value
    explorer.controls["thoracic"].value = 40.0  # as a learner would: the observer redraws
    assert explorer.state["solution"].thoracic == 40.0
    assert explorer.state["threshold"] > thr


def test_choosing_a_preset_after_custom_restores_its_values(explorer):
    explorer.set(abdominal=17.0)
    explorer.controls["manoeuvre"].value = "cough"
    assert (explorer.controls["abdominal"].value, explorer.controls["thoracic"].value) == V.MANOEUVRES["cough"]
    assert explorer.state["solution"].abdominal == V.MANOEUVRES["cough"][0]


def test_explorer_state_matches_the_model(explorer):
    explorer.set(manoeuvre="Valsalva")
    sol = V.solve(None, *V.MANOEUVRES["Valsalva"])
    np.testing.assert_allclose(explorer.state["solution"].flow, sol.flow)
    assert explorer.state["plexus_inflow"] == pytest.approx(sol.plexus_inflow())


def test_explorer_rejects_unknown_controls(explorer):
    with pytest.raises(ValueError, match="not a control"):
        explorer.set(pressure=3)


def test_arrows_follow_the_flow(explorer):
    explorer.set(manoeuvre="straining")
    diagram = explorer.diagram
    k = diagram.net.edge_index("pelvic_plexus", "vvp_sacral")
    arrow = diagram.arrows[k]
    (x0, _), (x1, _) = arrow._posA_posB
    assert x1 < x0, "arrow points from the pelvic plexus (right) into the sacral plexus (left)"
    assert arrow.get_edgecolor()[:3] == pytest.approx(tuple(int(S.COLOURS["reversed"][i:i + 2], 16) / 255
                                                            for i in (1, 3, 5)))
    legs = diagram.arrows[diagram.net.edge_index("src_legs", "iliac")]
    assert legs.get_linestyle() == "--"


# ---------------------------------------------------------------------------------------------
# Tracer explorer
# ---------------------------------------------------------------------------------------------
def test_tracer_prostate_straining_versus_rest(tracer_app):
    tracer_app.set(primary="prostate", manoeuvre="straining", retention=0.5)
    result, rest = tracer_app.state["result"], tracer_app.state["rest"]
    assert result.spine > 0.5 and rest.spine == 0.0
    heights = [bar.get_height() for bar in tracer_app.bars]
    assert heights == pytest.approx([result.fractions[k] for k in S.BAR_ORDER])
    assert sum(heights) == pytest.approx(1.0)
    assert "more than at rest" in tracer_app.explanation.value
    assert "sacral" in alt_of(tracer_app.figure.value)


def test_tracer_breast_needs_chest_pressure(tracer_app):
    tracer_app.set(primary="breast", manoeuvre="Valsalva")
    assert tracer_app.state["result"].spine == pytest.approx(0.0, abs=1e-12)
    tracer_app.set(abdominal=0.0, thoracic=40.0)
    assert tracer_app.controls["manoeuvre"].value == "custom"
    result = tracer_app.state["result"]
    assert result.fractions["thoracic"] > 0.05
    assert result.fractions["thoracic"] == max(result.fractions[s] for s in V.SEGMENTS)


def test_tracer_retention_moves_cells_along_the_plexus(tracer_app):
    tracer_app.set(primary="prostate", manoeuvre="straining", retention=1.0)
    first = tracer_app.state["result"]
    assert first.fractions["sacral"] == pytest.approx(first.spine)
    tracer_app.set(retention=0.2)
    spread_out = tracer_app.state["result"]
    assert spread_out.fractions["lumbar"] > 0.0 and spread_out.fractions["thoracic"] > 0.0


def test_tracer_lung_is_not_on_the_venous_model(tracer_app):
    tracer_app.set(primary="lung")
    assert tracer_app.state["result"] is None
    assert all(bar.get_height() == 0 for bar in tracer_app.bars)
    assert "arterial" in alt_of(tracer_app.figure.value)
    assert "arterial" in tracer_app.explanation.value


def test_tracer_kidney_reaches_lumbar_spine_when_straining(tracer_app):
    tracer_app.set(primary="kidney", manoeuvre="straining", retention=0.5)
    r = tracer_app.state["result"]
    assert r.fractions["lumbar"] > r.fractions["sacral"]
    assert r.fractions["heart"] > 0.5


# ---------------------------------------------------------------------------------------------
# Static figures
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, args", [
    (S.network_figure, (0.0, 0.0)),
    (S.network_figure, V.MANOEUVRES["straining"]),
    (S.threshold_figure, ()),
    (S.pressure_map_figure, ()),
])
def test_figures_have_alt_text(make, args):
    fig, alt = make(*args)
    assert len(alt) > 80
    assert 'alt="' in figure_html(fig, alt)


def test_threshold_figure_reports_the_bisection_thresholds():
    _, alt = S.threshold_figure(thoracic=(0.0,))
    thr = V.reversal_threshold(thoracic=0.0)
    assert f"{thr:.1f} mmHg with the chest at +0 mmHg" in alt


def test_pressure_map_contrasts_prostate_and_breast():
    values = np.linspace(0, 60, 7)
    prostate = S.pressure_map("prostate", values)
    breast = S.pressure_map("breast", values)
    # rows: chest pressure, columns: abdominal pressure
    abdomen_more = np.triu_indices(len(values), k=1)
    chest_more = np.tril_indices(len(values), k=-1)
    assert prostate[abdomen_more].mean() > 0.5 > prostate[chest_more].mean()
    assert breast[chest_more].mean() > breast[abdomen_more].mean() == 0.0
    assert prostate[0, 0] == 0.0 and breast[0, 0] == 0.0
    assert np.all(S.pressure_map("lung", values) == 0.0)


def test_raising_abdominal_pressure_changes_both_figures(explorer, tracer_app):
    """Each slider move redraws once and shows a different picture (latency: benchmarks/widgets.py)."""
    n_exp, n_tr = len(explorer.stats.durations), len(tracer_app.stats.durations)
    seen = set()
    for value in (10.0, 20.0, 30.0):
        explorer.set(abdominal=value)
        tracer_app.set(abdominal=value)
        seen.add(explorer.figure.value)
    assert len(explorer.stats.durations) == n_exp + 3 and len(tracer_app.stats.durations) == n_tr + 3
    assert len(seen) == 3


# ---------------------------------------------------------------------------------------------
# The question bank agrees with the model
# ---------------------------------------------------------------------------------------------
def test_bank_answers_match_the_model():
    from course.quiz import SelfCheck, load_bank

    bank = load_bank("02_spread_to_the_spine")
    # q_threshold_chest: the threshold rises with the chest pressure (the mechanism the item keys)
    assert V.reversal_threshold(thoracic=45.0) > V.reversal_threshold(thoracic=0.0)
    sc = SelfCheck(bank.get("q_threshold_chest"))
    sc.answer(0)
    assert sc.submit().correct
    # the case: nothing enters at rest, everything that enters does so at the sacrum when straining
    assert V.tracer_for("prostate").spine == 0.0
    first = V.tracer_for("prostate", *V.MANOEUVRES["straining"], retention=1.0)
    assert first.fractions["sacral"] == pytest.approx(first.spine) and first.spine > 0


def test_bank_covers_every_objective_with_sources_that_resolve():
    from course.quiz import load_bank
    from course.references import cite

    bank = load_bank("02_spread_to_the_spine")
    assert len(bank.questions) >= 6
    assert all(bank.by_objective().values())
    for q in bank.questions:
        for key in q.source:
            cite(key)
