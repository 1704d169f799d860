"""Clinical scores and decision aids for spinal metastases, as taught in the course.

**Educational use only — not for clinical decisions.**

Every number here comes from the course's clinical reference (``clinical-reference.md``), whose
section 13 is the interface contract these functions follow. Each calculator

* takes keyword arguments only, with the contract's names and spellings;
* validates every input against a closed vocabulary: an unknown category, a wrong type (``True`` is
  not an integer, ``"3"`` is not a count), an out-of-range number or a missing field raises
  :class:`ValueError` whose message names the field and lists the accepted values — nothing is
  silently scored 0;
* returns a frozen dataclass with the contract's fields plus ``components`` (component → points, in
  table order), ``explanation`` (one line a student can read) and ``source`` (the citation).

Spellings are exact and case-sensitive (``"T12"``, not ``"t12"``; Frankel ``"A"``, not ``"a"``): the
error message then suggests the right spelling. The one exception is the clinical names of primary
sites and histologies (Tokuhashi, Bauer, NOMS): clinicians' names ("RCC", "Non-small-cell lung
cancer") are read case- and punctuation-insensitively through :mod:`course.vocabulary`, one table per
score, and an unknown or ambiguous name is refused. The point tables are plain module-level dicts so a
notebook can render them (see :func:`table_rows`).

Conventions this module decides (each is taught, and exposed as a constant or helper):

* SINS "exactly 50 % collapse": the table only says "<50 %" / ">50 %"; :func:`collapse_category`
  maps a measured percentage with **≥ 50 % → "gt50"** (:data:`SINS_COLLAPSE_THRESHOLD_PERCENT`).
* ESCC 1c is **not** high grade (binary rule high = {2, 3}); the explanation mentions the controversy.
* Revised Tokuhashi: a primary site is read through the score's closed vocabulary; "others" (2) only
  for "other" or for a name the literal table puts there (colon — only rectum is named —, melanoma,
  haematological disease), always flagged in ``caveats``; unknown or ambiguous names are refused.
* Tomita (and Katagiri) take the growth group, never an organ name: the same organ can sit in two
  groups, so the caller decides.
* NOMS: SINS ≥ 13 means unstable, 0–6 stable; 7–12 is indeterminate and needs an explicit
  ``mechanically_unstable``. A patient who is unstable *and* cannot tolerate surgery gets the
  radiation-alone decision with ``individualized=True`` and caveats (the contract's decision
  vocabulary has no "individualized" value).
* Radiobiology: linear-quadratic model without time factor; results rounded half-up to 2 decimals.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Iterable, Mapping, NamedTuple, NoReturn, TypeVar

from course import datasets as _datasets
from course import labels as _labels
from course import vocabulary as _vocabulary

__all__ = [
    # scores
    "sins", "revised_tokuhashi", "tomita", "escc", "noms", "bauer", "modified_bauer",
    "bed_eqd2", "cord_pmax_check", "corrected_calcium",
    # descriptions and conversions
    "frankel", "asia", "kps_description", "ecog_description", "kps_to_ecog", "ecog_to_kps_range",
    # helpers
    "collapse_category", "table_rows", "round_half_up",
    # tables
    "SINS_TABLE", "SINS_DEFINITIONS", "SINS_BANDS", "SINS_LEVEL_LOCATION", "SINS_LEVELS",
    "SINS_COLLAPSE_THRESHOLD_PERCENT",
    "TOKUHASHI_TABLE", "TOKUHASHI_SITE_ALIASES", "TOKUHASHI_BANDS",
    "TOMITA_TABLE", "TOMITA_BANDS",
    "ESCC_GRADES", "ESCC_HIGH_GRADES", "ESCC_FINDINGS",
    "RADIOSENSITIVITY_LISTS", "NOMS_HISTOLOGY_RADIOSENSITIVITY", "NOMS_DECISIONS", "NOMS_DECISION_TABLE",
    "BAUER_ITEMS", "BAUER_PRIMARY_SITES", "BAUER_BANDS", "MODIFIED_BAUER_BANDS",
    "FRANKEL_GRADES", "ASIA_GRADES", "KPS_DESCRIPTIONS", "ECOG_DESCRIPTIONS", "KPS_ECOG_MAPPINGS",
    "SAHGAL_PMAX", "CORD_ALPHA_BETA_GY", "CALCIUM_CATEGORIES", "REFERENCE_KEYS",
    # result types
    "SinsResult", "TokuhashiResult", "TomitaResult", "EsccResult", "NomsResult", "NomsRule",
    "BauerResult", "BedEqd2", "BedEqd2Result", "CordPmaxResult", "CorrectedCalciumResult",
    "GradeDescription", "PerformanceDescription", "EcogEstimate", "KpsRange", "TableRow",
]
__all__ += ["isncsci"]  # re-exported from course/isncsci.py (ISNCSCI 2019 classification)
from course.isncsci import isncsci  # noqa: E402
from course.prognosis_scores import katagiri, katagiri_laboratory, nesms, rades_two_month  # noqa: E402  module 05a
__all__ += ["katagiri", "katagiri_laboratory", "nesms", "rades_two_month"]

T = TypeVar("T")


# ----------------------------------------------------------------------------------------------
# Validation: one helper builds every error message
# ----------------------------------------------------------------------------------------------
class _Missing:
    """Sentinel default for required keyword arguments (so a missing field is a ValueError)."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Final = _Missing()


def _show(options: Iterable[object]) -> str:
    return ", ".join(repr(option) for option in options)


def _fail(field: str, value: object, accepted: str, hint: str = "") -> NoReturn:
    """Raise the module's standard error: the field, the bad value, the accepted values."""
    problem = f"{field} is missing" if value is _MISSING else f"{field}={value!r} is not accepted"
    raise ValueError(f"{problem}; accepted values: {accepted}{hint}")


def _same_kind(value: object, option: object) -> bool:
    """Whether ``value`` may be compared with ``option``: bool ≠ int ≠ str, any integer type is int."""
    if isinstance(option, bool) or isinstance(value, bool):
        return isinstance(option, bool) and isinstance(value, bool)
    if isinstance(option, numbers.Integral):
        return isinstance(value, numbers.Integral)
    return type(value) is type(option)


def _choice(field: str, value: object, accepted: Iterable[T], *, note: str = "") -> T:
    """Return the accepted option equal to ``value`` (same kind), else raise a ValueError.

    The message names ``field``, lists ``accepted`` and, when the value differs only in case or
    type (``"t12"``, ``2`` for ``"2"``), suggests the right spelling.
    """
    options = tuple(accepted)
    for option in options:
        if _same_kind(value, option) and value == option:
            return option
    hint = ""
    if value is not _MISSING:
        near = [o for o in options if str(o).lower() == str(value).lower()]
        if near:
            hint = f" (did you mean {near[0]!r}?)"
    _fail(field, value, _show(options) + (f" {note}" if note else ""), hint)


def _number(field: str, value: object, *, low: float, high: float | None = None,
            low_inclusive: bool = False, example: str) -> float:
    """A finite real number (not bool) with ``value > low`` (or ``≥``) and ``value ≤ high``."""
    lower = f"≥ {low:g}" if low_inclusive else f"> {low:g}"
    accepted = f"a finite number {lower}" + (f" and ≤ {high:g}" if high is not None else "")
    accepted += f" (e.g. {example})"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        _fail(field, value, accepted)
    too_low = value < low if low_inclusive else value <= low
    if too_low or (high is not None and value > high):
        _fail(field, value, accepted)
    return value


def _count(field: str, value: object, *, minimum: int) -> int:
    """A whole number (an int, not bool, not a string) of at least ``minimum``."""
    accepted = f"an integer ≥ {minimum} (e.g. {minimum}, {minimum + 1}, {minimum + 2})"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        _fail(field, value, accepted)
    return int(value)


def _flag(field: str, value: object) -> bool:
    """A real bool (``1`` and ``"yes"`` are refused)."""
    return _choice(field, value, (True, False))


class _Band(NamedTuple):
    low: int
    high: int
    label: str
    meaning: str


def _band(bands: Iterable[_Band], total: int) -> _Band:
    for band in bands:
        if band.low <= total <= band.high:
            return band
    raise AssertionError(f"total {total} outside every band")  # unreachable for valid inputs


def _sum_line(name: str, total: int, components: Mapping[str, int], labels: Mapping[str, str]) -> str:
    """'SINS 11 = location 3 + pain 3 + …' from the component dict (in table order)."""
    parts = " + ".join(f"{labels.get(key, key.replace('_', ' '))} {points}"
                       for key, points in components.items())
    return f"{name} {total} = {parts}"


# ----------------------------------------------------------------------------------------------
# Rounding
# ----------------------------------------------------------------------------------------------
_CENT: Final = Decimal("0.01")


def _dec(x: float | Decimal) -> Decimal:
    """The decimal a student typed: ``Decimal(str(x))`` (so 0.1 is 0.1, not 0.1000000000000000055…)."""
    return x if isinstance(x, Decimal) else Decimal(str(x))


def round_half_up(x: float | Decimal) -> float:
    """Round half-up (away from zero at .5) to 2 decimals: 46.875 → 46.88, 44.625 → 44.63.

    Python's ``round`` rounds half to even on the binary float; here the value is first read as the
    decimal it prints as (``Decimal(str(x))``), then rounded with ``ROUND_HALF_UP``.
    """
    return float(_dec(x).quantize(_CENT, rounding=ROUND_HALF_UP))


# ----------------------------------------------------------------------------------------------
# Result types
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SinsResult:
    """SINS total, band and per-component points."""

    total: int
    category: str  # stable | potentially_unstable | unstable
    surgical_consultation_recommended: bool
    location: str
    level: str | None
    components: dict[str, int]
    explanation: str
    source: str


@dataclass(frozen=True)
class TokuhashiResult:
    """Revised Tokuhashi total, predicted prognosis and Tokuhashi's treatment guidance."""

    total: int
    prognosis: str  # "<6 months" | ">=6 months" | ">=1 year"
    treatment_guidance: str
    primary_site_group: str  # the table row the primary site was scored as
    components: dict[str, int]
    explanation: str
    caveats: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class TomitaResult:
    """Tomita total, treatment goal and surgical strategy."""

    total: int
    treatment_goal: str
    goal: str
    components: dict[str, int]
    explanation: str
    caveats: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class EsccResult:
    """Bilsky ESCC grade. ``components`` holds the axial T2 findings that define the grade."""

    grade: str
    high_grade: bool
    definition: str
    rank: int  # ordinal 0–5 for sorting only; grades are labels, not numbers
    components: dict[str, bool]
    explanation: str
    caveats: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class NomsResult:
    """NOMS decision with its rationale; ``components`` holds the N, O, M and S assessments."""

    decision: str
    rationale: str
    rule: str  # the decision-table row that applied
    individualized: bool
    radiosensitivity: str
    radiosensitivity_basis: str  # "explicit" or the histology list it came from
    mechanically_unstable: bool
    components: dict[str, str]
    explanation: str
    caveats: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class BauerResult:
    """Bauer (``version="original"``, 0–5) or modified Bauer (``"modified"``, 0–4); higher is better."""

    version: str
    total: int
    prognosis: str
    recommendation: str
    components: dict[str, int]
    explanation: str
    caveats: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class BedEqd2:
    """BED and EQD2 in Gy for one α/β, rounded half-up to 2 decimals."""

    BED: float
    EQD2: float


@dataclass(frozen=True)
class BedEqd2Result:
    """BED/EQD2 of one schedule for each α/β; ``by_alpha_beta[10].BED`` etc."""

    total_dose_gy: float
    fractions: int
    dose_per_fraction_gy: float  # rounded half-up to 2 decimals (display only)
    by_alpha_beta: dict[float, BedEqd2]
    components: dict[str, float]
    explanation: str
    source: str


@dataclass(frozen=True)
class CordPmaxResult:
    """Thecal-sac point maximum against the Sahgal 2013 limit for 1–5 fractions."""

    dose_gy: float
    fractions: int
    limit_gy: float
    within_limit: bool
    eqd2_gy: float  # EQD2 of dose_gy, α/β 2 Gy
    limit_eqd2_gy: float  # EQD2 of the limit, α/β 2 Gy
    components: dict[str, float]
    explanation: str
    caveats: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class CorrectedCalciumResult:
    """Albumin-corrected calcium (Payne) and its teaching category."""

    corrected_mmol_l: float
    category: str  # hypocalcaemia | normal | hypercalcaemia | severe_hypercalcaemia
    components: dict[str, float]
    explanation: str
    caveats: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class GradeDescription:
    """One grade of a neurological scale (Frankel or ASIA)."""

    scale: str
    grade: str
    name: str
    definition: str
    explanation: str
    source: str


@dataclass(frozen=True)
class PerformanceDescription:
    """One level of a performance scale (KPS or ECOG)."""

    scale: str
    value: int
    description: str
    explanation: str
    source: str


@dataclass(frozen=True)
class EcogEstimate:
    """ECOG grade(s) whose KPS range, in the chosen mapping, contains ``kps``.

    ``ecog`` is ``None`` when the mapping is ambiguous (mapping C overlaps at KPS 50 and 70);
    ``ecog_options`` then lists every candidate.
    """

    kps: int
    ecog: int | None
    ecog_options: tuple[int, ...]
    mapping: str
    explanation: str
    source: str


@dataclass(frozen=True)
class KpsRange:
    """The KPS range that the chosen mapping gives for one ECOG grade."""

    ecog: int
    kps_low: int
    kps_high: int
    mapping: str
    explanation: str
    source: str


class TableRow(NamedTuple):
    """One row of a point table, for display: ``(component, category, points)``."""

    component: str
    category: str
    points: int


# ----------------------------------------------------------------------------------------------
# 1. SINS — Spinal Instability Neoplastic Score
# ----------------------------------------------------------------------------------------------
SINS_SOURCE: Final = (
    "Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal instability "
    "in neoplastic disease: an evidence-based approach and expert consensus from the Spine Oncology "
    "Study Group. Spine (Phila Pa 1976). 2010;35(22):E1221–E1229. doi:10.1097/BRS.0b013e3181e16ae2. "
    "Bands 0–6 / 7–12 / 13–18: the same paper (Fisher 2010; used by Fourney et al., J Clin Oncol 2011); "
    "reliability among radiation oncologists: Fisher CG et al. Radiat Oncol. 2014;9:69."
)

#: SINS points, component → category → points (Fisher 2010). Total 0–18; higher = less stable.
SINS_TABLE: Final[dict[str, dict[str, int]]] = {
    "location": {"junctional": 3, "mobile": 2, "semirigid": 1, "rigid": 0},
    "pain": {"mechanical": 3, "occasional_nonmechanical": 1, "pain_free": 0},
    "bone_lesion": {"lytic": 2, "mixed": 1, "blastic": 0},
    "alignment": {"subluxation_translation": 4, "de_novo_deformity": 2, "normal": 0},
    "collapse": {"gt50": 3, "lt50": 2, "no_collapse_gt50_involved": 1, "none": 0},
    "posterolateral": {"bilateral": 3, "unilateral": 1, "none": 0},
}

#: What each SINS category means, in the table's words (Fisher 2010).
SINS_DEFINITIONS: Final[dict[str, dict[str, str]]] = {
    "location": {
        "junctional": "Junctional (occiput–C2, C7–T2, T11–L1, L5–S1)",
        "mobile": "Mobile spine (C3–C6, L2–L4)",
        "semirigid": "Semirigid (T3–T10)",
        "rigid": "Rigid (S2–S5)",
    },
    "pain": {
        "mechanical": "Mechanical pain: relieved by lying down and/or worse with movement or loading",
        "occasional_nonmechanical": "Occasional pain, not mechanical",
        "pain_free": "Pain-free lesion",
    },
    "bone_lesion": {"lytic": "Lytic", "mixed": "Mixed lytic/blastic", "blastic": "Blastic"},
    "alignment": {
        "subluxation_translation": "Subluxation or translation present",
        "de_novo_deformity": "De novo deformity (kyphosis or scoliosis)",
        "normal": "Normal alignment",
    },
    "collapse": {
        "gt50": "More than 50 % collapse (course convention: exactly 50 % counts here)",
        "lt50": "Less than 50 % collapse",
        "no_collapse_gt50_involved": "No collapse, but more than 50 % of the body involved",
        "none": "None of the above",
    },
    "posterolateral": {
        "bilateral": "Bilateral facet, pedicle or costovertebral joint fracture or tumour replacement",
        "unilateral": "Unilateral",
        "none": "None of the above",
    },
}

#: SINS bands (Fisher 2010; tested for reliability in Fourney 2011 and Fisher 2014): 0–6 stable,
#: 7–12 potentially unstable, 13–18 unstable.
SINS_BANDS: Final = (
    _Band(0, 6, "stable", "stable"),
    _Band(7, 12, "potentially_unstable", "potentially unstable"),
    _Band(13, 18, "unstable", "unstable"),
)
SINS_CONSULTATION_THRESHOLD: Final = 7  # total ≥ 7 → surgical consultation recommended

#: Spinal level → SINS location, from ``course/data/spine.yaml`` (junctional Oc–C2, C7–T2, T11–L1,
#: L5–S1; mobile C3–C6, L2–L4; semirigid T3–T10; rigid S2–S5). The coccyx is not covered by SINS
#: (an error, not "rigid"); the calculator tests check every level against the published classes.
SINS_LEVEL_LOCATION: Final[dict[str, str]] = {
    lv.name: lv.sins_location for lv in _datasets.levels() if lv.sins_location is not None
}
_SPINE_LEVELS: Final = tuple(SINS_LEVEL_LOCATION)
SINS_LEVELS: Final = _SPINE_LEVELS

#: Course convention for a measured collapse of exactly 50 %: it scores as ">50 %" ("gt50").
SINS_COLLAPSE_THRESHOLD_PERCENT: Final = 50

_SINS_LABELS: Final = {"bone_lesion": "bone lesion"}


def collapse_category(percent_collapse: float, body_involved_gt50: bool) -> str:
    """SINS collapse category from a measured height loss, with the course's 50 % convention.

    The table distinguishes "<50 %" and ">50 %" but does not say where exactly 50 % belongs; the
    course counts **≥ 50 % as "gt50"** (the worse category). Without collapse (0 %), the category
    depends on whether more than half of the vertebral body is involved by tumour.

    >>> collapse_category(50, False), collapse_category(20, False), collapse_category(0, True)
    ('gt50', 'lt50', 'no_collapse_gt50_involved')
    """
    percent = _number("percent_collapse", percent_collapse, low=0, high=100, low_inclusive=True,
                      example="0, 30 or 60")
    involved = _flag("body_involved_gt50", body_involved_gt50)
    if percent >= SINS_COLLAPSE_THRESHOLD_PERCENT:
        return "gt50"
    if percent > 0:
        return "lt50"
    return "no_collapse_gt50_involved" if involved else "none"


def sins(*, location: object = _MISSING, level: object = _MISSING, pain: object = _MISSING,
         bone_lesion: object = _MISSING, alignment: object = _MISSING, collapse: object = _MISSING,
         posterolateral: object = _MISSING) -> SinsResult:
    """Spinal Instability Neoplastic Score (Fisher 2010), total 0–18.

    Give either ``location`` (junctional, mobile, semirigid, rigid) or ``level`` ("Oc", "C1"–"C7",
    "T1"–"T12", "L1"–"L5", "S1"–"S5"; exact spelling, the coccyx is refused), not both. For a
    measured collapse percentage use :func:`collapse_category` first.

    >>> r = sins(level="T12", pain="mechanical", bone_lesion="lytic", alignment="normal",
    ...          collapse="lt50", posterolateral="unilateral")
    >>> r.total, r.category, r.surgical_consultation_recommended
    (11, 'potentially_unstable', True)
    """
    if location is not _MISSING and level is not _MISSING:
        raise ValueError(
            f"give location or level, not both (got location={location!r}, level={level!r}); "
            f"accepted values: location in {_show(SINS_TABLE['location'])}, "
            f"or level in {_show(SINS_LEVELS)}"
        )
    given_level: str | None = None
    if level is not _MISSING:
        given_level = _choice("level", level, SINS_LEVELS,
                              note="(the coccyx is not covered by SINS)")
        location = SINS_LEVEL_LOCATION[given_level]
    chosen = {
        "location": _choice("location", location, SINS_TABLE["location"],
                            note=f"(or give level= one of {_show(SINS_LEVELS)})"),
        "pain": _choice("pain", pain, SINS_TABLE["pain"]),
        "bone_lesion": _choice("bone_lesion", bone_lesion, SINS_TABLE["bone_lesion"]),
        "alignment": _choice("alignment", alignment, SINS_TABLE["alignment"]),
        "collapse": _choice("collapse", collapse, SINS_TABLE["collapse"]),
        "posterolateral": _choice("posterolateral", posterolateral, SINS_TABLE["posterolateral"]),
    }
    components = {component: SINS_TABLE[component][category] for component, category in chosen.items()}
    total = sum(components.values())
    band = _band(SINS_BANDS, total)
    consult = total >= SINS_CONSULTATION_THRESHOLD
    where = f" ({given_level})" if given_level else ""
    explanation = (
        _sum_line("SINS", total, components, _SINS_LABELS).replace("location", f"location{where}", 1)
        + f": {band.meaning} ({band.low}–{band.high}); "
        + ("surgical consultation recommended" if consult else "no surgical consultation needed for stability")
    )
    return SinsResult(total=total, category=band.label, surgical_consultation_recommended=consult,
                      location=chosen["location"], level=given_level, components=components,
                      explanation=explanation, source=SINS_SOURCE)


# ----------------------------------------------------------------------------------------------
# 2. Bilsky ESCC scale
# ----------------------------------------------------------------------------------------------
ESCC_SOURCE: Final = (
    "Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural spinal cord "
    "compression scale. J Neurosurg Spine. 2010;13(3):324–328. doi:10.3171/2010.3.SPINE09459."
)

#: ESCC grade → definition, graded on axial T2 MRI at the level of worst compression (Bilsky 2010).
#: Grades are labels (strings), not numbers; the dict order is the ordinal rank.
ESCC_GRADES: Final[dict[str, str]] = {
    "0": "Bone-only disease, no epidural extension",
    "1a": "Epidural impingement, no deformation of the thecal sac",
    "1b": "Deformation of the thecal sac, no spinal cord abutment",
    "1c": "Deformation of the thecal sac with spinal cord abutment, but no cord compression",
    "2": "Spinal cord compression, CSF visible around the cord",
    "3": "Spinal cord compression, no CSF visible around the cord",
}
#: Course binary rule: high grade = 2 and 3 (so 1c is *not* high grade; 1c is disputed).
ESCC_HIGH_GRADES: Final = frozenset({"2", "3"})

#: The axial T2 findings, in the order each one implies the one before it.
ESCC_FINDINGS: Final = ("epidural_disease", "thecal_sac_deformed", "cord_abutment", "cord_compressed",
                        "csf_visible_around_cord")

# grade → the finding pattern that defines it. CSF stays visible around the cord unless the cord
# is compressed, so "no CSF visible" without compression is a contradiction.
_ESCC_PATTERNS: Final[dict[str, tuple[bool, bool, bool, bool, bool]]] = {
    "0": (False, False, False, False, True),
    "1a": (True, False, False, False, True),
    "1b": (True, True, False, False, True),
    "1c": (True, True, True, False, True),
    "2": (True, True, True, True, True),
    "3": (True, True, True, True, False),
}
_ESCC_1C_NOTE: Final = (
    "grade 1c is disputed: implementations call it low grade, Radiopaedia calls the role of "
    "surgery or radiosurgery in 1c controversial"
)


def _escc_contradiction(findings: dict[str, bool]) -> NoReturn:
    implications = (
        ("thecal_sac_deformed", "epidural_disease", "the sac is deformed by epidural disease"),
        ("cord_abutment", "thecal_sac_deformed", "abutment requires a deformed thecal sac"),
        ("cord_compressed", "cord_abutment", "a compressed cord is also abutted"),
    )
    for finding, needs, why in implications:
        if findings[finding] and not findings[needs]:
            raise ValueError(f"contradictory ESCC findings: {finding}=True needs {needs}=True ({why}); "
                             f"accepted values: the patterns {_show(_ESCC_PATTERNS.values())} "
                             f"in the order {', '.join(ESCC_FINDINGS)}")
    raise ValueError("contradictory ESCC findings: csf_visible_around_cord=False needs "
                     "cord_compressed=True (CSF disappears only when the cord is compressed); "
                     f"accepted values: csf_visible_around_cord={_show((True,))} unless cord_compressed=True")


def escc(*, grade: object = _MISSING, epidural_disease: object = _MISSING,
         thecal_sac_deformed: object = _MISSING, cord_abutment: object = _MISSING,
         cord_compressed: object = _MISSING, csf_visible_around_cord: object = _MISSING) -> EsccResult:
    """Bilsky epidural spinal cord compression grade, from ``grade=`` or from the axial T2 findings.

    Either ``grade`` ("0", "1a", "1b", "1c", "2", "3" — strings) or all five findings as bools.
    Each finding implies the previous one (a deformed sac implies epidural disease, abutment a
    deformed sac, compression abutment) and CSF can only be lost around a compressed cord, so
    6 of the 32 combinations are valid and the rest raise ``ValueError``.

    >>> escc(grade="1c").high_grade
    False
    >>> escc(epidural_disease=True, thecal_sac_deformed=True, cord_abutment=True,
    ...      cord_compressed=True, csf_visible_around_cord=False).grade
    '3'
    """
    values = dict(zip(ESCC_FINDINGS, (epidural_disease, thecal_sac_deformed, cord_abutment,
                                      cord_compressed, csf_visible_around_cord)))
    given = [name for name, value in values.items() if value is not _MISSING]
    if grade is not _MISSING and given:
        raise ValueError(f"give grade or the findings, not both (got grade={grade!r} and {', '.join(given)}); "
                         f"accepted values: grade in {_show(ESCC_GRADES)}, or all of {', '.join(ESCC_FINDINGS)}")
    if grade is _MISSING and given:
        findings = {name: _flag(name, value) for name, value in values.items()}
        pattern = tuple(findings.values())
        matches = [g for g, p in _ESCC_PATTERNS.items() if p == pattern]
        if not matches:
            _escc_contradiction(findings)
        chosen = matches[0]
    else:
        chosen = _choice("grade", grade, ESCC_GRADES,
                         note=f"(grades are strings; or give the findings {', '.join(ESCC_FINDINGS)})")
    high = chosen in ESCC_HIGH_GRADES
    caveats = (_ESCC_1C_NOTE,) if chosen == "1c" else ()
    explanation = (f"ESCC grade {chosen}: {ESCC_GRADES[chosen][0].lower() + ESCC_GRADES[chosen][1:]}; "
                   + ("high grade (2–3)" if high else "not high grade (high = 2 or 3)")
                   + (f"; note: {_ESCC_1C_NOTE}" if caveats else ""))
    return EsccResult(grade=chosen, high_grade=high, definition=ESCC_GRADES[chosen],
                      rank=list(ESCC_GRADES).index(chosen),
                      components=dict(zip(ESCC_FINDINGS, _ESCC_PATTERNS[chosen])),
                      explanation=explanation, caveats=caveats, source=ESCC_SOURCE)


# ----------------------------------------------------------------------------------------------
# 3. NOMS framework
# ----------------------------------------------------------------------------------------------
NOMS_SOURCE: Final = (
    "Laufer I, Rubin DG, Lis E, et al. The NOMS framework: approach to the treatment of spinal "
    "metastatic tumors. Oncologist. 2013;18(6):744–751. doi:10.1634/theoncologist.2012-0293."
)

#: Three published radiosensitivity lists, which disagree (NSCLC and thyroid, breast and prostate).
#: Loaded from ``course/data/radiosensitivity.yaml`` (one copy of the data, with its sources); keyed by
#: each list's label, the NOMS list first. Histology keys: "nsclc" = non-small-cell lung cancer, etc.
RADIOSENSITIVITY_LISTS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    entry["label"]: {cls: tuple(entry.get(cls, ())) for cls in ("radiosensitive", "radioresistant", "intermediate")
                     if entry.get(cls)}
    for entry in _datasets.radiosensitivity_lists().values()
}
_NOMS_LIST_NAME: Final = next(iter(RADIOSENSITIVITY_LISTS))

#: Histology → radiosensitivity, from the NOMS list (the one :func:`noms` uses for a suggestion).
NOMS_HISTOLOGY_RADIOSENSITIVITY: Final[dict[str, str]] = {
    histology: sensitivity
    for sensitivity, histologies in RADIOSENSITIVITY_LISTS[_NOMS_LIST_NAME].items()
    for histology in histologies
}

#: The contract's decision vocabulary.
NOMS_DECISIONS: Final = ("cEBRT", "SRS", "stabilization_then_cEBRT", "stabilization_then_SRS",
                         "separation_surgery_then_SRS")
#: The decisions in words, for explanations a student reads (the codes are the contract's, not prose).
_NOMS_DECISION_WORDS: Final = {
    "cEBRT": "conventional radiotherapy (cEBRT)", "SRS": "stereotactic radiosurgery (SRS)",
    "stabilization_then_cEBRT": "stabilisation, then conventional radiotherapy",
    "stabilization_then_SRS": "stabilisation, then stereotactic radiosurgery",
    "separation_surgery_then_SRS": "separation surgery, then stereotactic radiosurgery",
}


class NomsRule(NamedTuple):
    """One row of the NOMS decision table; "any" matches everything."""

    neurologic: str  # low_grade | high_grade | any
    oncologic: str  # radiosensitive | radioresistant | any
    mechanical: str  # stable | unstable | any
    systemic: str  # able | unable | any   (able to tolerate surgery)
    decision: str  # one of NOMS_DECISIONS, or "individualized"
    note: str


#: NOMS decision table (clinical reference, section 3); the first matching row applies.
NOMS_DECISION_TABLE: Final = (
    NomsRule("low_grade", "radiosensitive", "stable", "any", "cEBRT",
             "radiosensitive tumour without instability: conventional radiotherapy"),
    NomsRule("low_grade", "radiosensitive", "unstable", "able", "stabilization_then_cEBRT",
             "instability is treated first by stabilization, then conventional radiotherapy"),
    NomsRule("low_grade", "radioresistant", "stable", "any", "SRS",
             "radioresistant tumour without high-grade compression: high-dose stereotactic radiosurgery"),
    NomsRule("low_grade", "radioresistant", "unstable", "able", "stabilization_then_SRS",
             "instability is treated first by stabilization, then stereotactic radiosurgery"),
    NomsRule("high_grade", "radiosensitive", "stable", "any", "cEBRT",
             "radiosensitive tumours respond to conventional radiotherapy even with high-grade compression"),
    NomsRule("high_grade", "radiosensitive", "unstable", "able", "stabilization_then_cEBRT",
             "stabilization first, then conventional radiotherapy (the tumour is radiosensitive)"),
    NomsRule("high_grade", "radioresistant", "any", "able", "separation_surgery_then_SRS",
             "separation surgery (decompression + posterior instrumentation) creates a 2–3 mm CSF "
             "margin around the cord so that ablative SRS can follow"),
    NomsRule("high_grade", "radioresistant", "stable", "unable", "cEBRT",
             "palliative conventional radiotherapy because surgery cannot be tolerated — UNVERIFIED "
             "row: it rests on one implementation, not on the NOMS paper's own table"),
    NomsRule("any", "any", "unstable", "unable", "individualized",
             "unstable spine but open surgery cannot be tolerated: individualized care"),
)
_UNVERIFIED_RULE: Final = NOMS_DECISION_TABLE[7]


def _histology_name(code: str) -> str:
    """A histology code as a student reads it ("nsclc" → "non-small-cell lung cancer")."""
    names = _labels.labels("histology")
    return names[code][0].lower() + names[code][1:] if code in names else code


def _rule_matches(rule: NomsRule, neurologic: str, oncologic: str, mechanical: str, systemic: str) -> bool:
    return all(want in ("any", have) for want, have in zip(rule[:4], (neurologic, oncologic, mechanical, systemic)))


def _describe_rule(rule: NomsRule) -> str:
    cells = [cell.replace("_", "-") for cell in rule[:4] if cell != "any"]
    return ", ".join(cells) + f" → {rule.decision}"


def noms(*, escc_grade: object = _MISSING, radiosensitivity: object = None,
         mechanically_unstable: object = None, able_to_tolerate_surgery: object = _MISSING,
         histology: object = None, sins_total: object = None) -> NomsResult:
    """NOMS decision (Laufer 2013) from the neurologic, oncologic, mechanical and systemic assessments.

    * ``escc_grade``: "0", "1a", "1b", "1c", "2", "3" (high grade = 2, 3).
    * ``radiosensitivity``: "radiosensitive" or "radioresistant". May be left out if ``histology``
      is one the NOMS list classifies (:data:`NOMS_HISTOLOGY_RADIOSENSITIVITY`); an explicit value
      always wins, and a disagreement with the list is reported in ``caveats``.
    * ``histology``: a histology key or a clinical name ("multiple myeloma", "renal cell carcinoma",
      "NSCLC"…), case- and punctuation-insensitive (:mod:`course.vocabulary`). With an explicit
      ``radiosensitivity`` any known histology is accepted as information (e.g. "SCLC", which no
      list classifies); an unknown or ambiguous name ("lung": NSCLC or SCLC?) raises ``ValueError``.
    * ``mechanically_unstable``: bool. May be left out if ``sins_total`` settles it (SINS ≥ 13 →
      unstable, 0–6 → stable); with SINS 7–12 (indeterminate, surgical consultation) it is required.
      An explicit value that contradicts SINS 0–6 or ≥ 13 raises ``ValueError``.
    * ``able_to_tolerate_surgery``: bool, always required (the S of NOMS).

    Unstable + cannot tolerate surgery has no decision of its own in the contract's vocabulary:
    the result is the radiation-alone decision (cEBRT if radiosensitive or high grade, else SRS)
    with ``individualized=True`` and caveats saying that stabilization is not possible and that
    percutaneous cement augmentation may be considered.
    """
    grade = _choice("escc_grade", escc_grade, ESCC_GRADES)
    high = grade in ESCC_HIGH_GRADES
    caveats: list[str] = []

    suggested: str | None = None
    if histology is not None:
        term = _vocabulary.lookup("noms", histology, field="histology")
        if term.info_only:
            if radiosensitivity is None:
                _fail("radiosensitivity", _MISSING, _show(("radiosensitive", "radioresistant")),
                      f" ({term.note}: histology={histology!r} is information only, so say which it is)")
            caveats.append(f"histology {histology!r} recorded as information: {term.note}")
        else:
            histology = str(term.category)
            suggested = NOMS_HISTOLOGY_RADIOSENSITIVITY[histology]
    if radiosensitivity is None and suggested is not None:
        sensitivity, basis = suggested, _NOMS_LIST_NAME
        caveats.append(f"radiosensitivity of {_histology_name(histology)} taken from the {_NOMS_LIST_NAME}; "
                       "other lists disagree for some histologies (the published lists differ)")
    else:
        sensitivity = _choice("radiosensitivity", _MISSING if radiosensitivity is None else radiosensitivity,
                              ("radiosensitive", "radioresistant"),
                              note=f"(or give histology= a classified histology, e.g. "
                                   f"{_show(NOMS_HISTOLOGY_RADIOSENSITIVITY)})")
        basis = "explicit"
        if suggested is not None and suggested != sensitivity:
            caveats.append(f"the {_NOMS_LIST_NAME} calls {_histology_name(histology)} {suggested}; "
                           f"the radiosensitivity given ({sensitivity}) was used")

    sins_band: _Band | None = None
    if sins_total is not None:
        sins_total = _choice("sins_total", sins_total, range(0, 19))
        sins_band = _band(SINS_BANDS, sins_total)
    if mechanically_unstable is None:
        if sins_band is None or sins_band.label == "potentially_unstable":
            why = ("SINS 7–12 is indeterminate (surgical consultation), so say whether the spine is unstable"
                   if sins_band else "or give sins_total (≥ 13 unstable, 0–6 stable)")
            _fail("mechanically_unstable", _MISSING, f"{_show((True, False))} ({why})")
        unstable = sins_band.label == "unstable"
    else:
        unstable = _flag("mechanically_unstable", mechanically_unstable)
        if sins_band is not None and sins_band.label != "potentially_unstable" \
                and unstable != (sins_band.label == "unstable"):
            raise ValueError(
                f"mechanically_unstable={unstable!r} contradicts sins_total={sins_total} "
                f"({sins_band.meaning}); accepted values: mechanically_unstable="
                f"{sins_band.label == 'unstable'!r} for SINS {sins_band.low}–{sins_band.high}, "
                "either value for SINS 7–12")
    if sins_band is not None and sins_band.label == "potentially_unstable":
        caveats.append(f"SINS {sins_total} is indeterminate (7–12): surgical consultation is recommended; "
                       f"the spine is taken as {'unstable' if unstable else 'stable'} here")
    able = _flag("able_to_tolerate_surgery", able_to_tolerate_surgery)

    assessment = ("high_grade" if high else "low_grade", sensitivity,
                  "unstable" if unstable else "stable", "able" if able else "unable")
    rule = next(r for r in NOMS_DECISION_TABLE if _rule_matches(r, *assessment))
    individualized = rule.decision == "individualized"
    decision = ("cEBRT" if high or sensitivity == "radiosensitive" else "SRS") if individualized else rule.decision
    rationale = f"{rule.note[0].upper()}{rule.note[1:]}."
    if individualized:
        rationale += (f" Stabilization is not possible, so radiation alone ({decision}) is given; "
                      "percutaneous cement augmentation (± percutaneous screws) may be considered for "
                      "mechanical pain.")
        caveats.append("individualized: unstable spine in a patient who cannot tolerate open surgery")
    if rule is _UNVERIFIED_RULE or (individualized and high and sensitivity == "radioresistant"):
        caveats.append("unverified: palliative cEBRT for high-grade compression from a radioresistant "
                       "tumour when surgery is not tolerated rests on one implementation [V1/M]")
    components = {
        "neurologic": f"ESCC {grade} ({'high' if high else 'low'} grade)",
        "oncologic": sensitivity,
        "mechanical": "unstable" if unstable else "stable",
        "systemic": "can tolerate surgery" if able else "cannot tolerate surgery",
    }
    explanation = (f"NOMS: N {components['neurologic']}, O {sensitivity}, M {components['mechanical']}, "
                   f"S {components['systemic']} → {_NOMS_DECISION_WORDS[decision]}"
                   + (" (individualized)" if individualized else "") + f". {rationale}")
    return NomsResult(decision=decision, rationale=rationale, rule=_describe_rule(rule),
                      individualized=individualized, radiosensitivity=sensitivity,
                      radiosensitivity_basis=basis, mechanically_unstable=unstable,
                      components=components, explanation=explanation, caveats=tuple(caveats),
                      source=NOMS_SOURCE)


# ----------------------------------------------------------------------------------------------
# 4. Revised Tokuhashi score (2005)
# ----------------------------------------------------------------------------------------------
TOKUHASHI_SOURCE: Final = (
    "Tokuhashi Y, Matsuzaki H, Oda H, Oshima M, Ryu J. A revised scoring system for preoperative "
    "evaluation of metastatic spine tumor prognosis. Spine. 2005;30(19):2186–2191. "
    "doi:10.1097/01.brs.0000180401.06919.a5."
)

#: Revised Tokuhashi points, component → category → points. Total 0–15; higher = better prognosis.
#: Count and KPS categories are ranges; ``primary_site`` lists every named site and "others".
TOKUHASHI_TABLE: Final[dict[str, dict[str, int]]] = {
    "kps": {"10–40": 0, "50–70": 1, "80–100": 2},  # general condition (Karnofsky)
    "extraspinal_bone_mets": {"≥3": 0, "1–2": 1, "0": 2},
    "vertebral_body_mets": {"≥3": 0, "2": 1, "1": 2},  # ≥3/2/1, not ≥3/1–2/0 (see the reference)
    "major_organ_mets": {"unremovable": 0, "removable": 1, "none": 2},
    "primary_site": {
        "lung": 0, "osteosarcoma": 0, "stomach": 0, "bladder": 0, "oesophagus": 0, "pancreas": 0,
        "liver": 1, "gallbladder": 1, "unidentified": 1,
        "others": 2,  # "other", or a named site the table's literal reading puts here (colon, melanoma…)
        "kidney": 3, "uterus": 3,
        "rectum": 4,
        "thyroid": 5, "breast": 5, "prostate": 5, "carcinoid": 5,
    },
    "frankel": {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2},  # palsy: complete / incomplete / none
}

#: Every clinical name accepted for the primary site (normalised) → the table row it scores as, from
#: ``course/data/vocabularies.yaml`` (addendum H.1). Names the table does not mention are refused; the
#: few that its literal reading puts in "others" (colon, melanoma, haematological disease…) say so.
TOKUHASHI_SITE_ALIASES: Final[dict[str, str]] = _vocabulary.aliases("revised_tokuhashi")

#: Tokuhashi 2005/2009 prognosis bands and the treatment guidance attached to them.
TOKUHASHI_BANDS: Final = (
    _Band(0, 8, "<6 months", "conservative treatment or palliative surgery"),
    _Band(9, 11, ">=6 months", "palliative surgery (excisional surgery if a single lesion and no "
                               "major-organ metastasis)"),
    _Band(12, 15, ">=1 year", "excisional surgery"),
)
_TOKUHASHI_LABELS: Final = {
    "kps": "general condition", "extraspinal_bone_mets": "extraspinal bone mets",
    "vertebral_body_mets": "vertebral body mets", "major_organ_mets": "major organ mets",
    "primary_site": "primary site", "frankel": "palsy",
}


def _kps_group(kps: int) -> str:
    return "10–40" if kps <= 40 else "50–70" if kps <= 70 else "80–100"


def _count_group(count: int, groups: Iterable[str]) -> str:
    """The range key (e.g. "≥3", "1–2", "0") that contains ``count``."""
    for key in groups:
        if key.startswith("≥"):
            if count >= int(key[1:]):
                return key
        else:
            low, _, high = key.partition("–")
            if int(low) <= count <= int(high or low):
                return key
    raise AssertionError(f"count {count} not covered by {list(groups)}")  # unreachable when validated


def _primary_site(value: object) -> _vocabulary.Term:
    """The table row a typed primary site scores as (closed vocabulary, ``course.vocabulary``)."""
    return _vocabulary.lookup("revised_tokuhashi", None if value is _MISSING else value, field="primary_site")


def revised_tokuhashi(*, kps: object = _MISSING, extraspinal_bone_mets: object = _MISSING,
                      vertebral_body_mets: object = _MISSING, major_organ_mets: object = _MISSING,
                      primary_site: object = _MISSING, frankel: object = _MISSING) -> TokuhashiResult:
    """Revised Tokuhashi score (2005), total 0–15 (higher = longer predicted survival).

    ``kps`` 10–100 in steps of 10; ``extraspinal_bone_mets`` an int ≥ 0; ``vertebral_body_mets`` an
    int ≥ 1; ``major_organ_mets`` unremovable/removable/none; ``primary_site`` a site of the table or
    a clinical name for one ("NSCLC", "renal cell carcinoma", "RCC", "HCC", "unknown primary"…), case-
    and punctuation-insensitive (:mod:`course.vocabulary`, addendum H.1). "others" (2) is scored only
    for "other" or for a name the table's literal reading puts there (colon, melanoma, myeloma…), and
    the result's ``caveats`` say so; an unknown or ambiguous name ("colorectal", "urothelial") raises
    ``ValueError``. ``frankel`` "A"–"E" (upper case).

    >>> revised_tokuhashi(kps=70, extraspinal_bone_mets=1, vertebral_body_mets=2,
    ...                   major_organ_mets="none", primary_site="breast", frankel="D").total
    11
    """
    kps_value = _choice("kps", kps, range(10, 101, 10))
    extraspinal = _count("extraspinal_bone_mets", extraspinal_bone_mets, minimum=0)
    vertebral = _count("vertebral_body_mets", vertebral_body_mets, minimum=1)
    organ = _choice("major_organ_mets", major_organ_mets, TOKUHASHI_TABLE["major_organ_mets"])
    site = _primary_site(primary_site)
    site_group = str(site.category)
    palsy = _choice("frankel", frankel, TOKUHASHI_TABLE["frankel"])

    table = TOKUHASHI_TABLE
    components = {
        "kps": table["kps"][_kps_group(kps_value)],
        "extraspinal_bone_mets": table["extraspinal_bone_mets"][
            _count_group(extraspinal, table["extraspinal_bone_mets"])],
        "vertebral_body_mets": table["vertebral_body_mets"][
            _count_group(vertebral, table["vertebral_body_mets"])],
        "major_organ_mets": table["major_organ_mets"][organ],
        "primary_site": table["primary_site"][site_group],
        "frankel": table["frankel"][palsy],
    }
    total = sum(components.values())
    band = _band(TOKUHASHI_BANDS, total)
    caveats: list[str] = [site.note] if site.note else []
    explanation = (_sum_line("Revised Tokuhashi", total, components, _TOKUHASHI_LABELS)
                   + f": predicted survival {band.label} ({band.low}–{band.high}); "
                   + f"Tokuhashi suggests {band.meaning}"
                   + "".join(f"; note: {c}" for c in caveats))
    return TokuhashiResult(total=total, prognosis=band.label, treatment_guidance=band.meaning,
                           primary_site_group=site_group, components=components,
                           explanation=explanation, caveats=tuple(caveats), source=TOKUHASHI_SOURCE)


# ----------------------------------------------------------------------------------------------
# 5. Tomita score (2001)
# ----------------------------------------------------------------------------------------------
TOMITA_SOURCE: Final = (
    "Tomita K, Kawahara N, Kobayashi T, Yoshida A, Murakami H, Akamaru T. Surgical strategy for "
    "spinal metastases. Spine. 2001;26(3):298–306. doi:10.1097/00007632-200102010-00016."
)

#: Tomita points, component → category → points. Total 2–10; higher = worse prognosis. [V1]
#: Growth examples: slow — breast, thyroid, prostate; moderate — kidney, uterus;
#: rapid — lung, liver, stomach, colon, unknown primary.
TOMITA_TABLE: Final[dict[str, dict[str, int]]] = {
    "primary_growth": {"slow": 1, "moderate": 2, "rapid": 4},
    "visceral_mets": {"none": 0, "treatable": 2, "untreatable": 4},
    "bone_mets": {"solitary": 1, "multiple": 2},  # bone metastases including spine
}

#: Tomita total → treatment goal (contract value) and the strategy in words.
TOMITA_BANDS: Final = (
    _Band(2, 3, "wide_or_marginal_excision",
          "long-term local control: wide or marginal excision (e.g. total en bloc spondylectomy)"),
    _Band(4, 5, "marginal_or_intralesional_excision",
          "middle-term local control: marginal or intralesional excision"),
    _Band(6, 7, "palliative_surgery", "short-term palliation: palliative surgery"),
    _Band(8, 10, "nonoperative_supportive_care", "terminal care: non-operative supportive care"),
)
_TOMITA_CAVEATS: Final = (
    "Tomita rests on one readable full table [V1]; a 2018 review table gives 3 (not 4) points for "
    "rapid growth, which would break the 2–10 range",
)


def tomita(*, primary_growth: object = _MISSING, visceral_mets: object = _MISSING,
           bone_mets: object = _MISSING) -> TomitaResult:
    """Tomita score (2001), total 2–10, and its surgical strategy.

    ``primary_growth`` is the growth group ("slow", "moderate", "rapid"), decided by the caller: an
    organ name ("breast", "RCC") is refused, never mapped (Tomita's examples are examples, and the
    same organ can grow at different rates).

    >>> tomita(primary_growth="slow", visceral_mets="none", bone_mets="solitary").treatment_goal
    'wide_or_marginal_excision'
    """
    organ = _vocabulary.clinical_name(primary_growth)
    if organ is not None and primary_growth not in TOMITA_TABLE["primary_growth"]:
        _fail("primary_growth", primary_growth, _show(TOMITA_TABLE["primary_growth"]),
              f" (Tomita scores the growth group, not the organ: {organ.replace('_', ' ')} is not "
              "assigned a group here because the same organ can grow slowly or fast — decide the group)")
    chosen = {
        "primary_growth": _choice("primary_growth", primary_growth, TOMITA_TABLE["primary_growth"]),
        "visceral_mets": _choice("visceral_mets", visceral_mets, TOMITA_TABLE["visceral_mets"]),
        "bone_mets": _choice("bone_mets", bone_mets, TOMITA_TABLE["bone_mets"]),
    }
    components = {component: TOMITA_TABLE[component][category] for component, category in chosen.items()}
    total = sum(components.values())
    band = _band(TOMITA_BANDS, total)
    labels = {"primary_growth": f"{chosen['primary_growth']} growth",
              "visceral_mets": f"visceral mets {chosen['visceral_mets']}",
              "bone_mets": f"{chosen['bone_mets']} bone mets"}
    explanation = (_sum_line("Tomita", total, components, labels)
                   + f": ({band.low}–{band.high}) {band.meaning}")
    return TomitaResult(total=total, treatment_goal=band.label, goal=band.meaning.split(":")[0],
                        components=components, explanation=explanation, caveats=_TOMITA_CAVEATS,
                        source=TOMITA_SOURCE)


# ----------------------------------------------------------------------------------------------
# 6.1 Bauer and modified Bauer [V1]
# ----------------------------------------------------------------------------------------------
BAUER_SOURCE: Final = (
    "Bauer HC, Wedin R. Survival after surgery for spinal and extremity metastases. Prognostication "
    "in 241 patients. Acta Orthop Scand. 1995;66(2):143–146."
)
MODIFIED_BAUER_SOURCE: Final = (
    "Leithner A, Radl R, Gruber G, et al. Predictive value of seven preoperative prognostic scoring "
    "systems for spinal metastases. Eur Spine J. 2008;17(11):1488–1495."
)

#: Favourable Bauer items, 1 point each (higher = better). The modified score drops the last item.
BAUER_ITEMS: Final[dict[str, str]] = {
    "no_visceral_mets": "No visceral metastases",
    "solitary_skeletal_metastasis": "Solitary skeletal metastasis",
    "primary_not_lung": "Primary is not lung cancer",
    "favourable_primary": "Primary is breast, kidney, lymphoma or myeloma",
    "no_pathological_fracture": "No pathological fracture (original score only)",
}
BAUER_PRIMARY_SITES: Final = ("breast", "kidney", "lymphoma", "myeloma", "lung", "other")
BAUER_BANDS: Final = (
    _Band(0, 1, "<6 months", "conservative treatment"),
    _Band(2, 3, ">6 months", "palliative surgery"),
    _Band(4, 5, ">12 months", "excisional surgery"),
)
MODIFIED_BAUER_BANDS: Final = (
    _Band(0, 1, "poor", "poor prognosis"),
    _Band(2, 2, "intermediate", "intermediate prognosis"),
    _Band(3, 4, "good", "good prognosis"),
)
_BAUER_CAVEATS: Final = (
    "Bauer tables come from one readable source [V1]; the median survivals often quoted for the "
    "modified score (4.8 / 18.2 / 28.4 months) are unverified [M]",
)


def _bauer(version: str, visceral_mets: object, solitary_skeletal_metastasis: object,
           primary_site: object, pathological_fracture: object) -> BauerResult:
    visceral = _flag("visceral_mets", visceral_mets)
    solitary = _flag("solitary_skeletal_metastasis", solitary_skeletal_metastasis)
    term = _vocabulary.lookup("bauer", None if primary_site is _MISSING else primary_site, field="primary_site")
    site = str(term.category)
    components = {
        "no_visceral_mets": int(not visceral),
        "solitary_skeletal_metastasis": int(solitary),
        "primary_not_lung": int(site != "lung"),
        "favourable_primary": int(site in ("breast", "kidney", "lymphoma", "myeloma")),
    }
    if version == "original":
        components["no_pathological_fracture"] = int(not _flag("pathological_fracture", pathological_fracture))
    total = sum(components.values())
    band = _band(BAUER_BANDS if version == "original" else MODIFIED_BAUER_BANDS, total)
    name = "Bauer" if version == "original" else "Modified Bauer"
    favourable = [BAUER_ITEMS[k].split(" (")[0].lower() for k, v in components.items() if v]
    explanation = (f"{name} {total} (one point per favourable item: {'; '.join(favourable) or 'none'}): "
                   + (f"expected survival {band.label}; {band.meaning}" if version == "original"
                      else band.meaning))
    return BauerResult(version=version, total=total, prognosis=band.label, recommendation=band.meaning,
                       components=components, explanation=explanation,
                       caveats=((term.note,) if term.note else ()) + _BAUER_CAVEATS,
                       source=BAUER_SOURCE if version == "original" else MODIFIED_BAUER_SOURCE)


def bauer(*, visceral_mets: object = _MISSING, solitary_skeletal_metastasis: object = _MISSING,
          primary_site: object = _MISSING, pathological_fracture: object = _MISSING) -> BauerResult:
    """Original Bauer score (Bauer & Wedin 1995), 0–5, one point per favourable item. [V1]

    ``visceral_mets``, ``solitary_skeletal_metastasis``, ``pathological_fracture``: bools (the facts,
    not the favourable items); ``primary_site`` one of :data:`BAUER_PRIMARY_SITES` or a clinical name
    for one ("renal cell carcinoma", "multiple myeloma", "NSCLC"), case- and punctuation-insensitive; a
    named primary that is not favourable (prostate, colon…) scores as "other" and ``caveats`` say so.
    """
    return _bauer("original", visceral_mets, solitary_skeletal_metastasis, primary_site,
                  pathological_fracture)


def modified_bauer(*, visceral_mets: object = _MISSING, solitary_skeletal_metastasis: object = _MISSING,
                   primary_site: object = _MISSING) -> BauerResult:
    """Modified Bauer score (Leithner 2008), 0–4: the original without pathological fracture. [V1]"""
    return _bauer("modified", visceral_mets, solitary_skeletal_metastasis, primary_site, None)


# ----------------------------------------------------------------------------------------------
# 6.2–6.4 Neurological and performance scales
# ----------------------------------------------------------------------------------------------
FRANKEL_SOURCE: Final = ("Frankel HL et al. Paraplegia 1969 (journal details unverified [M]); "
                         "definitions as in Medscape 'Frankel Grade'.")
ASIA_SOURCE: Final = "American Spinal Injury Association. ISNCSCI / ASIA Impairment Scale, 2019 revision."
KPS_SOURCE: Final = "Karnofsky DA, Burchenal JH. 1949 (Karnofsky Performance Status)."
ECOG_SOURCE: Final = ("Oken MM, Creech RH, Tormey DC, et al. Toxicity and response criteria of the "
                      "Eastern Cooperative Oncology Group. Am J Clin Oncol. 1982;5(6):649–655.")

#: Frankel grade → (name, definition).
FRANKEL_GRADES: Final[dict[str, tuple[str, str]]] = {
    "A": ("Complete", "No motor or sensory function below the level of the lesion"),
    "B": ("Sensory only", "Some sensation preserved below the level; motor paralysis complete"),
    "C": ("Motor useless", "Some motor power below the level but of no practical use"),
    "D": ("Motor useful", "Useful motor power below the level (can move the legs; many walk with or "
                          "without aids)"),
    "E": ("Recovery / normal", "Normal motor and sensory function (abnormal reflexes may persist)"),
}

#: ASIA Impairment Scale grade → (name, definition) (ISNCSCI 2019).
ASIA_GRADES: Final[dict[str, tuple[str, str]]] = {
    "A": ("Complete", "No sensory or motor function preserved in the sacral segments S4–S5"),
    "B": ("Sensory incomplete", "Sensory but not motor function preserved below the neurological level, "
                                "including S4–S5, and no motor function more than three levels below "
                                "the motor level on either side"),
    "C": ("Motor incomplete", "Motor function preserved at the most caudal sacral segments for voluntary "
                              "anal contraction, or the patient is sensory incomplete with motor function "
                              "more than three levels below the motor level on either side (non-key muscles "
                              "may be used); and fewer than half of the key muscle functions below the "
                              "neurological level of injury have muscle grade ≥ 3"),
    "D": ("Motor incomplete", "Motor incomplete as defined for C, and at least half of the key muscle "
                              "functions below the neurological level of injury have muscle grade ≥ 3"),
    "E": ("Normal", "Sensory and motor function normal in all segments in a patient who had prior deficits"),
}

#: Karnofsky Performance Status (0–100 in steps of 10).
KPS_DESCRIPTIONS: Final[dict[int, str]] = {
    100: "Normal, no complaints, no evidence of disease",
    90: "Able to carry on normal activity; minor signs or symptoms",
    80: "Normal activity with effort; some signs or symptoms",
    70: "Cares for self; unable to carry on normal activity or do active work",
    60: "Requires occasional assistance but cares for most needs",
    50: "Requires considerable assistance and frequent medical care",
    40: "Disabled; requires special care and assistance",
    30: "Severely disabled; hospitalization indicated though death not imminent",
    20: "Very sick; hospitalization and active supportive treatment necessary",
    10: "Moribund",
    0: "Dead",
}

#: ECOG / Zubrod / WHO performance status (0–5).
ECOG_DESCRIPTIONS: Final[dict[int, str]] = {
    0: "Fully active, no restriction",
    1: "Restricted in physically strenuous activity; ambulatory, can do light or sedentary work",
    2: "Ambulatory and capable of all self-care but unable to work; up and about more than 50 % of waking hours",
    3: "Capable of only limited self-care; confined to bed or chair more than 50 % of waking hours",
    4: "Completely disabled; no self-care; totally confined to bed or chair",
    5: "Dead",
}

#: Three published KPS↔ECOG mappings (there is no official one): ECOG → (lowest, highest) KPS.
KPS_ECOG_MAPPINGS: Final[dict[str, dict[str, Any]]] = {
    "A": {"source": "Several calculator notes attributing the conversion to Oken et al. 1982",
          "ranges": {0: (100, 100), 1: (80, 90), 2: (60, 70), 3: (40, 50), 4: (10, 30), 5: (0, 0)}},
    "B": {"source": "Zubrod (ECOG) table with Karnofsky equivalents, as used in several trial tools",
          "ranges": {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20), 5: (0, 0)}},
    "C": {"source": "Buccheri 1996 / Verger 2023, as quoted in one open-source tool (no ECOG 5; "
                    "overlaps at KPS 50 and 70)",
          "ranges": {0: (90, 100), 1: (70, 80), 2: (50, 70), 3: (40, 50), 4: (10, 30)}},
}


def _grade_description(scale: str, table: Mapping[str, tuple[str, str]], grade: object,
                       source: str) -> GradeDescription:
    chosen = _choice("grade", grade, table)
    name, definition = table[chosen]
    return GradeDescription(scale=scale, grade=chosen, name=name, definition=definition,
                            explanation=f"{scale} {chosen} ({name}): {definition}", source=source)


def frankel(grade: object) -> GradeDescription:
    """Frankel grade "A"–"E" (upper case) → name and definition.

    Revised Tokuhashi scores Frankel A/B as 0, C/D as 1 and E as 2 (see :data:`TOKUHASHI_TABLE`).
    """
    return _grade_description("Frankel", FRANKEL_GRADES, grade, FRANKEL_SOURCE)


def asia(grade: object) -> GradeDescription:
    """ASIA Impairment Scale grade "A"–"E" (upper case) → name and definition."""
    return _grade_description("ASIA", ASIA_GRADES, grade, ASIA_SOURCE)


def kps_description(kps: object) -> PerformanceDescription:
    """Karnofsky Performance Status 0–100 (steps of 10) → its description."""
    value = _choice("kps", kps, KPS_DESCRIPTIONS)
    text = KPS_DESCRIPTIONS[value]
    return PerformanceDescription(scale="KPS", value=value, description=text,
                                  explanation=f"KPS {value}: {text}", source=KPS_SOURCE)


def ecog_description(ecog: object) -> PerformanceDescription:
    """ECOG performance status 0–5 → its description."""
    value = _choice("ecog", ecog, ECOG_DESCRIPTIONS)
    text = ECOG_DESCRIPTIONS[value]
    return PerformanceDescription(scale="ECOG", value=value, description=text,
                                  explanation=f"ECOG {value}: {text}", source=ECOG_SOURCE)


def kps_to_ecog(kps: object, mapping: object = "A") -> EcogEstimate:
    """Approximate ECOG for a KPS under one of the three mappings "A", "B", "C".

    Conversions are approximate and the mappings disagree (teach it). Under mapping C, KPS 50 and
    70 each fall in two ECOG ranges (``ecog`` is ``None``, ``ecog_options`` lists both) and KPS 0 is
    not covered (``ValueError``).
    """
    name = _choice("mapping", mapping, KPS_ECOG_MAPPINGS)
    ranges = KPS_ECOG_MAPPINGS[name]["ranges"]
    covered = sorted({k for low, high in ranges.values() for k in range(low, high + 1, 10)})
    value = _choice("kps", kps, covered, note=f"(mapping {name})")
    options = tuple(ecog for ecog, (low, high) in ranges.items() if low <= value <= high)
    ecog = options[0] if len(options) == 1 else None
    verdict = (f"ECOG {ecog}" if ecog is not None
               else f"ambiguous: ECOG {' or '.join(map(str, options))}")
    return EcogEstimate(kps=value, ecog=ecog, ecog_options=options, mapping=name,
                        explanation=f"KPS {value} → {verdict} under mapping {name} "
                                    f"({KPS_ECOG_MAPPINGS[name]['source']}); conversions are approximate",
                        source=KPS_ECOG_MAPPINGS[name]["source"])


def ecog_to_kps_range(ecog: object, mapping: object = "A") -> KpsRange:
    """The KPS range for an ECOG grade under mapping "A", "B" or "C" (C has no ECOG 5)."""
    name = _choice("mapping", mapping, KPS_ECOG_MAPPINGS)
    ranges = KPS_ECOG_MAPPINGS[name]["ranges"]
    value = _choice("ecog", ecog, ranges, note=f"(mapping {name})")
    low, high = ranges[value]
    shown = f"{low}" if low == high else f"{low}–{high}"
    return KpsRange(ecog=value, kps_low=low, kps_high=high, mapping=name,
                    explanation=f"ECOG {value} → KPS {shown} under mapping {name} "
                                f"({KPS_ECOG_MAPPINGS[name]['source']}); conversions are approximate",
                    source=KPS_ECOG_MAPPINGS[name]["source"])


# ----------------------------------------------------------------------------------------------
# 7. Radiobiology: BED / EQD2 and the Sahgal cord limits
# ----------------------------------------------------------------------------------------------
LQ_SOURCE: Final = ("Linear-quadratic model without time factor: BED = D(1 + d/(α/β)), "
                    "EQD2 = BED / (1 + 2/(α/β)) (e.g. Fowler JF. Br J Radiol. 1989;62:679–694).")
SAHGAL_SOURCE: Final = (
    "Sahgal A, Weinberg V, Ma L, et al. Probabilities of radiation myelopathy specific to "
    "stereotactic body radiation therapy to guide safe practice. Int J Radiat Oncol Biol Phys. "
    "2013;85(2):341–347."
)

#: Sahgal 2013 thecal-sac point-maximum limits (Gy) for ≤5 % myelopathy risk, de novo SBRT.
SAHGAL_PMAX: Final[dict[int, float]] = {1: 12.4, 2: 17.0, 3: 20.3, 4: 23.0, 5: 25.3}
#: α/β (Gy) used for the spinal cord (Sahgal); alternatives taught: 0.87 (QUANTEC) and 3 (generic).
CORD_ALPHA_BETA_GY: Final = 2
_CORD_CAVEATS: Final = (
    "other single-fraction limits exist: 13 Gy (QUANTEC, <1 % risk) and 12.4–14.0 Gy (HyTEC, 1–5 %)",
    "de novo SBRT only; re-irradiation uses cumulative EQD2 limits (Sahgal 2012)",
)


def _bed_eqd2_exact(total: Decimal, fractions: int, alpha_beta: Decimal) -> tuple[Decimal, Decimal]:
    """Exact-as-possible BED and EQD2: one division each, so an exact .xx5 stays exact."""
    n = Decimal(fractions)
    bed = total + total * total / (n * alpha_beta)
    eqd2 = total * (n * alpha_beta + total) / (n * (alpha_beta + 2))
    return bed, eqd2


def bed_eqd2(*, total_dose_gy: object = _MISSING, fractions: object = _MISSING,
             alpha_beta_gy: object = _MISSING) -> BedEqd2Result:
    """BED and EQD2 (Gy) of ``total_dose_gy`` in ``fractions`` for one α/β or a list of them.

    BED = D(1 + d/(α/β)); EQD2 = BED / (1 + 2/(α/β)), with d = D/n. Inputs are read as the decimals
    they print as and the results rounded half-up to 2 decimals. ``by_alpha_beta`` is keyed by the
    α/β values as given (``result.by_alpha_beta[10]`` and ``[10.0]`` are the same entry).

    >>> bed_eqd2(total_dose_gy=8, fractions=1, alpha_beta_gy=10).by_alpha_beta[10]
    BedEqd2(BED=14.4, EQD2=12.0)
    """
    dose = _number("total_dose_gy", total_dose_gy, low=0, example="8 or 20.0")
    n = _count("fractions", fractions, minimum=1)
    if isinstance(alpha_beta_gy, (list, tuple)):
        if not alpha_beta_gy:
            _fail("alpha_beta_gy", alpha_beta_gy, "a number > 0 or a non-empty list of them (e.g. [10, 2])")
        alpha_betas = [_number(f"alpha_beta_gy[{i}]", v, low=0, example="10, 3 or 2")
                       for i, v in enumerate(alpha_beta_gy)]
    else:
        alpha_betas = [_number("alpha_beta_gy", alpha_beta_gy, low=0,
                               example="10, 2, or a list such as [10, 2]")]
    if len(set(alpha_betas)) != len(alpha_betas):
        _fail("alpha_beta_gy", alpha_beta_gy, "a list of distinct numbers > 0 (e.g. [10, 2])")
    by_alpha_beta: dict[float, BedEqd2] = {}
    for ab in alpha_betas:
        bed, eqd2 = _bed_eqd2_exact(_dec(dose), n, _dec(ab))
        by_alpha_beta[ab] = BedEqd2(BED=round_half_up(bed), EQD2=round_half_up(eqd2))
    per_fraction = round_half_up(_dec(dose) / n)
    listed = "; ".join(f"α/β {ab:g} → BED {v.BED:.2f} Gy, EQD2 {v.EQD2:.2f} Gy" for ab, v in by_alpha_beta.items())
    return BedEqd2Result(
        total_dose_gy=dose, fractions=n, dose_per_fraction_gy=per_fraction, by_alpha_beta=by_alpha_beta,
        components={"total_dose_gy": dose, "fractions": n, "dose_per_fraction_gy": per_fraction},
        explanation=f"{dose:g} Gy in {n} fraction{'s' if n > 1 else ''} ({per_fraction:g} Gy each): {listed}",
        source=LQ_SOURCE)


def cord_pmax_check(*, dose_gy: object = _MISSING, fractions: object = _MISSING) -> CordPmaxResult:
    """Thecal-sac point maximum against the Sahgal 2013 limit (≤5 % myelopathy risk, 1–5 fractions).

    A dose equal to the limit is within it. ``eqd2_gy`` is the EQD2 of ``dose_gy`` with α/β = 2 Gy;
    all five limits are roughly iso-effective (≈ 44.5 Gy EQD2). Other fraction numbers raise.

    >>> cord_pmax_check(dose_gy=12.4, fractions=1).within_limit
    True
    """
    n = _choice("fractions", fractions, SAHGAL_PMAX, note="(Sahgal 2013 limits exist for 1–5 fractions only)")
    dose = _number("dose_gy", dose_gy, low=0, example=f"{SAHGAL_PMAX[n]:g}")
    limit = SAHGAL_PMAX[n]
    within = _dec(dose) <= _dec(limit)
    ab = Decimal(CORD_ALPHA_BETA_GY)
    eqd2 = round_half_up(_bed_eqd2_exact(_dec(dose), n, ab)[1])
    limit_eqd2 = round_half_up(_bed_eqd2_exact(_dec(limit), n, ab)[1])
    explanation = (f"Thecal-sac Pmax {dose:g} Gy in {n} fraction{'s' if n > 1 else ''} "
                   f"{'is within' if within else 'exceeds'} the Sahgal 2013 limit of {limit:g} Gy "
                   f"(≤5 % myelopathy risk); EQD2 (α/β 2) {eqd2:.2f} Gy vs {limit_eqd2:.2f} Gy at the limit")
    return CordPmaxResult(dose_gy=dose, fractions=n, limit_gy=limit, within_limit=within, eqd2_gy=eqd2,
                          limit_eqd2_gy=limit_eqd2,
                          components={"dose_gy": dose, "limit_gy": limit, "eqd2_gy": eqd2,
                                      "limit_eqd2_gy": limit_eqd2},
                          explanation=explanation, caveats=_CORD_CAVEATS, source=SAHGAL_SOURCE)


# ----------------------------------------------------------------------------------------------
# Corrected calcium (Payne)
# ----------------------------------------------------------------------------------------------
PAYNE_SOURCE: Final = (
    "Payne RB, Little AJ, Williams RB, Milner JR. Interpretation of serum calcium in patients with "
    "abnormal serum proteins. BMJ. 1973;4(5893):643–646. Thresholds: teaching convention "
    "(hypercalcaemia above 2.60 mmol/L as in the MSD Manual; severe above 3.5 mmol/L as in the Society "
    "for Endocrinology emergency guidance, Walsh 2016)."
)

#: Teaching categories for corrected calcium (mmol/L) — a convention; laboratories and guidelines
#: quote slightly different cut-offs. Category → range, as applied to the value rounded to 0.01.
CALCIUM_CATEGORIES: Final[dict[str, str]] = {
    "hypocalcaemia": "< 2.2",
    "normal": "2.2–2.6",
    "hypercalcaemia": "> 2.6 and ≤ 3.5",
    "severe_hypercalcaemia": "> 3.5",
}
_CALCIUM_CAVEATS: Final = (
    "thresholds are a teaching convention (normal 2.2–2.6, hypercalcaemia > 2.6, severe above 3.5 mmol/L "
    "as in the Society for Endocrinology guidance, Walsh 2016); use the local laboratory's reference "
    "range; other sources place the severe cut-off above 3.4",
    "the Payne correction is an approximation (laboratories use other factors and reference albumins); "
    "with a paraprotein (myeloma) it is unreliable — measure ionised calcium",
)


def corrected_calcium(*, calcium_mmol_l: object = _MISSING, albumin_g_l: object = _MISSING) -> CorrectedCalciumResult:
    """Albumin-corrected calcium (Payne 1973): measured + 0.02 × (40 − albumin g/L), in mmol/L.

    The category uses the rounded value: < 2.2 hypocalcaemia, 2.2–2.6 normal, > 2.6 hypercalcaemia,
    > 3.5 severe hypercalcaemia (Society for Endocrinology, Walsh 2016: 3.50 is in the 3.0–3.5 band). Plausibility ranges (calcium 0.5–5 mmol/L,
    albumin 10–60 g/L) catch values entered in mg/dL or g/dL.

    >>> corrected_calcium(calcium_mmol_l=2.5, albumin_g_l=30).corrected_mmol_l
    2.7
    """
    calcium = _number("calcium_mmol_l", calcium_mmol_l, low=0.5, high=5.0, low_inclusive=True,
                      example="2.4 (mmol/L, not mg/dL)")
    albumin = _number("albumin_g_l", albumin_g_l, low=10, high=60, low_inclusive=True,
                      example="35 (g/L, not g/dL)")
    adjustment = Decimal("0.02") * (40 - _dec(albumin))
    corrected = round_half_up(_dec(calcium) + adjustment)
    category = ("hypocalcaemia" if corrected < 2.2 else "normal" if corrected <= 2.6
                else "hypercalcaemia" if corrected <= 3.5 else "severe_hypercalcaemia")
    explanation = (f"Corrected calcium = {calcium:g} + 0.02 × (40 − {albumin:g}) = {corrected:.2f} mmol/L: "
                   f"{category.replace('_', ' ')} (teaching thresholds: normal 2.2–2.6, severe above 3.5)")
    return CorrectedCalciumResult(corrected_mmol_l=corrected, category=category,
                                  components={"measured_mmol_l": calcium,
                                              "albumin_adjustment_mmol_l": round_half_up(adjustment)},
                                  explanation=explanation, caveats=_CALCIUM_CAVEATS, source=PAYNE_SOURCE)


# ----------------------------------------------------------------------------------------------
# Bibliography keys (course/data/references.yaml) for each calculator
# ----------------------------------------------------------------------------------------------
#: Calculator → keys of ``course/data/references.yaml`` to cite (e.g. with ``references.bibliography``).
REFERENCE_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "sins": ("fisher2010_sins", "fourney2011_sins", "fisher2014_sins"),
    "escc": ("bilsky2010_escc", "radiopaedia_escc"),
    "noms": ("laufer2013_noms", "ao_radiosensitivity", "maranzano_latini1995"),
    "revised_tokuhashi": ("tokuhashi2005", "tokuhashi2014"),
    "tomita": ("tomita2001",),
    "bauer": ("bauer1995",),
    "modified_bauer": ("leithner2008", "bauer1995"),
    "frankel": ("frankel1969",),
    "asia": ("asia2019",),
    "kps_description": ("karnofsky1949",),
    "ecog_description": ("oken1982",),
    "kps_to_ecog": ("oken1982", "buccheri1996"),
    "ecog_to_kps_range": ("oken1982", "buccheri1996"),
    "bed_eqd2": ("lq_model",),
    "cord_pmax_check": ("sahgal2013_pmax", "hytec2019_cord", "quantec2010_cord"),
    "corrected_calcium": ("payne1973", "msd_hypercalcaemia", "walsh2016_hypercalcaemia"),
}


# ----------------------------------------------------------------------------------------------
# Tables for display
# ----------------------------------------------------------------------------------------------
def _bauer_table(items: Iterable[str]) -> dict[str, dict[str, int]]:
    return {BAUER_ITEMS[item]: {"yes": 1, "no": 0} for item in items}


_POINT_TABLES: Final[dict[str, dict[str, dict[str, int]]]] = {
    "sins": SINS_TABLE,
    "revised_tokuhashi": TOKUHASHI_TABLE,
    "tomita": TOMITA_TABLE,
    "bauer": _bauer_table(BAUER_ITEMS),
    "modified_bauer": _bauer_table(list(BAUER_ITEMS)[:4]),
}


def table_rows(score_name: object) -> list[TableRow]:
    """The point table of a score as rows ``(component, category, points)`` in table order.

    ``score_name`` is one of "sins", "revised_tokuhashi", "tomita", "bauer", "modified_bauer".

    >>> table_rows("tomita")[0]
    TableRow(component='primary_growth', category='slow', points=1)
    """
    name = _choice("score_name", score_name, _POINT_TABLES)
    return [TableRow(component, category, points)
            for component, categories in _POINT_TABLES[name].items()
            for category, points in categories.items()]
