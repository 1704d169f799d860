"""Module 08: the capstone case engine and its widgets.

Each synthetic patient in ``course/data/cases.yaml`` holds *findings* only. :func:`solve` computes
every expected answer with the course's own models — the localisation engine
(:func:`course.presentation.localise`), the imaging phantom (the ESCC grade is read off the
phantom's axial T2 image by :func:`course.imaging.phantom.escc_findings`), the calculators (SINS,
revised Tokuhashi, NOMS, BED/EQD2, corrected calcium) and the rehabilitation checklist
(:func:`course.complications.rehab_plan`). :func:`build_case` turns the answers into a
:class:`course.quiz.Case` whose steps carry the calculators' explanations as feedback.

Widgets: :class:`CaseRunner` (choose a case, answer it step by step) and :class:`WhatIfApp`
(change one finding, watch the NOMS decision, the radiotherapy plan and the rehabilitation change).

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ipywidgets as W
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from course import calculators, datasets, presentation
from course.complications import FOCUS_IDS, rehab_items, rehab_plan, RehabPlan
from course.imaging.phantom import ESCC_BELOW_CONUS, Findings, Phantom, escc_findings, neural_content
from course.plotting import PALETTE, figure_html, new_figure
from course.quiz import Case, Feedback, Numeric, Option, Question, SelfCheck, SingleChoice, render_text
from course.widgets import BlitFigureApp, Rendered

__all__ = [
    "CaseAnswers", "cases", "case_ids", "get_case", "solve", "build_case", "build_steps", "answer_table", "schedule_for", "phantom_figure",
    "CaseRunner", "WhatIfApp", "NOMS_DECISION_LABELS", "STAGES",
]

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


def schedule_for(decision: str, high_grade: bool, deficit: bool) -> str:
    """The schedule key (``cEBRT_pain``, ``cEBRT_mscc`` or ``SRS``) the course teaches for a NOMS decision.

    Teaching convention (sources in ``cases.yaml``): SRS decisions → 24 Gy/2; conventional radiotherapy →
    20 Gy/5 with high-grade compression or a neurological deficit (SCORAD III), else 8 Gy/1 (NICE).

    Raises:
        ValueError: for a decision outside the calculators' vocabulary.
    """
    if decision not in calculators.NOMS_DECISIONS:
        raise ValueError(f"decision: {decision!r}; accepted: {list(calculators.NOMS_DECISIONS)}")
    if decision.endswith("SRS"):
        return "SRS"
    return "cEBRT_mscc" if high_grade or deficit else "cEBRT_pain"


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
    key = schedule_for(noms.decision, escc.high_grade, deficit)
    sched = dict(_data()["schedules"][key])
    bed = calculators.bed_eqd2(total_dose_gy=sched["total_dose_gy"], fractions=sched["fractions"],
                               alpha_beta_gy=[10, 2])
    steroids = _data()["steroids"]["deficit" if deficit else "none"]  # NICE NG234: for neurological symptoms or signs
    rehab = rehab_plan(frankel=frankel, spine_unstable=noms.mechanically_unstable,
                       stabilised=noms.decision in _SURGICAL, kps=kps,
                       sphincter_dysfunction=c["neuro"].get("sphincter", "normal") != "normal",
                       short_prognosis=tok.prognosis == "<6 months")
    calcium = (calculators.corrected_calcium(**c["labs"]) if "labs" in c else None)
    return CaseAnswers(case_id, loc, escc, sins, tok, noms, key, sched, bed, steroids, rehab, calcium)


# ----------------------------------------------------------------------------------------------
# Building the step questions
# ----------------------------------------------------------------------------------------------
def _label(value: str) -> str:
    return value.replace("_", " ")


def _sins_findings(c: dict[str, Any]) -> str:
    d = calculators.SINS_DEFINITIONS
    items = [f"level {c['level']}"] + [d[k][v].split(" (course")[0] for k, v in c["sins"].items()]
    return "; ".join(items)


def _tokuhashi_findings(c: dict[str, Any], kps: int, frankel: str) -> str:
    s = c["systemic"]
    return (f"KPS {kps}; {s['extraspinal_bone_mets']} extraspinal bone metastases; {s['vertebral_body_mets']} "
            f"vertebral-body metastasis(es); major-organ metastases: {_label(s['major_organ_mets'])}; "
            f"primary: {c['primary_site']}; Frankel {frankel}")


def _sources(*keys: str) -> tuple[str, ...]:
    return tuple(keys)


def build_steps(case_id: str) -> list[tuple[str, Question]]:
    """The ``(stage, question)`` steps of a case, in order, built from :func:`solve`."""
    c = get_case(case_id)
    a = solve(case_id)
    steps: list[tuple[str, Question]] = []
    q = f"{case_id}."
    # 1. localisation
    loc = a.localisation
    reason = " ".join(loc.steps[:3])
    steps.append(("Presentation", SingleChoice(
        id=q + "localisation", objective="O1", source=_sources("asia2019", "neuro_exam_sources", "cord_segment_vertebra"),
        prompt="From the history and examination, what does the neurology point to?",
        explanation=f"{loc.summary} {reason}",
        options=tuple(Option(presentation.SYNDROME_LABELS[s].capitalize(), s == loc.syndrome,
                             (f"Yes. {loc.summary}" if s == loc.syndrome else
                              f"Not this time: the findings point to {loc.label}."))
                      for s in presentation.SYNDROMES))))
    if a.calcium is not None:
        steps.append(("Presentation", Numeric(
            id=q + "calcium", objective="O1", source=_sources("payne1973", "walsh2016_hypercalcaemia"),
            prompt=(f"Her total calcium is {c['labs']['calcium_mmol_l']} mmol/L with albumin {c['labs']['albumin_g_l']} g/L. "
                    "What is the corrected calcium (Payne), in mmol/L?"),
            answer=a.calcium.corrected_mmol_l, tolerance=0.01, unit="mmol/L",
            explanation=a.calcium.explanation + ". Module 07 compares the conventions for its severity.")))
    # 2. ESCC from the phantom image
    e = a.escc
    below = neural_content(c["phantom"]["level"]) == "cauda_equina"
    note = f" {ESCC_BELOW_CONUS}" if below else ""
    steps.append(("Imaging", SingleChoice(
        id=q + "escc", objective="O2", source=_sources("bilsky2010_escc", "radiopaedia_escc"),
        prompt=f"{c['imaging_text']} Grade the epidural compression (Bilsky ESCC) on the axial T2 image.{note}",
        explanation=e.explanation + note,
        options=tuple(Option(f"ESCC {g}", g == e.grade,
                             (f"Yes. {e.explanation}" if g == e.grade else f"ESCC {g} means: {d.lower()}."))
                      for g, d in calculators.ESCC_GRADES.items()))))
    # 3. scores
    steps.append(("Scores", Numeric(
        id=q + "sins", objective="O2", source=_sources("fisher2010_sins", "fisher2014_sins"),
        prompt=f"SINS findings: {_sins_findings(c)}. What is the SINS total?",
        answer=a.sins.total, tolerance=0, explanation=a.sins.explanation)))
    steps.append(("Scores", Numeric(
        id=q + "tokuhashi", objective="O2", source=_sources("tokuhashi2005"),
        prompt=f"Revised Tokuhashi findings: {_tokuhashi_findings(c, c['kps'], c['neuro']['frankel'])}. What is the total?",
        answer=a.tokuhashi.total, tolerance=0, explanation=a.tokuhashi.explanation)))
    # 4. NOMS
    n = a.noms
    extra = f" Caveats: {'; '.join(n.caveats)}." if n.caveats else ""
    steps.append(("Decision", SingleChoice(
        id=q + "noms", objective="O3", source=_sources("laufer2013_noms", "sahgal2021_sc24", "ao_radiosensitivity"),
        prompt=(f"Histology: {datasets.load('radiosensitivity')['labels'][c['histology']]}. "
                f"{'Fit' if c['systemic']['able_to_tolerate_surgery'] else 'Not fit'} for open surgery. "
                "Which NOMS decision follows?"),
        explanation=n.explanation + extra,
        options=tuple(Option(NOMS_DECISION_LABELS[d], d == n.decision,
                             (f"Yes. {n.explanation}" if d == n.decision else
                              f"This {_DECISION_NEEDS[d]}; here N/O/M/S are: "
                              + ", ".join(f"{k} {v}" for k, v in n.components.items()) + "."))
                      for d in calculators.NOMS_DECISIONS))))
    # 5. plan: BED of the schedule
    s = a.schedule
    steps.append(("Treatment plan", Numeric(
        id=q + "bed", objective="O4", source=tuple(s["source"]) + ("lq_model",),
        prompt=(f"Plan: {NOMS_DECISION_LABELS[n.decision].lower()}, with {s['label']} ({s['when']}). "
                f"{a.steroids}. What is the BED of this schedule for the tumour (α/β = 10 Gy), in Gy?"),
        answer=a.bed10, tolerance=0.05, unit="Gy",
        explanation=(f"{a.bed.explanation}. BED10 = D(1 + d/10); EQD2(10) = {a.eqd2_10:.2f} Gy. "
                     "For the cord, α/β 2 is used (module 06)."))))
    # 6. rehabilitation focus
    items = rehab_items()
    steps.append(("Rehabilitation", SingleChoice(
        id=q + "rehab", objective="O5", source=_sources("source_document", "frankel1969"),
        prompt=("After the treatment above, which focus fits this patient's rehabilitation now? "
                f"(Frankel {c['neuro']['frankel']}, KPS {c['kps']}, Tokuhashi prognosis {a.tokuhashi.prognosis})"),
        explanation=a.rehab.explanation,
        options=tuple(Option(items[i].label, i == a.rehab.focus.id,
                             (f"Yes. {a.rehab.explanation}" if i == a.rehab.focus.id else
                              f"Not first here: {items[i].why}."))
                      for i in FOCUS_IDS))))
    return steps


def case_prompt(case_id: str) -> str:
    """The scenario text shown before the steps."""
    c = get_case(case_id)
    return (f"**{c['title']}.** A {c['age']}-year-old {c['sex']} (KPS {c['kps']}). {c['history']} "
            f"*Examination:* {c['examination']}")


def build_case(case_id: str) -> Case:
    """The case as a :class:`course.quiz.Case` (usable with ``CaseCheck``)."""
    return Case(id=case_id, prompt=case_prompt(case_id), objective="O1",
                explanation="Every expected answer is computed by the course's calculators and engines.",
                steps=tuple(q for _, q in build_steps(case_id)))


def answer_table() -> str:
    """A Markdown table of every case's computed answers (the answer key, for after the exercises)."""
    rows = ["| Case | Neurology | ESCC | SINS | Tokuhashi | NOMS decision | Radiotherapy (BED10) | Rehab focus |",
            "|---|---|---|---|---|---|---|---|"]
    for cid in case_ids():
        a = solve(cid)
        rows.append(f"| {get_case(cid)['title']} | {a.localisation.label} | {a.escc.grade} | "
                    f"{a.sins.total} ({_label(a.sins.category)}) | {a.tokuhashi.total} ({a.tokuhashi.prognosis}) | "
                    f"{NOMS_DECISION_LABELS[a.noms.decision]} | {a.schedule['label']} ({a.bed10:.2f} Gy) | "
                    f"{a.rehab.focus.label} |")
    return "\n".join(rows)


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=16)
def phantom_figure(case_id: str) -> tuple[str, str]:
    """``(html, alt)`` of the case's sagittal STIR and axial T2 phantom images (cached)."""
    ph = _phantom(case_id)
    sag, ax_img = ph.sagittal("STIR"), ph.escc_view()
    fig = new_figure(6.4, 3.2, layout=None)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.88, bottom=0.02, wspace=0.08)
    for i, (img, title) in enumerate(((sag, "Sagittal STIR (midline)"), (ax_img, "Axial T2 at the lesion"))):
        ax = fig.add_subplot(1, 2, i + 1)
        ax.imshow(img.pixels, cmap="gray", vmin=0, vmax=1, extent=img.extent(), interpolation="nearest")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    content = {"cord": "the cord surrounded by bright CSF",
               "conus": "the tapering end of the cord (the conus) with nerve roots around it",
               "cauda_equina": "the cauda equina nerve roots, small dark dots in the CSF, and no cord (the level lies "
                               "below the conus)"}[neural_content(ph.findings.level)]
    alt = (f"Synthetic MR images of {ph.findings.describe()}: left, a sagittal STIR slice through the midline "
           f"centred on {ph.findings.level}; right, an axial T2 slice zoomed on the canal for grading the epidural "
           f"compression, where the thecal sac holds {content}.")
    out = figure_html(fig, alt)
    return out, alt


# ----------------------------------------------------------------------------------------------
# The case runner
# ----------------------------------------------------------------------------------------------
class CaseRunner:
    """Choose a case and answer it step by step, with feedback at every step.

    Headless use::

        run = CaseRunner("renal_t10")
        run.answer(1); run.submit(); run.next()      # step by step
        run.results                                   # step id → True/False
    """

    def __init__(self, case_id: str | None = None) -> None:
        ids = case_ids()
        self.selector = W.Dropdown(options=[(get_case(i)["title"], i) for i in ids], value=case_id or ids[0],
                                   description="Case", layout=W.Layout(width="36em"))
        self.header = W.HTMLMath()
        self.stage = W.HTML()
        self.figure = W.HTML()
        self.step_box = W.VBox()
        self.progress = W.HTML()
        self.back_button = W.Button(description="◀ Back", tooltip="Previous step", layout=W.Layout(width="auto"))
        self.next_button = W.Button(description="Next step ▶", tooltip="Next step", layout=W.Layout(width="auto"))
        self.back_button.on_click(lambda _b: self.back())
        self.next_button.on_click(lambda _b: self.next())
        self.selector.observe(lambda ch: self.select(ch["new"]), names="value")
        self.ui = W.VBox([self.selector, self.header, self.stage, self.figure, self.step_box,
                          W.HBox([self.back_button, self.next_button, self.progress])],
                         layout=W.Layout(border="2px solid #999", padding="6px"))
        self.select(self.selector.value)

    # -- navigation -----------------------------------------------------------------------------
    def select(self, case_id: str) -> "CaseRunner":
        """Load a case and go to its first step."""
        get_case(case_id)
        if self.selector.value != case_id:
            self.selector.value = case_id  # the observer calls select again
            return self
        self.case_id = case_id
        self.steps = build_steps(case_id)
        self.checks = [SelfCheck(q, number=f"Step {i + 1}.") for i, (_, q) in enumerate(self.steps)]
        self.results: dict[str, bool] = {}
        self.header.value = f"<p>{render_text(case_prompt(case_id))}</p>"
        self.index = 0
        self._show()
        return self

    def go(self, index: int) -> "CaseRunner":
        """Jump to step ``index`` (0-based)."""
        if not 0 <= index < len(self.steps):
            raise ValueError(f"index: {index!r}; accepted: 0–{len(self.steps) - 1}")
        self.index = index
        self._show()
        return self

    def next(self) -> "CaseRunner":
        return self.go(min(self.index + 1, len(self.steps) - 1))

    def back(self) -> "CaseRunner":
        return self.go(max(self.index - 1, 0))

    @property
    def current(self) -> SelfCheck:
        return self.checks[self.index]

    @property
    def stage_name(self) -> str:
        return self.steps[self.index][0]

    def answer(self, value: Any) -> "CaseRunner":
        """Enter an answer for the current step (option index or text, or a number)."""
        self.current.answer(value)
        return self

    def submit(self) -> Feedback:
        """Check the current step; the feedback appears under it."""
        fb = self.current.submit()
        self.results[self.current.question.id.split(".", 1)[1]] = fb.correct
        self._update_progress()
        return fb

    # -- display --------------------------------------------------------------------------------
    def _show(self) -> None:
        stage = self.stage_name
        n = STAGES.index(stage) + 1
        self.stage.value = (f"<h4 style='margin:4px 0'>Stage {n} of {len(STAGES)}: {html.escape(stage)}</h4>")
        self.figure.value = phantom_figure(self.case_id)[0] if stage == "Imaging" else ""
        self.step_box.children = [self.current.ui]
        self.back_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.steps) - 1
        self._update_progress()

    def _update_progress(self) -> None:
        done = sum(self.results.values())
        self.progress.value = (f"&nbsp;Step {self.index + 1} of {len(self.steps)} · "
                               f"{done} correct of {len(self.results)} checked")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


# ----------------------------------------------------------------------------------------------
# What if? — change one finding, see the decision and plan change
# ----------------------------------------------------------------------------------------------
_SENS_CHOICES = ("as the NOMS list says", "as the SC.24 list says", "radiosensitive", "radioresistant")
_STAB_CHOICES = ("as scored", "stable", "unstable")


def _sc24(histology: str) -> str:
    """SC.24 stratum of ``histology``; one the SC.24 text leaves unclassified keeps its NOMS-list class."""
    cls = datasets.radiosensitivity(histology, "sc24")
    return cls if cls in ("radiosensitive", "radioresistant") else datasets.radiosensitivity(histology, "noms")


class WhatIfApp(BlitFigureApp):
    """Pick a case, change one finding and watch N-O-M-S, the decision, the plan and the rehab focus change."""

    title = "What if? Change one finding"
    figsize = (7.6, 2.9)

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        first = case_ids()[0]
        return {
            "case": W.Dropdown(options=[(get_case(i)["title"], i) for i in case_ids()], value=first,
                               description="Case", layout=W.Layout(width="32em")),
            "escc_grade": W.Dropdown(options=["as imaged", *calculators.ESCC_GRADES], value="as imaged",
                                     description="ESCC", style=style),
            "radiosensitivity": W.Dropdown(options=list(_SENS_CHOICES), value=_SENS_CHOICES[0],
                                           description="Radiosensitivity", style=style),
            "stability": W.Dropdown(options=list(_STAB_CHOICES), value="as scored", description="Spine", style=style),
            "fit_for_surgery": W.Dropdown(options=["as assessed", "fit", "not fit"], value="as assessed",
                                          description="Surgery", style=style),
            "kps": W.Dropdown(options=["as assessed", *range(100, 0, -10)], value="as assessed", description="KPS",
                              style=style),
        }

    def _on_change(self, change: dict[str, Any]) -> None:
        if change.get("owner") is self.controls["case"]:  # a new case: reset the what-ifs, one redraw
            self.set(escc_grade="as imaged", radiosensitivity=_SENS_CHOICES[0], stability="as scored",
                     fit_for_surgery="as assessed", kps="as assessed")
            return
        super()._on_change(change)

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 4)
        ax.axis("off")
        self._boxes, self._texts, self._heads = [], [], []
        for i, head in enumerate(("N  neurologic", "O  oncologic", "M  mechanical", "S  systemic")):
            x = 0.15 + i * 2.45
            box = FancyBboxPatch((x, 2.3), 2.2, 1.5, boxstyle="round,pad=0.05", facecolor="white",
                                 edgecolor=PALETTE["black"], linewidth=1)
            ax.add_patch(box)
            self._heads.append(ax.text(x + 0.1, 3.7, head, fontsize=9, fontweight="bold", va="top"))
            self._boxes.append(box)
            self._texts.append(ax.text(x + 0.1, 3.2, "", fontsize=8, va="top"))
        ax.annotate("", xy=(5, 1.75), xytext=(5, 2.25), arrowprops=dict(arrowstyle="->", linewidth=1.5))
        self._decision_box = FancyBboxPatch((0.15, 0.15), 9.7, 1.5, boxstyle="round,pad=0.05",
                                            facecolor="white", edgecolor=PALETTE["black"], linewidth=1.5)
        ax.add_patch(self._decision_box)
        self._decision = ax.text(0.35, 1.45, "", fontsize=9, fontweight="bold", va="top")
        self._plan = ax.text(0.35, 0.95, "", fontsize=8, va="top")
        self.dynamic += [*self._boxes, *self._heads, *self._texts, self._decision_box, self._decision, self._plan]

    def overrides(self, case: str, escc_grade: str, radiosensitivity: str, stability: str, fit_for_surgery: str,
                  kps: Any) -> dict[str, Any]:
        """The :func:`solve` overrides that the current control values mean."""
        c = get_case(case)
        out: dict[str, Any] = {}
        if escc_grade != "as imaged":
            out["escc_grade"] = escc_grade
        if radiosensitivity == "as the SC.24 list says":
            out["radiosensitivity"] = _sc24(c["histology"])
        elif radiosensitivity in ("radiosensitive", "radioresistant"):
            out["radiosensitivity"] = radiosensitivity
        if stability != "as scored":
            out["mechanically_unstable"] = stability == "unstable"
        if fit_for_surgery != "as assessed":
            out["able_to_tolerate_surgery"] = fit_for_surgery == "fit"
        if kps != "as assessed":
            out["kps"] = int(kps)
        return out

    def render(self, fig: Figure, case: str, escc_grade: str, radiosensitivity: str, stability: str,
               fit_for_surgery: str, kps: Any) -> Rendered:
        base = solve(case)
        ov = self.overrides(case, escc_grade, radiosensitivity, stability, fit_for_surgery, kps)
        now = solve(case, **ov)
        comps_now, comps_base = now.noms.components, base.noms.components
        for box, txt, key in zip(self._boxes, self._texts, ("neurologic", "oncologic", "mechanical", "systemic")):
            changed = comps_now[key] != comps_base[key]
            box.set_facecolor(PALETTE["yellow"] if changed else "white")
            box.set_linewidth(2.5 if changed else 1)
            txt.set_text(comps_now[key].replace(" (", "\n(").replace("tolerate ", "tolerate\n")
                         + ("\n(changed)" if changed else ""))
        changed = now.noms.decision != base.noms.decision
        self._decision_box.set_facecolor(PALETTE["sky_blue"] if changed else "white")
        self._decision.set_text(("CHANGED → " if changed else "Decision: ") + NOMS_DECISION_LABELS[now.noms.decision])
        self._plan.set_text(f"Radiotherapy {now.schedule['label']}: BED10 {now.bed10:.2f} Gy, EQD2(10) "
                            f"{now.eqd2_10:.2f} Gy.\nRehabilitation focus: {now.rehab.focus.label}")
        self.state.update(decision=now.noms.decision, baseline=base.noms.decision, changed=changed,
                          schedule=now.schedule_key, bed10=now.bed10, rehab=now.rehab.focus.id,
                          overrides=ov, caveats=list(now.noms.caveats))
        c = get_case(case)
        lists = {name: datasets.radiosensitivity(c["histology"], name) for name in ("noms", "ao", "sc24")}
        alt = (f"NOMS diagram for the case '{c['title']}': N {comps_now['neurologic']}, O {comps_now['oncologic']}, "
               f"M {comps_now['mechanical']}, S {comps_now['systemic']}; decision "
               f"{NOMS_DECISION_LABELS[now.noms.decision]}"
               + (f", changed from {NOMS_DECISION_LABELS[base.noms.decision]}" if changed else ", as for the case")
               + f". Plan: {now.schedule['label']}, BED10 {now.bed10:.2f} Gy. Rehabilitation focus: {now.rehab.focus.label}.")
        caveats = "".join(f"<li>{html.escape(x)}</li>" for x in now.noms.caveats)
        html_out = (f"<p><b>{'⚠ The decision changed.' if changed else 'Same decision as the case.'}</b> "
                    f"{html.escape(now.noms.explanation)}</p>"
                    + (f"<ul>{caveats}</ul>" if caveats else "")
                    + f"<p>Radiosensitivity of {datasets.load('radiosensitivity')['labels'][c['histology']]} by list — "
                    + ", ".join(f"{k.upper()}: {v}" for k, v in lists.items())
                    + ".</p>"
                    + f"<p>{html.escape(now.steroids)}. {html.escape(now.rehab.explanation)}</p>")
        return Rendered(alt=alt, html=html_out)
