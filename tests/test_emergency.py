"""The "time is spine" teaching model (course.emergency) and its interactive (course.emergency_apps)."""

from __future__ import annotations

import re

import pytest

from course import emergency as E
from course.datasets import check_sources, load
from course.references import cite


def best(sid: str, **kw) -> E.Plan:
    """The pathway plan for each synthetic patient."""
    plans = {
        "breast_neuro": dict(call="coordinator", imaging="whole_spine_urgent", steroid="dex16_cover"),
        "prostate_pain": dict(call="coordinator", imaging="whole_spine_week", steroid="none"),
        "unknown_primary": dict(call="coordinator", imaging="whole_spine_urgent", steroid="after_biopsy",
                                workup=True),
        "cauda_equina_no_cancer": dict(call="spinal_oncall", imaging="lumbosacral_4h", steroid="none"),
    }
    return E.Plan(sid, **{**plans[sid], **kw})


# -- data ---------------------------------------------------------------------------------------
def test_every_published_outcome_carries_a_source_or_is_flagged_unverified():
    for row in load("emergency")["outcomes"]:
        assert row["confidence"] in ("V1", "V2", "M")
        if row["confidence"] != "M":
            assert row["source"], row
            for key in row["source"]:
                cite(key)
    check_sources()


def test_illustrative_parameters_carry_no_citation():
    """The invented rates must not look sourced: no `source` inside the illustrative blocks."""
    data = load("emergency")
    for sc in data["scenarios"].values():
        assert "source" not in sc["illustrative"]
    assert "source" not in data["illustrative_steps"]


def test_published_numbers_match_the_addendum():
    rows = {(r["study"], r["treatment"]): r for r in load("emergency")["outcomes"] if "percent" in r}
    surgery = rows[("Patchell et al. (2005)", "decompressive surgery and radiotherapy (trial arm)")]
    rt = rows[("Patchell et al. (2005)", "radiotherapy alone (trial arm)")]
    assert (surgery["n"], surgery["of"], surgery["percent"]) == (10, 16, 62)
    assert (rt["n"], rt["of"], rt["percent"]) == (3, 16, 19)
    for r in rows.values():  # the percentage is the fraction, rounded down or to nearest
        assert abs(100 * r["n"] / r["of"] - r["percent"]) < 1.0, r
    assert [r["ambulatory_after_percent"] for r in E.onset_speed()] == [35, 55, 86]
    assert E.first_presentation()["schiff_percent"] == 20


# -- the model ------------------------------------------------------------------------------------
@pytest.mark.parametrize("sid", list(E.scenarios()))
def test_pathway_plan_meets_every_clock_and_has_no_harm(sid):
    out = E.simulate(best(sid))
    assert all(c.met for c in out.clocks), [(c.name, c.actual_hours) for c in out.clocks]
    assert not out.harms, [(c.item, c.verdict) for c in out.harms]
    assert all(c.verdict in ("good", "done", "optional", "not needed") for c in out.checks)


def test_delay_makes_walking_at_treatment_worse_in_the_neurological_case():
    good = E.simulate(best("breast_neuro"))
    slow = E.simulate(best("breast_neuro", call="morning", imaging="xray_first", steroid="none"))
    assert good.status_at_treatment.id == "aided"
    assert slow.status_at_treatment.index > good.status_at_treatment.index
    assert slow.treatment_hour > good.treatment_hour
    assert not [c for c in slow.clocks if "MRI within 24" in c.name][0].met


def test_steroids_slow_the_illustrative_decline():
    with_dex = E.simulate(best("breast_neuro", call="morning"))
    without = E.simulate(best("breast_neuro", call="morning", steroid="none"))
    assert with_dex.treatment_hour == without.treatment_hour
    assert with_dex.course[-1][1] < without.course[-1][1]


def test_course_is_frozen_from_treatment_and_never_improves_before():
    out = E.simulate(best("breast_neuro", call="letter"))
    values = [d for _, d in out.course]
    assert values == sorted(values)
    assert out.course[-1][0] == out.treatment_hour
    assert max(values) <= E.MAX_DEFICIT
    assert out.status_at_treatment.id == "paraplegic"


def test_steroids_before_biopsy_delay_the_diagnosis_when_lymphoma_is_possible():
    first = E.simulate(best("unknown_primary"))
    dex = E.simulate(best("unknown_primary", steroid="dex16_cover"))
    assert dex.decision_hour > first.decision_hour
    assert any("not diagnostic" in e.label for e in dex.events)
    assert [c.verdict for c in dex.checks if c.item == "steroid"] == ["harm"]
    assert first.steroid_hour is not None and first.steroid_hour > first.mri_hour


def test_first_presentation_needs_the_work_up():
    out = E.simulate(best("unknown_primary", workup=False))
    assert [c.item for c in out.harms] == ["workup"]


def test_pain_without_neurology_has_the_one_week_clock_and_no_routine_steroid():
    out = E.simulate(best("prostate_pain"))
    assert [c.target_hours for c in out.clocks][:2] == [24, 168]
    dex = E.simulate(best("prostate_pain", steroid="dex16_cover"))
    verdict = [c for c in dex.checks if c.item == "steroid"][0]
    assert verdict.verdict == "poor" and "not routine" in verdict.message
    fast = E.simulate(best("prostate_pain", imaging="whole_spine_urgent"))
    assert [c.verdict for c in fast.checks if c.item == "imaging"] == ["ok"]


def test_plain_xray_is_never_acceptable():
    for sid in E.scenarios():
        out = E.simulate(best(sid, imaging="xray_first"))
        assert [c.verdict for c in out.checks if c.item == "imaging"] == ["harm"], sid


def test_no_cancer_is_not_the_mscc_pathway():
    out = E.simulate(best("cauda_equina_no_cancer", call="coordinator"))
    call = [c for c in out.checks if c.item == "call"][0]
    assert call.verdict == "poor" and "not the MSCC pathway" in call.message
    assert not out.published and out.notes
    assert any("Passed on" in e.label for e in out.events)
    dex = E.simulate(best("cauda_equina_no_cancer", steroid="dex16_cover"))
    assert [c.verdict for c in dex.checks if c.item == "steroid"] == ["harm"]


def test_partial_scan_in_mscc_costs_a_rescan():
    whole = E.simulate(best("breast_neuro"))
    part = E.simulate(best("breast_neuro", imaging="level_only"))
    assert part.mri_hour - whole.mri_hour == load("emergency")["illustrative_steps"]["rescan"]


def test_missing_supportive_care_is_named():
    out = E.simulate(best("breast_neuro", bladder=False, precautions=False))
    assert sorted(c.item for c in out.harms) == ["bladder", "precautions"]


@pytest.mark.parametrize("status_id", ["unaided", "aided", "non_ambulatory", "paraplegic"])
def test_every_status_has_published_outcomes_with_sources(status_id):
    rows = E.published_outcomes(status_id)
    assert rows
    for r in rows:
        assert r.confidence == "M" or r.source
        assert ("background knowledge" in r.text()) == (r.confidence == "M")


def test_outcome_shown_is_the_one_for_the_status_at_treatment():
    out = E.simulate(best("breast_neuro", call="morning", steroid="none"))
    assert out.published == tuple(E.published_outcomes(out.status_at_treatment.id))
    assert E.citations(out)


@pytest.mark.parametrize("field,value", [("scenario", "sciatica"), ("call", "gp"), ("imaging", "ct"),
                                         ("steroid", "dex8"), ("bladder", "yes")])
def test_bad_input_names_the_field_and_the_accepted_values(field, value):
    kwargs = {"scenario": "breast_neuro", field: value}
    with pytest.raises(ValueError, match=rf"^{field}: .*accepted"):
        E.simulate(E.Plan(**kwargs))


def test_unknown_status_and_kind_raise():
    with pytest.raises(ValueError, match="status: .*accepted"):
        E.status("walking")
    with pytest.raises(ValueError, match="kind: .*accepted"):
        E.choices("surgery")


def test_notice_says_teaching_model_and_illustrative():
    assert "Teaching model" in E.TEACHING_MODEL_NOTICE and "illustrative" in E.TEACHING_MODEL_NOTICE


# -- the interactive -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app():
    from course.emergency_apps import TimeIsSpineApp

    return TimeIsSpineApp()


def test_app_controls_are_labelled_native_widgets(app):
    import ipywidgets as W

    for name, w in app.controls.items():
        assert isinstance(w, (W.Dropdown, W.Checkbox)), name
        assert w.description.strip(), name


def test_app_callbacks_change_state_alt_and_html(app):
    app.set(scenario="breast_neuro", call="coordinator", imaging="whole_spine_urgent", steroid="dex16_cover")
    good_alt, good_html = app.state["alt"], app.explanation.value
    assert app.state["status_at_treatment"] == "aided"
    assert app.state["clocks_met"] == app.state["clocks_total"]
    assert "Teaching model" in good_html and "illustrative" in good_html
    assert "Leviov et al. (1993)" in good_html

    app.set(call="morning", imaging="xray_first", steroid="none")
    assert app.state["status_at_treatment"] == "paraplegic"
    assert app.state["alt"] != good_alt and "paraplegic" not in app.state["alt"]
    assert "no useful leg movement when treatment starts" in app.state["alt"]
    assert "✘ can cause harm" in app.explanation.value
    assert "Patchell et al. (2005)" in app.explanation.value
    assert 'alt="' in app.figure.value


def test_app_checkbox_drives_verdict(app):
    app.set(scenario="breast_neuro", call="coordinator", imaging="whole_spine_urgent", steroid="dex16_cover",
            bladder=False)
    assert "bladder" in app.state["harms"]
    assert "✘ missed" in app.explanation.value
    app.set(bladder=True)
    assert "bladder" not in app.state["harms"]


def test_app_shows_no_internal_names(app):
    for sid in E.scenarios():
        app.set(scenario=sid)
        text = re.sub(r"<[^>]+>", " ", app.explanation.value) + app.state["alt"]
        for internal in ("whole_spine", "dex16", "spinal_oncall", "non_ambulatory", "breast_neuro", "0x"):
            assert internal not in text, (sid, internal)
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)


def test_app_no_cancer_case_says_outcomes_do_not_apply(app):
    app.set(scenario="cauda_equina_no_cancer", call="spinal_oncall", imaging="lumbosacral_4h", steroid="none")
    assert "not on the MSCC pathway" in app.explanation.value
    assert "4-hour" in app.state["alt"]


# -- the notebook's citations -------------------------------------------------------------------------
def _notebook_citations():
    import nbformat

    from conftest import ROOT

    nb = nbformat.read(ROOT / "notebooks" / "03a_mscc_emergency.ipynb", as_version=4)
    text = " ".join(" ".join(c.source for c in nb.cells if c.cell_type == "markdown").split())
    biblio = [c.source for c in nb.cells if c.cell_type == "code" and "show_bibliography(" in c.source][-1]
    keys = re.findall(r'"([a-z0-9_]+)"', biblio)
    cited = set()
    for group in re.findall(r"\(([A-Z][^()]*?, (?:\d{4}[a-z]?|n\.d\.)(?:; [^()]*)?)\)", text):
        cited.update(part.strip() for part in group.split(";"))
    return cited, keys


def test_every_citation_in_the_notebook_is_in_its_bibliography():
    """'(NICE, 2023a)' must be the label of an entry the References list shows (suffixes included)."""
    from course.references import author_year

    cited, keys = _notebook_citations()
    labels = {author_year(k) for k in keys}
    assert cited and not (cited - labels), sorted(cited - labels)


def test_citation_check_can_fail():
    from course.references import author_year

    assert "NICE, 2023" not in {author_year(k) for k in ("nice_ng234", "nice_qs56_2023")}


def _duplicate_keys(text: str) -> list[str]:
    return sorted({k for k in re.findall(r"^([a-z0-9_]+):", text, flags=re.M)
                   if len(re.findall(rf"^{k}:", text, flags=re.M)) > 1})


def test_references_file_has_no_duplicate_keys():
    """YAML keeps the last of two equal keys silently; two people adding one key would lose an entry."""
    from conftest import ROOT

    text = (ROOT / "course" / "data" / "references.yaml").read_text(encoding="utf-8")
    assert _duplicate_keys(text) == []
    assert _duplicate_keys("a:\n  x: 1\nb:\n  y: 2\na:\n  z: 3\n") == ["a"]
