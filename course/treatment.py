"""Module 06 — treatment: dexamethasone schedules, radiotherapy schedules and their choice by prognosis,
BED/EQD2 summaries and surgical decision helpers (the pure logic; interactives in :mod:`course.treatment_apps`).

* :func:`steroid_schedule` turns a regimen of ``course/data/treatment.yaml`` into daily and cumulative doses,
  in whole tablets (multiples of 0.5 mg: 2 mg and 0.5 mg tablets), each regimen labelled with its source and
  date — the taper lengths differ between sources and the course shows each as its source gives it;
* :func:`steroid_safety` — who gets dexamethasone and what goes with it (NICE NG234 and the sources in
  the addendum, A.8): neurological symptoms or signs, the lymphoma caveat, PPI cover, glucose monitoring;
* :func:`fractionation_for_prognosis` — conventional radiotherapy for MSCC chosen by predicted survival
  (SCORAD III, SCORE-2, Rades 2018, ASTRO 2024): poor → 8 Gy × 1; intermediate → 20 Gy / 5;
  favourable → 20 Gy / 5 or a longer course;
* :func:`radical_resection_assessment`, :func:`surgical_options` and :func:`surgical_evidence` — who
  qualifies for radical resection, the procedures, and the trials behind surgery (Patchell 2005, Young 1980…).

This module imports neither ipywidgets nor matplotlib (``tests/test_pure_logic.py``).

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from course import calculators, datasets

TAPER_KINDS = ("halving", "linear", "none")
# ----------------------------------------------------------------------------------------------
# Dexamethasone schedules
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Taper:
    """How the daily dose comes down after the full-dose days.

    * ``halving``: the dose halves every ``step_days`` days (first taper day already halved) for ``days`` days;
    * ``linear``: equal daily steps, taper day *k* of *N* gets ``full × (1 − k/N)`` (zero on the last day);
    * ``none``: the drug stops after the full-dose days.
    """

    kind: str
    days: int = 0
    step_days: int = 3

    def __post_init__(self) -> None:
        if self.kind not in TAPER_KINDS:
            raise ValueError(f"taper.kind: {self.kind!r}; accepted: {list(TAPER_KINDS)}")
        if self.kind != "none" and (not isinstance(self.days, int) or self.days < 1):
            raise ValueError(f"taper.days: {self.days!r}; accepted: an integer ≥ 1")
        if not isinstance(self.step_days, int) or self.step_days < 1:
            raise ValueError(f"taper.step_days: {self.step_days!r}; accepted: an integer ≥ 1")

    def factors(self) -> np.ndarray:
        """Fraction of the full daily dose on each taper day."""
        k = np.arange(1, self.days + 1)
        if self.kind == "halving":
            return 0.5 ** np.ceil(k / self.step_days)
        if self.kind == "linear":
            return 1 - k / self.days
        return np.zeros(0)

    def describe(self) -> str:
        if self.kind == "halving":
            return f"halving every {self.step_days} days over {self.days} days"
        if self.kind == "linear":
            return f"linear to zero over {self.days} days"
        return "no taper"


@dataclass(frozen=True)
class SteroidRegimen:
    """A dexamethasone regimen: IV bolus on day 1, ``dose_mg`` × ``doses_per_day``, full days, taper."""

    id: str
    label: str
    bolus_mg: float
    dose_mg: float
    doses_per_day: int
    full_dose_days: int
    taper: Taper
    illustrative: tuple[str, ...]
    note: str
    source: tuple[str, ...]

    @property
    def daily_mg(self) -> float:
        """The full daily dose (without the bolus)."""
        return self.dose_mg * self.doses_per_day


@dataclass(frozen=True)
class Schedule:
    """Day-by-day doses (mg); ``day[0] == 1``."""

    regimen: SteroidRegimen
    day: np.ndarray
    daily: np.ndarray
    cumulative: np.ndarray

    @property
    def total_mg(self) -> float:
        return float(self.cumulative[-1])

    @property
    def last_dose_day(self) -> int:
        return int(self.day[np.nonzero(self.daily)[0][-1]])


@lru_cache(maxsize=1)
def steroid_regimens() -> dict[str, SteroidRegimen]:
    """The regimens of ``course/data/treatment.yaml``, by id."""
    out = {}
    for r in datasets.load("treatment")["steroids"]["regimens"]:
        t = r["taper"]
        out[r["id"]] = SteroidRegimen(
            id=r["id"], label=r["label"], bolus_mg=float(r["bolus_mg"]), dose_mg=float(r["dose_mg"]),
            doses_per_day=int(r["doses_per_day"]), full_dose_days=int(r["full_dose_days"]),
            taper=Taper(t["kind"], int(t.get("days", 0)), int(t.get("step_days", 3))),
            illustrative=tuple(r.get("illustrative", ())), note=str(r.get("note", "")),
            source=tuple(r["source"]))
    return out


def regimen(regimen_id: str) -> SteroidRegimen:
    """Look up a regimen; unknown ids raise ``ValueError`` listing the accepted ids."""
    regs = steroid_regimens()
    if regimen_id not in regs:
        raise ValueError(f"regimen_id: {regimen_id!r}; accepted: {sorted(regs)}")
    return regs[regimen_id]


def steroid_schedule(reg: SteroidRegimen | str, *, full_dose_days: int | None = None, taper: Taper | None = None,
                     days: int | None = None) -> Schedule:
    """Daily and cumulative dexamethasone (mg) of a regimen.

    Day 1 gets the bolus **plus** the full daily dose (10 mg + 4 × 4 mg = 26 mg for the source
    document's regimen); days 2…``full_dose_days`` the full daily dose; then the taper, each day's dose
    rounded to whole tablets (:func:`whole_tablets`: a multiple of 0.5 mg, so 2 mg and 0.5 mg tablets give
    it — never 14.86 mg). ``full_dose_days``
    and ``taper`` override the regimen's (illustrative) values; ``days`` pads or cuts the schedule.

    Raises:
        ValueError: for full_dose_days < 1 or days < 1.
    """
    reg = regimen(reg) if isinstance(reg, str) else reg
    n_full = reg.full_dose_days if full_dose_days is None else full_dose_days
    if not isinstance(n_full, (int, np.integer)) or n_full < 1:
        raise ValueError(f"full_dose_days: {n_full!r}; accepted: an integer ≥ 1")
    tp = reg.taper if taper is None else taper
    daily = np.concatenate([np.full(n_full, reg.daily_mg), whole_tablets(reg.daily_mg * tp.factors())])
    daily[0] += reg.bolus_mg
    if days is not None:
        if days < 1:
            raise ValueError(f"days: {days!r}; accepted: an integer ≥ 1")
        daily = np.concatenate([daily, np.zeros(max(0, days - len(daily)))])[:days]
    return Schedule(reg, np.arange(1, len(daily) + 1), daily, np.cumsum(daily))


#: Smallest dispensable step of oral dexamethasone in the course (2 mg and 0.5 mg tablets exist [M]).
TABLET_STEP_MG = 0.5


def whole_tablets(dose_mg: Any) -> Any:
    """Round a dose (or an array of daily doses) to the nearest 0.5 mg, half up: what whole tablets can give.

    >>> float(whole_tablets(14.857)), float(whole_tablets(1.25))
    (15.0, 1.5)
    """
    return np.floor(np.asarray(dose_mg, dtype=float) / TABLET_STEP_MG + 0.5 + 1e-9) * TABLET_STEP_MG


def tablets(dose_mg: float) -> str:
    """A daily dose as whole 2 mg and 0.5 mg tablets, e.g. 6.5 → "3 × 2 mg + 1 × 0.5 mg".

    Raises:
        ValueError: for a dose that is negative or not a multiple of 0.5 mg.
    """
    halves = dose_mg / TABLET_STEP_MG
    if dose_mg < 0 or abs(halves - round(halves)) > 1e-9:
        raise ValueError(f"dose_mg: {dose_mg!r}; accepted: a multiple of 0.5 mg ≥ 0 (whole 2 mg and 0.5 mg tablets)")
    twos, rest = divmod(int(round(halves)), 4)
    parts = ([f"{twos} × 2 mg"] if twos else []) + ([f"{rest} × 0.5 mg"] if rest else [])
    return " + ".join(parts) or "none"


def steroid_safety() -> list[dict[str, Any]]:
    """The steroid teaching of every module, one record per point (indication, lymphoma caveat, PPI, glucose…).

    Each record has ``point``, ``text``, ``confidence`` and ``source`` (``course/data/treatment.yaml``).
    """
    return list(datasets.load("treatment")["steroids"]["safety"])


def schedule_table(schedules: list[Schedule]) -> str:
    """Deterministic text summary: day 1, full daily dose, last dosing day and cumulative total."""
    names = [s.regimen.label.split(":")[0] for s in schedules]  # "NICE NG234 (2023)", never the data id
    width = max([len("regimen")] + [len(n) for n in names]) + 2
    lines = [f"{'regimen':<{width}}{'day 1':>8}{'daily':>8}{'last day':>10}{'total':>9}"]
    for name, s in zip(names, schedules):
        lines.append(f"{name:<{width}}{s.daily[0]:>6g} mg{s.regimen.daily_mg:>5g} mg"
                     f"{s.last_dose_day:>10d}{s.total_mg:>6g} mg")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Radiotherapy: LQ / BED / EQD2
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def rt_schedules() -> dict[str, dict[str, Any]]:
    """Radiotherapy schedules of ``course/data/treatment.yaml``, by id."""
    return {s["id"]: s for s in datasets.load("treatment")["radiotherapy"]["schedules"]}


def cord_alpha_beta_choices() -> list[tuple[str, float]]:
    """(label, α/β) of the cord α/β values the sources use."""
    return [(c["label"], float(c["value"])) for c in datasets.load("treatment")["radiotherapy"]["cord_alpha_beta"]]


def lq_summary(total_dose_gy: float, fractions: int, alpha_betas: tuple[float, ...] = (10, 2)) -> str:
    """Deterministic text: BED and EQD2 of a schedule for each α/β (from the calculator)."""
    r = calculators.bed_eqd2(total_dose_gy=total_dose_gy, fractions=fractions, alpha_beta_gy=list(alpha_betas))
    head = f"{total_dose_gy:g} Gy in {fractions} fraction{'s' if fractions > 1 else ''}"
    return head + "".join(f"\n  α/β {ab:>4g} Gy: BED {v.BED:6.2f} Gy   EQD2 {v.EQD2:6.2f} Gy"
                          for ab, v in r.by_alpha_beta.items())


# ----------------------------------------------------------------------------------------------
# Spinal cord limit check
# ----------------------------------------------------------------------------------------------
def cord_limits_eqd2(alpha_beta: float) -> dict[int, float]:
    """EQD2 of each Sahgal 2013 limit at ``alpha_beta`` (flat ≈ 44.5 Gy only at α/β 2)."""
    return {n: calculators.bed_eqd2(total_dose_gy=lim, fractions=n, alpha_beta_gy=alpha_beta)
            .by_alpha_beta[alpha_beta].EQD2 for n, lim in calculators.SAHGAL_PMAX.items()}


# ----------------------------------------------------------------------------------------------
# Conventional radiotherapy for MSCC: the schedule follows the predicted survival (review finding M4)
# ----------------------------------------------------------------------------------------------
#: Prognosis groups used by :func:`fractionation_for_prognosis` (the Rades groups' names).
PROGNOSIS_GROUPS = ("poor", "intermediate", "favourable")


@dataclass(frozen=True)
class Fractionation:
    """The conventional-radiotherapy schedule(s) for MSCC in one prognosis group.

    ``schedules`` are ids of ``course/data/treatment.yaml`` ``radiotherapy.schedules``, preferred first;
    ``rationale`` says why, with its sources (``source``, keys of ``references.yaml``).
    """

    prognosis: str
    schedules: tuple[str, ...]
    rationale: str
    source: tuple[str, ...]

    @property
    def preferred(self) -> str:
        return self.schedules[0]


def fractionation_for_prognosis(prognosis: str) -> Fractionation:
    """Conventional radiotherapy for MSCC (not having surgery) by predicted survival.

    * ``poor`` → 8 Gy × 1 (or 20 Gy / 5): SCORAD III's difference was small (ambulatory at 8 weeks 69.3 % vs
      72.7 %), and in Rades' matched pairs the poor-prognosis group did no worse with one fraction;
    * ``intermediate`` → 20 Gy / 5 (SCORE-2: 20 Gy / 5 non-inferior to 30 Gy / 10 for motor function);
    * ``favourable`` → 20 Gy / 5 or a longer course (30 Gy / 10): after 8 Gy, in-field re-irradiation was
      more frequent (14 % vs 3 % at 6 months; Rades 2018), and longer courses give more durable control.

    ASTRO 2024 lists 8/1, 16/2, 20/5 and 30/10 for compression not treated surgically.

    >>> fractionation_for_prognosis("poor").preferred
    '8x1'

    Raises:
        ValueError: for a group outside :data:`PROGNOSIS_GROUPS`.
    """
    if prognosis not in PROGNOSIS_GROUPS:
        raise ValueError(f"prognosis={prognosis!r} is not accepted; accepted values: "
                         + ", ".join(map(repr, PROGNOSIS_GROUPS)))
    rule = datasets.load("treatment")["radiotherapy"]["fractionation_by_prognosis"][prognosis]
    return Fractionation(prognosis, tuple(rule["schedules"]), str(rule["rationale"]), tuple(rule["source"]))


# ----------------------------------------------------------------------------------------------
# Surgery
# ----------------------------------------------------------------------------------------------
def surgical_options() -> list[dict[str, Any]]:
    """The surgical options of ``course/data/treatment.yaml`` (decompression, stabilisation, radical)."""
    return list(datasets.load("treatment")["surgery"]["options"])


def surgical_options_html() -> str:
    """The surgical options as an HTML table grouped by aim."""
    rows = "".join(f"<tr><td>{html.escape(o['group'])}</td><td><b>{html.escape(o['label'])}</b></td>"
                   f"<td>{html.escape(o['what'])}</td></tr>" for o in surgical_options())
    return f"<table><tr><th>Aim</th><th>Procedure</th><th>What it does</th></tr>{rows}</table>"


def surgical_evidence() -> list[dict[str, Any]]:
    """The trials and series behind surgery (Patchell 2005, Young 1980, Rades 2010, Chi 2009, separation
    surgery, embolisation, CAFE), each with ``id``, ``statement``, ``limits`` (may be empty) and ``source``."""
    return list(datasets.load("treatment")["surgery"]["evidence"])


@dataclass(frozen=True)
class ResectionAssessment:
    """Whether a patient meets the source document's three criteria for radical resection."""

    candidate: bool
    criteria: dict[str, bool]
    tomita: Any
    explanation: str


def radical_resection_assessment(*, solitary_spinal_metastasis: bool, fit_for_major_surgery: bool,
                                 primary_growth: str, visceral_mets: str) -> ResectionAssessment:
    """Single spinal metastasis + good prognosis + surgical candidacy (source document).

    "Good prognosis" is judged with Tomita (:func:`course.calculators.tomita`): a total of 2–3, whose
    strategy is wide or marginal excision. Bone metastases are "solitary" when the spinal lesion is
    the only one.

    Raises:
        ValueError: for non-boolean flags (and whatever the Tomita calculator refuses).
    """
    for name, value in (("solitary_spinal_metastasis", solitary_spinal_metastasis),
                        ("fit_for_major_surgery", fit_for_major_surgery)):
        if not isinstance(value, bool):
            raise ValueError(f"{name}: {value!r}; accepted: True or False")
    t = calculators.tomita(primary_growth=primary_growth, visceral_mets=visceral_mets,
                           bone_mets="solitary" if solitary_spinal_metastasis else "multiple")
    criteria = {"single spinal metastasis": solitary_spinal_metastasis,
                "good prognosis (Tomita 2–3)": t.treatment_goal == "wide_or_marginal_excision",
                "fit for major surgery": fit_for_major_surgery}
    ok = all(criteria.values())
    missing = [k for k, v in criteria.items() if not v]
    explanation = (f"Tomita {t.total} ({t.goal}). "
                   + ("Meets all three criteria: radical (en bloc) resection can be discussed."
                      if ok else "Not a candidate for radical resection: " + ", ".join(missing) + " not met."))
    return ResectionAssessment(ok, criteria, t, explanation)

__all__ = [
    "Taper", "SteroidRegimen", "Schedule", "steroid_regimens", "regimen", "steroid_schedule", "schedule_table",
    "whole_tablets", "tablets", "steroid_safety", "rt_schedules", "cord_alpha_beta_choices", "lq_summary",
    "cord_limits_eqd2", "PROGNOSIS_GROUPS", "Fractionation", "fractionation_for_prognosis", "surgical_options",
    "surgical_options_html", "surgical_evidence", "ResectionAssessment", "radical_resection_assessment",
]
