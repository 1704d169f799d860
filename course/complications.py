"""Module 07: complications, rehabilitation and living with spinal metastases — the pure logic.

* :func:`calcium_report` — albumin-corrected calcium (the Payne formula lives in
  :func:`course.calculators.corrected_calcium`; this module *compares* the severity conventions that
  different sources attach to it), and :func:`hypercalcaemia_treatment` (fluids, bisphosphonate…);
* :func:`complications_for` — which complications a given treatment plan adds (SBRT fracture and pain
  flare, bone-agent osteonecrosis and hypocalcaemia included);
* :func:`rehab_plan` — a teaching checklist that orders rehabilitation and supportive-care priorities from
  neurology, stability and fitness (used by the capstone).

The interactives and figures are in :mod:`course.complications_apps`. Content and sources are in
``course/data/complications.yaml``. This module imports neither ipywidgets nor matplotlib. Educational use only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from course import calculators
from course.datasets import load

@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return load("complications")


#: Qualitative timing phases of the complication timeline (no durations are taught).
PHASES: tuple[str, ...] = tuple(load("complications")["phases"])


def _fail(field: str, value: object, accepted: Iterable[object]) -> None:
    raise ValueError(f"{field}: {value!r} is not accepted; accepted: {list(accepted)}")


# ----------------------------------------------------------------------------------------------
# Fast redraws: a FigureApp that blits its moving artists onto a cached background
# ----------------------------------------------------------------------------------------------
# ----------------------------------------------------------------------------------------------
# Hypercalcaemia: corrected calcium and the conventions that label it
# ----------------------------------------------------------------------------------------------
def calcium_conventions() -> list[dict[str, Any]]:
    """The severity conventions for corrected calcium (id, label, short, bands, source)."""
    return list(_data()["calcium"]["conventions"])


def classify_calcium(corrected_mmol_l: float, convention: str) -> str:
    """The band label of ``corrected_mmol_l`` under ``convention`` (``sfe``, ``blog_sfe``, ``ctcae``).

    Below the convention's first band the answer is "not hypercalcaemic by this convention".

    Raises:
        ValueError: for an unknown convention, listing the accepted ids.
    """
    conv = {c["id"]: c for c in calcium_conventions()}
    if convention not in conv:
        _fail("convention", convention, conv)
    label = "not hypercalcaemic by this convention"
    for band in conv[convention]["bands"]:
        if corrected_mmol_l + 1e-9 >= band["from"]:
            label = band["label"]
    return label


@dataclass(frozen=True)
class CalciumReport:
    """A measured calcium, its albumin correction and how each convention labels it."""

    measured_mmol_l: float
    albumin_g_l: float
    corrected_mmol_l: float
    category: str  # the calculators' teaching category
    by_convention: dict[str, str]
    components: dict[str, float]
    explanation: str
    hidden_hypercalcaemia: bool  # measured looks normal, corrected is high


def calcium_report(calcium_mmol_l: float, albumin_g_l: float) -> CalciumReport:
    """Correct ``calcium_mmol_l`` for ``albumin_g_l`` (Payne, via the calculators) and label it.

    Raises:
        ValueError: from :func:`course.calculators.corrected_calcium` for implausible inputs.
    """
    res = calculators.corrected_calcium(calcium_mmol_l=calcium_mmol_l, albumin_g_l=albumin_g_l)
    corrected = res.corrected_mmol_l
    by_conv = {c["id"]: classify_calcium(corrected, c["id"]) for c in calcium_conventions()}
    measured_cat = calculators.corrected_calcium(calcium_mmol_l=calcium_mmol_l, albumin_g_l=40).category
    hidden = measured_cat == "normal" and res.category in ("hypercalcaemia", "severe_hypercalcaemia")
    names = {c["id"]: c["short"] for c in calcium_conventions()}
    lines = [res.explanation + "."]
    if hidden:
        lines.append("The measured value looks normal, but low albumin hides a raised free calcium: "
                     "this is why the corrected value is the one to read.")
    lines.append("Labels by convention: " + "; ".join(f"{names[k]} → {v}" for k, v in by_conv.items()) + ".")
    lines.append("Cut-offs are conventions; local laboratories publish their own reference ranges.")
    return CalciumReport(measured_mmol_l=float(calcium_mmol_l), albumin_g_l=float(albumin_g_l),
                         corrected_mmol_l=corrected, category=res.category, by_convention=by_conv,
                         components=dict(res.components), explanation=" ".join(lines),
                         hidden_hypercalcaemia=hidden)


_CA_MIN, _CA_MAX = 1.8, 4.0


# ----------------------------------------------------------------------------------------------
# Steroid side effects (figure)
# ----------------------------------------------------------------------------------------------
def steroid_side_effects() -> list[dict[str, Any]]:
    """The reported serious side-effect rates of high-dose dexamethasone (Heimdal, Sørensen)."""
    return list(_data()["steroid_side_effects"])


# ----------------------------------------------------------------------------------------------
# Complication catalogue and timeline
# ----------------------------------------------------------------------------------------------
#: Treatment switches of the timeline explorer (beyond the radiotherapy and steroid choices).
TREATMENTS = ("opioids", "chemotherapy", "surgery", "bone_agent", "immobile", "cervical")


RT_CHOICES = ("none", "cEBRT", "SBRT")


STEROID_CHOICES = ("none", "16 mg/day", "96 mg/day")


def complications() -> list[dict[str, Any]]:
    """Every complication record (id, group, category, trigger, phases, name, watch, source)."""
    return list(_data()["complications"])


def complications_for(*, steroids: str = "none", radiotherapy: str = "none", opioids: bool = False,
                      chemotherapy: bool = False, surgery: bool = False, immobile: bool = False,
                      cervical: bool = False, bone_agent: bool = False) -> list[dict[str, Any]]:
    """The complications to watch for with this plan, disease-related first.

    Raises:
        ValueError: for an unknown steroid or radiotherapy choice.
    """
    if steroids not in STEROID_CHOICES:
        _fail("steroids", steroids, STEROID_CHOICES)
    if radiotherapy not in RT_CHOICES:
        _fail("radiotherapy", radiotherapy, RT_CHOICES)
    active = {"always": True, "steroids": steroids != "none", "radiotherapy": radiotherapy != "none",
              "opioids": bool(opioids), "chemotherapy": bool(chemotherapy), "surgery": bool(surgery),
              "immobile": bool(immobile), "cervical": bool(cervical), "bone_agent": bool(bone_agent),
              "sbrt": radiotherapy == "SBRT",
              "radiotherapy_and_surgery": radiotherapy != "none" and bool(surgery)}
    return [c for c in complications() if active[c["trigger"]]]


def complication_table(group: str) -> str:
    """A Markdown table of the ``group`` ("disease" or "treatment") complications: what to watch for.

    Raises:
        ValueError: for another group.
    """
    if group not in ("disease", "treatment"):
        _fail("group", group, ("disease", "treatment"))
    rows = ["| Kind | Complication | What to watch for | When (qualitative) |", "|---|---|---|---|"]
    for c in complications():
        if c["group"] == group:
            a, b = c["phases"]
            when = PHASES[a] if a == b else f"{PHASES[a]} → {PHASES[b]}"
            rows.append(f"| {c['category']} | {c['name']} | {c['watch']} | {when} |")
    return "\n".join(rows)


# ----------------------------------------------------------------------------------------------
# Rehabilitation priorities (teaching checklist)
# ----------------------------------------------------------------------------------------------
FRANKEL_GRADES = ("A", "B", "C", "D", "E")


@dataclass(frozen=True)
class RehabItem:
    """One rehabilitation or supportive-care item."""

    id: str
    discipline: str
    label: str
    why: str


@dataclass(frozen=True)
class RehabPlan:
    """The ordered plan: ``focus`` is the item that defines this patient's rehabilitation now."""

    focus: RehabItem
    items: tuple[RehabItem, ...]
    explanation: str

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)


def rehab_items() -> dict[str, RehabItem]:
    """Every checklist item by id."""
    return {r["id"]: RehabItem(r["id"], r["discipline"], r["label"], r["why"]) for r in _data()["rehabilitation"]}


#: Items whose choice depends on the patient (the candidates for the plan's focus).
FOCUS_IDS = ("precautions", "carer_comfort", "transfers_wheelchair", "gait_balance", "activity_energy")


def rehab_plan(*, frankel: str, spine_unstable: bool, stabilised: bool = False, kps: int = 70,
               sphincter_dysfunction: bool = False, short_prognosis: bool = False) -> RehabPlan:
    """Order rehabilitation and supportive-care priorities (teaching checklist, not a validated tool).

    Rules, in order: an unstable spine not yet stabilised → protect it first (precautions/orthosis);
    KPS ≤ 40 → comfort, equipment and carer training; otherwise the neurology decides, also when the
    expected survival is under six months (then carer training and planning join the plan, but the aim
    stays functional: Fortin 2015, McKinley 1999 — review finding m20); the neurology decides — Frankel A/B → transfers, wheelchair, skin/bladder/bowel;
    C/D → gait and balance training; E → daily activities and energy conservation. Pain control,
    nutrition and psychological support are in every plan.

    Raises:
        ValueError: for a Frankel grade other than "A"–"E" or a KPS outside 10–100.
    """
    if frankel not in FRANKEL_GRADES:
        _fail("frankel", frankel, FRANKEL_GRADES)
    if not isinstance(kps, int) or isinstance(kps, bool) or not 10 <= kps <= 100:
        _fail("kps", kps, "integers 10–100")
    items = rehab_items()
    protect = bool(spine_unstable) and not stabilised
    poor = kps <= 40
    limited = bool(short_prognosis) and not poor
    if protect:
        focus = "precautions"
    elif poor:
        focus = "carer_comfort"
    elif frankel in "AB":
        focus = "transfers_wheelchair"
    elif frankel in "CD":
        focus = "gait_balance"
    else:
        focus = "activity_energy"
    order = [focus, "pain_control"]
    if (poor or limited) and focus != "carer_comfort":
        order.append("carer_comfort")
    if frankel in "AB" or sphincter_dysfunction:
        order.append("pressure_bladder_bowel")
    if frankel in "ABC" or kps <= 40:
        order.append("vte_chest")
    if frankel in "AB" and focus != "transfers_wheelchair":
        order.append("transfers_wheelchair")
    if frankel in "CD" and focus != "gait_balance" and not poor:
        order.append("gait_balance")
    if frankel == "E" and focus != "activity_energy" and not poor:
        order.append("activity_energy")
    order += ["nutrition", "psychology"]
    seen: list[str] = []
    for i in order:
        if i not in seen:
            seen.append(i)
    chosen = tuple(items[i] for i in seen)
    reasons = []
    if protect:
        reasons.append("the spine is (possibly) unstable and not yet stabilised")
    if poor:
        reasons.append(f"performance status is poor (KPS {kps})")
    if limited:
        reasons.append("expected survival is under six months, yet rehabilitation still aims at function "
                       "(transfers, walking, going home), with carer training planned early")
    reasons.append(f"Frankel {frankel} ({calculators.frankel(frankel).name.lower()})")
    explanation = (f"Focus: {items[focus].label} — because " + "; ".join(reasons) + ". "
                   + f"{items[focus].why[0].upper()}{items[focus].why[1:]}.")
    return RehabPlan(focus=items[focus], items=chosen, explanation=explanation)


def hypercalcaemia_treatment() -> list[dict[str, Any]]:
    """The steps of treating hypercalcaemia of malignancy (``step``, ``text``, ``source``; addendum F.2)."""
    return list(_data()["calcium"]["treatment"])


def red_flags() -> list[str]:
    """Warning signs to teach patients (prevention and early detection)."""
    return list(_data()["red_flags"])


__all__ = [
    "PHASES", "TREATMENTS", "RT_CHOICES", "STEROID_CHOICES", "FRANKEL_GRADES",
    "CalciumReport", "calcium_conventions", "classify_calcium", "calcium_report", "hypercalcaemia_treatment",
    "steroid_side_effects", "complications", "complications_for", "complication_table",
    "RehabItem", "RehabPlan", "rehab_items", "rehab_plan", "FOCUS_IDS", "red_flags",
]
