"""Tests of course.treatment: steroid arithmetic, the LQ and cord explorers (headless), surgery helpers."""

from __future__ import annotations


import numpy as np
import pytest

from course import calculators, datasets, treatment as T
from course import treatment_apps as TA
from course.plotting import figure_html


# ----------------------------------------------------------------------------------------------
# Dexamethasone arithmetic
# ----------------------------------------------------------------------------------------------
def test_source_document_regimen_day_one_is_bolus_plus_four_doses():
    s = T.steroid_schedule("source_document")
    assert s.daily[0] == 10 + 4 * 4 == 26
    assert list(s.daily[1:3]) == [16, 16]  # full-dose days 2–3 (illustrative)


def test_halving_taper_over_two_weeks():
    s = T.steroid_schedule("source_document")
    taper = list(s.daily[3:])
    assert taper == [8, 8, 8, 4, 4, 4, 2, 2, 2, 1, 1, 1, 0.5, 0.5]
    assert len(taper) == 14 and s.last_dose_day == 17
    assert s.total_mg == 26 + 32 + 3 * (8 + 4 + 2 + 1) + 1 == 104


def test_cumulative_is_running_sum_and_monotone():
    for rid in T.steroid_regimens():
        s = T.steroid_schedule(rid, days=30)
        assert np.allclose(s.cumulative, np.cumsum(s.daily))
        assert np.all(np.diff(s.cumulative) >= 0)
        assert s.day[0] == 1 and len(s.day) == 30


def test_nice_sixteen_mg_daily():
    s = T.steroid_schedule("nice_ng234")
    assert s.daily[0] == 16 and list(s.daily[:3]) == [16, 16, 16]


def test_linear_taper_reaches_zero_on_last_day():
    s = T.steroid_schedule("heimdal1992")
    assert s.daily[0] == 16
    assert s.daily[1] == 15  # 16 × 13/14 = 14.86 mg, given as whole tablets (M5)
    assert s.daily[14] == 0 and s.last_dose_day == 14


def test_sorensen_high_dose():
    s = T.steroid_schedule("sorensen1994")
    assert s.daily[0] == 96 + 96  # course reading: bolus added to the first day's oral dose
    assert list(s.daily[1:3]) == [96, 96]
    assert s.daily[3] == 86.5 and s.daily[12] == 0  # 96 × 0.9 = 86.4 mg → whole tablets
    assert s.total_mg == pytest.approx(96 + 3 * 96 + 432)


def test_vecht_arms_differ_only_by_the_bolus():
    high = T.steroid_schedule("vecht_high")
    conventional = T.steroid_schedule("source_document")  # = Vecht's 10 mg arm
    assert high.daily[0] - conventional.daily[0] == 90
    assert np.array_equal(high.daily[1:], conventional.daily[1:])


def test_overrides_and_validation():
    s = T.steroid_schedule("source_document", full_dose_days=1, taper=T.Taper("linear", 4))
    assert list(s.daily) == [26, 12, 8, 4, 0]
    assert T.steroid_schedule("source_document", taper=T.Taper("none")).last_dose_day == 3
    with pytest.raises(ValueError, match="full_dose_days"):
        T.steroid_schedule("source_document", full_dose_days=0)
    with pytest.raises(ValueError, match="accepted"):
        T.Taper("exponential", 5)
    with pytest.raises(ValueError, match="accepted"):
        T.regimen("prednisolone")


def test_steroid_explorer_headless():
    app = TA.SteroidExplorer()
    scheds = app.state["schedules"]
    assert set(scheds) == {"source_document", "nice_ng234", "sorensen1994"}
    assert "26 mg on day 1" in app.state["alt"]
    app.set(full_dose_days=1, taper_kind="linear", taper_days=4)
    s = app.state["schedules"]["source_document"]
    assert list(s.daily[:6]) == [26, 12, 8, 4, 0, 0]
    # Trial-specified regimens keep their own schedule.
    assert app.state["schedules"]["sorensen1994"].daily[0] == 192
    app.set(regimens=("heimdal1992",))
    assert set(app.state["schedules"]) == {"heimdal1992"}
    assert "Illustrative" in app.explanation.value


def test_schedule_table_text():
    text = T.schedule_table([T.steroid_schedule("source_document")])
    assert "26 mg" in text and "104 mg" in text
    every = T.schedule_table([T.steroid_schedule(r) for r in T.steroid_regimens()])
    assert "NICE NG234 (2023)" in every and not any(r in every for r in T.steroid_regimens())  # no data ids


# ----------------------------------------------------------------------------------------------
# Radiotherapy
# ----------------------------------------------------------------------------------------------
def test_lq_explorer_presets_and_values():
    app = TA.LqExplorer()
    assert app.state["total_gy"] == 30 and app.state["fractions"] == 10
    assert app.state["result"].by_alpha_beta[10].EQD2 == 32.5
    assert "source document" in app.explanation.value
    app.set(preset="8x1")
    assert app.controls["fractions"].value == 1 and app.controls["dose_per_fraction"].value == 8
    assert app.state["result"].by_alpha_beta[10].BED == 14.4
    app.set(cord_alpha_beta=0.87)
    assert 0.87 in app.state["result"].by_alpha_beta
    app.set(preset="custom", dose_per_fraction=2.0, fractions=20)
    assert app.state["result"].by_alpha_beta[10].EQD2 == 40.0


def test_lq_summary_matches_published_checks():
    text = T.lq_summary(30, 10)
    assert "BED  39.00" in text and "EQD2  32.50" in text
    assert "EQD2  39.06" in T.lq_summary(37.5, 15)


def test_every_schedule_resolves_and_cites():
    for s in T.rt_schedules().values():
        assert s["total_gy"] > 0 and s["fractions"] >= 1 and s["source"]
    fig, alt = TA.schedules_figure()
    assert "30 Gy / 10: 32.5" in alt
    assert figure_html(fig, alt).startswith("<img")


# ----------------------------------------------------------------------------------------------
# Cord limits
# ----------------------------------------------------------------------------------------------
def test_sahgal_limits_are_isoeffective_only_at_alpha_beta_two():
    at2 = T.cord_limits_eqd2(2)
    assert max(at2.values()) - min(at2.values()) < 0.3
    for ab in (0.87, 3):
        eq = T.cord_limits_eqd2(ab)
        assert max(eq.values()) - min(eq.values()) > 1.0


def test_cord_check_explorer():
    app = TA.CordCheckExplorer()
    app.set(fractions=1, pmax_gy=12.4)
    assert app.state["result"].within_limit
    app.set(pmax_gy=13.0)
    assert not app.state["result"].within_limit and "over" in app.state["alt"]
    assert "QUANTEC" in app.explanation.value  # the caveat names the other single-fraction limits
    app.set(fractions=3, pmax_gy=20.3, alpha_beta=0.87)
    assert app.state["result"].within_limit and app.state["spread"] > 1


@pytest.mark.parametrize("cls", [TA.SteroidExplorer, TA.LqExplorer, TA.CordCheckExplorer])
def test_one_redraw_per_change(cls):
    app = cls()
    name, values = {
        TA.SteroidExplorer: ("full_dose_days", [1, 2, 3, 4, 5]),
        TA.LqExplorer: ("fractions", [1, 2, 5, 10, 20]),
        TA.CordCheckExplorer: ("pmax_gy", [10.0, 12.0, 14.0, 16.0, 18.0]),
    }[cls]
    for v in values:
        app.set(**{name: v})
    # Latency is measured by benchmarks/widgets.py, not asserted here.
    assert len(app.stats.durations) == 1 + len(values)


# ----------------------------------------------------------------------------------------------
# Surgery and data
# ----------------------------------------------------------------------------------------------
def test_radical_resection_assessment():
    yes = T.radical_resection_assessment(solitary_spinal_metastasis=True, fit_for_major_surgery=True,
                                         primary_growth="slow", visceral_mets="none")
    assert yes.candidate and yes.tomita.total == 2
    multiple = T.radical_resection_assessment(solitary_spinal_metastasis=False, fit_for_major_surgery=True,
                                              primary_growth="slow", visceral_mets="none")
    assert not multiple.candidate and "single spinal metastasis" in multiple.explanation
    rapid = T.radical_resection_assessment(solitary_spinal_metastasis=True, fit_for_major_surgery=True,
                                           primary_growth="rapid", visceral_mets="none")
    assert not rapid.candidate and rapid.tomita.total == 5
    with pytest.raises(ValueError, match="accepted"):
        T.radical_resection_assessment(solitary_spinal_metastasis="yes", fit_for_major_surgery=True,
                                       primary_growth="slow", visceral_mets="none")
    with pytest.raises(ValueError):
        T.radical_resection_assessment(solitary_spinal_metastasis=True, fit_for_major_surgery=True,
                                       primary_growth="fast", visceral_mets="none")


def test_surgical_options_cover_the_source_document():
    labels = {o["id"] for o in T.surgical_options()}
    assert {"laminectomy", "corpectomy", "separation_surgery", "cement_augmentation", "fusion_instrumentation",
            "radical_resection"} <= labels
    assert "Separation surgery" in T.surgical_options_html()


def test_treatment_data_sources_resolve():
    pairs = [p for p in datasets.check_sources() if p[0].startswith("treatment")]
    assert len(pairs) > 30
    assert calculators.SAHGAL_PMAX[1] == 12.4


# ----------------------------------------------------------------------------------------------
# Review findings M4, M5, M6/M7, M9 (issue 10): each test fails on the code before the fix
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("regimen_id", sorted(T.steroid_regimens()))
def test_every_daily_dose_is_whole_tablets(regimen_id):
    """M5: no undispensable doses such as 14.86 mg (2 mg and 0.5 mg tablets)."""
    daily = T.steroid_schedule(regimen_id).daily
    assert np.allclose(daily * 2, np.round(daily * 2)), daily
    for dose in daily:
        assert T.tablets(float(dose))


def test_tablets_text_and_refusal():
    assert T.tablets(6.5) == "3 × 2 mg + 1 × 0.5 mg" and T.tablets(0) == "none"
    with pytest.raises(ValueError, match="dose_mg.*multiple of 0.5 mg"):
        T.tablets(14.86)


def test_nice_regimen_does_not_carry_a_two_week_taper():
    """M5: the 14-day taper is Heimdal's / local practice, not NICE's; each label names its source and year."""
    regs = T.steroid_regimens()
    assert "2023" in regs["nice_ng234"].label and "2008" in regs["nice_cg75"].label
    assert T.steroid_schedule("nice_ng234").last_dose_day <= 3 + 7
    assert "5–7 days" in regs["nice_cg75"].label
    assert "Heimdal" in regs["heimdal1992"].label and "local" in regs["heimdal1992"].label
    assert T.steroid_schedule("heimdal1992").last_dose_day == 14


def test_steroid_safety_teaching_is_complete():
    """M6/M7: neurological symptoms or signs (not imaging alone), lymphoma caveat, PPI, glucose, taper [D]."""
    points = {p["point"]: p for p in T.steroid_safety()}
    assert {"indication", "dose", "lymphoma", "gastroprotection", "glucose", "taper", "evidence"} <= set(points)
    assert "not for an imaging grade alone" in points["indication"]["text"]
    assert "biopsy" in points["lymphoma"]["text"] and "haematology" in points["lymphoma"]["text"]
    assert "proton-pump inhibitor" in points["gastroprotection"]["text"]
    assert "glucose" in points["glucose"]["text"]
    assert points["taper"]["confidence"] == "D" and "5–7 days" in points["taper"]["text"]


@pytest.mark.parametrize("prognosis, preferred, also", [
    ("poor", "8x1", "20x5"), ("intermediate", "20x5", "8x1"), ("favourable", "20x5", "30x10"),
])
def test_fractionation_follows_prognosis(prognosis, preferred, also):
    """M4: a patient with weeks to live gets 8 Gy × 1; favourable → 20 Gy / 5 or longer."""
    f = T.fractionation_for_prognosis(prognosis)
    assert f.preferred == preferred and also in f.schedules
    assert set(f.schedules) <= set(T.rt_schedules())
    assert f.source and f.rationale


def test_fractionation_refuses_unknown_groups():
    with pytest.raises(ValueError, match=r"prognosis='weeks'.*accepted values: 'poor', 'intermediate', 'favourable'"):
        T.fractionation_for_prognosis("weeks")


def test_surgical_evidence_teaches_patchell_and_young():
    """M9: Patchell 2005 with its eligibility, Young 1980, separation surgery, embolisation, CAFE."""
    ev = {e["id"]: e for e in T.surgical_evidence()}
    assert {"patchell2005", "young1980", "separation_hybrid", "embolisation", "cafe"} <= set(ev)
    p = ev["patchell2005"]
    assert "84% vs 57%" in p["statement"] and "122 vs 13 days" in p["statement"] and "62% vs 19%" in p["statement"]
    assert any("48 hours" in c for c in p["eligibility"]) and any("3 months" in c for c in p["eligibility"])
    assert "renal" in ev["embolisation"]["statement"] and "thyroid" in ev["embolisation"]["statement"]
    assert "range of practice" in ev["separation_hybrid"]["statement"]
    notes = " ".join(o.get("note", "") + o["what"] for o in T.surgical_options())
    assert "not verified" not in notes and "Young" in notes
