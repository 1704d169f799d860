"""Module 01: the anatomy model, its figures and its two interactives (driven headless)."""

from __future__ import annotations


import pytest

from course import anatomy as A
from course import datasets
from course.quiz import SelfCheck, load_bank


@pytest.mark.parametrize(
    ("level", "region", "sins", "points"),
    [("Oc", "occiput", "junctional", 3), ("C5", "cervical", "mobile", 2), ("T12", "thoracic", "junctional", 3),
     ("T6", "thoracic", "semirigid", 1), ("L3", "lumbar", "mobile", 2), ("S3", "sacral", "rigid", 0),
     ("Co2", "coccygeal", None, None)],
)
def test_level_info_region_and_sins(level, region, sins, points):
    info = A.level_info(level)
    assert (info.region, info.sins_location, info.sins_points) == (region, sins, points)
    assert info.lesion_sites and info.region_note
    for key in info.source:
        assert key


def test_level_info_is_case_insensitive_and_rejects_unknown_levels():
    assert A.level_info("t12").name == "T12"
    with pytest.raises(ValueError, match="level: 'X9'.*accepted"):
        A.level_info("X9")


@pytest.mark.parametrize(
    ("level", "word"),
    [("C4", "spinal cord"), ("T11", "spinal cord"), ("L1", "conus"), ("L2", "cauda equina"),
     ("L4", "cauda equina"), ("S2", "sacral nerve roots"), ("Co1", "filum")],
)
def test_neural_content_follows_the_conus_level(level, word):
    assert word in A.neural_content(level)


def test_vascular_notes_mark_watershed_and_adamkiewicz_range():
    assert any("watershed" in n for n in A.vascular_notes("T6"))
    assert any("Adamkiewicz" in n for n in A.vascular_notes("T12"))
    assert A.vascular_notes("C3") == ()
    assert len(A.vascular_notes("T8")) == 2  # both overlap at T8–T9


def test_leading_primaries_show_the_disagreement():
    assert A.leading_primaries("statpearls", 1)[0][0] == "breast"
    assert A.leading_primaries("wang2019", 1)[0][0] == "lung"
    assert A.leading_primaries("source_document", 2) == [("lung", 31.0), ("breast", 24.0)]
    assert all(c != "unknown" for c, _ in A.leading_primaries("wang2019", 5))
    with pytest.raises(ValueError, match="dataset_id"):
        A.leading_primaries("nope")


def test_primary_table_covers_every_category_once():
    cats, data = A.primary_table()
    assert len(cats) == len(set(cats))
    assert {c for d in data for c in d["values"]} == set(cats)


@pytest.mark.parametrize(
    "make", [lambda: A.spine_figure("region"), lambda: A.spine_figure("sins"), A.vertebra_figure,
             A.compartment_figure, A.regional_figure, A.prevalence_figure],
)
def test_static_figures_have_alt_text(make):
    fig, alt = make()
    assert len(alt) > 60
    assert fig.axes


def test_spine_figure_rejects_unknown_colouring():
    with pytest.raises(ValueError, match="colour_by"):
        A.spine_figure("rainbow")


def test_regional_alt_text_carries_each_sources_numbers():
    _, alt = A.regional_figure()
    for d in datasets.distribution("regional"):
        assert d["label"] in alt


# ------------------------------------------------------------------------------------------
# Interactives
# ------------------------------------------------------------------------------------------
def test_spine_explorer_reports_region_and_sins_class():
    app = A.SpineExplorer()
    assert app.state["level"] == "T12" and app.state["sins_location"] == "junctional"
    app.set(level="T6")
    assert app.state["region"] == "thoracic"
    assert app.state["sins_location"] == "semirigid"
    assert "semirigid" in app.explanation.value and "watershed" in app.explanation.value
    assert 'alt="' in app.figure.value and "T6 highlighted" in app.state["alt"]
    app.set(level="L3", colour_by="sins")
    assert app.state["sins_location"] == "mobile" and "cauda equina" in app.explanation.value
    assert "SINS location class" in app.state["alt"]
    app.set(level="Co3")
    assert app.state["sins_location"] is None and "outside the SINS" in app.explanation.value


def test_spine_explorer_rejects_unknown_control():
    app = A.SpineExplorer()
    with pytest.raises(ValueError, match="not a control"):
        app.set(vertebra="T4")


def test_primary_app_switching_source_changes_the_ranking():
    app = A.PrimaryDistributionApp()
    assert app.state["order"][0] == "lung"  # source document: lung 31%
    app.set(source="statpearls")
    assert app.state["order"][0] == "breast"
    assert "instead puts <b>lung</b> first" in app.explanation.value
    app.set(source="wang2019")
    assert app.state["order"][:2] == ["lung", "unknown"]
    app.set(source="all")
    assert "Breast vs Lung" in app.explanation.value
    assert "Grouped" in app.state["alt"]
    app.set(order="fixed")
    assert app.state["order"] == A.primary_table()[0]


def test_primary_app_explains_what_the_lists_leave_out():
    app = A.PrimaryDistributionApp()
    app.set(source="statpearls")
    assert "add up to 59.5%" in app.explanation.value
    assert "breast 21%" in app.state["alt"]


@pytest.mark.parametrize("cls", [A.SpineExplorer, A.PrimaryDistributionApp])
def test_widget_redraws_once_per_change(cls):
    app = cls()
    name, control = next(iter(app.controls.items()))
    options = [o[1] if isinstance(o, tuple) else o for o in control.options][:6]
    for _ in range(2):
        for value in options:
            app.set(**{name: value})
    # One redraw per change (latency is measured by benchmarks/widgets.py, not asserted here).
    assert len(app.stats.durations) == 1 + 2 * len(options)


# ------------------------------------------------------------------------------------------
# Question bank
# ------------------------------------------------------------------------------------------
def test_bank_covers_every_objective_with_enough_questions():
    bank = load_bank("01_anatomy_and_epidemiology")
    assert len(bank.questions) >= 6
    assert all(ids for ids in bank.by_objective().values())


def test_bank_sources_resolve_and_answers_check():
    from course.references import cite

    bank = load_bank("01_anatomy_and_epidemiology")
    for q in bank.questions:
        for key in q.source:
            cite(key)
    sc = SelfCheck(bank.get("q_vertebrae"))
    sc.answer("33")
    assert sc.submit().correct
    sc = SelfCheck(bank.get("q_junctional"))
    sc.answer(["T12", "C7", "L5"])
    assert sc.submit().correct
    sc.answer(["T12", "L3"])
    assert not sc.submit().correct
