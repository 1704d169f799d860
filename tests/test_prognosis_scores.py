"""New Katagiri, NESMS and Rades 2-month scores against the published tables (addendum C.3, D.1, D.2).

Every row of every table, every band boundary and every refusal is checked; the expected points are
typed here from the addendum, independently of ``course/data/prognosis.yaml``.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from course import calculators
from course import prognosis_scores as ps

# ------------------------------------------------------------------------------------------------
# New Katagiri (addendum D.2; reference §13)
# ------------------------------------------------------------------------------------------------
K_BASE = dict(primary_growth="slow", visceral_mets="none", laboratory="normal", ecog_3_or_4=False,
              previous_chemotherapy=False, multiple_skeletal_mets=False)

K_ROWS = [
    ("primary_growth", "slow", 0), ("primary_growth", "moderate", 2), ("primary_growth", "rapid", 3),
    ("visceral_mets", "none", 0), ("visceral_mets", "nodular", 1), ("visceral_mets", "disseminated", 2),
    ("laboratory", "normal", 0), ("laboratory", "abnormal", 1), ("laboratory", "critical", 2),
    ("ecog_3_or_4", False, 0), ("ecog_3_or_4", True, 1),
    ("previous_chemotherapy", False, 0), ("previous_chemotherapy", True, 1),
    ("multiple_skeletal_mets", False, 0), ("multiple_skeletal_mets", True, 1),
]


@pytest.mark.parametrize("field,value,points", K_ROWS)
def test_katagiri_every_row(field, value, points):
    r = ps.katagiri(**(K_BASE | {field: value}))
    assert r.components[field] == points
    assert r.total == points  # the base case scores 0


def test_katagiri_contract_fields_and_reexport():
    r = calculators.katagiri(**K_BASE)
    assert dataclasses.is_dataclass(r) and {"total", "band"} <= set(dataclasses.asdict(r))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.total = 3  # type: ignore[misc]
    assert calculators.katagiri is ps.katagiri and calculators.nesms is ps.nesms


def test_katagiri_every_combination_bands():
    """All 3×3×3×2×2×2 inputs: total = sum of rows, band by the published cut-offs."""
    seen = set()
    choices = [[(f, v, p) for f2, v, p in K_ROWS if f2 == f] for f in K_BASE]
    for combo in itertools.product(*choices):
        r = ps.katagiri(**{f: v for f, v, _ in combo})
        total = sum(p for *_, p in combo)
        assert r.total == total
        assert r.band == ("0-3" if total <= 3 else "4-6" if total <= 6 else "7-10")
        seen.add(total)
    assert seen == set(range(11))


@pytest.mark.parametrize("total,band,survival", [
    (3, "0-3", "91%"), (4, "4-6", "49%"), (6, "4-6", "49%"), (7, "7-10", "6%"), (0, "0-3", "78%"), (10, "7-10", "27%"),
])
def test_katagiri_band_boundaries(total, band, survival):
    # build a case with the requested total
    for combo in itertools.product(["slow", "moderate", "rapid"], ["none", "nodular", "disseminated"],
                                   ["normal", "abnormal", "critical"], [False, True], [False, True], [False, True]):
        kwargs = dict(zip(K_BASE, combo))
        r = ps.katagiri(**kwargs)
        if r.total == total:
            assert r.band == band and survival in r.survival and survival in r.explanation
            return
    pytest.fail(f"no combination totals {total}")


def test_katagiri_worked_example():
    # Hormone-independent prostate cancer (moderate 2), nodular lung metastases (1), albumin 3.2 g/dL
    # (abnormal 1), ECOG 2 (0), previous chemotherapy (1), multiple bone metastases (1): 6 → band 4–6, 49%.
    lab = ps.katagiri_laboratory(crp_mg_dl=0.2, ldh_iu_l=200, albumin_g_dl=3.2, platelets_per_ul=220_000,
                                 calcium_mg_dl=9.4, bilirubin_mg_dl=0.6)
    r = ps.katagiri(primary_growth="moderate", visceral_mets="nodular", laboratory=lab, ecog_3_or_4=False,
                    previous_chemotherapy=True, multiple_skeletal_mets=True)
    assert (lab, r.total, r.band) == ("abnormal", 6, "4-6")
    assert "49%" in r.explanation and "Higher is worse" in r.explanation


LAB_NORMAL = dict(crp_mg_dl=0.39, ldh_iu_l=249, albumin_g_dl=3.7, platelets_per_ul=100_000, calcium_mg_dl=10.29,
                  bilirubin_mg_dl=1.39)


@pytest.mark.parametrize("field,value,expected", [
    ("crp_mg_dl", 0.4, "abnormal"), ("ldh_iu_l", 250, "abnormal"), ("albumin_g_dl", 3.69, "abnormal"),
    ("platelets_per_ul", 99_999, "critical"), ("calcium_mg_dl", 10.3, "critical"), ("bilirubin_mg_dl", 1.4, "critical"),
])
def test_katagiri_laboratory_thresholds(field, value, expected):
    assert ps.katagiri_laboratory(**LAB_NORMAL) == "normal"      # every value just on the normal side
    assert ps.katagiri_laboratory(**(LAB_NORMAL | {field: value})) == expected


def test_katagiri_laboratory_critical_outranks_abnormal():
    assert ps.katagiri_laboratory(**(LAB_NORMAL | {"crp_mg_dl": 5.0, "calcium_mg_dl": 11.0})) == "critical"


@pytest.mark.parametrize("field,bad", [
    ("primary_growth", "lung"), ("primary_growth", "Slow"), ("primary_growth", None),
    ("visceral_mets", "treatable"), ("visceral_mets", 1), ("laboratory", "high"),
    ("ecog_3_or_4", 1), ("ecog_3_or_4", "yes"), ("previous_chemotherapy", None), ("multiple_skeletal_mets", "no"),
])
def test_katagiri_refusals(field, bad):
    with pytest.raises(ValueError, match=rf"{field}=.* is not accepted; accepted values: "):
        ps.katagiri(**(K_BASE | {field: bad}))


@pytest.mark.parametrize("field", list(K_BASE))
def test_katagiri_missing(field):
    kwargs = dict(K_BASE)
    kwargs.pop(field)
    with pytest.raises(ValueError, match=rf"{field} is missing; accepted values"):
        ps.katagiri(**kwargs)


@pytest.mark.parametrize("organ", ["lung", "breast cancer", "RCC"])
def test_katagiri_explains_why_an_organ_is_refused(organ):
    with pytest.raises(ValueError, match=r"primary_growth=.* is not accepted; .*groups the primary by treatability"):
        ps.katagiri(**(K_BASE | {"primary_growth": organ}))


def test_katagiri_suggests_spelling():
    with pytest.raises(ValueError, match=r"did you mean 'slow'"):
        ps.katagiri(**(K_BASE | {"primary_growth": "Slow"}))


@pytest.mark.parametrize("field,bad", [
    ("crp_mg_dl", -1), ("ldh_iu_l", float("nan")), ("albumin_g_dl", 37), ("platelets_per_ul", "lots"),
    ("calcium_mg_dl", True), ("bilirubin_mg_dl", None),
])
def test_katagiri_laboratory_refusals(field, bad):
    with pytest.raises(ValueError, match=rf"{field}=.* is not accepted; accepted values: a finite number"):
        ps.katagiri_laboratory(**(LAB_NORMAL | {field: bad}))


# ------------------------------------------------------------------------------------------------
# NESMS (addendum D.1)
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bauer,walks,albumin,raw,total", [
    (0, False, 30, 0, 0), (2, False, 34.9, 0, 0), (3, False, 34.9, 2, 2), (4, False, 20, 2, 2),
    (0, True, 30, 1, 1), (0, False, 35, 1, 1), (2, True, 35, 2, 2), (3, True, 30, 3, 3),
    (3, False, 35, 3, 3), (3, True, 35, 4, 3), (4, True, 50, 4, 3),
])
def test_nesms_rows_and_ceiling(bauer, walks, albumin, raw, total):
    r = ps.nesms(modified_bauer=bauer, independent_ambulation=walks, albumin_g_l=albumin)
    assert (r.sum_before_ceiling, r.total) == (raw, total)
    assert r.ceiling_applied is (raw > total)
    assert r.band == f"{total} of 3"
    assert 0 <= r.total <= 3


@pytest.mark.parametrize("case", [dict(modified_bauer=0, independent_ambulation=False, albumin_g_l=20),
                                  dict(modified_bauer=4, independent_ambulation=True, albumin_g_l=40)])
def test_nesms_always_states_the_range_decision(case):
    r = ps.nesms(**case)
    for text in (r.explanation, r.range_decision, r.caveats[0]):
        assert "0–3" in text and "min(sum, 3)" in text and "add up to 4" in text


def test_nesms_prints_no_survival_numbers():
    r = ps.nesms(modified_bauer=3, independent_ambulation=True, albumin_g_l=40)
    assert "%" not in r.explanation


def test_nesms_chains_with_modified_bauer():
    bauer = calculators.modified_bauer(visceral_mets=False, solitary_skeletal_metastasis=True, primary_site="breast")
    assert bauer.total == 4
    assert ps.nesms(modified_bauer=bauer.total, independent_ambulation=True, albumin_g_l=36).total == 3


@pytest.mark.parametrize("field,bad", [
    ("modified_bauer", 5), ("modified_bauer", -1), ("modified_bauer", 2.0), ("modified_bauer", True),
    ("modified_bauer", "3"), ("independent_ambulation", 1), ("independent_ambulation", "yes"),
    ("albumin_g_l", 3.5e3), ("albumin_g_l", -2), ("albumin_g_l", "38"), ("albumin_g_l", float("inf")),
])
def test_nesms_refusals(field, bad):
    ok = dict(modified_bauer=3, independent_ambulation=True, albumin_g_l=38)
    with pytest.raises(ValueError, match=rf"{field}=.* is not accepted; accepted values: "):
        ps.nesms(**(ok | {field: bad}))


def test_nesms_missing():
    with pytest.raises(ValueError, match="albumin_g_l is missing"):
        ps.nesms(modified_bauer=3, independent_ambulation=True)


# ------------------------------------------------------------------------------------------------
# Rades 2-month score (addendum C.3, the sourced table)
# ------------------------------------------------------------------------------------------------
R_LOW = dict(ecog=2, tumour_type="breast", other_bone_mets=False, visceral_mets=False, interval_months=20,
             ambulatory=True, motor_deficit_days=10)   # 0+1+1+1+1+1+1 = 6, the minimum
R_ROWS = [
    ("ecog", 2, "ecog", 0), ("ecog", 3, "ecog", 4), ("ecog", 4, "ecog", 4),
    ("tumour_type", "breast", "tumour_type", 1), ("tumour_type", "myeloma", "tumour_type", 1),
    ("tumour_type", "Multiple myeloma", "tumour_type", 1), ("tumour_type", "DLBCL", "tumour_type", 1),
    ("tumour_type", "NSCLC", "tumour_type", 3), ("tumour_type", "renal cell carcinoma", "tumour_type", 3),
    ("tumour_type", "lymphoma", "tumour_type", 1), ("tumour_type", "prostate", "tumour_type", 2),
    ("tumour_type", "lung", "tumour_type", 3), ("tumour_type", "other", "tumour_type", 3),
    ("other_bone_mets", False, "other_bone_mets", 1), ("other_bone_mets", True, "other_bone_mets", 3),
    ("visceral_mets", False, "visceral_mets", 1), ("visceral_mets", True, "visceral_mets", 4),
    ("interval_months", 15, "interval_to_mscc", 3), ("interval_months", 15.1, "interval_to_mscc", 1),
    ("interval_months", 0, "interval_to_mscc", 3),
    ("ambulatory", True, "ambulatory", 1), ("ambulatory", False, "ambulatory", 4),
    ("motor_deficit_days", 7, "motor_deficit_onset", 4), ("motor_deficit_days", 7.5, "motor_deficit_onset", 1),
    ("motor_deficit_days", 0.5, "motor_deficit_onset", 4),
]


@pytest.mark.parametrize("field,value,item,points", R_ROWS)
def test_rades_every_row(field, value, item, points):
    r = ps.rades_two_month(**(R_LOW | {field: value}))
    assert r.components[item] == points


def test_rades_range_is_6_to_25():
    low = ps.rades_two_month(**R_LOW)
    high = ps.rades_two_month(ecog=4, tumour_type="lung", other_bone_mets=True, visceral_mets=True,
                              interval_months=3, ambulatory=False, motor_deficit_days=2)
    assert (low.total, high.total) == (6, 25)
    assert (low.band, high.band) == ("6-18", "19-25")


_HIGH = dict(ecog=3, other_bone_mets=True, visceral_mets=True, interval_months=3)   # 4 + 3 + 4 + 3


@pytest.mark.parametrize("changes,total,bsc", [
    (_HIGH | dict(tumour_type="breast"), 17, False),       # + breast 1 + ambulatory 1 + slow onset 1
    (_HIGH | dict(tumour_type="prostate"), 18, False),     # just below the threshold
    (_HIGH | dict(tumour_type="lung"), 19, True),          # at the threshold
    (_HIGH | dict(tumour_type="lung", motor_deficit_days=7), 22, True),
    (dict(ecog=2, tumour_type="lung", other_bone_mets=True, visceral_mets=True, interval_months=3,
          ambulatory=False, motor_deficit_days=7), 21, True),
])
def test_rades_threshold(changes, total, bsc):
    r = ps.rades_two_month(**(R_LOW | changes))
    assert r.total == total and r.best_supportive_care_considered is bsc
    assert ("19 or more" in r.explanation) is bsc
    assert "unverified" in r.explanation


@pytest.mark.parametrize("field,bad", [
    ("ecog", 1), ("ecog", 0), ("ecog", 5), ("ecog", "3"), ("ecog", 3.0), ("ecog", True),
    ("other_bone_mets", 1), ("visceral_mets", "no"), ("ambulatory", None),
    ("interval_months", -1), ("interval_months", "12"), ("motor_deficit_days", float("nan")),
    ("motor_deficit_days", -3),
])
def test_rades_refusals(field, bad):
    with pytest.raises(ValueError, match=rf"{field}=.* is not accepted; accepted values: "):
        ps.rades_two_month(**(R_LOW | {field: bad}))


@pytest.mark.parametrize("bad", ["banana", "liver metastases", None, 3, ""])
def test_rades_refuses_unknown_tumour_types(bad):
    with pytest.raises(ValueError, match=r"tumour_type.*accepted values: one of 'breast'"):
        ps.rades_two_month(**(R_LOW | {"tumour_type": bad}))


def test_rades_other_row_says_so():
    r = ps.rades_two_month(**(R_LOW | {"tumour_type": "RCC"}))
    assert r.components["tumour_type"] == 3 and "scores as 'other'" in r.caveats[0]
    assert not any("scores as 'other'" in c for c in ps.rades_two_month(**(R_LOW | {"tumour_type": "other"})).caveats)


def test_rades_ecog_refusal_explains_the_table():
    with pytest.raises(ValueError, match="rows for ECOG 2 and 3–4 only"):
        ps.rades_two_month(**(R_LOW | {"ecog": 1}))


# ------------------------------------------------------------------------------------------------
# Tables for display
# ------------------------------------------------------------------------------------------------
def test_table_rows_are_readable():
    rows = ps.prognosis_table_rows("rades_two_month")
    assert ("ECOG", "3–4", 4) in rows and len(rows) == 17
    assert all("_" not in item and "_" not in cat for item, cat, _ in rows)
    assert len(ps.prognosis_table_rows("katagiri")) == 15
    assert ps.prognosis_table_rows("nesms")[0] == ("modified Bauer 3 or more", "yes", 2)
    with pytest.raises(ValueError, match="score_name"):
        ps.prognosis_table_rows("sorg")


def test_published_c_statistics():
    assert ps.PUBLISHED_C_STATISTIC == {"nesms": 0.79, "tomita": 0.69, "tokuhashi": 0.67, "sins": 0.54}
