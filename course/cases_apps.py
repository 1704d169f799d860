"""Module 08 interactives: the capstone step questions, the case runner and the what-if explorer.

:func:`build_case` turns the answers of :func:`course.cases.solve` into a :class:`course.quiz.Case` whose steps
carry the calculators' explanations as feedback. Widgets: :class:`DecisionRunner` (choose a case, decide it step by
step) and :class:`WhatIfApp` (change one finding, watch the NOMS decision, the radiotherapy plan and the
rehabilitation change).

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import ipywidgets as W
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from course import calculators, datasets, presentation
from course import case_decisions as D
from course.cases import (_DECISION_NEEDS, NOMS_DECISION_LABELS, _label, _phantom, case_ids, get_case,
                          solve)
from course.complications import FOCUS_IDS, rehab_items
from course.imaging.phantom import ESCC_BELOW_CONUS, neural_content
from course.plotting import PALETTE, figure_html, new_figure
from course.quiz import Case, Numeric, Option, Question, SingleChoice, render_text
from course.widgets import BlitFigureApp, Rendered

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
                    "What would the albumin correction (Payne) give, in mmol/L? (With a paraprotein the "
                    "correction is unreliable: the decision rests on ionised calcium — work out the number "
                    "to see why it can mislead.)"),
            answer=a.calcium.corrected_mmol_l, tolerance=0.01, unit="mmol/L",
            explanation=(a.calcium.explanation + ". In myeloma the paraprotein can bind calcium, so the Payne "
                         "value is unreliable: ask for ionised calcium, and treat with intravenous fluids and a "
                         "bisphosphonate (Walsh et al., 2016). Module 07 compares the severity conventions."))))
    # 2. ESCC from the phantom image
    e = a.escc
    below = neural_content(c["phantom"]["level"]) == "cauda_equina"
    note = f" {ESCC_BELOW_CONUS}" if below else ""
    steps.append(("Imaging", SingleChoice(
        id=q + "escc", objective="O2", source=_sources("bilsky2010_escc", "radiopaedia_escc"),
        prompt=f"{c['imaging_text']} Grade the epidural compression (Bilsky ESCC) on the axial T2 image.{note}",
        explanation=e.explanation + note,
        options=tuple(Option(f"ESCC {g}", g == e.grade,
                             (f"Yes. {e.explanation}" if g == e.grade else f"ESCC {g} means: {d[0].lower() + d[1:]}."))
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
    extra += "".join(f" {note}" for note in a.notes)
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
                     f"The schedule follows the predicted survival ({a.prognosis}; module 06). "
                     "Above about 8–10 Gy per fraction the LQ model is only approximate (Brenner, 2008; "
                     "Kirkpatrick et al., 2008). A cord EQD2 is worked out for the dose the cord receives, "
                     "not for the prescription (module 06)."))))
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
# The decision runner (thin UI over course.case_decisions)
# ----------------------------------------------------------------------------------------------
class DecisionRunner:
    """Work a case decision by decision, with feedback and consequences (the solver is
    :mod:`course.case_decisions`; this class only shows it).

    Headless use::

        run = DecisionRunner("renal_t10")
        run.answer("mri_24h"); run.submit(); run.next()   # a choice key (or its label), or a number at the dose check
        run.results                                        # step id → True/False
        run.progress.value                                 # the one progress line
    """

    def __init__(self, case_id: str | None = None) -> None:
        ids = case_ids()
        self.selector = W.Dropdown(options=[(get_case(i)["title"], i) for i in ids], value=case_id or ids[0],
                                   description="Patient", layout=W.Layout(width="36em"))
        self.header = W.HTMLMath()
        self.progress = W.HTML()
        self.stage = W.HTML()
        self.figure = W.HTML()
        self.prompt = W.HTMLMath()
        self.radio = W.RadioButtons(options=[], value=None, description="Your choice",
                                    layout=W.Layout(width="max-content"), style={"description_width": "initial"})
        self.number = W.FloatText(value=0.0, description="Your answer", style={"description_width": "initial"})
        self.check_button = W.Button(description="Check", tooltip="Check my choice", layout=W.Layout(width="auto"))
        self.next_button = W.Button(description="Next decision ▶", tooltip="Go to the next decision",
                                    layout=W.Layout(width="auto"))
        self.feedback = W.HTMLMath()
        self.input_box = W.VBox()
        self.check_button.on_click(lambda _b: self.submit())
        self.next_button.on_click(lambda _b: self.next())
        self.selector.observe(lambda ch: self.select(ch["new"]), names="value")
        self.ui = W.VBox([self.selector, self.header, self.progress, self.stage, self.figure, self.prompt,
                          self.input_box, W.HBox([self.check_button, self.next_button]), self.feedback],
                         layout=W.Layout(border="2px solid #999", padding="6px"))
        self.select(self.selector.value)

    # -- state ----------------------------------------------------------------------------------
    def select(self, case_id: str) -> "DecisionRunner":
        """Load a case and go to its first decision (counters reset)."""
        get_case(case_id)
        if self.selector.value != case_id:
            self.selector.value = case_id  # the observer calls select again
            return self
        self.case_id = case_id
        self.choices: dict[str, Any] = {}
        self.results: dict[str, bool] = {}
        self.feedback_log: list[str] = []
        self.index = 0
        self.header.value = f"<p>{render_text(case_prompt(case_id))}</p>"
        self._show()
        return self

    @property
    def steps(self) -> list[D.Step]:
        """The case's steps given the choices made so far (they change when the path branches)."""
        return D.steps(self.case_id, self.choices)

    @property
    def current(self) -> D.Step:
        return self.steps[self.index]

    @property
    def finished(self) -> bool:
        return len(self.results) == len(self.steps)

    def answer(self, value: Any) -> "DecisionRunner":
        """Enter a choice (its key or its label) or, at the dose check, a number."""
        step = self.current
        if step.numeric:
            self.number.value = float(value)
            return self
        keys = [c.key for c in step.choices]
        labels = [c.label for c in step.choices]
        if value in keys:
            self.radio.value = labels[keys.index(value)]
        elif value in labels:
            self.radio.value = value
        else:
            raise ValueError(f"{step.id}: {value!r} is not a choice; accepted: {keys}")
        return self

    def submit(self) -> D.Outcome:
        """Check the current decision; feedback and consequence appear under it. A decision is checked once."""
        step = self.current
        if step.id in self.results:
            raise ValueError(f"{step.id}: already checked; press Next decision")
        if step.numeric:
            value: Any = self.number.value
        else:
            if self.radio.value is None:
                raise ValueError(f"{step.id}: choose an option first")
            value = step.choices[[c.label for c in step.choices].index(self.radio.value)].key
        out = D.check(step, value)
        self.choices[step.id] = value
        self.results[step.id] = out.correct
        mark = "✓" if out.correct else "✗"
        text = f"{mark} {out.feedback}" + (f" <b>What happens next:</b> {out.consequence}" if out.consequence else "")
        self.feedback_log.append(text)
        self.feedback.value = f"<p>{render_text(text)}</p>"
        self._update_progress()
        self._update_buttons()
        return out

    def next(self) -> "DecisionRunner":
        """Go to the next decision (after checking the current one)."""
        if self.current.id in self.results and self.index < len(self.steps) - 1:
            self.index += 1
            self._show()
        return self

    # -- display --------------------------------------------------------------------------------
    def _show(self) -> None:
        step = self.current
        self.stage.value = f"<h4 style='margin:4px 0'>{html.escape(step.stage)}</h4>"
        self.figure.value = phantom_figure(self.case_id)[0] if step.needs_image else ""
        self.prompt.value = f"<p>{render_text(step.prompt)}</p>"
        if step.numeric:
            self.number.value = 0.0
            self.input_box.children = [self.number]
        else:
            self.radio.options = [c.label for c in step.choices]
            self.radio.value = None
            self.input_box.children = [self.radio]
        self.feedback.value = ""
        self._update_progress()
        self._update_buttons()

    def _update_buttons(self) -> None:
        checked = self.current.id in self.results
        self.check_button.disabled = checked
        self.next_button.disabled = not checked or self.index == len(self.steps) - 1

    def _update_progress(self) -> None:
        done = sum(self.results.values())
        line = (f"Decision {self.index + 1} of {len(self.steps)} · {done} correct of {len(self.results)} checked")
        if self.finished:
            line += " · case complete"
        self.progress.value = f"<p><b>{line}</b></p>"

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


# ----------------------------------------------------------------------------------------------
# What if? — change one finding, see the decision and plan change
# ----------------------------------------------------------------------------------------------
_SENS_CHOICES = ("as the NOMS list says", "radiosensitive", "radioresistant")


_STAB_CHOICES = ("as scored", "stable", "unstable")


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
        out: dict[str, Any] = {}
        if escc_grade != "as imaged":
            out["escc_grade"] = escc_grade
        if radiosensitivity in ("radiosensitive", "radioresistant"):
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
        lists = {name: datasets.radiosensitivity(c["histology"], name) for name in datasets.radiosensitivity_lists()}
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


__all__ = ["build_case", "build_steps", "case_prompt", "phantom_figure", "DecisionRunner", "WhatIfApp"]
