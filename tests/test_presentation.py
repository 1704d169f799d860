"""Module 03: the localisation engine, the triage table and the two interactives (driven headless)."""

from __future__ import annotations


import re

import pytest

from course import datasets
from course import presentation as P
from course import presentation_apps as A
from course.quiz import SelfCheck, load_bank


# ------------------------------------------------------------------------------------------
# Localisation engine: textbook patterns
# ------------------------------------------------------------------------------------------
def test_t10_level_with_brisk_leg_reflexes_is_thoracic_cord_at_t8_t9():
    r = P.localise(sensory_level="T10", reflexes={"knee": "brisk", "ankle": "brisk"})
    assert r.syndrome == "cord" and r.region == "thoracic cord"
    assert r.segments == "T10" and r.vertebrae == "T8–T9"
    assert r.consistent and r.neurological
    text = " ".join(r.steps)
    assert "sensory level" in text and "upper-motor-neurone" in text.lower() and "two vertebrae higher" in text


def test_saddle_anaesthesia_absent_ankles_and_retention_is_cauda_equina():
    r = P.localise(saddle_anaesthesia=True, reflexes={"Achilles": "absent"}, sphincter="retention")
    assert r.syndrome == "cauda_equina" and r.consistent
    assert "L2" in r.vertebrae
    assert "cauda equina" in " ".join(r.steps)


def test_c6_thumb_wrist_extension_and_brachioradialis_is_c6_root():
    r = P.localise(numb_dermatomes=["C6"], weak_myotomes=["C6"], reflexes={"brachioradialis": "reduced"})
    assert r.syndrome == "root" and r.region == "cervical" and r.segments == "C6"
    assert r.vertebrae == "C5–C6 foramen" and r.consistent


def test_sacral_signs_with_upper_motor_neurone_signs_in_the_legs_point_to_the_conus():
    r = P.localise(saddle_anaesthesia=True, sphincter="retention", reflexes={"plantar": "extensor", "ankle": "absent"})
    assert r.syndrome == "conus" and r.vertebrae == "T12–L1"


def test_upper_motor_neurone_signs_alone_do_not_fix_the_height():
    r = P.localise(reflexes={"knee": "brisk", "plantar": "extensor"})
    assert r.syndrome == "cord" and r.segments == "above L3"


def test_no_findings_localises_nothing():
    r = P.localise()
    assert r.syndrome == "none" and not r.neurological
    assert "does not" in r.summary or "No localising" in r.summary


def test_sensory_level_a_little_below_an_upper_motor_neurone_sign_is_accepted():
    r = P.localise(sensory_level="T4", reflexes={"upper abdominal": "absent"})
    assert r.consistent


# ------------------------------------------------------------------------------------------
# Contradictory input
# ------------------------------------------------------------------------------------------
def test_sensory_level_plus_c6_signs_is_flagged_as_two_heights():
    r = P.localise(sensory_level="T10", numb_dermatomes=["C6"], weak_myotomes=["C6"],
                   reflexes={"knee": "brisk", "ankle": "brisk"})
    assert not r.consistent
    assert "well above the T10 sensory level" in r.conflicts[0]
    assert "two lesions" in r.conflicts[0]
    assert "do not fit a single lesion" in r.to_html() and "⚠" in r.to_html()


def test_brisk_biceps_far_above_a_thoracic_level_is_flagged():
    r = P.localise(sensory_level="T12", reflexes={"biceps": "brisk"})
    assert not r.consistent and "higher lesion or two lesions" in r.conflicts[0]


def test_lost_ankle_reflex_below_a_cord_lesion_is_flagged():
    r = P.localise(sensory_level="T6", reflexes={"knee": "brisk", "ankle": "absent"})
    assert not r.consistent and "spinal shock" in r.conflicts[0]


def test_cauda_equina_with_arm_findings_is_flagged():
    r = P.localise(saddle_anaesthesia=True, numb_dermatomes=["C6"])
    assert r.syndrome == "cauda_equina" and not r.consistent and "second, higher problem" in r.conflicts[0]


def test_roots_far_apart_are_flagged():
    r = P.localise(numb_dermatomes=["C6", "L5"])
    assert not r.consistent and "too far apart" in r.conflicts[0]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"sensory_level": "T13"}, "sensory_level"), ({"weak_myotomes": ["T6"]}, "weak_myotomes"),
     ({"reflexes": {"jaw": "brisk"}}, "reflexes"), ({"reflexes": {"knee": "very brisk"}}, "reflexes"),
     ({"reflexes": {"plantar": "brisk"}}, "plantar"), ({"sphincter": "leaky"}, "sphincter"),
     ({"numb_dermatomes": ["X1"]}, "numb_dermatomes")],
)
def test_invalid_input_names_the_field_and_lists_accepted_values(kwargs, field):
    with pytest.raises(ValueError, match=field) as exc:
        P.localise(**kwargs)
    assert "accepted" in str(exc.value)


# ------------------------------------------------------------------------------------------
# Segment → vertebra
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("segment", "expected"),
    [("C2", ("C2", "C2")), ("C6", ("C5", "C6")), ("C8", ("C7", "T1")), ("T1", ("C7", "T1")),
     ("T10", ("T8", "T9")), ("T12", ("T10", "T11")), ("L3", ("T10", "T12")), ("S3", ("T12", "L1"))],
)
def test_segments_lie_above_their_vertebrae(segment, expected):
    assert P.segment_to_vertebrae(segment) == expected


def test_every_segment_maps_and_never_below_its_own_vertebra():
    order = [lv.name for lv in datasets.levels()]
    for seg in P.SEGMENTS:
        top, bottom = P.segment_to_vertebrae(seg)
        assert order.index(top) <= order.index(bottom)
        if seg in order:
            assert order.index(bottom) <= order.index(seg)


# ------------------------------------------------------------------------------------------
# Triage (C1, M8: the MSCC pathway and dexamethasone are for people with past, current or suspected cancer)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("vignette", P.vignettes(), ids=lambda v: v["id"])
def test_vignette_expectations_match_the_decision_table(vignette):
    r = P.triage(vignette["features"])
    assert (r.category, r.rule_id) == (vignette["expected"], vignette["rule"])
    assert vignette["lesson"]


def test_every_decision_table_row_has_a_vignette():
    shown = {P.triage(v["features"]).rule_id for v in P.vignettes()}
    assert shown == {r["id"] for r in P.rules()}


@pytest.mark.parametrize("present", [
    ["spinal_pain", "radicular_pain"],                      # back pain and sciatica, no cancer
    ["spinal_pain", "walking_difficulty"],                  # back pain and difficulty walking, no cancer
    ["spinal_pain", "saddle_anaesthesia", "sphincter_dysfunction"],
])
def test_no_cancer_never_means_the_mscc_pathway_or_dexamethasone(present):
    r = P.triage(present)
    assert r.pathway != "mscc" and not r.dexamethasone and r.category != "emergency"
    assert "16 mg" not in r.steroids


def test_saddle_numbness_and_retention_without_cancer_is_the_cauda_equina_pathway():
    r = P.triage(["spinal_pain", "saddle_anaesthesia", "sphincter_dysfunction"])
    assert r.category == "cauda_equina" and r.pathway == "ces" and "4 hours" in r.mri
    assert "girft_ces2023" in r.source and "No dexamethasone" in r.steroids


def test_new_weakness_without_cancer_is_a_spinal_emergency_without_steroid_imaged_at_the_level():
    r = P.triage(["limb_weakness", "walking_difficulty"])
    assert r.rule_id == "deficit_no_cancer" and r.pathway == "spinal" and not r.dexamethasone
    assert "level the examination points to" in r.mri and "lumbosacral" not in r.mri


def test_sciatica_without_cancer_is_not_an_emergency_but_is_safety_netted():
    r = P.triage(["spinal_pain", "radicular_pain"])
    assert r.rule_id == "radicular_no_cancer" and r.category == "routine"
    assert "cauda equina" in r.other and "no known or suspected cancer" in r.reasons


def test_neurology_with_cancer_means_immediate_contact_24h_mri_and_dexamethasone_with_ppi_and_glucose():
    r = P.triage(["cancer_history", "limb_weakness"])
    assert r.category == "emergency" and r.dexamethasone and "24 hours" in r.mri and "16 mg" in r.steroids
    assert "immediately" in r.coordinator and "MSCC coordinator" in r.coordinator
    assert "proton-pump inhibitor" in r.steroids and "glucose" in r.steroids
    assert "nice_ng234" in r.source and "nice_qs56" in r.source


def test_suspected_cancer_is_enough_for_the_mscc_pathway():
    r = P.triage(["suspected_cancer", "spinal_pain", "limb_weakness"])
    assert r.rule_id == "mscc_neuro" and r.dexamethasone


def test_suspected_lymphoma_means_biopsy_before_steroids():
    r = P.triage(["lymphoma_suspected", "spinal_pain", "sensory_change"])
    assert r.category == "emergency" and r.rule_id == "mscc_neuro_lymphoma"
    assert not r.dexamethasone and "biopsy" in r.steroids.lower() and "haematology" in r.coordinator


def test_suggestive_pain_without_neurology_means_coordinator_within_24h_and_mri_within_a_week():
    r = P.triage(["cancer_history", "spinal_pain", "night_pain"])
    assert r.category == "urgent" and "1 week" in r.mri and "No steroids" in r.steroids
    assert "within 24 hours" in r.coordinator and "MSCC coordinator" in r.coordinator
    assert not r.dexamethasone and not r.footnotes  # [V2]: taught as a fact, no hedge


def test_pain_without_cancer_history_or_features_is_routine():
    assert P.triage(["spinal_pain"]).category == "routine"
    assert P.triage(["spinal_pain", "night_pain"]).category == "routine"


def test_triage_rejects_unknown_features_and_a_bare_string():
    with pytest.raises(ValueError, match="present: 'fever'.*accepted"):
        P.triage(["fever"])
    with pytest.raises(ValueError, match="present: give a list"):
        P.triage("cancer_history")


def test_decision_table_markdown_carries_the_disclaimer_footnotes_and_author_year_sources():
    text = P.decision_table_markdown()
    assert "Local MSCC pathways differ" in text and "[1]" in text and "NICE" in text
    assert "nice_ng234" not in text and "girft" not in text  # no reference keys shown to students
    assert "cauda equina or spinal emergency" in text


def test_vignettes_markdown_gives_each_answer_and_steroid_decision():
    text = P.vignettes_markdown()
    assert text.count("\n") == len(P.vignettes()) - 1
    assert "no dexamethasone" in text and "dexamethasone 16 mg" in text


def test_bedside_rule_and_cadaver_rule_disagree_by_about_one_level_at_t10():
    assert P.segment_to_vertebrae("T10") == ("T8", "T9")
    assert P.bedside_vertebra("T10") == "T7"
    assert P.bedside_vertebra("C6") == "C5"
    with pytest.raises(ValueError, match="segment: the bedside rule covers"):
        P.bedside_vertebra("L3")
    assert "| T10 | T8–T9 | T7 |" in P.segment_rules_markdown()


def test_presentation_data_sources_resolve():
    pairs = datasets.check_sources()
    assert any(path.startswith("presentation") for path, _ in pairs)


# ------------------------------------------------------------------------------------------
# Interactives
# ------------------------------------------------------------------------------------------
def test_localisation_app_presets_drive_the_engine():
    app = A.LocalisationApp()
    assert app.state["syndrome"] == "none"
    app.load_preset("Thoracic cord: T10 level, brisk legs")
    assert app.state["syndrome"] == "cord" and app.state["vertebrae"] == "T8–T9"
    assert "T8–T9" in app.state["alt"] and "Reasoning" in app.explanation.value
    app.load_preset("Cauda equina: saddle, absent ankles, retention")
    assert app.state["syndrome"] == "cauda_equina"
    app.load_preset("C6 root: thumb, wrist extension, brachioradialis")
    assert app.state["syndrome"] == "root"
    app.load_preset("Contradictory: T10 level plus C6 signs")
    assert app.state["consistent"] is False and "⚠" in app.explanation.value
    with pytest.raises(ValueError, match="name"):
        app.load_preset("nonsense")


def test_localisation_app_single_control_changes():
    app = A.LocalisationApp()
    app.set(sensory_level="T4", patellar="brisk")
    assert app.state["syndrome"] == "cord" and app.state["vertebrae"] == "T2–T3"
    app.preset.value = "Clear all"
    assert app.state["syndrome"] == "none"


def test_triage_app_scores_choices_and_reveals_answers():
    app = A.TriageApp()
    answers = app.state["answers"]
    assert app.state["answered"] == 0
    app.set(v1="emergency", v2="emergency")
    assert app.state["answered"] == 2 and app.state["score"] == (answers["v2"] == "emergency") + 1
    assert "differs" in app.explanation.value
    app.set(v10="emergency")
    assert "no dexamethasone" in app.explanation.value and "cauda equina or spinal emergency" in app.explanation.value
    assert app.state["dexamethasone"]["v10"] is False and app.state["dexamethasone"]["v1"] is True
    app.set(show_answers=True)
    assert "Decision table" in app.explanation.value and "green rings" in app.state["alt"]
    app.set(**answers)
    assert app.state["score"] == len(answers)


@pytest.mark.parametrize("make", [A.dermatome_figure, A.segment_figure])
def test_static_figures_have_alt_text(make):
    fig, alt = make()
    assert len(alt) > 80 and fig.axes


@pytest.mark.parametrize("cls", [A.LocalisationApp, A.TriageApp])
def test_widget_redraws_on_every_change(cls):
    app = cls()
    if cls is A.LocalisationApp:
        for _ in range(2):
            for name in A.PRESETS:
                app.load_preset(name)
    else:
        for v in ("emergency", "cauda_equina", "urgent", "routine", None) * 3:
            app.set(v1=v)
    # Each preset or answer redraws (latency is measured by benchmarks/widgets.py, not asserted here).
    assert len(app.stats.durations) > (2 * len(A.PRESETS) if cls is A.LocalisationApp else 12)


# ------------------------------------------------------------------------------------------
# Question bank
# ------------------------------------------------------------------------------------------
def test_bank_covers_every_objective_and_checks_answers():
    from course.references import cite

    bank = load_bank("03_clinical_presentation")
    assert len(bank.questions) >= 6 and all(bank.by_objective().values())
    for q in bank.questions:
        for key in q.source:
            cite(key)
    sc = SelfCheck(bank.get("q_level_t10"))
    sc.answer(1)
    assert sc.submit().correct


def test_presentation_lists_carry_author_year_sources_and_no_false_hedges():
    data = datasets.load("presentation")
    pain = P.pain_patterns_markdown()
    assert pain.count("\n- ") == len(data["pain_patterns"]) - 1
    assert all(P.cite_text(p["source"]) in pain for p in data["pain_patterns"])
    assert "nice_cg75" not in pain and "(NICE" in pain
    # m7: radicular pain as a neurological symptom is [V2] (NICE CG75 key priorities): no hedge
    assert "unverified" not in pain and "not checked" not in pain
    regions = P.regional_pictures_markdown()
    assert {"**Cervical**", "**Thoracic**", "**Lumbar**"} <= {w for w in re.findall(r"\*\*\w+\*\*", regions)}
    flags = P.red_flags_markdown()
    assert flags.count("\n- ") == len(data["red_flags"]) - 1
    assert "not re-read" not in flags and "unverified" not in flags
