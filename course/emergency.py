"""“Time is spine”: a teaching model of the first hours of suspected metastatic spinal cord compression.

The learner makes the pathway decisions for a synthetic patient — whom to call, which scan, whether to give
dexamethasone, which supportive care — and the model lays out the clock: when the MRI happens, when the team
decides, when definitive treatment starts, and how the patient's walking would drift meanwhile.

**This is a teaching model.** Two kinds of number are kept apart:

* the hour-by-hour course of the deficit and the length of each step are **illustrative** (invented to make the
  clocks visible; ``course/data/emergency.yaml`` says so and carries no citation for them);
* the walking outcomes shown for the status reached at treatment are **published** figures, each with its
  source (Patchell et al., 2005; Leviov et al., 1993; Rades et al., 2002).

Pure logic: no ipywidgets, no matplotlib (the interactive is :mod:`course.emergency_apps`).

    >>> out = simulate(Plan("breast_neuro"))
    >>> out.status_at_treatment.id
    'aided'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from course.datasets import load
from course.references import author_year, cite

TEACHING_MODEL_NOTICE = (
    "Teaching model. The hour-by-hour decline and the length of each step are illustrative, not measured; "
    "only the outcomes by walking status at treatment are published figures, each with its source."
)

#: The illustrative deficit runs from 0 (walks unaided) up to just below 4; status i covers [i, i + 1).
MAX_DEFICIT = 3.95

#: In-text citations, rendered from the bibliography so that suffixes such as "2023a" stay right.
NG234 = author_year("nice_ng234")
QS56 = author_year("nice_qs56_2023")
GIRFT = author_year("girft_ces2023")

#: Appended to a statement resting on background knowledge only (the addendum's [M] items).
UNVERIFIED = " (background knowledge, not checked against a readable source)"

VERDICTS = ("good", "ok", "poor", "harm")
CARE_NEEDS = ("required", "consider", "not_needed")
CARE_ITEMS = ("precautions", "bladder", "bowel", "vte", "analgesia", "workup")

#: Why each decision matters, with the source (author–year) and the addendum's confidence tag.
REASONS: dict[str, dict[str, str]] = {
    "call": {
        "coordinator": "The MSCC coordinator is the single point of contact: immediately when there are "
                       f"neurological symptoms or signs, within 24 hours for suggestive pain alone ({NG234}).",
        "spinal_oncall": "The spinal on-call team runs the cauda equina pathway for people without cancer; with "
                         f"known or suspected cancer the MSCC coordinator is the route ({NG234}).",
        "morning": "Waiting for the ward round loses the night; with neurological signs the clock is already "
                   f"running ({NG234}).",
        "letter": "A clinic letter turns an emergency into an outpatient wait.",
    },
    "imaging": {
        "whole_spine_urgent": "Whole-spine MRI (sagittal T1 and/or STIR, sagittal T2, axials through any "
                              "abnormality), as soon as possible and always within 24 hours when there are "
                              f"neurological symptoms or signs, overnight if needed ({NG234}).",
        "whole_spine_week": "Whole-spine MRI within a week is the clock for suggestive pain without neurological "
                            f"symptoms or signs ({NG234}).",
        "lumbosacral_4h": "An emergency lumbosacral MRI within 4 hours is the cauda equina pathway for people "
                          f"without cancer ({GIRFT}); it would miss a thoracic or multilevel metastasis.",
        "level_only": "Imaging one level misses the other deposits: more than one level is involved in about "
                      f"half of patients, so the pathway images the whole spine ({NG234}).",
        "xray_first": "Do not use plain X-rays to diagnose or rule out spinal metastases or cord compression: "
                      f"they miss lesions until about half of the bone is destroyed ({NG234}).",
    },
    "steroid": {
        "dex16_cover": "Dexamethasone 16 mg as soon as possible for neurological symptoms or signs, with a PPI "
                       f"and capillary glucose checks; stop it if MRI excludes MSCC ({NG234}).",
        "dex16_bare": "Dexamethasone without a PPI or glucose checks risks GI bleeding or perforation and "
                      "steroid hyperglycaemia.",
        "none": "No steroid.",
        "after_biopsy": "Where lymphoma is possible, steroids can make the biopsy non-diagnostic: take tissue "
                        f"first, urgently, and discuss with haematology ({NG234}).",
    },
}

CALL_EVENTS = {
    "coordinator": "MSCC coordinator called",
    "spinal_oncall": "On-call spinal team called",
    "morning": "Seen on the morning ward round",
    "letter": "Clinic letter reaches oncology",
}
SCAN_NAMES = {
    "whole_spine_urgent": "Whole-spine MRI",
    "whole_spine_week": "Whole-spine MRI",
    "lumbosacral_4h": "Lumbosacral MRI",
    "level_only": "MRI of the painful level",
}

CARE_REASONS: dict[str, str] = {
    "precautions": "Keep the spine still (flat or partly raised, log-roll, including transfers) when neurology "
                   f"suggests instability, until stability is known ({NG234}); consider it for movement-related "
                   "pain.",
    "bladder": "Retention can be painless: scan the bladder when there are bladder symptoms, a sensory level, "
               "opioids or steroids, and catheterise for retention" + UNVERIFIED + ".",
    "bowel": "Opioids, immobility and a cord lesion all cause constipation: start laxatives and check for "
             "faecal loading" + UNVERIFIED + ".",
    "vte": "An immobilised patient with cancer is at high risk of venous thromboembolism" + UNVERIFIED + ".",
    "analgesia": "Regular analgesia with breakthrough doses; pain also drives the history you need.",
    "workup": "With no cancer diagnosis, find the primary and a biopsy target: CT chest, abdomen and pelvis, "
              "calcium, a myeloma screen (serum electrophoresis, free light chains), PSA in men" + UNVERIFIED + ".",
}


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Status:
    """A walking status, best first (index 0)."""

    id: str
    label: str
    index: int


@dataclass(frozen=True)
class Scenario:
    """A synthetic presenting patient."""

    id: str
    title: str
    stem: str
    on_pathway: bool
    neuro: bool
    lymphoma_possible: bool
    start_status: str
    expect: dict[str, dict[str, str]]
    care: dict[str, str]
    start_deficit: float
    hours_per_grade: float
    steroid_slowing: float


@dataclass(frozen=True)
class PublishedOutcome:
    """A published outcome for people treated at a given walking status."""

    study: str
    treatment: str
    finding: str
    percent: float | None
    n: int | None
    of: int | None
    source: tuple[str, ...]
    confidence: str
    note: str = ""

    def text(self) -> str:
        """One line in the learner's words, with its figure and its source."""
        figure = f"{self.percent:g}% ({self.n}/{self.of}) " if self.percent is not None else ""
        line = f"{self.study}, {self.treatment}: {figure}{self.finding}"
        if self.confidence == "M":
            line += UNVERIFIED
        if self.note:
            line += f" — {self.note}"
        return line + "."


def _data() -> dict[str, Any]:
    return load("emergency")


@lru_cache(maxsize=1)
def statuses() -> tuple[Status, ...]:
    """Walking statuses, best first."""
    return tuple(Status(s["id"], s["label"], i) for i, s in enumerate(_data()["statuses"]))


def status(status_id: str) -> Status:
    """Look up a walking status.

    Raises:
        ValueError: for an unknown id, listing the accepted ids.
    """
    for s in statuses():
        if s.id == status_id:
            return s
    raise ValueError(f"status: {status_id!r}; accepted: {[s.id for s in statuses()]}")


def choices(kind: str) -> dict[str, str]:
    """The learner's options for ``kind`` (``call``, ``imaging``, ``steroid`` or ``care``): id → label.

    Raises:
        ValueError: for an unknown kind.
    """
    table = _data()["choices"]
    if kind not in table:
        raise ValueError(f"kind: {kind!r}; accepted: {sorted(table)}")
    return dict(table[kind])


@lru_cache(maxsize=None)
def scenario(scenario_id: str) -> Scenario:
    """Look up a synthetic patient.

    Raises:
        ValueError: for an unknown id, listing the accepted ids.
    """
    raw = _data()["scenarios"]
    if scenario_id not in raw:
        raise ValueError(f"scenario: {scenario_id!r}; accepted: {sorted(raw)}")
    s = raw[scenario_id]
    ill = s["illustrative"]
    return Scenario(scenario_id, s["title"], " ".join(s["stem"].split()), bool(s["on_pathway"]), bool(s["neuro"]),
                    bool(s["lymphoma_possible"]), s["start_status"], s["expect"], s["care"],
                    float(ill["start_deficit"]), float(ill["hours_per_grade"]), float(ill["steroid_slowing"]))


def scenarios() -> dict[str, str]:
    """Every scenario id → its title."""
    return {k: v["title"] for k, v in _data()["scenarios"].items()}


def published_outcomes(status_id: str) -> list[PublishedOutcome]:
    """The published outcomes for people whose walking status at treatment is ``status_id``."""
    status(status_id)
    out = []
    for row in _data()["outcomes"]:
        if status_id in row["status"]:
            out.append(PublishedOutcome(row["study"], row["treatment"], row["finding"], row.get("percent"),
                                        row.get("n"), row.get("of"), tuple(row.get("source", ())),
                                        row["confidence"], row.get("note", "")))
    return out


def onset_speed() -> list[dict[str, Any]]:
    """Ambulatory rates after radiotherapy by how fast the deficit developed (Rades et al., 2002)."""
    return [dict(r) for r in _data()["onset_speed"]]


def first_presentation() -> dict[str, Any]:
    """How often MSCC is the first sign of cancer (Schiff et al., 1997; QS56 2023 citing Levack)."""
    return dict(_data()["first_presentation"])


def delay_at_diagnosis() -> dict[str, Any]:
    """Delay and walking status at diagnosis in routine care (Levack et al., 2002)."""
    return dict(_data()["delay"])


def clocks() -> dict[str, Any]:
    """The pathway clocks (hours)."""
    return dict(_data()["clocks"])


# ----------------------------------------------------------------------------------------------
# The plan and its consequences
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """The learner's decisions for one patient."""

    scenario: str
    call: str = "coordinator"
    imaging: str = "whole_spine_urgent"
    steroid: str = "dex16_cover"
    precautions: bool = True
    bladder: bool = True
    bowel: bool = True
    vte: bool = True
    analgesia: bool = True
    workup: bool = False

    def validate(self) -> None:
        """Raise ``ValueError`` naming the first bad field and its accepted values."""
        scenario(self.scenario)
        for kind in ("call", "imaging", "steroid"):
            value = getattr(self, kind)
            if value not in choices(kind):
                raise ValueError(f"{kind}: {value!r}; accepted: {list(choices(kind))}")
        for item in CARE_ITEMS:
            if not isinstance(getattr(self, item), bool):
                raise ValueError(f"{item}: {getattr(self, item)!r}; accepted: True or False")


@dataclass(frozen=True)
class Event:
    """One timed event on the clock."""

    hour: float
    label: str


@dataclass(frozen=True)
class Check:
    """The verdict on one decision."""

    item: str
    choice: str
    verdict: str  # good | ok | poor | harm | missed | done | optional | not needed
    message: str

    @property
    def ok(self) -> bool:
        return self.verdict in ("good", "ok", "done", "optional", "not needed")


@dataclass(frozen=True)
class Clock:
    """One pathway clock and whether the plan met it."""

    name: str
    target_hours: float
    actual_hours: float
    met: bool


@dataclass(frozen=True)
class Outcome:
    """Everything the model derives from a plan."""

    plan: Plan
    scenario: Scenario
    events: tuple[Event, ...]
    mri_hour: float
    decision_hour: float
    treatment_hour: float
    steroid_hour: float | None
    course: tuple[tuple[float, float], ...]  # (hour, illustrative deficit: status i covers [i, i + 1))
    status_at_presentation: Status
    status_at_treatment: Status
    clocks: tuple[Clock, ...]
    checks: tuple[Check, ...]
    published: tuple[PublishedOutcome, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def harms(self) -> list[Check]:
        return [c for c in self.checks if c.verdict in ("harm", "missed")]


def _deficit(sc: Scenario, hour: float, steroid_hour: float | None, treatment_hour: float) -> float:
    """Illustrative deficit at ``hour``: grows at 1/hours_per_grade, slowed by steroids, frozen at treatment."""
    t = min(hour, treatment_hour)
    rate = 1.0 / sc.hours_per_grade
    if steroid_hour is None or steroid_hour >= t:
        grown = t * rate
    else:
        grown = steroid_hour * rate + (t - steroid_hour) * rate / sc.steroid_slowing
    return min(MAX_DEFICIT, sc.start_deficit + grown)


def simulate_deficit(out: "Outcome", hour: float) -> float:
    """The illustrative deficit of an already simulated plan at any ``hour`` (for charts)."""
    return _deficit(out.scenario, hour, out.steroid_hour, out.treatment_hour)


def _status_of(deficit: float) -> Status:
    return statuses()[min(len(statuses()) - 1, int(math.floor(deficit + 1e-9)))]


def simulate(plan: Plan) -> Outcome:
    """Lay out the clock for ``plan`` and derive the illustrative course and the published outcomes.

    Raises:
        ValueError: for a bad field of ``plan`` (named, with the accepted values).
    """
    plan.validate()
    sc = scenario(plan.scenario)
    steps = _data()["illustrative_steps"]
    events = [Event(0.0, "Presents; you see and examine the patient")]
    notes: list[str] = []

    # Who is called, and whether the call reaches the right service.
    t = float(steps["call"][plan.call])
    events.append(Event(t, CALL_EVENTS[plan.call]))
    wrong_service = (plan.call == "coordinator" and not sc.on_pathway) or (
        plan.call == "spinal_oncall" and sc.on_pathway)
    if wrong_service:
        t += steps["redirect"]
        events.append(Event(t, "Passed on to the right service"))
    call_hour = t

    # Steroids.
    steroid_hour: float | None = None
    if plan.steroid in ("dex16_cover", "dex16_bare"):
        steroid_hour = float(steps["steroid_at"])
        events.append(Event(steroid_hour, "Dexamethasone 16 mg given"))

    # Imaging.
    scan = plan.imaging
    if scan == "xray_first":
        t += steps["scan"]["xray_first"]
        events.append(Event(t, "Plain X-rays taken: they can look normal"))
        t += steps["xray_false_reassurance"]
        scan_label = "MRI after a falsely reassuring X-ray"
    else:
        t += steps["scan"][scan]
        scan_label = SCAN_NAMES[scan]
    incomplete = (scan in ("level_only", "lumbosacral_4h") and sc.on_pathway) or scan == "xray_first"
    if scan in ("level_only", "lumbosacral_4h") and sc.on_pathway:
        events.append(Event(t, f"{scan_label} done: the rest of the spine is still unknown"))
        t += steps["rescan"]
        scan_label = "Whole-spine MRI"
    mri_hour = t
    events.append(Event(mri_hour, f"{scan_label} reported"))

    # Decision, tissue where needed.
    t += steps["decision"]
    if sc.lymphoma_possible:
        if plan.steroid in ("dex16_cover", "dex16_bare"):
            t += steps["biopsy"]
            events.append(Event(t, "Biopsy after steroids: not diagnostic"))
            t += steps["repeat_biopsy"]
            events.append(Event(t, "Repeat biopsy gives the diagnosis"))
        else:
            t += steps["biopsy"]
            events.append(Event(t, "Urgent CT-guided biopsy gives the diagnosis"))
            if plan.steroid == "after_biopsy":
                steroid_hour = t
                events.append(Event(t, "Steroids started after the biopsy, with haematology"))
    decision_hour = t
    events.append(Event(decision_hour, "Decision to treat"))
    treatment_hour = decision_hour + steps["treatment_after_decision"]
    what = "Definitive treatment starts" if sc.on_pathway else "Emergency decompression"
    events.append(Event(treatment_hour, what))

    # Course (illustrative), sampled hourly and at each event.
    hours = sorted({float(h) for h in range(0, int(math.ceil(treatment_hour)) + 1)} | {e.hour for e in events})
    course = tuple((h, _deficit(sc, h, steroid_hour, treatment_hour)) for h in hours)
    at_treatment = _status_of(_deficit(sc, treatment_hour, steroid_hour, treatment_hour))

    clocks_out = _clocks(sc, plan, call_hour, mri_hour, decision_hour, treatment_hour)
    checks = _checks(sc, plan, incomplete)
    published = tuple(published_outcomes(at_treatment.id)) if sc.on_pathway else ()
    if not sc.on_pathway:
        notes.append("No known or suspected cancer: this patient is not on the MSCC pathway, and the MSCC "
                     "outcome figures do not apply.")
    return Outcome(plan, sc, tuple(sorted(events, key=lambda e: e.hour)), mri_hour, decision_hour,
                   treatment_hour, steroid_hour, course, status(sc.start_status), at_treatment, clocks_out,
                   checks, published, tuple(notes))


def _clocks(sc: Scenario, plan: Plan, call_hour: float, mri_hour: float, decision_hour: float,
            treatment_hour: float) -> tuple[Clock, ...]:
    c = clocks()
    out = []
    if not sc.on_pathway:
        out.append(Clock(f"Emergency MRI within 4 hours of the request ({GIRFT})", c["ces_mri_hours"],
                         mri_hour - call_hour, mri_hour - call_hour <= c["ces_mri_hours"]))
    elif sc.neuro:
        out.append(Clock(f"MSCC coordinator contacted immediately ({NG234})", 1, call_hour,
                         plan.call == "coordinator" and call_hour <= 1))
        out.append(Clock(f"MRI within 24 hours ({NG234})", c["neuro_mri_hours"], mri_hour,
                         mri_hour <= c["neuro_mri_hours"]))
    else:
        out.append(Clock(f"MSCC coordinator contacted within 24 hours ({NG234})", c["pain_coordinator_hours"],
                         call_hour, call_hour <= c["pain_coordinator_hours"]))
        out.append(Clock(f"Whole-spine MRI within 1 week ({NG234}; {QS56})", c["pain_mri_hours"], mri_hour,
                         mri_hour <= c["pain_mri_hours"]))
    if sc.on_pathway:
        gap = treatment_hour - decision_hour
        out.append(Clock(f"Radiotherapy within 24 hours of the decision to treat ({QS56})",
                         c["rt_after_decision_hours"], gap, gap <= c["rt_after_decision_hours"]))
    return tuple(out)


def _checks(sc: Scenario, plan: Plan, incomplete: bool) -> tuple[Check, ...]:
    out = []
    for kind in ("call", "imaging", "steroid"):
        choice = getattr(plan, kind)
        verdict = sc.expect[kind][choice]
        out.append(Check(kind, choice, verdict, _decision_message(sc, kind, choice, verdict)))
    for item in CARE_ITEMS:
        need = sc.care[item]
        done = getattr(plan, item)
        if need == "required":
            verdict = "done" if done else "missed"
        elif need == "consider":
            verdict = "optional"
        else:
            verdict = "not needed"
        out.append(Check(item, "yes" if done else "no", verdict, CARE_REASONS[item]))
    return tuple(out)


def _decision_message(sc: Scenario, kind: str, choice: str, verdict: str) -> str:
    reason = REASONS[kind][choice]
    if kind == "steroid":
        if choice == "none":
            if not sc.on_pathway:
                return "Right: dexamethasone has no role in cauda equina syndrome without cancer."
            if not sc.neuro:
                return ("Right: without neurological symptoms or signs dexamethasone is not routine "
                        f"({NG234}).")
            if sc.lymphoma_possible:
                return ("Holding steroids is right while lymphoma is possible, but arrange the biopsy urgently "
                        f"and discuss with haematology ({NG234}).")
            return ("Neurological symptoms or signs: give dexamethasone 16 mg as soon as possible "
                    f"({NG234}).")
        if choice in ("dex16_cover", "dex16_bare"):
            if sc.lymphoma_possible:
                return ("Lymphoma is possible: steroids before tissue can make the biopsy non-diagnostic; "
                        f"biopsy first and discuss with haematology ({NG234}).")
            if not sc.on_pathway:
                return "No cancer: dexamethasone has no role in cauda equina syndrome from a disc."
            if not sc.neuro:
                return (f"Without neurological symptoms or signs dexamethasone is not routine ({NG234}); "
                        "it brings hyperglycaemia, insomnia, psychosis and GI bleeding.")
        if choice == "after_biopsy" and not sc.lymphoma_possible:
            return "Nothing here suggests lymphoma: waiting for a biopsy only delays treatment."
    if kind == "imaging" and choice == "whole_spine_urgent" and not sc.neuro:
        return ("Acceptable, and faster than needed: for pain without neurology the clock is a whole-spine MRI "
                f"within a week ({NG234}).")
    if kind == "imaging" and not sc.on_pathway and choice in ("whole_spine_urgent", "level_only"):
        return ("It shows the cauda equina, but the pathway for a person without cancer is an emergency "
                f"lumbosacral MRI within 4 hours ({GIRFT}).")
    if kind == "imaging" and choice == "lumbosacral_4h" and not sc.on_pathway:
        return "Right: " + reason
    if kind == "call" and choice == "coordinator" and not sc.on_pathway:
        return ("No known or suspected cancer: not the MSCC pathway. Suspected cauda equina goes to the "
                f"spinal on-call team ({GIRFT}).")
    if kind == "call" and choice == "spinal_oncall" and not sc.on_pathway:
        return f"Right: suspected cauda equina without cancer follows the national cauda equina pathway ({GIRFT})."
    if kind == "call" and choice in ("morning", "letter") and not sc.neuro:
        return ("Within the 24-hour advice clock if the coordinator hears today; a letter is too slow "
                f"({NG234}).") if choice == "letter" else (
                f"Acceptable if the coordinator is contacted within 24 hours ({NG234}).")
    prefix = {"good": "Right: ", "ok": "Acceptable: ", "poor": "", "harm": ""}[verdict]
    return prefix + reason


def summary_lines(out: Outcome) -> list[str]:
    """The consequence of the plan, in plain sentences (used by the interactive and by tests)."""
    lines = [
        f"MRI at hour {out.mri_hour:g}; decision at hour {out.decision_hour:g}; treatment from hour "
        f"{out.treatment_hour:g}.",
        f"Walking: {out.status_at_presentation.label} at presentation, {out.status_at_treatment.label} when "
        "treatment starts (illustrative course).",
    ]
    return lines


def plan_fields() -> list[str]:
    """Names of the fields of :class:`Plan` (for the interface and tests)."""
    return [f.name for f in fields(Plan)]


def citations(out: Outcome) -> list[str]:
    """Citation keys behind the published figures shown for ``out`` (each resolves in references.yaml)."""
    keys = []
    for p in out.published:
        for k in p.source:
            cite(k)
            if k not in keys:
                keys.append(k)
    return keys


# ----------------------------------------------------------------------------------------------
# Tables for the notebook (Markdown, built from the sourced data)
# ----------------------------------------------------------------------------------------------
def outcomes_markdown() -> str:
    """The published outcomes by walking status at the start of treatment, as a Markdown table."""
    rows = ["| Walking when treatment starts | Study | Treatment | Outcome |", "|---|---|---|---|"]
    for r in _data()["outcomes"]:
        if "percent" in r:
            figure = f"**{r['percent']:g}%** ({r['n']}/{r['of']}) {r['finding']}"
        else:
            figure = r["finding"]
        flag = " [M]†" if r["confidence"] == "M" else ""
        rows.append(f"| {r['when']} | {r['study']} | {r['treatment']} | {figure}{flag} |")
    return "\n".join(rows)


def onset_markdown() -> str:
    """Walking after radiotherapy by how fast the motor deficit developed (Rades et al., 2002)."""
    rows = ["| Motor deficit developed over | Walking after radiotherapy |", "|---|---|"]
    rows += [f"| {r['onset']} | {r['ambulatory_after_percent']}% |" for r in onset_speed()]
    return "\n".join(rows)


def scenario_markdown() -> str:
    """The four synthetic patients of the interactive, as a Markdown list."""
    return "\n".join(f"- **{scenario(k).title}.** {scenario(k).stem}" for k in scenarios())
