"""Module 07: corrected calcium, complication catalogue, rehabilitation checklist and their widgets."""

from __future__ import annotations


import pytest

from course import calculators
from course import complications as C
from course import complications_apps as CA
from course.datasets import load
from course.quiz import Case, Numeric, SelfCheck, load_bank
from course.references import cite

BANK = "07_complications_and_rehabilitation"


# ---------------------------------------------------------------- calcium
@pytest.mark.parametrize(
    "calcium, albumin, corrected",
    [(2.38, 28, 2.62), (2.45, 24, 2.77), (2.90, 30, 3.10), (2.50, 40, 2.50), (2.20, 46, 2.08)],
)
def test_corrected_calcium_hand_checked(calcium, albumin, corrected):
    """measured + 0.02 × (40 − albumin), worked by hand."""
    assert C.calcium_report(calcium, albumin).corrected_mmol_l == pytest.approx(corrected, abs=1e-9)


def test_hidden_hypercalcaemia_flag():
    assert C.calcium_report(2.45, 24).hidden_hypercalcaemia  # 2.45 looks normal, 2.77 is high
    assert not C.calcium_report(2.45, 40).hidden_hypercalcaemia
    assert not C.calcium_report(2.80, 24).hidden_hypercalcaemia  # already high before correction


@pytest.mark.parametrize(
    "value, sfe, summary, ctcae",
    [
        (2.60, "not", "not", "not"),
        (2.61, "below 3.0", "not", "not"),
        (2.65, "below 3.0", "mild", "not"),
        (2.71, "below 3.0", "mild", "grade 1"),
        (3.00, "3.0–3.5", "mild", "grade 2"),
        (3.05, "3.0–3.5", "moderate", "grade 2"),
        (3.50, "3.0–3.5", "severe", "grade 4"),
        (3.51, "above 3.5", "severe", "grade 4"),
    ],
)
def test_calcium_conventions_disagree_at_the_edges(value, sfe, summary, ctcae):
    got = [C.classify_calcium(value, c) for c in ("sfe", "blog_sfe", "ctcae")]
    for label, want in zip(got, (sfe, summary, ctcae)):
        assert label.startswith(want)


def test_unknown_convention_lists_accepted():
    with pytest.raises(ValueError, match="ctcae"):
        C.classify_calcium(3.0, "who")


def test_implausible_calcium_raises_from_calculator():
    with pytest.raises(ValueError, match="calcium_mmol_l"):
        C.calcium_report(10.4, 35)  # mg/dL entered by mistake


def test_calcium_app_headless():
    app = CA.CorrectedCalciumApp()
    app.set(calcium=2.45, albumin=24)
    assert app.state["corrected"] == pytest.approx(2.77)
    assert app.state["hidden"] is True
    assert "Hidden hypercalcaemia" in app.explanation.value
    assert 'alt="Calcium band chart' in app.figure.value
    app.set(albumin=40)
    assert app.state["corrected"] == pytest.approx(2.45)
    assert app.state["hidden"] is False
    app.set(calcium=3.6)
    assert app.state["category"] == "severe_hypercalcaemia"
    assert app.state["by_convention"]["sfe"].startswith("above 3.5")



# ---------------------------------------------------------------- complications and timeline
def test_complication_records_are_complete_and_sourced():
    phases = len(C.PHASES)
    for c in C.complications():
        assert {"id", "short", "name", "group", "category", "trigger", "phases", "watch", "source"} <= set(c)
        a, b = c["phases"]
        assert 0 <= a <= b < phases
        for key in c["source"]:
            cite(key)


def test_complications_for_plan():
    base = {c["id"] for c in C.complications_for()}
    assert base == {"neuro_deficit", "autonomic", "fracture", "hypercalcaemia"}
    plan = {c["id"] for c in C.complications_for(steroids="96 mg/day", radiotherapy="SBRT", surgery=True)}
    assert {"steroid_gi", "rt_myelopathy", "rt_wound", "surgery_hardware"} <= plan
    assert "rt_wound" not in {c["id"] for c in C.complications_for(radiotherapy="cEBRT")}
    assert "respiratory" in {c["id"] for c in C.complications_for(cervical=True)}


def test_complications_for_rejects_unknown_choice():
    with pytest.raises(ValueError, match="96 mg/day"):
        C.complications_for(steroids="8 mg")
    with pytest.raises(ValueError, match="SBRT"):
        C.complications_for(radiotherapy="protons")


def test_timeline_app_headless():
    app = CA.ComplicationTimelineApp()
    app.set(steroids="none", radiotherapy="none", opioids=False, chemotherapy=False, surgery=False,
            immobile=False, cervical=False)
    assert app.state["n_treatment"] == 0
    app.set(steroids="96 mg/day")
    assert "14.3%" in app.explanation.value and "11%" in app.explanation.value
    app.set(radiotherapy="SBRT")
    assert "12.4 Gy/1 fx" in app.explanation.value  # limits come from calculators.cord_pmax_check
    assert "rt_myelopathy" in app.state["ids"]
    app.set(opioids=True)
    assert "laxative" in app.explanation.value
    assert 'alt="Timeline chart' in app.figure.value


def test_steroid_figures_match_reference():
    rates = {r["id"]: r["percent"] for r in C.steroid_side_effects()}
    assert rates == {"heimdal": 14.3, "sorensen": 11}
    fig, alt = CA.plot_steroid_side_effects()
    assert "14.3%" in alt and "11%" in alt
    fig, alt = CA.plot_calcium_conventions(2.9)
    assert "do not line up" in alt


# ---------------------------------------------------------------- rehabilitation
@pytest.mark.parametrize(
    "kwargs, focus",
    [
        (dict(frankel="E", spine_unstable=True), "precautions"),
        (dict(frankel="E", spine_unstable=True, stabilised=True), "activity_energy"),
        (dict(frankel="B", spine_unstable=False, kps=60), "transfers_wheelchair"),
        (dict(frankel="D", spine_unstable=False), "gait_balance"),
        (dict(frankel="C", spine_unstable=False, kps=40), "carer_comfort"),
        (dict(frankel="E", spine_unstable=False, short_prognosis=True), "activity_energy"),  # m20: was carer_comfort
    ],
)
def test_rehab_focus(kwargs, focus):
    assert C.rehab_plan(**kwargs).focus.id == focus


def test_rehab_plan_always_has_supportive_care_and_no_duplicates():
    for f in C.FRANKEL_GRADES:
        plan = C.rehab_plan(frankel=f, spine_unstable=False)
        assert {"pain_control", "nutrition", "psychology"} <= set(plan.ids)
        assert len(plan.ids) == len(set(plan.ids))
        assert plan.ids[0] == plan.focus.id
    assert "pressure_bladder_bowel" in C.rehab_plan(frankel="E", spine_unstable=False,
                                                   sphincter_dysfunction=True).ids


def test_rehab_plan_validates():
    with pytest.raises(ValueError, match="frankel"):
        C.rehab_plan(frankel="F", spine_unstable=False)
    with pytest.raises(ValueError, match="kps"):
        C.rehab_plan(frankel="E", spine_unstable=False, kps=5)


def test_rehab_app_headless():
    app = CA.RehabPlanApp()
    app.set(frankel="B", spine_unstable=False, kps=60)
    assert app.state["focus"] == "transfers_wheelchair"
    app.set(spine_unstable=True)
    assert app.state["focus"] == "precautions"
    app.set(stabilised=True, kps=30)
    assert app.state["focus"] == "carer_comfort"
    assert "Focus:" in app.explanation.value
    assert 'alt="Ranked checklist' in app.figure.value


# ---------------------------------------------------------------- data, bank and references
def test_data_sources_resolve():
    data = load("complications")
    for item in data["rehabilitation"]:
        for key in item["source"]:
            cite(key)
    assert C.red_flags()


def test_bank_numeric_answers_agree_with_calculators():
    bank = load_bank(BANK)
    q = bank.get("q_corrected_calcium")
    assert isinstance(q, Numeric)
    assert q.answer == calculators.corrected_calcium(calcium_mmol_l=2.38, albumin_g_l=28).corrected_mmol_l
    case = bank.get("q_case_myeloma_calcium")
    assert isinstance(case, Case)
    assert case.steps[0].answer == calculators.corrected_calcium(calcium_mmol_l=2.90, albumin_g_l=30).corrected_mmol_l
    assert bank.get("q_cord_limit").answer == calculators.SAHGAL_PMAX[1]


def test_bank_rehab_questions_agree_with_checklist():
    bank = load_bank(BANK)
    q = bank.get("q_rehab_focus")
    correct = next(o.text for o in q.options if o.correct)
    plan = C.rehab_plan(frankel="B", spine_unstable=True, stabilised=True, kps=60)
    assert correct.startswith(plan.focus.label.split(",")[0])


def test_bank_every_question_answerable_headless():
    bank = load_bank(BANK)
    for q in bank.questions:
        if isinstance(q, Case):
            continue
        sc = SelfCheck(q)
        if isinstance(q, Numeric):
            sc.answer(f"{q.answer} {q.unit}")
        elif q.kind == "single":
            sc.answer(next(i for i, o in enumerate(q.options) if o.correct))
        else:
            sc.answer([i for i, o in enumerate(q.options) if o.correct])
        assert sc.submit().correct, q.id


# ----------------------------------------------------------------------------------------------
# Review findings M12, m3, m17, m20 (issue 10)
# ----------------------------------------------------------------------------------------------
def test_sbrt_fracture_and_pain_flare_are_in_the_catalogue():
    """M12: the two commonest SBRT harms were missing (only skin, fatigue, wound, myelopathy, second cancer)."""
    sbrt = {c["id"] for c in C.complications_for(radiotherapy="SBRT")}
    conventional = {c["id"] for c in C.complications_for(radiotherapy="cEBRT")}
    assert {"sbrt_fracture", "pain_flare"} <= sbrt
    assert "pain_flare" in conventional and "sbrt_fracture" not in conventional
    vcf = next(c for c in C.complications() if c["id"] == "sbrt_fracture")
    assert "14%" in vcf["name"] and "lytic" in vcf["watch"]


def test_bone_agent_harms():
    """M12/m17: osteonecrosis of the jaw and hypocalcaemia with denosumab or zoledronic acid."""
    ids = {c["id"] for c in C.complications_for(bone_agent=True)}
    assert {"bone_agent_onj", "bone_agent_hypocalcaemia"} <= ids
    assert not {"bone_agent_onj"} & {c["id"] for c in C.complications_for()}
    agents = {a["agent"]: a for a in load("treatment")["medical"]["bone_targeted"]}
    assert "120 mg subcutaneously every 4 weeks" in agents["denosumab"]["dose"]
    assert "4 mg IV" in agents["bisphosphonates (zoledronic acid)"]["dose"]


def test_hypercalcaemia_mechanism_and_treatment():
    """m3: about 80% humoral (PTHrP); treatment fluids → IV bisphosphonate; myeloma on ionised calcium."""
    notes = " ".join(load("complications")["calcium"]["notes"])
    assert "80%" in notes and "PTHrP" in notes and "calcitriol" in notes
    steps = [t["step"] for t in C.hypercalcaemia_treatment()]
    assert steps[:2] == ["Rehydrate", "Bisphosphonate"]
    myeloma = next(t for t in C.hypercalcaemia_treatment() if t["step"] == "Myeloma")
    assert "ionised calcium" in myeloma["text"]


def test_limited_survival_keeps_functional_rehabilitation_goals():
    """m20: with 3–6 months' expected survival the aim stays functional (was: comfort focus)."""
    plan = C.rehab_plan(frankel="C", spine_unstable=False, kps=60, short_prognosis=True)
    assert plan.focus.id == "gait_balance" and "carer_comfort" in plan.ids
    assert "still aims at function" in plan.explanation
    assert C.rehab_plan(frankel="C", spine_unstable=False, kps=40).focus.id == "carer_comfort"


def test_timeline_app_shows_bone_agent_harms():
    app = CA.ComplicationTimelineApp()
    app.set(bone_agent=True, radiotherapy="SBRT")
    assert {"bone_agent_onj", "sbrt_fracture"} <= set(app.state["ids"])
    assert "Sahgal 2013: 14%" in app.explanation.value
