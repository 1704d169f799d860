"""Closed vocabularies (course.vocabulary, course/data/vocabularies.yaml) and the calculators that use them.

Review finding M3 and issue 10: clinicians' names are read case- and punctuation-insensitively through one
normaliser and one table per score; unknown or ambiguous names are refused; "others" only where the
score's table puts the name, and the result says so. Every alias of every score is exercised.
"""

from __future__ import annotations

import pytest

from course import calculators as calc
from course import datasets, vocabulary

TOKUHASHI = dict(kps=80, extraspinal_bone_mets=0, vertebral_body_mets=1, major_organ_mets="none", frankel="E")
BAUER = dict(visceral_mets=False, solitary_skeletal_metastasis=True, pathological_fracture=False)
NOMS = dict(escc_grade="3", mechanically_unstable=False, able_to_tolerate_surgery=True)

NAMES = datasets.load("vocabularies")["names"]
SCORES = datasets.load("vocabularies")["scores"]


def _spellings(name):
    return [name.replace("_", " "), *NAMES[name]]


# --- the normaliser ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, expected", [
    ("Non-Small-Cell Lung Cancer", "non small cell lung cancer"), ("  RCC ", "rcc"), ("renal_cell", "renal cell"),
    ("Esophageal", "oesophageal"), ("carcinoid tumor", "carcinoid tumour"), ("Leukemia", "leukaemia"),
    ("Ewing's sarcoma", "ewing s sarcoma"), ("gastro-esophageal junction", "gastro oesophageal junction"),
])
def test_normalise(typed, expected):
    assert vocabulary.normalise(typed) == expected


def test_no_alias_belongs_to_two_names():
    index = vocabulary._alias_index()  # raises on a duplicate
    assert index["rcc"] == "kidney" and index["nsclc"] == "nsclc"


@pytest.mark.parametrize("score", list(SCORES))
def test_every_name_a_score_mentions_exists(score):
    table = SCORES[score]
    mentioned = set(table.get("map", {})) | set(table.get("others") or {}) | set(table.get("info_only") or ()) \
        | set(table.get("ambiguous") or {})
    assert mentioned <= set(NAMES), mentioned - set(NAMES)
    assert not set(table.get("map", {})) & set(table.get("ambiguous") or {})


# --- every alias of every score -------------------------------------------------------------------
def _cases(score):
    table = SCORES[score]
    for name, category in table.get("map", {}).items():
        for spelling in _spellings(name):
            yield score, spelling, category, False
    for name in table.get("others") or {}:
        for spelling in _spellings(name):
            yield score, spelling, "others" if score == "revised_tokuhashi" else "other", True


@pytest.mark.parametrize("score, spelling, category, others",
                         [c for s in ("revised_tokuhashi", "bauer", "noms") for c in _cases(s)])
def test_every_alias_maps(score, spelling, category, others):
    for typed in (spelling, spelling.upper(), spelling.title().replace(" ", "-")):
        term = vocabulary.lookup(score, typed)
        assert (term.category, term.others) == (category, others), typed
        if others:
            assert term.note


@pytest.mark.parametrize("score, name", [(s, n) for s in SCORES for n in SCORES[s].get("ambiguous") or {}])
def test_every_ambiguous_name_is_refused(score, name):
    field = SCORES[score]["field"]
    for spelling in _spellings(name):
        with pytest.raises(ValueError) as info:
            vocabulary.lookup(score, spelling)
        message = str(info.value)
        assert message.startswith(f"{field}=") and "ambiguous" in message and "accepted values" in message


@pytest.mark.parametrize("score", list(SCORES))
@pytest.mark.parametrize("typed", ["banana", "xyz carcinoma", "squamous cell carcinoma", "", "   ", 3, None])
def test_unknown_names_are_refused_with_the_accepted_values(score, typed):
    with pytest.raises(ValueError) as info:
        vocabulary.lookup(score, typed)
    message = str(info.value)
    assert SCORES[score]["field"] in message and "accepted values" in message
    assert repr(vocabulary.categories(score)[0]) in message


def test_generic_words_are_dropped_only_when_the_rest_maps():
    assert vocabulary.lookup("revised_tokuhashi", "Breast cancer").category == "breast"
    assert vocabulary.lookup("revised_tokuhashi", "colon adenocarcinoma").category == "others"
    assert vocabulary.lookup("revised_tokuhashi", "Thyroid carcinoma").category == "thyroid"
    with pytest.raises(ValueError, match="ambiguous"):  # "neuroendocrine carcinoma" is not "neuroendocrine"
        vocabulary.lookup("revised_tokuhashi", "Neuroendocrine carcinoma")


def test_unknown_score_is_refused():
    with pytest.raises(ValueError, match="accepted values: 'revised_tokuhashi'"):
        vocabulary.lookup("katagiri", "breast")


# --- the calculators that use it ---------------------------------------------------------------------
@pytest.mark.parametrize("typed, points", [
    ("NSCLC", 0), ("non-small cell lung cancer", 0), ("SCLC", 0), ("renal cell carcinoma", 3), ("RCC", 3),
    ("renal", 3), ("Renal cell", 3), ("gastric", 0), ("rectal", 4), ("HCC", 1), ("hepatocellular", 1),
    ("pancreatic", 0), ("oesophageal", 0), ("esophageal", 0), ("uterine", 3), ("endometrial", 3),
    ("unknown primary", 1), ("CUP", 1), ("Multiple myeloma", 2), ("colon", 2), ("melanoma", 2), ("other", 2),
])
def test_tokuhashi_scores_clinical_names(typed, points):
    """The review's cases (section 2): before issue 10 every one of these scored as 'others' (2) or was refused."""
    result = calc.revised_tokuhashi(**TOKUHASHI, primary_site=typed)
    assert result.components["primary_site"] == points


def test_tokuhashi_nsclc_band_is_six_months_not_one_year():
    # KPS 80 (2) + 0 extraspinal (2) + 1 vertebral (2) + no organ mets (2) + lung (0) + Frankel E (2) = 10.
    result = calc.revised_tokuhashi(**TOKUHASHI, primary_site="nsclc")
    assert (result.total, result.prognosis, result.primary_site_group) == (10, ">=6 months", "lung")
    assert result.caveats == ()


def test_tokuhashi_others_says_so_and_explicit_other_does_not_apologise():
    colon = calc.revised_tokuhashi(**TOKUHASHI, primary_site="Colon")
    assert colon.primary_site_group == "others" and "only rectum" in colon.caveats[0]
    myeloma = calc.revised_tokuhashi(**TOKUHASHI, primary_site="multiple myeloma")
    assert "haematological" in myeloma.caveats[0] and "haematological" in myeloma.explanation
    assert calc.revised_tokuhashi(**TOKUHASHI, primary_site="other").caveats == ()


@pytest.mark.parametrize("typed", ["colorectal", "urothelial", "cholangiocarcinoma", "GOJ", "cervix",
                                   "liver metastases", "neuroendocrine carcinoma", "banana", "renal pelvis"])
def test_tokuhashi_refuses_ambiguous_and_unknown_sites(typed):
    with pytest.raises(ValueError, match=r"^primary_site=.*accepted values: one of 'lung'"):
        calc.revised_tokuhashi(**TOKUHASHI, primary_site=typed)


def test_tokuhashi_missing_site_names_the_field():
    with pytest.raises(ValueError, match="primary_site is missing; accepted values"):
        calc.revised_tokuhashi(**TOKUHASHI)


@pytest.mark.parametrize("typed, favourable, not_lung, note", [
    ("renal cell carcinoma", 1, 1, False), ("Multiple myeloma", 1, 1, False), ("NSCLC", 0, 0, False),
    ("prostate", 0, 1, True), ("colon", 0, 1, True), ("other", 0, 1, False),
])
def test_bauer_reads_clinical_names(typed, favourable, not_lung, note):
    result = calc.bauer(**BAUER, primary_site=typed)
    assert (result.components["favourable_primary"], result.components["primary_not_lung"]) == (favourable, not_lung)
    assert any("scores as 'other'" in c for c in result.caveats) == note


def test_bauer_refuses_unknown_primary_names():
    with pytest.raises(ValueError, match=r"^primary_site='banana'.*accepted values: one of 'breast'"):
        calc.modified_bauer(visceral_mets=False, solitary_skeletal_metastasis=True, primary_site="banana")


@pytest.mark.parametrize("typed, sensitivity", [
    ("multiple myeloma", "radiosensitive"), ("Renal cell carcinoma", "radioresistant"), ("RCC", "radioresistant"),
    ("NSCLC", "radioresistant"), ("HCC", "radioresistant"), ("breast cancer", "radiosensitive"),
    ("prostate", "radiosensitive"), ("colorectal", "radioresistant"), ("DLBCL", "radiosensitive"),
])
def test_noms_histology_aliases_suggest_the_noms_list(typed, sensitivity):
    result = calc.noms(**NOMS, histology=typed)
    assert result.radiosensitivity == sensitivity and result.radiosensitivity_basis != "explicit"


@pytest.mark.parametrize("typed", ["SCLC", "gastric", "bladder", "unknown primary", "multiple myeloma", "RCC"])
def test_noms_with_explicit_radiosensitivity_accepts_any_known_histology(typed):
    result = calc.noms(**NOMS, histology=typed, radiosensitivity="radiosensitive")
    assert result.decision == "cEBRT" and result.radiosensitivity_basis == "explicit"


def test_noms_unclassified_histology_needs_explicit_radiosensitivity():
    with pytest.raises(ValueError, match=r"^radiosensitivity is missing.*SCLC"):
        calc.noms(**NOMS, histology="SCLC")


@pytest.mark.parametrize("typed", ["lung", "banana", "other"])
def test_noms_refuses_unknown_or_ambiguous_histology(typed):
    with pytest.raises(ValueError, match=r"^histology="):
        calc.noms(**NOMS, histology=typed, radiosensitivity="radiosensitive")


@pytest.mark.parametrize("organ", ["breast", "RCC", "lung", "unknown primary", "Multiple myeloma"])
def test_tomita_takes_the_growth_group_never_an_organ(organ):
    with pytest.raises(ValueError, match=r"^primary_growth=.*accepted values: 'slow', 'moderate', 'rapid'.*growth group"):
        calc.tomita(primary_growth=organ, visceral_mets="none", bone_mets="solitary")
