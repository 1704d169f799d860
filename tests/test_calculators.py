"""Tests of :mod:`course.calculators` against the clinical reference.

Expected values are written out by hand from the reference's tables (never read back from the
module's own constants), so a wrong number in the module makes a test fail.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest

from course import calculators as calc

MISSING = object()  # marks "leave this keyword out"


def call(fn, base: dict, **changes):
    """Call ``fn`` with ``base`` updated by ``changes``; a value of MISSING removes the keyword."""
    kwargs = {**base, **changes}
    return fn(**{k: v for k, v in kwargs.items() if v is not MISSING})


# ==============================================================================================
# SINS
# ==============================================================================================
SINS_ZERO = dict(location="rigid", pain="pain_free", bone_lesion="blastic", alignment="normal",
                 collapse="none", posterolateral="none")

SINS_ROWS = [
    ("location", "junctional", 3), ("location", "mobile", 2), ("location", "semirigid", 1),
    ("location", "rigid", 0),
    ("pain", "mechanical", 3), ("pain", "occasional_nonmechanical", 1), ("pain", "pain_free", 0),
    ("bone_lesion", "lytic", 2), ("bone_lesion", "mixed", 1), ("bone_lesion", "blastic", 0),
    ("alignment", "subluxation_translation", 4), ("alignment", "de_novo_deformity", 2),
    ("alignment", "normal", 0),
    ("collapse", "gt50", 3), ("collapse", "lt50", 2), ("collapse", "no_collapse_gt50_involved", 1),
    ("collapse", "none", 0),
    ("posterolateral", "bilateral", 3), ("posterolateral", "unilateral", 1), ("posterolateral", "none", 0),
]


@pytest.mark.parametrize("component, category, points", SINS_ROWS)
def test_sins_every_row(component, category, points):
    result = call(calc.sins, SINS_ZERO, **{component: category})
    assert result.total == points
    assert result.components[component] == points
    assert sum(result.components.values()) == result.total


def test_sins_components_in_table_order_and_fields():
    result = calc.sins(**SINS_ZERO)
    assert list(result.components) == ["location", "pain", "bone_lesion", "alignment", "collapse",
                                       "posterolateral"]
    assert (result.total, result.category, result.surgical_consultation_recommended) == (0, "stable", False)
    assert "Fisher" in result.source and "2010" in result.source
    assert dataclasses.asdict(result)["total"] == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 5  # type: ignore[misc]


# Hand-built inputs with known totals at every band edge.
SINS_TOTALS = {
    0: SINS_ZERO,
    6: {**SINS_ZERO, "location": "junctional", "pain": "mechanical"},
    7: {**SINS_ZERO, "location": "junctional", "pain": "mechanical", "bone_lesion": "mixed"},
    12: dict(location="junctional", pain="mechanical", bone_lesion="lytic", alignment="de_novo_deformity",
             collapse="lt50", posterolateral="none"),
    13: dict(location="junctional", pain="mechanical", bone_lesion="lytic", alignment="de_novo_deformity",
             collapse="lt50", posterolateral="unilateral"),
    18: dict(location="junctional", pain="mechanical", bone_lesion="lytic",
             alignment="subluxation_translation", collapse="gt50", posterolateral="bilateral"),
}


@pytest.mark.parametrize("total, category, consult", [
    (0, "stable", False), (6, "stable", False), (7, "potentially_unstable", True),
    (12, "potentially_unstable", True), (13, "unstable", True), (18, "unstable", True),
])
def test_sins_band_boundaries(total, category, consult):
    result = calc.sins(**SINS_TOTALS[total])
    assert result.total == total
    assert result.category == category
    assert result.surgical_consultation_recommended is consult


def test_sins_explanation_reads_like_the_sum():
    result = calc.sins(level="T12", pain="mechanical", bone_lesion="lytic", alignment="normal",
                       collapse="lt50", posterolateral="unilateral")
    assert result.total == 11
    assert result.explanation.startswith("SINS 11 = location (T12) 3 + pain 3 + bone lesion 2")
    assert "potentially unstable (7–12)" in result.explanation
    assert "surgical consultation recommended" in result.explanation


SINS_LEVELS = {
    "Oc": "junctional", "C1": "junctional", "C2": "junctional", "C3": "mobile", "C4": "mobile",
    "C5": "mobile", "C6": "mobile", "C7": "junctional",
    "T1": "junctional", "T2": "junctional", "T3": "semirigid", "T4": "semirigid", "T5": "semirigid",
    "T6": "semirigid", "T7": "semirigid", "T8": "semirigid", "T9": "semirigid", "T10": "semirigid",
    "T11": "junctional", "T12": "junctional",
    "L1": "junctional", "L2": "mobile", "L3": "mobile", "L4": "mobile", "L5": "junctional",
    "S1": "junctional", "S2": "rigid", "S3": "rigid", "S4": "rigid", "S5": "rigid",
}
LOCATION_POINTS = {"junctional": 3, "mobile": 2, "semirigid": 1, "rigid": 0}


@pytest.mark.parametrize("level, location", SINS_LEVELS.items())
def test_sins_level_to_location(level, location):
    kwargs = {k: v for k, v in SINS_ZERO.items() if k != "location"}
    result = calc.sins(level=level, **kwargs)
    assert result.location == location
    assert result.level == level
    assert result.components["location"] == LOCATION_POINTS[location]


def test_sins_level_table_covers_exactly_the_spine():
    assert dict(calc.SINS_LEVEL_LOCATION) == SINS_LEVELS


@pytest.mark.parametrize("level", ["Co", "Co1", "Co2", "coccyx", "C8", "T13", "L6", "S6", "t12", "", 12, None])
def test_sins_bad_level(level):
    kwargs = {k: v for k, v in SINS_ZERO.items() if k != "location"}
    with pytest.raises(ValueError, match="level") as info:
        calc.sins(level=level, **kwargs)
    assert "'T12'" in str(info.value)


def test_sins_lower_case_level_suggests_spelling():
    kwargs = {k: v for k, v in SINS_ZERO.items() if k != "location"}
    with pytest.raises(ValueError, match=r"did you mean 'T12'"):
        calc.sins(level="t12", **kwargs)


def test_sins_location_and_level_together_raise():
    with pytest.raises(ValueError, match="location.*level") as info:
        calc.sins(level="T12", **SINS_ZERO)
    assert "junctional" in str(info.value) and "T12" in str(info.value)


def test_sins_missing_location_mentions_level():
    kwargs = {k: v for k, v in SINS_ZERO.items() if k != "location"}
    with pytest.raises(ValueError, match="location is missing") as info:
        calc.sins(**kwargs)
    assert "junctional" in str(info.value) and "level" in str(info.value)


SINS_ACCEPTED = {"location": "junctional", "pain": "mechanical", "bone_lesion": "lytic",
                 "alignment": "normal", "collapse": "gt50", "posterolateral": "bilateral"}


@pytest.mark.parametrize("field, bad", [
    (field, bad) for field in SINS_ACCEPTED
    for bad in ("bogus", "", 3, True, None, 1.0, MISSING, SINS_ACCEPTED[field].upper())
])
def test_sins_invalid_fields(field, bad):
    with pytest.raises(ValueError) as info:
        call(calc.sins, SINS_ZERO, **{field: bad})
    message = str(info.value)
    assert field in message
    assert repr(SINS_ACCEPTED[field]) in message


@pytest.mark.parametrize("percent, involved, expected", [
    (0, False, "none"), (0, True, "no_collapse_gt50_involved"), (0.1, False, "lt50"),
    (49.9, True, "lt50"), (50, False, "gt50"), (50.0, True, "gt50"), (80, False, "gt50"),
    (100, False, "gt50"),
])
def test_collapse_category_convention(percent, involved, expected):
    assert calc.collapse_category(percent, involved) == expected
    assert calc.SINS_COLLAPSE_THRESHOLD_PERCENT == 50


@pytest.mark.parametrize("percent, involved, field", [
    (-1, False, "percent_collapse"), (100.5, False, "percent_collapse"), ("50", False, "percent_collapse"),
    (True, False, "percent_collapse"), (math.nan, False, "percent_collapse"),
    (10, "yes", "body_involved_gt50"), (10, 1, "body_involved_gt50"),
])
def test_collapse_category_invalid(percent, involved, field):
    with pytest.raises(ValueError, match=field):
        calc.collapse_category(percent, involved)


# ==============================================================================================
# ESCC
# ==============================================================================================
ESCC_EXPECTED = [("0", False, 0), ("1a", False, 1), ("1b", False, 2), ("1c", False, 3),
                 ("2", True, 4), ("3", True, 5)]


@pytest.mark.parametrize("grade, high, rank", ESCC_EXPECTED)
def test_escc_grades(grade, high, rank):
    result = calc.escc(grade=grade)
    assert (result.grade, result.high_grade, result.rank) == (grade, high, rank)
    assert result.definition
    assert "Bilsky" in result.source


def test_escc_1c_is_not_high_grade_and_explains_the_controversy():
    result = calc.escc(grade="1c")
    assert result.high_grade is False
    assert "controvers" in result.explanation
    assert result.caveats
    assert not calc.escc(grade="1b").caveats


# (epidural_disease, thecal_sac_deformed, cord_abutment, cord_compressed, csf_visible) → grade
ESCC_VALID_FINDINGS = {
    (False, False, False, False, True): "0",
    (True, False, False, False, True): "1a",
    (True, True, False, False, True): "1b",
    (True, True, True, False, True): "1c",
    (True, True, True, True, True): "2",
    (True, True, True, True, False): "3",
}
FINDINGS = ("epidural_disease", "thecal_sac_deformed", "cord_abutment", "cord_compressed",
            "csf_visible_around_cord")


@pytest.mark.parametrize("pattern", list(itertools.product((False, True), repeat=5)))
def test_escc_all_32_finding_combinations(pattern):
    kwargs = dict(zip(FINDINGS, pattern))
    if pattern in ESCC_VALID_FINDINGS:
        result = calc.escc(**kwargs)
        assert result.grade == ESCC_VALID_FINDINGS[pattern]
        assert result.components == kwargs
    else:
        with pytest.raises(ValueError, match="contradictory"):
            calc.escc(**kwargs)


def test_escc_grade_and_findings_together_raise():
    with pytest.raises(ValueError, match="grade"):
        calc.escc(grade="2", epidural_disease=True)


@pytest.mark.parametrize("missing", FINDINGS)
def test_escc_partial_findings_name_the_missing_one(missing):
    kwargs = {f: True for f in FINDINGS if f != missing}
    with pytest.raises(ValueError, match=f"{missing} is missing") as info:
        calc.escc(**kwargs)
    assert "True" in str(info.value)


@pytest.mark.parametrize("field", FINDINGS)
@pytest.mark.parametrize("bad", [1, 0, "yes", None])
def test_escc_findings_must_be_bools(field, bad):
    kwargs = {f: True for f in FINDINGS}
    kwargs[field] = bad
    with pytest.raises(ValueError, match=field):
        calc.escc(**kwargs)


@pytest.mark.parametrize("bad", [0, 1, 2, 3, 2.0, True, "1", "1A", "1d", "4", "high", "", None, MISSING])
def test_escc_invalid_grade(bad):
    with pytest.raises(ValueError, match="grade") as info:
        call(calc.escc, {}, grade=bad)
    assert "'1c'" in str(info.value)


# ==============================================================================================
# NOMS
# ==============================================================================================
def expected_noms(high: bool, sensitive: bool, unstable: bool, able: bool) -> tuple[str, bool]:
    """The decision table of the clinical reference, section 3, written out row by row."""
    table = {
        # high, sensitive, unstable, able : (decision, individualized)
        (False, True, False, True): ("cEBRT", False),
        (False, True, False, False): ("cEBRT", False),
        (False, True, True, True): ("stabilization_then_cEBRT", False),
        (False, True, True, False): ("cEBRT", True),
        (False, False, False, True): ("SRS", False),
        (False, False, False, False): ("SRS", False),
        (False, False, True, True): ("stabilization_then_SRS", False),
        (False, False, True, False): ("SRS", True),
        (True, True, False, True): ("cEBRT", False),
        (True, True, False, False): ("cEBRT", False),
        (True, True, True, True): ("stabilization_then_cEBRT", False),
        (True, True, True, False): ("cEBRT", True),
        (True, False, False, True): ("separation_surgery_then_SRS", False),
        (True, False, True, True): ("separation_surgery_then_SRS", False),
        (True, False, False, False): ("cEBRT", False),  # the unverified row
        (True, False, True, False): ("cEBRT", True),
    }
    return table[(high, sensitive, unstable, able)]


@pytest.mark.parametrize("grade, high", [(g, h) for g, h, _ in ESCC_EXPECTED])
@pytest.mark.parametrize("sensitive, unstable, able", list(itertools.product((True, False), repeat=3)))
def test_noms_decision_table(grade, high, sensitive, unstable, able):
    result = calc.noms(escc_grade=grade, radiosensitivity="radiosensitive" if sensitive else "radioresistant",
                       mechanically_unstable=unstable, able_to_tolerate_surgery=able)
    decision, individualized = expected_noms(high, sensitive, unstable, able)
    assert result.decision == decision
    assert result.individualized is individualized
    assert result.decision in ("cEBRT", "SRS", "stabilization_then_cEBRT", "stabilization_then_SRS",
                               "separation_surgery_then_SRS")
    assert result.rationale and result.explanation.startswith("NOMS")
    assert "Laufer" in result.source
    if individualized:
        assert "percutaneous" in result.rationale
        assert "not possible" in result.rationale
        assert any("individualized" in c for c in result.caveats)


def test_noms_unverified_row_is_flagged():
    result = calc.noms(escc_grade="3", radiosensitivity="radioresistant", mechanically_unstable=False,
                       able_to_tolerate_surgery=False)
    assert result.decision == "cEBRT"
    assert "UNVERIFIED" in result.rationale
    assert any("unverified" in c for c in result.caveats)
    verified = calc.noms(escc_grade="3", radiosensitivity="radioresistant", mechanically_unstable=False,
                         able_to_tolerate_surgery=True)
    assert not any("unverified" in c for c in verified.caveats)


def test_noms_separation_surgery_mentions_csf_margin():
    result = calc.noms(escc_grade="2", radiosensitivity="radioresistant", mechanically_unstable=False,
                       able_to_tolerate_surgery=True)
    assert "2–3 mm" in result.rationale


@pytest.mark.parametrize("histology, sensitivity", [
    ("lymphoma", "radiosensitive"), ("myeloma", "radiosensitive"), ("seminoma", "radiosensitive"),
    ("breast", "radiosensitive"), ("prostate", "radiosensitive"), ("ovarian", "radiosensitive"),
    ("neuroendocrine", "radiosensitive"), ("renal", "radioresistant"), ("thyroid", "radioresistant"),
    ("hepatocellular", "radioresistant"), ("colon", "radioresistant"), ("nsclc", "radioresistant"),
    ("sarcoma", "radioresistant"), ("melanoma", "radioresistant"),
])
def test_noms_histology_suggests_radiosensitivity(histology, sensitivity):
    result = calc.noms(escc_grade="0", histology=histology, mechanically_unstable=False,
                       able_to_tolerate_surgery=True)
    assert result.radiosensitivity == sensitivity
    assert result.decision == ("cEBRT" if sensitivity == "radiosensitive" else "SRS")
    assert "NOMS" in result.radiosensitivity_basis
    assert any("other lists disagree" in c for c in result.caveats)


def test_noms_explicit_radiosensitivity_wins_over_histology():
    result = calc.noms(escc_grade="0", histology="nsclc", radiosensitivity="radiosensitive",
                       mechanically_unstable=False, able_to_tolerate_surgery=True)
    assert result.radiosensitivity == "radiosensitive"
    assert result.decision == "cEBRT"
    assert result.radiosensitivity_basis == "explicit"
    assert any("radioresistant" in c for c in result.caveats)


def test_noms_needs_radiosensitivity_or_histology():
    with pytest.raises(ValueError, match="radiosensitivity is missing") as info:
        calc.noms(escc_grade="0", mechanically_unstable=False, able_to_tolerate_surgery=True)
    assert "'radioresistant'" in str(info.value) and "histology" in str(info.value)


@pytest.mark.parametrize("sins_total, unstable", [(0, False), (6, False), (13, True), (18, True)])
def test_noms_sins_settles_stability(sins_total, unstable):
    result = calc.noms(escc_grade="0", radiosensitivity="radiosensitive", sins_total=sins_total,
                       able_to_tolerate_surgery=True)
    assert result.mechanically_unstable is unstable
    assert result.decision == ("stabilization_then_cEBRT" if unstable else "cEBRT")


@pytest.mark.parametrize("sins_total", [7, 9, 12])
def test_noms_indeterminate_sins_needs_explicit_stability(sins_total):
    with pytest.raises(ValueError, match="mechanically_unstable is missing") as info:
        calc.noms(escc_grade="0", radiosensitivity="radiosensitive", sins_total=sins_total,
                  able_to_tolerate_surgery=True)
    assert "7–12" in str(info.value)
    for unstable in (True, False):
        result = calc.noms(escc_grade="0", radiosensitivity="radiosensitive", sins_total=sins_total,
                           mechanically_unstable=unstable, able_to_tolerate_surgery=True)
        assert result.mechanically_unstable is unstable
        assert any("surgical consultation" in c for c in result.caveats)


@pytest.mark.parametrize("sins_total, unstable", [(13, False), (18, False), (0, True), (6, True)])
def test_noms_sins_contradiction_raises(sins_total, unstable):
    with pytest.raises(ValueError, match="mechanically_unstable.*contradicts sins_total"):
        calc.noms(escc_grade="0", radiosensitivity="radiosensitive", sins_total=sins_total,
                  mechanically_unstable=unstable, able_to_tolerate_surgery=True)


NOMS_BASE = dict(escc_grade="2", radiosensitivity="radioresistant", mechanically_unstable=False,
                 able_to_tolerate_surgery=True)


@pytest.mark.parametrize("field, bad, accepted", [
    ("escc_grade", 2, "'2'"), ("escc_grade", "1A", "'1a'"), ("escc_grade", MISSING, "'1c'"),
    ("escc_grade", None, "'0'"),
    ("radiosensitivity", "intermediate", "'radiosensitive'"), ("radiosensitivity", True, "'radioresistant'"),
    ("radiosensitivity", "Radiosensitive", "'radiosensitive'"),
    ("mechanically_unstable", "yes", "True"), ("mechanically_unstable", 1, "False"),
    ("mechanically_unstable", MISSING, "True"),
    ("able_to_tolerate_surgery", 0, "True"), ("able_to_tolerate_surgery", None, "False"),
    ("able_to_tolerate_surgery", MISSING, "True"),
    ("histology", "lung", "NSCLC or SCLC"), ("histology", "banana", "'multiple myeloma'"), ("histology", 3, "'NSCLC'"),
    ("sins_total", 19, "18"), ("sins_total", -1, "0"), ("sins_total", "13", "13"), ("sins_total", True, "13"),
    ("sins_total", 12.0, "12"),
])
def test_noms_invalid_fields(field, bad, accepted):
    with pytest.raises(ValueError) as info:
        call(calc.noms, NOMS_BASE, **{field: bad})
    assert field in str(info.value)
    assert accepted in str(info.value)


# ==============================================================================================
# Revised Tokuhashi
# ==============================================================================================
TOKUHASHI_BEST = dict(kps=80, extraspinal_bone_mets=0, vertebral_body_mets=1, major_organ_mets="none",
                      primary_site="breast", frankel="E")  # 2 + 2 + 2 + 2 + 5 + 2 = 15

TOKUHASHI_ROWS = (
    [("kps", k, 0) for k in (10, 20, 30, 40)] + [("kps", k, 1) for k in (50, 60, 70)]
    + [("kps", k, 2) for k in (80, 90, 100)]
    + [("extraspinal_bone_mets", 0, 2), ("extraspinal_bone_mets", 1, 1), ("extraspinal_bone_mets", 2, 1),
       ("extraspinal_bone_mets", 3, 0), ("extraspinal_bone_mets", 4, 0), ("extraspinal_bone_mets", 25, 0)]
    + [("vertebral_body_mets", 1, 2), ("vertebral_body_mets", 2, 1), ("vertebral_body_mets", 3, 0),
       ("vertebral_body_mets", 8, 0)]
    + [("major_organ_mets", "unremovable", 0), ("major_organ_mets", "removable", 1),
       ("major_organ_mets", "none", 2)]
    + [("primary_site", site, 0) for site in ("lung", "osteosarcoma", "stomach", "bladder", "oesophagus",
                                               "esophagus", "pancreas")]
    + [("primary_site", site, 1) for site in ("liver", "gallbladder", "gall bladder", "unidentified", "unknown")]
    + [("primary_site", site, 2) for site in ("others", "colon", "melanoma", "lymphoma")]
    + [("primary_site", site, 3) for site in ("kidney", "uterus", "renal cell")]  # "renal cell" was 2 (M3)
    + [("primary_site", "rectum", 4)]
    + [("primary_site", site, 5) for site in ("thyroid", "breast", "prostate", "carcinoid",
                                               "carcinoid tumour", "carcinoid tumor")]
    + [("frankel", "A", 0), ("frankel", "B", 0), ("frankel", "C", 1), ("frankel", "D", 1), ("frankel", "E", 2)]
)
TOKUHASHI_BEST_POINTS = {"kps": 2, "extraspinal_bone_mets": 2, "vertebral_body_mets": 2,
                         "major_organ_mets": 2, "primary_site": 5, "frankel": 2}


@pytest.mark.parametrize("component, value, points", TOKUHASHI_ROWS)
def test_tokuhashi_every_row(component, value, points):
    result = call(calc.revised_tokuhashi, TOKUHASHI_BEST, **{component: value})
    assert result.components[component] == points
    assert result.total == 15 - TOKUHASHI_BEST_POINTS[component] + points


def test_tokuhashi_components_in_table_order():
    result = calc.revised_tokuhashi(**TOKUHASHI_BEST)
    assert list(result.components) == ["kps", "extraspinal_bone_mets", "vertebral_body_mets",
                                       "major_organ_mets", "primary_site", "frankel"]
    assert result.total == 15
    assert "Tokuhashi" in result.source and "2005" in result.source


def test_tokuhashi_colon_is_others_and_flagged():
    result = call(calc.revised_tokuhashi, TOKUHASHI_BEST, primary_site="colon")
    assert result.primary_site_group == "others"
    assert "colon" in result.explanation and "literal reading" in result.explanation
    assert any("rectum" in c for c in result.caveats)


def test_tokuhashi_unnamed_site_is_flagged_but_named_site_is_not():
    assert any("not named in the table" in c
               for c in call(calc.revised_tokuhashi, TOKUHASHI_BEST, primary_site="melanoma").caveats)
    assert call(calc.revised_tokuhashi, TOKUHASHI_BEST, primary_site="rectum").caveats == ()


TOKUHASHI_TOTALS = {
    0: dict(kps=10, extraspinal_bone_mets=3, vertebral_body_mets=3, major_organ_mets="unremovable",
            primary_site="lung", frankel="A"),
    8: dict(kps=80, extraspinal_bone_mets=0, vertebral_body_mets=1, major_organ_mets="none",
            primary_site="lung", frankel="A"),
    9: dict(kps=80, extraspinal_bone_mets=0, vertebral_body_mets=1, major_organ_mets="none",
            primary_site="lung", frankel="C"),
    11: dict(kps=80, extraspinal_bone_mets=0, vertebral_body_mets=1, major_organ_mets="none",
             primary_site="liver", frankel="E"),
    12: dict(kps=80, extraspinal_bone_mets=0, vertebral_body_mets=1, major_organ_mets="none",
             primary_site="others", frankel="E"),
    15: TOKUHASHI_BEST,
}


@pytest.mark.parametrize("total, prognosis", [
    (0, "<6 months"), (8, "<6 months"), (9, ">=6 months"), (11, ">=6 months"), (12, ">=1 year"),
    (15, ">=1 year"),
])
def test_tokuhashi_band_boundaries(total, prognosis):
    result = calc.revised_tokuhashi(**TOKUHASHI_TOTALS[total])
    assert result.total == total
    assert result.prognosis == prognosis
    assert result.treatment_guidance in result.explanation


@pytest.mark.parametrize("field, bad, accepted", [
    ("kps", 0, "10"), ("kps", 55, "50"), ("kps", 110, "100"), ("kps", 50.0, "50"), ("kps", "50", "50"),
    ("kps", True, "10"), ("kps", None, "100"), ("kps", MISSING, "10"),
    ("extraspinal_bone_mets", -1, "≥ 0"), ("extraspinal_bone_mets", "3", "≥ 0"),
    ("extraspinal_bone_mets", True, "≥ 0"), ("extraspinal_bone_mets", 1.0, "≥ 0"),
    ("extraspinal_bone_mets", None, "≥ 0"), ("extraspinal_bone_mets", MISSING, "≥ 0"),
    ("vertebral_body_mets", 0, "≥ 1"), ("vertebral_body_mets", "2", "≥ 1"), ("vertebral_body_mets", False, "≥ 1"),
    ("vertebral_body_mets", 2.5, "≥ 1"), ("vertebral_body_mets", MISSING, "≥ 1"),
    ("major_organ_mets", "absent", "'none'"), ("major_organ_mets", "None", "'none'"),
    ("major_organ_mets", 0, "'removable'"), ("major_organ_mets", MISSING, "'unremovable'"),
    ("primary_site", "colorectal", "'rectum'"), ("primary_site", "banana", "'breast'"), ("primary_site", "", "'lung'"),
    ("primary_site", 3, "'kidney'"), ("primary_site", None, "'rectum'"), ("primary_site", MISSING, "'lung'"),
    ("frankel", "a", "'A'"), ("frankel", "F", "'E'"), ("frankel", 1, "'A'"), ("frankel", "AB", "'B'"),
    ("frankel", MISSING, "'C'"),
])
def test_tokuhashi_invalid_fields(field, bad, accepted):
    with pytest.raises(ValueError) as info:
        call(calc.revised_tokuhashi, TOKUHASHI_BEST, **{field: bad})
    assert field in str(info.value)
    assert accepted in str(info.value)


# ==============================================================================================
# Tomita
# ==============================================================================================
W, M, P, N = ("wide_or_marginal_excision", "marginal_or_intralesional_excision", "palliative_surgery",
              "nonoperative_supportive_care")
TOMITA_EXPECTED = [
    ("slow", "none", "solitary", 2, W), ("slow", "none", "multiple", 3, W),
    ("slow", "treatable", "solitary", 4, M), ("slow", "treatable", "multiple", 5, M),
    ("slow", "untreatable", "solitary", 6, P), ("slow", "untreatable", "multiple", 7, P),
    ("moderate", "none", "solitary", 3, W), ("moderate", "none", "multiple", 4, M),
    ("moderate", "treatable", "solitary", 5, M), ("moderate", "treatable", "multiple", 6, P),
    ("moderate", "untreatable", "solitary", 7, P), ("moderate", "untreatable", "multiple", 8, N),
    ("rapid", "none", "solitary", 5, M), ("rapid", "none", "multiple", 6, P),
    ("rapid", "treatable", "solitary", 7, P), ("rapid", "treatable", "multiple", 8, N),
    ("rapid", "untreatable", "solitary", 9, N), ("rapid", "untreatable", "multiple", 10, N),
]


@pytest.mark.parametrize("growth, visceral, bone, total, goal", TOMITA_EXPECTED)
def test_tomita_all_18_combinations(growth, visceral, bone, total, goal):
    result = calc.tomita(primary_growth=growth, visceral_mets=visceral, bone_mets=bone)
    assert result.total == total
    assert result.treatment_goal == goal
    assert list(result.components) == ["primary_growth", "visceral_mets", "bone_mets"]
    assert result.explanation.startswith(f"Tomita {total} = ")


@pytest.mark.parametrize("total, goal", [(2, W), (3, W), (4, M), (5, M), (6, P), (7, P), (8, N), (10, N)])
def test_tomita_band_boundaries(total, goal):
    growth, visceral, bone, _, expected = next(row for row in TOMITA_EXPECTED if row[3] == total)
    assert expected == goal
    assert calc.tomita(primary_growth=growth, visceral_mets=visceral, bone_mets=bone).treatment_goal == goal


def test_tomita_flags_its_single_source():
    result = calc.tomita(primary_growth="rapid", visceral_mets="none", bone_mets="solitary")
    assert any("V1" in c for c in result.caveats)
    assert "Tomita" in result.source and "2001" in result.source


@pytest.mark.parametrize("field, bad, accepted", [
    (field, bad, accepted)
    for field, accepted in (("primary_growth", "'rapid'"), ("visceral_mets", "'untreatable'"),
                            ("bone_mets", "'solitary'"))
    for bad in ("fast", "", 1, True, None, MISSING, "Slow")
])
def test_tomita_invalid_fields(field, bad, accepted):
    base = dict(primary_growth="slow", visceral_mets="none", bone_mets="solitary")
    with pytest.raises(ValueError) as info:
        call(calc.tomita, base, **{field: bad})
    assert field in str(info.value)
    assert accepted in str(info.value)


# ==============================================================================================
# Bauer and modified Bauer
# ==============================================================================================
BAUER_BEST = dict(visceral_mets=False, solitary_skeletal_metastasis=True, primary_site="breast",
                  pathological_fracture=False)


@pytest.mark.parametrize("site, points", [("breast", 2), ("kidney", 2), ("lymphoma", 2), ("myeloma", 2),
                                          ("other", 1), ("lung", 0)])
def test_bauer_primary_site_items(site, points):
    result = call(calc.bauer, BAUER_BEST, primary_site=site)
    assert result.components["primary_not_lung"] + result.components["favourable_primary"] == points
    assert result.total == 3 + points


@pytest.mark.parametrize("changes, total, prognosis", [
    ({}, 5, ">12 months"),
    ({"pathological_fracture": True}, 4, ">12 months"),
    ({"pathological_fracture": True, "visceral_mets": True}, 3, ">6 months"),
    ({"pathological_fracture": True, "visceral_mets": True, "primary_site": "other"}, 2, ">6 months"),
    ({"pathological_fracture": True, "visceral_mets": True, "primary_site": "lung"}, 1, "<6 months"),
    ({"pathological_fracture": True, "visceral_mets": True, "primary_site": "lung",
      "solitary_skeletal_metastasis": False}, 0, "<6 months"),
])
def test_bauer_bands(changes, total, prognosis):
    result = call(calc.bauer, BAUER_BEST, **changes)
    assert (result.total, result.prognosis, result.version) == (total, prognosis, "original")
    assert "Bauer" in result.source


@pytest.mark.parametrize("changes, total, prognosis", [
    ({}, 4, "good"), ({"visceral_mets": True}, 3, "good"),
    ({"visceral_mets": True, "primary_site": "other"}, 2, "intermediate"),
    ({"visceral_mets": True, "primary_site": "lung"}, 1, "poor"),
    ({"visceral_mets": True, "primary_site": "lung", "solitary_skeletal_metastasis": False}, 0, "poor"),
])
def test_modified_bauer_bands(changes, total, prognosis):
    base = {k: v for k, v in BAUER_BEST.items() if k != "pathological_fracture"}
    result = call(calc.modified_bauer, base, **changes)
    assert (result.total, result.prognosis, result.version) == (total, prognosis, "modified")
    assert "no_pathological_fracture" not in result.components
    assert "Leithner" in result.source
    assert any("V1" in c for c in result.caveats)


@pytest.mark.parametrize("field, bad, accepted", [
    ("visceral_mets", 1, "True"), ("visceral_mets", MISSING, "False"),
    ("solitary_skeletal_metastasis", "yes", "True"), ("primary_site", "banana", "'lung'"),
    ("primary_site", "liver metastases", "'other'"), ("pathological_fracture", None, "True"),
    ("pathological_fracture", MISSING, "False"),
])
def test_bauer_invalid_fields(field, bad, accepted):
    with pytest.raises(ValueError) as info:
        call(calc.bauer, BAUER_BEST, **{field: bad})
    assert field in str(info.value) and accepted in str(info.value)


# ==============================================================================================
# Frankel, ASIA, KPS, ECOG
# ==============================================================================================
@pytest.mark.parametrize("grade, name", [("A", "Complete"), ("B", "Sensory only"), ("C", "Motor useless"),
                                         ("D", "Motor useful"), ("E", "Recovery / normal")])
def test_frankel(grade, name):
    result = calc.frankel(grade)
    assert (result.scale, result.grade, result.name) == ("Frankel", grade, name)
    assert result.definition in result.explanation and "Frankel" in result.source


@pytest.mark.parametrize("grade, name", [("A", "Complete"), ("B", "Sensory incomplete"),
                                         ("C", "Motor incomplete"), ("D", "Motor incomplete"), ("E", "Normal")])
def test_asia(grade, name):
    result = calc.asia(grade)
    assert (result.scale, result.grade, result.name) == ("ASIA", grade, name)


def test_asia_c_and_d_differ_by_half_of_key_muscles():
    assert "fewer than half" in calc.asia("C").definition
    assert "at least half" in calc.asia("D").definition
    assert "S4–S5" in calc.asia("A").definition


@pytest.mark.parametrize("fn", [calc.frankel, calc.asia])
@pytest.mark.parametrize("bad", ["a", "e", "F", "", 1, None, True])
def test_grade_scales_invalid(fn, bad):
    with pytest.raises(ValueError, match="grade") as info:
        fn(bad)
    assert "'A'" in str(info.value)


@pytest.mark.parametrize("kps, fragment", [(100, "Normal"), (90, "minor signs"), (80, "with effort"),
                                           (70, "Cares for self"), (60, "occasional assistance"),
                                           (50, "considerable assistance"), (40, "Disabled"),
                                           (30, "Severely disabled"), (20, "Very sick"), (10, "Moribund"),
                                           (0, "Dead")])
def test_kps_description(kps, fragment):
    assert fragment in calc.kps_description(kps).description


@pytest.mark.parametrize("ecog, fragment", [(0, "Fully active"), (1, "strenuous"), (2, "50 %"),
                                            (3, "limited self-care"), (4, "Completely disabled"), (5, "Dead")])
def test_ecog_description(ecog, fragment):
    assert fragment in calc.ecog_description(ecog).description


@pytest.mark.parametrize("fn, field, bad", [
    (calc.kps_description, "kps", 55), (calc.kps_description, "kps", 110), (calc.kps_description, "kps", True),
    (calc.kps_description, "kps", "80"), (calc.kps_description, "kps", 80.0),
    (calc.ecog_description, "ecog", 6), (calc.ecog_description, "ecog", -1), (calc.ecog_description, "ecog", False),
    (calc.ecog_description, "ecog", "2"),
])
def test_performance_scales_invalid(fn, field, bad):
    with pytest.raises(ValueError, match=field) as info:
        fn(bad)
    assert "0" in str(info.value)


# KPS → ECOG under each mapping (clinical reference 6.4), written out for every KPS value.
KPS_TO_ECOG = {
    "A": {100: 0, 90: 1, 80: 1, 70: 2, 60: 2, 50: 3, 40: 3, 30: 4, 20: 4, 10: 4, 0: 5},
    "B": {100: 0, 90: 0, 80: 1, 70: 1, 60: 2, 50: 2, 40: 3, 30: 3, 20: 4, 10: 4, 0: 5},
    "C": {100: 0, 90: 0, 80: 1, 70: (1, 2), 60: 2, 50: (2, 3), 40: 3, 30: 4, 20: 4, 10: 4},
}


@pytest.mark.parametrize("mapping, kps, expected",
                         [(m, k, e) for m, table in KPS_TO_ECOG.items() for k, e in table.items()])
def test_kps_to_ecog(mapping, kps, expected):
    result = calc.kps_to_ecog(kps, mapping=mapping)
    if isinstance(expected, tuple):
        assert result.ecog is None
        assert result.ecog_options == expected
        assert "ambiguous" in result.explanation
    else:
        assert result.ecog == expected
        assert result.ecog_options == (expected,)
    assert result.source == calc.KPS_ECOG_MAPPINGS[mapping]["source"]


ECOG_TO_KPS = {
    "A": {0: (100, 100), 1: (80, 90), 2: (60, 70), 3: (40, 50), 4: (10, 30), 5: (0, 0)},
    "B": {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20), 5: (0, 0)},
    "C": {0: (90, 100), 1: (70, 80), 2: (50, 70), 3: (40, 50), 4: (10, 30)},
}


@pytest.mark.parametrize("mapping, ecog, expected",
                         [(m, e, r) for m, table in ECOG_TO_KPS.items() for e, r in table.items()])
def test_ecog_to_kps_range(mapping, ecog, expected):
    result = calc.ecog_to_kps_range(ecog, mapping=mapping)
    assert (result.kps_low, result.kps_high) == expected
    assert result.mapping == mapping


def test_mappings_carry_distinct_named_sources():
    sources = {name: m["source"] for name, m in calc.KPS_ECOG_MAPPINGS.items()}
    assert set(sources) == {"A", "B", "C"}
    assert len(set(sources.values())) == 3
    assert "Oken" in sources["A"] and "Zubrod" in sources["B"] and "Buccheri" in sources["C"]
    assert calc.kps_to_ecog(80).mapping == "A"  # the default


@pytest.mark.parametrize("call_, field", [
    (lambda: calc.kps_to_ecog(0, mapping="C"), "kps"), (lambda: calc.ecog_to_kps_range(5, mapping="C"), "ecog"),
    (lambda: calc.kps_to_ecog(80, mapping="D"), "mapping"), (lambda: calc.kps_to_ecog(80, mapping="a"), "mapping"),
    (lambda: calc.kps_to_ecog(85), "kps"), (lambda: calc.kps_to_ecog(True), "kps"),
    (lambda: calc.ecog_to_kps_range(6), "ecog"), (lambda: calc.ecog_to_kps_range("1"), "ecog"),
])
def test_mapping_invalid(call_, field):
    with pytest.raises(ValueError, match=field):
        call_()


# ==============================================================================================
# Radiobiology
# ==============================================================================================
@pytest.mark.parametrize("x, expected", [(46.875, 46.88), (44.625, 44.63), (39.0625, 39.06), (0.125, 0.13),
                                         (2.675, 2.68), (1.005, 1.01), (-1.005, -1.01), (12.0, 12.0)])
def test_round_half_up(x, expected):
    assert calc.round_half_up(x) == expected


CEBRT = [  # dose, fractions, BED10, EQD2(10)  — clinical reference 7.3
    (8, 1, 14.40, 12.00), (20, 5, 28.00, 23.33), (30, 10, 39.00, 32.50), (37.5, 15, 46.88, 39.06),
    (40, 20, 48.00, 40.00),
]


@pytest.mark.parametrize("dose, n, bed10, eqd2", CEBRT)
def test_bed_eqd2_cebrt_cross_check(dose, n, bed10, eqd2):
    result = calc.bed_eqd2(total_dose_gy=dose, fractions=n, alpha_beta_gy=10)
    assert result.by_alpha_beta[10].BED == bed10
    assert result.by_alpha_beta[10].EQD2 == eqd2
    assert result.by_alpha_beta[10.0] is result.by_alpha_beta[10]
    assert f"BED {bed10:.2f}" in result.explanation


def test_bed_eqd2_several_alpha_betas_keyed_as_given():
    result = calc.bed_eqd2(total_dose_gy=20, fractions=5, alpha_beta_gy=[10, 3, 2.0, 0.87])
    assert list(result.by_alpha_beta) == [10, 3, 2.0, 0.87]
    assert result.by_alpha_beta[2].BED == 60.0 and result.by_alpha_beta[2].EQD2 == 30.0
    assert result.by_alpha_beta[3].BED == 46.67 and result.by_alpha_beta[3].EQD2 == 28.0
    # α/β 0.87: BED = 20 × (1 + 4/0.87) = 111.954…, EQD2 = BED / (1 + 2/0.87) = 33.937…
    assert result.by_alpha_beta[0.87].BED == 111.95 and result.by_alpha_beta[0.87].EQD2 == 33.94
    assert result.dose_per_fraction_gy == 4.0
    assert dataclasses.asdict(result)["by_alpha_beta"][10] == {"BED": 28.0, "EQD2": 23.33}


def test_bed_eqd2_tuple_is_accepted():
    assert calc.bed_eqd2(total_dose_gy=8, fractions=1, alpha_beta_gy=(10,)).by_alpha_beta[10].BED == 14.4


@pytest.mark.parametrize("field, changes, accepted", [
    ("total_dose_gy", {"total_dose_gy": 0}, "> 0"), ("total_dose_gy", {"total_dose_gy": -8}, "> 0"),
    ("total_dose_gy", {"total_dose_gy": "8"}, "> 0"), ("total_dose_gy", {"total_dose_gy": True}, "> 0"),
    ("total_dose_gy", {"total_dose_gy": math.nan}, "> 0"), ("total_dose_gy", {"total_dose_gy": math.inf}, "> 0"),
    ("total_dose_gy", {"total_dose_gy": MISSING}, "> 0"),
    ("fractions", {"fractions": 0}, "≥ 1"), ("fractions", {"fractions": 1.0}, "≥ 1"),
    ("fractions", {"fractions": "1"}, "≥ 1"), ("fractions", {"fractions": True}, "≥ 1"),
    ("fractions", {"fractions": MISSING}, "≥ 1"),
    ("alpha_beta_gy", {"alpha_beta_gy": 0}, "> 0"), ("alpha_beta_gy", {"alpha_beta_gy": -2}, "> 0"),
    ("alpha_beta_gy", {"alpha_beta_gy": "10"}, "> 0"), ("alpha_beta_gy", {"alpha_beta_gy": []}, "list"),
    ("alpha_beta_gy[1]", {"alpha_beta_gy": [10, "2"]}, "> 0"), ("alpha_beta_gy", {"alpha_beta_gy": [10, 10.0]}, "distinct"),
    ("alpha_beta_gy", {"alpha_beta_gy": MISSING}, "> 0"), ("alpha_beta_gy", {"alpha_beta_gy": None}, "> 0"),
])
def test_bed_eqd2_invalid(field, changes, accepted):
    with pytest.raises(ValueError) as info:
        call(calc.bed_eqd2, dict(total_dose_gy=8, fractions=1, alpha_beta_gy=10), **changes)
    assert field in str(info.value) and accepted in str(info.value)


SAHGAL = [(1, 12.4, 44.64), (2, 17.0, 44.63), (3, 20.3, 44.49), (4, 23.0, 44.56), (5, 25.3, 44.65)]


@pytest.mark.parametrize("n, limit, eqd2", SAHGAL)
def test_cord_pmax_at_the_limit(n, limit, eqd2):
    result = calc.cord_pmax_check(dose_gy=limit, fractions=n)
    assert result.limit_gy == limit
    assert result.within_limit is True
    assert result.eqd2_gy == eqd2 and result.limit_eqd2_gy == eqd2
    assert "Sahgal" in result.source and "2013" in result.source


@pytest.mark.parametrize("n, limit, eqd2", SAHGAL)
def test_cord_pmax_just_above_and_below(n, limit, eqd2):
    assert calc.cord_pmax_check(dose_gy=round(limit + 0.01, 2), fractions=n).within_limit is False
    below = calc.cord_pmax_check(dose_gy=round(limit - 0.01, 2), fractions=n)
    assert below.within_limit is True
    assert below.eqd2_gy < eqd2


def test_cord_pmax_explanation_and_alpha_beta_2():
    result = calc.cord_pmax_check(dose_gy=14, fractions=1)
    assert result.within_limit is False
    assert result.eqd2_gy == 56.0  # 14 × (14 + 2) / 4
    assert "exceeds" in result.explanation and "12.4" in result.explanation
    assert calc.CORD_ALPHA_BETA_GY == 2


@pytest.mark.parametrize("field, changes, accepted", [
    ("fractions", {"fractions": 0}, "1"), ("fractions", {"fractions": 6}, "5"), ("fractions", {"fractions": 10}, "5"),
    ("fractions", {"fractions": 1.0}, "1"), ("fractions", {"fractions": True}, "1"),
    ("fractions", {"fractions": "1"}, "1"), ("fractions", {"fractions": MISSING}, "3"),
    ("dose_gy", {"dose_gy": 0}, "> 0"), ("dose_gy", {"dose_gy": "12"}, "> 0"), ("dose_gy", {"dose_gy": MISSING}, "> 0"),
])
def test_cord_pmax_invalid(field, changes, accepted):
    with pytest.raises(ValueError) as info:
        call(calc.cord_pmax_check, dict(dose_gy=12, fractions=1), **changes)
    assert field in str(info.value) and accepted in str(info.value)


def test_sahgal_table_constant():
    assert calc.SAHGAL_PMAX == {1: 12.4, 2: 17.0, 3: 20.3, 4: 23.0, 5: 25.3}


# ==============================================================================================
# Corrected calcium
# ==============================================================================================
@pytest.mark.parametrize("calcium, albumin, corrected, category", [
    (2.5, 30, 2.70, "hypercalcaemia"), (2.4, 40, 2.40, "normal"), (2.2, 40, 2.20, "normal"),
    (2.19, 40, 2.19, "hypocalcaemia"), (2.6, 40, 2.60, "normal"), (2.61, 40, 2.61, "hypercalcaemia"),
    (2.4, 50, 2.20, "normal"), (3.49, 40, 3.49, "hypercalcaemia"),
    (3.5, 40, 3.50, "hypercalcaemia"),  # m21: SfE (Walsh 2016) severe is *above* 3.5; was "severe" before
    (3.51, 40, 3.51, "severe_hypercalcaemia"), (3.2, 25, 3.50, "hypercalcaemia"), (2.0, 20, 2.40, "normal"),
])
def test_corrected_calcium(calcium, albumin, corrected, category):
    result = calc.corrected_calcium(calcium_mmol_l=calcium, albumin_g_l=albumin)
    assert result.corrected_mmol_l == corrected
    assert result.category == category
    assert "Payne" in result.source and "1973" in result.source
    assert any("convention" in c for c in result.caveats)


@pytest.mark.parametrize("field, changes, accepted", [
    ("calcium_mmol_l", {"calcium_mmol_l": 10.2}, "mmol/L"), ("calcium_mmol_l", {"calcium_mmol_l": 0}, "0.5"),
    ("calcium_mmol_l", {"calcium_mmol_l": "2.4"}, "2.4"), ("calcium_mmol_l", {"calcium_mmol_l": True}, "0.5"),
    ("calcium_mmol_l", {"calcium_mmol_l": MISSING}, "0.5"),
    ("albumin_g_l", {"albumin_g_l": 3.5}, "g/L"), ("albumin_g_l", {"albumin_g_l": 70}, "60"),
    ("albumin_g_l", {"albumin_g_l": None}, "10"), ("albumin_g_l", {"albumin_g_l": MISSING}, "10"),
])
def test_corrected_calcium_invalid(field, changes, accepted):
    with pytest.raises(ValueError) as info:
        call(calc.corrected_calcium, dict(calcium_mmol_l=2.4, albumin_g_l=35), **changes)
    assert field in str(info.value) and accepted in str(info.value)


# ==============================================================================================
# Tables for display, sources, references
# ==============================================================================================
def test_table_rows_sins_is_the_published_table():
    assert [tuple(row) for row in calc.table_rows("sins")] == SINS_ROWS
    assert calc.table_rows("sins")[0].points == 3


def test_table_rows_tomita_and_tokuhashi():
    assert [tuple(r) for r in calc.table_rows("tomita")] == [
        ("primary_growth", "slow", 1), ("primary_growth", "moderate", 2), ("primary_growth", "rapid", 4),
        ("visceral_mets", "none", 0), ("visceral_mets", "treatable", 2), ("visceral_mets", "untreatable", 4),
        ("bone_mets", "solitary", 1), ("bone_mets", "multiple", 2),
    ]
    tokuhashi = calc.table_rows("revised_tokuhashi")
    assert [r.component for r in tokuhashi][:3] == ["kps"] * 3
    sites = {r.category: r.points for r in tokuhashi if r.component == "primary_site"}
    assert sites == {"lung": 0, "osteosarcoma": 0, "stomach": 0, "bladder": 0, "oesophagus": 0, "pancreas": 0,
                     "liver": 1, "gallbladder": 1, "unidentified": 1, "others": 2, "kidney": 3, "uterus": 3,
                     "rectum": 4, "thyroid": 5, "breast": 5, "prostate": 5, "carcinoid": 5}
    # each component's maximum adds up to the published maximum of 15
    best: dict[str, int] = {}
    for row in tokuhashi:
        best[row.component] = max(best.get(row.component, 0), row.points)
    assert sum(best.values()) == 15


def test_table_rows_bauer():
    assert len(calc.table_rows("bauer")) == 10 and len(calc.table_rows("modified_bauer")) == 8
    assert sum(r.points for r in calc.table_rows("bauer")) == 5


@pytest.mark.parametrize("bad", ["SINS", "tokuhashi", "rades", "", None])
def test_table_rows_invalid(bad):
    with pytest.raises(ValueError, match="score_name") as info:
        calc.table_rows(bad)
    assert "'sins'" in str(info.value)


def test_no_rades_score():
    assert not hasattr(calc, "rades")


def test_reference_keys_exist_in_the_bibliography(root):
    yaml = pytest.importorskip("yaml")
    bibliography = yaml.safe_load((root / "course" / "data" / "references.yaml").read_text(encoding="utf-8"))
    for name, keys in calc.REFERENCE_KEYS.items():
        assert hasattr(calc, name), name
        for key in keys:
            assert key in bibliography, (name, key)


def test_module_states_educational_use():
    assert "Educational use only — not for clinical decisions" in calc.__doc__
