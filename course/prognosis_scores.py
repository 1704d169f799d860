"""Prognostic scores taught in module 05a: new Katagiri, NESMS and the Rades 2-month score.

**Educational use only — not for clinical decisions.**

Pure functions (no widgets, no plotting), following the conventions of :mod:`course.calculators`:
keyword arguments only, closed vocabularies, a :class:`ValueError` naming the field and the accepted
values for anything else, and a frozen dataclass result with ``total``, ``band``, per-item
``components``, a plain-language ``explanation``, ``caveats`` and ``source``. The point tables are
sourced data in ``course/data/prognosis.yaml`` (clinical-reference addendum, sections C.3 and D).

Decisions this module makes (each also stated in its results):

* **NESMS**: the published weights (modified Bauer ≥ 3 → 2, independent ambulation → 1, albumin
  ≥ 35 g/L → 1) can add up to 4, but the published range is 0–3. Following Ghori 2015's ceiling, the
  total is ``min(sum, 3)``, and every result says so (addendum D.1, [D]/[M]). No survival figure per
  NESMS value is printed: none was readable.
* **Rades**: the per-item points of the 2008 *survival* score are unverified (addendum C.3), so the
  course computes the Rades score whose table is sourced — the score for **death within 2 months**
  (candidates for best supportive care; higher = worse) — and teaches the 2008 score's structure only.
  Its table has rows for ECOG 2 and 3–4 only; ECOG 0–1 is refused rather than guessed.
* **Katagiri**: the primary tumour is entered as its growth group (slow / moderate / rapid), because
  the same organ sits in two groups depending on hormone dependence or a targetable driver.
* **Modified Bauer** is :func:`course.calculators.modified_bauer` (Leithner 2008); NESMS takes its total.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Final, Iterable, Mapping, NoReturn

from course import datasets as _datasets
from course import vocabulary as _vocabulary
from course.references import author_year as _ay
from course.references import cite as _cite

__all__ = [
    "katagiri", "katagiri_laboratory", "nesms", "rades_two_month",
    "KatagiriResult", "NesmsResult", "RadesTwoMonthResult",
    "KATAGIRI_TABLE", "KATAGIRI_BANDS", "KATAGIRI_GROWTH_GROUPS", "NESMS_TABLE", "NESMS_CEILING",
    "RADES_TWO_MONTH_TABLE", "RADES_TWO_MONTH_THRESHOLD", "RADES_TUMOUR_TYPES", "PUBLISHED_C_STATISTIC",
    "prognosis_table_rows",
]

_DATA: Final[dict[str, Any]] = _datasets.load("prognosis")


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Final = _Missing()


# ----------------------------------------------------------------------------------------------
# Validation (same messages as course.calculators)
# ----------------------------------------------------------------------------------------------
def _fail(field: str, value: object, accepted: str) -> NoReturn:
    problem = f"{field} is missing" if value is _MISSING else f"{field}={value!r} is not accepted"
    raise ValueError(f"{problem}; accepted values: {accepted}")


def _choice(field: str, value: object, accepted: Iterable[str]) -> str:
    options = tuple(accepted)
    if isinstance(value, str) and value in options:
        return value
    hint = ""
    if isinstance(value, str):
        near = [o for o in options if o.lower() == value.strip().lower()]
        hint = f" (did you mean {near[0]!r}?)" if near else ""
    _fail(field, value, ", ".join(repr(o) for o in options) + hint)


def _flag(field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    _fail(field, value, "True, False")


def _number(field: str, value: object, *, low: float, example: str, high: float | None = None) -> float:
    accepted = f"a finite number ≥ {low:g}" + (f" and ≤ {high:g}" if high is not None else "") + f" (e.g. {example})"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        _fail(field, value, accepted)
    if value < low or (high is not None and value > high):
        _fail(field, value, accepted)
    return float(value)


def _integer(field: str, value: object, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        _fail(field, value, f"an integer {low}–{high}")
    return int(value)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _sources(keys: Iterable[str]) -> str:
    return " ".join(_cite(k).citation for k in keys)


# ----------------------------------------------------------------------------------------------
# New Katagiri score (Katagiri et al., 2014) [V2]
# ----------------------------------------------------------------------------------------------
_K: Final = _DATA["katagiri"]
KATAGIRI_TABLE: Final[dict[str, dict[str, int]]] = {k: dict(v) for k, v in _K["items"].items()}
KATAGIRI_BANDS: Final[tuple[dict[str, Any], ...]] = tuple(_K["bands"])
KATAGIRI_GROWTH_GROUPS: Final[dict[str, tuple[str, ...]]] = {k: tuple(v) for k, v in _K["growth_groups"].items()}
_KATAGIRI_LABELS: Final[dict[str, str]] = dict(_K["labels"])


@dataclass(frozen=True)
class KatagiriResult:
    """New Katagiri total (0–10), band ("0-3", "4-6", "7-10") and the band's published survival."""

    total: int
    band: str
    survival: str
    components: dict[str, int]
    explanation: str
    caveats: tuple[str, ...]
    source: str


def katagiri(*, primary_growth: object = _MISSING, visceral_mets: object = _MISSING,
             laboratory: object = _MISSING, ecog_3_or_4: object = _MISSING,
             previous_chemotherapy: object = _MISSING, multiple_skeletal_mets: object = _MISSING) -> KatagiriResult:
    """New Katagiri score (Katagiri et al., 2014), 0–10; higher is worse.

    ``primary_growth`` ∈ {slow, moderate, rapid} (0/2/3); ``visceral_mets`` ∈ {none, nodular,
    disseminated} (0/1/2); ``laboratory`` ∈ {normal, abnormal, critical} (0/1/2, see
    :func:`katagiri_laboratory`); the other three are bools worth 1 point each.

    >>> katagiri(primary_growth="slow", visceral_mets="none", laboratory="normal", ecog_3_or_4=False,
    ...          previous_chemotherapy=False, multiple_skeletal_mets=True).band
    '0-3'
    """
    if isinstance(primary_growth, str) and primary_growth not in KATAGIRI_TABLE["primary_growth"] \
            and _vocabulary.clinical_name(primary_growth):
        _fail("primary_growth", primary_growth, "'slow', 'moderate', 'rapid' — that names a cancer, but Katagiri "
              "groups the primary by treatability: e.g. lung cancer with a targeted therapy is 'moderate', "
              "without one 'rapid'; hormone-dependent breast cancer is 'slow', hormone-independent 'moderate'")
    chosen = {
        "primary_growth": _choice("primary_growth", primary_growth, KATAGIRI_TABLE["primary_growth"]),
        "visceral_mets": _choice("visceral_mets", visceral_mets, KATAGIRI_TABLE["visceral_mets"]),
        "laboratory": _choice("laboratory", laboratory, KATAGIRI_TABLE["laboratory"]),
        "ecog_3_or_4": _yes(_flag("ecog_3_or_4", ecog_3_or_4)),
        "previous_chemotherapy": _yes(_flag("previous_chemotherapy", previous_chemotherapy)),
        "multiple_skeletal_mets": _yes(_flag("multiple_skeletal_mets", multiple_skeletal_mets)),
    }
    components = {item: KATAGIRI_TABLE[item][category] for item, category in chosen.items()}
    total = sum(components.values())
    band = next(b for b in KATAGIRI_BANDS if b["low"] <= total <= b["high"])
    parts = " + ".join(f"{_KATAGIRI_LABELS[item]} ({chosen[item]}) {points}" for item, points in components.items())
    explanation = (f"New Katagiri {total} of 10 = {parts}. Band {band['low']}–{band['high']}: in the derivation "
                   f"cohort, {band['survival']} ({_ay('katagiri2014')}). Higher is worse.")
    caveats = (
        "Derived in 808 patients with skeletal metastases treated mostly without surgery; survival with modern "
        "systemic therapy may be longer than the bands say.",
        "The primary tumour counts by growth group, not organ: hormone dependence or a targetable driver moves "
        "the same organ between groups.",
    )
    return KatagiriResult(total=total, band=band["label"], survival=band["survival"], components=components,
                          explanation=explanation, caveats=caveats, source=_sources(_K["source"]))


_LAB: Final = _K["laboratory"]


def katagiri_laboratory(*, crp_mg_dl: object = _MISSING, ldh_iu_l: object = _MISSING,
                        albumin_g_dl: object = _MISSING, platelets_per_ul: object = _MISSING,
                        calcium_mg_dl: object = _MISSING, bilirubin_mg_dl: object = _MISSING) -> str:
    """The Katagiri laboratory category from six values in the published units.

    "critical" if any of platelets < 100,000/µL, calcium ≥ 10.3 mg/dL, bilirubin ≥ 1.4 mg/dL;
    else "abnormal" if any of CRP ≥ 0.4 mg/dL, LDH ≥ 250 IU/L, albumin < 3.7 g/dL; else "normal".
    Every value is required (a missing one would silently count as normal).

    >>> katagiri_laboratory(crp_mg_dl=0.5, ldh_iu_l=200, albumin_g_dl=4.0, platelets_per_ul=90000,
    ...                     calcium_mg_dl=9.5, bilirubin_mg_dl=0.8)
    'critical'
    """
    values = {
        "crp_mg_dl": _number("crp_mg_dl", crp_mg_dl, low=0, example="0.3"),
        "ldh_iu_l": _number("ldh_iu_l", ldh_iu_l, low=0, example="180"),
        "albumin_g_dl": _number("albumin_g_dl", albumin_g_dl, low=0, high=10, example="4.1"),
        "platelets_per_ul": _number("platelets_per_ul", platelets_per_ul, low=0, example="250000"),
        "calcium_mg_dl": _number("calcium_mg_dl", calcium_mg_dl, low=0, high=30, example="9.4"),
        "bilirubin_mg_dl": _number("bilirubin_mg_dl", bilirubin_mg_dl, low=0, example="0.7"),
    }

    def hit(rules: Mapping[str, Mapping[str, float]]) -> bool:
        return any(values[name] >= rule["at_least"] if "at_least" in rule else values[name] < rule["below"]
                   for name, rule in rules.items())

    if hit(_LAB["critical"]):
        return "critical"
    return "abnormal" if hit(_LAB["abnormal"]) else "normal"


# ----------------------------------------------------------------------------------------------
# NESMS (Ghori et al., 2015; Schoenfeld et al., 2016) [V2 weights and range; V1 thresholds]
# ----------------------------------------------------------------------------------------------
_N: Final = _DATA["nesms"]
NESMS_TABLE: Final[dict[str, int]] = dict(_N["items"])
NESMS_CEILING: Final[int] = int(_N["ceiling"])
_NESMS_DECISION: Final = (
    "Published range 0–3, but the published weights (2 + 1 + 1) can add up to 4: this course applies "
    "Ghori's ceiling of 3, total = min(sum, 3). That is an implementation decision until the primary "
    "paper is read; some sources may score the modified Bauer item differently."
)


@dataclass(frozen=True)
class NesmsResult:
    """NESMS total (0–3, higher is better), the sum before the ceiling, and the ceiling decision."""

    total: int
    band: str
    sum_before_ceiling: int
    ceiling_applied: bool
    range_decision: str
    components: dict[str, int]
    explanation: str
    caveats: tuple[str, ...]
    source: str


def nesms(*, modified_bauer: object = _MISSING, independent_ambulation: object = _MISSING,
          albumin_g_l: object = _MISSING) -> NesmsResult:
    """New England Spinal Metastasis Score, 0–3; higher is better.

    ``modified_bauer``: the modified Bauer total, an integer 0–4 (``calculators.modified_bauer(...).total``);
    ``independent_ambulation``: bool; ``albumin_g_l``: serum albumin in g/L (35 g/L = 3.5 g/dL).

    >>> r = nesms(modified_bauer=3, independent_ambulation=True, albumin_g_l=38)
    >>> (r.total, r.sum_before_ceiling, r.ceiling_applied)
    (3, 4, True)
    """
    bauer = _integer("modified_bauer", modified_bauer, low=0, high=4)
    walks = _flag("independent_ambulation", independent_ambulation)
    albumin = _number("albumin_g_l", albumin_g_l, low=0, high=100, example="38 (g/L; 3.8 g/dL)")
    components = {
        "modified_bauer_3_or_more": NESMS_TABLE["modified_bauer_3_or_more"] if bauer >= _N["modified_bauer_threshold"] else 0,
        "independent_ambulation": NESMS_TABLE["independent_ambulation"] if walks else 0,
        "albumin_35_g_l_or_more": NESMS_TABLE["albumin_35_g_l_or_more"] if albumin >= _N["albumin_threshold_g_l"] else 0,
    }
    raw = sum(components.values())
    total = min(raw, NESMS_CEILING)
    explanation = (
        f"NESMS {total} of 3: modified Bauer {bauer} ({'≥ 3' if bauer >= 3 else '< 3'}) "
        f"{components['modified_bauer_3_or_more']} + {'independent' if walks else 'no independent'} ambulation "
        f"{components['independent_ambulation']} + albumin {albumin:g} g/L ({'≥' if albumin >= 35 else '<'} 35) "
        f"{components['albumin_35_g_l_or_more']}"
        + (f" = {raw}, capped at 3. " if raw > total else ". ")
        + f"Higher scores went with better 1-year survival ({_ay('goodwin2016_nesms')}; {_ay('schoenfeld2022_nesms')}); "
        "no survival figure per score is given, because none was readable. " + _NESMS_DECISION
    )
    caveats = (
        _NESMS_DECISION,
        f"Derived in surgical patients; the prospective comparison ({_ay('schoenfeld2022_nesms')}) also included "
        "patients treated without surgery.",
    )
    return NesmsResult(total=total, band=f"{total} of 3", sum_before_ceiling=raw, ceiling_applied=raw > total,
                       range_decision=_NESMS_DECISION, components=components, explanation=explanation,
                       caveats=caveats, source=_sources(_N["source"]))


# ----------------------------------------------------------------------------------------------
# Rades score for death within 2 months [V1 table; citation details M]
# ----------------------------------------------------------------------------------------------
_R: Final = _DATA["rades_two_month"]
RADES_TWO_MONTH_TABLE: Final[dict[str, dict[str, int]]] = {k: dict(v) for k, v in _R["items"].items()}
RADES_TWO_MONTH_THRESHOLD: Final[int] = int(_R["threshold"])
#: The table's tumour-type rows; clinical names ("NSCLC", "multiple myeloma", "RCC") are read by
#: :func:`course.vocabulary.lookup` ("rades_two_month" table in ``course/data/vocabularies.yaml``).
RADES_TUMOUR_TYPES: Final[tuple[str, ...]] = tuple(_R["items"]["tumour_type"])
_RADES_LABELS: Final[dict[str, str]] = dict(_R["labels"])


@dataclass(frozen=True)
class RadesTwoMonthResult:
    """Rades 2-month mortality score (6–25; higher is worse) and whether it reaches 19."""

    total: int
    band: str
    best_supportive_care_considered: bool
    components: dict[str, int]
    explanation: str
    caveats: tuple[str, ...]
    source: str


def rades_two_month(*, ecog: object = _MISSING, tumour_type: object = _MISSING, other_bone_mets: object = _MISSING,
                    visceral_mets: object = _MISSING, interval_months: object = _MISSING,
                    ambulatory: object = _MISSING, motor_deficit_days: object = _MISSING) -> RadesTwoMonthResult:
    """Rades score for death within 2 months of radiotherapy for MSCC, 6–25; higher is worse.

    ``ecog`` 2, 3 or 4 (the table has no row for 0–1); ``tumour_type`` a row of
    :data:`RADES_TUMOUR_TYPES` or a clinical name for one ("NSCLC", "multiple myeloma"; other named
    cancers score as "other" and the result says so); ``other_bone_mets``, ``visceral_mets``, ``ambulatory`` bools;
    ``interval_months`` from cancer diagnosis to MSCC (≤ 15 → 3 points, > 15 → 1);
    ``motor_deficit_days`` over which the motor deficits developed (≤ 7 → 4, > 7 → 1).

    >>> rades_two_month(ecog=3, tumour_type="lung", other_bone_mets=True, visceral_mets=True,
    ...                 interval_months=4, ambulatory=False, motor_deficit_days=3).total
    25
    """
    if isinstance(ecog, bool) or ecog not in (2, 3, 4) or not isinstance(ecog, numbers.Integral):
        _fail("ecog", ecog, "2, 3, 4 (the score's table has rows for ECOG 2 and 3–4 only; it was not built "
                            "for ECOG 0–1)")
    term = _vocabulary.lookup("rades_two_month", tumour_type, field="tumour_type")
    site = term.category
    interval = _number("interval_months", interval_months, low=0, example="15")
    days = _number("motor_deficit_days", motor_deficit_days, low=0, example="5")
    chosen = {
        "ecog": "2" if ecog == 2 else "3-4",
        "tumour_type": site,
        "other_bone_mets": _yes(_flag("other_bone_mets", other_bone_mets)),
        "visceral_mets": _yes(_flag("visceral_mets", visceral_mets)),
        "interval_to_mscc": "<=15 months" if interval <= 15 else ">15 months",
        "ambulatory": _yes(_flag("ambulatory", ambulatory)),
        "motor_deficit_onset": "<=7 days" if days <= 7 else ">7 days",
    }
    components = {item: RADES_TWO_MONTH_TABLE[item][category] for item, category in chosen.items()}
    total = sum(components.values())
    band = next(b for b in _R["bands"] if b["low"] <= total <= b["high"])
    bsc = total >= RADES_TWO_MONTH_THRESHOLD
    shown = {"<=15 months": "≤ 15 months", ">15 months": "> 15 months", "<=7 days": "≤ 7 days",
             ">7 days": "> 7 days", "myeloma_or_lymphoma": "myeloma or lymphoma", "3-4": "3–4"}
    parts = " + ".join(f"{_RADES_LABELS[item]} {shown.get(chosen[item], chosen[item])} {points}"
                       for item, points in components.items())
    perf = _R["performance"]
    explanation = (
        f"Rades 2-month score {total} of 6–25 = {parts}. "
        + ("19 or more: best supportive care may be more appropriate than aggressive treatment. " if bsc else
           "Below 19: the score does not single out best supportive care. ")
        + f"Higher is worse (the opposite of the 2008 survival score). Sensitivity {perf['sensitivity']:.0%}, "
        f"specificity {perf['specificity']:.0%}, negative predictive value {perf['negative_predictive_value']:.0%} "
        f"({_ay('rades_bsc')}; table from one source, citation details unverified)."
    )
    caveats = ((term.note,) if term.others and term.note else ()) + (
        "Table read from one calculator site [V1]; the paper's citation details are unverified [M].",
        f"A score informs the conversation and the plan; it does not decide them ({_ay('nice_ng234_review_l')}).",
    )
    return RadesTwoMonthResult(total=total, band=band["label"], best_supportive_care_considered=bsc,
                               components=components, explanation=explanation, caveats=caveats,
                               source=_sources(_R["source"]))


# ----------------------------------------------------------------------------------------------
# Display helpers
# ----------------------------------------------------------------------------------------------
PUBLISHED_C_STATISTIC: Final[dict[str, float]] = dict(_DATA["schoenfeld2022_c_statistic"]["c"])

_TABLES: Final[dict[str, dict[str, Any]]] = {
    "katagiri": KATAGIRI_TABLE,
    "nesms": {k: {"yes": v, "no": 0} for k, v in NESMS_TABLE.items()},
    "rades_two_month": RADES_TWO_MONTH_TABLE,
}
_ITEM_NAMES: Final[dict[str, dict[str, str]]] = {
    "katagiri": _KATAGIRI_LABELS,
    "nesms": {"modified_bauer_3_or_more": "modified Bauer 3 or more", "independent_ambulation":
              "independent ambulation", "albumin_35_g_l_or_more": "albumin 35 g/L (3.5 g/dL) or more"},
    "rades_two_month": _RADES_LABELS,
}


def prognosis_table_rows(score_name: object) -> list[tuple[str, str, int]]:
    """The point table of a score as readable rows (item, category, points), in table order.

    ``score_name`` ∈ {"katagiri", "nesms", "rades_two_month"}.
    """
    name = _choice("score_name", score_name, _TABLES)
    labels = _ITEM_NAMES[name]
    nice = {"<=15 months": "15 months or less", ">15 months": "more than 15 months", "<=7 days": "7 days or less",
            ">7 days": "more than 7 days", "myeloma_or_lymphoma": "myeloma or lymphoma", "3-4": "3–4"}
    return [(labels[item], nice.get(cat, cat), points)
            for item, cats in _TABLES[name].items() for cat, points in cats.items()]
