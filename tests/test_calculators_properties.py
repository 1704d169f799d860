"""Property tests of :mod:`course.calculators` over all valid inputs (hypothesis, deterministic).

Category orders are written out by hand, worst first for SINS and Tomita (higher = worse) and
best last for Tokuhashi (higher = better), so a mis-ordered point table fails here.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import calculators as calc

FAST = settings(derandomize=True, max_examples=150, deadline=None)

# ---------------------------------------------------------------------------------------------
# SINS: higher = less stable; categories listed from least to most points.
# ---------------------------------------------------------------------------------------------
SINS_ORDER = {
    "location": ["rigid", "semirigid", "mobile", "junctional"],
    "pain": ["pain_free", "occasional_nonmechanical", "mechanical"],
    "bone_lesion": ["blastic", "mixed", "lytic"],
    "alignment": ["normal", "de_novo_deformity", "subluxation_translation"],
    "collapse": ["none", "no_collapse_gt50_involved", "lt50", "gt50"],
    "posterolateral": ["none", "unilateral", "bilateral"],
}
sins_inputs = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in SINS_ORDER.items()})


def sins_band(total: int) -> str:
    return "stable" if total <= 6 else "potentially_unstable" if total <= 12 else "unstable"


@FAST
@given(sins_inputs)
def test_sins_total_and_band(inputs):
    result = calc.sins(**inputs)
    assert 0 <= result.total <= 18
    assert result.total == sum(result.components.values())
    assert result.category == sins_band(result.total)
    assert result.surgical_consultation_recommended is (result.total >= 7)
    assert result.explanation.startswith(f"SINS {result.total} = ")


@FAST
@given(sins_inputs, st.sampled_from(sorted(SINS_ORDER)))
def test_sins_worse_category_never_lowers_the_score(inputs, component):
    totals = [calc.sins(**{**inputs, component: category}).total for category in SINS_ORDER[component]]
    assert totals == sorted(totals)
    assert len(set(totals)) == len(totals)  # every step is worth at least one point


@FAST
@given(st.sampled_from(calc.SINS_LEVELS), sins_inputs)
def test_sins_level_equals_its_location(level, inputs):
    by_level = calc.sins(level=level, **{k: v for k, v in inputs.items() if k != "location"})
    by_location = calc.sins(location=by_level.location, **{k: v for k, v in inputs.items() if k != "location"})
    assert by_level.total == by_location.total


@FAST
@given(st.one_of(st.text(max_size=12), st.integers(), st.none(), st.booleans(), st.floats()),
       st.sampled_from(sorted(SINS_ORDER)), sins_inputs)
def test_sins_junk_raises_value_error_only(junk, component, inputs):
    if junk in SINS_ORDER[component]:
        return
    with pytest.raises(ValueError, match=component):
        calc.sins(**{**inputs, component: junk})


@FAST
@given(st.floats(0, 100), st.booleans())
def test_collapse_category_is_monotone(percent, involved):
    order = ["none", "no_collapse_gt50_involved", "lt50", "gt50"]
    here = calc.collapse_category(percent, involved)
    more = calc.collapse_category(min(100.0, percent + 1), involved)
    assert order.index(more) >= order.index(here)
    assert (here == "gt50") is (percent >= 50)


# ---------------------------------------------------------------------------------------------
# Revised Tokuhashi: higher = better prognosis.
# ---------------------------------------------------------------------------------------------
tokuhashi_inputs = st.fixed_dictionaries({
    "kps": st.sampled_from(range(10, 101, 10)),
    "extraspinal_bone_mets": st.integers(0, 30),
    "vertebral_body_mets": st.integers(1, 30),
    "major_organ_mets": st.sampled_from(["unremovable", "removable", "none"]),
    "primary_site": st.one_of(
        st.sampled_from(["lung", "stomach", "liver", "unidentified", "colon", "kidney", "rectum", "breast",
                         "prostate", "carcinoid", "melanoma"]),
        st.sampled_from(["NSCLC", "Renal cell carcinoma", "HCC", "unknown primary", "Multiple myeloma", "other"])),
    "frankel": st.sampled_from("ABCDE"),
})


def tokuhashi_band(total: int) -> str:
    return "<6 months" if total <= 8 else ">=6 months" if total <= 11 else ">=1 year"


@FAST
@given(tokuhashi_inputs)
def test_tokuhashi_total_and_band(inputs):
    result = calc.revised_tokuhashi(**inputs)
    assert 0 <= result.total <= 15
    assert result.total == sum(result.components.values())
    assert result.prognosis == tokuhashi_band(result.total)


@FAST
@given(tokuhashi_inputs)
def test_tokuhashi_is_monotone(inputs):
    def total(**changes):
        return calc.revised_tokuhashi(**{**inputs, **changes}).total

    base = total()
    if inputs["kps"] < 100:
        assert total(kps=inputs["kps"] + 10) >= base
    assert total(extraspinal_bone_mets=inputs["extraspinal_bone_mets"] + 1) <= base
    assert total(vertebral_body_mets=inputs["vertebral_body_mets"] + 1) <= base
    organ = [total(major_organ_mets=m) for m in ("unremovable", "removable", "none")]
    assert organ == sorted(organ) and len(set(organ)) == 3
    palsy = [total(frankel=g) for g in "ABCDE"]
    assert palsy == sorted(palsy)


@FAST
@given(tokuhashi_inputs)
def test_tokuhashi_others_is_always_flagged(inputs):
    result = calc.revised_tokuhashi(**inputs)
    if result.primary_site_group == "others":
        assert result.components["primary_site"] == 2
        assert result.caveats or inputs["primary_site"] in ("others", "other")


@FAST
@given(st.text(min_size=1, max_size=12))
def test_tokuhashi_never_silently_scores_free_text(text):
    """Any string is either a name of the closed vocabulary or refused (M3)."""
    from course import vocabulary
    try:
        result = calc.revised_tokuhashi(kps=80, extraspinal_bone_mets=0, vertebral_body_mets=1,
                                        major_organ_mets="none", primary_site=text, frankel="E")
    except ValueError as exc:
        assert str(exc).startswith("primary_site") and "accepted values" in str(exc)
    else:
        assert vocabulary.normalise(text) in vocabulary.aliases("revised_tokuhashi") or vocabulary.clinical_name(text)
        assert result.primary_site_group != "others" or result.caveats or \
            vocabulary.clinical_name(text) == "other"


# ---------------------------------------------------------------------------------------------
# Tomita: higher = worse.
# ---------------------------------------------------------------------------------------------
TOMITA_ORDER = {
    "primary_growth": ["slow", "moderate", "rapid"],
    "visceral_mets": ["none", "treatable", "untreatable"],
    "bone_mets": ["solitary", "multiple"],
}
TOMITA_GOALS = ["wide_or_marginal_excision", "marginal_or_intralesional_excision", "palliative_surgery",
                "nonoperative_supportive_care"]


def test_tomita_exhaustive_properties():
    for values in itertools.product(*TOMITA_ORDER.values()):
        inputs = dict(zip(TOMITA_ORDER, values))
        result = calc.tomita(**inputs)
        assert 2 <= result.total <= 10
        assert result.treatment_goal == TOMITA_GOALS[min((result.total - 2) // 2, 3)]  # 2–3, 4–5, 6–7, 8–10
        for component, order in TOMITA_ORDER.items():
            totals = [calc.tomita(**{**inputs, component: c}).total for c in order]
            assert totals == sorted(totals) and len(set(totals)) == len(totals)


# ---------------------------------------------------------------------------------------------
# ESCC and NOMS
# ---------------------------------------------------------------------------------------------
FINDINGS = ("epidural_disease", "thecal_sac_deformed", "cord_abutment", "cord_compressed",
            "csf_visible_around_cord")


@FAST
@given(st.tuples(*[st.booleans()] * 5))
def test_escc_findings_either_grade_consistently_or_raise(pattern):
    kwargs = dict(zip(FINDINGS, pattern))
    try:
        result = calc.escc(**kwargs)
    except ValueError as error:
        assert "contradictory" in str(error)
        return
    assert calc.escc(grade=result.grade).components == kwargs
    assert result.high_grade is pattern[3]  # high grade exactly when the cord is compressed


noms_inputs = st.fixed_dictionaries({
    "escc_grade": st.sampled_from(["0", "1a", "1b", "1c", "2", "3"]),
    "radiosensitivity": st.sampled_from(["radiosensitive", "radioresistant"]),
    "mechanically_unstable": st.booleans(),
    "able_to_tolerate_surgery": st.booleans(),
})


@FAST
@given(noms_inputs)
def test_noms_decision_is_in_the_vocabulary(inputs):
    result = calc.noms(**inputs)
    assert result.decision in ("cEBRT", "SRS", "stabilization_then_cEBRT", "stabilization_then_SRS",
                               "separation_surgery_then_SRS")
    surgery = result.decision.startswith(("stabilization", "separation"))
    if surgery:
        assert inputs["able_to_tolerate_surgery"]
    if inputs["mechanically_unstable"] and inputs["able_to_tolerate_surgery"]:
        assert surgery  # instability is always addressed when surgery is possible
    assert result.individualized is (inputs["mechanically_unstable"] and not inputs["able_to_tolerate_surgery"])


@FAST
@given(noms_inputs, st.integers(0, 18))
def test_noms_sins_total_agrees_or_raises(inputs, sins_total):
    try:
        result = calc.noms(**inputs, sins_total=sins_total)
    except ValueError:
        assert not 7 <= sins_total <= 12
        assert inputs["mechanically_unstable"] is (sins_total <= 6)
        return
    if sins_total >= 13:
        assert result.mechanically_unstable
    elif sins_total <= 6:
        assert not result.mechanically_unstable


# ---------------------------------------------------------------------------------------------
# Radiobiology
# ---------------------------------------------------------------------------------------------
doses = st.floats(0.1, 100, allow_nan=False, allow_infinity=False)
fractions = st.integers(1, 40)
alpha_betas = st.sampled_from([0.87, 1.5, 2, 3, 4, 10, 15])


@FAST
@given(doses, fractions, alpha_betas)
def test_bed_at_least_dose_and_eqd2_between(dose, n, ab):
    value = calc.bed_eqd2(total_dose_gy=dose, fractions=n, alpha_beta_gy=ab).by_alpha_beta[ab]
    assert value.BED >= calc.round_half_up(dose)
    assert value.EQD2 <= value.BED
    d = dose / n
    if d > 2:
        assert value.EQD2 >= calc.round_half_up(dose) - 0.01
    # the exact formulas (up to rounding)
    assert abs(value.BED - dose * (1 + d / ab)) <= 0.005 + 1e-9
    assert abs(value.EQD2 - dose * (1 + d / ab) / (1 + 2 / ab)) <= 0.005 + 1e-9


@FAST
@given(doses, doses, fractions, alpha_betas)
def test_eqd2_is_monotone_in_dose(dose_a, dose_b, n, ab):
    low, high = sorted((dose_a, dose_b))
    a = calc.bed_eqd2(total_dose_gy=low, fractions=n, alpha_beta_gy=ab).by_alpha_beta[ab]
    b = calc.bed_eqd2(total_dose_gy=high, fractions=n, alpha_beta_gy=ab).by_alpha_beta[ab]
    assert a.EQD2 <= b.EQD2 and a.BED <= b.BED


@FAST
@given(st.integers(1, 40), st.sampled_from([2, 3, 10]))
def test_two_gy_fractions_are_their_own_eqd2(n, ab):
    value = calc.bed_eqd2(total_dose_gy=2 * n, fractions=n, alpha_beta_gy=ab).by_alpha_beta[ab]
    assert value.EQD2 == 2 * n


@FAST
@given(st.floats(0.1, 40, allow_nan=False), st.integers(1, 5))
def test_cord_check_agrees_with_limit(dose, n):
    result = calc.cord_pmax_check(dose_gy=dose, fractions=n)
    assert result.within_limit is (dose <= result.limit_gy)
    assert (result.eqd2_gy <= result.limit_eqd2_gy) or not result.within_limit
    assert result.eqd2_gy == calc.bed_eqd2(total_dose_gy=dose, fractions=n, alpha_beta_gy=2).by_alpha_beta[2].EQD2


@FAST
@given(st.floats(0.5, 5.0), st.floats(10, 60))
def test_corrected_calcium_category_matches_value(calcium, albumin):
    result = calc.corrected_calcium(calcium_mmol_l=calcium, albumin_g_l=albumin)
    value = result.corrected_mmol_l
    assert abs(value - (calcium + 0.02 * (40 - albumin))) <= 0.005 + 1e-9
    expected = ("hypocalcaemia" if value < 2.2 else "normal" if value <= 2.6
                else "hypercalcaemia" if value <= 3.5 else "severe_hypercalcaemia")
    assert result.category == expected
