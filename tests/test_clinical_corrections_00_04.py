"""Clinical corrections of the 2026-12 review in modules 00–04 (docs/findings-ledger.md, Part 2).

Text-level checks on the data, notebooks, banks and graded assignments that teach each corrected fact.
Each test fails on the files as they stood before the correction (see the ledger's "Fails before" column).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _md(stem: str) -> str:
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _data(name: str):
    return yaml.safe_load((ROOT / "course" / "data" / f"{name}.yaml").read_text(encoding="utf-8"))


def _bank(stem: str):
    return yaml.safe_load((ROOT / "course" / "questions" / f"{stem}.yaml").read_text(encoding="utf-8"))


def _source_cells(assignment: str) -> dict[str, str]:
    nb = nbformat.read(ROOT / "grading" / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    out = {}
    for c in nb.cells:
        name = c.metadata.get("nbgrader", {}).get("grade_id") or c.get("id", "")
        out[name] = c.source
    return out


def test_m5_s3_key_point_is_the_ischial_tuberosity_and_s4_5_perianal():
    derm = {d["level"]: d["landmark"] for d in _data("neuro")["dermatomes"]}
    assert "ischial tuberosity" in derm["S3"] and "perianal" not in derm["S3"]
    assert "perianal" in derm["S4"]


def test_m2_blastic_metastases_predominantly_low_on_t1_and_t2_not_dark_on_every_sequence():
    text = _md("04_imaging_and_diagnosis")
    assert "dark on **every** sequence" not in text and "dark\n  on every MR sequence" not in text
    assert "low on T1 and T2" in text and "may enhance" in text
    blastic = next(q for q in _bank("04_imaging_and_diagnosis")["questions"] if q["id"] == "q_blastic")
    assert "dark on STIR" not in blastic["prompt"]


def test_m18_no_plain_x_ray_to_diagnose_or_exclude_and_the_mri_protocol():
    mods = {m["id"]: m for m in _data("imaging_modalities")["modalities"]}
    assert "not to be used to diagnose or rule out" in mods["radiograph"]["role"]
    assert "sagittal T1 and/or STIR" in mods["mri"]["role"] and "axial" in mods["mri"]["role"]
    text = _md("04_imaging_and_diagnosis")
    assert "plain films only for late disease" not in text
    assert "diagnose or rule out" in text and "sagittal T2" in text


def test_m7_established_facts_are_not_hedged():
    pres = _data("presentation")
    radicular = next(p for p in pres["pain_patterns"] if p["id"] == "radicular")
    assert radicular.get("verified", True) and not any(not f.get("verified", True) for f in pres["red_flags"])
    assert "treat it as unconfirmed" not in _md("01_anatomy_and_epidemiology")
    text03 = _md("03_clinical_presentation")
    assert "marked as unverified" not in text03 and "recalled from CG75" not in text03
    week = next(q for q in _bank("03_clinical_presentation")["questions"] if q["id"] == "q_week")
    assert "unverified" not in json.dumps(week)


def test_m15_breast_route_is_named_in_the_a02_venous_question():
    q3 = next(s for k, s in _source_cells("a02_spread").items() if "q3" in k and "prompt" in k)
    assert "intercostal" in q3 and "azygos" in q3


def test_m16_a03_dexamethasone_arithmetic_uses_published_regimens_only():
    case = next(s for k, s in _source_cells("a03_presentation").items() if "q6_case" in k)
    spec = json.loads(case.split(" = ", 1)[1].split("\n")[0])
    assert "regimen" in spec and "bolus_mg" not in spec
    assert {tuple(r[1:]) for r in spec["regimen"]} <= {(16, 16, 24), (10, 4, 6)}


def test_a02_mscc_share_is_sourced_statpearls_about_20_percent():
    case = next(s for k, s in _source_cells("a02_spread").items() if "q6_case" in k)
    spec = json.loads(case.split(" = ", 1)[1].split("\n")[0])
    assert spec["mscc_pct"] == [20] and "StatPearls" in case


@pytest.mark.parametrize("bank,qid", [("02_spread_to_the_spine", "q_threshold"), ("02_spread_to_the_spine", "q_ohm"),
                                      ("04_imaging_and_diagnosis", "q_rescale"), ("00_start_here", "q_keyboard")])
def test_model_and_software_trivia_items_are_gone(bank, qid):
    assert qid not in {q["id"] for q in _bank(bank)["questions"]}


@pytest.mark.parametrize("bank,weak", [
    ("04_imaging_and_diagnosis", "It is the only test that shows bone at all"),
    ("03_clinical_presentation", "Because it is always fatal within days"),
    ("02_spread_to_the_spine", "RANKL opens the valves of the Batson plexus"),
    ("02_spread_to_the_spine", "Having had a lumbar puncture"),
    ("03_clinical_presentation", "Nothing until the MRI is reported"),
])
def test_weak_distractors_named_by_the_review_are_rewritten(bank, weak):
    assert weak not in (ROOT / "course" / "questions" / f"{bank}.yaml").read_text(encoding="utf-8")


def test_01_q_primary_no_longer_asks_an_unanswerable_question():
    q = next(q for q in _bank("01_anatomy_and_epidemiology")["questions"] if q["id"] == "q_primary")
    assert q["prompt"] != "Which primary cancer is the most common source of spinal metastases?"


def test_m1_both_segment_rules_are_taught_and_accepted():
    text = _md("03_clinical_presentation")
    assert "bedside rule" in text and "T7" in text and "T8–T9" in text
    q = next(q for q in _bank("03_clinical_presentation")["questions"] if q["id"] == "q_level_t10")
    right = next(o for o in q["options"] if o.get("correct"))
    assert "T7–T9" in right["text"]


def test_m7_a03_rubric_rewards_ppi_glucose_and_the_lymphoma_caveat_that_03_now_teaches():
    rubric = (ROOT / "grading" / "rubrics" / "a03_presentation.md").read_text(encoding="utf-8")
    assert "proton-pump inhibitor" in rubric and "lymphoma" in rubric and "[taught: 03 §" in rubric
    text = _md("03_clinical_presentation")
    assert "proton-pump inhibitor" in text and "capillary glucose" in text and "biopsy first" in text
