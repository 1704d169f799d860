"""Module 05 — classification and scoring: the pure logic behind the calculator panels and the NOMS explorer.

Every score is computed by :mod:`course.calculators`; this module holds what the interactives *show*, without
drawing anything: labels of result codes, plain-text breakdowns, the histology look-up in each published
radiosensitivity list, the NOMS path for a chosen list (with the course's convention for "intermediate"
histologies), and HTML tables of the scales. The interactives and figures are in :mod:`course.scoring_apps`.

This module imports neither ipywidgets nor matplotlib (``tests/test_pure_logic.py``).

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Sequence

from course import calculators, datasets, labels


# ----------------------------------------------------------------------------------------------
# Vocabulary shown to the learner (labels only; the points live in course.calculators)
# ----------------------------------------------------------------------------------------------
#: Human-readable names of result categories returned by the calculators.
CATEGORY_LABELS: dict[str, str] = {
    "stable": "stable",
    "potentially_unstable": "potentially unstable (indeterminate)",
    "unstable": "unstable",
    "<6 months": "predicted survival < 6 months",
    ">=6 months": "predicted survival ≥ 6 months",
    ">=1 year": "predicted survival ≥ 1 year",
    "wide_or_marginal_excision": "long-term local control: wide or marginal excision",
    "marginal_or_intralesional_excision": "middle-term local control: marginal or intralesional excision",
    "palliative_surgery": "short-term palliation: palliative surgery",
    "nonoperative_supportive_care": "terminal care: non-operative supportive care",
}

#: NOMS decisions (calculator vocabulary) → label drawn in the explorer.
DECISION_LABELS: dict[str, str] = {
    "cEBRT": "conventional RT (cEBRT)",
    "stabilization_then_cEBRT": "stabilisation → cEBRT",
    "SRS": "stereotactic RT (SRS/SBRT)",
    "stabilization_then_SRS": "stabilisation → SRS",
    "separation_surgery_then_SRS": "separation surgery → SRS",
    "individualized": "individualised decision",
}

ESCC_GRADES: tuple[str, ...] = ("0", "1a", "1b", "1c", "2", "3")

#: One-line descriptions of the ESCC grades for the schematic (Bilsky 2010, in our words).
ESCC_DESCRIPTIONS: dict[str, str] = {
    "0": "bone only",
    "1a": "epidural, sac\nnot deformed",
    "1b": "sac deformed,\ncord not touched",
    "1c": "sac deformed,\ncord abutted",
    "2": "cord compressed,\nCSF visible",
    "3": "cord compressed,\nno CSF visible",
}


def label(code: str) -> str:
    """Readable label for a calculator category or NOMS decision code (the code itself if unknown)."""
    return CATEGORY_LABELS.get(code, DECISION_LABELS.get(code, code.replace("_", " ")))


def _points(result: Any) -> dict[str, int]:
    comps = getattr(result, "components", None)
    if not isinstance(comps, dict):
        raise TypeError(f"{type(result).__name__}: the calculator result has no 'components' mapping")
    return {str(k): int(v) for k, v in comps.items()}


def reference_keys(score_name: str) -> tuple[str, ...]:
    """Bibliography keys (``course/data/references.yaml``) of a calculator, e.g. ``"sins"``."""
    return tuple(calculators.REFERENCE_KEYS.get(score_name, ()))


def breakdown(result: Any, title: str = "") -> str:
    """A deterministic plain-text breakdown of a score result: one line per component, then the total.

    Works for every calculator result with ``components`` (and ``total``, a category field and
    ``explanation`` when present). Used in worked examples whose output nbval compares.
    """
    lines = [title] if title else []
    comps = _points(result)
    width = max((len(k) for k in comps), default=0)
    for key, pts in comps.items():
        lines.append(f"  {key.replace('_', ' '):<{width}}  {pts:>2}")
    if hasattr(result, "total"):
        lines.append(f"  {'total':<{width}}  {result.total:>2}")
    for field in ("category", "prognosis", "treatment_goal"):
        if getattr(result, field, None):
            lines.append(f"  → {label(getattr(result, field))}")
    if getattr(result, "surgical_consultation_recommended", None) is not None:
        yes = "yes" if result.surgical_consultation_recommended else "no"
        lines.append(f"  surgical consultation recommended (total ≥ 7): {yes}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Calculator panels
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Component:
    """One scored component: its calculator argument, result key, label and the learner's choices."""

    argument: str  # keyword of the calculator (and name of the control)
    key: str  # key in ``result.components``
    label: str
    choices: tuple[tuple[str, Any], ...]  # (label shown, value passed) — also the values enumerated
    slider: bool = False  # an IntSlider over the choice values instead of a dropdown


def _levels() -> tuple[tuple[str, str], ...]:
    out = []
    for lv in datasets.levels():
        if lv.sins_location is not None:
            out.append((f"{lv.name} ({lv.sins_location})", lv.name))
    return tuple(out)


#: absent from the revised table score as "others" in the calculator — colon is such a case.
TOKUHASHI_SITES: tuple[str, ...] = (
    "lung", "osteosarcoma", "stomach", "bladder", "oesophagus", "pancreas", "liver", "gallbladder",
    "unidentified", "kidney", "uterus", "rectum", "colon", "thyroid", "breast", "prostate", "carcinoid",
    "melanoma",
)


# ----------------------------------------------------------------------------------------------
# NOMS decision explorer
# ----------------------------------------------------------------------------------------------
def histology_choices() -> list[tuple[str, str]]:
    """(label, key) of every histology in the radiosensitivity data."""
    labels = datasets.load("radiosensitivity")["labels"]
    return [(str(v), str(k)) for k, v in labels.items()]


def classify_everywhere(histology: str) -> dict[str, str]:
    """Class of ``histology`` in every published list (list name → radiosensitive/radioresistant/intermediate)."""
    return {name: datasets.radiosensitivity(histology, name) for name in datasets.radiosensitivity_lists()}




#: The course's convention for an AO "intermediate" histology in NOMS (review finding M2), from the data.
INTERMEDIATE_CONVENTION: str = datasets.load("radiosensitivity")["intermediate_convention"]["statement"]


def resolve(histology: str, list_name: str) -> tuple[str, str, bool]:
    """(class in the chosen list, radiosensitivity passed to NOMS, whether the course's convention decided it).

    A radiosensitive or radioresistant class is passed on as it is. An "intermediate" class (AO list) has no
    NOMS branch: the course follows the NOMS list's own class for that histology and says so
    (:data:`INTERMEDIATE_CONVENTION`) — it is not silently treated as radioresistant.
    """
    cls = datasets.radiosensitivity(histology, list_name)
    if cls != "intermediate":
        return cls, cls, False
    return cls, datasets.radiosensitivity(histology, "noms"), True


def sins_band(total: int) -> str:
    """The SINS band of ``total`` (from ``calculators.SINS_BANDS``)."""
    return next(b.label for b in calculators.SINS_BANDS if b.low <= total <= b.high)


@dataclass(frozen=True)
class NomsPath:
    """A NOMS walk for one histology in one published list.

    ``result`` is the decision the course draws; for an intermediate histology ``alternative`` is the decision
    the other class would give (``None`` otherwise), so both branches are shown.
    """

    histology: str
    list_name: str
    list_class: str
    radiosensitivity: str
    by_convention: bool
    sins_band: str
    high_grade: bool
    result: calculators.NomsResult
    alternative: calculators.NomsResult | None


def noms_path(escc_grade: str, histology: str, list_name: str, sins_total: int, tolerates_surgery: bool,
              unstable_if_indeterminate: bool | None = None) -> NomsPath:
    """The NOMS decision for ``histology`` classified by ``list_name`` (and the other branch if intermediate)."""
    cls, rs, convention = resolve(histology, list_name)
    band = sins_band(sins_total)
    escc = calculators.escc(grade=escc_grade)

    def decide(sensitivity: str) -> calculators.NomsResult:
        return calculators.noms(escc_grade=escc_grade, radiosensitivity=sensitivity, sins_total=sins_total,
                                mechanically_unstable=unstable_if_indeterminate if band == "potentially_unstable"
                                else None, able_to_tolerate_surgery=tolerates_surgery, histology=histology)

    other = "radioresistant" if rs == "radiosensitive" else "radiosensitive"
    return NomsPath(histology, list_name, cls, rs, convention, band, escc.high_grade, decide(rs),
                    decide(other) if convention else None)


def noms_summary(escc_grade: str, histology: str, list_name: str, sins_total: int, tolerates_surgery: bool,
                 unstable_if_indeterminate: bool | None = None) -> str:
    """One deterministic line per NOMS step and the decision (worked examples)."""
    p = noms_path(escc_grade, histology, list_name, sins_total, tolerates_surgery, unstable_if_indeterminate)
    names = dict((k, lab) for lab, k in histology_choices())
    o_line = f"O  {names[histology]} in the {list_name.upper()} list: {p.list_class}"
    if p.by_convention:
        o_line += (f" (no NOMS branch: course convention follows the NOMS list, {p.radiosensitivity}; "
                   f"as {'radioresistant' if p.radiosensitivity == 'radiosensitive' else 'radiosensitive'} "
                   f"it would be {label(p.alternative.decision)} — an MDT decision)")
    return "\n".join([
        f"N  ESCC {escc_grade}: {'high' if p.high_grade else 'low'} grade",
        o_line,
        f"M  SINS {sins_total} ({label(p.sins_band)}): {'unstable' if p.result.mechanically_unstable else 'stable'}",
        f"S  {'fit' if tolerates_surgery else 'not fit'} for open surgery",
        f"→  {label(p.result.decision)}" + (" (individualised)" if p.result.individualized else ""),
    ])


#: Scales shown as tables by :func:`scale_table`: name → (calculators constant, header).
SCALES: dict[str, tuple[str, tuple[str, ...]]] = {
    "frankel": ("FRANKEL_GRADES", ("Grade", "Name", "Definition")),
    "asia": ("ASIA_GRADES", ("AIS", "Name", "Definition")),
    "kps": ("KPS_DESCRIPTIONS", ("KPS %", "Description")),
    "ecog": ("ECOG_DESCRIPTIONS", ("ECOG", "Description")),
}


def scale_table(name: str) -> str:
    """HTML table of a neurological or performance scale held by :mod:`course.calculators`.

    Raises:
        ValueError: for an unknown scale, listing the accepted names.
    """
    if name not in SCALES:
        raise ValueError(f"name: {name!r} is not a scale; accepted: {sorted(SCALES)}")
    constant, header = SCALES[name]
    table = getattr(calculators, constant)
    rows = [(k, *v) if isinstance(v, tuple) else (k, v) for k, v in table.items()]
    return table_html(rows, header)


def points_table(score_name: str) -> str:
    """HTML point table of a score (``calculators.table_rows``), e.g. ``"sins"``."""
    prefix = {"sins": "sins", "tomita": "tomita", "revised_tokuhashi": "tokuhashi"}.get(score_name, score_name)
    return table_html([(_code_label(f"{prefix}_component", r.component), _code_label(f"{prefix}_{r.component}", r.category),
                        r.points) for r in calculators.table_rows(score_name)], ("Component", "Category", "Points"))


def _code_label(kind: str, code: str) -> str:
    """The human label of ``code`` (course/data/labels.yaml), or the code in words where none is kept."""
    try:
        return labels.label(kind, code)
    except ValueError:
        return code.replace("_", " ")


def table_html(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """A small HTML table (for displaying calculator tables)."""
    head = "".join(f"<th style='text-align:left'>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


__all__ = [
    "CATEGORY_LABELS", "DECISION_LABELS", "ESCC_GRADES", "ESCC_DESCRIPTIONS", "TOKUHASHI_SITES", "Component",
    "INTERMEDIATE_CONVENTION", "NomsPath", "breakdown", "noms_path", "noms_summary", "resolve", "sins_band", "label",
    "histology_choices", "classify_everywhere", "table_html", "scale_table", "points_table", "reference_keys",
]
