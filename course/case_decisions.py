"""Module 08: the capstone as a sequence of decisions (pure case solver).

A case is walked as the multidisciplinary team walks it: imaging, dexamethasone, stability, expected
survival, surgery or not, embolisation, the radiotherapy schedule, sequencing, supportive care and
rehabilitation — and only then the dose arithmetic (review finding M10). The learner chooses at every step;
:func:`steps` returns the steps of a case *given the choices made so far*, so a wrong choice changes what
happens later (the path **branches**):

* delaying the MRI in a patient with neurological signs → the neurology worsens by one Frankel grade before
  treatment, and every later step (prognosis, rehabilitation) is worked with the worse grade;
* not operating on a patient who needs surgery → no embolisation or sequencing step, the radiotherapy
  schedule becomes the one for an unoperated spine, and rehabilitation starts by protecting the unstable
  spine.

Every expected choice is computed by :func:`course.cases.solve` (the calculators, the NOMS rules, the
schedule by prognosis, the rehabilitation checklist) plus the case's ``decision`` block in ``cases.yaml``,
which holds where a score must be overridden (a controlled targetable lung cancer, an oligometastatic renal
cancer, newly diagnosed myeloma treated systemically first, a patient who declines surgery).

The runner widget is :class:`course.cases_apps.DecisionRunner`. This module imports neither ipywidgets nor
matplotlib (``tests/test_pure_logic.py``).

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from course import calculators
from course.cases import _SURGICAL, _data, get_case, neuro_deficit, schedule_for, solve
from course.complications import FOCUS_IDS, rehab_items, rehab_plan

#: Histologies the course treats as hypervascular (preoperative embolisation; addendum B.6).
HYPERVASCULAR = ("renal", "thyroid")

#: Frankel grade one step worse (the consequence of a delayed MRI).
_WORSE = {"E": "E", "D": "C", "C": "B", "B": "A", "A": "A"}

#: The stage names, in order; every step belongs to one.
STAGES = ("Imaging", "Dexamethasone", "Stability", "Expected survival", "Surgery", "Embolisation",
          "Radiotherapy", "Sequencing", "Supportive care", "Rehabilitation", "Dose check")

PROGNOSIS_LABELS = {"poor": "Weeks to a few months (poor)",
                    "intermediate": "About six months to a year (intermediate)",
                    "favourable": "A year or more (favourable)"}

#: Radiotherapy choices offered at the radiotherapy step → the ``cases.yaml`` schedule keys they stand for.
RT_CHOICES = {"8x1": "8 Gy in 1 fraction", "20x5": "20 Gy in 5 fractions", "30x10": "30 Gy in 10 fractions",
              "sbrt": "Stereotactic radiotherapy (SBRT), 24 Gy in 2 fractions",
              "none_now": "No radiotherapy now: systemic treatment first"}
_SCHEDULE_TO_CHOICE = {"cEBRT_pain": "8x1", "cEBRT_mscc_single": "8x1", "cEBRT_mscc": "20x5",
                       "cEBRT_mscc_long": "30x10", "SRS": "sbrt"}


@dataclass(frozen=True)
class Choice:
    """One option of a decision: ``key`` is internal, ``label`` is what the learner reads."""

    key: str
    label: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Step:
    """One decision (or, at the end, one numeric check).

    ``needs_image`` says the step is answered from the MR images (the runner shows them);
    ``consequence`` maps a choice key to what happens next because of it (shown with the feedback).
    """

    id: str
    stage: str
    prompt: str
    choices: tuple[Choice, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    explanation: str = ""
    needs_image: bool = False
    consequence: Mapping[str, str] = field(default_factory=dict)

    @property
    def numeric(self) -> bool:
        return self.answer is not None

    def choice(self, key: str) -> Choice:
        for c in self.choices:
            if c.key == key:
                return c
        raise ValueError(f"{self.id}: choice {key!r} is not accepted; accepted: {[c.key for c in self.choices]}")

    @property
    def correct_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.choices if c.correct)


@dataclass(frozen=True)
class Outcome:
    """What the learner sees after answering a step."""

    correct: bool
    feedback: str
    consequence: str = ""


def _decision(case: Mapping[str, Any]) -> dict[str, Any]:
    """The case's ``decisions`` block in ``cases.yaml`` (overrides, supportive care)."""
    return dict(_data().get("decisions", {}).get(case["id"], {}))


def _path(case_id: str, choices: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of the path so far (what earlier choices changed)."""
    c = get_case(case_id)
    d = _decision(c)
    deficit = neuro_deficit(c)
    frankel = c["neuro"]["frankel"]
    delayed = deficit and choices.get("imaging", "mri_24h") != "mri_24h"
    if delayed:
        frankel = _WORSE[frankel]
    base = solve(case_id)
    surgical_case = base.noms.decision in _SURGICAL and not d.get("declines_surgery") and not d.get("systemic_first")
    operated = surgical_case and choices.get("surgery", "surgery") == "surgery"
    overrides: dict[str, Any] = {}
    if frankel != c["neuro"]["frankel"]:
        overrides["frankel"] = frankel
    if (surgical_case and not operated) or d.get("declines_surgery"):
        overrides["able_to_tolerate_surgery"] = False
    a = solve(case_id, **overrides)
    group = d.get("prognosis", {}).get("group", a.prognosis)
    return dict(case=c, decision=d, deficit=deficit, frankel=frankel, delayed=delayed, answers=a, base=base,
                surgical_case=surgical_case, operated=operated, group=group)


def _options(items: list[tuple[str, str, bool, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(k, label, ok, fb) for k, label, ok, fb in items)


def _imaging_step(p: dict[str, Any]) -> Step:
    deficit = p["deficit"]
    worse = _WORSE[p["case"]["neuro"]["frankel"]]
    urgent = ("Neurological symptoms or signs with a cancer history mean suspected MSCC: MRI of the whole spine "
              "within 24 hours (NICE, 2023).")
    routine = ("Pain suggestive of a spinal metastasis without neurological symptoms or signs: MRI of the whole "
               "spine within one week, with advice to come back at once if neurological symptoms start (NICE, 2023).")
    why = urgent if deficit else routine
    wait = (f"While waiting, the neurology worsens to Frankel {worse}: later steps work with the worse grade."
            if deficit else "")
    return Step(
        id="imaging", stage="Imaging", prompt="Which imaging do you arrange, and how fast?",
        choices=_options([
            ("mri_24h", "MRI of the whole spine within 24 hours", deficit,
             "Yes. " + why if deficit else "Faster than needed here. " + routine),
            ("mri_week", "MRI of the whole spine within one week", not deficit,
             "Yes. " + why if not deficit else "Too slow for this patient. " + urgent),
            ("mri_level", "MRI of the painful level only", False,
             "Metastases are often at several levels; the whole spine is imaged. " + why),
            ("xray", "Plain radiographs of the spine first", False,
             "A normal radiograph does not exclude a metastasis or cord compression, and waiting for it delays the "
             "MRI. " + why),
        ]),
        explanation=why,
        consequence={k: wait for k in ("mri_week", "mri_level", "xray")} if deficit else {})


def _steroid_step(p: dict[str, Any]) -> Step:
    c, deficit, d = p["case"], p["deficit"], p["decision"]
    yes = _data()["steroids"]["deficit"]
    no = _data()["steroids"]["none"]
    extra = d.get("steroid_note", "")
    fb_yes = (f"Yes. {yes}." if deficit else f"Not here. {no}.") + (f" {extra}" if extra else "")
    fb_no = (f"Yes. {no}." if not deficit else f"Not here: {'she has' if c['sex'] == 'female' else 'he has'} neurological signs. {yes}.") \
        + (f" {extra}" if extra else "")
    return Step(
        id="steroids", stage="Dexamethasone", prompt="Do you start dexamethasone now?",
        choices=_options([
            ("dex16", "Yes: dexamethasone 16 mg now, then 16 mg a day, with a proton-pump inhibitor and glucose checks",
             deficit, fb_yes),
            ("none", "No dexamethasone", not deficit, fb_no),
            ("dex_pain", "Yes, a low dose for the pain, continued long term", False,
             "Dexamethasone is tied to neurological symptoms or signs, not to pain; long courses add myopathy, "
             "infection and high glucose. " + (yes if deficit else no) + "."),
        ]),
        explanation=yes if deficit else no)


def _stability_step(p: dict[str, Any]) -> Step:
    a = p["answers"]
    cat = a.sins.category
    labels = {"stable": "Stable (SINS 0–6)", "potentially_unstable": "Potentially unstable (SINS 7–12)",
              "unstable": "Unstable (SINS 13–18)"}
    follow = {"stable": "No surgical opinion is needed for stability.",
              "potentially_unstable": "SINS 7–12 needs a spinal surgeon's opinion on stability (NICE, 2023).",
              "unstable": "SINS 13–18: refer to the spinal surgeon; keep spinal precautions meanwhile."}
    return Step(
        id="stability", stage="Stability", needs_image=True,
        prompt=(f"{p['case']['imaging_text']} From the images and the pain history, how stable is the spine "
                "(Spinal Instability Neoplastic Score)?"),
        choices=_options([(k, v, k == cat, (f"Yes. {a.sins.explanation}. {follow[k]}" if k == cat else
                                             f"Not this one. {a.sins.explanation}. {follow[cat]}"))
                          for k, v in labels.items()]),
        explanation=f"{a.sins.explanation}. {follow[cat]}")


def _prognosis_step(p: dict[str, Any]) -> Step:
    a, d = p["answers"], p["decision"]
    group = p["group"]
    tok = f"The revised Tokuhashi total is {a.tokuhashi.total} ({a.tokuhashi.prognosis.replace('>=', '≥ ')})."
    override = d.get("prognosis", {})
    why = f"{tok} {override['why']}" if override else (
        f"{tok} The course uses the Tokuhashi band as the estimate here (module 05a compares the newer scores).")
    return Step(
        id="prognosis", stage="Expected survival",
        prompt="For planning, what is this patient's expected survival?",
        choices=_options([(k, v, k == group, ("Yes. " if k == group else "Not this one. ") + why)
                          for k, v in PROGNOSIS_LABELS.items()]),
        explanation=why)


def _surgery_key(p: dict[str, Any]) -> str:
    d = p["decision"]
    if d.get("systemic_first"):
        return "systemic"
    if d.get("declines_surgery"):
        return "rt_alone"
    return "surgery" if p["base"].noms.decision in _SURGICAL else "rt_alone"


def _surgery_step(p: dict[str, Any]) -> Step:
    d, base = p["decision"], p["base"]
    key = _surgery_key(p)
    reasons = {
        "surgery": ("Surgery first, then radiotherapy: " + base.noms.explanation + " "
                    "Patchell's trial selected one area of compression, a tumour that is not very radiosensitive, "
                    "paraplegia for under 48 hours, an expected survival of at least 3 months and fitness for "
                    "surgery; there, surgery then radiotherapy kept more patients walking (84% vs 57%; "
                    "Patchell et al., 2005)."),
        "rt_alone": "Radiotherapy without surgery: " + (d.get("surgery_why") or base.noms.explanation),
        "systemic": "Systemic treatment first: " + d.get("surgery_why", ""),
    }
    why = reasons[key]
    fb = {
        "surgery": "Not the right route here. " if key != "surgery" else "Yes. ",
        "rt_alone": "Not the right route here. " if key != "rt_alone" else "Yes. ",
        "systemic": "Not the right route here. " if key != "systemic" else "Yes. ",
        "supportive": "Not the right route here. ",
    }
    consequence = {}
    if p["surgical_case"]:
        consequence = {k: ("Without an operation the compressed, unstable segment is treated by radiotherapy "
                           "alone: the later steps follow that plan.") for k in ("rt_alone", "systemic", "supportive")}
    return Step(
        id="surgery", stage="Surgery", needs_image=True,
        prompt=(d.get("surgery_prompt", "") + " What does the team recommend for the spine?").strip(),
        choices=_options([
            ("surgery", "Surgery — decompression and stabilisation (or separation surgery) — then radiotherapy",
             key == "surgery", fb["surgery"] + why),
            ("rt_alone", "Radiotherapy without surgery", key == "rt_alone", fb["rt_alone"] + why),
            ("systemic", "Systemic treatment first, with radiotherapy or cement only if needed", key == "systemic",
             fb["systemic"] + why),
            ("supportive", "No spinal treatment: comfort care only", False,
             fb["supportive"] + why + " Even with a short expected survival, radiotherapy relieves pain and can "
                                      "protect walking."),
        ]),
        explanation=why, consequence=consequence)


def _embolisation_step(p: dict[str, Any]) -> Step:
    hist = p["case"]["histology"]
    vascular = hist in HYPERVASCULAR
    why = ("Renal and thyroid metastases are hypervascular: preoperative embolisation, with surgery within about "
           "a day or two, reduces blood loss (Gong et al., 2021)." if vascular else
           "This tumour is not typically hypervascular: embolisation adds a procedure without a known benefit.")
    return Step(
        id="embolisation", stage="Embolisation", prompt="Before the operation, do you ask for preoperative embolisation?",
        choices=_options([("yes", "Yes, embolise a day or two before surgery", vascular,
                           ("Yes. " if vascular else "Not needed. ") + why),
                          ("no", "No embolisation", not vascular, ("Yes. " if not vascular else "Ask for it. ") + why)]),
        explanation=why)


def _rt_step(p: dict[str, Any]) -> Step:
    a, d = p["answers"], p["decision"]
    if d.get("systemic_first"):
        key = "none_now"
        why = d.get("rt_why", "Systemic treatment comes first.")
    else:
        escc_high = a.escc.high_grade
        sk = schedule_for(a.noms.decision, escc_high, p["deficit"] or p["frankel"] != "E", prognosis=p["group"])
        key = _SCHEDULE_TO_CHOICE[sk]
        sched = _data()["schedules"][sk]
        why = (f"{sched['label']}: {sched['when']}. The schedule follows the plan "
               f"({'after surgery' if p['operated'] else 'without surgery'}) and the expected survival "
               f"({p['group']}).") + (f" {d['rt_why']}" if d.get("rt_why") and (p["operated"] or not p["surgical_case"])
                                       else "")
    also = {"20x5", "30x10"} if key == "20x5" and p["group"] == "favourable" else {key}
    return Step(
        id="radiotherapy", stage="Radiotherapy", prompt="Which radiotherapy schedule fits the plan and the prognosis?",
        choices=_options([(k, v, k in also, ("Yes. " if k in also else "Not this one. ") + why)
                          for k, v in RT_CHOICES.items()]),
        explanation=why)


def _sequencing_step(p: dict[str, Any]) -> Step:
    why = ("Radiotherapy follows surgery once the wound has healed — in Patchell's trial within 14 days of the "
           "operation; stereotactic radiotherapy after separation surgery typically within a few weeks "
           "(Patchell et al., 2005; Laufer et al., 2013).")
    return Step(
        id="sequencing", stage="Sequencing", prompt="How are the operation and the radiotherapy ordered?",
        choices=_options([
            ("after_healing", "Surgery first; radiotherapy once the wound has healed", True, "Yes. " + why),
            ("before", "Radiotherapy first, to shrink the tumour before the operation", False,
             "Not this. Radiotherapy before surgery delays decompression and impairs wound healing. " + why),
            ("only_if_regrowth", "Radiotherapy only if the tumour grows back", False,
             "Not this. Surgery alone leaves tumour behind: radiotherapy is part of the plan. " + why),
        ]),
        explanation=why)


def _supportive_step(p: dict[str, Any]) -> Step:
    s = p["decision"]["supportive"]
    pool = _data()["supportive_wrong"]
    wrong = [w for w in pool if w["id"] not in s.get("not_wrong", ())][:3]
    return Step(
        id="supportive", stage="Supportive care", prompt="Which supportive measure matters most for this patient now?",
        choices=_options([("right", s["label"], True, "Yes. " + s["why"])]
                         + [(w["id"], w["label"], False, f"Not this. {w['why']} Here: {s['why']}") for w in wrong]),
        explanation=s["why"])


def _rehab_step(p: dict[str, Any]) -> Step:
    c, a = p["case"], p["answers"]
    plan = rehab_plan(frankel=p["frankel"], spine_unstable=a.noms.mechanically_unstable,
                      stabilised=p["operated"], kps=c["kps"],
                      sphincter_dysfunction=c["neuro"].get("sphincter", "normal") != "normal",
                      short_prognosis=p["group"] == "poor")
    items = rehab_items()
    return Step(
        id="rehabilitation", stage="Rehabilitation",
        prompt=f"After this treatment (Frankel {p['frankel']}, KPS {c['kps']}), what is the rehabilitation goal now?",
        choices=_options([(i, items[i].label, i == plan.focus.id,
                           ("Yes. " + plan.explanation) if i == plan.focus.id else f"Not first here: {items[i].why}.")
                          for i in FOCUS_IDS]),
        explanation=plan.explanation)


def _dose_step(p: dict[str, Any], rt_key: str) -> Step | None:
    if rt_key == "none_now":
        return None
    sched = {"8x1": (8, 1), "20x5": (20, 5), "30x10": (30, 10), "sbrt": (24, 2)}[rt_key]
    bed = calculators.bed_eqd2(total_dose_gy=sched[0], fractions=sched[1], alpha_beta_gy=[10])
    return Step(
        id="dose", stage="Dose check", unit="Gy", tolerance=0.05, answer=round(bed.by_alpha_beta[10].BED, 2),
        prompt=(f"The team prescribes {RT_CHOICES[rt_key].split(':')[0].replace('Stereotactic', 'stereotactic')}. What is its biologically effective "
                "dose for the tumour (α/β = 10 Gy), in Gy?"),
        explanation=(f"{bed.explanation}. BED10 = D(1 + d/10). Above about 8–10 Gy per fraction the LQ model is only "
                     "approximate (Brenner, 2008)."))


def steps(case_id: str, choices: Mapping[str, Any] | None = None) -> list[Step]:
    """The decision steps of a case, given the learner's ``choices`` so far (step id → choice key).

    Steps not yet answered are built as if the learner followed the team's plan from there; the list (and
    its length) can change when an earlier choice changes.

    Raises:
        ValueError: for an unknown case.
    """
    choices = dict(choices or {})
    p = _path(case_id, choices)
    out = [_imaging_step(p), _steroid_step(p), _stability_step(p), _prognosis_step(p), _surgery_step(p)]
    if p["operated"]:
        out.append(_embolisation_step(p))
    rt = _rt_step(p)
    out.append(rt)
    if p["operated"]:
        out.append(_sequencing_step(p))
    out += [_supportive_step(p), _rehab_step(p)]
    dose = _dose_step(p, rt.correct_keys[0])
    if dose is not None:
        out.append(dose)
    return out


def check(step: Step, value: Any) -> Outcome:
    """Judge one answer: a choice key for a decision, a number for the dose check.

    Raises:
        ValueError: for a choice the step does not offer, or a non-number at the dose check.
    """
    if step.numeric:
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{step.id}: a number is expected, got {value!r}") from None
        ok = abs(x - step.answer) <= step.tolerance
        return Outcome(ok, ("Yes. " if ok else f"Not quite: {step.answer:g} {step.unit}. ") + step.explanation)
    ch = step.choice(str(value))
    return Outcome(ch.correct, ch.feedback, step.consequence.get(ch.key, ""))


def walk(case_id: str, answers: Mapping[str, Any]) -> list[tuple[Step, Outcome]]:
    """Answer a whole case in order (``answers``: step id → choice key or number; missing → the team's choice)."""
    chosen: dict[str, Any] = {}
    done: list[tuple[Step, Outcome]] = []
    while True:
        current = steps(case_id, chosen)
        pending = [s for s in current if s.id not in chosen]
        if not pending:
            return done
        s = pending[0]
        value = answers.get(s.id, s.answer if s.numeric else s.correct_keys[0])
        chosen[s.id] = value
        done.append((s, check(s, value)))


def branching_cases() -> list[str]:
    """Cases where some wrong choice changes the later steps."""
    from course.cases import case_ids
    return [cid for cid in case_ids() if neuro_deficit(get_case(cid)) or _path(cid, {})["surgical_case"]]


__all__ = ["Choice", "Step", "Outcome", "steps", "check", "walk", "branching_cases", "STAGES", "RT_CHOICES",
           "PROGNOSIS_LABELS", "HYPERVASCULAR"]
