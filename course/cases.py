"""Module 08: the capstone case engine (pure logic).

Each synthetic patient in ``course/data/cases.yaml`` holds *findings* only. :func:`solve` computes
every expected answer with the course's own models — the localisation engine
(:func:`course.presentation.localise`), the imaging phantom (the ESCC grade is read off the
phantom's axial T2 image by :func:`course.imaging.phantom.escc_findings`), the calculators (SINS,
revised Tokuhashi, NOMS, BED/EQD2, corrected calcium), the radiotherapy schedule chosen by prognosis
(:func:`course.treatment.fractionation_for_prognosis`) and the rehabilitation checklist
(:func:`course.complications.rehab_plan`).

The step questions, the case runner and the what-if explorer are in :mod:`course.cases_apps`. This module
imports neither ipywidgets nor matplotlib (``tests/test_pure_logic.py``).

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from course import calculators, datasets, presentation, treatment
from course.complications import rehab_plan, RehabPlan
from course.imaging.phantom import Findings, Phantom, escc_findings

#: Plain-language labels of the calculators' NOMS decisions.
NOMS_DECISION_LABELS: dict[str, str] = {
    "cEBRT": "Conventional external-beam radiotherapy (cEBRT)",
    "SRS": "Stereotactic radiosurgery / SBRT (SRS)",
    "stabilization_then_cEBRT": "Stabilization, then conventional radiotherapy",
    "stabilization_then_SRS": "Stabilization, then stereotactic radiosurgery",
    "separation_surgery_then_SRS": "Separation surgery (decompression + instrumentation), then SRS",
}


_DECISION_NEEDS: dict[str, str] = {
    "cEBRT": "fits a radiosensitive tumour with a stable spine (whatever the ESCC grade), or palliation when surgery "
             "cannot be tolerated",
    "SRS": "fits a radioresistant tumour without high-grade compression and with a stable spine",
    "stabilization_then_cEBRT": "fits a radiosensitive tumour in an unstable spine, in a patient fit for stabilization",
    "stabilization_then_SRS": "fits a radioresistant tumour without high-grade compression in an unstable spine",
    "separation_surgery_then_SRS": "fits a radioresistant tumour with high-grade (2–3) compression in a patient fit "
                                   "for open surgery",
}


#: The stages a case walks through, in order (a step belongs to one stage).
STAGES = ("Presentation", "Imaging", "Scores", "Decision", "Treatment plan", "Rehabilitation")


_SURGICAL = ("stabilization_then_cEBRT", "stabilization_then_SRS", "separation_surgery_then_SRS")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return datasets.load("cases")


def cases() -> list[dict[str, Any]]:
    """Every case record (findings only), in teaching order."""
    return list(_data()["cases"])


def case_ids() -> list[str]:
    """The case ids, in teaching order."""
    return [c["id"] for c in cases()]


def get_case(case_id: str) -> dict[str, Any]:
    """One case record.

    Raises:
        ValueError: for an unknown id, listing the accepted ids.
    """
    for c in cases():
        if c["id"] == case_id:
            return c
    raise ValueError(f"case_id: {case_id!r}; accepted: {case_ids()}")


# ----------------------------------------------------------------------------------------------
# Computing the answers
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseAnswers:
    """Everything the course computes for one case (the answer key)."""

    case_id: str
    localisation: presentation.Localisation
    escc: calculators.EsccResult
    sins: calculators.SinsResult
    tokuhashi: calculators.TokuhashiResult
    noms: calculators.NomsResult
    schedule_key: str
    schedule: dict[str, Any]
    bed: calculators.BedEqd2Result
    steroids: str
    rehab: RehabPlan
    calcium: calculators.CorrectedCalciumResult | None
    prognosis: str = "intermediate"  # group that chose the conventional-RT schedule (see prognosis_group)
    notes: tuple[str, ...] = ()  # case-specific management points (embolisation, myeloma first-line…)

    @property
    def bed10(self) -> float:
        return self.bed.by_alpha_beta[10].BED

    @property
    def eqd2_10(self) -> float:
        return self.bed.by_alpha_beta[10].EQD2


def _neuro_args(neuro: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in neuro.items() if k != "frankel"}


def neuro_deficit(case: dict[str, Any]) -> bool:
    """Whether the examination shows any neurological finding (per the localisation engine)."""
    return presentation.localise(**_neuro_args(case["neuro"])).neurological


#: Revised Tokuhashi prognosis band → prognosis group for :func:`course.treatment.fractionation_for_prognosis`.
#: A course convention: the trials grouped patients with the Rades score, which the course does not compute.
PROGNOSIS_FROM_TOKUHASHI: dict[str, str] = {"<6 months": "poor", ">=6 months": "intermediate", ">=1 year": "favourable"}


#: Treatment-data schedule id → the capstone's schedule key (``cases.yaml`` ``schedules``).
_MSCC_SCHEDULE_KEYS: dict[str, str] = {"8x1": "cEBRT_mscc_single", "20x5": "cEBRT_mscc", "30x10": "cEBRT_mscc_long"}


def prognosis_group(tokuhashi_prognosis: str) -> str:
    """``"poor"`` / ``"intermediate"`` / ``"favourable"`` from a revised Tokuhashi band (course convention).

    Raises:
        ValueError: for a band outside the calculator's vocabulary.
    """
    if tokuhashi_prognosis not in PROGNOSIS_FROM_TOKUHASHI:
        raise ValueError(f"tokuhashi_prognosis={tokuhashi_prognosis!r} is not accepted; accepted values: "
                         + ", ".join(map(repr, PROGNOSIS_FROM_TOKUHASHI)))
    return PROGNOSIS_FROM_TOKUHASHI[tokuhashi_prognosis]


def schedule_for(decision: str, high_grade: bool, deficit: bool, *, prognosis: str) -> str:
    """The capstone's schedule key for a NOMS decision (review finding M4: the schedule follows prognosis).

    * SRS decisions → ``SRS`` (24 Gy / 2, one point of a range of practice — see ``cases.yaml``);
    * conventional radiotherapy with high-grade compression or a neurological deficit (MSCC) → the schedule
      :func:`course.treatment.fractionation_for_prognosis` prefers for ``prognosis``: poor → 8 Gy × 1
      (``cEBRT_mscc_single``), intermediate or favourable → 20 Gy / 5 (``cEBRT_mscc``);
    * conventional radiotherapy for pain without compression or deficit → 8 Gy × 1 (``cEBRT_pain``; NICE).

    Raises:
        ValueError: for a decision outside the calculators' vocabulary or an unknown prognosis group.
    """
    if decision not in calculators.NOMS_DECISIONS:
        raise ValueError(f"decision={decision!r} is not accepted; accepted values: "
                         + ", ".join(map(repr, calculators.NOMS_DECISIONS)))
    fractionation = treatment.fractionation_for_prognosis(prognosis)
    if decision.endswith("SRS"):
        return "SRS"
    if not (high_grade or deficit):
        return "cEBRT_pain"
    return _MSCC_SCHEDULE_KEYS[fractionation.preferred]


@lru_cache(maxsize=32)
def _phantom(case_id: str) -> Phantom:
    return Phantom(Findings(**get_case(case_id)["phantom"]))


@lru_cache(maxsize=32)
def escc_from_image(case_id: str) -> calculators.EsccResult:
    """The ESCC grade read off the case's phantom axial T2 image (as a radiologist would)."""
    return calculators.escc(**escc_findings(_phantom(case_id).escc_view()))


def solve(case_id: str, **overrides: Any) -> CaseAnswers:
    """Compute every expected answer of a case (cached; see :func:`_solve` for the overrides)."""
    return _solve_cached(case_id, tuple(sorted(overrides.items())))


@lru_cache(maxsize=256)
def _solve_cached(case_id: str, overrides: tuple[tuple[str, Any], ...]) -> CaseAnswers:
    return _solve(case_id, **dict(overrides))


def _solve(case_id: str, **overrides: Any) -> CaseAnswers:
    """Compute every expected answer of a case.

    ``overrides`` (for "what if" questions) replace single findings: ``escc_grade``, ``radiosensitivity``
    ("radiosensitive"/"radioresistant" instead of the NOMS-list lookup), ``mechanically_unstable``,
    ``able_to_tolerate_surgery``, ``kps``, ``frankel``.

    Raises:
        ValueError: for an unknown case or override (listing the accepted names).
    """
    accepted = {"escc_grade", "radiosensitivity", "mechanically_unstable", "able_to_tolerate_surgery", "kps", "frankel"}
    unknown = sorted(set(overrides) - accepted)
    if unknown:
        raise ValueError(f"{unknown[0]}: not an override; accepted: {sorted(accepted)}")
    c = get_case(case_id)
    kps = overrides.get("kps", c["kps"])
    frankel = overrides.get("frankel", c["neuro"]["frankel"])
    loc = presentation.localise(**_neuro_args(c["neuro"]))
    escc = (calculators.escc(grade=overrides["escc_grade"]) if "escc_grade" in overrides
            else escc_from_image(case_id))
    sins = calculators.sins(level=c["level"], **c["sins"])
    sy = c["systemic"]
    tok = calculators.revised_tokuhashi(kps=kps, extraspinal_bone_mets=sy["extraspinal_bone_mets"],
                                        vertebral_body_mets=sy["vertebral_body_mets"],
                                        major_organ_mets=sy["major_organ_mets"], primary_site=c["primary_site"],
                                        frankel=frankel)
    able = overrides.get("able_to_tolerate_surgery", sy["able_to_tolerate_surgery"])
    noms_kwargs: dict[str, Any] = dict(escc_grade=escc.grade, histology=c["histology"], able_to_tolerate_surgery=able)
    if "radiosensitivity" in overrides:
        noms_kwargs["radiosensitivity"] = overrides["radiosensitivity"]
    if "mechanically_unstable" in overrides:
        noms_kwargs["mechanically_unstable"] = overrides["mechanically_unstable"]
    else:
        noms_kwargs["sins_total"] = sins.total
        if sins.category == "potentially_unstable":
            noms_kwargs["mechanically_unstable"] = c["instability_call"]
    noms = calculators.noms(**noms_kwargs)
    deficit = loc.neurological if "frankel" not in overrides else frankel != "E" or loc.neurological
    group = prognosis_group(tok.prognosis)
    key = schedule_for(noms.decision, escc.high_grade, deficit, prognosis=group)
    sched = dict(_data()["schedules"][key])
    bed = calculators.bed_eqd2(total_dose_gy=sched["total_dose_gy"], fractions=sched["fractions"],
                               alpha_beta_gy=[10, 2])
    # NICE NG234: dexamethasone for neurological symptoms or signs, not for an imaging grade alone (M6)
    steroids = _data()["steroids"]["deficit" if deficit else "none"]
    rehab = rehab_plan(frankel=frankel, spine_unstable=noms.mechanically_unstable,
                       stabilised=noms.decision in _SURGICAL, kps=kps,
                       sphincter_dysfunction=c["neuro"].get("sphincter", "normal") != "normal",
                       short_prognosis=tok.prognosis == "<6 months")
    calcium = (calculators.corrected_calcium(**c["labs"]) if "labs" in c else None)
    return CaseAnswers(case_id, loc, escc, sins, tok, noms, key, sched, bed, steroids, rehab, calcium,
                       prognosis=group, notes=tuple(c.get("notes", ())))


# ----------------------------------------------------------------------------------------------
# Building the step questions
# ----------------------------------------------------------------------------------------------
def _label(value: str) -> str:
    return value.replace("_", " ")


def answer_table() -> str:
    """A Markdown table of every case's computed answers (the answer key, for after the exercises)."""
    rows = ["| Case | Neurology | ESCC | SINS | Tokuhashi | NOMS decision | Radiotherapy (BED10) | Rehab focus | Also |",
            "|---|---|---|---|---|---|---|---|---|"]
    for cid in case_ids():
        a = solve(cid)
        rows.append(f"| {get_case(cid)['title']} | {a.localisation.label} | {a.escc.grade} | "
                    f"{a.sins.total} ({_label(a.sins.category)}) | {a.tokuhashi.total} ({a.tokuhashi.prognosis}) | "
                    f"{NOMS_DECISION_LABELS[a.noms.decision]} | {a.schedule['label']} ({a.bed10:.2f} Gy; "
                    f"{a.prognosis} prognosis) | {a.rehab.focus.label} | {' '.join(a.notes) or '—'} |")
    return "\n".join(rows)


__all__ = [
    "CaseAnswers", "cases", "case_ids", "get_case", "solve", "answer_table", "schedule_for", "prognosis_group",
    "PROGNOSIS_FROM_TOKUHASHI", "neuro_deficit", "escc_from_image", "NOMS_DECISION_LABELS", "STAGES",
]
